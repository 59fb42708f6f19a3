package testutil

import (
	"net/url"
	"regexp"
	"strings"
)

// MarkVerified marks the user's address verified, as following the link
// of the verification mail does: an account registered through the API
// starts unverified and receives no mail but verification and password
// reset, so a test of another mail verifies its recipient first.
func (a *App) MarkVerified(userID string) {
	a.T.Helper()
	if _, err := SQL(a.T, a.DBURL).Exec(`UPDATE users SET email_verified_at = now() WHERE id = $1`, userID); err != nil {
		a.T.Fatalf("mark verified: %v", err)
	}
}

var mailLink = regexp.MustCompile(`https?://[^\s"<>]+`)

// LinkToken finds, in a mail's text, the link to path (e.g.
// "/verify-email") and returns the link and its token parameter; it fails
// the test when there is none.
func (a *App) LinkToken(text, path string) (link, token string) {
	a.T.Helper()
	for _, l := range mailLink.FindAllString(text, -1) {
		u, err := url.Parse(l)
		if err != nil || u.Path != path {
			continue
		}
		if tok := u.Query().Get("token"); tok != "" {
			return l, tok
		}
	}
	a.T.Fatalf("no link to %s with a token in:\n%s", path, strings.TrimSpace(text))
	return "", ""
}
