package domain

import (
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// Event is a recruitment week, livestream or job fair run by zone staff.
type Event struct {
	ID       string `json:"id"`
	Kind     string `json:"kind"`
	Title    string `json:"title"`
	ZoneCode string `json:"zone_code"`
	ZoneName string `json:"zone_name"`
	// ZoneNameEn is the zone's English name, for the English half of its mail.
	ZoneNameEn   string    `json:"-"`
	ProvinceCode string    `json:"province_code"`
	Campaign     *string   `json:"campaign"`
	StartsAt     time.Time `json:"starts_at"`
	EndsAt       time.Time `json:"ends_at"`
	Description  string    `json:"description"`
	// Location is where it takes place (a hall, an address); empty for a
	// livestream.
	Location  string  `json:"location"`
	StreamURL *string `json:"stream_url"`
	// Capacity is how many may register (a hall's seats); nil is no limit.
	Capacity *int `json:"capacity"`
	// TrackingCode and TrackedLink are shown to staff of the event's zone
	// only (HideTracking); elsewhere they are empty and left out.
	TrackingCode string    `json:"tracking_code,omitempty"`
	TrackedLink  string    `json:"tracked_link,omitempty"`
	CreatedAt    time.Time `json:"created_at"`
	// Status is EventScheduled or EventCancelled; CancelledAt and
	// CancelReason say when and why staff cancelled it.
	Status       string     `json:"status"`
	CancelledAt  *time.Time `json:"cancelled_at"`
	CancelReason string     `json:"cancel_reason,omitempty"`
	// Sequence counts the changes of its time or place: a calendar entry
	// (its .ics) with a higher one replaces the entry a graduate holds.
	Sequence int            `json:"-"`
	Stats    EventStats     `json:"stats"`
	Openings []EventOpening `json:"openings,omitempty"`
	// Registration is the caller's own registration (graduates).
	Registration *Registration `json:"registration,omitempty"`
	// Waitlist is the caller's own place on the waitlist (graduates).
	Waitlist *WaitlistPlace `json:"waitlist,omitempty"`
}

// The states of an event.
const (
	EventScheduled = "scheduled"
	EventCancelled = "cancelled"
)

// Cancelled reports whether staff cancelled the event.
func (e Event) Cancelled() bool { return e.CancelledAt != nil }

// ErrEventCancelled refuses what a cancelled event no longer takes:
// registrations, check-ins, openings, changes. It is shared: never add
// Fields to it.
var ErrEventCancelled = Errorf(CodeInvalidState, "this event was cancelled")

// Live refuses what an event cancelled or over at now no longer takes
// (409 invalid_state): registrations, openings and changes; its figures
// were made with what it was.
func (e Event) Live(now time.Time) error {
	switch {
	case e.Cancelled():
		return ErrEventCancelled
	case e.Over(now):
		return Errorf(CodeInvalidState, "this event is over")
	}
	return nil
}

// Correctable refuses a change or a cancellation of the event (409
// invalid_state): cancelled, or over once anyone took part in it (its
// figures were made with what it was). An event over that no one took
// part in is a record still being written (a wrong year picked in the date
// picker, a walk): it can still be put right or cancelled.
func (e Event) Correctable(now time.Time, tookPart bool) error {
	if e.Over(now) && !e.Cancelled() && !tookPart {
		return nil
	}
	return e.Live(now)
}

// TookPart reports whether anyone registered, waited for a place or
// applied through the event.
func (s EventStats) TookPart() bool { return s.Registrations+s.Waitlisted+s.Applications > 0 }

// Full reports whether the event's places are all taken.
func (e Event) Full() bool { return e.Capacity != nil && e.Stats.Registrations >= int64(*e.Capacity) }

// Places is the capacity, 0 for no limit.
func (e Event) Places() int {
	if e.Capacity == nil {
		return 0
	}
	return *e.Capacity
}

// PlacesLeft is how many may still register (0 when full); only for an
// event with a capacity.
func (e Event) PlacesLeft() int64 {
	if e.Capacity == nil {
		return 0
	}
	return max(0, int64(*e.Capacity)-e.Stats.Registrations)
}

// A waitlist holds as many as the event has places, at least
// MinWaitlist and at most MaxWaitlist: places come free only by
// withdrawals, so a longer list would promise what will not come.
const (
	MinWaitlist = 10
	MaxWaitlist = 1000
)

// WaitlistLength is how many the event's waitlist may hold.
func (e Event) WaitlistLength() int64 { return int64(min(max(e.Places(), MinWaitlist), MaxWaitlist)) }

// WaitlistHasRoom reports whether the list has room for one more beside
// the others waiting.
func (e Event) WaitlistHasRoom(others int64) bool { return others < e.WaitlistLength() }

// WaitlistFull reports whether a full event's waitlist takes no one more.
func (e Event) WaitlistFull() bool { return e.Full() && !e.WaitlistHasRoom(e.Stats.Waitlisted) }

// ErrWaitlistFull refuses a place on a waitlist that holds all it may
// (409 event_full).
var ErrWaitlistFull = Errorf(CodeEventFull, "every place of this event is taken, and its waitlist is full too")

// ErrEventFull refuses a registration once every place is taken (409).
var ErrEventFull = Errorf(CodeEventFull, "every place of this event is taken; you may join its waitlist")

// ErrEventFullWaiting refuses the registration of a graduate on the full
// event's waitlist already (409 event_full): their place in line stays.
var ErrEventFullWaiting = Errorf(CodeEventFull, "every place of this event is taken; you are on its waitlist, and a place freed goes to the first in line")

// WaitlistPlace is a graduate's place on the waitlist of a full event. A
// place freed (a withdrawal, an erased account, more capacity) goes to the
// first on the list at once: they are registered and sent the
// confirmation, as if they had registered then. Position 1 is the next.
type WaitlistPlace struct {
	EventID   string    `json:"event_id"`
	Position  int64     `json:"position"`
	CreatedAt time.Time `json:"created_at"`
}

// ErrPlacesFree refuses a place on the waitlist of an event that has
// places left, or no limit: the graduate registers instead (409).
var ErrPlacesFree = Errorf(CodeInvalidState, "this event has places left: register instead of joining its waitlist")

// MaxEventCapacity bounds an event's capacity.
const MaxEventCapacity = 100000

// ReasonCapacity refuses a capacity out of range.
const ReasonCapacity = "must be a whole number from 1 to 100000, or 0 for no limit"

// Over reports whether the event has ended at now: nobody registers for it
// any more (a registration would be mailed for nothing and count in its
// figures).
func (e Event) Over(now time.Time) bool { return !e.EndsAt.After(now) }

// OnNow reports whether the event is under way at now (started, not
// ended, not cancelled): the list and its page say so.
func (e Event) OnNow(now time.Time) bool {
	return !e.Cancelled() && !e.StartsAt.After(now) && !e.Over(now)
}

// EventStats are the event's funnel: page views → opening clicks →
// applications → offers → placements, with registrations and check-ins.
type EventStats struct {
	Openings      int64 `json:"openings"`
	Registrations int64 `json:"registrations"`
	// Waitlisted are those waiting for a place of the full event.
	Waitlisted int64 `json:"waitlisted"`
	// RegistrationsMailable are the registered graduates whose address is
	// verified: those an event's change or cancellation is mailed to.
	RegistrationsMailable int64 `json:"registrations_mailable"`
	CheckIns              int64 `json:"check_ins"`
	PageViews             int64 `json:"page_views"`
	OpeningClicks         int64 `json:"opening_clicks"`
	Applications          int64 `json:"applications"`
	Offers                int64 `json:"offers"`
	Placements            int64 `json:"placements"`
}

// EventOpening is an opening listed at an event.
type EventOpening struct {
	OpeningID string `json:"opening_id"`
	Title     string `json:"title"`
	Employer  string `json:"employer_name"`
	Pinned    bool   `json:"pinned"`
	Clicks    int64  `json:"clicks"`
}

// ListedAt is an event, neither over nor cancelled, that lists one of an
// employer's openings: the employer's desk shows it beside the opening.
type ListedAt struct {
	OpeningID string
	EventID   string
	Title     string
	StartsAt  time.Time
}

// Registration is a graduate's registration for an event.
type Registration struct {
	EventID     string     `json:"event_id"`
	GraduateID  string     `json:"graduate_id"`
	CheckinCode string     `json:"checkin_code"`
	CheckedInAt *time.Time `json:"checked_in_at"`
	CreatedAt   time.Time  `json:"created_at"`
	// GraduateName and Already come with a check-in: who it was, and
	// whether they had been checked in before (at CheckedInAt).
	GraduateName string `json:"graduate_name,omitempty"`
	Already      bool   `json:"already,omitempty"`
}

// EventRegistrant is one registration as the event's staff see it (its
// registrant list): who, from where, whether the platform's mail reaches
// them, and whether they came. No address or phone: the list is for the
// door and the attendance record, not for contacting people outside the
// platform.
type EventRegistrant struct {
	GraduateID     string `json:"graduate_id"`
	Name           string `json:"name"`
	University     string `json:"university"`
	Degree         string `json:"degree"`
	Major          string `json:"major"`
	GraduationYear int    `json:"graduation_year"`
	EmailVerified  bool   `json:"email_verified"`
	// MailRefused: the address's server refused the site's mail for good
	// (Me.MailRefused), so the event's mails do not reach them.
	MailRefused  bool       `json:"mail_refused,omitempty"`
	RegisteredAt time.Time  `json:"registered_at"`
	CheckedInAt  *time.Time `json:"checked_in_at"`
}

// RegistrantFilter narrows an event's registrant list: Q is a part of a
// name (the door finding someone who lost their code); CheckedIn "yes" or
// "no" keeps those who came or did not.
type RegistrantFilter struct {
	Q         string
	CheckedIn string
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
	Location    string  `json:"location"`
	StreamURL   *string `json:"stream_url"`
	// Capacity limits the registrations; nil or 0 is no limit.
	Capacity *int `json:"capacity"`
}

// Validate checks the input and returns the parsed times.
func (in *EventInput) Validate(now time.Time) (time.Time, time.Time, error) {
	in.Title = Tidy(in.Title)
	in.Campaign = Tidy(in.Campaign)
	in.Location = Tidy(in.Location)
	// A form's textarea sends CRLF: the same text saved from the site and
	// the API must compare equal (an edit is told by what changed).
	in.Description = strings.ReplaceAll(in.Description, "\r\n", "\n")
	var v Validation
	v.Check(OneOf(in.Kind, EventKinds), "kind", "must be recruitment_week, livestream or job_fair")
	v.Line(&in.Title, 2, 100, "title", "must be one line of 2 to 100 characters")
	v.Check(in.ZoneCode != "", "zone_code", "is required")
	v.Text(&in.Description, 0, 5000, "description", "must be at most 5000 characters")
	if in.Campaign != "" { // a tag on the event's page: one line that shows (a security probe: bidi, zero-width, CR/LF)
		v.Line(&in.Campaign, 1, 100, "campaign", "must be one line of 1 to 100 characters")
	}
	v.Line(&in.Location, 0, 200, "location", ReasonOneLine200)
	// A time not given is required (a staff walk read the RFC 3339 example
	// beside an empty date picker); one given wrong gets the example.
	v.Check(in.StartsAt != "", "starts_at", "is required")
	v.Check(in.EndsAt != "", "ends_at", "is required")
	start, err1 := time.Parse(time.RFC3339, in.StartsAt)
	end, err2 := time.Parse(time.RFC3339, in.EndsAt)
	v.Check(err1 == nil, "starts_at", ReasonDateTime)
	v.Check(err2 == nil, "ends_at", ReasonDateTime)
	if err1 == nil && err2 == nil {
		v.Check(!start.Before(now.AddDate(-1, 0, 0)) && !start.After(now.AddDate(2, 0, 0)), "starts_at", ReasonEventStart)
		v.Check(end.After(start), "ends_at", "must be after starts_at")
		v.Check(end.Sub(start) <= 62*24*time.Hour, "ends_at", "an event lasts at most 62 days")
	}
	if in.StreamURL != nil && *in.StreamURL != "" {
		v.Check(WebLink(*in.StreamURL), "stream_url", "must be an http(s) link")
	} else {
		in.StreamURL = nil
	}
	if in.Capacity != nil {
		v.Check(*in.Capacity >= 0 && *in.Capacity <= MaxEventCapacity, "capacity", ReasonCapacity)
		if *in.Capacity == 0 {
			in.Capacity = nil
		}
	}
	return start, end, v.Err()
}

// EventPatch is what zone staff send to change an event: the fields sent
// replace the event's. Its kind and zone stay.
type EventPatch struct {
	// Kind and ZoneCode cannot change: sent with another value, they are
	// refused (another kind or zone is another event).
	Kind        *string `json:"kind"`
	ZoneCode    *string `json:"zone_code"`
	Title       *string `json:"title"`
	Campaign    *string `json:"campaign"`
	StartsAt    *string `json:"starts_at"`
	EndsAt      *string `json:"ends_at"`
	Description *string `json:"description"`
	Location    *string `json:"location"`
	// StreamURL and Capacity may be sent as null, which leaves them (the
	// tag null:"keeps"; the API refuses null for the other fields).
	StreamURL *string `json:"stream_url" null:"keeps"`
	// Capacity replaces the limit; 0 removes it. It may not fall below the
	// registrations made (Check).
	Capacity *int `json:"capacity" null:"keeps"`
}

// Input is e with the patch applied, to validate as a new event is. The
// times keep their fractions of a second: a time the patch leaves is not
// moved by being written out.
func (p EventPatch) Input(e Event) EventInput {
	in := EventInput{Kind: e.Kind, Title: e.Title, ZoneCode: e.ZoneCode, StartsAt: e.StartsAt.Format(time.RFC3339Nano),
		EndsAt: e.EndsAt.Format(time.RFC3339Nano), Description: e.Description, Location: e.Location, StreamURL: e.StreamURL, Capacity: e.Capacity}
	if e.Campaign != nil {
		in.Campaign = *e.Campaign
	}
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&in.Title, p.Title)
	set(&in.Campaign, p.Campaign)
	set(&in.StartsAt, p.StartsAt)
	set(&in.EndsAt, p.EndsAt)
	set(&in.Description, p.Description)
	set(&in.Location, p.Location)
	if p.StreamURL != nil {
		in.StreamURL = p.StreamURL
	}
	if p.Capacity != nil {
		in.Capacity = p.Capacity
	}
	return in
}

