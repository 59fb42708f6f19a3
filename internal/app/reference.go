package app

// Reference data (provinces, zones) and liveness.

import (
	"context"

	"github.com/gradzone/gradzone/internal/domain"
)

// Ping reports whether Postgres answers.
func (s *Service) Ping(ctx context.Context) error {
	return s.Store.Ping(ctx)
}

// Provinces lists the provinces.
func (s *Service) Provinces(ctx context.Context) ([]domain.Province, error) {
	return s.Store.Provinces(ctx)
}

// Zone returns one zone. Errors: not_found.
func (s *Service) Zone(ctx context.Context, code string) (domain.Zone, error) {
	return s.Store.Zone(ctx, code)
}

// Zones lists the zones, optionally of one province, ordered by province and code.
func (s *Service) Zones(ctx context.Context, province string) ([]domain.Zone, error) {
	return s.Store.Zones(ctx, province)
}
