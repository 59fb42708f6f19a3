package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/ical"
	"github.com/gradzone/gradzone/internal/testutil"
)

// exactly waits until the mail queue is idle and checks that address got
// n mails whose subject contains part; it returns them.
func (w mailWorld) exactly(t *testing.T, address, part string, n int) []testutil.Mail {
	t.Helper()
	if n > 0 {
		w.mailsLike(t, address, part, n)
	}
	w.mailQueueIdle(t)
	var out []testutil.Mail
	for _, s := range w.mp.Messages(address) {
		if strings.Contains(s.Subject, part) {
			out = append(out, w.mp.Message(s.ID))
		}
	}
	if len(out) != n {
		t.Fatalf("%d mail(s) to %s with %q in the subject, want %d", len(out), address, part, n)
	}
	return out
}

// sweep runs the mail sweep (reminders, digests, report mails) now.
func (w mailWorld) sweep(t *testing.T) {
	t.Helper()
	if err := w.a.Server.Background.MailSweep(context.Background()); err != nil {
		t.Fatalf("mail sweep: %v", err)
	}
}

// at moves the store's clock to t.
func (w mailWorld) at(at time.Time) {
	w.a.Server.Store.SetClock(func() time.Time { return at })
}

// employerAt registers an employer whose user reads mail at a Mailpit
// address (verified), then has zone staff verify the organisation.
func (w mailWorld) employerAt(t *testing.T, prefix string) testutil.Account {
	email := testutil.MailAddress(prefix)
	r := w.a.Must(http.StatusCreated, "POST", "/api/v1/auth/register", "", testutil.EmployerBody(email, "51", "sichuan-chengdu")).JSON()
	acc := testutil.Account{ID: r["user"].(map[string]any)["id"].(string), Email: email, Token: r["access_token"].(string)}
	w.a.MarkVerified(acc.ID)
	acc.EmployerID = w.a.Must(http.StatusOK, "GET", "/api/v1/me", acc.Token, nil).JSON()["employer"].(map[string]any)["id"].(string)
	w.a.Must(http.StatusOK, "POST", "/api/v1/employers/"+acc.EmployerID+"/verify", w.admin.Token, nil)
	return acc
}

// staffAt is a staff account reading mail at a Mailpit address.
func (w mailWorld) staffAt(t *testing.T, role domain.Role, zone, province string) testutil.Account {
	acc := w.a.Staff(role, zone, province)
	w.a.MarkVerified(acc.ID)
	return acc
}

// TestMailPreferences: the settings show the kinds of the caller's role;
// a change is stored and read back; bad values → 422 naming each field;
// a kind turned off is not mailed; English puts English first; every mail
// links to the settings page.
func TestMailPreferences(t *testing.T) {
	w := newMailWorld(t, map[string]any{"title": "蛋白质组学数据助理"})
	g := w.graduate(t, "prefs", true)
	p := w.a.Must(http.StatusOK, "GET", "/api/v1/me/notifications/preferences", g.Token, nil).JSON()
	kinds := p["kinds"].(map[string]any)
	for _, k := range []string{"application_status", "interview_reminder", "saved_search_alert", "saved_search_digest", "verify_email"} {
		if kinds[k] != true {
			t.Errorf("default kinds %v: %s not on", kinds, k)
		}
	}
	if _, ok := kinds["applicant_digest"]; ok || p["alert_frequency"] != "immediate" || p["language"] != "zh" {
		t.Errorf("graduate defaults %v", p)
	}
	empKinds := w.a.Must(http.StatusOK, "GET", "/api/v1/me/notifications/preferences", w.emp.Token, nil).JSON()["kinds"].(map[string]any)
	if empKinds["applicant_digest"] != true || empKinds["opening_reviewed"] != true {
		t.Errorf("employer kinds %v", empKinds)
	}

	r := w.a.Do("PUT", "/api/v1/me/notifications/preferences", g.Token, map[string]any{
		"kinds": map[string]bool{"applicant_digest": false, "verify_email": false}, "alert_frequency": "hourly", "language": "fr"})
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("bad preferences: %d %s", r.Status, r.Body)
	}
	for _, f := range []string{"kinds.applicant_digest", "kinds.verify_email", "alert_frequency", "language"} {
		if r.Field(f) == "" {
			t.Errorf("422 does not name %s: %s", f, r.Body)
		}
	}
	p = w.a.Must(http.StatusOK, "PUT", "/api/v1/me/notifications/preferences", g.Token, map[string]any{
		"kinds": map[string]bool{"application_status": false}, "alert_frequency": "weekly", "language": "en"}).JSON()
	if p["kinds"].(map[string]any)["application_status"] != false || p["alert_frequency"] != "weekly" || p["language"] != "en" {
		t.Fatalf("after PUT: %v", p)
	}
	// Only what is given changes.
	p = w.a.Must(http.StatusOK, "PUT", "/api/v1/me/notifications/preferences", g.Token, map[string]any{"alert_frequency": "immediate"}).JSON()
	if p["kinds"].(map[string]any)["application_status"] != false || p["language"] != "en" || p["alert_frequency"] != "immediate" {
		t.Fatalf("a partial PUT changed more: %v", p)
	}
	if got := w.a.Must(http.StatusOK, "GET", "/api/v1/me/notifications/preferences", g.Token, nil).JSON(); got["language"] != "en" {
		t.Fatalf("not stored: %v", got)
	}

	// Status mail is off: none comes. The alert mail (on) comes, English first,
	// with the settings link in its footer.
	app := w.apply(g, w.opening)
	w.shortlist(app)
	w.a.Must(http.StatusCreated, "POST", "/api/v1/me/saved-searches", g.Token, map[string]any{"name": "组学", "q": "组学"})
	w.a.Publish(w.emp, w.admin, map[string]any{"title": "代谢组学科研助理"})
	m := w.mailsLike(t, g.Email, "New opening", 1)[0]
	if !strings.HasPrefix(m.Subject, "New opening") || !strings.HasPrefix(strings.TrimSpace(m.Text), "Hello") {
		t.Errorf("language en, but the mail starts: %q\n%s", m.Subject, m.Text)
	}
	// The HTML part too: English first, the page's language English, the
	// Chinese after the rule.
	if body := m.HTML[strings.Index(m.HTML, `class="mail-body"`):]; !strings.Contains(m.HTML, `<html lang="en">`) ||
		!strings.HasPrefix(strings.TrimSpace(body[strings.Index(body, ">")+1:]), `<p lang="en">Hello`) ||
		strings.Index(m.HTML, "<hr>") > strings.Index(m.HTML, "您好") {
		t.Errorf("language en, but the HTML part is:\n%s", m.HTML)
	}
	if !strings.Contains(m.Text, publicURL+"/account/notifications") || !strings.Contains(m.HTML, publicURL+"/account/notifications") {
		t.Errorf("no link to the settings page:\n%s", m.Text)
	}
	w.exactly(t, g.Email, "已入围", 0)
}

