package postgres

import (
	"strconv"

	"github.com/google/uuid"
)

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
