package domain

import (
	"strings"
	"testing"
)

// FuzzSafeRedirect: whatever a request names, the answer is "/" or the
// unchanged target, and an accepted target is a path on this site even after
// any number of percent-decodings (issue 12 items 5 and 11).
func FuzzSafeRedirect(f *testing.F) {
	for _, s := range []string{"/", "/me", "//evil", "/\\evil", "/%09/evil.example", "https://evil", "/%2F%2Fevil", "/%252F/evil", "/a?b=c#d", "/\u3000/x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, target string) {
		got := SafeRedirect(target)
		if got != "/" && got != target {
			t.Fatalf("SafeRedirect(%q) = %q: neither / nor the target", target, got)
		}
		if got == "/" {
			return
		}
		for _, bad := range []string{"//", "/\\"} {
			if strings.HasPrefix(got, bad) {
				t.Fatalf("SafeRedirect(%q) kept %q", target, got)
			}
		}
		for _, r := range got {
			if r < 0x20 || r == 0x7f || r == '\\' {
				t.Fatalf("SafeRedirect(%q) kept a control or backslash: %q", target, got)
			}
		}
	})
}
