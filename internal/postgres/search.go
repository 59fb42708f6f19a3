package postgres

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/lib/pq"

	"github.com/gradzone/gradzone/internal/domain"
)

// SearchOpenings answers a public search from Postgres when Meilisearch is
// unreachable: the same filters, facets, sorts and paging, with a plain
// case-insensitive substring match of the query on title, description,
// employer name and city. Answers are cached while no opening, employer or
// zone changes (generationcache.go): during an outage the same searches
// (the landing page, a campaign's link) come again and again, and each
// one scans the openings.
//
// A search not in the cache waits for one of the replica's fallback slots
// (LimitFallbackSearches), first come first served: on a busy Postgres a
// search that reads every opening then runs at full speed instead of
// sharing the cores with all the others and holding each of them up, and
// an outage at peak cannot take Postgres down with it. A search that waits
// longer than searchWait is answered unavailable (503, Retry-After).
func (s *Store) SearchOpenings(ctx context.Context, q domain.SearchQuery) (domain.SearchResult, error) {
	key, err := json.Marshal(q)
	if err != nil {
		return domain.SearchResult{}, err
	}
	return cached(ctx, s, s.search, string(key), func() (domain.SearchResult, error) {
		if err := s.takeSearchSlot(ctx); err != nil {
			return domain.SearchResult{}, err
		}
		defer s.searchSlots.Release(1)
		return s.searchOpenings(ctx, q)
	})
}

func (s *Store) takeSearchSlot(ctx context.Context) error {
	wait, cancel := context.WithTimeout(ctx, s.searchWait)
	defer cancel()
	if err := s.searchSlots.Acquire(wait, 1); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return domain.ErrUnavailable
	}
	return nil
}

// matchedOpeningsWithFacets: the openings a search matches, in one scan
// (MATERIALIZED): a row per value of each facet, a row for the total (the
// empty grouping set), and on every row the page's IDs in order. titleHit
// is the expression that ranks title matches first (its argument comes
// first), then the matching condition's arguments, then LIMIT and OFFSET.
func matchedOpeningsWithFacets(titleHit, cond, order string) string {
	return `WITH matched AS MATERIALIZED (
			SELECT o.id, e.zone_code, e.province_code, o.industry, o.degree_min, e.type,
				o.published_at, o.deadline, o.salary_min, o.salary_max,
				(` + titleHit + `) AS title_hit
			FROM openings o
			JOIN employers e ON e.id = o.employer_id
			WHERE ` + cond + `
		),
		page AS (
			SELECT array_agg(id::text ORDER BY ` + order + `) AS ids
			FROM (
				SELECT * FROM matched
				ORDER BY ` + order + `
				LIMIT ? OFFSET ?
			) p
		)
		SELECT zone_code AS zone, province_code AS province, industry, degree_min AS degree, type,
			GROUPING(zone_code) AS g_zone, GROUPING(province_code) AS g_province,
			GROUPING(industry) AS g_industry, GROUPING(degree_min) AS g_degree,
			GROUPING(type) AS g_type,
			count(*) AS n,
			(SELECT ids FROM page) AS page
		FROM matched
		GROUP BY GROUPING SETS ((zone_code), (province_code), (industry), (degree_min), (type), ())`
}

