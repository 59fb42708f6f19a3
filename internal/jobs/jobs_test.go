package jobs_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/jobs"
	"github.com/gradzone/gradzone/internal/testutil"
)

// TestJobsCommitWithTheTransaction: a job inserted in a transaction exists
// exactly when the transaction commits.
func TestJobsCommitWithTheTransaction(t *testing.T) {
	db := testutil.SQL(t, testutil.NewDatabase(t))
	ins, err := jobs.NewInserter()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, commit := range []bool{false, true} {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := ins.InsertTx(ctx, tx, []domain.Job{{Kind: domain.JobIndexOpenings, IDs: []string{"a", "b"}}, {Kind: domain.JobOpeningAlerts, IDs: []string{"a"}}}); err != nil {
			t.Fatal(err)
		}
		if commit {
			err = tx.Commit()
		} else {
			err = tx.Rollback()
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	var n int
	var queues string
	if err := db.QueryRow(`SELECT count(*), string_agg(kind || '@' || queue || args::text, ' ' ORDER BY id) FROM river_job`).Scan(&n, &queues); err != nil {
		t.Fatal(err)
	}
	if want := `index_openings@index{"ids": ["a", "b"]} opening_alerts@alerts{"ids": ["a"]}`; n != 2 || queues != want {
		t.Fatalf("jobs: %d %s, want %s", n, queues, want)
	}
	if err := ins.InsertTx(ctx, nil, []domain.Job{{Kind: "nonsense"}}); err == nil {
		t.Fatal("unknown kind accepted")
	}
}

// TestJobOfDeadProcessIsRescued: an index job left "running" by a process
// that died (kill -9) is run again by the leader, and the index converges.
func TestJobOfDeadProcessIsRescued(t *testing.T) {
	a := testutil.NewApp(t)
	_, _, id := a.PublishedOpening(nil)
	a.WaitIndexed(30 * time.Second)
	ctx := context.Background()
	if err := a.Server.Index.Sync(ctx, nil, []string{id}); err != nil {
		t.Fatal(err)
	}
	// What a process killed mid-job leaves behind.
	db := testutil.SQL(t, a.DBURL)
	var jobID int64
	if err := db.QueryRow(`INSERT INTO river_job (kind, queue, args, max_attempts, attempt, state, attempted_at, attempted_by)
		VALUES ('index_openings', 'index', $1, 25, 1, 'running', now() - interval '10 minutes', '{dead-replica}') RETURNING id`,
		fmt.Sprintf(`{"ids":["%s"]}`, id)).Scan(&jobID); err != nil {
		t.Fatal(err)
	}
	if st, _ := a.Server.Store.OutboxStatus(ctx); st.Pending != 1 {
		t.Fatalf("the stuck job is not counted: %+v", st)
	}
	// The rescuer runs every 30 s.
	testutil.Eventually(t, 90*time.Second, 200*time.Millisecond, func() string {
		var state string
		if err := db.QueryRow(`SELECT state FROM river_job WHERE id = $1`, jobID).Scan(&state); err != nil {
			t.Fatal(err)
		}
		if in, err := a.Server.Index.Has(ctx, id); state == "completed" && err == nil && in {
			return ""
		}
		return "stuck job not rescued: " + state
	})
}

// TestStartOutlastsSlowQueueSetup: River gives each queue's first query at
// start 10 s; on a busy database (CI's whole -race suite) it took longer
// and the process failed to start. Here a lock holds that query for 12 s:
// the start still succeeds once the lock is gone.
func TestStartOutlastsSlowQueueSetup(t *testing.T) {
	a := testutil.NewApp(t)
	ctx := context.Background()
	release := testutil.LockTable(t, testutil.SQL(t, a.DBURL), "river_queue", "EXCLUSIVE")
	released := time.AfterFunc(12*time.Second, release)
	defer released.Stop()
	r, err := jobs.NewRunner(ctx, jobs.Config{DatabaseURL: a.DBURL, Log: testutil.Quiet()}, a.Server.Background)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	start := time.Now()
	if err := r.Start(ctx); err != nil {
		t.Fatalf("start with a slow queue set-up: %v", err)
	}
	if waited := time.Since(start); waited < 10*time.Second {
		t.Fatalf("started after %s: the lock did not hold the start", waited)
	}
	sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := r.Stop(sctx); err != nil {
		t.Fatal(err)
	}
}

// A deploy review: SIGTERM ends the context serve started the runner with,
// and River took that for a hard stop. Running mail and index jobs were
// cancelled in the same millisecond, before Stop's grace. The runner runs
// until Stop; ending the start's context stops nothing.
func TestEndOfStartContextStopsNoJob(t *testing.T) {
	mp := testutil.StartMailpit(t)
	a := testutil.NewApp(t, testutil.SMTPAt(mp.SMTPURL()))
	g := a.Graduate()
	a.MarkVerified(g.ID)
	// A queue of its own: the app's runner works the app's database.
	url := testutil.NewDatabase(t)
	db := testutil.SQL(t, url)
	started, signal := context.WithCancel(context.Background())
	defer signal()
	startRunner(t, started, jobs.Config{DatabaseURL: url, SendsMail: true}, a.Server.Background)
	state := func() (s string) {
		if err := db.QueryRow(`SELECT state FROM river_job WHERE kind = 'send_mail'`).Scan(&s); err != nil {
			return err.Error()
		}
		return s
	}
	// A mail held on its way: the mail server answers nothing.
	mp.Pause()
	insertJobs(t, db, domain.Job{Kind: domain.JobSendMail, Mail: &domain.MailRequest{Kind: domain.MailApplicationStatus, UserID: g.ID,
		Data: map[string]string{"opening_title": "停机", "status_zh": "已查看", "status_en": "viewed"}, Key: "held-at-stop"}})
	testutil.Eventually(t, 20*time.Second, 20*time.Millisecond, func() string {
		if s := state(); s != "running" {
			return "the mail job is " + s
		}
		return ""
	})
	signal()
	time.Sleep(time.Second)
	if s := state(); s != "running" {
		t.Fatalf("the end of the start's context left the mail job %s", s)
	}
	mp.Resume()
	testutil.Eventually(t, 20*time.Second, 50*time.Millisecond, func() string {
		if s := state(); s != "completed" {
			return "the mail job is " + s
		}
		return ""
	})
}

// TestMailWaitsForAProcessThatCanSend: a process started without
// GRADZONE_SMTP_URL worked the mail queue and failed every mail ("no
// outgoing mail server configured"), spending its tries while a replica
// with a mail server could have sent it (make bench: the 2,090 mails of a
// review day bounced by the serve process it started without one). Such a
// process leaves the mail queue alone: the mail waits, untried, and goes
// out at the first try once a process that can send is up.
func TestMailWaitsForAProcessThatCanSend(t *testing.T) {
	mute := testutil.NewApp(t, testutil.SMTPAt(""))
	g := mute.Graduate()
	mute.MarkVerified(g.ID)
	db := testutil.SQL(t, mute.DBURL)
	insertJobs(t, db, domain.Job{Kind: domain.JobSendMail, Mail: &domain.MailRequest{Kind: domain.MailApplicationStatus, UserID: g.ID,
		Data: map[string]string{"opening_title": "无邮件服务器", "status_zh": "已查看", "status_en": "viewed"}, Key: "waits-for-smtp"}})
	mail := func() (state string, attempt int) {
		if err := db.QueryRow(`SELECT state, attempt FROM river_job WHERE kind = 'send_mail' AND args::text LIKE '%waits-for-smtp%'`).Scan(&state, &attempt); err != nil {
			t.Fatal(err)
		}
		return state, attempt
	}
	// Work queued after the mail, done by the same process: it had every
	// chance to take the mail too.
	mute.PublishedOpening(nil)
	mute.WaitIndexed(30 * time.Second)
	if state, attempt := mail(); state != "available" || attempt != 0 {
		t.Fatalf("a process without a mail server took the mail: %s after %d tries", state, attempt)
	}
	mp := testutil.StartMailpit(t)
	testutil.NewApp(t, testutil.DatabaseURL(mute.DBURL), testutil.SMTPAt(mp.SMTPURL()))
	testutil.Eventually(t, 30*time.Second, 50*time.Millisecond, func() string {
		if state, attempt := mail(); state != "completed" || attempt != 1 {
			return fmt.Sprintf("the mail is %s after %d tries", state, attempt)
		}
		return ""
	})
	mp.WaitForSubject(g.Email, "无邮件服务器", 10*time.Second)
}

// TestWaitingAlertsAreGathered: a review day queues an alert job per
// approval, and each job made a pass over every saved search, which costs
// about the same for one opening as for fifty (BenchmarkOpeningAlerts:
// 2,500 approvals were an hour of passes). A job gathers the alert jobs
// waiting behind it into one: fewer passes, and every opening alerted. An
// opening not in the index yet holds up no other: it waits alone.
func TestWaitingAlertsAreGathered(t *testing.T) {
	a := testutil.NewApp(t)
	emp, reviewer := a.Publisher()
	var ids []string
	for i := range 31 {
		ids = append(ids, a.Publish(emp, reviewer, map[string]any{"title": fmt.Sprintf("聚合提醒岗位 %d", i)}))
	}
	a.WaitIndexed(30 * time.Second)
	// The last is out of the index again, as if its index job had not run.
	stuck := ids[len(ids)-1]
	if err := a.Server.Index.Sync(context.Background(), nil, []string{stuck}); err != nil {
		t.Fatal(err)
	}
	g := a.Graduate()
	a.Must(201, "POST", "/api/v1/me/saved-searches", g.Token, map[string]any{"name": "聚合", "q": "聚合提醒岗位"})
	// A queue of its own, holding an alert job per opening as approvals
	// leave them; the app's runner works the app's database.
	url := testutil.NewDatabase(t)
	db := testutil.SQL(t, url)
	var waiting []domain.Job
	for _, id := range ids {
		waiting = append(waiting, domain.Job{Kind: domain.JobOpeningAlerts, IDs: []string{id}})
	}
	insertJobs(t, db, waiting...)
	startRunner(t, context.Background(), jobs.Config{DatabaseURL: url}, a.Server.Background)
	testutil.Eventually(t, 20*time.Second, 100*time.Millisecond, func() string {
		if n := a.Must(200, "GET", "/api/v1/notifications?per_page=100", g.Token, nil).JSON(); n["total"].(float64) != 30 {
			return fmt.Sprintf("alerts of the 30 indexed openings: %v", n["total"])
		}
		var waiting string
		if err := db.QueryRow(`SELECT coalesce(string_agg(args->>'ids', ' '), '') FROM river_job WHERE kind = 'opening_alerts' AND state <> 'completed'`).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		if want := `["` + stuck + `"]`; waiting != want {
			return fmt.Sprintf("waiting: %s, want %s", waiting, want)
		}
		return ""
	})
	var passes int
	if err := db.QueryRow(`SELECT count(*) FROM river_job WHERE kind = 'opening_alerts' AND state = 'completed'`).Scan(&passes); err != nil {
		t.Fatal(err)
	}
	if passes > 5 {
		t.Errorf("31 waiting alert jobs took %d passes over the saved searches", passes)
	}
}

// TestGatheredAlertsStayWithinAPass: gathering counted jobs, not openings,
// and a gathered job waiting behind a backlog was gathered again: a review
// day's tail made one job of every opening its passes had gathered (tens of
// thousands), a pass over the saved searches past the job's one-minute
// timeout, cut short and tried again as long, and none of its alerts sent.
// A gathered job holds at most a pass's openings; none is lost.
func TestGatheredAlertsStayWithinAPass(t *testing.T) {
	a := testutil.NewApp(t)
	url := testutil.NewDatabase(t)
	db := testutil.SQL(t, url)
	// Ten waiting jobs of forty openings each, as ten earlier passes
	// might have left them (openings withdrawn since: nothing to alert).
	want := map[string]bool{}
	var waiting []domain.Job
	for range 10 {
		var ids []string
		for range 40 {
			id := uuid.NewString()
			ids = append(ids, id)
			want[id] = true
		}
		waiting = append(waiting, domain.Job{Kind: domain.JobOpeningAlerts, IDs: ids})
	}
	insertJobs(t, db, waiting...)
	startRunner(t, context.Background(), jobs.Config{DatabaseURL: url}, a.Server.Background)
	testutil.Eventually(t, 20*time.Second, 100*time.Millisecond, func() string {
		var left int
		if err := db.QueryRow(`SELECT count(*) FROM river_job WHERE kind = 'opening_alerts' AND state <> 'completed'`).Scan(&left); err != nil {
			t.Fatal(err)
		}
		if left > 0 {
			return fmt.Sprintf("%d alert jobs not done", left)
		}
		return ""
	})
	rows, err := db.Query(`SELECT args->'ids' FROM river_job WHERE kind = 'opening_alerts'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var raw []byte
		var ids []string
		if err := rows.Scan(&raw); err != nil || json.Unmarshal(raw, &ids) != nil {
			t.Fatal(err)
		}
		if len(ids) > 100 {
			t.Errorf("a gathered job of %d openings, more than a pass of 100", len(ids))
		}
		for _, id := range ids {
			delete(want, id)
		}
	}
	if len(want) > 0 {
		t.Errorf("%d openings in no job done", len(want))
	}
}

// insertJobs queues js in one transaction, as a change of the store does.
func insertJobs(t *testing.T, db *sql.DB, js ...domain.Job) {
	t.Helper()
	ins, err := jobs.NewInserter()
	if err != nil {
		t.Fatal(err)
	}
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	if err := ins.InsertTx(context.Background(), tx, js); err != nil || tx.Commit() != nil {
		t.Fatal(err)
	}
}

// startRunner works cfg's queue with work from ctx until the test ends.
func startRunner(t *testing.T, ctx context.Context, cfg jobs.Config, work jobs.Work) {
	t.Helper()
	cfg.Log = testutil.Quiet()
	r, err := jobs.NewRunner(ctx, cfg, work)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	if err := r.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = r.Stop(sctx)
	})
}
