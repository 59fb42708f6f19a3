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

// mailWorld is a published opening and a Mailpit, with links on publicURL.
type mailWorld struct {
	world
	mp *testutil.Mailpit
}

func newMailWorld(t *testing.T, over map[string]any) mailWorld {
	a, mp := mailApp(t)
	emp, admin, id := a.PublishedOpening(over)
	return mailWorld{world{a: a, emp: emp, admin: admin, opening: id}, mp}
}

// graduate registers a graduate at a Mailpit address; verified marks the
// address proved, as its verification link does.
func (w mailWorld) graduate(t *testing.T, prefix string, verified bool) testutil.Account {
	g := registerAt(t, w.a, testutil.MailAddress(prefix))
	if verified {
		w.a.MarkVerified(g.ID)
	}
	return g
}

// mailsLike waits until n mails to address have a subject containing
// part, and returns them, newest first.
func (w mailWorld) mailsLike(t *testing.T, address, part string, n int) []testutil.Mail {
	t.Helper()
	var out []testutil.Mail
	testutil.Eventually(t, 30*time.Second, 100*time.Millisecond, func() string {
		out = nil
		for _, s := range w.mp.Messages(address) {
			if strings.Contains(s.Subject, part) {
				out = append(out, w.mp.Message(s.ID))
			}
		}
		if len(out) >= n {
			return ""
		}
		return fmt.Sprintf("%d mail(s) to %s with %q in the subject, want %d", len(out), address, part, n)
	})
	return out
}

// shortlistedFor is a mail world for an opening titled title with a
// verified graduate (address prefix) shortlisted on it, one step before an
// interview: the graduate and the application.
func shortlistedFor(t *testing.T, title, prefix string) (mailWorld, testutil.Account, string) {
	w := newMailWorld(t, map[string]any{"title": title})
	g := w.graduate(t, prefix, true)
	app := w.apply(g, w.opening)
	w.shortlist(app)
	return w, g, app
}

// move moves application app as the holder of tok, with extra fields in
// the body (a note, an interview), and expects 200.
func (w mailWorld) move(t *testing.T, tok, app, to string, extra map[string]any) {
	t.Helper()
	body := map[string]any{"to": to}
	for k, v := range extra {
		body[k] = v
	}
	w.a.Must(http.StatusOK, "POST", "/api/v1/applications/"+app+"/transitions", tok, body)
}

// oneClick does what a mail client does with m's RFC 8058 headers: it posts
// List-Unsubscribe=One-Click to the link, with no cookie and no sign-in,
// and expects 200.
func (w mailWorld) oneClick(t *testing.T, m testutil.Mail) {
	t.Helper()
	link := strings.Trim(m.Header("List-Unsubscribe"), "<>")
	if m.Header("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" || !strings.HasPrefix(link, publicURL+"/unsubscribe?token=") {
		t.Fatalf("no RFC 8058 headers: %v", m.Headers)
	}
	res, err := http.Post(strings.Replace(link, publicURL, w.a.URL, 1), "application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click"))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("one-click unsubscribe: %d", res.StatusCode)
	}
}

// mailQueueIdle waits until no mail job is left to run, so that a mail
// not sent by then will not be.
func (w mailWorld) mailQueueIdle(t *testing.T) {
	t.Helper()
	db := testutil.SQL(t, w.a.DBURL)
	testutil.Eventually(t, 30*time.Second, 100*time.Millisecond, func() string {
		var n int
		if err := db.QueryRow(`SELECT count(*) FROM river_job WHERE queue = 'mail' AND finalized_at IS NULL`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return ""
		}
		return fmt.Sprintf("%d mail jobs still unfinished", n)
	})
}

// twoApplicantWorld is a mail world whose employer's address is verified
// (its users are mailed), its opening for two, with two verified graduates
// (g, g2, mailed at addresses named first and second) applied (app, app2).
type twoApplicantWorld struct {
	mailWorld
	g, g2     testutil.Account
	app, app2 string
}

func newTwoApplicantWorld(t *testing.T, title, first, second string) twoApplicantWorld {
	t.Helper()
	w := newMailWorld(t, map[string]any{"title": title, "headcount": 2})
	w.a.MarkVerified(w.emp.ID)
	g, g2 := w.graduate(t, first, true), w.graduate(t, second, true)
	return twoApplicantWorld{mailWorld: w, g: g, g2: g2, app: w.apply(g, w.opening), app2: w.apply(g2, w.opening)}
}

// offerAndPick moves application app of graduate g to interview with one
// offered time of an hour from start at location, and picks it as g.
func (w mailWorld) offerAndPick(t *testing.T, g testutil.Account, app string, start time.Time, location string) {
	t.Helper()
	w.move(t, w.emp.Token, app, "shortlisted", nil)
	w.move(t, w.emp.Token, app, "interview", map[string]any{"interview_slots": []any{map[string]any{"starts_at": start.Format(time.RFC3339),
		"ends_at": start.Add(time.Hour).Format(time.RFC3339), "location": location}}})
	slot := w.a.Must(http.StatusOK, "GET", "/api/v1/applications/"+app, g.Token, nil).JSON()["interview_slots"].([]any)[0].(map[string]any)["id"].(string)
	w.a.Must(http.StatusOK, "POST", "/api/v1/applications/"+app+"/interview-slots/"+slot+"/pick", g.Token, nil)
}

