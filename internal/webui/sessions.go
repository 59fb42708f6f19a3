package webui

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/gradzone/gradzone/internal/domain"
)

// registerSessions adds 我的 › 登录设备: the user's signed-in sessions, from
// the site and from API clients alike (both are refresh chains; the site
// keeps its tokens in cookies), each with a sign-out, and "sign out
// everywhere else". Each calls the same app function as the API.
func (s *Site) registerSessions(g *gin.RouterGroup) {
	g.GET("/account/sessions", signedIn(), s.sessionsPage)
	g.POST("/account/sessions/revoke-others", signedIn(), s.revokeOtherSessions)
	g.POST("/account/sessions/:id/revoke", signedIn(), s.revokeSession)
}

// SessionsPage lists the user's live sessions, the most recently used first.
type SessionsPage struct {
	Layout
	Sessions []domain.SessionInfo
}

func (*SessionsPage) template() string { return "account/sessions" }

func (s *Site) sessionsPage(c *gin.Context) {
	list, err := s.Accounts.Sessions(c.Request.Context(), callerOf(c))
	s.show(c, &SessionsPage{Layout: s.layout(c, s.cat.t(lang(c), "sessions.title")), Sessions: list}, err)
}

// revokeSession signs one session out. Signing out this browser's own
// session is signing out: the cookies go too.
func (s *Site) revokeSession(c *gin.Context) {
	cl := callerOf(c)
	id := c.Param("id")
	err := s.Accounts.RevokeSession(c.Request.Context(), cl, id)
	if err == nil && id == cl.SessionID {
		s.clearSession(c)
		c.Redirect(http.StatusSeeOther, "/")
		return
	}
	s.outcome(c, "/account/sessions", "sessions.revoked", err)
}

func (s *Site) revokeOtherSessions(c *gin.Context) {
	err := s.Accounts.RevokeOtherSessions(c.Request.Context(), callerOf(c))
	if err != nil {
		s.outcome(c, "/account/sessions", "", err)
		return
	}
	s.back(c, "/account/sessions", s.cat.t(lang(c), "sessions.others_done"), false)
}
