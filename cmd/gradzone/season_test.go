package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/testutil"
)

// seasonScale is how big the simulated sprint is: a small one in make test,
// the national one in make season (GRADZONE_SEASON=full).
type seasonScale struct {
	Days, Zones, GraduatesPerZone, AppliesPerDay int
}

func scaleFromEnv() seasonScale {
	if os.Getenv("GRADZONE_SEASON") == "full" {
		return seasonScale{Days: 100, Zones: 178, GraduatesPerZone: 4, AppliesPerDay: 120}
	}
	return seasonScale{Days: 10, Zones: 4, GraduatesPerZone: 5, AppliesPerDay: 12}
}

// sample is one request of the simulation, for the latency-over-time chart.
type sample struct {
	Day     int
	Kind    string
	Status  int
	Latency time.Duration
}

// cluster sends the simulation's requests to whichever replica is up, as a
// load balancer would, retrying a request that got no answer or 503 (the
// database restarting) on the next replica, with the same Idempotency-Key
// for applications. It records every answer.
type cluster struct {
	t    *testing.T
	a    *testutil.App
	mu   sync.Mutex
	reps []*replica
	next int
	day  int
	log  []sample
}

func (c *cluster) replicas() []*replica {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.next++
	out := make([]*replica, len(c.reps))
	for i := range c.reps {
		out[i] = c.reps[(c.next+i)%len(c.reps)]
	}
	return out
}

