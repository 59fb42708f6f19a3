package postgres

import (
	"strconv"

	"github.com/google/uuid"
)

// Page is a 1-based page request, already validated by the HTTP layer.
type Page struct{ Page, PerPage int }

// Offset returns the row offset of the page.
func (p Page) Offset() int { return (p.Page - 1) * p.PerPage }

// validUUID guards queries against IDs that are not UUIDs: such an ID cannot
// exist, so callers answer not_found without asking the database.
func validUUID(s string) bool {
	_, err := uuid.Parse(s)
	return err == nil && len(s) == 36
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func itoa(n int) string { return strconv.Itoa(n) }
