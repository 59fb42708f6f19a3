package webui_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/gradzone/gradzone/internal/app"
	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/testutil"
)

// checkinWorld is a job fair of the Chengdu zone, its zone staff and a
// graduate with a verified address, on a site whose public URL is the test
// server's own (so a link decoded from a QR code opens on it).
type checkinWorld struct {
	a     *testutil.App
	mp    *testutil.Mailpit
	admin testutil.Account
	grad  testutil.Account
	event string
}

func newCheckinWorld(t *testing.T, startsIn time.Duration) checkinWorld {
	t.Helper()
	mp := testutil.NewMailpit(t)
	a := testutil.NewApp(t, testutil.PublicURL("http://gradzone.example.test"))
	admin := a.ZoneAdmin("sichuan-chengdu")
	start := time.Now().Add(startsIn).Truncate(time.Minute)
	ev := a.Must(http.StatusCreated, "POST", "/api/v1/events", admin.Token, map[string]any{"kind": "job_fair", "title": "成都高新区科研助理专场招聘会",
		"zone_code": "sichuan-chengdu", "starts_at": start.Format(time.RFC3339), "ends_at": start.Add(4 * time.Hour).Format(time.RFC3339),
		"description": "现场招聘", "location": "成都高新区菁蓉汇 3 号馆"}).JSON()
	if ev["location"] != "成都高新区菁蓉汇 3 号馆" {
		t.Fatalf("event location: %v", ev["location"])
	}
	g := a.Graduate()
	a.MarkVerified(g.ID)
	return checkinWorld{a: a, mp: mp, admin: admin, grad: g, event: ev["id"].(string)}
}

// register registers the graduate and returns the check-in link the
// confirmation mail's QR code holds (decoded from the inline image).
func (w checkinWorld) register(t *testing.T) string {
	t.Helper()
	w.a.Must(http.StatusCreated, "POST", "/api/v1/events/"+w.event+"/registrations", w.grad.Token, nil)
	m := w.mp.WaitForSubject(w.grad.Email, "报名成功", 30*time.Second)
	if !strings.Contains(m.Subject, "成都高新区科研助理专场招聘会") {
		t.Fatalf("confirmation subject %q", m.Subject)
	}
	w.a.MailLinksWork(m, "http://gradzone.example.test", w.grad.Email)
	return qrLinkOf(t, m)
}

// qrLinkOf checks an event mail and returns the link of its QR code.
func qrLinkOf(t *testing.T, m testutil.Mail) string {
	t.Helper()
	// The English half names the host in English (a walk read 主办 there).
	for _, want := range []string{"成都高新区菁蓉汇 3 号馆", "http://gradzone.example.test/me/events",
		"Host: Chengdu Hi-tech Industrial Development Zone"} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("mail text lacks %q:\n%s", want, m.Text)
		}
	}
	// The time names its weekday, as the site and the reminder do, and an
	// end on the same day is a time of day (an events walk).
	if !eventWhen.MatchString(m.Text) {
		t.Errorf("the mail's time is not written as %s:\n%s", eventWhen, m.Text)
	}
	if !strings.Contains(m.HTML, `src="cid:checkin-qr@gradzone"`) {
		t.Errorf("the HTML part does not show the QR code:\n%s", m.HTML)
	}
	// RFC 2392: the header's ID stands in angle brackets, the cid: URL without.
	if !strings.Contains(string(m.Raw), "Content-Id: <checkin-qr@gradzone>") && !strings.Contains(string(m.Raw), "Content-ID: <checkin-qr@gradzone>") {
		t.Errorf("the QR code's Content-ID:\n%s", m.Raw)
	}
	if len(m.Inline) != 1 || m.Inline[0].ContentType != "image/png" {
		t.Fatalf("inline parts %+v, want the QR code PNG", m.Inline)
	}
	link := testutil.DecodeQR(t, m.Inline[0].Data)
	if !strings.HasPrefix(link, "http://gradzone.example.test/checkin?token=") {
		t.Fatalf("QR code holds %q", link)
	}
	if strings.Contains(m.Text, link) {
		t.Error("the check-in link is in the text: a graduate clicking it gets a refusal; only the QR code carries it")
	}
	return link
}

// eventWhen is an event's time in its mails: 2026-12-07 19:30–21:00（周一，北京时间）,
// past midnight each date with its weekday (2026-12-07 22:00（周一）–2026-12-08
// 02:00（周二，北京时间）), and in English likewise.
var eventWhen = regexp.MustCompile(`\d{4}-\d{2}-\d{2} \d{2}:\d{2}(–|（周[一二三四五六日]）–\d{4}-\d{2}-\d{2} )\d{2}:\d{2}（周[一二三四五六日]，北京时间）(?s:.*)\d{2}:\d{2} \((Mon|Tue|Wed|Thu|Fri|Sat|Sun), Beijing time\)`)

// eventCard is the card of event id on a list of events.
func eventCard(t *testing.T, page, id string) string {
	t.Helper()
	for _, card := range strings.Split(page, `<article class="card" data-testid="event-card">`)[1:] {
		if card, _, _ = strings.Cut(card, "</article>"); strings.Contains(card, `href="/events/`+id+`"`) {
			return card
		}
	}
	t.Fatalf("no card of event %s", id)
	return ""
}

// pathOf is the link's path and query, to open on the test server.
func pathOf(t *testing.T, link string) string {
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	return u.RequestURI()
}

// Issue 13 item 6: the QR code in the registration mail opens a page that
// checks the graduate in once, for staff covering the event's zone only;
// the event's statistics count the check-in.
func TestEventCheckinByQRCode(t *testing.T) {
	w := newCheckinWorld(t, 72*time.Hour)
	scan := pathOf(t, w.register(t))
	a := w.a

	// Anonymous: sign in first, and come back to the same link.
	anon := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := anon.Get(a.URL + scan)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != "/login?next="+url.QueryEscape(scan) {
		t.Fatalf("anonymous scan: %d → %q", res.StatusCode, loc)
	}
	// The graduate, an employer and staff of another zone or province are refused.
	for _, email := range []string{w.grad.Email, a.VerifiedEmployer("51", "sichuan-chengdu").Email,
		a.ZoneAdmin("sichuan-mianyang").Email, a.ProvinceAdmin("44").Email} {
		if st, _ := newWebClient(t, a, email).scan(scan); st != http.StatusForbidden {
			t.Errorf("%s scanning: %d, want 403", email, st)
		}
	}
	// A graduate scanning their own code learns what it is for (a browser
	// walk found a bare "您无权进行此操作").
	if _, page := newWebClient(t, a, w.grad.Email).scan(scan); !strings.Contains(page, "请出示给活动现场的工作人员") {
		t.Errorf("the graduate's own scan does not say what the code is for:\n%s", page)
	}
	stats := func() map[string]any {
		return a.Must(http.StatusOK, "GET", "/api/v1/events/"+w.event, "", nil).JSON()["stats"].(map[string]any)
	}
	if s := stats(); s["check_ins"] != 0.0 || s["registrations"] != 1.0 {
		t.Fatalf("stats before: %v", s)
	}

	// Three days before the fair, the zone's staff are told when check-in
	// opens, and nothing is counted; eleven hours before, it is open.
	staff := newWebClient(t, a, w.admin.Email)
	st, page := staff.scan(scan)
	if st != http.StatusConflict || !strings.Contains(page, "签到在活动开始前 12 小时开放") || strings.Contains(page, "当前状态") {
		t.Fatalf("a scan three days early: %d\n%s", st, page)
	}
	if s := stats(); s["check_ins"] != 0.0 {
		t.Fatalf("an early scan counted: %v", s)
	}
	a.Server.Store.SetClock(func() time.Time { return time.Now().Add(61 * time.Hour) })

	// The zone's staff: checked in, by name; a second scan changes nothing.
	st, page = staff.scan(scan)
	if st != http.StatusOK || !strings.Contains(page, `data-testid="checkin-done"`) || !strings.Contains(page, "李华") {
		t.Fatalf("first scan: %d\n%s", st, page)
	}
	st, page = staff.scan(scan)
	if st != http.StatusOK || !strings.Contains(page, `data-testid="checkin-already"`) || strings.Contains(page, `data-testid="checkin-done"`) {
		t.Fatalf("second scan: %d\n%s", st, page)
	}
	// Province and ministry staff cover the zone; they see it done already.
	for _, acc := range []testutil.Account{a.ProvinceAdmin("51"), a.MinistryAdmin()} {
		if st, page := newWebClient(t, a, acc.Email).scan(scan); st != http.StatusOK || !strings.Contains(page, `data-testid="checkin-already"`) {
			t.Errorf("%s scanning: %d", acc.Email, st)
		}
	}
	if s := stats(); s["check_ins"] != 1.0 {
		t.Fatalf("stats after: %v", s)
	}
	if page := staff.get("/staff/events"); !strings.Contains(page, "1 / 1") {
		t.Error("the staff events page does not count the check-in (registrations / check-ins 1 / 1)")
	}

	// A forged or altered code, or one made for another purpose, is refused.
	tok := scan[strings.Index(scan, "token=")+len("token="):]
	// The altered one changes the signature's last two characters (to AA,
	// or BB when they were AA: a fresh-clone run met a signature ending AA).
	altered := tok[:len(tok)-2] + "AA"
	if altered == tok {
		altered = tok[:len(tok)-2] + "BB"
	}
	for _, bad := range []string{"x" + tok, altered, "", url.QueryEscape(
		a.Server.App.Links.Sign(domain.LinkUnsubscribeAlerts, w.event+":"+w.grad.ID, time.Now().Add(time.Hour)))} {
		if st, page := staff.scan("/checkin?token=" + bad); st != http.StatusUnprocessableEntity || !strings.Contains(page, "签到码无效或已过期") {
			t.Errorf("token %q: %d", bad, st)
		}
	}

	// 我的活动 shows the event checked in; its QR code is gone.
	gw := newWebClient(t, a, w.grad.Email)
	page = gw.get("/me/events")
	if !strings.Contains(page, "已签到") || strings.Contains(page, `data-testid="checkin-qr"`) || !strings.Contains(page, "成都高新区菁蓉汇 3 号馆") {
		t.Errorf("我的活动 after check-in:\n%s", page)
	}
}

// A probe checked a graduate in through a zone staff member's browser
// from another site's page: a GET of the check-in link, which the browser
// sent with the session cookie. Only a GET the reader started (a scan)
// checks in; any other shows a button, whose POST needs the form token.
func TestCheckinFromAnotherSiteAsksFirst(t *testing.T) {
	w := newCheckinWorld(t, 6*time.Hour)
	scan := pathOf(t, w.register(t))
	staff := newWebClient(t, w.a, w.admin.Email)
	checkIns := func() any {
		return w.a.Must(http.StatusOK, "GET", "/api/v1/events/"+w.event, "", nil).JSON()["stats"].(map[string]any)["check_ins"]
	}
	for _, site := range []string{"cross-site", "same-site", ""} {
		req, _ := http.NewRequest(http.MethodGet, w.a.URL+scan, nil)
		if site != "" {
			req.Header.Set("Sec-Fetch-Site", site)
		}
		res, err := staff.cl.Do(req)
		page := string(readBody(t, res, err))
		// It names whom and where (a review: staff confirmed blind).
		if res.StatusCode != http.StatusOK || !strings.Contains(page, `data-testid="checkin-confirm-submit"`) || strings.Contains(page, `data-testid="checkin-done"`) ||
			!strings.Contains(page, "李华") || !strings.Contains(page, "成都高新区科研助理专场招聘会") {
			t.Fatalf("a GET from %q: %d\n%s", site, res.StatusCode, page)
		}
	}
	// A forged token from another site gets no button.
	req, _ := http.NewRequest(http.MethodGet, w.a.URL+"/checkin?token=forged", nil)
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	forged, err := staff.cl.Do(req)
	if page := string(readBody(t, forged, err)); forged.StatusCode != http.StatusUnprocessableEntity || strings.Contains(page, `data-testid="checkin-confirm-submit"`) {
		t.Errorf("a forged token from another site: %d", forged.StatusCode)
	}
	if n := checkIns(); n != 0.0 {
		t.Fatalf("a GET from another site checked in: %v", n)
	}
	// The POST without the form token is refused, and counts nothing.
	res, err := staff.cl.PostForm(w.a.URL+scan, url.Values{})
	readBody(t, res, err)
	if res.StatusCode != http.StatusForbidden || checkIns() != 0.0 {
		t.Fatalf("a POST without the form token: %d, %v check-ins", res.StatusCode, checkIns())
	}
	if st, page := staff.postPage(scan, url.Values{}); st != http.StatusOK || !strings.Contains(page, `data-testid="checkin-done"`) || checkIns() != 1.0 {
		t.Fatalf("the button's POST: %d, %v check-ins\n%s", st, checkIns(), page)
	}
}

