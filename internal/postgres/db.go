// Package postgres is gradzone's storage: the only package that imports GORM,
// and the only one that serve's SQL goes through (River keeps its own queue
// tables; internal/loadtest and internal/testutil query directly to check
// results). It runs the embedded migrations, translates database errors into
// domain errors at the edge, and owns every transaction that changes the
// programme's numbers.
package postgres

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"golang.org/x/sync/semaphore"
	gormpg "gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/migrations"
)

// Store is the handle every other package uses to reach Postgres.
type Store struct {
	db  *gorm.DB
	sql *sql.DB
	// clock is the time source; tests and the demo seed move it while
	// background jobs read it, so it is swapped atomically.
	clock atomic.Pointer[func() time.Time]
	// jobs inserts background work in a change's transaction (jobs.go).
	jobs JobInserter
	// progress and search cache progress answers and fallback searches
	// per replica (generationcache.go).
	progress, search *generationCache
	// searchSlots admits the fallback searches computed at once, and
	// searchWait bounds a search's wait for a slot (search.go).
	searchSlots *semaphore.Weighted
	searchWait  time.Duration
	// exportBatch is how many rows an export reads a statement (0:
	// defaultExportBatch; SetExportBatch).
	exportBatch int
}

// Open connects to url and checks the connection.
func Open(ctx context.Context, url string, log *slog.Logger) (*Store, error) {
	pg, _ := gormpg.New(gormpg.Config{DSN: withSettings(url)}).(*gormpg.Dialector)
	db, err := gorm.Open(dialector{pg}, &gorm.Config{
		// Quiet while it connects: a failure is returned and said once by
		// the caller (gorm logged it too, a second line in every CLI error).
		Logger:                 logger.Discard,
		SkipDefaultTransaction: true,
		NowFunc:                func() time.Time { return time.Now().UTC() },
		// Only dialector.Translate's: connection failures become
		// domain.ErrUnavailable on every path, translated or not.
		TranslateError: true,
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	db.Logger = sqlLogger{log: log, slow: 500 * time.Millisecond}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	sqlDB.SetMaxOpenConns(40)
	sqlDB.SetMaxIdleConns(20)
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := sqlDB.PingContext(pctx); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("postgres: ping: %w", err)
	}
	s := &Store{db: db, sql: sqlDB}
	s.progress, s.search = newCaches()
	s.LimitFallbackSearches(4)
	s.searchWait = 5 * time.Second
	s.SetClock(time.Now)
	return s, nil
}

// LimitConns caps the connections this store opens (GRADZONE_DB_MAX_CONNS);
// half of them are kept idle for the next burst.
func (s *Store) LimitConns(n int) {
	s.sql.SetMaxOpenConns(n)
	s.sql.SetMaxIdleConns(max(1, n/2))
}

// LimitFallbackSearches caps the fallback searches computed at once
// (GRADZONE_SEARCH_FALLBACK_CONCURRENCY). Call it before serving.
func (s *Store) LimitFallbackSearches(n int) { s.searchSlots = semaphore.NewWeighted(int64(n)) }

// Close closes the connection pool.
func (s *Store) Close() error { return s.sql.Close() }

// Ping reports whether Postgres answers (unavailable when it does not).
func (s *Store) Ping(ctx context.Context) error { return translate(s.sql.PingContext(ctx)) }

// SetClock replaces the store's clock (tests only).
func (s *Store) SetClock(now func() time.Time) { s.clock.Store(&now) }

// now is the store's current time.
func (s *Store) now() time.Time { return (*s.clock.Load())() }

func (s *Store) provider() (*goose.Provider, error) {
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return nil, err
	}
	return goose.NewProvider(goose.DialectPostgres, s.sql, migrations.FS, goose.WithSessionLocker(locker))
}

