package app

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/golang-lru/v2/expirable"
	"github.com/sony/gobreaker/v2"

	"github.com/gradzone/gradzone/internal/domain"
)

// The rules that keep cached results current (docs/decisions.md):
const (
	// watchEvery is how often the index generation is read from Postgres:
	// a change to the index reaches every replica's cache within this.
	watchEvery = 100 * time.Millisecond
	// trustFor is how long a reading stays good: if Postgres cannot be
	// read, the cache is bypassed rather than trusted.
	trustFor = time.Second
	// maxLag: when index changes have waited longer than this (Meilisearch
	// down or behind), the cache is bypassed, so that searches go to the
	// engine and, if it is down, to the Postgres fallback, which is current.
	maxLag = 5 * time.Second
	// entryTTL bounds any entry's life, whatever happens.
	entryTTL = time.Minute
)

// resultCache keeps Meilisearch results keyed by query, valid while the
// index generation they were read at is the current one.
type resultCache struct {
	entries *expirable.LRU[string, cachedResult]

	mu         sync.Mutex
	generation int64
	readAt     time.Time // last successful reading
	lagging    bool

	hits, misses atomic.Int64
}

type cachedResult struct {
	generation int64
	result     domain.SearchResult
}

func newResultCache(size int) *resultCache {
	if size <= 0 {
		return nil
	}
	return &resultCache{entries: expirable.NewLRU[string, cachedResult](size, nil, entryTTL)}
}

// observe records a reading of the index state.
func (c *resultCache) observe(st domain.SearchIndexState, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.generation, c.readAt = st.Generation, now
	c.lagging = time.Duration(st.LagSeconds*float64(time.Second)) > maxLag
}

// current returns the generation results may be cached at, and false when
// the cache must not be used now.
func (c *resultCache) current(now time.Time) (int64, bool) {
	if c == nil {
		return 0, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.readAt.IsZero() || now.Sub(c.readAt) > trustFor || c.lagging {
		return 0, false
	}
	return c.generation, true
}

func (c *resultCache) get(key string, generation int64) (domain.SearchResult, bool) {
	e, ok := c.entries.Get(key)
	if !ok || e.generation != generation {
		c.misses.Add(1)
		return domain.SearchResult{}, false
	}
	c.hits.Add(1)
	return e.result, true
}

func (c *resultCache) add(key string, generation int64, res domain.SearchResult) {
	c.entries.Add(key, cachedResult{generation: generation, result: res})
}

// cacheKey identifies a query's results. Meilisearch ignores case and
// repeated spaces, so they are folded; the date is part of the key because
// it decides which deadlines have passed.
func cacheKey(q domain.SearchQuery) string {
	return strings.Join([]string{strings.ToLower(strings.Join(strings.Fields(q.Q), " ")), q.Zone, q.Province,
		q.Industry, q.Degree, strings.Join(q.Degrees, ","), q.EmployerType, q.City, q.EmployerID, q.MyDegree, q.Sort, strconv.Itoa(q.Page),
		strconv.Itoa(q.PerPage), q.Today.String(), strconv.FormatBool(q.SoundsAlike)}, "\x00")
}

// WatchIndex keeps the cache's view of the index generation, and whether
// the index is short, current until ctx ends. Without it running the cache
// is never used.
func (s *Search) WatchIndex(ctx context.Context) {
	wait := watchEvery
	for {
		rctx, cancel := context.WithTimeout(ctx, trustFor)
		st, err := s.Store.SearchIndexState(rctx)
		cancel()
		if err == nil {
			s.short.Store(st.Short)
			if s.cache != nil {
				s.cache.observe(st, time.Now())
			}
			wait = watchEvery
		} else {
			// While Postgres does not answer, the cache is bypassed (its
			// generation grows old) and each failed read is logged: read
			// less often, up to watchBackoff apart (an ops probe counted
			// ten log lines a second).
			wait = min(wait*2, watchBackoff)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}

// watchBackoff is the longest wait between the watch's reads while they fail.
const watchBackoff = 5 * time.Second

// CacheSees reports whether the cache has observed generation g of the
// index (true when there is no cache): from then on no result read before
// generation g is served.
func (s *Search) CacheSees(g int64) bool {
	if s.cache == nil {
		return true
	}
	s.cache.mu.Lock()
	defer s.cache.mu.Unlock()
	return s.cache.generation >= g
}

// CacheState says whether searches are being answered from the cache:
// "off" (configured so), "bypassed" (the generation is unknown or stale, or
// the index lags) or "in use". /readyz reports it.
func (s *Search) CacheState() string {
	switch _, ok := s.cache.current(time.Now()); {
	case s.cache == nil:
		return "off"
	case !ok || s.breaker.State() != gobreaker.StateClosed:
		return "bypassed"
	}
	return "in use"
}

// CacheStats returns how many cacheable searches were answered from the
// cache and how many went to Meilisearch.
func (s *Search) CacheStats() (hits, misses int64) {
	if s.cache == nil {
		return 0, 0
	}
	return s.cache.hits.Load(), s.cache.misses.Load()
}
