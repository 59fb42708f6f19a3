package webui_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gradzone/gradzone/internal/app"
	"github.com/gradzone/gradzone/internal/auth"
	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/testutil"
)

// TestMailPrefsPage: /account/notifications shows the switches of the
// user's role (fixed ones disabled) and saves what the form sends, the
// same settings the API reads; a bad value is answered on the page.
func TestMailPrefsPage(t *testing.T) {
	a := testutil.NewApp(t)
	g := a.Graduate()
	b := newFormClient(t, a)
	signIn(t, b, g.Email)
	for _, from := range []string{"/account", "/me"} { // 账号, and 我的 (issue 13 item 4)
		if _, page := b.get(from); !strings.Contains(page, `href="/account/notifications"`) {
			t.Fatalf("no link to the mail settings on %s", from)
		}
	}
	st, page := b.get("/account/notifications")
	if st != http.StatusOK || !strings.Contains(page, `data-testid="mail-kind-application_status"`) ||
		!strings.Contains(page, "邮件设置") || strings.Contains(page, "mail-kind-applicant_digest") {
		t.Fatalf("settings page: %d\n%s", st, page)
	}
	form := url.Values{"kind_saved_search_alert": {"on"}, "kind_interview_reminder": {"on"}, "kind_saved_search_digest": {"on"},
		"alert_frequency": {"weekly"}, "language": {"en"}}
	b.redirected("/account/notifications", "/account/notifications", form, "/account/notifications")
	p := a.Must(http.StatusOK, "GET", "/api/v1/me/notifications/preferences", g.Token, nil).JSON()
	k := p["kinds"].(map[string]any)
	if k["application_status"] != false || k["saved_search_alert"] != true || k["verify_email"] != true ||
		p["alert_frequency"] != "weekly" || p["language"] != "en" {
		t.Fatalf("after the form: %v", p)
	}
	form.Set("alert_frequency", "hourly")
	if st, _, page := b.post("/account/notifications", "/account/notifications", form); st != http.StatusUnprocessableEntity || !strings.Contains(page, "须为即时、每日或每周") {
		t.Fatalf("bad frequency: %d\n%s", st, page)
	}
	// An employer has no saved searches: no alert frequency to set (a
	// browser walk found it offered), and its form saves without one.
	emp := a.VerifiedEmployer("51", "sichuan-chengdu")
	e := newFormClient(t, a)
	signIn(t, e, emp.Email)
	if _, page := e.get("/account/notifications"); strings.Contains(page, `data-testid="mail-frequency"`) || !strings.Contains(page, `data-testid="mail-language"`) {
		t.Fatalf("the employer's settings offer an alert frequency, or no language:\n%s", page)
	}
	e.redirected("/account/notifications", "/account/notifications", url.Values{"kind_applicant_digest": {"on"}, "language": {"en"}}, "/account/notifications")
	if p := a.Must(http.StatusOK, "GET", "/api/v1/me/notifications/preferences", emp.Token, nil).JSON(); p["language"] != "en" {
		t.Fatalf("the employer's form did not save: %v", p)
	}
}

