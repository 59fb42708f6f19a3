package webui_test

import (
	"context"
	_ "embed"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/gradzone/gradzone/internal/app"
	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/testutil"
)

// axe is axe-core, vendored (testdata/axe/README.md).
//
//go:embed testdata/axe/axe.min.js
var axe string

// axeRun checks the page against WCAG 2.1 A and AA and returns its serious
// and critical violations, one line each.
const axeRun = `axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}, resultTypes: ["violations"]})
  .then(r => r.violations.filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => v.impact + " " + v.id + ": " + v.help + " — " + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | ")))`

// Issue 15 item 9: every page of every role, at phone and desktop size, has
// no serious or critical WCAG 2.1 AA violation as axe-core finds them.
func TestBrowserAccessibility(t *testing.T) {
	a := testutil.NewApp(t)
	emp, admin, opening := a.PublishedOpening(map[string]any{"title": "人工智能算法科研助理"})
	a.Publish(emp, admin, map[string]any{"title": "生物医药科研助理", "industry": "biomedicine"})
	g, applicant := a.Applicant(opening, "您好")
	a.Must(http.StatusOK, "PUT", "/api/v1/me/saved-openings/"+opening, g.Token, nil)
	event, checkin := registeredEvent(t, a, admin.Token, g)
	// Interview times offered to the graduate (我的申请 shows them to pick,
	// the mail's link opens the pick page), and a second applicant
	// shortlisted, whose page shows the form offering times.
	pick, shortlisted := offerSlots(t, a, emp, applicant)
	a.WaitIndexed(30 * time.Second)
	province := a.ProvinceAdmin("51")
	ministry := a.MinistryAdmin()

	saved := a.Must(http.StatusCreated, "POST", "/api/v1/me/saved-searches", g.Token, map[string]any{"name": "成都 算法岗", "q": "算法"}).JSON()["id"].(string)
	unsubscribe := "/unsubscribe?token=" + url.QueryEscape(app.UnsubscribeLinkToken(a.Server.App.Links, saved, time.Now()))

	// A pending employer returned for correction: its workbench, its
	// correction form, and the staff page with the return form.
	pending := a.Employer("51", "sichuan-chengdu")
	a.Must(http.StatusOK, "POST", "/api/v1/employers/"+pending.EmployerID+"/return", admin.Token, map[string]any{"reason": "单位名称与营业执照不一致"})
	// And one waiting to be verified: the staff desk lists it in its queue.
	a.Employer("51", "sichuan-chengdu")

	// This round's pages: a full event whose waitlist the graduate is on
	// (its page and 我的活动 show the place), and a month's versions with
	// a note.
	full := a.Must(http.StatusCreated, "POST", "/api/v1/events", admin.Token, map[string]any{"kind": "job_fair", "title": "限额双选会",
		"zone_code": "sichuan-chengdu", "starts_at": time.Now().Add(72 * time.Hour).Format(time.RFC3339),
		"ends_at": time.Now().Add(74 * time.Hour).Format(time.RFC3339), "capacity": 1}).JSON()["id"].(string)
	a.Must(http.StatusCreated, "POST", "/api/v1/events/"+full+"/registrations", a.Graduate().Token, nil)
	a.Must(http.StatusCreated, "POST", "/api/v1/events/"+full+"/waitlist", g.Token, nil)
	lastYear := time.Now().Year() - 1
	a.Must(http.StatusOK, "POST", "/api/v1/reports/monthly/submit", admin.Token, map[string]any{"zone": "sichuan-chengdu", "year": lastYear, "month": 7, "note": "本月新增岗位系补录。"})
	versions := "/staff/reports/versions?zone=sichuan-chengdu&year=" + strconv.Itoa(lastYear) + "&month=7"

	public := []string{"/", "/?q=" + "科研助理", "/openings/" + opening, "/employers/" + emp.EmployerID, "/events", "/events/" + event, "/login", "/register",
		"/forgot-password", "/reset-password?token=x", "/verify-email?token=x", "/privacy", "/no-such-page", pick, unsubscribe}
	roles := []struct {
		email string
		pages []string
	}{
		{"", public},
		{g.Email, []string{"/me", "/me/saved", "/me/events", "/events/" + full, "/?q=" + "科研助理", "/notifications", "/account", "/account/notifications", "/account/privacy",
			"/account/sessions", "/openings/" + opening, "/employer" /* the styled 403 */}},
		{emp.Email, []string{"/employer", "/employer/openings/" + opening, "/employer/applications/" + applicant, "/employer/applications/" + shortlisted, "/notifications", "/account"}},
		{pending.Email, []string{"/employer", "/employer/organisation"}},
		{admin.Email, []string{"/staff", "/staff/reports", "/staff/events", "/staff/events/" + event + "/registrants", "/staff/imports", "/staff/audit", "/staff/employers", "/staff/employers/" + emp.EmployerID,
			"/staff/employers/" + pending.EmployerID, checkin, "/account/totp", versions}},
		{province.Email, []string{"/staff", "/staff/reports", "/staff/targets", versions}},
		{ministry.Email, []string{"/staff", "/admin/status", "/staff/targets", "/staff/targets?province=51"}},
	}
	// One browser per size; each role signs in and out in turn.
	for _, size := range []struct {
		name string
		w, h int64
	}{{"phone", 390, 844}, {"desktop", 1366, 768}} {
		ctx := browser(t, int(size.w), int(size.h))
		do(t, ctx, chromedp.EmulateViewport(size.w, size.h))
		if size.name == "phone" {
			axeFindsPlantedViolation(t, ctx, a.URL)
		}
		for _, role := range roles {
			who := "visitor"
			if role.email != "" {
				who = role.email[:strings.Index(role.email, "@")]
				login(t, ctx, a.URL, role.email, testutil.Password)
			}
			for _, path := range role.pages {
				for _, v := range axeViolations(t, ctx, a.URL+path) {
					t.Errorf("%s, %s, %s: %s", size.name, who, path, v)
				}
				for _, v := range query(t, ctx, "the outline of "+path, chromedp.Evaluate[[]string](outlineFaults)) {
					t.Errorf("%s, %s, %s: %s", size.name, who, path, v)
				}
			}
			if role.email != "" {
				logout(t, ctx)
			}
		}
	}
}