// calendarEntry is the calendar entry a mail carries, or nil.
func calendarEntry(m testutil.Mail) *ical.Invite {
	for _, at := range m.Attachments {
		if got, err := ical.Parse(at.Data); err == nil {
			return &got
		}
	}
	return nil
}

// TestStatusChangeMail: a move mails a verified graduate, naming the
// opening, the employer and the new status, with a link on the public URL;
// an unverified graduate gets none, nor one who turned status mail off.
func TestStatusChangeMail(t *testing.T) {
	w := newMailWorld(t, map[string]any{"title": "单细胞测序数据分析助理"})
	g := w.graduate(t, "status", true)
	quiet := w.graduate(t, "status-unverified", false)
	off := w.graduate(t, "status-off", true)
	testutil.SQL(t, w.a.DBURL).Exec(`UPDATE users SET mail_off = ARRAY['application_status'] WHERE id = $1`, off.ID)
	var apps []string
	for _, acc := range []testutil.Account{quiet, off, g} {
		id := w.apply(acc, w.opening)
		w.a.Must(http.StatusOK, "POST", "/api/v1/applications/"+id+"/transitions", w.emp.Token, map[string]any{"to": "shortlisted", "note": "请准备自我介绍"})
		apps = append(apps, id)
	}
	m := w.mailsLike(t, g.Email, "已入围", 1)[0]
	for _, want := range []string{"单细胞测序数据分析助理", "已入围", "shortlisted"} {
		if !strings.Contains(m.Subject, want) {
			t.Errorf("subject %q lacks %q", m.Subject, want)
		}
	}
	empName := w.a.Must(http.StatusOK, "GET", "/api/v1/applications/"+apps[2], g.Token, nil).JSON()["opening"].(map[string]any)["employer_name"].(string)
	for _, want := range []string{"单细胞测序数据分析助理", empName, "已入围", "shortlisted", "请准备自我介绍", publicURL + "/applications/" + apps[2]} {
		if !strings.Contains(m.Text, want) || (!strings.HasPrefix(want, "http") && !strings.Contains(m.HTML, want)) {
			t.Errorf("mail lacks %q:\n%s", want, m.Text)
		}
	}
	if len(m.Attachments) != 0 {
		t.Errorf("a shortlist mail has attachments: %+v", m.Attachments)
	}
	w.a.MailLinksWork(m, publicURL, g.Email)
	// A walk read "状态已更新为：发放录用意向" (a button's words, as a
	// field's value): each status is told in a sentence that says what
	// comes next, and the offer by the term the site shows (拟录用).
	if !strings.Contains(m.Text, "安排面试") || strings.Contains(m.Text, "状态已更新为") {
		t.Errorf("the shortlist mail does not say what comes next:\n%s", m.Text)
	}
	w.a.Must(http.StatusOK, "POST", "/api/v1/applications/"+apps[2]+"/transitions", w.emp.Token, map[string]any{"to": "offered"})
	offer := w.mailsLike(t, g.Email, "拟录用", 1)[0]
	for _, want := range []string{"恭喜", empName, "接受或婉拒", "Congratulations", "accept or decline"} {
		if !strings.Contains(offer.Text, want) || !strings.Contains(offer.HTML, want) {
			t.Errorf("the offer mail lacks %q:\n%s", want, offer.Text)
		}
	}
	// The graduate's own move is mailed too (contract: every change).
	w.a.Must(http.StatusOK, "POST", "/api/v1/applications/"+apps[2]+"/transitions", g.Token, map[string]any{"to": "withdrawn"})
	w.mailsLike(t, g.Email, "已撤回", 1)

	w.mailQueueIdle(t)
	for _, acc := range []testutil.Account{quiet, off} {
		for _, s := range w.mp.Messages(acc.Email) {
			if !strings.Contains(s.Subject, "验证") {
				t.Errorf("%s got %q", acc.Email, s.Subject)
			}
		}
	}
}

