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
	Score   int      `json:"score"`
	Reasons []string `json:"reasons"`
}

var degreeZh = map[string]string{"associate": "专科", "bachelor": "本科", "master": "硕士", "doctor": "博士"}

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
	byID := map[string]*Recommendation{}
	var order []string
	add := func(h domain.SearchHit, score int, reason string) {
		r, ok := byID[h.ID]
		if !ok {
			r = &Recommendation{SearchHit: h}
			byID[h.ID] = r
			order = append(order, h.ID)
		}
		r.Score += score
		r.Reasons = append(r.Reasons, reason)
	}
	base := domain.SearchQuery{Today: today, DegreeMax: g.Degree, Page: 1, PerPage: 50}

	// The major, as a full-text query over titles, majors and descriptions.
	q := base
	q.Q = g.Major
	res, err := s.Search(ctx, q)
	if err != nil {
		return nil, err
	}
	for _, h := range res.Items {
		add(h, 3, "专业匹配："+g.Major)
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
			add(h, 2, "意向城市："+city)
		}
	}
	out := make([]Recommendation, 0, len(order))
	for _, id := range order {
		r := byID[id]
		r.Reasons = append(r.Reasons, fmt.Sprintf("学历符合：要求%s及以上，您是%s", degreeZh[r.DegreeMin], degreeZh[g.Degree]))
		if r.DegreeMin == g.Degree {
			r.Score++
		}
		if g.GraduationYear >= today.Year && g.GraduationYear <= today.Year+1 {
			r.Reasons = append(r.Reasons, fmt.Sprintf("%d届毕业生可申请科研助理岗位", g.GraduationYear))
		}
		if containsFold(r.Title, g.Major) {
			r.Score++
		}
		out = append(out, *r)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Score > out[j].Score })
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

func containsFold(s, sub string) bool {
	return sub != "" && strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}
