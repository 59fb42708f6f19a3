package httpapi

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gradzone/gradzone/internal/app"
	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/excel"
)

func (a *API) operationsRoutes(r *gin.RouterGroup) {
	r.GET("/events", withPage(a.listEvents))
	r.POST("/events", roles(staff...), a.createEvent)
	r.GET("/events/:id", a.getEvent)
	r.PATCH("/events/:id", roles(staff...), withBody(a.updateEvent))
	r.POST("/events/:id/cancel", roles(staff...), withBody(a.cancelEvent))
	r.POST("/events/:id/openings", roles(staff...), withBody(a.addEventOpenings))
	r.DELETE("/events/:id/openings/:opening_id", roles(staff...), a.removeEventOpening)
	r.GET("/events/:id/registrations", roles(staff...), withPage(a.eventRegistrants))
	r.POST("/events/:id/registrations", roles(domain.RoleGraduate), a.registerForEvent)
	r.DELETE("/events/:id/registrations", roles(domain.RoleGraduate), a.withdrawRegistration)
	r.POST("/events/:id/waitlist", roles(domain.RoleGraduate), a.joinWaitlist)
	r.DELETE("/events/:id/waitlist", roles(domain.RoleGraduate), a.leaveWaitlist)
	r.POST("/events/:id/checkins", roles(staff...), withBody(a.checkIn))
	r.POST("/events/:id/clicks", withBody(a.eventClick))

	r.GET("/reports/monthly", roles(staff...), withMonth(a.monthlyReport))
	r.GET("/reports/monthly.xlsx", roles(staff...), withMonth(a.monthlyWorkbook))
	r.GET("/reports/monthly/status", roles(staff...), withMonth(a.reportStatuses))
	r.GET("/reports/monthly/versions", roles(staff...), withMonth(a.reportVersions))
	r.POST("/reports/monthly/submit", roles(staff...), withBody(a.submitReport))
	r.POST("/reports/monthly/review", roles(staff...), withBody(a.reviewReport))
	r.GET("/reports/monthly/province", roles(staff...), withMonth(a.provinceReport))
	r.POST("/reports/monthly/province/submit", roles(staff...), withBody(a.submitProvinceReport))
	r.GET("/reports/monthly/provinces", roles(staff...), withMonth(a.provinceReportStates))
	r.GET("/placements.csv", roles(staff...), a.placementsCSV)

	r.GET("/imports/templates/:file", roles(staff...), a.importTemplate)
	r.POST("/imports/:kind", roles(staff...), a.startImport)
	r.GET("/imports/:kind", roles(staff...), a.getImport)
	r.GET("/imports/:kind/refused.xlsx", roles(staff...), a.importCorrections)
	r.GET("/audit", roles(staff...), withPage(a.audit))
}

// trackedLink counts a visit through an event's tracked link and sends the
// visitor to the event page, carrying the code so applications are attributed.
func (a *API) trackedLink(c *gin.Context) {
	code := c.Param("code")
	track := a.App.TrackEventView
	if isHead(c.Request) {
		// The same answer, no view counted: a link checker's or a chat
		// preview's HEAD is no visit.
		track = a.App.EventOfTrackedLink
	}
	id, err := track(c.Request.Context(), code)
	if err != nil {
		// A stale or mistyped code on a poster is the site's page.
		if a.WebError != nil {
			a.WebError(c, err)
			return
		}
		writeError(c, err)
		return
	}
	c.SetSameSite(http.SameSiteLaxMode)
	// Secure exactly when the site is https (as HSTS is sent).
	c.SetCookie("gz_via", code, 7*24*3600, "/", "", a.HSTS, true)
	c.Redirect(http.StatusFound, "/events/"+id+"?via="+code)
}

func (a *API) listEvents(c *gin.Context, p domain.Page) {
	upcoming, ok := optionalFlag(c, "upcoming")
	if !ok {
		return
	}
	f := domain.EventFilter{Zone: c.Query("zone"), Province: c.Query("province"), Kind: c.Query("kind"), Campaign: c.Query("campaign"), Upcoming: upcoming}
	if !optionalOneOf(c, "kind", f.Kind, domain.EventKinds, "must be recruitment_week, livestream or job_fair") {
		return
	}
	items, total, err := a.App.Events(c.Request.Context(), caller(c), f, p)
	replyPage(c, items, total, p, err)
}

