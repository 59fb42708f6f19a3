package auth_test

import (
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/gradzone/gradzone/internal/auth"
)

// A code is accepted at its step and one step either side, never at or
// before the last accepted step, and never far from now.
func TestTOTPStep(t *testing.T) {
	secret, url, err := auth.NewTOTPKey("gradzone", "a@example.test")
	if err != nil || !strings.Contains(url, "secret="+secret) || len(secret) != 32 {
		t.Fatalf("key %q %q %v", secret, url, err)
	}
	now := time.Unix(1_800_000_000, 0)
	step := now.Unix() / 30
	code, _ := totp.GenerateCode(secret, now)
	if s, ok := auth.TOTPStep(secret, code, now, 0); !ok || s != step {
		t.Fatalf("current code: step %d ok %v", s, ok)
	}
	if _, ok := auth.TOTPStep(secret, code, now.Add(30*time.Second), 0); !ok {
		t.Fatal("a code one step old is refused")
	}
	if _, ok := auth.TOTPStep(secret, code, now.Add(90*time.Second), 0); ok {
		t.Fatal("a code three steps old is accepted")
	}
	if _, ok := auth.TOTPStep(secret, code, now, step); ok {
		t.Fatal("a code of the last accepted step is accepted again")
	}
	if _, ok := auth.TOTPStep(secret, "12345", now, 0); ok {
		t.Fatal("a five-digit code is accepted")
	}
	// The URL of an existing secret is the same as when it was made.
	if s, u, err := auth.TOTPKey("gradzone", "a@example.test", secret); err != nil || s != secret || u != url {
		t.Fatalf("rebuilt key %q %q %v, want %q", s, u, err, url)
	}
}

// A sealed secret opens with the same key only, and not when altered.
func TestSealer(t *testing.T) {
	s := auth.NewSealer(strings.Repeat("k", 40))
	box := s.Seal("JBSWY3DPEHPK3PXP")
	if strings.Contains(box, "JBSWY3DPEHPK3PXP") || box == s.Seal("JBSWY3DPEHPK3PXP") {
		t.Fatalf("sealed value %q shows the secret or repeats", box)
	}
	if got, err := s.Open(box); err != nil || got != "JBSWY3DPEHPK3PXP" {
		t.Fatalf("open: %q %v", got, err)
	}
	if _, err := auth.NewSealer(strings.Repeat("x", 40)).Open(box); err == nil {
		t.Fatal("opened under another key")
	}
	b := []byte(box)
	b[len(b)-2] ^= 1
	if _, err := s.Open(string(b)); err == nil {
		t.Fatal("an altered box opened")
	}
}

// Recovery codes are distinct, typed any case with or without the dash.
func TestRecoveryCodes(t *testing.T) {
	codes, hashes := auth.NewRecoveryCodes(8)
	seen := map[string]bool{}
	for i, c := range codes {
		if len(c) != 11 || c[5] != '-' || seen[c] {
			t.Fatalf("code %q", c)
		}
		seen[c] = true
		if auth.HashRecoveryCode(" "+strings.ToUpper(strings.ReplaceAll(c, "-", ""))+" ") != hashes[i] {
			t.Fatalf("typed form of %q hashes differently", c)
		}
	}
}
