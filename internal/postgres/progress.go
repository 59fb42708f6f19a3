package postgres

import (
	"context"
	"fmt"
	"sort"

	"gorm.io/gorm"

	"github.com/gradzone/gradzone/internal/domain"
)

// area selects the counters of one zone, one province, or the nation.
type area struct {
	zone     string // zone code, or ""
	province string // province code, or ""
}

// cond returns the WHERE fragment for tables with zone_code and province_code.
func (a area) cond(alias string) (string, []any) {
	switch {
	case a.zone != "":
		return alias + "zone_code = ?", []any{a.zone}
	case a.province != "":
		return alias + "province_code = ?", []any{a.province}
	}
	return "TRUE", nil
}

// placementsCond is cond for the placements table, where a zone-less
// placement has a NULL zone_code.
func (a area) placementsCond() (string, []any) { return a.cond("p.") }

type counterSums struct {
	Positions  int64
	Placements int64
}

// yearCounters holds an area's counters for a year and the year before, by
// month: one query serves the totals, the monthly series, the zone-less part
// and like-for-like.
type yearCounters struct {
	year int
	rows []struct {
		Year, Month int
		Zoneless    bool
		Positions   int64
		Placements  int64
	}
}

// The queries below take the area's condition (area.cond) as their first
// arguments.

// areaCountersByMonth: the area's counters of a year and the year before,
// by month, zone-less apart.
func areaCountersByMonth(areaCond string) string {
	return `SELECT year, month, zone_code = '' AS zoneless,
			sum(positions_developed) AS positions,
			sum(placements) AS placements
		FROM progress_counters
		WHERE ` + areaCond + ` AND year IN (?, ?)
		GROUP BY 1, 2, 3`
}

func (s *Store) counters(db *gorm.DB, a area, year int) (yearCounters, error) {
	cond, args := a.cond("")
	yc := yearCounters{year: year}
	err := db.Raw(areaCountersByMonth(cond), append(args, year, year-1)...).Scan(&yc.rows).Error
	return yc, err
}

// sum adds the rows of year y with month < before that pass keep.
func (yc yearCounters) sum(y, before int, keep func(zoneless bool) bool) counterSums {
	var out counterSums
	for _, r := range yc.rows {
		if r.Year == y && r.Month < before && keep(r.Zoneless) {
			out.Positions += r.Positions
			out.Placements += r.Placements
		}
	}
	return out
}

func all(bool) bool { return true }

func (yc yearCounters) monthly() []domain.MonthCount {
	out := make([]domain.MonthCount, 12)
	for m := 1; m <= 12; m++ {
		out[m-1].Month = domain.MonthKey(yc.year, m)
	}
	for _, r := range yc.rows {
		if r.Year == yc.year {
			out[r.Month-1].PositionsDeveloped += r.Positions
			out[r.Month-1].Placements += r.Placements
		}
	}
	return out
}

// areaCounterTotals: the area's positions and placements of a year.
func areaCounterTotals(areaCond string) string {
	return `SELECT coalesce(sum(positions_developed), 0) AS positions,
			coalesce(sum(placements), 0) AS placements
		FROM progress_counters
		WHERE ` + areaCond + ` AND year = ?`
}

func (s *Store) sums(db *gorm.DB, a area, year int) (counterSums, error) {
	cond, args := a.cond("")
	var out counterSums
	err := db.Raw(areaCounterTotals(cond), append(args, year)...).Scan(&out).Error
	return out, err
}

// areaBreakdownsToMonth: the area's placements by dimension and value, in a
// year up to and including a month.
func areaBreakdownsToMonth(areaCond string) string {
	return `SELECT dimension, value, sum(placements) AS n
		FROM placement_breakdowns
		WHERE ` + areaCond + ` AND year = ? AND month <= ?
		GROUP BY 1, 2
		HAVING sum(placements) > 0`
}

// areaBreakdownsOfYear is areaBreakdownsToMonth for a whole year, from the
// yearly rollup (a province or the nation).
func areaBreakdownsOfYear(areaCond string) string {
	return `SELECT dimension, value, sum(placements) AS n
		FROM placement_breakdowns_year
		WHERE ` + areaCond + ` AND year = ?
		GROUP BY 1, 2
		HAVING sum(placements) > 0`
}

