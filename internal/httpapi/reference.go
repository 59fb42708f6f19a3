package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/gradzone/gradzone/api"
	"github.com/gradzone/gradzone/internal/domain"
)

func (a *API) referenceRoutes(r *gin.RouterGroup) {
	r.GET("/zones", withPage(a.listZones))
	r.GET("/zones/:code", a.getZone)
	r.GET("/provinces", withPage(a.listProvinces))
	r.GET("/reference", a.reference)
	r.GET("/openapi.yaml", openapiFile)
}

// openapiFile serves the API description the tests validate every exchange
// against (embedded, so it is the same bytes as api/openapi.yaml).
func openapiFile(c *gin.Context) {
	c.Header("Cache-Control", "public, max-age=300")
	c.Data(http.StatusOK, "application/yaml; charset=utf-8", api.OpenAPI)
}

// docsPage renders the description with Redoc, vendored under /static: no
// request leaves the site, and the page runs no inline script (its settings
// are in /static/api-docs.js), so a strict CSP holds.
const docsPage = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>gradzone API 参考 · API reference</title>
</head>
<body>
<noscript>需要 JavaScript 才能显示 API 参考；说明文件见 <a href="/api/v1/openapi.yaml">/api/v1/openapi.yaml</a>. The reference needs JavaScript; the description is at <a href="/api/v1/openapi.yaml">/api/v1/openapi.yaml</a>.</noscript>
<div id="redoc" data-spec-url="/api/v1/openapi.yaml"></div>
<script type="module" src="/static/api-docs.js"></script>
</body>
</html>
`

// docsCSP allows scripts and data only from this site. Redoc styles its
// components with injected <style> elements, hence 'unsafe-inline' for styles
// (never for scripts).
const docsCSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
	"font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; " +
	"form-action 'none'; frame-ancestors 'none'"

func apiDocs(c *gin.Context) {
	c.Header("Content-Security-Policy", docsCSP)
	c.Header("Cache-Control", "public, max-age=300")
	c.Data(http.StatusOK, "text/html; charset=utf-8", []byte(docsPage))
}

func (a *API) listZones(c *gin.Context, p domain.Page) {
	zs, err := a.App.Zones(c.Request.Context(), c.Query("province"))
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Cache-Control", "public, max-age=300")
	c.JSON(http.StatusOK, list(pageOf(zs, p), int64(len(zs)), p))
}

// pageOf cuts one page out of a small, fully loaded list.
func pageOf[T any](all []T, p domain.Page) []T {
	start := min(p.Offset(), len(all))
	return all[start:min(start+p.PerPage, len(all))]
}

func (a *API) getZone(c *gin.Context) {
	z, err := a.App.Zone(c.Request.Context(), c.Param("code"))
	reply(c, http.StatusOK, z, err)
}

func (a *API) listProvinces(c *gin.Context, p domain.Page) {
	ps, err := a.App.Provinces(c.Request.Context())
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
