package postgres_test

import (
	"context"
	"encoding/csv"
	"strings"
	"testing"

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
