package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/gradzone/gradzone/internal/domain"
)

const zoneQuotasOfYear = `SELECT zone_code, year, target_positions, target_placements
	FROM zone_quotas
	WHERE year = ? AND zone_code IN ?`

const zoneBreakdownsToMonth = `SELECT zone_code, dimension, value, sum(placements) AS n
	FROM placement_breakdowns
	WHERE year = ? AND month <= ? AND zone_code IN ?
	GROUP BY 1, 2, 3
	HAVING sum(placements) > 0`

const outsideZonesBreakdownsToMonth = `SELECT dimension, value, sum(placements) AS n
	FROM placement_breakdowns
	WHERE year = ? AND month <= ? AND zone_code = '' AND (? = '' OR province_code = ?)
	GROUP BY 1, 2
	HAVING sum(placements) > 0`

// AreaMonth is the employers outside any zone of the caller's province (a
// ministry caller: of the province it names, else the nation), cumulative to
// the month's end, and that area's targets: what its monthly workbook adds
// to the zones' rows. ok is false for callers below province level, whose
// workbook is their zone's. Errors: validation_failed.
func (s *Store) AreaMonth(ctx context.Context, c domain.Caller, province string, year, month int) (out domain.AreaMonth, ok bool, err error) {
	if err := checkMonth(year, month); err != nil {
		return out, false, err
	}
	switch c.Level() {
	case domain.LevelProvince:
		province = c.ProvinceCode
	case domain.LevelNation:
	default:
		return out, false, nil
	}
	out, err = inSnapshot(ctx, s, func(db *gorm.DB) (domain.AreaMonth, error) { return s.areaMonth(db, province, year, month) })
	return out, true, err
}

// areaMonth is AreaMonth of province ("" for the nation), read in db.
func (s *Store) areaMonth(db *gorm.DB, province string, year, month int) (out domain.AreaMonth, err error) {
	r := domain.MonthlyReport{ZoneName: domain.OutsideZonesName, ProvinceCode: province, Year: year, Month: month,
		Breakdowns: domain.NewBreakdowns()}
	outside := "zone_code = '' AND (? = '' OR province_code = ?)"
	for _, y := range []int{year, year - 1} {
		var rows []struct{ Positions, Placements int64 }
		if err := db.Raw(countersToMonthBy("zone_code", outside), y, month, province, province).Scan(&rows).Error; err != nil {
			return out, err
		}
		for _, got := range rows { // one row, or none before any counter
			if y == year {
				r.PositionsDeveloped, r.Placements = got.Positions, got.Placements
			} else {
				r.PlacementsPrevYear = got.Placements
			}
		}
	}
	r.FillRates()
	var bd []struct {
		Dimension, Value string
		N                int64
	}
	if err := db.Raw(outsideZonesBreakdownsToMonth, year, month, province, province).Scan(&bd).Error; err != nil {
		return out, err
	}
	for _, b := range bd {
		r.Set(b.Dimension, b.Value, b.N)
	}
	area := province
	if area == "" {
		area = "00"
	}
	out.Outside = r
	t, err := s.areaTargets(db, area, year)
	out.TargetPositions, out.TargetPlacements = t.TargetPositions, t.TargetPlacements
	return out, err
}

// countersToMonthBy: positions and placements of a year up to and
// including a month, grouped by a column (the key), for the rows a
// condition keeps; the year and month are the first arguments.
func countersToMonthBy(key, cond string) string {
	return `SELECT ` + key + ` AS key,
			sum(positions_developed) AS positions,
			sum(placements) AS placements
		FROM progress_counters
		WHERE year = ? AND month <= ? AND ` + cond + `
		GROUP BY 1`
}

