package postgres

import (
	"context"

	"github.com/gradzone/gradzone/internal/domain"
)

const zoneSelect = `SELECT z.code, z.name_zh, z.name_en, z.province_code,
		p.name_zh AS province_zh, z.city_zh, z.approved_year
	FROM zones z
	JOIN provinces p ON p.code = z.province_code`

const zonesOfProvince = zoneSelect + `
	WHERE ? = '' OR z.province_code = ?
	ORDER BY z.province_code, z.code`

// Zones lists the zones, optionally of one province, ordered by province and code.
func (s *Store) Zones(ctx context.Context, province string) ([]domain.Zone, error) {
	var zs []domain.Zone
	err := s.db.WithContext(ctx).Raw(zonesOfProvince, province, province).Scan(&zs).Error
	return zs, translate(err)
}

const zoneByCode = zoneSelect + `
	WHERE z.code = ?`

// Zone returns one zone. Errors: not_found.
func (s *Store) Zone(ctx context.Context, code string) (domain.Zone, error) {
	var zs []domain.Zone
	if err := s.db.WithContext(ctx).Raw(zoneByCode, code).Scan(&zs).Error; err != nil {
		return domain.Zone{}, translate(err)
	}
	if len(zs) == 0 {
		return domain.Zone{}, domain.ErrNotFound
	}
	return zs[0], nil
}

const allProvinces = `SELECT code, name_zh, name_en
	FROM provinces
	ORDER BY code`

// Provinces lists the provinces.
func (s *Store) Provinces(ctx context.Context) ([]domain.Province, error) {
	var ps []domain.Province
	err := s.db.WithContext(ctx).Raw(allProvinces).Scan(&ps).Error
	return ps, translate(err)
}
