package webui

import "context"

// placeName is the zone's or province's name in lang; the Chinese name the page
// already holds when the code is unknown or has no English name. The names
// come from the use cases' one reference-data cache (app.Places).
func (s *Site) placeName(lang, code, nameZh string) string {
	if s.App == nil { // pages rendered without the use cases (the view tests)
		return nameZh
	}
	ctx := context.Background()
	if lang == "en" {
		if en := s.App.PlaceName(ctx, "en", code); en != "" {
			return en
		}
	}
	if nameZh == "" {
		return s.App.PlaceName(ctx, "zh", code)
	}
	return nameZh
}
