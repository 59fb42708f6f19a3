package webui

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/gradzone/gradzone/internal/domain"
)

// applicationLink is where a notification's /applications/{id} link lands:
// the graduate's own list, or the employer's board of that opening, each
// scrolled to the application. Scope is the use case's: anyone else gets 404.
func (s *Site) applicationLink(c *gin.Context) {
	cl := callerOf(c)
	a, err := s.App.Application(c.Request.Context(), cl, c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	anchor := "#app-" + a.ID
	switch cl.Role {
	case domain.RoleGraduate:
		c.Redirect(http.StatusSeeOther, "/me"+anchor)
	case domain.RoleEmployer:
		c.Redirect(http.StatusSeeOther, "/employer/openings/"+a.OpeningID+anchor)
	default:
		s.fail(c, domain.ErrNotFound)
	}
}

// styleBareErrors gives a request refused without a page (a bare 403 from
// a role or CSRF check, a 429 or 503 from a guard) the site's styled error
// page in the reader's language, instead of an empty body.
func (s *Site) styleBareErrors(c *gin.Context) {
	c.Next()
	status := c.Writer.Status()
	if c.Writer.Written() || status < 400 || c.Request.Method == http.MethodHead {
		return
	}
	key := map[int]string{
		http.StatusForbidden:          "code.forbidden",
		http.StatusNotFound:           "error.not_found",
		http.StatusTooManyRequests:    "code.rate_limited",
		http.StatusServiceUnavailable: "code.unavailable",
	}[status]
	heading, signIn := "error.title", ""
	if c.GetBool(csrfRefused) {
		key = "error.csrf"
		// A form whose session has ended (signed out in another tab, or
		// timed out) was sent by a reader now signed out: "go back and
		// reload" led to the sign-in page anyway (a walk). Sign in, and
		// come back to the form's page.
		if c.GetBool(sessionEnded) {
			heading, key = "error.session_ended_title", "error.session_ended"
			signIn = "/login"
			if back := formPage(c); back != "" {
				signIn += "?next=" + url.QueryEscape(back)
			}
		}
	}
	if key == "" {
		key = "error.generic"
	}
	if c.GetBool(csrfRefused) && !c.GetBool(sessionEnded) {
		if _, err := c.Cookie(s.formCookie()); err != nil {
			// Sent without its cookie: stale, or cookies blocked, where
			// reloading cannot help (a walk).
			key = "error.csrf_cookieless"
			if !c.GetBool(langChosen) {
				c.Set("lang", cookielessLang(c))
			}
		}
	}
	switch {
	case status == http.StatusNotFound:
		heading = "error.not_found_title"
	case status == http.StatusForbidden && !c.GetBool(csrfRefused):
		// A page or action of another role: nothing failed (a walk read
		// 出错了 / 您无权进行此操作 on an employer's visit to /me).
		heading = "error.forbidden_title"
		if c.Request.Method == http.MethodGet {
			key = "error.forbidden_page"
		}
	}
	h := s.cat.t(lang(c), heading)
	s.render(c, status, &ErrorPage{Layout: s.layout(c, h), Heading: h, Message: s.cat.t(lang(c), key), SignIn: signIn})
}

// cookielessLang is the language of the page refusing a form sent without
// cookies (blocked): the language cookie could not come back either, so the
// reader's choice is the form's own (the signed-out forms carry their page's
// language as "lang"), else the first of zh and en the browser asks for
// (Accept-Language), else Chinese. A sign-in's refusal spoke Chinese to a
// reader of the English page (a walk).
func cookielessLang(c *gin.Context) string {
	if l := c.PostForm("lang"); l == "zh" || l == "en" {
		return l
	}
	best, bestQ := "zh", 0.0
	for _, part := range strings.Split(c.GetHeader("Accept-Language"), ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		primary, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(tag)), "-")
		if primary != "zh" && primary != "en" {
			continue
		}
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		if q > bestQ {
			best, bestQ = primary, q
		}
	}
	return best
}

// csrfRefused marks a request checkCSRF refused: its page explains that the
// form was stale rather than that the user lacks a right; sessionEnded, that
// the form was made for a session that has ended.
const (
	csrfRefused  = "csrf_refused"
	sessionEnded = "session_ended"
)
