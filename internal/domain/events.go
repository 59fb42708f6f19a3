package domain

import (
	"net/url"
	"strings"
	"time"
)

// Event is a recruitment week, livestream or job fair run by zone staff.
type Event struct {
	ID           string    `json:"id"`
	Kind         string    `json:"kind"`
	Title        string    `json:"title"`
	ZoneCode     string    `json:"zone_code"`
	ZoneName     string    `json:"zone_name"`
	ProvinceCode string    `json:"province_code"`
	Campaign     *string   `json:"campaign"`
	StartsAt     time.Time `json:"starts_at"`
	EndsAt       time.Time `json:"ends_at"`
	Description  string    `json:"description"`
	StreamURL    *string   `json:"stream_url"`
	// TrackingCode and TrackedLink are shown to staff of the event's zone
	// only (HideTracking); elsewhere they are empty and left out.
	TrackingCode string         `json:"tracking_code,omitempty"`
	TrackedLink  string         `json:"tracked_link,omitempty"`
	CreatedAt    time.Time      `json:"created_at"`
	Stats        EventStats     `json:"stats"`
	Openings     []EventOpening `json:"openings,omitempty"`
	// Registration is the caller's own registration (graduates).
	Registration *Registration `json:"registration,omitempty"`
}

// EventStats are the event's funnel: page views → opening clicks →
// applications → offers → placements, with registrations and check-ins.
type EventStats struct {
	Openings      int64 `json:"openings"`
	Registrations int64 `json:"registrations"`
	CheckIns      int64 `json:"check_ins"`
	PageViews     int64 `json:"page_views"`
	OpeningClicks int64 `json:"opening_clicks"`
	Applications  int64 `json:"applications"`
	Offers        int64 `json:"offers"`
	Placements    int64 `json:"placements"`
}

// EventOpening is an opening listed at an event.
type EventOpening struct {
	OpeningID string `json:"opening_id"`
	Title     string `json:"title"`
	Employer  string `json:"employer_name"`
	Pinned    bool   `json:"pinned"`
	Clicks    int64  `json:"clicks"`
}

// Registration is a graduate's registration for an event.
type Registration struct {
	EventID     string     `json:"event_id"`
	GraduateID  string     `json:"graduate_id"`
	CheckinCode string     `json:"checkin_code"`
	CheckedInAt *time.Time `json:"checked_in_at"`
	CreatedAt   time.Time  `json:"created_at"`
}

// EventInput is what zone staff send to create an event.
type EventInput struct {
	Kind        string  `json:"kind"`
	Title       string  `json:"title"`
	ZoneCode    string  `json:"zone_code"`
	Campaign    string  `json:"campaign"`
	StartsAt    string  `json:"starts_at"`
	EndsAt      string  `json:"ends_at"`
	Description string  `json:"description"`
	StreamURL   *string `json:"stream_url"`
}

// Validate checks the input and returns the parsed times.
func (in *EventInput) Validate() (time.Time, time.Time, error) {
	in.Title = strings.TrimSpace(in.Title)
	in.Campaign = strings.TrimSpace(in.Campaign)
	var v Validation
	v.Check(OneOf(in.Kind, EventKinds), "kind", "must be recruitment_week, livestream or job_fair")
	v.Check(textOK(in.Title, 2, 100), "title", "must be 2 to 100 characters")
	v.Check(in.ZoneCode != "", "zone_code", "is required")
	v.Check(textOK(in.Description, 0, 5000), "description", "must be at most 5000 characters")
	v.Check(len([]rune(in.Campaign)) <= 100, "campaign", "must be at most 100 characters")
	start, err1 := time.Parse(time.RFC3339, in.StartsAt)
	end, err2 := time.Parse(time.RFC3339, in.EndsAt)
	v.Check(err1 == nil, "starts_at", "must be an RFC 3339 time")
	v.Check(err2 == nil, "ends_at", "must be an RFC 3339 time")
	if err1 == nil && err2 == nil {
		v.Check(end.After(start), "ends_at", "must be after starts_at")
		v.Check(end.Sub(start) <= 62*24*time.Hour, "ends_at", "an event lasts at most two months")
	}
	if in.StreamURL != nil && *in.StreamURL != "" {
		u, err := url.Parse(*in.StreamURL)
		v.Check(err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && len(*in.StreamURL) <= 500, "stream_url", "must be an http(s) link")
	} else {
		in.StreamURL = nil
	}
	return start, end, v.Err()
}
