package postgres

import (
	"fmt"
	"strings"

	"github.com/lib/pq"
	"gorm.io/gorm"

	"github.com/gradzone/gradzone/internal/domain"
)

// placementDimensions is the SQL that gives each placement one row per
// report dimension, generated from domain.Dimensions: it follows a FROM of
// placementJoin and yields d(dimension, value).
var placementDimensions = func() string {
	rows := make([]string, len(domain.Dimensions))
	for i, d := range domain.Dimensions {
		rows[i] = fmt.Sprintf("('%s', %s)", d.Key, d.Column)
	}
	return "CROSS JOIN LATERAL (VALUES " + strings.Join(rows, ", ") + ") d(dimension, value)"
}()

// placementJoin is the FROM clause whose aliases domain.Dimension.Column names.
const placementJoin = `placements p
	JOIN employers e ON e.id = p.employer_id
	JOIN openings o ON o.id = p.opening_id
	JOIN graduates g ON g.user_id = p.graduate_id`

// recountBreakdowns is the breakdown of active placements recounted from the
// raw rows, per zone and month: what placement_breakdowns must hold.
var recountBreakdowns = `SELECT p.province_code, coalesce(p.zone_code, '') AS zone_code, p.year, p.month, d.dimension, d.value, count(*) AS n
	FROM ` + placementJoin + `
	` + placementDimensions + `
	WHERE p.status = 'active'
	GROUP BY 1, 2, 3, 4, 5, 6`

const addToMonthBreakdowns = `UPDATE placement_breakdowns b
	SET placements = b.placements + ?
	FROM unnest(?::text[], ?::text[]) AS v(dimension, value)
	WHERE b.province_code = ? AND b.zone_code = ? AND b.year = ? AND b.month = ?
	AND b.dimension = v.dimension AND b.value = v.value`

const addToYearBreakdowns = `UPDATE placement_breakdowns_year b
	SET placements = b.placements + ?
	FROM unnest(?::text[], ?::text[]) AS v(dimension, value)
	WHERE b.province_code = ? AND b.year = ? AND b.dimension = v.dimension AND b.value = v.value`

const upsertMonthBreakdowns = `INSERT INTO placement_breakdowns (province_code, zone_code, year, month, dimension, value, placements)
	SELECT ?, ?, ?, ?, dimension, value, ?
	FROM unnest(?::text[], ?::text[]) WITH ORDINALITY AS v(dimension, value, n)
	ORDER BY n
	ON CONFLICT (province_code, zone_code, year, month, dimension, value) DO UPDATE
	SET placements = placement_breakdowns.placements + EXCLUDED.placements`

const upsertYearBreakdowns = `INSERT INTO placement_breakdowns_year (province_code, year, dimension, value, placements)
	SELECT ?, ?, dimension, value, ?
	FROM unnest(?::text[], ?::text[]) WITH ORDINALITY AS v(dimension, value, n)
	ORDER BY n
	ON CONFLICT (year, province_code, dimension, value) DO UPDATE
	SET placements = placement_breakdowns_year.placements + EXCLUDED.placements`

// placementDimensionValues is placement ?'s value of every report
// dimension, in dimension order.
var placementDimensionValues = `SELECT d.dimension, d.value
	FROM ` + placementJoin + `
	` + placementDimensions + `
	WHERE p.id = ?
	ORDER BY d.dimension`

// countPlacement moves the progress counters and breakdowns of placement id
// by delta (+1 or −1). Rows are always touched in the same order (dimensions
// sorted, one statement per table), so concurrent hires never deadlock on
// them.
func countPlacement(tx *gorm.DB, id, province, zone string, d domain.Date, delta int) error {
	if err := bumpCounters(tx, province, zone, d, 0, delta); err != nil {
		return err
	}
	var rows []struct{ Dimension, Value string }
	if err := tx.Raw(placementDimensionValues, id).Scan(&rows).Error; err != nil {
		return err
	}
	dims, vals := make([]string, len(rows)), make([]string, len(rows))
	for i, r := range rows {
		dims[i], vals[i] = r.Dimension, r.Value
	}
	if delta < 0 {
		if err := tx.Exec(addToMonthBreakdowns,
			delta, pq.StringArray(dims), pq.StringArray(vals), province, zone, d.Year, d.Month).Error; err != nil {
			return err
		}
		return tx.Exec(addToYearBreakdowns, delta, pq.StringArray(dims), pq.StringArray(vals), province, d.Year).Error
	}
	if err := tx.Exec(upsertMonthBreakdowns,
		province, zone, d.Year, d.Month, delta, pq.StringArray(dims), pq.StringArray(vals)).Error; err != nil {
		return err
	}
	return tx.Exec(upsertYearBreakdowns, province, d.Year, delta, pq.StringArray(dims), pq.StringArray(vals)).Error
}
