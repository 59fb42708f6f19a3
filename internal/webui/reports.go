package webui

import (
	"cmp"
	"context"
	"fmt"
	"html/template"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gradzone/gradzone/internal/domain"
)

// ReportsPage is one month's zone reports in the caller's scope, with the
// actions each level has on them, and the province's own report.
type ReportsPage struct {
	Layout
	Year, Month int
	// Replaced: the month asked for was not one; the page shows Year-Month
	// and says so.
	Replaced bool
	// OffSeason: the month is outside the reporting season (May–August):
	// nothing is owed, and the page says so above the list.
	OffSeason bool
	Reports   []domain.MonthlyReport
	// Province is a province's own report: province staff's, or the one
	// the ministry opened (?province=); nil otherwise.
	Province *domain.ProvinceReport
	// Provinces are the provinces' reports of the month, for the ministry
	// choosing none.
	Provinces []domain.ProvinceReportState
	// Submits: the caller submits Province (its province staff).
	Submits bool
	// Outside is, on a province's page, the row of the employers outside
	// any zone (domain.AreaMonth), nil elsewhere.
	Outside *domain.MonthlyReport
	// Form is the zone's submit form after its note was refused: what was
	// typed, and why, beside the box.
	Form Form
	// Chases are the zones' records of 催报 for the month, by zone, on a
	// province's page.
	Chases map[string]domain.ChaseRecord
}

func (*ReportsPage) template() string { return "reports/reports" }

// RowsDiffer: the province's report says another total than its zones'
// rows and the employers outside any zone add up to, because a zone's
// submitted report no longer says what its counts do (a numbers probe read
// 8 over rows of 7, a walk a frozen 9 over rows of 8): the page says why.
func (p *ReportsPage) RowsDiffer() bool {
	if p.Province == nil {
		return false
	}
	sum := p.Province.ZonelessPlacements
	for _, z := range p.Province.Zones {
		sum += z.Placements
	}
	return sum != p.Province.Placements
}

// ReportDetail is what a report holds beyond its row: its targets and
// rates, and each breakdown of its placements (domain.Dimensions), as the
// workbook has them. A zone submits, and its province reviews, them; a
// province submits its own to the ministry (Report.Zone is "" then: it has
// no share of a province).
type ReportDetail struct {
	Lang       string
	Report     domain.MonthlyReport
	Breakdowns []BreakdownLine
}

// BreakdownLine is one dimension of a report: its title and its values,
// largest first.
type BreakdownLine struct {
	Title  string
	Values []BreakdownRow
}

// maxReportDetails bounds the details drawn: a province's zones, not the
// nation's 178.
const maxReportDetails = 40

// Details are the reports' details, when the page lists few enough.
func (p *ReportsPage) Details() []ReportDetail {
	if len(p.Reports) > maxReportDetails {
		return nil
	}
	names := p.dimensionNames()
	out := make([]ReportDetail, len(p.Reports))
	for i, r := range p.Reports {
		out[i] = p.detail(r, names)
	}
	return out
}

// ProvinceDetail is the details of the province's own report, nil on a
// page without one.
func (p *ReportsPage) ProvinceDetail() *ReportDetail {
	if p.Province == nil {
		return nil
	}
	d := p.detail(domain.MonthlyReport{Completion: p.Province.Completion, Breakdowns: p.Province.Breakdowns}, p.dimensionNames())
	return &d
}

// dimensionNames are each dimension's value labels (dimensionLabels), in
// the order of domain.Dimensions.
func (p *ReportsPage) dimensionNames() []map[string]string {
	names := make([]map[string]string, len(domain.Dimensions))
	for i, d := range domain.Dimensions {
		names[i] = dimensionLabels(p.Lang, d)
	}
	return names
}

func (p *ReportsPage) detail(r domain.MonthlyReport, names []map[string]string) ReportDetail {
	out := ReportDetail{Lang: p.Lang, Report: r}
	for j, d := range domain.Dimensions {
		out.Breakdowns = append(out.Breakdowns, BreakdownLine{Title: d.Title(p.Lang), Values: breakdownRows(r.Breakdowns.Of(d), names[j])})
	}
	return out
}

// ZonesNotIn counts the zones whose report of the month is not in: the
// province submitting its own is told first.
func (p *ReportsPage) ZonesNotIn() int { return domain.NotIn(p.Reports) }

// AreaQuery is the query of the page's downloads: its month, and the
// province the ministry opened (province staff's own is implied).
func (p *ReportsPage) AreaQuery() template.URL {
	q := fmt.Sprintf("year=%d&month=%d", p.Year, p.Month)
	if p.Province != nil && !p.Submits {
		q += "&province=" + url.QueryEscape(p.Province.Province)
	}
	return template.URL(q) // numbers and an escaped province code
}

