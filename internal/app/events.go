package app

// Job fairs: creating, listing openings at, registering, checking in and tracking.

import (
	"context"
	"time"
	"unicode/utf8"

	"github.com/gradzone/gradzone/internal/auth"
	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/ical"
	"github.com/gradzone/gradzone/internal/qr"
)

// AddEventOpenings lists published openings of the event's zone at the
// event. Errors: forbidden, not_found, validation_failed (naming each
// opening that is not a published opening of the zone).
func (s *Service) AddEventOpenings(ctx context.Context, c domain.Caller, eventID string, openingIDs []string, pinned bool) (domain.Event, error) {
	return hideTracking(c)(s.Store.AddEventOpenings(ctx, c, eventID, openingIDs, pinned))
}

// EventOpeningChoices pages through the openings the caller may add to an
// event of its zone, those whose title or employer's name holds q (at most
// 100 characters). Errors: forbidden, not_found, invalid_state,
// validation_failed.
func (s *Service) EventOpeningChoices(ctx context.Context, c domain.Caller, eventID, q string, p domain.Page) ([]domain.Opening, int64, error) {
	var v domain.Validation
	v.Check(utf8.RuneCountInString(q) <= 100, "q", "must be at most 100 characters")
	if err := v.Err(); err != nil {
		return nil, 0, err
	}
	return s.Store.EventOpeningChoices(ctx, c, eventID, q, p)
}

// RemoveEventOpening takes an opening off an event of the caller's zone
// that is not over. Errors: forbidden, not_found, invalid_state.
func (s *Service) RemoveEventOpening(ctx context.Context, c domain.Caller, eventID, openingID string) (domain.Event, error) {
	return hideTracking(c)(s.Store.RemoveEventOpening(ctx, c, eventID, openingID))
}

// CheckIn marks a registration attended by its check-in code. Zone staff of
// the event's zone only. Errors: forbidden, not_found.
func (s *Service) CheckIn(ctx context.Context, c domain.Caller, eventID, code string) (domain.Registration, error) {
	return s.Store.CheckIn(ctx, c, eventID, code)
}

// CreateEvent creates an event in the caller's zone. Errors: forbidden,
// not_found (another zone), validation_failed.
func (s *Service) CreateEvent(ctx context.Context, c domain.Caller, in domain.EventInput) (domain.Event, error) {
	return hideTracking(c)(s.Store.CreateEvent(ctx, c, in))
}

// UpdateEvent changes an event of the caller's zone that is neither over
// nor cancelled; a changed time or place is mailed to each registered
// graduate with the updated calendar entry. Errors: forbidden, not_found,
// invalid_state, validation_failed.
func (s *Service) UpdateEvent(ctx context.Context, c domain.Caller, eventID string, p domain.EventPatch) (domain.Event, error) {
	return hideTracking(c)(s.Store.UpdateEvent(ctx, c, eventID, p))
}

// CancelEvent cancels an event of the caller's zone that is neither over
// nor cancelled, and mails each registered graduate the reason; those
// waiting for a place get a site message (waitlistTold says how many).
// Errors: forbidden, not_found, invalid_state, validation_failed (reason).
func (s *Service) CancelEvent(ctx context.Context, c domain.Caller, eventID, reason string) (e domain.Event, waitlistTold int64, err error) {
	e, waitlistTold, err = s.Store.CancelEvent(ctx, c, eventID, reason)
	e, err = hideTracking(c)(e, err)
	return e, waitlistTold, err
}

// EventCalendar is event id's calendar entry for download (.ics, METHOD
// PUBLISH), for anyone: the same UID and sequence as the invitations its
// registered graduates are mailed, so either replaces the other; once
// cancelled, the entry says so. base is the site's public URL, lang the
// page's language (in English the zone's English name and the English
// page's link). Errors: not_found.
func (s *Service) EventCalendar(ctx context.Context, c domain.Caller, id, base, lang string) (cal []byte, name string, err error) {
	e, err := s.Store.Event(ctx, c, id)
	if err != nil {
		return nil, "", err
	}
	return ical.Build(EventInvite(e, base, ical.MethodPublish, s.MailFrom, lang)), domain.EventCalendarFilename(e.Title), nil
}

// Event returns an event with its openings and stats; events are public.
// A graduate also sees its own registration; only staff of the event's zone
// see its tracking code.
func (s *Service) Event(ctx context.Context, c domain.Caller, id string) (domain.Event, error) {
	return hideTracking(c)(s.Store.Event(ctx, c, id))
}

// Events lists events, soonest first; tracking codes and a graduate's own
// registrations as in Event.
func (s *Service) Events(ctx context.Context, c domain.Caller, f domain.EventFilter, p domain.Page) ([]domain.Event, int64, error) {
	// A zone that is none is a mistake to name, not an empty list (as in search).
	if err := s.Places.check(ctx, domain.SearchFilters{Zone: f.Zone, Province: f.Province}, ""); err != nil {
		return nil, 0, err
	}
	evs, total, err := s.Store.Events(ctx, c, f, p)
	for i := range evs {
		evs[i].HideTracking(c)
	}
	return evs, total, err
}