// breakdowns sums placement breakdowns for the area in year up to and
// including month (12 for the whole year).
func (s *Store) breakdowns(db *gorm.DB, a area, year, month int) (domain.Breakdowns, error) {
	cond, args := a.cond("")
	var rows []struct {
		Dimension string
		Value     string
		N         int64
	}
	// Whole years of a province or the nation come from the yearly rollup.
	q, qargs := areaBreakdownsToMonth(cond), append(args, year, month)
	if a.zone == "" && month == 12 {
		q, qargs = areaBreakdownsOfYear(cond), append(args, year)
	}
	if err := db.Raw(q, qargs...).Scan(&rows).Error; err != nil {
		return domain.Breakdowns{}, err
	}
	b := domain.NewBreakdowns()
	for _, r := range rows {
		b.Set(r.Dimension, r.Value, r.N)
	}
	return b, nil
}

// areaPlacementsHiredBetween: how many of the area's active placements
// were hired between two days (area.placementsCond).
func areaPlacementsHiredBetween(areaCond string) string {
	return `SELECT count(*)
		FROM placements p
		WHERE ` + areaCond + ` AND p.status = 'active' AND p.hired_on BETWEEN ? AND ?`
}

// countHired counts active placements in the area hired between from and to.
func (s *Store) countHired(db *gorm.DB, a area, from, to domain.Date) (int64, error) {
	cond, args := a.placementsCond()
	var n int64
	err := db.Raw(areaPlacementsHiredBetween(cond), append(args, from.String(), to.String())...).Scan(&n).Error
	return n, err
}

// likeForLikeDays are the days a year's like-for-like compares on day
// today: the year up to asOf (today, or the year's last day for a past
// year) with the year before up to prevTo, the same day (28 February for a
// 29th). ok is false for a year that has not begun.
func likeForLikeDays(year int, today domain.Date) (asOf, prevTo domain.Date, ok bool) {
	if year > today.Year {
		return asOf, prevTo, false
	}
	asOf = today
	if year < today.Year {
		asOf = domain.Date{Year: year, Month: 12, Day: 31}
	}
	prevTo = domain.Date{Year: year - 1, Month: asOf.Month, Day: asOf.Day}
	if asOf.Month == 2 && asOf.Day == 29 {
		prevTo.Day = 28
	}
	return asOf, prevTo, true
}

// likeForLike compares year to date with the previous year to the same day.
// Whole months come from the counters; only the current month's days are
// counted from raw placements, so the cost does not grow with the year.
func (s *Store) likeForLike(db *gorm.DB, a area, yc yearCounters, today domain.Date) (*domain.LikeForLike, error) {
	year := yc.year
	asOf, prevTo, ok := likeForLikeDays(year, today)
	if !ok {
		return nil, nil
	}
	nowPart, err := s.countHired(db, a, domain.Date{Year: year, Month: asOf.Month, Day: 1}, asOf)
	if err != nil {
		return nil, err
	}
	prevPart, err := s.countHired(db, a, domain.Date{Year: year - 1, Month: asOf.Month, Day: 1}, prevTo)
	if err != nil {
		return nil, err
	}
	now := yc.sum(year, asOf.Month, all).Placements + nowPart
	prev := yc.sum(year-1, asOf.Month, all).Placements + prevPart
	return &domain.LikeForLike{AsOf: asOf.String(), Placements: now, PrevPlacements: prev, Growth: domain.Growth(now, prev)}, nil
}

func (s *Store) sprint(db *gorm.DB, a area, year int, today domain.Date, target, placements int64) (domain.Sprint, error) {
	last7, err := s.countHired(db, a, today.AddDays(-6), today)
	if err != nil {
		return domain.Sprint{}, err
	}
	if year != today.Year {
		last7 = 0
	}
	return domain.NewSprint(year, today, target, placements, last7), nil
}

const zoneQuotaTargets = `SELECT target_positions, target_placements
	FROM zone_quotas
	WHERE zone_code = ? AND year = ?`

// zoneQuota returns a zone's targets for year (zero when unset).
func (s *Store) zoneQuota(db *gorm.DB, zone string, year int) (domain.Quota, error) {
	q := domain.Quota{ZoneCode: zone, Year: year}
	err := db.Raw(zoneQuotaTargets, zone, year).Scan(&q).Error
	return q, err
}

