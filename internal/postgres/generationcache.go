package postgres

import (
	"context"
	"sync"

	"github.com/gradzone/gradzone/internal/domain"
)

// generationCache keeps answers computed from Postgres under the generation
// of the rows they were computed from: a one-row counter that deferred
// triggers bump once per committed change to those rows, whichever replica
// or tool made it. Every read compares the generation first, one
// single-row query, so an answer is never older than the last change
// committed before the request; the cache only saves recomputing the same
// answer for every reader.
//
// Two caches use it: progress (migration 00028: counters, breakdowns,
// placements, targets) and the Postgres fallback of public search
// (migration 00029: openings, employers, zones).
//
// Cached values are shared between requests: callers read them and never
// modify them.
type generationCache struct {
	// generation is the query that reads the counter.
	generation string
	// max bounds the cache; past it the cache starts again empty.
	max int

	mu      sync.Mutex
	entries map[string]generationEntry
}

type generationEntry struct {
	generation int64
	today      domain.Date // answers that count to today, or hide what ended before it
	value      any
}

const progressGeneration = `SELECT n
	FROM progress_generation`

const searchDataGeneration = `SELECT n
	FROM search_data_generation`

func newCaches() (progress, search *generationCache) {
	// Progress: 178 zones, 31 provinces and the nation for a few years.
	progress = &generationCache{generation: progressGeneration, max: 2000}
	// Fallback search: the searches made most while Meilisearch is out.
	// An answer is a page of 20 openings and its facets, about 10 KB.
	search = &generationCache{generation: searchDataGeneration, max: 1000}
	return progress, search
}

// cached returns the answer c holds under key when its rows have not
// changed since (and the day is the same), and otherwise computes, caches
// and returns it. The caller has checked the caller's right to read it.
func cached[T any](ctx context.Context, s *Store, c *generationCache, key string, compute func() (T, error)) (T, error) {
	var generation int64
	if err := s.db.WithContext(ctx).Raw(c.generation).Scan(&generation).Error; err != nil {
		var zero T
		return zero, translate(err)
	}
	// A change committed after this read but before compute reads the
	// rows is cached under the older generation: the next request sees
	// the newer one and recomputes. Never the other way round.
	today := domain.DateOf(s.now())
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
	if c.entries == nil || len(c.entries) >= c.max {
		c.entries = map[string]generationEntry{}
	}
	c.entries[key] = generationEntry{generation: generation, today: today, value: v}
	c.mu.Unlock()
	return v, nil
}
