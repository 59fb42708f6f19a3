package search

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"strings"
	"time"

	"github.com/bytedance/sonic"
	"github.com/meilisearch/meilisearch-go"

	"github.com/gradzone/gradzone/internal/domain"
)

// facetFields maps index fields to the API's facet names.
var facetFields = map[string]string{
	"zone_code":     "zone",
	"province_code": "province",
	"industry":      "industry",
	"degree_min":    "degree_min",
	"employer_type": "employer_type",
}

var retrieved = []string{"id", "title", "employer_id", "employer_name", "employer_type", "zone_code", "zone_name",
	"province_code", "city", "industry", "discipline", "degree_min", "headcount", "salary_min", "salary_max",
	"deadline", "published_at", "title_spaced", "description_spaced"}

func quote(v string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(v) + `"`
}

func quoteAll(vs []string) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = quote(v)
	}
	return out
}

// filters turns a query's filters into Meilisearch filter expressions (ANDed).
func filters(q domain.SearchQuery) []string {
	// Deadline boundary: the opening is listed through the end of its
	// deadline day in Shanghai.
	f := []string{fmt.Sprintf("deadline_ts >= %d", q.Today.Time().Unix())}
	add := func(field, v string) {
		if v != "" {
			f = append(f, field+" = "+quote(v))
		}
	}
	add("zone_code", q.Zone)
	add("province_code", q.Province)
	add("industry", q.Industry)
	add("degree_min", q.Degree)
	add("employer_type", q.EmployerType)
	add("city", q.City)
	add("employer_id", q.EmployerID)
	if r := domain.DegreeRank(q.MyDegree); r >= 0 {
		f = append(f, fmt.Sprintf("degree_rank <= %d", r))
	}
	if len(q.Degrees) > 0 {
		f = append(f, "degree_min IN ["+strings.Join(quoteAll(q.Degrees), ", ")+"]")
	}
	if len(q.IDs) > 0 {
		f = append(f, "id IN ["+strings.Join(quoteAll(q.IDs), ", ")+"]")
	}
	return f
}

type rawHit struct {
	Document
	Formatted struct {
		TitleSpaced       string `json:"title_spaced"`
		DescriptionSpaced string `json:"description_spaced"`
	} `json:"_formatted"`
}

type rawResponse struct {
	Hits              []rawHit                    `json:"hits"`
	TotalHits         int64                       `json:"totalHits"`
	FacetDistribution map[string]map[string]int64 `json:"facetDistribution"`
}

// request is the Meilisearch query for q: full text, filters, facet counts
// for the same filters, sort, exact totals and highlighted snippets.
func request(q domain.SearchQuery) *meilisearch.SearchRequest {
	perPage := int64(q.PerPage)
	req := &meilisearch.SearchRequest{
		// Spaced like the documents' title_spaced: a pasted "2025届新材料"
		// is otherwise one word to the engine, and matches nothing.
		Query:                 SpaceScripts(q.Q),
		Filter:                filters(q),
		Facets:                []string{"zone_code", "province_code", "industry", "degree_min", "employer_type"},
		Page:                  int64(q.Page),
		HitsPerPage:           &perPage,
		AttributesToRetrieve:  retrieved,
		AttributesToHighlight: []string{"title_spaced", "description_spaced"},
		AttributesToCrop:      []string{"description_spaced"},
		CropLength:            40,
		HighlightPreTag:       markOpen,
		HighlightPostTag:      markClose,
		// Every word must match, so "机器学习 数据" lists only openings
		// about both and the count means what it says.
		MatchingStrategy: meilisearch.All,
	}
	switch q.Sort {
	case "newest":
		req.Sort = []string{"published_ts:desc"}
	case "deadline":
		req.Sort = []string{"deadline_ts:asc", "published_ts:desc"}
	case "salary":
		req.Sort = []string{"salary_max:desc", "salary_min:desc"}
	default:
		if strings.TrimSpace(q.Q) == "" {
			req.Sort = []string{"published_ts:desc"}
		}
	}
	return req
}

// RequestJSON is the body Search posts to Meilisearch for q (benchmarks
// send it straight to the engine to compare).
func RequestJSON(q domain.SearchQuery) ([]byte, error) {
	return json.Marshal(request(q))
}

// nearSoundLetters is the shortest spelling a near sound is searched for
// (深证's shenzheng has 9). A shorter one (实习's shixi) is one letter from,
// or a prefix of, a great many other words (a walk's 218 of 350 openings).
const nearSoundLetters = 8

// Search runs q against the index. A typed query (q.SoundsAlike) with
// Chinese in it that matches nothing as written is searched again by its
// sound: a homophone typo (人工致能 for 人工智能) reads the same in pinyin,
// which every document holds (PinyinTokens). The sound is matched as spelt
// first (PinyinPhrases); a long word's also as near (深证's shenzheng finds
// 深圳, shenzhen, by one letter). The answer then names what it searched
// (SoundsLike).
func (ix *Index) Search(ctx context.Context, q domain.SearchQuery) (domain.SearchResult, error) {
	res, err := ix.search(ctx, q)
	if err != nil || res.Total > 0 || !q.SoundsAlike || len(q.IDs) > 0 {
		return res, err
	}
	sound := PinyinQuery(q.Q)
	if sound == "" {
		return res, nil
	}
	exact, letters := PinyinPhrases(q.Q)
	tries := []string{exact}
	if letters >= nearSoundLetters {
		tries = append(tries, sound)
	}
	for _, try := range tries {
		byEar := q
		byEar.Q = try
		alike, err := ix.search(ctx, byEar)
		if err != nil {
			return domain.SearchResult{}, err
		}
		if alike.Total > 0 {
			alike.SoundsLike = sound
			return alike, nil
		}
	}
	return res, nil // the answer as written stands
}

