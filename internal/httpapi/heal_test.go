package httpapi_test

import (
	"context"
	"testing"
	"time"

	"github.com/gradzone/gradzone/internal/config"
	"github.com/gradzone/gradzone/internal/server"
	"github.com/gradzone/gradzone/internal/testutil"
)

// Issue 14 item 3: Meilisearch loses the index (its data was wiped) and a
// change arriving meanwhile re-creates it with Meilisearch's default
// settings, so every filtered search failed and search stayed on the
// Postgres fallback until someone ran `gradzone reindex`. The periodic
// check (every second here, 30 s in serve) sees the index differ from
// Postgres and rebuilds it: complete, filtered results come from
// Meilisearch again with no one acting.
func TestSearchHealsAfterIndexWiped(t *testing.T) {
	a := testutil.NewApp(t, testutil.SearchHealEvery(time.Second))
	emp, admin := a.Publisher()
	for range 3 {
		a.Publish(emp, admin, map[string]any{"title": "擦除前岗位"})
	}
	a.WaitIndexed(30 * time.Second)
	if r := a.Search("zone=sichuan-chengdu&per_page=50"); r["engine"] != "meilisearch" || r["total"] != 3.0 {
		t.Fatalf("before the wipe: %v %v", r["engine"], r["total"])
	}

	if err := a.Server.Index.Drop(context.Background()); err != nil {
		t.Fatal(err)
	}
	a.Publish(emp, admin, map[string]any{"title": "擦除后岗位"})

	deadline := time.Now().Add(90 * time.Second)
	for {
		r := a.Search("zone=sichuan-chengdu&sort=deadline&per_page=50")
		if r["engine"] == "meilisearch" && r["total"] == 4.0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("search did not heal: %v %v; readiness %s", r["engine"], r["total"], a.Metrics("/readyz").Body)
		}
		time.Sleep(250 * time.Millisecond)
	}
	ms := a.Metrics("/readyz").JSON()["meilisearch"].(map[string]any)
	if ms["heal_rebuilds"].(float64) < 1 {
		t.Fatalf("readiness does not show the rebuild: %v", ms)
	}
	// Another replica on the same Postgres, which ran no check itself,
	// reports the same rebuild.
	b := testutil.NewApp(t, func(c *config.Config, o *server.Options) { c.DatabaseURL = a.DBURL; o.SearchHealEvery = time.Hour })
	if ms := b.Metrics("/readyz").JSON()["meilisearch"].(map[string]any); ms["heal_rebuilds"].(float64) < 1 {
		t.Fatalf("the other replica's readiness does not show the rebuild: %v", ms)
	}
}
