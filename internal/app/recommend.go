package app

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/gradzone/gradzone/internal/domain"
)

// Recommendation is an opening suggested to a graduate, with why.
type Recommendation struct {
	domain.SearchHit
	Score int `json:"score"`
	// Reasons are Why in Chinese (the API's reasons).
	Reasons []string `json:"reasons"`
	Why     []Why    `json:"-"`
}

// Why is one reason an opening is recommended, in either language.
type Why struct {
	Kind  string // major, city, degree or class
	Value string // the major, the city, or the opening's lowest degree
	// Degree and Year are the graduate's (kinds degree and class).
	Degree string
	Year   int
}

// In says w in lang ("en", else Chinese).
func (w Why) In(lang string) string {
	en := lang == "en"
	switch w.Kind {
	case "major":
		if en {
			return "Major matches: " + w.Value
		}
		return "专业匹配：" + w.Value
	case "city":
		if en {
			return "Preferred city: " + w.Value
		}
		return "意向城市：" + w.Value
	case "degree":
		if en {
			return fmt.Sprintf("Degree fits: %s or above wanted; you have %s",
				domain.TermEn(domain.DegreeTerms, w.Value), domain.TermEn(domain.DegreeTerms, w.Degree))
		}
		return fmt.Sprintf("学历符合：要求%s及以上，您是%s", domain.TermZh(domain.DegreeTerms, w.Value), domain.TermZh(domain.DegreeTerms, w.Degree))
	default: // class
		if en {
			return fmt.Sprintf("Class of %d: research-assistant posts are open to you", w.Year)
		}
		return fmt.Sprintf("%d届毕业生可申请科研助理岗位", w.Year)
	}
}

// Recommend suggests openings to a graduate from the profile: openings that
// match the major and that the degree qualifies for, and openings in the
// preferred cities; each with the reasons it was chosen, best first.
func (s *Search) Recommend(ctx context.Context, c domain.Caller, today domain.Date, limit int) ([]Recommendation, error) {
	if c.Role != domain.RoleGraduate {
		return nil, domain.ErrForbidden
	}
	me, err := s.Store.Me(ctx, c)
	if err != nil {
		return nil, err
	}
	g := me.Graduate
	// A graduate hired this year can take no other post this year (one
	// placement a year): nothing to suggest.
	if g.PlacedThisYear {
		return []Recommendation{}, nil
	}
	// Openings already applied to are not suggested again.
	applied := map[string]bool{}
	apps, _, err := s.Store.Applications(ctx, c, domain.ApplicationFilter{}, domain.Page{Page: 1, PerPage: maxAppliedConsidered})
	if err != nil {
		return nil, err
	}
	for _, a := range apps {
		applied[a.OpeningID] = true
	}
	byID := map[string]*Recommendation{}
	var order []string
	add := func(h domain.SearchHit, score int, why Why) {
		if applied[h.ID] {
			return
		}
		r, ok := byID[h.ID]
		if !ok {
			r = &Recommendation{SearchHit: h}
			byID[h.ID] = r
			order = append(order, h.ID)
		}
		r.Score += score
		r.Why = append(r.Why, why)
	}
	base := domain.SearchQuery{Today: today, SearchFilters: domain.SearchFilters{MyDegree: g.Degree}, Page: 1, PerPage: 50}

	// The major, as a full-text query over titles, majors and descriptions.
	q := base
	q.Q = g.Major
	res, err := s.Search(ctx, q)
	if err != nil {
		return nil, err
	}
	for _, h := range res.Items {
		add(h, 3, Why{Kind: "major", Value: g.Major})
	}
	// Preferred cities.
	for _, city := range g.PreferredCities {
		q := base
		q.City = city
		res, err := s.Search(ctx, q)
		if err != nil {
			return nil, err
		}
		for _, h := range res.Items {
			add(h, 2, Why{Kind: "city", Value: city})
		}
	}
	out := make([]Recommendation, 0, len(order))
	for _, id := range order {
		r := byID[id]
		r.Why = append(r.Why, Why{Kind: "degree", Value: r.DegreeMin, Degree: g.Degree})
		if r.DegreeMin == g.Degree {
			r.Score++
		}
		if g.GraduationYear >= today.Year && g.GraduationYear <= today.Year+1 {
			r.Why = append(r.Why, Why{Kind: "class", Year: g.GraduationYear})
		}
		for _, w := range r.Why {
			r.Reasons = append(r.Reasons, w.In("zh"))
		}
		if containsFold(r.Title, g.Major) {
			r.Score++
		}
		out = append(out, *r)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Score > out[j].Score })
	out = spreadEmployers(out, recommendedPerEmployer)
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// maxAppliedConsidered bounds the applications read to leave their
// openings out: far above what a graduate sends in a season.
const maxAppliedConsidered = 500

// recommendedPerEmployer is how many of the first places one employer may
// hold while another employer has an opening to suggest: a walk saw four of
// a graduate's five suggestions come from one employer.
const recommendedPerEmployer = 2

// spreadEmployers keeps recs' order (best first) but moves each employer's
// openings beyond its first most to the end, in their order: a graduate
// sees the range of employers first, and nothing is dropped.
func spreadEmployers(recs []Recommendation, most int) []Recommendation {
	out := make([]Recommendation, 0, len(recs))
	var later []Recommendation
	shown := map[string]int{}
	for _, r := range recs {
		if shown[r.Employer.ID] >= most {
			later = append(later, r)
			continue
		}
		shown[r.Employer.ID]++
		out = append(out, r)
	}
	return append(out, later...)
}

func containsFold(s, sub string) bool {
	return sub != "" && strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}
