package httpapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/gradzone/gradzone/internal/config"
	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/httpapi"
	"github.com/gradzone/gradzone/internal/testutil"
)

// addressLimit3 lets one address fail three times an hour, so the tests
// can see which address a failure is counted for.
var addressLimit3 = domain.SignInLimits{AccountFailures: 10, AccountWindow: 15 * time.Minute, AddressFailures: 3, AddressWindow: time.Hour}

// Finding 1: the per-address sign-in limit counted whatever X-Forwarded-For
// said. With no trusted proxy the TCP peer is the address, whatever the header.
func TestClientAddressIgnoresForwardedForByDefault(t *testing.T) {
	a := testutil.NewApp(t)
	a.Server.Accounts.Limits = addressLimit3
	limited := 0
	for i := range 6 {
		r := a.Do("POST", "/api/v1/auth/login", "", map[string]string{"email": fmt.Sprintf("nobody%d@example.test", i), "password": "wrong-password-1"},
			"X-Forwarded-For", fmt.Sprintf("203.0.113.%d", i+1))
		if r.Status == http.StatusTooManyRequests {
			limited++
		}
	}
	if limited != 3 {
		t.Fatalf("%d of 6 attempts limited; want 3 (X-Forwarded-For must not pick the address)", limited)
	}
}

// With the proxy's network trusted, its X-Forwarded-For is believed.
func TestClientAddressFromTrustedProxy(t *testing.T) {
	a := testutil.NewApp(t, testutil.TrustedProxies("127.0.0.0/8, ::1/128"))
	a.Server.Accounts.Limits = addressLimit3
	for i := range 6 {
		r := a.Do("POST", "/api/v1/auth/login", "", map[string]string{"email": fmt.Sprintf("nobody%d@example.test", i), "password": "wrong-password-1"},
			"X-Forwarded-For", fmt.Sprintf("203.0.113.%d", i+1))
		if r.Status == http.StatusTooManyRequests {
			t.Fatalf("attempt %d from a distinct forwarded address was limited", i)
		}
	}
}

func TestTrustedProxiesConfigValidated(t *testing.T) {
	c := config.Default()
	c.JWTSecret = "k3Jx9-QmZp2vL7aR8tYw4nB6cE1dF0gH"
	c.TrustedProxies = "10.0.0.0/8,not-a-network"
	if err := c.ValidateForServe(testutil.Quiet()); err == nil || !strings.Contains(err.Error(), "TRUSTED_PROXIES") {
		t.Fatalf("bad CIDR accepted: %v", err)
	}
}

// Finding 12: a NUL byte reaching Postgres answered 500. The examples the
// fuzzer found, each answered 4xx naming the field.
func TestNulBytesRefusedBeforeTheStore(t *testing.T) {
	a := plain(testutil.NewApp(t))
	_, admin, opening := a.PublishedOpening(nil)
	g := a.Graduate()

	check := func(r testutil.Response, status int, field string) {
		t.Helper()
		if r.Status != status {
			t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
		}
		if field != "" && (r.ErrorCode() != "validation_failed" || r.Field(field) == "") {
			t.Fatalf("want validation_failed on %q: %s", field, r.Body)
		}
	}
	check(a.Do("GET", "/api/v1/zones/%00b", "", nil), 422, "code")
	check(a.Do("GET", "/api/v1/events?zone=%00", "", nil), 422, "zone")
	check(a.Do("POST", "/api/v1/auth/login", "", `{"email":"a\u0000@example.test","password":"x"}`), 422, "email")
	check(a.Do("POST", "/api/v1/openings/"+opening+"/applications", g.Token, `{"cover_letter":"hello\u0000"}`), 422, "cover_letter")
	check(a.Do("POST", "/api/v1/me/saved-searches", g.Token, `{"name":"n\u0000","query":{"q":"x"}}`), 422, "name")
	check(a.Do("POST", "/api/v1/reports/monthly/submit", admin.Token, `{"zone":"sichuan\u0000","year":2026,"month":1}`), 422, "zone")
	check(a.Do("POST", "/api/v1/auth/register", "", `{"role":"employer","email":"e@example.test","employer":{"name":"\u0000"}}`), 422, "employer.name")
	// Invalid UTF-8 in a JSON body is not JSON.
	r := a.Do("POST", "/api/v1/auth/login", "", "{\"email\":\"a\xff@example.test\",\"password\":\"x\"}")
	if r.Status != 400 || r.ErrorCode() != "invalid_json" {
		t.Fatalf("invalid UTF-8 body: %d %s", r.Status, r.Body)
	}
	// Nor is its escape: half a character (a probe's saved search was
	// stored, and mailed, as "�"). A whole one, and a backslash before a
	// "u", are text.
	for body, want := range map[string]int{`{"name":"\ud800","q":"x"}`: 400, `{"name":"a\udc00b"}`: 400, `{"name":"\ud83d\ude00 x","q":"表情"}`: 201,
		`{"name":"C:\\ud800","q":"路径"}`: 201, `{"name":"\ud83d"}`: 400} {
		if r := a.Do("POST", "/api/v1/me/saved-searches", g.Token, body); r.Status != want {
			t.Errorf("%s: %d %s, want %d", body, r.Status, r.Body, want)
		}
	}
	// Invalid UTF-8 in a query parameter.
	check(a.Do("GET", "/api/v1/openings?q=%ff%fe", "", nil), 422, "q")
	// And in the one header the API stores (an API probe's 500).
	check(a.Do("POST", "/api/v1/openings/"+opening+"/applications", g.Token, `{"cover_letter":"k"}`, "Idempotency-Key", "\xe9"), 422, "Idempotency-Key")
	// The web form too: 400 with the site's page, not 500.
	res, err := http.PostForm(a.URL+"/login", url.Values{"email": {"a\x00@example.test"}, "password": {"x"}})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 400 || !strings.Contains(res.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("web form with NUL: %d %s", res.StatusCode, body)
	}
	// Ordinary text still goes through: the check does not refuse \\u0000 as text.
	a.Must(201, "POST", "/api/v1/openings/"+opening+"/applications", a.Graduate().Token, `{"cover_letter":"a literal \\u0000 is fine"}`)
}