// Migrate applies every pending migration. A session lock makes concurrent
// runs from several replicas safe. It returns the versions applied.
func (s *Store) Migrate(ctx context.Context) ([]int64, error) {
	p, err := s.provider()
	if err != nil {
		return nil, err
	}
	res, err := p.Up(ctx)
	if err != nil {
		return nil, fmt.Errorf("postgres: migrate: %w", err)
	}
	var versions []int64
	for _, r := range res {
		versions = append(versions, r.Source.Version)
	}
	return versions, nil
}

// ErrNothingToRollBack answers MigrateDown on a database with no migration
// applied (goose said "no next version found").
var ErrNothingToRollBack = errors.New("migrate: nothing to roll back: no migration is applied")

// MigrateDown rolls back the most recent migration and returns its version.
func (s *Store) MigrateDown(ctx context.Context) (int64, error) {
	p, err := s.provider()
	if err != nil {
		return 0, err
	}
	res, err := p.Down(ctx)
	if errors.Is(err, goose.ErrNoNextVersion) {
		return 0, ErrNothingToRollBack
	}
	if err != nil {
		return 0, fmt.Errorf("postgres: migrate down: %w", err)
	}
	return res.Source.Version, nil
}

// Refused reports whether Postgres refused a connection for a reason that
// waiting does not mend: a wrong password or role (class 28) or no such
// database (3D000).
func Refused(err error) bool {
	var pg *pgconn.PgError
	return errors.As(err, &pg) && (strings.HasPrefix(pg.Code, "28") || pg.Code == "3D000")
}

// ErrPendingMigrations stops `serve` on a schema older than the binary.
var ErrPendingMigrations = errors.New("the database has pending migrations: run `gradzone migrate` first")

// CheckMigrated returns ErrPendingMigrations when the schema is behind.
func (s *Store) CheckMigrated(ctx context.Context) error {
	p, err := s.provider()
	if err != nil {
		return err
	}
	pending, err := p.HasPending(ctx)
	if err != nil {
		return fmt.Errorf("postgres: migration status: %w", err)
	}
	if pending {
		return ErrPendingMigrations
	}
	return nil
}

// tx runs fn in one transaction. A transaction Postgres aborted as a
// deadlock victim or for a serialization failure is run again (up to three
// times): both mean "try again", never "wrong input".
func (s *Store) tx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		err = s.db.WithContext(ctx).Transaction(fn)
		if !retryable(err) || ctx.Err() != nil {
			return err
		}
		time.Sleep(time.Duration(5+rand.IntN(20)) * time.Millisecond)
	}
	return err
}

// snapshot runs fn in a read-only, repeatable-read transaction: what fn
// reads in several statements is of one moment. A report or a progress
// page is read in several (the counters, last year's, the province's, the
// targets, the breakdowns): a hire committing between them made a
// breakdown that did not add up to the total (a numbers probe).
func (s *Store) snapshot(ctx context.Context, fn func(db *gorm.DB) error) error {
	return s.db.WithContext(ctx).Transaction(fn, readOnlySnapshot)
}

// inSnapshot returns what read reads in one snapshot (Store.snapshot).
func inSnapshot[T any](ctx context.Context, s *Store, read func(db *gorm.DB) (T, error)) (T, error) {
	var v T
	err := s.snapshot(ctx, func(db *gorm.DB) (err error) {
		v, err = read(db)
		return err
	})
	return v, translate(err)
}

// lockCounts holds off, to the end of the transaction, every change of the
// progress counters and breakdowns and waits for those under way: what a
// submission then reads of them in several statements, and freezes, is of
// one moment. Their writers: a hire and a revoke (countPlacement: the
// counters, then the month's breakdowns, then the year's), an approval and
// an import (bumpCounters: the counters alone) and RebuildCounters (one
// LOCK TABLE of the three, in this order). The tables are named in that
// order, and no writer takes a report's lock while holding one of them, so
// none deadlocks with a submission.
const lockCounts = `LOCK TABLE progress_counters, placement_breakdowns, placement_breakdowns_year IN SHARE MODE`

