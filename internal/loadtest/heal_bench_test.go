package loadtest_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gradzone/gradzone/internal/config"
	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/loadtest"
	"github.com/gradzone/gradzone/internal/server"
)

// The scenarios of issue 14 item 7 that are not a closed loop of one kind
// of request: how soon an approved opening can be found while staff approve
// at a fixed rate, how much memory a real `serve` process holds under load,
// and how long the index takes to be complete again after it was lost.

// findable approves n openings at rate per second (an open loop: one
// approval is started every 1/rate s whatever the answers do, through up to
// 64 at once) and measures, for each, the time from its approval's 200 to
// the moment Meilisearch returns it. The openings are taken out of the
// index and put back under review first, so each is findable only through
// its approval.
func findable(b *testing.B, ctx context.Context, srv *server.Server, apiURL string, db *sql.DB, cfg config.Config,
	n, rate int) (loadtest.Result, string) {
	// Each opening is approved by its reviewer: its zone's staff, or its
	// province's where the employer has no zone.
	var ids []string
	reviewer := map[string]string{} // opening → token
	staff := map[string]string{}    // zone or province → token
	rows, err := db.Query(`SELECT o.id, e.province_code, coalesce(e.zone_code, '') FROM openings o JOIN employers e ON e.id = o.employer_id
		WHERE o.status = 'published' AND o.placements < o.headcount AND o.deadline >= current_date
		ORDER BY md5(o.id::text) LIMIT $1`, n)
	if err != nil {
		b.Fatal(err)
	}
	for rows.Next() {
		var id, province, zone string
		rows.Scan(&id, &province, &zone)
		ids = append(ids, id)
		key := zone
		if key == "" {
			key = "province " + province
		}
		if _, ok := staff[key]; !ok {
			acc := domain.StaffAccount{Role: domain.RoleZoneAdmin, ZoneCode: zone, ProvinceCode: province, Name: "bench",
				Email: fmt.Sprintf("bench-review-%d@bench.test", len(staff))}
			if zone == "" {
				acc.Role = domain.RoleProvinceAdmin
			}
			u, err := srv.Store.CreateStaff(ctx, acc, "x")
			if err != nil {
				b.Fatal(err)
			}
			if staff[key], _, _, err = srv.Accounts.Tokens.Issue(u.ID, string(acc.Role)); err != nil {
				b.Fatal(err)
			}
		}
		reviewer[id] = staff[key]
	}
	rows.Close()
	if _, err := db.Exec(`UPDATE openings SET status = 'pending_review' WHERE id = ANY($1)`, ids); err != nil {
		b.Fatal(err)
	}
	if err := srv.Index.Sync(ctx, nil, ids); err != nil {
		b.Fatal(err)
	}

	var mu sync.Mutex
	approvedAt := map[string]time.Time{}
	var lat []time.Duration
	errs := map[string]int{}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	watchDone := make(chan struct{})
	stopWatch := make(chan struct{})
	go func() { // the watcher: every 100 ms, which approved openings can be found
		defer close(watchDone)
		meili := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
		for {
			mu.Lock()
			var waiting []string
			for id := range approvedAt {
				waiting = append(waiting, id)
			}
			mu.Unlock()
			for chunk := range slices.Chunk(waiting, 1000) {
				found, err := meiliHas(meili, cfg, chunk)
				if err != nil {
					continue
				}
				at := time.Now()
				mu.Lock()
				for _, id := range found {
					if t, ok := approvedAt[id]; ok {
						lat = append(lat, at.Sub(t))
						delete(approvedAt, id)
					}
				}
				mu.Unlock()
			}
			select {
			case <-stopWatch:
				if len(waiting) == 0 {
					return
				}
			case <-time.After(100 * time.Millisecond):
			}
		}
	}()

	start := time.Now()
	slots := make(chan struct{}, 64)
	var wg sync.WaitGroup
	for i, id := range ids {
		time.Sleep(time.Until(start.Add(time.Duration(i) * time.Second / time.Duration(rate))))
		slots <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-slots; wg.Done() }()
			err := post(client, apiURL+"/api/v1/openings/"+id+"/approve", reviewer[id], "", 200)
			at := time.Now()
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs[errorKind(err)]++
				return
			}
			approvedAt[id] = at
		}()
	}
	wg.Wait()
	approvals := time.Since(start)
	close(stopWatch)
	select {
	case <-watchDone:
	case <-time.After(2 * time.Minute):
		b.Errorf("approved openings still not findable after two minutes: %d", len(approvedAt))
	}
	mu.Lock()
	defer mu.Unlock()
	slices.Sort(lat)
	r := loadtest.Result{Name: fmt.Sprintf("approved → findable, %d approvals/s", rate), Concurrency: 64, Requests: len(lat), ErrorsBy: errs}
	for _, k := range errs {
		r.Errors += k
	}
	if len(lat) > 0 {
		r.P50, r.P99 = lat[len(lat)/2], lat[min(len(lat)-1, len(lat)*99/100)]
		r.RPS = float64(len(lat)) / approvals.Seconds()
	}
	note := fmt.Sprintf("- approved → findable: %d approvals in %s (%.0f/s asked %d/s); findable p50 %s, p99 %s, max %s",
		len(ids), approvals.Round(time.Millisecond), float64(len(ids))/approvals.Seconds(), rate,
		r.P50.Round(time.Millisecond), r.P99.Round(time.Millisecond), maxOf(lat).Round(time.Millisecond))
	if batches, err := meiliBatches(cfg, start); err != nil {
		note += fmt.Sprintf("\n- Meilisearch's batches during the approvals: not read (%v)", err)
	} else {
		note += "\n" + batches
	}
	return r, note
}

