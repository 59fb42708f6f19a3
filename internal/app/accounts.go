package app

import (
	"context"
	"crypto/subtle"
	"errors"
	"math"
	"strings"
	"time"

	"github.com/gradzone/gradzone/internal/auth"
	"github.com/gradzone/gradzone/internal/domain"
)

// errBusy is answered when every password-hashing slot stayed taken: the
// client should retry shortly.
var errBusy = &domain.Error{Code: domain.CodeRateLimited, Message: "too many sign-ins at once; retry shortly", RetryAfter: 1}

func (a *Accounts) hashWait() time.Duration {
	if a.HashWait > 0 {
		return a.HashWait
	}
	return 5 * time.Second
}

func (a *Accounts) hash(ctx context.Context, password string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, a.hashWait())
	defer cancel()
	h, err := a.Hasher.Hash(ctx, password)
	if errors.Is(err, auth.ErrBusy) {
		return "", errBusy
	}
	return h, err
}

// RegisterGraduate signs up a graduate and starts a session. The account
// starts unverified; its verification mail is queued with it.
// Errors: validation_failed, email_taken, rate_limited (too many from the
// client's address, or hashing saturated).
func (a *Accounts) RegisterGraduate(ctx context.Context, r domain.GraduateRegistration) (domain.Session, error) {
	if err := r.ValidateSignUp(domain.DateOf(a.Now()).Year); err != nil {
		return domain.Session{}, err
	}
	return a.signUp(ctx, r.Password, func(h string, verify domain.AccountToken) (domain.User, error) {
		r.Verify = &verify
		return a.Store.CreateGraduate(ctx, r, h)
	})
}

// RegisterEmployer signs up an employer user with its organisation, which
// starts pending verification; the user's address starts unverified and
// its verification mail is queued with it. Errors: validation_failed, email_taken,
// credit_code_taken, rate_limited.
func (a *Accounts) RegisterEmployer(ctx context.Context, r domain.EmployerRegistration) (domain.Session, error) {
	if err := r.ValidateSignUp(); err != nil {
		return domain.Session{}, withPlace(ctx, a.Store, err, r.Organisation, "employer.")
	}
	return a.signUp(ctx, r.Password, func(h string, verify domain.AccountToken) (domain.User, error) {
		r.Verify = &verify
		u, _, err := a.Store.CreateEmployerAccount(ctx, r, h)
		return u, err
	})
}

// signUp is what both self-registrations share after validation: the
// password's hash, the address-verification token stored (and its mail
// queued) with the new account by create, and the first session.
func (a *Accounts) signUp(ctx context.Context, password string, create func(hash string, verify domain.AccountToken) (domain.User, error)) (domain.Session, error) {
	// Counted before the costly hash, per client address (throttle.go).
	if err := a.throttleRegistration(ctx); err != nil {
		return domain.Session{}, err
	}
	h, err := a.hash(ctx, password)
	if err != nil {
		return domain.Session{}, err
	}
	t, err := newAccountToken(a.Links, domain.TokenVerifyEmail, a.Now())
	if err != nil {
		return domain.Session{}, err
	}
	u, err := create(h, t)
	if err != nil {
		return domain.Session{}, err
	}
	return a.startSession(ctx, u)
}

// CreateStaff creates a staff account without an audit line: tests'
// fixtures and the load test's accounts (the seed calls the store's).
// Errors: validation_failed, email_taken, rate_limited.
func (a *Accounts) CreateStaff(ctx context.Context, s domain.StaffAccount) (domain.User, error) {
	return a.createStaff(ctx, s, a.Store.CreateStaff)
}

// CreateStaffByOperator creates a staff account for its operator
// (`gradzone user create`), with its audit line (user.created) in the
// account's scope, naming the operator in ctx (domain.WithOperator): the
// staff who see the scope see that an account was made in it. Errors:
// validation_failed, email_taken, rate_limited.
func (a *Accounts) CreateStaffByOperator(ctx context.Context, s domain.StaffAccount) (domain.User, error) {
	return a.createStaff(ctx, s, a.Store.CreateStaffByOperator)
}

func (a *Accounts) createStaff(ctx context.Context, s domain.StaffAccount,
	create func(context.Context, domain.StaffAccount, string) (domain.User, error)) (domain.User, error) {
	if err := s.Validate(); err != nil {
		return domain.User{}, err
	}
	h, err := a.hash(ctx, s.Password)
	if err != nil {
		return domain.User{}, err
	}
	return create(ctx, s, h)
}