func retryable(err error) bool {
	var pg *pgconn.PgError
	return errors.As(err, &pg) && (pg.Code == "40P01" || pg.Code == "40001")
}

// translate turns driver errors into domain errors. constraintCodes maps a
// unique constraint (or index) name to the conflict code it means.
func translate(err error) error {
	if err == nil {
		return nil
	}
	var de *domain.Error
	if errors.As(err, &de) {
		return err
	}
	if errors.Is(err, gorm.ErrRecordNotFound) || errors.Is(err, sql.ErrNoRows) {
		return domain.ErrNotFound
	}
	if unavailable(err) {
		return unavailableError{err}
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		switch pg.Code {
		case "23505": // unique_violation
			if code, ok := uniqueCodes[pg.ConstraintName]; ok {
				return &domain.Error{Code: code, Message: uniqueMessages[code]}
			}
			return &domain.Error{Code: domain.CodeInvalidState, Message: "this already exists"}
		case "23514", "23502", "22001", "22P02", "22007", "22008", "22003": // check, not null, too long, bad text, bad date, range
			return &domain.Error{Code: domain.CodeValidation, Message: "a value is out of range"}
		case "23503": // foreign_key_violation
			return &domain.Error{Code: domain.CodeValidation, Message: "a referenced record does not exist"}
		case "40001", "40P01": // serialization failure, deadlock: the caller may retry
			return fmt.Errorf("postgres: retryable conflict: %w", err)
		}
	}
	return fmt.Errorf("postgres: %w", err)
}

// unavailable tells a database that cannot answer now from a query that is
// wrong: no connection (refused, reset, broken mid-query, timed out while
// connecting), the server shutting down or starting (57P01–57P03), out of
// connections or other resources (class 53), connection exceptions (class
// 08) and a statement cut off by statement_timeout (57014: the database is
// too busy to answer in time — retrying later can succeed, nothing about the
// input is wrong). Each becomes 503 unavailable with Retry-After.
func unavailable(err error) bool {
	if errors.Is(err, domain.ErrUnavailable) {
		return false // already translated
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		c := pg.Code
		return strings.HasPrefix(c, "08") || strings.HasPrefix(c, "53") ||
			c == "57P01" || c == "57P02" || c == "57P03" || c == "57014"
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	return errors.As(err, &ce) || errors.As(err, &ne) || errors.Is(err, driver.ErrBadConn) || errors.Is(err, pgconn.ErrConnClosed) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, sql.ErrConnDone) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		pgconn.Timeout(err) && !errors.Is(err, context.Canceled)
}

// unavailableError is domain.ErrUnavailable keeping its cause for the log.
type unavailableError struct{ cause error }

func (e unavailableError) Error() string { return "postgres unavailable: " + e.cause.Error() }

func (e unavailableError) Unwrap() []error { return []error{domain.ErrUnavailable, e.cause} }

// dialector is GORM's Postgres dialector translating only connection
// failures (GORM's own translation would turn unique violations into its
// ErrDuplicatedKey and lose the constraint name translate needs).
type dialector struct{ *gormpg.Dialector }

func (d dialector) Translate(err error) error {
	if unavailable(err) {
		return unavailableError{err}
	}
	return err
}

// withSettings adds the store's connection settings, unless the URL sets
// them: connect_timeout (pgx's, in seconds), so a database host that does
// not answer at all fails the request in seconds, as unavailable, instead
// of hanging it. It adds no run-time setting: PgBouncer, in front of the
// database in the Kubernetes deployment, refuses a connection whose startup
// packet carries one (JIT is turned off for the role instead, migration
// 00049; a review).
func withSettings(dsn string) string {
	return withParam(dsn, "connect_timeout", "5")
}

// withParam adds key=value to a connection URL or keyword string unless it
// names key already (pgx sends parameters it does not know as run-time
// settings of each connection).
func withParam(dsn, key, value string) string {
	if strings.Contains(dsn, key+"=") {
		return dsn
	}
	if strings.Contains(dsn, "://") {
		if strings.Contains(dsn, "?") {
			return dsn + "&" + key + "=" + value
		}
		return dsn + "?" + key + "=" + value
	}
	return dsn + " " + key + "=" + value
}

