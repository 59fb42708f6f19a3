// Package metrics exposes Prometheus metrics: the search job backlog and lag, the
// search breaker's state, a short index and the result cache, mail (sent,
// failed and refused by kind; the queue's pending, retrying and discarded
// mails), the programme's numbers of the year (programme.go), and Go runtime
// figures.
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

// New registers the collectors. The programme's numbers are read through
// service, each read serving scrapes for cacheFor (zero: ProgrammeCacheFor).
func New(store *postgres.Store, search *app.Search, background *app.Background, service *app.Service, cacheFor time.Duration) *Registry {
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
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "gradzone_search_index_short", Help: "1 while the self-heal found the live index short and searches are answered from Postgres until a rebuilt one is swapped in."},
			func() float64 {
				if search.IndexShort() {
					return 1
				}
				return 0
			}),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "gradzone_search_cache_hits_total", Help: "Searches answered from the result cache."},
			func() float64 { h, _ := search.CacheStats(); return float64(h) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "gradzone_search_cache_misses_total", Help: "Cacheable searches sent to Meilisearch."},
			func() float64 { _, m := search.CacheStats(); return float64(m) }),
	)
	reg.MustRegister(mailCounts{background}, mailQueue{store})
	if cacheFor <= 0 {
		cacheFor = ProgrammeCacheFor
	}
	reg.MustRegister(&programme{read: service.ProgrammeCounts, now: time.Now, cacheFor: cacheFor, timeout: programmeTimeout})
	return &Registry{reg: reg}
}

var (
	mailSentDesc = prometheus.NewDesc("gradzone_mail_sent_total",
		"Mails this process handed to the SMTP server, by kind.", []string{"kind"}, nil)
	mailFailuresDesc = prometheus.NewDesc("gradzone_mail_failures_total",
		"Tries of this process that failed to hand a mail to the SMTP server (the server or our relay refused it, unreachable, not rendered, no server configured), by kind; the queue tries each again. An address refused for good counts in gradzone_mail_refused_total instead.",
		[]string{"kind"}, nil)
	mailRefusedDesc = prometheus.NewDesc("gradzone_mail_refused_total",
		"Mails of this process that an address's mail server refused for good (5xx at RCPT TO), by kind: the address is unverified until proved again and the mail is not tried again. Not a failure of the SMTP server.",
		[]string{"kind"}, nil)
)

// mailCounts exposes app.Background's mail counts: a series per kind of
// the registry from the start, so a rate over them exists before the first
// failure.
type mailCounts struct{ background *app.Background }

func (c mailCounts) Describe(ch chan<- *prometheus.Desc) {
	ch <- mailSentDesc
	ch <- mailFailuresDesc
	ch <- mailRefusedDesc
}

func (c mailCounts) Collect(ch chan<- prometheus.Metric) {
	for kind, n := range c.background.MailStats() {
		ch <- prometheus.MustNewConstMetric(mailSentDesc, prometheus.CounterValue, float64(n.Sent), string(kind))
		ch <- prometheus.MustNewConstMetric(mailFailuresDesc, prometheus.CounterValue, float64(n.Failed), string(kind))
		ch <- prometheus.MustNewConstMetric(mailRefusedDesc, prometheus.CounterValue, float64(n.Refused), string(kind))
	}
}

var (
	mailPendingDesc = prometheus.NewDesc("gradzone_mail_pending",
		"Unfinished jobs of the mail queue (every replica reports the same: alert on max).", nil, nil)
	mailRetryingDesc = prometheus.NewDesc("gradzone_mail_retrying",
		"Mail jobs whose last try failed, waiting to be tried again (every replica reports the same).", nil, nil)
	mailOldestRetryingDesc = prometheus.NewDesc("gradzone_mail_oldest_retrying_seconds",
		"Age of the oldest mail job waiting to be tried again after a failure, 0 when none: how long mail has been held up.", nil, nil)
	mailOldestUntakenDesc = prometheus.NewDesc("gradzone_mail_oldest_untaken_seconds",
		"How long the oldest mail job that is due has waited for a process to take it, 0 when none: only processes with a mail server (GRADZONE_SMTP_URL) take mail.", nil, nil)
	mailDiscardedDesc = prometheus.NewDesc("gradzone_mail_discarded",
		"Mail jobs the queue gave up on after every try failed, until staff retry them in the queue UI (/admin/queues) or River deletes them after 7 days.", nil, nil)
	mailLastDiscardedDesc = prometheus.NewDesc("gradzone_mail_last_discarded_timestamp_seconds",
		"When the queue gave up on the newest mail job it keeps discarded (Unix time; 0 when none is kept): alert on time() minus it, which fires on a new discard and not for as long as the mail is kept.", nil, nil)
)

// mailQueue reads the mail queue from Postgres once per scrape; -1 for each
// when Postgres does not answer (as the outbox gauges).
type mailQueue struct{ store *postgres.Store }

func (q mailQueue) Describe(ch chan<- *prometheus.Desc) {
	ch <- mailPendingDesc
	ch <- mailRetryingDesc
	ch <- mailOldestRetryingDesc
	ch <- mailOldestUntakenDesc
	ch <- mailDiscardedDesc
	ch <- mailLastDiscardedDesc
}

func (q mailQueue) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	st, err := q.store.MailQueueStatus(ctx)
	if err != nil {
		st = domain.MailQueueState{Pending: -1, Retrying: -1, OldestRetryingSeconds: -1, OldestUntakenSeconds: -1, Discarded: -1, LastDiscardedUnix: -1}
	}
	for _, m := range []struct {
		d *prometheus.Desc
		v float64
	}{{mailPendingDesc, float64(st.Pending)}, {mailRetryingDesc, float64(st.Retrying)},
		{mailOldestRetryingDesc, st.OldestRetryingSeconds}, {mailOldestUntakenDesc, st.OldestUntakenSeconds},
		{mailDiscardedDesc, float64(st.Discarded)},
		{mailLastDiscardedDesc, st.LastDiscardedUnix}} {
		ch <- prometheus.MustNewConstMetric(m.d, prometheus.GaugeValue, m.v)
	}
}

// Handler serves the metrics in the Prometheus text format.
func (r *Registry) Handler() http.Handler {
	return promhttp.HandlerFor(r.reg, promhttp.HandlerOpts{})
}
