package webui

import (
	"context"
	"errors"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/gradzone/gradzone/internal/domain"
)

// SearchPage is the public search (/): the query as understood, its results,
// the facet links and the sort and page links, each a ready URL.
type SearchPage struct {
	Layout
	Query  domain.SearchQuery
	Result domain.SearchResult
	Facets []FacetGroup
	Sorts  []SortLink
	// Hidden are the current filters, carried by the search box and the
	// save-search form so a new query keeps them.
	Hidden map[string]string
	// Filtered tells whether any filter is on (offers "clear filters").
	Filtered bool
	// Active are the facet values on, shown above the results, each a link
	// that takes it off (on a phone the facets sit in a closed drawer),
	// also when nothing is found.
	Active []FacetValue
	// Ignored names the parameters of the link left out as invalid, in the
	// page's language ("" when none was); QueryCut says the words were cut
	// to their limit.
	Ignored  string
	QueryCut bool
	// Unfiltered counts, for a filtered search that found nothing, what the
	// same words find without the filters (at UnfilteredURL).
	Unfiltered    int64
	UnfilteredURL string
	// MaxQuery is the search box's limit.
	MaxQuery int
	Pager
	// First is the first page's URL, for a page past the last.
	First string
	// Here is this page's URL (without the partial flag), where a card's
	// save button returns; Saved marks the cards the graduate has saved.
	Here  string
	Saved map[string]bool
	// SavedSearchID is the graduate's saved search that is this search, if
	// any: the page links it instead of offering to save it again.
	SavedSearchID string
}

func (*SearchPage) template() string { return "search/search" }

// FacetGroup is one facet's values, most frequent first, at most 12.
type FacetGroup struct {
	Name   string
	Values []FacetValue
	// More are the values past the first shownFacets, behind 更多 (a walk
	// could not pick Shanghai, the thirteenth province). A chosen value is
	// never there: it leads the list (the facet counts its other values
	// too, so it could rank past the twelfth).
	More []FacetValue
}

// shownFacets is how many values of a facet show before 更多.
const shownFacets = 12

// FacetValue is one facet value: its label, count and the URL that toggles it.
type FacetValue struct {
	Facet, Value, Label string
	Count               int64
	URL                 string
	On                  bool
}

// SortLink is one sort order and the URL that applies it.
type SortLink struct {
	Value, URL string
	On         bool
}

// facetParam maps a facet's name to its query parameter.
var facetParam = map[string]string{"zone": "zone", "province": "province", "industry": "industry", "degree_min": "degree", "employer_type": "employer_type"}