// hideTracking blanks the tracking code of an event c may not see it of.
func hideTracking(c domain.Caller) func(domain.Event, error) (domain.Event, error) {
	return func(e domain.Event, err error) (domain.Event, error) {
		e.HideTracking(c)
		return e, err
	}
}

// RegisterForEvent registers a graduate and issues a check-in code.
// Errors: forbidden, not_found, already_registered, invalid_state (the
// event is over or cancelled).
func (s *Service) RegisterForEvent(ctx context.Context, c domain.Caller, eventID string) (domain.Registration, error) {
	return s.Store.RegisterForEvent(ctx, c, eventID)
}

// JoinWaitlist puts the graduate on a full event's waitlist; joined is
// false when they were on it already. A place freed later goes to the
// first on the list, who is registered and mailed (Store.JoinWaitlist).
func (s *Service) JoinWaitlist(ctx context.Context, c domain.Caller, eventID string) (place domain.WaitlistPlace, joined bool, err error) {
	return s.Store.JoinWaitlist(ctx, c, eventID)
}

// LeaveWaitlist takes the graduate off an event's waitlist.
func (s *Service) LeaveWaitlist(ctx context.Context, c domain.Caller, eventID string) error {
	return s.Store.LeaveWaitlist(ctx, c, eventID)
}

// WithdrawRegistration takes back the caller's registration before
// check-in, while the event is neither over nor cancelled. Errors:
// forbidden, not_found, invalid_state.
func (s *Service) WithdrawRegistration(ctx context.Context, c domain.Caller, eventID string) error {
	return s.Store.WithdrawRegistration(ctx, c, eventID)
}

// TrackEventClick counts a click on an opening listed at an event, once
// a day for the request's visitor (domain.EventHit). Errors: not_found.
func (s *Service) TrackEventClick(ctx context.Context, eventID, openingID string) error {
	return s.Store.TrackEventClick(ctx, eventID, openingID, s.eventHit(ctx))
}

// TrackEventView counts a page view through the event's tracked link,
// once a day for the request's visitor, and returns the event ID. Errors:
// not_found.
func (s *Service) TrackEventView(ctx context.Context, trackingCode string) (string, error) {
	return s.Store.TrackEventView(ctx, trackingCode, s.eventHit(ctx))
}

// EventOfTrackedLink returns the ID of the event whose tracked link has
// trackingCode, counting no view. Errors: not_found.
func (s *Service) EventOfTrackedLink(ctx context.Context, trackingCode string) (string, error) {
	return s.Store.EventOfTrackedLink(ctx, trackingCode)
}

// eventHit names the request's client as the funnel counts it.
func (s *Service) eventHit(ctx context.Context) domain.EventHit {
	cl := domain.ClientOf(ctx)
	network := domain.HitNetwork(cl.Address)
	return domain.EventHit{Visitor: s.Links.Pseudonym("event-visitor", network+"\n"+cl.UserAgent),
		Address: s.Links.Pseudonym("event-address", network)}
}

// EventCheckinStore is what 我的活动 and QR check-in need from persistence.
type EventCheckinStore interface {
	// MyEvents lists the caller's registrations with their events, the
	// next first. Errors: forbidden (not a graduate).
	MyEvents(ctx context.Context, c domain.Caller) ([]domain.MyEvent, error)
	// MyWaitlists lists the events, neither over nor cancelled, whose
	// waitlist the caller is on, each with their place, the soonest first.
	// Errors: forbidden.
	MyWaitlists(ctx context.Context, c domain.Caller) ([]domain.Event, error)
	// EmployerListings lists the events, neither over nor cancelled, that
	// list the caller's employer's openings, the soonest first. Errors:
	// forbidden.
	EmployerListings(ctx context.Context, c domain.Caller) ([]domain.ListedAt, error)
	// CheckInRegistration checks the graduate in at the event, once: a
	// second call changes nothing and says Already. Staff whose scope
	// covers the event's zone only. Errors: forbidden, not_found.
	CheckInRegistration(ctx context.Context, c domain.Caller, eventID, graduateID string) (domain.Checkin, error)
}

// ErrBadCheckinLink answers a check-in link that is forged, altered,
// expired or names no registration: one answer for all.
var ErrBadCheckinLink = &domain.Error{Code: domain.CodeValidation, Message: "this check-in code is invalid or has expired",
	Fields: map[string]string{"token": domain.ReasonBadLink}}

// CheckinToken signs the token of a registration's check-in link: it names
// the event and the graduate, serves check-in only, and works until a day
// after the event ends.
func CheckinToken(l *auth.Links, eventID, graduateID string, eventEnds time.Time) string {
	return l.Sign(domain.LinkEventCheckin, domain.CheckinSubject(eventID, graduateID), eventEnds.Add(domain.CheckinLinkGrace))
}

// CheckinURL is the check-in link for token on the site at base: what the
// QR code holds and a phone camera opens.
func CheckinURL(base, token string) string {
	return tokenLink(base, "/checkin", token)
}

// CheckinQR draws a check-in link as a QR code (PNG).
func CheckinQR(link string) ([]byte, error) { return qr.PNG(link) }