// Issue 13 item 3: the reminder the day before the event, with the same QR
// code, once; a registration made within that day gets none.
func TestEventReminderTheDayBefore(t *testing.T) {
	w := newCheckinWorld(t, 30*time.Hour)
	link := w.register(t)
	a := w.a
	store := a.Server.Store
	ctx := context.Background()
	if n, err := store.RemindEvents(ctx); err != nil || n != 0 {
		t.Fatalf("30 hours before: %d reminders (%v)", n, err)
	}
	store.SetClock(func() time.Time { return time.Now().Add(7 * time.Hour) })
	late := a.Graduate()
	a.MarkVerified(late.ID)
	a.Must(http.StatusCreated, "POST", "/api/v1/events/"+w.event+"/registrations", late.Token, nil)
	// The worker's own mail sweep (run when its leader is elected, then
	// every 5 minutes) may claim the reminders before this test does: a CI
	// run met it, and a test that asked RemindEvents for "1" failed. Both
	// go through the one claim, so run the sweep here as well and judge by
	// the mails: one reminder, once, and none for the late registration.
	if err := a.Server.Background.MailSweep(ctx); err != nil {
		t.Fatal(err)
	}
	if n, err := store.RemindEvents(ctx); err != nil || n != 0 {
		t.Fatalf("reminded again: %d (%v)", n, err)
	}
	m := w.mp.WaitForSubject(w.grad.Email, "活动提醒", 30*time.Second)
	if got := qrLinkOf(t, m); got != link {
		t.Errorf("the reminder's QR code holds %q, the confirmation's %q", got, link)
	}
	a.MailLinksWork(m, "http://gradzone.example.test", w.grad.Email)
	time.Sleep(2 * time.Second)
	reminders := func(email string) (n int) {
		for _, s := range w.mp.Messages(email) {
			if strings.Contains(s.Subject, "活动提醒") {
				n++
			}
		}
		return n
	}
	if n := reminders(w.grad.Email); n != 1 {
		t.Errorf("%d reminders for the registration, want 1", n)
	}
	if reminders(late.Email) != 0 {
		t.Error("a registration made the day before got a reminder too")
	}
}

// Issue 15 item 4 and issue 13 item 6 at phone size: 我的活动 shows the
// registration with time, place and state and a QR code that a camera
// reads (decoded from a screenshot of the page) as the mail's check-in
// link; zone staff opening that link on a phone check the graduate in.
// Nothing overflows the screen sideways, and axe finds no serious or
// critical violation on either page (they are in TestBrowserAccessibility's
// list too, which runs every page of every role).
func TestBrowserMyEventsQRAtPhoneSize(t *testing.T) {
	w := newCheckinWorld(t, 48*time.Hour)
	link := w.register(t)
	ctx := browser(t, 390, 844)
	login(t, ctx, w.a.URL, w.grad.Email, testutil.Password)
	do(t, ctx, chromedp.Navigate(w.a.URL+"/me"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="my-events-link"]`)))
	submit(t, ctx, `[data-testid="my-events-link"]`)
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`[data-testid="checkin-qr"]`)))
	card := text(t, ctx, `[data-testid="my-event"]`)
	for _, want := range []string{"成都高新区科研助理专场招聘会", "成都高新区菁蓉汇 3 号馆", "已报名，未开始"} {
		if !strings.Contains(card, want) {
			t.Errorf("我的活动 lacks %q: %s", want, card)
		}
	}
	noSidewaysOverflow(t, ctx, 390)
	for _, v := range runAxe(t, ctx) {
		t.Errorf("我的活动: %s", v)
	}
	// A walk: the calendar link was 24 px high, and "2026-12-" stood on one
	// line with "15 05:23" on the next.
	if h, _ := strconv.ParseFloat(js(t, ctx, `String(document.querySelector('[data-testid="my-event-calendar"]').getBoundingClientRect().height)`), 64); h < 43.5 {
		t.Errorf("the calendar link is %.0f px high, want 44", h)
	}
	if broken := js(t, ctx, `[...document.querySelectorAll('[data-testid="my-event"] dd .nowrap')].filter(e => e.getClientRects().length > 1 || e.getBoundingClientRect().height > 30).map(e => e.textContent).join(", ")`); broken != "" {
		t.Errorf("times broken across lines: %s", broken)
	}
	shot, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS(`[data-testid="checkin-qr"]`), chromedp.NodeVisible))
	if err != nil {
		t.Fatal(err)
	}
	if got := testutil.DecodeQR(t, shot); got != link {
		t.Fatalf("the page's QR code reads %q; the mail's %q", got, link)
	}
	logout(t, ctx)

	login(t, ctx, w.a.URL, w.admin.Email, testutil.Password)
	w.a.Server.Store.SetClock(func() time.Time { return time.Now().Add(47 * time.Hour) }) // check-in has opened
	do(t, ctx, chromedp.Navigate(w.a.URL+pathOf(t, link)), chromedp.WaitVisible(chromedp.CSS(`[data-testid="checkin"]`)))
	if s := text(t, ctx, `[data-testid="checkin"]`); !strings.Contains(s, "签到成功") || !strings.Contains(s, "李华") {
		t.Fatalf("staff scan: %s", s)
	}
	noSidewaysOverflow(t, ctx, 390)
	for _, v := range runAxe(t, ctx) {
		t.Errorf("check-in page: %s", v)
	}
}

// An events walk (walk25a): province staff were offered a create form
// that could only be refused; a cancelled livestream still offered 观看直播
// and its card the link to promote it; an event already over had no sign
// of it; a registrant whose address is unverified was not told no mail
// would come; a cancelled event's scanned code said only "not in this
// state".
func TestEventPagesSayWhatHolds(t *testing.T) {
	w := newCheckinWorld(t, 6*time.Hour)
	a := w.a
	province := newWebClient(t, a, a.ProvinceAdmin("51").Email)
	if page := province.get("/staff/events"); strings.Contains(page, `action="/staff/events"`) || !strings.Contains(page, `data-testid="events-zones-create"`) {
		t.Error("province staff are offered the create form")
	}
	staff := newWebClient(t, a, w.admin.Email)
	if page := staff.get("/staff/events"); !strings.Contains(page, `action="/staff/events"`) {
		t.Error("zone staff have no create form")
	}

	start := time.Now().Add(6 * time.Hour).Truncate(time.Minute)
	live := a.Must(http.StatusCreated, "POST", "/api/v1/events", w.admin.Token, map[string]any{"kind": "livestream", "title": "直播带岗专场",
		"zone_code": "sichuan-chengdu", "starts_at": start.Format(time.RFC3339), "ends_at": start.Add(time.Hour).Format(time.RFC3339),
		"stream_url": "https://live.example.test/room/1"}).JSON()["id"].(string)
	// An unverified graduate is told before registering that the event's
	// mails wait for the address, and where to verify it (a walk, walk37:
	// only after registering); one whose mailbox refused mail is told why.
	unverified := a.Graduate()
	for lang, want := range map[string]string{"zh": "邮箱尚未验证", "en": "not verified"} {
		page := part(newWebClient(t, a, unverified.Email).get("/events/"+live+"?lang="+lang), "<article", "</article>")
		note := part(page, `data-testid="event-verify-first"`, "</p>")
		if !strings.Contains(note, want) || !strings.Contains(note, `href="/account"`) || !strings.Contains(page, `action="/events/`+live+`/register"`) ||
			strings.Index(page, `data-testid="event-verify-first"`) > strings.Index(page, `action="/events/`+live+`/register"`) {
			t.Errorf("%s: an unverified graduate is not told before registering that the event's mails wait for the address:\n%s", lang, page)
		}
	}
	refusedFirst := a.Graduate()
	if err := a.Server.Store.RecordMailRefused(context.Background(), refusedFirst.ID, refusedFirst.Email, "550 5.1.1 user unknown", time.Now()); err != nil {
		t.Fatal(err)
	}
	for lang, want := range map[string]string{"zh": "邮件被拒收", "en": "Mail refused"} {
		if note := part(newWebClient(t, a, refusedFirst.Email).get("/events/"+live+"?lang="+lang), `data-testid="event-verify-first"`, "</p>"); !strings.Contains(note, want) || !strings.Contains(note, `href="/account"`) {
			t.Errorf("%s: a graduate whose mailbox refused mail is not told before registering: %q", lang, note)
		}
	}
	if page := newWebClient(t, a, w.grad.Email).get("/events/" + live); strings.Contains(page, `data-testid="event-verify-first"`) {
		t.Error("a verified graduate is told to verify before registering")
	}
	// Above 加入候补 on a full event (a walk, walk38), the note said
	// 「报名不受影响」 of a registration the page does not offer, and not
	// that the mail of a place coming from the waitlist waits too.
	full := a.Must(http.StatusCreated, "POST", "/api/v1/events", w.admin.Token, map[string]any{"kind": "job_fair", "title": "满员双选会", "capacity": 1,
		"zone_code": "sichuan-chengdu", "location": "菁蓉汇", "starts_at": start.Format(time.RFC3339), "ends_at": start.Add(time.Hour).Format(time.RFC3339)}).JSON()["id"].(string)
	a.Must(http.StatusCreated, "POST", "/api/v1/events/"+full+"/registrations", w.grad.Token, nil)
	for _, who := range []testutil.Account{unverified, refusedFirst} {
		for lang, want := range map[string][2]string{"zh": {"加入候补不受影响", "报名不受影响"}, "en": {"join the waitlist anyway", "register anyway"}} {
			page := newWebClient(t, a, who.Email).get("/events/" + full + "?lang=" + lang)
			if note := part(page, `data-testid="event-verify-first"`, "</p>"); !strings.Contains(note, want[0]) || strings.Contains(note, want[1]) ||
				!strings.Contains(page, `data-testid="event-waitlist-join"`) {
				t.Errorf("%s: above 加入候补 the note says %q", lang, note)
			}
		}
	}
	// The list of events marks one's own registration and place on a
	// waitlist (a walk could not tell there which events it had
	// registered for), in place of 已满; another graduate sees 已满.
	a.Must(http.StatusCreated, "POST", "/api/v1/events/"+full+"/waitlist", unverified.Token, nil)
	for _, l := range []struct {
		who       testutil.Account
		lang      string
		mark, not string
	}{
		{w.grad, "zh", `data-testid="event-mine">已报名`, `data-testid="event-full"`},
		{w.grad, "en", `data-testid="event-mine">Registered`, `data-testid="event-full"`},
		{unverified, "zh", `data-testid="event-mine-waitlist">候补第 1 位`, `data-testid="event-mine"`},
		{unverified, "en", `data-testid="event-mine-waitlist">Waitlist no. 1`, `data-testid="event-full"`},
		{refusedFirst, "zh", `data-testid="event-full"`, `data-testid="event-mine`},
	} {
		card := eventCard(t, newWebClient(t, a, l.who.Email).get("/events?lang="+l.lang), full)
		if !strings.Contains(card, l.mark) || strings.Contains(card, l.not) {
			t.Errorf("%s (%s): the full event's card on /events, want %s:\n%s", l.who.Email, l.lang, l.mark, card)
		}
	}
	// An unverified registrant is told mail waits for the address.
	a.Must(http.StatusCreated, "POST", "/api/v1/events/"+live+"/registrations", unverified.Token, nil)
	if page := newWebClient(t, a, unverified.Email).get("/events/" + live); !strings.Contains(page, `data-testid="event-unverified"`) || !strings.Contains(page, `data-testid="resend-verification"`) {
		t.Error("an unverified registrant is not told that no mail will come")
	}
	if page := newWebClient(t, a, unverified.Email).get("/events/" + live); strings.Contains(page, `data-testid="event-mail-refused"`) || strings.Contains(page, "邮件被拒收") ||
		strings.Contains(page, `data-testid="event-verify-first"`) {
		t.Error("an address never refused is said to be refused, or a registrant is still told to verify before registering")
	}
	// One its server refused for good is told why, as /me says it.
	if err := a.Server.Store.RecordMailRefused(context.Background(), unverified.ID, unverified.Email, "550 5.1.1 user unknown", time.Now()); err != nil {
		t.Fatal(err)
	}
	if page := newWebClient(t, a, unverified.Email).get("/events/" + live); !strings.Contains(page, `data-testid="event-mail-refused"`) ||
		!strings.Contains(page, "邮件被拒收") || !strings.Contains(page, `href="/account#change-email"`) || !strings.Contains(page, `data-testid="resend-verification"`) {
		t.Error("a registrant whose address was refused is not told why")
	}
	a.Must(http.StatusCreated, "POST", "/api/v1/events/"+live+"/registrations", w.grad.Token, nil)
	grad := newWebClient(t, a, w.grad.Email)
	if page := grad.get("/events/" + live); !strings.Contains(page, "live.example.test/room/1") || strings.Contains(page, `data-testid="event-unverified"`) {
		t.Error("before the cancellation: no stream link, or a verified registrant told they are not")
	}
	scan := "/checkin?token=" + url.QueryEscape(app.CheckinToken(a.Server.App.Links, live, w.grad.ID, start.Add(time.Hour)))
	a.Must(http.StatusOK, "POST", "/api/v1/events/"+live+"/cancel", w.admin.Token, map[string]string{"reason": "主播临时有事"})
	for _, path := range []string{"/events/" + live, "/me/events"} {
		if page := grad.get(path); strings.Contains(page, "live.example.test/room/1") {
			t.Errorf("%s offers a cancelled livestream's stream", path)
		}
	}
	card := staff.get("/staff/events")
	card = card[strings.Index(card, `id="event-`+live+`"`):]
	if card = card[:strings.Index(card, "</section>")]; strings.Contains(card, "<code>") {
		t.Errorf("a cancelled event's card offers its link to promote:\n%s", card)
	}
	if st, page := staff.scan(scan); st != http.StatusConflict || !strings.Contains(page, "该活动已取消") {
		t.Errorf("a cancelled event's code scanned: %d", st)
	}
	// A full event cancelled (a walk, walk39): staff's card still said
	// 名额已满 beside 已取消. Neither staff's card nor the graduate's list
	// marks a cancelled event full or registered.
	staffCard := func() string {
		card := staff.get("/staff/events")
		card = card[strings.Index(card, `id="event-`+full+`"`):]
		return card[:strings.Index(card, "</section>")]
	}
	if !strings.Contains(staffCard(), `data-testid="event-full"`) {
		t.Error("staff's card of the full event does not say 名额已满")
	}
	a.Must(http.StatusOK, "POST", "/api/v1/events/"+full+"/cancel", w.admin.Token, map[string]string{"reason": "场地临时维修"})
	if card := staffCard(); strings.Contains(card, `data-testid="event-full"`) || !strings.Contains(card, `data-testid="event-cancelled"`) {
		t.Errorf("staff's card of the cancelled full event:\n%s", card)
	}
	if card := eventCard(t, grad.get("/events"), full); strings.Contains(card, `data-testid="event-mine`) || strings.Contains(card, `data-testid="event-full"`) || !strings.Contains(card, "已取消") {
		t.Errorf("the cancelled full event's card on /events:\n%s", card)
	}

	// An event entered late, already over, says so on its card.
	past := time.Now().Add(-72 * time.Hour).Truncate(time.Minute)
	over := a.Must(http.StatusCreated, "POST", "/api/v1/events", w.admin.Token, map[string]any{"kind": "job_fair", "title": "补录双选会",
		"zone_code": "sichuan-chengdu", "starts_at": past.Format(time.RFC3339), "ends_at": past.Add(time.Hour).Format(time.RFC3339),
		"location": "菁蓉汇"}).JSON()["id"].(string)
	card = staff.get("/staff/events")
	if card = card[strings.Index(card, `id="event-`+over+`"`):]; !strings.Contains(card[:strings.Index(card, "</section>")], `data-testid="event-ended"`) {
		t.Error("an event already over has no 已结束 on its card")
	}
}

