package postgres

import (
	"context"
	"sync"

	"github.com/gradzone/gradzone/internal/domain"
)

// progressCache keeps progress answers (zone, province, national) under the
// generation of the figures they were computed from (migration 00028: any
// committed change to counters, breakdowns, placements or targets bumps it,
// whichever replica or tool made it). Every read compares the generation
// first, one single-row query, so an answer is never older than the last
// change committed before the request; the cache only saves recomputing
// the same figures for every ministry and province dashboard.
//
// Cached values are shared between requests: callers read them and never
// modify them.
type progressCache struct {
	mu      sync.Mutex
	entries map[string]progressEntry
}

type progressEntry struct {
	generation int64
	today      domain.Date // sprint and like-for-like figures count to today
	value      any
}

// maxProgressEntries bounds the cache: 178 zones, 31 provinces and the
// nation for a few years. Past it the cache starts again empty.
const maxProgressEntries = 2000

const queryProgressGeneration = `SELECT n FROM progress_generation`

// cachedProgress returns the answer cached under key when the figures have
// not changed since, and otherwise computes, caches and returns it. The
// caller has checked the caller's right to read it.
func cachedProgress[T any](ctx context.Context, s *Store, key string, compute func() (T, error)) (T, error) {
	var generation int64
	if err := s.db.WithContext(ctx).Raw(queryProgressGeneration).Scan(&generation).Error; err != nil {
		var zero T
		return zero, translate(err)
	}
	// A change committed after this read but before compute reads the
	// figures is cached under the older generation: the next request sees
	// the newer one and recomputes. Never the other way round.
	today := domain.DateOf(s.now())
	c := &s.progress
	c.mu.Lock()
	e, ok := c.entries[key]
	c.mu.Unlock()
	if ok && e.generation == generation && e.today == today {
		return e.value.(T), nil
	}
	v, err := compute()
	if err != nil {
		return v, err
	}
	c.mu.Lock()
	if c.entries == nil || len(c.entries) >= maxProgressEntries {
		c.entries = map[string]progressEntry{}
	}
	c.entries[key] = progressEntry{generation: generation, today: today, value: v}
	c.mu.Unlock()
	return v, nil
}
