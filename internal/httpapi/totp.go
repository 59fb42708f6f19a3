package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// totpRoutes are the caller's two-factor settings, open to every account.
func (a *API) totpRoutes(r *gin.RouterGroup) {
	g := r.Group("/me/totp", signedIn)
	g.GET("", a.totpStatus)
	g.POST("", a.beginTOTP)
	g.POST("/confirm", withBody(a.confirmTOTP))
	g.DELETE("", withBody(a.disableTOTP))
	g.POST("/recovery-codes", withBody(a.newRecoveryCodes))
}

func (a *API) totpStatus(c *gin.Context) {
	st, err := a.Accounts.TOTPStatus(c.Request.Context(), caller(c))
	reply(c, http.StatusOK, st, err)
}

func (a *API) beginTOTP(c *gin.Context) {
	e, err := a.Accounts.BeginTOTP(c.Request.Context(), caller(c))
	reply(c, http.StatusCreated, e, err)
}

type totpCodeRequest struct {
	Code     string `json:"code"`
	Password string `json:"password"`
}

func (a *API) confirmTOTP(c *gin.Context, req totpCodeRequest) {
	codes, err := a.Accounts.ConfirmTOTP(c.Request.Context(), caller(c), req.Code)
	reply(c, http.StatusOK, codes, err)
}

func (a *API) disableTOTP(c *gin.Context, req totpCodeRequest) {
	done(c, http.StatusNoContent, a.Accounts.DisableTOTP(c.Request.Context(), caller(c), req.Password, req.Code))
}

func (a *API) newRecoveryCodes(c *gin.Context, req totpCodeRequest) {
	codes, err := a.Accounts.NewRecoveryCodes(c.Request.Context(), caller(c), req.Password, req.Code)
	reply(c, http.StatusOK, codes, err)
}