var uniqueCodes = map[string]domain.Code{
	"users_email_key":                                  domain.CodeEmailTaken,
	"employers_credit_code_key":                        domain.CodeCreditCodeTaken,
	"applications_opening_id_graduate_id_key":          domain.CodeAlreadyApplied,
	"placements_one_active_per_graduate_year":          domain.CodeAlreadyPlaced,
	"event_registrations_pkey":                         domain.CodeAlreadyRegistered,
	"monthly_reports_zone_code_year_month_version_key": domain.CodeAlreadySubmitted,
}

var uniqueMessages = map[domain.Code]string{
	domain.CodeEmailTaken:        "an account with this email already exists",
	domain.CodeCreditCodeTaken:   domain.ReasonCreditCodeTaken,
	domain.CodeAlreadyApplied:    "you have already applied to this opening",
	domain.CodeAlreadyPlaced:     "this graduate already holds a placement this year",
	domain.CodeAlreadyRegistered: "you are already registered for this event",
	domain.CodeAlreadySubmitted:  "this report has already been submitted",
}

// isUnique reports whether err is a unique violation of the named constraint.
func isUnique(err error, constraint string) bool {
	var pg *pgconn.PgError
	return errors.As(err, &pg) && pg.Code == "23505" && pg.ConstraintName == constraint
}

// WithStatementTimeout adds Postgres's statement_timeout to the connection
// URL (pgx sends unknown parameters as run-time settings), so every
// statement of every request is cut off after d and its connection returns
// to the pool, however the query was built. A URL that sets it already
// keeps its own; d <= 0 leaves the URL alone.
func WithStatementTimeout(dsn string, d time.Duration) string {
	if d <= 0 {
		return dsn
	}
	return withParam(dsn, "statement_timeout", strconv.FormatInt(d.Milliseconds(), 10))
}

// explained is an error said for an operator, keeping its cause for
// errors.Is and As (Refused, Unavailable).
type explained struct {
	msg   string
	cause error
}

func (e *explained) Error() string { return e.msg }
func (e *explained) Unwrap() error { return e.cause }

// Explain returns a failure to open the database as an operator reads it,
// naming GRADZONE_DATABASE_URL: not a URL (without echoing it: it holds the
// password, and the connect_timeout Open adds confused), Postgres that does
// not answer at its address (and why, in the network's words), or refuses
// the connection (its own message). pgx's "failed to connect to `user=…
// database=…`: …: dial error: dial tcp …" named the address three times.
// Other errors are returned as they are.
func Explain(err error) error {
	var parse *pgconn.ParseConfigError
	if errors.As(err, &parse) {
		return &explained{"GRADZONE_DATABASE_URL is not a Postgres URL (postgres://USER:PASSWORD@HOST:PORT/DATABASE?sslmode=…)", err}
	}
	var conn *pgconn.ConnectError
	if !errors.As(err, &conn) {
		return err
	}
	at := net.JoinHostPort(conn.Config.Host, strconv.Itoa(int(conn.Config.Port)))
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return &explained{fmt.Sprintf("Postgres at %s refused the connection: %s", at, pg.Error()), err}
	}
	return &explained{fmt.Sprintf("Postgres does not answer at %s (GRADZONE_DATABASE_URL): %v", at, innermost(err)), err}
}

// innermost is the last cause of err, following the first of joined ones.
func innermost(err error) error {
	for {
		switch u := err.(type) {
		case interface{ Unwrap() error }:
			if next := u.Unwrap(); next != nil {
				err = next
				continue
			}
		case interface{ Unwrap() []error }:
			if next := u.Unwrap(); len(next) > 0 {
				err = next[0]
				continue
			}
		}
		return err
	}
}
