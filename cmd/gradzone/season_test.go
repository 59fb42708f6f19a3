package main

import (
	"context"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/loadtest"
	"github.com/gradzone/gradzone/internal/testutil"
)

// Issue 14 item 6: a compressed sprint (loadtest.Season: employers post,
// zone staff approve, graduates search and apply, employers hire, zones
// submit their monthly report) through three `serve` processes, while
// Meilisearch is killed, then wiped, Postgres is restarted and a replica is
// killed (and replaced). At the end every counter equals a recount from raw
// rows, every hire answered 2xx is one placement (none lost or doubled), the
// submitted reports did not change, and each status mail went once. make
// test runs 10 days over 4 zones; GRADZONE_SEASON=full runs the national
// 100 days over 178 (`gradzone loadtest season` runs the same season
// against any deployment).
func TestSeason(t *testing.T) {
	sc := loadtest.SmallSeason
	if os.Getenv("GRADZONE_SEASON") == "full" {
		sc = loadtest.NationalSeason
	}
	pg := testutil.StartPostgres(t)
	meili := testutil.StartMeili(t)
	a := testutil.NewApp(t, testutil.DatabaseURL(pg.URL()), testutil.MeiliAt(meili.URL(), meili.Key), testutil.SearchHealEvery(time.Second))
	// The app's own database is the private cluster's (the one the test
	// restarts), for the recount too.
	a.DBURL = a.Server.Config.DatabaseURL
	mail := testutil.NewMailpit(t)
	reps := []*replica{startReplica(t, a), startReplica(t, a), startReplica(t, a)}
	c := loadtest.NewCluster(a.Client, reps[0].URL, reps[1].URL, reps[2].URL)
	done := func(f func()) func(context.Context) error { return func(context.Context) error { f(); return nil } }
	s := &loadtest.Season{
		Scale: sc, Cluster: c, Seed: 14, Log: t.Logf,
		CreateStaff: func(ctx context.Context, s domain.StaffAccount) error {
			_, err := a.Server.Accounts.CreateStaff(ctx, s)
			return err
		},
		Mail: &loadtest.MailpitCounter{URL: mail.URL, Client: http.DefaultClient},
		Faults: map[int]loadtest.Fault{
			sc.FaultDay(2):     {Name: "Meilisearch killed", Do: done(meili.Stop)},
			sc.FaultDay(2) + 1: {Name: "Meilisearch back", Do: done(meili.Start)},
			sc.FaultDay(4):     {Name: "Meilisearch wiped", Do: done(meili.Wipe)},
			sc.FaultDay(6):     {Name: "Postgres restarted", Do: done(func() { pg.Stop(); time.Sleep(2 * time.Second); pg.Start() })},
			sc.FaultDay(8): {Name: "a replica killed -9 and replaced", Do: done(func() {
				c.Remove(reps[1].URL)
				reps[1].kill(t)
				c.Add(startReplica(t, a).URL)
			})},
		},
	}
	ctx := context.Background()
	out, err := s.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	problems, err := s.Check(ctx, out, a.DBURL, a.Server.Store.CounterDrift)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Error(p)
	}
	t.Logf("season: %d days, %d zones, %d requests, %d applications, %d hires, %d verified graduates' mail checked",
		sc.Days, len(out.Zones), len(c.Samples()), len(out.Applied), len(out.Hired), len(out.MailsWant))
	if dir := os.Getenv("GRADZONE_SEASON_OUT"); dir != "" {
		if err := s.WriteReport(dir, out, problems); err != nil {
			t.Fatal(err)
		}
	}
}
