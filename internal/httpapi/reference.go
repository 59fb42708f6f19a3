package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/postgres"
)

func (a *API) referenceRoutes(r *gin.RouterGroup) {
	r.GET("/zones", a.listZones)
	r.GET("/zones/:code", a.getZone)
	r.GET("/provinces", a.listProvinces)
	r.GET("/reference", a.reference)
}

func (a *API) listZones(c *gin.Context) {
	p, err := paging(c)
	if err != nil {
		fail(c, err)
		return
	}
	zs, err := a.Store.Zones(c.Request.Context(), c.Query("province"))
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Cache-Control", "public, max-age=300")
	c.JSON(http.StatusOK, list(pageOf(zs, p), int64(len(zs)), p))
}

// pageOf cuts one page out of a small, fully loaded list.
func pageOf[T any](all []T, p postgres.Page) []T {
	start := min(p.Offset(), len(all))
	return all[start:min(start+p.PerPage, len(all))]
}

func (a *API) getZone(c *gin.Context) {
	z, err := a.Store.Zone(c.Request.Context(), c.Param("code"))
	reply(c, http.StatusOK, z, err)
}

func (a *API) listProvinces(c *gin.Context) {
	p, err := paging(c)
	if err != nil {
		fail(c, err)
		return
	}
	ps, err := a.Store.Provinces(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, list(pageOf(ps, p), int64(len(ps)), p))
}

// reference publishes the fixed lists clients must use.
func (a *API) reference(c *gin.Context) {
	c.Header("Cache-Control", "public, max-age=3600")
	c.JSON(http.StatusOK, gin.H{
		"industries":           domain.Industries,
		"disciplines":          domain.Disciplines,
		"degrees":              domain.Degrees,
		"employer_types":       domain.EmployerTypes,
		"employer_sizes":       domain.EmployerSizes,
		"event_kinds":          domain.EventKinds,
		"opening_statuses":     domain.OpeningStatuses,
		"application_statuses": domain.ApplicationStatuses,
	})
}
