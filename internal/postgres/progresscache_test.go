package postgres_test

import (
	"context"
	"database/sql"
	"strconv"
	"testing"
	"time"

	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/testutil"
)

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
