package httpapi

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/gin-gonic/gin"

	"github.com/gradzone/gradzone/internal/domain"
)

// decode reads the JSON body into dst. Not JSON, null, several values, or
// a value of the wrong type → 400 invalid_json; a body over the limit → 413.
func decode(c *gin.Context, dst any) error {
	dec := json.NewDecoder(c.Request.Body)
	var raw json.RawMessage
	err := dec.Decode(&raw)
	if err == nil && dec.More() {
		err = errors.New("more than one JSON value")
	}
	// null would decode as {} and, on a PUT, clear what the object sets.
	if err == nil && string(raw) == "null" {
		return &domain.Error{Code: domain.CodeInvalidJSON, Message: "the request body is null; send a JSON object"}
	}
	if err == nil {
		err = json.Unmarshal(raw, dst)
	}
	if err == nil {
		// Decoded; null where a value was meant is refused still.
		if err := nullElementsRefused(raw); err != nil {
			return err
		}
		if c.Request.Method == http.MethodPatch || c.GetBool(partialKey) {
			return nullsRefused(raw, dst)
		}
		return nil
	}
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return &domain.Error{Code: domain.CodeTooLarge, Message: "the request body is too large"}
	}
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		field := elementPath(raw, jsonPath(typeErr.Field), typeErr.Value)
		if field == "" {
			field = "body"
		}
		return &domain.Error{Code: domain.CodeInvalidJSON, Message: "a field has the wrong type",
			Fields: map[string]string{field: "must be " + jsonKind(typeErr.Type)}}
	}
	if errors.Is(err, io.EOF) {
		return &domain.Error{Code: domain.CodeInvalidJSON, Message: "the request body is empty; send a JSON object"}
	}
	return &domain.Error{Code: domain.CodeInvalidJSON, Message: "the request body is not valid JSON"}
}

// partialKey marks a request whose body changes only the fields it gives,
// as a PATCH's does, though sent with another method (partial).
const partialKey = "partial_body"

// partial marks the route's body as a partial change (nullsRefused).
func partial(c *gin.Context) {
	c.Set(partialKey, true)
	c.Next()
}

// nullsRefused checks a PATCH body (or a partial one) decoded into dst: a
// field the patch leaves out keeps its value, and a field sent as null
// would decode just as if left out — a client clearing its phone or skills
// was told 200 and nothing changed (review42b). So null is refused, 400
// invalid_json naming each field, unless the field is tagged null:"keeps"
// (api/openapi.yaml describes it nullable: "null or absent leaves it"). A
// null value in an object of settings (the mail preferences' kinds) is
// refused too: it decoded as false and turned the setting off.
func nullsRefused(raw json.RawMessage, dst any) error {
	t := reflect.TypeOf(dst)
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	var obj map[string]json.RawMessage
	if t == nil || t.Kind() != reflect.Struct || json.Unmarshal(raw, &obj) != nil {
		return nil
	}
	fields := map[string]string{}
	for key, v := range obj {
		f, ok := jsonField(t, key)
		if !ok {
			continue
		}
		if string(v) == "null" {
			if f.Tag.Get("null") != "keeps" {
				fields[key] = "must be " + jsonKind(f.Type) + ", not null (leave the field out to keep it)"
			}
			continue
		}
		ft := f.Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		var entries map[string]json.RawMessage
		if ft.Kind() != reflect.Map || json.Unmarshal(v, &entries) != nil {
			continue
		}
		for k, ev := range entries {
			if string(ev) == "null" {
				fields[key+"."+k] = "must be " + jsonKind(ft.Elem()) + ", not null (leave it out to keep it)"
			}
		}
	}
	if len(fields) == 0 {
		return nil
	}
	return &domain.Error{Code: domain.CodeInvalidJSON, Message: "a field has the wrong type", Fields: fields}
}

// nullElementsRefused refuses a body with null as an element of a list
// (no list of the API takes one): it decoded as "" — a profile's list
// dropped it, a bulk move answered an application of ID "" (review42b).
// 400 invalid_json naming each element as a JSON path ("skills[1]").
func nullElementsRefused(raw json.RawMessage) error {
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return nil
	}
	fields := map[string]string{}
	var walk func(v any, at string)
	walk = func(v any, at string) {
		switch x := v.(type) {
		case map[string]any:
			for k, child := range x {
				walk(child, join(at, k))
			}
		case []any:
			for i, e := range x {
				if e == nil {
					fields[at+"["+strconv.Itoa(i)+"]"] = "must not be null"
					continue
				}
				walk(e, at+"["+strconv.Itoa(i)+"]")
			}
		}
	}
	walk(v, "")
	if len(fields) == 0 {
		return nil
	}
	return &domain.Error{Code: domain.CodeInvalidJSON, Message: "a list holds null", Fields: fields}
}

