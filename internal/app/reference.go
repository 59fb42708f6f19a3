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
	if err := s.Places.check(ctx, domain.SearchFilters{Province: province}, ""); err != nil {
		return nil, err
	}
	return s.Store.Zones(ctx, province)
}

// Places are the zones and provinces, kept in memory for the two questions
// every page and search asks: does this code exist, and what is it called.
// They are reference data (migrations load them; nothing changes them while
// serve runs), so they are read once, on first use, within placesWait and
// outside the lock (a Postgres that hangs must not queue every search
// behind it: a review); a failed read is tried again placesRetry later, and
// meanwhile no code is refused and no name is known: search answers with
// Postgres down. One Places serves the use cases, the search and the site.
type Places struct {
	store    Store
	mu       sync.Mutex
	names    map[string]placeName // code → names; zones and provinces alike
	failedAt time.Time
}

type placeName struct {
	zh, en   string
	province bool
}

const (
	placesWait  = 2 * time.Second
	placesRetry = 30 * time.Second
)

// NewPlaces returns the reference data of st, read on first use.
func NewPlaces(st Store) *Places { return &Places{store: st} }

// PlaceName is the zone's or province's name in lang ("en" or Chinese); ""
// when the code is none, the language has no name for it, or the reference
// data cannot be read now.
func (s *Service) PlaceName(ctx context.Context, lang, code string) string {
	n := s.Places.load(ctx)[code]
	if lang == "en" {
		return n.en
	}
	return n.zh
}

// check refuses a filter's zone or province that is none (path prefixes
// the field's name): a search on it found nothing and said nothing, and a
// saved search on it never alerted (a probe). Errors: validation_failed.
func (p *Places) check(ctx context.Context, f domain.SearchFilters, path string) error {
	var v domain.Validation
	p.checkInto(ctx, &v, f, path)
	return v.Err()
}

// checkInto is check adding to v (a field's earlier fault stays).
func (p *Places) checkInto(ctx context.Context, v *domain.Validation, f domain.SearchFilters, path string) {
	if f.Zone == "" && f.Province == "" {
		return
	}
	names := p.load(ctx)
	if names == nil {
		return
	}
	zone, zoneKnown := names[f.Zone]
	prov, provKnown := names[f.Province]
	v.Check(f.Zone == "" || zoneKnown && !zone.province, path+"zone", "unknown zone")
	v.Check(f.Province == "" || provKnown && prov.province, path+"province", "unknown province")
}

// load returns the names, reading them if need be; nil when they cannot be
// read now (or p is nil: a Service built without reference data).
func (p *Places) load(ctx context.Context) map[string]placeName {
	if p == nil {
		return nil
	}
	p.mu.Lock()
	names, wait := p.names, time.Since(p.failedAt) < placesRetry
	p.mu.Unlock()
	if names != nil || wait {
		return names
	}
	ctx, cancel := context.WithTimeout(ctx, placesWait)
	defer cancel()
	zs, err := p.store.Zones(ctx, "")
	var ps []domain.Province
	if err == nil {
		ps, err = p.store.Provinces(ctx)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if err != nil {
		p.failedAt = time.Now()
		return nil
	}
	names = map[string]placeName{}
	for _, z := range zs {
		names[z.Code] = placeName{zh: z.NameZh, en: z.NameEn}
	}
	for _, pr := range ps {
		names[pr.Code] = placeName{zh: pr.NameZh, en: pr.NameEn, province: true}
	}
	p.names = names
	return names
}
