package postgres

import (
	"context"

	"gorm.io/gorm"

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

// NotifyAlert records a saved-search alert and, when it is new (its dedupe
// key unseen) and both the user's and the search's alert mail are on,
// queues its mail in the same transaction, with the dedupe key as the
// send key: however often the alert job runs, one notification and one
// mail.
func (s *Store) NotifyAlert(ctx context.Context, n domain.Notification, dedupe, savedSearchID string, mail map[string]string) error {
	return translate(s.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Exec(`INSERT INTO notifications (user_id, kind, title, body, link, dedupe_key)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, n.UserID, n.Kind, n.Title, n.Body, n.Link, dedupe)
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		var on []bool
		if err := tx.Raw(`SELECT u.mail_alerts AND ss.mail_alerts FROM saved_searches ss JOIN users u ON u.id = ss.user_id
			WHERE ss.id = ?`, savedSearchID).Scan(&on).Error; err != nil {
			return err
		}
		if len(on) == 0 || !on[0] {
			return nil
		}
		return s.enqueue(tx, MailJob(domain.MailSavedSearchAlert, n.UserID, mail, dedupe))
	}))
}
