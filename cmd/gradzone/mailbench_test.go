package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gradzone/gradzone/internal/testutil"
)

// TestMailBenchmark (issue 13 item 8; `make bench-mail`, skipped unless
// GRADZONE_BENCH_MAIL=N): N graduates each have a daily saved-search digest
// due; a `serve` process queues and sends the N digest mails through
// Mailpit, is killed with SIGKILL half-way, and a second `serve` finishes.
// It reports mails per second and checks that Mailpit holds exactly N
// mails with N distinct Message-IDs: none lost, none sent twice.
func TestMailBenchmark(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("GRADZONE_BENCH_MAIL"))
	if n <= 0 {
		t.Skip("set GRADZONE_BENCH_MAIL=N (make bench-mail) to run the mail benchmark")
	}
	// Every recipient is at one domain: the benchmark measures the
	// pipeline, so the per-domain mail limit (600 a minute by default)
	// is off, here and in the serve processes, which read the environment.
	t.Setenv("GRADZONE_MAIL_PER_DOMAIN_MINUTE", "0")
	a := testutil.NewApp(t, testutil.MailLimits(30, 0))
	// The in-process server only sets up data: stop its job runner, so the
	// serve processes below do all the work and the kill -9 counts.
	if err := a.Server.Jobs.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	mp := testutil.NewMailpit(t)
	mp.DeleteAll()
	_, _, opening := a.PublishedOpening(map[string]any{"title": "基准测试岗位"})
	db := testutil.SQL(t, a.DBURL)
	seedStart := time.Now()
	// N verified graduates, each with a daily saved search created two days
	// ago (its digest is due) and one opening waiting for the digest.
	if _, err := db.Exec(`
		WITH u AS (
		  INSERT INTO users (role, email, password_hash, name, email_verified_at)
		  SELECT 'graduate', 'bench-' || i || '@mailbench.example.test', 'x', '基准' || i, now()
		  FROM generate_series(1, $1) i RETURNING id),
		s AS (
		  INSERT INTO saved_searches (user_id, name, query, filters, alert_frequency, created_at)
		  SELECT id, '基准搜索', '基准', '{}'::jsonb, 'daily', now() - interval '2 days' FROM u RETURNING id)
		INSERT INTO alert_digest_items (saved_search_id, opening_id, opening_title, employer_name)
		SELECT s.id, $2, '基准测试岗位', '成都智算科技有限公司' FROM s`, n, opening); err != nil {
		t.Fatal(err)
	}
	t.Logf("seeded %d graduates with a due digest in %v", n, time.Since(seedStart).Round(time.Millisecond))

	count := func() int {
		res, err := http.Get(mp.URL + "/api/v1/messages?limit=1")
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var body struct {
			Total int `json:"total"`
		}
		_ = json.NewDecoder(res.Body).Decode(&body)
		return body.Total
	}
	start := time.Now()
	r1 := startReplica(t, a)
	for count() < n/2 {
		if time.Since(start) > 30*time.Minute {
			t.Fatalf("only %d of %d mails after 30 minutes", count(), n)
		}
		time.Sleep(200 * time.Millisecond)
	}
	r1.kill(t)
	killedAt, atKill := time.Since(start), count()
	t.Logf("kill -9 of serve after %v with %d mails in Mailpit (%.0f mails/s)", killedAt.Round(time.Millisecond), atKill, float64(atKill)/killedAt.Seconds())

	restart := time.Now()
	startReplica(t, a)
	var sent int
	for {
		if err := db.QueryRow(`SELECT count(*) FROM mail_sends WHERE kind = 'saved_search_digest'`).Scan(&sent); err != nil {
			t.Fatal(err)
		}
		if sent >= n {
			break
		}
		if time.Since(restart) > 30*time.Minute {
			t.Fatalf("only %d of %d digests recorded sent 30 minutes after the restart", sent, n)
		}
		time.Sleep(500 * time.Millisecond)
	}
	total := time.Since(start)
	time.Sleep(2 * time.Second) // any mail still in flight lands
	// Every Message-ID in Mailpit, page by page.
	ids, digests := map[string]int{}, 0
	for off := 0; ; off += 1000 {
		res, err := http.Get(fmt.Sprintf("%s/api/v1/messages?start=%d&limit=1000", mp.URL, off))
		if err != nil {
			t.Fatal(err)
		}
		var page struct {
			Messages []struct {
				MessageID string              `json:"MessageID"`
				To        []testutil.MailAddr `json:"To"`
			} `json:"messages"`
		}
		err = json.NewDecoder(res.Body).Decode(&page)
		res.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range page.Messages {
			// Only the digests: the fixtures' own mails (the employer's
			// address verification) share the mailbox.
			if len(m.To) == 1 && strings.HasSuffix(m.To[0].Address, "@mailbench.example.test") {
				ids[m.MessageID]++
				digests++
			}
		}
		if len(page.Messages) < 1000 {
			break
		}
	}
	dups := 0
	for _, c := range ids {
		dups += c - 1
	}
	mails := digests
	t.Logf("RESULT n=%d mails_in_mailpit=%d distinct_message_ids=%d duplicates=%d recorded_sent=%d | before kill: %d mails in %v = %.0f mails/s | after restart: %d mails in %v | overall %v = %.0f mails/s | machine: %d cores, %s",
		n, mails, len(ids), dups, sent, atKill, killedAt.Round(time.Millisecond), float64(atKill)/killedAt.Seconds(),
		mails-atKill, time.Since(restart).Round(time.Millisecond), total.Round(time.Millisecond), float64(mails)/total.Seconds(),
		runtime.NumCPU(), runtime.Version())
	if mails != n || len(ids) != n {
		t.Fatalf("Mailpit holds %d mails with %d distinct Message-IDs, want exactly %d of each", mails, len(ids), n)
	}
}