// meiliBatches sums Meilisearch's own record of the batches it started
// since since (GET /batches): how many, the tasks and documents in them,
// its busy time, and the steps of its indexing that took longest (each
// batch's progressTrace), so the approved → findable figure says where
// Meilisearch spent the time.
func meiliBatches(cfg config.Config, since time.Time) (string, error) {
	req, _ := http.NewRequest("GET", cfg.MeiliURL+"/batches?limit=1000&afterStartedAt="+since.UTC().Format(time.RFC3339), nil)
	req.Header.Set("Authorization", "Bearer "+cfg.MeiliKey)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		return "", loadtest.StatusError{Status: res.StatusCode}
	}
	var out struct {
		Results []struct {
			Duration string `json:"duration"`
			Details  struct {
				ReceivedDocuments int `json:"receivedDocuments"`
			} `json:"details"`
			Stats struct {
				TotalNbTasks  int               `json:"totalNbTasks"`
				ProgressTrace map[string]string `json:"progressTrace"`
			} `json:"stats"`
		} `json:"results"`
	}
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		return "", err
	}
	var tasks, docs int
	var busy, longest time.Duration
	steps := map[string]time.Duration{}
	for _, b := range out.Results {
		tasks += b.Stats.TotalNbTasks
		docs += b.Details.ReceivedDocuments
		d := isoDuration(b.Duration)
		busy += d
		longest = max(longest, d)
		for step, took := range b.Stats.ProgressTrace {
			if t, err := time.ParseDuration(took); err == nil {
				steps[step] += t
			}
		}
	}
	// The innermost steps only: a step's parents repeat its time.
	var leaves []string
	for step := range steps {
		leaf := true
		for other := range steps {
			if other != step && strings.HasPrefix(other, step+" > ") {
				leaf = false
				break
			}
		}
		if leaf {
			leaves = append(leaves, step)
		}
	}
	slices.SortFunc(leaves, func(a, b string) int { return int(steps[b] - steps[a]) })
	var top []string
	for _, step := range leaves[:min(4, len(leaves))] {
		top = append(top, fmt.Sprintf("%s %s", step, steps[step].Round(10*time.Millisecond)))
	}
	return fmt.Sprintf("- Meilisearch's batches during the approvals: %d batches of %d tasks, %d documents; busy %s, longest batch %s; longest steps: %s",
		len(out.Results), tasks, docs, busy.Round(10*time.Millisecond), longest.Round(10*time.Millisecond), strings.Join(top, "; ")), nil
}

// isoDuration reads Meilisearch's ISO 8601 durations ("PT1M2.5S").
func isoDuration(s string) time.Duration {
	d, err := time.ParseDuration(strings.ToLower(strings.TrimPrefix(s, "PT")))
	if err != nil {
		return 0
	}
	return d
}

func maxOf(lat []time.Duration) time.Duration {
	if len(lat) == 0 {
		return 0
	}
	return lat[len(lat)-1]
}

// errorKind names a failure as loadtest.Result does.
func errorKind(err error) string {
	if se, ok := err.(loadtest.StatusError); ok {
		return strconv.Itoa(se.Status)
	}
	return "no answer"
}

// meiliHas returns which of ids Meilisearch holds: a fetch by primary
// key, which costs it far less than a search with a filter of many IDs, so
// the watching does not slow the indexing it watches.
func meiliHas(c *http.Client, cfg config.Config, ids []string) ([]string, error) {
	body, _ := json.Marshal(map[string]any{"ids": ids, "fields": []string{"id"}, "limit": len(ids)})
	req, _ := http.NewRequest("POST", cfg.MeiliURL+"/indexes/"+cfg.MeiliIndex+"/documents/fetch", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+cfg.MeiliKey)
	res, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	var out struct {
		Results []struct {
			ID string `json:"id"`
		} `json:"results"`
	}
	if res.StatusCode != 200 {
		return nil, loadtest.StatusError{Status: res.StatusCode}
	}
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		return nil, err
	}
	found := make([]string, len(out.Results))
	for i, h := range out.Results {
		found[i] = h.ID
	}
	return found, nil
}

