package webui

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/gradzone/gradzone/internal/app"
	"github.com/gradzone/gradzone/internal/domain"
)

// DashboardPage is the staff desk (/staff) at any level: the year's figures
// for the caller's scope, the charts' data, the ranking of the level below,
// late reports and the review queues (zone, province). Targets are set on
// the targets table (TargetsPage).
type DashboardPage struct {
	Layout
	Year int
	// Earlier is set when the current year has no data yet and the page
	// shows the year before instead (the current year's number).
	Earlier int
	// Scope names the zone, province or "national".
	Scope   string
	Figures Figures
	// Breakdowns are the charts drawn beside the monthly chart, one per
	// report dimension (domain.Dimensions).
	Breakdowns []BreakdownChart
	// Ranking is the level below (zones of a province, provinces of the
	// country); RankingLabel names that level. Empty for a zone.
	Ranking      []domain.ZoneRow
	RankingLabel string
	// RankingParam is the parameter each ranking row opens its area's
	// dashboard with (zone, province).
	RankingParam string
	// Up is the caller's own dashboard, on an area it opened below it;
	// Area is that area's parameter, which the year picker keeps.
	Up   string
	Area *AreaParam
	// Outside, on a province's ranking of its zones, counts the employers
	// outside any zone: the headline holds them, the zones' rows do not.
	Outside *domain.ZoneRow
	// Me is the official's account: its address refused by its mail server
	// (MailRefused) is said at the top, since the report mails stop.
	Me domain.Me
	// Late names the areas whose last month's report is overdue (supervising levels).
	Late      []string
	LateMonth string
	// Pending and Review are the employers and openings waiting for this
	// reviewer (the first 50); PendingTotal and ReviewTotal count them all,
	// for the links at the top of the page (on a phone the queues stand
	// below six charts).
	Pending                   []EmployerRow
	Review                    []domain.Opening
	PendingTotal, ReviewTotal int64
	// Returned are the zone's reports returned for correction: a to-do
	// until submitted again.
	Returned []domain.ReportMonth
	// Overdue are the season months whose report the zone owes and never
	// submitted: a to-do beside Returned.
	Overdue []domain.ReportMonth
	// Awaiting are the zone reports waiting for the province's review, by
	// month: a province's to-do.
	Awaiting []domain.ReportsAwaiting
	// ChartJSON is chartData, for dashboard.js.
	ChartJSON template.JS
	// Monthly are the monthly chart's numbers, shown as a table beside it.
	Monthly []domain.MonthCount
}

func (*DashboardPage) template() string { return "staff/dashboard" }

// Figures are the key figures of one scope and year.
type Figures struct {
	domain.Completion
	Share *float64
	// ShareLabel says share of what (the province, or the country).
	ShareLabel string
	Sprint     domain.Sprint
	// InSprint shows the sprint card: only during the year's 100 days.
	InSprint bool
	// Source is where a province's or the nation's targets come from; a
	// zone's are its own ("").
	Source domain.TargetSource
	// LikeForLike is the year so far against last year to the same day:
	// the page's 同比增长 (the whole last year made a year under way read
	// −40 % in August, and a year not begun −100 %; a numbers probe).
	LikeForLike *domain.LikeForLike
}

// SourceKey is the i18n key saying where the targets come from, "" when
// they were set for the area itself (TargetRow.SourceKey).
func (f Figures) SourceKey() string { return targetSourceKeys[f.Source] }

// BreakdownChart is one dimension's chart: its field (the key in
// chartData.Breakdowns) and its title in the page's language. Rows are its
// numbers as a table beside the chart, largest first: the chart's legend,
// readable whole on a phone (a pie's own legend was cut and paged).
type BreakdownChart struct {
	Field, Title string
	Rows         []BreakdownRow
}

// BreakdownRow is one value of a breakdown: its code, label, count and
// share, and the colour of its slice in the chart (the table is the
// chart's key).
type BreakdownRow struct {
	Code, Label string
	Count       int64
	// Share is the percentage of the breakdown's total, one decimal.
	Share  string
	Colour string
}

// chartPalette are the slices' colours, in the table's order: dashboard.js
// draws with them, each table row shows its own.
// It has a colour for every value of the largest dimension
// (TestChartPaletteCoversEveryDimension).
var chartPalette = []string{"#0b5cad", "#e8833a", "#2e9e6a", "#c23b4e", "#7b5cc4", "#c9a227", "#2a9fbc", "#8c6d4f",
	"#d45fa0", "#5f6b7a", "#6fa8dc", "#f6b26b", "#93c47d", "#e06666", "#b4a7d6", "#76a5af"}