// An events walk: staff had only "5 / 0" on the card. The registrant list
// names who registered and who came, finds someone by name at the door and
// checks them in without their code, and downloads as CSV; it is the
// zone's (and its province's), no one else's.
func TestEventRegistrantsPage(t *testing.T) {
	w := newCheckinWorld(t, 6*time.Hour)
	a := w.a
	wang := a.GraduateNamed("王芳")
	for _, g := range []testutil.Account{w.grad, wang} {
		a.Must(http.StatusCreated, "POST", "/api/v1/events/"+w.event+"/registrations", g.Token, nil)
	}
	staff := newWebClient(t, a, w.admin.Email)
	path := "/staff/events/" + w.event + "/registrants"
	if card := staff.get("/staff/events"); !strings.Contains(card, `href="`+path+`"`) {
		t.Fatal("the event's card does not link its registrant list")
	}
	page := staff.get(path)
	if n := strings.Count(page, `data-testid="registrant"`); n != 2 || !strings.Contains(page, "王芳") || !strings.Contains(page, "李华") || !strings.Contains(page, "邮箱未验证") {
		t.Fatalf("the list shows %d registrants:\n%s", n, page)
	}
	// One whose mailbox refused the site's mail for good says so, not just
	// 未验证: the event's mails do not reach them, and why.
	if err := a.Server.Store.RecordMailRefused(context.Background(), wang.ID, wang.Email, "550 5.1.1 user unknown", time.Now()); err != nil {
		t.Fatal(err)
	}
	if page := staff.get(path); strings.Count(page, `data-testid="registrant-mail-refused"`) != 1 || !strings.Contains(page, "邮件被拒收") {
		t.Errorf("the refused registrant is not marked:\n%s", page)
	}
	page = staff.get(path + "?q=" + url.QueryEscape("王"))
	if n := strings.Count(page, `data-testid="registrant"`); n != 1 || !strings.Contains(page, "王芳") || !strings.Contains(page, "找到 1 人") {
		t.Fatalf("found by name: %d rows", n)
	}
	// Found at the door without code or QR: checked in from the list.
	if st := staff.post(path+"/"+wang.ID+"/checkin", url.Values{"back": {"q=" + url.QueryEscape("王") + "&checked_in=&page=1"}}); st != http.StatusSeeOther {
		t.Fatalf("check-in from the list: %d", st)
	}
	page = staff.get(path + "?q=" + url.QueryEscape("王"))
	if flashOf(page) == "" || !strings.Contains(flashOf(page), "王芳") || !strings.Contains(page, `data-testid="registrant-came"`) {
		t.Errorf("after the check-in from the list:\n%s", page)
	}
	if got := a.Must(http.StatusOK, "GET", "/api/v1/events/"+w.event, "", nil).JSON()["stats"].(map[string]any)["check_ins"]; got != 1.0 {
		t.Errorf("check-ins after the list's: %v", got)
	}
	if page = staff.get(path + "?checked_in=no"); strings.Count(page, `data-testid="registrant"`) != 1 || strings.Contains(page, "王芳") {
		t.Error("those not checked in still list 王芳")
	}
	// A hand-edited filter that is none is ignored, as on the public events
	// page (a walk read 出错了 / 「checked_in：须为 yes 或 no」, the API's
	// field name and values on a Chinese page).
	if st, _, page := staff.status(path + "?checked_in=maybe"); st != http.StatusOK || strings.Count(page, `data-testid="registrant"`) != 2 {
		t.Errorf("a hand-edited check-in filter: %d, %d rows", st, strings.Count(page, `data-testid="registrant"`))
	}

	res, err := staff.cl.Get(a.URL + path + ".csv")
	csv := string(readBody(t, res, err))
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(csv, "\uFEFF姓名,学校,学历,专业,毕业年份,邮件通知,报名时间,签到") ||
		strings.Count(csv, "\n") != 3 || !strings.Contains(csv, "王芳") ||
		// An import probe's browser saved "…fae640d5….csv": the name held
		// the audit page's ellipsis, raw UTF-8 in a header.
		res.Header.Get("Content-Disposition") != `attachment; filename="gradzone-event-registrants-`+
			time.Now().Add(6*time.Hour).Truncate(time.Minute).In(domain.Shanghai).Format("2006-01-02")+"-"+w.event[:8]+`.csv"` {
		t.Fatalf("the CSV: %d %q\n%s", res.StatusCode, res.Header.Get("Content-Disposition"), csv)
	}

	// Another zone's staff and a graduate: not theirs; a check-in from the
	// list by another zone changes nothing.
	other := newWebClient(t, a, a.ZoneAdmin("sichuan-mianyang").Email)
	for _, p := range []string{path, path + ".csv"} {
		if st, _, _ := other.status(p); st != http.StatusNotFound {
			t.Errorf("another zone's staff at %s: %d", p, st)
		}
	}
	if st := other.post(path+"/"+w.grad.ID+"/checkin", url.Values{}); st != http.StatusForbidden && st != http.StatusNotFound {
		t.Errorf("another zone's check-in from the list: %d", st)
	}
	if st, _, _ := newWebClient(t, a, w.grad.Email).status(path); st != http.StatusForbidden {
		t.Errorf("a graduate at the list: %d", st)
	}
	if st, _, _ := newWebClient(t, a, a.ProvinceAdmin("51").Email).status(path); st != http.StatusOK {
		t.Errorf("the province's staff at the list: %d", st)
	}
	if got := a.Must(http.StatusOK, "GET", "/api/v1/events/"+w.event, "", nil).JSON()["stats"].(map[string]any)["check_ins"]; got != 1.0 {
		t.Errorf("check-ins after refused ones: %v", got)
	}
}

// The public events page showed the country's first 50 events to come and
// nothing else: with 178 zones' recruitment weeks a graduate could not find
// the province's. It filters by province and kind, counts what it finds and
// pages through it; a filter value that is none is ignored.
func TestEventsPageFiltersAndPages(t *testing.T) {
	a := testutil.NewApp(t)
	start := time.Now().Add(48 * time.Hour).Truncate(time.Minute)
	create := func(zone, kind, title string) {
		a.Must(http.StatusCreated, "POST", "/api/v1/events", a.ZoneAdmin(zone).Token, map[string]any{"kind": kind, "title": title,
			"zone_code": zone, "starts_at": start.Format(time.RFC3339), "ends_at": start.Add(2 * time.Hour).Format(time.RFC3339),
			"description": "活动", "location": "会场"})
	}
	for i := range 22 {
		create("sichuan-chengdu", "job_fair", "成都双选会"+strconv.Itoa(i))
	}
	create("sichuan-mianyang", "livestream", "绵阳直播带岗")
	create("guangdong-shenzhen", "job_fair", "深圳双选会")
	w := newWebClient(t, a, a.Graduate().Email)
	cards := func(page string) int { return strings.Count(page, `data-testid="event-card"`) }
	count := func(page string) string {
		return regexp.MustCompile(`data-testid="events-count" role="status">([^<]*)<`).FindStringSubmatch(page)[1]
	}
	all := w.get("/events")
	if cards(all) != 20 || count(all) != "共 24 场活动" || !strings.Contains(all, `href="/events?page=2"`) {
		t.Fatalf("the first page: %d cards, %q", cards(all), count(all))
	}
	if p2 := w.get("/events?page=2"); cards(p2) != 4 {
		t.Errorf("the second page: %d cards", cards(p2))
	}
	sichuan := w.get("/events?province=51")
	if count(sichuan) != "共 23 场活动" || strings.Contains(sichuan, "深圳双选会") || !strings.Contains(sichuan, `<option value="51" selected>`) ||
		!strings.Contains(strings.ReplaceAll(sichuan, "&amp;", "&"), `href="/events?page=2&province=51"`) {
		t.Errorf("Sichuan's events: %q", count(sichuan))
	}
	if live := w.get("/events?province=51&kind=livestream"); count(live) != "共 1 场活动" || !strings.Contains(live, "绵阳直播带岗") {
		t.Errorf("Sichuan's livestreams: %q", count(live))
	}
	if odd := w.get("/events?province=99&kind=party&page=x"); count(odd) != "共 24 场活动" {
		t.Errorf("filters that are none: %q", count(odd))
	}
	if r := a.Do("GET", "/api/v1/events?province=44", "", nil); r.Status != http.StatusOK || r.JSON()["total"] != 1.0 {
		t.Errorf("the API by province: %d %s", r.Status, r.Body)
	}
	if r := a.Do("GET", "/api/v1/events?province=99", "", nil); r.Status != http.StatusUnprocessableEntity || r.Field("province") == "" {
		t.Errorf("the API with a province that is none: %d %s", r.Status, r.Body)
	}
}

