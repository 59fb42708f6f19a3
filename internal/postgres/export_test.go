package postgres

import (
	"context"
	"time"
)

// Translate is translate, for the external tests.
var Translate = translate

// WithSettings is withSettings, for the external tests.
var WithSettings = withSettings

// Exec runs one statement through GORM, untranslated (tests only).
func (s *Store) Exec(ctx context.Context, sql string) error {
	return s.db.WithContext(ctx).Exec(sql).Error
}

// HoldFallbackSlots limits the store to n fallback searches at once and
// takes every slot until release (tests only).
func (s *Store) HoldFallbackSlots(ctx context.Context, n int) (release func()) {
	s.LimitFallbackSearches(n)
	if err := s.searchSlots.Acquire(ctx, int64(n)); err != nil {
		panic(err)
	}
	return func() { s.searchSlots.Release(int64(n)) }
}

// SetFallbackWait bounds a fallback search's wait for a slot (tests only).
func (s *Store) SetFallbackWait(d time.Duration) { s.searchWait = d }