// dimensionLabels names each value of dimension d in lang, by its code.
func dimensionLabels(lang string, d domain.Dimension) map[string]string {
	names := make(map[string]string, len(d.Terms))
	for _, t := range d.Terms {
		names[t.Code] = d.Label(lang, t.Code)
	}
	return names
}

// breakdownRows turns counts into table rows, largest first, then by label,
// each with its slice's colour.
func breakdownRows(counts map[string]int64, names map[string]string) []BreakdownRow {
	var total int64
	for _, n := range counts {
		total += n
	}
	rows := make([]BreakdownRow, 0, len(counts))
	for code, n := range counts {
		if n == 0 {
			continue
		}
		label := names[code]
		if label == "" {
			label = code
		}
		rows = append(rows, BreakdownRow{Code: code, Label: label, Count: n, Share: fmt.Sprintf("%.1f%%", float64(n)*100/float64(total))})
	}
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].Count != rows[j].Count {
			return rows[i].Count > rows[j].Count
		}
		return rows[i].Label < rows[j].Label
	})
	for i := range rows {
		rows[i].Colour = chartPalette[i%len(chartPalette)]
	}
	return rows
}

// chartData is what dashboard.js draws. Names and Breakdowns are keyed by
// dimension field, then by value code (codes may repeat across dimensions).
type chartData struct {
	Monthly    []domain.MonthCount          `json:"monthly"`
	Names      map[string]map[string]string `json:"names"`
	Ranking    []chartRank                  `json:"ranking"`
	Labels     chartLabels                  `json:"labels"`
	Breakdowns map[string]map[string]int64  `json:"breakdowns"`
	// Order lists each dimension's codes as its table does; Palette colours
	// the slices in that order.
	Order   map[string][]string `json:"order"`
	Palette []string            `json:"palette"`
}

type chartRank struct {
	Name string   `json:"name"`
	Rate *float64 `json:"rate"`
}

type chartLabels struct {
	Positions  string `json:"positions"`
	Placements string `json:"placements"`
}

func (s *Site) staffPage(c *gin.Context) {
	year, chosen := askedYear(c.Query("year"), s.today().Year)
	v, err := s.dashboardView(c, year)
	// In January nothing has happened yet: open on the last year with data.
	if err == nil && !chosen && v.Figures.Placements == 0 && v.Figures.PlacementsPrevYear > 0 {
		v, err = s.dashboardView(c, year-1)
		if v != nil {
			v.Earlier = year
		}
	}
	if err == nil {
		v.Me, err = s.App.Me(c.Request.Context(), callerOf(c))
	}
	s.show(c, v, err)
}

// AreaParam is a query parameter naming an area (zone=…, province=…).
type AreaParam struct{ Name, Value string }

// dashboardArea is the area a dashboard shows: the caller's own, or one
// below it the caller opened from its ranking (?zone=, ?province=; the
// store decides whether the caller sees it).
type dashboardArea struct {
	level          domain.Level
	zone, province string
	drilled        bool
}

func areaOf(c *gin.Context, cl domain.Caller) dashboardArea {
	a := dashboardArea{level: cl.Level(), zone: cl.ZoneCode, province: cl.ProvinceCode}
	if z := c.Query("zone"); z != "" && a.level != domain.LevelZone {
		return dashboardArea{level: domain.LevelZone, zone: z, drilled: true}
	}
	if p := c.Query("province"); p != "" && a.level == domain.LevelNation {
		return dashboardArea{level: domain.LevelProvince, province: p, drilled: true}
	}
	return a
}

// areaProgress is the progress of a province, or of the nation.
func (s *Site) areaProgress(ctx context.Context, cl domain.Caller, area dashboardArea, year int) (domain.AreaProgress, error) {
	if area.level == domain.LevelProvince {
		return s.App.ProvinceProgress(ctx, cl, area.province, year)
	}
	return s.App.NationalProgress(ctx, cl, year)
}