// ZoneProgress returns a zone's progress for year. Zone staff of it, its
// province and the ministry may read it. Errors: forbidden, not_found.
func (s *Store) ZoneProgress(ctx context.Context, c domain.Caller, code string, year int) (domain.ZoneProgress, error) {
	var p domain.ZoneProgress
	if !c.Role.IsStaff() {
		return p, domain.ErrForbidden
	}
	z, err := s.Zone(ctx, code)
	if err != nil {
		return p, err
	}
	if !c.SeesZone(z.Code, z.ProvinceCode) {
		return p, domain.ErrNotFound
	}
	return cached(ctx, s, s.progress, fmt.Sprintf("zone:%s:%d", code, year), func() (domain.ZoneProgress, error) {
		return inSnapshot(ctx, s, func(db *gorm.DB) (domain.ZoneProgress, error) { return s.zoneProgress(db, z, year) })
	})
}

// zoneProgress computes ZoneProgress for zone z.
func (s *Store) zoneProgress(db *gorm.DB, z domain.Zone, year int) (domain.ZoneProgress, error) {
	var p domain.ZoneProgress
	code := z.Code
	today := domain.DateOf(s.now())
	a := area{zone: code}
	p.Zone.Code, p.Zone.NameZh, p.Zone.ProvinceCode = z.Code, z.NameZh, z.ProvinceCode
	p.Year = year
	q, err := s.zoneQuota(db, code, year)
	if err != nil {
		return p, translate(err)
	}
	yc, err := s.counters(db, a, year)
	if err != nil {
		return p, translate(err)
	}
	cur, prev := yc.sum(year, 13, all), yc.sum(year-1, 13, all)
	prov, err := s.sums(db, area{province: z.ProvinceCode}, year)
	if err != nil {
		return p, translate(err)
	}
	p.TargetPositions, p.TargetPlacements = q.TargetPositions, q.TargetPlacements
	p.PositionsDeveloped, p.Placements, p.PlacementsPrevYear = cur.Positions, cur.Placements, prev.Placements
	p.FillRates()
	p.ProvinceShare = domain.Percent(cur.Placements, prov.Placements)
	p.Monthly = yc.monthly()
	if p.Breakdowns, err = s.breakdowns(db, a, year, 12); err != nil {
		return p, translate(err)
	}
	if p.LikeForLike, err = s.likeForLike(db, a, yc, today); err != nil {
		return p, translate(err)
	}
	p.Sprint, err = s.sprint(db, a, year, today, q.TargetPlacements, cur.Placements)
	return p, translate(err)
}

// zoneProgressRows: each zone's targets and counts of a year, and its
// placements of the year before; the zones' condition takes the last
// arguments.
func zoneProgressRows(zonesCond string) string {
	return `SELECT z.code, z.name_zh, z.province_code,
			coalesce(q.target_positions, 0) AS target_positions,
			coalesce(q.target_placements, 0) AS target_placements,
			coalesce(c.positions, 0) AS positions_developed,
			coalesce(c.placements, 0) AS placements,
			coalesce(pc.placements, 0) AS placements_prev_year
		FROM zones z
		LEFT JOIN zone_quotas q ON q.zone_code = z.code AND q.year = ?
		LEFT JOIN (
			SELECT zone_code, sum(positions_developed) AS positions, sum(placements) AS placements
			FROM progress_counters
			WHERE year = ? AND zone_code <> ''
			GROUP BY zone_code
		) c ON c.zone_code = z.code
		LEFT JOIN (
			SELECT zone_code, sum(placements) AS placements
			FROM progress_counters
			WHERE year = ? AND zone_code <> ''
			GROUP BY zone_code
		) pc ON pc.zone_code = z.code
		WHERE ` + zonesCond
}

// zoneRows returns one row per zone of the province (all zones for ""),
// with counts and rates for year.
func (s *Store) zoneRows(db *gorm.DB, province string, year int) ([]domain.ZoneRow, error) {
	cond, args := "TRUE", []any{}
	if province != "" {
		cond, args = "z.province_code = ?", []any{province}
	}
	var scanned []areaRow
	err := db.Raw(zoneProgressRows(cond), append([]any{year, year, year - 1}, args...)...).Scan(&scanned).Error
	if err != nil {
		return nil, err
	}
	rows := make([]domain.ZoneRow, len(scanned))
	ptrs := make([]*domain.ZoneRow, len(rows))
	for i, r := range scanned {
		rows[i] = r.zoneRow()
		ptrs[i] = &rows[i]
	}
	if err := s.fillRowsLikeForLike(db, ptrs, "zone_code", year, domain.DateOf(s.now())); err != nil {
		return nil, err
	}
	rankRows(rows)
	return rows, nil
}