// liveReports computes the reports of the given zones (all zones of
// province, or all zones when both are empty) for year and month from the
// counters, cumulative to the month's end. One grouped query per figure.
func (s *Store) liveReports(db *gorm.DB, zones []domain.Zone, year, month int) ([]domain.MonthlyReport, error) {
	codes := make([]string, len(zones))
	for i, z := range zones {
		codes[i] = z.Code
	}
	type sums struct {
		Key        string
		Positions  int64
		Placements int64
	}
	cum := func(group, where string, y int, args ...any) (map[string]sums, error) {
		var rows []sums
		err := db.Raw(countersToMonthBy(group, where), append([]any{y, month}, args...)...).Scan(&rows).Error
		out := map[string]sums{}
		for _, r := range rows {
			out[r.Key] = r
		}
		return out, err
	}
	cur, err := cum("zone_code", "zone_code IN ?", year, codes)
	if err != nil {
		return nil, err
	}
	prev, err := cum("zone_code", "zone_code IN ?", year-1, codes)
	if err != nil {
		return nil, err
	}
	prov, err := cum("province_code", "TRUE", year)
	if err != nil {
		return nil, err
	}
	var quotas []domain.Quota
	if err := db.Raw(zoneQuotasOfYear, year, codes).Scan(&quotas).Error; err != nil {
		return nil, err
	}
	q := map[string]domain.Quota{}
	for _, x := range quotas {
		q[x.ZoneCode] = x
	}
	var bd []struct {
		ZoneCode, Dimension, Value string
		N                          int64
	}
	if err := db.Raw(zoneBreakdownsToMonth, year, month, codes).Scan(&bd).Error; err != nil {
		return nil, err
	}
	out := make([]domain.MonthlyReport, len(zones))
	idx := map[string]int{}
	for i, z := range zones {
		idx[z.Code] = i
		c, p := cur[z.Code], prev[z.Code]
		r := domain.MonthlyReport{Zone: z.Code, ZoneName: z.NameZh, ProvinceCode: z.ProvinceCode, Year: year, Month: month,
			Due: domain.ReportDue(year, month).String(), Version: 0,
			Completion: domain.Completion{TargetPositions: q[z.Code].TargetPositions, TargetPlacements: q[z.Code].TargetPlacements,
				PositionsDeveloped: c.Positions, Placements: c.Placements, PlacementsPrevYear: p.Placements},
			Breakdowns: domain.NewBreakdowns()}
		r.FillRates()
		r.ProvinceShare = domain.Percent(r.Placements, prov[z.ProvinceCode].Placements)
		out[i] = r
	}
	for _, b := range bd {
		out[idx[b.ZoneCode]].Set(b.Dimension, b.Value, b.N)
	}
	return out, nil
}

type reportVersion struct {
	ID           string
	ZoneCode     string
	Version      int
	Status       string
	Snapshot     []byte
	SubmittedAt  time.Time
	ReturnReason *string
}

const latestReportVersions = `SELECT DISTINCT ON (zone_code) id, zone_code, version, status, snapshot, submitted_at, return_reason
	FROM monthly_reports
	WHERE year = ? AND month = ? AND zone_code IN ?
	ORDER BY zone_code, version DESC`

// latestVersions returns the newest version per zone for the month.
func latestVersions(db *gorm.DB, codes []string, year, month int) (map[string]reportVersion, error) {
	var rows []reportVersion
	err := db.Raw(latestReportVersions, year, month, codes).Scan(&rows).Error
	out := map[string]reportVersion{}
	for _, r := range rows {
		out[r.ZoneCode] = r
	}
	return out, err
}

// frozenWithout returns the fields of the breakdowns a report's snapshot
// does not hold: the dimensions that did not exist when it was frozen.
func frozenWithout(snapshot []byte) []string {
	var held map[string]json.RawMessage
	if err := json.Unmarshal(snapshot, &held); err != nil {
		return nil
	}
	var out []string
	for _, dim := range domain.Dimensions {
		if raw, ok := held[dim.Field]; !ok || string(raw) == "null" {
			out = append(out, dim.Field)
		}
	}
	return out
}

