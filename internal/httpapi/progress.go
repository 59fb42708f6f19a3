package httpapi

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/gradzone/gradzone/internal/domain"
)

func (a *API) progressRoutes(r *gin.RouterGroup) {
	r.GET("/zones/:code/progress", signedIn, a.withYear(a.zoneProgress))
	r.PUT("/zones/:code/quotas/:year", signedIn, withQuota(a.setQuota))
	r.GET("/provinces/:code/progress", signedIn, a.withYear(a.provinceProgress))
	r.PUT("/provinces/:code/quotas/:year", signedIn, withQuota(a.setProvinceQuota))
	r.GET("/progress", signedIn, a.withYear(a.nationalProgress))
}

// withYear: h takes ?year=, defaulting to the current Shanghai year.
func (a *API) withYear(h func(*gin.Context, int)) gin.HandlerFunc {
	return withInput(func(c *gin.Context) (int, error) {
		var v domain.Validation
		y := queryInt(c, &v, "year", a.today().Year, 2000, 2100)
		return y, v.Err()
	}, h)
}

func (a *API) zoneProgress(c *gin.Context, y int) {
	p, err := a.App.ZoneProgress(c.Request.Context(), caller(c), c.Param("code"), y)
	reply(c, http.StatusOK, p, err)
}

func (a *API) provinceProgress(c *gin.Context, y int) {
	p, err := a.App.ProvinceProgress(c.Request.Context(), caller(c), c.Param("code"), y)
	reply(c, http.StatusOK, p, err)
}

func (a *API) nationalProgress(c *gin.Context, y int) {
	p, err := a.App.NationalProgress(c.Request.Context(), caller(c), y)
	reply(c, http.StatusOK, p, err)
}

type quotaRequest struct {
	TargetPositions  *int64 `json:"target_positions"`
	TargetPlacements *int64 `json:"target_placements"`
}

func (a *API) setQuota(c *gin.Context, q domain.Quota) {
	q.ZoneCode = c.Param("code")
	q, err := a.App.SetZoneQuota(c.Request.Context(), caller(c), q)
	reply(c, http.StatusOK, q, err)
}

// withQuota: h takes the targets of the body for the :year of the path
// (quotaInput).
func withQuota(h func(*gin.Context, domain.Quota)) gin.HandlerFunc { return withInput(quotaInput, h) }

// quotaInput reads the body and year of a quota request.
func quotaInput(c *gin.Context) (domain.Quota, error) {
	var req quotaRequest
	if err := decode(c, &req); err != nil {
		return domain.Quota{}, err
	}
	var v domain.Validation
	year, err := strconv.Atoi(c.Param("year"))
	v.Check(err == nil, "year", "must be a year")
	v.Check(req.TargetPositions != nil, "target_positions", "is required")
	v.Check(req.TargetPlacements != nil, "target_placements", "is required")
	if err := v.Err(); err != nil {
		return domain.Quota{}, err
	}
	return domain.Quota{Year: year, TargetPositions: *req.TargetPositions, TargetPlacements: *req.TargetPlacements}, nil
}

// setProvinceQuota sets a province's targets, or the nation's with code 00.
func (a *API) setProvinceQuota(c *gin.Context, q domain.Quota) {
	q.ProvinceCode = c.Param("code")
	q, err := a.App.SetProvinceQuota(c.Request.Context(), caller(c), q)
	reply(c, http.StatusOK, q, err)
}