// TestEmployerReviewMails: the employer's users are mailed when staff
// verify it and when an opening is rejected (with the reason) or approved,
// once each.
func TestEmployerReviewMails(t *testing.T) {
	w := newMailWorld(t, nil)
	emp := w.employerAt(t, "review")
	m := w.exactly(t, emp.Email, "单位认证已通过", 1)[0]
	// Each review mail names who reviewed (a walk: 主管部门 said not which).
	const reviewer = "成都高新技术产业开发区管委会"
	if !strings.Contains(m.Text, "已通过"+reviewer+"认证") || !strings.Contains(m.Text, "verified by the Chengdu Hi-tech Industrial Development Zone administration") {
		t.Errorf("the verification mail does not name who verified:\n%s", m.Text)
	}
	if !strings.Contains(m.Text, publicURL+"/employer") || len(m.To) != 1 || !strings.EqualFold(m.To[0].Address, emp.Email) {
		t.Errorf("verification mail to %v:\n%s", m.To, m.Text)
	}
	w.a.MailLinksWork(m, publicURL, emp.Email)
	id := w.a.Must(http.StatusCreated, "POST", "/api/v1/openings", emp.Token, testutil.OpeningBody(map[string]any{"title": "类脑芯片测试助理"})).JSON()["id"].(string)
	w.a.Must(http.StatusOK, "POST", "/api/v1/openings/"+id+"/submit", emp.Token, nil)
	w.a.Must(http.StatusOK, "POST", "/api/v1/openings/"+id+"/reject", w.admin.Token, map[string]any{"reason": "薪资范围需写明税前"})
	m = w.exactly(t, emp.Email, "未通过审核", 1)[0]
	for _, want := range []string{"类脑芯片测试助理", "薪资范围需写明税前", publicURL + "/employer/openings/" + id, "未通过" + reviewer + "审核", "驳回原因：薪资范围需写明税前"} { // the site's word for it
		if !strings.Contains(m.Text, want) {
			t.Errorf("rejection mail lacks %q:\n%s", want, m.Text)
		}
	}
	w.a.MailLinksWork(m, publicURL, emp.Email)
	// Sent back unedited and returned again: the second return is mailed
	// too (it was taken for the first, at the same version: a walk).
	w.a.Must(http.StatusOK, "POST", "/api/v1/openings/"+id+"/submit", emp.Token, nil)
	w.a.Must(http.StatusOK, "POST", "/api/v1/openings/"+id+"/reject", w.admin.Token, map[string]any{"reason": "仍未写明税前薪资"})
	if ms := w.exactly(t, emp.Email, "未通过审核", 2); !strings.Contains(ms[0].Text+ms[1].Text, "仍未写明税前薪资") {
		t.Error("the second return's reason was not mailed")
	}
	w.a.Must(http.StatusOK, "POST", "/api/v1/openings/"+id+"/submit", emp.Token, nil)
	w.a.Must(http.StatusOK, "POST", "/api/v1/openings/"+id+"/approve", w.admin.Token, nil)
	m = w.exactly(t, emp.Email, "已通过审核", 1)[0]
	if !strings.Contains(m.Subject, "类脑芯片测试助理") || !strings.Contains(m.Text, publicURL+"/employer/openings/"+id) {
		t.Errorf("approval mail %q:\n%s", m.Subject, m.Text)
	}
	w.a.MailLinksWork(m, publicURL, emp.Email)
	// Verifying again mails nothing more.
	w.a.Must(http.StatusOK, "POST", "/api/v1/employers/"+emp.EmployerID+"/verify", w.admin.Token, nil)
	w.exactly(t, emp.Email, "单位认证已通过", 1)
}

