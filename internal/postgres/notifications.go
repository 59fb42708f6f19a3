package postgres

import (
	"context"
	"encoding/json"
	"time"

	"gorm.io/gorm"

	"github.com/gradzone/gradzone/internal/domain"
)

// Notify stores a notification; a dedupe key already used for the user makes
// it a no-op, so deliveries can be retried.
func (s *Store) Notify(ctx context.Context, n domain.Notification, dedupe string) error {
	return translate(notify(s.db.WithContext(ctx), n, dedupe))
}

const notifyLiveUser = `INSERT INTO notifications (user_id, kind, title, body, link, params, dedupe_key)
	SELECT u.id, ?, ?, ?, ?, ?, NULLIF(?, '')
	FROM users u
	WHERE u.id = ? AND u.deleted_at IS NULL
	FOR KEY SHARE
	ON CONFLICT DO NOTHING`

// notify inserts only for a live account: an erased one (DELETE /me) gets
// nothing more. FOR KEY SHARE waits for an erasure in progress and then
// sees its deleted_at, so a job that matched a saved search just before
// the erasure cannot leave a notification behind it.
func notify(tx *gorm.DB, n domain.Notification, dedupe string) error {
	return tx.Exec(notifyLiveUser, n.Kind, n.Title, n.Body, n.Link, n.Params, dedupe, n.UserID).Error
}

const unreadNotifications = `SELECT count(*)
	FROM notifications
	WHERE user_id = ? AND read_at IS NULL`

const notificationSelect = `SELECT id, user_id, kind, title, body, link, params, read_at, created_at
	FROM notifications`

// Notifications lists the caller's notifications, newest first, with how
// many there are (under unreadOnly) and how many are unread.
func (s *Store) Notifications(ctx context.Context, c domain.Caller, unreadOnly bool, p domain.Page) ([]domain.Notification, int64, int64, error) {
	db := s.db.WithContext(ctx)
	var unread int64
	if err := db.Raw(unreadNotifications, c.UserID).Scan(&unread).Error; err != nil {
		return nil, 0, 0, translate(err)
	}
	w := newFilter("user_id = ?", []any{c.UserID})
	if unreadOnly {
		w.and("read_at IS NULL")
	}
	out, total, err := listPage[domain.Notification](db, `notifications`, notificationSelect, `created_at DESC, id`, w, p)
	return out, total, unread, err
}

const markNotificationRead = `UPDATE notifications
	SET read_at = coalesce(read_at, now())
	WHERE id = ? AND user_id = ?`

// MarkNotificationRead marks one of the caller's notifications read. Errors: not_found.
func (s *Store) MarkNotificationRead(ctx context.Context, c domain.Caller, id string) error {
	return changeOne(s.db.WithContext(ctx), id, markNotificationRead, id, c.UserID)
}

const markAllNotificationsRead = `UPDATE notifications
	SET read_at = now()
	WHERE user_id = ? AND read_at IS NULL`

// MarkAllNotificationsRead marks every notification of the caller read.
func (s *Store) MarkAllNotificationsRead(ctx context.Context, c domain.Caller) error {
	return translate(s.db.WithContext(ctx).Exec(markAllNotificationsRead, c.UserID).Error)
}

type savedSearchRow struct {
	ID             string
	UserID         string
	Name           string
	Query          string
	Filters        []byte
	AlertFrequency string
	MailAlerts     bool
	CreatedAt      time.Time
}

// savedSearchColumns are the columns a savedSearchRow reads.
const savedSearchColumns = `id, user_id, name, query, filters, alert_frequency, mail_alerts, created_at`

func (r savedSearchRow) toDomain() domain.SavedSearch {
	s := domain.SavedSearch{ID: r.ID, UserID: r.UserID, Name: r.Name, Q: r.Query, AlertFrequency: r.AlertFrequency,
		MailAlerts: r.MailAlerts, CreatedAt: r.CreatedAt}
	_ = json.Unmarshal(r.Filters, &s.Filters)
	return s
}

// MaxSavedSearches bounds how many searches one graduate keeps.
const MaxSavedSearches = 20

const countSavedSearches = `SELECT count(*)
	FROM saved_searches
	WHERE user_id = ?`

const insertSavedSearch = `INSERT INTO saved_searches (user_id, name, query, filters, alert_frequency)
	SELECT ?, ?, ?, ?::jsonb, coalesce(nullif(?, ''), u.alert_frequency)
	FROM users u
	WHERE u.id = ?
	RETURNING ` + savedSearchColumns

const sameSavedSearch = `SELECT ` + savedSearchColumns + `
	FROM saved_searches
	WHERE user_id = ? AND lower(query) = lower(?) AND filters = ?::jsonb`

