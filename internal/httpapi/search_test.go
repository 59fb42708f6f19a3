package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/testutil"
)

// corpus publishes a small, varied set of openings and returns their IDs by key.
func corpus(t *testing.T, a *testutil.App) map[string]string {
	cd := a.VerifiedEmployer("51", "sichuan-chengdu")
	cdAdmin := a.ZoneAdmin("sichuan-chengdu")
	sz := a.VerifiedEmployer("44", "guangdong-shenzhen")
	szAdmin := a.ZoneAdmin("guangdong-shenzhen")
	gz := a.VerifiedEmployer("44", "")
	gdAdmin := a.ProvinceAdmin("44")
	ids := map[string]string{
		"ai":     a.Publish(cd, cdAdmin, map[string]any{"title": "人工智能算法工程师助理", "industry": "ai", "degree_min": "master", "city": "成都", "salary_max": 12000}),
		"ml":     a.Publish(sz, szAdmin, map[string]any{"title": "Machine Learning Research Assistant", "description": "Work on deep models.", "industry": "next_gen_it", "degree_min": "master", "city": "深圳", "salary_max": 15000}),
		"ra":     a.Publish(cd, cdAdmin, map[string]any{"title": "生物医药科研助理", "industry": "biomedicine", "discipline": "medicine", "degree_min": "bachelor", "city": "成都", "salary_max": 8000}),
		"class":  a.Publish(sz, szAdmin, map[string]any{"title": "2025届新材料实验助理", "industry": "new_materials", "degree_min": "bachelor", "city": "深圳", "salary_max": 9000}),
		"java":   a.Publish(gz, gdAdmin, map[string]any{"title": "Java开发科研助理", "industry": "next_gen_it", "degree_min": "associate", "city": "广州", "salary_max": 10000}),
		"biomed": a.Publish(gz, gdAdmin, map[string]any{"title": "Biomedicine lab assistant", "industry": "biomedicine", "degree_min": "doctor", "city": "广州", "salary_max": 20000}),
	}
	return ids
}

func has(m map[string]any, id string) bool { return slices.Contains(testutil.IDs(m), id) }