// A staff walk found a pending employer whose details did not match its
// credit code could only be left pending for ever: nothing told it what to
// fix, and it could change nothing. Staff who may verify it return it with
// a reason (kept on the employer and mailed); the employer corrects its
// details while pending, which clears the reason; staff then verify it.
// Nobody else may do either, and a verified employer's details are fixed.
func TestEmployerReturnedForCorrection(t *testing.T) {
	w := newMailWorld(t, nil)
	a := w.a
	email := testutil.MailAddress("returned")
	body := testutil.EmployerBody(email, "51", "sichuan-chengdu")
	r := a.Must(http.StatusCreated, "POST", "/api/v1/auth/register", "", body).JSON()
	emp := testutil.Account{ID: r["user"].(map[string]any)["id"].(string), Email: email, Token: r["access_token"].(string)}
	a.MarkVerified(emp.ID)
	id := a.Must(http.StatusOK, "GET", "/api/v1/me", emp.Token, nil).JSON()["employer"].(map[string]any)["id"].(string)
	back := "/api/v1/employers/" + id + "/return"
	reason := map[string]any{"reason": "单位名称与营业执照不一致，请按执照填写"}

	// Who may return it: staff who may verify it; a bad reason changes nothing.
	for _, who := range []testutil.Account{a.ZoneAdmin("sichuan-mianyang"), a.ProvinceAdmin("44")} {
		if r := a.Do("POST", back, who.Token, reason); r.Status != http.StatusNotFound && r.Status != http.StatusForbidden {
			t.Errorf("%s returned another zone's employer: %d", who.Email, r.Status)
		}
	}
	a.Must(http.StatusForbidden, "POST", back, emp.Token, reason)
	if r := a.Do("POST", back, w.admin.Token, map[string]any{"reason": " "}); r.Status != http.StatusUnprocessableEntity || r.Field("reason") == "" {
		t.Errorf("a blank reason: %d %s", r.Status, r.Body)
	}
	if got := a.Must(http.StatusOK, "GET", "/api/v1/me", emp.Token, nil).JSON()["employer"].(map[string]any)["return_reason"]; got != nil {
		t.Fatalf("refused returns left a reason: %v", got)
	}
	e := a.Must(http.StatusOK, "POST", back, w.admin.Token, reason).JSON()
	if e["status"] != "pending" || e["return_reason"] != reason["reason"] || e["returned_at"] == nil {
		t.Fatalf("returned: %v", e)
	}
	// The audit trail keeps the reason (a walk found the entry's before and
	// after alike, so the page showed no change).
	for _, it := range a.Must(http.StatusOK, "GET", "/api/v1/audit?kind=employer.returned", w.admin.Token, nil).JSON()["items"].([]any) {
		e := it.(map[string]any)
		if after, _ := e["after"].(map[string]any); after["reason"] != reason["reason"] || e["before"].(map[string]any)["reason"] != "" {
			t.Errorf("the return's audit entry: before %v, after %v", e["before"], e["after"])
		}
	}
	m := w.exactly(t, email, "单位认证需修改", 1)[0]
	for _, want := range []string{"单位名称与营业执照不一致", publicURL + "/employer/organisation", "成都高新技术产业开发区管委会审核了"} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("the return mail lacks %q:\n%s", want, m.Text)
		}
	}
	a.MailLinksWork(m, publicURL, email)
	if got := a.Must(http.StatusOK, "GET", "/api/v1/me", emp.Token, nil).JSON()["employer"].(map[string]any)["return_reason"]; got != reason["reason"] {
		t.Errorf("the employer does not read the reason: %v", got)
	}

	// The employer corrects its details: bad fields are 422 naming each,
	// another's credit code 409, another employer 403; nothing changes.
	// It also moves to the zone it belongs to (a review: the zone that
	// returned it then lost sight of it, its audit log silent).
	fix := map[string]any{"name": "成都锦城光电科技有限公司", "credit_code": testutil.RandomCreditCode(), "type": "enterprise", "size": "small",
		"industry": "ai", "province_code": "51", "zone_code": "sichuan-mianyang"}
	if r := a.Do("PUT", "/api/v1/employers/"+id, emp.Token, map[string]any{"name": "成都锦城\n光电科技有限公司", "credit_code": testutil.RandomCreditCode(),
		"type": "enterprise", "size": "small", "industry": "ai", "province_code": "51"}); r.Status != http.StatusUnprocessableEntity || r.Field("name") == "" {
		t.Errorf("a name of two lines: %d %s", r.Status, r.Body)
	}
	bad := map[string]any{"name": "x", "credit_code": "123", "type": "club", "size": "small", "industry": "ai", "province_code": "51", "zone_code": "guangdong-guangzhou"}
	// Every wrong field at once, the place too (a contract check).
	if r := a.Do("PUT", "/api/v1/employers/"+id, emp.Token, bad); r.Status != http.StatusUnprocessableEntity || r.Field("name") == "" || r.Field("credit_code") == "" || r.Field("type") == "" ||
		r.Field("zone_code") != "zone is not in that province" {
		t.Errorf("bad details: %d %s", r.Status, r.Body)
	}
	bad = map[string]any{}
	for k, v := range fix {
		bad[k] = v
	}
	bad["zone_code"] = "guangdong-guangzhou"
	if r := a.Do("PUT", "/api/v1/employers/"+id, emp.Token, bad); r.Status != http.StatusUnprocessableEntity || r.Field("zone_code") == "" {
		t.Errorf("a zone of another province: %d %s", r.Status, r.Body)
	}
	bad["zone_code"], bad["credit_code"] = "sichuan-chengdu", a.Must(http.StatusOK, "GET", "/api/v1/employers/"+w.emp.EmployerID, w.emp.Token, nil).JSON()["credit_code"]
	if r := a.Do("PUT", "/api/v1/employers/"+id, emp.Token, bad); r.Status != http.StatusConflict || r.ErrorCode() != "credit_code_taken" {
		t.Errorf("another employer's credit code: %d %s", r.Status, r.Body)
	}
	a.Must(http.StatusForbidden, "PUT", "/api/v1/employers/"+id, w.emp.Token, fix)
	a.Must(http.StatusForbidden, "PUT", "/api/v1/employers/"+id, w.admin.Token, fix)
	if got := a.Must(http.StatusOK, "GET", "/api/v1/employers/"+id, emp.Token, nil).JSON(); got["name"] != body["employer"].(map[string]any)["name"] {
		t.Fatalf("refused corrections changed the employer: %v", got["name"])
	}
	e = a.Must(http.StatusOK, "PUT", "/api/v1/employers/"+id, emp.Token, fix).JSON()
	if e["name"] != fix["name"] || e["credit_code"] != fix["credit_code"] || e["return_reason"] != nil || e["status"] != "pending" {
		t.Fatalf("corrected: %v", e)
	}
	for who, want := range map[string]string{w.admin.Token: "employer.returned,employer.corrected", a.ZoneAdmin("sichuan-mianyang").Token: "employer.corrected"} {
		var kinds []string
		for _, it := range a.Must(http.StatusOK, "GET", "/api/v1/audit?per_page=100", who, nil).JSON()["items"].([]any) {
			if e := it.(map[string]any); e["entity_id"] == id {
				kinds = append([]string{e["kind"].(string)}, kinds...)
			}
		}
		if got := strings.Join(kinds, ","); got != want {
			t.Errorf("a zone's audit trail of the employer: %q, want %q", got, want)
		}
	}
	mianyang := a.ZoneAdmin("sichuan-mianyang")

	// A field of the wrong type is named as the client wrote it (a review
	// found "OrgDetails.name": a Go type's name).
	for path, body := range map[string]map[string]any{
		"/api/v1/employers/" + id: {"name": 5},
		"/api/v1/auth/register":   {"role": "employer", "employer": map[string]any{"name": 5}},
	} {
		method := "PUT"
		if strings.HasSuffix(path, "register") {
			method = "POST"
		}
		r := a.Do(method, path, emp.Token, body)
		want := "name"
		if method == "POST" {
			want = "employer.name"
		}
		if r.Status != http.StatusBadRequest || r.Field(want) != "must be a string" {
			t.Errorf("%s with a number for the name: %d %s", path, r.Status, r.Body)
		}
	}

	// Returned (the reason stored without the blanks around it), then
	// verified without a correction: the reason goes.
	if got := a.Must(http.StatusOK, "POST", back, mianyang.Token, map[string]any{"reason": "  请补充登记证书  \n"}).JSON()["return_reason"]; got != "请补充登记证书" {
		t.Errorf("the reason stored: %q", got)
	}
	// Verified, its details are fixed, and it cannot be returned.
	if e := a.Must(http.StatusOK, "POST", "/api/v1/employers/"+id+"/verify", mianyang.Token, nil).JSON()["employer"].(map[string]any); e["return_reason"] != nil || e["returned_at"] != nil {
		t.Errorf("a verified employer still carries the return's reason: %v", e["return_reason"])
	}
	if r := a.Do("PUT", "/api/v1/employers/"+id, emp.Token, fix); r.Status != http.StatusConflict || r.ErrorCode() != "invalid_state" {
		t.Errorf("correcting a verified employer: %d %s", r.Status, r.Body)
	}
	if r := a.Do("POST", back, mianyang.Token, reason); r.Status != http.StatusConflict || r.ErrorCode() != "invalid_state" {
		t.Errorf("returning a verified employer: %d %s", r.Status, r.Body)
	}
}