// outlineFaults is what a screen reader's outline of the page lacks, beyond
// axe's rules (an audit): one h1, headings that skip no level going down,
// and column or row headers in every table (the staff desk's queue of
// employers to verify had none: its credit code and type columns were
// nameless to a reader moving through the table).
const outlineFaults = `(() => {
  const out = [], h1 = document.querySelectorAll("h1").length;
  if (h1 !== 1) out.push(h1 + " h1 headings");
  let prev = 0;
  for (const h of document.querySelectorAll("h1, h2, h3, h4, h5, h6")) {
    const level = +h.tagName[1];
    if (prev && level > prev + 1) out.push("heading h" + level + " after h" + prev + ": " + h.textContent.trim().slice(0, 30));
    prev = level;
  }
  for (const t of document.querySelectorAll("table"))
    if (!t.querySelector("th")) out.push("a table without headers: " + t.textContent.trim().slice(0, 40));
  return out;
})()`

// registeredEvent is a Chengdu event g is registered for and the check-in
// page its QR code opens (as zone staff see it): the first listed event
// when there is one (the demo data's), else a livestream tomorrow created by
// zone staff (zoneToken).
func registeredEvent(t *testing.T, a *testutil.App, zoneToken string, g testutil.Account) (id, checkin string) {
	t.Helper()
	var ends string
	if items := a.Must(http.StatusOK, "GET", "/api/v1/events?zone=sichuan-chengdu", "", nil).JSON()["items"].([]any); len(items) > 0 {
		e := items[0].(map[string]any)
		id, ends = e["id"].(string), e["ends_at"].(string)
	} else {
		now := time.Now()
		ends = now.Add(26 * time.Hour).Format(time.RFC3339)
		id = a.Must(http.StatusCreated, "POST", "/api/v1/events", zoneToken, map[string]any{"kind": "livestream", "title": "成都高新区直播带岗",
			"zone_code": "sichuan-chengdu", "starts_at": now.Add(24 * time.Hour).Format(time.RFC3339), "ends_at": ends,
			"description": "线上直播", "stream_url": "https://live.example.cn/room/1"}).JSON()["id"].(string)
	}
	if r := a.Do("POST", "/api/v1/events/"+id+"/registrations", g.Token, nil); r.Status != http.StatusCreated && r.Status != http.StatusConflict {
		t.Fatalf("register for event %s: %d", id, r.Status)
	}
	end, err := time.Parse(time.RFC3339, ends)
	if err != nil {
		t.Fatal(err)
	}
	return id, "/checkin?token=" + url.QueryEscape(app.CheckinToken(a.Server.App.Links, id, g.ID, end))
}

