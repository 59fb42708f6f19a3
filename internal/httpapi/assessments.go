package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/gradzone/gradzone/internal/domain"
)

// assessmentRoutes are an employer's private rating and note on an
// applicant: its own users only, never the graduate's or staff's to read.
func (a *API) assessmentRoutes(r *gin.RouterGroup) {
	r.GET("/applications/:id/assessment", roles(domain.RoleEmployer), a.getAssessment)
	r.PUT("/applications/:id/assessment", roles(domain.RoleEmployer), withBody(a.putAssessment))
}

type assessmentRequest struct {
	Rating *int   `json:"rating"`
	Note   string `json:"note"`
}

func (a *API) getAssessment(c *gin.Context) {
	as, err := a.App.Assessment(c.Request.Context(), caller(c), c.Param("id"))
	reply(c, http.StatusOK, as, err)
}

func (a *API) putAssessment(c *gin.Context, req assessmentRequest) {
	as, err := a.App.SetAssessment(c.Request.Context(), caller(c), domain.Assessment{ApplicationID: c.Param("id"), Rating: req.Rating, Note: req.Note})
	reply(c, http.StatusOK, as, err)
}
