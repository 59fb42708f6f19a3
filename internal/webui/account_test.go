package webui_test

import (
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gradzone/gradzone/internal/testutil"
)

// formClient is a cookie-keeping client that does not follow redirects.
type formClient struct {
	t  *testing.T
	a  *testutil.App
	cl *http.Client
}

func newFormClient(t *testing.T, a *testutil.App) *formClient {
	jar, _ := cookiejar.New(nil)
	return &formClient{t: t, a: a, cl: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *formClient) get(path string) (int, string) {
	b.t.Helper()
	res, err := b.cl.Get(b.a.URL + path)
	body := readBody(b.t, res, err)
	return res.StatusCode, string(body)
}

// post submits a form of the page at from (its CSRF token) to action.
func (b *formClient) post(from, action string, form url.Values) (int, string, string) {
	b.t.Helper()
	_, page := b.get(from)
	m := csrfField.FindStringSubmatch(page)
	if m == nil {
		b.t.Fatalf("no CSRF field on %s", from)
	}
	form.Set("_csrf", m[1])
	req, _ := http.NewRequest("POST", b.a.URL+action, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := b.cl.Do(req)
	body := readBody(b.t, res, err)
	return res.StatusCode, res.Header.Get("Location"), string(body)
}

// TestAccountPages follows the mails' links in the site's pages: verify
// the address, change the password on the account page, ask for a reset
// from the sign-in page and set a new password with its link.
func TestAccountPages(t *testing.T) {
	mp := testutil.NewMailpit(t)
	a := testutil.NewApp(t, testutil.PublicURL("http://site.example.test"))
	email := testutil.MailAddress("webacct")
	a.Must(http.StatusCreated, "POST", "/api/v1/auth/register", "", testutil.GraduateBody(email))
	got := mp.WaitFor(email, 1, 30*time.Second)
	link, _ := a.LinkToken(mp.Message(got[0].ID).Text, "/verify-email")
	path := strings.TrimPrefix(link, "http://site.example.test")

	b := newFormClient(t, a)
	if st, loc, _ := b.post("/login", "/login", url.Values{"email": {email}, "password": {testutil.Password}}); st != http.StatusSeeOther {
		t.Fatalf("sign in: %d %s", st, loc)
	}
	if _, page := b.get("/account"); !strings.Contains(page, `data-testid="email-unverified"`) || !strings.Contains(page, "未验证") {
		t.Fatalf("account page before verification:\n%s", page)
	}
	if st, page := b.get(path); st != http.StatusOK || !strings.Contains(page, `data-testid="verify-ok"`) {
		t.Fatalf("verify link: %d\n%s", st, page)
	}
	if st, page := b.get(path); st != http.StatusUnprocessableEntity || !strings.Contains(page, "链接无效、已使用或已过期") {
		t.Fatalf("verify link again: %d\n%s", st, page)
	}
	if _, page := b.get("/account"); !strings.Contains(page, `data-testid="email-verified"`) {
		t.Fatalf("account page after verification:\n%s", page)
	}

	// Change the password: a wrong current one is named beside its field.
	other := a.Login(email)
	st, _, page := b.post("/account", "/account/password", url.Values{"current_password": {"not it at all"}, "new_password": {"brand new secret"}})
	if st != http.StatusUnprocessableEntity || !strings.Contains(page, `id="e-current_password"`) || !strings.Contains(page, "不正确") {
		t.Fatalf("wrong current password: %d\n%s", st, page)
	}
	if st, loc, _ := b.post("/account", "/account/password", url.Values{"current_password": {testutil.Password}, "new_password": {"brand new secret"}}); st != http.StatusSeeOther || loc != "/account" {
		t.Fatalf("change password: %d %s", st, loc)
	}
	if st, _ := b.get("/account"); st != http.StatusOK {
		t.Fatalf("this formClient was signed out by its own password change: %d", st)
	}
	a.Must(http.StatusUnauthorized, "POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": other.Refresh})

	// Forgot password, from the sign-in page's link.
	anon := newFormClient(t, a)
	if _, page := anon.get("/login"); !strings.Contains(page, `href="/forgot-password"`) {
		t.Fatalf("no forgot-password link on /login:\n%s", page)
	}
	if st, _, page := anon.post("/forgot-password", "/forgot-password", url.Values{"email": {email}}); st != http.StatusOK || !strings.Contains(page, `data-testid="forgot-sent"`) {
		t.Fatalf("forgot: %d\n%s", st, page)
	}
	got = mp.WaitFor(email, 2, 30*time.Second)
	link, token := a.LinkToken(mp.Message(got[0].ID).Text, "/reset-password")
	path = strings.TrimPrefix(link, "http://site.example.test")
	if st, page := anon.get(path); st != http.StatusOK || !strings.Contains(page, `value="`+token+`"`) {
		t.Fatalf("reset page: %d\n%s", st, page)
	}
	st, _, page = anon.post(path, "/reset-password", url.Values{"token": {token}, "password": {"short"}})
	if st != http.StatusUnprocessableEntity || !strings.Contains(page, `id="e-password"`) {
		t.Fatalf("weak password: %d\n%s", st, page)
	}
	if st, loc, _ := anon.post(path, "/reset-password", url.Values{"token": {token}, "password": {"reset by mail 123"}}); st != http.StatusSeeOther || loc != "/login" {
		t.Fatalf("reset: %d %s", st, loc)
	}
	// Every session is over, the formClient's that changed the password too.
	if st, _ := b.get("/account"); st == http.StatusOK {
		t.Fatal("a session survived the reset")
	}
	st, _, page = anon.post(path, "/reset-password", url.Values{"token": {token}, "password": {"reset twice 1234"}})
	if st != http.StatusUnprocessableEntity || !strings.Contains(page, `data-testid="reset-bad-token"`) {
		t.Fatalf("reused reset link: %d\n%s", st, page)
	}
	a.LoginWith(email, "reset by mail 123")
}
