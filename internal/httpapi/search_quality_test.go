package httpapi_test

import (
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/testutil"
)

// Issue 15 finding 9, as acceptance tests on a small corpus: a degree word
// is the degree filter, every word of a query must match (so the count is
// the count of real matches), and sort=salary sorts even with a query.
// Each search runs on Meilisearch and again on the Postgres fallback, which
// must agree.
func TestSearchQuality(t *testing.T) {
	a := testutil.NewApp(t)
	emp, admin := a.Publisher()
	pub := func(title, description, degree string, salaryMax int) string {
		return a.Publish(emp, admin, map[string]any{"title": title, "description": description, "degree_min": degree,
			"salary_min": 5000, "salary_max": salaryMax})
	}
	ids := map[string]string{
		"ml-phd":      pub("机器学习科研助理", "参与课题组的模型训练。", "doctor", 8000),
		"ml-master":   pub("平台工程助理", "搭建平台，支持机器学习实验。", "master", 20000),
		"ml-data":     pub("机器学习数据分析助理", "清洗与分析数据。", "master", 12000),
		"chem-master": pub("化学实验助理", "负责样品制备。", "master", 9000),
		"bio-bach":    pub("生物样本助理", "样本登记与管理。", "bachelor", 6000),
	}
	name := map[string]string{}
	for k, v := range ids {
		name[v] = k
	}
	a.WaitIndexed(30 * time.Second)

	type result struct {
		total int
		order []string
	}
	run := func(query string) map[string]result {
		out := map[string]result{}
		m := a.Search(query)
		if m["engine"] != "meilisearch" {
			t.Fatalf("%s: engine %v", query, m["engine"])
		}
		var order []string
		for _, id := range testutil.IDs(m) {
			order = append(order, name[id])
		}
		out["meilisearch"] = result{int(m["total"].(float64)), order}
		q := domain.SearchQuery{Page: 1, PerPage: 20, Today: domain.DateOf(time.Now())}
		v, _ := url.ParseQuery(query)
		q.Q, q.Sort = v.Get("q"), v.Get("sort")
		pg, err := a.Server.Store.SearchOpenings(t.Context(), q.Tidy().ReadDegreeWords())
		if err != nil {
			t.Fatal(err)
		}
		order = nil
		for _, h := range pg.Items {
			order = append(order, name[h.ID])
		}
		out["postgres"] = result{int(pg.Total), order}
		return out
	}
	sameSet := func(got []string, want ...string) bool {
		g, w := slices.Clone(got), slices.Clone(want)
		slices.Sort(g)
		slices.Sort(w)
		return slices.Equal(g, w)
	}

	for engine, r := range run("q=" + url.QueryEscape("博士")) {
		if r.total != 1 || !sameSet(r.order, "ml-phd") {
			t.Errorf("%s: q=博士 found %d %v, want the doctoral opening only", engine, r.total, r.order)
		}
	}
	for engine, r := range run("q=" + url.QueryEscape("硕士 实验")) {
		if !sameSet(r.order, "chem-master", "ml-master") || r.total != 2 {
			t.Errorf("%s: q=硕士 实验 found %d %v, want the master's openings mentioning 实验", engine, r.total, r.order)
		}
	}
	for engine, r := range run("q=" + url.QueryEscape("机器学习 数据")) {
		if r.total != 1 || !sameSet(r.order, "ml-data") {
			t.Errorf("%s: q=机器学习 数据 found %d %v, want only the opening with both words", engine, r.total, r.order)
		}
	}
	for engine, r := range run("q=" + url.QueryEscape("机器学习") + "&sort=salary") {
		if !slices.Equal(r.order, []string{"ml-master", "ml-data", "ml-phd"}) {
			t.Errorf("%s: q=机器学习 sort=salary gave %v, want highest salary first", engine, r.order)
		}
	}
}