// TestInterviewInvitationMail: the move to interview with an appointment
// mails a text/calendar invitation whose times, place and link are the
// ones given (parsed with the iCal library); rejecting before the
// interview cancels it with the same UID and a higher SEQUENCE.
func TestInterviewInvitationMail(t *testing.T) {
	w, g, app := shortlistedFor(t, "钙钛矿电池实验助理", "interview")
	sh := time.FixedZone("CST", 8*3600)
	start := time.Now().In(sh).Add(96 * time.Hour).Truncate(time.Hour)
	end := start.Add(90 * time.Minute)
	iv := map[string]any{"starts_at": start.Format(time.RFC3339), "ends_at": end.Format(time.RFC3339),
		"location": "天府软件园 C2 栋 302, 成都", "online_url": "https://meet.example.test/j/42?pwd=x"}
	w.a.Must(http.StatusOK, "POST", "/api/v1/applications/"+app+"/transitions", w.emp.Token, map[string]any{"to": "interview", "interview": iv})

	m := w.mailsLike(t, g.Email, "邀请面试", 1)[0]
	if !strings.Contains(m.Text, start.Format("2006-01-02 15:04")) || !strings.Contains(m.Text, "天府软件园") || !strings.Contains(m.Text, "https://meet.example.test/j/42") {
		t.Errorf("interview mail text:\n%s", m.Text)
	}
	// The day of the week beside the time (a reader plans by it); an
	// interview from 23:00 (the test's time follows the clock) ends on the
	// next day, which has its own.
	weekday := func(t time.Time) string {
		return "（周" + []string{"日", "一", "二", "三", "四", "五", "六"}[t.Weekday()]
	}
	zh := weekday(end) + "，北京时间）"
	if en := "(" + end.Weekday().String()[:3] + ", Beijing time)"; !strings.Contains(m.Text, zh) || !strings.Contains(m.Text, en) || !strings.Contains(m.HTML, zh) ||
		!strings.Contains(m.Text, start.Format("2006-01-02 15:04")+weekday(start)) && !strings.Contains(m.Text, start.Format("2006-01-02 15:04")+"–") {
		t.Errorf("the interview mail does not say the weekday %s / %s:\n%s", zh, en, m.Text)
	}
	raw := string(m.Raw)
	if !strings.Contains(raw, "Content-Type: text/calendar; method=REQUEST; charset=UTF-8") {
		t.Errorf("no text/calendar; method=REQUEST part in:\n%s", raw)
	}
	// A browser walk read charset twice in that header, and the file sent as
	// application/ics: the contract names a text/calendar attachment.
	if strings.Count(raw, "charset=UTF-8; method") > 0 || strings.Contains(raw, "application/ics") {
		t.Errorf("calendar headers:\n%s", raw)
	}
	var inv *ical.Invite
	for _, at := range m.Attachments {
		if strings.HasSuffix(at.FileName, ".ics") {
			if !strings.HasPrefix(at.ContentType, "text/calendar") {
				t.Errorf("the invitation is attached as %q", at.ContentType)
			}
			got, err := ical.Parse(at.Data)
			if err != nil {
				t.Fatalf("invitation does not parse: %v\n%s", err, at.Data)
			}
			inv = &got
			if !strings.Contains(string(at.Data), "DTSTART:"+start.UTC().Format("20060102T150405Z")+"\r\n") {
				t.Errorf("DTSTART not in UTC:\n%s", at.Data)
			}
		}
	}
	if inv == nil {
		t.Fatalf("no .ics attachment: %+v", m.Attachments)
	}
	if !inv.Start.Equal(start) || !inv.End.Equal(end) || inv.Method != "REQUEST" || inv.Sequence != 0 ||
		inv.Location != iv["location"] || inv.URL != iv["online_url"] || !strings.Contains(inv.UID, app) ||
		inv.OrganizerEmail != "noreply@gradzone.localhost" || !strings.EqualFold(inv.AttendeeEmail, g.Email) {
		t.Errorf("invitation %+v, want %v–%v at %v", *inv, start, end, iv)
	}
	// Calendars that show no URL property (Outlook, Google) show the
	// meeting link in the notes (a mail audit).
	if !strings.Contains(inv.Description, iv["online_url"].(string)) {
		t.Errorf("the entry's notes lack the meeting link: %q", inv.Description)
	}
	// A walk's calendar showed "面试 Interview：…": one language, the mail's.
	if !strings.HasPrefix(inv.Summary, "面试：") || strings.Contains(inv.Summary, "Interview") {
		t.Errorf("the entry's title %q", inv.Summary)
	}

	// Rejected before the interview: a CANCEL of the same entry.
	w.a.Must(http.StatusOK, "POST", "/api/v1/applications/"+app+"/transitions", w.emp.Token, map[string]any{"to": "rejected"})
	c := w.mailsLike(t, g.Email, "未通过", 1)[0]
	var cancel *ical.Invite
	for _, at := range c.Attachments {
		if got, err := ical.Parse(at.Data); err == nil {
			cancel = &got
		}
	}
	if cancel == nil || cancel.Method != "CANCEL" || cancel.UID != inv.UID || cancel.Sequence != 1 || !cancel.Start.Equal(start) {
		t.Fatalf("cancellation: %+v", cancel)
	}
	for _, mail := range []testutil.Mail{m, c} {
		w.a.MailLinksWork(mail, publicURL, g.Email)
	}
}

