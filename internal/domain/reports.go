package domain

import (
	"slices"
	"time"
)

// MonthlyReport is a zone's report for one month, cumulative to the month's
// end (Asia/Shanghai). Status is the contract's draft|submitted; State adds
// the workflow: not_started, draft, submitted, accepted, returned, overdue.
type MonthlyReport struct {
	Zone         string     `json:"zone"`
	ZoneName     string     `json:"zone_name"`
	ProvinceCode string     `json:"province_code"`
	Year         int        `json:"year"`
	Month        int        `json:"month"`
	Due          string     `json:"due"`
	Status       string     `json:"status"`
	State        string     `json:"state"`
	Version      int        `json:"version"`
	SubmittedAt  *time.Time `json:"submitted_at"`
	ReturnReason *string    `json:"return_reason,omitempty"`
	// Note is the zone's word with a submission (填报说明): what its
	// figures need said, or its answer to a return. It is part of the
	// frozen version.
	Note string `json:"note,omitempty"`
	Completion
	ProvinceShare *float64 `json:"province_share"`
	Breakdowns
	// ChangedSince is, for a submitted report, how the zone's figures to
	// the month stand now against the frozen ones (a hire recorded late
	// and dated in the month): its reviewers see that it no longer says
	// what the counts do, and may return it (a numbers probe: nothing
	// told them). Nil when they agree, and on a draft.
	ChangedSince *ReportChange `json:"changed_since_submitted,omitempty"`
}

// ReportChange is the live figures less a submitted report's, and the
// breakdowns' values whose counts moved since (DiffReports): a hire revoked
// and another of another degree leave the figures as they were and the
// breakdowns not (walk35 read 「已招录 0」).
type ReportChange struct {
	PositionsDeveloped int64 `json:"positions_developed"`
	Placements         int64 `json:"placements"`
	// Breakdowns: by dimension (its field), each moved value's counts then
	// and now; omitted when none moved.
	Breakdowns map[string]map[string][2]int64 `json:"breakdowns,omitempty"`
}

// ReportNote is a report's note (填报说明) as kept: trimmed, optional, at
// most 500 characters of text. Errors: validation_failed (note).
func ReportNote(note string) (string, error) {
	var v Validation
	v.Text(&note, 0, 500, "note", "must be at most 500 characters")
	return note, v.Err()
}

// CheckMonthStarted refuses a month that has not begun on today: there is
// no report of it to submit, or to chase. Errors: validation_failed (month).
func CheckMonthStarted(year, month int, today Date) error {
	if today.Before(Date{Year: year, Month: month, Day: 1}) {
		return FieldError("month", "the month has not started")
	}
	return nil
}

// ReportMonth names a month a report is of.
type ReportMonth struct{ Year, Month int }

// ReportsAwaiting counts a month's zone reports submitted and not yet
// reviewed: a province's to-do.
type ReportsAwaiting struct {
	ReportMonth
	Zones int
}

// ReportDue is the due date of a month's report: the month's last day.
func ReportDue(year, month int) Date { return MonthEnd(year, month) }

// The reporting season: zones and provinces report to the ministry monthly
// from May to August, before each month's end (5–8月每月月底前报送). A report
// of another month may still be submitted, but none is owed: it is never
// overdue, and nobody is reminded or mailed about it.
const (
	ReportSeasonFirst = 5
	ReportSeasonLast  = 8
)

// InReportSeason reports whether a month's report is owed.
func InReportSeason(month int) bool { return month >= ReportSeasonFirst && month <= ReportSeasonLast }

// SubmittedLate reports whether a season month's report came in after the
// day it was due (Shanghai days): the province reading its zones' reports
// sees it, since 已报送 alone hid a report five months late.
func (r MonthlyReport) SubmittedLate() bool { return submittedLate(r.Year, r.Month, r.SubmittedAt) }

