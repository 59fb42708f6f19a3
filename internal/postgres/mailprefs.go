package postgres

import (
	"context"

	"github.com/lib/pq"
	"gorm.io/gorm"

	"github.com/gradzone/gradzone/internal/domain"
)

// mailPrefsRow is a user's mail settings as stored (migration 00020).
type mailPrefsRow struct {
	Role           string
	MailOff        pq.StringArray `gorm:"type:text[]"`
	AlertFrequency string
	MailLanguage   string
}

func (r mailPrefsRow) off() []domain.MailKind {
	out := make([]domain.MailKind, len(r.MailOff))
	for i, k := range r.MailOff {
		out[i] = domain.MailKind(k)
	}
	return out
}

const mailPrefsOfUser = `SELECT role, mail_off, alert_frequency, mail_language
	FROM users
	WHERE id = ? AND deleted_at IS NULL`

func (s *Store) mailPrefsRow(db *gorm.DB, userID string) (mailPrefsRow, error) {
	return oneRow[mailPrefsRow](db, userID, mailPrefsOfUser, userID)
}

// MailPreferences returns the caller's mail settings. Errors: not_found.
func (s *Store) MailPreferences(ctx context.Context, c domain.Caller) (domain.MailPreferences, error) {
	r, err := s.mailPrefsRow(s.db.WithContext(ctx), c.UserID)
	if err != nil {
		return domain.MailPreferences{}, translate(err)
	}
	return r.preferences(), nil
}

func (r mailPrefsRow) preferences() domain.MailPreferences {
	return domain.PreferencesFor(domain.Role(r.Role), r.off(), r.AlertFrequency, r.MailLanguage)
}

const mailPrefsOfUserForUpdate = mailPrefsOfUser + `
	FOR UPDATE`

const updateMailPreferences = `UPDATE users
	SET mail_off = ?, alert_frequency = ?, mail_language = ?
	WHERE id = ?`

// ChangeMailPreferences applies ch (only the fields it gives) to the
// caller's stored mail settings and stores them, the row locked between
// the read and the write: a probe found parallel changes of different
// kinds each answered 200 while all but one were lost. Errors: not_found,
// validation_failed.
func (s *Store) ChangeMailPreferences(ctx context.Context, c domain.Caller, ch domain.MailPreferencesChange) (domain.MailPreferences, error) {
	var out domain.MailPreferences
	err := s.tx(ctx, func(tx *gorm.DB) error {
		r, err := oneRow[mailPrefsRow](tx, c.UserID, mailPrefsOfUserForUpdate, c.UserID)
		if err != nil {
			return err
		}
		// The stored role: an unsubscribe link's change has no signed-in caller.
		role := domain.Role(r.Role)
		off, freq, lang, err := ch.Apply(role, r.preferences())
		if err != nil {
			return err
		}
		kinds := make(pq.StringArray, len(off))
		for i, k := range off {
			kinds[i] = string(k)
		}
		out = domain.PreferencesFor(role, off, freq, lang)
		return tx.Exec(updateMailPreferences, kinds, freq, lang, c.UserID).Error
	})
	return out, translate(err)
}

const unsubscribeTarget = `SELECT id, name, mail_alerts
	FROM saved_searches
	WHERE id = ?`

// UnsubscribeTarget reads the saved search an unsubscribe link names.
// Errors: not_found.
func (s *Store) UnsubscribeTarget(ctx context.Context, savedSearchID string) (domain.UnsubscribeTarget, error) {
	return s.unsubscribe(ctx, unsubscribeTarget, savedSearchID)
}

const stopSavedSearchMail = `UPDATE saved_searches
	SET mail_alerts = false
	WHERE id = ?
	RETURNING id, name, mail_alerts`

// StopAlertMail turns off the alert mail of one saved search; doing it
// again changes nothing. Errors: not_found.
func (s *Store) StopAlertMail(ctx context.Context, savedSearchID string) (domain.UnsubscribeTarget, error) {
	return s.unsubscribe(ctx, stopSavedSearchMail, savedSearchID)
}

// unsubscribeRow is the saved search an unsubscribe link names.
type unsubscribeRow struct {
	ID         string
	Name       string
	MailAlerts bool
}

func (s *Store) unsubscribe(ctx context.Context, q, id string) (domain.UnsubscribeTarget, error) {
	r, err := oneRow[unsubscribeRow](s.db.WithContext(ctx), id, q, id)
	if err != nil {
		return domain.UnsubscribeTarget{}, translate(err)
	}
	return domain.UnsubscribeTarget{SavedSearchID: r.ID, Name: r.Name, Mailed: r.MailAlerts}, nil
}

const insertAlertNotification = `INSERT INTO notifications (user_id, kind, title, body, link, params, dedupe_key)
	SELECT u.id, ?, ?, ?, ?, ?, ?
	FROM users u
	WHERE u.id = ? AND u.deleted_at IS NULL
	FOR KEY SHARE
	ON CONFLICT DO NOTHING`

const savedSearchMailSettings = `SELECT mail_alerts, alert_frequency
	FROM saved_searches
	WHERE id = ?`

const insertAlertDigestItem = `INSERT INTO alert_digest_items (saved_search_id, opening_id, opening_title, employer_name, created_at)
	VALUES (?, ?, ?, ?, ?)
	ON CONFLICT DO NOTHING`

// NotifyAlert records a saved-search alert and, when it is new (its dedupe
// key unseen) and the search's alert mail is on, either queues its mail in
// the same transaction, with the dedupe key as the send key (frequency
// immediate), or keeps the opening for the search's next digest (daily,
// weekly): however often the alert job runs, one notification and one
// mail. Whether the user mails alerts at all is decided when the mail is
// sent (domain.MayReceive).
func (s *Store) NotifyAlert(ctx context.Context, n domain.Notification, dedupe, savedSearchID string, mail map[string]string) error {
	return translate(s.tx(ctx, func(tx *gorm.DB) error {
		// Only for a live account, as notify: an alert job that matched
		// the search just before the account was erased leaves nothing.
		res := tx.Exec(insertAlertNotification, n.Kind, n.Title, n.Body, n.Link, n.Params, dedupe, n.UserID)
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		var rows []struct {
			MailAlerts     bool
			AlertFrequency string
		}
		if err := tx.Raw(savedSearchMailSettings, savedSearchID).Scan(&rows).Error; err != nil {
			return err
		}
		if len(rows) == 0 || !rows[0].MailAlerts {
			return nil
		}
		if rows[0].AlertFrequency != domain.AlertImmediate {
			return tx.Exec(insertAlertDigestItem,
				savedSearchID, mail["opening_id"], mail["opening_title"], mail["employer_name"], s.now()).Error
		}
		return s.enqueue(tx, MailJob(domain.MailSavedSearchAlert, n.UserID, mail, dedupe))
	}))
}
