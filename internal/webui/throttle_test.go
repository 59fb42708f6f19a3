package webui_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/gradzone/gradzone/internal/testutil"
)

// formAttempt posts the real sign-in form (CSRF token from the page) with
// lang's cookie, as from X-Forwarded-For address from; it returns the status,
// Retry-After and page.
func formAttempt(t *testing.T, a *testutil.App, lang, email, password, from string) (int, string, string) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	u, _ := url.Parse(a.URL)
	jar.SetCookies(u, []*http.Cookie{{Name: "gz_lang", Value: lang, Path: "/"}})
	cl := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	page, err := cl.Get(a.URL + "/login")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(page.Body)
	page.Body.Close()
	m := csrfField.FindStringSubmatch(string(b))
	if m == nil {
		t.Fatal("no CSRF field on the sign-in page")
	}
	form := url.Values{"_csrf": {m[1]}, "email": {email}, "password": {password}}
	req, _ := http.NewRequest("POST", a.URL+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-For", from)
	res, err := cl.Do(req)
	b = readBody(t, res, err)
	return res.StatusCode, res.Header.Get("Retry-After"), string(b)
}

// Issue 12, finding 2: the web form had no limit. Now it shares the API's
// per-account count: ten failures (through the form and the API alike)
// refuse the eleventh attempt, right password or not, with 429, Retry-After
// and a page saying when to retry, in Chinese and in English.
func TestLoginFormThrottled(t *testing.T) {
	a := testutil.NewApp(t)
	g := a.Graduate()
	for i := range 10 {
		if i%2 == 0 {
			a.Must(http.StatusUnauthorized, "POST", "/api/v1/auth/login", "", map[string]string{"email": g.Email, "password": "wrong-password-1"})
			continue
		}
		if st, _, _ := formAttempt(t, a, "zh", g.Email, "wrong-password-1", "203.0.113."+strconv.Itoa(i)); st != http.StatusUnauthorized {
			t.Fatalf("failure %d through the form: status %d", i, st)
		}
	}
	for lang, want := range map[string]string{"zh": "分钟后重试", "en": "Try again in 15 min"} {
		st, ra, page := formAttempt(t, a, lang, g.Email, testutil.Password, "192.0.2.9")
		n, _ := strconv.Atoi(ra)
		if st != http.StatusTooManyRequests || n < 14*60 || n > 15*60 {
			t.Fatalf("%s: status %d, Retry-After %q", lang, st, ra)
		}
		if !strings.Contains(page, want) || !strings.Contains(page, `data-testid="login-email"`) {
			t.Fatalf("%s: the 429 page does not say when to retry (%q):\n%s", lang, want, page)
		}
	}
}
