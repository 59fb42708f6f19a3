package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"sync/atomic"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
)

// Token lifetimes.
const (
	AccessTTL  = 15 * time.Minute
	RefreshTTL = 30 * 24 * time.Hour
)

const (
	issuer   = "gradzone"
	audience = "gradzone-api"
)

// Claims are what an access token carries.
type Claims struct {
	Role string `json:"role"`
	// SID is the session (refresh-token family) the token belongs to.
	SID string `json:"sid,omitempty"`
	jwt.RegisteredClaims
}

// Tokens issues and verifies HS256 access tokens.
type Tokens struct {
	secret []byte
	clock  atomic.Pointer[func() time.Time]
}

// NewTokens returns a Tokens signing with secret.
func NewTokens(secret string) *Tokens {
	t := &Tokens{secret: []byte(secret)}
	t.SetClock(time.Now)
	return t
}

// SetClock sets the time tokens are issued and checked at (tests move it
// past AccessTTL to see a client renew its session).
func (t *Tokens) SetClock(now func() time.Time) { t.clock.Store(&now) }

func (t *Tokens) now() time.Time { return (*t.clock.Load())() }

// Issue returns a signed access token for the user, its jti and expiry.
func (t *Tokens) Issue(userID, role string) (token, jti string, expires time.Time, err error) {
	return t.IssueSession(userID, role, "")
}

// IssueSession is Issue for the sign-in session sid (its refresh-token
// family): logging out with the token can then end the whole session.
func (t *Tokens) IssueSession(userID, role, sid string) (token, jti string, expires time.Time, err error) {
	now := t.now()
	jti = uuid.NewString()
	expires = now.Add(AccessTTL)
	claims := Claims{
		Role: role,
		SID:  sid,
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    issuer,
			Subject:   userID,
			Audience:  jwt.ClaimStrings{audience},
			ExpiresAt: jwt.NewNumericDate(expires),
			IssuedAt:  jwt.NewNumericDate(now),
			NotBefore: jwt.NewNumericDate(now.Add(-30 * time.Second)),
			ID:        jti,
		},
	}
	token, err = jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(t.secret)
	return token, jti, expires, err
}

// ErrInvalidToken covers every reason a token is refused.
var ErrInvalidToken = errors.New("auth: invalid token")

// Verify checks signature (HS256 only: "none" and every other algorithm are
// refused), issuer, audience, expiry, issue time and the presence of sub and jti.
func (t *Tokens) Verify(token string) (*Claims, error) {
	var c Claims
	_, err := jwt.ParseWithClaims(token, &c, func(*jwt.Token) (any, error) { return t.secret, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithIssuer(issuer),
		jwt.WithAudience(audience),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithTimeFunc(t.now),
	)
	if err != nil || c.Subject == "" || c.ID == "" || c.IssuedAt == nil {
		return nil, ErrInvalidToken
	}
	if _, err := uuid.Parse(c.ID); err != nil {
		return nil, ErrInvalidToken
	}
	return &c, nil
}

// NewRefreshToken returns a random opaque refresh token and the hash to store.
// Only the hash is kept, so a database leak does not hand out sessions.
func NewRefreshToken() (token, hash string) {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, HashRefreshToken(token)
}

// HashRefreshToken returns the stored form of a refresh token.
func HashRefreshToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
