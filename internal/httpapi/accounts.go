package httpapi

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/gradzone/gradzone/internal/domain"
)

func (a *API) accountRoutes(r *gin.RouterGroup) {
	r.POST("/auth/register", withBody(a.register))
	r.POST("/auth/login", withBody(a.login))
	r.POST("/auth/refresh", withBody(a.refresh))
	r.POST("/auth/logout", signedIn, withOptionalBody(a.logout))
	r.POST("/auth/verify-email", withBody(a.verifyEmail))
	r.POST("/auth/verify-email/resend", signedIn, a.resendVerification)
	r.POST("/auth/password", signedIn, withBody(a.changePassword))
	r.POST("/auth/password-reset", withBody(a.requestPasswordReset))
	r.POST("/auth/password-reset/confirm", withBody(a.confirmPasswordReset))
	r.GET("/me", signedIn, a.me)
	r.POST("/me/email", signedIn, withBody(a.changeEmail))
	r.DELETE("/me/email", signedIn, a.cancelEmailChange)
	a.totpRoutes(r)
	r.GET("/employers", roles(staff...), withPage(a.listEmployers))
	r.GET("/employers/:id", signedIn, a.getEmployer)
	r.GET("/employers/:id/details", roles(staff...), a.employerDetails)
	r.POST("/employers/:id/verify", roles(domain.ReviewerRoles...), a.verifyEmployer)
	r.POST("/employers/:id/return", roles(domain.ReviewerRoles...), withBody(a.returnEmployer))
	r.PUT("/employers/:id", roles(domain.RoleEmployer), withBody(a.correctEmployer))
}

// listEmployers answers the employers in the staff caller's scope, by
// ?status= and ?q= (a part of the name, or the start of the credit code).
func (a *API) listEmployers(c *gin.Context, p domain.Page) {
	f := domain.EmployerFilter{Status: c.Query("status"), Q: c.Query("q")}
	if err := f.Validate(); err != nil {
		fail(c, err)
		return
	}
	items, total, err := a.App.EmployersInScope(c.Request.Context(), caller(c), f, p)
	replyPage(c, items, total, p, err)
}

// registerRequest is the union of the graduate and employer sign-up bodies.
type registerRequest struct {
	Role           string               `json:"role"`
	Email          string               `json:"email"`
	Password       string               `json:"password"`
	Name           string               `json:"name"`
	University     string               `json:"university"`
	Degree         string               `json:"degree"`
	Major          string               `json:"major"`
	GraduationYear int                  `json:"graduation_year"`
	Consent        bool                 `json:"consent"`
	Language       string               `json:"language"`
	Employer       *domain.Organisation `json:"employer"`
}

func (a *API) register(c *gin.Context, req registerRequest) {
	ctx := c.Request.Context()
	var (
		s   domain.Session
		err error
	)
	switch domain.Role(req.Role) {
	case domain.RoleGraduate:
		s, err = a.Accounts.RegisterGraduate(ctx, domain.GraduateRegistration{Email: req.Email, Password: req.Password,
			Name: req.Name, University: req.University, Degree: req.Degree, Major: req.Major, GraduationYear: req.GraduationYear,
			Language: req.Language, Consent: req.Consent})
	case domain.RoleEmployer:
		if req.Employer == nil {
			err = domain.FieldError("employer", "is required for role employer")
			break
		}
		s, err = a.Accounts.RegisterEmployer(ctx, domain.EmployerRegistration{Email: req.Email, Password: req.Password, Name: req.Name,
			Organisation: *req.Employer, Language: req.Language, Consent: req.Consent})
	default:
		if domain.Role(req.Role).IsStaff() {
			err = &domain.Error{Code: domain.CodeForbidden, Message: "staff accounts are created by administrators"}
			break
		}
		err = domain.FieldError("role", "must be "+domain.RoleList(domain.SelfRegisterRoles))
	}
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, s)
}

type loginRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
	// TOTPCode is the authenticator app's code (or a recovery code) of an
	// account with two-factor sign-in on; without it such an account's
	// sign-in answers 401 totp_required.
	TOTPCode string `json:"totp_code"`
}