// ErrInvalidCredentials is the one answer to a wrong email or password.
var ErrInvalidCredentials = &domain.Error{Code: domain.CodeInvalidCredentials, Message: "email or password is incorrect"}

// Login checks email and password (and answers totp_required for an
// account with two-factor sign-in on: SignInWithCode takes the code).
// Errors: invalid_credentials, account_disabled, totp_required,
// rate_limited (hashing saturated).
func (a *Accounts) Login(ctx context.Context, email, password string) (domain.Session, error) {
	return a.login(ctx, email, password, "")
}

// checkPassword returns the account of email when password is its
// password. An unknown email takes the very same path as a wrong password
// — one lookup, one wait for a hashing slot, one argon2id verification (of
// a stand-in hash), the same answer, and "busy" alike when hashing is
// saturated — so neither the answer nor its timing tells which addresses
// are registered. The right password of a disabled account answers
// account_disabled (before any second factor is asked for). Errors:
// invalid_credentials, account_disabled, rate_limited.
func (a *Accounts) checkPassword(ctx context.Context, email, password string) (domain.User, error) {
	email = domain.NormalizeEmail(email)
	if email == "" || password == "" || len(password) > 1024 {
		return domain.User{}, ErrInvalidCredentials
	}
	hctx, cancel := context.WithTimeout(ctx, a.hashWait())
	defer cancel()
	u, hash, err := a.Store.Credentials(ctx, email)
	known := err == nil
	if !known && domain.CodeOf(err) != domain.CodeNotFound {
		return domain.User{}, err
	}
	if !known {
		hash = auth.StandInHash
	}
	ok, err := a.Hasher.Verify(hctx, hash, password)
	if errors.Is(err, auth.ErrBusy) {
		return domain.User{}, errBusy
	}
	if err != nil || !ok || !known {
		return domain.User{}, ErrInvalidCredentials
	}
	if u.Disabled { // only the right password learns it
		return domain.User{}, domain.ErrAccountDisabled
	}
	return u, nil
}

// Refresh rotates a refresh token into a new pair. A token used twice
// revokes every token descended from the same sign-in. The new refresh
// token expires after domain.SessionIdle, and never later than
// domain.SessionMaxAge after the sign-in. Errors: unauthenticated.
func (a *Accounts) Refresh(ctx context.Context, refreshToken string) (domain.Session, error) {
	refreshToken = strings.TrimSpace(refreshToken)
	if refreshToken == "" || len(refreshToken) > 200 {
		return domain.Session{}, domain.ErrUnauthenticated
	}
	next, nextHash := auth.NewRefreshToken()
	u, family, err := a.Store.RotateRefresh(ctx, auth.HashRefreshToken(refreshToken), nextHash, a.Now().Add(domain.SessionIdle), domain.ClientOf(ctx))
	if errors.Is(err, domain.ErrRefreshReused) {
		a.Log.Warn("refresh token reuse: session family revoked", "request_id", domain.RequestID(ctx))
		return domain.Session{}, &domain.Error{Code: domain.CodeUnauthenticated, Message: "this refresh token was already used; sign in again"}
	}
	if err != nil {
		return domain.Session{}, err
	}
	return a.issue(u, next, family)
}

// Logout revokes the session: the access token, its session's refresh
// chain (named in the token, so no refresh token needs to be sent), and the
// family of refreshToken when one is sent.
func (a *Accounts) Logout(ctx context.Context, c domain.Caller, jti string, accessExpires time.Time, refreshToken string) error {
	h := ""
	if refreshToken != "" {
		h = auth.HashRefreshToken(refreshToken)
	}
	return a.Store.EndSession(ctx, c.UserID, h, c.SessionID, jti, accessExpires)
}

// FormToken is the form token of a browser whose form cookie holds random,
// signed in to session sessionID ("" when signed out): a keyed hash of the
// two. The cookie alone (a double-submit cookie) could be planted by a page
// on a sibling domain or a plain-http answer, and its value then posted
// for the victim's session; the hash cannot be made without the key, and a
// token made for one session is refused in every other.
func (a *Accounts) FormToken(random, sessionID string) string {
	return a.Links.Pseudonym("form-token", random+"\x00"+sessionID)
}

