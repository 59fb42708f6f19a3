package webui

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/postgres"
)

// --- employer desk ---

func (s *Site) employerData(c *gin.Context, form, errs map[string]string) (map[string]any, error) {
	ctx := c.Request.Context()
	cl := callerOf(c)
	me, err := s.Store.Me(ctx, cl)
	if err != nil {
		return nil, err
	}
	ops, _, err := s.Store.ManagedOpenings(ctx, cl, "", postgres.Page{Page: 1, PerPage: 100})
	if err != nil {
		return nil, err
	}
	if form == nil {
		form = map[string]string{"headcount": "1", "deadline": s.today().AddDays(60).String(), "city": ""}
	}
	if errs == nil {
		errs = map[string]string{}
	}
	return map[string]any{"Me": me, "Openings": ops, "Form": form, "Errors": errs, "Industries": domain.Industries,
		"Disciplines": domain.Disciplines, "Degrees": domain.Degrees}, nil
}

func (s *Site) employerPage(c *gin.Context) {
	data, err := s.employerData(c, nil, nil)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusOK, "employer", s.cat.t(lang(c), "nav.employer"), data)
}

func (s *Site) createOpening(c *gin.Context) {
	f := c.PostForm
	num := func(k string) int { n, _ := strconv.Atoi(strings.TrimSpace(f(k))); return n }
	in := domain.OpeningInput{Title: f("title"), Description: f("description"), Discipline: f("discipline"), Industry: f("industry"),
		DegreeMin: f("degree_min"), Majors: splitList(f("majors")), Headcount: num("headcount"), City: f("city"),
		SalaryMin: num("salary_min"), SalaryMax: num("salary_max"), Deadline: f("deadline")}
	_, err := s.Store.CreateOpening(c.Request.Context(), callerOf(c), in)
	if de, ok := err.(*domain.Error); ok && len(de.Fields) > 0 {
		form := map[string]string{}
		for _, k := range []string{"title", "description", "majors", "headcount", "city", "salary_min", "salary_max", "deadline"} {
			form[k] = f(k)
		}
		data, derr := s.employerData(c, form, de.Fields)
		if derr != nil {
			s.fail(c, derr)
			return
		}
		s.render(c, http.StatusUnprocessableEntity, "employer", s.cat.t(lang(c), "nav.employer"), data)
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	s.flash(c, "✓ "+s.cat.t(lang(c), "employer.create"), false)
	c.Redirect(http.StatusSeeOther, "/employer")
}

func (s *Site) employerOpeningAction(action string) gin.HandlerFunc {
	return func(c *gin.Context) {
		var err error
		if action == "submit" {
			_, err = s.Store.SubmitOpening(c.Request.Context(), callerOf(c), c.Param("id"))
		} else {
			_, err = s.Store.CloseOpening(c.Request.Context(), callerOf(c), c.Param("id"))
		}
		if err != nil {
			s.flash(c, s.message(c, err), true)
		} else {
			s.flash(c, "✓", false)
		}
		c.Redirect(http.StatusSeeOther, "/employer")
	}
}

type column struct {
	Status string
	Items  []domain.Application
}

var boardStatuses = []string{"submitted", "shortlisted", "interview", "offered", "accepted", "hired", "rejected", "withdrawn", "declined"}

func (s *Site) employerOpening(c *gin.Context) { s.renderBoard(c, nil) }

func (s *Site) renderBoard(c *gin.Context, errs map[string]string) {
	ctx := c.Request.Context()
	cl := callerOf(c)
	o, err := s.Store.Opening(ctx, cl, c.Param("id"))
	if err == nil && o.Employer.ID != cl.EmployerID {
		err = domain.ErrNotFound
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	apps, _, err := s.Store.Applications(ctx, cl, postgres.ApplicationFilter{OpeningID: o.ID}, postgres.Page{Page: 1, PerPage: 100})
	if err != nil {
		s.fail(c, err)
		return
	}
	var cols []column
	for _, st := range boardStatuses {
		col := column{Status: st}
		for _, a := range apps {
			if a.Status == st {
				col.Items = append(col.Items, a)
			}
		}
		if len(col.Items) > 0 || st == "submitted" || st == "offered" || st == "hired" {
			cols = append(cols, col)
		}
	}
	status := http.StatusOK
	if errs != nil {
		status = http.StatusUnprocessableEntity
	}
	s.render(c, status, "employer_opening", o.Title, map[string]any{"Opening": o, "Columns": cols, "Today": s.today().String(), "Errors": errs})
}

// editOpening applies the edit form; field errors are shown at the field.
func (s *Site) editOpening(c *gin.Context) {
	f := c.PostForm
	str := func(k string) *string { v := f(k); return &v }
	num := func(k string) *int { n, _ := strconv.Atoi(strings.TrimSpace(f(k))); return &n }
	_, err := s.Store.UpdateOpening(c.Request.Context(), callerOf(c), c.Param("id"), postgres.OpeningPatch{
		Title: str("title"), Description: str("description"), City: str("city"), Deadline: str("deadline"),
		Headcount: num("headcount"), SalaryMin: num("salary_min"), SalaryMax: num("salary_max")})
	var de *domain.Error
	if errors.As(err, &de) && len(de.Fields) > 0 {
		s.renderBoard(c, de.Fields)
		return
	}
	if err != nil {
		s.flash(c, s.message(c, err), true)
	} else {
		s.flash(c, "✓", false)
	}
	c.Redirect(http.StatusSeeOther, "/employer/openings/"+c.Param("id"))
}

func (s *Site) bulk(c *gin.Context) {
	to := c.PostForm("to")
	var failed []string
	for _, id := range c.PostFormArray("ids") {
		if _, err := s.Store.Transition(c.Request.Context(), callerOf(c), id, domain.Transition{To: to}); err != nil {
			failed = append(failed, s.message(c, err))
		}
	}
	if len(failed) > 0 {
		s.flash(c, strings.Join(failed, "；"), true)
	}
	c.Redirect(http.StatusSeeOther, "/employer/openings/"+c.PostForm("opening"))
}

// --- staff desk ---

type dashboard struct {
	Placements, TargetPlacements, PositionsDeveloped, TargetPositions, PlacementsPrevYear int64
	CompletionRate, PositionsCompletionRate, YoYGrowth, Share                             *float64
	ShareLabel                                                                            string
	Sprint                                                                                domain.Sprint
}

func (s *Site) staffPage(c *gin.Context) {
	ctx := c.Request.Context()
	cl := callerOf(c)
	l := lang(c)
	year := s.today().Year
	if y, err := strconv.Atoi(c.Query("year")); err == nil && y >= 2000 && y <= 2100 {
		year = y
	}
	type chart struct{ Field, Title string }
	var charts []chart
	for _, d := range domain.Dimensions {
		charts = append(charts, chart{d.Field, d.Title(l)})
	}
	data := map[string]any{"Year": year, "Breakdowns": charts}
	var monthly []domain.MonthCount
	var bd domain.Breakdowns
	var ranking []domain.ZoneRow
	switch cl.Role {
	case domain.RoleZoneAdmin:
		p, err := s.Store.ZoneProgress(ctx, cl, cl.ZoneCode, year)
		if err != nil {
			s.fail(c, err)
			return
		}
		data["Scope"] = p.Zone.NameZh
		data["P"] = dashboard{p.Placements, p.TargetPlacements, p.PositionsDeveloped, p.TargetPositions, p.PlacementsPrevYear,
			p.CompletionRate, p.PositionsCompletionRate, p.YoYGrowth, p.ProvinceShare, s.cat.t(l, "staff.province_share"), p.Sprint}
		monthly, bd = p.Monthly, p.Breakdowns
	case domain.RoleProvinceAdmin:
		p, err := s.Store.ProvinceProgress(ctx, cl, cl.ProvinceCode, year)
		if err != nil {
			s.fail(c, err)
			return
		}
		data["Scope"] = p.Province.NameZh
		data["P"] = dashboard{p.Placements, p.TargetPlacements, p.PositionsDeveloped, p.TargetPositions, p.PlacementsPrevYear,
			p.CompletionRate, p.PositionsCompletionRate, p.YoYGrowth, p.ZoneShare, s.cat.t(l, "staff.zone_share"), p.Sprint}
		monthly, bd, ranking = p.Monthly, p.Breakdowns, p.Zones
		data["RankingLabel"] = s.cat.t(l, "staff.zone")
		data["QuotaZones"] = p.Zones
	default:
		p, err := s.Store.NationalProgress(ctx, cl, year)
		if err != nil {
			s.fail(c, err)
			return
		}
		data["Scope"] = s.cat.t(l, "staff.national")
		data["P"] = dashboard{p.Placements, p.TargetPlacements, p.PositionsDeveloped, p.TargetPositions, p.PlacementsPrevYear,
			p.CompletionRate, p.PositionsCompletionRate, p.YoYGrowth, p.ZoneShare, s.cat.t(l, "staff.zone_share"), p.Sprint}
		monthly, bd = p.Monthly, p.Breakdowns
		for _, pr := range p.Provinces {
			r := pr.ZoneRow
			ranking = append(ranking, r)
		}
		data["RankingLabel"] = s.cat.t(l, "staff.province")
	}
	// The review queues: what this caller may verify and approve (domain.Caller.CanReview).
	if !cl.ReviewScope().None {
		pending, _, _ := s.Store.EmployersToReview(ctx, cl, domain.EmployerPending, postgres.Page{Page: 1, PerPage: 50})
		review, _, _ := s.Store.OpeningsToReview(ctx, cl, domain.OpeningPendingReview, postgres.Page{Page: 1, PerPage: 50})
		data["Pending"], data["Review"] = pending, review
	}
	// Late reports: last month's, for the supervising levels.
	if cl.Role != domain.RoleZoneAdmin {
		last := domain.DateOf(s.Now()).AddDays(-domain.DateOf(s.Now()).Day)
		if rs, err := s.Store.MonthlyReports(ctx, cl, "", last.Year, last.Month); err == nil {
			var late []string
			for _, r := range rs {
				if r.State == "overdue" {
					late = append(late, r.ZoneName)
				}
			}
			if len(late) > 20 {
				late = append(late[:20], fmt.Sprintf("… %d", len(late)))
			}
			data["Late"], data["LateMonth"] = late, domain.MonthKey(last.Year, last.Month)
		}
	}
	data["Ranking"] = ranking
	// Per dimension: its counts and its values' labels, keyed by its field.
	names, breakdowns := map[string]map[string]string{}, map[string]map[string]int64{}
	for _, d := range domain.Dimensions {
		names[d.Field] = map[string]string{}
		for _, t := range d.Terms {
			names[d.Field][t.Code] = d.Label(l, t.Code)
		}
		breakdowns[d.Field] = bd.Of(d)
	}
	type rank struct {
		Name string   `json:"name"`
		Rate *float64 `json:"rate"`
	}
	var rk []rank
	for _, r := range ranking {
		if r.CompletionRate != nil {
			rk = append(rk, rank{r.NameZh, r.CompletionRate})
		}
	}
	data["ChartJSON"] = jsonScript(map[string]any{"monthly": monthly, "names": names, "ranking": rk,
		"labels":     map[string]string{"positions": s.cat.t(l, "staff.positions_label"), "placements": s.cat.t(l, "staff.placements_label")},
		"breakdowns": breakdowns})
	s.render(c, http.StatusOK, "staff", s.cat.t(l, "staff.dashboard"), data)
}

func (s *Site) verify(c *gin.Context) {
	if _, err := s.Store.VerifyEmployer(c.Request.Context(), callerOf(c), c.Param("id")); err != nil {
		s.flash(c, s.message(c, err), true)
	} else {
		s.flash(c, "✓ "+s.cat.t(lang(c), "staff.verify"), false)
	}
	c.Redirect(http.StatusSeeOther, "/staff")
}

func (s *Site) review(approve bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		var err error
		if approve {
			_, err = s.Store.ApproveOpening(c.Request.Context(), callerOf(c), c.Param("id"))
		} else {
			_, err = s.Store.RejectOpening(c.Request.Context(), callerOf(c), c.Param("id"), strings.TrimSpace(c.PostForm("reason")))
		}
		if err != nil {
			s.flash(c, s.message(c, err), true)
		} else {
			s.flash(c, "✓", false)
		}
		c.Redirect(http.StatusSeeOther, "/staff")
	}
}

func (s *Site) setQuota(c *gin.Context) {
	year, _ := strconv.Atoi(c.PostForm("year"))
	tp, err1 := strconv.ParseInt(c.PostForm("target_positions"), 10, 64)
	tl, err2 := strconv.ParseInt(c.PostForm("target_placements"), 10, 64)
	var err error
	if err1 != nil || err2 != nil {
		err = domain.FieldError("target_placements", "must be whole numbers")
	} else {
		_, err = s.Store.SetZoneQuota(c.Request.Context(), callerOf(c), domain.Quota{ZoneCode: c.PostForm("zone"), Year: year, TargetPositions: tp, TargetPlacements: tl})
	}
	if err != nil {
		s.flash(c, s.message(c, err), true)
	} else {
		s.flash(c, "✓ "+s.cat.t(lang(c), "staff.set_quota"), false)
	}
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/staff?year=%d", year))
}

func (s *Site) reportMonth(c *gin.Context) (int, int) {
	now := s.today()
	y, m := now.Year, now.Month
	if v, err := strconv.Atoi(c.Query("year")); err == nil && v >= 2000 && v <= 2100 {
		y = v
	}
	if v, err := strconv.Atoi(c.Query("month")); err == nil && v >= 1 && v <= 12 {
		m = v
	}
	return y, m
}

func (s *Site) reportsPage(c *gin.Context) {
	y, m := s.reportMonth(c)
	rs, err := s.Store.MonthlyReports(c.Request.Context(), callerOf(c), "", y, m)
	if err != nil {
		s.fail(c, err)
		return
	}
	data := map[string]any{"Year": y, "Month": m, "Reports": rs}
	if cl := callerOf(c); cl.Role == domain.RoleProvinceAdmin {
		if pr, err := s.Store.ProvinceReport(c.Request.Context(), cl, cl.ProvinceCode, y, m); err == nil {
			data["Province"] = pr
		}
	}
	s.render(c, http.StatusOK, "staff_reports", s.cat.t(lang(c), "staff.reports"), data)
}

func (s *Site) submitProvinceReport(c *gin.Context) {
	cl := callerOf(c)
	y, _ := strconv.Atoi(c.PostForm("year"))
	m, _ := strconv.Atoi(c.PostForm("month"))
	if _, err := s.Store.SubmitProvinceReport(c.Request.Context(), cl, cl.ProvinceCode, y, m); err != nil {
		s.flash(c, s.message(c, err), true)
	} else {
		s.flash(c, "✓ "+s.cat.t(lang(c), "staff.province_submit"), false)
	}
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/staff/reports?year=%d&month=%d", y, m))
}

func (s *Site) submitReport(c *gin.Context) {
	cl := callerOf(c)
	y, _ := strconv.Atoi(c.PostForm("year"))
	m, _ := strconv.Atoi(c.PostForm("month"))
	if _, err := s.Store.SubmitReport(c.Request.Context(), cl, cl.ZoneCode, y, m); err != nil {
		s.flash(c, s.message(c, err), true)
	} else {
		s.flash(c, "✓ "+s.cat.t(lang(c), "staff.report_submit"), false)
	}
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/staff/reports?year=%d&month=%d", y, m))
}

func (s *Site) reviewReport(c *gin.Context) {
	y, _ := strconv.Atoi(c.PostForm("year"))
	m, _ := strconv.Atoi(c.PostForm("month"))
	_, err := s.Store.ReviewReport(c.Request.Context(), callerOf(c), c.PostForm("zone"), y, m, c.PostForm("action") == "accept", c.PostForm("reason"))
	if err != nil {
		s.flash(c, s.message(c, err), true)
	}
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/staff/reports?year=%d&month=%d", y, m))
}

func (s *Site) staffEvents(c *gin.Context) {
	s.renderEvents(c, nil)
}

func (s *Site) renderEvents(c *gin.Context, errs map[string]string) {
	cl := callerOf(c)
	evs, _, err := s.Store.Events(c.Request.Context(), postgres.EventFilter{Zone: cl.ZoneCode}, postgres.Page{Page: 1, PerPage: 50})
	if err != nil {
		s.fail(c, err)
		return
	}
	if errs == nil {
		errs = map[string]string{}
	}
	published, _, err := s.Store.ManagedOpenings(c.Request.Context(), cl, domain.OpeningPublished, postgres.Page{Page: 1, PerPage: 100})
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusOK, "staff_events", s.cat.t(lang(c), "staff.events"), map[string]any{"Events": evs, "Kinds": domain.EventKinds,
		"Errors": errs, "Published": published})
}

