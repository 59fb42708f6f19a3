package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/gradzone/gradzone/internal/domain"
)

// Personal-data rights (CONTRACT second round, Accounts and résumés).
func (a *API) privacyRoutes(r *gin.RouterGroup) {
	r.GET("/me/export", signedIn, a.exportData)
	r.DELETE("/me", signedIn, withOptionalBody(a.deleteAccount))
	r.GET("/me/resume/views", roles(domain.RoleGraduate), withPage(a.resumeViews))
}

// exportData answers everything stored about the caller as a JSON download.
func (a *API) exportData(c *gin.Context) {
	data, err := a.App.ExportData(c.Request.Context(), caller(c))
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Content-Disposition", `attachment; filename="`+data.FileName()+`"`)
	c.Header("Cache-Control", "private, no-store")
	c.JSON(http.StatusOK, data)
}

type deleteAccountRequest struct {
	Password string `json:"password"`
}

// deleteAccount erases the caller's account after checking its password.
func (a *API) deleteAccount(c *gin.Context, req deleteAccountRequest) {
	done(c, http.StatusNoContent, a.App.DeleteAccount(c.Request.Context(), caller(c), req.Password))
}

// resumeViews lists who read the graduate's résumé, newest first.
func (a *API) resumeViews(c *gin.Context, p domain.Page) {
	items, total, err := a.App.ResumeViews(c.Request.Context(), caller(c), p)
	reply(c, http.StatusOK, list(items, total, p), err)
}