// FormTokenOK reports whether sent is FormToken(random, sessionID), for a
// random of the form cookie's shape.
func (a *Accounts) FormTokenOK(random, sessionID, sent string) bool {
	return len(random) == FormCookieLength && subtle.ConstantTimeCompare([]byte(a.FormToken(random, sessionID)), []byte(sent)) == 1
}

// FormCookieLength is the length of the form cookie's random value (16
// bytes in hex).
const FormCookieLength = 32

// The site's cookies, as named over plain http (development); CookieName
// names them for a deployment.
const (
	FormCookie    = "gz_csrf"
	AccessCookie  = "gz_access" // the session's access token, which the API also reads
	RefreshCookie = "gz_refresh"
)

// CookieName is a cookie's name over https (secure): with the __Host-
// prefix, which a browser accepts only from this host, over https, for the
// whole site, so neither a sibling subdomain nor a plain-http answer can
// plant or overwrite it (a session planted that way signs the victim into
// the attacker's account).
func CookieName(name string, secure bool) string {
	if secure {
		return "__Host-" + name
	}
	return name
}

// Authenticate turns a bearer token into the caller, its jti and expiry.
// Errors: unauthenticated.
func (a *Accounts) Authenticate(ctx context.Context, token string) (domain.Caller, string, time.Time, error) {
	claims, err := a.Tokens.Verify(token)
	if err != nil {
		return domain.Caller{}, "", time.Time{}, domain.ErrUnauthenticated
	}
	c, err := a.Store.Caller(ctx, claims.Subject, claims.ID, claims.SID)
	if err != nil {
		if code := domain.CodeOf(err); code == domain.CodeInternal || code == domain.CodeUnavailable {
			return domain.Caller{}, "", time.Time{}, err
		}
		return domain.Caller{}, "", time.Time{}, domain.ErrUnauthenticated
	}
	c.SessionID = claims.SID
	return c, claims.ID, claims.ExpiresAt.Time, nil
}

func (a *Accounts) startSession(ctx context.Context, u domain.User) (domain.Session, error) {
	refresh, h := auth.NewRefreshToken()
	family, err := a.Store.StartSession(ctx, u.ID, h, a.Now().Add(domain.SessionIdle), domain.ClientOf(ctx))
	if err != nil {
		return domain.Session{}, err
	}
	return a.issue(u, refresh, family)
}

func (a *Accounts) issue(u domain.User, refresh, session string) (domain.Session, error) {
	access, _, _, err := a.Tokens.IssueSession(u.ID, string(u.Role), session)
	if err != nil {
		return domain.Session{}, err
	}
	return domain.Session{User: u, AccessToken: access, RefreshToken: refresh, ExpiresIn: int(auth.AccessTTL.Seconds())}, nil
}

