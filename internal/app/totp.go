package app

import (
	"context"
	"encoding/base64"
	"errors"
	"strings"
	"time"

	"github.com/gradzone/gradzone/internal/auth"
	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/qr"
)

// TOTPStore keeps two-factor sign-in state (internal/postgres, totp.go).
type TOTPStore interface {
	// TOTP returns the user's state. Errors: not_found.
	TOTP(ctx context.Context, userID string) (domain.TOTPState, error)
	// BeginTOTP keeps a new sealed secret, replacing an unconfirmed one.
	// Errors: invalid_state (already on).
	BeginTOTP(ctx context.Context, userID, sealed string) error
	// EnableTOTP turns it on at step with new recovery codes while sealed
	// is still the stored key (the one the code was checked against).
	// Errors: invalid_state (already on, nothing to confirm, or replaced).
	EnableTOTP(ctx context.Context, userID, sealed string, step int64, recoveryHashes []string) error
	// SpendTOTPStep accepts step once, and no step at or before the last.
	SpendTOTPStep(ctx context.Context, userID string, step int64) (bool, error)
	// SpendRecoveryCode uses an unused recovery code once.
	SpendRecoveryCode(ctx context.Context, userID, hash string) (bool, error)
	// NewRecoveryCodes replaces the recovery codes of an account with it
	// on. Errors: invalid_state (off).
	NewRecoveryCodes(ctx context.Context, userID string, hashes []string) error
	// DisableTOTP deletes the secret and the recovery codes.
	DisableTOTP(ctx context.Context, userID string) error
}

// pendingPurpose signs the token of a sign-in waiting for its code (the
// web's second step); pendingTTL bounds it: long enough to open the app
// and type, short enough that a forgotten tab is worth nothing.
const (
	pendingPurpose = "totp-pending"
	pendingTTL     = 5 * time.Minute
)

// errPendingExpired answers a second step whose token is bad or expired:
// the password must be entered again.
var errPendingExpired = &domain.Error{Code: domain.CodeUnauthenticated, Message: "the sign-in took too long; enter your password again"}

// SignInWithCode is SignIn with the code of two-factor sign-in, which an
// account with it on needs: without it → totp_required (not a failure: the
// password was right, and nothing is cleared either); with a wrong, used or
// expired code → invalid_credentials, counted as a failed sign-in by the
// throttle like a wrong password. A recovery code works in place of a code,
// once.
func (a *Accounts) SignInWithCode(ctx context.Context, email, password, code, address string) (domain.Session, error) {
	return a.throttled(ctx, email, address, func() (domain.Session, error) { return a.login(ctx, email, password, code) })
}

// SignInStart is the first step of the web's sign-in: SignIn, except that
// when the account needs a code it also returns a short-lived signed token
// standing for the checked password (with totp_required), for
// SignInFinish. The password itself is never carried to the second step.
func (a *Accounts) SignInStart(ctx context.Context, email, password, address string) (domain.Session, string, error) {
	pending := ""
	s, err := a.throttled(ctx, email, address, func() (domain.Session, error) {
		u, err := a.checkPassword(ctx, email, password)
		if err != nil {
			return domain.Session{}, err
		}
		if err := a.secondFactor(ctx, u.ID, ""); err != nil {
			if domain.CodeOf(err) == domain.CodeTOTPRequired && a.Links != nil {
				pending = a.Links.Sign(pendingPurpose, u.ID, a.Now().Add(pendingTTL))
			}
			return domain.Session{}, err
		}
		return a.startSession(ctx, u)
	})
	return s, pending, err
}

// SignInFinish is the second step: the pending token of SignInStart and
// the code, throttled under the account like any sign-in. Errors:
// unauthenticated (token bad or expired), invalid_credentials (wrong
// code), totp_required (no code), account_disabled (disabled since the
// first step), rate_limited.
func (a *Accounts) SignInFinish(ctx context.Context, pending, code, address string) (domain.Session, error) {
	if a.Links == nil {
		return domain.Session{}, errPendingExpired
	}
	id, err := a.Links.Verify(pendingPurpose, pending, a.Now())
	if err != nil {
		return domain.Session{}, errPendingExpired
	}
	u, err := a.Store.User(ctx, id)
	if domain.CodeOf(err) == domain.CodeNotFound {
		return domain.Session{}, errPendingExpired
	}
	if err != nil {
		return domain.Session{}, err
	}
	if u.Disabled { // disabled since the password was checked
		return domain.Session{}, domain.ErrAccountDisabled
	}
	return a.throttled(ctx, u.Email, address, func() (domain.Session, error) {
		if err := a.secondFactor(ctx, u.ID, code); err != nil {
			return domain.Session{}, err
		}
		return a.startSession(ctx, u)
	})
}

// login is Login with the second factor's code.
func (a *Accounts) login(ctx context.Context, email, password, code string) (domain.Session, error) {
	u, err := a.checkPassword(ctx, email, password)
	if err != nil {
		return domain.Session{}, err
	}
	if err := a.secondFactor(ctx, u.ID, code); err != nil {
		return domain.Session{}, err
	}
	return a.startSession(ctx, u)
}

