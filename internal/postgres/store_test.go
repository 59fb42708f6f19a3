// The store's tests that need a migrated database of their own: the schema
// and its reference data, the review queues' SQL against the domain's rule,
// the alert digest sweep, the progress cache and the fallback search's slots.

package postgres_test

import (
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/postgres"
	"github.com/gradzone/gradzone/internal/testutil"
	"github.com/gradzone/gradzone/migrations"
)

// TestReferenceData checks the migration loaded exactly the zones of the
// project's copy of zones.csv, and the 32 provincial units.
func TestReferenceData(t *testing.T) {
	_, db := testutil.NewStoreSQL(t)
	f, _ := migrations.FS.Open("zones.csv")
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	rows = rows[1:]
	if len(rows) != 178 {
		t.Fatalf("zones.csv has %d rows", len(rows))
	}
	for _, r := range rows {
		var name, prov, city string
		if err := db.QueryRow(`SELECT name_zh, province_code, city_zh FROM zones WHERE code = $1`, r[0]).Scan(&name, &prov, &city); err != nil {
			t.Fatalf("zone %s: %v", r[0], err)
		}
		if name != r[1] || prov != r[4] || city != r[5] {
			t.Errorf("zone %s: %s %s %s", r[0], name, prov, city)
		}
	}
	var zones, provinces int
	db.QueryRow(`SELECT count(*) FROM zones`).Scan(&zones)
	db.QueryRow(`SELECT count(*) FROM provinces`).Scan(&provinces)
	if zones != 178 || provinces != 32 {
		t.Fatalf("%d zones, %d provinces", zones, provinces)
	}
}