// AccountStore is what address verification and password changes need
// from persistence (internal/postgres, mailtokens.go).
type AccountStore interface {
	// VerifyEmail spends a verification token and returns the account's mail
	// language. Errors: validation_failed on token (ReasonVerifiedAlready,
	// with the language, for an address verified already).
	VerifyEmail(ctx context.Context, tokenHash string) (domain.VerifiedAddress, error)
	// EmailChangeOfLink returns the new address of a usable
	// change-of-address token, "" for any other, and its account's mail
	// language.
	EmailChangeOfLink(ctx context.Context, tokenHash string) (email, language string, err error)
	// ResendVerification stores a new verification token and queues its
	// mail, at most perHour an hour. Errors: invalid_state (verified
	// already), rate_limited, not_found.
	ResendVerification(ctx context.Context, userID string, t domain.AccountToken, perHour int) error
	// ResetPassword spends a reset token, sets the password and revokes
	// every session. Errors: validation_failed on token.
	ResetPassword(ctx context.Context, tokenHash, passwordHash string) error
	// TokenUsable reports whether a token would be spent now, without
	// spending it, and its account's mail language.
	TokenUsable(ctx context.Context, purpose domain.TokenPurpose, tokenHash string) (usable bool, language string, err error)
	// ChangePassword replaces the hash was with passwordHash and revokes
	// every session but keepSession; a change committed meanwhile refuses it.
	ChangePassword(ctx context.Context, userID, was, passwordHash, keepSession string) error
	// PasswordOf returns the user's address and password hash. Errors: not_found.
	PasswordOf(ctx context.Context, userID string) (email, hash string, err error)
	// UserByEmail finds an account by its address. Errors: not_found.
	UserByEmail(ctx context.Context, email string) (domain.User, domain.Caller, error)
	// ResetStaffPassword is ChangePassword of a staff account by its
	// operator (no session kept), with its audit line. Errors: not_found.
	ResetStaffPassword(ctx context.Context, userID, was, passwordHash string) error
	// SetStaffDisabled disables (sessions signed out) or enables a staff
	// account with its audit line, and reports whether that changed it.
	// Errors: not_found.
	SetStaffDisabled(ctx context.Context, userID string, disabled bool) (bool, error)
	// ClearStaffTOTP deletes a staff account's two-step secret and recovery
	// codes, signs it out and mails the owner, with its audit line, and
	// reports whether there was anything to clear. Errors: not_found.
	ClearStaffTOTP(ctx context.Context, userID string) (bool, error)
	// RequestEmailChange stores the token of a change of the user's address
	// to email and queues its mail to that address and, when the current
	// address is proved, the owner's notice to it, unless the password hash
	// is no longer was or the session ended. Errors: email_taken, validation_failed on password,
	// unauthenticated, rate_limited (perHour an hour), not_found.
	RequestEmailChange(ctx context.Context, userID, session, was, email string, t domain.AccountToken, perHour int) error
	// EmailChangeAllowed is what RequestEmailChange would refuse a change
	// to email for, read before it is asked. Errors: email_taken,
	// rate_limited (perHour an hour).
	EmailChangeAllowed(ctx context.Context, userID, email string, perHour int) error
	// CancelEmailChange ends the user's change of address waiting for its
	// link (the link stops working). Errors: not_found when none waits.
	CancelEmailChange(ctx context.Context, userID string) error
	// Enqueue inserts background jobs in a transaction of their own.
	Enqueue(ctx context.Context, jobs ...domain.Job) error
}

// badToken is the answer to a token that is malformed, unknown, used or
// expired: the same for each, so the answer tells nothing more.
var badToken = domain.FieldError("token", domain.ReasonBadToken)

// tokenHash checks a token's shape and returns its stored form.
func tokenHash(token string) (string, error) {
	token = strings.TrimSpace(token)
	if token == "" {
		return "", domain.FieldError("token", "is required")
	}
	if len(token) > 200 {
		return "", badToken
	}
	return auth.HashRefreshToken(token), nil
}

// VerifyEmail marks the address of the token's account verified and returns
// it with the language its mail puts first (for the page the link opens).
// The link of a change of address (RequestEmailChange) goes the same way:
// it switches the account to its new address, verified (Changed). A
// token works once, for domain.VerifyEmailTTL. Errors: validation_failed on
// token: ReasonVerifiedAlready when its address is verified already (the
// address is returned then too), else ReasonBadToken; email_taken when
// another account took a changed-to address meanwhile.
func (a *Accounts) VerifyEmail(ctx context.Context, token string) (domain.VerifiedAddress, error) {
	h, err := tokenHash(token)
	if err != nil {
		return domain.VerifiedAddress{}, err
	}
	return a.Store.VerifyEmail(ctx, h)
}

// EmailChangeOfLink returns the new address a mailed link would change
// its account to, "" when the link is no usable change of address (a
// verification, or spent): a change waits for a click on its page, as a
// mail scanner that opens links must not make it (review36: an address
// mistyped would hand the account to that mailbox's owner). language is
// the language of the mail that carried the link, for its page to speak
// (the link is written out without one, as CONTRACT.md writes it).
func (a *Accounts) EmailChangeOfLink(ctx context.Context, token string) (to, language string, err error) {
	h, err := tokenHash(token)
	if err != nil {
		return "", "", nil // no token: the verification page says the link is bad
	}
	return a.Store.EmailChangeOfLink(ctx, h)
}

// verificationsPerHour bounds the verification mails of one account in an
// hour, the sign-up's included: enough for a lost mail, not a mail bomb.
const verificationsPerHour = 3

// ResendVerification mails the signed-in caller a new link to prove their
// address (the first was lost, or its link expired). Errors:
// unauthenticated, invalid_state (proved already), rate_limited.
func (a *Accounts) ResendVerification(ctx context.Context, c domain.Caller) error {
	if !c.Signed() {
		return domain.ErrUnauthenticated
	}
	t, err := newAccountToken(a.Links, domain.TokenVerifyEmail, a.Now())
	if err != nil {
		return err
	}
	return a.Store.ResendVerification(ctx, c.UserID, t, verificationsPerHour)
}