// Every route of the API and the site, tried with NUL in its path, its query
// and its body, anonymous and signed in: 4xx, never 500 (testutil.Do fails
// the test on any 5xx).
func TestHostileInputOnEveryRoute(t *testing.T) {
	a := plain(testutil.NewApp(t))
	g := a.Graduate()
	minister := a.MinistryAdmin()
	emp := a.VerifiedEmployer("51", "sichuan-chengdu")
	routes := httpapi.Routes(a.Server.Handler)
	if len(routes) < 60 {
		t.Fatalf("only %d routes enumerated", len(routes))
	}
	for _, rt := range routes {
		if rt.Path == "/static/*path" {
			continue
		}
		nul := fillParams(rt.Path, "%00b")
		plain := fillParams(rt.Path, "x")
		for _, tok := range []string{"", g.Token, minister.Token, emp.Token} {
			if strings.Contains(rt.Path, ":") {
				if r := a.Do(rt.Method, nul, tok, nil); r.Status < 400 || r.Status > 499 {
					t.Errorf("%s %s with NUL in the path: %d", rt.Method, nul, r.Status)
				}
			}
			if r := a.Do(rt.Method, plain+"?q=%00&zone=%00&page=%00&year=%00", tok, nil); r.Status < 400 || r.Status > 499 {
				t.Errorf("%s %s with NUL in the query: %d", rt.Method, plain, r.Status)
			}
			if rt.Method == "GET" || rt.Method == "HEAD" { // bodies are not read
				continue
			}
			body := `{"name":"\u0000","email":"\u0000@x.test","zone":"\u0000","cover_letter":"\u0000","q":"\u0000","title":"\u0000","refresh_token":"\u0000","to":"\u0000","code":"\u0000"}`
			if r := a.Do(rt.Method, plain, tok, body); r.Status < 400 || r.Status > 499 {
				t.Errorf("%s %s with NUL in the body: %d %s", rt.Method, plain, r.Status, r.Body)
			}
			r := a.Do(rt.Method, plain, tok, "name=%00&_csrf=x", "Content-Type", "application/x-www-form-urlencoded")
			if r.Status < 400 || r.Status > 499 {
				t.Errorf("%s %s with NUL in a form: %d", rt.Method, plain, r.Status)
			}
		}
	}
}

// The lists' optional filters (optionalOneOf): a value none of the
// filter's own is 422 naming the parameter; a known one lists.
func TestListFiltersRefuseUnknownValues(t *testing.T) {
	a := testutil.NewApp(t)
	emp, admin := a.Publisher()
	g := a.Graduate()
	for _, tc := range []struct{ path, token, field, known string }{
		{"/api/v1/applications?status=", g.Token, "status", "submitted"},
		{"/api/v1/events?kind=", "", "kind", "job_fair"},
		{"/api/v1/openings/manage?status=", emp.Token, "status", "closed"},
		{"/api/v1/employers?status=", admin.Token, "status", "verified"},
		// The yes/no filters (an API probe found any value read as no).
		{"/api/v1/applications?stale=", g.Token, "stale", "true"},
		{"/api/v1/notifications?unread=", g.Token, "unread", "false"},
		{"/api/v1/events?upcoming=", "", "upcoming", "true"},
	} {
		r := a.Do("GET", tc.path+"lost", tc.token, nil)
		if r.Status != http.StatusUnprocessableEntity || r.ErrorCode() != "validation_failed" || r.Field(tc.field) == "" {
			t.Errorf("%slost: %d %s", tc.path, r.Status, r.Body)
		}
		a.Must(http.StatusOK, "GET", tc.path+tc.known, tc.token, nil)
	}
}

// plain sends without checking exchanges against api/openapi.yaml: hostile
// input is refused before routing, credentials or anything the description
// models (a NUL is 422 even where the operation would answer 401), and
// these tests assert only that — 4xx, never 5xx.
func plain(a *testutil.App) *testutil.App {
	p := *a
	p.Client = &http.Client{}
	return &p
}

// fillParams replaces every :param and *param of a gin path with v.
func fillParams(path, v string) string {
	parts := strings.Split(path, "/")
	for i, p := range parts {
		if strings.HasPrefix(p, ":") || strings.HasPrefix(p, "*") {
			parts[i] = v
		}
	}
	return strings.Join(parts, "/")
}

