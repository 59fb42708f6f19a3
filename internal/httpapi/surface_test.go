package httpapi_test

import (
	"database/sql"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/gradzone/gradzone/internal/config"
	"github.com/gradzone/gradzone/internal/httpapi"
	"github.com/gradzone/gradzone/internal/postgres"
	"github.com/gradzone/gradzone/internal/testutil"
	"github.com/gradzone/gradzone/web"
)

// Finding 11: every HTML response carries the contract's headers.
func TestSecurityHeadersOnEveryPage(t *testing.T) {
	a := testutil.NewApp(t)
	for _, p := range []string{"/", "/login", "/register", "/events", "/no-such-page", "/openings/00000000-0000-0000-0000-000000000000"} {
		r := a.Do("GET", p, "", nil)
		if !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
			t.Fatalf("%s: %s", p, r.Header.Get("Content-Type"))
		}
		csp := r.Header.Get("Content-Security-Policy")
		script := directive(csp, "script-src")
		if script != "'self'" || !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(directive(csp, "default-src"), "unsafe") {
			t.Errorf("%s: CSP %q", p, csp)
		}
		if r.Header.Get("X-Content-Type-Options") != "nosniff" || r.Header.Get("Referrer-Policy") == "" ||
			!strings.Contains(r.Header.Get("Permissions-Policy"), "camera=()") {
			t.Errorf("%s: headers %v", p, r.Header)
		}
		if r.Header.Get("Strict-Transport-Security") != "" {
			t.Errorf("%s: HSTS without an https public URL", p)
		}
	}
}

func directive(csp, name string) string {
	for _, d := range strings.Split(csp, ";") {
		d = strings.TrimSpace(d)
		if rest, ok := strings.CutPrefix(d, name+" "); ok {
			return rest
		}
	}
	return ""
}