// emailChangesPerHour bounds the changes of address an account asks for
// in an hour, as verificationsPerHour bounds its verification mails: each
// mails a stranger's address.
const emailChangesPerHour = 3

// emailChangeAttemptsPerHour bounds the requests of a change of address an
// account makes in an hour whatever their answer (an address taken among
// them): ten is room for typing mistakes.
const emailChangeAttemptsPerHour = 10

// RequestEmailChange asks for the signed-in caller's address to become
// email (any role: staff change mailboxes too). It takes the current
// password, and the two-step code (or a recovery code) when the account
// has two-step sign-in on, in one throttled attempt as other sensitive
// changes do (recheck). Nothing changes yet: the new address is mailed a
// link (MailConfirmEmail, working for domain.VerifyEmailTTL) that makes
// the switch when followed (VerifyEmail), and the current address, when
// proved, a security notice saying how to stop it (a new password cancels
// the change). A newer request replaces one waiting. Errors: unauthenticated,
// validation_failed (email, password, code), email_taken, rate_limited.
func (a *Accounts) RequestEmailChange(ctx context.Context, c domain.Caller, email, password, code string) error {
	if !c.Signed() {
		return domain.ErrUnauthenticated
	}
	current, _, err := a.Store.PasswordOf(ctx, c.UserID)
	if err != nil {
		return err
	}
	email = domain.NormalizeEmail(email)
	if err := domain.CheckEmailChange(current, email); err != nil {
		return err
	}
	if password == "" {
		return domain.FieldError("password", "is required")
	}
	st, err := a.Store.TOTP(ctx, c.UserID)
	if err != nil {
		return err
	}
	// Every request past the password counts, the ones answered
	// email_taken too: else an account could ask address after address
	// whether it is registered, unbounded (review36; sign-up is bounded by
	// the client's address). What the request would be refused for is
	// read before a two-step code is spent: a refused request changes
	// nothing (review38: a taken address spent the recovery code).
	ready := func() error {
		if wait, err := a.countRequest(ctx, "email-change:"+c.UserID, time.Hour, emailChangeAttemptsPerHour); err != nil || wait > 0 {
			if err == nil {
				err = &domain.Error{Code: domain.CodeRateLimited, Message: "a change of address was asked for several times this hour; wait and try again",
					RetryAfter: int(math.Ceil(wait.Seconds()))}
			}
			return err
		}
		return a.Store.EmailChangeAllowed(ctx, c.UserID, email, emailChangesPerHour)
	}
	var also func() error
	if st.Enabled() {
		if strings.TrimSpace(code) == "" {
			return domain.FieldError("code", "is required")
		}
		also = func() error {
			if err := ready(); err != nil {
				return err
			}
			ok, err := a.spendCode(ctx, c.UserID, st, code)
			if err == nil && !ok {
				err = domain.ErrWrongTOTP
			}
			return err
		}
	}
	was, err := a.recheck(ctx, c.UserID, "password", password, also)
	if err != nil {
		return err
	}
	if also == nil {
		if err := ready(); err != nil {
			return err
		}
	}
	t, err := newAccountToken(a.Links, domain.TokenChangeEmail, a.Now())
	if err != nil {
		return err
	}
	return a.Store.RequestEmailChange(ctx, c.UserID, c.SessionID, was, email, t, emailChangesPerHour)
}

// CancelEmailChange ends the signed-in caller's change of address waiting
// for its link: the link mailed to the new address stops working, and the
// account keeps its address. It takes no password: it undoes a request,
// and changes nothing the caller has. Errors: unauthenticated, not_found
// (no change waits).
func (a *Accounts) CancelEmailChange(ctx context.Context, c domain.Caller) error {
	if !c.Signed() {
		return domain.ErrUnauthenticated
	}
	return a.Store.CancelEmailChange(ctx, c.UserID)
}

// checkNewPassword applies the sign-up rules on passwords to a new one
// (of the account at email, when known).
func checkNewPassword(field, password string, email ...string) error {
	var v domain.Validation
	domain.CheckPassword(&v, field, password, email...)
	return v.Err()
}