// reports returns the reports of zones: frozen snapshots where submitted
// (or accepted), live numbers otherwise, each with its state on today.
func (s *Store) reports(db *gorm.DB, zones []domain.Zone, year, month int) ([]domain.MonthlyReport, error) {
	live, err := s.liveReports(db, zones, year, month)
	if err != nil {
		return nil, err
	}
	codes := make([]string, len(zones))
	for i, z := range zones {
		codes[i] = z.Code
	}
	versions, err := latestVersions(db, codes, year, month)
	if err != nil {
		return nil, err
	}
	today := domain.DateOf(s.now())
	for i, r := range live {
		v, ok := versions[r.Zone]
		switch {
		case ok && v.Status != "returned":
			var snap domain.MonthlyReport
			if err := json.Unmarshal(v.Snapshot, &snap); err != nil {
				return nil, fmt.Errorf("report snapshot %s: %w", v.ID, err)
			}
			snap.FillEmpty() // frozen before a dimension existed: {} for it
			snap.Status, snap.State, snap.Version, snap.SubmittedAt = "submitted", v.Status, v.Version, &v.SubmittedAt
			d := domain.ReportChange{PositionsDeveloped: r.PositionsDeveloped - snap.PositionsDeveloped,
				Placements: r.Placements - snap.Placements, Breakdowns: domain.DiffReports(snap, r).Breakdowns}
			// A dimension the report was frozen without did not move since:
			// its {} is no count of 0 (review37: every report submitted
			// before disciplines read 「按学科门类：工学 0 → n」).
			for _, dim := range frozenWithout(v.Snapshot) {
				delete(d.Breakdowns, dim)
			}
			if d.PositionsDeveloped != 0 || d.Placements != 0 || len(d.Breakdowns) > 0 {
				if len(d.Breakdowns) == 0 {
					d.Breakdowns = nil
				}
				snap.ChangedSince = &d
			}
			live[i] = snap
			continue
		case ok:
			r.State, r.Version, r.ReturnReason = "returned", v.Version, v.ReturnReason
		default:
			r.State = domain.UnsubmittedState(year, month, today)
		}
		r.Status = "draft"
		live[i] = r
	}
	return live, nil
}

func checkMonth(year, month int) error {
	var v domain.Validation
	v.Check(year >= 2000 && year <= 2100, "year", "must be from 2000 to 2100")
	v.Check(month >= 1 && month <= 12, "month", "must be from 1 to 12")
	return v.Err()
}

// returnedReports are the months whose latest report version of a zone
// was returned.
const returnedReports = `SELECT year, month FROM (
		SELECT DISTINCT ON (year, month) year, month, status FROM monthly_reports
		WHERE zone_code = ? ORDER BY year, month, version DESC) latest
	WHERE status = 'returned' ORDER BY year, month`

const reportsAwaitingReview = `SELECT year, month, count(*) AS zones FROM (
		SELECT DISTINCT ON (r.zone_code, r.year, r.month) r.year, r.month, r.status
		FROM monthly_reports r JOIN zones z ON z.code = r.zone_code
		WHERE z.province_code = ?
		ORDER BY r.zone_code, r.year, r.month, r.version DESC) latest
	WHERE status = 'submitted'
	GROUP BY year, month
	ORDER BY year, month`

// ReportsAwaitingReview counts, by month, the caller's province's zone
// reports submitted and not yet reviewed; none for other callers (the
// ministry reviews provinces, not their zones' queue).
func (s *Store) ReportsAwaitingReview(ctx context.Context, c domain.Caller) ([]domain.ReportsAwaiting, error) {
	if c.Level() != domain.LevelProvince {
		return nil, nil
	}
	var out []domain.ReportsAwaiting
	err := s.db.WithContext(ctx).Raw(reportsAwaitingReview, c.ProvinceCode).Scan(&out).Error
	return out, translate(err)
}

