package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/gradzone/gradzone/internal/app"
	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/loadtest"
	"github.com/gradzone/gradzone/internal/testutil"
)

// asBinary makes this test binary the gradzone binary when a test starts it
// as a replica: `serve` then runs as it does in production, in a process of
// its own that the test can kill -9.
const asBinary = "GRADZONE_TEST_AS_BINARY"

func TestMain(m *testing.M) {
	if os.Getenv(asBinary) == "1" {
		main()
	}
	os.Exit(m.Run())
}

// replica is one `gradzone serve` process (this test binary as the binary).
type replica struct{ *loadtest.Replica }

// replicaEnv is a's settings (same Postgres, Meilisearch index, bucket, SMTP
// server and JWT secret) for a `serve` process, with an upload folder of its
// own.
func replicaEnv(t *testing.T, a *testutil.App) []string {
	c := a.Server.Config
	return append(os.Environ(), asBinary+"=1",
		"GRADZONE_DATABASE_URL="+c.DatabaseURL, "GRADZONE_JWT_SECRET="+c.JWTSecret,
		"GRADZONE_MEILI_URL="+c.MeiliURL, "GRADZONE_MEILI_KEY="+c.MeiliKey, "GRADZONE_MEILI_INDEX="+c.MeiliIndex,
		"GRADZONE_S3_ENDPOINT="+c.S3Endpoint, "GRADZONE_S3_BUCKET="+c.S3Bucket, "GRADZONE_S3_ACCESS_KEY="+c.S3AccessKey,
		"GRADZONE_S3_SECRET_KEY="+c.S3SecretKey, "GRADZONE_S3_REGION="+c.S3Region,
		"GRADZONE_SMTP_URL="+c.SMTPURL, "GRADZONE_UPLOAD_DIR="+t.TempDir(),
		"GRADZONE_OUTBOX_INTERVAL=50ms", "GRADZONE_LOG_LEVEL=warn", "GRADZONE_CONFIG="+testutil.EmptyConfig(t))
}

// startReplica runs `serve` with a's settings on ports of its own and waits
// until it answers; the test's end stops it.
func startReplica(t *testing.T, a *testutil.App) *replica {
	t.Helper()
	r, err := loadtest.StartReplica(os.Args[0], []string{"serve"}, replicaEnv(t, a))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		r.Stop()
		if t.Failed() {
			t.Logf("replica %s log:\n%s", r.URL, r.Log())
		}
	})
	return &replica{r}
}

// kill ends the replica as a crash would: no shutdown, no cleanup.
func (r *replica) kill(*testing.T) { r.Kill() }

// at is a with its requests sent to the replica r instead (the same
// fixtures, tokens and API-description checks).
func at(a *testutil.App, r *replica) *testutil.App {
	b := *a
	b.URL = r.URL
	return &b
}