// eventRegistrants is the event's registrant list for its staff.
func (a *API) eventRegistrants(c *gin.Context, p domain.Page) {
	f := domain.RegistrantFilter{Q: c.Query("q"), CheckedIn: c.Query("checked_in")}
	items, total, err := a.App.EventRegistrants(c.Request.Context(), caller(c), c.Param("id"), f, p)
	replyPage(c, items, total, p, err)
}

func (a *API) createEvent(c *gin.Context) { replyWithBody(c, http.StatusCreated, a.App.CreateEvent) }

func (a *API) getEvent(c *gin.Context) { replyByID(c, http.StatusOK, a.App.Event) }

func (a *API) updateEvent(c *gin.Context, p domain.EventPatch) {
	e, err := a.App.UpdateEvent(c.Request.Context(), caller(c), c.Param("id"), p)
	reply(c, http.StatusOK, e, err)
}

type cancelEventRequest struct {
	Reason string `json:"reason"`
}

func (a *API) cancelEvent(c *gin.Context, req cancelEventRequest) {
	e, _, err := a.App.CancelEvent(c.Request.Context(), caller(c), c.Param("id"), req.Reason)
	reply(c, http.StatusOK, e, err)
}

type eventOpeningsRequest struct {
	OpeningIDs []string `json:"opening_ids"`
	Pinned     bool     `json:"pinned"`
}

func (a *API) addEventOpenings(c *gin.Context, req eventOpeningsRequest) {
	e, err := a.App.AddEventOpenings(c.Request.Context(), caller(c), c.Param("id"), req.OpeningIDs, req.Pinned)
	reply(c, http.StatusOK, e, err)
}

func (a *API) removeEventOpening(c *gin.Context) {
	e, err := a.App.RemoveEventOpening(c.Request.Context(), caller(c), c.Param("id"), c.Param("opening_id"))
	reply(c, http.StatusOK, e, err)
}

func (a *API) registerForEvent(c *gin.Context) {
	replyByID(c, http.StatusCreated, a.App.RegisterForEvent)
}

func (a *API) withdrawRegistration(c *gin.Context) {
	done(c, http.StatusNoContent, a.App.WithdrawRegistration(c.Request.Context(), caller(c), c.Param("id")))
}

// joinWaitlist answers 201 for a new place on the list, 200 for the place
// held already.
func (a *API) joinWaitlist(c *gin.Context) {
	place, joined, err := a.App.JoinWaitlist(c.Request.Context(), caller(c), c.Param("id"))
	status := http.StatusOK
	if joined {
		status = http.StatusCreated
	}
	reply(c, status, place, err)
}

func (a *API) leaveWaitlist(c *gin.Context) {
	done(c, http.StatusNoContent, a.App.LeaveWaitlist(c.Request.Context(), caller(c), c.Param("id")))
}

type checkInRequest struct {
	Code string `json:"code"`
}

func (a *API) checkIn(c *gin.Context, req checkInRequest) {
	reg, err := a.App.CheckIn(c.Request.Context(), caller(c), c.Param("id"), req.Code)
	reply(c, http.StatusOK, reg, err)
}

type clickRequest struct {
	OpeningID string `json:"opening_id"`
}

func (a *API) eventClick(c *gin.Context, req clickRequest) {
	done(c, http.StatusNoContent, a.App.TrackEventClick(c.Request.Context(), c.Param("id"), req.OpeningID))
}

// withMonth makes a gin handler of h, which takes ?year=&month=, both
// required: on bad input the error is recorded and h does not run.
func withMonth(h func(c *gin.Context, year, month int)) gin.HandlerFunc {
	return func(c *gin.Context) {
		var v domain.Validation
		v.Check(c.Query("year") != "", "year", "is required")
		v.Check(c.Query("month") != "", "month", "is required")
		year := queryInt(c, &v, "year", 0, 2000, 2100)
		month := queryInt(c, &v, "month", 0, 1, 12)
		if err := v.Err(); err != nil {
			fail(c, err)
			return
		}
		h(c, year, month)
	}
}

