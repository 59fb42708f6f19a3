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
	if a.Throttle == nil {
		return a.Login(ctx, email, password)
	}
	l := a.Limits
	if l.AccountFailures == 0 {
		l = domain.DefaultSignInLimits
	}
	account := ""
	if e := domain.NormalizeEmail(email); e != "" {
		sum := sha256.Sum256([]byte(e))
		account = "a:" + hex.EncodeToString(sum[:])
	}
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
	s, err := a.Login(ctx, email, password)
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