func (s *Store) searchOpenings(ctx context.Context, q domain.SearchQuery) (domain.SearchResult, error) {
	where := []string{searchable}
	args := []any{q.Today.String()}
	// Every word must match somewhere, as on Meilisearch (matchingStrategy
	// all): in the opening's lower-cased text and majors, or in its
	// employer's name. Both sides have a trigram index, and the employers
	// are matched once, not once per opening (migration 00030).
	for _, word := range strings.Fields(q.Q) {
		like := "%" + escapeLike(word) + "%"
		where = append(where, `(o.search_text LIKE lower(?) OR o.employer_id = ANY (ARRAY(SELECT id FROM employers WHERE name ILIKE ?)))`)
		args = append(args, like, like)
	}
	add := func(expr, v string) {
		if v != "" {
			where = append(where, expr+" = ?")
			args = append(args, v)
		}
	}
	add("e.zone_code", q.Zone)
	add("e.province_code", q.Province)
	add("o.industry", q.Industry)
	add("o.degree_min", q.Degree)
	if len(q.Degrees) > 0 {
		where = append(where, "o.degree_min IN ?")
		args = append(args, q.Degrees)
	}
	add("e.type", q.EmployerType)
	add("o.city", q.City)
	add("o.employer_id::text", q.EmployerID)
	if r := domain.DegreeRank(q.MyDegree); r >= 0 {
		where = append(where, "array_position(ARRAY['associate','bachelor','master','doctor'], o.degree_min) <= ?")
		args = append(args, r+1)
	}
	if len(q.IDs) > 0 {
		where = append(where, "o.id::text IN ?")
		args = append(args, q.IDs)
	}
	// The page's order, over the matched rows' columns.
	order, titleHit := "published_at DESC, id", "false"
	switch q.Sort {
	case "deadline":
		order = "deadline ASC, published_at DESC, id"
	case "salary":
		order = "salary_max DESC, salary_min DESC, id"
	case "relevance", "":
		if q.Q != "" {
			// Title matches first: the closest a substring match gets to relevance.
			order, titleHit = "title_hit DESC, published_at DESC, id", "o.title ILIKE ?"
			args = append([]any{"%" + escapeLike(strings.TrimSpace(q.Q)) + "%"}, args...)
		}
	}
	// One scan gives the total, the facets and the page's IDs; then the
	// page's rows are read by ID.
	var groups []struct {
		Zone, Province, Industry, Degree, Type      *string
		GZone, GProvince, GIndustry, GDegree, GType int
		N                                           int64
		Page                                        pq.StringArray `gorm:"type:text[]"`
	}
	err := s.db.WithContext(ctx).Raw(matchedOpeningsWithFacets(titleHit, strings.Join(where, " AND "), order),
		append(args, q.PerPage, (q.Page-1)*q.PerPage)...).Scan(&groups).Error
	res := domain.SearchResult{Page: q.Page, PerPage: q.PerPage, Facets: domain.EmptyFacets(), Engine: "postgres", Items: []domain.SearchHit{}}
	if err != nil {
		return res, translate(err)
	}
	var page []string
	for _, r := range groups {
		switch {
		case r.GZone+r.GProvince+r.GIndustry+r.GDegree+r.GType == 5:
			res.Total, page = r.N, r.Page
		case r.GZone == 0 && r.Zone != nil:
			res.Facets["zone"][*r.Zone] = r.N
		case r.GProvince == 0 && r.Province != nil:
			res.Facets["province"][*r.Province] = r.N
		case r.GIndustry == 0 && r.Industry != nil:
			res.Facets["industry"][*r.Industry] = r.N
		case r.GDegree == 0 && r.Degree != nil:
			res.Facets["degree_min"][*r.Degree] = r.N
		case r.GType == 0 && r.Type != nil:
			res.Facets["employer_type"][*r.Type] = r.N
		}
	}
	if len(page) == 0 {
		return res, nil
	}
	var rows []openingRow
	if err := s.db.WithContext(ctx).Raw(openingsByIDs, page).Scan(&rows).Error; err != nil {
		return res, translate(err)
	}
	byID := make(map[string]domain.SearchHit, len(rows))
	for _, r := range rows {
		byID[r.ID] = HitOf(r.toDomain())
	}
	for _, id := range page {
		if h, ok := byID[id]; ok { // gone since the scan: left out
			res.Items = append(res.Items, h)
		}
	}
	return res, nil
}

// HitOf turns an opening into a search hit.
func HitOf(o domain.Opening) domain.SearchHit {
	return domain.SearchHit{ID: o.ID, Title: o.Title, Employer: domain.EmployerRef{ID: o.Employer.ID, Name: o.Employer.Name, Type: o.Employer.Type},
		Zone: o.Zone, ProvinceCode: o.ProvinceCode, City: o.City, Industry: o.Industry, Discipline: o.Discipline,
		DegreeMin: o.DegreeMin, Headcount: o.Headcount, SalaryMin: o.SalaryMin, SalaryMax: o.SalaryMax,
		Deadline: o.Deadline, PublishedAt: o.PublishedAt}
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
