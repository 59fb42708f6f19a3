package app

import (
	"context"

	"github.com/gradzone/gradzone/internal/domain"
)

// SavedStore is what saved jobs (收藏) need from persistence.
type SavedStore interface {
	SaveOpening(ctx context.Context, c domain.Caller, openingID string) (domain.SavedOpening, error)
	UnsaveOpening(ctx context.Context, c domain.Caller, openingID string) error
	SavedOpenings(ctx context.Context, c domain.Caller, p domain.Page) ([]domain.SavedOpening, int64, error)
	SavedOpeningIDs(ctx context.Context, c domain.Caller, ids []string) (map[string]bool, error)
}

// SaveOpening keeps a published opening in the graduate's saved list; again
// is no change. Errors: forbidden, not_found, opening_closed, invalid_state.
func (s *Service) SaveOpening(ctx context.Context, c domain.Caller, openingID string) (domain.SavedOpening, error) {
	return s.Store.SaveOpening(ctx, c, openingID)
}

// UnsaveOpening drops an opening from the caller's saved list. Errors:
// forbidden, not_found.
func (s *Service) UnsaveOpening(ctx context.Context, c domain.Caller, openingID string) error {
	if c.Role != domain.RoleGraduate {
		return domain.ErrForbidden
	}
	return s.Store.UnsaveOpening(ctx, c, openingID)
}

// SavedOpenings lists the caller's saved openings, last saved first; closed
// ones stay, marked not open. Errors: forbidden.
func (s *Service) SavedOpenings(ctx context.Context, c domain.Caller, p domain.Page) ([]domain.SavedOpening, int64, error) {
	if c.Role != domain.RoleGraduate {
		return nil, 0, domain.ErrForbidden
	}
	return s.Store.SavedOpenings(ctx, c, p)
}

// SavedOpeningIDs tells which of ids the caller saved; nothing for anyone
// but a graduate.
func (s *Service) SavedOpeningIDs(ctx context.Context, c domain.Caller, ids []string) map[string]bool {
	if c.Role != domain.RoleGraduate || len(ids) == 0 {
		return map[string]bool{}
	}
	m, err := s.Store.SavedOpeningIDs(ctx, c, ids)
	if err != nil {
		// Only the buttons' state depends on it: show them unsaved.
		s.Log.Warn("saved openings", "err", err)
		return map[string]bool{}
	}
	return m
}
