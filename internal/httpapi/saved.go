package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/gradzone/gradzone/internal/domain"
)

// savedRoutes are a graduate's saved jobs (收藏): only the owner reads them.
func (a *API) savedRoutes(r *gin.RouterGroup) {
	g := r.Group("/me/saved-openings", roles(domain.RoleGraduate))
	g.GET("", withPage(a.listSavedOpenings))
	g.PUT("/:id", a.saveOpening)
	g.DELETE("/:id", a.unsaveOpening)
}

func (a *API) listSavedOpenings(c *gin.Context, p domain.Page) {
	items, total, err := a.App.SavedOpenings(c.Request.Context(), caller(c), p)
	reply(c, http.StatusOK, list(items, total, p), err)
}

func (a *API) saveOpening(c *gin.Context) {
	s, err := a.App.SaveOpening(c.Request.Context(), caller(c), c.Param("id"))
	reply(c, http.StatusOK, s, err)
}

func (a *API) unsaveOpening(c *gin.Context) {
	if err := a.App.UnsaveOpening(c.Request.Context(), caller(c), c.Param("id")); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