// Check refuses what a patch of e may not do: change its kind or zone, or
// move it to end before now (a slip of the month would mail those
// registered a past date and leave an event over, which no edit can mend;
// a past event is recorded as a new one).
func (p EventPatch) Check(e Event, end, now time.Time) error {
	var v Validation
	v.Check(p.Kind == nil || *p.Kind == e.Kind, "kind", ReasonKindStays)
	v.Check(p.ZoneCode == nil || *p.ZoneCode == e.ZoneCode, "zone_code", ReasonZoneStays)
	v.Check(end.Equal(e.EndsAt) || end.After(now), "ends_at", ReasonEventMovedPast)
	// e.Stats.Registrations: the registrations made (the store counts them).
	v.Check(p.Capacity == nil || *p.Capacity == 0 || int64(*p.Capacity) >= e.Stats.Registrations, "capacity", ReasonCapacityBelowRegistrations)
	return v.Err()
}

// Reasons a patch of an event is refused (EventPatch.Check).
const (
	ReasonKindStays      = "cannot change: another kind is another event"
	ReasonZoneStays      = "cannot change: an event stays in its zone"
	ReasonEventMovedPast = "an event you move must end after now"
	// ReasonCapacityBelowRegistrations: nobody registered loses a place.
	ReasonCapacityBelowRegistrations = "cannot be below the registrations already made"
)

