package postgres

import (
	"strconv"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/gradzone/gradzone/internal/domain"
)

// validUUID guards queries against IDs that are not UUIDs: such an ID cannot
// exist, so callers answer not_found without asking the database.
func validUUID(s string) bool {
	_, err := uuid.Parse(s)
	return err == nil && len(s) == 36
}

// oneRow scans the row q (with args) selects for the record id names: an id
// that is not a UUID, or no row, is not_found; other errors are returned as
// they are.
func oneRow[R any](db *gorm.DB, id, q string, args ...any) (R, error) {
	var rows []R
	if !validUUID(id) {
		return *new(R), domain.ErrNotFound
	}
	if err := db.Raw(q, args...).Scan(&rows).Error; err != nil {
		return *new(R), err
	}
	if len(rows) == 0 {
		return *new(R), domain.ErrNotFound
	}
	return rows[0], nil
}

// changeOne runs the write q (with args) to the one row id names: an id
// that is not a UUID, or no row changed, is not_found (the row does not
// exist or is not the caller's, which the answer does not tell apart);
// other errors are translated.
func changeOne(db *gorm.DB, id, q string, args ...any) error {
	if !validUUID(id) {
		return domain.ErrNotFound
	}
	res := db.Exec(q, args...)
	if res.Error != nil {
		return translate(res.Error)
	}
	if res.RowsAffected == 0 {
		return domain.ErrNotFound
	}
	return nil
}

// toDomains converts rows to the domain values they hold.
func toDomains[D any, R interface{ toDomain() D }](rows []R) []D {
	out := make([]D, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out
}

// idsOf lists the IDs of items, in their order (to read what belongs to
// them in one query).
func idsOf[T any](items []T, id func(T) string) []string {
	out := make([]string, len(items))
	for i, x := range items {
		out[i] = id(x)
	}
	return out
}

// validUUIDs keeps the ids that are UUIDs (validUUID): the others cannot
// exist.
func validUUIDs(ids []string) []string {
	valid := make([]string, 0, len(ids))
	for _, id := range ids {
		if validUUID(id) {
			valid = append(valid, id)
		}
	}
	return valid
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func itoa(n int) string { return strconv.Itoa(n) }