func (a *API) monthlyReport(c *gin.Context, y, m int) {
	zone := c.Query("zone")
	if zone == "" {
		zone = caller(c).ZoneCode
	}
	if zone == "" {
		fail(c, domain.FieldError("zone", "is required"))
		return
	}
	r, err := a.App.MonthlyReport(c.Request.Context(), caller(c), zone, y, m)
	reply(c, http.StatusOK, r, err)
}

func (a *API) reportStatuses(c *gin.Context, y, m int) {
	rs, err := a.App.MonthlyReports(c.Request.Context(), caller(c), c.Query("province"), y, m)
	if err != nil {
		fail(c, err)
		return
	}
	counts := map[string]int{}
	for _, r := range rs {
		counts[r.State]++
	}
	c.JSON(http.StatusOK, gin.H{"year": y, "month": m, "due": domain.ReportDue(y, m).String(), "counts": counts, "items": rs, "total": len(rs)})
}

func (a *API) reportVersions(c *gin.Context, y, m int) {
	vs, err := a.App.ReportVersions(c.Request.Context(), caller(c), c.Query("zone"), y, m)
	replyAll(c, vs, err)
}

type reportRequest struct {
	Zone   string `json:"zone"`
	Year   int    `json:"year"`
	Month  int    `json:"month"`
	Action string `json:"action"`
	Reason string `json:"reason"`
	Note   string `json:"note"`
}

func (a *API) submitReport(c *gin.Context, req reportRequest) {
	r, err := a.App.SubmitReport(c.Request.Context(), caller(c), req.Zone, req.Year, req.Month, req.Note)
	reply(c, http.StatusOK, r, err)
}

func (a *API) reviewReport(c *gin.Context, req reportRequest) {
	r, err := a.App.ReviewReport(c.Request.Context(), caller(c), req.Zone, req.Year, req.Month, req.Action, strings.TrimSpace(req.Reason))
	reply(c, http.StatusOK, r, err)
}

func (a *API) provinceReport(c *gin.Context, y, m int) {
	province := c.Query("province")
	if province == "" {
		province = caller(c).ProvinceCode
	}
	r, err := a.App.ProvinceReport(c.Request.Context(), caller(c), province, y, m)
	reply(c, http.StatusOK, r, err)
}

// provinceMonthRequest names a province's month: its report to submit,
// or the zones to chase (催报).
type provinceMonthRequest struct {
	Province string `json:"province"`
	Year     int    `json:"year"`
	Month    int    `json:"month"`
}

func (a *API) submitProvinceReport(c *gin.Context, req provinceMonthRequest) {
	r, err := a.App.SubmitProvinceReport(c.Request.Context(), caller(c), req.Province, req.Year, req.Month)
	reply(c, http.StatusOK, r, err)
}

func (a *API) provinceReportStates(c *gin.Context, y, m int) {
	items, err := a.App.ProvinceReportStates(c.Request.Context(), caller(c), y, m)
	replyAll(c, items, err)
}

func (a *API) monthlyWorkbook(c *gin.Context, y, m int) {
	b, name, err := a.App.MonthlyWorkbook(c.Request.Context(), caller(c), c.Query("province"), y, m)
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Data(http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b)
}

