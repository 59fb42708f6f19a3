// Package server wires gradzone together — config, Postgres, search, the
// outbox worker and the HTTP handler — behind Run and Close, so that main
// stays thin and tests can start the whole application on port :0.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"time"

	"github.com/gradzone/gradzone/internal/app"
	"github.com/gradzone/gradzone/internal/auth"
	"github.com/gradzone/gradzone/internal/config"
	"github.com/gradzone/gradzone/internal/httpapi"
	"github.com/gradzone/gradzone/internal/postgres"
)

// Server is a running gradzone: its parts and their lifetimes.
type Server struct {
	Config   config.Config
	Log      *slog.Logger
	Store    *postgres.Store
	Accounts *app.Accounts
	Handler  http.Handler

	http *http.Server
}

// Options adjust a Server for tests.
type Options struct {
	// Deps is applied to the HTTP dependencies before the handler is built.
	Deps func(*httpapi.Deps)
}

// New connects to Postgres, refuses a schema with pending migrations and
// builds the handler. Call Close when done.
func New(ctx context.Context, cfg config.Config, log *slog.Logger, opt Options) (*Server, error) {
	store, err := postgres.Open(ctx, cfg.DatabaseURL, log)
	if err != nil {
		return nil, err
	}
	if err := store.CheckMigrated(ctx); err != nil {
		store.Close()
		return nil, err
	}
	s := &Server{Config: cfg, Log: log, Store: store}
	s.Accounts = &app.Accounts{
		Store: store,
		// Half the cores hash passwords at most; the rest keep serving.
		Hasher: auth.NewHasher(max(1, runtime.NumCPU()/2)),
		Tokens: auth.NewTokens(cfg.JWTSecret),
		Log:    log,
		Now:    time.Now,
	}
	deps := httpapi.Deps{Log: log, Store: store, Accounts: s.Accounts}
	if opt.Deps != nil {
		opt.Deps(&deps)
	}
	s.Handler = httpapi.NewHandler(deps)
	return s, nil
}

// Run serves on ln until ctx ends, then shuts down gracefully: in-flight
// requests get up to 20 seconds to finish.
func (s *Server) Run(ctx context.Context, ln net.Listener) error {
	s.http = httpapi.Server(ln.Addr().String(), s.Handler)
	errc := make(chan error, 1)
	go func() { errc <- s.http.Serve(ln) }()
	s.Log.Info("serving", "addr", ln.Addr().String())
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.Log.Info("shutting down: finishing in-flight requests")
	sctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := s.http.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// Close releases the connections.
func (s *Server) Close() error { return s.Store.Close() }