// Finding 13: a stale or revoked token sent with a public or sign-in
// request no longer locks the client out; protected routes still say 401.
func TestStaleTokenIgnoredWhereNoneIsNeeded(t *testing.T) {
	a := testutil.NewApp(t)
	g := a.Graduate()
	// The finding's case: an access token that expired (issued an hour ago;
	// they live 15 minutes), with its session's refresh token still good.
	tokens := a.Server.Accounts.Tokens
	tokens.SetClock(func() time.Time { return time.Now().Add(-time.Hour) })
	expired := a.Login(g.Email)
	tokens.SetClock(time.Now)
	a.Must(204, "POST", "/api/v1/auth/logout", g.Token, nil)
	for _, bad := range []string{g.Token, "garbage.token.value", expired.Token} {
		a.Must(200, "POST", "/api/v1/auth/login", bad, map[string]string{"email": g.Email, "password": testutil.Password})
		a.Must(202, "POST", "/api/v1/auth/password-reset", bad, map[string]string{"email": g.Email})
		if r := a.Must(422, "POST", "/api/v1/auth/password-reset/confirm", bad,
			map[string]string{"token": "not-a-reset-token", "password": "new-password-123"}); r.Field("token") == "" {
			t.Fatalf("reset confirm with a bad bearer token: %s", r.Body)
		}
		a.Must(200, "GET", "/api/v1/openings", bad, nil)
		a.Must(200, "GET", "/api/v1/zones", bad, nil)
		a.Must(200, "GET", "/api/v1/events", bad, nil)
		a.Must(201, "POST", "/api/v1/auth/register", bad, testutil.GraduateBody(fmt.Sprintf("fresh%d@example.test", time.Now().UnixNano())))
		// Protected routes still tell the client its session ended.
		if r := a.Must(401, "GET", "/api/v1/me", bad, nil); r.ErrorCode() != "unauthenticated" {
			t.Fatalf("me with a bad token: %s", r.Body)
		}
	}
	// Refresh with a valid refresh token and a stale access token: revoked,
	// and expired (the session's own).
	fresh := a.Login(g.Email)
	a.Must(200, "POST", "/api/v1/auth/refresh", g.Token, map[string]string{"refresh_token": fresh.Refresh})
	a.Must(200, "POST", "/api/v1/auth/refresh", expired.Token, map[string]string{"refresh_token": expired.Refresh})
	// A malformed scheme is anonymous on public reads too.
	a.Must(200, "GET", "/api/v1/openings", "", nil, "Authorization", "Basic Zm9vOmJhcg==")
	a.Must(401, "GET", "/api/v1/me", "", nil, "Authorization", "Basic Zm9vOmJhcg==")
}

// Finding 6: logout with the access token and no body ends that session:
// its refresh token stops working; the user's other sessions go on.
func TestLogoutWithoutBodyEndsTheSession(t *testing.T) {
	a := testutil.NewApp(t)
	g := a.Graduate()
	here, elsewhere := a.Login(g.Email), a.Login(g.Email)
	a.Must(204, "POST", "/api/v1/auth/logout", here.Token, nil)
	if r := a.Must(401, "POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": here.Refresh}); r.ErrorCode() != "unauthenticated" {
		t.Fatalf("refresh after logout: %s", r.Body)
	}
	a.Must(401, "GET", "/api/v1/me", here.Token, nil)
	// The chain is ended, not just the token: a refreshed successor of the
	// session is refused too.
	next := a.Must(200, "POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": elsewhere.Refresh}).JSON()
	a.Must(200, "GET", "/api/v1/me", next["access_token"].(string), nil)
	a.Must(204, "POST", "/api/v1/auth/logout", next["access_token"].(string), nil)
	a.Must(401, "POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": next["refresh_token"].(string)})
	// The registration session (a third one) still works.
	a.Must(200, "POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": g.Refresh})
}

// An empty body sent chunked (a client that streams or wraps its body does
// not know the length) is no body, like an empty one with a length: approve
// takes an optional body and must not answer 400 "body is empty".
func TestOptionalBodyMayBeEmptyAndChunked(t *testing.T) {
	a := testutil.NewApp(t)
	emp, reviewer := a.Publisher()
	id := a.Must(http.StatusCreated, "POST", "/api/v1/openings", emp.Token, testutil.OpeningBody(nil)).JSON()["id"].(string)
	a.Must(http.StatusOK, "POST", "/api/v1/openings/"+id+"/submit", emp.Token, nil)
	req, _ := http.NewRequest("POST", a.URL+"/api/v1/openings/"+id+"/approve", io.MultiReader())
	req.Header.Set("Authorization", "Bearer "+reviewer.Token)
	res, err := a.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("approve with a chunked empty body: %d %s", res.StatusCode, body)
	}
	if got := a.Must(http.StatusOK, "GET", "/api/v1/openings/"+id, "", nil).JSON()["status"]; got != "published" {
		t.Fatalf("status after approve: %v", got)
	}
}

// Finding 9: the API's highlight is escaped text where only <mark> is
// markup; what an employer typed never becomes HTML.
func TestHighlightIsEscaped(t *testing.T) {
	a := testutil.NewApp(t)
	emp, admin := a.Publisher()
	id := a.Publish(emp, admin, map[string]any{"title": `Zebrafish <img src=x onerror=alert(1)> lab`,
		"description": `Zebrafish work & "<script>alert(2)</script>" <mark>fake</mark>`})
	a.WaitIndexed(30 * time.Second)
	m := a.Search("q=zebrafish")
	items := m["items"].([]any)
	if len(items) != 1 || items[0].(map[string]any)["id"] != id {
		t.Fatalf("search: %v", m)
	}
	hl := items[0].(map[string]any)["highlight"].(map[string]any)
	if want := `<mark>Zebrafish</mark> &lt;img src=x onerror=alert(1)&gt; lab`; hl["title"] != want {
		t.Errorf("title highlight %q, want %q", hl["title"], want)
	}
	d, _ := hl["description"].(string)
	if strings.Contains(d, "<script") || strings.Contains(d, "<mark>fake") || !strings.Contains(d, "<mark>Zebrafish</mark>") ||
		!strings.Contains(d, "&lt;script&gt;") || !strings.Contains(d, "&amp;") {
		t.Errorf("description highlight %q", d)
	}
	// The web page shows the same text, once escaped (not twice).
	page := string(a.Must(200, "GET", "/?q=zebrafish", "", nil).Body)
	if !strings.Contains(page, `<mark>Zebrafish</mark> &lt;img src=x onerror=alert(1)&gt; lab`) && !strings.Contains(page, `&lt;img src=x onerror=alert(1)&gt;`) {
		t.Errorf("web page lost the text")
	}
	if strings.Contains(page, "&amp;lt;") || strings.Contains(page, "<img src=x") {
		t.Errorf("web page escapes twice or not at all")
	}

	// A walk saw 数据分析 marked as two words with a gap between the marks:
	// Meilisearch marks each matched word, and touching marks are one.
	a.Publish(emp, admin, map[string]any{"title": "斑马鱼数据分析助理", "description": "负责斑马鱼实验的数据分析"})
	a.WaitIndexed(30 * time.Second)
	items = a.Search("q=" + url.QueryEscape("斑马鱼数据分析"))["items"].([]any)
	if len(items) == 0 {
		t.Fatal("斑马鱼数据分析 found nothing")
	}
	hl = items[0].(map[string]any)["highlight"].(map[string]any)
	if title := hl["title"].(string); title != "<mark>斑马鱼数据分析</mark>助理" {
		t.Errorf("touching marks are not one: %q", title)
	}
}

