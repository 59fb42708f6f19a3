package app

// Mail preferences and the one-click unsubscribe of mails (RFC 8058).

import (
	"context"
	"strings"
	"time"

	"github.com/gradzone/gradzone/internal/auth"
	"github.com/gradzone/gradzone/internal/domain"
)

// MailPrefStore is what preferences and unsubscribe links need from
// persistence (internal/postgres implements it).
type MailPrefStore interface {
	MailPreferences(ctx context.Context, c domain.Caller) (domain.MailPreferences, error)
	// ChangeMailPreferences applies ch to the stored settings (ch.Apply)
	// and stores the result in one transaction, the row locked, so
	// parallel changes of different kinds all stand. Errors: not_found,
	// validation_failed.
	ChangeMailPreferences(ctx context.Context, c domain.Caller, ch domain.MailPreferencesChange) (domain.MailPreferences, error)
	// UnsubscribeTarget reads the saved search a link names. Errors: not_found.
	UnsubscribeTarget(ctx context.Context, savedSearchID string) (domain.UnsubscribeTarget, error)
	// StopAlertMail turns the saved search's alert mail off (again: no
	// change). Errors: not_found.
	StopAlertMail(ctx context.Context, savedSearchID string) (domain.UnsubscribeTarget, error)
}

// ErrBadUnsubscribeLink answers a link that is forged, altered or expired,
// names a saved search that no longer exists, an erased account, or a kind
// that is not the user's to turn off: one answer for all, so a link tells
// nothing about another.
var ErrBadUnsubscribeLink = &domain.Error{Code: domain.CodeValidation, Message: "this unsubscribe link is invalid or has expired",
	Fields: map[string]string{"token": domain.ReasonBadLink}}

// MailPreferences returns the caller's mail settings: a switch per kind
// the caller's role receives, the default alert frequency, the language.
func (s *Service) MailPreferences(ctx context.Context, c domain.Caller) (domain.MailPreferences, error) {
	return s.Store.MailPreferences(ctx, c)
}

// SetMailPreferences changes the caller's mail settings (only the fields
// ch gives) and returns them. Errors: validation_failed (each field named:
// "kinds.<kind>", "alert_frequency", "language"), not_found.
func (s *Service) SetMailPreferences(ctx context.Context, c domain.Caller, ch domain.MailPreferencesChange) (domain.MailPreferences, error) {
	return s.Store.ChangeMailPreferences(ctx, c, ch)
}

// UnsubscribeLinkToken signs the token of a saved search's unsubscribe link.
func UnsubscribeLinkToken(l *auth.Links, savedSearchID string, now time.Time) string {
	return l.Sign(domain.LinkUnsubscribeAlerts, savedSearchID, now.Add(domain.UnsubscribeLinkTTL))
}

// UnsubscribeKindToken signs the token of the link that turns off every
// mail of kind to the user.
func UnsubscribeKindToken(l *auth.Links, userID string, kind domain.MailKind, now time.Time) string {
	return l.Sign(domain.LinkUnsubscribeKind, userID+":"+string(kind), now.Add(domain.UnsubscribeLinkTTL))
}

// linkedKind reads a kind's unsubscribe token: ok is false for any other
// token (an alert's, or a bad one).
func (s *Service) linkedKind(token string) (userID string, kind domain.MailKind, ok bool) {
	if s.Links == nil {
		return "", "", false
	}
	subject, err := s.Links.Verify(domain.LinkUnsubscribeKind, token, time.Now())
	if err != nil {
		return "", "", false
	}
	userID, k, _ := strings.Cut(subject, ":")
	kind = domain.MailKind(k)
	return userID, kind, kind.Mutable()
}

// kindTarget is what a kind's link turns off, for the user it was mailed to
// (whose role says whether the kind is theirs); change, when given, is
// applied first. An erased account's link is a bad one.
func (s *Service) kindTarget(ctx context.Context, userID string, kind domain.MailKind, change *domain.MailPreferencesChange) (domain.UnsubscribeTarget, error) {
	owner := domain.Caller{UserID: userID}
	var p domain.MailPreferences
	var err error
	if change != nil {
		p, err = s.Store.ChangeMailPreferences(ctx, owner, *change)
	} else {
		p, err = s.Store.MailPreferences(ctx, owner)
	}
	on, theirs := p.Kinds[kind]
	if domain.CodeOf(err) == domain.CodeNotFound || domain.CodeOf(err) == domain.CodeValidation || err == nil && !theirs {
		return domain.UnsubscribeTarget{}, ErrBadUnsubscribeLink
	}
	return domain.UnsubscribeTarget{Kind: kind, Mailed: on}, err
}

// UnsubscribeTarget reads what an unsubscribe link would turn off, without
// changing anything (the confirm page a browser opening the link sees).
// Errors: validation_failed on token.
func (s *Service) UnsubscribeTarget(ctx context.Context, token string) (domain.UnsubscribeTarget, error) {
	if user, kind, ok := s.linkedKind(token); ok {
		return s.kindTarget(ctx, user, kind, nil)
	}
	return s.linkedSearch(ctx, token, s.Store.UnsubscribeTarget)
}

// Unsubscribe turns off the alert mails of the saved search the link
// names: no sign-in, the signed token is the authority. Using the link
// again changes nothing and answers the same. Errors: validation_failed on
// token.
func (s *Service) Unsubscribe(ctx context.Context, token string) (domain.UnsubscribeTarget, error) {
	if user, kind, ok := s.linkedKind(token); ok {
		t, err := s.kindTarget(ctx, user, kind, &domain.MailPreferencesChange{Kinds: map[domain.MailKind]bool{kind: false}})
		if err == nil {
			s.Log.Info("mail kind unsubscribed", "user_id", user, "kind", kind)
		}
		return t, err
	}
	return s.linkedSearch(ctx, token, func(ctx context.Context, id string) (domain.UnsubscribeTarget, error) {
		t, err := s.Store.StopAlertMail(ctx, id)
		if err == nil {
			s.Log.Info("alert mail unsubscribed", "saved_search_id", id)
		}
		return t, err
	})
}

// linkedSearch runs do on the saved search an unsubscribe link's token
// names. A token that is not valid, or names a search that is gone, is the
// one answer ErrBadUnsubscribeLink.
func (s *Service) linkedSearch(ctx context.Context, token string, do func(ctx context.Context, id string) (domain.UnsubscribeTarget, error)) (domain.UnsubscribeTarget, error) {
	id, err := s.linkSubject(token)
	if err != nil {
		return domain.UnsubscribeTarget{}, err
	}
	t, err := do(ctx, id)
	if domain.CodeOf(err) == domain.CodeNotFound {
		return t, ErrBadUnsubscribeLink
	}
	return t, err
}

func (s *Service) linkSubject(token string) (string, error) {
	if s.Links == nil {
		return "", ErrBadUnsubscribeLink
	}
	id, err := s.Links.Verify(domain.LinkUnsubscribeAlerts, token, time.Now())
	if err != nil {
		return "", ErrBadUnsubscribeLink
	}
	return id, nil
}
