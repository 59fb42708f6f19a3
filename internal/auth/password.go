// Package auth hashes passwords, issues and checks access tokens and makes
// refresh tokens; it also signs the tokens of mailed links (Links), checks
// two-step codes and seals their keys (totp.go). It is the only package that
// imports golang-jwt, pquerna/otp and golang.org/x/crypto.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"

	"golang.org/x/crypto/argon2"
)

// Argon2id parameters: OWASP's recommended minimum (19 MiB, 2 passes, 1 lane).
const (
	argonMemoryKiB = 19 * 1024
	argonTime      = 2
	argonThreads   = 1
	argonKeyLen    = 32
	argonSaltLen   = 16
)

// Hasher hashes and checks passwords with argon2id. It bounds how many hashes
// run at once, so a flood of logins cannot take every core and all memory
// from the rest of the API.
type Hasher struct {
	slots    chan struct{}
	computed atomic.Int64
}

// NewHasher returns a Hasher that runs at most concurrent hashes at a time.
func NewHasher(concurrent int) *Hasher {
	if concurrent < 1 {
		concurrent = 1
	}
	return &Hasher{slots: make(chan struct{}, concurrent)}
}

// ErrBusy means no hashing slot freed up before the context ended.
var ErrBusy = errors.New("auth: password hashing is saturated")

func (h *Hasher) acquire(ctx context.Context) error {
	select {
	case h.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ErrBusy
	}
}

func (h *Hasher) release() { <-h.slots }

// Acquire holds one hashing slot until release is called, as a hash would.
// Load tests and the equal-time sign-in tests use it to model saturation.
func (h *Hasher) Acquire(ctx context.Context) (release func(), err error) {
	if err := h.acquire(ctx); err != nil {
		return nil, err
	}
	return h.release, nil
}

// Computed is how many argon2id derivations have run: what an observer of
// timing can count, so tests compare sign-in paths by it.
func (h *Hasher) Computed() int64 { return h.computed.Load() }

// Hash returns a PHC-format argon2id hash of password.
func (h *Hasher) Hash(ctx context.Context, password string) (string, error) {
	if err := h.acquire(ctx); err != nil {
		return "", err
	}
	defer h.release()
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	h.computed.Add(1)
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemoryKiB, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemoryKiB, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// Verify reports whether password matches the PHC hash encoded.
func (h *Hasher) Verify(ctx context.Context, encoded, password string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errors.New("auth: not an argon2id hash")
	}
	var mem, iters uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &mem, &iters, &threads); err != nil {
		return false, fmt.Errorf("auth: hash parameters: %w", err)
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil {
		return false, errors.New("auth: hash encoding")
	}
	if err := h.acquire(ctx); err != nil {
		return false, err
	}
	defer h.release()
	h.computed.Add(1)
	got := argon2.IDKey([]byte(password), salt, iters, mem, threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// StandInHash is verified in place of a stored hash when a sign-in names an
// unknown address, so that path costs the same hash, with the same
// parameters, as a wrong password. No password is known to match it.
const StandInHash = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2BFxVy1M4xnm1bCLhZBfu5iJXtZWc3zwUgKppFGjuGY"
