package app

import (
	"context"
	"errors"
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

// RegisterGraduate signs up a graduate and starts a session.
// Errors: validation_failed, email_taken.
func (a *Accounts) RegisterGraduate(ctx context.Context, r domain.GraduateRegistration) (domain.Session, error) {
	if err := r.ValidateSignUp(domain.DateOf(a.Now()).Year); err != nil {
		return domain.Session{}, err
	}
	h, err := a.hash(ctx, r.Password)
	if err != nil {
		return domain.Session{}, err
	}
	u, err := a.Store.CreateGraduate(ctx, r, h)
	if err != nil {
		return domain.Session{}, err
	}
	return a.startSession(ctx, u)
}

// RegisterEmployer signs up an employer user with its organisation, which
// starts pending verification. Errors: validation_failed, email_taken,
// credit_code_taken.
func (a *Accounts) RegisterEmployer(ctx context.Context, r domain.EmployerRegistration) (domain.Session, error) {
	if err := r.ValidateSignUp(); err != nil {
		return domain.Session{}, err
	}
	h, err := a.hash(ctx, r.Password)
	if err != nil {
		return domain.Session{}, err
	}
	u, _, err := a.Store.CreateEmployerAccount(ctx, r, h)
	if err != nil {
		return domain.Session{}, err
	}
	return a.startSession(ctx, u)
}

// CreateStaff creates a staff account (the CLI's `user create`).
func (a *Accounts) CreateStaff(ctx context.Context, s domain.StaffAccount) (domain.User, error) {
	if err := s.Validate(); err != nil {
		return domain.User{}, err
	}
	h, err := a.hash(ctx, s.Password)
	if err != nil {
		return domain.User{}, err
	}
	return a.Store.CreateStaff(ctx, s, h)
}

// ErrInvalidCredentials is the one answer to a wrong email or password.
var ErrInvalidCredentials = &domain.Error{Code: domain.CodeInvalidCredentials, Message: "email or password is incorrect"}

// Login checks email and password. An unknown email takes the very same
// path as a wrong password — one lookup, one wait for a hashing slot, one
// argon2id verification (of a stand-in hash), the same answer, and "busy"
// alike when hashing is saturated — so neither the answer nor its timing
// tells which addresses are registered. Errors: invalid_credentials,
// rate_limited (hashing saturated).
func (a *Accounts) Login(ctx context.Context, email, password string) (domain.Session, error) {
	email = domain.NormalizeEmail(email)
	if email == "" || password == "" || len(password) > 1024 {
		return domain.Session{}, ErrInvalidCredentials
	}
	hctx, cancel := context.WithTimeout(ctx, a.hashWait())
	defer cancel()
	u, hash, err := a.Store.Credentials(ctx, email)
	known := err == nil
	if !known && domain.CodeOf(err) != domain.CodeNotFound {
		return domain.Session{}, err
	}
	if !known {
		hash = auth.StandInHash
	}
	ok, err := a.Hasher.Verify(hctx, hash, password)
	if errors.Is(err, auth.ErrBusy) {
		return domain.Session{}, errBusy
	}
	if err != nil || !ok || !known {
		return domain.Session{}, ErrInvalidCredentials
	}
	return a.startSession(ctx, u)
}

// Refresh rotates a refresh token into a new pair. A token used twice
// revokes every token descended from the same sign-in. Errors: unauthenticated.
func (a *Accounts) Refresh(ctx context.Context, refreshToken string) (domain.Session, error) {
	refreshToken = strings.TrimSpace(refreshToken)
	if refreshToken == "" || len(refreshToken) > 200 {
		return domain.Session{}, domain.ErrUnauthenticated
	}
	next, nextHash := auth.NewRefreshToken()
	u, family, err := a.Store.RotateRefresh(ctx, auth.HashRefreshToken(refreshToken), nextHash, a.Now().Add(auth.RefreshTTL))
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

// Authenticate turns a bearer token into the caller, its jti and expiry.
// Errors: unauthenticated.
func (a *Accounts) Authenticate(ctx context.Context, token string) (domain.Caller, string, time.Time, error) {
	claims, err := a.Tokens.Verify(token)
	if err != nil {
		return domain.Caller{}, "", time.Time{}, domain.ErrUnauthenticated
	}
	c, err := a.Store.Caller(ctx, claims.Subject, claims.ID)
	if err != nil {
		if domain.CodeOf(err) == domain.CodeInternal {
			return domain.Caller{}, "", time.Time{}, err
		}
		return domain.Caller{}, "", time.Time{}, domain.ErrUnauthenticated
	}
	c.SessionID = claims.SID
	return c, claims.ID, claims.ExpiresAt.Time, nil
}

func (a *Accounts) startSession(ctx context.Context, u domain.User) (domain.Session, error) {
	refresh, h := auth.NewRefreshToken()
	family, err := a.Store.StartSession(ctx, u.ID, h, a.Now().Add(auth.RefreshTTL))
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
