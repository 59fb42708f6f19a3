package jobs_test

import (
	"context"
	"fmt"
	"testing"
	"time"

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
	db := testutil.SQL(t, a.DBURL)
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(`LOCK TABLE river_queue IN EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	released := time.AfterFunc(12*time.Second, func() { _ = tx.Rollback() })
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
