package webui

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/web"
)

// This file is how the site is found: by search engines (robots.txt, a
// sitemap of the published openings, meta descriptions and schema.org
// JobPosting data on each opening) and by browsers (favicon, web app
// manifest). Links that leave the site start with the public URL.

// registerDiscovery adds the routes search engines and browsers ask for at
// fixed paths.
func (s *Site) registerDiscovery(r *gin.Engine) {
	r.GET("/robots.txt", s.robots)
	r.GET("/sitemap.xml", s.sitemap)
	r.GET("/favicon.ico", s.staticFile("favicon.ico", "image/x-icon"))
	r.GET("/manifest.webmanifest", s.manifest)
}

// robots keeps crawlers to the public pages: the search, openings and
// events. Signed-in areas would only show a login page to them.
func (s *Site) robots(c *gin.Context) {
	c.Header("Cache-Control", "public, max-age=3600")
	c.String(http.StatusOK, strings.Join([]string{
		"User-agent: *",
		"Allow: /",
		"Disallow: /me",
		"Disallow: /employer",
		"Disallow: /staff",
		"Disallow: /admin/",
		"Disallow: /api/",
		"Disallow: /login",
		"Disallow: /register",
		"Disallow: /notifications",
		"Sitemap: " + s.absolute("/sitemap.xml"),
		"",
	}, "\n"))
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

type sitemapSet struct {
	XMLName xml.Name     `xml:"urlset"`
	NS      string       `xml:"xmlns,attr"`
	URLs    []sitemapURL `xml:"url"`
}

// sitemap lists the search page, the events page and every published
// opening (up to app.SitemapLimit, the format's per-file limit). It is read
// on each request, so publishing and closing show up at once.
func (s *Site) sitemap(c *gin.Context) {
	stamps, err := s.App.SitemapOpenings(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	set := sitemapSet{NS: "http://www.sitemaps.org/schemas/sitemap/0.9",
		URLs: []sitemapURL{{Loc: s.absolute("/")}, {Loc: s.absolute("/events")}}}
	for _, o := range stamps {
		set.URLs = append(set.URLs, sitemapURL{Loc: s.absolute("/openings/" + o.ID), LastMod: o.UpdatedAt.UTC().Format(time.RFC3339)})
	}
	c.Header("Cache-Control", "public, max-age=300")
	c.Header("Content-Type", "application/xml; charset=utf-8")
	c.Status(http.StatusOK)
	_, _ = c.Writer.WriteString(xml.Header)
	enc := xml.NewEncoder(c.Writer)
	enc.Indent("", " ")
	_ = enc.Encode(set)
}

// manifest lets a phone add the site to its home screen.
func (s *Site) manifest(c *gin.Context) {
	l, htmlLang := lang(c), "zh-CN"
	if l == "en" {
		htmlLang = "en"
	}
	c.Header("Cache-Control", "public, max-age=86400")
	c.Header("Content-Type", "application/manifest+json")
	c.JSON(http.StatusOK, gin.H{
		"name":             s.cat.t(l, "site.name"),
		"short_name":       s.cat.t(l, "site.short_name"),
		"description":      s.cat.t(l, "site.description"),
		"lang":             htmlLang,
		"start_url":        "/",
		"display":          "standalone",
		"background_color": "#f5f7fa",
		"theme_color":      "#0b5cad",
		"icons": []gin.H{
			{"src": "/static/icon-192.png", "sizes": "192x192", "type": "image/png"},
			{"src": "/static/icon-512.png", "sizes": "512x512", "type": "image/png", "purpose": "any maskable"},
		},
	})
}

// staticFile serves one embedded file from web/static at a fixed path.
func (s *Site) staticFile(name, contentType string) gin.HandlerFunc {
	return func(c *gin.Context) {
		b, err := fs.ReadFile(web.FS, "static/"+name)
		if err != nil {
			s.fail(c, domain.ErrNotFound)
			return
		}
		c.Header("Cache-Control", "public, max-age=86400")
		c.Data(http.StatusOK, contentType, b)
	}
}

// absolute is path on the site's public URL.
func (s *Site) absolute(path string) string {
	return strings.TrimRight(s.PublicURL, "/") + path
}

// metaDescriptionRunes is about what a results page shows of a description.
const metaDescriptionRunes = 120

// describe shortens text to a meta description: one line, at most n runes.
func describe(text string, n int) string {
	text = strings.Join(strings.Fields(text), " ")
	if utf8.RuneCountInString(text) <= n {
		return text
	}
	r := []rune(text)
	return string(r[:n-1]) + "…"
}

// jobPosting is the schema.org JobPosting of a published opening
// (https://schema.org/JobPosting, as Google and Baidu read it), for a
// <script type="application/ld+json"> block. json.Marshal escapes <, > and
// &, so no text from the opening can end the script element.
func (s *Site) jobPosting(o domain.Opening) template.JS {
	if o.Status != domain.OpeningPublished {
		return ""
	}
	posting := map[string]any{
		"@context":    "https://schema.org",
		"@type":       "JobPosting",
		"title":       o.Title,
		"description": o.Description,
		"url":         s.absolute("/openings/" + o.ID),
		"identifier":  map[string]any{"@type": "PropertyValue", "name": o.Employer.Name, "value": o.ID},
		// Research-assistant posts are full-time contract positions.
		"employmentType":     "FULL_TIME",
		"hiringOrganization": map[string]any{"@type": "Organization", "name": o.Employer.Name},
		"jobLocation": map[string]any{"@type": "Place", "address": map[string]any{
			"@type": "PostalAddress", "addressLocality": o.City, "addressRegion": o.ProvinceCode, "addressCountry": "CN"}},
		"baseSalary": map[string]any{"@type": "MonetaryAmount", "currency": "CNY", "value": map[string]any{
			"@type": "QuantitativeValue", "minValue": o.SalaryMin, "maxValue": o.SalaryMax, "unitText": "MONTH"}},
		"totalJobOpenings": o.Headcount,
	}
	if o.PublishedAt != nil {
		posting["datePosted"] = domain.DateOf(*o.PublishedAt).String()
	}
	if d, ok := domain.ParseDate(o.Deadline); ok {
		// The deadline is a Shanghai date: the posting is valid through its last second.
		posting["validThrough"] = fmt.Sprintf("%sT23:59:59+08:00", d)
	}
	b, err := json.Marshal(posting)
	if err != nil {
		return ""
	}
	return template.JS(b)
}
