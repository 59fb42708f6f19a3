package postgres

import (
	"gorm.io/gorm"

	"github.com/gradzone/gradzone/internal/domain"
)

// bumpCounters adds to the per-zone, per-month progress counters inside tx.
// zone "" is the zone-less part of a province.
func bumpCounters(tx *gorm.DB, province, zone string, d domain.Date, positions, placements int) error {
	if positions == 0 && placements == 0 {
		return nil
	}
	return tx.Exec(`INSERT INTO progress_counters (province_code, zone_code, year, month, positions_developed, placements)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (province_code, zone_code, year, month) DO UPDATE SET
		  positions_developed = progress_counters.positions_developed + EXCLUDED.positions_developed,
		  placements = progress_counters.placements + EXCLUDED.placements`,
		province, zone, d.Year, d.Month, positions, placements).Error
}