// ChangePassword sets a new password for the caller after checking the
// current one, and signs out every other session (the caller's stays).
// Errors: unauthenticated, validation_failed (current_password wrong,
// new_password weak or unchanged), rate_limited (hashing saturated).
func (a *Accounts) ChangePassword(ctx context.Context, c domain.Caller, current, next string) error {
	if !c.Signed() {
		return domain.ErrUnauthenticated
	}
	if current == "" {
		return domain.FieldError("current_password", "is required")
	}
	email, _, err := a.Store.PasswordOf(ctx, c.UserID)
	if err != nil {
		return err
	}
	if err := checkNewPassword("new_password", next, email); err != nil {
		return err
	}
	if next == current {
		return domain.FieldError("new_password", domain.ReasonPasswordUnchanged)
	}
	was, err := a.recheck(ctx, c.UserID, "current_password", current, nil)
	if err != nil {
		return err
	}
	h, err := a.hash(ctx, next)
	if err != nil {
		return err
	}
	return a.Store.ChangePassword(ctx, c.UserID, was, h, c.SessionID)
}

// errNoStaffAccount answers an operator's command about an address that is
// no staff account's: graduates and employers look after their own
// accounts (a reset by mail, their own sessions and two-step sign-in).
var errNoStaffAccount = &domain.Error{Code: domain.CodeNotFound, Message: "no staff account has this address (graduates and employers manage their own accounts)"}

// staffByEmail is the staff account of an address, for an operator's
// command. Errors: not_found (errNoStaffAccount).
func (a *Accounts) staffByEmail(ctx context.Context, email string) (domain.User, error) {
	u, c, err := a.Store.UserByEmail(ctx, domain.NormalizeEmail(email))
	if domain.CodeOf(err) == domain.CodeNotFound || (err == nil && !c.Role.IsStaff()) {
		return domain.User{}, errNoStaffAccount
	}
	return u, err
}

// ResetStaffPassword sets a staff account's password for its operator
// (`gradzone user reset-password`: an operator probe found a departed or
// locked-out official could be helped with SQL only). Every session of the
// account is signed out, reset links mailed before are spent, its owner
// is mailed the security notice, and the audit trail has the line
// (user.password_reset). A disabled account stays disabled. Errors:
// not_found (no staff account of that address), validation_failed (a weak
// password), rate_limited.
func (a *Accounts) ResetStaffPassword(ctx context.Context, email, password string) (domain.User, error) {
	u, err := a.staffByEmail(ctx, email)
	if err != nil {
		return domain.User{}, err
	}
	if err := checkNewPassword("password", password, u.Email); err != nil {
		return u, err
	}
	_, was, err := a.Store.PasswordOf(ctx, u.ID)
	if err != nil {
		return u, err
	}
	h, err := a.hash(ctx, password)
	if err != nil {
		return u, err
	}
	return u, a.Store.ResetStaffPassword(ctx, u.ID, was, h)
}

// DisableStaff disables a staff account (`gradzone user disable`: an
// official who left): every session is signed out at once, no token of it
// is accepted, and a sign-in with the right password answers
// account_disabled (a wrong one invalid_credentials, as ever). It reports
// whether the account was enabled before; the audit trail has the change
// (user.disabled). Errors: not_found (no staff account of that address).
func (a *Accounts) DisableStaff(ctx context.Context, email string) (domain.User, bool, error) {
	return a.setStaffDisabled(ctx, email, true)
}

// EnableStaff lets a disabled staff account sign in again (`gradzone user
// enable`), and reports whether it was disabled (user.enabled in the audit
// trail). Errors: not_found.
func (a *Accounts) EnableStaff(ctx context.Context, email string) (domain.User, bool, error) {
	return a.setStaffDisabled(ctx, email, false)
}

func (a *Accounts) setStaffDisabled(ctx context.Context, email string, disabled bool) (domain.User, bool, error) {
	u, err := a.staffByEmail(ctx, email)
	if err != nil {
		return domain.User{}, false, err
	}
	changed, err := a.Store.SetStaffDisabled(ctx, u.ID, disabled)
	if err == nil {
		u.Disabled = disabled
	}
	return u, changed, err
}

