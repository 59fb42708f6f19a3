package webui_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

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
	if _, page := b.get("/account"); !strings.Contains(page, `href="/account/notifications"`) {
		t.Fatal("no link to the mail settings on /account")
	}
	st, page := b.get("/account/notifications")
	if st != http.StatusOK || !strings.Contains(page, `data-testid="mail-kind-application_status"`) ||
		!strings.Contains(page, "邮件设置") || strings.Contains(page, "mail-kind-applicant_digest") {
		t.Fatalf("settings page: %d\n%s", st, page)
	}
	form := url.Values{"kind_saved_search_alert": {"on"}, "kind_interview_reminder": {"on"}, "kind_saved_search_digest": {"on"},
		"alert_frequency": {"weekly"}, "language": {"en"}}
	if st, loc, _ := b.post("/account/notifications", "/account/notifications", form); st != http.StatusSeeOther || loc != "/account/notifications" {
		t.Fatalf("save: %d %s", st, loc)
	}
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
}

// TestChaseButton: the province's reports page carries the 催报 button
// and the submitted-at column; pressing it reminds the zones and says how
// many; zone staff have no such button and may not post it.
func TestChaseButton(t *testing.T) {
	a := testutil.NewApp(t)
	a.ZoneAdmin("sichuan-luzhou")
	p := a.ProvinceAdmin("51")
	b := newFormClient(t, a)
	signIn(t, b, p.Email)
	st, page := b.get("/staff/reports")
	if st != http.StatusOK || !strings.Contains(page, `data-testid="chase-reports"`) || !strings.Contains(page, "提交时间") {
		t.Fatalf("province reports page: %d\n%s", st, page)
	}
	today := domain.DateOf(time.Now())
	form := url.Values{"year": {itoa(today.Year)}, "month": {itoa(today.Month)}}
	if st, _, _ := b.post("/staff/reports", "/staff/reports/remind", form); st != http.StatusSeeOther {
		t.Fatalf("催报: %d", st)
	}
	var n int
	if err := testutil.SQL(t, a.DBURL).QueryRow(`SELECT count(*) FROM mail_once WHERE once_key LIKE 'report_chase:sichuan-%'`).Scan(&n); err != nil || n < 2 {
		t.Fatalf("%d Sichuan zones reminded (%v)", n, err)
	}
	z := newFormClient(t, a)
	signIn(t, z, a.ZoneAdmin("sichuan-deyang").Email)
	if _, page := z.get("/staff/reports"); strings.Contains(page, `data-testid="chase-reports"`) {
		t.Fatal("zone staff see the 催报 button")
	}
	if st, _, _ := z.post("/staff/reports", "/staff/reports/remind", form); st != http.StatusForbidden && st != http.StatusNotFound {
		t.Fatalf("zone staff 催报: %d", st)
	}
}