// An events walk: a hall's seats could not be declared. The site's form
// takes a capacity (a word in it is refused beside the box), the event's
// page says how many places are left, and once full says so in place of
// the register button; the staff card and the list mark it full. A later
// round: a full event's page offers its waitlist.
func TestEventPlacesOnTheSite(t *testing.T) {
	w := newCheckinWorld(t, 48*time.Hour)
	a := w.a
	staff := newWebClient(t, a, w.admin.Email)
	start := time.Now().Add(72 * time.Hour).Truncate(time.Minute)
	form := url.Values{"kind": {"job_fair"}, "title": {"限额双选会"}, "starts_at": {local(start)}, "ends_at": {local(start.Add(2 * time.Hour))},
		"location": {"菁蓉汇 1 号馆"}, "capacity": {"两个"}}
	if st, page := staff.postPage("/staff/events", form); st != http.StatusUnprocessableEntity || !strings.Contains(page, "须为 1 到 100000 的整数") {
		t.Fatalf("a capacity in words: %d", st)
	}
	form.Set("capacity", "2")
	form.Set("campaign", "2026百日冲刺")
	if st := staff.post("/staff/events", form); st != http.StatusSeeOther {
		t.Fatalf("create with a capacity: %d", st)
	}
	eventTitled := func(title string) map[string]any {
		for _, it := range a.Must(http.StatusOK, "GET", "/api/v1/events?zone=sichuan-chengdu", "", nil).JSON()["items"].([]any) {
			if e := it.(map[string]any); e["title"] == title {
				return e
			}
		}
		t.Fatalf("no event %q", title)
		return nil
	}
	e := eventTitled("限额双选会")
	id := e["id"].(string)
	if e["capacity"] != 2.0 || e["campaign"] != "2026百日冲刺" {
		t.Fatalf("capacity and campaign from the form: %v, %v", e["capacity"], e["campaign"])
	}
	g1, g2 := a.Graduate(), a.Graduate()
	a.Must(http.StatusCreated, "POST", "/api/v1/events/"+id+"/registrations", g1.Token, nil)
	if page := newWebClient(t, a, g2.Email).get("/events/" + id); !strings.Contains(page, "剩余名额 1") || !strings.Contains(page, "共 2 个") {
		t.Error("the event's page does not say one place is left of two")
	}
	a.Must(http.StatusCreated, "POST", "/api/v1/events/"+id+"/registrations", w.grad.Token, nil)
	waiting := newWebClient(t, a, g2.Email)
	page := waiting.get("/events/" + id)
	if !strings.Contains(page, "名额已满") || strings.Contains(page, `action="/events/`+id+`/register"`) {
		t.Error("a full event's page still offers to register, or does not say it is full")
	}
	if list := a.Must(http.StatusOK, "GET", "/api/v1/events/"+id, "", nil).JSON(); list["stats"].(map[string]any)["registrations"] != 2.0 {
		t.Fatalf("registrations: %v", list["stats"])
	}
	// A visitor is told it is full, and may sign in to wait for a place.
	// It says 名额已满 once (a walk: the places line and the notice both did).
	if _, page := newFormClient(t, a).get("/events/" + id); !strings.Contains(page, "有人取消报名时，名额按候补顺序") || strings.Count(page, "名额已满") != 1 ||
		!strings.Contains(page, "登录后加入候补") || !strings.Contains(page, `<a href="/register">`) {
		t.Error("a visitor's page of a full event: no notice, 名额已满 not once, or no way to the waitlist or to register")
	}

	// The waitlist: a graduate joins from the page and sees their place;
	// the staff card counts those waiting; a withdrawal registers the first.
	if !strings.Contains(page, `data-testid="event-waitlist-join"`) {
		t.Fatal("a full event's page offers a graduate no waitlist")
	}
	// A stale register form (another took the last place meanwhile) says
	// what happened and what comes next; the card says 名额已满 once (a
	// walk read it two or three times: the flash said it too).
	waiting.post("/events/"+id+"/register", url.Values{})
	if page := waiting.get("/events/" + id); flashOf(page) != "刚刚有人抢先报了最后一个名额。您可以加入下方的候补名单。" || strings.Count(page, "名额已满") != 1 {
		t.Errorf("a register form that lost the last place: flash %q, 名额已满 %d times", flashOf(page), strings.Count(page, "名额已满"))
	}
	// No calendar for a reader who has no place and may not register (a
	// walk: 加入日历 offered on a full event): a visitor, a graduate not on
	// the list. The registered keep it.
	if _, vp := newFormClient(t, a).get("/events/" + id); strings.Contains(page, `data-testid="event-calendar"`) || strings.Contains(vp, `data-testid="event-calendar"`) {
		t.Error("a full event's page offers the calendar to a reader without a place")
	}
	if page := newWebClient(t, a, g1.Email).get("/events/" + id); !strings.Contains(page, `data-testid="event-calendar"`) {
		t.Error("a full event's page offers the registered no calendar")
	}
	// Withdrawing from an event with a limit says the place may be gone
	// for good (a walk: it promised registering again).
	if page := newWebClient(t, a, g1.Email).get("/events/" + id); !strings.Contains(page, "名额会让给其他人") {
		t.Error("the withdraw button of an event with places does not say the place goes to someone else")
	}
	if st := waiting.post("/events/"+id+"/waitlist", url.Values{}); st != http.StatusSeeOther {
		t.Fatalf("join the waitlist: %d", st)
	}
	if page := waiting.get("/events/" + id); !strings.Contains(page, "已加入候补名单") || !strings.Contains(page, `data-position="1"`) || !strings.Contains(page, "您在候补名单第 1 位") {
		t.Error("after joining, the page does not say so, or not the place")
	} else if strings.Contains(page, `data-testid="event-calendar"`) {
		// Its place is not sure: the mail of a place found brings the entry.
		t.Error("a full event's page offers the calendar to one waiting")
	}
	// The place's box named 我的活动 without a link to it, and sent the
	// reader there for a check-in code this page shows too.
	if box := part(waiting.get("/events/"+id), `data-testid="event-waitlist-place"`, "</div>"); !strings.Contains(box, "签到码将显示在本页") ||
		!strings.Contains(box, `<a href="/me/events#wait-`+id+`" data-testid="event-my-events">`) {
		t.Errorf("the waitlist box does not say the code shows here, or has no link to 我的活动:\n%s", box)
	}
	// A register form left open in another tab: the place in line stays.
	waiting.post("/events/"+id+"/register", url.Values{})
	if page := waiting.get("/events/" + id); flashOf(page) != "刚刚有人抢先报了最后一个名额。您的候补位置不变。" || strings.Count(page, "名额已满") != 1 {
		t.Errorf("a register form of one waiting: flash %q", flashOf(page))
	}
	if page := staff.get("/staff/events"); !strings.Contains(page, `data-testid="event-waitlisted">候补 1 人`) {
		t.Error("the staff card does not count those waiting")
	}
	a.Must(http.StatusNoContent, "DELETE", "/api/v1/events/"+id+"/registrations", g1.Token, nil)
	if page := waiting.get("/events/" + id); !strings.Contains(page, "已报名，签到码") || strings.Contains(page, "event-waitlist-place") {
		t.Error("the first waiting is not registered once a place was freed")
	}
	// 我的活动 lists the lists one is on, with the place; leaving from
	// there comes back there.
	g3 := newWebClient(t, a, a.Graduate().Email)
	g3.post("/events/"+id+"/waitlist", url.Values{})
	if page := g3.get("/me/events"); !strings.Contains(page, `data-testid="my-waitlist" id="wait-`+id+`"`) || !strings.Contains(page, `data-position="1"`) || strings.Contains(page, "my-events-none") {
		t.Error("我的活动 does not list the waitlist one is on, with the place")
	}
	// On 我的活动 itself the place's words sent the reader to 我的活动 for
	// the check-in code (a walk, walk39): there they say it shows here.
	// (English first: the language chosen last is remembered.)
	for _, l := range [][3]string{{"en", "check-in code then shows on this page", "under My events"}, {"zh", "签到码将显示在本页", "我的活动”查看"}} {
		if place := part(g3.get("/me/events?lang="+l[0]), `data-testid="my-waitlist-place"`, "</p>"); !strings.Contains(place, l[1]) || strings.Contains(place, l[2]) {
			t.Errorf("%s: 我的活动's waitlist place reads %q", l[0], place)
		}
	}
	// On two lists, each place is its own: second on a one-place event.
	form.Set("title", "限额宣讲会")
	form.Set("capacity", "1")
	staff.post("/staff/events", form)
	talk := eventTitled("限额宣讲会")["id"].(string)
	a.Must(http.StatusCreated, "POST", "/api/v1/events/"+talk+"/registrations", g1.Token, nil)
	a.Must(http.StatusCreated, "POST", "/api/v1/events/"+talk+"/waitlist", g2.Token, nil)
	g3.post("/events/"+talk+"/waitlist", url.Values{})
	if page := g3.get("/me/events"); !strings.Contains(page, `id="wait-`+id+`"`) || !strings.Contains(page, `id="wait-`+talk+`"`) ||
		strings.Count(page, `data-position="1"`) != 1 || strings.Count(page, `data-position="2"`) != 1 {
		t.Error("我的活动 on two lists does not give each its own place")
	}
	g3.post("/events/"+talk+"/waitlist/leave", url.Values{})
	// A join that meets a list filled meanwhile says the list is full (the
	// code alone said only that the places are taken).
	for range domain.MinWaitlist - 1 {
		a.Must(http.StatusCreated, "POST", "/api/v1/events/"+talk+"/waitlist", a.Graduate().Token, nil)
	}
	g3.post("/events/"+talk+"/waitlist", url.Values{})
	if page := g3.get("/events/" + talk); flashOf(page) != "刚刚有人抢先占了候补名单的最后一个位置。可以看看其他招聘活动。" || strings.Count(page, "名额已满") != 1 ||
		strings.Count(page, "候补名单也已满") != 1 {
		t.Errorf("the flash of a join to a full list: %q (名额已满 %d times, 候补名单也已满 %d)", flashOf(page), strings.Count(page, "名额已满"), strings.Count(page, "候补名单也已满"))
	}
	// A register form that lost the last place with the list full too.
	g3.post("/events/"+talk+"/register", url.Values{})
	if page := g3.get("/events/" + talk); flashOf(page) != "刚刚有人抢先报了最后一个名额。可以看看其他招聘活动。" || strings.Count(page, "名额已满") != 1 {
		t.Errorf("the flash of a register form with the list full: %q", flashOf(page))
	}
	// With the list full, the page says where to go next (a walk: only
	// that it is full), in both languages, to a visitor as to a graduate.
	for _, page := range []string{g3.get("/events/" + talk), g3.get("/events/" + talk + "?lang=en")} {
		if !strings.Contains(page, "候补名单也已满") && !strings.Contains(page, "The waitlist is full too") {
			t.Error("the page of a full event with a full list does not say so")
		}
		if !strings.Contains(page, `href="/events" data-testid="event-others"`) || strings.Contains(page, `data-testid="event-calendar"`) {
			t.Error("the page of a full event with a full list links to no other events, or offers the calendar")
		}
	}
	if _, page := newFormClient(t, a).get("/events/" + talk); !strings.Contains(page, `data-testid="event-others"`) {
		t.Error("a visitor's page of a full event with a full list links to no other events")
	}
	g3.get("/events/" + talk + "?lang=zh")
	if st, to := g3.postTo("/events/"+id+"/waitlist/leave", url.Values{"from": {"mine"}}); st != http.StatusSeeOther || to != "/me/events#waiting" {
		t.Errorf("leave the waitlist from 我的活动: %d, to %q", st, to)
	}
	if page := g3.get("/me/events"); !strings.Contains(page, "已退出候补名单") || strings.Contains(page, "my-waitlist") || !strings.Contains(page, "my-events-none") {
		t.Error("after leaving, 我的活动 still lists the waitlist, or does not say so")
	}
	// Emptied by leaving, the list said 您还没有报名任何活动 (never), as to
	// one who never came.
	if none := part(g3.get("/me/events"), `data-testid="my-events-none"`, "</p>"); !strings.Contains(none, "您目前没有报名或候补的活动") {
		t.Errorf("an emptied 我的活动 reads %q", none)
	}
	for _, p := range []string{"/events", "/staff/events"} {
		if page := staff.get(p); !strings.Contains(page, `data-testid="event-full"`) {
			t.Errorf("%s does not mark the event full", p)
		}
	}
	// The campaign the form took is on the list and the event's page, and
	// in the edit form (the site had no box for it).
	if page := staff.get("/events"); !strings.Contains(page, `data-testid="event-campaign">2026百日冲刺`) {
		t.Error("the events list does not name the campaign")
	}
	if page := staff.get("/staff/events"); !strings.Contains(page, `value="2026百日冲刺"`) {
		t.Error("the edit form does not hold the campaign")
	}
	// Staff see the list beside the registrants, and a place added on the
	// site says who got in (a walk: "saved", and no more).
	g3.post("/events/"+id+"/waitlist", url.Values{})
	if page := staff.get("/staff/events/" + id + "/registrants"); !strings.Contains(page, "报名 2 / 2") || !strings.Contains(page, "候补 1 人") {
		t.Errorf("the registrants page's counts: %s", page[strings.Index(page, `data-testid="registrants-counts"`):][:200])
	}
	staff.get("/staff/events")
	edit := url.Values{"title": {"限额双选会"}, "starts_at": {local(start)}, "ends_at": {local(start.Add(2 * time.Hour))}, "location": {"菁蓉汇 1 号馆"}, "capacity": {"3"},
		"campaign": {"2026百日冲刺"}}
	staff.post("/staff/events/"+id+"/edit", edit)
	if got := flashOf(staff.get("/staff/events?at=" + id)); got != "✓ 已保存修改；候补名单上的第一位已报名，并收到确认邮件。" {
		t.Errorf("the flash of a place added with one waiting: %q", got)
	}
	// Cancelling an event with a waitlist: staff are told before and after
	// that those waiting hear of it too (a site message; the mail goes to
	// the registered), not only the registrants mailed.
	waitlisted := eventTitled("限额宣讲会")["stats"].(map[string]any)["waitlisted"].(float64)
	if hint := part(part(staff.get("/staff/events?at="+talk), `id="event-`+talk+`"`, "</section>"), `data-testid="event-cancel"`, "</details>"); !strings.Contains(hint, fmt.Sprintf("候补名单上的 %.0f 人会收到站内消息", waitlisted)) {
		t.Errorf("the cancel form of an event with a waitlist does not say those waiting are told:\n%s", hint)
	}
	if hint := part(staff.get("/staff/events?lang=en&at="+talk), `id="event-`+talk+`"`, "</section>"); !strings.Contains(hint, fmt.Sprintf("mailed the reason. The %.0f people on the waitlist get a site message.", waitlisted)) {
		t.Error("the English cancel form does not say those waiting are told, as a sentence of its own")
	}
	staff.get("/staff/events?lang=zh")
	staff.post("/staff/events/"+talk+"/cancel", url.Values{"reason": {"讲者临时有事"}})
	// (The one registered has no verified address: no mail to count.)
	if got := flashOf(staff.get("/staff/events?at=" + talk)); got != fmt.Sprintf("✓ 活动已取消。候补名单上的 %.0f 人已收到站内消息。", waitlisted) {
		t.Errorf("the flash of a cancelled event with a waitlist: %q", got)
	}
}

