package webui_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/gradzone/gradzone/internal/testutil"
)

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// formLogin signs in through the real web form with next and returns where
// the site sends the browser.
func formLogin(t *testing.T, a *testutil.App, email, next string) string {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	cl := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	page, err := cl.Get(a.URL + "/login?next=" + url.QueryEscape(next))
	if err != nil {
		t.Fatal(err)
	}
	body := new(strings.Builder)
	_, _ = io.Copy(body, page.Body)
	page.Body.Close()
	m := csrfField.FindStringSubmatch(body.String())
	if m == nil {
		t.Fatalf("no CSRF field on the sign-in page")
	}
	res, err := cl.PostForm(a.URL+"/login", url.Values{"_csrf": {m[1]}, "email": {email}, "password": {testutil.Password}, "next": {next}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in with next=%q: status %d", next, res.StatusCode)
	}
	return res.Header.Get("Location")
}

// Finding 5 of issue 12: next on /login leads only to a path on this site.
func TestLoginNextStaysOnSite(t *testing.T) {
	a := testutil.NewApp(t)
	g := a.Graduate()
	for _, next := range []string{"/\t/evil.example", "//evil.example", "/\\evil.example", "https://evil.example/", "/%2F%2Fevil.example", " //evil.example"} {
		if loc := formLogin(t, a, g.Email, next); loc != "/" {
			t.Errorf("next=%q sent the browser to %q, want /", next, loc)
		}
	}
	if loc := formLogin(t, a, g.Email, "/openings?q=x"); loc != "/openings?q=x" {
		t.Errorf("a local next was not kept: %q", loc)
	}
	if loc := formLogin(t, a, g.Email, ""); loc != "/me" {
		t.Errorf("no next: %q, want the graduate's home", loc)
	}
}

// The finding as reported, in the real browser: /login?next=/%09/evil.example.
func TestBrowserLoginNextTab(t *testing.T) {
	a := testutil.NewApp(t)
	g := a.Graduate()
	ctx := browser(t, 1024, 768)
	do(t, ctx,
		chromedp.Navigate(a.URL+"/login?next=/%09/evil.example"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="login-email"]`)),
		chromedp.SendKeys(chromedp.CSS(`[data-testid="login-email"]`), g.Email),
		chromedp.SendKeys(chromedp.CSS(`[data-testid="login-password"]`), testutil.Password))
	// submit waits for the next document; the location is read after it,
	// never while the sign-in page is still the one shown.
	submit(t, ctx, `[data-testid="login-submit"]`)
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	u, perr := url.Parse(loc)
	base, _ := url.Parse(a.URL)
	if perr != nil || u.Host != base.Host || u.Path != "/" {
		t.Fatalf("after sign-in the browser is at %q, want %s/", loc, a.URL)
	}
	_ = context.Background
}
