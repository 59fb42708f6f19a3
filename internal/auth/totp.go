package auth

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// TOTP codes are RFC 6238's defaults, the only ones every authenticator
// app reads from a QR code: SHA-1, 6 digits, 30-second steps.
const (
	totpPeriod = 30
	// totpSkew is how many steps before and after the current one a code
	// is accepted: a phone's clock a little off, a code typed as it turned.
	totpSkew = 1
)

var totpOpts = totp.ValidateOpts{Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// NewTOTPKey returns a new random secret (base32, 160 bits as RFC 4226
// recommends) and its otpauth:// URL for an authenticator app.
func NewTOTPKey(issuer, account string) (secret, url string, err error) {
	raw := make([]byte, 20)
	if _, err := rand.Read(raw); err != nil {
		return "", "", err
	}
	return TOTPKey(issuer, account, base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(raw))
}

// TOTPKey returns the otpauth:// URL of an existing secret (to show an
// unconfirmed enrolment again), and the secret as the library spells it.
func TOTPKey(issuer, account, secret string) (string, string, error) {
	raw, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.ToUpper(secret))
	if err != nil {
		return "", "", err
	}
	k, err := totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: account, Period: totpPeriod,
		Secret: raw, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		return "", "", err
	}
	return k.Secret(), k.URL(), nil
}

// TOTPStep returns the time step (Unix time / 30 s) at which code is the
// secret's code, looking one step either side of now, and only at steps
// after `after` (the step of the last code accepted): a code is good once,
// and an older one never again. ok is false when no step matches.
func TOTPStep(secret, code string, now time.Time, after int64) (step int64, ok bool) {
	if len(code) != 6 {
		return 0, false
	}
	cur := now.Unix() / totpPeriod
	for s := cur - totpSkew; s <= cur+totpSkew; s++ {
		if s <= after {
			continue
		}
		want, err := totp.GenerateCodeCustom(secret, time.Unix(s*totpPeriod, 0), totpOpts)
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return s, true
		}
	}
	return 0, false
}

// NewRecoveryCodes returns n one-time recovery codes as shown to the user
// (ten base32 characters in two groups, 50 bits each: too many to guess
// under the sign-in throttle) and their stored hashes.
func NewRecoveryCodes(n int) (codes, hashes []string) {
	for range n {
		b := make([]byte, 7)
		_, _ = rand.Read(b)
		s := strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))[:10]
		codes = append(codes, s[:5]+"-"+s[5:])
		hashes = append(hashes, HashRecoveryCode(s))
	}
	return codes, hashes
}

// HashRecoveryCode returns the stored form of a recovery code, as typed:
// case, spaces and dashes do not matter.
func HashRecoveryCode(code string) string {
	c := strings.ToLower(strings.NewReplacer("-", "", " ", "").Replace(strings.TrimSpace(code)))
	sum := sha256.Sum256([]byte("recovery:" + c))
	return hex.EncodeToString(sum[:])
}

// Sealer encrypts small secrets kept in the database (TOTP secrets) with
// AES-256-GCM under a key derived from GRADZONE_JWT_SECRET for this use
// only: a copy of the database alone does not give the codes. Changing
// the JWT secret makes sealed secrets unreadable (staff then enrol again).
type Sealer struct {
	aead cipher.AEAD
}

// NewSealer derives the sealing key from secret.
func NewSealer(secret string) *Sealer {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte("gradzone sealed secrets v1"))
	block, _ := aes.NewCipher(m.Sum(nil)) // a 32-byte key never fails
	aead, _ := cipher.NewGCM(block)
	return &Sealer{aead: aead}
}

// ErrUnsealable is a sealed value that does not open: altered, or sealed
// under another key.
var ErrUnsealable = errors.New("auth: sealed value does not open")

// Seal encrypts plain; the result is URL-safe base64 of nonce and box.
func (s *Sealer) Seal(plain string) string {
	nonce := make([]byte, s.aead.NonceSize())
	_, _ = rand.Read(nonce)
	return base64.RawURLEncoding.EncodeToString(s.aead.Seal(nonce, nonce, []byte(plain), nil))
}

// Open decrypts what Seal made. Errors: ErrUnsealable.
func (s *Sealer) Open(sealed string) (string, error) {
	b, err := base64.RawURLEncoding.DecodeString(sealed)
	if err != nil || len(b) < s.aead.NonceSize() {
		return "", ErrUnsealable
	}
	plain, err := s.aead.Open(nil, b[:s.aead.NonceSize()], b[s.aead.NonceSize():], nil)
	if err != nil {
		return "", ErrUnsealable
	}
	return string(plain), nil
}

// TOTPCode is the secret's code at t (what an authenticator app shows).
func TOTPCode(secret string, t time.Time) (string, error) {
	return totp.GenerateCodeCustom(secret, t, totpOpts)
}
