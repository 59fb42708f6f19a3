package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/loadtest"
	"github.com/gradzone/gradzone/internal/postgres"
	"github.com/gradzone/gradzone/internal/testutil"
)

// A database that cannot answer is domain.ErrUnavailable (503), a wrong
// query is not: the error translation tells them apart, on the translated
// paths and, through the dialector, on every other GORM call.
func TestUnavailableTranslation(t *testing.T) {
	ctx := context.Background()
	_, refused := pgconn.Connect(ctx, "postgres://nobody@127.0.0.1:1/none?connect_timeout=2")
	if refused == nil {
		t.Fatal("connected to port 1")
	}
	for _, err := range []error{
		refused,
		&pgconn.PgError{Code: "57P01"}, &pgconn.PgError{Code: "57P03"}, &pgconn.PgError{Code: "53300"},
		&pgconn.PgError{Code: "08006"}, &pgconn.PgError{Code: "57014"},
		fmt.Errorf("wrapped: %w", &pgconn.PgError{Code: "57P02"}),
		// A pooled connection the server dropped (a fault test met it
		// under load: "conn closed" answered 500, and the site read a
		// session it could not check as ended).
		fmt.Errorf("query: %w", pgconn.ErrConnClosed),
	} {
		if got := postgres.Translate(err); !errors.Is(got, domain.ErrUnavailable) || domain.CodeOf(got) != domain.CodeUnavailable {
			t.Errorf("%v → %v, want unavailable", err, got)
		}
	}
	for _, err := range []error{
		&pgconn.PgError{Code: "23505", ConstraintName: "users_email_key"}, &pgconn.PgError{Code: "42601"},
		&pgconn.PgError{Code: "22P02"}, errors.New("something else"), context.Canceled,
	} {
		if got := postgres.Translate(err); domain.CodeOf(got) == domain.CodeUnavailable {
			t.Errorf("%v → unavailable", err)
		}
	}

	// Real statements: a statement cut off by statement_timeout, and a pool
	// whose server is gone, are unavailable without any translate call.
	st, err := postgres.Open(ctx, postgres.WithStatementTimeout(testutil.NewDatabase(t), 50*time.Millisecond), testutil.Quiet())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Exec(ctx, "SELECT pg_sleep(1)"); !errors.Is(err, domain.ErrUnavailable) {
		t.Fatalf("statement timeout: %v", err)
	}
	if err := st.Exec(ctx, "SELECT nonsense FROM nowhere"); errors.Is(err, domain.ErrUnavailable) {
		t.Fatalf("a wrong query is not unavailable: %v", err)
	}
	// JIT is off for the store's role, by migration 00049 (a speed probe:
	// the audit list's deep pages spent 300 ms compiling), and the store
	// sends no run-time setting in the startup packet: PgBouncer, in front
	// of the database in Kubernetes, refuses a connection that does (a
	// review: jit=off there had closed every pod's door).
	if cfg, err := pgconn.ParseConfig(postgres.WithSettings(testutil.NewDatabase(t))); err != nil || len(cfg.RuntimeParams) != 0 {
		t.Errorf("the store's startup parameters: %v %v", cfg.RuntimeParams, err)
	}
	if err := st.Exec(ctx, `DO $$ BEGIN IF current_setting('jit') <> 'off' THEN RAISE EXCEPTION 'jit is %', current_setting('jit'); END IF; END $$`); err != nil {
		t.Errorf("jit: %v", err)
	}
	pg := testutil.StartPostgres(t)
	down, err := postgres.Open(ctx, pg.URL(), testutil.Quiet())
	if err != nil {
		t.Fatal(err)
	}
	defer down.Close()
	pg.Stop()
	if err := down.Exec(ctx, "SELECT 1"); !errors.Is(err, domain.ErrUnavailable) {
		t.Fatalf("server stopped: %v", err)
	}
	if err := down.Ping(ctx); domain.CodeOf(err) != domain.CodeUnavailable {
		t.Fatalf("ping with the server stopped: %v", err)
	}
}

// A fresh-clone run logged a sign-in whose client hung up as 503 at ERROR:
// the cancellation arrived after database/sql had checked the context for
// a statement in a transaction and before pgx did; pgx reports that as
// safe to retry, its database/sql driver as "bad connection", and a
// transaction cannot retry it. It is the client going away, no fault.
func TestCancelBeforeTheDriverIsTheClientGone(t *testing.T) {
	var out loadtest.SyncBuffer
	st, err := postgres.Open(context.Background(), testutil.NewDatabase(t), slog.New(slog.NewJSONHandler(&out, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := &cancelAtDriver{Context: context.Background(), done: make(chan struct{})}
	_, _, err = st.BeginSignIn(ctx, "gone@example.test", "", time.Now(), domain.DefaultSignInLimits)
	if !ctx.canceled.Load() {
		t.Fatalf("the context was not canceled at the driver (err %v)", err)
	}
	if err == nil || !domain.ClientGone(ctx, err) {
		t.Errorf("canceled between database/sql and pgx: %v, want the client gone", err)
	}
	if strings.Contains(out.String(), `"level":"ERROR"`) {
		t.Errorf("a client gone logged as a fault:\n%s", out.String())
	}
}

// cancelAtDriver is canceled the moment pgx's database/sql driver first
// looks at it for a statement: the narrowest window the race allows.
type cancelAtDriver struct {
	context.Context
	done     chan struct{}
	canceled atomic.Bool
}

func (c *cancelAtDriver) Done() <-chan struct{} {
	if !c.canceled.Load() && calledFrom("pgx/v5/stdlib.(*Conn).ExecContext") && c.canceled.CompareAndSwap(false, true) {
		close(c.done)
	}
	return c.done
}

func (c *cancelAtDriver) Err() error {
	if c.canceled.Load() {
		return context.Canceled
	}
	return nil
}

// calledFrom reports whether fn (a part of a qualified name) is on the stack.
func calledFrom(fn string) bool {
	pcs := make([]uintptr, 64)
	frames := runtime.CallersFrames(pcs[:runtime.Callers(2, pcs)])
	for {
		f, more := frames.Next()
		if strings.Contains(f.Function, fn) {
			return true
		}
		if !more {
			return false
		}
	}
}
