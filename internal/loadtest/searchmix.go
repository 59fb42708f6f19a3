package loadtest

import (
	"math/rand/v2"
	"net/url"
	"strconv"

	"github.com/gradzone/gradzone/internal/domain"
)

// searchTerms are what graduates type: Chinese, English, pinyin, mixed
// scripts, a typo.
var searchTerms = []string{"科研助理", "研发助理", "实验助理", "数据分析", "人工智能", "机器学习", "生物医药", "新材料",
	"量子信息", "芯片验证", "智能制造", "储能系统", "2026届", "Java开发", "人工智能科研助理", "机器学习 数据分析",
	"算法", "实验", "芯片", "量子", "储能", "Java", "2026", "AI", "machine learning", "machin lerning", "biomedicine",
	"new materials", "quantum", "data analysis", "keyanzhuli", "kyzl", "ke yan zhu li", "rengongzhineng", "jiqixuexi",
	"shengwuyiyao", "chengdu", "shenzhen", "成都", "深圳 人工智能"}

var mixCities = []string{"成都", "北京", "深圳", "杭州", "武汉", "西安", "合肥", "南京"}

// SearchMix returns n distinct public searches, most popular first: rank 0
// is the landing page (no query, no filter), then random combinations of a
// typed term, filters, sort order and page, as graduates make them. Draw
// from it with a Zipf law (ZipfPicker) to model search traffic: a few
// searches are very common, most are rare.
func SearchMix(n int, zones, provinces []string, today domain.Date, seed uint64) []domain.SearchQuery {
	rng := rand.New(rand.NewPCG(seed, seed^0x5eed))
	pick := func(p float64, from []string) string {
		if rng.Float64() < p {
			return from[rng.IntN(len(from))]
		}
		return ""
	}
	industries := make([]string, len(domain.Industries))
	for i, t := range domain.Industries {
		industries[i] = t.Code
	}
	seen := map[string]bool{}
	out := make([]domain.SearchQuery, 0, n)
	add := func(q domain.SearchQuery) {
		if k := Values(q).Encode(); !seen[k] {
			seen[k] = true
			out = append(out, q)
		}
	}
	add(domain.SearchQuery{Sort: "relevance", Page: 1, PerPage: 20, Today: today})
	for len(out) < n {
		q := domain.SearchQuery{Q: pick(0.6, searchTerms), SearchFilters: domain.SearchFilters{Province: pick(0.25, provinces),
			Industry: pick(0.2, industries), Degree: pick(0.15, domain.Degrees), Zone: pick(0.1, zones),
			EmployerType: pick(0.1, domain.EmployerTypes), City: pick(0.1, mixCities)}, Sort: "relevance", Page: 1, PerPage: 20, Today: today}
		switch r := rng.Float64(); {
		case r < 0.2:
			q.Sort = "newest"
		case r < 0.3:
			q.Sort = "deadline"
		case r < 0.4:
			q.Sort = "salary"
		}
		switch r := rng.Float64(); {
		case r < 0.08:
			q.Page = 3
		case r < 0.25:
			q.Page = 2
		}
		add(q)
	}
	return out
}

// Values is q as the query string of GET /openings.
func Values(q domain.SearchQuery) url.Values {
	v := q.Params()
	v.Set("page", strconv.Itoa(q.Page))
	v.Set("per_page", strconv.Itoa(q.PerPage))
	return v
}

// ZipfPicker returns, for each of workers, a source of ranks in [0, n)
// following a Zipf law with exponent s (> 1): rank k is drawn in proportion
// to 1/(1+k)^s. Each worker has its own generator (they are not safe for
// concurrent use), seeded for repeatable runs.
func ZipfPicker(n, workers int, s float64, seed uint64) func(worker int) int {
	z := make([]*rand.Zipf, workers)
	for w := range z {
		z[w] = rand.NewZipf(rand.New(rand.NewPCG(seed, uint64(w))), s, 1, uint64(n-1))
	}
	return func(w int) int { return int(z[w].Uint64()) }
}
