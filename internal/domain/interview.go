package domain

import (
	"net/url"
	"strings"
	"time"
)

// Interview is the appointment an employer gives when it moves an
// application to `interview` (contract, second round): it is stored with
// the application, shown on it, and mailed to the graduate with a calendar
// invitation. Times are instants (stored and sent in UTC); pages show them
// in Asia/Shanghai.
type Interview struct {
	StartsAt  time.Time `json:"starts_at"`
	EndsAt    time.Time `json:"ends_at"`
	Location  string    `json:"location,omitempty"`
	OnlineURL string    `json:"online_url,omitempty"`
	// Sequence is the calendar entry's revision (RFC 5545 SEQUENCE): 0 for
	// the first invitation, one more for each change or cancellation.
	Sequence int `json:"-"`
}

// InterviewInput is an interview as a door received it: times as text, so
// a malformed time is a field error (422) rather than a malformed body.
type InterviewInput struct {
	StartsAt  string `json:"starts_at"`
	EndsAt    string `json:"ends_at"`
	Location  string `json:"location"`
	OnlineURL string `json:"online_url"`
}

// Interview limits: an interview is a meeting of hours, arranged at most a
// year ahead.
const (
	MaxInterviewLength = 12 * time.Hour
	MaxInterviewAhead  = 366 * 24 * time.Hour
)

// Parse validates the input at time now. Field names are those of the
// request (`interview.starts_at`, …). Errors: validation_failed.
func (in InterviewInput) Parse(now time.Time) (Interview, error) {
	var v Validation
	loc := strings.TrimSpace(in.Location)
	link := strings.TrimSpace(in.OnlineURL)
	start, err1 := time.Parse(time.RFC3339, strings.TrimSpace(in.StartsAt))
	end, err2 := time.Parse(time.RFC3339, strings.TrimSpace(in.EndsAt))
	switch {
	case strings.TrimSpace(in.StartsAt) == "":
		v.Add("interview.starts_at", "is required")
	case err1 != nil:
		v.Add("interview.starts_at", "must be an RFC 3339 time")
	case start.Before(now.Add(-time.Minute)):
		v.Add("interview.starts_at", "must not be in the past")
	case start.After(now.Add(MaxInterviewAhead)):
		v.Add("interview.starts_at", "must be within a year")
	}
	switch {
	case strings.TrimSpace(in.EndsAt) == "":
		v.Add("interview.ends_at", "is required")
	case err2 != nil:
		v.Add("interview.ends_at", "must be an RFC 3339 time")
	case err1 == nil && !end.After(start):
		v.Add("interview.ends_at", "must be after starts_at")
	case err1 == nil && end.Sub(start) > MaxInterviewLength:
		v.Add("interview.ends_at", "an interview lasts at most 12 hours")
	}
	v.Check(textOK(loc, 0, 200), "interview.location", "must be at most 200 characters")
	if link != "" {
		u, err := url.Parse(link)
		v.Check(err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && len(link) <= 500,
			"interview.online_url", "must be an http(s) link")
	}
	if err := v.Err(); err != nil {
		return Interview{}, err
	}
	// Whole seconds in UTC: what Postgres keeps and a calendar can say.
	return Interview{StartsAt: start.UTC().Truncate(time.Second), EndsAt: end.UTC().Truncate(time.Second),
		Location: loc, OnlineURL: link}, nil
}
