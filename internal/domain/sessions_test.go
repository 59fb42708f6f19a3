package domain

import (
	"testing"
	"time"
)

// The client summary a session list shows: browser and system from the
// User-Agent, the address with its host part hidden.
func TestClientSummary(t *testing.T) {
	cases := []struct{ ua, addr, client, ip string }{
		{"Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36", "203.0.113.77", "Chrome · Android", "203.0.113.*"},
		{"Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47", "2001:db8:1:2::9", "WeChat · iOS", "2001:db8:1::*"},
		{"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36 Edg/126.0", "::ffff:10.1.2.3", "Edge · Windows", "10.1.2.*"},
		{"curl/8.5.0", "not an address", "curl", ""},
		{"", "", "", ""},
		{"something else", "10.0.0.1", "something", "10.0.0.*"},
		{"okhttp/4.12.0", "10.0.0.1", "okhttp", "10.0.0.*"},
		{"Python-urllib/3.11", "10.0.0.1", "Python", "10.0.0.*"},
		{"\x01/2", "10.0.0.1", "", "10.0.0.*"},
	}
	for _, c := range cases {
		client, ip := Client{Address: c.addr, UserAgent: c.ua}.Summary()
		if client != c.client || ip != c.ip {
			t.Errorf("%q from %q: %q %q, want %q %q", c.ua, c.addr, client, ip, c.client, c.ip)
		}
	}
}

// GRADZONE_RESUME_RETENTION: calendar months or days; anything else refused.
func TestParseRetention(t *testing.T) {
	now := time.Date(2026, 12, 2, 8, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Time{
		"":     time.Date(2024, 12, 2, 8, 0, 0, 0, time.UTC),
		"24mo": time.Date(2024, 12, 2, 8, 0, 0, 0, time.UTC),
		"30d":  time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC),
	} {
		r, err := ParseRetention(in)
		if err != nil || !r.Cutoff(now).Equal(want) {
			t.Errorf("%q: cutoff %v (%v), want %v", in, r.Cutoff(now), err, want)
		}
	}
	for _, bad := range []string{"24", "17520h", "0d", "-1mo", "121mo", "2 years", "mo"} {
		if _, err := ParseRetention(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// A review: an IPv6 client is a /64 (one subscriber's), so a loop over its
// addresses is one address to the event funnel's cap.
func TestHitNetwork(t *testing.T) {
	for addr, want := range map[string]string{"203.0.113.7": "203.0.113.7", "::ffff:203.0.113.7": "203.0.113.7",
		"2001:db8:1:2:aaaa::1": "2001:db8:1:2::/64", "2001:db8:1:2:bbbb::9": "2001:db8:1:2::/64", "bogus": "bogus"} {
		if got := HitNetwork(addr); got != want {
			t.Errorf("HitNetwork(%q) = %q, want %q", addr, got, want)
		}
	}
}

// A review: a security notice from a client that names no browser read
// "设备：（127.0.0.*）". It says an unknown device, in both languages.
func TestSecurityNoticeNamesAnUnknownDevice(t *testing.T) {
	d := SecurityNoticeData("password_changed", time.Now(), Client{Address: "127.0.0.1"})
	if d["client"] != "未知设备" || d["client_en"] != "an unknown device" || d["address"] != "127.0.0.*" {
		t.Errorf("the notice's device: %v", d)
	}
}
