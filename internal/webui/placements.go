package webui

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/gradzone/gradzone/internal/domain"
)

// PlacementsPage is the staff list of the hires in the caller's scope
// (/staff/placements): a year's placements, newest hire first, found by a
// part of the graduate's name, the opening's title or the employer's name,
// by status, a page at a time. A counted one the caller may revoke
// (domain.Caller.MayRevoke) carries the revoke form, with its reason. A walk
// found the revoke reachable through the API alone.
type PlacementsPage struct {
	Layout
	Filter   domain.PlacementFilter
	Statuses []string
	Years    []int
	Rows     []PlacementRow
	Total    int64
	// Refused is a reason the server refused, back in the box of the
	// placement it was for (RefusedID).
	Refused, RefusedID string
	Pager
}

func (*PlacementsPage) template() string { return "staff/placements" }

// PlacementRow is one placement of the list in the page's language.
type PlacementRow struct {
	domain.Placement
	// Place is the zone's (or the province's) name the hire counts in.
	Place string
	// RevokedOn is the Beijing time of the revoke ("" while counted).
	RevokedOn string
	CanRevoke bool
}

// placementsPerPage is how many hires one page of the staff list shows.
const placementsPerPage = 50

// placementsQuery is the list's query for filter f: its pager's links.
func placementsQuery(f domain.PlacementFilter) url.Values {
	return url.Values{"q": {f.Q}, "status": {f.Status}, "year": {strconv.Itoa(f.Year)}}
}

func (s *Site) placementsPage(c *gin.Context) {
	year, _ := askedYear(c.Query("year"), s.today().Year)
	f := domain.PlacementFilter{Year: year, Status: c.Query("status"), Q: strings.TrimSpace(c.Query("q"))}
	if err := f.Validate(); err != nil {
		s.fail(c, err)
		return
	}
	page := pageParam(c)
	cl := callerOf(c)
	items, total, err := s.App.Placements(c.Request.Context(), cl, f, domain.Page{Page: page, PerPage: placementsPerPage})
	if err != nil {
		s.fail(c, err)
		return
	}
	l := lang(c)
	v := &PlacementsPage{Layout: s.layout(c, s.cat.t(l, "staff.placements_page")), Filter: f, Statuses: []string{"active", "revoked"},
		Total: total, Pager: pagerOf("/staff/placements", placementsQuery(f), page, total, placementsPerPage)}
	for y := s.today().Year; y >= s.today().Year-4; y-- {
		v.Years = append(v.Years, y)
	}
	if year < v.Years[len(v.Years)-1] || year > v.Years[0] { // asked in the address
		v.Years = append(v.Years, year)
		slices.Sort(v.Years)
		slices.Reverse(v.Years)
	}
	if refused := s.refusedReason(c); refused != "" {
		v.RefusedID, v.Refused, _ = strings.Cut(refused, "\n")
	}
	for _, p := range items {
		r := PlacementRow{Placement: p, Place: s.placeName(l, p.ProvinceCode, ""), CanRevoke: p.Status == "active" && cl.MayRevoke(p)}
		if p.ZoneCode != nil {
			r.Place = s.placeName(l, *p.ZoneCode, "")
		}
		if p.RevokedAt != nil {
			r.RevokedOn = p.RevokedAt.In(domain.Shanghai).Format("2006-01-02 15:04")
		}
		v.Rows = append(v.Rows, r)
	}
	s.render(c, http.StatusOK, v)
}

// revokePlacement revokes a placement with the reason given (the same use
// case as POST /api/v1/placements/{id}/revoke) and goes back to the list it
// was sent from, naming the graduate; a refused reason goes back into its
// box.
func (s *Site) revokePlacement(c *gin.Context) {
	back := safeNext(c.PostForm("next"))
	if back == "" || !strings.HasPrefix(back, "/staff/placements") {
		back = "/staff/placements"
	}
	reason := c.PostForm("reason")
	p, err := s.App.RevokePlacement(c.Request.Context(), callerOf(c), c.Param("id"), strings.TrimSpace(reason))
	if err != nil {
		s.keepRefused(c, "/staff/placements", c.Param("id")+"\n"+reason)
		s.back(c, back+"#placement-"+url.PathEscape(c.Param("id")), s.message(c, err), true)
		return
	}
	s.done(c, back+"#placement-"+url.PathEscape(p.ID), "staff.placement_revoked", "{name}", p.GraduateName)
}
