package webui

// An event's registrant list for its staff (/staff/events/:id/registrants):
// who registered, from where, whether the platform's mail reaches them and
// whether they came; a 签到 button for someone at the door who lost both
// code and QR; a search by name; the whole list as CSV for the attendance
// record. An events walk found staff with only "5 / 0" on the card.

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/excel"
)

// RegistrantsPage is one page of an event's registrant list.
type RegistrantsPage struct {
	Layout
	Event domain.Event
	Rows  []domain.EventRegistrant
	// Filter is the search as asked (name, came or not).
	Filter domain.RegistrantFilter
	// Open: check-in has opened and the event was not cancelled, so each
	// row not yet checked in has its 签到 button.
	Open bool
	// Total is how many registrations match the filter.
	Total int64
	Pager
}

func (*RegistrantsPage) template() string { return "events/registrants" }

// BackQuery is the list as shown (search, filter, page), for a row's
// check-in to come back to.
func (p *RegistrantsPage) BackQuery() string {
	return url.Values{"q": {p.Filter.Q}, "checked_in": {p.Filter.CheckedIn}, "page": {strconv.Itoa(p.Page)}}.Encode()
}

// registrantsPerPage is how many registrants one page lists.
const registrantsPerPage = 100

func registrantsPath(eventID string) string {
	return "/staff/events/" + url.PathEscape(eventID) + "/registrants"
}

// registrantFilter is the search the request asks for. A hand-edited
// check-in filter that is none is ignored, as on the public events page (a
// walk read 「checked_in：须为 yes 或 no」 on a Chinese error page).
func registrantFilter(c *gin.Context) domain.RegistrantFilter {
	f := domain.RegistrantFilter{Q: c.Query("q"), CheckedIn: c.Query("checked_in")}
	if f.CheckedIn != "yes" && f.CheckedIn != "no" {
		f.CheckedIn = ""
	}
	return f
}

// registrants reads a page of the event's registrant list as the request
// asks, and the event; on an error it has answered with the error page.
func (s *Site) registrants(c *gin.Context, p domain.Page) (rows []domain.EventRegistrant, total int64, e domain.Event, ok bool) {
	ctx, cl, id := c.Request.Context(), callerOf(c), c.Param("id")
	rows, total, err := s.App.EventRegistrants(ctx, cl, id, registrantFilter(c), p)
	if err == nil {
		e, err = s.App.Event(ctx, cl, id)
	}
	if err != nil {
		s.fail(c, err)
		return nil, 0, e, false
	}
	return rows, total, e, true
}

func (s *Site) registrantsPage(c *gin.Context) {
	id, f, page := c.Param("id"), registrantFilter(c), pageParam(c)
	rows, total, e, ok := s.registrants(c, domain.Page{Page: page, PerPage: registrantsPerPage})
	if !ok {
		return
	}
	v := &RegistrantsPage{Layout: s.layout(c, s.cat.t(lang(c), "event.registrants")+" · "+e.Title), Event: e, Rows: rows,
		Filter: f, Total: total, Open: !e.Cancelled() && domain.CheckInOpen(e.StartsAt, s.Now()) == nil,
		Pager: pagerOf(registrantsPath(id), url.Values{"q": {f.Q}, "checked_in": {f.CheckedIn}}, page, total, registrantsPerPage)}
	s.render(c, http.StatusOK, v)
}

// checkInRegistrant checks in a registrant from the list, and goes back to
// the list as it was, saying who and when.
func (s *Site) checkInRegistrant(c *gin.Context) {
	id := c.Param("id")
	back := registrantsPath(id)
	if q := c.PostForm("back"); q != "" {
		// The list as it was: its search, filter and page (a review: staff
		// working through page 2 of 未签到 landed on the whole list).
		if v, err := url.ParseQuery(q); err == nil {
			kept := url.Values{}
			for _, k := range []string{"q", "checked_in", "page"} {
				if x := v.Get(k); x != "" {
					kept.Set(k, x)
				}
			}
			if len(kept) > 0 {
				back += "?" + kept.Encode()
			}
		}
	}
	ci, err := s.App.CheckInRegistrant(c.Request.Context(), callerOf(c), id, c.Param("graduate"))
	if domain.CodeOf(err) == domain.CodeNotFound || domain.CodeOf(err) == domain.CodeForbidden {
		s.fail(c, err)
		return
	}
	if err != nil {
		why := s.checkInRefusal(lang(c), err)
		if why == "" {
			why = s.message(c, err)
		}
		s.back(c, back, why, true)
		return
	}
	s.back(c, back, s.checkedInMessage(lang(c), ci.GraduateName, ci.CheckedInAt, ci.Already), ci.Already)
}

// registrantsCSV downloads the whole list (every page, the filter applied)
// for the attendance record, in the reader's language, opening in Excel
// (a BOM; cells that would be formulas are made text).
func (s *Site) registrantsCSV(c *gin.Context) {
	ctx, cl, id, l := c.Request.Context(), callerOf(c), c.Param("id"), lang(c)
	f := registrantFilter(c)
	const per = 500
	rows, _, e, ok := s.registrants(c, domain.Page{Page: 1, PerPage: per})
	if !ok {
		return
	}
	var err error
	c.Header("Content-Type", "text/csv; charset=utf-8")
	c.Header("Cache-Control", "no-store")
	// The date and the ID's first group: two events of a day apart. ASCII
	// only (shortID's "…" was saved into the file's name).
	first, _, _ := strings.Cut(e.ID, "-")
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="gradzone-event-registrants-%s-%s.csv"`,
		e.StartsAt.In(domain.Shanghai).Format("2006-01-02"), first))
	c.Status(http.StatusOK)
	_, _ = io.WriteString(c.Writer, "\uFEFF")
	w := excel.NewCSV(c.Writer)
	head := []string{}
	for _, k := range []string{"name", "university", "degree", "major", "year", "mail", "registered", "checked_in"} {
		head = append(head, s.cat.t(l, "registrants."+k))
	}
	_ = w.Write(head)
	for page := 2; ; page++ {
		for _, r := range rows {
			mail, came := s.cat.t(l, "registrants.mail_no"), ""
			if r.EmailVerified {
				mail = s.cat.t(l, "registrants.mail_ok")
			}
			if r.CheckedInAt != nil {
				came = r.CheckedInAt.In(domain.Shanghai).Format("2006-01-02 15:04")
			}
			_ = w.Write([]string{r.Name, r.University, s.cat.t(l, "degree."+r.Degree), r.Major, strconv.Itoa(r.GraduationYear), mail,
				r.RegisteredAt.In(domain.Shanghai).Format("2006-01-02 15:04"), came})
		}
		if len(rows) < per {
			break
		}
		if rows, _, err = s.App.EventRegistrants(ctx, cl, id, f, domain.Page{Page: page, PerPage: per}); err != nil {
			s.Log.Error("registrants csv", "event_id", id, "err", err)
			break
		}
	}
	_ = w.Flush()
}