func (ix *Index) search(ctx context.Context, q domain.SearchQuery) (domain.SearchResult, error) {
	req := request(q)
	raw, err := ix.client.Index(ix.name).SearchRaw(ctx, req.Query, req)
	if err != nil {
		return domain.SearchResult{}, err
	}
	var resp rawResponse
	// sonic decodes a 30 KB page in a quarter of encoding/json's time (see
	// BenchmarkDecodeResponse), with the same semantics (ConfigStd).
	if err := sonic.ConfigStd.Unmarshal(*raw, &resp); err != nil {
		return domain.SearchResult{}, fmt.Errorf("search response: %w", err)
	}
	res := domain.SearchResult{Total: resp.TotalHits, Page: q.Page, PerPage: q.PerPage, Facets: domain.EmptyFacets(),
		Engine: "meilisearch", Items: make([]domain.SearchHit, len(resp.Hits))}
	for field, counts := range resp.FacetDistribution {
		if name, ok := facetFields[field]; ok {
			for v, n := range counts {
				res.Facets[name][v] = n
			}
		}
	}
	for i, h := range resp.Hits {
		res.Items[i] = h.toHit()
	}
	return res, nil
}

func (h rawHit) toHit() domain.SearchHit {
	d := h.Document
	hit := domain.SearchHit{ID: d.ID, Title: d.Title, Employer: domain.EmployerRef{ID: d.EmployerID, Name: d.EmployerName, Type: d.EmployerType},
		ProvinceCode: d.ProvinceCode, City: d.City, Industry: d.Industry, Discipline: d.Discipline, DegreeMin: d.DegreeMin,
		Headcount: d.Headcount, SalaryMin: d.SalaryMin, SalaryMax: d.SalaryMax, Deadline: d.Deadline}
	if d.ZoneCode != "" {
		hit.Zone = &domain.ZoneRef{Code: d.ZoneCode, NameZh: d.ZoneName}
	}
	if t, err := time.Parse(time.RFC3339, d.PublishedAt); err == nil {
		hit.PublishedAt = &t
	}
	hl := map[string]string{}
	if strings.Contains(h.Formatted.TitleSpaced, markOpen) {
		hl["title"] = SafeHighlight(UnspaceScripts(h.Formatted.TitleSpaced, d.Title))
	}
	if strings.Contains(h.Formatted.DescriptionSpaced, markOpen) {
		// The description itself is not retrieved (its size): a space its
		// writer put between the scripts goes in the snippet too.
		hl["description"] = SafeHighlight(UnspaceScripts(h.Formatted.DescriptionSpaced, ""))
	}
	if len(hl) > 0 {
		hit.Highlight = hl
	}
	return hit
}

// matchBatch is how many saved searches go to Meilisearch in one
// multi-search request: one round trip for many small searches.
const matchBatch = 100

// MatchingIDs returns, for each query, which of its IDs match its text and
// filters: saved search alerts let Meilisearch itself decide, as a search
// would (the text as request spaces it, every word to match), matchBatch
// searches to a request (/multi-search).
func (ix *Index) MatchingIDs(ctx context.Context, qs []domain.SearchQuery) ([][]string, error) {
	matched := make([][]string, len(qs))
	for first := 0; first < len(qs); first += matchBatch {
		req := &meilisearch.MultiSearchRequest{}
		var asked []int // the index in qs of each search sent
		for i := first; i < min(first+matchBatch, len(qs)); i++ {
			if q := qs[i]; len(q.IDs) > 0 {
				search := request(q)
				req.Queries = append(req.Queries, &meilisearch.SearchRequest{IndexUID: ix.name, Query: search.Query,
					Filter: search.Filter, MatchingStrategy: search.MatchingStrategy, Limit: int64(len(q.IDs)),
					AttributesToRetrieve: []string{"id"}})
				asked = append(asked, i)
			}
		}
		if len(asked) == 0 {
			continue
		}
		resp, err := ix.client.MultiSearch(ctx, req)
		if err != nil {
			return nil, err
		}
		if len(resp.Results) != len(asked) {
			return nil, fmt.Errorf("search: %d results for %d searches", len(resp.Results), len(asked))
		}
		for k, r := range resp.Results {
			for _, hit := range r.Hits {
				var id string
				if err := json.Unmarshal(hit["id"], &id); err != nil {
					return nil, fmt.Errorf("search: a hit's id: %w", err)
				}
				matched[asked[k]] = append(matched[asked[k]], id)
			}
		}
	}
	return matched, nil
}

// Meilisearch marks matches with these private-use characters rather than
// "<mark>", so the marks cannot be confused with text an employer typed.
const (
	markOpen  = "\ue000"
	markClose = "\ue001"
)

// SafeHighlight turns Meilisearch's formatted text into HTML that is safe
// to render: the text is escaped and only the match marks become
// <mark>…</mark>. An employer's "<img onerror=…>" stays text. Meilisearch
// marks each matched word, so 数据分析 came as two marks with a seam between
// them; marks that touch are joined into one.
func SafeHighlight(formatted string) string {
	e := html.EscapeString(strings.ReplaceAll(formatted, markClose+markOpen, ""))
	return strings.NewReplacer(markOpen, "<mark>", markClose, "</mark>").Replace(e)
}
