package app

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/sony/gobreaker/v2"

	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/postgres"
	"github.com/gradzone/gradzone/internal/search"
)

// Search answers public searches from Meilisearch and, when it is
// unreachable, from Postgres with the same filters, facets and paging. A
// circuit breaker stops requests from waiting on a dead engine: after three
// failures in a row it goes straight to Postgres for five seconds, then lets
// one request probe the engine again.
type Search struct {
	Index   *search.Index
	Store   *postgres.Store
	Log     *slog.Logger
	Timeout time.Duration
	breaker *gobreaker.CircuitBreaker[domain.SearchResult]
}

// NewSearch returns a Search over ix with fallback to store.
func NewSearch(ix *search.Index, store *postgres.Store, log *slog.Logger) *Search {
	s := &Search{Index: ix, Store: store, Log: log, Timeout: 800 * time.Millisecond}
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
	res, err := s.breaker.Execute(func() (domain.SearchResult, error) {
		ctx, cancel := context.WithTimeout(ctx, s.Timeout)
		defer cancel()
		return s.Index.Search(ctx, q)
	})
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

// BreakerState reports the breaker's state: closed (engine in use), open
// (fallback), half-open (probing).
func (s *Search) BreakerState() string { return s.breaker.State().String() }
