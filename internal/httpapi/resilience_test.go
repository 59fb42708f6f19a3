package httpapi_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gradzone/gradzone/internal/app"
	"github.com/gradzone/gradzone/internal/config"
	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/search"
	"github.com/gradzone/gradzone/internal/server"
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
		{SearchFilters: domain.SearchFilters{Province: "44"}},
		{SearchFilters: domain.SearchFilters{Zone: "sichuan-chengdu"}},
		{SearchFilters: domain.SearchFilters{Industry: "biomedicine"}},
		{SearchFilters: domain.SearchFilters{Degree: "master", Province: "44"}},
		{SearchFilters: domain.SearchFilters{City: "广州"}, Sort: "salary"},
		{Sort: "deadline"},
		{SearchFilters: domain.SearchFilters{EmployerType: "university"}},
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
	emp, admin, id := a.PublishedOpening(map[string]any{"title": "生物医药科研助理"})
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
	// The graduate's own degree filters the fallback too.
	a.Publish(emp, admin, map[string]any{"title": "博士后科研助理", "degree_min": "doctor"})
	if m := a.Search("my_degree=master"); m["engine"] != "postgres" || m["total"].(float64) != 2 {
		t.Errorf("fallback, my_degree=master: %v of 3", m["total"])
	}
	rd := a.Metrics("/readyz").JSON()
	ms := rd["meilisearch"].(map[string]any)
	if ms["status"] != "down" || ms["outbox_pending"].(float64) == 0 {
		t.Fatalf("readyz: %v", rd)
	}
}

// TestFallbackWordsMatchEveryField: each word of a fallback search matches
// the opening's title, description, city or majors, or its employer's
// name, in any letter case; all words must match, each anywhere; LIKE's
// wildcards in a word are literal. Migration 00030 moved the opening's
// fields into one lower-cased column and the employer's name into a
// lookup of its own, for speed: this holds the meaning still.
func TestFallbackWordsMatchEveryField(t *testing.T) {
	a := testutil.NewApp(t, testutil.MeiliAt("http://127.0.0.1:1", ""))
	emp, admin, java := a.PublishedOpening(map[string]any{"title": "Java开发科研助理", "majors": []string{"软件工程"},
		"description": "负责 Kubernetes 集群，完成率100%"})
	other := a.Publish(emp, admin, map[string]any{"title": "材料实验员", "majors": []string{"材料科学与工程"}, "city": "绵阳"})
	if _, err := testutil.SQL(t, a.DBURL).Exec(`UPDATE employers SET name = 'Zhiyuan 智源研究院' WHERE id = $1`, emp.EmployerID); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		q    string
		want []string
	}{
		{"JAVA", []string{java}},           // title, other case
		{"kubernetes", []string{java}},     // description
		{"绵阳", []string{other}},            // city
		{"材料科学", []string{other}},          // majors
		{"zhiyuan", []string{java, other}}, // employer's name, other case
		{"智源 软件工程", []string{java}},        // one word in the name, one in the majors
		{"智源 不存在", nil},                    // every word must match
		{"100%", []string{java}},           // a literal percent sign
		{"1%0", nil},                       // not a wildcard
		{"Java_", nil},                     // nor is an underscore
	}
	for _, tc := range cases {
		res, err := a.Server.Store.SearchOpenings(context.Background(), domain.SearchQuery{Q: tc.q, Sort: "relevance",
			Page: 1, PerPage: 20, Today: domain.DateOf(time.Now())})
		if err != nil {
			t.Fatal(err)
		}
		got := ids(res.Items)
		slices.Sort(got)
		want := slices.Clone(tc.want)
		slices.Sort(want)
		if !slices.Equal(got, want) || res.Total != int64(len(want)) {
			t.Errorf("%q: got %v (total %d), want %v", tc.q, got, res.Total, want)
		}
	}
}

// Issue 14 item 7: while Meilisearch is out, the fallback's answers are
// cached per replica under search_data_generation (migration 00029), which
// every committed change to openings, employers or zones moves: a change
// made through any door shows in the very next search, and an unchanged
// search is not computed again.
func TestFallbackSearchCachedNeverStale(t *testing.T) {
	a := testutil.NewApp(t, testutil.MeiliAt("http://127.0.0.1:1", ""))
	emp, admin := a.Publisher()
	first := a.Publish(emp, admin, map[string]any{"title": "缓存岗位甲"})
	second := a.Publish(emp, admin, map[string]any{"title": "缓存岗位乙"})
	db := testutil.SQL(t, a.DBURL)
	titles := func() []string {
		t.Helper()
		m := a.Search("q=" + url.QueryEscape("缓存岗位") + "&sort=newest")
		if m["engine"] != "postgres" {
			t.Fatalf("engine %v", m["engine"])
		}
		var out []string
		for _, it := range m["items"].([]any) {
			out = append(out, it.(map[string]any)["title"].(string))
		}
		return out
	}
	want := func(what string, w ...string) {
		t.Helper()
		if got := titles(); !slices.Equal(got, w) {
			t.Fatalf("%s: %v, want %v", what, got, w)
		}
	}
	want("published", "缓存岗位乙", "缓存岗位甲")

	// A change the triggers do not see (replication role) is not seen by
	// search either: the answer came from the cache.
	if _, err := db.Exec(`BEGIN; SET LOCAL session_replication_role = replica;
		UPDATE openings SET title = '缓存岗位丙' WHERE id = '` + second + `'; COMMIT`); err != nil {
		t.Fatal(err)
	}
	want("from the cache", "缓存岗位乙", "缓存岗位甲")

	// Every change through the API shows at once: closing an opening...
	a.Must(http.StatusOK, "POST", "/api/v1/openings/"+first+"/close", emp.Token, nil)
	want("after a close", "缓存岗位丙")
	// ... and a change to an employer, made by another process's SQL.
	if _, err := db.Exec(`UPDATE employers SET name = '改名后的单位' WHERE id = (SELECT employer_id FROM openings WHERE id = $1)`, second); err != nil {
		t.Fatal(err)
	}
	if m := a.Search("q=" + url.QueryEscape("改名后的单位")); m["total"] != 1.0 {
		t.Fatalf("after the employer's rename: %v", m["total"])
	}
}

