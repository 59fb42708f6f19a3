package httpapi_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/gradzone/gradzone/api"
	"github.com/gradzone/gradzone/internal/httpapi"
	"github.com/gradzone/gradzone/internal/testutil"
)

func loadSpec(t *testing.T) *testutil.Spec {
	t.Helper()
	spec, err := testutil.LoadSpec()
	if err != nil {
		t.Fatal(err)
	}
	return spec
}

// TestOpenAPIDescribesEveryRoute keeps api/openapi.yaml complete: every API
// route the server registers is described, with its method, and nothing
// described is missing from the server. Every operation is described fully:
// an ID, a summary, a tag, its security (public operations say
// `security: []`), a schema for every JSON body it takes or gives, and the
// statuses every operation can meet (401 for a bad token, 400/413 for a body,
// 404 for an ID in the path). Then each operation is called without
// credentials: a protected one must answer 401 and a public one must not.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	spec := loadSpec(t)
	a := testutil.NewApp(t)
	served := map[string]bool{}
	for _, r := range httpapi.Routes(a.Server.Handler) {
		if !strings.HasPrefix(r.Path, "/api/v1/") || r.Method == http.MethodHead {
			continue
		}
		parts := strings.Split(strings.TrimPrefix(r.Path, "/api/v1"), "/")
		for i, p := range parts {
			if strings.HasPrefix(p, ":") {
				parts[i] = "{" + p[1:] + "}"
			}
		}
		path := strings.Join(parts, "/")
		served[r.Method+" "+path] = true
		if spec.Doc.Paths.Find(path) == nil || spec.Doc.Paths.Find(path).GetOperation(r.Method) == nil {
			t.Errorf("%s %s is served but not described in api/openapi.yaml", r.Method, path)
		}
	}
	for path, item := range spec.Doc.Paths.Map() {
		for method, op := range item.Operations() {
			name := method + " " + path
			if !served[name] {
				t.Errorf("api/openapi.yaml describes %s, which the server does not serve", name)
				continue
			}
			checkOperationComplete(t, name, path, op)
			checkSecurityHolds(t, a, method, path, op)
		}
	}
}

func checkOperationComplete(t *testing.T, name, path string, op *openapi3.Operation) {
	t.Helper()
	if op.OperationID == "" || op.Summary == "" || len(op.Tags) == 0 {
		t.Errorf("%s: needs an operationId, a summary and a tag", name)
	}
	if op.Security == nil {
		t.Errorf("%s: say who may call it: `security: []` when public, else the schemes (an inherited default hides the choice)", name)
	}
	want := []string{"401"}
	if op.RequestBody != nil && op.RequestBody.Value.Content.Get("application/json") != nil {
		want = append(want, "400", "413")
	}
	if strings.Contains(path, "{") {
		want = append(want, "404")
	}
	for _, code := range want {
		if op.Responses.Value(code) == nil {
			t.Errorf("%s: does not document %s", name, code)
		}
	}
	for code, r := range op.Responses.Map() {
		for mime, mt := range r.Value.Content {
			if mt.Schema == nil {
				t.Errorf("%s: %s %s has no schema", name, code, mime)
			}
		}
		if code[0] != '2' && r.Value.Content.Get("application/json") == nil {
			t.Errorf("%s: %s must answer the contract's error shape", name, code)
		}
	}
	if op.RequestBody != nil {
		for mime, mt := range op.RequestBody.Value.Content {
			if mt.Schema == nil {
				t.Errorf("%s: request %s has no schema", name, mime)
			}
		}
	}
}

// samplePath fills a described path with values the parameter schemas accept.
func samplePath(path string) string {
	return regexp.MustCompile(`\{[a-z_]+\}`).ReplaceAllStringFunc(path, func(p string) string {
		switch p {
		case "{year}":
			return "2026"
		case "{file}":
			return "employers.xlsx"
		case "{kind}":
			return "employers"
		}
		return "00000000-0000-0000-0000-000000000000"
	})
}

