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

// WebManifest is the web app manifest (https://www.w3.org/TR/appmanifest/).
type WebManifest struct {
	Name            string         `json:"name"`
	ShortName       string         `json:"short_name"`
	Description     string         `json:"description"`
	Lang            string         `json:"lang"`
	StartURL        string         `json:"start_url"`
	Display         string         `json:"display"`
	BackgroundColor string         `json:"background_color"`
	ThemeColor      string         `json:"theme_color"`
	Icons           []ManifestIcon `json:"icons"`
}

// ManifestIcon is one icon of the manifest.
type ManifestIcon struct {
	Src     string `json:"src"`
	Sizes   string `json:"sizes"`
	Type    string `json:"type"`
	Purpose string `json:"purpose,omitempty"`
}

// manifest lets a phone add the site to its home screen.
func (s *Site) manifest(c *gin.Context) {
	l, htmlLang := lang(c), "zh-CN"
	if l == "en" {
		htmlLang = "en"
	}
	c.Header("Cache-Control", "public, max-age=86400")
	c.Header("Content-Type", "application/manifest+json")
	c.JSON(http.StatusOK, WebManifest{
		Name: s.cat.t(l, "site.name"), ShortName: s.cat.t(l, "site.short_name"), Description: s.cat.t(l, "site.description"),
		Lang: htmlLang, StartURL: "/", Display: "standalone", BackgroundColor: "#f5f7fa", ThemeColor: "#0b5cad",
		Icons: []ManifestIcon{
			{Src: "/static/icon-192.png", Sizes: "192x192", Type: "image/png"},
			{Src: "/static/icon-512.png", Sizes: "512x512", Type: "image/png", Purpose: "any maskable"},
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

// JobPosting is schema.org's JobPosting (https://schema.org/JobPosting)
// with the fields Google's and Baidu's job search read.
type JobPosting struct {
	Context            string         `json:"@context"`
	Type               string         `json:"@type"`
	Title              string         `json:"title"`
	Description        string         `json:"description"`
	URL                string         `json:"url"`
	Identifier         ldIdentifier   `json:"identifier"`
	EmploymentType     string         `json:"employmentType"`
	HiringOrganization ldOrganization `json:"hiringOrganization"`
	JobLocation        ldPlace        `json:"jobLocation"`
	BaseSalary         ldSalary       `json:"baseSalary"`
	TotalJobOpenings   int            `json:"totalJobOpenings"`
	DatePosted         string         `json:"datePosted,omitempty"`
	ValidThrough       string         `json:"validThrough,omitempty"`
}

type ldIdentifier struct {
	Type  string `json:"@type"`
	Name  string `json:"name"`
	Value string `json:"value"`
}

type ldOrganization struct {
	Type string `json:"@type"`
	Name string `json:"name"`
}

type ldPlace struct {
	Type    string    `json:"@type"`
	Address ldAddress `json:"address"`
}

type ldAddress struct {
	Type            string `json:"@type"`
	AddressLocality string `json:"addressLocality"`
	AddressRegion   string `json:"addressRegion"`
	AddressCountry  string `json:"addressCountry"`
}

type ldSalary struct {
	Type     string  `json:"@type"`
	Currency string  `json:"currency"`
	Value    ldRange `json:"value"`
}

type ldRange struct {
	Type     string `json:"@type"`
	MinValue int    `json:"minValue"`
	MaxValue int    `json:"maxValue"`
	UnitText string `json:"unitText"`
}

// jobPosting is a published opening's JobPosting as the text of a
// <script type="application/ld+json"> block ("" for any other opening).
// json.Marshal escapes <, > and &, so no text from the opening can end the
// script element.
func (s *Site) jobPosting(o domain.Opening) template.JS {
	if o.Status != domain.OpeningPublished {
		return ""
	}
	p := JobPosting{
		Context: "https://schema.org", Type: "JobPosting",
		Title: o.Title, Description: o.Description, URL: s.absolute("/openings/" + o.ID),
		Identifier: ldIdentifier{Type: "PropertyValue", Name: o.Employer.Name, Value: o.ID},
		// Research-assistant posts are full-time fixed-term contracts.
		EmploymentType:     "FULL_TIME",
		HiringOrganization: ldOrganization{Type: "Organization", Name: o.Employer.Name},
		JobLocation: ldPlace{Type: "Place", Address: ldAddress{Type: "PostalAddress",
			AddressLocality: o.City, AddressRegion: o.ProvinceCode, AddressCountry: "CN"}},
		BaseSalary: ldSalary{Type: "MonetaryAmount", Currency: "CNY",
			Value: ldRange{Type: "QuantitativeValue", MinValue: o.SalaryMin, MaxValue: o.SalaryMax, UnitText: "MONTH"}},
		TotalJobOpenings: o.Headcount,
	}
	if o.PublishedAt != nil {
		p.DatePosted = domain.DateOf(*o.PublishedAt).String()
	}
	if d, ok := domain.ParseDate(o.Deadline); ok {
		// The deadline is a Shanghai date: the posting is valid through its last second.
		p.ValidThrough = fmt.Sprintf("%sT23:59:59+08:00", d)
	}
	b, err := json.Marshal(p)
	if err != nil {
		return ""
	}
	return template.JS(b)
}
