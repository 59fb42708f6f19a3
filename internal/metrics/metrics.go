// Package metrics exposes Prometheus metrics: the search job backlog and lag, the
// search breaker's state and result cache, and Go runtime figures.
package metrics

import (
	"context"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/gradzone/gradzone/internal/app"
	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/postgres"
)

// Registry holds gradzone's collectors.
type Registry struct{ reg *prometheus.Registry }

// New registers the collectors.
func New(store *postgres.Store, search *app.Search) *Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	outbox := func(pick func(domain.OutboxState) float64) func() float64 {
		return func() float64 {
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			st, err := store.OutboxStatus(ctx)
			if err != nil {
				return -1
			}
			return pick(st)
		}
	}
	reg.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "gradzone_outbox_pending", Help: "Unfinished index and alert jobs (River queues index and alerts); named after the outbox they replaced."},
			outbox(func(s domain.OutboxState) float64 { return float64(s.Pending) })),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "gradzone_outbox_lag_seconds", Help: "Age of the oldest unfinished index or alert job: how far the search index lags Postgres."},
			outbox(func(s domain.OutboxState) float64 { return s.LagSeconds })),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "gradzone_search_fallback", Help: "1 while the search breaker sends queries to Postgres."},
			func() float64 {
				if search.BreakerState() == "open" {
					return 1
				}
				return 0
			}),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "gradzone_search_cache_hits_total", Help: "Searches answered from the result cache."},
			func() float64 { h, _ := search.CacheStats(); return float64(h) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "gradzone_search_cache_misses_total", Help: "Cacheable searches sent to Meilisearch."},
			func() float64 { _, m := search.CacheStats(); return float64(m) }),
	)
	return &Registry{reg: reg}
}

// Handler serves the metrics in the Prometheus text format.
func (r *Registry) Handler() http.Handler {
	return promhttp.HandlerFor(r.reg, promhttp.HandlerOpts{})
}
