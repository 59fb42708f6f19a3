package postgres

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/gradzone/gradzone/internal/domain"
)

// sqlLogger is GORM's logger for gradzone. Two rules:
//   - no value ever reaches a log line: GORM fills raw statements' values
//     into the SQL it reports, so every quoted literal is replaced by '?'
//     (cover letters, e-mail addresses and names were in the logs);
//   - an error the store turns into a domain answer (a unique violation
//     is 409 email_taken or already_applied, a check is 422, a request
//     whose client left is the client's: domain.ClientGone) is expected:
//     it is logged at DEBUG with its SQLSTATE only. The access log records
//     the status. Only unexpected errors are ERROR, and slow statements
//     WARN.
type sqlLogger struct {
	log  *slog.Logger
	slow time.Duration
	info bool
}

var literal = regexp.MustCompile(`'(?:[^']|'')*'`)

// redactSQL replaces every quoted literal in a statement by '?'.
func redactSQL(sql string) string { return literal.ReplaceAllString(sql, "'?'") }

func (l sqlLogger) LogMode(level logger.LogLevel) logger.Interface {
	l.info = level >= logger.Info
	return l
}

func (l sqlLogger) Info(ctx context.Context, msg string, args ...any) {
	l.log.InfoContext(ctx, "gorm", "msg", fmt.Sprintf(msg, args...))
}

func (l sqlLogger) Warn(ctx context.Context, msg string, args ...any) {
	l.log.WarnContext(ctx, "gorm", "msg", fmt.Sprintf(msg, args...))
}

func (l sqlLogger) Error(ctx context.Context, msg string, args ...any) {
	l.log.ErrorContext(ctx, "gorm", "msg", fmt.Sprintf(msg, args...))
}

// ParamsFilter keeps bound values out of what GORM reports.
func (l sqlLogger) ParamsFilter(_ context.Context, sql string, _ ...any) (string, []any) {
	return sql, nil
}

func (l sqlLogger) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	elapsed := time.Since(begin)
	switch {
	case err != nil && errors.Is(err, gorm.ErrRecordNotFound):
		return
	case err != nil && (expectedSQLError(err) || domain.ClientGone(ctx, err)):
		if l.log.Enabled(ctx, slog.LevelDebug) {
			l.log.DebugContext(ctx, "sql refused", "sqlstate", sqlState(err), "duration_ms", elapsed.Milliseconds())
		}
	case err != nil:
		sql, _ := fc()
		l.log.ErrorContext(ctx, "sql failed", "sql", redactSQL(sql), "err", err.Error(), "duration_ms", elapsed.Milliseconds())
	case l.slow > 0 && elapsed > l.slow:
		sql, rows := fc()
		l.log.WarnContext(ctx, "sql slow", "sql", redactSQL(sql), "rows", rows, "duration_ms", elapsed.Milliseconds())
	case l.info && l.log.Enabled(ctx, slog.LevelDebug):
		sql, rows := fc()
		l.log.DebugContext(ctx, "sql", "sql", redactSQL(sql), "rows", rows, "duration_ms", elapsed.Milliseconds())
	}
}

func sqlState(err error) string {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code
	}
	return ""
}

// expectedSQLError reports errors that translate turns into a client's
// answer, not a fault: integrity (23…) and data (22…) violations,
// serialization failures and deadlocks (retried), and requests whose
// client went away. A statement cut off by statement_timeout (57014) is a
// fault worth an ERROR line.
func expectedSQLError(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	switch s := sqlState(err); {
	case len(s) == 5 && (s[:2] == "23" || s[:2] == "22"):
		return true
	case s == "40001" || s == "40P01":
		return true
	}
	return false
}