func (s *Site) dashboardView(c *gin.Context, year int) (*DashboardPage, error) {
	ctx := c.Request.Context()
	cl := callerOf(c)
	l := lang(c)
	area := areaOf(c, cl)
	v := &DashboardPage{Year: year}
	if area.drilled {
		v.Up, v.Area = "/staff?year="+strconv.Itoa(year), &AreaParam{"zone", area.zone}
		if area.level == domain.LevelProvince {
			v.Area = &AreaParam{"province", area.province}
		}
	}
	for _, d := range domain.Dimensions {
		v.Breakdowns = append(v.Breakdowns, BreakdownChart{Field: d.Field, Title: d.Title(l)})
	}
	var monthly []domain.MonthCount
	var bd domain.Breakdowns
	switch area.level {
	case domain.LevelZone:
		p, err := s.App.ZoneProgress(ctx, cl, area.zone, year)
		if err != nil {
			return nil, err
		}
		v.Scope = s.placeName(l, p.Zone.Code, p.Zone.NameZh)
		if area.drilled && cl.Level() == domain.LevelNation {
			// The ministry came by the zone's province: back is there.
			v.Up = fmt.Sprintf("/staff?province=%s&year=%d", url.QueryEscape(p.Zone.ProvinceCode), year)
		}
		v.Figures = Figures{Completion: p.Completion, Share: p.ProvinceShare, ShareLabel: s.cat.t(l, "staff.province_share"), Sprint: p.Sprint,
			LikeForLike: p.LikeForLike}
		monthly, bd = p.Monthly, p.Breakdowns
	default:
		// A province and the nation read the same kind of progress; the
		// ranking is of the province's zones, or of the provinces.
		p, err := s.areaProgress(ctx, cl, area, year)
		if err != nil {
			return nil, err
		}
		v.Figures = Figures{Completion: p.Completion, Share: p.ZoneShare, ShareLabel: s.cat.t(l, "staff.zone_share"), Sprint: p.Sprint,
			Source: p.TargetSource, LikeForLike: p.LikeForLike}
		monthly, bd = p.Monthly, p.Breakdowns
		if area.level == domain.LevelProvince {
			v.Scope, v.Ranking, v.RankingLabel, v.RankingParam = s.placeName(l, p.Province.Code, p.Province.NameZh), p.Zones, s.cat.t(l, "staff.zone"), "zone"
			if p.Zoneless.Placements > 0 || p.Zoneless.PositionsDeveloped > 0 {
				v.Outside = &domain.ZoneRow{}
				v.Outside.Placements, v.Outside.PositionsDeveloped = p.Zoneless.Placements, p.Zoneless.PositionsDeveloped
			}
		} else {
			v.Scope, v.RankingLabel, v.RankingParam = s.cat.t(l, "staff.national"), s.cat.t(l, "staff.province"), "province"
			for _, pr := range p.Provinces {
				v.Ranking = append(v.Ranking, pr.ZoneRow)
			}
		}
	}
	// The review queues: what this caller may verify and approve
	// (domain.Caller.CanReview), on its own dashboard.
	if !area.drilled && !cl.ReviewScope(domain.VerifyEmployer).None {
		var pending []domain.Employer
		pending, v.PendingTotal, _ = s.App.EmployersToReview(ctx, cl, domain.EmployerPending, domain.Page{Page: 1, PerPage: 50})
		for _, e := range pending {
			v.Pending = append(v.Pending, s.employerRow(l, cl, e))
		}
		v.Review, v.ReviewTotal, _ = s.App.OpeningsToReview(ctx, cl, domain.OpeningPendingReview, domain.Page{Page: 1, PerPage: 50})
	}
	if cl.Level() == domain.LevelZone {
		v.Returned, _ = s.App.ReturnedReports(ctx, cl) // a to-do; the page stands without it
		v.Overdue, _ = s.App.OverdueReports(ctx, cl, s.today())
	}
	if !area.drilled {
		v.Awaiting, _ = s.App.ReportsAwaitingReview(ctx, cl) // likewise
	}
	// Late reports: last month's, for the supervising levels.
	if !area.drilled && cl.Level() != domain.LevelZone {
		last := domain.DateOf(s.Now()).AddDays(-domain.DateOf(s.Now()).Day)
		if rs, err := s.App.MonthlyReports(ctx, cl, "", last.Year, last.Month); err == nil {
			var late []string
			for _, r := range rs {
				if r.State == "overdue" {
					late = append(late, s.placeName(l, r.Zone, r.ZoneName))
				}
			}
			if len(late) > 20 {
				late = append(late[:20], fmt.Sprintf("… %d", len(late)))
			}
			v.Late, v.LateMonth = late, domain.MonthKey(last.Year, last.Month)
		}
	}
	// Per dimension: its counts and its values' labels, keyed by its field.
	names, breakdowns := map[string]map[string]string{}, map[string]map[string]int64{}
	for _, d := range domain.Dimensions {
		names[d.Field] = dimensionLabels(l, d)
		breakdowns[d.Field] = bd.Of(d)
	}
	order := map[string][]string{}
	for i := range v.Breakdowns {
		f := v.Breakdowns[i].Field
		v.Breakdowns[i].Rows = breakdownRows(breakdowns[f], names[f])
		order[f] = []string{}
		for _, r := range v.Breakdowns[i].Rows {
			order[f] = append(order[f], r.Code)
		}
	}
	v.Monthly = monthly
	chart := chartData{Monthly: monthly, Names: names, Breakdowns: breakdowns, Order: order, Palette: chartPalette,
		Labels: chartLabels{Positions: s.cat.t(l, "staff.positions_label"), Placements: s.cat.t(l, "staff.placements_label")}}
	for _, r := range v.Ranking {
		if r.CompletionRate != nil {
			chart.Ranking = append(chart.Ranking, chartRank{s.placeName(l, r.Code, r.NameZh), r.CompletionRate})
		}
	}
	v.Figures.InSprint = domain.InSprint(year, s.today())
	v.ChartJSON = jsonScript(chart)
	v.Layout = s.layout(c, s.cat.t(l, "nav.staff")+" · "+v.Scope) // as its h1: whose dashboard
	return v, nil
}