// An API probe: a body of JSON null was read as {}, so a PUT of an
// assessment with null cleared the employer's rating and note; and a field
// of the wrong type was answered with Go's type names ("must be
// []domain.InterviewInput"). null is refused and changes nothing; a wrong
// type names the JSON it should be.
func TestNullBodyRefusedAndTypesNamedForClients(t *testing.T) {
	w := newWorld(t, 1)
	a := w.a
	_, app := a.Applicant(w.opening, "您好")
	a.Must(http.StatusOK, "PUT", "/api/v1/applications/"+app+"/assessment", w.emp.Token, map[string]any{"rating": 4, "note": "动手能力强"})
	if r := a.Must(http.StatusBadRequest, "PUT", "/api/v1/applications/"+app+"/assessment", w.emp.Token, "null"); r.ErrorCode() != "invalid_json" {
		t.Fatalf("null body: %s", r.Body)
	}
	if got := a.Must(http.StatusOK, "GET", "/api/v1/applications/"+app+"/assessment", w.emp.Token, nil).JSON(); got["rating"] != 4.0 || got["note"] != "动手能力强" {
		t.Fatalf("a refused null changed the assessment: %v", got)
	}
	for body, want := range map[string]string{
		`{"to":"interview","interview_slots":"x"}`: "must be an array",
		`{"to":7}`: "must be a string",
	} {
		r := a.Must(http.StatusBadRequest, "POST", "/api/v1/applications/"+app+"/transitions", w.emp.Token, body)
		for _, reason := range r.JSON()["error"].(map[string]any)["fields"].(map[string]any) {
			if reason != want {
				t.Errorf("%s: reason %q, want %q", body, reason, want)
			}
		}
	}
	// A probe: 2.5 for a whole number was "must be a number", which it is.
	if r := a.Must(http.StatusBadRequest, "PUT", "/api/v1/applications/"+app+"/assessment", w.emp.Token, `{"rating":2.5}`); r.Field("rating") != "must be a whole number" {
		t.Errorf("a rating of 2.5: %s", r.Body)
	}
	// An ID in upper case is the same ID, answered as stored (a probe saw
	// its own spelling echoed back).
	if got := a.Must(http.StatusOK, "PUT", "/api/v1/applications/"+strings.ToUpper(app)+"/assessment", w.emp.Token, map[string]any{"rating": 3}).JSON()["application_id"]; got != app {
		t.Errorf("an upper-case ID answered as %v", got)
	}
	// A map's value of the wrong type is named with its key (it was "kinds").
	g := a.Graduate()
	if r := a.Must(http.StatusBadRequest, "PUT", "/api/v1/me/notifications/preferences", g.Token, `{"kinds":{"application_status":"yes"}}`); r.Field("kinds.application_status") != "must be true or false" {
		t.Errorf("a preference of the wrong type: %s", r.Body)
	}
}