func TestSearchLanguages(t *testing.T) {
	a := testutil.NewApp(t)
	ids := corpus(t, a)
	a.WaitIndexed(30 * time.Second)

	cases := []struct{ q, want string }{
		{"人工智能", "ai"},
		{"machin lerning", "ml"},
		{"kyzl", "ra"},
		{"keyanzhuli", "ra"},
		{"ke yan zhu li", "ra"},
		{"chengdu", "ai"},
		{"2025", "class"},
		{"Java", "java"},
		{"artificial intelligence", "ai"}, // English synonym finds the Chinese title
		{"生物医药", "biomed"},                // Chinese synonym finds the English title
		{"机器学习", "ml"},
		// A browser walk pasted whole titles and typed cities with 市:
		// both found nothing.
		{"2025届新材料实验助理", "class"},
		{"2025届", "class"},
		{"Java开发科研助理", "java"},
		{"成都市", "ai"},
		{"深圳市 2025届", "class"},
		// A walk on the English site: one English word found nothing
		// ("data", "biology"); only phrases had synonyms.
		{"biology", "ra"},
		{"engineer", "ai"},
		{"assistant", "class"},
		{"materials", "class"},
		// A search walk: text pasted from a chat (an emoji beside the
		// words) or typed in an IME's full-width mode found nothing.
		{"🤖 人工智能", "ai"},
		{"ＪＡＶＡ", "java"},
		{"Ｊａｖａ开发", "java"},
	}
	for _, tc := range cases {
		m := a.Search("q=" + url.QueryEscape(tc.q))
		if m["engine"] != "meilisearch" {
			t.Fatalf("engine %v", m["engine"])
		}
		if !has(m, ids[tc.want]) {
			t.Errorf("q=%q did not find %s; got %v", tc.q, tc.want, titles(m))
		}
	}
	// A homophone typo (人工致能 for 人工智能, 深证 for 深圳) matches nothing
	// as written; it is searched again by its sound, and the answer says
	// so (a probe found nothing). A query that matches as written is not.
	for q, want := range map[string]string{"人工致能": "ai", "生物医要": "ra", "深证 2025届": "class"} {
		m := a.Search("q=" + url.QueryEscape(q))
		if !has(m, ids[want]) || m["sounds_like"] == nil || m["sounds_like"] == "" {
			t.Errorf("q=%q: %v, sounds_like %v", q, titles(m), m["sounds_like"])
		}
	}
	for _, q := range []string{"人工智能", "人工智能🚀"} {
		if m := a.Search("q=" + url.QueryEscape(q)); m["sounds_like"] != nil {
			t.Errorf("q=%q, an exact match, sounds like %v", q, m["sounds_like"])
		}
	}
	if m := a.Search("q=" + url.QueryEscape("量子纠缠")); m["total"].(float64) != 0 {
		t.Errorf("a word no opening sounds like found %v", titles(m))
	}
	// A review: the sound of "-成都" must still exclude, not require, and
	// one character (a syllable that prefixes half the index) is not tried.
	if m := a.Search("q=" + url.QueryEscape("人工致能 -成都")); has(m, ids["ai"]) {
		t.Errorf("an excluded city by sound found %v", titles(m))
	}
	if m := a.Search("q=" + url.QueryEscape("致")); m["sounds_like"] != nil {
		t.Errorf("one character was searched by sound: %v", titles(m))
	}
	// A walk's "Chengdu" also counted 集成电路 (ji cheng dian lu) in
	// Guangzhou: "chengdi" is one typo from "chengdu" and a prefix of
	// "chengdian". Pinyin is matched as spelt (a prefix still counts).
	gz := a.VerifiedEmployer("44", "")
	if _, err := testutil.SQL(t, a.DBURL).Exec(`UPDATE employers SET name = '广州芯研微电子有限公司' WHERE id = $1`, gz.EmployerID); err != nil {
		t.Fatal(err)
	}
	chip := a.Publish(gz, a.ProvinceAdmin("44"), map[string]any{"title": "集成电路版图助理", "description": "科技成果转化", "industry": "next_gen_it", "city": "广州"})
	a.WaitIndexed(30 * time.Second)
	if m := a.Search("q=chengdu"); has(m, chip) {
		t.Errorf("chengdu found %v", titles(m))
	}
	for _, q := range []string{"jichengdianlu", "jicheng", "集成电路"} {
		if m := a.Search("q=" + url.QueryEscape(q)); !has(m, chip) {
			t.Errorf("q=%q did not find 集成电路版图助理: %v", q, titles(m))
		}
	}
	// A search walk: "xian" listed 碳纤维 (tan xian wei) above 西安's
	// openings, all of them matching one syllable: a place spelt in pinyin
	// ranks its own openings first, however the name is written.
	xian := a.Publish(gz, a.ProvinceAdmin("44"), map[string]any{"title": "数据标注助理", "city": "西安"})
	fibre := a.Publish(gz, a.ProvinceAdmin("44"), map[string]any{"title": "碳纤维复合材料科研助理", "city": "广州"})
	// A second walk: 咸阳 (xian yang) then ranked above 西安 for "xian".
	a.Publish(gz, a.ProvinceAdmin("44"), map[string]any{"title": "农业遥感数据分析助理", "city": "咸阳"})
	a.WaitIndexed(30 * time.Second)
	for _, q := range []string{"xian", "Xi'an", "xi’an", "XIAN"} {
		if got := testutil.IDs(a.Search("q=" + url.QueryEscape(q))); len(got) == 0 || got[0] != xian {
			t.Errorf("q=%q: %v first, want 西安's opening (碳纤维 is %s)", q, titles(a.Search("q="+url.QueryEscape(q))), fibre)
		}
	}
	// The same walk: 实习 matched nothing as written and was searched by a
	// sound that prefixes and nearly spells half the index (218 of 350
	// unrelated openings). Sound is matched as spelt; a near sound only
	// for a long word.
	if m := a.Search("q=" + url.QueryEscape("实习")); m["total"].(float64) != 0 {
		t.Errorf("实习 found %v by sound %v", titles(m), m["sounds_like"])
	}
	// Its 科研助里 found a third of what 科研助理 finds; by sound it finds
	// every title that says 科研助理 (an English title is 科研助理's by
	// synonym, which a sound does not reach).
	typo := titles(a.Search("q=" + url.QueryEscape("科研助里")))
	for _, title := range titles(a.Search("q=" + url.QueryEscape("科研助理"))) {
		if strings.Contains(title, "科研助理") && !slices.Contains(typo, title) {
			t.Errorf("科研助里 did not find %s: %v", title, typo)
		}
	}
	// A walk: pinyin found a fifth of what the same words in characters
	// found (rengongzhineng 9, 人工智能 42): the industry, discipline and
	// majors were not spelt in pinyin. They are (the description is not:
	// its windows would double the index).
	algo := a.Publish(gz, a.ProvinceAdmin("44"), map[string]any{"title": "算法实验助理", "industry": "ai", "majors": []string{"计算机科学与技术"}})
	a.WaitIndexed(30 * time.Second)
	for _, q := range []string{"人工智能", "rengongzhineng", "rgzn", "jisuanji"} {
		if m := a.Search("q=" + url.QueryEscape(q)); !has(m, algo) {
			t.Errorf("q=%q did not find the AI-industry opening: %v", q, titles(m))
		}
	}
	// Highlights mark the matched words, in the original text.
	m := a.Search("q=" + url.QueryEscape("Java"))
	hl := m["items"].([]any)[0].(map[string]any)["highlight"].(map[string]any)["title"]
	if hl != "<mark>Java</mark>开发科研助理" {
		t.Errorf("highlight %q", hl)
	}
}

