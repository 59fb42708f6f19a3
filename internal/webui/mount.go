package webui

import "github.com/gin-gonic/gin"

// Mounter returns what adds the site's routes to the API's engine
// (httpapi.Deps.Extra), so that the composition root wires the two doors
// together without naming the web framework: only the HTTP packages import
// gin.
func (s *Site) Mounter(secure bool) func(*gin.Engine) error {
	return func(r *gin.Engine) error { return s.Register(r, secure) }
}
