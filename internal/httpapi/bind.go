package httpapi

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/gradzone/gradzone/internal/domain"
)

// decode reads the JSON body into dst. Not JSON, several values, or a value
// of the wrong type → 400 invalid_json; a body over the limit → 413.
func decode(c *gin.Context, dst any) error {
	dec := json.NewDecoder(c.Request.Body)
	err := dec.Decode(dst)
	if err == nil && dec.More() {
		err = errors.New("more than one JSON value")
	}
	if err == nil {
		return nil
	}
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return &domain.Error{Code: domain.CodeTooLarge, Message: "the request body is too large"}
	}
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		field := typeErr.Field
		if field == "" {
			field = "body"
		}
		return &domain.Error{Code: domain.CodeInvalidJSON, Message: "a field has the wrong type",
			Fields: map[string]string{field: "must be " + typeErr.Type.String()}}
	}
	if errors.Is(err, io.EOF) {
		return &domain.Error{Code: domain.CodeInvalidJSON, Message: "the request body is empty; send a JSON object"}
	}
	return &domain.Error{Code: domain.CodeInvalidJSON, Message: "the request body is not valid JSON"}
}

// decodeOptional is decode for endpoints whose body may be empty.
func decodeOptional(c *gin.Context, dst any) error {
	if c.Request.ContentLength == 0 {
		return nil
	}
	return decode(c, dst)
}

// paging reads ?page=&per_page= (within domain.MaxPage and domain.MaxPerPage).
func paging(c *gin.Context) (domain.Page, error) {
	p := domain.Page{Page: 1, PerPage: 20}
	var v domain.Validation
	if s := c.Query("page"); s != "" {
		n, err := strconv.Atoi(s)
		v.Check(err == nil && n >= 1 && n <= domain.MaxPage, "page", "must be a whole number from 1")
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
