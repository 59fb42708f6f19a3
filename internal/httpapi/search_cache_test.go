package httpapi_test

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gradzone/gradzone/internal/testutil"
)

// TestSearchCacheStaysCurrent: a repeated search is answered from the cache,
// and every change to the index — a new opening, a closed one — shows in
// the very next search once the index has it.
func TestSearchCacheStaysCurrent(t *testing.T) {
	a := testutil.NewApp(t)
	emp, admin := a.Publisher()
	first := a.Publish(emp, admin, map[string]any{"title": "缓存测试科研助理"})
	a.WaitIndexed(30 * time.Second)

	query := "q=" + url.QueryEscape("缓存测试") + "&zone=sichuan-chengdu"
	if got := testutil.IDs(a.Search(query)); !slices.Equal(got, []string{first}) {
		t.Fatalf("first search: %v", got)
	}
	hits, _ := a.Server.Search.CacheStats()
	// Case and spacing do not make a different query.
	again := a.Search("q=" + url.QueryEscape("  缓存测试 ") + "&zone=sichuan-chengdu")
	if h, _ := a.Server.Search.CacheStats(); h != hits+1 || again["engine"] != "meilisearch" || !slices.Equal(testutil.IDs(again), []string{first}) {
		t.Fatalf("repeat not served from the cache: hits %d→%d, %v", hits, h, again)
	}

	// Operators see it: in /readyz, and the cache and the index lag are metrics.
	if c := readyCache(a); c != "in use" {
		t.Errorf("readyz cache %q", c)
	}
	metrics := string(a.Metrics("/metrics").Body)
	for _, want := range []string{"gradzone_search_cache_hits_total " + strconv.FormatInt(hits+1, 10),
		"gradzone_search_cache_misses_total ", "gradzone_outbox_lag_seconds "} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}

	second := a.Publish(emp, admin, map[string]any{"title": "缓存测试实验员"})
	a.WaitIndexed(30 * time.Second)
	got := testutil.IDs(a.Search(query))
	slices.Sort(got)
	want := []string{first, second}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("after a new opening: %v, want %v", got, want)
	}

	a.Must(http.StatusOK, "POST", "/api/v1/openings/"+first+"/close", emp.Token, nil)
	a.WaitIndexed(30 * time.Second)
	if got := testutil.IDs(a.Search(query)); !slices.Equal(got, []string{second}) {
		t.Fatalf("after closing: %v, want only %s", got, second)
	}
}

// TestSearchCacheConcurrentMisses: many identical searches at once all get
// the right answer (one engine call serves them).
func TestSearchCacheConcurrentMisses(t *testing.T) {
	a := testutil.NewApp(t)
	emp := a.VerifiedEmployer("44", "")
	admin := a.ProvinceAdmin("44")
	id := a.Publish(emp, admin, map[string]any{"title": "并发缓存岗位"})
	a.WaitIndexed(30 * time.Second)
	var wg sync.WaitGroup
	errs := make(chan string, 32)
	for range 32 {
		wg.Go(func() {
			res := a.Do("GET", "/api/v1/openings?q="+url.QueryEscape("并发缓存"), "", nil).JSON()
			if ids := testutil.IDs(res); len(ids) != 1 || ids[0] != id || res["engine"] != "meilisearch" {
				errs <- ""
			}
		})
	}
	wg.Wait()
	close(errs)
	if n := len(errs); n > 0 {
		t.Fatalf("%d of 32 concurrent searches were wrong", n)
	}
}

// TestSearchCacheBypassedWhileIndexLags: when Meilisearch is down and index
// changes wait, cached results stop being served and the Postgres fallback,
// which is current, answers.
func TestSearchCacheBypassedWhileIndexLags(t *testing.T) {
	m := testutil.StartMeili(t)
	a := testutil.NewApp(t, testutil.MeiliAt(m.URL(), m.Key))
	emp, admin := a.Publisher()
	gone := a.Publish(emp, admin, map[string]any{"title": "停机缓存岗位"})
	kept := a.Publish(emp, admin, map[string]any{"title": "停机缓存岗位"})
	a.WaitIndexed(30 * time.Second)
	query := "q=" + url.QueryEscape("停机缓存")
	if n := len(testutil.IDs(a.Search(query))); n != 2 {
		t.Fatalf("before the outage: %d results", n)
	}

	m.Stop()
	a.Must(http.StatusOK, "POST", "/api/v1/openings/"+gone+"/close", emp.Token, nil)
	deadline := time.Now().Add(15 * time.Second)
	for {
		res := a.Search(query)
		if res["engine"] == "postgres" {
			if ids := testutil.IDs(res); !slices.Equal(ids, []string{kept}) {
				t.Fatalf("fallback: %v, want only %s", ids, kept)
			}
			// The first fallback answer may come from a cache miss whose
			// engine call failed, a moment before the lag or the breaker
			// marks the cache bypassed; readiness must say so soon after.
			if c := readyCache(a); c == "bypassed" {
				return
			}
		}
		// Until the lag passes its bound, the cache answers as the index
		// would: with what it held when it went down.
		if ids := testutil.IDs(res); res["engine"] != "postgres" && len(ids) != 2 {
			t.Fatalf("cached answer changed: %v", ids)
		}
		if time.Now().After(deadline) {
			t.Fatalf("15 s into the outage: engine %v, readyz cache %q", res["engine"], readyCache(a))
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// TestSearchCacheOff: GRADZONE_SEARCH_CACHE_ENTRIES=0 sends every search to
// Meilisearch.
func TestSearchCacheOff(t *testing.T) {
	a := testutil.NewApp(t, testutil.SearchCacheEntries(0))
	emp := a.VerifiedEmployer("44", "")
	admin := a.ProvinceAdmin("44")
	id := a.Publish(emp, admin, map[string]any{"title": "无缓存岗位"})
	a.WaitIndexed(30 * time.Second)
	for range 3 {
		if ids := testutil.IDs(a.Search("q=" + url.QueryEscape("无缓存"))); !slices.Equal(ids, []string{id}) {
			t.Fatalf("search: %v", ids)
		}
	}
	if h, m := a.Server.Search.CacheStats(); h != 0 || m != 0 || readyCache(a) != "off" {
		t.Fatalf("cache used while off: %d hits, %d misses, readyz %q", h, m, readyCache(a))
	}
}

func readyCache(a *testutil.App) any {
	rd := a.Metrics("/readyz").JSON()
	return rd["meilisearch"].(map[string]any)["cache"]
}
