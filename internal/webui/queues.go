package webui

import (
	"mime"
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/gradzone/gradzone/internal/domain"
)

// QueuesPath is where the job queue UI (River's) is mounted.
const QueuesPath = "/admin/queues"

// registerQueues mounts the job queue UI for ministry staff. It is River's
// own single-page app and JSON API, which sends no form token; its unsafe
// requests (retry, cancel, delete) are held to JSON from this site instead:
// a cross-site form cannot send application/json, and a cross-site script
// sends an Origin that is not ours (and, the session cookie being
// SameSite=Lax, no session either).
func (s *Site) registerQueues(r *gin.Engine) {
	if s.Queues == nil {
		return
	}
	g := r.Group(QueuesPath, s.withLang, s.styleBareErrors, s.withSession, signedIn(domain.RolesAt(domain.LevelNation)...), sameOriginJSON)
	h := gin.WrapH(s.Queues)
	g.Any("", h)
	g.Any("/*path", h)
}

// sameOriginJSON lets through safe requests, and unsafe ones only when
// they are JSON from this site's own pages.
func sameOriginJSON(c *gin.Context) {
	switch c.Request.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		c.Next()
		return
	}
	ct, _, _ := mime.ParseMediaType(c.GetHeader("Content-Type"))
	origin := c.GetHeader("Origin")
	if ct != "application/json" || (origin != "" && !sameHost(origin, c.Request.Host)) {
		c.AbortWithStatus(http.StatusForbidden)
		return
	}
	c.Next()
}

func sameHost(origin, host string) bool {
	u, err := url.Parse(origin)
	return err == nil && u.Host == host
}
