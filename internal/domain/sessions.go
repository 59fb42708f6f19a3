package domain

import (
	"context"
	"fmt"
	"net/netip"
	"regexp"
	"strings"
	"time"
)

// Session lifetimes (issue 12 item 5; ASVS 4.0 V3.3). A session is a
// refresh-token family, started by a sign-in.
const (
	// SessionMaxAge is the absolute lifetime: 30 days after the sign-in
	// the session ends however busy it is, and the user signs in again.
	SessionMaxAge = 30 * 24 * time.Hour
	// SessionIdle is the idle timeout: a session not refreshed for 7 days
	// ends (each refresh token expires 7 days after it was issued). Access
	// tokens live 15 minutes, so an active client refreshes far more often;
	// graduates who come back weekly stay signed in.
	SessionIdle = 7 * 24 * time.Hour
	// NewDeviceAfter: a sign-in from a client (browser and system, as
	// Client.Summary names it) the account has not used for this long,
	// other than the registration's, is mailed to its owner: a stolen
	// password that changes nothing would otherwise go unnoticed.
	NewDeviceAfter = 90 * 24 * time.Hour
)

// SessionInfo is one of a user's sessions (a refresh-token family) as the
// user's list of sessions shows it (GET /me/sessions, 我的 › 登录设备).
type SessionInfo struct {
	ID string `json:"id"`
	// CreatedAt is the sign-in that began the session.
	CreatedAt time.Time `json:"created_at"`
	// LastUsedAt is the newest sign-in or refresh of the session: an
	// active client refreshes every 15 minutes (the access token's life).
	LastUsedAt time.Time `json:"last_used_at"`
	// Client summarises the browser and system of the newest token's
	// request ("Chrome · Android"); IP is its address with the last part
	// hidden.
	Client  string `json:"client"`
	IP      string `json:"ip"`
	Current bool   `json:"current"`
}

// MaxListedSessions bounds the list: a user with more live sessions than
// this sees the most recently used ones.
const MaxListedSessions = 100

// Client is who is making a request: its address (the TCP peer or what a
// trusted proxy says) and its User-Agent. The HTTP layer puts it in the
// context; sessions and the registration and reset throttles read it.
type Client struct {
	Address   string
	UserAgent string
}

// WithClient returns ctx carrying the request's client.
func WithClient(ctx context.Context, c Client) context.Context {
	return clientKey.with(ctx, c)
}

// ClientOf returns the client in ctx, or the zero Client.
func ClientOf(ctx context.Context) Client { return clientKey.of(ctx) }

// Summary is the client as a session stores it: browser and system from the
// User-Agent (a few well-known names, not a full parser: the user only needs
// to recognise the device) and the masked address.
func (c Client) Summary() (client, ip string) {
	return clientName(c.UserAgent), MaskAddress(c.Address)
}

// uaNames are matched in order; the first hit wins, so the more specific
// tokens (Edge and WeChat carry "Chrome" and "Safari" too) come first.
var (
	uaBrowsers = [][2]string{{"MicroMessenger", "WeChat"}, {"EdgA", "Edge"}, {"Edg/", "Edge"}, {"OPR/", "Opera"},
		{"Firefox/", "Firefox"}, {"HeadlessChrome", "Chrome (headless)"}, {"Chrome/", "Chrome"}, {"Safari/", "Safari"},
		{"curl/", "curl"}, {"Go-http-client", "Go"}, {"python", "Python"}, {"Python", "Python"}}
	uaSystems = [][2]string{{"HarmonyOS", "HarmonyOS"}, {"Android", "Android"}, {"iPhone", "iOS"}, {"iPad", "iPadOS"},
		{"Windows", "Windows"}, {"Mac OS X", "macOS"}, {"CrOS", "ChromeOS"}, {"Linux", "Linux"}}
)

func clientName(ua string) string {
	pick := func(table [][2]string) string {
		for _, p := range table {
			if strings.Contains(ua, p[0]) {
				return p[1]
			}
		}
		return ""
	}
	b, s := pick(uaBrowsers), pick(uaSystems)
	switch {
	case b != "" && s != "":
		return b + " · " + s
	case b != "" || s != "":
		return b + s
	}
	return productName(ua)
}

// productToken is the product a User-Agent names first ("okhttp/4.12",
// "Dart/3.2 (dart:io)").
var productToken = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9._-]{0,31}`)

// productName names a client none of the tables knows by its first product
// token, "" when it has none: a security notice's "设备：?" read as a fault
// (a mail audit).
func productName(ua string) string {
	return productToken.FindString(strings.TrimSpace(ua))
}

// MaskAddress hides the host part of an address: the last octet of IPv4
// ("203.0.113.*"), all but the first 48 bits of IPv6 ("2001:db8:1::*").
// Anything else gives "".
func MaskAddress(addr string) string {
	a, err := netip.ParseAddr(addr)
	if err != nil {
		return ""
	}
	a = a.Unmap()
	if a.Is4() {
		b := a.As4()
		return fmt.Sprintf("%d.%d.%d.*", b[0], b[1], b[2])
	}
	p, _ := a.Prefix(48)
	return strings.TrimSuffix(p.Addr().String(), "::") + "::*"
}
