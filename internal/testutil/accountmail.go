package testutil

import (
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
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

var (
	htmlHref = regexp.MustCompile(`href="([^"]+)"`)
	csrfIn   = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)
)

// MailLinks lists every link of a mail once: those in its text, the
// href of its HTML part and those of its headers (List-Unsubscribe), in
// that order.
func MailLinks(m Mail) []string {
	found := mailLink.FindAllString(m.Text, -1)
	for _, h := range htmlHref.FindAllStringSubmatch(m.HTML, -1) {
		found = append(found, html.UnescapeString(h[1]))
	}
	for _, v := range m.Headers {
		for _, h := range v {
			found = append(found, mailLink.FindAllString(h, -1)...)
		}
	}
	return unique(found)
}

// MailLinksWork opens, on the test server, every link of m that leads to
// the site at base (the public URL the app was given), as its recipient
// would from a mail client: signed in to the site as email (a fixture
// account), following redirects. Each must end on a page of the site
// that answers 200 and is not the sign-in form; a link elsewhere (an
// online meeting) is not the site's and is skipped, a link to the site
// not under base fails. A link that acts only on POST (unsubscribe, an
// interview pick) shows its confirm page on GET and changes nothing. A
// page opened from one language's half speaks that language: the second
// half's links are opened first, as by a reader of that language, so a
// page remembering it (the language cookie) cannot hide a first-half link
// that names none. It returns how many links it opened.
func (a *App) MailLinksWork(m Mail, base, email string) int {
	a.T.Helper()
	cl := *a.SignedInClient(email)
	cl.CheckRedirect = nil // follow them, as a browser does
	half, second := halfLinks(m.Text)
	n := 0
	for _, l := range unique(append(second, MailLinks(m)...)) {
		if strings.HasPrefix(l, "cid:") || strings.HasPrefix(l, "mailto:") {
			continue
		}
		if !strings.HasPrefix(l, base+"/") {
			if u, err := url.Parse(l); err == nil && strings.HasPrefix(base, u.Scheme+"://"+u.Host) {
				a.T.Errorf("mail %q: link %s is not under the public URL %s", m.Subject, l, base)
			}
			continue
		}
		res, err := cl.Get(a.URL + strings.TrimPrefix(l, base))
		if err != nil {
			a.T.Fatalf("open %s: %v", l, err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		n++
		if res.StatusCode != http.StatusOK || res.Request.URL.Path == "/login" {
			a.T.Errorf("mail %q: link %s ends at %s with %d:\n%.300s", m.Subject, l, res.Request.URL.Path, res.StatusCode, body)
		}
		want := map[string]string{"zh": `<html lang="zh-CN">`, "en": `<html lang="en">`}[linkLanguage(l, half)]
		if page := string(body); want != "" && strings.Contains(page, "<html lang=") && !strings.Contains(page, want) {
			a.T.Errorf("mail %q: link %s opens a page not in its half's language (%s)", m.Subject, l, want)
		}
	}
	if n == 0 {
		a.T.Errorf("mail %q has no link to the site", m.Subject)
	}
	return n
}

// SignedOutFormToken is what a browser signed out holds after reading the
// sign-in page: its form cookie (gz_csrf, or __Host-gz_csrf on https) and
// the page's form token (bound to the cookie, app.Accounts.FormToken).
func (a *App) SignedOutFormToken() (cookie *http.Cookie, token string) {
	a.T.Helper()
	res, err := http.Get(a.URL + "/login")
	if err != nil {
		a.T.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	for _, ck := range res.Cookies() {
		if strings.HasSuffix(ck.Name, "gz_csrf") {
			cookie = ck
		}
	}
	m := csrfIn.FindSubmatch(page)
	if m == nil || cookie == nil {
		a.T.Fatal("no form cookie and token on /login")
	}
	return cookie, string(m[1])
}

// SignedInClient signs in to the site's web pages through the sign-in form
// as email (a fixture account, Password) and returns a client that keeps
// the session and does not follow redirects.
func (a *App) SignedInClient(email string) *http.Client {
	a.T.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Get(a.URL + "/login")
	if err != nil {
		a.T.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	csrf := csrfIn.FindSubmatch(page)
	if csrf == nil {
		a.T.Fatal("no form token on /login")
	}
	res, err = c.PostForm(a.URL+"/login", url.Values{"_csrf": {string(csrf[1])}, "email": {email}, "password": {Password}})
	if err != nil {
		a.T.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		a.T.Fatalf("sign-in as %s: status %d", email, res.StatusCode)
	}
	return c
}

// halfLinks reads a bilingual mail's text (two halves parted by a line
// "----", a footer after a line "--"): the language of each link that
// stands in one half alone, and the second half's links.
func halfLinks(text string) (lang map[string]string, second []string) {
	text = strings.ReplaceAll(text, "\r\n", "\n") // as a mail carries it
	one, two, ok := strings.Cut(text, "\n----\n")
	if !ok {
		return nil, nil
	}
	two, _, _ = strings.Cut(two, "\n--\n")
	firstLang, secondLang := "en", "zh"
	if r, _ := utf8.DecodeRuneInString(strings.TrimSpace(one)); unicode.Is(unicode.Han, r) {
		firstLang, secondLang = "zh", "en"
	}
	first, second := mailLink.FindAllString(one, -1), mailLink.FindAllString(two, -1)
	lang = map[string]string{}
	for _, l := range first {
		lang[l] = firstLang
	}
	for _, l := range second {
		lang[l] = secondLang
	}
	for _, l := range first {
		if slices.Contains(second, l) {
			delete(lang, l) // in both halves
		}
	}
	return lang, second
}

// linkLanguage is the language a mail's link should open its page in: the
// one its lang parameter names, else that of the text's half it stands in
// ("" where none says).
func linkLanguage(link string, half map[string]string) string {
	if u, err := url.Parse(link); err == nil && u.Query().Get("lang") != "" {
		return u.Query().Get("lang")
	}
	return half[link]
}

// unique keeps the first of each string of list, in order.
func unique(list []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, l := range list {
		if !seen[l] {
			seen[l] = true
			out = append(out, l)
		}
	}
	return out
}