// A walk: an employer that offered and hired before the interview's day
// left the interview in the graduate's calendar (the site stopped showing
// it). Any move that ends the application or hires it cancels an
// interview still to come, as a rejection did.
func TestHireCancelsAnInterviewStillToCome(t *testing.T) {
	w := newMailWorld(t, map[string]any{"title": "提前录用测试岗位"})
	g := w.graduate(t, "hired-early", true)
	app := w.apply(g, w.opening)
	start := time.Now().In(time.FixedZone("CST", 8*3600)).Add(96 * time.Hour).Truncate(time.Hour)
	move := func(tok, to string, extra map[string]any) { t.Helper(); w.move(t, tok, app, to, extra) }
	move(w.emp.Token, "shortlisted", nil)
	move(w.emp.Token, "interview", map[string]any{"interview": map[string]any{"starts_at": start.Format(time.RFC3339),
		"ends_at": start.Add(time.Hour).Format(time.RFC3339), "location": "菁蓉汇"}})
	invite := w.mailsLike(t, g.Email, "邀请面试", 1)[0]
	move(w.emp.Token, "offered", nil)
	move(g.Token, "accepted", nil)
	move(w.emp.Token, "hired", map[string]any{"hired_on": time.Now().In(time.FixedZone("CST", 8*3600)).Format("2006-01-02")})
	hired := w.mailsLike(t, g.Email, "已录用", 1)[0]
	var req, cancel *ical.Invite
	for _, m := range []testutil.Mail{invite, hired} {
		for _, at := range m.Attachments {
			if got, err := ical.Parse(at.Data); err == nil {
				if got.Method == "CANCEL" {
					cancel = &got
				} else {
					req = &got
				}
			}
		}
	}
	if req == nil || cancel == nil || cancel.UID != req.UID || cancel.Sequence <= req.Sequence || !cancel.Start.Equal(start) {
		t.Fatalf("the hire does not cancel the interview still to come: request %+v, cancel %+v", req, cancel)
	}
	// Beside a hire, the interview is not "cancelled" as bad news: it is no
	// longer needed (a review).
	if !strings.Contains(hired.Text, "无需再参加") || strings.Contains(hired.Text, "面试已取消") {
		t.Errorf("the hire mail's word on the interview:\n%s", hired.Text)
	}
}

// A walk: the employer learned only on the site that the graduate picked an
// interview time (the form promised both sides a calendar invitation) or
// accepted the offer. Each answer of the graduate is mailed to the
// employer's users: a picked time with its calendar entry, an accepted or
// declined offer, a withdrawal.
func TestEmployerMailedWhenTheGraduateAnswers(t *testing.T) {
	w := newTwoApplicantWorld(t, "量子传感实验助理", "answers", "declines")
	g, g2, app, app2 := w.g, w.g2, w.app, w.app2
	move := func(tok, app, to string, extra map[string]any) { t.Helper(); w.move(t, tok, app, to, extra) }
	start := time.Now().In(time.FixedZone("CST", 8*3600)).Add(72 * time.Hour).Truncate(time.Hour)
	w.offerAndPick(t, g, app, start, "菁蓉汇 A 座 501")

	picked := w.mailsLike(t, w.emp.Email, "面试时间已选定", 1)[0]
	if !strings.Contains(picked.Subject, "量子传感实验助理") || !strings.Contains(picked.Text, start.Format("2006-01-02 15:04")) ||
		!strings.Contains(picked.Text, "菁蓉汇 A 座 501") || !strings.Contains(picked.Text, "/employer/applications/"+app) {
		t.Errorf("the pick's mail to the employer:\n%s\n%s", picked.Subject, picked.Text)
	}
	if entry := calendarEntry(picked); entry == nil || !entry.Start.Equal(start) || entry.Method != "PUBLISH" || !strings.HasPrefix(entry.Summary, "面试：") {
		t.Errorf("the employer's calendar entry: %+v", entry)
	}

	move(w.emp.Token, app, "offered", nil)
	move(g.Token, app, "accepted", nil)
	if m := w.mailsLike(t, w.emp.Email, "录用意向已被接受", 1)[0]; !strings.Contains(m.Text, "登记录用") {
		t.Errorf("the acceptance's mail does not say what is next:\n%s", m.Text)
	}
	move(w.emp.Token, app2, "offered", nil)
	move(g2.Token, app2, "declined", map[string]any{"note": "已接受其他单位"})
	if m := w.mailsLike(t, w.emp.Email, "录用意向被婉拒", 1)[0]; !strings.Contains(m.Text, "求职者留言：已接受其他单位") || strings.Contains(m.Text, "名额仍可用") {
		t.Errorf("the decline's mail:\n%s", m.Text)
	}
	// The graduate's own note is not mailed back as the employer's.
	if m := w.mailsLike(t, g2.Email, "已婉拒", 1)[0]; strings.Contains(m.Text, "用人单位留言") {
		t.Errorf("the graduate's note came back as the employer's:\n%s", m.Text)
	}
	// A withdrawal before the interview's day: the employer is told, and
	// its calendar entry cancelled (a review found it left standing).
	g3 := w.graduate(t, "withdraws", true)
	app3 := w.apply(g3, w.opening)
	w.offerAndPick(t, g3, app3, start.Add(2*time.Hour), "菁蓉汇 A 座 502")
	move(g3.Token, app3, "withdrawn", nil)
	withdrawn := w.mailsLike(t, w.emp.Email, "申请已撤回", 1)[0]
	if gone := calendarEntry(withdrawn); gone == nil || !gone.Cancelled || gone.Sequence < 1 || !strings.Contains(gone.UID, app3) || !strings.Contains(withdrawn.Text, "面试已取消") {
		t.Errorf("the withdrawal does not cancel the employer's entry: %+v\n%s", gone, withdrawn.Text)
	}
	// Another employer's users are told nothing.
	rival, _ := w.a.Publisher()
	w.a.MarkVerified(rival.ID)
	// The graduate's own moves are not mailed back to the graduate as news
	// from the employer; the employer's moves are not mailed to the employer.
	w.mailQueueIdle(t)
	for _, m := range w.mp.Messages(w.emp.Email) {
		if strings.Contains(m.Subject, "申请状态") {
			t.Errorf("the employer got the graduate's status mail %q", m.Subject)
		}
	}
	for _, m := range w.mp.Messages(rival.Email) {
		if !strings.Contains(m.Subject, "验证") {
			t.Errorf("another employer's user got %q", m.Subject)
		}
	}
}