// An ops probe: a hung Meilisearch (alive, answering nothing) made every
// replica's /readyz answer 503 after 2 s, its check having used up the
// time Postgres was to be asked in, so a load balancer would have taken
// the whole site out while search answered from Postgres. Readiness is
// Postgres's; the engine is reported, in a time of its own.
func TestReadyWhileMeilisearchHangs(t *testing.T) {
	m := testutil.StartMeili(t)
	a := testutil.NewApp(t, testutil.MeiliAt(m.URL(), m.Key))
	m.Pause()
	if r := a.Do("GET", "/readyz", "", nil); r.Status != http.StatusOK || r.JSON()["meilisearch"] != "down" {
		t.Errorf("the site's /readyz while Meilisearch hangs: %d %s", r.Status, r.Body)
	}
	// The details keep the lag and the heal, read from Postgres, which the
	// engine's look must not use the time of (a review).
	if r := a.Metrics("/readyz"); r.Status != http.StatusOK || r.JSON()["postgres"] != "up" ||
		!hasKeys(r.JSON()["meilisearch"], "status", "outbox_pending", "lag_seconds", "heal_outcome") {
		t.Errorf("the details while Meilisearch hangs: %d %s", r.Status, r.Body)
	}
	m.Resume()
}

// hasKeys tells whether v is an object holding every key.
func hasKeys(v any, keys ...string) bool {
	m, ok := v.(map[string]any)
	for _, k := range keys {
		if _, has := m[k]; !has {
			return false
		}
	}
	return ok
}

