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

// sessionList is GET /me/sessions decoded.
type sessionList struct {
	Items []domain.SessionInfo `json:"items"`
}

// TestSessionsListAndRevoke: the user lists its sessions (each sign-in,
// with its client and masked address, its own marked current), signs one
// out — that session's refresh and access tokens stop working — and then
// every other; another user's session is 404 (issue 12 item 5).
func TestSessionsListAndRevoke(t *testing.T) {
	a := testutil.NewApp(t)
	g := a.Graduate()
	phoneUA := "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36"
	var phone domain.Session
	a.Must(200, "POST", "/api/v1/auth/login", "", map[string]string{"email": g.Email, "password": testutil.Password},
		"User-Agent", phoneUA).Decode(t, &phone)
	laptop := a.Login(g.Email)
	list := func(tok string) []domain.SessionInfo {
		t.Helper()
		var l sessionList
		a.Must(200, "GET", "/api/v1/me/sessions", tok, nil).Decode(t, &l)
		return l.Items
	}
	got := list(laptop.Token)
	if len(got) != 3 { // registration, phone, laptop
		t.Fatalf("%d sessions, want 3: %+v", len(got), got)
	}
	var current, onPhone *domain.SessionInfo
	for i, s := range got {
		if s.Current {
			current = &got[i]
		}
		if s.Client == "Chrome · Android" {
			onPhone = &got[i]
		}
		if s.IP != "127.0.0.*" || s.CreatedAt.IsZero() || s.LastUsedAt.Before(s.CreatedAt) {
			t.Errorf("session %+v: want the masked address 127.0.0.* and its times", s)
		}
	}
	if current == nil || current.ID != got[0].ID {
		t.Fatalf("the caller's session is not the current, most recent one: %+v", got)
	}
	if onPhone == nil || onPhone.Current {
		t.Fatalf("the phone's session is not listed with its client: %+v", got)
	}

	// Another user neither sees nor ends it.
	other := a.Graduate()
	for _, s := range list(other.Token) {
		if s.ID == onPhone.ID {
			t.Fatal("another user lists the session")
		}
	}
	if r := a.Must(404, "DELETE", "/api/v1/me/sessions/"+onPhone.ID, other.Token, nil); r.ErrorCode() != "not_found" {
		t.Fatalf("another user's session: %s", r.Body)
	}
	a.Must(200, "POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": phone.RefreshToken})

	// Signing the phone out ends its chain and its access tokens; it is
	// gone from the list, and a second revocation is 404.
	phone2 := a.Login(g.Email)
	for _, s := range list(phone2.Token) {
		if s.Client == "Chrome · Android" {
			onPhone = &s
		}
	}
	a.Must(204, "DELETE", "/api/v1/me/sessions/"+onPhone.ID, laptop.Token, nil)
	a.Must(401, "GET", "/api/v1/me", phone.AccessToken, nil)
	a.Must(404, "DELETE", "/api/v1/me/sessions/"+onPhone.ID, laptop.Token, nil)
	if n := len(list(laptop.Token)); n != 3 { // registration, laptop, phone2
		t.Fatalf("%d sessions after signing one out, want 3", n)
	}

	// Bad IDs are 404, not 500.
	for _, id := range []string{"x", "00000000-0000-0000-0000-000000000000", "%27%3B--", "%ff"} {
		if r := a.Do("DELETE", "/api/v1/me/sessions/"+id, laptop.Token, nil); r.Status < 400 || r.Status > 499 {
			t.Errorf("DELETE session %q: %d", id, r.Status)
		}
	}

	// Sign out elsewhere: every other refresh token fails, the caller's
	// session goes on.
	a.Must(204, "POST", "/api/v1/me/sessions/revoke-others", laptop.Token, nil)
	for _, tok := range []string{g.Refresh, phone2.Refresh} {
		if r := a.Must(401, "POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": tok}); r.ErrorCode() != "unauthenticated" {
			t.Fatalf("refresh of a session signed out elsewhere: %s", r.Body)
		}
	}
	a.Must(401, "GET", "/api/v1/me", phone2.Token, nil)
	if l := list(laptop.Token); len(l) != 1 || !l[0].Current {
		t.Fatalf("after signing out elsewhere: %+v", l)
	}
	a.Must(200, "POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": laptop.Refresh})
	// The other user's sessions are untouched.
	a.Must(200, "GET", "/api/v1/me", other.Token, nil)
}