// A privacy probe: an erasure withdrew an application at the interview
// stage in bare SQL. The employer was neither notified nor mailed, its
// calendar entry (titled with the real name) stood, and the withdrawn
// application still showed the time and the place. Erasure now withdraws as
// the graduate would, under the pseudonym: the notice, the mail with the
// entry cancelled, and the appointment cleared.
func TestErasureCancelsTheEmployersInterview(t *testing.T) {
	w := newMailWorld(t, map[string]any{"title": "自然语言处理科研助理"})
	w.a.MarkVerified(w.emp.ID)
	g := w.graduate(t, "erased-interview", true)
	app := w.apply(g, w.opening)
	start := time.Now().In(time.FixedZone("CST", 8*3600)).Add(72 * time.Hour).Truncate(time.Hour)
	w.offerAndPick(t, g, app, start, "天府软件园A座")
	picked := calendarEntry(w.mailsLike(t, w.emp.Email, "面试时间已选定", 1)[0])
	w.a.Must(http.StatusNoContent, "DELETE", "/api/v1/me", g.Token, map[string]any{"password": testutil.Password})

	alias := domain.Pseudonym(g.ID)
	withdrawn := w.mailsLike(t, w.emp.Email, "申请已撤回", 1)[0]
	gone := calendarEntry(withdrawn)
	if picked == nil || gone == nil || !gone.Cancelled || gone.UID != picked.UID || gone.Sequence <= picked.Sequence ||
		!gone.Start.Equal(start) || !strings.Contains(gone.Summary, alias) || !strings.Contains(withdrawn.Text, "面试已取消") {
		t.Errorf("the erasure does not cancel the employer's entry: %+v → %+v\n%s", picked, gone, withdrawn.Text)
	}
	// It says why (the erasure's clean-up of the queue once emptied it).
	if strings.Contains(withdrawn.Subject+withdrawn.Text+withdrawn.HTML, "李华") || !strings.Contains(withdrawn.Text, alias) ||
		!strings.Contains(withdrawn.Text, "账户已注销") {
		t.Errorf("the mail does not name the graduate by the pseudonym only:\n%s\n%s", withdrawn.Subject, withdrawn.Text)
	}
	var told bool
	for _, n := range w.a.Must(http.StatusOK, "GET", "/api/v1/notifications", w.emp.Token, nil).JSON()["items"].([]any) {
		n := n.(map[string]any)
		told = told || (n["kind"] == "application_withdrawn" && strings.Contains(n["title"].(string), alias) && n["link"] == "/applications/"+app)
	}
	if !told {
		t.Errorf("the employer was not notified of the withdrawal")
	}
	got := w.a.Must(http.StatusOK, "GET", "/api/v1/applications/"+app, w.emp.Token, nil).JSON()
	if slots, _ := got["interview_slots"].([]any); got["status"] != "withdrawn" || got["interview"] != nil || len(slots) != 0 {
		t.Errorf("the withdrawn application keeps its appointment: %v %v %v", got["status"], got["interview"], got["interview_slots"])
	}
}

