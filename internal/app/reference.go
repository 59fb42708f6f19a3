package app

// Reference data (provinces, zones) and liveness.

import (
	"context"
	"sync"
	"time"

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

// Zones lists the zones, optionally of one province, ordered by province
// and code. Errors: validation_failed (a province that is none: an empty
// list said nothing of the mistake).
func (s *Service) Zones(ctx context.Context, province string) ([]domain.Zone, error) {
	if err := s.places.check(ctx, s.Store, domain.SearchFilters{Province: province}, ""); err != nil {
		return nil, err
	}
	return s.Store.Zones(ctx, province)
}

// placeCodes are the zone and province codes. They are reference data
// (migrations load them; nothing changes them while serve runs), so they
// are read once, on first use, within placeCodesWait and outside the lock
// (a Postgres that hangs must not queue every search behind it: a review);
// a failed read is tried again placeCodesRetry later, and meanwhile no code
// is refused for them: search answers with Postgres down.
type placeCodes struct {
	mu       sync.Mutex
	zones    map[string]bool
	provs    map[string]bool
	failedAt time.Time
}

const (
	placeCodesWait  = 2 * time.Second
	placeCodesRetry = 30 * time.Second
)

// check refuses a filter's zone or province that is none (path prefixes
// the field's name): a search on it found nothing and said nothing, and a
// saved search on it never alerted (a probe). Errors: validation_failed.
func (p *placeCodes) check(ctx context.Context, st Store, f domain.SearchFilters, path string) error {
	if f.Zone == "" && f.Province == "" {
		return nil
	}
	zones, provs := p.load(ctx, st)
	if zones == nil {
		return nil
	}
	var v domain.Validation
	v.Check(f.Zone == "" || zones[f.Zone], path+"zone", "unknown zone")
	v.Check(f.Province == "" || provs[f.Province], path+"province", "unknown province")
	return v.Err()
}

func (p *placeCodes) load(ctx context.Context, st Store) (zones, provs map[string]bool) {
	p.mu.Lock()
	known, wait := p.zones != nil, time.Since(p.failedAt) < placeCodesRetry
	zones, provs = p.zones, p.provs
	p.mu.Unlock()
	if known || wait {
		return zones, provs
	}
	ctx, cancel := context.WithTimeout(ctx, placeCodesWait)
	defer cancel()
	zs, err := st.Zones(ctx, "")
	var ps []domain.Province
	if err == nil {
		ps, err = st.Provinces(ctx)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if err != nil {
		p.failedAt = time.Now()
		return nil, nil
	}
	p.zones, p.provs = map[string]bool{}, map[string]bool{}
	for _, z := range zs {
		p.zones[z.Code] = true
	}
	for _, pr := range ps {
		p.provs[pr.Code] = true
	}
	return p.zones, p.provs
}