// secondFactor lets the user through when two-factor sign-in is off, or
// code is a good code or an unused recovery code (spent by this call).
func (a *Accounts) secondFactor(ctx context.Context, userID, code string) error {
	st, err := a.Store.TOTP(ctx, userID)
	if err != nil {
		return err
	}
	if !st.Enabled() {
		return nil
	}
	if strings.TrimSpace(code) == "" {
		return domain.ErrTOTPRequired
	}
	ok, err := a.spendCode(ctx, userID, st, code)
	if err != nil {
		return err
	}
	if !ok {
		return domain.ErrWrongTOTP
	}
	return nil
}

// spendCode accepts a six-digit code of the secret newer than the last one
// accepted, or else an unused recovery code, and spends it.
func (a *Accounts) spendCode(ctx context.Context, userID string, st domain.TOTPState, code string) (bool, error) {
	code = strings.ReplaceAll(strings.TrimSpace(code), " ", "")
	if len(code) > 64 {
		return false, nil
	}
	if len(code) == 6 && strings.Trim(code, "0123456789") == "" {
		secret, err := a.openSecret(st)
		if errors.Is(err, auth.ErrUnsealable) {
			// The sealing key changed (it derives from the JWT secret): no
			// code can be checked, so none is accepted; a recovery code
			// still signs the staff member in to enrol again.
			a.Log.Error("a TOTP secret cannot be opened: was GRADZONE_JWT_SECRET changed? the user needs a recovery code", "user", userID)
			return false, nil
		}
		if err != nil {
			return false, err
		}
		step, ok := auth.TOTPStep(secret, code, a.Now(), st.LastStep)
		if !ok {
			return false, nil
		}
		return a.Store.SpendTOTPStep(ctx, userID, step)
	}
	return a.Store.SpendRecoveryCode(ctx, userID, auth.HashRecoveryCode(code))
}

func (a *Accounts) openSecret(st domain.TOTPState) (string, error) {
	if a.Sealer == nil {
		return "", errors.New("app: no sealer configured for TOTP secrets")
	}
	return a.Sealer.Open(st.Sealed)
}

// totpCaller lets every signed-in account manage its two-step sign-in:
// staff and employers reach other people's data, and a graduate's account
// holds their own.
func totpCaller(c domain.Caller) error {
	if !c.Signed() {
		return domain.ErrUnauthenticated
	}
	return nil
}

var (
	errTOTPNotBegun  = &domain.Error{Code: domain.CodeInvalidState, Message: "no enrolment to confirm: start with POST /api/v1/me/totp"}
	errTOTPAlreadyOn = &domain.Error{Code: domain.CodeInvalidState, Message: "two-factor sign-in is already on; turn it off first"}
)

// TOTPStatus says whether the caller's two-factor sign-in is on and how
// many recovery codes are left. Errors: unauthenticated.
func (a *Accounts) TOTPStatus(ctx context.Context, c domain.Caller) (domain.TOTPStatus, error) {
	if err := totpCaller(c); err != nil {
		return domain.TOTPStatus{}, err
	}
	st, err := a.Store.TOTP(ctx, c.UserID)
	if err != nil {
		return domain.TOTPStatus{}, err
	}
	out := domain.TOTPStatus{Enabled: st.Enabled(), EnabledAt: st.EnabledAt}
	if st.Enabled() {
		out.RecoveryCodesLeft = st.RecoveryLeft
	}
	return out, nil
}

// BeginTOTP makes a new secret for the caller's authenticator app, kept
// sealed and unused until ConfirmTOTP. Calling it again replaces an
// unconfirmed secret. Errors: unauthenticated, invalid_state (on).
func (a *Accounts) BeginTOTP(ctx context.Context, c domain.Caller) (domain.TOTPEnrolment, error) {
	if err := totpCaller(c); err != nil {
		return domain.TOTPEnrolment{}, err
	}
	if a.Sealer == nil {
		return domain.TOTPEnrolment{}, errors.New("app: no sealer configured for TOTP secrets")
	}
	u, err := a.Store.User(ctx, c.UserID)
	if err != nil {
		return domain.TOTPEnrolment{}, err
	}
	secret, url, err := auth.NewTOTPKey(domain.TOTPIssuer, u.Email)
	if err != nil {
		return domain.TOTPEnrolment{}, err
	}
	e, err := enrolment(secret, url)
	if err != nil {
		return domain.TOTPEnrolment{}, err
	}
	if err := a.Store.BeginTOTP(ctx, c.UserID, a.Sealer.Seal(secret)); err != nil {
		return domain.TOTPEnrolment{}, err
	}
	return e, nil
}

// enrolment is the secret with its URL and the URL's QR code.
func enrolment(secret, url string) (domain.TOTPEnrolment, error) {
	png, err := qr.PNG(url)
	if err != nil {
		return domain.TOTPEnrolment{}, err
	}
	return domain.TOTPEnrolment{Secret: secret, URL: url, QR: "data:image/png;base64," + base64.StdEncoding.EncodeToString(png)}, nil
}

