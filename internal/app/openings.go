package app

// Openings through their review, saved searches and notifications.

import (
	"context"
	"encoding/json"

	"github.com/gradzone/gradzone/internal/domain"
)

// ApproveOpeningVersion publishes an opening under review at the version the
// reviewer read (0: any); an opening edited since is not published:
// version_conflict. The first approval counts its headcount as positions
// developed in the Shanghai month of approval; a re-approval after an edit
// moves that count by the headcount change.
// Errors: forbidden, not_found, invalid_state, version_conflict.
func (s *Service) ApproveOpeningVersion(ctx context.Context, c domain.Caller, id string, version int) (domain.Opening, error) {
	return s.Store.ApproveOpeningVersion(ctx, c, id, version)
}

// CloseOpening closes an opening: its employer may, and so may staff who
// review it. Positions developed stay counted. Errors: forbidden, not_found,
// invalid_state. A role that may close none (a graduate) is refused before
// the opening is looked up: a draft it cannot see and an ID that is none
// answer alike.
func (s *Service) CloseOpening(ctx context.Context, c domain.Caller, id string) (domain.Opening, error) {
	if c.Role != domain.RoleEmployer && !c.Role.IsStaff() {
		return domain.Opening{}, domain.ErrForbidden
	}
	return s.Store.CloseOpening(ctx, c, id)
}

// DeleteDraft deletes a draft opening of the caller's employer: a draft was
// never reviewed nor seen, so nothing refers to it. Anything submitted
// once is closed instead. Errors: forbidden, not_found, invalid_state.
func (s *Service) DeleteDraft(ctx context.Context, c domain.Caller, id string) error {
	return s.Store.DeleteDraft(ctx, c, id)
}

// CreateOpening creates a draft opening for the caller's employer. With an
// idempotency key, the same key and opening answer the first draft again
// (replayed); the same key with another opening is validation_failed on
// Idempotency-Key. Errors: forbidden (not an employer), validation_failed.
func (s *Service) CreateOpening(ctx context.Context, c domain.Caller, in domain.OpeningInput) (o domain.Opening, replayed bool, err error) {
	fields, _ := json.Marshal(in) // the opening's fields: the key is not among them
	in.Idempotency = in.Idempotency.Of(fields)
	return s.Store.CreateOpening(ctx, c, in)
}

// CreateSavedSearch stores a graduate's search, once (created is false for
// the same search saved again). Errors: forbidden, validation_failed,
// invalid_state.
func (s *Service) CreateSavedSearch(ctx context.Context, c domain.Caller, ss domain.SavedSearch) (saved domain.SavedSearch, created bool, err error) {
	if c.Role == domain.RoleGraduate { // anyone else is refused by the store
		// Its own checks and whether its places exist, answered together
		// (a blank name and a zone that is none were told only of the
		// zone); a field's own fault comes first.
		// The text as sent: a control character is refused here, though
		// a search leaves it out (domain.PlainText).
		var v domain.Validation
		ss.ValidateInto(&v)
		s.Places.checkInto(ctx, &v, ss.Filters, "filters.")
		if err := v.Err(); err != nil {
			return ss, false, err
		}
	}
	return s.Store.CreateSavedSearch(ctx, c, ss)
}

// SetAlertFrequency changes how one of the caller's saved searches mails
// its alerts (immediate, daily, weekly). Errors: not_found,
// validation_failed.
func (s *Service) SetAlertFrequency(ctx context.Context, c domain.Caller, id, freq string) (domain.SavedSearch, error) {
	return s.Store.SetAlertFrequency(ctx, c, id, freq)
}

// DeleteSavedSearch deletes one of the caller's saved searches. Errors: not_found.
func (s *Service) DeleteSavedSearch(ctx context.Context, c domain.Caller, id string) error {
	return s.Store.DeleteSavedSearch(ctx, c, id)
}

// ManagedOpenings lists openings the caller manages: an employer its own,
// staff those in scope; optionally by status.
func (s *Service) ManagedOpenings(ctx context.Context, c domain.Caller, status string, page domain.Page) ([]domain.Opening, int64, error) {
	return s.Store.ManagedOpenings(ctx, c, status, page)
}

// MarkAllNotificationsRead marks every notification of the caller read.
func (s *Service) MarkAllNotificationsRead(ctx context.Context, c domain.Caller) error {
	return s.Store.MarkAllNotificationsRead(ctx, c)
}

// MarkNotificationRead marks one of the caller's notifications read. Errors: not_found.
func (s *Service) MarkNotificationRead(ctx context.Context, c domain.Caller, id string) error {
	return s.Store.MarkNotificationRead(ctx, c, id)
}

// Notifications lists the caller's notifications, newest first.
func (s *Service) Notifications(ctx context.Context, c domain.Caller, unreadOnly bool, p domain.Page) ([]domain.Notification, int64, int64, error) {
	return s.Store.Notifications(ctx, c, unreadOnly, p)
}

// Opening returns an opening: anyone may read a published one; otherwise only
// its employer and staff in scope. Errors: not_found.
func (s *Service) Opening(ctx context.Context, c domain.Caller, id string) (domain.Opening, error) {
	return s.Store.Opening(ctx, c, id)
}

// EndedOpening is an opening that was public when it closed, as the public
// may still read it: an old link says it ended. Errors: not_found.
func (s *Service) EndedOpening(ctx context.Context, id string) (domain.EndedOpening, error) {
	return s.Store.EndedOpening(ctx, id)
}

// SitemapLimit is the most URLs one sitemap file may list (sitemaps.org).
const SitemapLimit = 50_000

// SitemapOpenings lists the published openings search engines should find,
// newest first, at most SitemapLimit of them.
func (s *Service) SitemapOpenings(ctx context.Context) ([]domain.OpeningStamp, error) {
	return s.Store.PublishedOpeningStamps(ctx, SitemapLimit)
}

// RejectOpening returns an opening under review to its employer with a reason.
// Errors: forbidden, not_found, invalid_state, validation_failed.
func (s *Service) RejectOpening(ctx context.Context, c domain.Caller, id, reason string) (domain.Opening, error) {
	return s.Store.RejectOpening(ctx, c, id, reason)
}

// SavedSearches lists the caller's saved searches.
func (s *Service) SavedSearches(ctx context.Context, c domain.Caller) ([]domain.SavedSearch, error) {
	return s.Store.SavedSearches(ctx, c)
}

// SubmitOpening sends a draft or rejected opening to review. Errors:
// forbidden, not_found, employer_unverified, invalid_state.
func (s *Service) SubmitOpening(ctx context.Context, c domain.Caller, id string) (domain.Opening, error) {
	return s.Store.SubmitOpening(ctx, c, id)
}

// UpdateOpening edits an opening of the caller's employer. Editing the
// substance of a published opening (anything but the deadline) sends it back
// to review and out of search. Errors: forbidden, not_found,
// validation_failed, invalid_state (closed).
func (s *Service) UpdateOpening(ctx context.Context, c domain.Caller, id string, p domain.OpeningPatch) (domain.Opening, error) {
	return s.Store.UpdateOpening(ctx, c, id, p)
}

// OpeningsToReview lists the openings the caller may approve or reject
// (domain.Caller.CanReview), optionally by status: the staff review queue.
func (s *Service) OpeningsToReview(ctx context.Context, c domain.Caller, status string, page domain.Page) ([]domain.Opening, int64, error) {
	return s.Store.OpeningsToReview(ctx, c, status, page)
}