// axeViolations opens url and returns axe's serious and critical findings.
func axeViolations(t *testing.T, ctx context.Context, url string) []string {
	t.Helper()
	do(t, ctx, chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS(`main`)))
	return runAxe(t, ctx)
}

func runAxe(t *testing.T, ctx context.Context) []string {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](axe+";true")); err != nil {
		t.Fatalf("inject axe: %v", err)
	}
	found, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("run axe: %v", err)
	}
	return found
}

// axeFindsPlantedViolation shows the check can fail: an image without alt
// text and a field without a label, planted into a real page, are found.
func axeFindsPlantedViolation(t *testing.T, ctx context.Context, base string) {
	t.Helper()
	do(t, ctx, chromedp.Navigate(base+"/login"), chromedp.WaitVisible(chromedp.CSS(`main`)))
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector("main").insertAdjacentHTML("beforeend", '<img src="/favicon.ico"><input type="text">'); true`)); err != nil {
		t.Fatal(err)
	}
	found := strings.Join(runAxe(t, ctx), "\n")
	if !strings.Contains(found, "image-alt") || !strings.Contains(found, "label") {
		t.Fatalf("axe missed planted violations; it found: %s", found)
	}
}

// offerSlots offers two interview times for application appID and
// shortlists a second graduate's application to the same opening.
// It returns the path of the mailed link that picks the first time, and the
// shortlisted application: the pages of slots, for the page walks.
func offerSlots(t *testing.T, a *testutil.App, emp testutil.Account, appID string) (pickPath, shortlisted string) {
	t.Helper()
	a.Must(http.StatusOK, "POST", "/api/v1/applications/"+appID+"/transitions", emp.Token, map[string]any{"to": "shortlisted"})
	start := time.Now().Add(72 * time.Hour).Truncate(time.Hour)
	var offer []any
	for i := 0; i < 2; i++ {
		s := start.Add(time.Duration(2*i) * time.Hour)
		offer = append(offer, map[string]any{"starts_at": s.Format(time.RFC3339), "ends_at": s.Add(time.Hour).Format(time.RFC3339), "location": "菁蓉汇 A 座 50" + strconv.Itoa(i+1)})
	}
	got := a.Must(http.StatusOK, "POST", "/api/v1/applications/"+appID+"/transitions", emp.Token, map[string]any{"to": "interview", "interview_slots": offer}).JSON()
	slot := got["interview_slots"].([]any)[0].(map[string]any)["id"].(string)
	pickPath = "/interview/pick?token=" + url.QueryEscape(app.PickLinkToken(a.Server.App.Links, slot, start))
	opening := got["opening_id"].(string)
	g2 := a.Graduate()
	shortlisted = a.Apply(g2, opening, "您好")
	a.Must(http.StatusOK, "POST", "/api/v1/applications/"+shortlisted+"/transitions", emp.Token, map[string]any{"to": "shortlisted"})
	return pickPath, shortlisted
}

// A keyboard walk found the site's 3 px focus ring on links, buttons and
// fields only: a <summary> (编辑岗位, 安排面试) and the scrolling table of
// the desk had the browser's thin ring. Everything focusable has it.
func TestBrowserEveryFocusRingShows(t *testing.T) {
	a := testutil.NewApp(t)
	emp, _, id := a.PublishedOpening(nil)
	a.Applicant(id, "您好")
	ctx := browser(t, 1280, 900)
	login(t, ctx, a.URL, emp.Email, testutil.Password)
	ring := func(sel string) string {
		return js(t, ctx, `(() => { const e = document.querySelector('`+sel+`'); if (!e) return "missing"; e.focus();
			const s = getComputedStyle(e); return s.outlineStyle + " " + s.outlineWidth; })()`)
	}
	do(t, ctx, chromedp.Navigate(a.URL+"/employer/openings/"+id), chromedp.WaitVisible(chromedp.CSS(`details summary`)))
	if got := ring(`details summary`); got != "solid 3px" {
		t.Errorf("a summary's focus ring: %s", got)
	}
	do(t, ctx, chromedp.Navigate(a.URL+"/employer"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="my-opening"]`)))
	if got := ring(`[tabindex="0"]`); got != "solid 3px" {
		t.Errorf("the desk table's focus ring: %s", got)
	}
	// The header's links scroll sideways on a phone, which clipped a ring
	// drawn outside them (a walk): there it is drawn inside.
	if got := js(t, ctx, `(() => { const e = document.querySelector('header.top nav.main a'); e.focus();
		return getComputedStyle(e).outlineOffset; })()`); got != "-3px" {
		t.Errorf("the header's focus ring is drawn %s outside its link", got)
	}
}