// EventReminderLead is how long before its start an event's reminder goes
// out (the day before); a move to a start further away sends it again.
const EventReminderLead = 24 * time.Hour

// EventChange is what an edit changed of an event: the names of the
// fields, and whether its time or place moved (registered graduates are
// told, their calendar entry replaced, their reminder sent for the new day).
type EventChange struct {
	Fields []string
	Moved  bool
}

// ChangeOf compares an event before and after an edit.
func ChangeOf(before, after Event) EventChange {
	var ch EventChange
	diff := func(name string, changed, moves bool) {
		if changed {
			ch.Fields = append(ch.Fields, name)
			ch.Moved = ch.Moved || moves
		}
	}
	diff("title", before.Title != after.Title, false)
	diff("campaign", deref(before.Campaign) != deref(after.Campaign), false)
	diff("starts_at", !before.StartsAt.Equal(after.StartsAt), true)
	diff("ends_at", !before.EndsAt.Equal(after.EndsAt), true)
	diff("description", before.Description != after.Description, false)
	diff("location", before.Location != after.Location, true)
	diff("stream_url", deref(before.StreamURL) != deref(after.StreamURL), true)
	diff("capacity", before.Places() != after.Places(), false)
	return ch
}

// EventFieldValues are e's values of the named fields (ChangeOf's names),
// for the audit trail's before and after of an edit.
func EventFieldValues(e Event, fields []string) map[string]any {
	out := make(map[string]any, len(fields))
	for _, f := range fields {
		switch f {
		case "title":
			out[f] = e.Title
		case "campaign":
			out[f] = deref(e.Campaign)
		case "starts_at":
			out[f] = e.StartsAt.UTC().Format(time.RFC3339)
		case "ends_at":
			out[f] = e.EndsAt.UTC().Format(time.RFC3339)
		case "description":
			out[f] = e.Description
		case "location":
			out[f] = e.Location
		case "stream_url":
			out[f] = deref(e.StreamURL)
		case "capacity":
			out[f] = e.Places()
		}
	}
	return out
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// ValidateCancelReason checks the reason staff give for cancelling an
// event: registered graduates read it in their mail.
func ValidateCancelReason(reason string) (string, error) {
	// A form's CRLF counts as the one line break the browser counted.
	reason = strings.TrimSpace(strings.ReplaceAll(reason, "\r\n", "\n"))
	var v Validation
	v.Text(&reason, 2, 500, "reason", "must be 2 to 500 characters")
	return reason, v.Err()
}

// ReasonEventStart bounds when an event may start: a zone records one up to
// a year after it was held, and plans up to two years ahead; a start in
// 1970 or 9999 is a slip, shown on the public list.
const ReasonEventStart = "must be within a year before and two years after now"

// LinkEventCheckin is the purpose of a registration's check-in link, the
// one its QR code holds: zone staff scan it at the door.
const LinkEventCheckin = "event-checkin"

// CheckinLinkGrace is how long a check-in link works after its event ends:
// staff may record late scans of the last day.
const CheckinLinkGrace = 24 * time.Hour

// CheckInEarly is how long before its start an event takes check-ins:
// doors open early, but a code checked in days before would count
// attendance at a fair not yet held.
const CheckInEarly = 12 * time.Hour

// ReasonDateTime refuses a time that is not RFC 3339. It names an example:
// the English form said only "RFC 3339", which staff do not know.
const ReasonDateTime = "must be a date and time, such as 2026-12-05T14:00:00+08:00 (RFC 3339)"

// ReasonCheckInNotOpen refuses a check-in before CheckInEarly.
const ReasonCheckInNotOpen = "check-in opens 12 hours before the event starts"

// CheckInOpen refuses a check-in at now for an event starting at start
// while it is more than CheckInEarly away (409 invalid_state, naming
// starts_at). Afterwards it stays open: a zone may record a late sheet.
func CheckInOpen(start, now time.Time) error {
	if now.Before(start.Add(-CheckInEarly)) {
		return &Error{Code: CodeInvalidState, Message: "check-in has not opened yet",
			Fields: map[string]string{"starts_at": ReasonCheckInNotOpen}}
	}
	return nil
}

// CheckinSubject names the registration a check-in link is for.
func CheckinSubject(eventID, graduateID string) string { return eventID + ":" + graduateID }

// ParseCheckinSubject splits a check-in link's subject; ok is false for
// anything CheckinSubject did not make.
func ParseCheckinSubject(s string) (eventID, graduateID string, ok bool) {
	eventID, graduateID, ok = strings.Cut(s, ":")
	return eventID, graduateID, ok && eventID != "" && graduateID != ""
}

// MyEvent is one event a graduate registered for (我的活动), with the
// link its check-in QR code holds.
type MyEvent struct {
	Event        Event
	Registration Registration
	// CheckinURL is the absolute link staff scan; empty once it expired.
	CheckinURL string
}

// The states of a registration as the graduate sees it.
const (
	MyEventCancelled = "cancelled"
	MyEventUpcoming  = "upcoming"
	MyEventOngoing   = "ongoing"
	MyEventEnded     = "ended"
	MyEventCheckedIn = "checked_in"
)

// State is where the registration stands at now: the event cancelled,
// checked in, or the event's own upcoming, ongoing or ended.
func (m MyEvent) State(now time.Time) string {
	switch {
	case m.Event.Cancelled():
		return MyEventCancelled
	case m.Registration.CheckedInAt != nil:
		return MyEventCheckedIn
	case now.Before(m.Event.StartsAt):
		return MyEventUpcoming
	case now.Before(m.Event.EndsAt):
		return MyEventOngoing
	}
	return MyEventEnded
}

// Checkin is the outcome of a scanned check-in link.
type Checkin struct {
	EventID      string    `json:"event_id"`
	EventTitle   string    `json:"event_title"`
	GraduateID   string    `json:"graduate_id"`
	GraduateName string    `json:"graduate_name"`
	CheckedInAt  time.Time `json:"checked_in_at"`
	// Already: the graduate was checked in before this scan, at
	// CheckedInAt; nothing changed.
	Already bool `json:"already"`
}

// EventWasMailData is what a change mail says the event was (was_…),
// beside EventMailData of what it is now.
func EventWasMailData(before, after Event) map[string]string {
	start, end := LocalRange(before.StartsAt, before.EndsAt)
	d := map[string]string{"was_starts_local": start, "was_ends_local": end,
		"was_starts_at": before.StartsAt.UTC().Format(time.RFC3339), "was_ends_at": before.EndsAt.UTC().Format(time.RFC3339),
		"was_location": before.Location}
	// A new link alone said 原定 the time it still has (a walk): the link
	// it had is named, or that it had none.
	if deref(before.StreamURL) != deref(after.StreamURL) {
		d["was_stream_changed"], d["was_stream_url"] = "1", deref(before.StreamURL)
	}
	return d
}

// EventMailData is the data of an event's mails.
func EventMailData(e Event) map[string]string {
	start, end := LocalRange(e.StartsAt, e.EndsAt)
	d := map[string]string{"event_id": e.ID, "event_title": e.Title, "kind": e.Kind, "zone_name": e.ZoneName, "zone_name_en": e.ZoneNameEn, "location": e.Location,
		"starts_local": start,
		"ends_local":   end,
		"starts_at":    e.StartsAt.UTC().Format(time.RFC3339),
		"ends_at":      e.EndsAt.UTC().Format(time.RFC3339),
		"sequence":     strconv.Itoa(e.Sequence)}
	if e.StreamURL != nil {
		d["stream_url"] = *e.StreamURL
	}
	return d
}

// EventHit is who opened an event's page or clicked an opening there, as
// counted: a visitor (the client's address and browser) and the address,
// each a keyed hash. The funnel counts a visitor once a day for each
// opening and for the page, and at most EventHitsPerAddress hits of one
// address a day for an event: a campus watching a livestream behind one
// address counts, a loop of requests does not (a probe raised an opening's
// clicks from 0 to 100 with curl).
type EventHit struct {
	Visitor, Address string
}

// EventHitsPerAddress caps what one address counts for an event in a day.
const EventHitsPerAddress = 500

// HitNetwork is the address an event hit is counted by: an IPv4 address
// as it is, an IPv6 one by its /64, which one subscriber holds whole (a
// review: a loop over a /64 was a new address a request, and the cap did
// nothing).
func HitNetwork(addr string) string {
	a, err := netip.ParseAddr(addr)
	if err != nil {
		return addr
	}
	if a = a.Unmap(); a.Is4() {
		return a.String()
	}
	p, _ := a.Prefix(64)
	return p.String()
}
