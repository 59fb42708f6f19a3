package loadtest_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/gradzone/gradzone/internal/auth"
	"github.com/gradzone/gradzone/internal/loadtest"
	"github.com/gradzone/gradzone/internal/testutil"
)

// TestClusterRenewsExpiredSessions: the full-size season (an hour) outlives
// the 15-minute access tokens; the cluster renews a session with its
// refresh token when its access token is refused, once even when requests
// are refused together (a refresh token used twice would revoke the
// session), and goes on with the handle the caller keeps.
func TestClusterRenewsExpiredSessions(t *testing.T) {
	a := testutil.NewApp(t)
	g, other := a.Graduate(), a.Graduate()
	c := loadtest.NewCluster(a.Client, a.URL)
	c.Remember(g.Token, g.Refresh)
	ctx := context.Background()
	if _, err := c.Must(ctx, http.StatusOK, "me", "GET", "/api/v1/me", g.Token, nil); err != nil {
		t.Fatal(err)
	}
	later := time.Now().Add(auth.AccessTTL + time.Minute)
	a.Server.Accounts.Tokens.SetClock(func() time.Time { return later })
	done := make(chan error, 8)
	for range 8 {
		go func() {
			_, err := c.Must(ctx, http.StatusOK, "me", "GET", "/api/v1/me", g.Token, nil)
			done <- err
		}()
	}
	for range 8 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	// A session the cluster was not told of is not renewed: its 401 stands.
	if st, _, err := c.Call(ctx, "me", "GET", "/api/v1/me", other.Token, nil, ""); err != nil || st != http.StatusUnauthorized {
		t.Fatalf("unknown session after expiry: %d %v", st, err)
	}
}