func (a *API) login(c *gin.Context, req loginRequest) {
	// Throttled per account in Postgres, shared by every replica; the
	// address is the TCP peer unless a trusted proxy names another.
	s, err := a.Accounts.SignInWithCode(c.Request.Context(), req.Email, req.Password, req.TOTPCode, c.ClientIP())
	reply(c, http.StatusOK, s, err)
}

type refreshRequest struct {
	RefreshToken string `json:"refresh_token"`
}

func (a *API) refresh(c *gin.Context, req refreshRequest) {
	s, err := a.Accounts.Refresh(c.Request.Context(), req.RefreshToken)
	reply(c, http.StatusOK, s, err)
}

func (a *API) logout(c *gin.Context, req refreshRequest) {
	jti, exp := tokenInfo(c)
	done(c, http.StatusNoContent, a.Accounts.Logout(c.Request.Context(), caller(c), jti, exp, strings.TrimSpace(req.RefreshToken)))
}

func (a *API) me(c *gin.Context) {
	me, err := a.App.Me(c.Request.Context(), caller(c))
	reply(c, http.StatusOK, me, err)
}

func (a *API) getEmployer(c *gin.Context) { replyByID(c, http.StatusOK, a.App.Employer) }

func (a *API) employerDetails(c *gin.Context) {
	replyByID(c, http.StatusOK, a.App.EmployerDetails)
}

// returnEmployer returns a pending registration to its employer for
// correction, with the reason.
func (a *API) returnEmployer(c *gin.Context, req reasonRequest) {
	e, err := a.App.ReturnEmployer(c.Request.Context(), caller(c), c.Param("id"), req.Reason)
	reply(c, http.StatusOK, e, err)
}

// correctEmployer sets the caller's own pending employer's details.
func (a *API) correctEmployer(c *gin.Context, req domain.Organisation) {
	e, err := a.App.CorrectEmployer(c.Request.Context(), caller(c), c.Param("id"), req)
	reply(c, http.StatusOK, e, err)
}

func (a *API) verifyEmployer(c *gin.Context) {
	e, err := a.App.VerifyEmployer(c.Request.Context(), caller(c), c.Param("id"))
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"id": e.ID, "status": e.Status, "verified_at": e.VerifiedAt, "employer": e})
}

type tokenRequest struct {
	Token string `json:"token"`
}

func (a *API) resendVerification(c *gin.Context) {
	done(c, http.StatusAccepted, a.Accounts.ResendVerification(c.Request.Context(), caller(c)))
}

func (a *API) verifyEmail(c *gin.Context, req tokenRequest) {
	_, err := a.Accounts.VerifyEmail(c.Request.Context(), req.Token)
	done(c, http.StatusNoContent, err)
}

type changePasswordRequest struct {
	CurrentPassword string `json:"current_password"`
	NewPassword     string `json:"new_password"`
}

func (a *API) changePassword(c *gin.Context, req changePasswordRequest) {
	done(c, http.StatusNoContent, a.Accounts.ChangePassword(c.Request.Context(), caller(c), req.CurrentPassword, req.NewPassword))
}

type changeEmailRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
	Code     string `json:"code"`
}

// changeEmail asks for the caller's address to change: 202, the link to
// confirm it is mailed to the new address (it opens /verify-email).
func (a *API) changeEmail(c *gin.Context, req changeEmailRequest) {
	done(c, http.StatusAccepted, a.Accounts.RequestEmailChange(c.Request.Context(), caller(c), req.Email, req.Password, req.Code))
}

// cancelEmailChange ends the caller's change of address waiting for its
// link: 204, or 404 when none waits.
func (a *API) cancelEmailChange(c *gin.Context) {
	done(c, http.StatusNoContent, a.Accounts.CancelEmailChange(c.Request.Context(), caller(c)))
}

type resetRequest struct {
	Email string `json:"email"`
}

func (a *API) requestPasswordReset(c *gin.Context, req resetRequest) {
	done(c, http.StatusAccepted, a.Accounts.RequestPasswordReset(c.Request.Context(), req.Email))
}

type resetConfirmRequest struct {
	Token    string `json:"token"`
	Password string `json:"password"`
}

func (a *API) confirmPasswordReset(c *gin.Context, req resetConfirmRequest) {
	done(c, http.StatusNoContent, a.Accounts.ConfirmPasswordReset(c.Request.Context(), req.Token, req.Password))
}