func titles(m map[string]any) []string {
	var out []string
	for _, it := range m["items"].([]any) {
		out = append(out, it.(map[string]any)["title"].(string))
	}
	return out
}

func TestSearchFiltersAndFacets(t *testing.T) {
	a := testutil.NewApp(t)
	ids := corpus(t, a)
	a.WaitIndexed(30 * time.Second)

	// Every answer in this test must come from Meilisearch: a fallback would
	// hide a broken query.
	search := func(q string) map[string]any {
		t.Helper()
		m := a.Search(q)
		if m["engine"] != "meilisearch" {
			t.Fatalf("%s answered by %v", q, m["engine"])
		}
		return m
	}
	all := search("")
	if all["total"].(float64) != 6 || len(all["items"].([]any)) != 6 {
		t.Fatalf("all: %v", all["total"])
	}
	f := all["facets"].(map[string]any)
	expectFacet := func(f map[string]any, name string, want map[string]float64) {
		t.Helper()
		got := f[name].(map[string]any)
		if len(got) != len(want) {
			t.Errorf("facet %s = %v, want %v", name, got, want)
		}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("facet %s[%s] = %v, want %v", name, k, got[k], v)
			}
		}
	}
	expectFacet(f, "zone", map[string]float64{"sichuan-chengdu": 2, "guangdong-shenzhen": 2})
	expectFacet(f, "province", map[string]float64{"51": 2, "44": 4})
	expectFacet(f, "industry", map[string]float64{"ai": 1, "next_gen_it": 2, "biomedicine": 2, "new_materials": 1})
	expectFacet(f, "degree_min", map[string]float64{"master": 2, "bachelor": 2, "associate": 1, "doctor": 1})
	expectFacet(f, "employer_type", map[string]float64{"enterprise": 6})

	sets := map[string][]string{
		"zone=sichuan-chengdu":                           {"ai", "ra"},
		"province=44":                                    {"ml", "class", "java", "biomed"},
		"industry=biomedicine":                           {"ra", "biomed"},
		"degree=master":                                  {"ai", "ml"},
		"city=" + url.QueryEscape("广州"):                  {"java", "biomed"},
		"province=44&industry=next_gen_it":               {"ml", "java"},
		"province=44&industry=biomedicine&degree=doctor": {"biomed"},
		"zone=sichuan-chengdu&degree=doctor":             {},
		"employer_type=university":                       {},
		// my_degree: what a graduate of the degree may apply to.
		"my_degree=bachelor":                    {"ra", "class", "java"},
		"my_degree=master&zone=sichuan-chengdu": {"ai", "ra"},
		"my_degree=associate&degree=bachelor":   {},
		"my_degree=doctor&industry=biomedicine": {"ra", "biomed"},
	}
	for q, want := range sets {
		m := search(q)
		var wantIDs []string
		for _, k := range want {
			wantIDs = append(wantIDs, ids[k])
		}
		got := testutil.IDs(m)
		slices.Sort(got)
		slices.Sort(wantIDs)
		if !slices.Equal(got, wantIDs) || int(m["total"].(float64)) != len(want) {
			t.Errorf("%s: got %v (total %v), want %v", q, titles(m), m["total"], want)
		}
	}
	// Facets count within the current filters.
	m := search("province=44")
	expectFacet(m["facets"].(map[string]any), "industry", map[string]float64{"next_gen_it": 2, "biomedicine": 1, "new_materials": 1})

	// Sorts and paging.
	m = search("sort=salary&per_page=2&page=1")
	if got := testutil.IDs(m); len(got) != 2 || got[0] != ids["biomed"] || got[1] != ids["ml"] || m["total"].(float64) != 6 || m["per_page"].(float64) != 2 {
		t.Errorf("salary sort page 1: %v", titles(m))
	}
	m = search("sort=salary&per_page=2&page=3")
	if got := testutil.IDs(m); len(got) != 2 || got[1] != ids["ra"] {
		t.Errorf("salary sort page 3: %v", titles(m))
	}
	m = search("sort=newest")
	if testutil.IDs(m)[0] != ids["biomed"] {
		t.Errorf("newest first: %v", titles(m))
	}

	// Bad parameters are 422s naming the parameter.
	for q, field := range map[string]string{"sort=price": "sort", "degree=phd": "degree", "industry=x": "industry",
		"employer_type=ngo": "employer_type", "my_degree=phd": "my_degree", "zone=nope": "zone", "province=99": "province",
		"province=-1": "province", "per_page=101": "per_page", "page=0": "page", "page=abc": "page"} {
		r := a.Must(http.StatusUnprocessableEntity, "GET", "/api/v1/openings?"+q, "", nil)
		if r.Field(field) == "" {
			t.Errorf("%s: %s", q, r.Body)
		}
	}
	// A page past the last one says where the pages end (a contract check:
	// "from 1" alone).
	for _, path := range []string{"/api/v1/openings?page=100001", "/api/v1/events?page=100001"} {
		if r := a.Must(http.StatusUnprocessableEntity, "GET", path, "", nil); r.Field("page") != "must be a whole number from 1 to 100000" {
			t.Errorf("%s: %s", path, r.Body)
		}
	}
	// The event list and the zone list too (a verify walk: an empty list).
	if r := a.Must(http.StatusUnprocessableEntity, "GET", "/api/v1/events?zone=abc", "", nil); r.Field("zone") != "unknown zone" {
		t.Errorf("events of a zone that is none: %s", r.Body)
	}
	if r := a.Must(http.StatusUnprocessableEntity, "GET", "/api/v1/zones?province=99", "", nil); r.Field("province") != "unknown province" {
		t.Errorf("zones of a province that is none: %s", r.Body)
	}
	// Metacharacters are just text.
	for _, q := range []string{`"`, `' OR 1=1 --`, `<script>`, `\`, "😀", `zone_code = "x"`} {
		a.Must(http.StatusOK, "GET", "/api/v1/openings?q="+url.QueryEscape(q), "", nil)
		a.Must(http.StatusOK, "GET", "/api/v1/openings?city="+url.QueryEscape(q), "", nil)
		if r := a.Must(http.StatusUnprocessableEntity, "GET", "/api/v1/openings?zone="+url.QueryEscape(q), "", nil); r.Field("zone") != "unknown zone" {
			t.Errorf("zone=%s: %s", q, r.Body)
		}
	}
}

// TestSearchHidesUnlisted: drafts, pending, rejected, closed and expired
// openings never appear; an approved one is findable within 5 s.
func TestSearchHidesUnlisted(t *testing.T) {
	a := testutil.NewApp(t)
	emp, admin := a.Publisher()
	create := func(title string) string {
		return a.Must(http.StatusCreated, "POST", "/api/v1/openings", emp.Token, testutil.OpeningBody(map[string]any{"title": title})).JSON()["id"].(string)
	}
	create("草稿岗位")
	pending := create("待审岗位")
	a.Must(http.StatusOK, "POST", "/api/v1/openings/"+pending+"/submit", emp.Token, nil)
	rejected := create("驳回岗位")
	a.Must(http.StatusOK, "POST", "/api/v1/openings/"+rejected+"/submit", emp.Token, nil)
	a.Must(http.StatusOK, "POST", "/api/v1/openings/"+rejected+"/reject", admin.Token, map[string]string{"reason": "不符合"})
	closed := a.Publish(emp, admin, map[string]any{"title": "关闭岗位"})
	expired := a.Publish(emp, admin, map[string]any{"title": "过期岗位"})
	live := a.Publish(emp, admin, map[string]any{"title": "在招岗位"})
	a.Must(http.StatusOK, "POST", "/api/v1/openings/"+closed+"/close", emp.Token, nil)

	// Findable within 5 s of approval.
	deadline := time.Now().Add(5 * time.Second)
	for !has(a.Search("q="+url.QueryEscape("在招岗位")), live) {
		if time.Now().After(deadline) {
			t.Fatal("approved opening not findable within 5 s")
		}
		time.Sleep(50 * time.Millisecond)
	}
	a.WaitIndexed(5 * time.Second)
	// The deadline passes: no one acts, and the opening leaves search.
	testutil.SQL(t, a.DBURL).Exec(`UPDATE openings SET deadline = current_date - 1 WHERE id = $1`, expired)
	m := a.Search("per_page=100")
	if got := testutil.IDs(m); len(got) != 2 || !has(m, live) || !has(m, expired) {
		t.Fatalf("before expiry the index still has both published: %v", titles(m))
	}
	a.Server.Store.SetClock(func() time.Time { return time.Now() })
	// Search filters on the deadline with today's Shanghai date: simulate the
	// day after by searching as tomorrow.
	m2 := searchOn(t, a, domain.DateOf(time.Now()).AddDays(181))
	if len(m2.Items) != 0 {
		t.Fatalf("openings past their deadline are listed: %v", m2.Items)
	}
	m3 := searchOn(t, a, domain.DateOf(time.Now()))
	if len(m3.Items) != 2 {
		t.Fatalf("today: %d items", len(m3.Items))
	}
}

func searchOn(t *testing.T, a *testutil.App, day domain.Date) domain.SearchResult {
	t.Helper()
	res, err := a.Server.Search.Search(context.Background(), domain.SearchQuery{Page: 1, PerPage: 50, Today: day})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestSavedSearchAlerts(t *testing.T) {
	a := testutil.NewApp(t)
	emp, admin := a.Publisher()
	g := a.Graduate()
	other := a.Graduate()
	a.Must(http.StatusForbidden, "POST", "/api/v1/me/saved-searches", emp.Token, map[string]any{"name": "x"})
	// A filter's error names it where the client wrote it, as a
	// wrong-typed one does (a probe found "degree").
	bad := a.Must(http.StatusUnprocessableEntity, "POST", "/api/v1/me/saved-searches", g.Token, map[string]any{"name": "", "filters": map[string]string{"degree": "phd", "my_degree": "phd"}})
	if bad.Field("filters.degree") == "" || bad.Field("filters.my_degree") == "" || bad.Field("name") == "" || bad.Field("degree") != "" {
		t.Errorf("a saved search's bad name and filter: %s", bad.Body)
	}
	// A probe saved a search on a zone that is none: it would never alert.
	bad = a.Must(http.StatusUnprocessableEntity, "POST", "/api/v1/me/saved-searches", g.Token, map[string]any{"name": "x", "filters": map[string]string{"zone": "nope", "province": "99"}})
	if bad.Field("filters.zone") != "unknown zone" || bad.Field("filters.province") != "unknown province" {
		t.Errorf("a saved search's unknown zone and province: %s", bad.Body)
	}
	// Answered with its other faults, and a province that is no code says
	// so (a review: a blank name was not named beside an unknown zone).
	bad = a.Must(http.StatusUnprocessableEntity, "POST", "/api/v1/me/saved-searches", g.Token, map[string]any{"name": "", "filters": map[string]string{"zone": "nope", "province": "-1"}})
	if bad.Field("name") == "" || bad.Field("filters.zone") != "unknown zone" || bad.Field("filters.province") != "must be a two-digit province code" {
		t.Errorf("a saved search's blank name, unknown zone and bad province: %s", bad.Body)
	}
	// The graduate's own degree (my_degree) keeps the openings it meets:
	// the new opening asks for a bachelor's at least, so a master's
	// graduate hears of it, and an associate's does not.
	ss := a.Must(http.StatusCreated, "POST", "/api/v1/me/saved-searches", g.Token, map[string]any{
		"name": "成都AI", "q": "人工智能", "filters": map[string]string{"zone": "sichuan-chengdu", "my_degree": "master"}}).JSON()
	if ss["filters"].(map[string]any)["my_degree"] != "master" {
		t.Errorf("my_degree was not kept: %v", ss["filters"])
	}
	a.Must(http.StatusCreated, "POST", "/api/v1/me/saved-searches", other.Token, map[string]any{"name": "生物", "q": "生物医药"})
	// The same search saved by another graduate alerts them too (each
	// distinct search is asked of Meilisearch once).
	twin := a.Graduate()
	a.Must(http.StatusCreated, "POST", "/api/v1/me/saved-searches", twin.Token, map[string]any{
		"name": "AI@成都", "q": "人工智能", "filters": map[string]string{"zone": "sichuan-chengdu", "my_degree": "master"}})
	// Every word must match, as in a search: 人工智能 and 化学 are each in
	// one of the new openings, and in neither both (alerts dropped words
	// a search keeps, and told of openings the search did not list).
	both := a.Graduate()
	a.Must(http.StatusCreated, "POST", "/api/v1/me/saved-searches", both.Token, map[string]any{"name": "交叉", "q": "人工智能 化学"})
	associate := a.Graduate()
	a.Must(http.StatusCreated, "POST", "/api/v1/me/saved-searches", associate.Token, map[string]any{
		"name": "AI 专科", "q": "人工智能", "filters": map[string]string{"my_degree": "associate"}})

	match := a.Publish(emp, admin, map[string]any{"title": "人工智能数据标注助理"})
	a.Publish(emp, admin, map[string]any{"title": "化学实验助理", "industry": "new_materials"})
	a.WaitIndexed(30 * time.Second)

	n := a.Must(http.StatusOK, "GET", "/api/v1/notifications", g.Token, nil).JSON()
	if n["total"].(float64) != 1 || n["unread"].(float64) != 1 {
		t.Fatalf("notifications: %v", n)
	}
	item := n["items"].([]any)[0].(map[string]any)
	if item["link"] != "/openings/"+match {
		t.Fatalf("alert: %v", item)
	}
	if m := a.Must(http.StatusOK, "GET", "/api/v1/notifications", twin.Token, nil).JSON(); m["total"].(float64) != 1 {
		t.Fatalf("the same saved search of another graduate: %v", m)
	}
	if m := a.Must(http.StatusOK, "GET", "/api/v1/openings?q="+url.QueryEscape("人工智能 化学"), "", nil).JSON(); m["total"].(float64) != 0 {
		t.Fatalf("a search for both words lists %v", m["total"])
	}
	for _, who := range []testutil.Account{other, associate, both} {
		if m := a.Must(http.StatusOK, "GET", "/api/v1/notifications", who.Token, nil).JSON(); m["total"].(float64) != 0 {
			t.Fatalf("non-matching saved search alerted: %v", m)
		}
	}
	// Running the same alert job again (a retry) does not notify twice.
	if err := a.Server.Store.Enqueue(context.Background(), domain.Job{Kind: domain.JobOpeningAlerts, IDs: []string{match}}); err != nil {
		t.Fatal(err)
	}
	a.WaitIndexed(30 * time.Second)
	if m := a.Must(http.StatusOK, "GET", "/api/v1/notifications", g.Token, nil).JSON(); m["total"].(float64) != 1 {
		t.Fatalf("alert fired twice: %v", m["total"])
	}
	// Reading is scoped to the owner.
	nid := item["id"].(string)
	a.Must(http.StatusNotFound, "POST", "/api/v1/notifications/"+nid+"/read", other.Token, nil)
	a.Must(http.StatusNoContent, "POST", "/api/v1/notifications/"+nid+"/read", g.Token, nil)
	if m := a.Must(http.StatusOK, "GET", "/api/v1/notifications?unread=true", g.Token, nil).JSON(); m["total"].(float64) != 0 {
		t.Fatalf("still unread: %v", m)
	}
	a.Must(http.StatusNotFound, "DELETE", "/api/v1/me/saved-searches/"+ss["id"].(string), other.Token, nil)
	a.Must(http.StatusNoContent, "DELETE", "/api/v1/me/saved-searches/"+ss["id"].(string), g.Token, nil)
}

func TestRecommendations(t *testing.T) {
	a := testutil.NewApp(t)
	emp, admin, fit := a.PublishedOpening(map[string]any{"title": "计算机视觉科研助理", "majors": []string{"计算机科学与技术"}, "degree_min": "master"})
	tooHigh := a.Publish(emp, admin, map[string]any{"title": "计算机体系结构博士助理", "majors": []string{"计算机科学与技术"}, "degree_min": "doctor"})
	a.WaitIndexed(30 * time.Second)
	g := a.Graduate() // master, 计算机科学与技术
	m := a.Must(http.StatusOK, "GET", "/api/v1/me/recommendations", g.Token, nil).JSON()
	if !has(m, fit) || has(m, tooHigh) {
		t.Fatalf("recommendations: %v", m)
	}
	reasons := m["items"].([]any)[0].(map[string]any)["reasons"].([]any)
	if len(reasons) == 0 || fmt.Sprint(reasons[0]) != "专业匹配：计算机科学与技术" {
		t.Fatalf("reasons: %v", reasons)
	}
	a.Must(http.StatusForbidden, "GET", "/api/v1/me/recommendations", emp.Token, nil)

	// A walk saw four of the five suggestions on /me come from one
	// employer. Among openings that fit alike, no employer takes more than
	// two of the first places while another has one to show.
	for i := 0; i < 4; i++ {
		a.Publish(emp, admin, map[string]any{"title": fmt.Sprintf("计算机视觉实验助理%d", i), "majors": []string{"计算机科学与技术"}, "degree_min": "master"})
	}
	other := a.VerifiedEmployer("51", "sichuan-chengdu")
	second := a.Publish(other, admin, map[string]any{"title": "计算机视觉数据助理", "majors": []string{"计算机科学与技术"}, "degree_min": "master"})
	a.WaitIndexed(30 * time.Second)
	m = a.Must(http.StatusOK, "GET", "/api/v1/me/recommendations?limit=3", g.Token, nil).JSON()
	perEmployer := map[string]int{}
	for _, it := range m["items"].([]any) {
		perEmployer[it.(map[string]any)["employer"].(map[string]any)["id"].(string)]++
	}
	if !has(m, second) || perEmployer[emp.EmployerID] > 2 || len(m["items"].([]any)) != 3 {
		t.Fatalf("the first 3 suggestions: %v from the first employer, the other's opening among them: %v (%d items)",
			perEmployer[emp.EmployerID], has(m, second), len(m["items"].([]any)))
	}
	// Spreading drops nothing: with room, every opening that fits is there.
	m = a.Must(http.StatusOK, "GET", "/api/v1/me/recommendations?limit=20", g.Token, nil).JSON()
	if n := len(m["items"].([]any)); n != 6 {
		t.Fatalf("%d suggestions, want the 6 that fit", n)
	}

	// A walk: openings already applied to were still suggested, and a
	// graduate hired this year was still told posts were open to them.
	app := a.Apply(g, second, "您好")
	if m = a.Must(http.StatusOK, "GET", "/api/v1/me/recommendations?limit=20", g.Token, nil).JSON(); has(m, second) || len(m["items"].([]any)) != 5 {
		t.Fatalf("after applying: the opening still suggested %v, %d suggestions", has(m, second), len(m["items"].([]any)))
	}
	for _, step := range []struct {
		token string
		body  map[string]any
	}{{other.Token, map[string]any{"to": "offered"}}, {g.Token, map[string]any{"to": "accepted"}},
		{other.Token, map[string]any{"to": "hired", "hired_on": domain.DateOf(time.Now()).String()}}} {
		a.Must(http.StatusOK, "POST", "/api/v1/applications/"+app+"/transitions", step.token, step.body)
	}
	if m = a.Must(http.StatusOK, "GET", "/api/v1/me/recommendations", g.Token, nil).JSON(); len(m["items"].([]any)) != 0 {
		t.Fatalf("a graduate placed this year gets %d suggestions", len(m["items"].([]any)))
	}
}

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

// TestSearchCacheStaysCurrent: a repeated search is answered from the cache,
// and every change to the index — a new opening, a closed one — shows in
// the very next search once the index has it.
func TestSearchCacheStaysCurrent(t *testing.T) {
	a := testutil.NewApp(t)
	emp, admin, first := a.PublishedOpening(map[string]any{"title": "缓存测试科研助理"})
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
	emp, admin, gone := a.PublishedOpening(map[string]any{"title": "停机缓存岗位"})
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
