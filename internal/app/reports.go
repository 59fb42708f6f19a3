package app

// Monthly zone and province reports, the audit trail and import jobs.

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/excel"
)

// Audit lists audit rows in the staff caller's scope, newest first (with
// f.Before, those older than that entry). Errors: forbidden,
// validation_failed (before).
func (s *Service) Audit(ctx context.Context, c domain.Caller, f domain.AuditFilter, p domain.Page) ([]domain.AuditEntry, int64, error) {
	return s.Store.Audit(ctx, c, f, p)
}

// Import returns an import job of the caller's zone. Errors: not_found.
func (s *Service) Import(ctx context.Context, c domain.Caller, id string) (domain.ImportJob, error) {
	return s.Store.Import(ctx, c, id)
}

// ZoneImports lists the latest imports of the caller's zone, newest first.
// Errors: forbidden (staff not of a zone).
func (s *Service) ZoneImports(ctx context.Context, c domain.Caller, limit int) ([]domain.ImportSummary, error) {
	return s.Store.ZoneImports(ctx, c, limit)
}

// MonthlyReport returns one zone's report for a month: staff of the zone,
// its province or the ministry. Errors: forbidden, not_found, validation_failed.
func (s *Service) MonthlyReport(ctx context.Context, c domain.Caller, zone string, year, month int) (domain.MonthlyReport, error) {
	return s.Store.MonthlyReport(ctx, c, zone, year, month)
}

// MonthlyReports returns the reports of every zone in the caller's scope.
func (s *Service) MonthlyReports(ctx context.Context, c domain.Caller, province string, year, month int) ([]domain.MonthlyReport, error) {
	if err := s.checkFilter(ctx, c, "", province); err != nil {
		return nil, err
	}
	return s.Store.MonthlyReports(ctx, c, province, year, month)
}

// ReportsAwaitingReview counts, by month, the zone reports a province's
// staff have to review: their to-do.
func (s *Service) ReportsAwaitingReview(ctx context.Context, c domain.Caller) ([]domain.ReportsAwaiting, error) {
	return s.Store.ReportsAwaitingReview(ctx, c)
}

// OverdueReports lists this year's season months whose report the caller's
// zone owes, overdue at today and never submitted: its to-do (a month-end
// walk found only returned reports there).
func (s *Service) OverdueReports(ctx context.Context, c domain.Caller, today domain.Date) ([]domain.ReportMonth, error) {
	return s.Store.OverdueReports(ctx, c, today.Year, today)
}

// ReturnedReports lists the months whose report of the caller's zone was
// returned and not yet submitted again: the zone's to-do.
func (s *Service) ReturnedReports(ctx context.Context, c domain.Caller) ([]domain.ReportMonth, error) {
	return s.Store.ReturnedReports(ctx, c)
}

// AreaMonth is what a province's or the nation's monthly workbook adds to
// its zones' rows: the employers outside any zone and the area's targets. ok
// is false for zone staff. The province filter is the list's
// (MonthlyReports).
func (s *Service) AreaMonth(ctx context.Context, c domain.Caller, province string, year, month int) (domain.AreaMonth, bool, error) {
	if err := s.checkFilter(ctx, c, "", province); err != nil {
		return domain.AreaMonth{}, false, err
	}
	return s.Store.AreaMonth(ctx, c, province, year, month)
}

// MonthlyWorkbook is the monthly report of the caller's area (a zone's
// staff: their zone; a province's: the province; the ministry: the nation,
// or the province asked for) as a workbook, with a file name that says
// whose it is and which month: a walk downloaded a province's and the
// nation's under one name. Errors: not_found (a province out of scope).
func (s *Service) MonthlyWorkbook(ctx context.Context, c domain.Caller, province string, year, month int) (file []byte, name string, err error) {
	rs, err := s.MonthlyReports(ctx, c, province, year, month)
	if err != nil {
		return nil, "", err
	}
	area, ok, err := s.AreaMonth(ctx, c, province, year, month)
	if err != nil {
		return nil, "", err
	}
	cover := excel.Cover{Area: "全国", At: time.Now()}
	key := "national"
	var outside *domain.AreaMonth // a zone's staff: their zone alone
	switch code := cmp.Or(province, c.ProvinceCode); {
	case !ok:
		key = c.ZoneCode
		if len(rs) == 1 {
			cover.Area = rs[0].ZoneName
		}
	case code != "":
		outside, key = &area, "province-"+code
		cover.Area = code
		ps, err := s.Store.Provinces(ctx)
		if err != nil {
			s.Log.Warn("workbook: province names", "err", err) // the sheet names the code instead
		}
		if i := slices.IndexFunc(ps, func(p domain.Province) bool { return p.Code == code }); i >= 0 {
			cover.Area = ps[i].NameZh
		}
	default:
		outside = &area
		if cover.Provinces, err = s.provinceLevel(ctx, c, year, month); err != nil {
			return nil, "", err
		}
	}
	file, err = excel.MonthlyWorkbook(rs, outside, year, month, cover)
	return file, fmt.Sprintf("gradzone-monthly-%d-%02d-%s.xlsx", year, month, key), err
}

