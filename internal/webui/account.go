package webui

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/gradzone/gradzone/internal/domain"
)

// LoginPage is the sign-in form.
type LoginPage struct {
	Layout
	// Next is where to go after signing in (a path on this site, or "").
	Next string
	// Email is kept after a failed attempt; Error says why it failed (the
	// password, marked), Refusal why the right one was refused (a disabled
	// account: a box above the fields, no field at fault).
	Email, Error, Refusal string
	// Code: the password was right and the account has two-factor sign-in
	// on, so the page asks for the code (the second step).
	Code bool
}

func (*LoginPage) template() string { return "account/login" }

func (s *Site) loginView(c *gin.Context, next, email, failure string) *LoginPage {
	return &LoginPage{Layout: s.layout(c, s.cat.t(lang(c), "login.title")), Next: safeNext(next), Email: email, Error: failure}
}

func (s *Site) loginPage(c *gin.Context) {
	s.render(c, http.StatusOK, s.loginView(c, c.Query("next"), "", ""))
}

func (s *Site) login(c *gin.Context) {
	email := c.PostForm("email")
	// The same throttle as the API's sign-in (one count per account).
	sess, pending, err := s.Accounts.SignInStart(c.Request.Context(), email, c.PostForm("password"), c.ClientIP())
	if pending != "" {
		s.askCode(c, http.StatusOK, pending, "")
		return
	}
	if err != nil {
		s.loginFailed(c, email, err)
		return
	}
	s.signedIn(c, sess)
}

// signedIn starts the browser's session and goes where the sign-in was
// headed (the form's next), else the role's home.
func (s *Site) signedIn(c *gin.Context, sess domain.Session) {
	s.setSession(c, sess)
	next := safeNext(c.PostForm("next"))
	if next == "" {
		next = home(sess.User.Role)
	}
	c.Redirect(http.StatusSeeOther, next)
}

// loginFailed shows the form again with why: 401 for wrong credentials;
// 403 and what to do for a disabled account (the right password); 429 with
// Retry-After and the time to retry when throttled; the error's own status
// (503 when the database is down) otherwise.
func (s *Site) loginFailed(c *gin.Context, email string, err error) {
	status, msg := http.StatusUnauthorized, s.cat.t(lang(c), "login.failed")
	var de *domain.Error
	switch {
	case errors.As(err, &de) && de.Code == domain.CodeRateLimited:
		status, msg = http.StatusTooManyRequests, s.message(c, err)
		if de.RetryAfter > 0 {
			// One sentence, with the way out a reset gives (an account walk
			// read "try again later" twice).
			c.Header("Retry-After", strconv.Itoa(de.RetryAfter))
			msg = strings.ReplaceAll(s.cat.t(lang(c), "login.locked"), "{d}", waitText(lang(c), de.RetryAfter))
		}
	case domain.CodeOf(err) == domain.CodeAccountDisabled:
		v := s.loginView(c, c.PostForm("next"), email, "")
		v.Refusal = s.message(c, err)
		s.render(c, http.StatusForbidden, v)
		return
	case domain.CodeOf(err) != domain.CodeInvalidCredentials:
		s.fail(c, err)
		return
	}
	s.render(c, status, s.loginView(c, c.PostForm("next"), email, msg))
}

// waitText is a wait in whole minutes (or seconds under one), in the
// reader's language.
func waitText(l string, seconds int) string {
	if seconds < 60 {
		if l == "en" {
			return strconv.Itoa(seconds) + " s"
		}
		return strconv.Itoa(seconds) + " 秒"
	}
	m := (seconds + 59) / 60
	if l == "en" {
		return strconv.Itoa(m) + " min"
	}
	return strconv.Itoa(m) + " 分钟"
}

// home is where a role lands after signing in.
func home(r domain.Role) string {
	switch {
	case r == domain.RoleGraduate:
		return "/me"
	case r == domain.RoleEmployer:
		return "/employer"
	case r.IsStaff():
		return "/staff"
	}
	return "/"
}