// jsonField is the field of struct type t that encoding/json fills from
// the object key key (its name in the json tag, else the Go name, matched
// case-insensitively as encoding/json does; embedded structs' fields too).
func jsonField(t reflect.Type, key string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			if inner, ok := jsonField(f.Type, key); ok {
				return inner, true
			}
			continue
		}
		if name == "" {
			name = f.Name
		}
		if strings.EqualFold(name, key) {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

// jsonPath is a field's path as the client wrote it: encoding/json names
// an embedded struct by its Go type ("employer.OrgDetails.name"); JSON
// names here are snake_case, so a segment starting upper-case is Go's.
func jsonPath(field string) string {
	parts := strings.Split(field, ".")
	kept := parts[:0]
	for _, p := range parts {
		if p != "" && !unicode.IsUpper(rune(p[0])) {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, ".")
}

// elementPath names where in body a value of the wrong kind (found, as
// encoding/json says it: "number", "object" …) sits under field, with the
// position of each array element on the way: encoding/json says
// "interview_slots.starts_at" or "majors", a client needs
// "interview_slots[1].starts_at" or "majors[1]". It is field when the body
// does not say more.
func elementPath(body []byte, field, found string) string {
	kind, _, _ := strings.Cut(found, " ") // "number 300" for an overflow
	var v any
	if field == "" || json.Unmarshal(body, &v) != nil {
		return field
	}
	// A Go map's value is looked for last: encoding/json names the map
	// alone ("kinds" for kinds.application_status), but an object where
	// the field is, or an array's element, says more.
	for _, intoMaps := range []bool{false, true} {
		if at, ok := locate(v, strings.Split(field, "."), kind, "", intoMaps); ok {
			return at
		}
	}
	return field
}

// locate walks v along the path segs, into every element of the arrays
// on the way (and, intoMaps, into the values of an object at the path's
// end), to the first value of JSON kind kind; it returns that value's path
// (at is the path so far).
func locate(v any, segs []string, kind, at string, intoMaps bool) (string, bool) {
	if items, ok := v.([]any); ok && (len(segs) > 0 || kind != "array") {
		for i, item := range items {
			if p, ok := locate(item, segs, kind, at+"["+strconv.Itoa(i)+"]", intoMaps); ok {
				return p, true
			}
		}
		return "", false
	}
	if obj, ok := v.(map[string]any); ok && intoMaps && len(segs) == 0 && kind != "object" {
		for _, k := range slices.Sorted(maps.Keys(obj)) {
			if p, ok := locate(obj[k], nil, kind, join(at, k), false); ok {
				return p, true
			}
		}
		return "", false
	}
	if len(segs) == 0 {
		return at, kindOf(v) == kind
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return "", false
	}
	child, ok := obj[segs[0]]
	if !ok {
		for k, c := range obj { // encoding/json matches keys case-insensitively
			if strings.EqualFold(k, segs[0]) {
				child, ok = c, true
				break
			}
		}
	}
	if !ok {
		return "", false
	}
	return locate(child, segs[1:], kind, join(at, segs[0]), intoMaps)
}

// kindOf is the JSON kind of a decoded value, as encoding/json names it.
func kindOf(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "bool"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return "null"
}

// jsonKind names what JSON a Go type takes, as a client sees it (not
// "[]domain.InterviewInput").
func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Pointer:
		return jsonKind(t.Elem())
	case reflect.Bool:
		return "true or false"
	case reflect.String:
		return "a string"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Float32, reflect.Float64:
		return "a number"
	default: // the integer kinds: 2.5 is a number, just not one of these
		return "a whole number"
	}
}

// decodeOptional is decode for endpoints whose body may be empty: no body,
// and also an empty body sent chunked (length unknown), as clients that
// stream or wrap their bodies do.
func decodeOptional(c *gin.Context, dst any) error {
	if c.Request.ContentLength == 0 {
		return nil
	}
	body := bufio.NewReader(c.Request.Body)
	if _, err := body.Peek(1); errors.Is(err, io.EOF) {
		return nil
	}
	c.Request.Body = struct {
		io.Reader
		io.Closer
	}{body, c.Request.Body}
	return decode(c, dst)
}

// paging reads ?page=&per_page= (within domain.MaxPage and domain.MaxPerPage).
func paging(c *gin.Context) (domain.Page, error) {
	p := domain.Page{Page: 1, PerPage: 20}
	var v domain.Validation
	if s := c.Query("page"); s != "" {
		n, err := strconv.Atoi(s)
		v.Check(err == nil && n >= 1 && n <= domain.MaxPage, "page", domain.ReasonPage)
		p.Page = n
	}
	if s := c.Query("per_page"); s != "" {
		n, err := strconv.Atoi(s)
		v.Check(err == nil && n >= 1 && n <= domain.MaxPerPage, "per_page", "must be a whole number from 1 to 100")
		p.PerPage = n
	}
	return p, v.Err()
}

// listBody is the contract's list shape.
type listBody[T any] struct {
	Items   []T   `json:"items"`
	Total   int64 `json:"total"`
	Page    int   `json:"page"`
	PerPage int   `json:"per_page"`
}