// MyWaitlists lists the full events the graduate waits for a place at
// (我的活动), each with their place.
func (s *Service) MyWaitlists(ctx context.Context, c domain.Caller) ([]domain.Event, error) {
	evs, err := s.Store.MyWaitlists(ctx, c)
	for i := range evs {
		evs[i].HideTracking(c)
	}
	return evs, err
}

// EmployerListings lists the events to come that list the employer's
// openings (its desk shows each beside the opening).
func (s *Service) EmployerListings(ctx context.Context, c domain.Caller) ([]domain.ListedAt, error) {
	return s.Store.EmployerListings(ctx, c)
}

// MyEvents lists the graduate's registrations (我的活动), each with the
// check-in link for its QR code while the link works; base is the site's
// public URL. Errors: forbidden.
func (s *Service) MyEvents(ctx context.Context, c domain.Caller, base string) ([]domain.MyEvent, error) {
	evs, err := s.Store.MyEvents(ctx, c)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	for i, e := range evs {
		if s.Links != nil && now.Before(e.Event.EndsAt.Add(domain.CheckinLinkGrace)) {
			evs[i].CheckinURL = CheckinURL(base, CheckinToken(s.Links, e.Event.ID, c.UserID, e.Event.EndsAt))
		}
	}
	return evs, nil
}

// EventRegistrants is an event's registrant list for staff whose scope
// covers its zone (the door, the attendance record), by name. Errors:
// forbidden, not_found, validation_failed (q, checked_in).
func (s *Service) EventRegistrants(ctx context.Context, c domain.Caller, eventID string, f domain.RegistrantFilter, p domain.Page) ([]domain.EventRegistrant, int64, error) {
	var v domain.Validation
	v.Check(utf8.RuneCountInString(f.Q) <= 100, "q", "must be at most 100 characters")
	v.Check(f.CheckedIn == "" || f.CheckedIn == "yes" || f.CheckedIn == "no", "checked_in", "must be yes or no")
	if err := v.Err(); err != nil {
		return nil, 0, err
	}
	return s.Store.EventRegistrants(ctx, c, eventID, f, p)
}

// CheckInRegistrant checks in a registrant staff found on the list (one
// who lost both code and QR), as a scan of their code would.
// Errors: forbidden, not_found, invalid_state.
func (s *Service) CheckInRegistrant(ctx context.Context, c domain.Caller, eventID, graduateID string) (domain.Checkin, error) {
	ci, err := s.Store.CheckInRegistration(ctx, c, eventID, graduateID)
	if err == nil && !ci.Already {
		s.Log.Info("event check-in from the list", "event_id", eventID, "graduate_id", graduateID, "by", c.UserID)
	}
	return ci, err
}

// CheckInByLink checks in the graduate a scanned check-in link names.
// Only staff covering the event's zone may; the role is checked before the
// link, so a graduate or an employer learns nothing about a token.
// Errors: unauthenticated, forbidden, validation_failed (token).
func (s *Service) CheckInByLink(ctx context.Context, c domain.Caller, token string) (domain.Checkin, error) {
	ci, err := s.byCheckinLink(ctx, c, token, s.Store.CheckInRegistration)
	if err == nil && !ci.Already {
		s.Log.Info("event check-in", "event_id", ci.EventID, "graduate_id", ci.GraduateID, "by", c.UserID)
	}
	return ci, err
}

// CheckInLinkTarget reads whom a check-in link would check in, and
// whether they were already, changing nothing: the confirm page of a link
// not opened by a scan names them (a review: staff confirmed blind).
// Errors as CheckInByLink's.
func (s *Service) CheckInLinkTarget(ctx context.Context, c domain.Caller, token string) (domain.Checkin, error) {
	return s.byCheckinLink(ctx, c, token, s.Store.CheckInTarget)
}

// byCheckinLink checks the caller (signed-in staff, before the token: a
// graduate or an employer learns nothing of it), reads the registration
// the link names and does do with it. A registration or account gone since
// the link was made answers as a bad link. Errors: unauthenticated,
// forbidden, validation_failed, and do's.
func (s *Service) byCheckinLink(ctx context.Context, c domain.Caller, token string,
	do func(ctx context.Context, c domain.Caller, eventID, graduateID string) (domain.Checkin, error)) (domain.Checkin, error) {
	if !c.Signed() {
		return domain.Checkin{}, domain.ErrUnauthenticated
	}
	if !c.Role.IsStaff() {
		return domain.Checkin{}, domain.ErrForbidden
	}
	if s.Links == nil {
		return domain.Checkin{}, ErrBadCheckinLink
	}
	subj, err := s.Links.Verify(domain.LinkEventCheckin, token, time.Now())
	if err != nil {
		return domain.Checkin{}, ErrBadCheckinLink
	}
	eventID, graduateID, ok := domain.ParseCheckinSubject(subj)
	if !ok {
		return domain.Checkin{}, ErrBadCheckinLink
	}
	ci, err := do(ctx, c, eventID, graduateID)
	if domain.CodeOf(err) == domain.CodeNotFound {
		return ci, ErrBadCheckinLink
	}
	return ci, err
}