// A keyboard walk: after 入围 on the board (a full-page post) focus went
// back to the top, 17 tabs from the card. The page returns to the card that
// moved, and the keyboard is on it.
func TestBrowserFocusReturnsToTheMovedCard(t *testing.T) {
	a := testutil.NewApp(t)
	emp, _, id := a.PublishedOpening(map[string]any{"headcount": 3})
	a.Applicant(id, "您好")
	_, app := a.Applicant(id, "您好")
	ctx := browser(t, 1280, 900)
	login(t, ctx, a.URL, emp.Email, testutil.Password)
	card := `#app-` + app
	do(t, ctx, chromedp.Navigate(a.URL+"/employer/openings/"+id), chromedp.WaitVisible(chromedp.CSS(card)))
	submit(t, ctx, card+` button[value="shortlisted"]`)
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`.flash`)))
	if got := js(t, ctx, `document.activeElement.id`); got != "app-"+app {
		t.Errorf("focus after shortlisting is on %q, want the card app-%s", got, app)
	}
	// The message of the move is read with the card the keyboard is on
	// (the page's live region, there as it loads, is not announced).
	if got := js(t, ctx, `(document.activeElement.getAttribute("aria-describedby") || "").split(" ").map(id => (document.getElementById(id) || {}).textContent || "").join(" ")`); !strings.Contains(got, "入围") {
		t.Errorf("the card in focus is described by %q, not the message of its move", got)
	}
}

