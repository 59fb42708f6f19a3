package postgres

import (
	"fmt"
	"strings"

	"github.com/lib/pq"
	"gorm.io/gorm"

	"github.com/gradzone/gradzone/internal/domain"
)

// A placement keeps its value of every report dimension as it was at the
// hire (placements.dimensions): a graduate may correct the degree and an
// employer edit an opening later, and the placement must leave the
// breakdowns under the values it was added with.

// dimensionsAtHire is the jsonb of a placement's dimension values, read from
// the rows as they are now, generated from domain.Dimensions: it follows a
// FROM of placementJoin.
var dimensionsAtHire = func() string {
	pairs := make([]string, len(domain.Dimensions))
	for i, d := range domain.Dimensions {
		pairs[i] = fmt.Sprintf("'%s', %s", d.Key, d.Column)
	}
	return "jsonb_build_object(" + strings.Join(pairs, ", ") + ")"
}()

// placementJoin is the FROM clause whose aliases domain.Dimension.Column names.
const placementJoin = `placements p
	JOIN employers e ON e.id = p.employer_id
	JOIN openings o ON o.id = p.opening_id
	JOIN graduates g ON g.user_id = p.graduate_id`

// keepDimensions records the dimension values of the placements that have
// none yet: the one just hired (keepDimensionsOf), or every placement a
// bulk load inserted before the counters are rebuilt.
var keepDimensions = `UPDATE placements
	SET dimensions = hire.dimensions
	FROM (
		SELECT p.id, ` + dimensionsAtHire + ` AS dimensions
		FROM ` + placementJoin + `
		WHERE p.dimensions IS NULL) hire
	WHERE placements.id = hire.id`

var keepDimensionsOf = keepDimensions + `
	AND placements.id = ?`

// placementDimensions gives each placement one row per report dimension,
// d(dimension, value), from the values it keeps; it follows a FROM of
// placements p.
const placementDimensions = `CROSS JOIN LATERAL jsonb_each_text(p.dimensions) d(dimension, value)`

// recountBreakdowns is the breakdown of active placements recounted from the
// raw rows, per zone and month: what placement_breakdowns must hold.
const recountBreakdowns = `SELECT p.province_code, coalesce(p.zone_code, '') AS zone_code, p.year, p.month, d.dimension, d.value, count(*) AS n
	FROM placements p
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
// dimension as it was at the hire, in dimension order.
const placementDimensionValues = `SELECT d.dimension, d.value
	FROM placements p
	` + placementDimensions + `
	WHERE p.id = ?
	ORDER BY d.dimension`

// countPlacement moves the progress counters and breakdowns of placement id
// by delta (+1 or −1), under the dimension values it keeps (recorded here
// when it is counted first). Rows are always touched in the same order
// (dimensions sorted, one statement per table), so concurrent hires never
// deadlock on them.
func countPlacement(tx *gorm.DB, id, province, zone string, d domain.Date, delta int) error {
	if err := bumpCounters(tx, province, zone, d, 0, delta); err != nil {
		return err
	}
	if delta > 0 {
		if err := tx.Exec(keepDimensionsOf, id).Error; err != nil {
			return err
		}
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