// TestConstraints inserts rows that break each rule straight into the
// database: the schema must refuse every one.
func TestConstraints(t *testing.T) {
	_, db := testutil.NewStoreSQL(t)
	ctx := context.Background()
	mustExec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("setup %q: %v", q, err)
		}
	}
	// A valid world: an employer in Chengdu, its user, a graduate, a published opening, an application.
	mustExec(`INSERT INTO employers (id, name, credit_code, type, size, industry, province_code, zone_code)
		VALUES ('00000000-0000-4000-8000-000000000001', '甲公司', '91440300708461136T', 'enterprise', 'small', 'ai', '51', 'sichuan-chengdu')`)
	mustExec(`INSERT INTO users (id, role, email, password_hash, name) VALUES ('00000000-0000-4000-8000-0000000000a1', 'graduate', 'g@x.cn', 'h', 'g')`)
	mustExec(`INSERT INTO users (id, role, email, password_hash, name) VALUES ('00000000-0000-4000-8000-0000000000a2', 'graduate', 'g2@x.cn', 'h', 'g2')`)
	mustExec(`INSERT INTO graduates (user_id, university, degree, major, graduation_year) VALUES ('00000000-0000-4000-8000-0000000000a1', 'U', 'master', 'M', 2026)`)
	mustExec(`INSERT INTO graduates (user_id, university, degree, major, graduation_year) VALUES ('00000000-0000-4000-8000-0000000000a2', 'U', 'master', 'M', 2026)`)
	mustExec(`INSERT INTO openings (id, employer_id, title, description, discipline, industry, degree_min, headcount, city, salary_min, salary_max, deadline, status, published_at)
		VALUES ('00000000-0000-4000-8000-0000000000b1', '00000000-0000-4000-8000-000000000001', '科研助理', 'd', 'engineering', 'ai', 'master', 1, '成都', 5000, 8000, '2030-01-01', 'published', now())`)
	mustExec(`INSERT INTO applications (id, opening_id, graduate_id) VALUES ('00000000-0000-4000-8000-0000000000c1', '00000000-0000-4000-8000-0000000000b1', '00000000-0000-4000-8000-0000000000a1')`)
	mustExec(`INSERT INTO applications (id, opening_id, graduate_id) VALUES ('00000000-0000-4000-8000-0000000000c2', '00000000-0000-4000-8000-0000000000b1', '00000000-0000-4000-8000-0000000000a2')`)
	mustExec(`INSERT INTO placements (application_id, opening_id, employer_id, graduate_id, zone_code, province_code, hired_on, year, month)
		VALUES ('00000000-0000-4000-8000-0000000000c1', '00000000-0000-4000-8000-0000000000b1', '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-0000000000a1', 'sichuan-chengdu', '51', '2026-08-31', 2026, 8)`)

	violations := map[string]string{
		"unknown role":               `INSERT INTO users (role, email, password_hash, name) VALUES ('admin', 'a@x.cn', 'h', 'n')`,
		"upper-case email":           `INSERT INTO users (role, email, password_hash, name) VALUES ('graduate', 'A@x.cn', 'h', 'n')`,
		"duplicate email":            `INSERT INTO users (role, email, password_hash, name) VALUES ('graduate', 'g@x.cn', 'h', 'n')`,
		"zone admin without zone":    `INSERT INTO users (role, email, password_hash, name) VALUES ('zone_admin', 'z@x.cn', 'h', 'n')`,
		"employer user without org":  `INSERT INTO users (role, email, password_hash, name) VALUES ('employer', 'e@x.cn', 'h', 'n')`,
		"graduate with a zone":       `INSERT INTO users (role, email, password_hash, name, zone_code) VALUES ('graduate', 'gz@x.cn', 'h', 'n', 'sichuan-chengdu')`,
		"unknown zone":               `INSERT INTO employers (name, credit_code, type, size, industry, province_code, zone_code) VALUES ('乙', '914403001922038216', 'enterprise', 'small', 'ai', '51', 'nowhere')`,
		"bad credit code charset":    `INSERT INTO employers (name, credit_code, type, size, industry, province_code) VALUES ('乙', '91440300192203821I', 'enterprise', 'small', 'ai', '51')`,
		"duplicate credit code":      `INSERT INTO employers (name, credit_code, type, size, industry, province_code) VALUES ('乙', '91440300708461136T', 'enterprise', 'small', 'ai', '51')`,
		"unknown employer type":      `INSERT INTO employers (name, credit_code, type, size, industry, province_code) VALUES ('乙', '914403001922038216', 'ngo', 'small', 'ai', '51')`,
		"verified without timestamp": `INSERT INTO employers (name, credit_code, type, size, industry, province_code, status) VALUES ('乙', '914403001922038216', 'enterprise', 'small', 'ai', '51', 'verified')`,
		"headcount zero":             `UPDATE openings SET headcount = 0`,
		"headcount over 1000":        `UPDATE openings SET headcount = 1001`,
		"salary min above max":       `UPDATE openings SET salary_min = 9000`,
		"unknown opening status":     `UPDATE openings SET status = 'live'`,
		"placements over headcount":  `UPDATE openings SET placements = 2`,
		"unknown degree":             `UPDATE openings SET degree_min = 'phd'`,
		"second application":         `INSERT INTO applications (opening_id, graduate_id) VALUES ('00000000-0000-4000-8000-0000000000b1', '00000000-0000-4000-8000-0000000000a1')`,
		"unknown application status": `UPDATE applications SET status = 'ghosted'`,
		"second placement for application": `INSERT INTO placements (application_id, opening_id, employer_id, graduate_id, province_code, hired_on, year, month)
			VALUES ('00000000-0000-4000-8000-0000000000c1', '00000000-0000-4000-8000-0000000000b1', '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-0000000000a2', '51', '2026-08-01', 2026, 8)`,
		"second active placement in a year": `INSERT INTO placements (application_id, opening_id, employer_id, graduate_id, province_code, hired_on, year, month)
			VALUES ('00000000-0000-4000-8000-0000000000c2', '00000000-0000-4000-8000-0000000000b1', '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-0000000000a1', '51', '2026-03-01', 2026, 3)`,
		"month not matching hired_on": `UPDATE placements SET month = 9`,
		"revoked without timestamp":   `UPDATE placements SET status = 'revoked'`,
		"negative quota":              `INSERT INTO zone_quotas (zone_code, year, target_positions, target_placements) VALUES ('sichuan-chengdu', 2026, -1, 10)`,
		"event ending before start":   `INSERT INTO events (kind, title, zone_code, starts_at, ends_at, tracking_code, created_by) VALUES ('livestream', '直播', 'sichuan-chengdu', now(), now() - interval '1 hour', 'x', '00000000-0000-4000-8000-0000000000a1')`,
		"unknown event kind":          `INSERT INTO events (kind, title, zone_code, starts_at, ends_at, tracking_code, created_by) VALUES ('party', '聚会', 'sichuan-chengdu', now(), now() + interval '1 hour', 'y', '00000000-0000-4000-8000-0000000000a1')`,
		"unknown province":            `INSERT INTO zones (code, name_zh, name_en, province_code, city_zh) VALUES ('xx-yy', '某区', 'X', '99', '某市')`,
		"negative counter":            `INSERT INTO progress_counters (province_code, zone_code, year, month, placements) VALUES ('51', 'sichuan-chengdu', 2026, 1, -1)`,
	}
	for name, q := range violations {
		t.Run(name, func(t *testing.T) {
			if _, err := db.ExecContext(ctx, q); err == nil {
				t.Fatalf("accepted: %s", strings.TrimSpace(q))
			}
		})
	}
	// After a revoke, the graduate may be placed again that year.
	mustExec(`UPDATE placements SET status = 'revoked', revoked_at = now()`)
	mustExec(`INSERT INTO placements (application_id, opening_id, employer_id, graduate_id, province_code, hired_on, year, month)
		VALUES ('00000000-0000-4000-8000-0000000000c2', '00000000-0000-4000-8000-0000000000b1', '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-0000000000a1', '51', '2026-03-01', 2026, 3)`)
}

