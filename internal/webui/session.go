package webui

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/gradzone/gradzone/internal/app"
	"github.com/gradzone/gradzone/internal/auth"
	"github.com/gradzone/gradzone/internal/domain"
)

// langCookie keeps the reader's language; the session and form cookies
// are named for the deployment (formCookie).
const langCookie = "gz_lang"

// withLang picks the language of the request (pickLang).
func (s *Site) withLang(c *gin.Context) {
	s.pickLang(c)
	c.Next()
}

// pickLang sets the page's language: ?lang= (remembered), the cookie, else
// Chinese.
func (s *Site) pickLang(c *gin.Context) {
	l := c.Query("lang")
	chosen := true
	if l == "zh" || l == "en" {
		s.setCookie(c, langCookie, l, 365*24*3600)
	} else if ck, err := c.Cookie(langCookie); err == nil && (ck == "zh" || ck == "en") {
		l = ck
	} else {
		l, chosen = "zh", false
	}
	c.Set("lang", l)
	c.Set(langChosen, chosen)
}

// langChosen is set when the reader chose the page's language (?lang= or
// the cookie); a page opened from a mail may otherwise speak the mail's.
const langChosen = "lang_chosen"

// withSession resolves the signed-in user from the access cookie, refreshing
// it silently with the refresh cookie when it has expired.
func (s *Site) withSession(c *gin.Context) {
	s.pickSession(c, true)
	s.dropPlainSessionCookies(c)
	c.Next()
}

// dropPlainSessionCookies expires, on https, the session cookies under the
// names they had before the __Host- prefix: they are read no more (a
// planted one must not be taken), and a browser would send them until
// they expired (a review).
func (s *Site) dropPlainSessionCookies(c *gin.Context) {
	if !s.secure {
		return
	}
	for _, n := range []string{app.AccessCookie, app.RefreshCookie} {
		if _, err := c.Cookie(n); err == nil {
			http.SetCookie(c.Writer, &http.Cookie{Name: n, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: true, SameSite: http.SameSiteLaxMode})
		}
	}
}

// pickSession sets the caller from the access cookie and, when refresh is
// set and that has expired, from the refresh cookie, renewing both. The
// error page of an unknown address does not refresh: a browser asks such
// addresses alongside a page (a missing icon), and two refreshes with one
// token in flight read as its reuse, which ends the session.
func (s *Site) pickSession(c *gin.Context, refresh bool) {
	ctx := c.Request.Context()
	caller := domain.Anonymous
	// down remembers that a session was presented but could not be checked
	// because a dependency is down: such a reader is not anonymous, and a page
	// that needs sign-in answers 503 instead of the sign-in page.
	var down error
	// presented: the browser sent a session, which may have ended since
	// (signed out elsewhere, a changed password, an account disabled).
	presented := false
	if tok, err := c.Cookie(s.accessCookie()); err == nil && tok != "" {
		presented = true
		if cl, _, _, err := s.Accounts.Authenticate(ctx, tok); err == nil {
			caller = cl
		} else if domain.CodeOf(err) == domain.CodeUnavailable {
			down = err
		}
	}
	if !caller.Signed() && refresh {
		if rt, err := c.Cookie(s.refreshCookie()); err == nil && rt != "" {
			presented = true
			if sess, err := s.Accounts.Refresh(ctx, rt); err == nil {
				s.setSession(c, sess)
				if cl, _, _, err := s.Accounts.Authenticate(ctx, sess.AccessToken); err == nil {
					caller = cl
				}
			} else if domain.CodeOf(err) == domain.CodeUnauthenticated {
				// Only a refused token ends the session; the database
				// being down for a moment must not sign anyone out.
				s.clearSession(c)
			} else if domain.CodeOf(err) == domain.CodeUnavailable {
				down = err
			}
		}
	}
	c.Set("caller", caller)
	if down != nil && !caller.Signed() {
		c.Set(sessionUnchecked, down)
	}
	if presented && down == nil && !caller.Signed() && refresh {
		// A page that needs a session sends the reader to sign in saying
		// the session ended (a walk: a bare form), the same words whatever
		// ended it: why is told to the right password only.
		c.Set(sessionLapsed, func() { s.flash(c, s.cat.t(lang(c), "login.session_ended"), false) })
	}
	if caller.Signed() {
		if u, err := s.App.User(ctx, caller.UserID); err == nil {
			c.Set("user_name", u.Name)
		}
	}
}

