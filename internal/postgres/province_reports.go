package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/gradzone/gradzone/internal/domain"
)

const provinceTotalsToMonth = `SELECT coalesce(sum(positions_developed), 0) AS positions, coalesce(sum(placements), 0) AS placements,
	coalesce(sum(placements) FILTER (WHERE zone_code = ''), 0) AS zoneless
	FROM progress_counters
	WHERE province_code = ? AND year = ? AND month <= ?`

// liveProvinceReport computes a province's report from its zones' reports
// and its counters: its totals (last year's too), its targets (areaTargets:
// its own, else its zones') and the breakdowns of all its placements.
func (s *Store) liveProvinceReport(db *gorm.DB, province string, year, month int) (domain.ProvinceReport, error) {
	r := domain.ProvinceReport{Province: province, Year: year, Month: month, Due: domain.ReportDue(year, month).String(),
		Breakdowns: domain.NewBreakdowns()}
	var zones []domain.Zone
	if err := db.Raw(zonesOfProvince, province, province).Scan(&zones).Error; err != nil {
		return r, err
	}
	var err error
	if r.Zones, err = s.reports(db, zones, year, month); err != nil {
		return r, err
	}
	var sums, prev struct{ Positions, Placements, Zoneless int64 }
	if err := db.Raw(provinceTotalsToMonth, province, year, month).Scan(&sums).Error; err != nil {
		return r, err
	}
	if err := db.Raw(provinceTotalsToMonth, province, year-1, month).Scan(&prev).Error; err != nil {
		return r, err
	}
	t, err := s.areaTargets(db, province, year)
	if err != nil {
		return r, err
	}
	r.Completion = domain.Completion{TargetPositions: t.TargetPositions, TargetPlacements: t.TargetPlacements,
		PositionsDeveloped: sums.Positions, Placements: sums.Placements, PlacementsPrevYear: prev.Placements}
	r.FillRates()
	r.ZonelessPlacements = sums.Zoneless
	r.Breakdowns, err = s.breakdowns(db, area{province: province}, year, month)
	return r, err
}

func (s *Store) provinceScope(c domain.Caller, province string) error {
	switch {
	case !c.Reach().AtLeast(domain.LevelProvince):
		return domain.ErrForbidden
	case !c.Sees(domain.Scope{ProvinceCode: province}):
		return domain.ErrNotFound
	}
	return nil
}

const provinceReportSnapshot = `SELECT snapshot, submitted_at
	FROM province_reports
	WHERE province_code = ? AND year = ? AND month = ?`

// ProvinceReport returns a province's report: frozen once submitted.
// Errors: forbidden, not_found (a province out of scope, or none),
// validation_failed (the month; no province named).
func (s *Store) ProvinceReport(ctx context.Context, c domain.Caller, province string, year, month int) (domain.ProvinceReport, error) {
	if err := checkMonth(year, month); err != nil {
		return domain.ProvinceReport{}, err
	}
	if province == "" { // the ministry has no province of its own to default to
		return domain.ProvinceReport{}, domain.FieldError("province", "is required")
	}
	if err := s.provinceScope(c, province); err != nil {
		return domain.ProvinceReport{}, err
	}
	db := s.db.WithContext(ctx)
	// A province that is none is not found (the ministry's scope covers
	// any code: it was answered an empty report of it).
	var prov []domain.Province
	if err := db.Raw(provinceByCode, province).Scan(&prov).Error; err != nil {
		return domain.ProvinceReport{}, translate(err)
	}
	if len(prov) == 0 {
		return domain.ProvinceReport{}, domain.ErrNotFound
	}
	var frozen []struct {
		Snapshot    []byte
		SubmittedAt time.Time
	}
	if err := db.Raw(provinceReportSnapshot,
		province, year, month).Scan(&frozen).Error; err != nil {
		return domain.ProvinceReport{}, translate(err)
	}
	if len(frozen) > 0 {
		var r domain.ProvinceReport
		if err := json.Unmarshal(frozen[0].Snapshot, &r); err != nil {
			return r, err
		}
		r.FillEmpty() // frozen before the breakdowns, or a dimension, existed: {} for it
		for i := range r.Zones {
			r.Zones[i].FillEmpty()
		}
		r.Status, r.State, r.SubmittedAt = "submitted", "submitted", &frozen[0].SubmittedAt
		return r, nil
	}
	r, err := inSnapshot(ctx, s, func(db *gorm.DB) (domain.ProvinceReport, error) {
		return s.liveProvinceReport(db, province, year, month)
	})
	if err != nil {
		return r, err
	}
	today := domain.DateOf(s.now())
	r.Status, r.State = "draft", domain.UnsubmittedState(year, month, today)
	return r, nil
}

const provinceNames = `SELECT name_zh, name_en FROM provinces WHERE code = ?`

const provinceReported = `SELECT EXISTS (
		SELECT 1 FROM province_reports
		WHERE province_code = ? AND year = ? AND month = ?)`