// queueDrained waits until no index or alert job is left to run, a
// snoozed or retried one included (mail waits for good: the benchmark's
// servers have no mail server), and says how long that took.
func queueDrained(b *testing.B, ctx context.Context, db *sql.DB) string {
	start := time.Now()
	for {
		var left int
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM river_job
			WHERE state IN ('available', 'running', 'scheduled', 'retryable', 'pending') AND queue = ANY($1)`, []string{domain.QueueIndex, domain.QueueAlerts}).Scan(&left); err != nil {
			b.Fatal(err)
		}
		if left == 0 {
			return fmt.Sprintf("- the review day's alert jobs (and index passes) done %s after its openings were all findable",
				time.Since(start).Round(time.Second))
		}
		if time.Since(start) > 10*time.Minute {
			b.Fatalf("%d index and alert jobs still waiting after 10 minutes", left)
		}
		time.Sleep(time.Second)
	}
}

// serveRSS runs the built binary's `serve` (GRADZONE_BENCH_BIN, which make
// bench sets) on the benchmark's database and index, puts 16 clients of
// searches and progress reads on it for d, and reports its resident memory:
// the peak (VmHWM) and at the end (VmRSS).
func serveRSS(b *testing.B, ctx context.Context, cfg config.Config, paths []string, staff string, d time.Duration) (loadtest.Result, string) {
	bin := os.Getenv("GRADZONE_BENCH_BIN")
	if bin == "" {
		return loadtest.Result{}, "- serve RSS: not measured (GRADZONE_BENCH_BIN is unset; make bench sets it)"
	}
	empty := b.TempDir() + "/empty.yaml" // not the repository's config file
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		b.Fatal(err)
	}
	env := append(os.Environ(), "GRADZONE_DATABASE_URL="+cfg.DatabaseURL, "GRADZONE_JWT_SECRET="+cfg.JWTSecret,
		"GRADZONE_MEILI_URL="+cfg.MeiliURL, "GRADZONE_MEILI_KEY="+cfg.MeiliKey, "GRADZONE_MEILI_INDEX="+cfg.MeiliIndex,
		"GRADZONE_UPLOAD_DIR="+b.TempDir(), "GRADZONE_LOG_LEVEL=warn", "GRADZONE_CONFIG="+empty)
	r, err := loadtest.StartReplica(bin, []string{"serve"}, env)
	if err != nil {
		b.Fatal(err)
	}
	defer r.Stop()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	progress := []string{"/api/v1/progress?year=2026", "/api/v1/provinces/51/progress?year=2026", "/api/v1/zones/sichuan-chengdu/progress?year=2026"}
	res := loadtest.Run(ctx, "serve process: searches + progress", 16, d, 0, func(w, i int) error {
		if i%4 == 3 {
			return send(client, "GET", r.URL+progress[(w+i)%len(progress)], staff, nil, 200)
		}
		return send(client, "GET", r.URL+paths[(w*7919+i*104729)%len(paths)], "", nil, 200)
	})
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", r.PID()))
	if err != nil {
		b.Fatal(err)
	}
	return res, fmt.Sprintf("- serve process RSS under 16 clients: peak %s, at the end %s",
		procField(status, "VmHWM"), procField(status, "VmRSS"))
}

// procField returns a /proc/PID/status field in MB.
func procField(status []byte, name string) string {
	for line := range strings.SplitSeq(string(status), "\n") {
		if rest, ok := strings.CutPrefix(line, name+":"); ok {
			kb, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
			return fmt.Sprintf("%.0f MB", float64(kb)/1024)
		}
	}
	return "?"
}

// wipedToComplete deletes the whole index, as a lost Meilisearch volume
// would, and waits, with no one acting, until the self-heal (a periodic job
// of srv's queue, every 30 s as in serve) has rebuilt it with every
// searchable opening and its settings.
func wipedToComplete(b *testing.B, ctx context.Context, srv *server.Server) string {
	want, err := srv.Store.CountSearchable(ctx)
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	if err := srv.Index.Drop(ctx); err != nil {
		b.Fatal(err)
	}
	for time.Since(start) < 10*time.Minute {
		chk, err := srv.Index.Check(ctx)
		if err == nil && chk.Exists && chk.SettingsOK && chk.Documents >= want {
			return fmt.Sprintf("- index wiped → complete again (%d documents, settings applied), no one acting: %s",
				chk.Documents, time.Since(start).Round(time.Second))
		}
		time.Sleep(time.Second)
	}
	b.Errorf("index not complete ten minutes after the wipe")
	return "- index wiped → complete again: not within 10 minutes"
}