// RenewSession renews the web session for a request into the API: a page
// of the site links and fetches into /api/v1 with its cookies, and after
// the access cookie's 15 minutes the API would answer those 401 while the
// pages, which renew, still show the reader signed in. With no bearer token
// and no valid access cookie, a refresh cookie is spent for new cookies,
// and the request goes on carrying the new access token. Anything else
// passes untouched; the API decides as before.
func (s *Site) RenewSession(c *gin.Context) {
	if c.GetHeader("Authorization") != "" {
		return
	}
	ctx := c.Request.Context()
	if tok, err := c.Cookie(s.accessCookie()); err == nil && tok != "" {
		if _, _, _, err := s.Accounts.Authenticate(ctx, tok); err == nil || domain.CodeOf(err) != domain.CodeUnauthenticated {
			return
		}
	}
	rt, err := c.Cookie(s.refreshCookie())
	if err != nil || rt == "" {
		return
	}
	sess, err := s.Accounts.Refresh(ctx, rt)
	if err != nil {
		if domain.CodeOf(err) == domain.CodeUnauthenticated {
			s.clearSession(c)
		}
		return
	}
	s.setSession(c, sess)
	// The API reads the access cookie from the request: give it the new one.
	cookies := c.Request.Cookies()
	c.Request.Header.Del("Cookie")
	for _, ck := range cookies {
		if ck.Name != s.accessCookie() && ck.Name != s.refreshCookie() {
			c.Request.AddCookie(ck)
		}
	}
	c.Request.AddCookie(&http.Cookie{Name: s.accessCookie(), Value: sess.AccessToken})
}

// sessionLapsed is the context key under which pickSession leaves, for a
// request whose session was presented and has ended, what flashes that on
// the sign-in page signedIn sends it to.
const sessionLapsed = "session_lapsed"

// sessionUnchecked is the context key under which withSession leaves the
// error that kept it from checking a presented session.
const sessionUnchecked = "session_unchecked"

func callerOf(c *gin.Context) domain.Caller {
	v, _ := c.Get("caller")
	cl, _ := v.(domain.Caller)
	return cl
}

func (s *Site) setSession(c *gin.Context, sess domain.Session) {
	http.SetCookie(c.Writer, &http.Cookie{Name: s.accessCookie(), Value: sess.AccessToken, Path: "/", MaxAge: int(auth.AccessTTL.Seconds()),
		HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode})
	http.SetCookie(c.Writer, &http.Cookie{Name: s.refreshCookie(), Value: sess.RefreshToken, Path: "/", MaxAge: int(auth.RefreshTTL.Seconds()),
		HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode})
}

func (s *Site) clearSession(c *gin.Context) {
	for _, n := range []string{s.accessCookie(), s.refreshCookie()} {
		http.SetCookie(c.Writer, &http.Cookie{Name: n, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode})
	}
}

// csrfToken returns the request's form token (app.Accounts.FormToken: the
// form cookie's random value bound to the reader's session), issuing the
// cookie when missing. Forms carry it in _csrf; the page's script reads it
// from the csrf-token meta element for the X-CSRF-Token header.
func (s *Site) csrfToken(c *gin.Context) string {
	if v := c.GetString("csrf"); v != "" {
		return v
	}
	random, err := c.Cookie(s.formCookie())
	if err != nil || len(random) != app.FormCookieLength {
		b := make([]byte, app.FormCookieLength/2)
		_, _ = rand.Read(b)
		random = hex.EncodeToString(b)
		// HttpOnly: the page's script reads the token from the page, not
		// the cookie.
		http.SetCookie(c.Writer, &http.Cookie{Name: s.formCookie(), Value: random, Path: "/", MaxAge: 24 * 3600 * 30, Secure: s.secure,
			HttpOnly: true, SameSite: http.SameSiteLaxMode})
	}
	tok := s.Accounts.FormToken(random, callerOf(c).SessionID)
	c.Set("csrf", tok)
	return tok
}