// An API review (review42b): a PATCH that sent null for a field — a client
// clearing its phone, skills or statement, or an opening's title — was
// answered 200 and changed nothing, as if the field had been left out,
// though api/openapi.yaml does not let those fields be null. A null is
// now 400 invalid_json naming the field, and nothing of the patch is
// kept; the fields described as nullable (an event's stream_url and
// capacity: "null or absent leaves it") still take it.
func TestNullFieldInAPatchRefused(t *testing.T) {
	w := newWorld(t, 1)
	a := w.a
	g := a.Graduate()
	a.Must(http.StatusOK, "PATCH", "/api/v1/me/profile", g.Token, map[string]any{"phone": "13800138000", "statement": "热爱科研"})
	for _, c := range []struct {
		path, token, body, field string
	}{
		{"/api/v1/me/profile", g.Token, `{"phone":null}`, "phone"},
		{"/api/v1/me/profile", g.Token, `{"statement":"改过的","skills":null}`, "skills"},
		{"/api/v1/openings/" + w.opening, w.emp.Token, `{"title":null}`, "title"},
	} {
		r := a.Do("PATCH", c.path, c.token, c.body)
		if r.Status != http.StatusBadRequest || r.ErrorCode() != "invalid_json" || r.Field(c.field) == "" {
			t.Errorf("PATCH %s %s: %d %s, want 400 invalid_json on %s", c.path, c.body, r.Status, r.Body, c.field)
		}
	}
	me := a.Must(http.StatusOK, "GET", "/api/v1/me", g.Token, nil).JSON()["graduate"].(map[string]any)
	if me["phone"] != "13800138000" || me["statement"] != "热爱科研" {
		t.Errorf("a refused patch changed the profile: %v", me)
	}
	start := time.Now().Add(48 * time.Hour).Truncate(time.Minute)
	body := map[string]any{"kind": "job_fair", "title": "成都高新区科研助理双选会", "zone_code": "sichuan-chengdu",
		"starts_at": start.Format(time.RFC3339), "ends_at": start.Add(2 * time.Hour).Format(time.RFC3339), "description": "现场招聘", "capacity": 50}
	ev := a.Must(http.StatusCreated, "POST", "/api/v1/events", w.admin.Token, body).JSON()["id"].(string)
	if r := a.Do("PATCH", "/api/v1/events/"+ev, w.admin.Token, `{"title":null}`); r.Status != http.StatusBadRequest || r.Field("title") == "" {
		t.Errorf("an event's title null: %d %s", r.Status, r.Body)
	}
	if got := a.Must(http.StatusOK, "PATCH", "/api/v1/events/"+ev, w.admin.Token, `{"capacity":null,"stream_url":null}`).JSON(); got["capacity"] != 50.0 {
		t.Errorf("capacity null did not leave it: %v", got["capacity"])
	}
	// The mail preferences' PUT changes only the fields given, as a PATCH
	// does: a null there was the same silent 200 — and a kind sent as null
	// was turned off.
	for body, field := range map[string]string{
		`{"language":null}`:                        "language",
		`{"kinds":null,"alert_frequency":"daily"}`: "kinds",
		`{"kinds":{"application_status":null}}`:    "kinds.application_status",
	} {
		if r := a.Do("PUT", "/api/v1/me/notifications/preferences", g.Token, body); r.Status != http.StatusBadRequest || r.Field(field) == "" {
			t.Errorf("preferences %s: %d %s, want 400 on %s", body, r.Status, r.Body, field)
		}
	}
	// A null element of a list is no element of it: the profile's lists
	// dropped it (preferred_cities [null] emptied the list) and a bulk move
	// answered it as an application of ID "". 400 on the element, and
	// nothing changes.
	a.Must(http.StatusOK, "PATCH", "/api/v1/me/profile", g.Token, map[string]any{"preferred_cities": []string{"成都"}})
	_, app := a.Applicant(w.opening, "您好")
	for _, c := range []struct {
		method, path, token, body, field string
	}{
		{"PATCH", "/api/v1/me/profile", g.Token, `{"preferred_cities":[null]}`, "preferred_cities[0]"},
		{"PATCH", "/api/v1/me/profile", g.Token, `{"skills":["Python",null]}`, "skills[1]"},
		{"POST", "/api/v1/applications/bulk-transitions", w.emp.Token, `{"ids":["` + app + `",null],"to":"shortlisted"}`, "ids[1]"},
	} {
		if r := a.Do(c.method, c.path, c.token, c.body); r.Status != http.StatusBadRequest || r.Field(c.field) == "" {
			t.Errorf("%s %s %s: %d %s, want 400 on %s", c.method, c.path, c.body, r.Status, r.Body, c.field)
		}
	}
	if got := a.Must(http.StatusOK, "GET", "/api/v1/me", g.Token, nil).JSON()["graduate"].(map[string]any)["preferred_cities"].([]any); len(got) != 1 {
		t.Errorf("a refused list changed the profile: %v", got)
	}
	if got := a.Must(http.StatusOK, "GET", "/api/v1/applications/"+app, w.emp.Token, nil).JSON()["status"]; got != "submitted" {
		t.Errorf("a refused bulk move moved the application: %v", got)
	}
	prefs := a.Must(http.StatusOK, "GET", "/api/v1/me/notifications/preferences", g.Token, nil).JSON()
	if prefs["kinds"].(map[string]any)["application_status"] != true || prefs["alert_frequency"] == "daily" {
		t.Errorf("a refused change of preferences changed them: %v", prefs)
	}
}

// A probe: a field inside an array was named three ways — "ids.1" (a NUL
// byte), "interview_slots[1].starts_at" (a rule), and "majors" with no
// position at all (a wrong type). Every one is now named as a JSON path
// with the element's position in brackets, as openapi.yaml describes.
func TestArrayElementsNamedByPosition(t *testing.T) {
	w := newWorld(t, 1)
	a := w.a
	_, app := a.Applicant(w.opening, "您好")
	now := time.Now().Add(48 * time.Hour).Truncate(time.Hour)
	slot := func(d time.Duration) map[string]any {
		return map[string]any{"starts_at": now.Add(d).Format(time.RFC3339), "ends_at": now.Add(d + time.Hour).Format(time.RFC3339)}
	}
	for _, c := range []struct {
		method, path string
		body         any
		field        string
	}{
		{"POST", "/api/v1/openings", testutil.OpeningBody(map[string]any{"majors": []any{"计算机", 5}}), "majors[1]"},
		{"POST", "/api/v1/openings", testutil.OpeningBody(map[string]any{"majors": []any{"计算机", "材料\u0000"}}), "majors[1]"},
		{"POST", "/api/v1/applications/bulk-transitions", map[string]any{"ids": []any{app, "x\u0000"}, "to": "reviewing"}, "ids[1]"},
		{"POST", "/api/v1/applications/" + app + "/transitions", map[string]any{"to": "interview", "interview_slots": []any{slot(0), map[string]any{"starts_at": 5}}}, "interview_slots[1].starts_at"},
		{"POST", "/api/v1/applications/" + app + "/transitions", map[string]any{"to": "interview", "interview_slots": []any{slot(0), "x"}}, "interview_slots[1]"},
	} {
		r := a.Do(c.method, c.path, w.emp.Token, c.body)
		if r.Status/100 != 4 || r.Field(c.field) == "" {
			t.Errorf("%s %s: %d %s, want a reason on %s", c.method, c.path, r.Status, r.Body, c.field)
		}
	}
}