// TestInterviewReminder: an interview is reminded once, within a day of
// its start, not before; moved to another time, it is reminded for the
// new time.
func TestInterviewReminder(t *testing.T) {
	w, g, app := shortlistedFor(t, "柔性电子器件助理", "reminder")
	now := time.Now()
	start := now.Add(72 * time.Hour).Truncate(time.Hour)
	iv := map[string]any{"starts_at": start.Format(time.RFC3339), "ends_at": start.Add(time.Hour).Format(time.RFC3339), "location": "天府软件园 B3"}
	w.a.Must(http.StatusOK, "POST", "/api/v1/applications/"+app+"/transitions", w.emp.Token, map[string]any{"to": "interview", "interview": iv})

	w.at(start.Add(-30 * time.Hour))
	w.sweep(t)
	w.exactly(t, g.Email, "面试提醒", 0)
	w.at(start.Add(-23 * time.Hour))
	w.sweep(t)
	w.sweep(t)
	m := w.exactly(t, g.Email, "面试提醒", 1)[0]
	local := start.In(domain.Shanghai).Format("2006-01-02 15:04")
	for _, want := range []string{"柔性电子器件助理", local, "天府软件园 B3", publicURL + "/applications/" + app} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("reminder lacks %q:\n%s", want, m.Text)
		}
	}
	w.a.MailLinksWork(m, publicURL, g.Email)
	// A mail audit: the subject said "tomorrow" of an interview that day.
	if strings.Contains(m.Subject, "明天") || strings.Contains(m.Subject, "tomorrow") || !strings.Contains(m.Subject, local) {
		t.Errorf("the reminder's subject names no day or a wrong one: %q", m.Subject)
	}
	// The interview moves two days later (as a changed invitation does:
	// new time, higher sequence): reminded again for the new time only.
	later := start.Add(48 * time.Hour)
	testutil.SQL(t, w.a.DBURL).Exec(`UPDATE applications SET interview_starts_at = $1, interview_ends_at = $2,
		interview_sequence = interview_sequence + 1 WHERE id = $3`, later, later.Add(time.Hour), app)
	w.sweep(t)
	w.exactly(t, g.Email, "面试提醒", 1)
	w.at(later.Add(-2 * time.Hour))
	w.sweep(t)
	got := w.exactly(t, g.Email, "面试提醒", 2)
	if !strings.Contains(got[0].Text, later.In(domain.Shanghai).Format("2006-01-02 15:04")) && !strings.Contains(got[1].Text, later.In(domain.Shanghai).Format("2006-01-02 15:04")) {
		t.Errorf("no reminder names the new time %v", later)
	}
}