// PendingTOTP returns the caller's unconfirmed enrolment, if one was begun
// (the web page shows it again after a wrong code): ok is false when there
// is none or two-factor sign-in is already on. Errors: unauthenticated.
func (a *Accounts) PendingTOTP(ctx context.Context, c domain.Caller) (e domain.TOTPEnrolment, ok bool, err error) {
	if err := totpCaller(c); err != nil {
		return e, false, err
	}
	st, err := a.Store.TOTP(ctx, c.UserID)
	if err != nil || st.Enabled() || st.Sealed == "" {
		return e, false, err
	}
	secret, err := a.openSecret(st)
	if err != nil {
		return e, false, err
	}
	u, err := a.Store.User(ctx, c.UserID)
	if err != nil {
		return e, false, err
	}
	secret, url, err := auth.TOTPKey(domain.TOTPIssuer, u.Email, secret)
	if err != nil {
		return e, false, err
	}
	e, err = enrolment(secret, url)
	return e, err == nil, err
}

// ConfirmTOTP turns two-factor sign-in on with a code of the new secret
// and returns the recovery codes, shown this once. Errors: unauthenticated,
// invalid_state (on already, or nothing begun), validation_failed (code).
func (a *Accounts) ConfirmTOTP(ctx context.Context, c domain.Caller, code string) (domain.RecoveryCodes, error) {
	if err := totpCaller(c); err != nil {
		return domain.RecoveryCodes{}, err
	}
	st, err := a.Store.TOTP(ctx, c.UserID)
	if err != nil {
		return domain.RecoveryCodes{}, err
	}
	switch {
	case st.Enabled():
		return domain.RecoveryCodes{}, errTOTPAlreadyOn
	case st.Sealed == "":
		return domain.RecoveryCodes{}, errTOTPNotBegun
	}
	code = strings.ReplaceAll(strings.TrimSpace(code), " ", "")
	if code == "" {
		return domain.RecoveryCodes{}, domain.FieldError("code", "is required")
	}
	secret, err := a.openSecret(st)
	if err != nil {
		return domain.RecoveryCodes{}, err
	}
	step, ok := auth.TOTPStep(secret, code, a.Now(), st.LastStep)
	if !ok {
		return domain.RecoveryCodes{}, domain.FieldError("code", domain.ReasonWrongNewTOTP)
	}
	codes, hashes := auth.NewRecoveryCodes(domain.RecoveryCodeCount)
	if err := a.Store.EnableTOTP(ctx, c.UserID, st.Sealed, step, hashes); err != nil {
		return domain.RecoveryCodes{}, err
	}
	return domain.RecoveryCodes{Codes: codes}, nil
}

// NewRecoveryCodes replaces the caller's recovery codes (the old ones, used
// or not, stop working) and returns the new ones, shown this once: a user
// who spent most of them, or fears they were seen, need not turn two-step
// sign-in off and on. Like turning it off it takes the password and a code
// (or a recovery code), and the owner is mailed. Errors: unauthenticated,
// invalid_state (not on), validation_failed (password, code), rate_limited.
func (a *Accounts) NewRecoveryCodes(ctx context.Context, c domain.Caller, password, code string) (domain.RecoveryCodes, error) {
	if err := a.checkTOTPChange(ctx, c, password, code); err != nil {
		return domain.RecoveryCodes{}, err
	}
	codes, hashes := auth.NewRecoveryCodes(domain.RecoveryCodeCount)
	if err := a.Store.NewRecoveryCodes(ctx, c.UserID, hashes); err != nil {
		return domain.RecoveryCodes{}, err
	}
	return domain.RecoveryCodes{Codes: codes}, nil
}

// DisableTOTP turns two-factor sign-in off with the password and a code
// (or a recovery code): a session left open is not enough. Errors:
// unauthenticated, invalid_state (not on), validation_failed (password, code),
// rate_limited (hashing saturated).
func (a *Accounts) DisableTOTP(ctx context.Context, c domain.Caller, password, code string) error {
	if err := a.checkTOTPChange(ctx, c, password, code); err != nil {
		return err
	}
	return a.Store.DisableTOTP(ctx, c.UserID)
}

// checkTOTPChange asks a change of two-step sign-in for the password and a
// code (or a recovery code, spent): a session left open is not enough.
func (a *Accounts) checkTOTPChange(ctx context.Context, c domain.Caller, password, code string) error {
	if err := totpCaller(c); err != nil {
		return err
	}
	var v domain.Validation
	v.Check(password != "", "password", "is required")
	v.Check(strings.TrimSpace(code) != "", "code", "is required")
	if err := v.Err(); err != nil {
		return err
	}
	st, err := a.Store.TOTP(ctx, c.UserID)
	if err != nil {
		return err
	}
	if !st.Enabled() {
		return domain.ErrTOTPOff
	}
	// The password and the code are one attempt for the throttle: a right
	// password alone must not clear the count of wrong codes.
	_, err = a.recheck(ctx, c.UserID, "password", password, func() error {
		ok, err := a.spendCode(ctx, c.UserID, st, code)
		if err == nil && !ok {
			err = domain.ErrWrongTOTP
		}
		return err
	})
	return err
}
