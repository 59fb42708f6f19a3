package httpapi

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/gradzone/gradzone/internal/domain"
)

func (a *API) progressRoutes(r *gin.RouterGroup) {
	r.GET("/zones/:code/progress", signedIn, a.zoneProgress)
	r.PUT("/zones/:code/quotas/:year", signedIn, a.setQuota)
	r.GET("/provinces/:code/progress", signedIn, a.provinceProgress)
	r.GET("/progress", signedIn, a.nationalProgress)
}

// year reads ?year=, defaulting to the current Shanghai year.
func (a *API) year(c *gin.Context) (int, error) {
	var v domain.Validation
	y := queryInt(c, &v, "year", a.today().Year, 2000, 2100)
	return y, v.Err()
}

func (a *API) zoneProgress(c *gin.Context) {
	y, err := a.year(c)
	if err != nil {
		fail(c, err)
		return
	}
	p, err := a.Store.ZoneProgress(c.Request.Context(), caller(c), c.Param("code"), y)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, p)
}

func (a *API) provinceProgress(c *gin.Context) {
	y, err := a.year(c)
	if err != nil {
		fail(c, err)
		return
	}
	p, err := a.Store.ProvinceProgress(c.Request.Context(), caller(c), c.Param("code"), y)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, p)
}

func (a *API) nationalProgress(c *gin.Context) {
	y, err := a.year(c)
	if err != nil {
		fail(c, err)
		return
	}
	p, err := a.Store.NationalProgress(c.Request.Context(), caller(c), y)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, p)
}

type quotaRequest struct {
	TargetPositions  *int64 `json:"target_positions"`
	TargetPlacements *int64 `json:"target_placements"`
}

func (a *API) setQuota(c *gin.Context) {
	var req quotaRequest
	if err := decode(c, &req); err != nil {
		fail(c, err)
		return
	}
	var v domain.Validation
	year, err := strconv.Atoi(c.Param("year"))
	v.Check(err == nil, "year", "must be a year")
	v.Check(req.TargetPositions != nil, "target_positions", "is required")
	v.Check(req.TargetPlacements != nil, "target_placements", "is required")
	if err := v.Err(); err != nil {
		fail(c, err)
		return
	}
	q, err := a.Store.SetZoneQuota(c.Request.Context(), caller(c), domain.Quota{ZoneCode: c.Param("code"), Year: year,
		TargetPositions: *req.TargetPositions, TargetPlacements: *req.TargetPlacements})
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, q)
}
