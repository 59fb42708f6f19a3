package webui

import (
	"net/http"
	"net/url"

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
	v := &EmployerPublicPage{Employer: e, Industry: industryName(l, e.Industry)}
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

// EmployersPage is the staff list of the employers in the caller's scope
// (/staff/employers): found by a part of the name or the start of the
// credit code, by status, a page at a time. A pending employer the caller
// may verify carries the verify button, which comes back to this page.
type EmployersPage struct {
	Layout
	Filter   domain.EmployerFilter
	Statuses []string
	Rows     []EmployerRow
	Total    int64
	Pager
}

func (*EmployersPage) template() string { return "staff/employers" }

// EmployerRow is one employer of the list in the page's language.
type EmployerRow struct {
	domain.Employer
	// Type, Size, Industry and Place are the employer's in words (they
	// hide the codes of the same names).
	Type, Size, Industry, Place string
	// VerifiedOn is the Shanghai date it was verified ("" while pending).
	VerifiedOn string
	CanVerify  bool
	// RegisteredIn names the province the credit code was registered in
	// when it is not the one stated: a question for the verifier.
	RegisteredIn string
}

// employerRow says e in the page's language for the caller.
func (s *Site) employerRow(l string, cl domain.Caller, e domain.Employer) EmployerRow {
	r := EmployerRow{Employer: e, Type: s.cat.t(l, "etype."+e.Type), Size: s.cat.t(l, "esize."+e.Size), Industry: industryName(l, e.Industry),
		Place:     s.placeName(l, e.ProvinceCode, ""),
		CanVerify: e.Status == domain.EmployerPending && cl.CanReview(domain.VerifyEmployer, e.Scope())}
	if e.ZoneCode != nil {
		r.Place = s.placeName(l, *e.ZoneCode, "")
	}
	if e.VerifiedAt != nil {
		r.VerifiedOn = domain.DateOf(*e.VerifiedAt).String()
	}
	if p := e.RegisteredElsewhere(); p != "" {
		r.RegisteredIn = s.placeName(l, p, "")
	}
	return r
}

// employersPerPage is how many employers one page of the staff list shows.
const employersPerPage = 50

func (s *Site) employersPage(c *gin.Context) {
	f := domain.EmployerFilter{Status: c.Query("status"), Q: c.Query("q")}
	page := pageParam(c)
	if err := f.Validate(); err != nil {
		s.fail(c, err)
		return
	}
	cl := callerOf(c)
	items, total, err := s.App.EmployersInScope(c.Request.Context(), cl, f, domain.Page{Page: page, PerPage: employersPerPage})
	if err != nil {
		s.fail(c, err)
		return
	}
	l := lang(c)
	v := &EmployersPage{Layout: s.layout(c, s.cat.t(l, "staff.employers")), Filter: f, Statuses: domain.EmployerStatuses,
		Total: total, Pager: pagerOf("/staff/employers", url.Values{"q": {f.Q}, "status": {f.Status}}, page, total, employersPerPage)}
	for _, e := range items {
		v.Rows = append(v.Rows, s.employerRow(l, cl, e))
	}
	s.render(c, http.StatusOK, v)
}

// EmployerDetailsPage is one employer as staff in scope review it
// (/staff/employers/:id): what it registered, the accounts behind it and
// how to reach them, its openings by status, who verified it, and the
// verify button while the caller may verify it.
type EmployerDetailsPage struct {
	Layout
	EmployerRow
	// Abandoned: a pending registration whose every account was erased;
	// it may register again, and is not verified or returned.
	Abandoned bool
	// RefusedReason is a return's reason the server refused, back in its box.
	RefusedReason string
	Size          string
	RegisteredOn  string
	VerifiedBy    string
	Accounts      []EmployerAccountRow
	Openings      []StatusCount
	// Latest are its latest openings, each with its state and a
	// rejection's reason.
	Latest []domain.StaffOpening
	// History is the employer's own audit entries, in whatever scope each
	// was made, newest first: a return with its reason, a correction field by field
	// (a walk found both gone from the page once it was corrected).
	History []AuditRow
}

func (*EmployerDetailsPage) template() string { return "staff/employer" }

// EmployerAccountRow is one of the employer's accounts, with the Shanghai
// date it was made.
type EmployerAccountRow struct {
	domain.EmployerAccount
	RegisteredOn string
}

// StatusCount is how many of something are in one status.
type StatusCount struct {
	Status string
	N      int64
}

func (s *Site) employerDetailsPage(c *gin.Context) {
	cl := callerOf(c)
	d, err := s.App.EmployerDetails(c.Request.Context(), cl, c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	l := lang(c)
	v := &EmployerDetailsPage{Layout: s.layout(c, d.Name), EmployerRow: s.employerRow(l, cl, d.Employer),
		Size: s.cat.t(l, "esize."+d.Size), RegisteredOn: domain.DateOf(d.CreatedAt).String(), VerifiedBy: d.VerifiedByName,
		RefusedReason: s.refusedReason(c)}
	for _, acc := range d.Accounts {
		v.Accounts = append(v.Accounts, EmployerAccountRow{EmployerAccount: acc, RegisteredOn: domain.DateOf(acc.CreatedAt).String()})
	}
	if len(d.Accounts) == 0 && d.Status == domain.EmployerPending {
		// Every account was erased: nobody to verify it for (a review).
		v.CanVerify, v.Abandoned = false, true
	}
	v.Latest = d.Openings
	if entries, err := s.App.EmployerHistory(c.Request.Context(), cl, d.ID, domain.Page{Page: 1, PerPage: 20}); err == nil {
		for i, e := range entries {
			// A correction that moved the organisation is recorded in each
			// scope it stood in; staff who see both read it once (a verify
			// walk read it twice).
			if i > 0 && e.Kind == entries[i-1].Kind && e.CreatedAt.Equal(entries[i-1].CreatedAt) {
				continue
			}
			v.History = append(v.History, s.auditRow(l, e))
		}
	} else {
		s.Log.Error("employer page: history", "err", err)
	}
	// In the order an opening goes through its life.
	for _, st := range domain.OpeningStatuses {
		if n := d.OpeningsByStatus[st]; n > 0 {
			v.Openings = append(v.Openings, StatusCount{Status: st, N: n})
		}
	}
	s.render(c, http.StatusOK, v)
}
