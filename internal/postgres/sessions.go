package postgres

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/gradzone/gradzone/internal/domain"
)

// liveSessions lists the user's live sessions: families none of whose
// tokens is revoked, whose newest token has not expired (the idle timeout)
// and which began within the absolute lifetime. Created is the family's
// first token, last used its newest, and the client that of the newest.
const liveSessions = `
WITH f AS (
	SELECT family_id, min(created_at) AS created_at, max(created_at) AS last_used_at
	FROM refresh_tokens
	WHERE user_id = ?
	GROUP BY family_id
	HAVING bool_and(revoked_at IS NULL) AND max(expires_at) > ? AND min(created_at) > ?
)
SELECT f.family_id::text AS id, f.created_at, f.last_used_at, n.client, n.ip
FROM f CROSS JOIN LATERAL (
	SELECT client, ip FROM refresh_tokens r
	WHERE r.family_id = f.family_id ORDER BY r.created_at DESC LIMIT 1) n
ORDER BY f.last_used_at DESC, f.family_id
LIMIT ?`

// Sessions lists the user's live sessions, the most recently used first.
func (s *Store) Sessions(ctx context.Context, userID string, now time.Time) ([]domain.SessionInfo, error) {
	out, err := sessionsOf(s.db.WithContext(ctx), userID, now)
	return out, translate(err)
}

// sessionsOf lists the user's live sessions at now ([] for none).
func sessionsOf(db *gorm.DB, userID string, now time.Time) ([]domain.SessionInfo, error) {
	out := []domain.SessionInfo{}
	err := db.Raw(liveSessions, userID, now, now.Add(-domain.SessionMaxAge), domain.MaxListedSessions).Scan(&out).Error
	return out, err
}

const revokeOwnSession = `UPDATE refresh_tokens
	SET revoked_at = now()
	WHERE user_id = ? AND family_id = CAST(? AS uuid) AND revoked_at IS NULL`

// RevokeSession revokes one of the user's sessions. A session that is not
// the user's, not live or not a session ID at all is not_found: the answer
// tells nothing about other users' sessions.
func (s *Store) RevokeSession(ctx context.Context, userID, sessionID string) error {
	id := sessionUUID(sessionID)
	if id == nil {
		return domain.ErrNotFound
	}
	return changeOne(s.db.WithContext(ctx), userID, revokeOwnSession, userID, *id)
}

// lockUser serialises the changes to one user's sign-in. NO KEY: a
// refresh of another session inserts a token that references the user
// (KEY SHARE), and FOR UPDATE deadlocked with it.
const lockUser = `SELECT id
	FROM users
	WHERE id = ?
	FOR NO KEY UPDATE`

// sessionRevoked is true of a session (refresh-token family ?) that a
// sign-out, a password change or reset, or a reused refresh token ended.
const sessionRevoked = `EXISTS (
	SELECT 1
	FROM refresh_tokens f
	WHERE f.family_id = CAST(? AS uuid) AND f.revoked_at IS NOT NULL)`

// holdSignIn locks the user's row, so that changes to one account's
// sign-in (its password, its sessions) commit one after another, and
// refuses a caller whose own session a change committed meanwhile ended:
// two sessions changing the password, or signing each other out, at once
// were both answered 204 and both signed out (a replica probe).
func holdSignIn(tx *gorm.DB, userID, session string) error {
	var id string
	if err := tx.Raw(lockUser, userID).Scan(&id).Error; err != nil {
		return err
	}
	if id == "" {
		return domain.ErrNotFound
	}
	var ended bool
	if err := tx.Raw(`SELECT `+sessionRevoked, sessionUUID(session)).Scan(&ended).Error; err != nil {
		return err
	}
	if ended {
		return domain.ErrUnauthenticated
	}
	return nil
}

// RevokeOtherSessions revokes every session of the user but keep (the
// caller's own), unless another change ended keep meanwhile
// (unauthenticated; see holdSignIn).
func (s *Store) RevokeOtherSessions(ctx context.Context, userID, keep string) error {
	return translate(s.tx(ctx, func(tx *gorm.DB) error {
		if err := holdSignIn(tx, userID, keep); err != nil {
			return err
		}
		return revokeSessions(tx, userID, keep)
	}))
}
