package httpapi

import (
	"crypto/subtle"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gradzone/gradzone/internal/domain"
)

const (
	callerKey     = "caller"
	jtiKey        = "jti"
	tokenExpKey   = "token_expires"
	sessionCookie = "gz_access"
)

// authenticate resolves the caller from a bearer token (or the web session
// cookie). No token leaves the caller anonymous; a bad token is 401 even on
// public endpoints, so clients learn their session ended.
func (a *API) authenticate(c *gin.Context) {
	token := ""
	if h := c.GetHeader("Authorization"); h != "" {
		scheme, rest, ok := strings.Cut(h, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(rest) == "" {
			fail(c, domain.ErrUnauthenticated)
			return
		}
		token = strings.TrimSpace(rest)
	} else if ck, err := c.Cookie(sessionCookie); err == nil && ck != "" && cookieAllowed(c) {
		token = ck
	}
	if token == "" {
		c.Set(callerKey, domain.Anonymous)
		c.Next()
		return
	}
	caller, jti, exp, err := a.Accounts.Authenticate(c.Request.Context(), token)
	if err != nil {
		fail(c, err)
		return
	}
	c.Set(callerKey, caller)
	c.Set(jtiKey, jti)
	c.Set(tokenExpKey, exp)
	c.Next()
}

// caller returns the request's caller (Anonymous when not signed in).
func caller(c *gin.Context) domain.Caller {
	v, _ := c.Get(callerKey)
	cl, _ := v.(domain.Caller)
	return cl
}

// signedIn rejects anonymous callers with 401.
func signedIn(c *gin.Context) {
	if !caller(c).Signed() {
		fail(c, domain.ErrUnauthenticated)
		return
	}
	c.Next()
}

// roles rejects signed-in callers of other roles with 403 (and anonymous ones with 401).
func roles(allowed ...domain.Role) gin.HandlerFunc {
	return func(c *gin.Context) {
		cl := caller(c)
		if !cl.Signed() {
			fail(c, domain.ErrUnauthenticated)
			return
		}
		for _, r := range allowed {
			if cl.Role == r {
				c.Next()
				return
			}
		}
		fail(c, domain.ErrForbidden)
	}
}

// staff are the roles of the staff endpoints (domain.RoleRegistry).
var staff = domain.StaffRoles

func tokenInfo(c *gin.Context) (string, time.Time) {
	exp, _ := c.Get(tokenExpKey)
	t, _ := exp.(time.Time)
	return c.GetString(jtiKey), t
}

// cookieAllowed decides whether the web session cookie may authenticate an
// API request: always for safe methods; for unsafe ones only with an
// X-CSRF-Token header equal to the gz_csrf cookie, which another site's page
// cannot read. Otherwise the request is treated as anonymous.
func cookieAllowed(c *gin.Context) bool {
	switch c.Request.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return true
	}
	ck, err := c.Cookie("gz_csrf")
	sent := c.GetHeader("X-CSRF-Token")
	return err == nil && ck != "" && subtle.ConstantTimeCompare([]byte(ck), []byte(sent)) == 1
}
