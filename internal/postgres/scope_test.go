package postgres_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/testutil"
)

// TestReviewQueuesMatchCanReview proves the SQL of the review queues is the
// domain's review rule: for every kind of caller, the employers and openings
// the queues return are exactly those domain.Caller.CanReview accepts, over
// employers in zones and outside any zone of two provinces.
func TestReviewQueuesMatchCanReview(t *testing.T) {
	store, db := testutil.NewStoreSQL(t)
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
		if _, err := db.ExecContext(ctx, `INSERT INTO openings (employer_id, title, description, discipline, industry, degree_min,
			headcount, city, salary_min, salary_max, deadline, status, submitted_at)
			VALUES ($1, '科研助理', 'd', 'engineering', 'ai', 'master', 1, '城', 5000, 8000, '2030-01-01', 'pending_review', now())`, emp); err != nil {
			t.Fatal(err)
		}
	}
	everyone := domain.Caller{Role: domain.RoleMinistryAdmin}
	allEmployers, _, err := store.EmployersInScope(ctx, everyone, "", domain.Page{Page: 1, PerPage: 100})
	if err != nil || len(allEmployers) != len(places) {
		t.Fatalf("%d employers, %v", len(allEmployers), err)
	}
	allOpenings, _, err := store.ManagedOpenings(ctx, everyone, "", domain.Page{Page: 1, PerPage: 100})
	if err != nil || len(allOpenings) != len(places) {
		t.Fatalf("%d openings, %v", len(allOpenings), err)
	}
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
		var wantE, gotE, wantO, gotO []string
		for _, e := range allEmployers {
			if c.CanReview(domain.VerifyEmployer, e.Scope()) {
				wantE = append(wantE, e.ID)
			}
		}
		for _, o := range allOpenings {
			if c.CanReview(domain.ReviewOpening, o.Scope()) {
				wantO = append(wantO, o.ID)
			}
		}
		es, _, err := store.EmployersToReview(ctx, c, domain.EmployerPending, domain.Page{Page: 1, PerPage: 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range es {
			gotE = append(gotE, e.ID)
		}
		os, _, err := store.OpeningsToReview(ctx, c, domain.OpeningPendingReview, domain.Page{Page: 1, PerPage: 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range os {
			gotO = append(gotO, o.ID)
		}
		slices.Sort(wantE)
		slices.Sort(gotE)
		slices.Sort(wantO)
		slices.Sort(gotO)
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
