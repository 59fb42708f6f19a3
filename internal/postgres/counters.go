package postgres

import (
	"gorm.io/gorm"

	"github.com/gradzone/gradzone/internal/domain"
)

const addToProgressCounters = `UPDATE progress_counters
	SET positions_developed = positions_developed + ?, placements = placements + ?
	WHERE province_code = ? AND zone_code = ? AND year = ? AND month = ?`

const upsertProgressCounters = `INSERT INTO progress_counters (province_code, zone_code, year, month, positions_developed, placements)
	VALUES (?, ?, ?, ?, ?, ?)
	ON CONFLICT (province_code, zone_code, year, month) DO UPDATE
	SET positions_developed = progress_counters.positions_developed + EXCLUDED.positions_developed,
	placements = progress_counters.placements + EXCLUDED.placements`

// bumpCounters adds to the per-zone, per-month progress counters inside tx.
// zone "" is the zone-less part of a province.
func bumpCounters(tx *gorm.DB, province, zone string, d domain.Date, positions, placements int) error {
	if positions == 0 && placements == 0 {
		return nil
	}
	// Decrements update the existing row: an upsert would check the CHECK
	// (>= 0) on the negative row it proposes to insert.
	if positions < 0 || placements < 0 {
		return tx.Exec(addToProgressCounters, positions, placements, province, zone, d.Year, d.Month).Error
	}
	return tx.Exec(upsertProgressCounters, province, zone, d.Year, d.Month, positions, placements).Error
}

// counterKey is one progress counter row.
type counterKey struct {
	province, zone string
	month          domain.Date // the first of its month
}

// counterBumps adds up bumps to apply at once, for a long transaction
// that must not hold the counter rows it touches until its end (an
// import).
type counterBumps map[counterKey][2]int

// add is bumpCounters, kept for apply.
func (b counterBumps) add(_ *gorm.DB, province, zone string, d domain.Date, positions, placements int) error {
	k := counterKey{province, zone, domain.Date{Year: d.Year, Month: d.Month, Day: 1}}
	v := b[k]
	b[k] = [2]int{v[0] + positions, v[1] + placements}
	return nil
}

// apply bumps the counters added up.
func (b counterBumps) apply(tx *gorm.DB) error {
	for k, v := range b {
		if err := bumpCounters(tx, k.province, k.zone, k.month, v[0], v[1]); err != nil {
			return err
		}
	}
	return nil
}
