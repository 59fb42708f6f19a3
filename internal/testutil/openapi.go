package testutil

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/gradzone/gradzone/api"
	"github.com/gradzone/gradzone/internal/app"
)

// Spec is api/openapi.yaml, loaded and checked, ready to validate exchanges.
// Every API test's requests go through it (see Validating), so the file
// cannot drift from what the server does.
type Spec struct {
	Doc    *openapi3.T
	router routers.Router
}

var loadSpec = sync.OnceValues(func() (*Spec, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(api.OpenAPI)
	if err != nil {
		return nil, fmt.Errorf("api/openapi.yaml: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("api/openapi.yaml is not a valid OpenAPI 3.0 document: %w", err)
	}
	r, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("api/openapi.yaml routes: %w", err)
	}
	return &Spec{Doc: doc, router: r}, nil
})

// LoadSpec returns the embedded API description (loaded once).
func LoadSpec() (*Spec, error) { return loadSpec() }

// apiPrefix is the path every described operation lives under (servers[0]).
const apiPrefix = "/api/v1/"

// Exchange is one request and its response, as a client saw them.
type Exchange struct {
	Method    string
	URL       string // absolute, or a path with query
	Header    http.Header
	Body      []byte
	Status    int
	ResHeader http.Header
	ResBody   []byte
}

// Check validates an exchange against the description:
//   - the path and method must be described (unknown ones must be answered
//     404/405 in the contract's error shape);
//   - a request that breaks the description (parameters, body, missing
//     credentials) must be refused with a 4xx — 401 when credentials are
//     missing — never accepted;
//   - the status must be one the operation documents, its headers and body
//     must match the documented schema, and the body may carry no field the
//     description does not name.
func (s *Spec) Check(x Exchange) error {
	ctx := context.Background()
	u, err := url.Parse(x.URL)
	if err != nil {
		return err
	}
	if !strings.HasPrefix(u.Path, apiPrefix) {
		return nil
	}
	if u.Host == "" {
		u.Scheme, u.Host = "http", "127.0.0.1"
	}
	req, err := http.NewRequest(x.Method, u.String(), bytes.NewReader(x.Body))
	if err != nil {
		return err
	}
	req.Header = x.Header.Clone()
	if req.Header == nil {
		req.Header = http.Header{}
	}
	head := x.Method == http.MethodHead
	if head {
		req.Method = http.MethodGet // HEAD answers like GET, without a body
	}
	route, params, err := s.router.FindRoute(req)
	if err != nil {
		want := http.StatusNotFound
		if errors.Is(err, routers.ErrMethodNotAllowed) {
			want = http.StatusMethodNotAllowed
		}
		if x.Status != want {
			return fmt.Errorf("not described in api/openapi.yaml (%v), yet answered %d", err, x.Status)
		}
		if head {
			return nil
		}
		return s.checkErrorBody(x)
	}
	in := &openapi3filter.RequestValidationInput{
		Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: credentialsSent, MultiError: true},
	}
	if reqErr := openapi3filter.ValidateRequest(ctx, in); reqErr != nil {
		var secErr *openapi3filter.SecurityRequirementsError
		switch {
		case isSecurityError(reqErr, &secErr) && x.Status != http.StatusUnauthorized:
			return fmt.Errorf("sent without the credentials the description requires, yet answered %d (want 401)", x.Status)
		case x.Status < 400 || x.Status >= 500:
			return fmt.Errorf("request does not match api/openapi.yaml, yet answered %d: %v", x.Status, reqErr)
		}
	}
	op := route.Operation
	resp := op.Responses.Status(x.Status)
	if resp == nil || resp.Value == nil {
		return fmt.Errorf("status %d is not documented for %s %s", x.Status, route.Method, route.Path)
	}
	if head {
		return nil
	}
	in.Request.Body = io.NopCloser(bytes.NewReader(x.Body))
	rin := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in, Status: x.Status, Header: x.ResHeader,
		Body:    io.NopCloser(bytes.NewReader(x.ResBody)),
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	if err := openapi3filter.ValidateResponse(ctx, rin); err != nil {
		return fmt.Errorf("response does not match api/openapi.yaml: %w", err)
	}
	if len(resp.Value.Content) == 0 {
		if len(bytes.TrimSpace(x.ResBody)) > 0 {
			return fmt.Errorf("status %d is documented without a body, yet one was sent: %.200s", x.Status, x.ResBody)
		}
		return nil
	}
	mt := resp.Value.Content.Get(x.ResHeader.Get("Content-Type"))
	if mt != nil && mt.Schema != nil && strings.Contains(x.ResHeader.Get("Content-Type"), "json") {
		var v any
		if err := json.Unmarshal(x.ResBody, &v); err != nil {
			return fmt.Errorf("response is not JSON: %w", err)
		}
		if extra := undescribed(mt.Schema.Value, v, "", 0); len(extra) > 0 {
			sort.Strings(extra)
			return fmt.Errorf("response carries fields api/openapi.yaml does not describe: %s", strings.Join(extra, ", "))
		}
	}
	return nil
}