// placementsToDateBy: each zone's (key zone_code) or province's (key
// province_code) placements of a year up to a day: whole months from the
// counters, the days of the last month from the active placements.
// Arguments: the year, the last month (counted from its days), its first
// day and the day.
func placementsToDateBy(key string) string {
	return `SELECT code, sum(n) AS placements
		FROM (
			SELECT ` + key + ` AS code, sum(placements) AS n
			FROM progress_counters
			WHERE year = ? AND month < ? AND ` + key + ` <> ''
			GROUP BY 1
			UNION ALL
			SELECT p.` + key + `, count(*)
			FROM placements p
			WHERE p.status = 'active' AND p.hired_on BETWEEN ? AND ? AND p.` + key + ` IS NOT NULL
			GROUP BY 1
		) t
		GROUP BY code`
}

// fillRowsLikeForLike gives each row (a zone's, key zone_code, or a
// province's, key province_code) its like-for-like of year on day today,
// as the area's own (likeForLike): a year under way compared with a whole
// last year read −40 % in August (a numbers probe). A row's placements of
// the year so far are its year's, no placement being dated after today.
func (s *Store) fillRowsLikeForLike(db *gorm.DB, rows []*domain.ZoneRow, key string, year int, today domain.Date) error {
	asOf, prevTo, ok := likeForLikeDays(year, today)
	if !ok {
		return nil
	}
	var prev []struct {
		Code       string
		Placements int64
	}
	err := db.Raw(placementsToDateBy(key), year-1, prevTo.Month, domain.Date{Year: year - 1, Month: prevTo.Month, Day: 1}.String(), prevTo.String()).
		Scan(&prev).Error
	if err != nil {
		return err
	}
	byCode := map[string]int64{}
	for _, p := range prev {
		byCode[p.Code] = p.Placements
	}
	for _, r := range rows {
		n := byCode[r.Code]
		r.LikeForLike = &domain.LikeForLike{AsOf: asOf.String(), Placements: r.Placements, PrevPlacements: n, Growth: domain.Growth(r.Placements, n)}
	}
	return nil
}

// areaRow is a zone's or a province's row as its query reads it: GORM
// cannot scan into domain.ZoneRow, whose like-for-like is filled after.
type areaRow struct {
	Code, NameZh, ProvinceCode string
	TargetSource               domain.TargetSource
	domain.Completion
}

// zoneRow is the row with its rates.
func (r areaRow) zoneRow() domain.ZoneRow {
	z := domain.ZoneRow{Code: r.Code, NameZh: r.NameZh, ProvinceCode: r.ProvinceCode, Completion: r.Completion}
	z.FillRates()
	return z
}

// rankRows orders by placement completion rate (unset targets last), then
// placements, then code.
func rankRows(rows []domain.ZoneRow) {
	sort.SliceStable(rows, func(i, j int) bool { return ranksBefore(rows[i], rows[j]) })
}

// ranksBefore is rankRows' order: x ranks before y.
func ranksBefore(x, y domain.ZoneRow) bool {
	a, b := x.CompletionRate, y.CompletionRate
	switch {
	case a != nil && b == nil:
		return true
	case a == nil && b != nil:
		return false
	case a != nil && b != nil && *a != *b:
		return *a > *b
	case x.Placements != y.Placements:
		return x.Placements > y.Placements
	}
	return x.Code < y.Code
}

const provinceQuotaTargets = `SELECT target_positions, target_placements, 'own' AS target_source
	FROM province_quotas
	WHERE province_code = ? AND year = ?`

// zoneQuotasByProvince sums the zones' targets of a year per province.
const zoneQuotasByProvince = `SELECT z.province_code, sum(q.target_positions) AS target_positions,
		sum(q.target_placements) AS target_placements
	FROM zone_quotas q
	JOIN zones z ON z.code = q.zone_code
	WHERE q.year = ?
	GROUP BY 1`