// A rebuild's lock is held by its process's Postgres session. A process
// frozen in the middle of a rebuild (SIGSTOP, a paused VM, a debugger) kept
// its session, and so the lock, for good: no other process could rebuild
// the index until someone killed it. The lock's session now ends once it
// sits idle longer than the rebuild's once-a-second check ever leaves it,
// and another process's rebuild goes on. Woken, the frozen one took its
// lock again and swapped in its copy, which the other had deleted as a
// leftover and Meilisearch had made again, bare; it now stops instead.
func TestFrozenRebuildGivesUpItsLock(t *testing.T) {
	a := testutil.NewApp(t, testutil.SearchHealEvery(time.Hour))
	ctx := context.Background()
	testutil.Eventually(t, 60*time.Second, 100*time.Millisecond, func() string {
		if h, err := a.Server.Store.SearchHeal(ctx); err != nil || h.CheckedAt == nil || h.Running {
			return fmt.Sprintf("the start's index check has not ended: %+v %v", h, err)
		}
		return "" // no check of the test app's own takes the lock below
	})
	spec := loadtest.Spec{Employers: 50, Openings: 5000, Graduates: 10, AppsPerGrad: 1, Placements: 1, PasswordHash: "x"}
	if err := loadtest.Generate(ctx, a.DBURL, spec, func(string, time.Duration) {}); err != nil {
		t.Fatal(err)
	}
	frozen := exec.Command(os.Args[0], "reindex")
	frozen.Env = replicaEnv(t, a)
	var out bytes.Buffer
	frozen.Stdout, frozen.Stderr = &out, &out
	if err := frozen.Start(); err != nil {
		t.Fatal(err)
	}
	ended := make(chan error, 1)
	go func() { ended <- frozen.Wait() }()
	t.Cleanup(func() {
		_ = frozen.Process.Kill()
		<-ended
		if t.Failed() {
			t.Logf("the reindex process's output:\n%s", out.String())
		}
	})
	testutil.Eventually(t, 60*time.Second, 5*time.Millisecond, func() string {
		if h, err := a.Server.Store.SearchHeal(ctx); err != nil || !h.Running || h.Done == 0 {
			return fmt.Sprintf("the reindex process has not copied its first batch: %+v %v", h, err)
		}
		return "" // frozen in the middle of its copy
	})
	if err := frozen.Process.Signal(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	wait, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	n, err := a.Server.Background.Reindex(wait, app.Progress{Total: func(int64) {}, Done: func(int) {}})
	_ = frozen.Process.Signal(syscall.SIGCONT)
	if err != nil || n < spec.Openings {
		t.Fatalf("a rebuild beside a frozen one: %d openings, %v", n, err)
	}
	// Woken, whatever the frozen rebuild does leaves the index whole, with
	// its settings.
	select {
	case err := <-ended:
		ended <- err
		t.Logf("the woken reindex ended: %v", err)
	case <-time.After(2 * time.Minute):
		t.Fatal("the woken reindex did not end")
	}
	if c, err := a.Server.Index.Check(ctx); err != nil || !c.Exists || !c.SettingsOK || c.Documents < int64(spec.Openings) {
		t.Errorf("the index after the woken rebuild: %+v %v", c, err)
	}
	// The heal state stays the completed rebuild's: the woken one, which
	// gave up, recorded its failure over it (the twenty-eighth round).
	if h, err := a.Server.Store.SearchHeal(ctx); err != nil || h.Outcome == domain.HealRebuildFail || h.Running || h.Documents < int64(spec.Openings) {
		t.Errorf("the heal state after the woken rebuild gave up: %+v %v", h, err)
	}
}

// Issue 14 item 5: three `serve` processes on one Postgres, Meilisearch,
// Mailpit and S3 behave as one site. A résumé uploaded through one
// downloads through another; the sign-in throttle counts across them; a
// hire through one shows in progress through another at once; each status
// mail goes once; and kill -9 of one replica during a burst of
// applications loses no write that was answered 2xx — a client retrying
// elsewhere with its Idempotency-Key gets the first answer, not a second
// application — while the counters stay equal to a recount.
func TestThreeReplicas(t *testing.T) {
	// The in-process app only makes the database and the fixtures; its job
	// worker is one more member of the same queue.
	a := testutil.NewApp(t)
	reps := []*replica{startReplica(t, a), startReplica(t, a), startReplica(t, a)}
	r1, r2, r3 := at(a, reps[0]), at(a, reps[1]), at(a, reps[2])
	mail := testutil.NewMailpit(t)

	emp, zone := r1.Publisher()
	opening := r2.Publish(emp, zone, map[string]any{"headcount": 200})

	// Files: no replica keeps them (each has an empty upload folder).
	g := r1.Graduate()
	r1.MarkVerified(g.ID)
	// Only the status mails are counted below: the address-verification
	// mail of the registration goes first.
	mail.WaitFor(g.Email, 1, 60*time.Second)
	mail.DeleteFor(g.Email)
	pdf := []byte("%PDF-1.4\n% three replicas\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
	if up := r1.UploadFile("/api/v1/me/resume", g.Token, "cv.pdf", pdf); up.Status != http.StatusCreated {
		t.Fatalf("upload through replica 1: %d %s", up.Status, up.Body)
	}
	app := r1.Must(http.StatusCreated, "POST", "/api/v1/openings/"+opening+"/applications", g.Token,
		map[string]string{"cover_letter": "三个副本"}).JSON()["id"].(string)
	if got := r2.Must(http.StatusOK, "GET", "/api/v1/graduates/"+g.ID+"/resume", emp.Token, nil).Body; !bytes.Equal(got, pdf) {
		t.Fatalf("résumé through replica 2: %d bytes, want the %d uploaded", len(got), len(pdf))
	}

	// The sign-in throttle: failures through replicas 1 and 2 lock the
	// account on replica 3.
	victim := r1.Graduate()
	wrong := map[string]string{"email": victim.Email, "password": "not-the-password"}
	for i := range 10 {
		[]*testutil.App{r1, r2}[i%2].Must(http.StatusUnauthorized, "POST", "/api/v1/auth/login", "", wrong)
	}
	if r := r3.Do("POST", "/api/v1/auth/login", "", map[string]string{"email": victim.Email, "password": testutil.Password}); r.Status != http.StatusTooManyRequests {
		t.Fatalf("replica 3 after 10 failures elsewhere: %d %s", r.Status, r.Body)
	}

	// A hire through replica 1 is in the progress replica 2 serves at once.
	before := r2.Must(http.StatusOK, "GET", "/api/v1/zones/sichuan-chengdu/progress", zone.Token, nil).JSON()["placements"].(float64)
	r1.Hire(emp.Token, g.Token, app, domain.DateOf(time.Now()).String())
	if after := r2.Must(http.StatusOK, "GET", "/api/v1/zones/sichuan-chengdu/progress", zone.Token, nil).JSON()["placements"].(float64); after != before+1 {
		t.Fatalf("progress through replica 2 right after the hire: %v, want %v", after, before+1)
	}
	// Three status changes, three mails: four workers share the queue and
	// none sends one twice (the wait lets a second copy arrive if it would).
	mail.WaitFor(g.Email, 3, 60*time.Second)
	time.Sleep(2 * time.Second)
	if got := mail.Messages(g.Email); len(got) != 3 {
		t.Fatalf("status mails: %d, want 3", len(got))
	}

	// The burst: 60 graduates apply, spread over the three replicas; after
	// the first third, replica 2 is killed. A request that gets no answer is
	// retried on the next replica with the same Idempotency-Key, as a client
	// behind a load balancer would.
	const n = 60
	grads := make([]testutil.Account, n)
	for i := range grads {
		grads[i] = r3.Graduate()
	}
	type answer struct {
		status int
		id     string
	}
	answers := make([]answer, n)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	killed := make(chan struct{})
	var once sync.Once
	var unanswered atomic.Int32
	for i := range n {
		if i == n/3 {
			wg.Wait()
			go once.Do(func() { reps[1].kill(t); close(killed) })
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			key := fmt.Sprintf("burst-%d", i)
			for try := range 3 {
				rep := reps[(i+try)%3]
				status, id, err := applyOnce(a, rep.URL, opening, grads[i].Token, key)
				if err == nil {
					answers[i] = answer{status, id}
					return
				}
				unanswered.Add(1)
			}
		}()
	}
	wg.Wait()
	<-killed
	if unanswered.Load() == 0 {
		t.Fatal("no request met the killed replica: the test proved nothing")
	}

	ctx := context.Background()
	db := testutil.SQL(t, a.DBURL)
	accepted := 0
	for i, ans := range answers {
		if ans.status < 200 || ans.status > 299 {
			t.Errorf("graduate %d: no 2xx after retries (status %d)", i, ans.status)
			continue
		}
		accepted++
		var count int
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM applications WHERE graduate_id = $1 AND opening_id = $2`, grads[i].ID, opening).Scan(&count); err != nil {
			t.Fatal(err)
		}
		if count != 1 {
			t.Errorf("graduate %d: %d applications in Postgres, want exactly the one answered %d (%s)", i, count, ans.status, ans.id)
		}
		var found string
		if err := db.QueryRowContext(ctx, `SELECT id FROM applications WHERE id = $1`, ans.id).Scan(&found); err != nil {
			t.Errorf("graduate %d: application %s answered %d is not in Postgres: %v", i, ans.id, ans.status, err)
		}
	}
	if accepted != n {
		t.Fatalf("%d of %d applications accepted", accepted, n)
	}
	if drift, err := a.Server.Store.CounterDrift(ctx); err != nil || len(drift) > 0 {
		t.Fatalf("counters after the kill differ from a recount: %v %v", drift, err)
	}
	// The survivors still serve, and the status mails were not sent again
	// by whichever worker took over the dead replica's jobs.
	r3.Must(http.StatusOK, "GET", "/api/v1/applications/"+app, g.Token, nil)
	if got := mail.Messages(g.Email); len(got) != 3 {
		t.Fatalf("status mails after the kill: %d, want 3", len(got))
	}
}

// applyOnce sends one application with an Idempotency-Key; err is set only
// when no answer came (the replica is gone).
func applyOnce(a *testutil.App, base, opening, token, key string) (status int, id string, err error) {
	req, _ := http.NewRequest("POST", base+"/api/v1/openings/"+opening+"/applications",
		bytes.NewReader([]byte(`{"cover_letter":"突发申请"}`)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Idempotency-Key", key)
	res, err := a.Client.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer res.Body.Close()
	var body struct {
		ID string `json:"id"`
	}
	_ = json.NewDecoder(res.Body).Decode(&body)
	return res.StatusCode, body.ID, nil
}