// reportMonth is the month asked for (?year=&month=, or a form's fields),
// this month by default; a year or month that is not one (month 13, year
// 1999) is replaced by this one, and replaced says so, for the page to
// name the month it shows instead.
func (s *Site) reportMonth(c *gin.Context) (y, m int, replaced bool) {
	now := s.today()
	y, m = now.Year, now.Month
	if q := cmp.Or(c.Query("year"), c.PostForm("year")); q != "" {
		if v, err := strconv.Atoi(q); err == nil && v >= 2000 && v <= 2100 {
			y = v
		} else {
			replaced = true
		}
	}
	if q := cmp.Or(c.Query("month"), c.PostForm("month")); q != "" {
		if v, err := strconv.Atoi(q); err == nil && v >= 1 && v <= 12 {
			m = v
		} else {
			replaced = true
		}
	}
	return y, m, replaced
}

// ReportVersionsPage is the history of a zone's month report (版本记录):
// every version submitted, newest first, with its state, its note, the
// reason it was returned, and the figures that moved since the version
// before.
type ReportVersionsPage struct {
	Layout
	Zone        string
	ZoneName    string
	Year, Month int
	Versions    []VersionView
}

func (*ReportVersionsPage) template() string { return "reports/versions" }

// VersionView is one version as the page shows it: its figures' changes
// written out, in the report's order, then its breakdowns', in the
// registry's order of dimensions and each dimension's of values.
type VersionView struct {
	Version          int
	Status           string
	SubmittedAt      time.Time
	SubmittedBy      string
	ReviewedBy       string
	ReviewedAt       *time.Time
	ReturnReason     *string
	Report           domain.MonthlyReport
	Changes          []FigureChange
	BreakdownChanges []BreakdownChange
}

// FigureChange is a figure a version changed: what it was, what it is
// ("—" for none, as a rate without a target).
type FigureChange struct{ Field, Was, Is string }

// BreakdownChange is a breakdown a version changed: the dimension's
// heading and each value whose placements moved.
type BreakdownChange struct {
	Dimension string
	Values    []ValueChange
}

// ValueChange is a value of a breakdown: its label, its counts.
type ValueChange struct {
	Value   string
	Was, Is int64
}

func versionView(l string, v domain.ReportVersion) VersionView {
	out := VersionView{Version: v.Version, Status: v.Status, SubmittedAt: v.SubmittedAt, SubmittedBy: v.SubmittedBy,
		ReviewedBy: v.ReviewedBy, ReviewedAt: v.ReviewedAt, ReturnReason: v.ReturnReason, Report: v.Report}
	for _, k := range domain.VersionedFigures {
		if pair, ok := v.Changes[k]; ok {
			out.Changes = append(out.Changes, FigureChange{Field: k, Was: figure(k, pair[0]), Is: figure(k, pair[1])})
		}
	}
	out.BreakdownChanges = breakdownChanges(l, v.BreakdownChanges)
	return out
}

