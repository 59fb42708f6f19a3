package app

import (
	"context"
	"time"

	"github.com/gradzone/gradzone/internal/domain"
)

// SessionStore is what the user's list of sessions needs from persistence;
// Store embeds it.
type SessionStore interface {
	// Sessions lists the user's live sessions, the most recently used first.
	Sessions(ctx context.Context, userID string, now time.Time) ([]domain.SessionInfo, error)
	// RevokeSession revokes one of the user's sessions. Errors: not_found.
	RevokeSession(ctx context.Context, userID, sessionID string) error
	// RevokeOtherSessions revokes every session of the user but keep.
	RevokeOtherSessions(ctx context.Context, userID, keep string) error
}

// Sessions lists the caller's live sessions — every sign-in, from the API
// or the web pages alike (the pages keep the same tokens in cookies) — with
// the caller's own marked current. Errors: unauthenticated.
func (a *Accounts) Sessions(ctx context.Context, c domain.Caller) ([]domain.SessionInfo, error) {
	if !c.Signed() {
		return nil, domain.ErrUnauthenticated
	}
	list, err := a.Store.Sessions(ctx, c.UserID, a.Now())
	for i := range list {
		list[i].Current = list[i].ID == c.SessionID
	}
	return list, err
}

// RevokeSession signs one of the caller's sessions out: its refresh token
// stops working at once, and so do its access tokens (Caller refuses a
// token of a revoked session). It may be the caller's own. Errors:
// unauthenticated, not_found (not a live session of the caller's).
func (a *Accounts) RevokeSession(ctx context.Context, c domain.Caller, id string) error {
	if !c.Signed() {
		return domain.ErrUnauthenticated
	}
	return a.Store.RevokeSession(ctx, c.UserID, id)
}

// RevokeOtherSessions signs every session of the caller out but the one
// making the request ("sign out elsewhere"). Errors: unauthenticated.
func (a *Accounts) RevokeOtherSessions(ctx context.Context, c domain.Caller) error {
	if !c.Signed() {
		return domain.ErrUnauthenticated
	}
	return a.Store.RevokeOtherSessions(ctx, c.UserID, c.SessionID)
}
