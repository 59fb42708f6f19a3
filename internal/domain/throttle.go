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
