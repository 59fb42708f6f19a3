package auth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"time"
)

// Links signs the tokens of links that act without signing in (a mail's
// one-click unsubscribe): each token names one purpose and one subject and
// expires, and cannot be made or altered without the server's secret. The
// key is derived from GRADZONE_JWT_SECRET for this use only, so a link
// token is never a valid access token or the reverse.
type Links struct {
	key []byte
}

// ErrBadLink is any token that does not verify: forged, altered, of
// another purpose or expired. Callers answer all of them alike.
var ErrBadLink = errors.New("invalid or expired link")

// NewLinks derives the link-signing key from secret.
func NewLinks(secret string) *Links {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte("gradzone link tokens v1"))
	return &Links{key: m.Sum(nil)}
}

// Sign returns a URL-safe token for subject, valid for purpose until
// expires.
func (l *Links) Sign(purpose, subject string, expires time.Time) string {
	payload := subject + "." + strconv.FormatInt(expires.Unix(), 36)
	return base64.RawURLEncoding.EncodeToString([]byte(payload)) + "." + l.mac(purpose, payload)
}

// Verify returns the subject of a token signed for purpose that has not
// expired at now. Errors: ErrBadLink.
func (l *Links) Verify(purpose, token string, now time.Time) (string, error) {
	enc, mac, ok := strings.Cut(token, ".")
	if !ok || len(token) > 512 {
		return "", ErrBadLink
	}
	raw, err := base64.RawURLEncoding.DecodeString(enc)
	if err != nil {
		return "", ErrBadLink
	}
	payload := string(raw)
	if !hmac.Equal([]byte(mac), []byte(l.mac(purpose, payload))) {
		return "", ErrBadLink
	}
	i := strings.LastIndexByte(payload, '.')
	if i < 0 {
		return "", ErrBadLink
	}
	exp, err := strconv.ParseInt(payload[i+1:], 36, 64)
	if err != nil || now.Unix() > exp {
		return "", ErrBadLink
	}
	return payload[:i], nil
}

// MailToken derives the one-time token of a mailed link (address
// verification, password reset) from the ID of its stored row. The row
// keeps only the token's hash and the mail job only the ID, so neither the
// database nor the job queue holds a usable token; the mail sender derives
// it again when it writes the mail.
func (l *Links) MailToken(id string) string {
	return l.mac("account-token", id)
}

// Pseudonym names value for purpose by a keyed hash: the same value has
// the same name on every replica, and the name does not give the value
// back (an address counted once without being stored).
func (l *Links) Pseudonym(purpose, value string) string {
	return l.mac(purpose, value)
}

// mac binds the purpose into the signature, so a token made for one use
// is refused by every other.
func (l *Links) mac(purpose, payload string) string {
	m := hmac.New(sha256.New, l.key)
	m.Write([]byte(purpose))
	m.Write([]byte{0})
	m.Write([]byte(payload))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}