// A long unbroken title or place (a map link) widened the event pages past
// a phone's screen, and the staff page past a desktop's (an events walk).
func TestBrowserLongWordsWrapOnEventPages(t *testing.T) {
	w := newCheckinWorld(t, 48*time.Hour)
	start := time.Now().Add(48 * time.Hour).Truncate(time.Minute)
	long := w.a.Must(http.StatusCreated, "POST", "/api/v1/events", w.admin.Token, map[string]any{"kind": "job_fair", "title": "walk_" + strings.Repeat("W", 95),
		"zone_code": "sichuan-chengdu", "starts_at": start.Format(time.RFC3339), "ends_at": start.Add(time.Hour).Format(time.RFC3339),
		"location": "https://surl.amap.com/Xk3mP9qRt2vW8yZaBcDeFgH7"}).JSON()["id"].(string)
	w.a.Must(http.StatusCreated, "POST", "/api/v1/events/"+long+"/registrations", w.grad.Token, nil)
	for _, size := range []struct{ w, h int }{{390, 844}, {1280, 900}} {
		ctx := browser(t, size.w, size.h)
		do(t, ctx, chromedp.EmulateViewport(int64(size.w), int64(size.h)))
		for _, who := range []struct{ email, path string }{{w.grad.Email, "/events/" + long}, {w.grad.Email, "/events"}, {w.grad.Email, "/me/events"}, {w.admin.Email, "/staff/events"},
			{w.admin.Email, "/staff/events/" + long + "/registrants"}} {
			login(t, ctx, w.a.URL, who.email, testutil.Password)
			do(t, ctx, chromedp.Navigate(w.a.URL+who.path), chromedp.WaitVisible(chromedp.CSS("main")))
			if width := js(t, ctx, `String(document.documentElement.scrollWidth)`); width != strconv.Itoa(size.w) {
				t.Errorf("%s at %d px: the page is %s px wide", who.path, size.w, width)
			}
			logout(t, ctx)
		}
	}
}

// noSidewaysOverflow fails when the page is wider than the screen.
func noSidewaysOverflow(t *testing.T, ctx context.Context, screen int) {
	t.Helper()
	width, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	if err != nil || width > screen+1 {
		t.Errorf("page is %d px wide on a %d px screen (%v)", width, screen, err)
	}
}

// A browser walk found the door's check-in box answering only alert("✓") or
// alert("✗"): not who it was, not "already", and the counts stale. The box
// is now a form of the site: the page comes back saying who was checked in
// and when, that someone had been already, or why a code is refused; and
// staff whose scope covers the zone may check in, as with the QR link.
func TestCheckInByCodeSaysWho(t *testing.T) {
	a := testutil.NewApp(t)
	admin := a.ZoneAdmin("sichuan-chengdu")
	start := time.Now().Add(time.Hour).Truncate(time.Minute)
	ev := a.Must(http.StatusCreated, "POST", "/api/v1/events", admin.Token, map[string]any{"kind": "job_fair", "title": "专场招聘会",
		"zone_code": "sichuan-chengdu", "starts_at": start.Format(time.RFC3339), "ends_at": start.Add(4 * time.Hour).Format(time.RFC3339),
		"description": "现场招聘", "location": "菁蓉汇"}).JSON()["id"].(string)
	g := a.Graduate() // 李华
	code := a.Must(http.StatusCreated, "POST", "/api/v1/events/"+ev+"/registrations", g.Token, nil).JSON()["checkin_code"].(string)

	w := newWebClient(t, a, admin.Email)
	// A walk found no description on the event form (the contract's event
	// has one) and, in English, "must be an RFC 3339 time" for a missing
	// start: the form takes a description. A staff walk then read the RFC
	// 3339 example beside an empty date picker, on a 200: a time not given
	// is required, with 422; one given wrong names the example.
	w.get("/staff/events?lang=en")
	if st, page := w.postPage("/staff/events", url.Values{"kind": {"job_fair"}, "title": {"宣讲会"}, "description": {"企业宣讲与现场答疑"}}); st != http.StatusUnprocessableEntity ||
		!strings.Contains(page, "is required") || strings.Contains(page, "such as 2026-12-05T14:00") || !strings.Contains(page, ">企业宣讲与现场答疑</textarea>") {
		t.Errorf("an event without times: %d, not required, or the description lost", st)
	}
	if _, page := w.postPage("/staff/events", url.Values{"kind": {"job_fair"}, "title": {"宣讲会"}, "starts_at": {"明天上午"}, "ends_at": {"2099-01-01T10:00"}}); !strings.Contains(page, "such as 2026-12-05T14:00") {
		t.Error("a time given wrong does not name the example")
	}
	// An event that is over offers no openings to list (the store refuses
	// them), and no full opening is offered.
	over := a.Must(http.StatusCreated, "POST", "/api/v1/events", admin.Token, map[string]any{"kind": "job_fair", "title": "已结束的招聘会",
		"zone_code": "sichuan-chengdu", "starts_at": start.Add(-72 * time.Hour).Format(time.RFC3339), "ends_at": start.Add(-70 * time.Hour).Format(time.RFC3339),
		"description": "已结束"}).JSON()["id"].(string)
	femp := a.VerifiedEmployer("51", "sichuan-chengdu")
	full := a.Publish(femp, admin, map[string]any{"headcount": 1, "title": "已招满的岗位"})
	fg, fapp := a.Applicant(full, "")
	a.Hire(femp.Token, fg.Token, fapp, domain.DateOf(time.Now()).String())
	page := w.get("/staff/events?lang=zh")
	if strings.Contains(page, `action="/staff/events/`+over+`/openings"`) || strings.Contains(page, `href="/staff/events/`+over+`/openings"`) {
		t.Error("an event that is over offers to list openings")
	}
	// No one took part in it: a record with a wrong date can be put right
	// or cancelled (walk45a: it stayed 已结束 for good); the event someone
	// registered for cannot.
	if !strings.Contains(page, `action="/staff/events/`+over+`/edit"`) || !strings.Contains(page, `action="/staff/events/`+over+`/cancel"`) {
		t.Error("an event over that no one took part in offers no way to put it right")
	}
	moved := start.Add(48 * time.Hour).In(domain.Shanghai)
	if st := w.post("/staff/events/"+over+"/edit", url.Values{"kind": {"job_fair"}, "title": {"已结束的招聘会"}, "description": {"改期"},
		"starts_at": {moved.Format("2006-01-02T15:04")}, "ends_at": {moved.Add(2 * time.Hour).Format("2006-01-02T15:04")}}); st != http.StatusSeeOther {
		t.Errorf("putting the event's date right: %d", st)
	}
	if e := a.Must(http.StatusOK, "GET", "/api/v1/events/"+over, "", nil).JSON(); e["starts_at"] != moved.UTC().Format(time.RFC3339) {
		t.Errorf("the event put right starts %v, want %s", e["starts_at"], moved.UTC().Format(time.RFC3339))
	}
	if strings.Contains(page, `<option value="`+full+`"`) {
		t.Error("a full opening is offered for an event")
	}
	at := start.Add(24 * time.Hour).In(domain.Shanghai)
	w.post("/staff/events", url.Values{"kind": {"job_fair"}, "title": {"有介绍的宣讲会"}, "description": {"企业宣讲与现场答疑"},
		"starts_at": {at.Format("2006-01-02T15:04")}, "ends_at": {at.Add(2 * time.Hour).Format("2006-01-02T15:04")}})
	var about string
	if err := testutil.SQL(t, a.DBURL).QueryRow(`SELECT description FROM events WHERE title = '有介绍的宣讲会'`).Scan(&about); err != nil || about != "企业宣讲与现场答疑" {
		t.Errorf("the form's description: %q (%v)", about, err)
	}
	door := func(w *webClient, code string) string {
		t.Helper()
		w.get("/staff/events")
		if st := w.post("/staff/events/"+ev+"/checkins", url.Values{"code": {code}}); st != http.StatusSeeOther {
			t.Fatalf("check-in form: %d", st)
		}
		return flashOf(w.get("/staff/events"))
	}
	if got := door(w, "wrong1"); got == "" || strings.HasPrefix(got, "✓") {
		t.Errorf("a wrong code: %q", got)
	}
	if got := door(w, strings.ToLower(code)); !strings.HasPrefix(got, "✓ 李华 已签到 ") {
		t.Errorf("the first check-in: %q", got)
	}
	if got := door(w, code); !strings.HasPrefix(got, "李华 此前已签到") {
		t.Errorf("the same code again: %q", got)
	}
	if n := a.Must(http.StatusOK, "GET", "/api/v1/events/"+ev, "", nil).JSON()["stats"].(map[string]any)["check_ins"]; n != 1.0 {
		t.Errorf("%v check-ins counted", n)
	}
	// Graduates and employers have no door to check in at.
	for _, email := range []string{a.Graduate().Email, a.VerifiedEmployer("51", "sichuan-chengdu").Email} {
		o := newWebClient(t, a, email)
		o.get("/")
		if st := o.post("/staff/events/"+ev+"/checkins", url.Values{"code": {code}}); st != http.StatusForbidden {
			t.Errorf("%s checking in: %d, want 403", email, st)
		}
	}
	// The province may check in at its zones' events; another zone may not.
	g2 := a.Graduate()
	code2 := a.Must(http.StatusCreated, "POST", "/api/v1/events/"+ev+"/registrations", g2.Token, nil).JSON()["checkin_code"].(string)
	if got := door(newWebClient(t, a, a.ZoneAdmin("sichuan-mianyang").Email), code2); strings.HasPrefix(got, "✓") {
		t.Errorf("another zone's staff checked in: %q", got)
	}
	if got := door(newWebClient(t, a, a.ProvinceAdmin("51").Email), code2); !strings.HasPrefix(got, "✓ 李华 已签到") {
		t.Errorf("the province's staff: %q", got)
	}
	// Two days early the door says when check-in opens, and only that.
	a.Server.Store.SetClock(func() time.Time { return time.Now().Add(-48 * time.Hour) })
	g3 := a.Graduate()
	code3 := a.Must(http.StatusCreated, "POST", "/api/v1/events/"+ev+"/registrations", g3.Token, nil).JSON()["checkin_code"].(string)
	opens := start.Add(-12 * time.Hour).In(domain.Shanghai).Format("01-02 15:04")
	if got := door(w, code3); got != "签到在活动开始前 12 小时开放（北京时间 "+opens+" 起）" {
		t.Errorf("a check-in two days early: %q", got)
	}
	// In English the answer read "check-in opens 12 hours before the event
	// starts", a fragment: it is a sentence.
	w.get("/staff/events?lang=en")
	if got := door(w, code3); got != "Check-in opens 12 hours before the event starts. It opens at "+opens+", Beijing time." {
		t.Errorf("a check-in two days early, in English: %q", got)
	}
	a.Server.Store.SetClock(time.Now)
	if got := door(w, "ZZZZZ"); got != "No registration with this check-in code." {
		t.Errorf("an unknown code, in English: %q", got)
	}
}

