package domain

import (
	"errors"
	"slices"
	"strconv"
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

// LocalTimes are the interview's start and end as a mail writes them, in
// Shanghai: the end as a time of day, with its date when the interview
// runs past midnight (a mail audit read "23:30–00:15" for one).
func (iv Interview) LocalTimes() (start, end string) { return LocalRange(iv.StartsAt, iv.EndsAt) }

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
	return in.parseAs("interview", now)
}

// parseAs is Parse with the request's name of the appointment as the
// fields' prefix (`interview`, `interview_slots[2]`).
func (in InterviewInput) parseAs(name string, now time.Time) (Interview, error) {
	var v Validation
	loc := strings.TrimSpace(in.Location)
	link := strings.TrimSpace(in.OnlineURL)
	start, err1 := time.Parse(time.RFC3339, strings.TrimSpace(in.StartsAt))
	end, err2 := time.Parse(time.RFC3339, strings.TrimSpace(in.EndsAt))
	switch {
	case strings.TrimSpace(in.StartsAt) == "":
		v.Add(name+".starts_at", "is required")
	case err1 != nil:
		v.Add(name+".starts_at", ReasonDateTime)
	case start.Before(now.Add(-time.Minute)):
		v.Add(name+".starts_at", "must not be in the past")
	case start.After(now.Add(MaxInterviewAhead)):
		v.Add(name+".starts_at", "must be within a year")
	}
	switch {
	case strings.TrimSpace(in.EndsAt) == "":
		v.Add(name+".ends_at", "is required")
	case err2 != nil:
		v.Add(name+".ends_at", ReasonDateTime)
	case err1 == nil && !end.After(start):
		v.Add(name+".ends_at", "must be after starts_at")
	case err1 == nil && end.Sub(start) > MaxInterviewLength:
		v.Add(name+".ends_at", "an interview lasts at most 12 hours")
	}
	v.Line(&loc, 0, 200, name+".location", ReasonOneLine200)
	if link != "" {
		v.Check(WebLink(link), name+".online_url", "must be an http(s) link")
	}
	if err := v.Err(); err != nil {
		return Interview{}, err
	}
	// Whole seconds in UTC: what Postgres keeps and a calendar can say.
	return Interview{StartsAt: start.UTC().Truncate(time.Second), EndsAt: end.UTC().Truncate(time.Second),
		Location: loc, OnlineURL: link}, nil
}

// InterviewSlot is one time an employer offers for an interview; the
// graduate picks one, which becomes the application's interview.
type InterviewSlot struct {
	ID        string    `json:"id"`
	StartsAt  time.Time `json:"starts_at"`
	EndsAt    time.Time `json:"ends_at"`
	Location  string    `json:"location,omitempty"`
	OnlineURL string    `json:"online_url,omitempty"`
	// Picked: this is the time the graduate chose.
	Picked bool `json:"picked"`
}

// MaxInterviewSlots bounds the times offered with one move.
const MaxInterviewSlots = 10

// Overlaps reports whether two appointments share time; one ending as the
// other starts does not.
func (a Interview) Overlaps(b Interview) bool {
	return a.StartsAt.Before(b.EndsAt) && b.StartsAt.Before(a.EndsAt)
}

// ParseSlots validates the times an employer offers (`interview_slots`):
// 1 to MaxInterviewSlots, each an appointment as Parse checks it, no two
// overlapping. Errors: validation_failed on `interview_slots` or
// `interview_slots[i].…`.
func ParseSlots(in []InterviewInput, now time.Time) ([]Interview, error) {
	if len(in) == 0 || len(in) > MaxInterviewSlots {
		return nil, FieldError("interview_slots", "must list 1 to 10 times")
	}
	out := make([]Interview, 0, len(in))
	var v Validation
	for i, s := range in {
		name := "interview_slots[" + strconv.Itoa(i) + "]"
		iv, err := s.parseAs(name, now)
		var de *Error
		if errors.As(err, &de) {
			for k, r := range de.Fields {
				v.Add(k, r)
			}
			continue
		}
		if slices.ContainsFunc(out, iv.Overlaps) {
			v.Add(name+".starts_at", "must not overlap the other times")
			continue
		}
		out = append(out, iv)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// LinkPickInterview is the purpose of a mailed link that picks one offered
// interview time without signing in. Its subject is the slot's ID; it
// expires when the time starts (a past time cannot be picked anyway).
const LinkPickInterview = "interview-pick"

// MaxOfferedOnSite bounds the times the site's form offers at once (the API
// takes up to MaxInterviewSlots).
const MaxOfferedOnSite = 5

// SlotLink is what a mailed pick link names: the offered time, the
// application it belongs to and whose it is. Picked tells whether a time
// was already chosen for that application, which uses up every pick link
// of the offer: each link acts once.
type SlotLink struct {
	Slot          InterviewSlot
	ApplicationID string
	GraduateID    string
	Status        string
	OpeningTitle  string
	EmployerName  string
	Picked        bool
}

// MailSlot is one offered time as a status mail lists it. Link is made at
// send time (the stored mail job holds no token).
type MailSlot struct {
	ID        string `json:"id"`
	StartsAt  string `json:"starts_at"`
	EndsAt    string `json:"ends_at,omitempty"` // absent in a mail queued before it was kept
	When      string `json:"when"`
	Location  string `json:"location,omitempty"`
	OnlineURL string `json:"online_url,omitempty"`
	Link      string `json:"link,omitempty"`
}

// SlotsMailData encodes the times still open to pick for a mail job's data
// (strings only); none gives "".
func SlotsMailData(slots []InterviewSlot) string {
	var out []MailSlot
	for _, s := range slots {
		if s.Picked {
			continue
		}
		start, end := LocalRange(s.StartsAt, s.EndsAt) // past midnight the end with its date
		out = append(out, MailSlot{ID: s.ID, StartsAt: s.StartsAt.UTC().Format(time.RFC3339), EndsAt: s.EndsAt.UTC().Format(time.RFC3339),
			When: start + "–" + end, Location: s.Location, OnlineURL: s.OnlineURL})
	}
	return SlotsMailDataOf(out)
}

// SlotsMailDataOf encodes mail slots as SlotsMailData does; none gives "".
func SlotsMailDataOf(slots []MailSlot) string {
	if len(slots) == 0 {
		return ""
	}
	return listData(slots)
}

// MailSlots decodes SlotsMailData; bad input gives no slots.
func MailSlots(s string) []MailSlot { return dataList[MailSlot](s) }