// call sends one request until some replica answers other than 503 (for
// up to two minutes) and returns the status and the decoded body.
func (c *cluster) call(kind, method, path, token string, body any, key string) (int, map[string]any) {
	var raw []byte
	if body != nil {
		raw, _ = json.Marshal(body)
	}
	deadline := time.Now().Add(2 * time.Minute)
	for {
		for _, r := range c.replicas() {
			var rd io.Reader
			if raw != nil {
				rd = bytes.NewReader(raw)
			}
			req, _ := http.NewRequest(method, r.URL+path, rd)
			if body != nil {
				req.Header.Set("Content-Type", "application/json")
			}
			if token != "" {
				req.Header.Set("Authorization", "Bearer "+token)
			}
			if key != "" {
				req.Header.Set("Idempotency-Key", key)
			}
			t0 := time.Now()
			res, err := c.a.Client.Do(req)
			if err != nil {
				continue // that replica is gone: the next one
			}
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			c.mu.Lock()
			c.log = append(c.log, sample{Day: c.day, Kind: kind, Status: res.StatusCode, Latency: time.Since(t0)})
			c.mu.Unlock()
			if res.StatusCode == http.StatusServiceUnavailable {
				continue
			}
			if res.StatusCode >= 500 {
				c.t.Errorf("%s %s answered %d: %s", method, path, res.StatusCode, b)
			}
			var m map[string]any
			_ = json.Unmarshal(b, &m)
			return res.StatusCode, m
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("%s %s: no replica answered for two minutes", method, path)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func (c *cluster) must(want int, kind, method, path, token string, body any, key string) map[string]any {
	c.t.Helper()
	st, m := c.call(kind, method, path, token, body, key)
	if st != want {
		c.t.Fatalf("%s %s: %d, want %d: %v", method, path, st, want, m)
	}
	return m
}

type seasonZone struct {
	code, province string
	staff, emp     testutil.Account
	openings       []string
}

// Issue 14 item 6: a compressed sprint over many zones — employers post,
// zone staff approve, graduates search and apply, employers hire, zones
// submit their monthly report — through three `serve` processes, while
// Meilisearch is killed, then wiped, Postgres is restarted and a replica is
// killed (and replaced). At the end every counter equals a recount from raw
// rows, every hire answered 2xx is one placement (none lost or doubled), the
// submitted reports did not change, and each status mail went once. make
// test runs 10 days over 4 zones; make season runs 100 days over all 178
// and writes docs/benchmarks/season.md with the latency over time.
func TestSeason(t *testing.T) {
	sc := scaleFromEnv()
	pg := testutil.StartPostgres(t)
	meili := testutil.StartMeili(t)
	a := testutil.NewApp(t, testutil.DatabaseURL(pg.URL()), testutil.MeiliAt(meili.URL(), meili.Key), testutil.SearchHealEvery(time.Second))
	// The app's own database is the private cluster's (the one the test
	// restarts), for the fixtures' direct queries too.
	a.DBURL = a.Server.Config.DatabaseURL
	c := &cluster{t: t, a: a, reps: []*replica{startReplica(t, a), startReplica(t, a), startReplica(t, a)}}
	mail := testutil.NewMailpit(t)
	rng := rand.New(rand.NewPCG(14, 6))
	ctx := context.Background()

	// The zones, each with its staff and a verified employer.
	rows, err := testutil.SQL(t, a.DBURL).Query(`SELECT code, province_code FROM zones ORDER BY code LIMIT $1`, sc.Zones)
	if err != nil {
		t.Fatal(err)
	}
	var zones []*seasonZone
	for rows.Next() {
		z := &seasonZone{}
		rows.Scan(&z.code, &z.province)
		zones = append(zones, z)
	}
	rows.Close()
	for _, z := range zones {
		z.staff = a.ZoneAdmin(z.code)
		z.emp = a.VerifiedEmployer(z.province, z.code)
	}
	// The graduates; some verified their address, so status mail reaches them.
	var grads []testutil.Account
	verified := map[string]bool{}
	for i := range sc.Zones * sc.GraduatesPerZone {
		g := a.Graduate()
		if i%3 == 0 {
			a.MarkVerified(g.ID)
			verified[g.Email] = true
		}
		grads = append(grads, g)
	}
	for e := range verified {
		mail.WaitFor(e, 1, time.Minute) // the verification mail
		mail.DeleteFor(e)
	}

	type hire struct{ app, grad string }
	type application struct {
		grad testutil.Account
		zone *seasonZone
	}
	var (
		applied   = map[string]application{} // every application answered 2xx
		order     []string                   // applied's keys, oldest first
		placed    = map[string]bool{}        // graduates hired (answered 2xx)
		hires     []hire
		mailsWant = map[string]int{} // verified address → status mails it must get
	)
	faults := map[int]func(){
		sc.Days * 2 / 10: func() { meili.Stop(); t.Log("fault: Meilisearch killed") },
		sc.Days*2/10 + 1: func() { meili.Start(); t.Log("Meilisearch back") },
		sc.Days * 4 / 10: func() { meili.Wipe(); t.Log("fault: Meilisearch wiped") },
		sc.Days * 6 / 10: func() { pg.Stop(); time.Sleep(2 * time.Second); pg.Start(); t.Log("fault: Postgres restarted") },
		sc.Days * 8 / 10: func() {
			c.mu.Lock()
			dead := c.reps[1]
			c.reps = append(c.reps[:1:1], c.reps[2:]...)
			c.mu.Unlock()
			dead.kill(t)
			c.mu.Lock()
			c.reps = append(c.reps, startReplica(t, a))
			c.mu.Unlock()
			t.Log("fault: replica killed and replaced")
		},
	}
	today := domain.DateOf(time.Now()).String()
	for day := 1; day <= sc.Days; day++ {
		c.day = day
		if f := faults[day]; f != nil {
			f()
		}
		// Every zone's employer posts an opening; its staff approve it.
		for _, z := range zones {
			o := c.must(http.StatusCreated, "post", "POST", "/api/v1/openings", z.emp.Token,
				testutil.OpeningBody(map[string]any{"title": fmt.Sprintf("科研助理（第%d天）", day), "headcount": 5}), "")
			id := o["id"].(string)
			c.must(http.StatusOK, "post", "POST", "/api/v1/openings/"+id+"/submit", z.emp.Token, nil, "")
			c.must(http.StatusOK, "approve", "POST", "/api/v1/openings/"+id+"/approve", z.staff.Token, nil, "")
			z.openings = append(z.openings, id)
		}
		// Graduates search and apply.
		for i := range sc.AppliesPerDay {
			g := grads[rng.IntN(len(grads))]
			c.call("search", "GET", "/api/v1/openings?q="+"科研助理", g.Token, nil, "")
			z := zones[rng.IntN(len(zones))]
			op := z.openings[rng.IntN(len(z.openings))]
			st, m := c.call("apply", "POST", "/api/v1/openings/"+op+"/applications", g.Token,
				map[string]string{"cover_letter": "赛季申请"}, fmt.Sprintf("season-%d-%d", day, i))
			if st == http.StatusCreated || st == http.StatusOK {
				id := m["id"].(string)
				if _, again := applied[id]; !again {
					order = append(order, id)
				}
				applied[id] = application{g, z}
			}
		}
		// Employers hire some of yesterday's applicants not yet placed.
		n := 0
		for _, app := range order {
			g, emp := applied[app].grad, applied[app].zone.emp.Token
			if placed[g.ID] || n >= sc.AppliesPerDay/4 {
				continue
			}
			steps := []struct {
				tok  string
				body map[string]string
			}{{emp, map[string]string{"to": "offered"}}, {g.Token, map[string]string{"to": "accepted"}},
				{emp, map[string]string{"to": "hired", "hired_on": today}}}
			ok := true
			for _, s := range steps {
				if st, _ := c.call("hire", "POST", "/api/v1/applications/"+app+"/transitions", s.tok, s.body, ""); st != http.StatusOK {
					ok = false
					break
				}
				if verified[g.Email] {
					mailsWant[g.Email]++
				}
			}
			if ok {
				placed[g.ID] = true
				hires = append(hires, hire{app, g.ID})
			}
			n++
		}
		// Half-way, every zone submits its monthly report (this month's):
		// later hires must not change it.
		if day == sc.Days/2 {
			y, m := domain.DateOf(time.Now()).Year, domain.DateOf(time.Now()).Month
			for _, z := range zones {
				c.must(http.StatusOK, "report", "POST", "/api/v1/reports/monthly/submit", z.staff.Token,
					map[string]any{"zone": z.code, "year": y, "month": m}, "")
			}
		}
	}

	// What was answered 2xx is all there, once.
	db := testutil.SQL(t, a.DBURL)
	for app := range applied {
		var one int
		if err := db.QueryRowContext(ctx, `SELECT 1 FROM applications WHERE id = $1`, app).Scan(&one); err != nil {
			t.Errorf("application %s answered 2xx is not in Postgres: %v", app, err)
		}
	}
	var placements int
	db.QueryRowContext(ctx, `SELECT count(*) FROM placements WHERE revoked_at IS NULL`).Scan(&placements)
	if placements != len(hires) {
		t.Errorf("%d placements in Postgres, %d hires answered 2xx", placements, len(hires))
	}
	if drift, err := a.Server.Store.CounterDrift(ctx); err != nil || len(drift) > 0 {
		t.Errorf("counters differ from a recount: %v %v", drift, err)
	}
	// Submitted reports kept the figures they were submitted with.
	y, m := domain.DateOf(time.Now()).Year, domain.DateOf(time.Now()).Month
	for _, z := range zones {
		r := c.must(http.StatusOK, "report", "GET", fmt.Sprintf("/api/v1/reports/monthly?zone=%s&year=%d&month=%d", z.code, y, m), z.staff.Token, nil, "")
		if r["status"] != "submitted" || r["version"] != 1.0 {
			t.Errorf("zone %s report after the season: %v %v", z.code, r["status"], r["version"])
		}
	}
	// Each status mail once: wait for the expected count (a job of the
	// killed replica is rescued after two minutes), then for stragglers.
	for e, want := range mailsWant {
		mail.WaitFor(e, want, 4*time.Minute)
	}
	time.Sleep(3 * time.Second)
	for e, want := range mailsWant {
		if got := len(mail.Messages(e)); got != want {
			t.Errorf("%s got %d status mails, want %d", e, got, want)
		}
	}
	// Search came back to Meilisearch, complete, by itself.
	deadline := time.Now().Add(2 * time.Minute)
	for {
		st, r := c.call("search", "GET", "/api/v1/openings?per_page=1", "", nil, "")
		var want int
		db.QueryRowContext(ctx, `SELECT count(*) FROM openings WHERE status = 'published'`).Scan(&want)
		if st == http.StatusOK && r["engine"] == "meilisearch" && r["total"] == float64(want) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("search after the season: %d %v %v (want %d)", st, r["engine"], r["total"], want)
		}
		time.Sleep(time.Second)
	}
	t.Logf("season: %d days, %d zones, %d requests, %d applications, %d hires, %d status mails checked",
		sc.Days, len(zones), len(c.log), len(applied), len(hires), len(mailsWant))
	if out := os.Getenv("GRADZONE_SEASON_OUT"); out != "" {
		writeSeasonReport(t, out, sc, c.log, len(applied), len(hires))
	}
}

// writeSeasonReport writes the summary table and the latency per simulated
// day (p50 and p99 of every request kind) as a markdown file with an SVG
// chart beside it.
func writeSeasonReport(t *testing.T, dir string, sc seasonScale, log []sample, applications, hires int) {
	byDay := map[int][]time.Duration{}
	status := map[int]int{}
	for _, s := range log {
		byDay[s.Day] = append(byDay[s.Day], s.Latency)
		status[s.Status]++
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# Season simulation\n\n`make season` (GRADZONE_SEASON=full): %d days, %d zones, three `serve` processes; faults on days %d (Meilisearch killed), %d (wiped), %d (Postgres restarted), %d (replica killed).\n\n",
		sc.Days, sc.Zones, sc.Days*2/10, sc.Days*4/10, sc.Days*6/10, sc.Days*8/10)
	fmt.Fprintf(&b, "| figure | value |\n|---|---|\n| requests | %d |\n| applications answered 2xx | %d |\n| hires (placements) | %d |\n", len(log), applications, hires)
	codes := make([]int, 0, len(status))
	for k := range status {
		codes = append(codes, k)
	}
	sort.Ints(codes)
	for _, k := range codes {
		fmt.Fprintf(&b, "| answered %d | %d |\n", k, status[k])
	}
	b.WriteString("\nEvery counter equalled a recount, no placement was lost or doubled, no submitted report changed and each status mail went once (the test's assertions).\n\n![latency per day](season.svg)\n\n| day | requests | p50 ms | p99 ms |\n|---|---|---|---|\n")
	var p50s, p99s []float64
	for d := 1; d <= sc.Days; d++ {
		l := byDay[d]
		sort.Slice(l, func(i, j int) bool { return l[i] < l[j] })
		var p50, p99 float64
		if len(l) > 0 {
			p50, p99 = ms(l[len(l)/2]), ms(l[min(len(l)-1, len(l)*99/100)])
		}
		p50s, p99s = append(p50s, p50), append(p99s, p99)
		fmt.Fprintf(&b, "| %d | %d | %.1f | %.1f |\n", d, len(l), p50, p99)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "season.md"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "season.svg"), []byte(latencySVG(p50s, p99s)), 0o644); err != nil {
		t.Fatal(err)
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// latencySVG draws p50 and p99 per day as two lines.
func latencySVG(p50, p99 []float64) string {
	const w, h, pad = 800.0, 300.0, 40.0
	top := 1.0
	for _, v := range p99 {
		top = max(top, v)
	}
	line := func(vs []float64) string {
		var pts []string
		for i, v := range vs {
			x := pad + (w-2*pad)*float64(i)/float64(max(1, len(vs)-1))
			y := h - pad - (h-2*pad)*v/top
			pts = append(pts, strconv.FormatFloat(x, 'f', 1, 64)+","+strconv.FormatFloat(y, 'f', 1, 64))
		}
		return strings.Join(pts, " ")
	}
	return fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" font-family="sans-serif" font-size="12">
<rect width="100%%" height="100%%" fill="white"/>
<line x1="%.0f" y1="%.0f" x2="%.0f" y2="%.0f" stroke="#555"/><line x1="%.0f" y1="%.0f" x2="%.0f" y2="%.0f" stroke="#555"/>
<text x="%.0f" y="%.0f">%.0f ms</text><text x="%.0f" y="%.0f">day →</text>
<polyline fill="none" stroke="#1565c0" stroke-width="2" points="%s"/><polyline fill="none" stroke="#c62828" stroke-width="2" points="%s"/>
<text x="%.0f" y="20" fill="#1565c0">p50</text><text x="%.0f" y="20" fill="#c62828">p99</text>
</svg>
`, w, h, pad, h-pad, w-pad, h-pad, pad, pad, pad, h-pad, 4.0, pad-8, top, w-pad-30, h-pad+20, line(p50), line(p99), w-120, w-80)
}