func (s *Site) logout(c *gin.Context) {
	cl := callerOf(c)
	if cl.Signed() {
		tok, _ := c.Cookie(s.accessCookie())
		rt, _ := c.Cookie(s.refreshCookie())
		if _, jti, exp, err := s.Accounts.Authenticate(c.Request.Context(), tok); err == nil {
			_ = s.Accounts.Logout(c.Request.Context(), cl, jti, exp, rt)
		}
	}
	s.clearSession(c)
	s.flash(c, "✓ "+s.cat.t(lang(c), "flash.signed_out"), false)
	c.Redirect(http.StatusSeeOther, "/")
}

// RegisterPage holds the two registration forms, graduate and employer, and
// the choices their selects offer.
type RegisterPage struct {
	Layout
	OrgChoices
	Degrees []string
	// Graduate and Employer are the two forms: defaults, or what was sent
	// to the one that failed, with its errors beside its fields.
	Graduate, Employer Form
}

func (*RegisterPage) template() string { return "account/register" }

// registerView builds the page; failed is the form that was sent, by role.
func (s *Site) registerView(c *gin.Context, role string, failed Form) *RegisterPage {
	v := &RegisterPage{Layout: s.layout(c, s.cat.t(lang(c), "register.title")), OrgChoices: s.orgChoices(c), Degrees: domain.Degrees,
		Graduate: Form{Values: map[string]string{"graduation_year": strconv.Itoa(s.today().Year)}}}
	switch role {
	case "graduate":
		v.Graduate = failed
	case "employer":
		v.Employer = failed
	}
	return v
}

// postedOrganisation is the organisation a form sent with the
// "organisation-fields" partial (sign-up, a correction).
func postedOrganisation(c *gin.Context) domain.Organisation {
	f := c.PostForm
	return domain.Organisation{OrgDetails: domain.OrgDetails{Name: f("org_name"), CreditCode: f("credit_code"), Type: f("type"), Size: f("size"),
		Industry: f("industry"), ProvinceCode: f("province_code")}, ZoneCode: f("zone_code")}
}

// OrgChoices are the lists an organisation's fields choose from (the
// "organisation-fields" partial: sign-up, and a pending employer's
// correction).
type OrgChoices struct {
	Zones      []domain.Zone
	Provinces  []domain.Province
	Industries []domain.Term
	Types      []string
	Sizes      []string
}

// OrgFieldsArgs feed the "organisation-fields" partial: the form, and the
// prefix of its fields' error names ("employer." at sign-up).
type OrgFieldsArgs struct {
	OrgChoices
	Lang      string
	Form      Form
	ErrPrefix string
}

// OrgFields gives the partial its arguments.
func (o OrgChoices) OrgFields(lang string, f Form, errPrefix string) OrgFieldsArgs {
	return OrgFieldsArgs{OrgChoices: o, Lang: lang, Form: f, ErrPrefix: errPrefix}
}

func (s *Site) orgChoices(c *gin.Context) OrgChoices {
	zones, _ := s.App.Zones(c.Request.Context(), "")
	provinces, _ := s.App.Provinces(c.Request.Context())
	return OrgChoices{Zones: zones, Provinces: provinces, Industries: domain.Industries, Types: domain.EmployerTypes, Sizes: domain.EmployerSizes}
}

// Fields of the two registration forms, carried back after an error (never the password).
var (
	graduateFields = []string{"name", "email", "university", "degree", "major", "graduation_year", "consent"}
	employerFields = []string{"name", "email", "org_name", "credit_code", "type", "size", "industry", "province_code", "zone_code", "consent"}
)

// registerPage offers the sign-up forms; someone signed in goes to their
// own home instead (an account walk was offered both forms).
func (s *Site) registerPage(c *gin.Context) {
	if cl := callerOf(c); cl.Signed() {
		c.Redirect(http.StatusSeeOther, home(cl.Role))
		return
	}
	s.render(c, http.StatusOK, s.registerView(c, "", Form{}))
}