// A phone walk found the door's check-in answer drawn at the top of the
// staff events page, 1,855 px above the code box staff were looking at;
// adding openings said "added" while the card showed none of them; and a
// new event came with no word at all. Each answer now comes back inside
// its event's card, the page opened at it, the code box ready for the next
// code, and the card lists the openings at the event.
func TestEventCardSaysWhatHappened(t *testing.T) {
	a := testutil.NewApp(t)
	_, admin, opening := a.PublishedOpening(map[string]any{"title": "量子传感科研助理"})
	start := time.Now().Add(time.Hour).Truncate(time.Minute)
	ev := a.Must(http.StatusCreated, "POST", "/api/v1/events", admin.Token, map[string]any{"kind": "job_fair", "title": "专场招聘会",
		"zone_code": "sichuan-chengdu", "starts_at": start.Format(time.RFC3339), "ends_at": start.Add(4 * time.Hour).Format(time.RFC3339),
		"description": "现场招聘", "location": "菁蓉汇"}).JSON()["id"].(string)
	code := a.Must(http.StatusCreated, "POST", "/api/v1/events/"+ev+"/registrations", a.Graduate().Token, nil).JSON()["checkin_code"].(string)
	w := newWebClient(t, a, admin.Email)
	at := "/staff/events?at=" + ev + "#event-" + ev

	// inCard fails unless the page's one answer sits inside ev's card:
	// under its check-in box for the door's answers, above it for others.
	// It returns the answer.
	inCard := func(page string, door bool) string {
		t.Helper()
		card := strings.Index(page, `id="event-`+ev+`"`)
		answer := strings.Index(page, `data-testid="event-flash"`)
		box := strings.Index(page, `id="ci-`+ev+`"`)
		end := card + strings.Index(page[max(card, 0):], `</section>`)
		if card < 0 || answer < card || answer > end || (box < answer) != door || strings.Count(page, `role="status"`) != 1 {
			t.Fatalf("the answer is not in the event's card (card %d, answer %d, box %d):\n%s", card, answer, box, page)
		}
		return flashOf(page)
	}
	post := func(path string, form url.Values) string {
		t.Helper()
		w.get("/staff/events")
		form.Set("_csrf", w.csrf)
		res, err := w.cl.PostForm(a.URL+path, form)
		readBody(t, res, err)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: %d", path, res.StatusCode)
		}
		return res.Header.Get("Location")
	}

	door := "/staff/events?at=" + ev + "&door=1#ci-" + ev
	if loc := post("/staff/events/"+ev+"/checkins", url.Values{"code": {code}}); loc != door {
		t.Fatalf("after a check-in: to %q, want %q", loc, door)
	}
	page := w.get(door)
	if got := inCard(page, true); !strings.HasPrefix(got, "✓ ") {
		t.Errorf("check-in answer %q", got)
	}
	if !regexp.MustCompile(`id="ci-` + ev + `"[^>]*autofocus`).MatchString(page) {
		t.Error("the code box is not ready for the next code")
	}

	if loc := post("/staff/events/"+ev+"/openings", url.Values{"opening_ids": {opening}}); loc != at {
		t.Fatalf("after adding openings: to %q, want %q", loc, at)
	}
	page = w.get(at)
	if got := inCard(page, false); got != "✓ 岗位已加入活动，已在站内通知用人单位。" {
		t.Errorf("adding openings: %q", got)
	}
	if !strings.Contains(page, `data-testid="event-opening"`) || !strings.Contains(page, "量子传感科研助理") {
		t.Error("the card does not list the opening at the event")
	}
	// A walk found an opening already at an event offered again in its
	// list, and the form to create an event below every card: the list
	// holds only what is not there yet (none left here: no form), and the
	// top of the page links to the form.
	if strings.Contains(w.get("/staff/events/"+ev+"/openings"), `value="`+opening+`"`) {
		t.Error("the event's only opening, already attached, is offered again")
	}
	if top := strings.Index(page, `href="#create-event"`); top < 0 || top > strings.Index(page, `id="event-`) || !strings.Contains(page, `id="create-event"`) {
		t.Error("the top of the events page does not link to the form that creates one")
	}
	// And it could not be taken off again: each listed opening has a
	// remove button that asks first; removing answers in the card, and the
	// opening is offered again.
	off := `action="/staff/events/` + ev + `/openings/` + opening + `/remove"`
	if i := strings.Index(page, off); i < 0 || !strings.Contains(page[i:i+300], `data-confirm=`) {
		t.Fatal("the listed opening has no remove button that asks first")
	}
	// Province staff see the card but may not change its openings (the
	// API answers 403): a walk found 移出 offered them all the same.
	if page := newWebClient(t, a, a.ProvinceAdmin("51").Email).get("/staff/events"); !strings.Contains(page, `data-testid="event-opening"`) || strings.Contains(page, off) {
		t.Error("province staff are offered to remove an opening from a zone's event")
	}
	if loc := post("/staff/events/"+ev+"/openings/"+opening+"/remove", url.Values{}); loc != at {
		t.Fatalf("after removing an opening: to %q, want %q", loc, at)
	}
	page = w.get(at)
	if got := inCard(page, false); got != "✓ 已将「量子传感科研助理」移出活动。" {
		t.Errorf("removing an opening: %q", got)
	}
	if strings.Contains(page, `data-testid="event-opening"`) || !strings.Contains(w.get("/staff/events/"+ev+"/openings"), `value="`+opening+`"`) {
		t.Error("the removed opening is still listed, or not offered again")
	}

	loc := post("/staff/events", url.Values{"kind": {"livestream"}, "title": {"冬季直播带岗"},
		"starts_at": {start.In(domain.Shanghai).Format("2006-01-02T15:04")}, "ends_at": {start.Add(time.Hour).In(domain.Shanghai).Format("2006-01-02T15:04")},
		"stream_url": {"https://live.example.cn/2"}})
	m := regexp.MustCompile(`^/staff/events\?at=([0-9a-f-]{36})#event-([0-9a-f-]{36})$`).FindStringSubmatch(loc)
	if m == nil || m[1] != m[2] {
		t.Fatalf("after creating an event: to %q", loc)
	}
	ev = m[1]
	if got := inCard(w.get(loc), false); got != "✓ 已创建活动。" {
		t.Errorf("creating an event: %q", got)
	}
}

// A speed probe: the staff events page listed the zone's first 50 events
// and no more. It pages through them, those to come first.
func TestStaffEventsPages(t *testing.T) {
	a := testutil.NewApp(t)
	admin := a.ZoneAdmin("sichuan-chengdu")
	start := time.Now().Add(72 * time.Hour).Truncate(time.Minute)
	for i := range 51 {
		at := start.Add(time.Duration(i) * time.Hour)
		a.Must(http.StatusCreated, "POST", "/api/v1/events", admin.Token, map[string]any{"kind": "job_fair", "title": "宣讲会" + strconv.Itoa(i),
			"zone_code": "sichuan-chengdu", "starts_at": at.Format(time.RFC3339), "ends_at": at.Add(time.Hour).Format(time.RFC3339),
			"description": "宣讲", "location": "会场"})
	}
	w := newWebClient(t, a, admin.Email)
	cards := func(page string) int { return strings.Count(page, `<section class="card" id="event-`) }
	first := w.get("/staff/events")
	if cards(first) != 50 || !strings.Contains(first, `href="/staff/events?page=2"`) || !strings.Contains(first, "宣讲会0<") {
		t.Fatalf("the first page: %d cards", cards(first))
	}
	if last := w.get("/staff/events?page=2"); cards(last) != 1 || !strings.Contains(last, "宣讲会50<") {
		t.Errorf("the second page: %d cards", cards(last))
	}
}