// verify verifies an employer and goes back where the form was (the
// dashboard's queue or the employer list, its "next"), saying how it went.
func (s *Site) verify(c *gin.Context) {
	e, err := s.App.VerifyEmployer(c.Request.Context(), callerOf(c), c.Param("id"))
	back := safeNext(c.PostForm("next"))
	if back == "" {
		back = "/staff"
	}
	if err != nil {
		s.back(c, back, s.message(c, err), true)
		return
	}
	s.done(c, back, "staff.verified", "{name}", e.Name)
}

// returnEmployer returns a pending employer's registration for
// correction and goes back to its page, saying so.
func (s *Site) returnEmployer(c *gin.Context) {
	back := "/staff/employers/" + url.PathEscape(c.Param("id"))
	e, err := s.App.ReturnEmployer(c.Request.Context(), callerOf(c), c.Param("id"), strings.TrimSpace(c.PostForm("reason")))
	if err != nil {
		s.keepRefused(c, back, c.PostForm("reason")) // back in its box (a walk retyped it)
		s.back(c, back, s.message(c, err), true)
		return
	}
	s.done(c, back, "staff.employer_returned", "{name}", e.Name)
}

// review approves or rejects an opening and goes back to the dashboard,
// naming the opening (a reviewer going down the queue sees which one). A
// refusal goes to the opening's own page, as it is now, saying why: on the
// dashboard it named no opening (an employer walk), and an opening edited
// since the reviewer read it is read again there.
func (s *Site) review(approve bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		var o domain.Opening
		var err error
		done := "staff.rejected"
		if approve {
			// The form sends the version the page showed: an opening edited
			// since is not published with text this reviewer never saw. One
			// that names none is refused, not read as "any" (a forms probe).
			if version, perr := strconv.Atoi(c.PostForm("version")); perr != nil || version < 1 {
				err = domain.FieldError("version", "must be a positive whole number")
			} else {
				o, err = s.App.ApproveOpeningVersion(c.Request.Context(), callerOf(c), c.Param("id"), version)
			}
			done = "staff.approved"
		} else {
			o, err = s.App.RejectOpening(c.Request.Context(), callerOf(c), c.Param("id"), strings.TrimSpace(c.PostForm("reason")))
		}
		if err != nil {
			page := "/openings/" + url.PathEscape(c.Param("id"))
			if !approve {
				s.keepRefused(c, page, c.PostForm("reason")) // back in its box
			}
			s.back(c, page+"#review", s.message(c, err), true)
			return
		}
		s.done(c, "/staff", done, "{title}", o.Title)
	}
}

// ImportsPage offers the bulk imports and follows one running job.
type ImportsPage struct {
	Layout
	Kinds []string
	// Job is the import being followed (?job=), nil when none.
	Job *domain.ImportJob
	// Recent are the zone's latest imports, each opening its result: a
	// walk lost an import's problem rows once it left the ?job= address.
	Recent []domain.ImportSummary
}

func (*ImportsPage) template() string { return "staff/imports" }

// Reason is a refused row's reason in the reader's language: each
// "column: reason" part translated, the row's own column not repeated.
func (p *ImportsPage) Reason(e domain.ImportError) string {
	m := punctuation(p.Lang)
	return e.Explain(p.Lang, m.colon, m.clause)
}

// ProblemGroup is the refused rows of an import that share a column and a
// reason.
type ProblemGroup struct {
	Rows  string // the rows' numbers, runs written as ranges: "2–4, 7"
	Count int
	First domain.ImportError
}

