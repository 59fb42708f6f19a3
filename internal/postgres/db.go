// Package postgres is gradzone's storage: the only package that imports GORM
// or speaks SQL. It runs the embedded migrations, translates database errors
// into domain errors at the edge, and owns every transaction that changes the
// programme's numbers.
package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	gormpg "gorm.io/driver/postgres"
	"gorm.io/gorm"

	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/migrations"
)

// Store is the handle every other package uses to reach Postgres.
type Store struct {
	db  *gorm.DB
	sql *sql.DB
	// now is the clock; tests move it.
	now func() time.Time
	// jobs inserts background work in a change's transaction (jobs.go).
	jobs JobInserter
}

// Open connects to url and checks the connection.
func Open(ctx context.Context, url string, log *slog.Logger) (*Store, error) {
	db, err := gorm.Open(gormpg.New(gormpg.Config{DSN: url}), &gorm.Config{
		Logger:                 sqlLogger{log: log, slow: 500 * time.Millisecond},
		SkipDefaultTransaction: true,
		NowFunc:                func() time.Time { return time.Now().UTC() },
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
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
	return &Store{db: db, sql: sqlDB, now: time.Now}, nil
}

// Close closes the connection pool.
func (s *Store) Close() error { return s.sql.Close() }

// Ping reports whether Postgres answers.
func (s *Store) Ping(ctx context.Context) error { return s.sql.PingContext(ctx) }

// SetClock replaces the store's clock (tests only).
func (s *Store) SetClock(now func() time.Time) { s.now = now }

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

// MigrateDown rolls back the most recent migration and returns its version.
func (s *Store) MigrateDown(ctx context.Context) (int64, error) {
	p, err := s.provider()
	if err != nil {
		return 0, err
	}
	res, err := p.Down(ctx)
	if err != nil {
		return 0, fmt.Errorf("postgres: migrate down: %w", err)
	}
	return res.Source.Version, nil
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
	domain.CodeCreditCodeTaken:   "an employer with this credit code is already registered",
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
	if d <= 0 || strings.Contains(dsn, "statement_timeout") {
		return dsn
	}
	ms := strconv.FormatInt(d.Milliseconds(), 10)
	if strings.Contains(dsn, "://") {
		sep := "?"
		if strings.Contains(dsn, "?") {
			sep = "&"
		}
		return dsn + sep + "statement_timeout=" + ms
	}
	return dsn + " statement_timeout=" + ms
}