// TestChaseButton: the province's reports page carries the 催报 button
// and the submitted-at column in the reporting season (not in December);
// pressing it reminds the zones with staff and says how many could not be
// reached; zone staff have no such button and may not post it.
func TestChaseButton(t *testing.T) {
	a := testutil.NewApp(t)
	luzhou := a.ZoneAdmin("sichuan-luzhou")
	mp := testutil.NewMailpit(t)
	p := a.ProvinceAdmin("51")
	b := newFormClient(t, a)
	signIn(t, b, p.Email)
	year := domain.DateOf(time.Now()).Year - 1
	if _, page := b.get(fmt.Sprintf("/staff/reports?year=%d&month=12", year)); strings.Contains(page, `data-testid="chase-reports"`) {
		t.Fatal("a 催报 button for December, when no report is owed")
	}
	st, page := b.get(fmt.Sprintf("/staff/reports?year=%d&month=7", year))
	if st != http.StatusOK || !strings.Contains(page, `data-testid="chase-reports"`) || !strings.Contains(page, "提交时间") {
		t.Fatalf("province reports page: %d\n%s", st, page)
	}
	form := url.Values{"year": {itoa(year)}, "month": {"7"}}
	if st, _, _ := b.post("/staff/reports", "/staff/reports/remind", form); st != http.StatusSeeOther {
		t.Fatalf("催报: %d", st)
	}
	// A staff walk: the flash ticked a chase that reached one zone of
	// seven and did not say which six to phone. They are named, and the
	// flash is not a success's.
	if _, page := b.get(fmt.Sprintf("/staff/reports?year=%d&month=7", year)); !strings.HasPrefix(flashOf(page), "已提醒 1 个高新区") ||
		!strings.Contains(flashOf(page), "个高新区没有管理账号，未能提醒，请另行联系：") || !strings.Contains(flashOf(page), "绵阳高新技术产业开发区") {
		t.Errorf("the flash after 催报: %q", flashOf(page))
	}
	// The English half writes the month as the site does (a walk read
	// "the 2026-8 monthly report").
	chase := mp.WaitForSubject(luzhou.Email, "催报", 30*time.Second)
	if period := fmt.Sprintf("%d-07", year); !strings.Contains(chase.Subject, "submit the "+period+" monthly report") || !strings.Contains(chase.Text, "report for "+period) {
		t.Errorf("the reminder names the month %q: %s", chase.Subject, chase.Text)
	}
	var n int
	if err := testutil.SQL(t, a.DBURL).QueryRow(`SELECT count(*) FROM mail_once WHERE once_key LIKE 'report_chase:sichuan-%'`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("%d Sichuan zones marked reminded, want Luzhou's alone (%v)", n, err)
	}
	// The record of chases (a month-end walk: who had been chased, how
	// often): beside Luzhou's row, and no other; another month has none.
	_, page = b.get(fmt.Sprintf("/staff/reports?year=%d&month=7", year))
	row := page[strings.Index(page, `<tr id="report-sichuan-luzhou"`):]
	if row = row[:strings.Index(row, "</tr>")]; strings.Count(page, `data-testid="chased"`) != 1 || !strings.Contains(row, "已催报 1 次 · 最近") {
		t.Errorf("the record of chases: %d marks, Luzhou's row %q", strings.Count(page, `data-testid="chased"`), row)
	}
	if _, page := b.get(fmt.Sprintf("/staff/reports?year=%d&month=6", year)); strings.Contains(page, `data-testid="chased"`) {
		t.Error("another month shows July's chases")
	}
	z := newFormClient(t, a)
	signIn(t, z, a.ZoneAdmin("sichuan-deyang").Email)
	if _, page := z.get("/staff/reports"); strings.Contains(page, `data-testid="chase-reports"`) {
		t.Fatal("zone staff see the 催报 button")
	}
	if st, _, _ := z.post("/staff/reports", "/staff/reports/remind", form); st != http.StatusForbidden && st != http.StatusNotFound {
		t.Fatalf("zone staff 催报: %d", st)
	}
	// The ministry chases a province it names, at this door as at the
	// API's (POST /reports/monthly/remind): both doors admit the roles
	// of province reach or wider.
	a.ZoneAdmin("guangdong-shenzhen")
	m := newFormClient(t, a)
	signIn(t, m, a.MinistryAdmin().Email)
	form.Set("province", "44")
	m.get("/staff/reports?lang=en")
	if st, _, _ := m.post("/staff/reports", "/staff/reports/remind", form); st != http.StatusSeeOther {
		t.Fatalf("the ministry's 催报 of Guangdong: %d", st)
	}
	// In English one zone reminded is singular (an English walk read
	// "Reminded 1 zones").
	if _, page := m.get("/staff/reports"); !strings.HasPrefix(flashOf(page), "Reminded 1 zone (0 already reminded today)") ||
		!strings.Contains(flashOf(page), "zones have no staff account and were not reminded") {
		t.Errorf("the English flash after 催报: %q", flashOf(page))
	}
	if err := testutil.SQL(t, a.DBURL).QueryRow(`SELECT count(*) FROM mail_once WHERE once_key LIKE 'report_chase:guangdong-%'`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("%d Guangdong zones reminded (%v)", n, err)
	}
}