const submittedMonths = `SELECT DISTINCT month FROM monthly_reports
	WHERE zone_code = ? AND year = ?`

// OverdueReports lists the months of year whose report the caller's zone
// owes, overdue at today and never submitted (domain.OverdueMonths); none
// for other callers.
func (s *Store) OverdueReports(ctx context.Context, c domain.Caller, year int, today domain.Date) ([]domain.ReportMonth, error) {
	if c.Level() != domain.LevelZone {
		return nil, nil
	}
	var months []int
	if err := s.db.WithContext(ctx).Raw(submittedMonths, c.ZoneCode, year).Scan(&months).Error; err != nil {
		return nil, translate(err)
	}
	return domain.OverdueMonths(year, months, today), nil
}

// ReturnedReports lists the months whose report of the caller's zone was
// returned and not submitted again; none for other callers.
func (s *Store) ReturnedReports(ctx context.Context, c domain.Caller) ([]domain.ReportMonth, error) {
	if c.Level() != domain.LevelZone {
		return nil, nil
	}
	var out []domain.ReportMonth
	err := s.db.WithContext(ctx).Raw(returnedReports, c.ZoneCode).Scan(&out).Error
	return out, translate(err)
}

// MonthlyReport returns one zone's report for a month: staff of the zone,
// its province or the ministry. Errors: forbidden, not_found, validation_failed.
func (s *Store) MonthlyReport(ctx context.Context, c domain.Caller, zone string, year, month int) (domain.MonthlyReport, error) {
	if err := checkMonth(year, month); err != nil {
		return domain.MonthlyReport{}, err
	}
	if !c.Role.IsStaff() {
		return domain.MonthlyReport{}, domain.ErrForbidden
	}
	z, err := s.Zone(ctx, zone)
	if err != nil {
		return domain.MonthlyReport{}, err
	}
	if !c.SeesZone(z.Code, z.ProvinceCode) {
		return domain.MonthlyReport{}, domain.ErrNotFound
	}
	rs, err := inSnapshot(ctx, s, func(db *gorm.DB) ([]domain.MonthlyReport, error) { return s.reports(db, []domain.Zone{z}, year, month) })
	if err != nil {
		return domain.MonthlyReport{}, err
	}
	return rs[0], nil
}

// ZonesInScope returns the zones a staff caller covers, optionally narrowed
// to a province.
func (s *Store) ZonesInScope(ctx context.Context, c domain.Caller, province string) ([]domain.Zone, error) {
	switch c.Level() {
	case domain.LevelZone:
		z, err := s.Zone(ctx, c.ZoneCode)
		if err != nil || (province != "" && province != z.ProvinceCode) {
			return nil, err
		}
		return []domain.Zone{z}, nil
	case domain.LevelProvince:
		if province != "" && province != c.ProvinceCode {
			return nil, nil
		}
		return s.Zones(ctx, c.ProvinceCode)
	case domain.LevelNation:
		return s.Zones(ctx, province)
	}
	return nil, domain.ErrForbidden
}

// MonthlyReports returns the reports of every zone in the caller's scope.
func (s *Store) MonthlyReports(ctx context.Context, c domain.Caller, province string, year, month int) ([]domain.MonthlyReport, error) {
	if err := checkMonth(year, month); err != nil {
		return nil, err
	}
	zones, err := s.ZonesInScope(ctx, c, province)
	if err != nil || len(zones) == 0 {
		return []domain.MonthlyReport{}, err
	}
	return inSnapshot(ctx, s, func(db *gorm.DB) ([]domain.MonthlyReport, error) { return s.reports(db, zones, year, month) })
}

// lockByKey takes a transaction's advisory lock named by a text key (a
// zone's report month, an opening's interview picks).
const lockByKey = `SELECT pg_advisory_xact_lock(hashtextextended(?, 0))`

