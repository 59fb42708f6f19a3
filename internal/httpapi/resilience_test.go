package httpapi_test

import (
	"context"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gradzone/gradzone/internal/app"
	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/testutil"
)

// TestFallbackMatchesMeilisearch: the Postgres fallback gives the same sets,
// totals and facet counts as Meilisearch for the same filters.
func TestFallbackMatchesMeilisearch(t *testing.T) {
	a := testutil.NewApp(t)
	corpus(t, a)
	a.WaitIndexed(30 * time.Second)
	today := domain.DateOf(time.Now())
	queries := []domain.SearchQuery{
		{},
		{Province: "44"},
		{Zone: "sichuan-chengdu"},
		{Industry: "biomedicine"},
		{Degree: "master", Province: "44"},
		{City: "广州", Sort: "salary"},
		{Sort: "deadline"},
		{EmployerType: "university"},
	}
	for _, q := range queries {
		q.Page, q.PerPage, q.Today = 1, 50, today
		if q.Sort == "" {
			q.Sort = "relevance"
		}
		m, err := a.Server.Index.Search(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		p, err := a.Server.Store.SearchOpenings(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		if m.Total != p.Total || !sameIDs(m.Items, p.Items) {
			t.Errorf("%+v: meilisearch %d %v, postgres %d %v", q, m.Total, ids(m.Items), p.Total, ids(p.Items))
		}
		for name := range m.Facets {
			if !maps.Equal(m.Facets[name], p.Facets[name]) {
				t.Errorf("%+v facet %s: meilisearch %v, postgres %v", q, name, m.Facets[name], p.Facets[name])
			}
		}
		if q.Sort == "salary" && !slices.Equal(ids(m.Items), ids(p.Items)) {
			t.Errorf("salary order differs: %v vs %v", ids(m.Items), ids(p.Items))
		}
	}
}

func ids(hits []domain.SearchHit) []string {
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = h.ID
	}
	return out
}

func sameIDs(a, b []domain.SearchHit) bool {
	x, y := ids(a), ids(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
}

// TestSearchWhenMeilisearchIsUnreachable: the same request is answered from
// Postgres, with a substring match on Chinese text, and never an error.
func TestSearchWhenMeilisearchIsUnreachable(t *testing.T) {
	a := testutil.NewApp(t, testutil.MeiliAt("http://127.0.0.1:1", ""))
	emp, admin := a.Publisher()
	id := a.Publish(emp, admin, map[string]any{"title": "生物医药科研助理"})
	a.Publish(emp, admin, map[string]any{"title": "材料实验员", "industry": "new_materials"})
	for i := 0; i < 5; i++ { // past the breaker's threshold, too
		m := a.Search("q=" + url.QueryEscape("医药科研") + "&zone=sichuan-chengdu")
		if m["engine"] != "postgres" || m["total"].(float64) != 1 || testutil.IDs(m)[0] != id {
			t.Fatalf("fallback: %v", m)
		}
		f := m["facets"].(map[string]any)["zone"].(map[string]any)
		if f["sichuan-chengdu"] != 1.0 {
			t.Fatalf("fallback facets: %v", m["facets"])
		}
	}
	if a.Server.Search.BreakerState() != "open" {
		t.Fatalf("breaker %s", a.Server.Search.BreakerState())
	}
	rd := a.Metrics("/readyz").JSON()
	ms := rd["meilisearch"].(map[string]any)
	if ms["status"] != "down" || ms["outbox_pending"].(float64) == 0 {
		t.Fatalf("readyz: %v", rd)
	}
}

// TestIndexConvergesAfterOutage: openings written while Meilisearch is
// stopped are found after it restarts, with nothing lost and nothing stale.
func TestIndexConvergesAfterOutage(t *testing.T) {
	m := testutil.StartMeili(t)
	a := testutil.NewApp(t, testutil.MeiliAt(m.URL(), m.Key))
	emp, admin := a.Publisher()
	before := a.Publish(emp, admin, map[string]any{"title": "停机前岗位"})
	a.WaitIndexed(30 * time.Second)

	m.Stop()
	var during []string
	for i := 0; i < 5; i++ {
		during = append(during, a.Publish(emp, admin, map[string]any{"title": "停机期间岗位"}))
	}
	a.Must(http.StatusOK, "POST", "/api/v1/openings/"+before+"/close", emp.Token, nil)
	res := a.Search("per_page=50")
	if res["engine"] != "postgres" || res["total"].(float64) != 5 {
		t.Fatalf("during outage: %v %v", res["engine"], res["total"])
	}
	time.Sleep(1500 * time.Millisecond) // let deliveries fail and back off

	m.Start()
	a.WaitIndexed(45 * time.Second)
	n, err := a.Server.Index.Count(context.Background())
	if err != nil || n != 5 {
		t.Fatalf("index holds %d documents (%v), want 5", n, err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		res = a.Search("per_page=50")
		if res["engine"] == "meilisearch" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("search did not return to meilisearch")
		}
		time.Sleep(200 * time.Millisecond)
	}
	got := testutil.IDs(res)
	slices.Sort(got)
	slices.Sort(during)
	if !slices.Equal(got, during) {
		t.Fatalf("after restart: %v, want %v", got, during)
	}
}

// TestReindexSwapsWithoutEmptyMoment: searches running during a rebuild
// always see the full set.
func TestReindexSwapsWithoutEmptyMoment(t *testing.T) {
	a := testutil.NewApp(t)
	emp, admin := a.Publisher()
	for i := 0; i < 12; i++ {
		a.Publish(emp, admin, map[string]any{"title": "重建索引岗位"})
	}
	a.WaitIndexed(30 * time.Second)
	// Drift: the index lost a document; reindex repairs it.
	some := testutil.IDs(a.Search("per_page=1"))[0]
	if err := a.Server.Index.Sync(context.Background(), nil, []string{some}); err != nil {
		t.Fatal(err)
	}

	var wg sync.WaitGroup
	var searches, short atomic.Int64
	stop := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			res, err := a.Server.Index.Search(context.Background(), domain.SearchQuery{Page: 1, PerPage: 1, Today: domain.DateOf(time.Now())})
			searches.Add(1)
			if err != nil || res.Total < 11 {
				short.Add(1)
			}
		}
	}()
	var totals []int64
	for i := 0; i < 3; i++ {
		n, err := a.Server.Background.Reindex(context.Background(), app.Progress{Total: func(n int64) { totals = append(totals, n) }, Done: func(int) {}})
		if err != nil || n != 12 {
			t.Fatalf("reindex: %d %v", n, err)
		}
	}
	close(stop)
	wg.Wait()
	if short.Load() > 0 || searches.Load() == 0 {
		t.Fatalf("%d of %d searches saw a partial index", short.Load(), searches.Load())
	}
	if n, _ := a.Server.Index.Count(context.Background()); n != 12 || totals[0] != 12 {
		t.Fatalf("after reindex: %d documents, totals %v", n, totals)
	}
}