// ClearStaffTwoStep turns a staff account's two-step sign-in off for its
// operator (`gradzone user clear-two-step`: the owner lost the phone and
// the recovery codes): the secret and the recovery codes are deleted,
// every session is signed out, the owner is mailed the security notice
// and the audit trail has the line (user.two_step_cleared). It reports
// whether two-step sign-in was on (or being set up); when not, nothing is
// done. Errors: not_found.
func (a *Accounts) ClearStaffTwoStep(ctx context.Context, email string) (domain.User, bool, error) {
	u, err := a.staffByEmail(ctx, email)
	if err != nil {
		return domain.User{}, false, err
	}
	changed, err := a.Store.ClearStaffTOTP(ctx, u.ID)
	return u, changed, err
}

// CheckPassword checks a signed-in user's password again before a
// sensitive change (a new password, two-step sign-in off, erasure). A wrong
// one counts as a failed sign-in of the account (throttled): whoever holds
// a stolen token cannot guess without limit, here or at sign-in.
// Errors: validation_failed on field (wrong), rate_limited (too many
// failures, or hashing saturated).
func (a *Accounts) CheckPassword(ctx context.Context, userID, field, password string) error {
	_, err := a.recheck(ctx, userID, field, password, nil)
	return err
}

// recheck is CheckPassword with a second check (a two-factor code) made
// in the same throttled attempt when also is given: a wrong code counts as
// a failed sign-in (domain.ErrWrongTOTP → 422 on "code"), and only both
// right clear the count. It returns the hash the password was checked
// against.
func (a *Accounts) recheck(ctx context.Context, userID, field, password string, also func() error) (string, error) {
	email, old, err := a.Store.PasswordOf(ctx, userID)
	if err != nil {
		return "", err
	}
	_, err = a.throttled(ctx, email, domain.ClientOf(ctx).Address, func() (domain.Session, error) {
		hctx, cancel := context.WithTimeout(ctx, a.hashWait())
		defer cancel()
		ok, err := a.Hasher.Verify(hctx, old, password)
		if errors.Is(err, auth.ErrBusy) {
			return domain.Session{}, errBusy
		}
		if err != nil || !ok {
			return domain.Session{}, ErrInvalidCredentials
		}
		if also != nil {
			return domain.Session{}, also()
		}
		return domain.Session{}, nil
	})
	switch {
	case err == ErrInvalidCredentials:
		return "", domain.FieldError(field, domain.ReasonWrongPassword)
	case errors.Is(err, domain.ErrWrongTOTP):
		return "", domain.FieldError("code", domain.ReasonWrongTOTP)
	}
	return old, err
}

// RequestPasswordReset asks for a reset mail to email. It answers the same
// for every address: it only queues a job (Background.PasswordResetRequested
// makes the token and the mail when the address is registered), so neither
// the answer nor its timing tells whether the address has an account.
// Errors: validation_failed (email missing), rate_limited (too many
// requests from the client's address).
func (a *Accounts) RequestPasswordReset(ctx context.Context, email string) error {
	e := domain.NormalizeEmail(email)
	if e == "" {
		return domain.FieldError("email", "is required")
	}
	// Throttled per client address (429) and per target address (no more
	// mail, the same 202): see throttle.go. An address too long for any
	// account counts against its client like any other, then mails nobody.
	mail, err := a.throttleReset(ctx, e)
	if err != nil || !mail {
		return err
	}
	return a.Store.Enqueue(ctx, domain.Job{Kind: domain.JobPasswordReset, Email: e})
}

// ResetLink reports whether a reset link's token still works, so its page
// can say at once that a used or expired link is dead, and the language of
// the mail that carried it ("" when unknown), for the page to speak. An
// error reads as usable: the form's own answer then says.
func (a *Accounts) ResetLink(ctx context.Context, token string) (usable bool, language string) {
	h, err := tokenHash(token)
	if err != nil {
		return false, ""
	}
	ok, language, err := a.Store.TokenUsable(ctx, domain.TokenPasswordReset, h)
	return ok || err != nil, language
}

// ConfirmPasswordReset sets a new password with a reset token (it works
// once, for domain.PasswordResetTTL) and signs the account out everywhere.
// Errors: validation_failed (token bad, used or expired; password weak),
// rate_limited (hashing saturated).
func (a *Accounts) ConfirmPasswordReset(ctx context.Context, token, password string) error {
	h, err := tokenHash(token)
	if err != nil {
		return err
	}
	if err := checkNewPassword("password", password); err != nil {
		return err
	}
	ph, err := a.hash(ctx, password)
	if err != nil {
		return err
	}
	return a.Store.ResetPassword(ctx, h, ph)
}