// SubmittedLate reports whether the province's report of the month came in
// after its due day, as a zone's (MonthlyReport.SubmittedLate).
func (p ProvinceReportState) SubmittedLate(year, month int) bool {
	return submittedLate(year, month, p.SubmittedAt)
}

// submittedLate reports whether a report of a season month submitted at at
// came in after the month's due day (Shanghai days).
func submittedLate(year, month int, at *time.Time) bool {
	return at != nil && InReportSeason(month) && ReportDue(year, month).Before(DateOf(*at))
}

// NotIn counts the reports that are not in: neither submitted nor accepted
// (a draft, one overdue or returned, one not started). A draft of a month
// out of season is not counted: none is owed (its row reads 无需报送).
func NotIn(reports []MonthlyReport) int {
	n := 0
	for _, r := range reports {
		owed := r.State != "draft" || InReportSeason(r.Month)
		if owed && r.State != "submitted" && r.State != "accepted" {
			n++
		}
	}
	return n
}

// UnsubmittedState is the state, on today, of a report not submitted:
// not_started before its month, overdue once a season month's due date has
// passed, else draft.
func UnsubmittedState(year, month int, today Date) string {
	switch {
	case today.Before(Date{Year: year, Month: month, Day: 1}):
		return "not_started"
	case InReportSeason(month) && ReportDue(year, month).Before(today):
		return "overdue"
	}
	return "draft"
}

// OverdueMonths are the months of year, to today, whose report is overdue
// (UnsubmittedState) and not among submitted, the months the zone has
// submitted a report for: the zone's to-do.
func OverdueMonths(year int, submitted []int, today Date) []ReportMonth {
	var out []ReportMonth
	for m := ReportSeasonFirst; m <= ReportSeasonLast; m++ {
		if UnsubmittedState(year, m, today) == "overdue" && !slices.Contains(submitted, m) {
			out = append(out, ReportMonth{Year: year, Month: m})
		}
	}
	return out
}

// OutsideZonesName names, in a workbook, the row of the employers outside
// any zone.
const OutsideZonesName = "不属于高新区的单位"

// AreaMonth is what a province's or the nation's monthly figures hold beyond
// its zones' reports: the employers outside any zone, as one row with no
// target and no state (Zone "", ZoneName OutsideZonesName), and the area's
// targets (its own, else the sum of its parts') for the totals.
type AreaMonth struct {
	Outside                           MonthlyReport
	TargetPositions, TargetPlacements int64
}

// ProvinceReportState is a province's report of a month as the ministry's
// list of who is late shows it.
type ProvinceReportState struct {
	Province    string     `json:"province"`
	NameZh      string     `json:"name_zh"`
	State       string     `json:"state"` // submitted, or UnsubmittedState
	SubmittedAt *time.Time `json:"submitted_at"`
}

// ProvinceReport is a province's monthly report to the ministry: its
// totals (zones and zone-less employers), cumulative to the month's end,
// with its targets, rates and breakdowns as a zone's report has them, and
// each zone's report with its state. A report frozen before the targets
// and breakdowns were part of it has zero targets and empty breakdowns.
type ProvinceReport struct {
	Province    string     `json:"province"`
	Year        int        `json:"year"`
	Month       int        `json:"month"`
	Due         string     `json:"due"`
	Status      string     `json:"status"` // draft, submitted
	State       string     `json:"state"`  // draft, submitted, overdue, not_started
	SubmittedAt *time.Time `json:"submitted_at"`
	Completion
	ZonelessPlacements int64 `json:"zoneless_placements"`
	Breakdowns
	Zones []MonthlyReport `json:"zones"`
}

// CheckReportReview checks a report review's zone and action, once the
// caller may review (a zone's staff learns no more than that it may not).
// Errors: validation_failed.
func CheckReportReview(zone, action string) error {
	var v Validation
	v.Check(zone != "", "zone", "is required")
	v.Check(action == "accept" || action == "return", "action", "must be accept or return")
	return v.Err()
}