// The templates hold no inline script and no inline event handler: the
// policy would block them (JSON data blocks are not scripts).
func TestTemplatesHaveNoInlineScript(t *testing.T) {
	inline := regexp.MustCompile(`(?i)<script(\s[^>]*)?>`)
	handler := regexp.MustCompile(`(?i)\son[a-z]+\s*=`)
	jsURL := regexp.MustCompile(`(?i)(href|action|src)\s*=\s*"\s*javascript:`)
	err := fs.WalkDir(web.FS, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := fs.ReadFile(web.FS, path)
		for _, m := range inline.FindAllString(string(b), -1) {
			// JSON and JSON-LD blocks are data: browsers never run them.
			if !strings.Contains(m, `src="/static/`) && !strings.Contains(m, `type="application/json"`) && !strings.Contains(m, `type="application/ld+json"`) {
				t.Errorf("%s: inline script %s", path, m)
			}
		}
		if m := handler.FindString(string(b)); m != "" {
			t.Errorf("%s: inline handler %q", path, m)
		}
		if jsURL.MatchString(string(b)) {
			t.Errorf("%s: javascript: URL", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// An unknown page gets the site's styled 404 page; the API keeps JSON.
func TestNotFoundPages(t *testing.T) {
	a := testutil.NewApp(t)
	r := a.Must(404, "GET", "/no/such/page", "", nil)
	if !strings.Contains(string(r.Body), `/static/app.css`) || !strings.Contains(string(r.Body), "<nav") {
		t.Fatalf("not the styled page: %s", r.Body)
	}
	r = a.Must(404, "GET", "/api/v1/no-such-thing", "", nil)
	if r.ErrorCode() != "not_found" {
		t.Fatalf("API 404: %s", r.Body)
	}
	// A slash too many: an API path is not found in the API's shape (it
	// was gin's HTML 301: a probe); a page goes to itself without it, and
	// never off the site.
	for _, method := range []string{"GET", "POST"} {
		if r := a.Do(method, "/api/v1/openings/", "", nil); r.Status != http.StatusNotFound || r.ErrorCode() != "not_found" {
			t.Errorf("%s /api/v1/openings/: %d %s", method, r.Status, r.Body)
		}
	}
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for path, want := range map[string]string{"/events/?lang=en": "/events?lang=en", "//evil.example/": "/", "/%5Cevil.example/": "/"} {
		res, err := noRedirect.Get(a.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != want {
			t.Errorf("%s: %d to %q, want %q", path, res.StatusCode, res.Header.Get("Location"), want)
		}
	}
	// A static folder is no page (a probe read listings of them), and a
	// missing asset is the site's 404 too; an asset is served.
	for _, path := range []string{"/static/", "/static/vendor/", "/static/vendor/redoc/", "/static/nope.js", "/static/../go.mod"} {
		if r := a.Do("GET", path, "", nil); r.Status != http.StatusNotFound || !strings.Contains(string(r.Body), "<nav") {
			t.Errorf("%s: %d\n%.300s", path, r.Status, r.Body)
		}
	}
	a.Must(http.StatusOK, "GET", "/static/app.css", "", nil)
}

// HSTS and Secure cookies exactly when the public URL is https.
func TestHTTPSDeployment(t *testing.T) {
	for _, tc := range []struct {
		public string
		secure bool
	}{{"http://jobs.example.test", false}, {"https://jobs.example.test", true}} {
		a := testutil.NewApp(t, testutil.PublicURL(tc.public))
		g := a.Graduate()
		r := a.Do("GET", "/", "", nil)
		if got := r.Header.Get("Strict-Transport-Security") != ""; got != tc.secure {
			t.Errorf("%q: HSTS %v", tc.public, got)
		}
		for _, ck := range r.Header.Values("Set-Cookie") { // the CSRF cookie
			// On https its name keeps cookies planted by a sibling
			// subdomain or over http out (__Host-); the page's script
			// reads the token from the page (HttpOnly).
			if strings.Contains(ck, "; Secure") != tc.secure || strings.HasPrefix(ck, "__Host-gz_csrf=") != tc.secure ||
				!strings.Contains(ck, "; HttpOnly") {
				t.Errorf("%q: cookie %s", tc.public, ck)
			}
		}
		res := postForm(t, a, "/login", url.Values{"email": {g.Email}, "password": {testutil.Password}})
		cookies := res.Header.Values("Set-Cookie")
		if len(cookies) < 2 {
			t.Fatalf("%q: sign-in set %v", tc.public, cookies)
		}
		// The session's cookies too (a planted one would sign the victim
		// into the attacker's account); the API reads the one of the
		// deployment only.
		token := ""
		for _, ck := range cookies {
			name, value, _ := strings.Cut(strings.Split(ck, ";")[0], "=")
			if strings.Contains(ck, "; Secure") != tc.secure || strings.HasPrefix(name, "__Host-") != tc.secure {
				t.Errorf("%q: cookie %s", tc.public, ck)
			}
			if strings.TrimPrefix(name, "__Host-") == "gz_access" {
				token = value
			}
		}
		// On https the names before the prefix are expired, not read.
		req, _ := http.NewRequest("GET", a.URL+"/", nil)
		req.AddCookie(&http.Cookie{Name: "gz_access", Value: token})
		req.AddCookie(&http.Cookie{Name: "gz_refresh", Value: "old"})
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		expired := 0
		for _, ck := range res.Header.Values("Set-Cookie") {
			if strings.HasPrefix(ck, "gz_access=;") || strings.HasPrefix(ck, "gz_refresh=;") {
				expired++
			}
		}
		if want := map[bool]int{true: 2}[tc.secure]; expired != want {
			t.Errorf("%q: %d plain session cookies expired, want %d: %v", tc.public, expired, want, res.Header.Values("Set-Cookie"))
		}
		// The tracked link's attribution cookie too (a contract check: it
		// was never Secure); an unknown code is the site's 404 page, not
		// the API's JSON (a QR poster's stale code showed raw JSON).
		now := time.Now()
		ev := a.Must(http.StatusCreated, "POST", "/api/v1/events", a.ZoneAdmin("sichuan-chengdu").Token,
			eventBody("sichuan-chengdu", now.Add(time.Hour), now.Add(3*time.Hour))).JSON()
		noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		if res, err := noRedirect.Get(a.URL + ev["tracked_link"].(string)); err != nil || res.StatusCode != http.StatusFound ||
			!strings.HasPrefix(res.Header.Get("Set-Cookie"), "gz_via=") || strings.Contains(res.Header.Get("Set-Cookie"), "; Secure") != tc.secure {
			t.Errorf("%q: the tracked link: %v %v", tc.public, res, err)
		}
		if r := a.Do("GET", "/e/no-such-code", "", nil); r.Status != http.StatusNotFound || !strings.Contains(string(r.Body), "<nav") {
			t.Errorf("%q: an unknown tracked link: %d %.200s", tc.public, r.Status, r.Body)
		}
		for _, name := range []string{"gz_access", "__Host-gz_access"} {
			want := http.StatusUnauthorized
			if strings.HasPrefix(name, "__Host-") == tc.secure {
				want = http.StatusOK
			}
			req, _ := http.NewRequest("GET", a.URL+"/api/v1/me", nil)
			req.AddCookie(&http.Cookie{Name: name, Value: token})
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != want {
				t.Errorf("%q: GET /api/v1/me with the cookie %s: %d, want %d", tc.public, name, res.StatusCode, want)
			}
		}
	}
}

// postForm signs the form with a CSRF token the way a browser would.
func postForm(t *testing.T, a *testutil.App, path string, form url.Values) *http.Response {
	t.Helper()
	cookie, token := a.SignedOutFormToken()
	form.Set("_csrf", token)
	req, _ := http.NewRequest("POST", a.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: cookie.Name, Value: cookie.Value})
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST %s: %d", path, res.StatusCode)
	}
	return res
}

// Every GET route answers HEAD with the GET's status and headers, no body.
func TestHeadForEveryGetRoute(t *testing.T) {
	a := testutil.NewApp(t)
	g := a.Graduate()
	n := 0
	for _, rt := range httpapi.Routes(a.Server.Handler) {
		if rt.Method != "GET" {
			continue
		}
		n++
		p := fillParams(rt.Path, "x")
		if rt.Path == "/static/*path" {
			p = "/static/app.css"
		}
		get := a.Do("GET", p, g.Token, nil)
		head := a.Do("HEAD", p, g.Token, nil)
		if head.Status != get.Status || len(head.Body) != 0 || head.Header.Get("Content-Type") != get.Header.Get("Content-Type") {
			t.Errorf("HEAD %s: %d %q (GET %d %q), body %d bytes", p, head.Status, head.Header.Get("Content-Type"),
				get.Status, get.Header.Get("Content-Type"), len(head.Body))
		}
	}
	if n < 30 {
		t.Fatalf("only %d GET routes", n)
	}
}

// /metrics and the readiness details are on the metrics address only.
func TestMetricsOnlyOnMetricsAddress(t *testing.T) {
	a := testutil.NewApp(t)
	a.Must(404, "GET", "/metrics", "", nil)
	if m := a.Metrics("/metrics"); m.Status != 200 || !strings.Contains(string(m.Body), "gradzone_") {
		t.Fatalf("metrics address: %d", m.Status)
	}
	// Public: ready or not, and Meilisearch's bare state (CONTRACT), nothing more.
	pub := a.Must(200, "GET", "/readyz", "", nil).JSON()
	if len(pub) != 2 || pub["status"] != "ok" || pub["meilisearch"] != "up" {
		t.Fatalf("public readyz: %v", pub)
	}
	det := a.Metrics("/readyz").JSON()
	if det["postgres"] != "up" || det["meilisearch"] == nil {
		t.Fatalf("detailed readyz: %v", det)
	}
}

// Every statement runs under Postgres's statement_timeout.
func TestStatementTimeout(t *testing.T) {
	a := testutil.NewApp(t)
	db, err := sql.Open("pgx", postgres.WithStatementTimeout(a.DBURL, config.Default().StatementTimeout))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v string
	if err := db.QueryRow("SHOW statement_timeout").Scan(&v); err != nil || v != "15s" {
		t.Fatalf("statement_timeout %q %v", v, err)
	}
	short, _ := sql.Open("pgx", postgres.WithStatementTimeout(a.DBURL, 200*time.Millisecond))
	defer short.Close()
	if _, err := short.Exec("SELECT pg_sleep(2)"); err == nil || !strings.Contains(err.Error(), "57014") {
		t.Fatalf("a long statement was not cut off: %v", err)
	}
}

// Every route caps its body: 413, before anything else is looked at (so
// even before the credentials: the exchange is outside what the API
// description models, and a plain client sends it).
func TestBodyLimitOnEveryRoute(t *testing.T) {
	a := testutil.NewApp(t)
	big := `{"name":"` + strings.Repeat("x", 11<<20) + `"}` // over every upload's limit too (10 MB)
	for _, rt := range httpapi.Routes(a.Server.Handler) {
		if rt.Method == "GET" {
			continue
		}
		req, _ := http.NewRequest(rt.Method, a.URL+fillParams(rt.Path, "x"), strings.NewReader(big))
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", rt.Method, rt.Path, err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("%s %s with an 11 MB body: %d", rt.Method, rt.Path, res.StatusCode)
		}
	}
}