// An interview arranged within a day of its start is not reminded: its
// invitation, a minute old, says the same (a mail audit got the reminder 46
// seconds after the invitation, for an interview that evening).
func TestNoReminderForAnInterviewSetWithinTheDay(t *testing.T) {
	w, g, app := shortlistedFor(t, "当晚面试助理", "sameday")
	start := time.Now().Add(5 * time.Hour).Truncate(time.Minute)
	iv := map[string]any{"starts_at": start.Format(time.RFC3339), "ends_at": start.Add(time.Hour).Format(time.RFC3339), "online_url": "https://meeting.example.cn/j/1"}
	w.a.Must(http.StatusOK, "POST", "/api/v1/applications/"+app+"/transitions", w.emp.Token, map[string]any{"to": "interview", "interview": iv})
	invitation := w.mailsLike(t, g.Email, "邀请面试", 1)[0]
	// With no place, the meeting link is where calendars show the place
	// (a mail audit: only in URL, which Outlook and Google do not show).
	entries := 0
	for _, at := range invitation.Attachments {
		if inv, err := ical.Parse(at.Data); err == nil {
			entries++
			if inv.Location != iv["online_url"] {
				t.Errorf("an online interview's entry is at %q", inv.Location)
			}
		}
	}
	if entries == 0 {
		t.Error("the invitation carries no calendar entry")
	}
	w.sweep(t)
	w.exactly(t, g.Email, "面试提醒", 0)
}

// TestApplicantDigest: the day after applications come in, the employer
// gets one digest listing them; an employer without applicants gets none.
func TestApplicantDigest(t *testing.T) {
	w := newMailWorld(t, nil)
	emp := w.employerAt(t, "digest")
	idle := w.employerAt(t, "digest-idle")
	id := w.a.Publish(emp, w.admin, map[string]any{"title": "固态电池材料助理"})
	g1, g2 := w.graduate(t, "d1", true), w.graduate(t, "d2", true)
	a1, a2 := w.apply(g1, id), w.apply(g2, id)

	today := domain.DateOf(time.Now())
	w.at(today.Time().Add(20 * time.Hour)) // the same day: nothing yet
	w.sweep(t)
	w.exactly(t, emp.Email, "份申请", 0)
	w.at(today.AddDays(1).Time().Add(8 * time.Hour))
	w.sweep(t)
	w.sweep(t)
	m := w.exactly(t, emp.Email, "份申请", 1)[0]
	if !strings.Contains(m.Subject, "2 份申请") || !strings.Contains(m.Subject, today.String()) {
		t.Errorf("digest subject %q", m.Subject)
	}
	for _, want := range []string{"固态电池材料助理", publicURL + "/applications/" + a1, publicURL + "/applications/" + a2} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("digest lacks %q:\n%s", want, m.Text)
		}
	}
	w.a.MailLinksWork(m, publicURL, emp.Email)
	w.exactly(t, idle.Email, "份申请", 0)
}

