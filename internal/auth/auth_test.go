package auth

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

func TestPasswordRoundTrip(t *testing.T) {
	h := NewHasher(2)
	ctx := context.Background()
	enc, err := h.Hash(ctx, "correct horse 电池")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(enc, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("unexpected encoding %s", enc)
	}
	if ok, _ := h.Verify(ctx, enc, "correct horse 电池"); !ok {
		t.Fatal("right password refused")
	}
	if ok, _ := h.Verify(ctx, enc, "wrong"); ok {
		t.Fatal("wrong password accepted")
	}
}

func TestTokens(t *testing.T) {
	tk := NewTokens(strings.Repeat("k", 40))
	tok, jti, _, err := tk.Issue("u1", "graduate")
	if err != nil {
		t.Fatal(err)
	}
	c, err := tk.Verify(tok)
	if err != nil || c.Subject != "u1" || c.ID != jti || c.Role != "graduate" {
		t.Fatalf("verify: %v %+v", err, c)
	}

	// Wrong secret.
	if _, err := NewTokens(strings.Repeat("x", 40)).Verify(tok); err == nil {
		t.Error("token signed with another secret accepted")
	}
	// alg none.
	none := jwt.NewWithClaims(jwt.SigningMethodNone, c)
	s, _ := none.SignedString(jwt.UnsafeAllowNoneSignatureType)
	if _, err := tk.Verify(s); err == nil {
		t.Error("alg none accepted")
	}
	// HS512 with the same secret: refused because the algorithm is pinned.
	s, _ = jwt.NewWithClaims(jwt.SigningMethodHS512, c).SignedString([]byte(strings.Repeat("k", 40)))
	if _, err := tk.Verify(s); err == nil {
		t.Error("HS512 accepted")
	}
	// Expired.
	tk.SetClock(func() time.Time { return time.Now().Add(-time.Hour) })
	old, _, _, _ := tk.Issue("u1", "graduate")
	tk.SetClock(time.Now)
	if _, err := tk.Verify(old); err == nil {
		t.Error("expired token accepted")
	}
	// Wrong audience.
	c2 := *c
	c2.Audience = jwt.ClaimStrings{"other"}
	s, _ = jwt.NewWithClaims(jwt.SigningMethodHS256, c2).SignedString([]byte(strings.Repeat("k", 40)))
	if _, err := tk.Verify(s); err == nil {
		t.Error("wrong audience accepted")
	}
	// Missing jti.
	c3 := *c
	c3.ID = ""
	s, _ = jwt.NewWithClaims(jwt.SigningMethodHS256, c3).SignedString([]byte(strings.Repeat("k", 40)))
	if _, err := tk.Verify(s); err == nil {
		t.Error("token without jti accepted")
	}
	if _, err := tk.Verify("garbage.token.here"); err == nil {
		t.Error("garbage accepted")
	}
}

// The stand-in hash of unknown addresses costs what a real one costs: same
// parameters, same key length.
func TestStandInHashMatchesParameters(t *testing.T) {
	enc, err := NewHasher(1).Hash(context.Background(), "x")
	if err != nil {
		t.Fatal(err)
	}
	p, q := strings.Split(enc, "$"), strings.Split(StandInHash, "$")
	if p[3] != q[3] || len(p[5]) != len(q[5]) || len(p[4]) != len(q[4]) {
		t.Fatalf("stand-in %s vs real %s", StandInHash, enc)
	}
}