// TestIndexConvergesAfterOutage: openings written while Meilisearch is
// stopped are found after it restarts, with nothing lost and nothing stale.
func TestIndexConvergesAfterOutage(t *testing.T) {
	m := testutil.StartMeili(t)
	a := testutil.NewApp(t, testutil.MeiliAt(m.URL(), m.Key))
	emp, admin, before := a.PublishedOpening(map[string]any{"title": "停机前岗位"})
	// Changes other than a publication or a close reach the index too (a
	// numbers probe tried each by hand): a new deadline, a hire that fills
	// the last seat (the opening leaves search), a revoke that frees it
	// (it comes back).
	edited := a.Publish(emp, admin, map[string]any{"title": "停机前改期岗位"})
	full, freed := a.Publish(emp, admin, map[string]any{"headcount": 1}), a.Publish(emp, admin, map[string]any{"headcount": 1})
	today := domain.DateOf(time.Now()).String()
	g := a.Graduate()
	toFill := a.Apply(g, full, "您好")
	a.Must(http.StatusOK, "POST", "/api/v1/applications/"+toFill+"/transitions", emp.Token, map[string]string{"to": "offered"})
	a.Must(http.StatusOK, "POST", "/api/v1/applications/"+toFill+"/transitions", g.Token, map[string]string{"to": "accepted"})
	h := a.Graduate()
	revoking := a.Hire(emp.Token, h.Token, a.Apply(h, freed, "您好"), today).JSON()["placement_id"].(string)
	a.WaitIndexed(30 * time.Second)

	m.Stop()
	var during []string
	for i := 0; i < 5; i++ {
		during = append(during, a.Publish(emp, admin, map[string]any{"title": "停机期间岗位"}))
	}
	a.Must(http.StatusOK, "POST", "/api/v1/openings/"+before+"/close", emp.Token, nil)
	newDeadline := testutil.InDays(200)
	a.Must(http.StatusOK, "PATCH", "/api/v1/openings/"+edited, emp.Token, map[string]string{"deadline": newDeadline})
	a.Must(http.StatusOK, "POST", "/api/v1/applications/"+toFill+"/transitions", emp.Token, map[string]string{"to": "hired", "hired_on": today})
	a.Must(http.StatusOK, "POST", "/api/v1/placements/"+revoking+"/revoke", admin.Token, map[string]string{"reason": "重复登记"})
	during = append(during, edited, freed)
	res := a.Search("per_page=50")
	if res["engine"] != "postgres" || res["total"].(float64) != 7 {
		t.Fatalf("during outage: %v %v", res["engine"], res["total"])
	}
	time.Sleep(1500 * time.Millisecond) // let deliveries fail and back off

	m.Start()
	a.WaitIndexed(45 * time.Second)
	n, err := a.Server.Index.Count(context.Background())
	if err != nil || n != 7 {
		t.Fatalf("index holds %d documents (%v), want 7", n, err)
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
	for _, it := range res["items"].([]any) {
		if o := it.(map[string]any); o["id"] == edited && o["deadline"] != newDeadline {
			t.Errorf("the deadline changed during the outage: the index says %v, want %v", o["deadline"], newDeadline)
		}
	}
}

// Meilisearch wiped (stopped, its data lost, started again empty) while a
// rebuild fills its fresh index: its tasks and both indexes are gone, and
// an opening approved meanwhile re-creates the live index without the
// code's settings. Search comes back to Meilisearch, complete and filtered,
// with no one acting.
func TestSearchHealsAfterAWipeDuringARebuild(t *testing.T) {
	m := testutil.StartMeili(t)
	a := testutil.NewApp(t, testutil.MeiliAt(m.URL(), m.Key), testutil.SearchHealEvery(time.Second))
	emp, admin := a.Publisher()
	for range 3 {
		a.Publish(emp, admin, map[string]any{"title": "重建中擦除前岗位"})
	}
	a.WaitIndexed(30 * time.Second)
	_, err := a.Server.Background.Reindex(context.Background(), app.Progress{Total: func(int64) {}, Done: func(int) {
		m.Wipe()
		a.Publish(emp, admin, map[string]any{"title": "重建中擦除后岗位"})
	}})
	t.Logf("the rebuild the wipe cut off: %v", err)
	// As many as Postgres lists: the copy reads by id, and an opening
	// published from its progress (a random id) may land in a later batch,
	// whose progress publishes again (a fresh-clone run found five).
	want, err := a.Server.Store.CountSearchable(context.Background())
	if err != nil || want < 4 {
		t.Fatalf("searchable openings in Postgres: %d %v", want, err)
	}
	waitZoneInMeili(t, a, 90*time.Second, float64(want), "search did not heal after a wipe during a rebuild", func() string {
		h, _ := a.Server.Background.SearchHeal(context.Background())
		return fmt.Sprintf("heal %+v", h)
	})
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

	testutil.Eventually(t, 90*time.Second, 250*time.Millisecond, func() string {
		if r := a.Search("zone=sichuan-chengdu&sort=deadline&per_page=50"); r["engine"] != "meilisearch" || r["total"] != 4.0 {
			return fmt.Sprintf("search did not heal: %v %v; readiness %s", r["engine"], r["total"], a.Metrics("/readyz").Body)
		}
		return ""
	})
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

// An upgrade that changes what a document holds (this round spelt the
// industry and majors in pinyin) left the documents indexed before it as
// they were until someone ran `gradzone reindex`: searches by the new
// fields missed them. Each document carries the shape it was built with,
// and the periodic check rebuilds an index holding an older one.
func TestSearchHealsDocumentsOfAnOlderShape(t *testing.T) {
	a := testutil.NewApp(t, testutil.SearchHealEvery(time.Second))
	emp, admin := a.Publisher()
	id := a.Publish(emp, admin, map[string]any{"title": "算法实验助理", "majors": []string{"计算机科学与技术"}})
	other := a.Publish(emp, admin, map[string]any{"title": "新材料实验助理"})
	a.WaitIndexed(30 * time.Second)
	index := testutil.MeiliURL(t) + "/indexes/" + a.Server.Index.Name()
	// meili sends a request to Meilisearch and waits for its task.
	meili := func(method, url string, body any) {
		t.Helper()
		b, _ := json.Marshal(body)
		req, _ := http.NewRequest(method, url, bytes.NewReader(b))
		req.Header.Set("Authorization", "Bearer "+os.Getenv("GRADZONE_MEILI_KEY"))
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil || res.StatusCode != http.StatusAccepted {
			t.Fatalf("%s %s: %v %v", method, url, res, err)
		}
		var task struct {
			TaskUID int64 `json:"taskUid"`
		}
		json.NewDecoder(res.Body).Decode(&task)
		res.Body.Close()
		testutil.Eventually(t, 30*time.Second, 50*time.Millisecond, func() string {
			req, _ := http.NewRequest("GET", testutil.MeiliURL(t)+"/tasks/"+strconv.FormatInt(task.TaskUID, 10), nil)
			req.Header.Set("Authorization", "Bearer "+os.Getenv("GRADZONE_MEILI_KEY"))
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				return err.Error()
			}
			defer res.Body.Close()
			var st struct{ Status string }
			json.NewDecoder(res.Body).Decode(&st)
			if st.Status != "succeeded" {
				return "task " + st.Status
			}
			return ""
		})
	}
	// The index as the previous release left it: doc_version not filterable,
	// and the document without it, nor the pinyin of its majors.
	meili("PUT", index+"/settings/filterable-attributes", []string{"id", "zone_code", "province_code", "industry",
		"degree_min", "degree_rank", "employer_type", "employer_id", "city", "deadline_ts"})
	req, _ := http.NewRequest("GET", index+"/documents/"+id, nil)
	req.Header.Set("Authorization", "Bearer "+os.Getenv("GRADZONE_MEILI_KEY"))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	json.NewDecoder(res.Body).Decode(&doc)
	res.Body.Close()
	delete(doc, "doc_version")
	doc["pinyin"] = "suanfa sf shiyan sy zhuli zl"
	meili("POST", index+"/documents", []map[string]any{doc})
	testutil.Eventually(t, 90*time.Second, 250*time.Millisecond, func() string {
		if r := a.Search("q=jisuanji"); r["engine"] != "meilisearch" || !has(r, id) {
			return fmt.Sprintf("the old document was not rebuilt: %v %v", r["engine"], titles(r))
		}
		return ""
	})
	// A newer release's document (a rolling deploy) is not this release's
	// to rebuild: two releases would rebuild in turn.
	rebuilds := func() float64 {
		return a.Metrics("/readyz").JSON()["meilisearch"].(map[string]any)["heal_rebuilds"].(float64)
	}
	before := rebuilds()
	meili("PUT", index+"/documents", []map[string]any{{"id": other, "doc_version": search.DocumentVersion + 1}})
	time.Sleep(3 * time.Second) // three checks
	if after := rebuilds(); after != before {
		t.Errorf("a newer document made %v rebuilds", after-before)
	}
}

// A rebuild that another process runs (`gradzone reindex`, another
// replica's heal, make bench's reindex) fills a fresh index while the live
// one still looks short, and the check used to start a second full rebuild
// beside it: make bench's apply ran at half its rate while one went on
// (docs/benchmarks.md, Apply). The check now leaves the rebuild to the
// process holding the rebuild lock, and heals once the lock is free.
func TestSearchHealLeavesRunningRebuild(t *testing.T) {
	a := testutil.NewApp(t, testutil.SearchHealEvery(time.Second))
	emp, admin := a.Publisher()
	a.Publish(emp, admin, map[string]any{"title": "重建期间岗位"})
	a.WaitIndexed(30 * time.Second)
	ctx := context.Background()
	// A rebuild before the lock is taken is not one the lock should stop:
	// the worker's first checks may make one (a fresh-clone run met it, the
	// index not yet made at start), and this one makes sure of it. Only
	// rebuilds after the lock count.
	a.Server.Index.Drop(ctx)
	a.Server.Background.HealSearch(ctx)
	release := holdRebuildLock(t, a)
	before, err := a.Server.Background.SearchHeal(ctx)
	if err != nil {
		t.Fatal(err)
	}
	dropped := time.Now()
	if err := a.Server.Index.Drop(ctx); err != nil {
		t.Fatal(err)
	}
	// Three checks after the wipe, while the lock is held elsewhere.
	db := testutil.SQL(t, a.DBURL)
	testutil.Eventually(t, 60*time.Second, 250*time.Millisecond, func() string {
		var n int
		db.QueryRow(`SELECT count(*) FROM river_job WHERE kind = 'search_heal' AND state = 'completed' AND attempted_at > $1`, dropped).Scan(&n)
		if n < 3 {
			return fmt.Sprintf("%d checks after the wipe, want 3", n)
		}
		return ""
	})
	if h, err := a.Server.Background.SearchHeal(ctx); err != nil || h.Rebuilds != before.Rebuilds || h.Running {
		t.Fatalf("a check rebuilt while another process held the rebuild lock: %+v %v", h, err)
	}
	release()
	waitZoneInMeili(t, a, 90*time.Second, 1, "search did not heal once the lock was free", nil)
}

// An index found short is rebuilt into a fresh one while searches kept the
// live one: a lost index, re-created empty by the settings job or a change,
// answered every search with nothing until the rebuild swapped in (minutes
// for a national index). While the last check found the live index short,
// searches are answered from Postgres, which is current; here the rebuild
// is held off by another process's lock, as a long one would be.
func TestSearchAnswersFromPostgresWhileTheIndexIsShort(t *testing.T) {
	a := testutil.NewApp(t, testutil.SearchHealEvery(time.Second))
	emp, admin := a.Publisher()
	for range 3 {
		a.Publish(emp, admin, map[string]any{"title": "索引短缺期间岗位"})
	}
	a.WaitIndexed(30 * time.Second)
	ctx := context.Background()
	release := holdRebuildLock(t, a)
	// Lost and made again, empty, with the right settings: what the
	// settings job does at start.
	if err := a.Server.Index.Drop(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Server.Index.EnsureSettings(ctx); err != nil {
		t.Fatal(err)
	}
	testutil.Eventually(t, 60*time.Second, 250*time.Millisecond, func() string {
		if r := a.Search("zone=sichuan-chengdu&per_page=50"); r["engine"] != "postgres" || r["total"] != 3.0 {
			return fmt.Sprintf("a search while the index is short: %v %v", r["engine"], r["total"])
		}
		return ""
	})
	if m := string(a.Metrics("/metrics").Body); !strings.Contains(m, "\ngradzone_search_index_short 1\n") {
		t.Error("the metrics do not say searches go to Postgres while the index is short")
	}
	release()
	waitZoneInMeili(t, a, 90*time.Second, 3, "search did not go back to the rebuilt index", nil)
	if m := string(a.Metrics("/metrics").Body); !strings.Contains(m, "\ngradzone_search_index_short 0\n") {
		t.Error("the metrics still say the index is short after the rebuild")
	}
}

// After a database restore Postgres is older than the index: an opening
// closed since the backup is open again but not in the index, and one
// published since is gone from Postgres but still found. When as many went
// each way the check's count agreed and the index stayed wrong until someone
// ran `gradzone reindex`. The check compares a sample of contents both ways.
func TestSearchHealsOtherOpeningsWithTheSameCount(t *testing.T) {
	a := testutil.NewApp(t, testutil.SearchHealEvery(time.Second))
	emp, admin := a.Publisher()
	closedSince := a.Publish(emp, admin, map[string]any{"title": "备份后关闭的岗位"})
	a.Publish(emp, admin, map[string]any{"title": "一直开放的岗位"})
	publishedSince := a.Publish(emp, admin, map[string]any{"title": "备份后发布的岗位"})
	a.Must(http.StatusOK, "POST", "/api/v1/openings/"+closedSince+"/close", emp.Token, nil)
	a.WaitIndexed(30 * time.Second)
	if r := a.Search("zone=sichuan-chengdu&per_page=50"); r["engine"] != "meilisearch" || r["total"] != 2.0 || has(r, closedSince) {
		t.Fatalf("before the restore: %v %v", r["engine"], titles(r))
	}
	// The restore, as Postgres sees it: no job tells the index.
	db := testutil.SQL(t, a.DBURL)
	if _, err := db.Exec(`UPDATE openings SET status = CASE id WHEN $1::uuid THEN 'published' ELSE 'closed' END WHERE id IN ($1, $2)`, closedSince, publishedSince); err != nil {
		t.Fatal(err)
	}
	testutil.Eventually(t, 90*time.Second, 250*time.Millisecond, func() string {
		if r := a.Search("zone=sichuan-chengdu&per_page=50"); r["engine"] != "meilisearch" || r["total"] != 2.0 || !has(r, closedSince) || has(r, publishedSince) {
			return fmt.Sprintf("the index was not rebuilt from the restored Postgres: %v %v", r["engine"], titles(r))
		}
		return ""
	})
}

// After a restore an opening edited since the backup kept its newer
// document in the index: a search for the title Postgres holds missed it,
// and a search for the newer title found an opening whose page says
// otherwise, until its next change. The check compares a sample of the
// documents with what Postgres makes of them.
func TestSearchHealsDocumentsThatSayOtherThanPostgres(t *testing.T) {
	a := testutil.NewApp(t, testutil.SearchHealEvery(time.Second))
	emp, admin := a.Publisher()
	edited := a.Publish(emp, admin, map[string]any{"title": "备份后改名的岗位"})
	a.Publish(emp, admin, map[string]any{"title": "没有改动的岗位"})
	a.WaitIndexed(30 * time.Second)
	// The restore, as Postgres sees it: the title of the backup, no job.
	db := testutil.SQL(t, a.DBURL)
	if _, err := db.Exec(`UPDATE openings SET title = '备份时的旧标题' WHERE id = $1`, edited); err != nil {
		t.Fatal(err)
	}
	testutil.Eventually(t, 90*time.Second, 250*time.Millisecond, func() string {
		old, newer := a.Search("q="+url.QueryEscape("备份时的旧标题")), a.Search("q="+url.QueryEscape("备份后改名"))
		if old["engine"] != "meilisearch" || !has(old, edited) || has(newer, edited) {
			return fmt.Sprintf("the index still says what Postgres no longer does: %v %v / %v", old["engine"], titles(old), titles(newer))
		}
		return ""
	})
}

// A replica that starts while the index is lost made it again, empty, and
// answered every search with nothing until its first check, one period
// (30 s) later. The settings job that makes the index checks it at once.
func TestIndexLostAtStartIsCheckedAtOnce(t *testing.T) {
	a := testutil.NewApp(t, testutil.SearchHealEvery(time.Hour))
	emp, admin := a.Publisher()
	for range 3 {
		a.Publish(emp, admin, map[string]any{"title": "启动前岗位"})
	}
	a.WaitIndexed(30 * time.Second)
	if err := a.Server.Index.Drop(context.Background()); err != nil {
		t.Fatal(err)
	}
	b := testutil.NewApp(t, func(c *config.Config, o *server.Options) {
		c.DatabaseURL, c.MeiliIndex, o.SearchHealEvery = a.DBURL, a.Server.Index.Name(), time.Hour
	})
	waitZoneInMeili(t, b, 60*time.Second, 3, "a search after a start with the index lost", nil)
}

// Documents lost from a live index whose settings are intact (a restored
// Meilisearch snapshot, a partial wipe, the index-settings job of a new
// replica re-applying settings to an index re-created by a change) were
// rebuilt only when no index or alert job at all was unfinished: one job
// waiting minutes on its backoff, or an alert job, which adds nothing to
// the index, kept the openings out of search (seen in the season test). The
// check now rebuilds when the jobs in flight carry fewer openings than are
// missing.
func TestSearchHealsWhileOtherJobsWait(t *testing.T) {
	a := testutil.NewApp(t, testutil.SearchHealEvery(time.Second))
	emp, admin := a.Publisher()
	var ids []string
	for range 3 {
		ids = append(ids, a.Publish(emp, admin, map[string]any{"title": "丢失文档岗位"}))
	}
	a.WaitIndexed(30 * time.Second)
	db := testutil.SQL(t, a.DBURL)
	// An alert job and an index job for one of the openings, both waiting
	// an hour on their backoff.
	for _, job := range []struct{ queue, kind, args string }{
		{domain.QueueAlerts, string(domain.JobOpeningAlerts), `{"ids": ["` + ids[0] + `"]}`},
		{domain.QueueIndex, string(domain.JobIndexOpenings), `{"ids": ["` + ids[0] + `"]}`},
	} {
		if _, err := db.Exec(`INSERT INTO river_job (args, kind, max_attempts, queue, state, scheduled_at)
			VALUES ($1, $2, 25, $3, 'scheduled', now() + interval '1 hour')`, job.args, job.kind, job.queue); err != nil {
			t.Fatal(err)
		}
	}
	// Two documents go missing; the settings stay.
	if err := a.Server.Index.Sync(context.Background(), nil, ids[1:]); err != nil {
		t.Fatal(err)
	}
	waitZoneInMeili(t, a, 60*time.Second, 3, "search did not heal", func() string {
		h, _ := a.Server.Background.SearchHeal(context.Background())
		return fmt.Sprintf("heal %+v", h)
	})
}

// `gradzone reindex` started while a heal rebuild runs waits for it, then
// rebuilds: the wait outlasts statement_timeout (1 s here) without being
// cut off by it.
func TestReindexWaitsForRunningRebuild(t *testing.T) {
	a := testutil.NewApp(t, func(c *config.Config, o *server.Options) { c.StatementTimeout = time.Second })
	emp, admin := a.Publisher()
	a.Publish(emp, admin, map[string]any{"title": "等待重建岗位"})
	ctx := context.Background()
	release, ok, err := a.Server.Store.HoldSearchRebuild(ctx, false, nil)
	if err != nil || !ok {
		t.Fatalf("rebuild lock: %v %v", ok, err)
	}
	type result struct {
		n   int
		err error
	}
	done := make(chan result, 1)
	go func() {
		n, err := a.Server.Background.Reindex(ctx, app.Progress{Total: func(int64) {}, Done: func(int) {}})
		done <- result{n, err}
	}()
	select {
	case r := <-done:
		release()
		t.Fatalf("reindex did not wait for the running rebuild: %+v", r)
	case <-time.After(3 * time.Second):
	}
	release()
	select {
	case r := <-done:
		if r.err != nil || r.n != 1 {
			t.Fatalf("reindex after the wait: %d documents, %v", r.n, r.err)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("reindex still waiting after the lock was given back")
	}
}

// `gradzone reindex` rebuilt the index without a word in readiness (an
// operator's probe): only the self-heal's rebuilds showed as reindexing
// n/N. Every rebuild now keeps its progress where every replica reads it;
// a reindex is not counted as one of the heal's.
func TestReindexShowsInReadiness(t *testing.T) {
	a := appWithIndexedOpening(t, "重建进度岗位")
	ms := func() map[string]any { return a.Metrics("/readyz").JSON()["meilisearch"].(map[string]any) }
	before := ms()["heal_rebuilds"]
	var during any
	n, err := a.Server.Background.Reindex(context.Background(), app.Progress{Total: func(int64) {}, Done: func(int) { during = ms()["reindexing"] }})
	if err != nil || n != 1 {
		t.Fatalf("reindex: %d %v", n, err)
	}
	if during != "1/1" {
		t.Errorf("readiness during the reindex: reindexing %v, want 1/1", during)
	}
	if after := ms(); after["reindexing"] != nil || after["heal_rebuilds"] != before {
		t.Errorf("readiness after the reindex: %v (heal rebuilds before: %v)", after, before)
	}
}

// A change whose transaction began before a rebuild started and committed
// while the rebuild copied Postgres (here a close that waited on the
// opening's row, as it waits behind a hire into it): the copy read the
// opening as it was, the change's index job went to the live index that the
// swap then threw away, and the replay, which took the openings changed
// since the rebuild's start by the process's clock, missed it (updated_at is
// the time the change's transaction began). The closed opening was found
// until the next check happened to sample it.
func TestReindexKeepsAChangeWhoseTransactionBeganBefore(t *testing.T) {
	a := testutil.NewApp(t)
	emp, admin := a.Publisher()
	closing := a.Publish(emp, admin, map[string]any{"title": "重建期间关闭的岗位"})
	a.Publish(emp, admin, map[string]any{"title": "重建期间开放的岗位"})
	a.WaitIndexed(30 * time.Second)
	ctx := context.Background()
	db := testutil.SQL(t, a.DBURL)
	row := openTx(t, db)
	if _, err := row.Exec(`SELECT 1 FROM openings WHERE id = $1 FOR UPDATE`, closing); err != nil {
		t.Fatal(err)
	}
	closed := make(chan int, 1)
	go func() {
		req, _ := http.NewRequest("POST", a.URL+"/api/v1/openings/"+closing+"/close", nil)
		req.Header.Set("Authorization", "Bearer "+emp.Token)
		res, err := a.Client.Do(req)
		if err != nil {
			closed <- 0
			return
		}
		res.Body.Close()
		closed <- res.StatusCode
	}()
	testutil.Eventually(t, 10*time.Second, 20*time.Millisecond, func() string {
		var n int
		db.QueryRow(`SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&n)
		if n == 0 {
			return "the close does not wait on the opening's row"
		}
		return ""
	})
	time.Sleep(1500 * time.Millisecond) // the close's transaction began well before the rebuild
	n, err := a.Server.Background.Reindex(ctx, app.Progress{Total: func(int64) {}, Done: func(int) {
		// The copy has read the opening as published; the close commits
		// now and its index job runs on the live index.
		row.Rollback()
		if s := <-closed; s != http.StatusOK {
			t.Errorf("close: status %d", s)
		}
		a.WaitIndexed(30 * time.Second)
	}})
	if err != nil || n != 2 {
		t.Fatalf("reindex: %d %v", n, err)
	}
	a.WaitIndexed(30 * time.Second)
	if in, err := a.Server.Index.Has(ctx, closing); err != nil || in {
		t.Fatalf("the opening closed during the rebuild is in the index after it: %v %v", in, err)
	}
}

// A rebuild whose context ended just after its swap (a shutdown, the lock
// lost) left out its replay: a change that committed during the copy went
// to the old index only, and the new one kept it until a check's sample
// found it. The replay runs once the swap is done, whatever the context.
func TestReindexReplaysAfterTheSwapThoughItsContextEnded(t *testing.T) {
	a := testutil.NewApp(t, testutil.SearchHealEvery(time.Hour))
	emp, admin := a.Publisher()
	closing := a.Publish(emp, admin, map[string]any{"title": "交换后停止的重建中关闭的岗位"})
	a.WaitIndexed(30 * time.Second)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	bg := &app.Background{Store: a.Server.Background.Store, Log: a.Server.Background.Log,
		Index: cancelAfterSwap{SearchIndex: a.Server.Background.Index, cancel: cancel}}
	var closed bool
	_, err := bg.Reindex(ctx, app.Progress{Total: func(int64) {}, Done: func(int) {
		if !closed { // the copy read the opening as published
			closed = true
			a.Must(http.StatusOK, "POST", "/api/v1/openings/"+closing+"/close", emp.Token, nil)
			a.WaitIndexed(30 * time.Second)
		}
	}})
	t.Logf("the rebuild whose context ended after its swap: %v", err)
	testutil.Eventually(t, 20*time.Second, 100*time.Millisecond, func() string {
		if in, err := a.Server.Index.Has(context.Background(), closing); err != nil || in {
			return fmt.Sprintf("the opening closed during the rebuild is in the index after it: %v %v", in, err)
		}
		return ""
	})
}

// cancelAfterSwap is the search index whose rebuild's context is ended
// the moment its fresh index is swapped in.
type cancelAfterSwap struct {
	app.SearchIndex
	cancel context.CancelFunc
}

func (c cancelAfterSwap) RebuildOpenings(ctx context.Context, fill func(add func([]domain.Opening) error) error) error {
	err := c.SearchIndex.RebuildOpenings(ctx, fill)
	c.cancel()
	return err
}

// The rebuild lock is held by a transaction kept open while the rebuild
// runs. When its session ended under a rebuild that went on (Postgres
// restarted, the connection cut, the backend terminated), the lock went
// with it and nothing told the rebuild: another replica's check took the
// lock and started a second full rebuild, and both swapped their index in.
// A rebuild that finds its lock taken by another process stops.
func TestRebuildStopsWhenItsLockIsTakenByAnother(t *testing.T) {
	a := appWithIndexedOpening(t, "锁丢失岗位")
	ctx := context.Background()
	db := testutil.SQL(t, a.DBURL)
	other := openTx(t, db)
	_, err := a.Server.Background.Reindex(ctx, app.Progress{Total: func(int64) {}, Done: func(int) {
		// The rebuild's lock session ends; another process takes the lock.
		endRebuildLockSession(t, other)
		var took bool
		if err := other.QueryRow(`SELECT pg_try_advisory_xact_lock(hashtextextended('gradzone.search_rebuild', 0))`).Scan(&took); err != nil || !took {
			t.Fatalf("another process taking the lock: %v %v", took, err)
		}
		// The rebuild goes on meanwhile: its lock is checked every second
		// (ten, for a machine busy with -race).
		time.Sleep(10 * time.Second)
	}})
	if err == nil {
		t.Fatal("a rebuild whose lock another process took swapped its index in")
	}
}

// A rebuild whose lock's session ended and that no other process took
// meanwhile takes the lock again and goes on: a check of another replica
// finds it held and starts no second rebuild.
func TestRebuildTakesItsLockAgainWhenItsSessionEnds(t *testing.T) {
	a := appWithIndexedOpening(t, "锁重取岗位")
	ctx := context.Background()
	db := testutil.SQL(t, a.DBURL)
	n, err := a.Server.Background.Reindex(ctx, app.Progress{Total: func(int64) {}, Done: func(int) {
		endRebuildLockSession(t, db)
		// The next check of the lock finds its session gone and takes it
		// again (waited for, not slept: a busy machine checks late).
		testutil.Eventually(t, 30*time.Second, 100*time.Millisecond, func() string {
			var held int
			db.QueryRow(`SELECT count(*) ` + testutil.RebuildLockHolders).Scan(&held)
			if held != 1 {
				return "the rebuild did not take its lock again"
			}
			return ""
		})
		release, ok, err := a.Server.Store.HoldSearchRebuild(ctx, false, nil)
		if ok {
			release()
		}
		if err != nil || ok {
			t.Errorf("another process took the rebuild lock while the rebuild went on: %v %v", ok, err)
		}
	}})
	if err != nil || n != 1 {
		t.Fatalf("reindex: %d %v", n, err)
	}
}

// appWithIndexedOpening is a server with one published opening, titled
// title, in its search index.
func appWithIndexedOpening(t *testing.T, title string) *testutil.App {
	t.Helper()
	a := testutil.NewApp(t)
	emp, admin := a.Publisher()
	a.Publish(emp, admin, map[string]any{"title": title})
	a.WaitIndexed(30 * time.Second)
	return a
}

// openTx begins a transaction on db, as another process's, rolled back
// at the test's end if the test has not ended it.
func openTx(t *testing.T, db *sql.DB) *sql.Tx {
	t.Helper()
	tx, err := db.BeginTx(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tx.Rollback() })
	return tx
}

// endRebuildLockSession ends the session holding the rebuild lock, as a
// Postgres restart or a cut connection would.
func endRebuildLockSession(t *testing.T, q interface {
	QueryRow(query string, args ...any) *sql.Row
}) {
	t.Helper()
	var ended bool
	if err := q.QueryRow(`SELECT pg_terminate_backend(pid, 5000) ` + testutil.RebuildLockHolders).Scan(&ended); err != nil || !ended {
		t.Fatalf("ending the rebuild lock's session: %v %v", ended, err)
	}
}

// holdRebuildLock takes the search rebuild lock as another process would,
// once no rebuild holds it. The release may be called more than once, and
// is called at the test's end.
func holdRebuildLock(t *testing.T, a *testutil.App) (release func()) {
	t.Helper()
	testutil.Eventually(t, 60*time.Second, 250*time.Millisecond, func() string {
		r, ok, err := a.Server.Store.HoldSearchRebuild(context.Background(), false, nil)
		switch {
		case err != nil:
			return err.Error()
		case !ok:
			return "a rebuild still runs"
		}
		release = sync.OnceFunc(r)
		return ""
	})
	t.Cleanup(release)
	return release
}

// send is App.Do without its rule that a 5xx fails the test: the fault
// tests expect 503. Exchanges under /api/v1 are still checked against the
// API description.
func send(t *testing.T, a *testutil.App, method, path, token string, body any) testutil.Response {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, a.URL+path, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := a.Client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return testutil.Response{Status: res.StatusCode, Header: res.Header, Body: b}
}

// unavailable fails unless r is 503 unavailable with a Retry-After.
func unavailable(t *testing.T, what string, r testutil.Response) {
	t.Helper()
	if r.Status != http.StatusServiceUnavailable || r.ErrorCode() != "unavailable" {
		t.Fatalf("%s: want 503 unavailable, got %d %s", what, r.Status, r.Body)
	}
	if n, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || n < 1 {
		t.Fatalf("%s: Retry-After %q", what, r.Header.Get("Retry-After"))
	}
}

// Issue 14 item 4 and the contract: with Postgres stopped (the test's own
// cluster, stopped as a crash would), public search is answered from
// Meilisearch — anonymous or with a token — while writes, signed-in reads
// and sign-in answer 503 unavailable with Retry-After (the web pages a
// styled 503 page), never 500, and /readyz says not ready. When Postgres
// returns everything works again by itself and nothing accepted was lost.
func TestPostgresDown(t *testing.T) {
	pg := testutil.StartPostgres(t)
	a := testutil.NewApp(t, testutil.DatabaseURL(pg.URL()), testutil.MetricsCacheFor(time.Millisecond))
	emp, admin, first := a.PublishedOpening(map[string]any{"title": "生物医药科研助理"})
	second := a.Publish(emp, admin, map[string]any{"title": "材料实验员"})
	g := a.Graduate()
	applied := a.Must(http.StatusCreated, "POST", "/api/v1/openings/"+first+"/applications", g.Token,
		map[string]string{"cover_letter": "停机前的申请"}).JSON()["id"].(string)
	a.WaitIndexed(30 * time.Second)

	pg.Stop()

	for _, token := range []string{"", g.Token} {
		r := send(t, a, "GET", "/api/v1/openings?per_page=50", token, nil)
		if r.Status != http.StatusOK || r.JSON()["engine"] != "meilisearch" || r.JSON()["total"] != 2.0 {
			t.Fatalf("search with Postgres down (token %v): %d %s", token != "", r.Status, r.Body)
		}
	}
	unavailable(t, "apply", send(t, a, "POST", "/api/v1/openings/"+second+"/applications", g.Token, map[string]string{"cover_letter": "停机期间"}))
	unavailable(t, "me", send(t, a, "GET", "/api/v1/me", g.Token, nil))
	unavailable(t, "login", send(t, a, "POST", "/api/v1/auth/login", "", map[string]string{"email": g.Email, "password": testutil.Password}))
	unavailable(t, "opening", send(t, a, "GET", "/api/v1/openings/"+first, "", nil))

	ready := send(t, a, "GET", "/readyz", "", nil)
	if ready.Status != http.StatusServiceUnavailable || ready.JSON()["status"] == "ok" {
		t.Fatalf("readyz with Postgres down: %d %s", ready.Status, ready.Body)
	}
	// Its 503 is the contract's like every other: `unavailable` in the error
	// shape, with Retry-After (contract43b: it had neither).
	if ready.ErrorCode() != "unavailable" || ready.Header.Get("Retry-After") == "" {
		t.Errorf("readyz's 503: code %q, Retry-After %q: %s", ready.ErrorCode(), ready.Header.Get("Retry-After"), ready.Body)
	}
	if d := a.Metrics("/readyz").JSON(); d["postgres"] != "down" {
		t.Fatalf("detailed readyz: %v", d)
	}
	// /metrics still answers: the programme's numbers, read from Postgres
	// at scrape time, are left out (not zero: a graph must not show a
	// drop), and gradzone_programme_up and the errors say why.
	m := a.Metrics("/metrics")
	if body := string(m.Body); m.Status != http.StatusOK || !strings.Contains(body, "\ngradzone_programme_up 0\n") ||
		strings.Contains(body, "\ngradzone_programme_placements{") || strings.Contains(body, "\ngradzone_programme_applications{") {
		t.Errorf("/metrics with Postgres down: %d, up 0 %v, numbers left out %v", m.Status, strings.Contains(body, "\ngradzone_programme_up 0\n"),
			!strings.Contains(body, "\ngradzone_programme_placements{"))
	} else if v, _ := metricValue(body, "gradzone_programme_read_errors_total"); v < 1 {
		t.Errorf("the failed reads are not counted: %v", v)
	}

	// The web: a page that needs the database is the styled 503 page, in
	// the reader's language, with Retry-After.
	jar, _ := cookiejar.New(nil)
	u, _ := url.Parse(a.URL)
	jar.SetCookies(u, []*http.Cookie{{Name: "gz_lang", Value: "en", Path: "/"}})
	web := &http.Client{Jar: jar}
	res, err := web.Get(a.URL + "/openings/" + first)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" ||
		!strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") || !strings.Contains(string(page), "briefly unavailable") {
		t.Fatalf("web page with Postgres down: %d %v\n%s", res.StatusCode, res.Header, page)
	}

	// A signed-in reader whose session cannot be checked gets the same 503
	// page, not the sign-in page: the database is down, the session is not.
	jar.SetCookies(u, []*http.Cookie{{Name: "gz_access", Value: g.Token, Path: "/"}})
	web.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	res, err = web.Get(a.URL + "/account")
	if err != nil {
		t.Fatal(err)
	}
	page, _ = io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" || !strings.Contains(string(page), "briefly unavailable") {
		t.Fatalf("signed-in page with Postgres down: %d %v\n%s", res.StatusCode, res.Header, page)
	}

	pg.Start()
	deadline := time.Now().Add(30 * time.Second)
	for send(t, a, "GET", "/readyz", "", nil).Status != http.StatusOK {
		if time.Now().After(deadline) {
			t.Fatal("not ready 30 s after Postgres came back")
		}
		time.Sleep(200 * time.Millisecond)
	}
	metricsUntil(t, a, 10*time.Second, "once Postgres is back", map[string]func(float64) bool{"gradzone_programme_up": func(v float64) bool { return v == 1 },
		`gradzone_programme_placements{province="51"}`: func(v float64) bool { return v == 0 }})
	// The pool recovered by itself: the same token works, writes work, and
	// what was accepted before the outage is all there.
	me := a.Must(http.StatusOK, "GET", "/api/v1/me", g.Token, nil).JSON()
	if me["email"] != g.Email {
		t.Fatalf("me after recovery: %v", me)
	}
	a.Apply(g, second, "恢复之后")
	a.Must(http.StatusOK, "GET", "/api/v1/applications/"+applied, g.Token, nil)
	list := a.Must(http.StatusOK, "GET", "/api/v1/applications", g.Token, nil).JSON()
	if list["total"] != 2.0 {
		t.Fatalf("applications after recovery: %v", list)
	}
	a.LoginWith(g.Email, testutil.Password)
	if r := a.Search("per_page=50"); r["total"] != 2.0 {
		t.Fatalf("search after recovery: %v", r)
	}
}

// A fresh-clone TestSeason ended with search short of two openings and a
// heal check "running" since the season restarted Postgres: a check
// orphaned by a process that died stays running until its 30-minute
// timeout lets River's rescuer take it back, and while the check was unique
// while running no other check ran. An orphaned check no longer stops the
// next ones.
func TestSearchHealsPastAnOrphanedCheck(t *testing.T) {
	a := testutil.NewApp(t, testutil.SearchHealEvery(time.Second))
	emp, admin := a.Publisher()
	a.Publish(emp, admin, map[string]any{"title": "孤儿检查后岗位"})
	a.WaitIndexed(30 * time.Second)
	db := testutil.SQL(t, a.DBURL)
	// The orphan: the last check, as if a process had claimed it just now
	// and died (its row, unique key and all, back to running).
	testutil.Eventually(t, 30*time.Second, 100*time.Millisecond, func() string {
		res, err := db.Exec(`UPDATE river_job SET state = 'running', attempted_at = now(), finalized_at = NULL
			WHERE id = (SELECT max(id) FROM river_job WHERE kind = 'search_heal' AND state = 'completed')`)
		if n, _ := res.RowsAffected(); err != nil || n != 1 {
			return fmt.Sprintf("no check to orphan yet (%v)", err)
		}
		return ""
	})
	dropped := time.Now()
	if err := a.Server.Index.Drop(context.Background()); err != nil {
		t.Fatal(err)
	}
	waitZoneInMeili(t, a, 90*time.Second, 1, "search did not heal beside an orphaned check", func() string {
		var n int
		db.QueryRow(`SELECT count(*) FROM river_job WHERE kind = 'search_heal' AND state = 'completed' AND attempted_at > $1`, dropped).Scan(&n)
		return fmt.Sprintf("%d checks ran", n)
	})
}

// A replica probe killed a replica that held an index job: until River's
// rescuer took the job back (about two minutes), every replica bypassed
// its search cache as if Meilisearch were down or behind, though it was
// neither: the orphan counted as the index's lag. A job running past
// River's job timeout belongs to a dead process; it is the rescuer's.
func TestOrphanedIndexJobIsNotLag(t *testing.T) {
	a := appWithIndexedOpening(t, "孤儿索引任务")
	db := testutil.SQL(t, a.DBURL)
	res, err := db.Exec(`UPDATE river_job
		SET state = 'running', attempted_at = now() - interval '90 seconds', created_at = now() - interval '90 seconds', finalized_at = NULL
		WHERE id = (SELECT max(id) FROM river_job WHERE kind = 'index_openings' AND state = 'completed')`)
	if n, _ := res.RowsAffected(); err != nil || n != 1 {
		t.Fatalf("no index job to orphan: %v", err)
	}
	if st, err := a.Server.Store.SearchIndexState(context.Background()); err != nil || st.LagSeconds > 5 {
		t.Errorf("an orphaned job counts as %v s of lag (%v)", st.LagSeconds, err)
	}
	time.Sleep(300 * time.Millisecond) // the cache reads the state every 100 ms
	if s := a.Server.Search.CacheState(); s != "in use" {
		t.Errorf("beside an orphaned index job the search cache is %q", s)
	}
	// A job that waits, unlike one a dead process holds, is lag.
	if _, err := db.Exec(`UPDATE river_job SET state = 'scheduled', scheduled_at = now() + interval '1 hour', attempted_at = NULL
		WHERE kind = 'index_openings' AND state = 'running'`); err != nil {
		t.Fatal(err)
	}
	if st, err := a.Server.Store.SearchIndexState(context.Background()); err != nil || st.LagSeconds < 60 {
		t.Errorf("a waiting job's lag: %v s (%v)", st.LagSeconds, err)
	}
}

// An ops probe killed, wiped and hung the S3 gateway: résumé uploads and
// downloads answered 500 (the contract's answer to a dependency down is
// 503), a hung gateway held a download for as long as its reader waited,
// a wiped one refused uploads until serve restarted, and serve would not
// start while the gateway was down. Now: 503 with Retry-After while it is
// down or hung, nothing half-written, the bucket made again by the next
// upload, and serve starts without it.
func TestResumesWhileS3IsDown(t *testing.T) {
	s3 := testutil.StartS3(t)
	a := testutil.NewApp(t, testutil.S3At(s3))
	g := a.Graduate()
	pdf := []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
	first := a.UploadFile("/api/v1/me/resume", g.Token, "cv.pdf", pdf)
	if first.Status != http.StatusCreated {
		t.Fatalf("upload: %d %s", first.Status, first.Body)
	}
	resume := "/api/v1/graduates/" + g.ID + "/resume"
	var file string
	stored := func() string {
		testutil.SQL(t, a.DBURL).QueryRow(`SELECT coalesce(resume_file, '') FROM graduates WHERE user_id = $1`, g.ID).Scan(&file)
		return file
	}
	kept := stored()

	s3.Stop()
	unavailable(t, "an upload while the gateway is down", a.SendFile("/api/v1/me/resume", g.Token, "cv2.pdf", pdf))
	unavailable(t, "a download while the gateway is down", send(t, a, "GET", resume, g.Token, nil))
	if r := a.Metrics("/readyz"); r.Status != http.StatusOK || r.JSON()["s3"] != "down" {
		t.Errorf("the details while the gateway is down: %d %s", r.Status, r.Body)
	}
	if stored() != kept {
		t.Errorf("the profile names %q after a refused upload, was %q", file, kept)
	}
	s3.Start()
	a.Must(http.StatusOK, "GET", resume, g.Token, nil)
	if s := a.Metrics("/readyz").JSON()["s3"]; s != "up" {
		t.Errorf("the details once the gateway is back: s3 %v", s)
	}

	s3.Pause()
	unavailable(t, "a download while the gateway hangs", send(t, a, "GET", resume, g.Token, nil))
	s3.Resume()

	// A wiped gateway: the lost file is gone, the next upload makes the
	// bucket again.
	s3.Wipe()
	if r := a.UploadFile("/api/v1/me/resume", g.Token, "cv3.pdf", pdf); r.Status != http.StatusCreated {
		t.Fatalf("an upload after the gateway was wiped: %d %s", r.Status, r.Body)
	}
	a.Must(http.StatusOK, "GET", resume, g.Token, nil)

	// serve starts while the gateway is down, and its files work once it
	// is back: the bucket, lost meanwhile, made by the first upload.
	s3.Wipe()
	s3.Stop()
	b := testutil.NewApp(t, testutil.S3At(s3))
	s3.Start()
	h := b.Graduate()
	if r := b.UploadFile("/api/v1/me/resume", h.Token, "cv.pdf", pdf); r.Status != http.StatusCreated {
		t.Fatalf("an upload to a replica started while the gateway was down: %d %s", r.Status, r.Body)
	}
}

// waitZoneInMeili waits until Meilisearch, not the Postgres fallback,
// answers the Chengdu zone's search with total openings; detail, if not nil,
// adds what the test knows of why not to the failure.
func waitZoneInMeili(t *testing.T, a *testutil.App, timeout time.Duration, total float64, what string, detail func() string) {
	t.Helper()
	testutil.Eventually(t, timeout, 250*time.Millisecond, func() string {
		r := a.Search("zone=sichuan-chengdu&per_page=50")
		if r["engine"] == "meilisearch" && r["total"] == total {
			return ""
		}
		msg := fmt.Sprintf("%s: %v %v", what, r["engine"], r["total"])
		if detail != nil {
			msg += "; " + detail()
		}
		return msg
	})
}
