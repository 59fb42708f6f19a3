package cli

// This file is the CLI's composition root: the one file of package cli that
// knows the adapters (Postgres, Meilisearch, the object store) and the server
// that wires them.
// The other commands ask it for what they run — the use cases, a migration,
// the demo seed, a reindex — and never name an adapter. The architecture
// test (internal/architecture) allows these imports here and nowhere else in
// the package.

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/gradzone/gradzone/internal/app"
	"github.com/gradzone/gradzone/internal/auth"
	"github.com/gradzone/gradzone/internal/config"
	"github.com/gradzone/gradzone/internal/objectstore"
	"github.com/gradzone/gradzone/internal/postgres"
	"github.com/gradzone/gradzone/internal/search"
	"github.com/gradzone/gradzone/internal/seed"
	"github.com/gradzone/gradzone/internal/server"
)

// wiring is a command's connection to Postgres and what is built on it.
type wiring struct {
	cfg   config.Config
	log   *slog.Logger
	store *postgres.Store
}

// connect loads the config and connects to Postgres; Close it when done.
func (g *globals) connect(cmd *cobra.Command) (*wiring, error) {
	cfg, log, err := g.load()
	if err != nil {
		return nil, err
	}
	// The store's own lines ("sql failed", "sql slow") are for serve's
	// logs: a command returns its failure, said once, and draws progress
	// bars the slow lines broke through. Shown at GRADZONE_LOG_LEVEL=debug.
	storeLog := slog.New(slog.DiscardHandler)
	if strings.EqualFold(cfg.LogLevel, "debug") {
		storeLog = log
	}
	store, err := postgres.Open(cmd.Context(), cfg.DatabaseURL, storeLog)
	if err != nil {
		return nil, postgres.Explain(err)
	}
	// Commands that change data (seed, reindex) queue the background work
	// their changes need, in the changes' transactions; `serve` works it.
	if err := server.AttachJobs(store); err != nil {
		return nil, err
	}
	return &wiring{cfg: cfg, log: log, store: store}, nil
}

// connectMigrated is connect for a command that reads or writes the
// schema: it refuses, as seed and serve do, a database whose migrations are
// not all applied (an operator probe: `user create` on a fresh database said
// `relation "users" does not exist` twice, and ran on one a migration behind).
func (g *globals) connectMigrated(cmd *cobra.Command) (*wiring, error) {
	w, err := g.connect(cmd)
	if err != nil {
		return nil, err
	}
	if err := w.store.CheckMigrated(cmd.Context()); err != nil {
		w.Close()
		return nil, err
	}
	return w, nil
}

// migrated is connected for a command that needs every migration applied.
func (g *globals) migrated(run func(cmd *cobra.Command, w *wiring) error) func(*cobra.Command, []string) error {
	return withWiring(g.connectMigrated, run)
}

// connected is the RunE of a command that first connects: run gets the
// connection, closed when it returns. (seed and user create check their
// input before they connect, so they call connect themselves.)
func (g *globals) connected(run func(cmd *cobra.Command, w *wiring) error) func(*cobra.Command, []string) error {
	return withWiring(g.connect, run)
}

// withWiring is a RunE that runs run on the connection open makes.
func withWiring(open func(*cobra.Command) (*wiring, error), run func(cmd *cobra.Command, w *wiring) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, _ []string) error {
		w, err := open(cmd)
		if err != nil {
			return err
		}
		defer w.Close()
		return run(cmd, w)
	}
}

// Close releases the connection.
func (w *wiring) Close() error { return w.store.Close() }

// accounts is the account use cases, hashing with one core (a CLI makes one
// account at a time).
func (w *wiring) accounts() *app.Accounts {
	return &app.Accounts{Store: w.store, Hasher: auth.NewHasher(1), Log: w.log, Now: time.Now}
}

// migrate applies the pending migrations and returns their versions.
func (w *wiring) migrate(ctx context.Context) ([]int64, error) { return w.store.Migrate(ctx) }

// connectRefused reports whether the database refused the connection for
// good (a wrong password, no such database): waiting does not mend it.
func connectRefused(err error) bool { return postgres.Refused(err) }

// migrationsPending reports whether the schema is behind the binary.
func (w *wiring) migrationsPending(ctx context.Context) (bool, error) {
	err := w.store.CheckMigrated(ctx)
	if errors.Is(err, postgres.ErrPendingMigrations) {
		return true, nil
	}
	return false, err
}

// migrateDown rolls back the most recent migration and returns its version.
func (w *wiring) migrateDown(ctx context.Context) (int64, error) { return w.store.MigrateDown(ctx) }

// seedDemo loads the demo data into a migrated database, every demo account
// with password; force allows a database holding other accounts.
func (w *wiring) seedDemo(ctx context.Context, p seed.Progress, password string, force bool) error {
	if err := w.store.CheckMigrated(ctx); err != nil {
		return err
	}
	return (&seed.Seeder{Store: w.store, Progress: p, Now: time.Now, Password: password, Force: force}).Run(ctx)
}

// reindex rebuilds the configured search index from Postgres.
func (w *wiring) reindex(ctx context.Context, p app.Progress) (int, error) {
	ix := search.New(w.cfg.MeiliURL, w.cfg.MeiliKey, w.cfg.MeiliIndex)
	n, err := (&app.Background{Store: w.store, Index: ix, Log: w.log}).Reindex(ctx, p)
	return n, search.Explain(w.cfg.MeiliURL, err)
}

// newServer builds the whole application (internal/server is the
// server's composition root).
func newServer(ctx context.Context, cfg config.Config, log *slog.Logger) (*server.Server, error) {
	return server.New(ctx, cfg, log, server.Options{})
}

// fileStore opens the object store that GRADZONE_S3_* names, creating its
// bucket when missing. It needs no database.
func fileStore(ctx context.Context, cfg config.Config) (app.FileStore, error) {
	return objectstore.Open(ctx, objectstore.FromConfig(cfg))
}

// counterDrift lists every stored counter that differs from a recount of
// the raw rows (the season simulation's last check).
func (w *wiring) counterDrift(ctx context.Context) ([]string, error) {
	return w.store.CounterDrift(ctx)
}
