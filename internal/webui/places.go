package webui

import (
	"context"
	"sync"
)

// places names zones and provinces in the reader's language. The names are
// reference data (migrations load them; nothing changes them while the site
// runs), so they are read once, on first use; a failed read is tried again
// at the next page.
type places struct {
	mu sync.Mutex
	en map[string]string // code → English name, zones and provinces alike
	zh map[string]string
}

// load reads the names unless they are already read.
func (p *places) load(ctx context.Context, s *Site) (en, zh map[string]string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.en != nil {
		return p.en, p.zh
	}
	if s.App == nil { // pages rendered without the use cases (the view tests)
		return nil, nil
	}
	zones, err := s.App.Zones(ctx, "")
	if err != nil {
		return nil, nil
	}
	provinces, err := s.App.Provinces(ctx)
	if err != nil {
		return nil, nil
	}
	en, zh = map[string]string{}, map[string]string{}
	for _, z := range zones {
		en[z.Code], zh[z.Code] = z.NameEn, z.NameZh
	}
	for _, pr := range provinces {
		en[pr.Code], zh[pr.Code] = pr.NameEn, pr.NameZh
	}
	p.en, p.zh = en, zh
	return en, zh
}

// placeName is the zone's or province's name in lang; the Chinese name the page
// already holds when the code is unknown or has no English name.
func (s *Site) placeName(lang, code, nameZh string) string {
	en, zh := s.places.load(context.Background(), s)
	if lang == "en" && en[code] != "" {
		return en[code]
	}
	if nameZh == "" {
		return zh[code]
	}
	return nameZh
}