// An API probe stored terminal escapes (ESC, U+0001, DEL's neighbours) in a
// saved search's name, an assessment note and the reasons people are
// given, and a right-to-left override in names: mailed and exported, they
// show one text as another. Each is 422 on its field and stores nothing.
func TestControlCharactersRefusedInFreeText(t *testing.T) {
	w := newWorld(t, 2)
	a := w.a
	g, app := w.accepted()
	w.move(w.emp.Token, app, "hired")
	placement := a.Must(http.StatusOK, "GET", "/api/v1/placements", w.emp.Token, nil).JSON()["items"].([]any)[0].(map[string]any)["id"].(string)
	other := a.Must(http.StatusCreated, "POST", "/api/v1/openings", w.emp.Token, testutil.OpeningBody(nil)).JSON()["id"].(string)
	a.Must(http.StatusOK, "POST", "/api/v1/openings/"+other+"/submit", w.emp.Token, nil)
	escape := "好\u001b[31m坏\u0001"
	const ctrl = "must not contain control or text-direction characters"
	_, submitted := a.Applicant(w.opening, "您好")
	invisibleEvent := eventBody("sichuan-chengdu", time.Now().Add(time.Hour), time.Now().Add(2*time.Hour))
	invisibleEvent["title"] = "\u200b\u200b\u200b"
	for _, c := range []struct {
		method, path, token string
		body                map[string]any
		field               string
		// why, when set, is the reason expected: a control character is
		// refused for what it is (a probe read a length's reason for a
		// title of the right length).
		why string
	}{
		{"POST", "/api/v1/me/saved-searches", g.Token, map[string]any{"name": escape, "q": "科研"}, "name", ctrl},
		{"POST", "/api/v1/me/saved-searches", g.Token, map[string]any{"name": "成都", "q": "科研\u001b"}, "q", ctrl},
		{"PUT", "/api/v1/applications/" + app + "/assessment", w.emp.Token, map[string]any{"rating": 3, "note": escape}, "note", ctrl},
		{"POST", "/api/v1/openings/" + other + "/reject", w.admin.Token, map[string]any{"reason": escape}, "reason", ctrl},
		{"POST", "/api/v1/placements/" + placement + "/revoke", w.admin.Token, map[string]any{"reason": "重复\u009b录入"}, "reason", ctrl},
		{"PATCH", "/api/v1/me/profile", g.Token, map[string]any{"name": "李\u202e华"}, "name", ctrl},
		{"PATCH", "/api/v1/me/profile", g.Token, map[string]any{"skills": []any{"Go\u2066"}}, "skills", ctrl},
		{"POST", "/api/v1/openings", w.emp.Token, testutil.OpeningBody(map[string]any{"title": "科研\u202e助理"}), "title", ctrl},
		{"POST", "/api/v1/openings", w.emp.Token, testutil.OpeningBody(map[string]any{"majors": []any{"计算机\u202e"}}), "majors", ctrl},
		// A review: the cover letter and a move's note reach the other side
		// too, and were checked for their length only.
		{"POST", "/api/v1/openings/" + w.opening + "/applications", a.Graduate().Token, map[string]any{"cover_letter": "您好\u202e"}, "cover_letter", ctrl},
		{"POST", "/api/v1/applications/" + submitted + "/transitions", w.emp.Token, map[string]any{"to": "shortlisted", "note": escape}, "note", ctrl},
		// A second probe: text of invisible characters only (zero-width
		// spaces, a BOM, word joiners, soft hyphens, tag characters) read
		// as a title or a name, and a city took a line break.
		// Nothing is left of them once tidied: the title is required, as
		// an empty one is, not of a length (a walk read 「须为一行，2–100
		// 个字」 for a title typed as U+200B alone), and so is an empty city.
		{"POST", "/api/v1/openings", w.emp.Token, testutil.OpeningBody(map[string]any{"title": "\u200b\u200b"}), "title", "is required"},
		{"POST", "/api/v1/openings", w.emp.Token, testutil.OpeningBody(map[string]any{"title": "\u200b\u200b\u200d\u200c\ufeff"}), "title", "is required"},
		{"POST", "/api/v1/openings", w.emp.Token, testutil.OpeningBody(map[string]any{"city": ""}), "city", "is required"},
		{"POST", "/api/v1/openings", w.emp.Token, testutil.OpeningBody(map[string]any{"city": " \u2060 "}), "city", "is required"},
		{"PATCH", "/api/v1/openings/" + other, w.emp.Token, map[string]any{"title": "\u200b"}, "title", "is required"},
		{"PATCH", "/api/v1/openings/" + other, w.emp.Token, map[string]any{"city": "\u200b"}, "city", "is required"},
		{"POST", "/api/v1/openings", w.emp.Token, testutil.OpeningBody(map[string]any{"title": "\ufeff\u2060\u00ad"}), "title", ""},
		{"POST", "/api/v1/openings", w.emp.Token, testutil.OpeningBody(map[string]any{"title": "科\U000e0041\U000e0042"}), "title", ""},
		{"POST", "/api/v1/openings", w.emp.Token, testutil.OpeningBody(map[string]any{"city": "成\n都"}), "city", ""},
		{"POST", "/api/v1/events", w.admin.Token, invisibleEvent, "title", ""},
		{"PATCH", "/api/v1/me/profile", g.Token, map[string]any{"name": "\u200b"}, "name", ""},
		{"PATCH", "/api/v1/me/profile", g.Token, map[string]any{"name": "\u3164\u3164"}, "name", ""},
		{"POST", "/api/v1/openings", w.emp.Token, testutil.OpeningBody(map[string]any{"title": "\u2800\ufe0f\u0300"}), "title", ""},
	} {
		r := a.Do(c.method, c.path, c.token, c.body)
		if r.Status != http.StatusUnprocessableEntity || r.Field(c.field) == "" || (c.why != "" && r.Field(c.field) != c.why) {
			t.Errorf("%s %s with %q: %d %s", c.method, c.path, c.body[c.field], r.Status, r.Body)
		}
	}
	// Nothing was stored: no saved search, the opening still under review,
	// the placement active, no note.
	if n := a.Must(http.StatusOK, "GET", "/api/v1/me/saved-searches", g.Token, nil).JSON()["total"]; n != 0.0 {
		t.Errorf("%v saved searches stored", n)
	}
	if st := a.Must(http.StatusOK, "GET", "/api/v1/openings/"+other, w.emp.Token, nil).JSON()["status"]; st != "pending_review" {
		t.Errorf("opening %v", st)
	}
	var active int
	if err := testutil.SQL(t, a.DBURL).QueryRow(`SELECT count(*) FROM placements WHERE id = $1 AND status = 'active'`, placement).Scan(&active); err != nil || active != 1 {
		t.Errorf("placement active %d (%v)", active, err)
	}
	// Line breaks and tabs stay welcome where text has lines.
	a.Must(http.StatusOK, "PUT", "/api/v1/applications/"+app+"/assessment", w.emp.Token, map[string]any{"rating": 3, "note": "第一行\n\t第二行"})
}

