package postgres_test

import (
	"context"
	"encoding/json"
	"slices"
	"sync"
	"testing"

	"github.com/gradzone/gradzone/internal/testutil"
)

// TestAlertDigestBatches: the sweep hands exactly the due saved searches
// out in batches of 200; batches run at the same time over the same
// searches (a sweep run twice, two replicas) queue each digest once, with
// every waiting opening in it; a batch run again queues nothing.
func TestAlertDigestBatches(t *testing.T) {
	store, db := testutil.NewStoreSQL(t)
	ctx := context.Background()
	const due = 450
	// due graduates with a daily search created two days ago and two
	// openings waiting; two more whose digest is not due (daily, created
	// now; weekly, created three days ago).
	if _, err := db.ExecContext(ctx, `
		WITH e AS (INSERT INTO employers (name, credit_code, type, size, industry, province_code)
		  VALUES ('基准单位', $2, 'enterprise', 'small', 'ai', '51') RETURNING id),
		o AS (INSERT INTO openings (employer_id, title, description, discipline, industry, degree_min, headcount, city,
		  salary_min, salary_max, deadline, status, published_at) SELECT e.id, '岗位' || k, 'd', 'engineering', 'ai', 'master', 1, '城', 5000, 8000,
		  '2030-01-01', 'published', now() FROM e, generate_series(1, 2) k RETURNING id),
		u AS (INSERT INTO users (role, email, password_hash, name, email_verified_at)
		  SELECT 'graduate', 'batch-' || i || '@example.test', 'x', '毕业生' || i, now() FROM generate_series(1, $1 + 2) i RETURNING id, email),
		s AS (INSERT INTO saved_searches (user_id, name, query, filters, alert_frequency, created_at)
		  SELECT id, '搜索', 'q', '{}'::jsonb,
		    CASE email WHEN 'batch-' || ($1 + 2) || '@example.test' THEN 'weekly' ELSE 'daily' END,
		    CASE email WHEN 'batch-' || ($1 + 1) || '@example.test' THEN now() ELSE now() - interval '3 days' END FROM u RETURNING id)
		INSERT INTO alert_digest_items (saved_search_id, opening_id, opening_title, employer_name)
		SELECT s.id, o.id, '岗位', '基准单位' FROM s, o`, due, testutil.RandomCreditCode()); err != nil {
		t.Fatal(err)
	}
	n, err := store.AlertDigests(ctx)
	if err != nil || n != due {
		t.Fatalf("AlertDigests = %d, %v; want %d due", n, err, due)
	}
	var batches []int
	var ids []string
	rows, err := db.QueryContext(ctx, `SELECT jsonb_array_length(args->'ids'), args->'ids' FROM river_job WHERE kind = 'alert_digests' AND queue = 'mail' ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var size int
		var list []byte
		if err := rows.Scan(&size, &list); err != nil {
			t.Fatal(err)
		}
		batches = append(batches, size)
		var got []string
		if err := json.Unmarshal(list, &got); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, got...)
	}
	rows.Close()
	if !slices.Equal(batches, []int{200, 200, 50}) {
		t.Fatalf("batches of %v, want 200, 200, 50", batches)
	}
	// Every batch's searches, and the two not due, by four batch runs at once.
	var notDueJSON []byte
	var notDue []string
	if err := db.QueryRowContext(ctx, `SELECT json_agg(id::text) FROM saved_searches WHERE alert_frequency = 'weekly' OR created_at > now() - interval '1 day'`).Scan(&notDueJSON); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(notDueJSON, &notDue); err != nil || len(notDue) != 2 {
		t.Fatalf("not due: %s (%v)", notDueJSON, err)
	}
	all := append(slices.Clone(ids), notDue...)
	var wg sync.WaitGroup
	queued := make([]int, 4)
	for i := range queued {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := store.QueueAlertDigests(ctx, all)
			if err != nil {
				t.Error(err)
			}
			queued[i] = n
		}()
	}
	wg.Wait()
	if total := queued[0] + queued[1] + queued[2] + queued[3]; total != due {
		t.Fatalf("batches at once queued %v = %d digests, want %d", queued, total, due)
	}
	if again, err := store.QueueAlertDigests(ctx, all); err != nil || again != 0 {
		t.Fatalf("a batch run again queued %d (%v)", again, err)
	}
	var mails, distinct, users, withTwo int
	if err := db.QueryRowContext(ctx, `SELECT count(*), count(DISTINCT args->'mail'->>'key'), count(DISTINCT args->'mail'->>'user_id'),
		count(*) FILTER (WHERE args->'mail'->'data'->>'count' = '2')
		FROM river_job WHERE kind = 'send_mail' AND args->'mail'->>'kind' = 'saved_search_digest'`).Scan(&mails, &distinct, &users, &withTwo); err != nil {
		t.Fatal(err)
	}
	if mails != due || distinct != due || users != due || withTwo != due {
		t.Fatalf("%d digest mails, %d keys, %d users, %d with both openings; want %d of each", mails, distinct, users, withTwo, due)
	}
	var waiting int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM alert_digest_items i JOIN saved_searches s ON s.id = i.saved_search_id
		WHERE (i.digest_key IS NULL) <> (s.id::text IN (SELECT json_array_elements_text($1::json)))`, string(notDueJSON)).Scan(&waiting); err != nil || waiting != 0 {
		t.Fatalf("%d openings marked wrongly (%v): want those of the due searches marked, the others waiting", waiting, err)
	}
}
