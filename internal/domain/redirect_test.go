package domain

import (
	"strings"
	"testing"
)

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

// WebLink: the links the site shows and mails.
func TestWebLink(t *testing.T) {
	for s, want := range map[string]bool{
		"https://live.example.cn/room/1": true, "http://meet.example.cn/j/1?pwd=a": true,
		"https://www.gov.cn@evil.example/": false, "https://user:pw@live.example.com/x": false,
		"javascript:alert(1)": false, "ftp://x.example": false, "//x.example": false, "https:///x": false, "": false,
		"https://x.example/" + strings.Repeat("a", 500): false,
	} {
		if WebLink(s) != want {
			t.Errorf("WebLink(%q) = %v", s, !want)
		}
	}
}