// checkSecurityHolds calls the operation without credentials: protected
// operations must refuse with 401, public ones must not ask for credentials.
func checkSecurityHolds(t *testing.T, a *testutil.App, method, path string, op *openapi3.Operation) {
	t.Helper()
	r := a.Do(method, "/api/v1"+samplePath(path), "", nil)
	public := op.Security != nil && len(*op.Security) == 0
	switch {
	case public && r.Status == http.StatusUnauthorized:
		t.Errorf("%s %s is described as public (security: []) but answers an anonymous call 401", method, path)
	case !public && r.Status != http.StatusUnauthorized:
		t.Errorf("%s %s is described as needing credentials but answers an anonymous call %d", method, path, r.Status)
	}
}

// TestOpenAPIServed: the description is served as embedded, and the reference
// page renders it with the vendored Redoc under a strict CSP.
func TestOpenAPIServed(t *testing.T) {
	a := testutil.NewApp(t)
	r := a.Must(http.StatusOK, "GET", "/api/v1/openapi.yaml", "", nil)
	if !bytes.Equal(r.Body, api.OpenAPI) {
		t.Fatal("GET /api/v1/openapi.yaml is not api/openapi.yaml")
	}
	res, err := http.Get(a.URL + "/api/docs")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	csp := res.Header.Get("Content-Security-Policy")
	if res.StatusCode != http.StatusOK || !strings.Contains(csp, "script-src 'self'") || strings.Contains(strings.Split(strings.Split(csp, "script-src")[1], ";")[0], "unsafe-inline") {
		t.Fatalf("/api/docs: %d, CSP %q", res.StatusCode, csp)
	}
	if regexp.MustCompile(`<script(?:\s+type="module")?>`).Match(page) || strings.Contains(string(page), "http://") || strings.Contains(string(page), "https://") {
		t.Fatalf("/api/docs must have no inline script and no outside link:\n%s", page)
	}
	for _, src := range []string{"/static/api-docs.js", "/static/vendor/redoc/redoc.standalone.js"} {
		res, err := http.Get(a.URL + src)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || len(b) == 0 {
			t.Fatalf("%s: %d", src, res.StatusCode)
		}
	}
}

