// Package webui is the server-rendered site: Chinese first, English on
// request, working without JavaScript and on a phone. Sessions are the API's
// JWTs in HttpOnly SameSite cookies, refreshed silently; every form post
// carries a CSRF token.
package webui

import (
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/postgres"
	"github.com/gradzone/gradzone/web"
)

// catalogues holds the message catalogues by language.
type catalogues map[string]map[string]string

func loadCatalogues() (catalogues, error) {
	out := catalogues{}
	for _, lang := range []string{"zh", "en"} {
		b, err := fs.ReadFile(web.FS, "i18n/"+lang+".json")
		if err != nil {
			return nil, err
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("i18n/%s.json: %w", lang, err)
		}
		out[lang] = m
	}
	return out, nil
}

func (cat catalogues) t(lang, key string) string {
	if s, ok := cat[lang][key]; ok {
		return s
	}
	if s, ok := cat["zh"][key]; ok {
		return s
	}
	return key
}

// fieldArgs feeds the "field" partial.
type fieldArgs struct{ Lang, Label, Name, Type, Value, Error string }

type statusArgs struct{ Lang, S string }

func (s *Site) funcs() template.FuncMap {
	return template.FuncMap{
		"t": s.cat.t,
		"tf": func(lang, key string, v any) string {
			r := s.cat.t(lang, key)
			r = strings.ReplaceAll(r, "{n}", fmt.Sprint(v))
			return strings.ReplaceAll(r, "{d}", fmt.Sprint(v))
		},
		// mark shows search highlights: everything escaped but <mark>.
		"mark": func(s string) template.HTML {
			e := html.EscapeString(s)
			e = strings.ReplaceAll(e, "&lt;mark&gt;", "<mark>")
			return template.HTML(strings.ReplaceAll(e, "&lt;/mark&gt;", "</mark>"))
		},
		"pct": func(v *float64) string {
			if v == nil {
				return "—"
			}
			return fmt.Sprintf("%.1f%%", *v)
		},
		"deref": func(v any) any {
			switch p := v.(type) {
			case *float64:
				if p != nil {
					return *p
				}
			case *string:
				if p != nil {
					return *p
				}
			}
			return ""
		},
		"fmtTime": func(t time.Time) string { return t.In(domain.Shanghai).Format("2006-01-02 15:04") },
		"join":    func(a []string) string { return strings.Join(a, "、") },
		"inc":     func(i int) int { return i + 1 },
		"field": func(lang, label, name, typ string, value any, err string) fieldArgs {
			return fieldArgs{Lang: lang, Label: label, Name: name, Type: typ, Value: fmt.Sprint(value), Error: err}
		},
		"st": func(lang, s string) statusArgs { return statusArgs{lang, s} },
		"langURL": func(lang, path string) string {
			other := "en"
			if lang == "en" {
				other = "zh"
			}
			u, err := url.Parse(path)
			if err != nil {
				return "/?lang=" + other
			}
			q := u.Query()
			q.Set("lang", other)
			u.RawQuery = q.Encode()
			return u.String()
		},
	}
}

// parse builds one template set per page: the layout, the partials and the page.
func (s *Site) parse() error {
	s.pages = map[string]*template.Template{}
	entries, err := fs.Glob(web.FS, "templates/*.html")
	if err != nil {
		return err
	}
	for _, e := range entries {
		name := strings.TrimSuffix(strings.TrimPrefix(e, "templates/"), ".html")
		if name == "layout" || name == "partials" {
			continue
		}
		t, err := template.New("layout.html").Funcs(s.funcs()).ParseFS(web.FS, "templates/layout.html", "templates/partials.html", e)
		if err != nil {
			return fmt.Errorf("template %s: %w", name, err)
		}
		s.pages[name] = t
	}
	return nil
}

// page is what every template receives.
type page struct {
	Lang       string
	Title      string
	Path       string
	Caller     domain.Caller
	UserName   string
	CSRF       string
	Flash      string
	FlashError bool
	Unread     int64
	Data       any
}

func (s *Site) page(c *gin.Context, title string, data any) page {
	p := page{Lang: lang(c), Title: title, Path: c.Request.URL.RequestURI(), Caller: callerOf(c), CSRF: csrfToken(c), Data: data}
	p.UserName = c.GetString("user_name")
	if f, err := c.Cookie("gz_flash"); err == nil && f != "" {
		msg, _ := url.QueryUnescape(f)
		p.Flash, p.FlashError = strings.TrimPrefix(msg, "!"), strings.HasPrefix(msg, "!")
		c.SetCookie("gz_flash", "", -1, "/", "", s.secure, true)
	}
	if p.Caller.Signed() {
		_, _, unread, err := s.Store.Notifications(c.Request.Context(), p.Caller, true, pageOne)
		if err == nil {
			p.Unread = unread
		}
	}
	return p
}

// render writes a page (or, with partial, one named template of it).
func (s *Site) render(c *gin.Context, status int, name, title string, data any) {
	s.renderTemplate(c, status, name, "layout.html", s.page(c, title, data))
}

func (s *Site) renderTemplate(c *gin.Context, status int, name, tmpl string, p page) {
	t, ok := s.pages[name]
	if !ok {
		c.String(http.StatusInternalServerError, "missing template")
		return
	}
	c.Status(status)
	c.Header("Content-Type", "text/html; charset=utf-8")
	c.Header("Cache-Control", "no-store")
	if err := t.ExecuteTemplate(c.Writer, tmpl, p); err != nil {
		s.Log.Error("render", "page", name, "err", err)
	}
}

// flash stores a one-time message shown on the next page; "!" marks errors.
func (s *Site) flash(c *gin.Context, msg string, isError bool) {
	if isError {
		msg = "!" + msg
	}
	c.SetCookie("gz_flash", url.QueryEscape(msg), 60, "/", "", s.secure, true)
}

// fail shows an error: not-found and scope errors as 404, others with their message.
func (s *Site) fail(c *gin.Context, err error) {
	code := domain.CodeOf(err)
	status := http.StatusBadRequest
	msg := s.cat.t(lang(c), "error.generic")
	var de *domain.Error
	errors.As(err, &de)
	switch {
	case code == domain.CodeNotFound:
		status, msg = http.StatusNotFound, s.cat.t(lang(c), "error.not_found")
	case code == domain.CodeInternal || de == nil:
		s.Log.Error("web", "path", c.Request.URL.Path, "err", err)
		status = http.StatusInternalServerError
		msg += "internal error"
	default:
		if code == domain.CodeForbidden {
			status = http.StatusForbidden
		}
		msg += de.Message
		for f, r := range de.Fields {
			msg += "；" + f + "：" + r
		}
	}
	s.render(c, status, "error", s.cat.t(lang(c), "error.title"), map[string]string{"Message": msg})
}

func lang(c *gin.Context) string { return c.GetString("lang") }

var pageOne = postgres.Page{Page: 1, PerPage: 1}
