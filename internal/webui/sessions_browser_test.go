package webui_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/gradzone/gradzone/internal/testutil"
)

// Issue 12 item 5: 我的 › 登录设备 on a phone lists the web and API
// sessions, this browser's marked; one row signs its session out, and
// "sign out all other devices" ends the rest — their refresh tokens fail.
func TestBrowserSessionsPage(t *testing.T) {
	a := testutil.NewApp(t)
	g := a.Graduate() // an API session (registration)
	tablet := a.Must(http.StatusOK, "POST", "/api/v1/auth/login", "", map[string]string{"email": g.Email, "password": testutil.Password},
		"User-Agent", "Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1").JSON()

	ctx := browser(t, 390, 844)
	login(t, ctx, a.URL, g.Email, testutil.Password)
	do(t, ctx, chromedp.Navigate(a.URL+"/account"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="sessions-link"]`)))
	submit(t, ctx, `[data-testid="sessions-link"]`)
	rows := texts(t, ctx, `[data-testid="session"]`)
	if len(rows) != 3 {
		t.Fatalf("%d sessions listed, want 3 (registration, tablet, this browser): %q", len(rows), rows)
	}
	if !strings.Contains(rows[0], "本设备") || !strings.Contains(rows[0], "Chrome") {
		t.Fatalf("the first row is not this browser: %q", rows)
	}
	if !strings.Contains(strings.Join(rows, "\n"), "Safari · iPadOS") || !strings.Contains(strings.Join(rows, "\n"), "127.0.0.*") {
		t.Fatalf("the tablet's session or the masked address is missing: %q", rows)
	}
	noSidewaysScroll(t, ctx)

	// The first other row (the tablet: used more recently than the
	// registration) signs out.
	submit(t, ctx, `[data-testid="session-revoke"]`)
	if rows = texts(t, ctx, `[data-testid="session"]`); len(rows) != 2 || strings.Contains(strings.Join(rows, "\n"), "iPadOS") {
		t.Fatalf("after signing the tablet out: %q", rows)
	}
	a.Must(http.StatusUnauthorized, "POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": tablet["refresh_token"].(string)})

	submit(t, ctx, `[data-testid="sessions-revoke-others"]`)
	if rows = texts(t, ctx, `[data-testid="session"]`); len(rows) != 1 || !strings.Contains(rows[0], "本设备") {
		t.Fatalf("after signing out elsewhere: %q", rows)
	}
	text(t, ctx, `[data-testid="sessions-only-this"]`)
	a.Must(http.StatusUnauthorized, "POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": g.Refresh})
	noSidewaysScroll(t, ctx)
}
