package loadtest

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"reflect"
	"time"

	"github.com/gradzone/gradzone/internal/domain"
)

// Check compares what the season was answered with what the system holds,
// and returns every difference (none means the season passed):
//   - every application answered 2xx is in Postgres;
//   - every hire answered 2xx is exactly one live placement;
//   - every counter equals a recount from raw rows (drift, from the store);
//   - no submitted report changed;
//   - each verified graduate got each status mail once (with Mail set);
//   - search is answered by Meilisearch again, complete, with no one acting.
func (s *Season) Check(ctx context.Context, out *SeasonOutcome, databaseURL string, drift func(context.Context) ([]string, error)) ([]string, error) {
	problems := s.Cluster.Problems()
	db, err := sql.Open("pgx", databaseURL)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	for app := range out.Applied {
		var one int
		if err := db.QueryRowContext(ctx, `SELECT 1 FROM applications WHERE id = $1`, app).Scan(&one); err != nil {
			problems = append(problems, fmt.Sprintf("application %s answered 2xx is not in Postgres: %v", app, err))
		}
	}
	for _, app := range out.Hired {
		var n int
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM placements WHERE application_id = $1 AND revoked_at IS NULL`, app).Scan(&n); err != nil {
			return nil, err
		}
		if n != 1 {
			problems = append(problems, fmt.Sprintf("application %s hired (answered 2xx) has %d placements", app, n))
		}
	}
	if d, err := drift(ctx); err != nil {
		return nil, err
	} else if len(d) > 0 {
		problems = append(problems, fmt.Sprintf("counters differ from a recount: %v", d))
	}
	for _, z := range out.Zones {
		r, err := s.Cluster.Must(ctx, http.StatusOK, "report", "GET", reportPath(z.Code, out.ReportYear, out.ReportMonth), z.Staff.Token, nil)
		if err != nil {
			return nil, err
		}
		// The frozen figures stay; changed_since_submitted is live by
		// design (how the counts moved since), so it is left out.
		delete(r, "changed_since_submitted")
		if then := out.Reports[z.Code]; r["status"] != "submitted" || !reflect.DeepEqual(r, then) {
			problems = append(problems, fmt.Sprintf("zone %s report changed after it was submitted: %v → %v", z.Code, then, r))
		}
	}
	if s.Mail != nil {
		// Wait for the expected count (a job of a killed replica is rescued
		// after a while), then a moment for any second copy.
		for e, want := range out.MailsWant {
			if _, err := s.Mail.WaitFor(ctx, e, want, 4*time.Minute); err != nil {
				return nil, err
			}
		}
		time.Sleep(3 * time.Second)
		for e, want := range out.MailsWant {
			got, err := s.Mail.Count(ctx, e)
			if err != nil {
				return nil, err
			}
			if got != want {
				problems = append(problems, fmt.Sprintf("%s holds %d mails, want %d (verification and one per status change)", e, got, want))
			}
		}
	}
	return append(problems, s.checkSearchHealed(ctx, db)...), nil
}

// checkSearchHealed waits for search to be answered by Meilisearch with
// every published opening: up to four minutes, because an index job a
// killed replica held stays "running" until River rescues it (two minutes,
// jobs.Runner's RescueStuckJobsAfter) and is then retried.
func (s *Season) checkSearchHealed(ctx context.Context, db *sql.DB) []string {
	deadline := time.Now().Add(4 * time.Minute)
	for {
		st, r, err := s.Cluster.Call(ctx, "search", "GET", "/api/v1/openings?per_page=1", "", nil, "")
		var want int
		// Searchable as domain.Opening.Searchable says: published, not past
		// its deadline, not yet filled (a season's hires fill openings).
		if qerr := db.QueryRowContext(ctx, `SELECT count(*) FROM openings
			WHERE status = 'published' AND deadline >= $1 AND placements < headcount`,
			domain.DateOf(time.Now()).String()).Scan(&want); qerr != nil {
			return []string{qerr.Error()}
		}
		if err == nil && st == http.StatusOK && r["engine"] == "meilisearch" && r["total"] == float64(want) {
			return nil
		}
		if time.Now().After(deadline) {
			return []string{fmt.Sprintf("search after the season: %d %v %v of %d searchable (%v); %s",
				st, r["engine"], r["total"], want, err, healSeen(ctx, db))}
		}
		time.Sleep(time.Second)
	}
}

// healSeen says what the self-heal last saw and which jobs were unfinished,
// for a search check that failed.
func healSeen(ctx context.Context, db *sql.DB) string {
	var outcome string
	var docs, searchable, rebuilds int64
	if err := db.QueryRowContext(ctx, `SELECT outcome, documents, searchable, rebuilds FROM search_heal_state`).
		Scan(&outcome, &docs, &searchable, &rebuilds); err != nil {
		return "heal state: " + err.Error()
	}
	out := fmt.Sprintf("heal: %q, %d documents of %d, %d rebuilds; unfinished jobs:", outcome, docs, searchable, rebuilds)
	rows, err := db.QueryContext(ctx, `SELECT queue, kind, state, attempt, scheduled_at FROM river_job
		WHERE state NOT IN ('completed', 'discarded', 'cancelled') ORDER BY id`)
	if err != nil {
		return out + " " + err.Error()
	}
	defer rows.Close()
	for rows.Next() {
		var queue, kind, state string
		var attempt int
		var at time.Time
		if err := rows.Scan(&queue, &kind, &state, &attempt, &at); err != nil {
			return out + " " + err.Error()
		}
		out += fmt.Sprintf(" %s/%s %s attempt %d at %s;", queue, kind, state, attempt, at.UTC().Format(time.TimeOnly))
	}
	if err := rows.Err(); err != nil {
		return out + " " + err.Error()
	}
	return out
}
