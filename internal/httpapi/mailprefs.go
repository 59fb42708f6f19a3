package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/gradzone/gradzone/internal/domain"
)

// The caller's mail settings (issue 13: per kind on/off, alert digest
// frequency, language).
func (a *API) mailRoutes(r *gin.RouterGroup) {
	r.GET("/me/notifications/preferences", signedIn, a.mailPreferences)
	r.PUT("/me/notifications/preferences", signedIn, partial, withBody(a.setMailPreferences))
	r.POST("/reports/monthly/remind", roles(domain.RolesAtLeast(domain.LevelProvince)...), withOptionalBody(a.chaseReports))
}

func (a *API) mailPreferences(c *gin.Context) {
	p, err := a.App.MailPreferences(c.Request.Context(), caller(c))
	reply(c, http.StatusOK, p, err)
}

func (a *API) setMailPreferences(c *gin.Context, ch domain.MailPreferencesChange) {
	p, err := a.App.SetMailPreferences(c.Request.Context(), caller(c), ch)
	reply(c, http.StatusOK, p, err)
}

// chaseReports is the province's 催报 button.
func (a *API) chaseReports(c *gin.Context, req provinceMonthRequest) {
	out, err := a.App.ChaseReports(c.Request.Context(), caller(c), req.Province, req.Year, req.Month)
	reply(c, http.StatusOK, out, err)
}