// TestOpenAPIValidatorCatchesMismatches plants wrong exchanges and checks the
// validator every API test runs through refuses each, and accepts the right
// ones (so it can fail in both directions).
func TestOpenAPIValidatorCatchesMismatches(t *testing.T) {
	spec := loadSpec(t)
	jsonHdr := http.Header{"Content-Type": {"application/json; charset=utf-8"}}
	bearer := http.Header{"Authorization": {"Bearer t"}}
	challenge := mergeHeaders(jsonHdr, http.Header{"Www-Authenticate": {`Bearer realm="gradzone"`}})
	zone := `{"code":"Z1","name_zh":"中关村","name_en":"Zhongguancun","province_code":"11","city_zh":"北京","approved_year":1988}`
	good := []testutil.Exchange{
		{Method: "GET", URL: "/api/v1/zones/Z1", Status: 200, ResHeader: jsonHdr, ResBody: []byte(zone)},
		{Method: "GET", URL: "/api/v1/zones?per_page=100", Status: 200, ResHeader: jsonHdr,
			ResBody: []byte(`{"items":[` + zone + `],"total":1,"page":1,"per_page":100}`)},
		{Method: "GET", URL: "/api/v1/zones?per_page=1000", Status: 422, ResHeader: jsonHdr,
			ResBody: []byte(`{"error":{"code":"validation_failed","message":"m","fields":{"per_page":"too big"}}}`)},
		{Method: "GET", URL: "/api/v1/me", Status: 401, ResHeader: challenge, ResBody: []byte(`{"error":{"code":"unauthenticated","message":"m"}}`)},
		{Method: "POST", URL: "/api/v1/notifications/read-all", Header: bearer, Status: 204},
		{Method: "DELETE", URL: "/api/v1/zones", Status: 405, ResHeader: jsonHdr, ResBody: []byte(`{"error":{"code":"method_not_allowed","message":"m"}}`)},
	}
	for _, x := range good {
		if err := spec.Check(x); err != nil {
			t.Errorf("a right exchange %s %s → %d was refused: %v", x.Method, x.URL, x.Status, err)
		}
	}
	bad := map[string]testutil.Exchange{
		"a required field missing": {Method: "GET", URL: "/api/v1/zones/Z1", Status: 200, ResHeader: jsonHdr, ResBody: []byte(`{"code":"Z1"}`)},
		"a field of the wrong type": {Method: "GET", URL: "/api/v1/zones/Z1", Status: 200, ResHeader: jsonHdr,
			ResBody: []byte(strings.Replace(zone, `1988`, `"1988"`, 1))},
		"a field not described": {Method: "GET", URL: "/api/v1/zones/Z1", Status: 200, ResHeader: jsonHdr,
			ResBody: []byte(strings.Replace(zone, `{`, `{"secret":"x",`, 1))},
		"a status not documented": {Method: "GET", URL: "/api/v1/reference", Status: 404, ResHeader: jsonHdr,
			ResBody: []byte(`{"error":{"code":"not_found","message":"m"}}`)},
		"an error not in the contract's shape": {Method: "GET", URL: "/api/v1/zones/Z1", Status: 404, ResHeader: jsonHdr,
			ResBody: []byte(`{"message":"not found"}`)},
		"an error code that does not go with its status": {Method: "GET", URL: "/api/v1/zones/Z1", Status: 404, ResHeader: jsonHdr,
			ResBody: []byte(`{"error":{"code":"forbidden","message":"m"}}`)},
		"a request over a limit accepted": {Method: "GET", URL: "/api/v1/zones?per_page=1000", Status: 200, ResHeader: jsonHdr,
			ResBody: []byte(`{"items":[],"total":0,"page":1,"per_page":1000}`)},
		"a request body of the wrong shape accepted": {Method: "PUT", URL: "/api/v1/zones/Z1/quotas/2026", Header: mergeHeaders(bearer, jsonHdr),
			Body: []byte(`{"target_positions":"many"}`), Status: 200, ResHeader: jsonHdr,
			ResBody: []byte(`{"zone_code":"Z1","year":2026,"target_positions":1,"target_placements":1}`)},
		"an anonymous call to a protected operation accepted": {Method: "GET", URL: "/api/v1/notifications", Status: 200, ResHeader: jsonHdr,
			ResBody: []byte(`{"items":[],"total":0,"page":1,"per_page":20,"unread":0}`)},
		"a 401 without WWW-Authenticate": {Method: "GET", URL: "/api/v1/me", Status: 401, ResHeader: jsonHdr,
			ResBody: []byte(`{"error":{"code":"unauthenticated","message":"m"}}`)},
		"a route not described": {Method: "GET", URL: "/api/v1/secrets", Status: 200, ResHeader: jsonHdr, ResBody: []byte(`{}`)},
		"a body where none is documented": {Method: "POST", URL: "/api/v1/notifications/read-all", Header: bearer, Status: 204,
			ResHeader: jsonHdr, ResBody: []byte(`{"ok":true}`)},
		"a missing Retry-After": {Method: "POST", URL: "/api/v1/auth/login", Header: jsonHdr, Body: []byte(`{"email":"a@b.cn","password":"x"}`),
			Status: 429, ResHeader: jsonHdr, ResBody: []byte(`{"error":{"code":"rate_limited","message":"m"}}`)},
	}
	for why, x := range bad {
		if err := spec.Check(x); err == nil {
			t.Errorf("planted mismatch passed: %s", why)
		}
	}

	// The same through the transport every API test's client uses: a
	// mismatch is reported to the test.
	var reported []string
	rt := testutil.Validating(roundTripFunc(func(*http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Header: jsonHdr, Body: io.NopCloser(strings.NewReader(`{"code":"Z1"}`))}, nil
	}), spec, func(f string, args ...any) { reported = append(reported, fmt.Sprintf(f, args...)) })
	res, err := (&http.Client{Transport: rt}).Get("http://127.0.0.1:1/api/v1/zones/Z1")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if len(reported) != 1 || !strings.Contains(reported[0], "name_zh") {
		t.Fatalf("the validating transport did not report the mismatch: %q", reported)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func mergeHeaders(hs ...http.Header) http.Header {
	out := http.Header{}
	for _, h := range hs {
		for k, v := range h {
			out[k] = v
		}
	}
	return out
}
