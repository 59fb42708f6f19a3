package auth

import (
	"strings"
	"testing"
	"time"
)

func TestLinkTokens(t *testing.T) {
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	l := NewLinks(strings.Repeat("s", 40))
	tok := l.Sign("unsubscribe", "2f1c8f0e-0000-4000-8000-000000000001", now.Add(time.Hour))
	if sub, err := l.Verify("unsubscribe", tok, now); err != nil || sub != "2f1c8f0e-0000-4000-8000-000000000001" {
		t.Fatalf("good token: %q %v", sub, err)
	}
	if strings.ContainsAny(tok, "+/=?&#") {
		t.Fatalf("token is not URL-safe: %s", tok)
	}
	bad := map[string]string{
		"expired":        tok,
		"other purpose":  tok,
		"other secret":   NewLinks(strings.Repeat("x", 40)).Sign("unsubscribe", "a", now.Add(time.Hour)),
		"altered":        "YQ." + strings.SplitN(tok, ".", 2)[1],
		"no signature":   strings.SplitN(tok, ".", 2)[0],
		"empty":          "",
		"garbage base64": "***." + strings.SplitN(tok, ".", 2)[1],
	}
	for name, tk := range bad {
		purpose, at := "unsubscribe", now
		switch name {
		case "expired":
			at = now.Add(2 * time.Hour)
		case "other purpose":
			purpose = "verify"
		}
		if _, err := l.Verify(purpose, tk, at); err != ErrBadLink {
			t.Errorf("%s: %v", name, err)
		}
	}
}
