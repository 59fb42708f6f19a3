package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// The user's sessions (issue 12 item 5): every sign-in, from the API or
// the web pages, is one refresh chain the user can list and sign out.
func (a *API) sessionRoutes(r *gin.RouterGroup) {
	r.GET("/me/sessions", signedIn, a.listSessions)
	r.DELETE("/me/sessions/:id", signedIn, a.revokeSession)
	r.POST("/me/sessions/revoke-others", signedIn, a.revokeOtherSessions)
}

func (a *API) listSessions(c *gin.Context) {
	items, err := a.Accounts.Sessions(c.Request.Context(), caller(c))
	reply(c, http.StatusOK, gin.H{"items": items}, err)
}

func (a *API) revokeSession(c *gin.Context) {
	done(c, http.StatusNoContent, a.Accounts.RevokeSession(c.Request.Context(), caller(c), c.Param("id")))
}

func (a *API) revokeOtherSessions(c *gin.Context) {
	done(c, http.StatusNoContent, a.Accounts.RevokeOtherSessions(c.Request.Context(), caller(c)))
}