// provinceTargetsOfYear is every province's targets of a year, the one
// place of the rule: its own when set, else the sum of its zones'. The year
// is its first two arguments.
const provinceTargetsOfYear = `SELECT pr.code, pr.name_zh,
		coalesce(pq.target_positions, zq.target_positions, 0) AS target_positions,
		coalesce(pq.target_placements, zq.target_placements, 0) AS target_placements,
		CASE
			WHEN pq.province_code IS NOT NULL THEN 'own'
			WHEN zq.province_code IS NOT NULL THEN 'zones'
			ELSE 'none'
		END AS target_source
	FROM provinces pr
	LEFT JOIN province_quotas pq ON pq.province_code = pr.code AND pq.year = ?
	LEFT JOIN (` + zoneQuotasByProvince + `) zq ON zq.province_code = pr.code`

// provinceTargets is one province's targets of a year (provinceTargetsOfYear).
const provinceTargets = `SELECT t.target_positions, t.target_placements, t.target_source
	FROM (` + provinceTargetsOfYear + `) t
	WHERE t.code = ?`

// provinceTargetTotals is the sum of every province's targets of a year.
const provinceTargetTotals = `SELECT coalesce(sum(t.target_positions), 0) AS target_positions,
		coalesce(sum(t.target_placements), 0) AS target_placements,
		'provinces' AS target_source
	FROM (` + provinceTargetsOfYear + `) t`

// areaTarget is an area's targets and where they come from.
type areaTarget struct {
	TargetPositions  int64
	TargetPlacements int64
	TargetSource     domain.TargetSource
}

// areaTargets returns the targets of a province (provinceTargets) or, for
// "00", the nation's: its own when set, else the sum of the provinces'.
func (s *Store) areaTargets(db *gorm.DB, province string, year int) (areaTarget, error) {
	var q []areaTarget
	if province != "00" {
		err := db.Raw(provinceTargets, year, year, province).Scan(&q).Error
		if err != nil || len(q) == 0 {
			return areaTarget{TargetSource: domain.TargetsNone}, err
		}
		return q[0], nil
	}
	if err := db.Raw(provinceQuotaTargets, province, year).Scan(&q).Error; err != nil {
		return areaTarget{}, err
	}
	if len(q) == 0 {
		err := db.Raw(provinceTargetTotals, year, year).Scan(&q).Error
		if err != nil || len(q) == 0 {
			return areaTarget{TargetSource: domain.TargetsFromProvinces}, err
		}
	}
	return q[0], nil
}

// fillArea computes the common parts of province and national progress.
func (s *Store) fillArea(db *gorm.DB, p *domain.AreaProgress, a area, targetKey string, year int) error {
	today := domain.DateOf(s.now())
	t, err := s.areaTargets(db, targetKey, year)
	if err != nil {
		return err
	}
	yc, err := s.counters(db, a, year)
	if err != nil {
		return err
	}
	cur, prev := yc.sum(year, 13, all), yc.sum(year-1, 13, all)
	zl := yc.sum(year, 13, func(zoneless bool) bool { return zoneless })
	p.Year = year
	p.TargetPositions, p.TargetPlacements, p.TargetSource = t.TargetPositions, t.TargetPlacements, t.TargetSource
	p.PositionsDeveloped, p.Placements, p.PlacementsPrevYear = cur.Positions, cur.Placements, prev.Placements
	p.FillRates()
	p.Zoneless.PositionsDeveloped, p.Zoneless.Placements = zl.Positions, zl.Placements
	p.ZoneShare = domain.Percent(cur.Placements-zl.Placements, cur.Placements)
	p.Monthly = yc.monthly()
	if p.Breakdowns, err = s.breakdowns(db, a, year, 12); err != nil {
		return err
	}
	if p.LikeForLike, err = s.likeForLike(db, a, yc, today); err != nil {
		return err
	}
	p.Sprint, err = s.sprint(db, a, year, today, t.TargetPlacements, cur.Placements)
	return err
}

