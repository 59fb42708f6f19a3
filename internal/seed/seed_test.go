package seed_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/pinyin"
	"github.com/gradzone/gradzone/internal/seed"
	"github.com/gradzone/gradzone/internal/testutil"
)

// demoPassword is what GRADZONE_DEMO_PASSWORD would say.
const demoPassword = "seed-test-demo-pass"

type quiet struct{}

func (quiet) Step(string, int) {}
func (quiet) Add(int)          {}

// TestDemoReproducesPublishedFigures: after `seed --demo`, the progress API
// returns the programme's published 2024 figures, and a second run changes
// nothing.
func TestDemoReproducesPublishedFigures(t *testing.T) {
	a := testutil.NewApp(t)
	ctx := context.Background()
	s := &seed.Seeder{Store: a.Server.Store, Progress: quiet{}, Now: time.Now, Password: demoPassword}
	if err := s.Run(ctx); err != nil {
		t.Fatal(err)
	}
	var placements, openings int
	db := testutil.SQL(t, a.DBURL)
	db.QueryRow(`SELECT count(*) FROM placements`).Scan(&placements)
	db.QueryRow(`SELECT count(*) FROM openings`).Scan(&openings)
	if err := s.Run(ctx); err != nil {
		t.Fatal(err)
	}
	var placements2, openings2 int
	db.QueryRow(`SELECT count(*) FROM placements`).Scan(&placements2)
	db.QueryRow(`SELECT count(*) FROM openings`).Scan(&openings2)
	if placements != placements2 || openings != openings2 || openings < 200 {
		t.Fatalf("seed is not idempotent or too small: %d/%d placements, %d/%d openings", placements, placements2, openings, openings2)
	}
	// No demo title says a word twice where its topic and role meet
	// (大模型训练数据数据分析助理).
	doubled := testutil.Column[string](t, db, `SELECT title FROM openings WHERE title ~ '([一-龥]{2,})\1'`)
	if len(doubled) > 0 {
		t.Errorf("demo titles with a doubled word: %v", doubled)
	}
	// Every city of the demo's openings has its English name (an English
	// walk found 雅安 in Chinese on English pages).
	for _, city := range testutil.Column[string](t, db, `SELECT DISTINCT city FROM openings`) {
		if pinyin.PlaceName(city) == "" {
			t.Errorf("the demo's city %q has no English name in internal/pinyin", city)
		}
	}
	// Each demo employer's code is registered in the province it states,
	// so staff see no demo employer marked for checking.
	var elsewhere int
	db.QueryRow(`SELECT count(*) FROM employers WHERE substr(credit_code, 3, 2) <> province_code`).Scan(&elsewhere)
	if elsewhere != 0 {
		t.Errorf("%d demo employers' codes are registered outside their province", elsewhere)
	}
	// A demo seeded when every code was registered in Chengdu seeds again.
	if _, err := db.Exec(`UPDATE employers SET credit_code = '91510100' || substr(credit_code, 9)`); err != nil {
		t.Fatal(err)
	}
	codes := testutil.Column[string](t, db, `SELECT credit_code FROM employers`)
	for _, c := range codes { // the old codes' check characters
		if _, err := db.Exec(`UPDATE employers SET credit_code = $1 WHERE credit_code = $2`, domain.CompleteCreditCode(c[:17]), c); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Run(ctx); err != nil {
		t.Fatalf("seeding again a demo of the Chengdu codes: %v", err)
	}
	db.QueryRow(`SELECT count(*) FROM placements`).Scan(&placements2)
	if placements2 != placements {
		t.Fatalf("seeding a demo of the Chengdu codes again: %d placements, were %d", placements2, placements)
	}
	// The demo's hires of this year go through the store like a real one
	// (so none is dated before its application), and there are some.
	var thisYear, beforeApplying int
	db.QueryRow(`SELECT count(*), count(*) FILTER (WHERE p.hired_on < (a.created_at AT TIME ZONE 'Asia/Shanghai')::date)
		FROM placements p JOIN applications a ON a.id = p.application_id WHERE p.year = $1`, time.Now().In(time.FixedZone("CST", 8*3600)).Year()).Scan(&thisYear, &beforeApplying)
	if thisYear < 5 || beforeApplying != 0 {
		t.Errorf("the demo has %d hires this year, %d of them dated before their application", thisYear, beforeApplying)
	}

	// The demo's applications read as a timeline: each step is dated when
	// the seed took it (a hire on its day), not all at the moment of
	// seeding, which a walk saw on every application of the demo graduate.
	var hiresDatedElsewhere, graduateDays int
	db.QueryRow(`SELECT count(*) FROM placements p
		JOIN application_history h ON h.application_id = p.application_id AND h.to_status = 'hired'
		WHERE p.year = $1 AND (h.created_at AT TIME ZONE 'Asia/Shanghai')::date <> p.hired_on`, time.Now().In(time.FixedZone("CST", 8*3600)).Year()).Scan(&hiresDatedElsewhere)
	db.QueryRow(`SELECT count(DISTINCT (h.created_at AT TIME ZONE 'Asia/Shanghai')::date)
		FROM application_history h JOIN applications a ON a.id = h.application_id
		JOIN users u ON u.id = a.graduate_id WHERE u.email = $1`, seed.GraduateEmail).Scan(&graduateDays)
	if hiresDatedElsewhere != 0 || graduateDays < 3 {
		t.Errorf("%d hires recorded on another day than their hire; the demo graduate's steps fall on %d days, want 3 or more", hiresDatedElsewhere, graduateDays)
	}

	m := a.LoginWith(seed.MinistryEmail, demoPassword)
	get := func(path string) map[string]any {
		return a.Must(http.StatusOK, "GET", path, m.Token, nil).JSON()
	}
	check := func(what string, got, want any) {
		t.Helper()
		if got != want {
			t.Errorf("%s = %v, want %v", what, got, want)
		}
	}
	cd := get("/api/v1/zones/sichuan-chengdu/progress?year=2024")
	check("Chengdu 2024 placements", cd["placements"], 2272.0)
	check("Chengdu 2024 completion", cd["completion_rate"], 142.0)
	check("Chengdu 2024 year on year", cd["yoy_growth"], 17.0)
	check("Chengdu 2024 share of Sichuan", cd["province_share"], 40.5)
	sx := get("/api/v1/zones/zhejiang-shaoxing/progress?year=2024")
	check("Shaoxing 2024 positions", sx["positions_developed"], 1141.0)
	check("Shaoxing 2024 positions completion", sx["positions_completion_rate"], 190.2) // published as 190%
	for year, rate := range map[int]float64{2022: 205, 2023: 225, 2024: 167} {
		wf := get("/api/v1/zones/shandong-weifang/progress?year=" + itoa(year))
		check("Weifang "+itoa(year)+" completion", wf["completion_rate"], rate)
	}
	total := 0.0
	for y := 2020; y <= 2024; y++ {
		fs := get("/api/v1/zones/guangdong-foshan/progress?year=" + itoa(y))
		total += fs["positions_developed"].(float64)
		if fs["positions_developed"].(float64) <= fs["target_positions"].(float64) {
			t.Errorf("Foshan %d did not exceed its target: %v", y, fs)
		}
	}
	if total <= 4000 {
		t.Errorf("Foshan 2020–2024 positions %v, want over 4,000", total)
	}
	if drift, err := a.Server.Store.CounterDrift(ctx); err != nil || len(drift) > 0 {
		t.Fatalf("drift after seed: %v %v", drift, err)
	}
	// The demo site is live: published openings become searchable.
	a.WaitIndexed(60 * time.Second)
	if r := a.Search("q=keyanzhuli"); r["total"].(float64) < 10 || r["engine"] != "meilisearch" {
		t.Fatalf("demo search: %v %v", r["total"], r["engine"])
	}
	// The site's first page (no query: newest first) shows the demo's
	// range: a walk saw one employer's openings fill it, because the seed
	// approved each employer's openings one after the other.
	employers := map[string]bool{}
	for _, it := range a.Search("per_page=10")["items"].([]any) {
		employers[it.(map[string]any)["employer"].(map[string]any)["id"].(string)] = true
	}
	if len(employers) < 6 {
		t.Errorf("the first 10 openings of the front page come from %d employers, want 6 or more", len(employers))
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// A numbers probe: the demo's "this year" was the server's (UTC) year, so
// a demo seeded in the first eight hours of a year in Beijing (New Year's
// Eve in UTC) set its targets and dated its hires in the year that had
// ended, and the dashboards of the year just begun read nothing. The
// year is Asia/Shanghai's, as everywhere else.
func TestDemoYearIsShanghais(t *testing.T) {
	a := testutil.NewApp(t)
	newYear := time.Date(2025, 12, 31, 17, 0, 0, 0, time.UTC) // 2026-01-01 01:00 in Beijing
	s := &seed.Seeder{Store: a.Server.Store, Progress: quiet{}, Now: func() time.Time { return newYear }, Password: demoPassword}
	if err := s.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	db := testutil.SQL(t, a.DBURL)
	var quotas2025, quotas2026, hires2025, hires2026 int
	db.QueryRow(`SELECT count(*) FILTER (WHERE year = 2025), count(*) FILTER (WHERE year = 2026) FROM zone_quotas`).Scan(&quotas2025, &quotas2026)
	db.QueryRow(`SELECT count(*) FILTER (WHERE year = 2025), count(*) FILTER (WHERE year = 2026) FROM placements`).Scan(&hires2025, &hires2026)
	if quotas2025 != 0 || quotas2026 == 0 || hires2025 != 0 || hires2026 == 0 {
		t.Fatalf("seeded at Beijing's new year: targets %d for 2025, %d for 2026; hires %d in 2025, %d in 2026", quotas2025, quotas2026, hires2025, hires2026)
	}
}
