package postgres

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/gradzone/gradzone/internal/domain"
)

// SearchOpenings answers a public search from Postgres when Meilisearch is
// unreachable: the same filters, facets, sorts and paging, with a plain
// case-insensitive substring match of the query on title, description,
// employer name and city. Answers are cached while no opening, employer or
// zone changes (generationcache.go): during an outage the same searches
// (the landing page, a campaign's link) come again and again, and each
// one scans the openings.
func (s *Store) SearchOpenings(ctx context.Context, q domain.SearchQuery) (domain.SearchResult, error) {
	key, err := json.Marshal(q)
	if err != nil {
		return domain.SearchResult{}, err
	}
	return cached(ctx, s, s.search, string(key), func() (domain.SearchResult, error) { return s.searchOpenings(ctx, q) })
}

func (s *Store) searchOpenings(ctx context.Context, q domain.SearchQuery) (domain.SearchResult, error) {
	where := []string{"o.status = 'published'", "o.deadline >= ?", "o.placements < o.headcount"}
	args := []any{q.Today.String()}
	// Every word must match somewhere, as on Meilisearch (matchingStrategy all).
	for _, word := range strings.Fields(q.Q) {
		like := "%" + escapeLike(word) + "%"
		where = append(where, `(o.search_text ILIKE ? OR e.name ILIKE ? OR array_to_string(o.majors, ' ') ILIKE ?)`)
		args = append(args, like, like, like)
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
	if r := domain.DegreeRank(q.DegreeMax); r >= 0 {
		where = append(where, "array_position(ARRAY['associate','bachelor','master','doctor'], o.degree_min) <= ?")
		args = append(args, r+1)
	}
	if len(q.IDs) > 0 {
		where = append(where, "o.id::text IN ?")
		args = append(args, q.IDs)
	}
	cond := " WHERE " + strings.Join(where, " AND ")
	from := ` FROM openings o JOIN employers e ON e.id = o.employer_id`
	db := s.db.WithContext(ctx)

	res := domain.SearchResult{Page: q.Page, PerPage: q.PerPage, Facets: domain.EmptyFacets(), Engine: "postgres"}
	// One scan gives the total (the empty grouping set) and every facet.
	var groups []struct {
		Zone, Province, Industry, Degree, Type      *string
		GZone, GProvince, GIndustry, GDegree, GType int
		N                                           int64
	}
	if err := db.Raw(`SELECT e.zone_code AS zone, e.province_code AS province, o.industry, o.degree_min AS degree, e.type,
		GROUPING(e.zone_code) AS g_zone, GROUPING(e.province_code) AS g_province, GROUPING(o.industry) AS g_industry,
		GROUPING(o.degree_min) AS g_degree, GROUPING(e.type) AS g_type, count(*) AS n`+from+cond+`
		GROUP BY GROUPING SETS ((e.zone_code), (e.province_code), (o.industry), (o.degree_min), (e.type), ())`, args...).Scan(&groups).Error; err != nil {
		return res, translate(err)
	}
	for _, r := range groups {
		switch {
		case r.GZone+r.GProvince+r.GIndustry+r.GDegree+r.GType == 5:
			res.Total = r.N
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
	order := "o.published_at DESC, o.id"
	switch q.Sort {
	case "deadline":
		order = "o.deadline ASC, o.published_at DESC, o.id"
	case "salary":
		order = "o.salary_max DESC, o.salary_min DESC, o.id"
	case "relevance", "":
		if q.Q != "" {
			// Title matches first: the closest a substring match gets to relevance.
			order = "(o.title ILIKE ?) DESC, o.published_at DESC, o.id"
			args = append(args, "%"+escapeLike(strings.TrimSpace(q.Q))+"%")
		}
	}
	var rows []openingRow
	err := db.Raw(openingSelect+cond+` ORDER BY `+order+` LIMIT ? OFFSET ?`,
		append(args, q.PerPage, (q.Page-1)*q.PerPage)...).Scan(&rows).Error
	if err != nil {
		return res, translate(err)
	}
	res.Items = make([]domain.SearchHit, len(rows))
	for i, r := range rows {
		res.Items[i] = HitOf(r.toDomain())
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
