package app

// Progress against yearly targets, and setting the targets.

import (
	"context"

	"github.com/gradzone/gradzone/internal/domain"
)

// NationalProgress returns the nation's progress with a row per province and
// per zone. Only the ministry may read it. Errors: forbidden.
func (s *Service) NationalProgress(ctx context.Context, c domain.Caller, year int) (domain.AreaProgress, error) {
	return s.Store.NationalProgress(ctx, c, year)
}

// programmeReader is who reads the programme's counts for the metrics
// address: the nation's view, and no one's session.
var programmeReader = domain.Caller{Role: domain.RolesAt(domain.LevelNation)[0]}

// ProgrammeCounts returns the programme's numbers of year by province for
// the metrics address: positions developed and placements through the
// national progress's own read (the same numbers GET /progress gives, from
// the same cache), and the year's applications by status.
func (s *Service) ProgrammeCounts(ctx context.Context, year int) (domain.ProgrammeCounts, error) {
	p, err := s.Store.NationalProgress(ctx, programmeReader, year)
	if err != nil {
		return domain.ProgrammeCounts{}, err
	}
	apps, err := s.Store.ApplicationsByProvince(ctx, year)
	if err != nil {
		return domain.ProgrammeCounts{}, err
	}
	return domain.NewProgrammeCounts(p, apps), nil
}

// ProvinceProgress returns a province's progress with a row per zone.
// Province staff of it and the ministry may read it. Errors: forbidden, not_found.
func (s *Service) ProvinceProgress(ctx context.Context, c domain.Caller, code string, year int) (domain.AreaProgress, error) {
	return s.Store.ProvinceProgress(ctx, c, code, year)
}

// SetProvinceQuota sets a province's own yearly targets, or the nation's
// (province "00"); without one, a province's targets are the sum of its
// zones'. The ministry only. Errors: forbidden, not_found, validation_failed.
func (s *Service) SetProvinceQuota(ctx context.Context, c domain.Caller, q domain.Quota) (domain.Quota, error) {
	return s.Store.SetProvinceQuota(ctx, c, q)
}

// SetZoneQuota sets a zone's yearly targets: its province's staff or the
// ministry. Errors: forbidden, not_found, validation_failed.
func (s *Service) SetZoneQuota(ctx context.Context, c domain.Caller, q domain.Quota) (domain.Quota, error) {
	return s.Store.SetZoneQuota(ctx, c, q)
}

// ZoneProgress returns a zone's progress for year. Zone staff of it, its
// province and the ministry may read it. Errors: forbidden, not_found.
func (s *Service) ZoneProgress(ctx context.Context, c domain.Caller, code string, year int) (domain.ZoneProgress, error) {
	return s.Store.ZoneProgress(ctx, c, code, year)
}
