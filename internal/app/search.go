package app

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/sony/gobreaker/v2"
	"golang.org/x/sync/singleflight"

	"github.com/gradzone/gradzone/internal/domain"
)

// Engine is the full-text search engine (internal/search implements it over
// Meilisearch).
type Engine interface {
	Search(ctx context.Context, q domain.SearchQuery) (domain.SearchResult, error)
}

// Search answers public searches from Meilisearch and, when it is
// unreachable, from Postgres with the same filters, facets and paging. A
// circuit breaker stops requests from waiting on a dead engine: after three
// failures in a row it goes straight to Postgres for five seconds, then lets
// one request probe the engine again.
//
// Meilisearch's answers are cached per query while the index is unchanged
// (search_cache.go), and identical queries in flight share one engine call:
// popular searches cost the engine nothing until the index changes.
type Search struct {
	Index   Engine
	Store   Store
	Log     *slog.Logger
	Timeout time.Duration
	breaker *gobreaker.CircuitBreaker[domain.SearchResult]
	cache   *resultCache // nil: no caching
	flight  singleflight.Group
	// short: the self-heal found the live index short (WatchIndex reads
	// it); Postgres answers until a whole index is swapped in.
	short  atomic.Bool
	Places *Places // the zone and province codes a query may name
}

// NewSearch returns a Search over ix with fallback to store, checking the
// zones and provinces a query names against places, caching up to
// cacheEntries results (0: none).
func NewSearch(ix Engine, store Store, places *Places, log *slog.Logger, cacheEntries int) *Search {
	s := &Search{Index: ix, Store: store, Places: places, Log: log, Timeout: 800 * time.Millisecond, cache: newResultCache(cacheEntries)}
	s.breaker = gobreaker.NewCircuitBreaker[domain.SearchResult](gobreaker.Settings{
		Name:        "meilisearch",
		MaxRequests: 1,
		Timeout:     5 * time.Second,
		ReadyToTrip: func(c gobreaker.Counts) bool { return c.ConsecutiveFailures >= 3 },
		// A caller who hung up says nothing about the engine's health.
		IsExcluded: func(err error) bool { return errors.Is(err, context.Canceled) },
		OnStateChange: func(name string, from, to gobreaker.State) {
			log.Warn("search circuit breaker", "from", from.String(), "to", to.String())
		},
	})
	return s
}

// Search runs q. The result's Engine says who answered.
func (s *Search) Search(ctx context.Context, q domain.SearchQuery) (domain.SearchResult, error) {
	if s.short.Load() {
		return s.Store.SearchOpenings(ctx, q)
	}
	res, err := s.fromEngine(ctx, q)
	if err == nil {
		return res, nil
	}
	if ctx.Err() != nil {
		return domain.SearchResult{}, ctx.Err()
	}
	if !errors.Is(err, gobreaker.ErrOpenState) && !errors.Is(err, gobreaker.ErrTooManyRequests) {
		// A refused query (4xx) is our bug, not an outage: log it loudly.
		s.Log.Error("meilisearch search failed; answering from postgres", "err", err)
	}
	return s.Store.SearchOpenings(ctx, q)
}

// fromEngine answers q from the cache or from Meilisearch. The cache is
// used only while the breaker is closed: once the engine is known to be
// down, the Postgres fallback (which is current) answers instead.
func (s *Search) fromEngine(ctx context.Context, q domain.SearchQuery) (domain.SearchResult, error) {
	generation, ok := s.cache.current(time.Now())
	if !ok || len(q.IDs) > 0 || s.breaker.State() != gobreaker.StateClosed {
		return s.engine(ctx, q)
	}
	key := cacheKey(q)
	if res, ok := s.cache.get(key, generation); ok {
		return res, nil
	}
	// The shared call must not fail for everyone because the first caller
	// hung up; it has its own timeout.
	flight := s.flight.DoChan(strconv.FormatInt(generation, 10)+"\x00"+key, func() (any, error) {
		res, err := s.engine(context.WithoutCancel(ctx), q)
		if err == nil {
			s.cache.add(key, generation, res)
		}
		return res, err
	})
	select {
	case r := <-flight:
		if r.Err != nil {
			return domain.SearchResult{}, r.Err
		}
		return r.Val.(domain.SearchResult), nil
	case <-ctx.Done():
		return domain.SearchResult{}, ctx.Err()
	}
}

// engine asks Meilisearch through the breaker.
func (s *Search) engine(ctx context.Context, q domain.SearchQuery) (domain.SearchResult, error) {
	return s.breaker.Execute(func() (domain.SearchResult, error) {
		ctx, cancel := context.WithTimeout(ctx, s.Timeout)
		defer cancel()
		return s.Index.Search(ctx, q)
	})
}

// IndexShort reports whether searches go to Postgres because the
// self-heal found the live index short.
func (s *Search) IndexShort() bool { return s.short.Load() }

// BreakerState reports the breaker's state: closed (engine in use), open
// (fallback), half-open (probing).
func (s *Search) BreakerState() string { return s.breaker.State().String() }

// SearchOpenings answers a public search, from the API or the search page:
// it tidies and checks the parameters the same way for both, then runs the
// search. Items is never nil. Errors: validation_failed.
func (s *Search) SearchOpenings(ctx context.Context, q domain.SearchQuery) (domain.SearchResult, error) {
	q = q.Tidy()
	if err := q.Validate(); err != nil {
		return domain.SearchResult{}, err
	}
	if err := s.Places.check(ctx, q.SearchFilters, ""); err != nil {
		return domain.SearchResult{}, err
	}
	res, err := s.Search(ctx, q.ReadDegreeWords().ReadPlaceWords())
	if err != nil {
		return domain.SearchResult{}, err
	}
	if res.Items == nil {
		res.Items = []domain.SearchHit{}
	}
	return res, nil
}
