package app

// Job fairs: creating, listing openings at, registering, checking in and tracking.

import (
	"context"

	"github.com/gradzone/gradzone/internal/domain"
)

// AddEventOpenings lists published openings of the event's zone at the
// event. Errors: forbidden, not_found, validation_failed (naming each
// opening that is not a published opening of the zone).
func (s *Service) AddEventOpenings(ctx context.Context, c domain.Caller, eventID string, openingIDs []string, pinned bool) (domain.Event, error) {
	return hideTracking(c)(s.Store.AddEventOpenings(ctx, c, eventID, openingIDs, pinned))
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

// Event returns an event with its openings and stats; events are public.
// A graduate also sees its own registration; only staff of the event's zone
// see its tracking code.
func (s *Service) Event(ctx context.Context, c domain.Caller, id string) (domain.Event, error) {
	return hideTracking(c)(s.Store.Event(ctx, c, id))
}

// Events lists events, soonest first; tracking codes as in Event.
func (s *Service) Events(ctx context.Context, c domain.Caller, f domain.EventFilter, p domain.Page) ([]domain.Event, int64, error) {
	evs, total, err := s.Store.Events(ctx, f, p)
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
// Errors: forbidden, not_found, already_registered.
func (s *Service) RegisterForEvent(ctx context.Context, c domain.Caller, eventID string) (domain.Registration, error) {
	return s.Store.RegisterForEvent(ctx, c, eventID)
}

// TrackEventClick counts a click on an opening listed at an event.
func (s *Service) TrackEventClick(ctx context.Context, eventID, openingID string) error {
	return s.Store.TrackEventClick(ctx, eventID, openingID)
}

// TrackEventView counts a page view through the event's tracked link and
// returns the event ID. Errors: not_found.
func (s *Service) TrackEventView(ctx context.Context, trackingCode string) (string, error) {
	return s.Store.TrackEventView(ctx, trackingCode)
}