func (s *Site) register(c *gin.Context) {
	ctx := c.Request.Context()
	f := func(k string) string { return c.PostForm(k) }
	var sess domain.Session
	var err error
	switch f("role") {
	case "graduate":
		year, _ := strconv.Atoi(f("graduation_year"))
		sess, err = s.Accounts.RegisterGraduate(ctx, domain.GraduateRegistration{Email: f("email"), Password: f("password"), Name: f("name"),
			University: f("university"), Degree: f("degree"), Major: f("major"), GraduationYear: year, Language: lang(c), Consent: f("consent") == "yes"})
	case "employer":
		sess, err = s.Accounts.RegisterEmployer(ctx, domain.EmployerRegistration{Email: f("email"), Password: f("password"), Name: f("name"),
			Organisation: postedOrganisation(c), Language: lang(c), Consent: f("consent") == "yes"})
	default:
		err = domain.FieldError("role", "must be graduate or employer")
	}
	if err != nil {
		err = takenBeside(err, map[domain.Code]string{domain.CodeEmailTaken: "email", domain.CodeCreditCodeTaken: "employer.credit_code"})
		de, ok := err.(*domain.Error)
		if !ok || de.Code == domain.CodeRateLimited { // 429 with Retry-After, on the error page
			s.fail(c, err)
			return
		}
		fields := de.Fields
		if len(fields) == 0 { // any other refusal naming no field: by the address
			fields = map[string]string{"email": de.Message}
		}
		names := graduateFields
		if f("role") == "employer" {
			names = employerFields
		}
		s.render(c, http.StatusUnprocessableEntity, s.registerView(c, f("role"), s.failedForm(c, posted(c, names...), fields)))
		return
	}
	s.setSession(c, sess)
	// The page it lands on says the sign-up worked (a walk found only the
	// desk's notes of what was still to do).
	done := "register.done"
	if sess.User.Role == domain.RoleEmployer {
		done = "register.done_employer"
	}
	s.back(c, home(sess.User.Role), "✓ "+s.cat.t(lang(c), done), false)
}

// saveProfile saves the graduate's profile; field errors come back on /me.
func (s *Site) saveProfile(c *gin.Context) {
	phone, major, statement := c.PostForm("phone"), c.PostForm("major"), c.PostForm("statement")
	cities, skills := splitList(c.PostForm("preferred_cities")), splitList(c.PostForm("skills"))
	patch := domain.ProfilePatch{Phone: &phone, Major: &major, Statement: &statement, PreferredCities: &cities, Skills: &skills}
	// What sign-up took can be corrected here too; a form without these
	// fields leaves them as they are.
	if u, ok := c.GetPostForm("university"); ok {
		patch.University = &u
	}
	if n, ok := c.GetPostForm("name"); ok { // the name employers read (an account walk found no way to mend it)
		patch.Name = &n
	}
	if d, ok := c.GetPostForm("degree"); ok {
		patch.Degree = &d
	}
	var err error
	if y, ok := c.GetPostForm("graduation_year"); ok {
		n, convErr := strconv.Atoi(strings.TrimSpace(y))
		if convErr != nil {
			err = domain.FieldError("graduation_year", "must be a year near the present")
		}
		patch.GraduationYear = &n
	}
	if err == nil {
		_, err = s.App.UpdateProfile(c.Request.Context(), callerOf(c), patch)
	}
	// A refused profile shows /me again with 200, as before: the errors are at their fields.
	if s.refused(c, err, posted(c, profileFields...), func(f Form) { showForm(s, c, s.meView, f) }) {
		return
	}
	s.outcome(c, "/me", "me.profile_saved", nil)
}