func isSecurityError(err error, target **openapi3filter.SecurityRequirementsError) bool {
	if errors.As(err, target) {
		return true
	}
	var me openapi3.MultiError
	if errors.As(err, &me) {
		for _, e := range me {
			if errors.As(e, target) {
				return true
			}
		}
	}
	return false
}

// checkErrorBody checks a body against the contract's error shape.
func (s *Spec) checkErrorBody(x Exchange) error {
	ref := s.Doc.Components.Schemas["Error"]
	var v any
	if err := json.Unmarshal(x.ResBody, &v); err != nil {
		return fmt.Errorf("error response is not JSON: %.200s", x.ResBody)
	}
	if err := ref.Value.VisitJSON(v); err != nil {
		return fmt.Errorf("error response is not in the contract's shape: %w", err)
	}
	return nil
}

// credentialsSent is the security check of the validator: it only asks
// whether the credentials a scheme names were sent at all. Whether they are
// good is the server's business, answered 401 and documented as such.
func credentialsSent(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	r := in.RequestValidationInput.Request
	switch in.SecuritySchemeName {
	case "bearer":
		scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
		if ok && strings.EqualFold(scheme, "Bearer") && strings.TrimSpace(tok) != "" {
			return nil
		}
		return errors.New("no bearer token")
	case "session":
		for _, secure := range []bool{false, true} {
			if c, err := r.Cookie(app.CookieName(app.AccessCookie, secure)); err == nil && c.Value != "" {
				return nil
			}
		}
		return errors.New("no session cookie")
	}
	return fmt.Errorf("unknown security scheme %q", in.SecuritySchemeName)
}

// undescribed lists the object keys in v that schema s does not name — the
// check that keeps every response field documented. allOf, oneOf and anyOf
// contribute their properties; additionalProperties (a map) allows any key.
func undescribed(s *openapi3.Schema, v any, at string, depth int) []string {
	if s == nil || depth > 30 {
		return nil
	}
	switch v := v.(type) {
	case map[string]any:
		props, extra, open := collectProps(s)
		var out []string
		for k, child := range v {
			if p, ok := props[k]; ok {
				out = append(out, undescribedAny(p, child, at+"."+k, depth)...)
				continue
			}
			if extra != nil {
				out = append(out, undescribed(extra, child, at+"."+k, depth+1)...)
				continue
			}
			if !open {
				out = append(out, strings.TrimPrefix(at+"."+k, "."))
			}
		}
		return out
	case []any:
		items := itemsOf(s)
		var out []string
		for i, child := range v {
			if items != nil {
				out = append(out, undescribed(items, child, fmt.Sprintf("%s[%d]", at, i), depth+1)...)
			}
		}
		return out
	}
	return nil
}