// figure writes a version's figure as the report above it does: a rate as
// a percentage with one decimal (walk35 read 「41.7 → 100」 under 100.0%),
// a count whole, "—" for a rate without a divisor.
func figure(field string, x any) string {
	f, ok := x.(float64)
	switch {
	case !ok:
		return "—"
	case domain.RateFigures[field]:
		return strconv.FormatFloat(f, 'f', 1, 64) + "%"
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// breakdownChanges writes the breakdowns' moved values (domain.DiffReports)
// out in lang, in the registry's order of dimensions and each dimension's
// of values: a version's changes, and a submitted report's since.
func breakdownChanges(l string, moved map[string]map[string][2]int64) []BreakdownChange {
	var out []BreakdownChange
	for _, d := range domain.Dimensions {
		values := moved[d.Field]
		if len(values) == 0 {
			continue
		}
		line := BreakdownChange{Dimension: d.Title(l)}
		for _, value := range d.Ordered(slices.Collect(maps.Keys(values))) {
			line.Values = append(line.Values, ValueChange{Value: d.Label(l, value), Was: values[value][0], Is: values[value][1]})
		}
		out = append(out, line)
	}
	return out
}

func (s *Site) reportVersionsPage(c *gin.Context) {
	y, m, _ := s.reportMonth(c)
	zone := c.Query("zone")
	vs, err := s.App.ReportVersions(c.Request.Context(), callerOf(c), zone, y, m)
	if err != nil {
		s.fail(c, err)
		return
	}
	v := &ReportVersionsPage{Zone: zone, Year: y, Month: m}
	for _, rv := range slices.Backward(vs) { // newest first
		v.Versions = append(v.Versions, versionView(lang(c), rv))
		v.ZoneName = rv.Report.ZoneName
	}
	v.Layout = s.layout(c, fmt.Sprintf("%s %d-%02d", s.cat.t(lang(c), "reports.versions"), y, m))
	s.render(c, http.StatusOK, v)
}

func (s *Site) reportsPage(c *gin.Context) {
	v, err := s.reportsView(c)
	s.show(c, v, err)
}

func (s *Site) reportsView(c *gin.Context) (*ReportsPage, error) {
	y, m, replaced := s.reportMonth(c)
	cl := callerOf(c)
	province := ""
	if cl.Level() == domain.LevelNation {
		province = c.Query("province") // the ministry opening one province
	}
	rs, err := s.App.MonthlyReports(c.Request.Context(), cl, province, y, m)
	if err != nil {
		return nil, err
	}
	v := &ReportsPage{Year: y, Month: m, Replaced: replaced, OffSeason: !domain.InReportSeason(m), Reports: rs, Submits: cl.Level() == domain.LevelProvince}
	switch {
	case cl.Level() == domain.LevelProvince:
		province = cl.ProvinceCode
	case cl.Level() == domain.LevelNation && province == "":
		if v.Provinces, err = s.App.ProvinceReportStates(c.Request.Context(), cl, y, m); err != nil {
			return nil, err
		}
	}
	if province != "" {
		pr, err := s.App.ProvinceReport(c.Request.Context(), cl, province, y, m)
		if err != nil {
			return nil, err
		}
		v.Province = &pr
		if v.Chases, err = s.App.ReportChases(c.Request.Context(), cl, province, y, m); err != nil {
			return nil, err
		}
		// The employers outside any zone, as the workbook counts them (the
		// zones' rows are frozen once submitted: the total less them is not).
		if area, ok, err := s.App.AreaMonth(c.Request.Context(), cl, province, y, m); err == nil && ok {
			v.Outside = &area.Outside
		}
	}
	v.Layout = s.layout(c, fmt.Sprintf("%s %d-%02d", s.cat.t(lang(c), "staff.reports"), v.Year, v.Month)) // as its h1
	return v, nil
}

func (s *Site) submitProvinceReport(c *gin.Context) {
	s.reportAction(c, "staff.province_submitted", func(ctx context.Context, cl domain.Caller, y, m int) error {
		_, err := s.App.SubmitProvinceReport(ctx, cl, cl.ProvinceCode, y, m)
		return err
	})
}

func (s *Site) submitReport(c *gin.Context) {
	note := c.PostForm("note")
	if _, err := domain.ReportNote(note); err != nil {
		// The page again, with what was typed and why beside the box (a
		// walk: a flash, and the note lost).
		v, verr := s.reportsView(c)
		if verr != nil {
			s.fail(c, verr)
			return
		}
		v.Form = s.failedForm(c, map[string]string{"note": note}, fieldErrors(err))
		s.render(c, http.StatusUnprocessableEntity, v)
		return
	}
	s.reportAction(c, "staff.report_submitted", func(ctx context.Context, cl domain.Caller, y, m int) error {
		_, err := s.App.SubmitReport(ctx, cl, cl.ZoneCode, y, m, note)
		return err
	})
}

func (s *Site) reviewReport(c *gin.Context) {
	done := "reports.returned"
	if c.PostForm("action") == "accept" {
		done = "reports.accepted"
	}
	s.reportAction(c, done, func(ctx context.Context, cl domain.Caller, y, m int) error {
		_, err := s.App.ReviewReport(ctx, cl, c.PostForm("zone"), y, m, c.PostForm("action"), c.PostForm("reason"))
		return err
	})
}

// reportAction runs act on the posted year and month, flashes its error (or,
// with a done message key, "✓" and that message) and goes back to that
// month's reports.
func (s *Site) reportAction(c *gin.Context, done string, act func(ctx context.Context, cl domain.Caller, y, m int) error) {
	y, _ := strconv.Atoi(c.PostForm("year"))
	m, _ := strconv.Atoi(c.PostForm("month"))
	if err := act(c.Request.Context(), callerOf(c), y, m); err != nil {
		s.flash(c, s.message(c, err), true)
	} else if done != "" {
		s.flash(c, "✓ "+s.cat.t(lang(c), done), false)
	}
	c.Redirect(http.StatusSeeOther, reportsOf(c, y, m))
}

// reportsOf is the reports page of a month to return to after an action,
// in the province the ministry had opened (the form's province).
func reportsOf(c *gin.Context, y, m int) string {
	if p := c.PostForm("province"); p != "" {
		return fmt.Sprintf("/staff/reports?province=%s&year=%d&month=%d", url.QueryEscape(p), y, m)
	}
	return fmt.Sprintf("/staff/reports?year=%d&month=%d", y, m)
}