func (s *Site) uploadResume(c *gin.Context) {
	content, _, sent, err := uploaded(c, domain.MaxResumeBytes)
	if err == nil && !sent {
		err = domain.FieldError("file", `send the PDF as multipart form field "file"`)
	}
	if err == nil {
		// The same upload as the API's: a file that cannot be written is an
		// error, never a recorded name without a file.
		err = s.App.UploadResume(c.Request.Context(), callerOf(c), content)
	}
	// A refused file says why (not a PDF, none chosen, over 5 MB).
	if code := domain.CodeOf(err); code == domain.CodeValidation || code == domain.CodeTooLarge {
		s.outcome(c, "/me", "", err)
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	s.outcome(c, "/me", "me.resume_saved", nil)
}

// deleteResume removes the graduate's résumé (asked first on /me).
func (s *Site) deleteResume(c *gin.Context) {
	s.outcome(c, "/me", "me.resume_deleted", s.App.DeleteResume(c.Request.Context(), callerOf(c)))
}

// NotificationsPage lists the signed-in user's latest notifications.
type NotificationsPage struct {
	Layout
	Items []domain.Notification
}

func (*NotificationsPage) template() string { return "account/notifications" }

func (s *Site) notificationsPage(c *gin.Context) {
	items, _, _, err := s.App.Notifications(c.Request.Context(), callerOf(c), false, domain.Page{Page: 1, PerPage: 50})
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusOK, &NotificationsPage{Layout: s.layout(c, s.cat.t(lang(c), "me.notifications")), Items: items})
}

func (s *Site) readNotifications(c *gin.Context) {
	_ = s.App.MarkAllNotificationsRead(c.Request.Context(), callerOf(c))
	c.Redirect(http.StatusSeeOther, "/notifications")
}

// registerAccount adds the pages of the account itself: address
// verification, the forgotten-password pair, and the account page with
// its change-password form. Each calls the same app function as the API.
func (s *Site) registerAccount(g *gin.RouterGroup) {
	g.GET("/verify-email", s.verifyEmailPage)
	g.POST("/verify-email", s.confirmEmailChange)
	g.GET("/forgot-password", s.forgotPage)
	g.POST("/forgot-password", s.forgot)
	g.GET("/reset-password", s.resetPage)
	g.POST("/reset-password", s.reset)
	g.GET("/account", signedIn(), s.accountPage)
	g.POST("/account/password", signedIn(), s.changePassword)
	g.POST("/account/email", signedIn(), s.changeEmail)
	g.POST("/account/email/cancel", signedIn(), s.cancelEmailChange)
	g.POST("/account/verify-email/resend", signedIn(), s.resendVerification)
	s.registerTOTP(g)
}

// resendVerification mails the caller a new verification link and goes
// back to the page the button was on.
func (s *Site) resendVerification(c *gin.Context) {
	next := safeNext(c.PostForm("next"))
	if next == "" {
		next = "/account"
	}
	if err := s.Accounts.ResendVerification(c.Request.Context(), callerOf(c)); err != nil {
		s.back(c, next, s.message(c, err), true)
		return
	}
	s.back(c, next, "✓ "+s.cat.t(lang(c), "account.verification_resent"), false)
}

// VerifyEmailPage says whether the link of the verification mail worked.
type VerifyEmailPage struct {
	Layout
	OK bool
	// Already: the link was for an address verified before (opened twice).
	Already bool
	// Address is the address verified (when OK or Already).
	Address string
	// LangQuery keeps the mail's language on the way on ("?lang=en"), when
	// the page took it from the mail rather than the reader's choice.
	LangQuery string
	// Changed: the link confirmed a change of address (Address is the new
	// one); Taken: another account took that address meanwhile (409).
	Changed, Taken bool
	// ChangeLink: the link, which could not be spent, was a change of
	// address's.
	ChangeLink bool
	// Confirm: the link is a change of address to Address, made only when
	// the reader confirms it (Token goes back with the form).
	Confirm bool
	Token   string
}

func (*VerifyEmailPage) template() string { return "account/verify" }

// Heading is the i18n key of the page's heading: a change of address's
// link, made, refused or dead, is headed as one (a walk: 「验证邮箱」 over
// a cancelled change's link).
func (p *VerifyEmailPage) Heading() string {
	switch {
	case p.Changed:
		return "verify.changed_title"
	case p.Taken || p.ChangeLink:
		return "verify.change_title"
	}
	return "verify.title"
}