// TestMigrationsRoundTrip rolls every migration back and applies them again.
func TestMigrationsRoundTrip(t *testing.T) {
	st, url := testutil.NewStore(t)
	ctx := context.Background()
	if err := st.CheckMigrated(ctx); err != nil {
		t.Fatal(err)
	}
	for {
		v, err := st.MigrateDown(ctx)
		if err != nil {
			break // nothing left to roll back
		}
		if v == 1 {
			break
		}
	}
	var tables int
	testutil.SQL(t, url).QueryRow(`SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'goose_db_version'`).Scan(&tables)
	if tables != 0 {
		t.Fatalf("%d tables left after rolling back", tables)
	}
	if err := st.CheckMigrated(ctx); err == nil {
		t.Fatal("pending migrations not detected")
	}
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := st.CheckMigrated(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestMigrationBackfills plants rows as the binary before migrations 37–54
// wrote them, then migrates: each backfill marks what it is for, and only
// that (the round trip above runs them on empty tables only).
func TestMigrationBackfills(t *testing.T) {
	st, url := testutil.NewStore(t)
	ctx := context.Background()
	for v := int64(0); v != 37; {
		var err error
		if v, err = st.MigrateDown(ctx); err != nil {
			t.Fatal(err)
		}
	}
	db := testutil.SQL(t, url)
	plant := func(q string, args ...any) {
		t.Helper()
		if _, err := db.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("plant %q: %v", q, err)
		}
	}
	const employer, graduate = "00000000-0000-4000-8000-000000000001", "00000000-0000-4000-8000-0000000000a1"
	plant(`INSERT INTO employers (id, name, credit_code, type, size, industry, province_code, zone_code)
		VALUES ($1, '甲公司', $2, 'enterprise', 'small', 'ai', '51', 'sichuan-chengdu')`, employer, testutil.RandomCreditCode())
	plant(`INSERT INTO users (id, role, email, password_hash, name) VALUES ($1, 'graduate', 'g@x.cn', 'h', 'g')`, graduate)
	plant(`INSERT INTO graduates (user_id, university, degree, major, graduation_year) VALUES ($1, 'U', 'master', 'M', 2026)`, graduate)
	// Addresses stored before the ASCII rule: 00046 folds the full-width
	// ones no other account holds; a collision and another script stay.
	for email, name := range map[string]string{"ｌｉ＠ｑｑ．ｃｏｍ": "folds", "wang@ｅｘａｍｐｌｅ。cn": "folds too", "g＠x．cn": "collides",
		"li@exаmple.cn": "another script"} {
		plant(`INSERT INTO users (role, email, password_hash, name) VALUES ('graduate', $1, 'h', $2)`, email, name)
	}
	// Each opening is named by what its history says; created and submitted
	// an hour ago, in one transaction as an import was.
	openings := []struct{ name, status, auditKind, auditStatus, auditAt string }{
		{"imported", "published", "opening.imported", "", "-1 hour"},
		{"imported as an approval", "published", "opening.approved", "", "-1 hour"},
		{"approved by a reviewer", "published", "opening.approved", "", "-30 minutes"},
		{"closed while published", "closed", "opening.closed", "published", "-10 minutes"},
		{"closed under review", "closed", "opening.closed", "pending_review", "-10 minutes"},
	}
	ids := map[string]string{}
	for i, o := range openings {
		id := fmt.Sprintf("00000000-0000-4000-8000-0000000000b%d", i)
		ids[o.name] = id
		plant(`INSERT INTO openings (id, employer_id, title, description, discipline, industry, degree_min, headcount, city,
			salary_min, salary_max, deadline, status, created_at, submitted_at, published_at)
			VALUES ($1, $2, $3, 'd', 'engineering', 'ai', 'master', 1, '城', 5000, 8000, '2030-01-01', $4,
			'2026-11-30 10:00+08', '2026-11-30 10:00+08', '2026-11-30 11:00+08')`, id, employer, o.name, o.status)
		plant(`INSERT INTO audit_log (kind, entity_type, entity_id, before, created_at)
			VALUES ($1, 'opening', $2, $3, '2026-11-30 11:00+08'::timestamptz + $4::interval)`,
			o.auditKind, id, fmt.Sprintf(`{"status": %q}`, o.auditStatus), o.auditAt)
	}
	// An interview picked by the graduate was mailed to the employer as an
	// entry of its own calendar; one only offered was not.
	for i, picked := range []bool{true, false} {
		app := fmt.Sprintf("00000000-0000-4000-8000-0000000000c%d", i)
		plant(`INSERT INTO applications (id, opening_id, graduate_id, status, updated_at, interview_starts_at, interview_ends_at)
			VALUES ($1, $2, $3, 'interview', '2026-12-01 09:00+08', CASE WHEN $4 THEN '2026-12-10 10:00+08'::timestamptz END,
			CASE WHEN $4 THEN '2026-12-10 11:00+08'::timestamptz END)`,
			app, ids[openings[i].name], graduate, picked)
		plant(`INSERT INTO interview_slots (application_id, opening_id, starts_at, ends_at, picked_at)
			VALUES ($1, $2, '2026-12-10 10:00+08', '2026-12-10 11:00+08', CASE WHEN $3 THEN now() END)`,
			app, ids[openings[i].name], picked)
	}

	plant(`INSERT INTO placements (application_id, opening_id, employer_id, graduate_id, zone_code, province_code, hired_on, year, month)
		VALUES ('00000000-0000-4000-8000-0000000000c0', $1, $2, $3, 'sichuan-chengdu', '51', '2026-11-30', 2026, 11)`,
		ids[openings[0].name], employer, graduate)
	// An import's notes before 00054 counted its problems: one problem,
	// the example row and a hidden row, which are told, not refused.
	notes, _ := json.Marshal([]domain.ImportError{{Row: 2, Reason: domain.ReasonExampleRow}, {Row: 3, Column: "单位名称", Reason: "is required"},
		{Row: 4, Reason: domain.ReasonHiddenRow}})
	plant(`INSERT INTO import_jobs (kind, zone_code, created_by, status, total, done, errors)
		VALUES ('employers', 'sichuan-chengdu', $1, 'done', 3, 3, $2)`, graduate, string(notes))
	// Counted when the graduate's degree read bachelor, corrected since.
	plant(`INSERT INTO placement_breakdowns (province_code, zone_code, year, month, dimension, value, placements)
		VALUES ('51', 'sichuan-chengdu', 2026, 11, 'degree', 'bachelor', 1)`)
	plant(`INSERT INTO placement_breakdowns_year (province_code, year, dimension, value, placements)
		VALUES ('51', 2026, 'degree', 'bachelor', 1)`)

	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	drift, err := st.CounterDrift(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range drift {
		if strings.Contains(d, "breakdown") {
			t.Errorf("the breakdowns disagree with the placements' values after 00042: %s", d)
		}
	}
	var dimensions string
	if err := db.QueryRowContext(ctx, `SELECT dimensions::text FROM placements`).Scan(&dimensions); err != nil ||
		dimensions != `{"degree": "master", "industry": "ai", "discipline": "engineering", "employer_size": "small", "employer_type": "enterprise"}` {
		t.Errorf("a placement's dimensions: %s %v", dimensions, err)
	}
	for _, o := range openings {
		var imported, closedPublished bool
		if err := db.QueryRowContext(ctx, `SELECT imported_at IS NOT NULL, closed_published FROM openings WHERE id = $1`,
			ids[o.name]).Scan(&imported, &closedPublished); err != nil {
			t.Fatal(err)
		}
		if want := strings.HasPrefix(o.name, "imported"); imported != want {
			t.Errorf("%s: imported %v, want %v", o.name, imported, want)
		}
		if want := o.name == "closed while published"; closedPublished != want {
			t.Errorf("%s: closed_published %v, want %v", o.name, closedPublished, want)
		}
	}
	entries := testutil.Column[bool](t, db, `SELECT interview_employer_entry FROM applications ORDER BY id`)
	if !slices.Equal(entries, []bool{true, false}) {
		t.Errorf("interview_employer_entry = %v, want [true false] (picked, offered)", entries)
	}
	emails := testutil.Column[string](t, db, `SELECT name || ' ' || email FROM users WHERE name <> 'g' ORDER BY name`)
	if want := []string{"another script li@exаmple.cn", "collides g＠x．cn", "folds li@qq.com", "folds too wang@example.cn"}; !slices.Equal(emails, want) {
		t.Errorf("addresses after 00046: %q, want %q", emails, want)
	}
	if problems := testutil.Column[int](t, db, `SELECT problems FROM import_jobs`); !slices.Equal(problems, []int{1}) {
		t.Errorf("an import's problems after 00054: %v, want [1] (the example and hidden rows are notes)", problems)
	}
	setAt := testutil.Column[string](t, db, `SELECT coalesce(to_char(interview_set_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI'), '')
		FROM applications ORDER BY id`)
	if !slices.Equal(setAt, []string{"2026-12-01 09:00", ""}) {
		t.Errorf("interview_set_at = %q, want the arranged one's last change, and none", setAt)
	}
}

// employersInPlaces adds an employer with an opening under review in each
// of five places: zones and no zone of two provinces. It returns them as the
// ministry lists them.
func employersInPlaces(t *testing.T, store *postgres.Store, db *sql.DB) ([]domain.Employer, []domain.Opening) {
	t.Helper()
	ctx := context.Background()
	places := []struct{ province, zone string }{
		{"51", "sichuan-chengdu"}, {"51", "sichuan-mianyang"}, {"51", ""}, {"11", "beijing-zhongguancun"}, {"11", ""},
	}
	for i, p := range places {
		emp := fmt.Sprintf("00000000-0000-4000-8000-%012d", i+1)
		var zone any
		if p.zone != "" {
			zone = p.zone
		}
		if _, err := db.ExecContext(ctx, `INSERT INTO employers (id, name, credit_code, type, size, industry, province_code, zone_code)
			VALUES ($1, $2, $3, 'enterprise', 'small', 'ai', $4, $5)`, emp, fmt.Sprintf("单位%d", i), testutil.RandomCreditCode(), p.province, zone); err != nil {
			t.Fatal(err)
		}
		// Someone acts for it: a registration without a live account waits
		// for nobody, and is in no queue.
		if _, err := db.ExecContext(ctx, `INSERT INTO users (role, email, password_hash, name, employer_id)
			VALUES ('employer', $1, '!', 'hr', $2)`, fmt.Sprintf("hr%d@places.test", i), emp); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, `INSERT INTO openings (employer_id, title, description, discipline, industry, degree_min,
			headcount, city, salary_min, salary_max, deadline, status, submitted_at)
			VALUES ($1, '科研助理', 'd', 'engineering', 'ai', 'master', 1, '城', 5000, 8000, '2030-01-01', 'pending_review', now())`, emp); err != nil {
			t.Fatal(err)
		}
	}
	everyone := domain.Caller{Role: domain.RoleMinistryAdmin}
	employers, _, err := store.EmployersInScope(ctx, everyone, domain.EmployerFilter{}, domain.Page{Page: 1, PerPage: 100})
	if err != nil || len(employers) != len(places) {
		t.Fatalf("%d employers, %v", len(employers), err)
	}
	openings, _, err := store.ManagedOpenings(ctx, everyone, "", domain.Page{Page: 1, PerPage: 100})
	if err != nil || len(openings) != len(places) {
		t.Fatalf("%d openings, %v", len(openings), err)
	}
	return employers, openings
}

// TestScopeWhereMatchesSees proves the store's scope condition is the
// domain's scope rule: for every kind of caller, the openings a scoped list
// returns are exactly those domain.Caller.Sees accepts.
func TestScopeWhereMatchesSees(t *testing.T) {
	store, db := testutil.NewStoreSQL(t)
	employers, openings := employersInPlaces(t, store, db)
	for _, c := range []domain.Caller{
		{UserID: "z1", Role: domain.RoleZoneAdmin, ZoneCode: "sichuan-chengdu", ProvinceCode: "51"},
		{UserID: "z2", Role: domain.RoleZoneAdmin, ZoneCode: "beijing-zhongguancun", ProvinceCode: "11"},
		{UserID: "z3", Role: domain.RoleZoneAdmin, ProvinceCode: "51"}, // no zone: sees nothing
		{UserID: "p1", Role: domain.RoleProvinceAdmin, ProvinceCode: "51"},
		{UserID: "p3", Role: domain.RoleProvinceAdmin, ProvinceCode: "44"},
		{UserID: "m", Role: domain.RoleMinistryAdmin},
		{UserID: "e", Role: domain.RoleEmployer, EmployerID: employers[0].ID},
		{UserID: "e2", Role: domain.RoleEmployer, EmployerID: employers[3].ID},
	} {
		want := ids(kept(openings, func(o domain.Opening) bool { return c.Sees(o.Scope()) }), openingID)
		listed, _, err := store.ManagedOpenings(context.Background(), c, "", domain.Page{Page: 1, PerPage: 100})
		if err != nil {
			t.Fatal(err)
		}
		if got := ids(listed, openingID); !slices.Equal(want, got) {
			t.Errorf("%s %s%s%s: listed %v, Sees %v", c.Role, c.ZoneCode, c.ProvinceCode, c.EmployerID, got, want)
		}
	}
}

func openingID(o domain.Opening) string   { return o.ID }
func employerID(e domain.Employer) string { return e.ID }

// ids returns the sorted IDs of items.
func ids[T any](items []T, id func(T) string) []string {
	out := make([]string, len(items))
	for i, x := range items {
		out[i] = id(x)
	}
	slices.Sort(out)
	return out
}

// kept returns the items keep accepts.
func kept[T any](items []T, keep func(T) bool) []T {
	return slices.DeleteFunc(slices.Clone(items), func(x T) bool { return !keep(x) })
}

// TestReviewQueuesMatchCanReview proves the SQL of the review queues is the
// domain's review rule: for every kind of caller, the employers and openings
// the queues return are exactly those domain.Caller.CanReview accepts, over
// employers in zones and outside any zone of two provinces.
func TestReviewQueuesMatchCanReview(t *testing.T) {
	store, db := testutil.NewStoreSQL(t)
	ctx := context.Background()
	allEmployers, allOpenings := employersInPlaces(t, store, db)
	callers := []domain.Caller{
		{UserID: "z1", Role: domain.RoleZoneAdmin, ZoneCode: "sichuan-chengdu", ProvinceCode: "51"},
		{UserID: "z2", Role: domain.RoleZoneAdmin, ZoneCode: "beijing-zhongguancun", ProvinceCode: "11"},
		{UserID: "p1", Role: domain.RoleProvinceAdmin, ProvinceCode: "51"},
		{UserID: "p2", Role: domain.RoleProvinceAdmin, ProvinceCode: "11"},
		{UserID: "p3", Role: domain.RoleProvinceAdmin, ProvinceCode: "44"},
		{UserID: "m", Role: domain.RoleMinistryAdmin},
		{UserID: "g", Role: domain.RoleGraduate},
		{UserID: "e", Role: domain.RoleEmployer, EmployerID: allEmployers[0].ID},
	}
	reviewed, verified := 0, 0
	for _, c := range callers {
		wantE := ids(kept(allEmployers, func(e domain.Employer) bool { return c.CanReview(domain.VerifyEmployer, e.Scope()) }), employerID)
		wantO := ids(kept(allOpenings, func(o domain.Opening) bool { return c.CanReview(domain.ReviewOpening, o.Scope()) }), openingID)
		es, _, err := store.EmployersToReview(ctx, c, domain.EmployerPending, domain.Page{Page: 1, PerPage: 100})
		if err != nil {
			t.Fatal(err)
		}
		os, _, err := store.OpeningsToReview(ctx, c, domain.OpeningPendingReview, domain.Page{Page: 1, PerPage: 100})
		if err != nil {
			t.Fatal(err)
		}
		gotE, gotO := ids(es, employerID), ids(os, openingID)
		if !slices.Equal(wantE, gotE) || !slices.Equal(wantO, gotO) {
			t.Errorf("%s %s%s: employers %v, CanReview %v; openings %v, CanReview %v", c.Role, c.ZoneCode, c.ProvinceCode, gotE, wantE, gotO, wantO)
		}
		reviewed += len(gotO)
		verified += len(gotE)
	}
	// Openings: Chengdu's, Zhongguancun's and the two zone-less ones each have
	// exactly one reviewer here (Mianyang's zone admin is not a caller).
	if reviewed != 4 {
		t.Fatalf("%d openings reviewed, want 4", reviewed)
	}
	// Verification: the two zone admins their own employer; Sichuan all three
	// of its employers, Beijing both of its own.
	if verified != 7 {
		t.Fatalf("%d employer verifications, want 7", verified)
	}
}

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
		wg.Go(func() {
			n, err := store.QueueAlertDigests(ctx, all)
			if err != nil {
				t.Error(err)
			}
			queued[i] = n
		})
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

// TestProgressCacheNeverStale: progress answers are cached in each replica,
// yet any committed change to the figures, by the store or by another
// process's SQL, shows in the very next read; and a read with nothing
// changed is answered from the cache.
func TestProgressCacheNeverStale(t *testing.T) {
	store, db := testutil.NewStoreSQL(t)
	ctx := context.Background()
	u, err := store.CreateStaff(ctx, domain.StaffAccount{Role: domain.RoleMinistryAdmin, Email: "m@gov.cn", Name: "部"}, "x")
	if err != nil {
		t.Fatal(err)
	}
	ministry := domain.Caller{UserID: u.ID, Role: domain.RoleMinistryAdmin}
	year := domain.DateOf(time.Now()).Year
	read := func() (national, province, zone int64) {
		t.Helper()
		n, err := store.NationalProgress(ctx, ministry, year)
		if err != nil {
			t.Fatal(err)
		}
		p, err := store.ProvinceProgress(ctx, ministry, "51", year)
		if err != nil {
			t.Fatal(err)
		}
		z, err := store.ZoneProgress(ctx, ministry, "sichuan-chengdu", year)
		if err != nil {
			t.Fatal(err)
		}
		return n.Placements, p.Placements, z.Placements
	}
	generation := func() (n int64) {
		t.Helper()
		if err := db.QueryRow(`SELECT n FROM progress_generation`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	inTx := func(stmts ...string) {
		t.Helper()
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range stmts {
			if _, err := tx.Exec(s); err != nil {
				t.Fatalf("%s: %v", s, err)
			}
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	want := func(national, province, zone int64) {
		t.Helper()
		if n, p, z := read(); n != national || p != province || z != zone {
			t.Fatalf("placements national %d, Sichuan %d, Chengdu %d; want %d, %d, %d", n, p, z, national, province, zone)
		}
	}

	want(0, 0, 0)
	g := generation()
	// Two counter rows in one transaction (another process's SQL): the
	// generation moves once, at the commit, and every level shows it.
	inTx(`INSERT INTO progress_counters (province_code, zone_code, year, month, placements) VALUES ('51', 'sichuan-chengdu', `+strconv.Itoa(year)+`, 1, 3)`,
		`INSERT INTO progress_counters (province_code, zone_code, year, month, placements) VALUES ('11', '', `+strconv.Itoa(year)+`, 1, 2)`)
	if generation() != g+1 {
		t.Fatalf("generation %d after one transaction, was %d", generation(), g)
	}
	want(5, 3, 3)

	// With the generation held still (triggers off for this one
	// transaction), a change is not seen: the answers come from the cache.
	inTx(`SET LOCAL session_replication_role = replica`,
		`UPDATE progress_counters SET placements = placements + 10 WHERE zone_code = 'sichuan-chengdu'`)
	want(5, 3, 3)
	// A target set through the store moves it again: all is recomputed.
	if _, err := store.SetZoneQuota(ctx, ministry, domain.Quota{ZoneCode: "sichuan-chengdu", Year: year, TargetPositions: 20, TargetPlacements: 10}); err != nil {
		t.Fatal(err)
	}
	want(15, 13, 13)
	// A rolled-back change moves nothing.
	g = generation()
	tx, _ := db.BeginTx(ctx, &sql.TxOptions{})
	tx.Exec(`UPDATE progress_counters SET placements = 0`)
	tx.Rollback()
	if generation() != g {
		t.Fatal("a rolled-back change moved the generation")
	}
	want(15, 13, 13)
}

// TestFallbackSearchWaitsForASlot: a fallback search past the replica's
// limit waits for a slot, and past the wait's bound is answered
// unavailable (503 with Retry-After at the API); a search already cached
// still answers, and a waiting search runs once a slot frees.
func TestFallbackSearchWaitsForASlot(t *testing.T) {
	st, _ := testutil.NewStoreSQL(t)
	ctx := context.Background()
	search := func(word string) error {
		_, err := st.SearchOpenings(ctx, domain.SearchQuery{Q: word, Sort: "relevance", Page: 1, PerPage: 20,
			Today: domain.DateOf(time.Now())})
		return err
	}
	if err := search("科研"); err != nil {
		t.Fatal(err)
	}
	release := st.HoldFallbackSlots(ctx, 2)
	st.SetFallbackWait(100 * time.Millisecond)
	if err := search("数据"); !errors.Is(err, domain.ErrUnavailable) {
		t.Fatalf("no slot within the wait: %v, want unavailable", err)
	}
	if err := search("科研"); err != nil {
		t.Fatalf("a cached search needs no slot: %v", err)
	}
	st.SetFallbackWait(time.Minute)
	done := make(chan error, 1)
	go func() { done <- search("数据") }()
	select {
	case err := <-done:
		t.Fatalf("ran without a slot: %v", err)
	case <-time.After(300 * time.Millisecond):
	}
	release()
	if err := <-done; err != nil {
		t.Fatalf("after the slots freed: %v", err)
	}
}

// A failed connection is returned, for the caller to say once: gorm logged
// it too, so every CLI command run with Postgres down printed the error
// twice (a contract check).
func TestOpenLogsNothingOfAFailedConnection(t *testing.T) {
	var logged strings.Builder
	_, err := postgres.Open(context.Background(), "postgres://gradzone@127.0.0.1:1/none?sslmode=disable&connect_timeout=2",
		slog.New(slog.NewTextHandler(&logged, nil)))
	if err == nil || logged.Len() > 0 {
		t.Errorf("open of a refused address: %v; logged %q", err, logged.String())
	}
}
