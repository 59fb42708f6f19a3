package app

// Picking an offered interview time from the mail: each time listed in the
// interview mail carries its own signed link (purpose interview-pick,
// subject the slot, expiring when the time starts). The link opens a
// confirm page (a GET changes nothing: mail scanners open every link);
// its POST picks the time without signing in, the token being the
// authority. A pick uses up every link of the offer.

import (
	"context"
	"time"

	"github.com/gradzone/gradzone/internal/auth"
	"github.com/gradzone/gradzone/internal/domain"
)

// ErrBadPickLink answers a pick link that is forged, altered or expired:
// one answer for all.
var ErrBadPickLink = &domain.Error{Code: domain.CodeValidation, Message: "this interview link is invalid or has expired",
	Fields: map[string]string{"token": domain.ReasonBadLink}}

// ErrPickLinkUsed answers a pick link of an offer whose time was picked
// already (by this link, another one, or on the site).
var ErrPickLinkUsed = &domain.Error{Code: domain.CodeInvalidState, Message: "a time was already picked for this interview"}

// ErrPickTimeWithdrawn answers a genuine pick link whose time is no longer
// offered: the employer fixed a time or offered others (an offer's times
// are replaced, not kept, so which interview it was is not known).
var ErrPickTimeWithdrawn = &domain.Error{Code: domain.CodeInvalidState, Message: "this interview time is no longer offered"}

// PickLinkToken signs the token of the mailed link that picks slotID.
func PickLinkToken(l *auth.Links, slotID string, startsAt time.Time) string {
	return l.Sign(domain.LinkPickInterview, slotID, startsAt)
}

// PickLinkURL is the pick link for token on the site at base.
func PickLinkURL(base, token string) string {
	return tokenLink(base, "/interview/pick", token)
}

// InterviewPickTarget reads what a pick link would pick, changing nothing
// (the confirm page). Errors: validation_failed on token, ErrPickTimeWithdrawn.
func (s *Service) InterviewPickTarget(ctx context.Context, token string) (domain.SlotLink, error) {
	if s.Links == nil {
		return domain.SlotLink{}, ErrBadPickLink
	}
	id, err := s.Links.Verify(domain.LinkPickInterview, token, time.Now())
	if err != nil {
		return domain.SlotLink{}, ErrBadPickLink
	}
	t, err := s.Store.InterviewSlotLink(ctx, id)
	if domain.CodeOf(err) == domain.CodeNotFound {
		return t, ErrPickTimeWithdrawn
	}
	return t, err
}

// PickInterviewSlotByLink picks the time a mailed link names, for the
// application's graduate, as PickInterviewSlot does from the site (the
// interview both sides see, the calendar invitation mailed). A link acts
// once: after any pick of the offer it answers ErrPickLinkUsed. Errors:
// validation_failed on token, invalid_state.
func (s *Service) PickInterviewSlotByLink(ctx context.Context, token string) (domain.Application, domain.SlotLink, error) {
	t, err := s.InterviewPickTarget(ctx, token)
	if err != nil {
		return domain.Application{}, t, err
	}
	if t.Picked {
		return domain.Application{}, t, ErrPickLinkUsed
	}
	// The token stands in for the graduate's sign-in, for this pick only.
	owner := domain.Caller{UserID: t.GraduateID, Role: domain.RoleGraduate}
	a, err := s.Store.PickInterviewSlot(ctx, owner, t.ApplicationID, t.Slot.ID)
	if err == nil {
		s.Log.Info("interview time picked by mail link", "application_id", t.ApplicationID, "slot_id", t.Slot.ID)
	}
	return a, t, err
}

// prepareSlotLinks gives each time a status mail offers its pick link.
func (b *Background) prepareSlotLinks(d map[string]string) {
	if d["slots"] == "" || b.Links == nil {
		return
	}
	slots := domain.MailSlots(d["slots"])
	for i, sl := range slots {
		start, err := time.Parse(time.RFC3339, sl.StartsAt)
		if err != nil {
			continue
		}
		slots[i].Link = PickLinkURL(b.PublicURL, PickLinkToken(b.Links, sl.ID, start))
	}
	d["slots"] = domain.SlotsMailDataOf(slots)
}