// An accessibility audit tabbed out of the phone's open filter drawer into
// the results hidden behind it, and Esc did nothing. Open, the drawer is a
// modal dialog whose page behind is inert; Esc closes it, back to its link.
func TestBrowserFilterDrawerKeepsTheKeyboard(t *testing.T) {
	a := testutil.NewApp(t)
	a.PublishedOpening(nil)
	a.WaitIndexed(30 * time.Second)
	ctx := browser(t, 390, 844)
	do(t, ctx, chromedp.Navigate(a.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="filters-open"]`)))
	do(t, ctx, chromedp.Click(chromedp.CSS(`[data-testid="filters-open"]`)), chromedp.WaitVisible(chromedp.CSS(`#filters[role="dialog"]`)))
	for i := 0; i < 40; i++ {
		do(t, ctx, chromedp.KeyEvent("\t"))
		// Past its last link the keyboard may leave the page for the
		// browser's own controls (body), never for the page behind.
		if inside := js(t, ctx, `String(document.activeElement === document.body || !!document.activeElement.closest("#filters"))`); inside != "true" {
			t.Fatalf("tab %d left the open drawer for %s", i+1, js(t, ctx, `document.activeElement.outerHTML.slice(0, 80)`))
		}
	}
	do(t, ctx, chromedp.KeyEvent("\u001b")) // Esc
	do(t, ctx, chromedp.WaitNotVisible(chromedp.CSS(`#filters`)))
	// The drawer hides with the address's change; the keyboard goes back
	// in the hashchange handler, a moment later (a full run read it first).
	got := ""
	for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if got = js(t, ctx, `document.activeElement.dataset.testid || ""`); got == "filters-open" {
			break
		}
	}
	if got != "filters-open" {
		t.Errorf("after Esc the keyboard is on %q, want the drawer's link", got)
	}
	if inert := js(t, ctx, `String(document.querySelector("main").closest("[inert]") !== null || document.querySelector("header").inert)`); inert != "false" {
		t.Error("the page stays inert after the drawer closed")
	}
}

// WCAG's reflow is read at 320 CSS px (1.4.10), narrower than the phones
// the walks use (375, 390): an audit found the staff page of an employer
// 14 px wider than such a screen, its 18-digit credit code on one line
// beside its label. Pages of each role fit 320 px in both languages.
func TestBrowserReflowsAt320(t *testing.T) {
	a := testutil.NewApp(t)
	emp, admin, opening := a.PublishedOpening(nil)
	g, applicant := a.Applicant(opening, "您好")
	pending := a.Employer("51", "sichuan-chengdu")
	ctx := browser(t, 320, 640)
	for _, role := range []struct {
		email string
		pages []string
	}{
		{g.Email, []string{"/openings/" + opening, "/me", "/account"}},
		{emp.Email, []string{"/employer", "/employer/openings/" + opening, "/employer/applications/" + applicant}},
		{admin.Email, []string{"/staff", "/staff/employers", "/staff/employers/" + emp.EmployerID, "/staff/employers/" + pending.EmployerID}},
	} {
		login(t, ctx, a.URL, role.email, testutil.Password)
		for _, lang := range []string{"zh", "en"} {
			for _, path := range role.pages {
				sep := "?"
				if strings.Contains(path, "?") {
					sep = "&"
				}
				do(t, ctx, chromedp.Navigate(a.URL+path+sep+"lang="+lang), chromedp.WaitVisible(chromedp.CSS(`main`)))
				noSidewaysScroll(t, ctx)
			}
		}
		logout(t, ctx)
	}
}

// tabTo presses Tab until the keyboard is on sel (at most 60 times).
func tabTo(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	for i := 0; i < 60; i++ {
		do(t, ctx, chromedp.KeyEvent("\t"))
		if js(t, ctx, `String(document.activeElement.matches('`+sel+`'))`) == "true" {
			return
		}
	}
	t.Fatalf("60 tabs never reached %s", sel)
}

