package app

import (
	"testing"
	"time"

	"github.com/gradzone/gradzone/internal/domain"
)

func TestResultCacheTrustsOnlyFreshReadings(t *testing.T) {
	c := newResultCache(10)
	now := time.Now()
	if _, ok := c.current(now); ok {
		t.Fatal("usable before the first reading")
	}
	c.observe(domain.SearchIndexState{Generation: 7}, now)
	if g, ok := c.current(now.Add(trustFor / 2)); !ok || g != 7 {
		t.Fatalf("fresh reading: %d %v", g, ok)
	}
	if _, ok := c.current(now.Add(trustFor + time.Millisecond)); ok {
		t.Fatal("usable on a stale reading")
	}
	c.observe(domain.SearchIndexState{Generation: 7, LagSeconds: maxLag.Seconds() + 1}, now)
	if _, ok := c.current(now); ok {
		t.Fatal("usable while the index lags")
	}
	if _, ok := newResultCache(0).current(now); ok {
		t.Fatal("a disabled cache is usable")
	}
}

func TestResultCacheEntriesBelongToOneGeneration(t *testing.T) {
	c := newResultCache(10)
	q := domain.SearchQuery{Q: "AI", Page: 1, PerPage: 20}
	c.add(cacheKey(q), 3, domain.SearchResult{Total: 5})
	if r, ok := c.get(cacheKey(q), 3); !ok || r.Total != 5 {
		t.Fatalf("same generation: %v %v", r, ok)
	}
	if _, ok := c.get(cacheKey(q), 4); ok {
		t.Fatal("an entry of generation 3 served at generation 4")
	}
	if h, m := c.hits.Load(), c.misses.Load(); h != 1 || m != 1 {
		t.Fatalf("hits %d misses %d", h, m)
	}
}

func TestCacheKey(t *testing.T) {
	base := domain.SearchQuery{Q: "Machine  Learning", Page: 1, PerPage: 20, Today: domain.Date{Year: 2026, Month: 11, Day: 28}}
	same := base
	same.Q = " machine learning "
	if cacheKey(base) != cacheKey(same) {
		t.Error("case and spacing change the key")
	}
	for name, change := range map[string]func(*domain.SearchQuery){
		"page":     func(q *domain.SearchQuery) { q.Page = 2 },
		"zone":     func(q *domain.SearchQuery) { q.Zone = "sichuan-chengdu" },
		"city":     func(q *domain.SearchQuery) { q.City = "成都" },
		"degree":   func(q *domain.SearchQuery) { q.MyDegree = "master" },
		"sort":     func(q *domain.SearchQuery) { q.Sort = "salary" },
		"today":    func(q *domain.SearchQuery) { q.Today = q.Today.AddDays(1) },
		"per_page": func(q *domain.SearchQuery) { q.PerPage = 50 },
	} {
		other := base
		change(&other)
		if cacheKey(other) == cacheKey(base) {
			t.Errorf("%s does not change the key", name)
		}
	}
}