func (s *Site) searchPage(c *gin.Context) {
	v, err := s.searchView(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	if c.Query("partial") == "1" {
		s.renderTemplate(c, http.StatusOK, v, "results")
		return
	}
	s.render(c, http.StatusOK, v)
}

// searchTitle says what is searched, for the page's title: the words, each
// filter and the page, then 找岗位 (an audit: every search had one title,
// so a history list or a screen reader's window list told none apart).
func (s *Site) searchTitle(l string, q domain.SearchQuery, active []FacetValue) string {
	var parts []string
	if q.Q != "" {
		parts = append(parts, q.Q)
	}
	for _, fv := range active {
		parts = append(parts, fv.Label)
	}
	if q.Page > 1 {
		parts = append(parts, s.cat.tf(l, "search.page_n", q.Page))
	}
	return strings.Join(append(parts, s.cat.t(l, "nav.search")), " · ")
}

// ignoredLabels names the search parameters a link had wrong, as the page
// labels them.
var ignoredLabels = map[string]string{"zone": "facet.zone", "province": "facet.province",
	"industry": "facet.industry", "degree": "facet.degree_min", "employer_type": "facet.employer_type",
	"city": "opening.city", "my_degree": "facet.my_degree", "sort": "search.sort"}

// searchView runs the query of the request. A query that does not validate
// is not an error page: the parameters it names are left out, and the page
// says which (an old or shared link keeps the rest of its search).
func (s *Site) searchView(c *gin.Context) (*SearchPage, error) {
	l := lang(c)
	ctx := c.Request.Context()
	q := domain.SearchQuery{Page: pageParam(c), PerPage: 20, Today: s.today(), SoundsAlike: true}.WithParams(c.Query)
	// The same checks as the API's (app.SearchOpenings).
	q = q.Tidy()
	res, err := s.Search.SearchOpenings(ctx, q)
	var ignored []string
	cut := false
	var invalid *domain.Error
	if errors.As(err, &invalid) && invalid.Code == domain.CodeValidation {
		var dropped []string
		q, dropped = q.WithoutInvalid(invalid.Fields)
		for _, name := range dropped {
			if name == "q" {
				cut = true // cut to its limit, not left out
				continue
			}
			ignored = append(ignored, s.cat.t(l, ignoredLabels[name]))
		}
		res, err = s.Search.SearchOpenings(ctx, q)
	}
	if domain.CodeOf(err) == domain.CodeValidation {
		q = domain.SearchQuery{Sort: "relevance", Page: 1, PerPage: 20, Today: s.today()}
		res, err = s.Search.SearchOpenings(ctx, q)
	}
	if err != nil {
		return nil, err
	}
	params := q.Params()
	// link is the current search with some parameters set ("" removes one).
	link := func(set map[string]string) string {
		p := url.Values{}
		for k, vs := range params {
			p[k] = vs
		}
		for k, val := range set {
			if val == "" {
				p.Del(k)
			} else {
				p.Set(k, val)
			}
		}
		return "/?" + p.Encode()
	}
	current := map[string]string{"zone": q.Zone, "province": q.Province, "industry": q.Industry, "degree_min": q.Degree, "employer_type": q.EmployerType}
	v := &SearchPage{Layout: s.layout(c, ""), Query: q, Result: res, Hidden: map[string]string{}, MaxQuery: domain.MaxQueryLength,
		Filtered: q.SearchFilters != domain.SearchFilters{},
		Ignored:  strings.Join(ignored, punctuation(l).sep), QueryCut: cut}
	v.Description = s.cat.t(lang(c), "site.description")
	for _, name := range domain.FacetNames {
		g := FacetGroup{Name: name}
		for val, n := range s.facetCounts(ctx, q, res, name, current[name]) {
			on := current[name] == val
			target := val
			if on {
				target = ""
			}
			g.Values = append(g.Values, FacetValue{Facet: name, Value: val, Label: s.facetLabel(l, name, val), Count: n, On: on,
				URL: link(map[string]string{facetParam[name]: target, "page": ""})})
		}
		sortFacet(g.Values)
		for i, fv := range g.Values {
			if fv.On {
				v.Active = append(v.Active, fv)
				// The value on leads, never behind 更多.
				copy(g.Values[1:i+1], g.Values[:i])
				g.Values[0] = fv
			}
		}
		if len(g.Values) > shownFacets {
			g.Values, g.More = g.Values[:shownFacets], g.Values[shownFacets:]
		}
		v.Facets = append(v.Facets, g)
	}
	// 我的学历 stands beside 学历要求, which it reads with.
	mine := s.myDegreeGroup(ctx, l, q, res, link)
	at := slices.IndexFunc(v.Facets, func(g FacetGroup) bool { return g.Name == "degree_min" }) + 1
	v.Facets = slices.Insert(v.Facets, at, mine)
	for _, fv := range mine.Values {
		if fv.On {
			v.Active = append(v.Active, fv)
		}
	}
	if q.City != "" {
		// The city is no facet, but a filter all the same (a closed
		// opening's 查看类似岗位 sets it): its chip shows it and takes it off.
		v.Active = append(v.Active, FacetValue{Facet: "city", Value: q.City, On: true,
			Label: s.cat.t(l, "opening.city") + punctuation(l).colon + cityIn(l, q.City), URL: link(map[string]string{"city": "", "page": ""})})
	}
	v.Title = s.searchTitle(l, q, v.Active)
	for _, so := range domain.Sorts {
		v.Sorts = append(v.Sorts, SortLink{Value: so, On: so == q.Sort, URL: link(map[string]string{"sort": so, "page": ""})})
	}
	for k := range params {
		if k != "q" {
			v.Hidden[k] = params.Get(k)
		}
	}
	here := map[string]string{}
	if q.Page > 1 {
		here["page"] = strconv.Itoa(q.Page)
	}
	v.Here = link(here)
	ids := make([]string, len(res.Items))
	for i, it := range res.Items {
		ids[i] = it.ID
	}
	v.Saved = s.App.SavedOpeningIDs(ctx, v.Caller, ids)
	if v.Caller.Role == domain.RoleGraduate {
		// Whether this very search is saved: its button becomes a link to it.
		here := q.SearchFilters
		saved, _ := s.App.SavedSearches(ctx, v.Caller)
		for _, ss := range saved {
			if strings.EqualFold(ss.Q, q.Q) && ss.Filters == here {
				v.SavedSearchID = ss.ID
			}
		}
	}
	if q.Page > 1 {
		// Past the last page, back leads to the last (page 8 of 2 was as
		// empty as page 9: a walk).
		prev := q.Page - 1
		if last := int((res.Total + int64(q.PerPage) - 1) / int64(q.PerPage)); prev > last {
			prev = max(last, 1)
		}
		v.Prev = link(map[string]string{"page": strconv.Itoa(prev)})
	}
	if int64(q.Page*q.PerPage) < res.Total {
		v.Next = link(map[string]string{"page": strconv.Itoa(q.Page + 1)})
	}
	if res.Total == 0 && v.Filtered && q.Q != "" {
		// Say whether the words find anything without the filters.
		plain := domain.SearchQuery{Q: q.Q, Sort: q.Sort, Page: 1, PerPage: 1, Today: q.Today, SoundsAlike: true}
		if all, err := s.Search.SearchOpenings(ctx, plain); err == nil && all.Total > 0 {
			v.Unfiltered, v.UnfilteredURL = all.Total, "/?"+plain.Params().Encode()
		}
	}
	v.Page, v.Pages = q.Page, int((res.Total+int64(q.PerPage)-1)/int64(q.PerPage))
	v.First = link(map[string]string{"page": ""})
	return v, nil
}

// facetCounts are the counts facet name shows for q's results res. A facet
// in use (its value on) counts its other values as if it were not, within
// the other filters, so 成都 can be swapped for 深圳 without clearing: one
// more search, of one hit. The value on shows the results' count, also 0:
// it stays, to be taken off.
func (s *Site) facetCounts(ctx context.Context, q domain.SearchQuery, res domain.SearchResult, name, on string) map[string]int64 {
	if on == "" {
		return res.Facets[name]
	}
	counts := map[string]int64{}
	maps.Copy(counts, s.facetsWithout(ctx, q, res, facetParam[name])[name])
	counts[on] = res.Total
	return counts
}

// facetsWithout are the facets of q's search without its parameter param,
// or res's own (as filtered) when that search fails.
func (s *Site) facetsWithout(ctx context.Context, q domain.SearchQuery, res domain.SearchResult, param string) map[string]map[string]int64 {
	params := q.Params()
	without := domain.SearchQuery{Page: 1, PerPage: 1, Today: q.Today, SoundsAlike: q.SoundsAlike}.WithParams(func(n string) string {
		if n == param {
			return ""
		}
		return params.Get(n)
	}).Tidy()
	if other, err := s.Search.SearchOpenings(ctx, without); err == nil {
		return other.Facets
	}
	return res.Facets
}

// myDegreeGroup offers the searcher's own degree as a filter (my_degree):
// a degree counts the openings a graduate of it may apply to, those whose
// minimum is at most it, in the order of the degrees. The degree facet
// alone could not say it: 硕士及以上 is one minimum, and a master's
// graduate may also apply to 本科及以上.
func (s *Site) myDegreeGroup(ctx context.Context, l string, q domain.SearchQuery, res domain.SearchResult, link func(map[string]string) string) FacetGroup {
	byMinimum := res.Facets["degree_min"]
	if q.MyDegree != "" {
		byMinimum = s.facetsWithout(ctx, q, res, "my_degree")["degree_min"]
	}
	g := FacetGroup{Name: "my_degree"}
	var open int64
	for _, d := range domain.Degrees {
		open += byMinimum[d]
		on := q.MyDegree == d
		if open == 0 && !on {
			continue
		}
		target, count := d, open
		if on {
			target, count = "", res.Total
		}
		g.Values = append(g.Values, FacetValue{Facet: "my_degree", Value: d, Label: s.facetLabel(l, "my_degree", d),
			Count: count, On: on, URL: link(map[string]string{"my_degree": target, "page": ""})})
	}
	return g
}

// sortFacet orders values by count, then value (stable across requests).
func sortFacet(v []FacetValue) {
	for i := 1; i < len(v); i++ {
		for j := i; j > 0 && (v[j].Count > v[j-1].Count || (v[j].Count == v[j-1].Count && v[j].Value < v[j-1].Value)); j-- {
			v[j], v[j-1] = v[j-1], v[j]
		}
	}
}

// facetLabel names value v of a facet (or the my_degree filter) in lang,
// as a search page's lists and chips show it.
func (s *Site) facetLabel(l, facet, v string) string {
	switch facet {
	case "zone", "province":
		return s.placeName(l, v, "")
	case "industry":
		return industryName(l, v)
	case "degree_min":
		return s.cat.t(l, "degree_min."+v) // 硕士及以上: the filter is a minimum
	case "my_degree":
		return s.cat.t(l, "my_degree."+v)
	case "employer_type":
		return s.cat.t(l, "etype."+v)
	}
	return v
}

// filterLabels names each filter of f in lang, as the search page's chips do.
func (s *Site) filterLabels(l string, f domain.SearchFilters) []string {
	var out []string
	for _, p := range []struct{ facet, v string }{{"zone", f.Zone}, {"province", f.Province}, {"industry", f.Industry},
		{"degree_min", f.Degree}, {"my_degree", f.MyDegree}, {"employer_type", f.EmployerType}} {
		if p.v != "" {
			out = append(out, s.facetLabel(l, p.facet, p.v))
		}
	}
	if f.City != "" {
		out = append(out, cityIn(l, f.City))
	}
	return out
}

// saveSearch saves the current query and filters for the signed-in graduate.
// The graduate stays on the results (a walk was taken to /me), which then
// say the search is saved; saved again, it is not saved twice. An address
// not verified yet is told that alert mail waits for it.
func (s *Site) saveSearch(c *gin.Context) {
	l, cl, ctx := lang(c), callerOf(c), c.Request.Context()
	q := domain.SearchQuery{Q: c.PostForm("q")}.Tidy().Q // as the results page read it
	// The words name the search, cut to a name's 100 characters: a search
	// may have 200, and a name too long is no fault of the graduate's.
	filters := domain.SearchQuery{}.WithParams(c.PostForm).SearchFilters
	name := q
	if name == "" {
		// A search of filters alone is named by them (硕士可投 · 成都), not
		// 全部: its alert mails read 新岗位提醒「全部」 (a verify walk).
		name = strings.Join(s.filterLabels(l, filters), " · ")
	}
	if rs := []rune(name); len(rs) > 100 {
		name = string(rs[:99]) + "…"
	}
	if name == "" {
		name = s.cat.t(l, "common.all")
	}
	ss := domain.SavedSearch{Name: name, Q: q, Filters: filters}
	_, created, err := s.App.CreateSavedSearch(ctx, cl, ss)
	switch {
	case err != nil:
		s.flash(c, s.message(c, err), true)
	case !created:
		s.flash(c, s.cat.t(l, "search.saved_before"), false)
	default:
		msg := "search.saved"
		if me, err := s.App.Me(ctx, cl); err == nil && !me.EmailVerified {
			msg = "search.saved_unverified"
			if me.MailRefused != nil {
				msg = "search.saved_refused" // why, as /me says it
			}
		}
		s.flash(c, "✓ "+s.cat.t(l, msg), false)
	}
	back := ss.Query(s.today())
	// Back to the results as they were: a query refused for its length is
	// cut as the results page cuts it (a forms probe's 10,000 characters
	// made an address no server takes).
	back, _ = back.WithoutInvalid(fieldErrors(err))
	if so := c.PostForm("sort"); domain.OneOf(so, domain.Sorts) {
		back.Sort = so // the results as they were sorted
	}
	c.Redirect(http.StatusSeeOther, "/?"+back.Params().Encode())
}
