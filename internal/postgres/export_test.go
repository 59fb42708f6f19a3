package postgres

import "context"

// Translate is translate, for the external tests.
var Translate = translate

// Exec runs one statement through GORM, untranslated (tests only).
func (s *Store) Exec(ctx context.Context, sql string) error {
	return s.db.WithContext(ctx).Exec(sql).Error
}