// Zero-width characters (U+200B–U+200D, the word joiner, a BOM) pasted
// inside a title, a name or a note were kept: two titles that look the same
// differed, a word was cut in two for search, and exports carried them. The
// domain's one tidy (domain.Tidy, run by every text check) drops them, so
// the opening is stored, indexed and found as it shows.
func TestZeroWidthCharactersAreDropped(t *testing.T) {
	a := testutil.NewApp(t)
	emp, admin := a.Publisher()
	id := a.Publish(emp, admin, map[string]any{"title": "\ufeff斑马鱼\u200b数据\u2060分析\u200c助理\u200d",
		"description": "负责\u200b斑马鱼实验", "majors": []any{"生物\u200b学"}, "city": "成\u200b都"})
	o := a.Must(http.StatusOK, "GET", "/api/v1/openings/"+id, "", nil).JSON()
	if o["title"] != "斑马鱼数据分析助理" || o["description"] != "负责斑马鱼实验" || o["city"] != "成都" {
		t.Errorf("stored %q, %q, %q", o["title"], o["description"], o["city"])
	}
	if m := o["majors"].([]any); len(m) != 1 || m[0] != "生物学" {
		t.Errorf("majors %q", m)
	}
	a.WaitIndexed(30 * time.Second)
	for _, q := range []string{"斑马鱼数据分析", "斑马鱼\u200b数据分析"} {
		items := a.Search("q=" + url.QueryEscape(q))["items"].([]any)
		if len(items) == 0 || items[0].(map[string]any)["id"] != id {
			t.Fatalf("%q found %v", q, items)
		}
		if hl := items[0].(map[string]any)["highlight"].(map[string]any)["title"]; hl != "<mark>斑马鱼数据分析</mark>助理" {
			t.Errorf("%q: title highlight %q", q, hl)
		}
	}
	// A person's name and the notes people write keep no zero-width either.
	g := a.GraduateNamed("李\u200b华")
	if n := a.Must(http.StatusOK, "GET", "/api/v1/me", g.Token, nil).JSON()["name"]; n != "李华" {
		t.Errorf("registered name %q", n)
	}
	if n := a.Must(http.StatusOK, "PATCH", "/api/v1/me/profile", g.Token, map[string]any{"name": "王\u2060芳"}).JSON()["name"]; n != "王芳" {
		t.Errorf("profile name %q", n)
	}
	s := a.Must(http.StatusCreated, "POST", "/api/v1/me/saved-searches", g.Token, map[string]any{"name": "成都\u200b科研", "q": "科研"}).JSON()
	if s["name"] != "成都科研" {
		t.Errorf("saved search name %q", s["name"])
	}
	app := a.Must(http.StatusCreated, "POST", "/api/v1/openings/"+id+"/applications", g.Token, map[string]any{"cover_letter": "您好\u200b，我想申请"}).JSON()
	if app["cover_letter"] != "您好，我想申请" {
		t.Errorf("cover letter %q", app["cover_letter"])
	}
	// A joiner between two emoji is one picture (a technologist), kept.
	if n := a.Must(http.StatusOK, "PATCH", "/api/v1/me/profile", g.Token, map[string]any{"name": "王芳\u200b👩\u200d💻"}).JSON()["name"]; n != "王芳👩\u200d💻" {
		t.Errorf("a name with a joined emoji kept as %+q", n)
	}
}

// An API probe found 422 answers that api/openapi.yaml did not list: a NUL
// in a path segment or a query parameter is refused by the input checks
// on every operation. Each route, so tried, is checked against the
// description (unlike TestHostileInputOnEveryRoute, which only asks for 4xx).
func TestNulRefusalsAreDescribed(t *testing.T) {
	a := testutil.NewApp(t)
	minister := a.MinistryAdmin()
	for _, rt := range httpapi.Routes(a.Server.Handler) {
		if !strings.HasPrefix(rt.Path, "/api/v1/") {
			continue
		}
		if strings.Contains(rt.Path, ":") {
			if r := a.Do(rt.Method, fillParams(rt.Path, "%00b"), minister.Token, nil); r.Status != http.StatusUnprocessableEntity {
				t.Errorf("%s %s with NUL in the path: %d", rt.Method, rt.Path, r.Status)
			}
		}
		if r := a.Do(rt.Method, fillParams(rt.Path, "x")+"?zone=%00", minister.Token, nil); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("%s %s with NUL in the query: %d", rt.Method, rt.Path, r.Status)
		}
	}
}

