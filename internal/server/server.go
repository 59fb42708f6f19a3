// Package server wires gradzone together — config, Postgres, search, the
// job queue, mail, the object store, metrics and the HTTP handler with the
// site — behind Run and Close, so that main stays thin and tests can start
// the whole application on port :0.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"sync"
	"time"

	"github.com/gradzone/gradzone/internal/app"
	"github.com/gradzone/gradzone/internal/auth"
	"github.com/gradzone/gradzone/internal/config"
	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/httpapi"
	"github.com/gradzone/gradzone/internal/jobs"
	"github.com/gradzone/gradzone/internal/mail"
	"github.com/gradzone/gradzone/internal/metrics"
	"github.com/gradzone/gradzone/internal/objectstore"
	"github.com/gradzone/gradzone/internal/postgres"
	"github.com/gradzone/gradzone/internal/search"
	"github.com/gradzone/gradzone/internal/webui"
)

// Server is a running gradzone: its parts and their lifetimes.
type Server struct {
	Config   config.Config
	Log      *slog.Logger
	Store    *postgres.Store
	App      *app.Service
	Accounts *app.Accounts
	Index    *search.Index
	Search   *app.Search
	// Files is the object store for uploads (GRADZONE_S3_*); nil when no
	// endpoint is configured.
	Files app.FileStore
	// Mail sends through GRADZONE_SMTP_URL; nil when it is not set.
	Mail *mail.Sender
	// Imports runs zone staff's workbook imports; a graceful stop drains
	// them (Run).
	Imports *app.Imports
	// Background is the work the job queue runs; Jobs runs it (River).
	Background *app.Background
	Jobs       *jobs.Runner
	Handler    http.Handler
	// MetricsHandler serves /metrics and the detailed /readyz on
	// Config.MetricsAddr, apart from the public Handler.
	MetricsHandler http.Handler

	http, metrics *http.Server
	uiCancel      context.CancelFunc
}

// Options adjust a Server for tests.
type Options struct {
	// Deps is applied to the HTTP dependencies before the handler is built.
	Deps func(*httpapi.Deps)
	// SearchHealEvery is the period of the search index check (default 30 s;
	// tests shorten it).
	SearchHealEvery time.Duration
	// Now is the web pages' clock, the day they count from (default
	// time.Now; tests fix it where "today" matters).
	Now func() time.Time
	// S3Wait is how long the object store waits for the gateway (default
	// objectstore.DefaultWait; fault tests shorten it).
	S3Wait time.Duration
	// MetricsCacheFor is how long one read of the programme's numbers
	// serves /metrics (default metrics.ProgrammeCacheFor, 30 s; tests
	// shorten it).
	MetricsCacheFor time.Duration
}

// AttachJobs gives store the River inserter with which a change queues the
// background work it needs in its own transaction (serve works the queue).
// On error it closes store.
func AttachJobs(store *postgres.Store) error {
	ins, err := jobs.NewInserter()
	if err != nil {
		store.Close()
		return err
	}
	store.SetJobs(ins)
	return nil
}

