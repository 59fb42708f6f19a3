package httpapi_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/gradzone/gradzone/internal/auth"
	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/testutil"
)

// TestSessionLifetime: a session (refresh chain) ends after
// domain.SessionIdle without a refresh and, however active, after
// domain.SessionMaxAge from its sign-in (issue 12 item 5).
func TestSessionLifetime(t *testing.T) {
	a := testutil.NewApp(t)
	g := a.Graduate()
	db := testutil.SQL(t, a.DBURL)
	refresh := func(tok string, want int) string {
		t.Helper()
		r := a.Must(want, "POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": tok})
		if want != http.StatusOK {
			return ""
		}
		return r.JSON()["refresh_token"].(string)
	}
	at := func(d time.Duration) { a.Server.Store.SetClock(func() time.Time { return time.Now().Add(d) }) }
	defer a.Server.Store.SetClock(time.Now)

	// Idle: a refresh token works for the idle timeout, not longer; each
	// refresh starts the timeout again.
	var expires time.Time
	expiry := func(tok string) time.Time {
		db.QueryRow(`SELECT expires_at FROM refresh_tokens WHERE token_hash = $1`, auth.HashRefreshToken(tok)).Scan(&expires)
		return expires
	}
	at(domain.SessionIdle - time.Hour)
	tok := refresh(g.Refresh, http.StatusOK)
	if d := time.Until(expiry(tok)) - domain.SessionIdle; d < -time.Minute || d > time.Minute {
		t.Errorf("a refresh token lives %v, want the idle timeout %v", time.Until(expires), domain.SessionIdle)
	}
	at(domain.SessionIdle + time.Hour)
	refresh(tok, http.StatusUnauthorized)

	// Absolute: a session signed in 29 days ago gets a successor expiring
	// at day 30, not 7 days on; one signed in 31 days ago ends.
	at(0)
	s := a.Login(g.Email)
	started := time.Now().Add(-29 * 24 * time.Hour)
	db.Exec(`UPDATE refresh_tokens SET created_at = $1 WHERE user_id = $2`, started, g.ID)
	tok = refresh(s.Refresh, http.StatusOK)
	if end := started.Add(domain.SessionMaxAge); expiry(tok).After(end.Add(time.Second)) {
		t.Errorf("successor expires %v, after the session's end %v", expires, end)
	}
	db.Exec(`UPDATE refresh_tokens SET created_at = now() - interval '31 days' WHERE user_id = $1`, g.ID)
	refresh(tok, http.StatusUnauthorized)
}
