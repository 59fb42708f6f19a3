package domain

import "time"

// SignInLimits bound failed sign-ins. An account is refused further attempts
// once AccountFailures failures happened within AccountWindow, whoever sent
// them and from wherever: guessing one password needs many tries, so the
// count follows the account, not the address (addresses are cheap to change
// and shared by whole campuses). The per-address count is only a flood guard
// set far above what a campus signing in correctly reaches.
type SignInLimits struct {
	AccountFailures int
	AccountWindow   time.Duration
	AddressFailures int
	AddressWindow   time.Duration
}

// DefaultSignInLimits are the contract's: 10 failures in 15 minutes per
// account; 2,000 failures in 5 minutes per address.
var DefaultSignInLimits = SignInLimits{
	AccountFailures: 10, AccountWindow: 15 * time.Minute,
	AddressFailures: 2000, AddressWindow: 5 * time.Minute,
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

// ThrottleHorizon is the longest window of any limit: rows older than it
// count for nothing and are swept.
const ThrottleHorizon = time.Hour