// New connects to Postgres, refuses a schema with pending migrations and
// builds the handler. Call Close when done.
func New(ctx context.Context, cfg config.Config, log *slog.Logger, opt Options) (*Server, error) {
	store, err := postgres.Open(ctx, postgres.WithStatementTimeout(cfg.DatabaseURL, cfg.StatementTimeout), log)
	if err != nil {
		return nil, err
	}
	if cfg.SearchFallbackConcurrency > 0 {
		store.LimitFallbackSearches(cfg.SearchFallbackConcurrency)
	}
	if cfg.DBMaxConns > 0 {
		store.LimitConns(cfg.DBMaxConns)
	}
	if err := store.CheckMigrated(ctx); err != nil {
		store.Close()
		return nil, err
	}
	s := &Server{Config: cfg, Log: log, Store: store}
	if err := s.openOutside(ctx, opt.S3Wait); err != nil {
		store.Close()
		return nil, err
	}
	if err := AttachJobs(store); err != nil {
		return nil, err
	}
	// The use cases get the store through the interface they own.
	s.App = &app.Service{Store: store, Log: log, UploadDir: cfg.UploadDir, Files: s.Files, Links: auth.NewLinks(cfg.JWTSecret), Places: app.NewPlaces(store)}
	s.Accounts = &app.Accounts{
		Store: store,
		// Half the cores hash passwords at most; the rest keep serving.
		// GOMAXPROCS follows the container's CPU limit (Go 1.25+), where
		// NumCPU is the node's: 16 hashes of 19 MiB each in a 512 MiB pod.
		Hasher: auth.NewHasher(max(1, runtime.GOMAXPROCS(0)/2)),
		Tokens: auth.NewTokens(cfg.JWTSecret),
		Links:  s.App.Links,
		Sealer: auth.NewSealer(cfg.JWTSecret),
		Log:    log,
		Now:    time.Now,
		// Failed sign-ins are counted in Postgres, so every replica sees them.
		Throttle: store,
	}
	s.App.Passwords = s.Accounts
	s.Index = search.New(cfg.MeiliURL, cfg.MeiliKey, cfg.MeiliIndex)
	s.Search = app.NewSearch(s.Index, store, s.App.Places, log, cfg.SearchCacheEntries)
	retention, err := domain.ParseRetention(cfg.ResumeRetention)
	if err != nil {
		return nil, fmt.Errorf("GRADZONE_RESUME_RETENTION: %w", err)
	}
	s.Background = &app.Background{Store: store, Index: s.Index, Log: log, PublicURL: cfg.PublicURL, SupportEmail: cfg.SupportEmail, Links: s.App.Links,
		Files: s.Files, UploadDir: cfg.UploadDir, Retention: retention, MailLimits: mailLimits(cfg)}
	if s.Mail != nil { // a nil *mail.Sender must not become a non-nil Mailer
		s.Background.Mailer = s.Mail
		s.Background.MailFrom = s.Mail.From()
		s.App.MailFrom = s.Mail.From()
	}
	jobsURL := cfg.DatabaseURL
	if cfg.DirectDatabaseURL != "" {
		jobsURL = cfg.DirectDatabaseURL
	}
	s.Jobs, err = jobs.NewRunner(ctx, jobs.Config{DatabaseURL: jobsURL, MaxConns: cfg.JobsMaxConns, PollInterval: cfg.OutboxInterval, HealEvery: opt.SearchHealEvery, SendsMail: s.Mail != nil, Log: log}, s.Background)
	if err != nil {
		store.Close()
		return nil, err
	}
	uiCtx, uiCancel := context.WithCancel(context.WithoutCancel(ctx))
	s.uiCancel = uiCancel
	queuesUI, err := s.Jobs.UI(uiCtx, webui.QueuesPath)
	if err != nil {
		s.Close()
		return nil, err
	}
	reg := metrics.New(store, s.Search, s.Background, s.App, opt.MetricsCacheFor)
	deps := httpapi.Deps{Log: log, App: s.App, Accounts: s.Accounts, Search: s.Search,
		SearchState: s.searchState, Metrics: reg.Handler(),
		Imports: &app.Imports{Store: store, Log: log}, TrustedProxies: cfg.ProxyCIDRs(), HSTS: cfg.Secure()}
	if opt.Deps != nil {
		opt.Deps(&deps)
	}
	// The site and the stop share the imports the options leave.
	s.Imports = deps.Imports
	site := &webui.Site{App: s.App, Accounts: s.Accounts, Search: s.Search, Imports: s.Imports, Log: log, Queues: queuesUI, Background: s.Background, PublicURL: cfg.PublicURL, ContactEmail: cfg.ContactEmail, Now: opt.Now}
	deps.Extra = site.Mounter(cfg.Secure())
	deps.WebError = site.ErrorPage
	deps.RenewSession = site.RenewSession
	s.MetricsHandler = httpapi.MetricsHandler(deps)
	if s.Handler, err = httpapi.NewHandler(deps); err != nil {
		s.Close()
		return nil, fmt.Errorf("web ui: %w", err)
	}
	return s, nil
}

// openOutside connects the object store and the mail sender when they are
// configured. The bucket is created here if it is missing, or by the first
// upload when the gateway does not answer yet (objectstore.ErrBucketUnchecked).
func (s *Server) openOutside(ctx context.Context, s3Wait time.Duration) error {
	if err := s.Config.Validate(); err != nil {
		return err
	}
	if s.Config.S3Endpoint != "" {
		octx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		settings := objectstore.FromConfig(s.Config)
		settings.Wait = s3Wait
		files, err := objectstore.Open(octx, settings)
		switch {
		case errors.Is(err, objectstore.ErrBucketUnchecked):
			// Only files need the gateway: the site serves meanwhile, and a
			// file's upload or download answers 503 until it is back.
			s.Log.Warn("the S3 gateway does not answer: uploads and downloads answer 503 until it does", "err", err)
		case err != nil:
			return err
		}
		s.Files = files
	} else {
		s.Log.Warn("GRADZONE_S3_ENDPOINT is not set: uploads answer 503 (serve writes no file to local disk)")
	}
	if s.Config.SMTPURL != "" {
		m, err := mail.New(s.Config.SMTPURL, s.Config.MailFrom)
		if err != nil {
			return err
		}
		s.Mail = m
	} else {
		s.Log.Warn("GRADZONE_SMTP_URL is not set: this process sends no mail; mail waits in the queue for a process that can send it")
	}
	return nil
}