// A keyboard walk of two flows: a graduate applied with 立即申请 and a
// reviewer approved an opening with Enter, and each new page put the
// keyboard at its very top, ten tabs of header above the page, with its
// message (申请已提交…) in a live region that was there as the page
// loaded, which a screen reader does not announce. The keyboard goes on
// from the message, which is read as it lands there.
func TestBrowserKeyboardGoesOnFromTheMessage(t *testing.T) {
	a := testutil.NewApp(t)
	emp, admin, opening := a.PublishedOpening(nil)
	review := a.Must(http.StatusCreated, "POST", "/api/v1/openings", emp.Token, testutil.OpeningBody(nil)).JSON()["id"].(string)
	a.Must(http.StatusOK, "POST", "/api/v1/openings/"+review+"/submit", emp.Token, nil)
	g := a.Graduate()
	ctx := browser(t, 1280, 900)
	onMessage := func(flow, want string) {
		t.Helper()
		if got := js(t, ctx, `document.activeElement.id + " " + (document.activeElement.getAttribute("role") || "")`); got != "flash status" {
			t.Errorf("%s: the keyboard is on %q, not the message", flow, got)
		}
		if msg := text(t, ctx, `#flash`); !strings.Contains(msg, want) {
			t.Errorf("%s: the message says %q", flow, msg)
		}
		// The next Tab goes on in the page, below the message.
		do(t, ctx, chromedp.KeyEvent("\t"))
		if in := js(t, ctx, `String(!!document.activeElement.closest("main") && !!(document.getElementById("flash").compareDocumentPosition(document.activeElement) & Node.DOCUMENT_POSITION_FOLLOWING))`); in != "true" {
			t.Errorf("%s: Tab after the message went to %s", flow, js(t, ctx, `document.activeElement.outerHTML.slice(0, 80)`))
		}
	}

	login(t, ctx, a.URL, g.Email, testutil.Password)
	do(t, ctx, chromedp.Navigate(a.URL+"/openings/"+opening), chromedp.WaitVisible(chromedp.CSS(`[data-testid="apply-button"]`)))
	tabTo(t, ctx, `textarea[name="cover_letter"]`)
	do(t, ctx, chromedp.KeyEvent("您好，我想申请这个岗位。"))
	tabTo(t, ctx, `[data-testid="apply-button"]`)
	newPageAfter(t, ctx, "Enter on 立即申请", chromedp.KeyEvent("\r"))
	onMessage("applying", "申请已提交")
	logout(t, ctx)

	login(t, ctx, a.URL, admin.Email, testutil.Password)
	do(t, ctx, chromedp.Navigate(a.URL+"/staff"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="approve-opening"]`)))
	tabTo(t, ctx, `[data-testid="approve-opening"]`)
	newPageAfter(t, ctx, "Enter on 审核通过", chromedp.KeyEvent("\r"))
	onMessage("approving", "已通过审核并发布")
	if st := a.Must(http.StatusOK, "GET", "/api/v1/openings/"+review, admin.Token, nil).JSON()["status"]; st != "published" {
		t.Errorf("the approved opening is %v", st)
	}
	// Revoking a placement returns to its row (#placement-…), where the
	// page stays: the keyboard is on the row, which the message describes.
	g2, hired := a.Applicant(opening, "您好")
	placement := a.Hire(emp.Token, g2.Token, hired, domain.DateOf(time.Now()).String()).JSON()["placement_id"].(string)
	do(t, ctx, chromedp.Navigate(a.URL+"/staff/placements"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="revoke-open"]`)))
	accept := &atomic.Bool{}
	accept.Store(true)
	answerDialogs(ctx, accept)
	do(t, ctx, chromedp.Click(chromedp.CSS(`[data-testid="revoke-open"]`)), chromedp.SendKeys(chromedp.CSS(`[data-testid="revoke-form"] input[name=reason]`), "录用信息录入有误"))
	newPageAfter(t, ctx, "Enter in the revoke reason", chromedp.KeyEvent("\r"))
	if got := js(t, ctx, `document.activeElement.id + " " + (document.activeElement.getAttribute("aria-describedby") || "")`); got != "placement-"+placement+" flash" {
		t.Errorf("after revoking, the keyboard is on %q, not the row described by the message", got)
	}
	if msg := text(t, ctx, `#flash`); !strings.Contains(msg, "撤销") {
		t.Errorf("after revoking, the message says %q", msg)
	}
	// A field in error keeps the keyboard (the message is tied to it).
	do(t, ctx, chromedp.Navigate(a.URL+"/account"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="change-password-submit"]`)))
	do(t, ctx, chromedp.SendKeys(chromedp.CSS(`input[name="current_password"]`), "wrong-password-1"), chromedp.SendKeys(chromedp.CSS(`input[name="new_password"]`), "another-password-2"))
	submit(t, ctx, `[data-testid="change-password-submit"]`)
	if f := focused(t, ctx); f != "current_password" {
		t.Errorf("after a refused password change the keyboard is on %q", f)
	}
}