func undescribedAny(ps []*openapi3.Schema, v any, at string, depth int) []string {
	// A key described by several members is fine when any of them covers it.
	var best []string
	for i, p := range ps {
		got := undescribed(p, v, at, depth+1)
		if len(got) == 0 {
			return nil
		}
		if i == 0 || len(got) < len(best) {
			best = got
		}
	}
	return best
}

// collectProps gathers the properties a schema names (with its allOf, oneOf
// and anyOf members), the schema of additional properties if it has one, and
// whether it is open (no object keywords at all: a free-form value).
func collectProps(s *openapi3.Schema) (map[string][]*openapi3.Schema, *openapi3.Schema, bool) {
	props := map[string][]*openapi3.Schema{}
	var extra *openapi3.Schema
	open := true
	var walk func(s *openapi3.Schema, depth int)
	walk = func(s *openapi3.Schema, depth int) {
		if s == nil || depth > 10 {
			return
		}
		if len(s.Properties) > 0 || s.AdditionalProperties.Schema != nil || s.AdditionalProperties.Has != nil {
			open = false
		}
		for k, p := range s.Properties {
			if p != nil && p.Value != nil {
				props[k] = append(props[k], p.Value)
			}
		}
		if s.AdditionalProperties.Schema != nil && s.AdditionalProperties.Schema.Value != nil {
			extra = s.AdditionalProperties.Schema.Value
		} else if s.AdditionalProperties.Has != nil && *s.AdditionalProperties.Has {
			extra = &openapi3.Schema{}
		}
		for _, group := range []openapi3.SchemaRefs{s.AllOf, s.OneOf, s.AnyOf} {
			for _, m := range group {
				if m != nil {
					walk(m.Value, depth+1)
				}
			}
		}
	}
	walk(s, 0)
	return props, extra, open
}

func itemsOf(s *openapi3.Schema) *openapi3.Schema {
	if s.Items != nil && s.Items.Value != nil {
		return s.Items.Value
	}
	for _, group := range []openapi3.SchemaRefs{s.AllOf, s.OneOf, s.AnyOf} {
		for _, m := range group {
			if m != nil && m.Value != nil {
				if it := itemsOf(m.Value); it != nil {
					return it
				}
			}
		}
	}
	return nil
}

// Validating wraps a transport so that every exchange under /api/v1 is
// checked against api/openapi.yaml; a mismatch is reported through fail
// (the test's Errorf), so no API test can pass while the description is wrong.
func Validating(next http.RoundTripper, spec *Spec, fail func(format string, args ...any)) http.RoundTripper {
	if next == nil {
		next = http.DefaultTransport
	}
	return &validatingTransport{next: next, spec: spec, fail: fail}
}

type validatingTransport struct {
	next http.RoundTripper
	spec *Spec
	fail func(format string, args ...any)
}

func (v *validatingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if !strings.HasPrefix(req.URL.Path, apiPrefix) {
		return v.next.RoundTrip(req)
	}
	var body []byte
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		body = b
		req = req.Clone(req.Context())
		req.Body = io.NopCloser(bytes.NewReader(body))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	}
	res, err := v.next.RoundTrip(req)
	if err != nil {
		return res, err
	}
	resBody, err := io.ReadAll(res.Body)
	res.Body.Close()
	res.Body = io.NopCloser(bytes.NewReader(resBody))
	if err != nil {
		return res, err
	}
	header := req.Header.Clone()
	// Cookies a client jar adds are in req.Header already; nothing else to add.
	if err := v.spec.Check(Exchange{Method: req.Method, URL: req.URL.String(), Header: header, Body: body,
		Status: res.StatusCode, ResHeader: res.Header, ResBody: resBody}); err != nil {
		v.fail("api/openapi.yaml: %s %s → %d: %v\nresponse: %.600s", req.Method, req.URL.RequestURI(), res.StatusCode, err, resBody)
	}
	return res, nil
}