// verifyEmailPage verifies on opening the link: verifying is harmless to
// repeat, and the mail's reader should need no further click. A change of
// address is not made on opening: its page asks for a click
// (confirmEmailChange), so a mail scanner opening the link in a mistyped
// address's mailbox cannot hand it the account (review36).
func (s *Site) verifyEmailPage(c *gin.Context) {
	token := c.Query("token")
	to, language, err := s.Accounts.EmailChangeOfLink(c.Request.Context(), token)
	if err != nil {
		s.fail(c, err)
		return
	}
	if to != "" {
		v := &VerifyEmailPage{Confirm: true, Address: to, Token: token}
		// Its link has no lang (CONTRACT.md's {PUBLIC_URL}/verify-email?token=T):
		// a browser that never chose a language gets the mail's, and the
		// click keeps it.
		if language != "" && !c.GetBool(langChosen) {
			c.Set("lang", language)
			v.LangQuery = "?lang=" + language
		}
		v.Layout = s.layout(c, s.cat.t(lang(c), "verify.confirm_title"))
		s.render(c, http.StatusOK, v)
		return
	}
	s.showVerified(c, token)
}

// confirmEmailChange makes the change of address the page's link asked
// for, once its reader clicked, and says how it went.
func (s *Site) confirmEmailChange(c *gin.Context) { s.showVerified(c, c.PostForm("token")) }

// showVerified spends a mailed link (a verification, or a confirmed change
// of address) and shows the outcome. A link of an address verified already
// says so; a bad, used or expired one answers 422 with a way to get a new
// one. A browser that never chose a language (a mail app's) gets the page
// in the language the mail put first.
func (s *Site) showVerified(c *gin.Context, token string) {
	addr, err := s.Accounts.VerifyEmail(c.Request.Context(), token)
	taken := domain.CodeOf(err) == domain.CodeEmailTaken
	if err != nil && domain.CodeOf(err) != domain.CodeValidation && !taken {
		s.fail(c, err)
		return
	}
	v := &VerifyEmailPage{OK: err == nil, Already: domain.FieldReason(err, "token") == domain.ReasonVerifiedAlready, Address: addr.Email,
		Changed: addr.Changed, Taken: taken, ChangeLink: addr.ChangeLink}
	if addr.Language != "" && !c.GetBool(langChosen) {
		c.Set("lang", addr.Language)
		v.LangQuery = "?lang=" + addr.Language
	}
	status := http.StatusOK
	switch {
	case taken:
		status = http.StatusConflict
	case err != nil && !v.Already:
		status = http.StatusUnprocessableEntity
	}
	v.Layout = s.layout(c, s.cat.t(lang(c), v.Heading()))
	s.render(c, status, v)
}

// ForgotPage asks for the address to send a reset link to; Sent shows the
// answer, the same for every address.
type ForgotPage struct {
	Layout
	Sent bool
	Form Form
}

func (*ForgotPage) template() string { return "account/forgot" }

func (s *Site) forgotPage(c *gin.Context) {
	s.render(c, http.StatusOK, &ForgotPage{Layout: s.layout(c, s.cat.t(lang(c), "forgot.title"))})
}

func (s *Site) forgot(c *gin.Context) {
	v := &ForgotPage{Layout: s.layout(c, s.cat.t(lang(c), "forgot.title"))}
	err := s.Accounts.RequestPasswordReset(c.Request.Context(), c.PostForm("email"))
	if s.refused(c, err, posted(c, "email"), func(f Form) {
		v.Form = f
		s.render(c, http.StatusUnprocessableEntity, v)
	}) {
		return
	}
	v.Sent = true
	s.render(c, http.StatusOK, v)
}

// ResetPage is the form that sets a new password with the mail's token.
type ResetPage struct {
	Layout
	Token string
	Form  Form
	// Spent: the link no longer works; the page says so and shows no form.
	Spent bool
	// LangQuery keeps the mail's language on the form's way ("?lang=en"),
	// when the page took it from the mail.
	LangQuery string
}

func (*ResetPage) template() string { return "account/reset" }