// lockedLatestVersion takes the lock of a zone's month, held to the end of
// tx, and reads its latest report version (has is false for none). Every
// submission and review takes it first, so of two at once the second sees
// what the first did: a probe found two reviewers both told 200.
func lockedLatestVersion(tx *gorm.DB, zone string, year, month int) (v reportVersion, has bool, err error) {
	if err := tx.Exec(lockByKey, fmt.Sprintf("report:%s:%d:%d", zone, year, month)).Error; err != nil {
		return v, false, err
	}
	versions, err := latestVersions(tx, []string{zone}, year, month)
	v, has = versions[zone]
	return v, has, err
}

const insertMonthlyReport = `INSERT INTO monthly_reports (zone_code, year, month, version, status, snapshot, submitted_at, submitted_by)
	VALUES (?, ?, ?, ?, 'submitted', ?::jsonb, ?, ?)`

// SubmitReport freezes a zone's report for a month: later hires, revokes or
// edits never change it. A returned report is submitted again as a new
// version. Errors: forbidden, not_found, already_submitted, validation_failed.
func (s *Store) SubmitReport(ctx context.Context, c domain.Caller, zone string, year, month int, note string) (domain.MonthlyReport, error) {
	if err := checkMonth(year, month); err != nil {
		return domain.MonthlyReport{}, err
	}
	note, err := domain.ReportNote(note)
	if err != nil {
		return domain.MonthlyReport{}, err
	}
	if c.Level() != domain.LevelZone {
		return domain.MonthlyReport{}, domain.ErrForbidden
	}
	if zone == "" {
		return domain.MonthlyReport{}, domain.FieldError("zone", "is required")
	}
	z, err := s.Zone(ctx, zone)
	if err != nil {
		return domain.MonthlyReport{}, err
	}
	if z.Code != c.ZoneCode {
		return domain.MonthlyReport{}, domain.ErrNotFound
	}
	if err := domain.CheckMonthStarted(year, month, domain.DateOf(s.now())); err != nil {
		return domain.MonthlyReport{}, err
	}
	var out domain.MonthlyReport
	err = s.tx(ctx, func(tx *gorm.DB) error {
		prev, has, err := lockedLatestVersion(tx, zone, year, month)
		if err != nil {
			return err
		}
		if has && prev.Status != "returned" {
			return domain.Errorf(domain.CodeAlreadySubmitted, "the report for %d-%02d was already submitted", year, month)
		}
		if err := tx.Exec(lockCounts).Error; err != nil {
			return err
		}
		live, err := s.liveReports(tx, []domain.Zone{z}, year, month)
		if err != nil {
			return err
		}
		out = live[0]
		out.Version = 1
		if has {
			out.Version = prev.Version + 1
		}
		now := s.now()
		out.Status, out.State, out.SubmittedAt, out.Note = "submitted", "submitted", &now, note
		snap, _ := json.Marshal(out)
		if err := tx.Exec(insertMonthlyReport, zone, year, month, out.Version, string(snap), now, c.UserID).Error; err != nil {
			return err
		}
		params := monthParams(year, month)
		params["zone"], params["zone_en"], params["version"] = z.NameZh, z.NameEn, fmt.Sprint(out.Version)
		// The message carries the zone's note: a resubmission's answer to
		// the return is read where the reviewer learns of it.
		if err := tx.Exec(notifyProvinceStaff, "report_submitted",
			fmt.Sprintf("%s已报送%d年%d月月报（第%d版），待审核", z.NameZh, year, month, out.Version), note,
			submittedReportLink(zone, year, month), params, staffRoles(domain.LevelProvince), z.ProvinceCode).Error; err != nil {
			return err
		}
		data := reportMailData(z, year, month)
		data["version"] = fmt.Sprint(out.Version)
		if note != "" {
			data["note"] = note
		}
		if _, err := s.mailUsers(tx, domain.MailReportSubmitted, data,
			reportMailKey(domain.MailReportSubmitted, zone, year, month, out.Version),
			liveProvinceStaffIDs, staffRoles(domain.LevelProvince), z.ProvinceCode); err != nil {
			return err
		}
		entry := auditEntry{Kind: "report.submitted", ActorID: c.UserID, EntityType: "monthly_report",
			EntityID: fmt.Sprintf("%s/%d-%02d/v%d", zone, year, month, out.Version), ZoneCode: zone, ProvinceCode: z.ProvinceCode,
			After: map[string]any{"positions_developed": out.PositionsDeveloped, "placements": out.Placements, "version": out.Version, "status": "submitted"}}
		if has {
			// A resubmission's "before" is the version returned, so the
			// audit shows what the correction changed (walk41a: it had none).
			var returned domain.MonthlyReport
			if err := json.Unmarshal(prev.Snapshot, &returned); err != nil {
				return err
			}
			entry.Before = map[string]any{"positions_developed": returned.PositionsDeveloped, "placements": returned.Placements,
				"version": prev.Version, "status": prev.Status}
		}
		return audit(ctx, tx, entry)
	})
	return out, translate(err)
}

