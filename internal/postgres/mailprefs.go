package postgres

import (
	"context"

	"github.com/gradzone/gradzone/internal/domain"
)

// MailPreferences returns the caller's mail switches. Errors: not_found.
func (s *Store) MailPreferences(ctx context.Context, c domain.Caller) (domain.MailPreferences, error) {
	var rows []struct {
		MailStatusUpdates bool
		MailAlerts        bool
	}
	if err := s.db.WithContext(ctx).Raw(`SELECT mail_status_updates, mail_alerts FROM users WHERE id = ?`, c.UserID).Scan(&rows).Error; err != nil {
		return domain.MailPreferences{}, translate(err)
	}
	if len(rows) == 0 {
		return domain.MailPreferences{}, domain.ErrNotFound
	}
	return domain.MailPreferences{StatusUpdates: rows[0].MailStatusUpdates, Alerts: rows[0].MailAlerts}, nil
}

// SetMailPreferences stores the caller's mail switches. Errors: not_found.
func (s *Store) SetMailPreferences(ctx context.Context, c domain.Caller, p domain.MailPreferences) (domain.MailPreferences, error) {
	res := s.db.WithContext(ctx).Exec(`UPDATE users SET mail_status_updates = ?, mail_alerts = ? WHERE id = ?`, p.StatusUpdates, p.Alerts, c.UserID)
	if res.Error != nil {
		return p, translate(res.Error)
	}
	if res.RowsAffected == 0 {
		return p, domain.ErrNotFound
	}
	return p, nil
}

// UnsubscribeTarget reads the saved search an unsubscribe link names.
// Errors: not_found.
func (s *Store) UnsubscribeTarget(ctx context.Context, savedSearchID string) (domain.UnsubscribeTarget, error) {
	return s.unsubscribe(ctx, `SELECT id, name, mail_alerts FROM saved_searches WHERE id = ?`, savedSearchID)
}

// StopAlertMail turns off the alert mail of one saved search; doing it
// again changes nothing. Errors: not_found.
func (s *Store) StopAlertMail(ctx context.Context, savedSearchID string) (domain.UnsubscribeTarget, error) {
	return s.unsubscribe(ctx, `UPDATE saved_searches SET mail_alerts = false WHERE id = ? RETURNING id, name, mail_alerts`, savedSearchID)
}

func (s *Store) unsubscribe(ctx context.Context, q, id string) (domain.UnsubscribeTarget, error) {
	if !validUUID(id) {
		return domain.UnsubscribeTarget{}, domain.ErrNotFound
	}
	var rows []struct {
		ID         string
		Name       string
		MailAlerts bool
	}
	if err := s.db.WithContext(ctx).Raw(q, id).Scan(&rows).Error; err != nil {
		return domain.UnsubscribeTarget{}, translate(err)
	}
	if len(rows) == 0 {
		return domain.UnsubscribeTarget{}, domain.ErrNotFound
	}
	return domain.UnsubscribeTarget{SavedSearchID: rows[0].ID, Name: rows[0].Name, MailAlerts: rows[0].MailAlerts}, nil
}