// resetPage is what a reset mail's link opens. Its link has no lang (the
// contract's {PUBLIC_URL}/reset-password?token=T): a browser that never
// chose a language (a mail app's) gets the page in the mail's.
func (s *Site) resetPage(c *gin.Context) {
	token := c.Query("token")
	usable, language := s.Accounts.ResetLink(c.Request.Context(), token)
	var langQuery string
	if language != "" && !c.GetBool(langChosen) {
		c.Set("lang", language)
		langQuery = "?lang=" + language
	}
	v := &ResetPage{Layout: s.layout(c, s.cat.t(lang(c), "reset.title")), Token: token, LangQuery: langQuery}
	if !usable {
		// Used, expired or never sent: say so now, not after a new password.
		v.Spent = true
		s.render(c, http.StatusUnprocessableEntity, v)
		return
	}
	s.render(c, http.StatusOK, v)
}

// reset sets the new password; afterwards every session is over, this
// browser's too, so it goes to the sign-in page.
func (s *Site) reset(c *gin.Context) {
	token := c.PostForm("token")
	err := s.Accounts.ConfirmPasswordReset(c.Request.Context(), token, c.PostForm("password"))
	if s.refused(c, err, nil, func(f Form) {
		s.render(c, http.StatusUnprocessableEntity, &ResetPage{Layout: s.layout(c, s.cat.t(lang(c), "reset.title")), Token: token, Form: f})
	}) {
		return
	}
	s.clearSession(c)
	s.back(c, "/login", s.cat.t(lang(c), "reset.done"), false)
}

// AccountPage shows the signed-in user's address, whether it is verified,
// the change-of-address form (with a change waiting, if any) and the
// change-password form.
type AccountPage struct {
	Layout
	Me   domain.Me
	Form Form
	// TwoStep: two-step sign-in is on, so a change of address asks for a code.
	TwoStep bool
}

func (*AccountPage) template() string { return "account/account" }

func (s *Site) renderAccount(c *gin.Context, status int, f Form) {
	me, err := s.App.Me(c.Request.Context(), callerOf(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	st, err := s.Accounts.TOTPStatus(c.Request.Context(), callerOf(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, status, &AccountPage{Layout: s.layout(c, s.cat.t(lang(c), "account.title")), Me: me, Form: f, TwoStep: st.Enabled})
}

func (s *Site) accountPage(c *gin.Context) { s.renderAccount(c, http.StatusOK, Form{}) }

// changePassword keeps this browser's session and ends every other one.
func (s *Site) changePassword(c *gin.Context) {
	err := s.Accounts.ChangePassword(c.Request.Context(), callerOf(c), c.PostForm("current_password"), c.PostForm("new_password"))
	if s.refused(c, err, nil, func(f Form) { s.renderAccount(c, http.StatusUnprocessableEntity, f) }) {
		return
	}
	s.back(c, "/account", "✓ "+s.cat.t(lang(c), "account.password_changed"), false)
}

// changeEmail asks for a change of the caller's address: the link goes to
// the new address, the page says so and shows the change waiting. A
// refusal (the password, the address, or one another account has) comes
// back beside its field.
func (s *Site) changeEmail(c *gin.Context) {
	email := c.PostForm("email")
	err := s.Accounts.RequestEmailChange(c.Request.Context(), callerOf(c), email, c.PostForm("password"), c.PostForm("code"))
	err = takenBeside(err, map[domain.Code]string{domain.CodeEmailTaken: "email"})
	if s.refused(c, err, posted(c, "email"), func(f Form) { s.renderAccount(c, http.StatusUnprocessableEntity, f) }) {
		return
	}
	s.back(c, "/account", "✓ "+s.cat.tf(lang(c), "account.change_email_sent", domain.NormalizeEmail(email)), false)
}

// cancelEmailChange ends the caller's change of address waiting for its
// link (取消更换 on the card) and comes back to /account saying so.
func (s *Site) cancelEmailChange(c *gin.Context) {
	if err := s.Accounts.CancelEmailChange(c.Request.Context(), callerOf(c)); err != nil {
		s.back(c, "/account", s.message(c, err), true)
		return
	}
	s.back(c, "/account", "✓ "+s.cat.t(lang(c), "account.email_change_cancelled"), false)
}