const reviewMonthlyReport = `UPDATE monthly_reports
	SET status = ?, reviewed_at = now(), reviewed_by = ?, return_reason = ?
	WHERE id = ?`

// settleReportSubmittedNotices marks read the messages that told a
// province's staff a zone's report of a month awaits their review.
const settleReportSubmittedNotices = `UPDATE notifications
	SET read_at = now()
	WHERE kind = 'report_submitted' AND link = ? AND read_at IS NULL`

// The report cycle's in-site messages go to every staff account of the
// level that acts next: a zone's report to its province, a province's to the
// ministry, a review back to the zone (a month-end walk: no one above a
// zone learnt that a report had come in).
const (
	notifyZoneStaff = `INSERT INTO notifications (user_id, kind, title, body, link, params)
	SELECT id, ?, ?, ?, ?, ?
	FROM users
	WHERE role IN ? AND zone_code = ? AND ` + activeStaff
	notifyProvinceStaff = `INSERT INTO notifications (user_id, kind, title, body, link, params)
	SELECT id, ?, ?, ?, ?, ?
	FROM users
	WHERE role IN ? AND province_code = ? AND ` + activeStaff
	notifyMinistryStaff = `INSERT INTO notifications (user_id, kind, title, body, link, params)
	SELECT id, ?, ?, '', ?, ?
	FROM users
	WHERE role IN ? AND ` + activeStaff
)

// reportMailKey is the send key of a mail about a version of a zone's
// report: one mail a step and version, however often it is retried.
func reportMailKey(kind domain.MailKind, zone string, year, month, version int) string {
	return fmt.Sprintf("%s:%s:%d-%02d:v%d", kind, zone, year, month, version)
}

// dueParams are a due-date reminder's: the month, the days left and the day.
func dueParams(today domain.Date, days int, due domain.Date) domain.NoticeParams {
	p := monthParams(today.Year, today.Month)
	p["days"], p["due"] = fmt.Sprint(days), due.String()
	return p
}

// reportLink is the reports page of a month.
func reportLink(year, month int, extra string) string {
	return fmt.Sprintf("/staff/reports?year=%d&month=%d%s", year, month, extra)
}

// submittedReportLink is where a province's message of a zone's submitted
// report leads: the zone's row on the month's reports page.
func submittedReportLink(zone string, year, month int) string {
	return reportLink(year, month, "") + "#report-" + zone
}

// monthParams are a notification's year and month.
func monthParams(year, month int) domain.NoticeParams {
	return domain.NoticeParams{"year": fmt.Sprint(year), "month": fmt.Sprintf("%02d", month)}
}