// provinceLevel is each province's own report of the month, for the
// national workbook: what it submitted, or its live figures.
func (s *Service) provinceLevel(ctx context.Context, c domain.Caller, year, month int) ([]excel.NamedProvinceReport, error) {
	states, err := s.ProvinceReportStates(ctx, c, year, month)
	if err != nil {
		return nil, err
	}
	out := make([]excel.NamedProvinceReport, len(states))
	for i, p := range states {
		r, err := s.ProvinceReport(ctx, c, p.Province, year, month)
		if err != nil {
			return nil, err
		}
		out[i] = excel.NamedProvinceReport{Name: p.NameZh, Report: r}
	}
	return out, nil
}

// checkFilter answers not_found for a list narrowed to a zone or a
// province outside the caller's scope (domain.Caller.SeesFilter), or to one
// that does not exist.
func (s *Service) checkFilter(ctx context.Context, c domain.Caller, zone, province string) error {
	if province != "" && c.Role.IsStaff() {
		ps, err := s.Store.Provinces(ctx)
		if err != nil {
			return err
		}
		if !slices.ContainsFunc(ps, func(p domain.Province) bool { return p.Code == province }) {
			return domain.ErrNotFound
		}
	}
	var zoneProvince string
	if zone != "" && c.Role.IsStaff() {
		z, err := s.Store.Zone(ctx, zone)
		if err != nil {
			return err
		}
		zoneProvince = z.ProvinceCode
	}
	if !c.SeesFilter(zone, zoneProvince, province) {
		return domain.ErrNotFound
	}
	return nil
}

// ProvinceReport returns a province's report: frozen once submitted.
// Errors: forbidden, not_found, validation_failed.
func (s *Service) ProvinceReport(ctx context.Context, c domain.Caller, province string, year, month int) (domain.ProvinceReport, error) {
	return s.Store.ProvinceReport(ctx, c, province, year, month)
}

// ProvinceReportStates lists every province's report state for the month
// (the ministry's view of who is late).
func (s *Service) ProvinceReportStates(ctx context.Context, c domain.Caller, year, month int) ([]domain.ProvinceReportState, error) {
	return s.Store.ProvinceReportStates(ctx, c, year, month)
}

// ReportVersions lists every submitted version of a zone's month, each with
// the figures and the breakdowns' values that differ from the version
// before (domain.DiffReports: the API and the versions page show this).
func (s *Service) ReportVersions(ctx context.Context, c domain.Caller, zone string, year, month int) ([]domain.ReportVersion, error) {
	vs, err := s.Store.ReportVersions(ctx, c, zone, year, month)
	if err != nil {
		return nil, err
	}
	domain.DiffVersions(vs)
	return vs, nil
}

// ReviewReport accepts a submitted report (action "accept"), or returns
// it ("return") with a reason so the zone can correct and resubmit. The
// zone's province staff or the ministry. Errors: forbidden, not_found,
// invalid_state, validation_failed.
func (s *Service) ReviewReport(ctx context.Context, c domain.Caller, zone string, year, month int, action, reason string) (domain.MonthlyReport, error) {
	return s.Store.ReviewReport(ctx, c, zone, year, month, action, reason)
}

// SubmitProvinceReport freezes the province's report for the month (its
// province staff only). Errors: forbidden, not_found, already_submitted.
func (s *Service) SubmitProvinceReport(ctx context.Context, c domain.Caller, province string, year, month int) (domain.ProvinceReport, error) {
	return s.Store.SubmitProvinceReport(ctx, c, province, year, month)
}

// SubmitReport freezes a zone's report for a month: later hires, revokes or
// edits never change it. A returned report is submitted again as a new
// version; note is the zone's word with it (填报说明), kept in the version.
// Errors: forbidden, not_found, already_submitted, validation_failed.
func (s *Service) SubmitReport(ctx context.Context, c domain.Caller, zone string, year, month int, note string) (domain.MonthlyReport, error) {
	return s.Store.SubmitReport(ctx, c, zone, year, month, note)
}