func list[T any](items []T, total int64, p domain.Page) listBody[T] {
	if items == nil {
		items = []T{}
	}
	return listBody[T]{Items: items, Total: total, Page: p.Page, PerPage: p.PerPage}
}

// queryInt parses an optional integer query parameter within [min, max].
func queryInt(c *gin.Context, v *domain.Validation, name string, def, min, max int) int {
	s := c.Query(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < min || n > max {
		v.Add(name, "must be a whole number from "+strconv.Itoa(min)+" to "+strconv.Itoa(max))
		return def
	}
	return n
}

// decoded is decode for a handler: on bad input it records the error (the
// error middleware answers it) and says false, so the handler returns.
func decoded(c *gin.Context, dst any) bool {
	if err := decode(c, dst); err != nil {
		fail(c, err)
		return false
	}
	return true
}

// withInput makes a gin handler of h, which takes what read makes of the
// request: on bad input the error is recorded (the error middleware answers
// it) and h does not run. The with… wrappers below are withInput with one
// reader each.
func withInput[T any](read func(*gin.Context) (T, error), h func(*gin.Context, T)) gin.HandlerFunc {
	return func(c *gin.Context) {
		in, err := read(c)
		if err != nil {
			fail(c, err)
			return
		}
		h(c, in)
	}
}

// withBody: h takes the JSON body decoded into a T.
func withBody[T any](h func(*gin.Context, T)) gin.HandlerFunc { return withInput(bodyOf[T](decode), h) }

// withOptionalBody is withBody for endpoints whose body may be empty
// (decodeOptional): h then gets T's zero value.
func withOptionalBody[T any](h func(*gin.Context, T)) gin.HandlerFunc {
	return withInput(bodyOf[T](decodeOptional), h)
}

// bodyOf reads the JSON body into a T with dec (decode or decodeOptional).
func bodyOf[T any](dec func(*gin.Context, any) error) func(*gin.Context) (T, error) {
	return func(c *gin.Context) (T, error) {
		var req T
		err := dec(c, &req)
		return req, err
	}
}

// withPage: h takes the ?page=&per_page= read by paging.
func withPage(h func(*gin.Context, domain.Page)) gin.HandlerFunc { return withInput(paging, h) }

// optionalFlag reads the yes/no filter name: absent or "false" is false,
// "true" is true; any other value fails the request (422) and ok is false.
func optionalFlag(c *gin.Context, name string) (on, ok bool) {
	switch c.Query(name) {
	case "", "false":
		return false, true
	case "true":
		return true, true
	}
	fail(c, domain.FieldError(name, "must be true or false"))
	return false, false
}

// optionalOneOf checks a list's optional filter: v, the query parameter
// name, is empty or one of allowed. Else it fails the request with msg for
// name (422) and returns false.
func optionalOneOf(c *gin.Context, name, v string, allowed []string, msg string) bool {
	if v == "" || domain.OneOf(v, allowed) {
		return true
	}
	fail(c, domain.FieldError(name, msg))
	return false
}

// listByStatus is the handler of a list with an optional status filter,
// one of allowed (msg says which), such as an employer's openings or the
// employers staff review.
func listByStatus[T any](allowed []string, msg string, list func(context.Context, domain.Caller, string, domain.Page) ([]T, int64, error)) func(*gin.Context, domain.Page) {
	return func(c *gin.Context, p domain.Page) {
		status := c.Query("status")
		if !optionalOneOf(c, "status", status, allowed, msg) {
			return
		}
		items, total, err := list(c.Request.Context(), caller(c), status, p)
		replyPage(c, items, total, p, err)
	}
}

// The answers most handlers end with: v or the error, in the contract's
// shapes (errors through the one error table in errors.go).

// replyPage answers one page of a list in the contract's list shape.
func replyPage[T any](c *gin.Context, items []T, total int64, p domain.Page, err error) {
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, list(items, total, p))
}

// replyAll answers a whole (short, unpaged) list: its items and their count.
func replyAll[T any](c *gin.Context, items []T, err error) {
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": items, "total": len(items)})
}

// done answers status with no body, or the error.
func done(c *gin.Context, status int, err error) {
	if err != nil {
		fail(c, err)
		return
	}
	c.Status(status)
}

// replyByID answers status with what fn returns for the path's :id: the
// whole handler of "read or act on one record" endpoints.
func replyByID[R any](c *gin.Context, status int, fn func(context.Context, domain.Caller, string) (R, error)) {
	r, err := fn(c.Request.Context(), caller(c), c.Param("id"))
	reply(c, status, r, err)
}

// replyWithBody decodes the JSON body into a T and answers status with what
// fn returns for it: the whole handler of "create from a body" endpoints.
func replyWithBody[T, R any](c *gin.Context, status int, fn func(context.Context, domain.Caller, T) (R, error)) {
	var in T
	if decoded(c, &in) {
		r, err := fn(c.Request.Context(), caller(c), in)
		reply(c, status, r, err)
	}
}