// Gap written down in a round's notes: a withdrawal's mail to the employer
// carried an iCalendar CANCEL of an interview the employer set itself,
// whose users were never mailed an entry of it (only a graduate's pick
// mails them one) — a cancellation of nothing their calendars hold. The
// mail still says the interview is off, without the attachment, and so
// does an erasure's. The graduates, who were invited, get their CANCEL.
func TestWithdrawalCancelsOnlyAnEntryTheEmployerHolds(t *testing.T) {
	w := newTwoApplicantWorld(t, "柔性机器人控制助理", "withdraws-direct", "erased-direct")
	start := time.Now().In(time.FixedZone("CST", 8*3600)).Add(72 * time.Hour).Truncate(time.Hour)
	for i, app := range []string{w.app, w.app2} {
		at := start.Add(time.Duration(2*i) * time.Hour)
		w.move(t, w.emp.Token, app, "shortlisted", nil)
		w.move(t, w.emp.Token, app, "interview", map[string]any{"interview": map[string]any{"starts_at": at.Format(time.RFC3339),
			"ends_at": at.Add(time.Hour).Format(time.RFC3339), "location": "菁蓉汇 C 座 20" + fmt.Sprint(i)}})
	}
	w.mailsLike(t, w.g.Email, "邀请面试", 1)
	w.move(t, w.g.Token, w.app, "withdrawn", nil)
	w.a.Must(http.StatusNoContent, "DELETE", "/api/v1/me", w.g2.Token, map[string]any{"password": testutil.Password})

	alias := domain.Pseudonym(w.g2.ID)
	for _, m := range w.mailsLike(t, w.emp.Email, "申请已撤回", 2) {
		who := "the withdrawal"
		if strings.Contains(m.Subject, alias) {
			who = "the erasure"
		}
		if entry := calendarEntry(m); entry != nil || len(m.Attachments) != 0 {
			t.Errorf("%s's mail to the employer carries a calendar entry it never held: %d attachment(s), %+v", who, len(m.Attachments), entry)
		}
		if !strings.Contains(m.Text, "面试已取消") || strings.Contains(m.Text, "附件") || strings.Contains(m.Text, "attachment") {
			t.Errorf("%s's mail to the employer on the interview:\n%s", who, m.Text)
		}
	}
	// The graduate who withdrew was invited: that invitation is cancelled.
	var cancel *ical.Invite
	for _, m := range w.mailsLike(t, w.g.Email, "已撤回", 1) {
		cancel = calendarEntry(m)
	}
	if cancel == nil || cancel.Method != "CANCEL" || !cancel.Start.Equal(start) {
		t.Errorf("the graduate's own withdrawal mail does not cancel the invitation: %+v", cancel)
	}
}

// A walk left the employer's own calendar behind its own changes: the
// entry a graduate's pick mailed its users stayed at the old time after
// the employer moved the interview, and stayed after a rejection. Another
// time now updates the entry (PUBLISH, the same UID, a higher SEQUENCE),
// and an end before the day cancels it. An interview the employer set
// itself gave its users no entry, and its changes mail them nothing.
func TestEmployerEntryFollowsTheEmployersChanges(t *testing.T) {
	w := newTwoApplicantWorld(t, "柔性电子工艺助理", "moved", "set-direct")
	g, app, app2 := w.g, w.app, w.app2
	start := time.Now().In(time.FixedZone("CST", 8*3600)).Add(72 * time.Hour).Truncate(time.Hour)
	w.offerAndPick(t, g, app, start, "菁蓉汇 A 座 501")
	first := calendarEntry(w.mailsLike(t, w.emp.Email, "面试时间已选定", 1)[0])

	later := start.Add(24 * time.Hour)
	w.a.Must(http.StatusOK, "PUT", "/api/v1/applications/"+app+"/interview", w.emp.Token, map[string]any{
		"starts_at": later.Format(time.RFC3339), "ends_at": later.Add(time.Hour).Format(time.RFC3339), "location": "菁蓉汇 B 座 301"})
	changed := w.mailsLike(t, w.emp.Email, "面试安排已更改", 1)[0]
	moved := calendarEntry(changed)
	if first == nil || moved == nil || moved.Method != "PUBLISH" || moved.Cancelled || moved.UID != first.UID ||
		moved.Sequence <= first.Sequence || !moved.Start.Equal(later) || !strings.Contains(changed.Text, "菁蓉汇 B 座 301") ||
		!strings.Contains(changed.Text, later.Format("2006-01-02 15:04")) || !strings.Contains(changed.Subject, "柔性电子工艺助理") {
		t.Errorf("the employer's entry does not follow its change: %+v → %+v\n%s\n%s", first, moved, changed.Subject, changed.Text)
	}

	w.move(t, w.emp.Token, app, "rejected", nil)
	cancelled := w.mailsLike(t, w.emp.Email, "面试已取消", 1)[0]
	if gone := calendarEntry(cancelled); moved == nil || gone == nil || !gone.Cancelled || gone.UID != moved.UID ||
		gone.Sequence <= moved.Sequence || !gone.Start.Equal(later) || !strings.Contains(cancelled.Text, "未通过") {
		t.Errorf("the rejection does not cancel the employer's entry: %+v\n%s\n%s", gone, cancelled.Subject, cancelled.Text)
	}

	w.move(t, w.emp.Token, app2, "shortlisted", nil)
	w.move(t, w.emp.Token, app2, "interview", map[string]any{"interview": map[string]any{"starts_at": start.Add(2 * time.Hour).Format(time.RFC3339),
		"ends_at": start.Add(3 * time.Hour).Format(time.RFC3339), "location": "菁蓉汇 A 座 502"}})
	w.a.Must(http.StatusOK, "PUT", "/api/v1/applications/"+app2+"/interview", w.emp.Token, map[string]any{
		"starts_at": later.Add(2 * time.Hour).Format(time.RFC3339), "ends_at": later.Add(3 * time.Hour).Format(time.RFC3339), "location": "菁蓉汇 A 座 502"})
	w.move(t, w.emp.Token, app2, "rejected", nil)
	w.mailQueueIdle(t)
	var about []string
	for _, m := range w.mp.Messages(w.emp.Email) {
		if strings.Contains(m.Subject, "面试") {
			about = append(about, m.Subject)
		}
	}
	if len(about) != 3 {
		t.Errorf("the employer's interview mails: %q, want the pick, the change and the cancellation of the one entry", about)
	}
}

