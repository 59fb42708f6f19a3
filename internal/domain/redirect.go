package domain

import (
	"net/url"
	"strings"
	"unicode"
)

// SafeRedirect returns target when it is a path on this site, and "/"
// otherwise. It is the one check for every redirect target taken from a
// request (`next` on the sign-in page, `back` on forms).
//
// Browsers are lenient in ways that turn a path into another site: they drop
// tab and newline characters (`/\t/evil` becomes `//evil`, a host), treat
// `\` as `/`, and some proxies or frameworks decode `%2F`/`%5C` once more.
// So the target and every percent-decoding of it must start with exactly one
// `/`, hold no backslash, control or space character, and parse as a bare
// path with no scheme, host or user.
func SafeRedirect(target string) string {
	if len(target) > 2048 {
		return "/"
	}
	s := target
	for i := 0; i < 4; i++ { // %252F decodes to %2F, then to /: check each layer
		if !localPath(s) {
			return "/"
		}
		u, err := url.Parse(s)
		if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
			return "/"
		}
		d, err := url.PathUnescape(s)
		if err != nil {
			return "/"
		}
		if d == s {
			return target
		}
		s = d
	}
	return "/" // encoded more deeply than any honest link
}

func localPath(s string) bool {
	if !strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//") {
		return false
	}
	for _, r := range s {
		if r == '\\' || r == unicode.ReplacementChar || unicode.IsControl(r) || unicode.IsSpace(r) ||
			r == '\u2028' || r == '\u2029' {
			return false
		}
	}
	return true
}

// WebLink reports whether s is a link the site may show and mail (a
// livestream, an online interview): http or https, a host, at most 500
// characters, and no user name or password before the host, which lets
// https://www.gov.cn@evil.example/ read like the first host.
func WebLink(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && u.User == nil && len(s) <= 500
}
