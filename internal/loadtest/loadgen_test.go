package loadtest_test

import (
	"context"
	"testing"
	"time"

	"github.com/gradzone/gradzone/internal/loadtest"
	"github.com/gradzone/gradzone/internal/testutil"
)

// TestGenerate runs the benchmark data generator at a small size: every step
// runs, the rows are there, and the rebuilt counters agree with a recount.
func TestGenerate(t *testing.T) {
	ctx := context.Background()
	store, url := testutil.NewStore(t)
	spec := loadtest.Spec{Employers: 40, Openings: 200, Graduates: 100, AppsPerGrad: 3, Placements: 50, PasswordHash: "x"}
	var steps []string
	if err := loadtest.Generate(ctx, url, spec, func(name string, _ time.Duration) { steps = append(steps, name) }); err != nil {
		t.Fatal(err)
	}
	if len(steps) != 9 || steps[0] != "employers" || steps[8] != "seat counts" {
		t.Fatalf("steps %v", steps)
	}
	if err := store.RebuildCounters(ctx); err != nil {
		t.Fatal(err)
	}
	if err := loadtest.Analyze(ctx, url); err != nil {
		t.Fatal(err)
	}
	db := testutil.SQL(t, url)
	var employers, openings, apps, placements int
	db.QueryRow(`SELECT (SELECT count(*) FROM employers), (SELECT count(*) FROM openings), (SELECT count(*) FROM applications),
		(SELECT count(*) FROM placements)`).Scan(&employers, &openings, &apps, &placements)
	if employers != 40 || openings != 200 || apps != 300 || placements != 50 {
		t.Fatalf("%d employers, %d openings, %d applications, %d placements", employers, openings, apps, placements)
	}
	if drift, err := store.CounterDrift(ctx); err != nil || len(drift) != 0 {
		t.Fatalf("counters after the load: %v %v", drift, err)
	}
}
