package domain

import "testing"

func TestSafeRedirect(t *testing.T) {
	local := []string{"/", "/@me", "/me", "/openings/0b6f?tab=2", "/staff/reports?year=2026&month=5", "/search?q=%E4%BA%BA%E5%B7%A5", "/a/b#frag"}
	for _, p := range local {
		if got := SafeRedirect(p); got != p {
			t.Errorf("SafeRedirect(%q) = %q, want it kept", p, got)
		}
	}
	hostile := []string{
		"", "me", "//evil.example", "///evil.example", "/\\evil.example", "\\\\evil.example", "/\\/evil.example",
		"https://evil.example", "http:/evil.example", "javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,x",
		"/\t/evil.example", "/\n/evil.example", "/\r/evil.example", "\t//evil.example", " //evil.example", "/ /evil.example",
		"/%09/evil.example", "/%2F/evil.example", "/%2f%2fevil.example", "/%5Cevil.example", "/%5cevil.example",
		"%2F%2Fevil.example", "/%252F/evil.example", "/%25252F%25252Fevil", "/%0a/evil", "/%00", "/\x00", "/\u2028/evil",
		"//user@evil.example/", "/\x7f/evil", "/%", "/a%zz",
	}
	for _, p := range hostile {
		if got := SafeRedirect(p); got != "/" {
			t.Errorf("SafeRedirect(%q) = %q, want /", p, got)
		}
	}
}
