package loadtest

import (
	"context"
	"database/sql"
	_ "embed"
	"fmt"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
)

// Spec sizes a generated data set for benchmarks.
type Spec struct {
	Employers    int
	Openings     int
	Graduates    int
	AppsPerGrad  int // applications per graduate, to distinct openings
	Placements   int // graduates 1..Placements are hired (≤ Graduates, ≤ Openings)
	PasswordHash string
}

//go:embed loadgen.sql
var loadgenSQL string

// step is one named statement of loadgen.sql.
type step struct{ name, query string }

// steps splits loadgen.sql at its "-- name:" headers, in file order.
func steps() []step {
	var out []step
	for _, part := range strings.Split(loadgenSQL, "-- name: ")[1:] {
		name, body, _ := strings.Cut(part, "\n")
		out = append(out, step{strings.TrimSpace(name), strings.TrimSpace(body)})
	}
	return out
}

// Generate bulk-inserts a benchmark data set into the database at url with
// set-based SQL (loadgen.sql): verified employers across every zone (30%
// outside zones), published openings, graduates, their applications and
// placements. It reports each step's duration through report. The caller
// then rebuilds the counters (postgres.Store.RebuildCounters): the data set
// is raw rows only, as an import would leave them.
//
// The generator is a benchmark tool, not part of the store: it speaks to
// Postgres over its own connection.
func Generate(ctx context.Context, url string, spec Spec, report func(name string, d time.Duration)) error {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return err
	}
	defer db.Close()
	args := map[string][]any{
		"employers":         {spec.Employers},
		"openings":          {spec.Openings, spec.Employers},
		"graduates (users)": {spec.PasswordHash, spec.Graduates},
		"applications":      {spec.Placements, spec.AppsPerGrad, spec.Openings},
	}
	// One transaction: one connection, so the numbering temp tables are
	// visible to every step, and a failed load leaves nothing behind.
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // after Commit, a no-op
	for _, st := range steps() {
		start := time.Now()
		if _, err := tx.ExecContext(ctx, st.query, args[st.name]...); err != nil {
			return fmt.Errorf("%s: %w", st.name, err)
		}
		report(st.name, time.Since(start))
	}
	return tx.Commit()
}

// Analyze refreshes the planner's statistics after a bulk load.
func Analyze(ctx context.Context, url string) error {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.ExecContext(ctx, `ANALYZE`)
	return err
}