// placementsCSV streams the placements in scope as CSV, with phones masked.
func (a *API) placementsCSV(c *gin.Context) {
	f, err := placementFilter(c)
	if err != nil {
		fail(c, err)
		return
	}
	// The file names what it holds, as the workbook does.
	name := "gradzone-placements"
	if f.Year != 0 {
		name += fmt.Sprintf("-%d", f.Year)
		if f.Month != 0 {
			name += fmt.Sprintf("-%02d", f.Month)
		}
	}
	var w *excel.CSVWriter
	// The head is written with the first row, or at the end: a refusal (a
	// filter outside the caller's scope) or a database down before any row
	// is an error, not an empty file.
	begin := func() {
		c.Header("Content-Type", "text/csv; charset=utf-8")
		c.Header("Content-Disposition", `attachment; filename="`+name+`.csv"`)
		c.Status(http.StatusOK)
		_, _ = io.WriteString(c.Writer, "\uFEFF") // BOM: Excel opens UTF-8 CSV correctly
		w = excel.NewCSV(c.Writer)
		_ = w.Write([]string{"placement_id", "hired_on", "status", "zone_code", "province_code", "employer", "opening", "graduate", "phone"})
	}
	var gone error // writing failed: the client went away
	err = a.App.EachPlacement(c.Request.Context(), caller(c), f, func(p domain.Placement) error {
		if w == nil {
			begin()
		}
		gone = w.Write([]string{p.ID, p.HiredOn, p.Status, deref(p.ZoneCode), p.ProvinceCode, p.EmployerName, p.OpeningTitle, p.GraduateName, domain.MaskPhone(p.GraduatePhone)})
		return gone
	})
	switch {
	case err != nil && w == nil:
		fail(c, err)
	case gone != nil || domain.ClientGone(c.Request.Context(), err):
		panic(http.ErrAbortHandler)
	case err != nil:
		// Rows went out under a 200: end the connection rather than the
		// file, so the download fails instead of looking complete.
		a.Log.Error("placements csv cut short", "err", err)
		_ = w.Flush()
		panic(http.ErrAbortHandler)
	default:
		if w == nil {
			begin()
		}
		_ = w.Flush()
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func (a *API) importTemplate(c *gin.Context) {
	kind := strings.TrimSuffix(c.Param("file"), ".xlsx")
	b, err := a.Imports.Template(c.Request.Context(), caller(c), kind, a.today())
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="gradzone-%s-template.xlsx"`, kind))
	c.Data(http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b)
}

func (a *API) startImport(c *gin.Context) {
	fh, err := c.FormFile("file")
	if err != nil {
		fail(c, domain.FieldError("file", "send the workbook as multipart form field \"file\""))
		return
	}
	data, err := app.ReadUpload(fh, domain.MaxImportBytes)
	if err != nil {
		fail(c, err)
		return
	}
	job, err := a.Imports.Start(c.Request.Context(), caller(c), c.Param("kind"), fh.Filename, data, a.today())
	reply(c, http.StatusAccepted, job, err)
}

// getImport answers GET /imports/{id}: the route shares its slot with POST /imports/{kind}.
func (a *API) getImport(c *gin.Context) {
	job, err := a.App.Import(c.Request.Context(), caller(c), c.Param("kind"))
	reply(c, http.StatusOK, job, err)
}

// importCorrections answers GET /imports/{id}/refused.xlsx: the import's
// refused rows to correct and upload again.
func (a *API) importCorrections(c *gin.Context) {
	job, b, err := a.Imports.Corrections(c.Request.Context(), caller(c), c.Param("kind"))
	if err != nil {
		fail(c, err)
		return
	}
	name, fallback := domain.CorrectionsFileNames(job)
	c.Header("Content-Disposition", domain.Disposition("attachment", name, fallback))
	c.Data(http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b)
}

// auditList is a page of the audit trail with the cursor of the next
// (additive to the contract's list: ?before= pages by it).
type auditList struct {
	listBody[domain.AuditEntry]
	// NextBefore is the last entry's ID when more entries follow, else nil.
	NextBefore *string `json:"next_before"`
}

func (a *API) audit(c *gin.Context, p domain.Page) {
	f := domain.AuditFilter{Kind: c.Query("kind"), Actor: c.Query("actor"), Before: c.Query("before")}
	var v domain.Validation
	for name, dst := range map[string]**time.Time{"from": &f.From, "to": &f.To} {
		if s := c.Query(name); s != "" {
			t, err := time.Parse(time.RFC3339, s)
			if err != nil {
				if d, ok := domain.ParseDate(s); ok {
					// A date is a whole Shanghai day: "to" runs to its end.
					if name == "to" {
						d = d.AddDays(1)
					}
					t, err = d.Time(), nil
				}
			}
			v.Check(err == nil, name, "must be a date or RFC 3339 time")
			*dst = &t
		}
	}
	if err := v.Err(); err != nil {
		fail(c, err)
		return
	}
	items, total, err := a.App.Audit(c.Request.Context(), caller(c), f, p)
	if err != nil {
		fail(c, err)
		return
	}
	body := auditList{listBody: list(items, total, p)}
	if n := len(items); n > 0 && int64(p.Offset()+n) < total {
		body.NextBefore = &items[n-1].ID
	}
	c.JSON(http.StatusOK, body)
}