// engineCheckTimeout bounds readiness's look at the search engine, which is
// reported and does not decide readiness.
const engineCheckTimeout = 500 * time.Millisecond

// searchState is the Meilisearch part of /readyz: reachability, the
// breaker, the result cache, and how far the index lags behind Postgres.
func (s *Server) searchState(ctx context.Context) map[string]any {
	st := map[string]any{"status": "up", "breaker": s.Search.BreakerState(), "cache": s.Search.CacheState()}
	// The engine is looked at in a time of its own: a hung one must not
	// use up the time the lag's and the heal's reads from Postgres need.
	hctx, cancel := context.WithTimeout(ctx, engineCheckTimeout)
	defer cancel()
	if err := s.Index.Healthy(hctx); errors.Is(err, search.ErrKeyRefused) {
		st["status"] = "key refused"
	} else if err != nil {
		st["status"] = "down"
	}
	if ob, err := s.Store.OutboxStatus(ctx); err == nil {
		st["outbox_pending"] = ob.Pending
		st["lag_seconds"] = ob.LagSeconds
	}
	// The self-heal's rebuild, whichever replica runs it.
	if h, err := s.Background.SearchHeal(ctx); err == nil {
		if h.Rebuilding(time.Now()) {
			st["reindexing"] = fmt.Sprintf("%d/%d", h.Done, h.Total)
		}
		st["heal_rebuilds"] = h.Rebuilds
		st["heal_outcome"] = h.Outcome
	}
	return st
}

// StartWorker works the job queue, and runs the watch that keeps cached
// search results current, until the returned stop is called. Running jobs
// get 10 seconds to finish; one cut short is run again later.
func (s *Server) StartWorker(ctx context.Context) (stop func(), err error) {
	if err := s.Jobs.Start(ctx); err != nil {
		return nil, err
	}
	// A refused key is a fault that waiting does not mend: said once here,
	// and in the detailed /readyz while it lasts.
	hctx, hcancel := context.WithTimeout(ctx, engineCheckTimeout)
	if err := s.Index.Healthy(hctx); errors.Is(err, search.ErrKeyRefused) {
		s.Log.Error("Meilisearch refuses GRADZONE_MEILI_KEY: search falls back to Postgres and index work waits until the key is right", "err", err)
	}
	hcancel()
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() { s.Search.WatchIndex(ctx) })
	return func() {
		sctx, scancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer scancel()
		if err := s.Jobs.Stop(sctx); err != nil {
			s.Log.Warn("job queue stop", "err", err)
		}
		cancel()
		wg.Wait()
	}, nil
}

// Run serves on ln (and, when metricsLn is not nil, the operators' metrics
// and readiness details on metricsLn) until ctx ends, then shuts down
// gracefully: in-flight requests and running imports get up to 20 seconds
// to finish.
func (s *Server) Run(ctx context.Context, ln, metricsLn net.Listener) error {
	stopWorker, err := s.StartWorker(ctx)
	if err != nil {
		return err
	}
	defer stopWorker()
	s.http = httpapi.Server(ln.Addr().String(), s.Handler)
	errc := make(chan error, 1)
	go func() { errc <- s.http.Serve(ln) }()
	s.Log.Info("serving", "addr", ln.Addr().String())
	if metricsLn != nil {
		s.metrics = httpapi.Server(metricsLn.Addr().String(), s.MetricsHandler)
		go func() {
			if err := s.metrics.Serve(metricsLn); err != nil && !errors.Is(err, http.ErrServerClosed) {
				s.Log.Error("metrics listener stopped", "err", err)
			}
		}()
		s.Log.Info("serving metrics", "addr", metricsLn.Addr().String())
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.Log.Info("shutting down: finishing in-flight requests")
	sctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if s.metrics != nil {
		_ = s.metrics.Shutdown(sctx)
	}
	err = s.http.Shutdown(sctx)
	// The imports the finished requests started run on: they get what is
	// left of the budget, then are stopped and recorded failed; so too when
	// a request outlasted the budget (Drain then stops them at once).
	s.Imports.Drain(sctx)
	if err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// Close releases the connections.
func (s *Server) Close() error {
	if s.uiCancel != nil {
		s.uiCancel()
	}
	if s.Jobs != nil {
		s.Jobs.Close()
	}
	if s.Mail != nil {
		s.Mail.Close() // after the workers stopped: no send is using a connection
	}
	return s.Store.Close()
}

// mailLimits are the mail rate limits the settings ask for.
func mailLimits(cfg config.Config) domain.MailLimits {
	l := domain.DefaultMailLimits
	l.PerRecipient, l.PerDomain = cfg.MailPerRecipientHour, cfg.MailPerDomainMinute
	return l
}