// ProvinceProgress returns a province's progress with a row per zone.
// Province staff of it and the ministry may read it. Errors: forbidden, not_found.
func (s *Store) ProvinceProgress(ctx context.Context, c domain.Caller, code string, year int) (domain.AreaProgress, error) {
	var p domain.AreaProgress
	if !c.Reach().AtLeast(domain.LevelProvince) {
		return p, domain.ErrForbidden
	}
	db := s.db.WithContext(ctx)
	var prov []domain.Province
	if err := db.Raw(provinceByCode, code).Scan(&prov).Error; err != nil {
		return p, translate(err)
	}
	if len(prov) == 0 || !c.Sees(domain.Scope{ProvinceCode: code}) {
		return p, domain.ErrNotFound
	}
	return cached(ctx, s, s.progress, fmt.Sprintf("province:%s:%d", code, year), func() (domain.AreaProgress, error) {
		return inSnapshot(ctx, s, func(db *gorm.DB) (domain.AreaProgress, error) { return s.provinceProgress(db, prov[0], year) })
	})
}

// provinceProgress computes ProvinceProgress for province pr.
func (s *Store) provinceProgress(db *gorm.DB, pr domain.Province, year int) (domain.AreaProgress, error) {
	var p domain.AreaProgress
	code := pr.Code
	p.Province = &pr
	a := area{province: code}
	if err := s.fillArea(db, &p, a, code, year); err != nil {
		return p, translate(err)
	}
	nat, err := s.sums(db, area{}, year)
	if err != nil {
		return p, translate(err)
	}
	p.NationalShare = domain.ViewRate{Rate: domain.Percent(p.Placements, nat.Placements), Carried: true}
	p.Zones, err = s.zoneRows(db, code, year)
	return p, translate(err)
}

// NationalProgress returns the nation's progress with a row per province and
// per zone. Only the ministry may read it. Errors: forbidden.
func (s *Store) NationalProgress(ctx context.Context, c domain.Caller, year int) (domain.AreaProgress, error) {
	var p domain.AreaProgress
	if c.Level() != domain.LevelNation {
		return p, domain.ErrForbidden
	}
	return cached(ctx, s, s.progress, fmt.Sprintf("national:%d", year), func() (domain.AreaProgress, error) {
		return inSnapshot(ctx, s, func(db *gorm.DB) (domain.AreaProgress, error) { return s.nationalProgress(db, year) })
	})
}

// provinceProgressRows is every province's targets (provinceTargetsOfYear),
// positions and placements of a year, and placements of the year before.
const provinceProgressRows = `SELECT t.code, t.name_zh, t.code AS province_code, t.target_positions, t.target_placements,
	t.target_source,
	coalesce(c.positions, 0) AS positions_developed, coalesce(c.placements, 0) AS placements,
	coalesce(pc.placements, 0) AS placements_prev_year
	FROM (` + provinceTargetsOfYear + `) t
	LEFT JOIN (SELECT province_code, sum(positions_developed) AS positions, sum(placements) AS placements
		FROM progress_counters WHERE year = ? GROUP BY 1) c ON c.province_code = t.code
	LEFT JOIN (SELECT province_code, sum(placements) AS placements
		FROM progress_counters WHERE year = ? GROUP BY 1) pc ON pc.province_code = t.code`

// nationalProgress computes NationalProgress.
func (s *Store) nationalProgress(db *gorm.DB, year int) (domain.AreaProgress, error) {
	var p domain.AreaProgress
	if err := s.fillArea(db, &p, area{}, "00", year); err != nil {
		return p, translate(err)
	}
	var err error
	if p.Zones, err = s.zoneRows(db, "", year); err != nil {
		return p, translate(err)
	}
	var scanned []areaRow
	err = db.Raw(provinceProgressRows, year, year, year, year-1).Scan(&scanned).Error
	if err != nil {
		return p, translate(err)
	}
	rows := make([]domain.ProvinceRow, len(scanned))
	ptrs := make([]*domain.ZoneRow, len(rows))
	for i, r := range scanned {
		rows[i] = domain.ProvinceRow{Code: r.Code, NameZh: r.NameZh, TargetSource: r.TargetSource, ZoneRow: r.zoneRow()}
		ptrs[i] = &rows[i].ZoneRow
	}
	if err := s.fillRowsLikeForLike(db, ptrs, "province_code", year, domain.DateOf(s.now())); err != nil {
		return p, translate(err)
	}
	// Ranked as zones are (rankRows): a tie, or no target, is broken by
	// placements before the code.
	sort.SliceStable(rows, func(i, j int) bool { return ranksBefore(rows[i].ZoneRow, rows[j].ZoneRow) })
	p.Provinces = rows
	return p, nil
}

