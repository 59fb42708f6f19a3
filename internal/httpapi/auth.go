package httpapi

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gradzone/gradzone/internal/app"
	"github.com/gradzone/gradzone/internal/domain"
)

const (
	callerKey   = "caller"
	jtiKey      = "jti"
	tokenExpKey = "token_expires"
	authErrKey  = "auth_error"
	// tokenRefusedKey marks a 401 answered because the bearer token sent
	// was refused, not a password or a refresh token.
	tokenRefusedKey = "token_refused"
)

// authenticate resolves the caller from a bearer token (or the web session
// cookie). No token leaves the caller anonymous. A bad, expired or revoked
// token also leaves the caller anonymous, with the reason kept: routes that
// need a signed-in caller (signedIn, roles) answer it as 401, so clients
// learn their session ended (so does a public read that would answer 404,
// see writeError), while public reads and the sign-in,
// registration, refresh and reset endpoints work as for anyone — a client
// that always attaches its last token can still recover.
func (a *API) authenticate(c *gin.Context) {
	c.Set(callerKey, domain.Anonymous)
	token, byCookie := "", false
	if h := c.GetHeader("Authorization"); h != "" {
		scheme, rest, ok := strings.Cut(h, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(rest) == "" {
			c.Set(authErrKey, domain.ErrUnauthenticated)
			c.Next()
			return
		}
		token = strings.TrimSpace(rest)
	} else if ck, err := c.Cookie(app.CookieName(app.AccessCookie, a.HSTS)); err == nil && ck != "" {
		token, byCookie = ck, true
	}
	if token == "" {
		c.Next()
		return
	}
	caller, jti, exp, err := a.Accounts.Authenticate(c.Request.Context(), token)
	if err != nil {
		switch domain.CodeOf(err) {
		case domain.CodeUnauthenticated:
		case domain.CodeUnavailable:
			// The database is down, so the token's revocation cannot be
			// checked: the caller is served as anonymous (public search
			// still works) and routes that need a signed-in caller answer
			// 503 unavailable rather than 401 — the session did not end.
		default:
			fail(c, err)
			return
		}
		c.Set(authErrKey, err)
		c.Next()
		return
	}
	if byCookie && !a.cookieAllowed(c, caller.SessionID) {
		c.Next() // anonymous: the site's session without its form token
		return
	}
	c.Set(callerKey, caller)
	c.Set(jtiKey, jti)
	c.Set(tokenExpKey, exp)
	c.Next()
}

// unauthenticated is why an anonymous caller is refused: the token's
// problem when one was sent (the 401 then says invalid_token), else "sign
// in".
func unauthenticated(c *gin.Context) error {
	if v, ok := c.Get(authErrKey); ok {
		if err, ok := v.(error); ok {
			c.Set(tokenRefusedKey, true)
			return err
		}
	}
	return domain.ErrUnauthenticated
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
		fail(c, unauthenticated(c))
		return
	}
	c.Next()
}

// roles rejects signed-in callers of other roles with 403 (and anonymous ones with 401).
func roles(allowed ...domain.Role) gin.HandlerFunc {
	return func(c *gin.Context) {
		cl := caller(c)
		if !cl.Signed() {
			fail(c, unauthenticated(c))
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

// cookieAllowed decides whether the web session cookie (of session
// sessionID) may authenticate an API request: always for safe methods; for
// unsafe ones only with the site's form token in X-CSRF-Token
// (app.Accounts.FormToken of the form cookie and the session), which
// another site's page can neither read nor make. Otherwise the request is
// treated as anonymous.
func (a *API) cookieAllowed(c *gin.Context, sessionID string) bool {
	switch c.Request.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return true
	}
	random, _ := c.Cookie(app.CookieName(app.FormCookie, a.HSTS))
	return a.Accounts.FormTokenOK(random, sessionID, c.GetHeader("X-CSRF-Token"))
}
