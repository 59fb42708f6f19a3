package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"math"
	"time"

	"github.com/gradzone/gradzone/internal/domain"
)

// SignInThrottle keeps the count of failed sign-ins where every replica
// sees it (internal/postgres implements it).
type SignInThrottle interface {
	BeginSignIn(ctx context.Context, account, address string, now time.Time, l domain.SignInLimits) (domain.SignInAttempt, time.Duration, error)
	EndSignIn(ctx context.Context, at domain.SignInAttempt, outcome domain.SignInOutcome) error
	// CountRequest counts one request under key unless window already
	// holds limit of them; then it returns how long until one more fits.
	CountRequest(ctx context.Context, key string, now time.Time, window time.Duration, limit int) (time.Duration, error)
}

// SignIn is Login for a person at a client address, throttled: after the
// limits' number of failures for one account (known or not: the key is the
// address typed, so a refusal tells nothing about registration) further
// attempts are refused with rate_limited and RetryAfter before the password
// is looked at — even the right password, or the throttle would tell a
// guesser when it guessed right. A success clears the account's failures:
// its owner proved the password, and a guesser who could succeed needs no
// more tries. Errors: those of Login, rate_limited, unavailable.
func (a *Accounts) SignIn(ctx context.Context, email, password, address string) (domain.Session, error) {
	return a.SignInWithCode(ctx, email, password, "", address)
}

// throttled runs attempt, a sign-in for email from address, under the
// throttle: refused before it runs when the account or address is over
// its limits; counted as a failure when it answers invalid_credentials,
// clearing the account's failures when it succeeds, not counted otherwise.
func (a *Accounts) throttled(ctx context.Context, email, address string, attempt func() (domain.Session, error)) (domain.Session, error) {
	if a.Throttle == nil {
		return attempt()
	}
	l := a.Limits
	if l.AccountFailures == 0 {
		l = domain.DefaultSignInLimits
	}
	account := accountKey("a:", email)
	if address != "" {
		address = "ip:" + address
	}
	at, wait, err := a.Throttle.BeginSignIn(ctx, account, address, a.Now(), l)
	if err != nil {
		return domain.Session{}, err
	}
	if wait > 0 {
		return domain.Session{}, &domain.Error{Code: domain.CodeRateLimited,
			Message:    "too many failed sign-ins for this account; wait and try again",
			RetryAfter: int(math.Ceil(wait.Seconds()))}
	}
	s, err := attempt()
	outcome := domain.SignInVoid
	switch {
	case err == nil:
		outcome = domain.SignInSucceeded
	case domain.CodeOf(err) == domain.CodeInvalidCredentials:
		outcome = domain.SignInFailed
	}
	// Settled even when the caller hung up: the guess was made.
	if e := a.Throttle.EndSignIn(context.WithoutCancel(ctx), at, outcome); e != nil {
		a.Log.Warn("sign-in throttle not settled", "err", e, "request_id", domain.RequestID(ctx))
	}
	return s, err
}

// accountKey is the throttle key of a typed e-mail address: prefix and the
// SHA-256 of the normalised address (addresses of people without an
// account are not kept in clear), or "" for none.
func accountKey(prefix, email string) string {
	e := domain.NormalizeEmail(email)
	if e == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(e))
	return prefix + hex.EncodeToString(sum[:])
}

func (a *Accounts) requestLimits() domain.RequestLimits {
	if a.RequestLimits.Registrations == 0 {
		return domain.DefaultRequestLimits
	}
	return a.RequestLimits
}

// countRequest counts a request under key (nothing without a throttle or a
// key) and says how long to wait when the limit is reached.
func (a *Accounts) countRequest(ctx context.Context, key string, window time.Duration, limit int) (time.Duration, error) {
	if a.Throttle == nil || key == "" {
		return 0, nil
	}
	return a.Throttle.CountRequest(ctx, key, a.Now(), window, limit)
}

// throttleRegistration counts a registration from the request's client
// address. Errors: rate_limited.
func (a *Accounts) throttleRegistration(ctx context.Context) error {
	l := a.requestLimits()
	wait, err := a.countRequest(ctx, addressKey("reg:", ctx), l.RegistrationWindow, l.Registrations)
	if err != nil || wait == 0 {
		return err
	}
	return &domain.Error{Code: domain.CodeRateLimited, Message: "too many registrations from this address; wait and try again",
		RetryAfter: int(math.Ceil(wait.Seconds()))}
}

// throttleReset counts a reset request from the request's client address
// (over the limit: rate_limited) and for the target address: mail reports
// whether a mail may still be sent to it.
func (a *Accounts) throttleReset(ctx context.Context, email string) (mail bool, err error) {
	l := a.requestLimits()
	wait, err := a.countRequest(ctx, addressKey("reset:", ctx), l.ResetWindow, l.Resets)
	if err != nil {
		return false, err
	}
	if wait > 0 {
		return false, &domain.Error{Code: domain.CodeRateLimited, Message: "too many password-reset requests from this address; wait and try again",
			RetryAfter: int(math.Ceil(wait.Seconds()))}
	}
	if len(email) > 254 {
		return false, nil // no account has it: the same 202, and no key kept for it
	}
	wait, err = a.countRequest(ctx, accountKey("reset:a:", email), l.ResetMailWindow, l.ResetMails)
	return wait == 0, err
}

// addressKey is the throttle key of the request's client address, or ""
// when the request came with none (the CLI, a test calling app directly).
func addressKey(prefix string, ctx context.Context) string {
	if addr := domain.ClientOf(ctx).Address; addr != "" {
		return prefix + "ip:" + addr
	}
	return ""
}