// applicationsByProvince counts the applications made in [from, to) by the
// province of the opening's employer and their status now: an index scan
// of the year's applications (applications_created_idx).
const applicationsByProvince = `SELECT e.province_code AS province, a.status, count(*) AS n
	FROM applications a
	JOIN openings o ON o.id = a.opening_id
	JOIN employers e ON e.id = o.employer_id
	WHERE a.created_at >= ? AND a.created_at < ?
	GROUP BY 1, 2`

// ApplicationsByProvince counts the applications made in year (Asia/Shanghai)
// by province and status, for the metrics address: no caller, nobody's
// scope; counts only.
func (s *Store) ApplicationsByProvince(ctx context.Context, year int) (map[string]map[string]int64, error) {
	var rows []struct {
		Province, Status string
		N                int64
	}
	from, to := domain.Date{Year: year, Month: 1, Day: 1}, domain.Date{Year: year + 1, Month: 1, Day: 1}
	if err := s.db.WithContext(ctx).Raw(applicationsByProvince, from.Time(), to.Time()).Scan(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := map[string]map[string]int64{}
	for _, r := range rows {
		if out[r.Province] == nil {
			out[r.Province] = map[string]int64{}
		}
		out[r.Province][r.Status] = r.N
	}
	return out, nil
}

const upsertZoneQuota = `INSERT INTO zone_quotas (zone_code, year, target_positions, target_placements, updated_by)
	VALUES (?, ?, ?, ?, ?)
	ON CONFLICT (zone_code, year) DO UPDATE
	SET target_positions = EXCLUDED.target_positions, target_placements = EXCLUDED.target_placements,
	updated_by = EXCLUDED.updated_by, updated_at = now()`

// SetZoneQuota sets a zone's yearly targets: its province's staff or the
// ministry. Errors: forbidden, not_found, validation_failed.
func (s *Store) SetZoneQuota(ctx context.Context, c domain.Caller, q domain.Quota) (domain.Quota, error) {
	if !c.Reach().AtLeast(domain.LevelProvince) {
		return q, domain.ErrForbidden
	}
	z, err := s.Zone(ctx, q.ZoneCode)
	if err != nil {
		return q, err
	}
	if !c.SeesZone(z.Code, z.ProvinceCode) {
		return q, domain.ErrNotFound
	}
	if err := q.Validate(domain.MaxZoneTarget); err != nil {
		return q, err
	}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		old, err := s.zoneQuota(tx, q.ZoneCode, q.Year)
		if err != nil {
			return err
		}
		if err := tx.Exec(upsertZoneQuota,
			q.ZoneCode, q.Year, q.TargetPositions, q.TargetPlacements, c.UserID).Error; err != nil {
			return err
		}
		return audit(ctx, tx, auditEntry{Kind: "quota.changed", ActorID: c.UserID, EntityType: "zone_quota",
			EntityID: q.ZoneCode + "/" + itoa(q.Year), ZoneCode: q.ZoneCode, ProvinceCode: z.ProvinceCode,
			Before: map[string]int64{"target_positions": old.TargetPositions, "target_placements": old.TargetPlacements},
			After:  map[string]int64{"target_positions": q.TargetPositions, "target_placements": q.TargetPlacements}})
	})
	q.ProvinceCode = z.ProvinceCode
	return q, translate(err)
}

const countProvinceCode = `SELECT count(*)
	FROM provinces
	WHERE code = ?`

const upsertProvinceQuota = `INSERT INTO province_quotas (province_code, year, target_positions, target_placements)
	VALUES (?, ?, ?, ?)
	ON CONFLICT (province_code, year) DO UPDATE
	SET target_positions = EXCLUDED.target_positions, target_placements = EXCLUDED.target_placements,
	updated_at = now()`