// CreateSavedSearch stores a graduate's search, once: the same words (in
// any case, as the engine reads them) and filters saved again answer the
// search saved before (created false).
// Errors: forbidden, validation_failed, invalid_state (too many).
func (s *Store) CreateSavedSearch(ctx context.Context, c domain.Caller, ss domain.SavedSearch) (saved domain.SavedSearch, created bool, err error) {
	if c.Role != domain.RoleGraduate {
		return ss, false, domain.ErrForbidden
	}
	ss = ss.Tidy()
	if err := ss.Validate(); err != nil {
		return ss, false, err
	}
	f, _ := json.Marshal(ss.Filters)
	var row savedSearchRow
	err = s.tx(ctx, func(tx *gorm.DB) error {
		// One graduate's saves are decided one after the other, so two
		// clicks at once save one search.
		if err := tx.Exec(lockByKey, "saved-searches:"+c.UserID).Error; err != nil {
			return err
		}
		var same []savedSearchRow
		if err := tx.Raw(sameSavedSearch, c.UserID, ss.Q, string(f)).Scan(&same).Error; err != nil {
			return err
		}
		if len(same) > 0 {
			row = same[0]
			return nil
		}
		created = true
		var n int64
		if err := tx.Raw(countSavedSearches, c.UserID).Scan(&n).Error; err != nil {
			return err
		}
		if n >= MaxSavedSearches {
			return domain.Errorf(domain.CodeInvalidState, "you can keep at most %d saved searches", MaxSavedSearches)
		}
		// Without a frequency, the user's default (mail preferences).
		return tx.Raw(insertSavedSearch, c.UserID, ss.Name, ss.Q, string(f), ss.AlertFrequency, c.UserID).Scan(&row).Error
	})
	return row.toDomain(), created, translate(err)
}

const savedSearchesOfUser = `SELECT ` + savedSearchColumns + `
	FROM saved_searches
	WHERE user_id = ?
	ORDER BY created_at`

// SavedSearches lists the caller's saved searches.
func (s *Store) SavedSearches(ctx context.Context, c domain.Caller) ([]domain.SavedSearch, error) {
	var rows []savedSearchRow
	err := s.db.WithContext(ctx).Raw(savedSearchesOfUser, c.UserID).Scan(&rows).Error
	return toDomains[domain.SavedSearch](rows), translate(err)
}

const deleteSavedSearch = `DELETE FROM saved_searches
	WHERE id = ? AND user_id = ?`

// DeleteSavedSearch deletes one of the caller's saved searches. Errors: not_found.
func (s *Store) DeleteSavedSearch(ctx context.Context, c domain.Caller, id string) error {
	return changeOne(s.db.WithContext(ctx), id, deleteSavedSearch, id, c.UserID)
}

const setSavedSearchAlerts = `UPDATE saved_searches
	SET alert_frequency = ?, mail_alerts = true
	WHERE id = ? AND user_id = ?
	RETURNING ` + savedSearchColumns

const turnSavedSearchMailOff = `UPDATE saved_searches
	SET mail_alerts = false
	WHERE id = ? AND user_id = ?
	RETURNING ` + savedSearchColumns

// SetAlertFrequency changes how one of the caller's saved searches mails
// its alerts: a frequency (which turns its mail on again after an
// unsubscribe), or off. Openings already gathered for a digest are not
// lost: they go out in the search's next digest (at once, when switched to
// immediate). Errors: not_found, validation_failed.
func (s *Store) SetAlertFrequency(ctx context.Context, c domain.Caller, id, freq string) (domain.SavedSearch, error) {
	q := setSavedSearchAlerts
	args := []any{freq, id, c.UserID}
	switch {
	case freq == domain.AlertOff:
		q = turnSavedSearchMailOff
		args = args[1:]
	case !domain.OneOf(freq, domain.AlertFrequencies):
		return domain.SavedSearch{}, domain.FieldError("alert_frequency", domain.ReasonAlertSetting)
	}
	r, err := oneRow[savedSearchRow](s.db.WithContext(ctx), id, q, args...)
	if err != nil {
		return domain.SavedSearch{}, translate(err)
	}
	return r.toDomain(), nil
}

const allSavedSearches = `SELECT ` + savedSearchColumns + `
	FROM saved_searches
	ORDER BY id`

// AllSavedSearches returns every saved search (the alert matcher).
func (s *Store) AllSavedSearches(ctx context.Context) ([]domain.SavedSearch, error) {
	var rows []savedSearchRow
	err := s.db.WithContext(ctx).Raw(allSavedSearches).Scan(&rows).Error
	return toDomains[domain.SavedSearch](rows), translate(err)
}
