package domain

import (
	"cmp"
	"time"
)

// SignInLimits bound failed sign-ins. An account is refused further attempts
// once AccountFailures failures happened within AccountWindow, whoever sent
// them and from wherever: guessing one password needs many tries, so the
// count follows the account, not the address (addresses are cheap to change
// and shared by whole campuses). The refusal grows for a guesser who comes
// back: see AccountWait. The per-address count is only a flood guard set far
// above what a campus signing in correctly reaches.
type SignInLimits struct {
	AccountFailures int
	AccountWindow   time.Duration
	// AccountMemory is how long an account's failures are remembered
	// (until a correct sign-in clears them); AccountMaxWindow caps the
	// grown window. Zero: AccountWindow, no growth.
	AccountMemory    time.Duration
	AccountMaxWindow time.Duration
	AddressFailures  int
	AddressWindow    time.Duration
}

// DefaultSignInLimits are the contract's: 10 failures in 15 minutes per
// account, the window doubling with each further 10 failures remembered
// (24 hours) up to 4 hours; 2,000 failures in 5 minutes per address.
var DefaultSignInLimits = SignInLimits{
	AccountFailures: 10, AccountWindow: 15 * time.Minute,
	AccountMemory: ThrottleHorizon, AccountMaxWindow: 4 * time.Hour,
	AddressFailures: 2000, AddressWindow: 5 * time.Minute,
}

// Memory is how long an account's failures count: AccountMemory, at least
// AccountWindow.
func (l SignInLimits) Memory() time.Duration { return max(l.AccountWindow, l.AccountMemory) }

// AccountWait is how long an account must wait before its next sign-in
// attempt, given the times of its failures within Memory, newest first; 0
// when it may try now. With n failures remembered, n ≥ AccountFailures,
// the window is AccountWindow doubled once per further AccountFailures
// failures (15 min, 30 min, 1 h, … up to AccountMaxWindow), counted from
// the oldest of the newest AccountFailures: a guesser gets 10 tries, waits
// 15 minutes, 10 more, waits 30 minutes, and so on, about 100 a day instead
// of 960. A correct sign-in clears the failures, so the owner's own typos
// never grow it.
func (l SignInLimits) AccountWait(failures []time.Time, now time.Time) time.Duration {
	n := len(failures)
	if l.AccountFailures < 1 || n < l.AccountFailures {
		return 0
	}
	ceiling := cmp.Or(l.AccountMaxWindow, l.Memory())
	window := l.AccountWindow
	for i := 1; i < n/l.AccountFailures && window < ceiling; i++ {
		window *= 2
	}
	window = min(window, ceiling)
	wait := failures[l.AccountFailures-1].Add(window).Sub(now)
	if wait <= 0 {
		return 0
	}
	return max(time.Second, wait)
}

// SignInAttempt is a sign-in under way: the failure rows reserved for it
// before the password was checked, so concurrent guesses cannot all pass the
// limit before any of them is counted.
type SignInAttempt struct {
	// Rows are the reserved failure rows (account, address).
	Rows []int64
	// Account is the account's throttle key, cleared on success.
	Account string
}

// SignInOutcome is how a sign-in attempt ended.
type SignInOutcome int

const (
	// SignInFailed keeps the reserved rows: they count as failures.
	SignInFailed SignInOutcome = iota
	// SignInSucceeded clears the account's failures and the address's row.
	SignInSucceeded
	// SignInVoid drops the reserved rows: the password was never judged
	// (hashing saturated, a dependency down).
	SignInVoid
)

// RequestLimits bound the other requests anyone may send unsigned:
// registrations and password-reset requests. Like sign-in, the count lives
// in Postgres (every replica sees it) and is set far above what a campus
// behind one address reaches.
type RequestLimits struct {
	// Registrations per client address within RegistrationWindow, each
	// attempt that passed validation (a taken address included: the count
	// also bounds probing for registered addresses). Over it: 429.
	Registrations      int
	RegistrationWindow time.Duration
	// Resets: reset requests per client address within ResetWindow; over
	// it: 429 (the same whatever the address asked for, so it tells
	// nothing about registration).
	Resets      int
	ResetWindow time.Duration
	// ResetMails: reset mails per target address within ResetMailWindow.
	// Further requests are answered 202 like every other and send no mail:
	// an inbox cannot be flooded, and the answer does not tell that the
	// address exists.
	ResetMails      int
	ResetMailWindow time.Duration
}

// DefaultRequestLimits: 1,000 registrations per address in 15 minutes
// (a campus registering 300 in 5 minutes passes), 100 reset requests per
// address and 5 reset mails per target address in an hour.
var DefaultRequestLimits = RequestLimits{
	Registrations: 1000, RegistrationWindow: 15 * time.Minute,
	Resets: 100, ResetWindow: time.Hour,
	ResetMails: 5, ResetMailWindow: time.Hour,
}

// ThrottleHorizon is the longest any throttle row counts (an account's
// failures are remembered this long): older rows count for nothing and are
// swept.
const ThrottleHorizon = 24 * time.Hour