// SetProvinceQuota sets a province's own yearly targets, or the nation's
// (province "00"); without one, a province's targets are the sum of its
// zones'. The ministry only. Errors: forbidden, not_found, validation_failed.
func (s *Store) SetProvinceQuota(ctx context.Context, c domain.Caller, q domain.Quota) (domain.Quota, error) {
	if c.Level() != domain.LevelNation {
		return q, domain.ErrForbidden
	}
	if q.ProvinceCode != "00" {
		var n int64
		if err := s.db.WithContext(ctx).Raw(countProvinceCode, q.ProvinceCode).Scan(&n).Error; err != nil {
			return q, translate(err)
		}
		if n == 0 {
			return q, domain.ErrNotFound
		}
	}
	if err := q.Validate(domain.MaxAreaTarget); err != nil {
		return q, err
	}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var old domain.Quota
		if err := tx.Raw(provinceQuotaTargets,
			q.ProvinceCode, q.Year).Scan(&old).Error; err != nil {
			return err
		}
		if err := tx.Exec(upsertProvinceQuota, q.ProvinceCode, q.Year, q.TargetPositions, q.TargetPlacements).Error; err != nil {
			return err
		}
		province := q.ProvinceCode
		if province == "00" {
			province = ""
		}
		return audit(ctx, tx, auditEntry{Kind: "quota.changed", ActorID: c.UserID, EntityType: "province_quota",
			EntityID: q.ProvinceCode + "/" + itoa(q.Year), ProvinceCode: province,
			Before: map[string]int64{"target_positions": old.TargetPositions, "target_placements": old.TargetPlacements},
			After:  map[string]int64{"target_positions": q.TargetPositions, "target_placements": q.TargetPlacements}})
	})
	return q, translate(err)
}

// counterDrift lists, one line each, the counters and breakdown rows that
// differ from a recount from raw rows.
var counterDrift = `WITH expected AS (
		SELECT province_code, zone_code, year, month, sum(positions) AS positions, sum(placements) AS placements
		FROM (` + recountedCounters + `) recount
		GROUP BY 1, 2, 3, 4)
	SELECT coalesce(e.province_code, c.province_code) || '/' || coalesce(e.zone_code, c.zone_code) || '/' ||
		coalesce(e.year, c.year) || '-' || coalesce(e.month, c.month) || ': counters ' ||
		coalesce(c.positions_developed, 0) || '/' || coalesce(c.placements, 0) || ', recount ' ||
		coalesce(e.positions, 0) || '/' || coalesce(e.placements, 0)
	FROM expected e FULL JOIN progress_counters c USING (province_code, zone_code, year, month)
	WHERE coalesce(e.positions, 0) <> coalesce(c.positions_developed, 0) OR coalesce(e.placements, 0) <> coalesce(c.placements, 0)
	UNION ALL
	SELECT 'breakdown ' || coalesce(x.dimension, b.dimension) || '=' || coalesce(x.value, b.value) || ' ' ||
		coalesce(x.zone_code, b.zone_code) || ' ' || coalesce(x.year, b.year) || '-' || coalesce(x.month, b.month) ||
		': kept ' || coalesce(b.placements, 0) || ', recount ' || coalesce(x.n, 0)
	FROM (` + recountBreakdowns + `) x
	FULL JOIN (SELECT * FROM placement_breakdowns WHERE placements <> 0) b
		USING (province_code, zone_code, year, month, dimension, value)
	WHERE coalesce(x.n, 0) <> coalesce(b.placements, 0)
	UNION ALL
	SELECT 'yearly breakdown ' || coalesce(f.province_code, y.province_code) || ' ' || coalesce(f.year, y.year) || ' ' ||
		coalesce(f.dimension, y.dimension) || '=' || coalesce(f.value, y.value) ||
		': kept ' || coalesce(y.placements, 0) || ', fine ' || coalesce(f.n, 0)
	FROM (SELECT province_code, year, dimension, value, sum(placements) AS n FROM placement_breakdowns
		GROUP BY 1, 2, 3, 4 HAVING sum(placements) <> 0) f
	FULL JOIN (SELECT * FROM placement_breakdowns_year WHERE placements <> 0) y USING (province_code, year, dimension, value)
	WHERE coalesce(f.n, 0) <> coalesce(y.placements, 0)`

// CounterDrift compares the kept counters with a recount from raw rows and
// returns the rows that differ (empty when exact). Tests and an operator
// check use it.
func (s *Store) CounterDrift(ctx context.Context) ([]string, error) {
	var diffs []string
	err := s.db.WithContext(ctx).Raw(counterDrift).Scan(&diffs).Error
	return diffs, translate(err)
}
