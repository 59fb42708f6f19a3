package loadtest_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gradzone/gradzone/internal/config"
	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/indexer"
	"github.com/gradzone/gradzone/internal/loadtest"
	"github.com/gradzone/gradzone/internal/postgres"
	"github.com/gradzone/gradzone/internal/server"
	"github.com/gradzone/gradzone/internal/testutil"
)

// TestRunMeasures checks the load generator itself.
func TestRunMeasures(t *testing.T) {
	r := loadtest.Run(context.Background(), "sleep", 4, time.Second, 200, func(int, int) error {
		time.Sleep(2 * time.Millisecond)
		return nil
	})
	if r.Requests != 200 || r.P50 < 2*time.Millisecond || r.P99 < r.P50 || r.RPS <= 0 {
		t.Fatalf("%+v", r)
	}
}

// BenchmarkLoad is `make bench`: it generates 100,000 openings, 200,000
// graduates, 1,000,000 applications and 100,000 placements, indexes the
// openings, and measures search (our API, raw Meilisearch, the Postgres
// fallback), applying, hiring and progress at 1 and 16 clients.
func BenchmarkLoad(b *testing.B) {
	ctx := context.Background()
	scale := 1
	if os.Getenv("GRADZONE_BENCH_SMALL") != "" {
		scale = 20 // a quick smoke run: 1/20 of the data
	}
	dur := 10 * time.Second
	if d, err := time.ParseDuration(os.Getenv("GRADZONE_BENCH_DURATION")); err == nil {
		dur = d
	}
	dbURL := testutil.NewDatabase(b)
	cfg := config.Default()
	cfg.DatabaseURL, cfg.MeiliURL, cfg.MeiliKey = dbURL, testutil.MeiliURL(b), os.Getenv("GRADZONE_MEILI_KEY")
	cfg.MeiliIndex = fmt.Sprintf("bench_%d", time.Now().UnixNano())
	cfg.JWTSecret = strings.Repeat("b", 16) + "ench-secret-0123456789abcdef"
	cfg.UploadDir = b.TempDir()
	srv, err := server.New(ctx, cfg, testutil.Quiet(), server.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	defer srv.Index.Drop(context.Background())
	api := httptest.NewServer(srv.Handler)
	defer api.Close()

	// The fallback: the same database behind a server whose Meilisearch is gone.
	fcfg := cfg
	fcfg.MeiliURL = "http://127.0.0.1:1"
	fsrv, err := server.New(ctx, fcfg, testutil.Quiet(), server.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer fsrv.Close()
	fallback := httptest.NewServer(fsrv.Handler)
	defer fallback.Close()

	report := func(format string, args ...any) { fmt.Printf(format+"\n", args...) }
	spec := postgres.LoadSpec{Employers: 2000 / scale, Openings: 100000 / scale, Graduates: 200000 / scale, AppsPerGrad: 5,
		Placements: 100000 / scale, PasswordHash: "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$c29tZWhhc2g"}
	report("## data: %d openings, %d graduates, %d applications, %d placements", spec.Openings, spec.Graduates, spec.Graduates*spec.AppsPerGrad, spec.Placements)
	if err := srv.Store.GenerateLoad(ctx, spec, func(name string, d time.Duration) { report("- %s: %s", name, d.Round(time.Millisecond)) }); err != nil {
		b.Fatal(err)
	}
	t0 := time.Now()
	n, err := indexer.Reindex(ctx, srv.Store, srv.Index, indexer.Progress{Total: func(int64) {}, Done: func(int) {}})
	if err != nil {
		b.Fatal(err)
	}
	report("- reindex of %d documents: %s", n, time.Since(t0).Round(time.Millisecond))
	b.ResetTimer()

	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	// Meilisearch is reached as our API reaches it: without keep-alive (see search.New).
	meiliClient := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	get := func(base, path, token string) error {
		req, _ := http.NewRequest("GET", base+path, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		res, err := client.Do(req)
		if err != nil {
			return err
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != 200 {
			return fmt.Errorf("status %d", res.StatusCode)
		}
		return nil
	}
	queries := []url.Values{
		{"q": {"科研助理"}}, {"q": {"人工智能"}}, {"q": {"keyanzhuli"}}, {"q": {"machine learning"}},
		{"q": {"2026"}, "province": {"51"}}, {"industry": {"ai"}, "degree": {"master"}}, {"q": {"Java"}, "sort": {"salary"}},
		{"sort": {"newest"}, "zone": {"sichuan-chengdu"}},
	}
	var results []loadtest.Result
	for _, c := range []int{1, 16} {
		results = append(results, loadtest.Run(ctx, "search: our API (Meilisearch)", c, dur, 0, func(w, i int) error {
			return get(api.URL, "/api/v1/openings?"+queries[(w+i)%len(queries)].Encode(), "")
		}))
		results = append(results, loadtest.Run(ctx, "search: raw Meilisearch", c, dur, 0, func(w, i int) error {
			return rawMeili(meiliClient, cfg, queries[(w+i)%len(queries)])
		}))
		results = append(results, loadtest.Run(ctx, "search: Postgres fallback", c, dur, 0, func(w, i int) error {
			return get(fallback.URL, "/api/v1/openings?"+queries[(w+i)%len(queries)].Encode(), "")
		}))
	}

	// Progress at every level, read by the ministry.
	ministry := token(b, srv, domain.RoleMinistryAdmin)
	for _, c := range []int{1, 16} {
		for _, p := range []struct{ name, path string }{{"progress: zone", "/api/v1/zones/sichuan-chengdu/progress?year=2026"},
			{"progress: province", "/api/v1/provinces/51/progress?year=2026"}, {"progress: national", "/api/v1/progress?year=2026"}} {
			results = append(results, loadtest.Run(ctx, p.name, c, dur, 0, func(int, int) error { return get(api.URL, p.path, ministry) }))
		}
	}

	// Applying: graduates without applications to published openings.
	var grads, openings []string
	db := testutil.SQL(b, dbURL)
	rows, _ := db.Query(`SELECT id FROM users WHERE email LIKE 'load-%' ORDER BY email DESC LIMIT 4000`)
	for rows.Next() {
		var id string
		rows.Scan(&id)
		grads = append(grads, id)
	}
	rows.Close()
	rows, _ = db.Query(`SELECT id FROM openings WHERE status = 'published' AND placements < headcount LIMIT 20000`)
	for rows.Next() {
		var id string
		rows.Scan(&id)
		openings = append(openings, id)
	}
	rows.Close()
	tokens := make([]string, len(grads))
	for i, g := range grads {
		tokens[i], _, _, _ = srv.Accounts.Tokens.Issue(g, "graduate")
	}
	rng := rand.New(rand.NewPCG(1, 1))
	perm := rng.Perm(len(openings))
	results = append(results, loadtest.Run(ctx, "apply", 16, dur, 0, func(w, i int) error {
		k := (w*100003 + i*7919) % len(tokens)
		o := openings[perm[(w*7+i*16+w)%len(perm)]]
		return post(client, api.URL+"/api/v1/openings/"+o+"/applications", tokens[k], `{"cover_letter":"压测"}`, 201)
	}))

	// Hiring: accepted applications of graduates not yet placed.
	var hires []struct{ id, emp string }
	rows, _ = db.Query(`SELECT a.id, o.employer_id FROM applications a JOIN openings o ON o.id = a.opening_id
		WHERE a.status = 'submitted' AND o.placements < o.headcount
		AND NOT EXISTS (SELECT 1 FROM placements p WHERE p.graduate_id = a.graduate_id)
		AND a.graduate_id IN (SELECT id FROM users WHERE email LIKE 'load-%') LIMIT 3000`)
	for rows.Next() {
		var h struct{ id, emp string }
		rows.Scan(&h.id, &h.emp)
		hires = append(hires, h)
	}
	rows.Close()
	ids := make([]string, len(hires))
	for i, h := range hires {
		ids[i] = h.id
	}
	db.Exec(`UPDATE applications SET status = 'accepted' WHERE id = ANY($1)`, ids)
	empTokens := map[string]string{}
	for _, h := range hires {
		if _, ok := empTokens[h.emp]; !ok {
			empTokens[h.emp] = employerToken(b, srv, db, h.emp)
		}
	}
	today := domain.DateOf(time.Now()).String()
	results = append(results, loadtest.Run(ctx, "hire (transition to hired)", 16, dur, len(hires), func(w, i int) error {
		h := hires[(i*16+w)%len(hires)]
		return post(client, api.URL+"/api/v1/applications/"+h.id+"/transitions", empTokens[h.emp], `{"to":"hired","hired_on":"`+today+`"}`, 200)
	}))

	b.StopTimer()
	report("\n%s", loadtest.Header)
	for _, r := range results {
		report("%s", r)
	}
	if drift, err := srv.Store.CounterDrift(ctx); err != nil || len(drift) > 0 {
		b.Fatalf("counters drift after the run: %v %v", drift, err)
	}
}

func post(c *http.Client, u, token, body string, want int) error {
	req, _ := http.NewRequest("POST", u, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	res, err := c.Do(req)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != want {
		return fmt.Errorf("status %d", res.StatusCode)
	}
	return nil
}

// rawMeili sends the query straight to Meilisearch, shaped like ours.
func rawMeili(c *http.Client, cfg config.Config, q url.Values) error {
	filter := []string{fmt.Sprintf("deadline_ts >= %d", domain.DateOf(time.Now()).Time().Unix())}
	for k, f := range map[string]string{"province": "province_code", "industry": "industry", "degree": "degree_min", "zone": "zone_code"} {
		if v := q.Get(k); v != "" {
			filter = append(filter, f+` = "`+v+`"`)
		}
	}
	body := map[string]any{"q": q.Get("q"), "filter": filter, "page": 1, "hitsPerPage": 20,
		"facets":                []string{"zone_code", "province_code", "industry", "degree_min", "employer_type"},
		"attributesToHighlight": []string{"title_spaced", "description_spaced"}}
	if q.Get("sort") == "salary" {
		body["sort"] = []string{"salary_max:desc"}
	}
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", cfg.MeiliURL+"/indexes/"+cfg.MeiliIndex+"/search", bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+cfg.MeiliKey)
	req.Header.Set("Content-Type", "application/json")
	res, err := c.Do(req)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != 200 {
		return fmt.Errorf("status %d", res.StatusCode)
	}
	return nil
}

func token(b *testing.B, srv *server.Server, role domain.Role) string {
	u, err := srv.Store.CreateStaff(context.Background(), domain.StaffAccount{Role: role, Email: fmt.Sprintf("bench-%s@bench.test", role), Name: "bench"}, "x")
	// (a ministry account needs neither zone nor province)
	if err != nil {
		b.Fatal(err)
	}
	t, _, _, _ := srv.Accounts.Tokens.Issue(u.ID, string(role))
	return t
}

// employerToken signs in a new user of employer emp.
func employerToken(b *testing.B, srv *server.Server, db *sql.DB, emp string) string {
	var id string
	if err := db.QueryRow(`INSERT INTO users (role, email, password_hash, name, employer_id)
		VALUES ('employer', 'bench-hr-' || $1 || '@bench.test', 'x', 'hr', $1::uuid) RETURNING id`, emp).Scan(&id); err != nil {
		b.Fatal(err)
	}
	t, _, _, err := srv.Accounts.Tokens.Issue(id, "employer")
	if err != nil {
		b.Fatal(err)
	}
	return t
}