// A contract check found 19 writes that answer 413 to a body over the limit
// with no 413 in api/openapi.yaml (a body they do not read is still
// limited). Every write, so tried, is checked against the description.
func TestOversizeBodiesAreDescribed(t *testing.T) {
	a := testutil.NewApp(t)
	minister := a.MinistryAdmin()
	over := bytes.Repeat([]byte(" "), 11<<20) // past every limit, the import's 10 MB too
	for _, rt := range httpapi.Routes(a.Server.Handler) {
		if !strings.HasPrefix(rt.Path, "/api/v1/") || rt.Method == http.MethodGet {
			continue
		}
		if r := a.Do(rt.Method, fillParams(rt.Path, "x"), minister.Token, over); r.Status != http.StatusRequestEntityTooLarge {
			t.Errorf("%s %s with 11 MB: %d", rt.Method, rt.Path, r.Status)
		}
	}
}

// Every JSON body api/openapi.yaml describes, sent with each field at an
// edge of its type — integers past Postgres's int4 and below it, past
// float64's exact integers; dates and times Postgres cannot store (year 0),
// at the end of its calendar, or not in the calendar — as each role, with
// real IDs in the path: answered, never 5xx (testutil.Do fails on one).
// TestHostileInputOnEveryRoute sends NUL, which is refused before decoding.
func TestEdgeValuesInEveryDescribedBody(t *testing.T) {
	a := plain(testutil.NewApp(t))
	spec, err := testutil.LoadSpec()
	if err != nil {
		t.Fatal(err)
	}
	w := a.OneOfEach()
	// A path's parameter is named by the segment before it.
	ids := map[string]string{"openings": w.Opening, "applications": w.Application, "events": w.Event, "employers": w.Employer.EmployerID,
		"placements": w.Placement, "saved-searches": w.SavedSearch, "graduates": w.Graduate.ID, "zones": "sichuan-chengdu", "provinces": "51",
		"quotas": "2026", "imports": "employers", "registrations": "x"}
	fill := func(path string) string {
		parts := strings.Split(path, "/")
		for i, p := range parts {
			if strings.HasPrefix(p, "{") {
				parts[i] = "x"
				if v, ok := ids[parts[i-1]]; ok {
					parts[i] = v
				}
			}
		}
		return strings.Join(parts, "/")
	}
	tokens := []string{"", w.Graduate.Token, w.Employer.Token, w.Reviewer.Token, a.MinistryAdmin().Token}
	paths := spec.Doc.Paths.InMatchingOrder()
	// Signing out ends the token's session: last.
	slices.SortStableFunc(paths, func(x, y string) int {
		return strings.Compare(fmt.Sprint(strings.Contains(x, "logout")), fmt.Sprint(strings.Contains(y, "logout")))
	})
	sent := 0
	for _, path := range paths {
		ops := spec.Doc.Paths.Value(path).Operations()
		// In one order (a map's is new each run), a DELETE last: one before
		// the PATCH of its path left the PATCH a 404 in some runs only.
		methods := slices.Sorted(maps.Keys(ops))
		slices.SortStableFunc(methods, func(x, y string) int {
			return strings.Compare(fmt.Sprint(x == http.MethodDelete), fmt.Sprint(y == http.MethodDelete))
		})
		for _, method := range methods {
			op := ops[method]
			if op.RequestBody == nil || op.RequestBody.Value.Content.Get("application/json") == nil {
				continue
			}
			schema := op.RequestBody.Value.Content.Get("application/json").Schema
			for edge := range 3 {
				body := edgeValue(schema, edge)
				for _, tok := range tokens {
					a.Do(method, "/api/v1"+fill(path), tok, body)
					sent++
				}
			}
		}
	}
	if sent < 300 {
		t.Fatalf("only %d requests sent", sent)
	}
}

// edgeValue is a value of schema's shape whose every leaf is at edge (0, 1
// or 2) of its type; an enum takes its first value, so that the request
// gets past its check to the code behind it.
func edgeValue(ref *openapi3.SchemaRef, edge int) any {
	if ref == nil || ref.Value == nil {
		return nil
	}
	s := ref.Value
	switch {
	case len(s.Enum) > 0:
		return s.Enum[0]
	case len(s.AllOf) > 0:
		merged := map[string]any{}
		for _, part := range s.AllOf {
			if m, ok := edgeValue(part, edge).(map[string]any); ok {
				maps.Copy(merged, m)
			}
		}
		return merged
	case len(s.OneOf) > 0:
		return edgeValue(s.OneOf[0], edge)
	case len(s.AnyOf) > 0:
		return edgeValue(s.AnyOf[0], edge)
	case s.Type.Is("object") || len(s.Properties) > 0:
		m := map[string]any{}
		for name, p := range s.Properties {
			m[name] = edgeValue(p, edge)
		}
		return m
	case s.Type.Is("array"):
		return []any{edgeValue(s.Items, edge)}
	case s.Type.Is("integer"), s.Type.Is("number"):
		return []json.Number{"2147483648", "-2147483649", "9007199254740993"}[edge]
	case s.Type.Is("boolean"):
		return edge != 1
	case s.Format == "date":
		return []string{"0000-01-01", "9999-12-31", "2026-02-29"}[edge]
	case s.Format == "date-time":
		return []string{"0000-01-01T00:00:00Z", "9999-12-31T23:59:59+14:00", "2026-12-07T24:00:00+08:00"}[edge]
	case s.Format == "email":
		return []string{"a@b.cn", strings.Repeat("a", 300) + "@example.test", "长@例子.中国"}[edge]
	default:
		return []string{"x", strings.Repeat("长", 20000), " "}[edge]
	}
}
