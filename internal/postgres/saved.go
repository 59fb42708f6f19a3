package postgres

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/gradzone/gradzone/internal/domain"
)

// savedRow is an opening row with when the graduate saved it.
type savedRow struct {
	Opening openingRow `gorm:"embedded"`
	SavedAt time.Time
}

const countSavedOpenings = `SELECT count(*)
	FROM saved_openings
	WHERE user_id = ?`

const insertSavedOpening = `INSERT INTO saved_openings (user_id, opening_id)
	VALUES (?, ?)
	ON CONFLICT DO NOTHING`

// SaveOpening adds a published opening to the graduate's saved list; saving
// it again changes nothing. Errors: forbidden (not a graduate), not_found
// (never published), opening_closed (not published now),
// invalid_state (the list is full).
func (s *Store) SaveOpening(ctx context.Context, c domain.Caller, openingID string) (domain.SavedOpening, error) {
	if c.Role != domain.RoleGraduate {
		return domain.SavedOpening{}, domain.ErrForbidden
	}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		r, err := loadOpening(tx, openingID, false)
		if err != nil {
			return err
		}
		if !r.toDomain().WasPublic() {
			return domain.ErrNotFound
		}
		if r.Status != domain.OpeningPublished {
			return domain.Errorf(domain.CodeOpeningClosed, "the opening is closed")
		}
		var n int64
		if err := tx.Raw(countSavedOpenings, c.UserID).Scan(&n).Error; err != nil {
			return err
		}
		if n >= domain.MaxSavedOpenings {
			return domain.Errorf(domain.CodeInvalidState, "you can keep at most %d saved openings", domain.MaxSavedOpenings)
		}
		return tx.Exec(insertSavedOpening, c.UserID, openingID).Error
	})
	if err != nil {
		return domain.SavedOpening{}, translate(err)
	}
	items, _, err := s.savedOpeningsPage(ctx, newFilter("so.user_id = ? AND so.opening_id = ?", []any{c.UserID, openingID}),
		domain.Page{Page: 1, PerPage: 1})
	if err == nil && len(items) == 0 {
		err = domain.ErrNotFound
	}
	if err != nil {
		return domain.SavedOpening{}, err
	}
	return items[0], nil
}

const deleteSavedOpening = `DELETE FROM saved_openings
	WHERE user_id = ? AND opening_id = ?`

// UnsaveOpening removes an opening from the graduate's saved list.
// Errors: not_found (it was not saved).
func (s *Store) UnsaveOpening(ctx context.Context, c domain.Caller, openingID string) error {
	return changeOne(s.db.WithContext(ctx), openingID, deleteSavedOpening, c.UserID, openingID)
}

// SavedOpenings lists the caller's saved openings, last saved first, closed
// ones included (shown closed).
func (s *Store) SavedOpenings(ctx context.Context, c domain.Caller, p domain.Page) ([]domain.SavedOpening, int64, error) {
	return s.savedOpeningsPage(ctx, newFilter("so.user_id = ?", []any{c.UserID}), p)
}

const savedOpeningIDsAmong = `SELECT opening_id
	FROM saved_openings
	WHERE user_id = ? AND opening_id IN ?`

// SavedOpeningIDs tells which of ids the caller has saved (the save buttons
// on search cards).
func (s *Store) SavedOpeningIDs(ctx context.Context, c domain.Caller, ids []string) (map[string]bool, error) {
	out := map[string]bool{}
	valid := validUUIDs(ids)
	if len(valid) == 0 {
		return out, nil
	}
	var saved []string
	if err := s.db.WithContext(ctx).Raw(savedOpeningIDsAmong, c.UserID, valid).
		Scan(&saved).Error; err != nil {
		return nil, translate(err)
	}
	for _, id := range saved {
		out[id] = true
	}
	return out, nil
}

// savedOpeningSelect is the opening's usual select (openingRow), from the
// caller's saved list, with when each was saved.
const savedOpeningSelect = `SELECT so.created_at AS saved_at, ` + openingColumns + `
	FROM saved_openings so
	JOIN openings o ON o.id = so.opening_id ` + openingJoins

// savedOpeningsPage is a page of the caller's saved openings under f (the
// caller's own, and any further condition), last saved first.
func (s *Store) savedOpeningsPage(ctx context.Context, f *filter, p domain.Page) ([]domain.SavedOpening, int64, error) {
	rows, total, err := listPage[savedRow](s.db.WithContext(ctx), "saved_openings so", savedOpeningSelect,
		"so.created_at DESC, o.id", f, p)
	if err != nil {
		return nil, 0, err
	}
	today := domain.DateOf(s.now())
	out := make([]domain.SavedOpening, len(rows))
	for i, r := range rows {
		o := r.Opening.toDomain()
		out[i] = domain.SavedOpening{Opening: o, SavedAt: r.SavedAt, Open: o.Searchable(today)}
	}
	return out, total, nil
}
