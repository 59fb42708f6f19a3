package domain

import "time"

// Notification is an in-app message to one user.
type Notification struct {
	ID        string     `json:"id"`
	UserID    string     `json:"-"`
	Kind      string     `json:"kind"`
	Title     string     `json:"title"`
	Body      string     `json:"body"`
	Link      string     `json:"link"`
	ReadAt    *time.Time `json:"read_at"`
	CreatedAt time.Time  `json:"created_at"`
}

// SavedSearch is a graduate's stored query with filters.
type SavedSearch struct {
	ID      string        `json:"id"`
	UserID  string        `json:"-"`
	Name    string        `json:"name"`
	Q       string        `json:"q"`
	Filters SearchFilters `json:"filters"`
	// AlertFrequency is how its alerts are mailed: immediate, daily or
	// weekly (a digest). Empty when creating: the user's default.
	AlertFrequency string `json:"alert_frequency"`
	// MailAlerts is whether its alerts are mailed at all (off: after its
	// unsubscribe link, or set so on the site or with alert_frequency off).
	MailAlerts bool      `json:"mail_alerts"`
	CreatedAt  time.Time `json:"created_at"`
}

// SearchFilters are the filters a saved search keeps.
type SearchFilters struct {
	Zone         string `json:"zone,omitempty"`
	Province     string `json:"province,omitempty"`
	Industry     string `json:"industry,omitempty"`
	Degree       string `json:"degree,omitempty"`
	EmployerType string `json:"employer_type,omitempty"`
	City         string `json:"city,omitempty"`
}

// Query returns the saved search as a search on day today.
func (s SavedSearch) Query(today Date) SearchQuery {
	f := s.Filters
	return SearchQuery{Q: s.Q, Zone: f.Zone, Province: f.Province, Industry: f.Industry, Degree: f.Degree,
		EmployerType: f.EmployerType, City: f.City, Page: 1, PerPage: 20, Today: today}
}

// ValidateFilters checks filter values against the fixed lists.
func (f SearchFilters) Validate(v *Validation) {
	v.Check(f.Industry == "" || OneOf(f.Industry, IndustryCodes()), "industry", "unknown industry")
	v.Check(f.Degree == "" || OneOf(f.Degree, Degrees), "degree", "unknown degree")
	v.Check(f.EmployerType == "" || OneOf(f.EmployerType, EmployerTypes), "employer_type", "unknown employer type")
	v.Check(f.Province == "" || len(f.Province) == 2, "province", "must be a two-digit province code")
	v.Check(len(f.Zone) <= 64, "zone", "too long")
	v.Check(len([]rune(f.City)) <= 50, "city", "too long")
}