// ReviewReport accepts a submitted report, or returns it with a reason so
// the zone can correct and resubmit. The zone's province staff or the
// ministry. Errors: forbidden, not_found, invalid_state, validation_failed.
func (s *Store) ReviewReport(ctx context.Context, c domain.Caller, zone string, year, month int, action, reason string) (domain.MonthlyReport, error) {
	if err := checkMonth(year, month); err != nil {
		return domain.MonthlyReport{}, err
	}
	if !c.Reach().AtLeast(domain.LevelProvince) {
		return domain.MonthlyReport{}, domain.ErrForbidden
	}
	if err := domain.CheckReportReview(zone, action); err != nil {
		return domain.MonthlyReport{}, err
	}
	accept := action == "accept"
	if !accept {
		if err := domain.CheckReason(&reason, "a returned report needs a reason of 2 to 500 characters"); err != nil {
			return domain.MonthlyReport{}, err
		}
	}
	z, err := s.Zone(ctx, zone)
	if err != nil {
		return domain.MonthlyReport{}, err
	}
	if !c.SeesZone(z.Code, z.ProvinceCode) {
		return domain.MonthlyReport{}, domain.ErrNotFound
	}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if !accept {
			// A month the province has reported to the ministry is final for
			// its zones: a return then left the province's report naming a
			// version the zone had replaced, for good (a month-end walk).
			if err := lockProvinceMonth(tx, z.ProvinceCode, year, month); err != nil {
				return err
			}
			var reported bool
			if err := tx.Raw(provinceReported, z.ProvinceCode, year, month).Scan(&reported).Error; err != nil {
				return err
			}
			if reported {
				return domain.Errorf(domain.CodeInvalidState, "the province has reported %d-%02d to the ministry: its zones' reports of that month can no longer be returned", year, month)
			}
		}
		v, ok, err := lockedLatestVersion(tx, zone, year, month)
		if err != nil {
			return err
		}
		if !ok || v.Status != "submitted" {
			return domain.Errorf(domain.CodeInvalidState, "there is no submitted report awaiting review")
		}
		status, kind := "accepted", "report.accepted"
		var why *string
		if !accept {
			status, kind, why = "returned", "report.returned", &reason
		}
		if err := tx.Exec(reviewMonthlyReport,
			status, c.UserID, why, v.ID).Error; err != nil {
			return err
		}
		// The review is the to-do its 待审核 messages asked for: done, for
		// every one of the province's staff (a walk: they stayed unread).
		if err := tx.Exec(settleReportSubmittedNotices, submittedReportLink(zone, year, month)).Error; err != nil {
			return err
		}
		// Both mails name the version and who reviewed it (whom the zone
		// asks what a reason means).
		data := reportMailData(z, year, month)
		data["version"] = fmt.Sprint(v.Version)
		if err := nameReviewer(tx, c, data); err != nil {
			return err
		}
		if accept {
			if err := tx.Exec(notifyZoneStaff, "report_accepted", fmt.Sprintf("%d年%d月月报已审核通过", year, month), "",
				reportLink(year, month, ""), monthParams(year, month), zoneStaffRoles(), zone).Error; err != nil {
				return err
			}
			if _, err := s.mailZoneStaff(tx, zone, domain.MailReportAccepted, data,
				reportMailKey(domain.MailReportAccepted, zone, year, month, v.Version)); err != nil {
				return err
			}
		} else {
			if err := tx.Exec(notifyZoneStaff, "report_returned", fmt.Sprintf("%d年%d月月报被退回", year, month), reason,
				reportLink(year, month, ""), monthParams(year, month), zoneStaffRoles(), zone).Error; err != nil {
				return err
			}
			// The zone must act: its staff are mailed the reason too.
			data["reason"] = reason
			if _, err := s.mailZoneStaff(tx, zone, domain.MailReportReturned, data,
				reportMailKey(domain.MailReportReturned, zone, year, month, v.Version)); err != nil {
				return err
			}
		}
		return audit(ctx, tx, auditEntry{Kind: kind, ActorID: c.UserID, EntityType: "monthly_report",
			EntityID: fmt.Sprintf("%s/%d-%02d/v%d", zone, year, month, v.Version), ZoneCode: zone, ProvinceCode: z.ProvinceCode,
			Before: map[string]any{"status": "submitted"}, After: map[string]any{"status": status, "reason": reason}})
	})
	if err != nil {
		return domain.MonthlyReport{}, translate(err)
	}
	return s.MonthlyReport(ctx, c, zone, year, month)
}