// TestAlertDigest: a saved search set to daily gathers its alerts into one
// digest mailed a day later, with a one-click unsubscribe that works
// without signing in; one set to weekly gathers the same into one digest
// mailed a week later, not after a day; nothing is mailed at once, nothing
// twice.
func TestAlertDigest(t *testing.T) {
	w := newMailWorld(t, nil)
	g := w.graduate(t, "alertdigest", true)
	w.a.Must(http.StatusOK, "PUT", "/api/v1/me/notifications/preferences", g.Token, map[string]any{"alert_frequency": "daily"})
	ss := w.a.Must(http.StatusCreated, "POST", "/api/v1/me/saved-searches", g.Token, map[string]any{"name": "量子", "q": "量子"}).JSON()
	if ss["alert_frequency"] != "daily" {
		t.Fatalf("a new saved search takes the default frequency: %v", ss)
	}
	weekly := w.a.Must(http.StatusCreated, "POST", "/api/v1/me/saved-searches", g.Token, map[string]any{"name": "量子周报", "q": "量子", "filters": map[string]any{"province": "51"}, "alert_frequency": "weekly"}).JSON()
	bad := w.a.Do("PATCH", "/api/v1/me/saved-searches/"+ss["id"].(string), g.Token, map[string]any{"alert_frequency": "hourly"})
	if bad.Status != http.StatusUnprocessableEntity || bad.Field("alert_frequency") == "" {
		t.Fatalf("bad frequency: %d %s", bad.Status, bad.Body)
	}
	ids := []string{w.a.Publish(w.emp, w.admin, map[string]any{"title": "量子计算算法助理"}),
		w.a.Publish(w.emp, w.admin, map[string]any{"title": "量子通信实验助理"})}
	db := testutil.SQL(t, w.a.DBURL)
	testutil.Eventually(t, 30*time.Second, 100*time.Millisecond, func() string {
		var n int
		if err := db.QueryRow(`SELECT count(*) FROM alert_digest_items WHERE saved_search_id IN ($1, $2)`, ss["id"], weekly["id"]).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == 4 {
			return ""
		}
		return fmt.Sprintf("%d openings gathered for the two digests, want 2 each", n)
	})
	w.sweep(t)
	w.exactly(t, g.Email, "新岗位", 0)

	w.at(time.Now().Add(25 * time.Hour))
	w.sweep(t)
	w.sweep(t)
	m := w.exactly(t, g.Email, "每日岗位汇总", 1)[0]
	w.exactly(t, g.Email, "每周岗位汇总", 0)
	for _, want := range []string{"量子计算算法助理", "量子通信实验助理", publicURL + "/openings/" + ids[0], publicURL + "/openings/" + ids[1]} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("digest lacks %q:\n%s", want, m.Text)
		}
	}
	w.a.MailLinksWork(m, publicURL, g.Email)
	w.oneClick(t, m)
	var on bool
	if err := db.QueryRow(`SELECT mail_alerts FROM saved_searches WHERE id = $1`, ss["id"]).Scan(&on); err != nil || on {
		t.Fatalf("alert mail still on after unsubscribe (%v)", err)
	}

	// A week on, the weekly search's digest: the same two openings, once.
	w.at(time.Now().Add(8 * 24 * time.Hour))
	w.sweep(t)
	w.sweep(t)
	m = w.exactly(t, g.Email, "每周岗位汇总", 1)[0]
	for _, want := range []string{"量子周报", "量子计算算法助理", "量子通信实验助理", publicURL + "/openings/" + ids[0]} {
		if !strings.Contains(m.Subject+m.Text, want) {
			t.Errorf("weekly digest lacks %q:\n%s", want, m.Text)
		}
	}
	if m.Header("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
		t.Errorf("weekly digest without RFC 8058 headers: %v", m.Headers)
	}
	w.exactly(t, g.Email, "每日岗位汇总", 1)
}

// TestReportMails: zone staff are mailed "due in 3 days" on that day and
// "overdue" after the due date, once per zone, month and kind; a zone
// that submitted is not.
func TestReportMails(t *testing.T) {
	w := newMailWorld(t, nil)
	late := w.staffAt(t, domain.RoleZoneAdmin, "sichuan-mianyang", "")
	// A colleague who left (`gradzone user disable`) is mailed nothing.
	gone := w.staffAt(t, domain.RoleZoneAdmin, "sichuan-mianyang", "")
	if _, _, err := w.a.Server.Accounts.DisableStaff(context.Background(), gone.Email); err != nil {
		t.Fatal(err)
	}
	// June, a month of the reporting season (May–August).
	due := domain.ReportDue(domain.DateOf(time.Now()).Year, 6)
	w.at(due.AddDays(-3).Time().Add(9 * time.Hour))
	w.sweep(t)
	w.sweep(t)
	m := w.exactly(t, late.Email, "3 天后", 1)[0]
	if !strings.Contains(m.Text, due.String()) || !strings.Contains(m.Text, "绵阳") ||
		!strings.Contains(m.Text, publicURL+"/staff/reports?year=") {
		t.Errorf("due mail:\n%s", m.Text)
	}
	w.a.MailLinksWork(m, publicURL, late.Email)
	// Next month, this month's report is overdue.
	w.at(due.AddDays(2).Time().Add(9 * time.Hour))
	w.sweep(t)
	w.sweep(t)
	m = w.exactly(t, late.Email, "已逾期", 2)[0] // May's too
	if !strings.Contains(m.Text, "尚未提交") {
		t.Errorf("overdue mail:\n%s", m.Text)
	}
	w.a.MailLinksWork(m, publicURL, late.Email)
	// Out of season no report is owed: nothing about September, before or
	// after its end (a browser walk saw every zone flagged late in November).
	w.at(domain.ReportDue(due.Year, 9).AddDays(-3).Time().Add(9 * time.Hour))
	w.sweep(t)
	w.at(domain.ReportDue(due.Year, 9).AddDays(2).Time().Add(9 * time.Hour))
	w.sweep(t)
	time.Sleep(2 * time.Second)
	for _, s := range w.mp.Messages(late.Email) {
		if strings.Contains(s.Subject, "9月") || strings.Contains(s.Subject, "-09") {
			t.Errorf("a mail about September: %q", s.Subject)
		}
	}
	for _, s := range w.mp.Messages(gone.Email) {
		t.Errorf("a disabled account was mailed %q", s.Subject)
	}
}