// sessionDoors are the forms that start or end a session.
var sessionDoors = map[string]bool{"/login": true, "/login/code": true, "/logout": true}

// formCookie, accessCookie and refreshCookie are the cookies' names: on
// https with the __Host- prefix (app.CookieName). That matters most for
// signed-out forms (sign-in, registration), whose token is bound to the
// form cookie alone (a review), and for the session, which a planted
// cookie would swap for the attacker's.
func (s *Site) formCookie() string    { return app.CookieName(app.FormCookie, s.secure) }
func (s *Site) accessCookie() string  { return app.CookieName(app.AccessCookie, s.secure) }
func (s *Site) refreshCookie() string { return app.CookieName(app.RefreshCookie, s.secure) }

// checkCSRF rejects unsafe requests whose form token is not the one of
// the form cookie and the session (withSession runs first).
func (s *Site) checkCSRF(c *gin.Context) {
	if c.Request.Method == http.MethodGet || c.Request.Method == http.MethodHead {
		s.csrfToken(c)
		c.Next()
		return
	}
	random, _ := c.Cookie(s.formCookie())
	sent := c.PostForm("_csrf")
	if sent == "" {
		sent = c.GetHeader("X-CSRF-Token")
	}
	ok := s.Accounts.FormTokenOK(random, callerOf(c).SessionID, sent)
	// The doors of the session itself also take a signed-out page's token:
	// a sign-in or sign-out form left open while another tab signed in or
	// out read "page expired" (a walk). Their token is the cookie's alone,
	// as a signed-out form's always is.
	if !ok && sessionDoors[c.FullPath()] {
		ok = s.Accounts.FormTokenOK(random, "", sent) ||
			// signing out a reader already signed out changes nothing
			c.FullPath() == "/logout" && !callerOf(c).Signed()
	}
	if !ok {
		// A session that could not be checked (the database is down) is
		// not a stale form: the styled 503, as signedIn answers.
		if sessionDown(c) {
			return
		}
		// No body here: styleBareErrors draws the page. A signed-out
		// reader whose form cookie is there sent a form made for a session
		// that has ended (signed out elsewhere, or timed out); without the
		// cookie (blocked, cleared) it is a stale page like any other.
		c.Set(csrfRefused, true)
		if !callerOf(c).Signed() && len(random) == app.FormCookieLength && !sessionDoors[c.FullPath()] {
			c.Set(sessionEnded, true)
		}
		c.Status(http.StatusForbidden)
		c.Abort()
		return
	}
	c.Set("csrf", sent)
	c.Next()
}

// sessionDown answers the styled 503 page, and reports true, when the
// reader has a session that cannot be checked right now (withSession):
// not a sign-in form, or a stale form's page, that would fail too.
func sessionDown(c *gin.Context) bool {
	err, down := c.Get(sessionUnchecked)
	if !down || callerOf(c).Signed() {
		return false
	}
	// No body here: styleBareErrors draws the page.
	retry := 5
	var de *domain.Error
	if errors.As(err.(error), &de) && de.RetryAfter > 0 {
		retry = de.RetryAfter
	}
	c.Header("Retry-After", strconv.Itoa(retry))
	c.Status(http.StatusServiceUnavailable)
	c.Abort()
	return true
}

// signedIn sends anonymous visitors to the sign-in page.
func signedIn(roles ...domain.Role) gin.HandlerFunc {
	return func(c *gin.Context) {
		cl := callerOf(c)
		if sessionDown(c) {
			return
		}
		if !cl.Signed() {
			if say, ok := c.Get(sessionLapsed); ok {
				if say, ok := say.(func()); ok {
					say()
				}
			}
			c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(c.Request.URL.RequestURI()))
			c.Abort()
			return
		}
		if len(roles) > 0 {
			for _, r := range roles {
				if cl.Role == r {
					c.Next()
					return
				}
			}
			c.Status(http.StatusForbidden) // styleBareErrors draws the page
			c.Abort()
			return
		}
		c.Next()
	}
}

// safeNext keeps redirects on this site: "" when the request named no
// target (the caller picks its default), else domain.SafeRedirect's answer.
func safeNext(next string) string {
	if next == "" {
		return ""
	}
	return domain.SafeRedirect(next)
}