// lockProvinceMonth serialises the province's report of a month with the
// returns of its zones' reports of that month.
func lockProvinceMonth(tx *gorm.DB, province string, year, month int) error {
	return tx.Exec(lockByKey, fmt.Sprintf("province-report:%s:%d:%d", province, year, month)).Error
}

const insertProvinceReport = `INSERT INTO province_reports (province_code, year, month, snapshot, submitted_at, submitted_by)
	VALUES (?, ?, ?, ?::jsonb, ?, ?)`

// SubmitProvinceReport freezes the province's report for the month (its
// province staff only). Errors: forbidden, not_found, already_submitted.
func (s *Store) SubmitProvinceReport(ctx context.Context, c domain.Caller, province string, year, month int) (domain.ProvinceReport, error) {
	if err := checkMonth(year, month); err != nil {
		return domain.ProvinceReport{}, err
	}
	if c.Level() != domain.LevelProvince {
		return domain.ProvinceReport{}, domain.ErrForbidden
	}
	if err := s.provinceScope(c, province); err != nil {
		return domain.ProvinceReport{}, err
	}
	var out domain.ProvinceReport
	err := s.tx(ctx, func(tx *gorm.DB) error {
		// One at a time with a return of a zone's report of the month
		// (ReviewReport): the report freezes the zones as they stand.
		if err := lockProvinceMonth(tx, province, year, month); err != nil {
			return err
		}
		if err := tx.Exec(lockCounts).Error; err != nil {
			return err
		}
		r, err := s.liveProvinceReport(tx, province, year, month)
		if err != nil {
			return err
		}
		now := s.now()
		r.Status, r.State, r.SubmittedAt = "submitted", "submitted", &now
		snap, _ := json.Marshal(r)
		if err := tx.Exec(insertProvinceReport,
			province, year, month, string(snap), now, c.UserID).Error; err != nil {
			if isUnique(err, "province_reports_province_code_year_month_key") {
				return domain.Errorf(domain.CodeAlreadySubmitted, "the province's report for %d-%02d was already submitted", year, month)
			}
			return err
		}
		out = r
		var name struct{ NameZh, NameEn string }
		if err := tx.Raw(provinceNames, province).Scan(&name).Error; err != nil {
			return err
		}
		params := monthParams(year, month)
		params["province"], params["province_en"] = name.NameZh, name.NameEn
		if err := tx.Exec(notifyMinistryStaff, "province_report_submitted", fmt.Sprintf("%s已报送%d年%d月省级月报", name.NameZh, year, month),
			reportLink(year, month, "&province="+province), params, staffRoles(domain.LevelNation)).Error; err != nil {
			return err
		}
		// How many of its zones' reports are in (a verify walk: the mail
		// did not say that 7 of 8 had not reported).
		in := 0
		for _, z := range r.Zones {
			if z.Status == "submitted" || z.Status == "accepted" {
				in++
			}
		}
		data := map[string]string{"province": province, "province_name": name.NameZh, "province_name_en": name.NameEn,
			"year": fmt.Sprint(year), "month": fmt.Sprint(month), "zones": fmt.Sprint(len(r.Zones)), "zones_in": fmt.Sprint(in)}
		if _, err := s.mailUsers(tx, domain.MailProvinceReportSubmitted, data,
			fmt.Sprintf("%s:%s:%d-%02d", domain.MailProvinceReportSubmitted, province, year, month),
			liveMinistryStaffIDs, staffRoles(domain.LevelNation)); err != nil {
			return err
		}
		return audit(ctx, tx, auditEntry{Kind: "report.province_submitted", ActorID: c.UserID, EntityType: "province_report",
			EntityID: fmt.Sprintf("%s/%d-%02d", province, year, month), ProvinceCode: province,
			After: map[string]any{"placements": r.Placements, "positions_developed": r.PositionsDeveloped}})
	})
	return out, translate(err)
}

const provinceReportStates = `SELECT p.code, p.name_zh, r.submitted_at
	FROM provinces p LEFT JOIN province_reports r ON r.province_code = p.code AND r.year = ? AND r.month = ?
	ORDER BY p.code`

// ProvinceReportStates lists every province's report state for the month
// (the ministry's view of who is late).
func (s *Store) ProvinceReportStates(ctx context.Context, c domain.Caller, year, month int) ([]domain.ProvinceReportState, error) {
	if err := checkMonth(year, month); err != nil {
		return nil, err
	}
	if c.Level() != domain.LevelNation {
		return nil, domain.ErrForbidden
	}
	var rows []struct {
		Code, NameZh string
		SubmittedAt  *time.Time
	}
	if err := s.db.WithContext(ctx).Raw(provinceReportStates, year, month).Scan(&rows).Error; err != nil {
		return nil, translate(err)
	}
	today := domain.DateOf(s.now())
	out := make([]domain.ProvinceReportState, len(rows))
	for i, r := range rows {
		state := "submitted"
		if r.SubmittedAt == nil {
			state = domain.UnsubmittedState(year, month, today)
		}
		out[i] = domain.ProvinceReportState{Province: r.Code, NameZh: r.NameZh, State: state, SubmittedAt: r.SubmittedAt}
	}
	return out, nil
}
