package webui

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/gradzone/gradzone/internal/domain"
)

// EmployerPublicPage is a verified employer as anyone sees it: who it is,
// where, that the programme verified it and when, and its open openings.
type EmployerPublicPage struct {
	Layout
	Employer domain.Employer
	Zone     *domain.Zone
	Industry string // the industry's label in the page's language
	// VerifiedOn is the Shanghai date the zone or province verified it.
	VerifiedOn string
	Openings   domain.SearchResult
}

func (*EmployerPublicPage) template() string { return "employer/public" }

func (s *Site) employerPublicPage(c *gin.Context) {
	ctx := c.Request.Context()
	e, err := s.App.PublicEmployer(ctx, c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	l := lang(c)
	v := &EmployerPublicPage{Employer: e, Industry: domain.TermZh(domain.Industries, e.Industry)}
	if l == "en" {
		v.Industry = domain.TermEn(domain.Industries, e.Industry)
	}
	if e.VerifiedAt != nil {
		v.VerifiedOn = domain.DateOf(*e.VerifiedAt).String()
	}
	if e.ZoneCode != nil {
		if z, err := s.App.Zone(ctx, *e.ZoneCode); err == nil {
			v.Zone = &z
		}
	}
	// Its open openings come from the same search as the home page, so
	// what is listed here is exactly what graduates can apply to.
	v.Openings, err = s.Search.SearchOpenings(ctx, domain.SearchQuery{EmployerID: e.ID, Sort: "newest", Page: 1, PerPage: 50, Today: s.today()})
	if err != nil {
		s.fail(c, err)
		return
	}
	v.Layout = s.layout(c, e.Name)
	v.Description = describe(e.Name+" · "+v.Industry+" · "+s.cat.t(l, "employer.verified_badge"), metaDescriptionRunes)
	s.render(c, http.StatusOK, v)
}