// A speed probe: every live event's card carried its own picker of the
// zone's first 100 openings (a page of 250 KB for Chengdu; the 101st could
// not be added from the site). The card links to a page of its own that
// finds the zone's openings taking applications by title or employer, a
// page at a time, without those at the event; it is the zone staff's.
func TestEventOpeningsPicker(t *testing.T) {
	a := testutil.NewApp(t)
	emp, admin, first := a.PublishedOpening(map[string]any{"title": "光谱分析助理"})
	second := a.Publish(emp, admin, map[string]any{"title": "电镜表征助理"})
	a.Publish(emp, admin, map[string]any{"title": "光刻工艺助理"})
	start := time.Now().Add(24 * time.Hour).Truncate(time.Minute)
	ev := a.Must(http.StatusCreated, "POST", "/api/v1/events", admin.Token, map[string]any{"kind": "livestream", "title": "直播带岗",
		"zone_code": "sichuan-chengdu", "starts_at": start.Format(time.RFC3339), "ends_at": start.Add(time.Hour).Format(time.RFC3339),
		"description": "直播", "stream_url": "https://live.example.cn/1"}).JSON()["id"].(string)
	w := newWebClient(t, a, admin.Email)
	if card := w.get("/staff/events"); !strings.Contains(card, `href="/staff/events/`+ev+`/openings"`) || strings.Contains(card, `name="opening_ids"`) {
		t.Fatal("the card does not link to the picker, or still carries one")
	}
	path := "/staff/events/" + ev + "/openings"
	choices := func(page string) int { return strings.Count(page, `data-testid="event-opening-choice"`) }
	if page := w.get(path); choices(page) != 3 || !strings.Contains(page, "可添加 3 个岗位") {
		t.Fatalf("the picker: %d choices", choices(page))
	}
	if page := w.get(path + "?q=" + url.QueryEscape("光")); choices(page) != 2 || strings.Contains(page, "电镜表征助理") {
		t.Errorf("the picker for 光: %d choices", choices(page))
	}
	if st, _, _ := w.status(path + "?q=" + strings.Repeat("光", 101)); st != http.StatusBadRequest {
		t.Errorf("a search of 101 characters: %d", st)
	}
	w.get(path)
	res, err := w.cl.PostForm(a.URL+path, url.Values{"_csrf": {w.csrf}, "opening_ids": {first, second}, "pinned": {"1"}})
	readBody(t, res, err)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("adding two: %d", res.StatusCode)
	}
	if page := w.get(path); choices(page) != 1 || !strings.Contains(page, "光刻工艺助理") {
		t.Errorf("after adding two: %d choices", choices(page))
	}
	if got := a.Must(http.StatusOK, "GET", "/api/v1/events/"+ev, "", nil).JSON()["openings"].([]any); len(got) != 2 {
		t.Errorf("the event's openings: %v", got)
	}
	// The employer's desk shows, beside each opening listed, the event
	// (an events walk: employers learned it, if ever, from applicants);
	// another employer's desk shows none of it.
	desk := newWebClient(t, a, emp.Email).get("/employer")
	if n := strings.Count(desk, `data-testid="listed-at-event"`); n != 2 || !strings.Contains(desk, `href="/events/`+ev+`" data-testid="listed-at-event">📅 活动：直播带岗`) {
		t.Errorf("the employer's desk shows %d listings, want 2 naming 直播带岗", n)
	}
	// On a phone the listing's time stays whole (a walk: 「2026-12-」 on one
	// line, 「09 10:03」 on the next).
	ctx := browser(t, 320, 640) // the narrowest phone in use
	login(t, ctx, a.URL, emp.Email, testutil.Password)
	do(t, ctx, chromedp.Navigate(a.URL+"/employer"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="listed-at-event"]`)))
	if broken := js(t, ctx, `[...document.querySelectorAll('.listed-at .nowrap')].filter(e => e.getClientRects().length > 1 || e.getBoundingClientRect().height > 30).map(e => e.textContent).join(", ")`); broken != "" {
		t.Errorf("the desk's event times broken across lines on a phone: %s", broken)
	}
	other, _, _ := a.PublishedOpening(map[string]any{"title": "别家岗位"})
	if strings.Contains(newWebClient(t, a, other.Email).get("/employer"), "listed-at-event") {
		t.Error("another employer's desk shows this employer's listings")
	}
	// A walk: the picker sent with nothing ticked went to the events page,
	// its search lost; the picker of a cancelled event was a bare refusal.
	searched := path + "?q=" + url.QueryEscape("光")
	w.get(searched)
	res, err = w.cl.PostForm(a.URL+path, url.Values{"_csrf": {w.csrf}, "from": {searched}})
	readBody(t, res, err)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != searched || flashOf(w.get(searched)) == "" {
		t.Errorf("nothing ticked: %d to %s", res.StatusCode, res.Header.Get("Location"))
	}
	a.Must(http.StatusOK, "POST", "/api/v1/events/"+ev+"/cancel", admin.Token, map[string]any{"reason": "场地临时不可用"})
	res, err = w.cl.Get(a.URL + path)
	readBody(t, res, err)
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/staff/events?at="+ev) {
		t.Errorf("the picker of a cancelled event: %d to %s", res.StatusCode, res.Header.Get("Location"))
	}
	for who, want := range map[string]int{
		a.ZoneAdmin("sichuan-mianyang").Email: http.StatusNotFound,
		a.ProvinceAdmin("51").Email:           http.StatusForbidden,
		a.Graduate().Email:                    http.StatusForbidden,
	} {
		if st, _, _ := newWebClient(t, a, who).status(path); st != want {
			t.Errorf("%s opens the picker: %d, want %d", who, st, want)
		}
	}
}

// chengduJobFair is a Chengdu job fair in two days, made by its zone's
// staff (admin); it returns the event's ID.
func chengduJobFair(t *testing.T, a *testutil.App, admin testutil.Account) string {
	t.Helper()
	start := time.Now().Add(48 * time.Hour).Truncate(time.Minute)
	return a.Must(http.StatusCreated, "POST", "/api/v1/events", admin.Token, map[string]any{"kind": "job_fair", "title": "专场招聘会",
		"zone_code": "sichuan-chengdu", "starts_at": start.Format(time.RFC3339), "ends_at": start.Add(4 * time.Hour).Format(time.RFC3339),
		"description": "现场招聘", "location": "菁蓉汇"}).JSON()["id"].(string)
}

// A browser walk: a visitor on an event's page was not told how to take
// part (the registration form shows to signed-in graduates only). The page
// offers signing in, and comes back to the event after it.
func TestEventPageInvitesVisitorsToSignIn(t *testing.T) {
	a := testutil.NewApp(t)
	admin := a.ZoneAdmin("sichuan-chengdu")
	id := chengduJobFair(t, a, admin)
	_, page := newFormClient(t, a).get("/events/" + id)
	if !strings.Contains(page, `data-testid="event-login" href="/login?next=/events/`+id+`"`) {
		t.Fatalf("a visitor is not offered to sign in:\n%s", page)
	}
	// Times are Shanghai's, and the page says so: graduates abroad read it.
	if !strings.Contains(page, "，北京时间）") {
		t.Error("the event's times do not say they are Beijing time")
	}
	en := newFormClient(t, a)
	en.get("/?lang=en")
	if _, page := en.get("/events"); !strings.Contains(page, ", Beijing time)") {
		t.Error("the English events list does not say its times are Beijing time")
	}
	if page := newWebClient(t, a, a.Graduate().Email).get("/events/" + id); strings.Contains(page, `data-testid="event-login"`) || !strings.Contains(page, `action="/events/`+id+`/register"`) {
		t.Error("a graduate is not offered the registration")
	}
	if page := newWebClient(t, a, admin.Email).get("/events/" + id); strings.Contains(page, `data-testid="event-login"`) {
		t.Error("staff are asked to sign in")
	}
}

// A walk of the employer's flows (walk42a): an employer opening 招聘活动
// or an event's page found nothing to do and no word why: graduates
// register, visitors are asked to sign in, an employer saw the bare list of
// openings. The page and the list tell an employer that the zone running
// the event chooses its openings and to ask it to list theirs.
func TestEventPagesTellEmployersHowToTakePart(t *testing.T) {
	a := testutil.NewApp(t)
	admin := a.ZoneAdmin("sichuan-chengdu")
	id := chengduJobFair(t, a, admin)
	w := newWebClient(t, a, a.VerifiedEmployer("51", "sichuan-chengdu").Email)
	for _, c := range []struct{ lang, want string }{{"zh", "活动岗位由举办活动的高新区选定"}, {"en", "The zone running an event chooses its openings"}} {
		for _, path := range []string{"/events/" + id, "/events"} {
			page := w.get(path + "?lang=" + c.lang)
			if got := part(page, `data-testid="event-employer-hint"`, "</p>"); !strings.Contains(got, c.want) {
				t.Errorf("%s %s: an employer is not told how to take part: %q", c.lang, path, got)
			}
		}
	}
	// Graduates and visitors are not.
	if page := newWebClient(t, a, a.Graduate().Email).get("/events/" + id); strings.Contains(page, "event-employer-hint") {
		t.Error("a graduate is shown the employers' hint")
	}
	if _, page := newFormClient(t, a).get("/events"); strings.Contains(page, "event-employer-hint") {
		t.Error("a visitor is shown the employers' hint")
	}
}

// A walk: a livestream's registration said to show the QR code "at the
// door", which an online event has not. A livestream's page and mails say
// to show it when attending in person, and that watching online needs no
// check-in; a job fair's keep the door.
func TestLivestreamCheckInWording(t *testing.T) {
	mp := testutil.NewMailpit(t)
	a := testutil.NewApp(t)
	admin := a.ZoneAdmin("sichuan-chengdu")
	start := time.Now().Add(72 * time.Hour).Truncate(time.Minute)
	ev := a.Must(http.StatusCreated, "POST", "/api/v1/events", admin.Token, map[string]any{"kind": "livestream", "title": "脑机接口直播带岗",
		"zone_code": "sichuan-chengdu", "starts_at": start.Format(time.RFC3339), "ends_at": start.Add(2 * time.Hour).Format(time.RFC3339),
		"stream_url": "https://live.example.cn/room/7"}).JSON()["id"].(string)
	g := a.Graduate()
	a.MarkVerified(g.ID)
	a.Must(http.StatusCreated, "POST", "/api/v1/events/"+ev+"/registrations", g.Token, nil)
	m := mp.WaitForSubject(g.Email, "报名成功", 30*time.Second)
	for _, want := range []string{"在线观看无需签到", "watching online needs no check-in"} {
		if !strings.Contains(m.Text, want) || !strings.Contains(m.HTML, want) {
			t.Errorf("the livestream's mail lacks %q:\n%s\n%s", want, m.Text, m.HTML)
		}
	}
	if strings.Contains(m.Text, "入场时") || strings.Contains(m.Text, "At the door") {
		t.Errorf("the livestream's mail sends them to a door:\n%s", m.Text)
	}
	if page := newWebClient(t, a, g.Email).get("/me/events"); !strings.Contains(page, "在线观看无需签到") {
		t.Errorf("the livestream's registration on /me/events lacks the online wording")
	}
}

// A staff walk: a fair that moved could not be changed, nor one called off
// cancelled. Staff of its zone edit it on its card (a refused field comes
// back on the open form, nothing saved), and a new time or place is
// mailed to those registered; a cancellation with its reason takes the
// event's forms away, shows 已取消 on the card, the public page and the
// list, and 我的活动 shows no QR code for it.
//
// A walk read "N were mailed" counting registrants whose address is not
// verified, who get no mail: the count is of those mailed.
func TestStaffEditAndCancelAnEvent(t *testing.T) {
	w := newCheckinWorld(t, 72*time.Hour)
	w.register(t)
	a, ev := w.a, w.event
	a.Must(http.StatusCreated, "POST", "/api/v1/events/"+ev+"/registrations", a.Graduate().Token, nil)
	if st := a.Must(http.StatusOK, "GET", "/api/v1/events/"+ev, "", nil).JSON()["stats"].(map[string]any); st["registrations"] != 2.0 || st["registrations_mailable"] != 1.0 {
		t.Fatalf("two registered, one verified: %v", st)
	}
	staff := newWebClient(t, a, w.admin.Email)
	page := staff.get("/staff/events?lang=zh")
	if !strings.Contains(page, `id="ed-`+ev+`-f-title"`) || !strings.Contains(page, `value="成都高新区科研助理专场招聘会"`) {
		t.Fatal("the card has no edit form filled with the event")
	}
	before := a.Must(http.StatusOK, "GET", "/api/v1/events/"+ev, "", nil).JSON()
	start, _ := time.Parse(time.RFC3339, before["starts_at"].(string))
	local := func(t time.Time) string { return t.In(domain.Shanghai).Format("2006-01-02T15:04") }
	form := func(title string, start time.Time, location string) url.Values {
		return url.Values{"title": {title}, "starts_at": {local(start)}, "ends_at": {local(start.Add(3 * time.Hour))},
			"description": {"现场招聘"}, "location": {location}, "stream_url": {""}}
	}

	// A refused field: the form comes back open, with the values and the
	// reason beside the field; nothing is saved.
	st, page := staff.postPage("/staff/events/"+ev+"/edit", form("", start, "菁蓉汇 5 号馆"))
	if st != http.StatusUnprocessableEntity || !strings.Contains(page, `id="ed-`+ev+`-e-title"`) || !strings.Contains(page, `value="菁蓉汇 5 号馆"`) ||
		!strings.Contains(page, `data-testid="event-edit" open`) {
		t.Fatalf("an empty title: %d, no reason beside the open form", st)
	}
	// That page's address, opened again (Back, a copied link), is the card.
	if st, loc, _ := staff.status("/staff/events/" + ev + "/edit"); st != http.StatusSeeOther || !strings.Contains(loc, "#event-"+ev) {
		t.Errorf("GET of the edit form's address: %d %q", st, loc)
	}
	if got := a.Must(http.StatusOK, "GET", "/api/v1/events/"+ev, "", nil).JSON(); got["title"] != before["title"] || got["location"] != before["location"] {
		t.Fatalf("a refused edit saved: %v", got)
	}
	// Nobody outside the zone edits it.
	other := newWebClient(t, a, a.ZoneAdmin("sichuan-mianyang").Email)
	other.get("/staff/events")
	other.post("/staff/events/"+ev+"/edit", form("绵阳改的标题", start, "绵阳"))
	if got := flashOf(other.get("/staff/events")); got == "" || strings.HasPrefix(got, "✓") {
		t.Errorf("another zone's staff editing the event: %q, want a refusal", got)
	}
	if got := a.Must(http.StatusOK, "GET", "/api/v1/events/"+ev, "", nil).JSON()["title"]; got != before["title"] {
		t.Errorf("another zone's staff changed the title to %v", got)
	}
	grad := newWebClient(t, a, w.grad.Email)
	grad.get("/me/events")
	if st := grad.post("/staff/events/"+ev+"/cancel", url.Values{"reason": {"不想去了"}}); st != http.StatusForbidden {
		t.Errorf("a graduate cancelling: %d", st)
	}

	// Moved a day and to another hall: saved, and the one registered is mailed.
	moved := start.Add(24 * time.Hour)
	if st, page := staff.postPage("/staff/events/"+ev+"/edit", form("成都高新区科研助理专场招聘会", moved, "菁蓉汇 5 号馆")); st != http.StatusSeeOther {
		t.Fatalf("the edit: %d\n%s", st, page)
	}
	if got := flashOf(staff.get("/staff/events?at=" + ev)); got != "✓ 已保存修改，已邮件通知 1 位报名者。" {
		t.Errorf("after the move: %q", got)
	}
	if m := w.mp.WaitForSubject(w.grad.Email, "时间或地点有变", 30*time.Second); !strings.Contains(m.Text, "菁蓉汇 5 号馆") {
		t.Errorf("the change mail:\n%s", m.Text)
	}
	if got := a.Must(http.StatusOK, "GET", "/api/v1/events/"+ev, "", nil).JSON(); got["location"] != "菁蓉汇 5 号馆" || got["stream_url"] != nil {
		t.Errorf("after the edit: %v", got)
	}
	// The audit trail says what moved, in Beijing time and in words.
	trail := staff.get("/staff/audit?lang=zh")
	for _, want := range []string{"修改招聘活动", "地点", "菁蓉汇 5 号馆", "开始时间", local(moved)[:10] + " " + local(moved)[11:]} {
		if !strings.Contains(trail, want) {
			t.Errorf("the audit page lacks %q", want)
		}
	}

	// Province staff may check people in here, but the event is the
	// zone's: no edit or cancel form is offered to be refused.
	province := newWebClient(t, a, a.ProvinceAdmin("51").Email)
	if page := province.get("/staff/events"); strings.Contains(page, `action="/staff/events/`+ev+`/edit"`) || strings.Contains(page, `action="/staff/events/`+ev+`/cancel"`) {
		t.Error("province staff are offered the zone's edit or cancel form")
	}

	// Cancelled: a reason is needed (a refused one comes back in the open
	// form, not lost); then the card keeps its figures only.
	st, page = staff.postPage("/staff/events/"+ev+"/cancel", url.Values{"reason": {"修"}})
	if st != http.StatusUnprocessableEntity || !strings.Contains(page, `data-testid="event-cancel" open`) || !strings.Contains(page, ">修</textarea>") {
		t.Errorf("a one-character reason: %d, not back in the open form", st)
	}
	staff.post("/staff/events/"+ev+"/cancel", url.Values{"reason": {"场馆临时检修"}})
	page = staff.get("/staff/events?at=" + ev)
	if got := flashOf(page); got != "✓ 活动已取消，已邮件通知 1 位报名者。" {
		t.Errorf("after the cancellation: %q", got)
	}
	card := page[strings.Index(page, `id="event-`+ev+`"`):]
	card = card[:strings.Index(card, "</section>")]
	if !strings.Contains(card, `data-testid="event-cancelled"`) || !strings.Contains(card, "场馆临时检修") ||
		strings.Contains(card, `data-testid="event-edit"`) || strings.Contains(card, `data-testid="checkin-code"`) {
		t.Errorf("the cancelled event's card:\n%s", card)
	}
	w.mp.WaitForSubject(w.grad.Email, "活动已取消", 30*time.Second)

	// The graduate sees it cancelled everywhere, with no QR code to show.
	mine := grad.get("/me/events")
	if !strings.Contains(mine, "活动已取消") || !strings.Contains(mine, "场馆临时检修") || strings.Contains(mine, `data-testid="checkin-qr"`) {
		t.Error("我的活动 does not say the event was cancelled, or still shows its QR code")
	}
	if page := grad.get("/events/" + ev); !strings.Contains(page, `data-testid="event-cancelled"`) || strings.Contains(page, `data-testid="event-calendar"`) {
		t.Error("the event page does not say it was cancelled, or offers it for a calendar")
	}
	if page := grad.get("/events"); !strings.Contains(page, "已取消") {
		t.Error("the events list does not mark the event cancelled")
	}

	// An event set through the API to the second: its form shows the
	// minute, and saving a new description moves nothing and mails nobody.
	at := time.Now().Add(48 * time.Hour).Truncate(time.Minute).Add(30 * time.Second)
	second := a.Must(http.StatusCreated, "POST", "/api/v1/events", w.admin.Token, map[string]any{"kind": "job_fair", "title": "宣讲会",
		"zone_code": "sichuan-chengdu", "starts_at": at.Format(time.RFC3339), "ends_at": at.Add(time.Hour).Format(time.RFC3339)}).JSON()["id"].(string)
	a.Must(http.StatusCreated, "POST", "/api/v1/events/"+second+"/registrations", w.grad.Token, nil)
	staff.get("/staff/events")
	edit := url.Values{"title": {"宣讲会"}, "starts_at": {local(at)}, "ends_at": {local(at.Add(time.Hour))}, "description": {"新的介绍"}}
	staff.post("/staff/events/"+second+"/edit", edit)
	if got := flashOf(staff.get("/staff/events?at=" + second)); got != "✓ 已保存修改。" {
		t.Errorf("a new description of an event set to the second: %q", got)
	}
	if got := a.Must(http.StatusOK, "GET", "/api/v1/events/"+second, "", nil).JSON(); got["starts_at"] != at.UTC().Format(time.RFC3339) && got["starts_at"] != at.Format(time.RFC3339) {
		t.Errorf("its start moved to %v", got["starts_at"])
	}
}

// A graduate who can no longer come withdraws from 我的活动 (or the event's
// page) before check-in; the event page offers registration again.
func TestGraduateWithdrawsOnTheSite(t *testing.T) {
	w := newCheckinWorld(t, 72*time.Hour)
	w.a.Must(http.StatusCreated, "POST", "/api/v1/events/"+w.event+"/registrations", w.grad.Token, nil)
	g := newWebClient(t, w.a, w.grad.Email)
	if mine := g.get("/me/events"); !strings.Contains(mine, `action="/events/`+w.event+`/withdraw"`) {
		t.Fatal("我的活动 offers no way to withdraw")
	}
	if st := g.post("/events/"+w.event+"/withdraw", url.Values{"from": {"mine"}}); st != http.StatusSeeOther {
		t.Fatalf("withdrawing: %d", st)
	}
	if mine := g.get("/me/events"); flashOf(mine) != "✓ 已取消报名。" || strings.Contains(mine, `data-testid="my-event"`) {
		t.Errorf("after withdrawing, 我的活动 says %q", flashOf(mine))
	}
	// The mail takes the event out of the graduate's calendar (a walk
	// found the confirmation's entry kept).
	m := w.mp.WaitForSubject(w.grad.Email, "已取消报名", 30*time.Second)
	var cancels int
	for _, at := range m.Attachments {
		if at.FileName == "event.ics" && strings.Contains(string(at.Data), "METHOD:CANCEL") && strings.Contains(string(at.Data), "UID:event-"+w.event+"@") {
			cancels++
		}
	}
	if cancels != 1 {
		t.Errorf("the withdrawal mail has no calendar cancellation: %v", m.Attachments)
	}
	if page := g.get("/events/" + w.event); !strings.Contains(page, `action="/events/`+w.event+`/register"`) {
		t.Error("the event page does not offer registration again")
	}
	// Twice: refused in the reader's words, nothing changed.
	g.post("/events/"+w.event+"/withdraw", url.Values{})
	if got := flashOf(g.get("/events/" + w.event)); got == "" || strings.HasPrefix(got, "✓") {
		t.Errorf("withdrawing twice: %q", got)
	}
	// Registered again: confirmed again, with the new code (the first
	// confirmation's send key must not swallow it).
	w.a.Must(http.StatusCreated, "POST", "/api/v1/events/"+w.event+"/registrations", w.grad.Token, nil)
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		confirmations := 0
		for _, m := range w.mp.Messages(w.grad.Email) {
			if strings.Contains(m.Subject, "报名成功") {
				confirmations++
			}
		}
		if confirmations == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d confirmations after registering again, want 2", confirmations)
		}
	}
}

// A walk: an event under way (a fair open now, a livestream on air) looked,
// on the public list and on its page, like one still to come. It says
// 进行中 / On now; one to come, and one cancelled, do not.
func TestEventUnderWaySaysSo(t *testing.T) {
	w := newCheckinWorld(t, -time.Hour)
	a := w.a
	start := time.Now().Add(48 * time.Hour).Truncate(time.Minute)
	later := a.Must(http.StatusCreated, "POST", "/api/v1/events", w.admin.Token, map[string]any{"kind": "livestream", "title": "后天的直播带岗",
		"zone_code": "sichuan-chengdu", "starts_at": start.Format(time.RFC3339), "ends_at": start.Add(time.Hour).Format(time.RFC3339),
		"stream_url": "https://live.example.test/room/2"}).JSON()["id"].(string)
	for lang, want := range map[string]string{"zh": "进行中", "en": "On now"} {
		list := string(a.Must(http.StatusOK, "GET", "/events?lang="+lang, "", nil).Body)
		card := func(id string) string { return part(list, `href="/events/`+id+`"`, "</article>") }
		if now := part(card(w.event), `data-testid="event-on-now"`, "</span>"); !strings.Contains(now, want) {
			t.Errorf("%s: the list does not say the event under way is on now:\n%s", lang, card(w.event))
		}
		if strings.Contains(card(later), `data-testid="event-on-now"`) {
			t.Errorf("%s: the list says an event to come is on now", lang)
		}
		page := part(string(a.Must(http.StatusOK, "GET", "/events/"+w.event+"?lang="+lang, "", nil).Body), "<article", "</article>")
		if now := part(page, `data-testid="event-on-now"`, "</span>"); !strings.Contains(now, want) {
			t.Errorf("%s: the page of the event under way does not say it is on now:\n%s", lang, page)
		}
		if page := string(a.Must(http.StatusOK, "GET", "/events/"+later+"?lang="+lang, "", nil).Body); strings.Contains(page, `data-testid="event-on-now"`) {
			t.Errorf("%s: the page of an event to come says it is on now", lang)
		}
	}
	a.Must(http.StatusOK, "POST", "/api/v1/events/"+w.event+"/cancel", w.admin.Token, map[string]any{"reason": "场馆临时检修"})
	if page := string(a.Must(http.StatusOK, "GET", "/events/"+w.event, "", nil).Body); strings.Contains(page, `data-testid="event-on-now"`) {
		t.Error("a cancelled event says it is on now")
	}
}