// versionRow is a version as the versions page lists it: who submitted
// it, and who returned or accepted it, when.
type versionRow struct {
	Version      int
	Status       string
	Snapshot     []byte
	SubmittedAt  time.Time
	ReturnReason *string
	SubmittedBy  string
	ReviewedBy   string
	ReviewedAt   *time.Time
}

const reportVersionsOfMonth = `SELECT r.version, r.status, r.snapshot, r.submitted_at, r.return_reason,
		s.name AS submitted_by, r.reviewed_at, coalesce(v.name, '') AS reviewed_by
	FROM monthly_reports r
	JOIN users s ON s.id = r.submitted_by
	LEFT JOIN users v ON v.id = r.reviewed_by
	WHERE r.zone_code = ? AND r.year = ? AND r.month = ?
	ORDER BY r.version`

// ReportVersions lists every submitted version of a zone's month, oldest
// first, as frozen (app.ReportVersions adds what changed between them).
func (s *Store) ReportVersions(ctx context.Context, c domain.Caller, zone string, year, month int) ([]domain.ReportVersion, error) {
	if _, err := s.MonthlyReport(ctx, c, zone, year, month); err != nil {
		return nil, err
	}
	var rows []versionRow
	if err := s.db.WithContext(ctx).Raw(reportVersionsOfMonth, zone, year, month).Scan(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]domain.ReportVersion, len(rows))
	for i, r := range rows {
		var rep domain.MonthlyReport
		_ = json.Unmarshal(r.Snapshot, &rep)
		rep.FillEmpty() // frozen before a dimension existed: {} for it, as GET /reports/monthly shows
		out[i] = domain.ReportVersion{Version: r.Version, Status: r.Status, SubmittedAt: r.SubmittedAt, ReturnReason: r.ReturnReason, Report: rep,
			SubmittedBy: r.SubmittedBy, ReviewedBy: r.ReviewedBy, ReviewedAt: r.ReviewedAt}
	}
	return out, nil
}

const notifyReportDue = `INSERT INTO notifications (user_id, kind, title, link, params, dedupe_key)
	SELECT u.id, 'report_due', ?, ?, ?, ? || u.zone_code
	FROM users u
	WHERE u.role IN ? AND ` + activeStaffU + ` AND NOT EXISTS (SELECT 1 FROM monthly_reports r
		WHERE r.zone_code = u.zone_code AND r.year = ? AND r.month = ? AND r.status <> 'returned')
	ON CONFLICT DO NOTHING`

// RemindReports notifies zone staff three days and one day before a month's
// report falls due, once each, while it is not submitted: in the reporting
// season only (domain.InReportSeason).
func (s *Store) RemindReports(ctx context.Context) (int64, error) {
	today := domain.DateOf(s.now())
	due := domain.ReportDue(today.Year, today.Month)
	days := int(due.Time().Sub(today.Time()).Hours() / 24)
	if (days != 3 && days != 1) || !domain.InReportSeason(today.Month) {
		return 0, nil
	}
	res := s.db.WithContext(ctx).Exec(notifyReportDue,
		fmt.Sprintf("%d年%d月月报将于%d天后（%s）截止", today.Year, today.Month, days, due),
		reportLink(today.Year, today.Month, ""), dueParams(today, days, due),
		fmt.Sprintf("report_due:%d-%02d:%d:", today.Year, today.Month, days), zoneStaffRoles(), today.Year, today.Month)
	return res.RowsAffected, translate(res.Error)
}