// Every mail its reader may turn off carries RFC 8058's one-click
// unsubscribe, not only alerts (a walk): a status mail's turns off status
// mails, without signing in, and the next move mails nothing; a mail that
// cannot be turned off (a security notice) has none.
func TestStatusMailOneClickUnsubscribe(t *testing.T) {
	w := newMailWorld(t, nil)
	g := w.graduate(t, "kindunsub", true)
	app := w.apply(g, w.opening)
	w.move(t, w.emp.Token, app, "shortlisted", nil)
	m := w.mailsLike(t, g.Email, "已入围", 1)[0]
	lu := strings.Trim(m.Header("List-Unsubscribe"), "<>")
	if m.Header("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" || !strings.HasPrefix(lu, publicURL+"/unsubscribe?token=") {
		t.Fatalf("the status mail's unsubscribe headers: %q %q", lu, m.Header("List-Unsubscribe-Post"))
	}
	// Opened (a link scanner, a person): a page naming the kind, nothing changed.
	page := w.a.Do("GET", strings.Replace(lu, publicURL, "", 1), "", nil)
	if page.Status != http.StatusOK || !strings.Contains(string(page.Body), "申请状态变化") {
		t.Fatalf("the unsubscribe page: %d\n%s", page.Status, page.Body)
	}
	if on := w.a.Must(http.StatusOK, "GET", "/api/v1/me/notifications/preferences", g.Token, nil).JSON()["kinds"].(map[string]any)["application_status"]; on != true {
		t.Fatalf("opening the link turned status mail off: %v", on)
	}
	w.oneClick(t, m)
	kinds := w.a.Must(http.StatusOK, "GET", "/api/v1/me/notifications/preferences", g.Token, nil).JSON()["kinds"].(map[string]any)
	if kinds["application_status"] != false || kinds["saved_search_alert"] != true {
		t.Fatalf("after unsubscribing: %v", kinds)
	}
	before := len(w.mp.Messages(g.Email))
	w.move(t, w.emp.Token, app, "rejected", nil)
	w.mailQueueIdle(t)
	if after := w.mp.Messages(g.Email); len(after) != before {
		t.Errorf("a mail after unsubscribing from status mail: %q", after[len(after)-1].Subject)
	}
	// A fixed kind carries none.
	w.a.Must(http.StatusNoContent, "POST", "/api/v1/auth/password", g.Token, map[string]string{"current_password": testutil.Password, "new_password": "another-Pass-2026"})
	n := w.mailsLike(t, g.Email, "账户安全提醒", 1)[0]
	if n.Header("List-Unsubscribe") != "" {
		t.Errorf("a security notice with List-Unsubscribe: %q", n.Header("List-Unsubscribe"))
	}
}

// TestAlertMailOneClickUnsubscribe: a saved search's alert is mailed with
// RFC 8058 headers; posting to the header's link without signing in stops
// the next alert mail (the in-site alert still comes); a rerun of the
// alert job mails nothing twice.
func TestAlertMailOneClickUnsubscribe(t *testing.T) {
	w := newMailWorld(t, map[string]any{"title": "科研助理"})
	g := w.graduate(t, "alert", true)
	ss := w.a.Must(http.StatusCreated, "POST", "/api/v1/me/saved-searches", g.Token, map[string]any{"name": "钙钛矿", "q": "钙钛矿"}).JSON()
	if ss["mail_alerts"] != true {
		t.Fatalf("a new saved search mails its alerts: %v", ss)
	}
	first := w.a.Publish(w.emp, w.admin, map[string]any{"title": "钙钛矿光伏材料科研助理"})

	m := w.mailsLike(t, g.Email, "新岗位提醒", 1)[0]
	if !strings.Contains(m.Subject, "钙钛矿光伏材料科研助理") || !strings.Contains(m.Text, publicURL+"/openings/"+first) {
		t.Errorf("alert mail: %q\n%s", m.Subject, m.Text)
	}
	if got := m.Header("List-Unsubscribe-Post"); got != "List-Unsubscribe=One-Click" {
		t.Errorf("List-Unsubscribe-Post: %q", got)
	}
	lu := m.Header("List-Unsubscribe")
	if !strings.HasPrefix(lu, "<"+publicURL+"/unsubscribe?token=") || !strings.HasSuffix(lu, ">") {
		t.Fatalf("List-Unsubscribe: %q", lu)
	}
	// Opening the links (the unsubscribe one shows its button) changes nothing.
	w.a.MailLinksWork(m, publicURL, g.Email)
	// A rerun of the alert job (a retry after a crash) sends nothing again.
	if _, err := w.a.Server.Background.SendAlerts(context.Background(), []string{first}); err != nil {
		t.Fatal(err)
	}

	// The mail client's one-click POST: no cookie, no sign-in.
	w.oneClick(t, m)

	second := w.a.Publish(w.emp, w.admin, map[string]any{"title": "钙钛矿薄膜表征助理"})
	// The in-site alert of the second opening arrives; its mail must not.
	testutil.Eventually(t, 30*time.Second, 100*time.Millisecond, func() string {
		if body := string(w.a.Must(http.StatusOK, "GET", "/api/v1/notifications", g.Token, nil).Body); !strings.Contains(body, "/openings/"+second) {
			return "no in-site alert for the second opening"
		}
		return ""
	})
	w.mailQueueIdle(t)
	if got := w.mailsLike(t, g.Email, "新岗位提醒", 1); len(got) != 1 {
		t.Fatalf("%d alert mails after unsubscribing (or after the rerun), want 1", len(got))
	}

	// Choosing a frequency again (the site's setting on 我的 calls the same
	// use case) turns the search's alert mail back on; off turns it off.
	patch := func(freq string) map[string]any {
		return w.a.Must(http.StatusOK, "PATCH", "/api/v1/me/saved-searches/"+ss["id"].(string), g.Token, map[string]any{"alert_frequency": freq}).JSON()
	}
	if got := patch("off"); got["mail_alerts"] != false || got["alert_frequency"] != "immediate" {
		t.Fatalf("off: %v", got)
	}
	if got := patch("immediate"); got["mail_alerts"] != true {
		t.Fatalf("back to immediate: %v", got)
	}
	third := w.a.Publish(w.emp, w.admin, map[string]any{"title": "钙钛矿电池工艺助理"})
	if m := w.mailsLike(t, g.Email, "新岗位提醒", 2)[0]; !strings.Contains(m.Text, "/openings/"+third) {
		t.Fatalf("the alert mail after turning it back on: %s", m.Text)
	}
}

// A walk (report-walk35): after staff revoked a hire nobody was told. In
// the revoke's transaction the graduate is notified and mailed, naming the
// office but not the reason (docs/decisions.md), and the employer's users
// are notified with the reason; the graduate's mail cannot be muted.
func TestRevokeTellsTheGraduateAndTheEmployer(t *testing.T) {
	const reason = "核查发现重复登记，以另一条记录为准"
	w := newMailWorld(t, map[string]any{"title": "撤销通知岗位"})
	g := w.graduate(t, "revoked", true)
	app := w.apply(g, w.opening)
	pid := w.a.Hire(w.emp.Token, g.Token, app, domain.DateOf(time.Now()).String()).JSON()["placement_id"].(string)
	w.a.Must(http.StatusOK, "POST", "/api/v1/placements/"+pid+"/revoke", w.admin.Token, map[string]string{"reason": reason})
	const office = "成都高新技术产业开发区管委会"
	newest := func(tok string) map[string]any {
		items := w.a.Must(http.StatusOK, "GET", "/api/v1/notifications", tok, nil).JSON()["items"].([]any)
		if len(items) == 0 {
			t.Fatal("no notifications")
		}
		return items[0].(map[string]any)
	}
	if n := newest(g.Token); n["kind"] != "placement_revoked" || n["link"] != "/applications/"+app ||
		!strings.Contains(n["title"].(string), office+"撤销了您在「撤销通知岗位」") || strings.Contains(fmt.Sprint(n), reason) {
		t.Errorf("the graduate's newest notification: %v", n)
	}
	if n := newest(w.emp.Token); n["kind"] != "hire_revoked" || n["link"] != "/applications/"+app ||
		!strings.Contains(n["title"].(string), office+"撤销了「撤销通知岗位」") || !strings.Contains(n["title"].(string), reason) {
		t.Errorf("the employer's newest notification: %v", n)
	}
	m := w.mailsLike(t, g.Email, "录用记录已撤销", 1)[0]
	if !strings.Contains(m.Subject, "撤销通知岗位") || !strings.Contains(m.Text, office+"撤销了您在岗位「撤销通知岗位」") ||
		!strings.Contains(m.Text, "the Chengdu Hi-tech Industrial Development Zone administration") || !strings.Contains(m.Text, "/applications/"+app) {
		t.Errorf("the graduate's mail: %s\n%s", m.Subject, m.Text)
	}
	if strings.Contains(m.Text, reason) || strings.Contains(m.HTML, reason) || m.Header("List-Unsubscribe") != "" {
		t.Errorf("the graduate's mail carries the reason or an unsubscribe link: %v\n%s", m.Headers, m.Text)
	}
}