// TestChaseReports: a province's 催报 mails the staff of each zone of the
// province that has not submitted, not those that have, at most once per
// zone and day; another province's staff and zone staff may not. A walk
// was told "8 zones reminded" when 2 mails went out (six zones had no
// staff account), and chased December, when no report is owed: the
// answer counts the zones reached and names the rest, and a month outside
// the season is refused.
func TestChaseReports(t *testing.T) {
	w := newMailWorld(t, nil)
	done := w.staffAt(t, domain.RoleZoneAdmin, "sichuan-zigong", "")
	behind := w.staffAt(t, domain.RoleZoneAdmin, "sichuan-leshan", "")
	province := w.staffAt(t, domain.RoleProvinceAdmin, "", "51")
	today := domain.DateOf(time.Now())
	season := map[string]any{"year": today.Year - 1, "month": 7}
	w.a.Must(http.StatusOK, "POST", "/api/v1/reports/monthly/submit", done.Token, map[string]any{"zone": "sichuan-zigong", "year": today.Year - 1, "month": 7})

	r := w.a.Must(http.StatusOK, "POST", "/api/v1/reports/monthly/remind", province.Token, season).JSON()
	zones, unreached := map[string]bool{}, map[string]bool{}
	for _, z := range r["zones"].([]any) {
		zones[z.(string)] = true
	}
	for _, z := range r["unreached"].([]any) {
		unreached[z.(string)] = true
	}
	if !zones["sichuan-leshan"] || zones["sichuan-zigong"] || int(r["reminded"].(float64)) != len(zones) || r["already_reminded"].(float64) != 0 {
		t.Fatalf("催报: %v", r)
	}
	sichuan := int(w.a.Must(http.StatusOK, "GET", "/api/v1/zones?province=51", "", nil).JSON()["total"].(float64))
	if len(unreached) == 0 || unreached["sichuan-leshan"] || unreached["sichuan-zigong"] || len(zones)+len(unreached) != sichuan-1 {
		t.Fatalf("催报 of %d zones (one submitted): reminded %v, unreached %v", sichuan, zones, unreached)
	}
	for z := range zones {
		if !strings.HasPrefix(z, "sichuan-") {
			t.Errorf("reminded %s outside Sichuan", z)
		}
	}
	m := w.exactly(t, behind.Email, "催报", 1)[0]
	if !strings.Contains(m.Text, "乐山") || !strings.Contains(m.Text, publicURL+"/staff/reports?year=") {
		t.Errorf("催报 mail:\n%s", m.Text)
	}
	// A staff walk read "绵阳高新技术产业开发区's monthly report" in the
	// English half: the zone has an English name.
	if _, en, _ := strings.Cut(m.Text, "----"); !strings.Contains(en, "Leshan Hi-tech Industrial Development Zone's monthly report") {
		t.Errorf("催报 mail's English half:\n%s", en)
	}
	w.a.MailLinksWork(m, publicURL, behind.Email)
	w.exactly(t, done.Email, "催报", 0)

	// Again the same day: no mail, the answer says so.
	again := w.a.Must(http.StatusOK, "POST", "/api/v1/reports/monthly/remind", province.Token, season).JSON()
	if again["reminded"].(float64) != 0 || again["already_reminded"] != r["reminded"] {
		t.Fatalf("second 催报 the same day: %v", again)
	}
	w.exactly(t, behind.Email, "催报", 1)

	// Outside May to August no report is owed, so there is nothing to chase.
	if r := w.a.Do("POST", "/api/v1/reports/monthly/remind", province.Token, map[string]any{"year": today.Year - 1, "month": 12}); r.Status != http.StatusConflict || r.ErrorCode() != "invalid_state" {
		t.Errorf("chasing December: %d %s", r.Status, r.Body)
	}
	w.exactly(t, behind.Email, "催报", 1)

	// Scope.
	other := w.a.Staff(domain.RoleProvinceAdmin, "", "44")
	w.a.Must(http.StatusNotFound, "POST", "/api/v1/reports/monthly/remind", other.Token, map[string]any{"province": "51"})
	w.a.Must(http.StatusForbidden, "POST", "/api/v1/reports/monthly/remind", behind.Token, nil)
	ministry := w.a.Staff(domain.RoleMinistryAdmin, "", "")
	if r := w.a.Do("POST", "/api/v1/reports/monthly/remind", ministry.Token, nil); r.Status != http.StatusUnprocessableEntity || r.Field("province") == "" {
		t.Fatalf("ministry without a province: %d %s", r.Status, r.Body)
	}
	w.a.Must(http.StatusUnprocessableEntity, "POST", "/api/v1/reports/monthly/remind", province.Token, map[string]any{"year": today.Year, "month": 13})
	// A probe chased a month that had not started: a zone was mailed for a
	// report it could not submit. It is refused like the submission.
	next := today.AddDays(32)
	if r := w.a.Do("POST", "/api/v1/reports/monthly/remind", province.Token, map[string]any{"year": next.Year, "month": next.Month}); r.Status != http.StatusUnprocessableEntity || r.Field("month") != "the month has not started" {
		t.Errorf("chasing a month to come: %d %s", r.Status, r.Body)
	}
	w.exactly(t, behind.Email, "催报", 1)

	// A staff walk: a province returning a report sent the zone an in-site
	// message only, though a return is the one state the zone must act in.
	// Its staff are mailed the reason, with the way to the report.
	w.a.Must(http.StatusOK, "POST", "/api/v1/reports/monthly/submit", behind.Token, map[string]any{"zone": "sichuan-leshan", "year": today.Year - 1, "month": 7})
	w.a.Must(http.StatusOK, "POST", "/api/v1/reports/monthly/review", province.Token,
		map[string]any{"zone": "sichuan-leshan", "year": today.Year - 1, "month": 7, "action": "return", "reason": "招录人数与花名册不符，请核对"})
	back := w.exactly(t, behind.Email, "月报被退回", 1)[0]
	if !strings.Contains(back.Text, "招录人数与花名册不符，请核对") || !strings.Contains(back.Text, publicURL+"/staff/reports?year=") ||
		!strings.Contains(back.Text, "Leshan Hi-tech Industrial Development Zone") {
		t.Errorf("the return's mail:\n%s", back.Text)
	}
	// A staff walk (walk41a): the acceptance named the office that accepted
	// and the version; the return named neither, though the zone must call
	// the office to ask what the reason means.
	if !strings.Contains(back.Text, "（第1版）被四川省主管部门退回") || !strings.Contains(back.Text, "(version 1) was returned by") {
		t.Errorf("the return's mail does not name the version and who returned it:\n%s", back.Text)
	}
	w.a.MailLinksWork(back, publicURL, behind.Email)
	w.exactly(t, done.Email, "月报被退回", 0)

	// A month-end walk: the cycle's next steps told the next level on the
	// site only, so a province learnt of a report to review when someone
	// opened the dashboard. Each step mails the level that acts next: a
	// submission the province's staff (each version once), an acceptance
	// the zone's, a province's report the ministry's.
	nation := w.staffAt(t, domain.RoleMinistryAdmin, "", "")
	leshanJuly := map[string]any{"zone": "sichuan-leshan", "year": today.Year - 1, "month": 7, "note": "已按花名册核对，<补录>2人"}
	w.a.Must(http.StatusOK, "POST", "/api/v1/reports/monthly/submit", behind.Token, leshanJuly)
	toReview := w.exactly(t, province.Email, "月报待审核：乐山", 2)
	w.exactly(t, province.Email, "月报待审核：自贡", 1)
	v2 := toReview[0]
	if !strings.Contains(v2.Text, "第2版") {
		v2 = toReview[1]
	}
	if !strings.Contains(v2.Text, "第2版") || !strings.Contains(v2.Text, fmt.Sprintf("%s/staff/reports?year=%d&month=7&lang=zh#report-sichuan-leshan", publicURL, today.Year-1)) ||
		!strings.Contains(v2.Text, "Leshan Hi-tech Industrial Development Zone submitted its monthly report") {
		t.Errorf("the submission's mail to the province:\n%s", v2.Text)
	}
	// The resubmission's note, the zone's answer to the return, is in its
	// mail (it was on the site only), escaped in the HTML part.
	if !strings.Contains(v2.Text, "填报说明：已按花名册核对，<补录>2人") || !strings.Contains(v2.Text, "The zone's note: 已按花名册核对") ||
		!strings.Contains(v2.HTML, "已按花名册核对，&lt;补录&gt;2人") {
		t.Errorf("the resubmission's mail does not carry the zone's note:\n%s", v2.Text)
	}
	w.a.MailLinksWork(v2, publicURL, province.Email)
	w.exactly(t, behind.Email, "月报待审核", 0)
	w.exactly(t, nation.Email, "月报待审核", 0)

	w.a.Must(http.StatusOK, "POST", "/api/v1/reports/monthly/review", province.Token,
		map[string]any{"zone": "sichuan-leshan", "year": today.Year - 1, "month": 7, "action": "accept"})
	ok := w.exactly(t, behind.Email, "月报已审核通过", 1)[0]
	if !strings.Contains(ok.Text, "第2版") || !strings.Contains(ok.Text, "四川省主管部门") {
		t.Errorf("the acceptance's mail to the zone:\n%s", ok.Text)
	}
	w.a.MailLinksWork(ok, publicURL, behind.Email)
	w.exactly(t, done.Email, "月报已审核通过", 0)

	w.a.Must(http.StatusOK, "POST", "/api/v1/reports/monthly/province/submit", province.Token, map[string]any{"province": "51", "year": today.Year - 1, "month": 7})
	in := w.exactly(t, nation.Email, "省级月报已报送：四川", 1)[0]
	if !strings.Contains(in.Text, fmt.Sprintf("%s/staff/reports?year=%d&month=7&province=51", publicURL, today.Year-1)) ||
		!strings.Contains(in.Text, fmt.Sprintf("辖区 %d 个高新区中 2 个的月报已报送", sichuan)) {
		t.Errorf("the province report's mail to the nation:\n%s", in.Text)
	}
	w.a.MailLinksWork(in, publicURL, nation.Email)
	w.exactly(t, province.Email, "省级月报已报送", 0)
}
