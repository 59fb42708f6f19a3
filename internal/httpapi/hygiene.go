package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/gradzone/gradzone/internal/domain"
)

// inputHygiene is the one place that keeps NUL bytes and invalid UTF-8 away
// from every store. Postgres refuses both in text (SQLSTATE 22021), which
// used to surface as 500s; no field of this application has a use for
// either, so the request is refused before any handler runs:
//   - a path segment or query parameter → 422 validation_failed naming it;
//   - a JSON body: invalid UTF-8 → 400 invalid_json, a string (or key)
//     holding NUL → 422 naming the field's path (e.g. "employer.name");
//   - a url-encoded form field → 422 naming it;
//   - a header the API stores (storedHeaders) → 422 naming it.
//
// Multipart bodies are files (PDFs and workbooks legitimately hold NUL);
// their few text fields are checked by the handlers that read them.
func inputHygiene(reject func(*gin.Context, error)) gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := checkRequest(c); err != nil {
			reject(c, err)
			c.Abort()
			return
		}
		c.Next()
	}
}

// storedHeaders are the request headers whose values reach Postgres as
// given. (A session keeps a browser name picked from a fixed table, never
// the User-Agent itself.)
var storedHeaders = []string{"Idempotency-Key"}

func checkRequest(c *gin.Context) error {
	req := c.Request
	for _, p := range c.Params {
		if !cleanText(p.Value) {
			return domain.FieldError(p.Key, "must not contain NUL bytes or invalid UTF-8")
		}
	}
	if !cleanText(req.URL.Path) {
		return domain.FieldError("path", "must not contain NUL bytes or invalid UTF-8")
	}
	if err := checkValues(req.URL.RawQuery); err != nil {
		return err
	}
	for _, h := range storedHeaders {
		if !cleanText(req.Header.Get(h)) {
			return domain.FieldError(h, "must not contain NUL bytes or invalid UTF-8")
		}
	}
	if req.Body == nil || req.Body == http.NoBody || req.Method == http.MethodGet || req.Method == http.MethodHead {
		return nil
	}
	ct, _, _ := mime.ParseMediaType(req.Header.Get("Content-Type"))
	if strings.HasPrefix(ct, "multipart/") {
		return nil
	}
	body, err := io.ReadAll(req.Body)
	req.Body.Close()
	req.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return &domain.Error{Code: domain.CodeTooLarge, Message: "the request body is too large"}
		}
		return &domain.Error{Code: domain.CodeInvalidJSON, Message: "the request body could not be read"}
	}
	if len(body) == 0 {
		return nil
	}
	if ct == "application/x-www-form-urlencoded" {
		return checkValues(string(body))
	}
	// Every other body is read as JSON by the handlers.
	if !utf8.Valid(body) || unpairedSurrogate(body) {
		return &domain.Error{Code: domain.CodeInvalidJSON, Message: "the request body is not valid UTF-8"}
	}
	if !bytes.Contains(body, []byte(`\u0000`)) && !bytes.Contains(body, []byte(`\U0000`)) && bytes.IndexByte(body, 0) < 0 {
		return nil // the common case: nothing to look for
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		if bytes.IndexByte(body, 0) >= 0 {
			return &domain.Error{Code: domain.CodeInvalidJSON, Message: "the request body is not valid JSON"}
		}
		return nil // not JSON: the handler answers invalid_json
	}
	if field := nulField(v, ""); field != "" {
		return domain.FieldError(field, "must not contain NUL bytes")
	}
	return nil
}

// checkValues checks the names and values of a url-encoded string.
func checkValues(raw string) error {
	if raw == "" {
		return nil
	}
	vals, err := url.ParseQuery(raw)
	if err != nil && len(vals) == 0 {
		return nil // unparseable pairs are ignored by every reader
	}
	keys := make([]string, 0, len(vals))
	for k := range vals {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		name := k
		if !cleanText(k) {
			name = strings.ToValidUTF8(strings.ReplaceAll(k, "\x00", ""), "")
			if name == "" {
				name = "query"
			}
			return domain.FieldError(name, "must not contain NUL bytes or invalid UTF-8")
		}
		for _, v := range vals[k] {
			if !cleanText(v) {
				return domain.FieldError(name, "must not contain NUL bytes or invalid UTF-8")
			}
		}
	}
	return nil
}

func cleanText(s string) bool { return utf8.ValidString(s) && strings.IndexByte(s, 0) < 0 }

// nulField returns the path of the first string (or object key) in v that
// holds a NUL byte, or "".
func nulField(v any, path string) string {
	switch x := v.(type) {
	case string:
		if strings.IndexByte(x, 0) >= 0 {
			if path == "" {
				return "body"
			}
			return path
		}
	case []any:
		for i, e := range x {
			if f := nulField(e, path+"["+strconv.Itoa(i)+"]"); f != "" {
				return f
			}
		}
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if strings.IndexByte(k, 0) >= 0 {
				return join(path, strings.ReplaceAll(k, "\x00", ""))
			}
			if f := nulField(x[k], join(path, k)); f != "" {
				return f
			}
		}
	}
	return ""
}

func join(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}

// unpairedSurrogate tells whether a JSON body escapes half a character
// (\ud800 alone): encoding/json reads it as U+FFFD without a word, and a
// probe's saved search was stored, and mailed, as "�". The raw bytes of
// such a text are refused as invalid UTF-8; so is their escape.
func unpairedSurrogate(body []byte) bool {
	if !bytes.Contains(body, []byte(`\ud`)) && !bytes.Contains(body, []byte(`\uD`)) {
		return false
	}
	for i := 0; i < len(body); i++ {
		if body[i] != '\\' || i+1 >= len(body) {
			continue
		}
		if body[i+1] != 'u' {
			i++ // an escaped character, \\ among them
			continue
		}
		r, ok := hex4(body, i+2)
		switch {
		case !ok:
		case r >= 0xDC00 && r <= 0xDFFF:
			return true // a low half first
		case r >= 0xD800 && r <= 0xDBFF:
			low, ok := rune(0), i+7 < len(body) && body[i+6] == '\\' && body[i+7] == 'u'
			if ok {
				low, ok = hex4(body, i+8)
			}
			if !ok || low < 0xDC00 || low > 0xDFFF {
				return true
			}
			i += 6 // past the low half too
		}
		i += 5
	}
	return false
}

// hex4 reads the four hex digits at body[at:].
func hex4(body []byte, at int) (rune, bool) {
	if at+4 > len(body) {
		return 0, false
	}
	n, err := strconv.ParseUint(string(body[at:at+4]), 16, 32)
	return rune(n), err == nil
}