func (s *Site) attachOpenings(c *gin.Context) {
	_, err := s.Store.AddEventOpenings(c.Request.Context(), callerOf(c), c.Param("id"), c.PostFormArray("opening_ids"), c.PostForm("pinned") == "1")
	if err != nil {
		s.flash(c, s.message(c, err), true)
	} else {
		s.flash(c, "✓", false)
	}
	c.Redirect(http.StatusSeeOther, "/staff/events")
}

func (s *Site) createEvent(c *gin.Context) {
	cl := callerOf(c)
	local := func(k string) string {
		t, err := time.ParseInLocation("2006-01-02T15:04", c.PostForm(k), domain.Shanghai)
		if err != nil {
			return c.PostForm(k)
		}
		return t.Format(time.RFC3339)
	}
	stream := c.PostForm("stream_url")
	_, err := s.Store.CreateEvent(c.Request.Context(), cl, domain.EventInput{Kind: c.PostForm("kind"), Title: c.PostForm("title"),
		ZoneCode: cl.ZoneCode, StartsAt: local("starts_at"), EndsAt: local("ends_at"), StreamURL: &stream})
	if de, ok := err.(*domain.Error); ok && len(de.Fields) > 0 {
		s.renderEvents(c, de.Fields)
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/staff/events")
}

func (s *Site) importsPage(c *gin.Context) {
	data := map[string]any{"Kinds": []string{"employers", "openings"}}
	if id := c.Query("job"); id != "" {
		if job, err := s.Store.Import(c.Request.Context(), callerOf(c), id); err == nil {
			data["Job"] = job
		}
	}
	s.render(c, http.StatusOK, "staff_imports", s.cat.t(lang(c), "staff.imports"), data)
}

func (s *Site) startImport(c *gin.Context) {
	fh, err := c.FormFile("file")
	if err != nil {
		s.flash(c, s.cat.t(lang(c), "import.upload"), true)
		c.Redirect(http.StatusSeeOther, "/staff/imports")
		return
	}
	f, err := fh.Open()
	if err != nil {
		s.fail(c, err)
		return
	}
	defer f.Close()
	data, _ := io.ReadAll(io.LimitReader(f, 10<<20))
	job, err := s.Imports.Start(c.Request.Context(), callerOf(c), c.Param("kind"), data, s.today())
	if err != nil {
		s.flash(c, s.message(c, err), true)
		c.Redirect(http.StatusSeeOther, "/staff/imports")
		return
	}
	c.Redirect(http.StatusSeeOther, "/staff/imports?job="+job.ID)
}

func (s *Site) auditPage(c *gin.Context) {
	items, _, err := s.Store.Audit(c.Request.Context(), callerOf(c), postgres.AuditFilter{Kind: c.Query("kind")}, postgres.Page{Page: 1, PerPage: 100})
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusOK, "staff_audit", s.cat.t(lang(c), "staff.audit"), map[string]any{"Items": items})
}