// TestOneClickUnsubscribe: the link of an alert mail works without signing
// in (RFC 8058): a mail client's POST with List-Unsubscribe=One-Click and no
// cookie turns the saved search's alert mail off, a second POST changes
// nothing and answers the same, a GET only shows a button, and a forged,
// altered, expired or other-purpose token changes nothing.
func TestOneClickUnsubscribe(t *testing.T) {
	a := testutil.NewApp(t)
	g := a.Graduate()
	ss := a.Must(http.StatusCreated, "POST", "/api/v1/me/saved-searches", g.Token, map[string]any{"name": "成都 算法岗", "q": "算法"}).JSON()
	id := ss["id"].(string)
	mailAlerts := func() bool {
		var on bool
		if err := testutil.SQL(t, a.DBURL).QueryRow(`SELECT mail_alerts FROM saved_searches WHERE id = $1`, id).Scan(&on); err != nil {
			t.Fatal(err)
		}
		return on
	}
	tok := app.UnsubscribeLinkToken(a.Server.App.Links, id, time.Now())
	link := a.URL + "/unsubscribe?token=" + url.QueryEscape(tok)
	plain := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	send := func(method, u string) (int, string) {
		t.Helper()
		var body io.Reader
		if method == http.MethodPost {
			body = strings.NewReader("List-Unsubscribe=One-Click")
		}
		req, _ := http.NewRequest(method, u, body)
		if body != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		res, err := plain.Do(req)
		b := readBody(t, res, err)
		return res.StatusCode, string(b)
	}

	// Opening the link (a person, or a provider's link scanner) changes nothing.
	st, page := send(http.MethodGet, link)
	if st != 200 || !strings.Contains(page, "成都 算法岗") || !strings.Contains(page, `data-testid="unsubscribe-submit"`) || !mailAlerts() {
		t.Fatalf("GET: %d, alerts on %v\n%s", st, mailAlerts(), page)
	}

	// Refused tokens: nothing changes.
	other := auth.NewLinks("another-secret-another-secret-another-secret")
	for name, bad := range map[string]string{
		"forged":        app.UnsubscribeLinkToken(other, id, time.Now()),
		"altered":       tok[:len(tok)-2] + "xx",
		"expired":       a.Server.App.Links.Sign(domain.LinkUnsubscribeAlerts, id, time.Now().Add(-time.Minute)),
		"other purpose": a.Server.App.Links.Sign("verify-email", id, time.Now().Add(time.Hour)),
		"unknown id":    app.UnsubscribeLinkToken(a.Server.App.Links, "00000000-0000-4000-8000-000000000000", time.Now()),
		"none":          "",
	} {
		st, page := send(http.MethodPost, a.URL+"/unsubscribe?token="+url.QueryEscape(bad))
		if st != http.StatusUnprocessableEntity || !strings.Contains(page, `data-testid="unsubscribe-error"`) {
			t.Errorf("%s: %d", name, st)
		}
	}
	if !mailAlerts() {
		t.Fatal("a refused token turned alert mail off")
	}

	// The one-click POST, no cookie, no CSRF token.
	for i := 0; i < 2; i++ {
		st, page := send(http.MethodPost, link)
		if st != 200 || !strings.Contains(page, `data-testid="unsubscribe-done"`) {
			t.Fatalf("POST %d: %d\n%s", i+1, st, page)
		}
		if mailAlerts() {
			t.Fatalf("POST %d: alert mail still on", i+1)
		}
		// A graduate walk: the page sent the reader to 账号 → 邮件设置 to
		// turn the alerts back on, where no saved search is; each search's
		// alerts are set under 我的 → 保存的搜索.
		if strings.Contains(page, "邮件设置") || !strings.Contains(page, "我的 → 保存的搜索") {
			t.Errorf("POST %d: the done page does not say where the search's alerts come back on:\n%s", i+1, part(page, `data-testid="unsubscribe-done"`, "</section>"))
		}
	}
	// The saved search itself and the other searches stay.
	list := a.Must(http.StatusOK, "GET", "/api/v1/me/saved-searches", g.Token, nil)
	if !strings.Contains(string(list.Body), id) {
		t.Fatal("unsubscribe deleted the saved search")
	}
	if st, page := send(http.MethodGet, link); st != 200 || !strings.Contains(page, `data-testid="unsubscribe-done"`) {
		t.Fatalf("GET after: %d", st)
	}
}

// Every mail kind the settings page can list has a label in both
// languages: event_registered and event_reminder showed as raw keys
// (mailkind.event_reminder) in the Chinese page.
func TestEveryMailKindHasALabel(t *testing.T) {
	for _, lang := range []string{"zh", "en"} {
		b, err := os.ReadFile("../../web/i18n/" + lang + ".json")
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range domain.MailKinds {
			if !strings.Contains(string(b), `"mailkind.`+string(k.Kind)+`"`) {
				t.Errorf("web/i18n/%s.json has no \"mailkind.%s\"", lang, k.Kind)
			}
		}
	}
}
