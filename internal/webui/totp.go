package webui

import (
	"html/template"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/gradzone/gradzone/internal/domain"
)

// pendingCookie carries the signed token of a sign-in whose password was
// right and whose code is awaited (app.Accounts.SignInStart): the password
// itself is never put in the second step's form. HttpOnly, only sent to
// /login, gone after five minutes like the token.
const pendingCookie = "gz_login_pending"

func (s *Site) setPending(c *gin.Context, token string, maxAge int) {
	http.SetCookie(c.Writer, &http.Cookie{Name: pendingCookie, Value: token, Path: "/login", MaxAge: maxAge,
		HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteStrictMode})
}

// askCode shows the second step of the sign-in form, keeping the pending
// token (a fresh one from the first step, or the cookie's).
func (s *Site) askCode(c *gin.Context, status int, pending, failure string) {
	if pending != "" {
		s.setPending(c, pending, 300)
	}
	v := s.loginView(c, c.PostForm("next"), "", failure)
	v.Code = true
	s.render(c, status, v)
}

// loginCode is the second step: the code (or a recovery code) with the
// pending token, throttled like the first step under the same account.
func (s *Site) loginCode(c *gin.Context) {
	pending, _ := c.Cookie(pendingCookie)
	sess, err := s.Accounts.SignInFinish(c.Request.Context(), pending, c.PostForm("code"), c.ClientIP())
	switch {
	case err == nil:
	case domain.CodeOf(err) == domain.CodeInvalidCredentials, domain.CodeOf(err) == domain.CodeTOTPRequired:
		s.askCode(c, http.StatusUnauthorized, "", s.cat.t(lang(c), "totp.wrong"))
		return
	case domain.CodeOf(err) == domain.CodeAccountDisabled:
		// Disabled between the two steps: no code will help.
		s.setPending(c, "", -1)
		s.loginFailed(c, "", err)
		return
	case domain.CodeOf(err) == domain.CodeUnauthenticated:
		// Expired or never started: back to the password.
		s.setPending(c, "", -1)
		s.render(c, http.StatusUnauthorized, s.loginView(c, c.PostForm("next"), "", s.message(c, err)))
		return
	default:
		s.loginFailed(c, "", err)
		return
	}
	s.setPending(c, "", -1)
	s.signedIn(c, sess)
}

// TOTPPage is an account's two-factor page under 账户: on (with the form
// that turns it off), being enrolled (QR code, key, confirm form), or off;
// Recovery holds the codes right after turning on, shown this once.
type TOTPPage struct {
	Layout
	Status    domain.TOTPStatus
	Enrolment *domain.TOTPEnrolment
	// QR is the enrolment's QR code, a data: URL the server made; OTPAuth
	// its otpauth:// link, which opens the authenticator app on the phone
	// that shows the page (a phone cannot scan its own screen: an account
	// walk).
	QR       template.URL
	OTPAuth  template.URL
	Recovery []string
	// Replaced: Recovery replaced earlier codes, which no longer work.
	Replaced bool
	Form     Form
}

func (*TOTPPage) template() string { return "account/totp" }

// SecretGroups is the enrolment's key in groups of four, to type it into
// an app by hand (authenticators skip the spaces).
func (p *TOTPPage) SecretGroups() string {
	if p.Enrolment == nil {
		return ""
	}
	var groups []string
	for s := p.Enrolment.Secret; s != ""; {
		n := min(4, len(s))
		groups, s = append(groups, s[:n]), s[n:]
	}
	return strings.Join(groups, " ")
}

func (s *Site) registerTOTP(g *gin.RouterGroup) {
	g.POST("/login/code", s.loginCode)
	t := g.Group("/account/totp", signedIn())
	t.GET("", s.totpPage)
	t.POST("/begin", s.beginTOTP)
	t.POST("/confirm", s.confirmTOTP)
	t.POST("/off", s.disableTOTP)
	t.POST("/recovery-codes", s.newRecoveryCodes)
}

// renderTOTP draws the page as it stands, with f's errors and recovery
// codes when just made (replaced: in place of earlier ones).
func (s *Site) renderTOTP(c *gin.Context, status int, f Form, recovery []string, replaced bool) {
	ctx, cl := c.Request.Context(), callerOf(c)
	st, err := s.Accounts.TOTPStatus(ctx, cl)
	if err != nil {
		s.fail(c, err)
		return
	}
	v := &TOTPPage{Layout: s.layout(c, s.cat.t(lang(c), "totp.title")), Status: st, Recovery: recovery, Replaced: replaced, Form: f}
	if e, ok, err := s.Accounts.PendingTOTP(ctx, cl); err != nil {
		s.fail(c, err)
		return
	} else if ok {
		v.Enrolment, v.QR, v.OTPAuth = &e, template.URL(e.QR), template.URL(e.URL) // both made by the server
	}
	s.render(c, status, v)
}

func (s *Site) totpPage(c *gin.Context) { s.renderTOTP(c, http.StatusOK, Form{}, nil, false) }

func (s *Site) beginTOTP(c *gin.Context) {
	if _, err := s.Accounts.BeginTOTP(c.Request.Context(), callerOf(c)); err != nil {
		s.outcome(c, "/account/totp", "", err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/account/totp")
}

func (s *Site) confirmTOTP(c *gin.Context) {
	rc, err := s.Accounts.ConfirmTOTP(c.Request.Context(), callerOf(c), c.PostForm("code"))
	s.totpDone(c, "", err, func() { s.renderTOTP(c, http.StatusOK, Form{}, rc.Codes, false) })
}

func (s *Site) disableTOTP(c *gin.Context) {
	err := s.Accounts.DisableTOTP(c.Request.Context(), callerOf(c), c.PostForm("password"), c.PostForm("code"))
	s.totpDone(c, "", err, func() { s.back(c, "/account/totp", "✓ "+s.cat.t(lang(c), "totp.turned_off"), false) })
}

// newRecoveryCodes's fields are named apart (rc_) from turning it off's, on
// the same page: an error must stand beside the form that was sent.
func (s *Site) newRecoveryCodes(c *gin.Context) {
	rc, err := s.Accounts.NewRecoveryCodes(c.Request.Context(), callerOf(c), c.PostForm("rc_password"), c.PostForm("rc_code"))
	s.totpDone(c, "rc_", err, func() { s.renderTOTP(c, http.StatusOK, Form{}, rc.Codes, true) })
}

// totpDone answers a form of the page: field errors beside their fields
// (named with the form's prefix; 422, the page as it stands), another
// refusal as a flash, else ok.
func (s *Site) totpDone(c *gin.Context, prefix string, err error, ok func()) {
	if fields := fieldErrors(err); fields != nil {
		named := make(map[string]string, len(fields))
		for k, r := range fields {
			named[prefix+k] = r
		}
		s.renderTOTP(c, http.StatusUnprocessableEntity, s.failedForm(c, nil, named), nil, false)
		return
	}
	if err != nil {
		s.outcome(c, "/account/totp", "", err)
		return
	}
	ok()
}