// Problems groups the job's refused rows by column and reason, in the
// order each first occurs: an import probe's 5,000 rows refused for one
// reason made a page of 5,000 identical lines.
func (p *ImportsPage) Problems() []ProblemGroup {
	if p.Job == nil {
		return nil
	}
	type key struct{ column, reason string }
	var order []key
	rows := map[key][]int{}
	first := map[key]domain.ImportError{}
	for _, e := range p.Job.Errors {
		if e.Reason == domain.ReasonHiddenRow {
			continue // named in their own line (HiddenRows)
		}
		k := key{e.Column, e.Reason}
		if _, ok := rows[k]; !ok {
			order, first[k] = append(order, k), e
		}
		rows[k] = append(rows[k], e.Row)
	}
	out := make([]ProblemGroup, len(order))
	for i, k := range order {
		out[i] = ProblemGroup{Rows: rowRanges(rows[k]), Count: len(rows[k]), First: first[k]}
	}
	return out
}

// shownRuns is how many runs of rows a problem lists: a walk's 3,000 rows
// refused every other one made a box 4,900 px tall. The line says how many
// rows there are, and the corrections workbook holds them all.
const shownRuns = 10

// HiddenRowNumbers are the numbers of the rows the import skipped because
// the sheet hides them, as ranges.
func (p *ImportsPage) HiddenRowNumbers() string {
	var rows []int
	for _, e := range p.Job.Errors {
		if e.Reason == domain.ReasonHiddenRow {
			rows = append(rows, e.Row)
		}
	}
	return rowRanges(rows)
}

// rowRanges writes row numbers in order, a run of consecutive ones as a
// range ("2–4, 7"), the first shownRuns runs ("…" after them).
func rowRanges(rows []int) string {
	sort.Ints(rows)
	var b strings.Builder
	for i, runs := 0, 0; i < len(rows); runs++ {
		if runs == shownRuns {
			b.WriteString(" …")
			break
		}
		j := i
		for j+1 < len(rows) && rows[j+1] <= rows[j]+1 {
			j++
		}
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Itoa(rows[i]))
		if rows[j] != rows[i] {
			b.WriteString("–" + strconv.Itoa(rows[j]))
		}
		i = j + 1
	}
	return b.String()
}

func (s *Site) importsPage(c *gin.Context) {
	v := &ImportsPage{Kinds: []string{"employers", "openings"}}
	v.Recent = s.recentImports(c)
	if id := c.Query("job"); id != "" {
		if job, err := s.App.Import(c.Request.Context(), callerOf(c), id); err == nil {
			v.Job = &job
			// The list was read first: an import that ended between the
			// two reads is listed again, so its card and its row agree (a
			// fresh-clone run read 导入中 on the card beside the row's outcome).
			for _, r := range v.Recent {
				if r.ID == job.ID && r.Status != job.Status {
					v.Recent = s.recentImports(c)
					break
				}
			}
		}
	}
	v.Layout = s.layout(c, s.cat.t(lang(c), "staff.imports"))
	s.render(c, http.StatusOK, v)
}

// recentImports reads the zone's latest imports. Only zone staff import;
// others see no list (forbidden is expected).
func (s *Site) recentImports(c *gin.Context) []domain.ImportSummary {
	recent, err := s.App.ZoneImports(c.Request.Context(), callerOf(c), 20)
	if err != nil && domain.CodeOf(err) != domain.CodeForbidden {
		s.Log.Error("imports page: earlier imports", "err", err)
	}
	return recent
}

func (s *Site) startImport(c *gin.Context) {
	data, name, sent, err := uploaded(c, domain.MaxImportBytes)
	if err != nil {
		s.fail(c, err)
		return
	}
	if !sent {
		s.back(c, "/staff/imports", s.cat.t(lang(c), "import.no_file"), true)
		return
	}
	job, err := s.Imports.Start(c.Request.Context(), callerOf(c), c.Param("kind"), name, data, s.today())
	if errors.Is(err, app.ErrImportsBusy) {
		// Its own words: the code's (unavailable) say the service is down.
		s.back(c, "/staff/imports", s.cat.t(lang(c), "import.busy"), true)
		return
	}
	if err != nil {
		s.back(c, "/staff/imports", s.message(c, err), true)
		return
	}
	// To the job's card: on a phone it starts below the upload forms, and
	// the page looked as before the upload (a walk).
	c.Redirect(http.StatusSeeOther, "/staff/imports?job="+job.ID+"#job")
}
