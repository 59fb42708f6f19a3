package webui_test

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	cdpfetch "github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/testutil"
)

// Issue 15 item 4, saved jobs (收藏), at phone size: a graduate saves an
// opening from a search card and from the opening page (plain form posts,
// no script needed), finds both under 我的 → 收藏, sees one shown closed
// after its employer closes it, and removes one from the list.
func TestBrowserSavedJobs(t *testing.T) {
	a := testutil.NewApp(t)
	emp, admin, first := a.PublishedOpening(map[string]any{"title": "量子计算科研助理"})
	second := a.Publish(emp, admin, map[string]any{"title": "储能材料科研助理"})
	a.WaitIndexed(30 * time.Second)
	g := a.Graduate()
	ctx := browser(t, 390, 844)
	login(t, ctx, a.URL, g.Email, testutil.Password)

	// From a search card: the page comes back to the same search, the card now saved.
	do(t, ctx, chromedp.Navigate(a.URL+"/?q="+url.QueryEscape("量子计算")))
	waitCards(t, ctx, 1)
	submit(t, ctx, `[data-testid="opening-card"] [data-testid="save-toggle"]`)
	if got := text(t, ctx, `[data-testid="opening-card"] [data-testid="save-toggle"]`); !strings.Contains(got, "已收藏") {
		t.Fatalf("search card after saving: %q", got)
	}
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	if !strings.Contains(loc, "q=") {
		t.Fatalf("saving from a search card left the search: %s", loc)
	}

	// From the opening page. A walk typed a cover letter, pressed 收藏
	// above it, and the page came back with the letter gone: the page keeps
	// what was typed.
	do(t, ctx, chromedp.Navigate(a.URL+"/openings/"+second), chromedp.WaitVisible(chromedp.CSS(`[data-testid="save-toggle"]`)),
		chromedp.SendKeys(`#cover`, "我做过两年储能材料实验。"))
	submit(t, ctx, `[data-testid="save-toggle"]`)
	if got := text(t, ctx, `[data-testid="save-toggle"]`); !strings.Contains(got, "已收藏") {
		t.Fatalf("opening page after saving: %q", got)
	}
	if got := value(t, ctx, `#cover`); got != "我做过两年储能材料实验。" {
		t.Errorf("the cover letter after 收藏: %q", got)
	}
	// Signing out forgets it (a shared computer: a review).
	js(t, ctx, `(() => { document.querySelector('form[action="/logout"]').requestSubmit(); return "sent"; })()`)
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`header a[href^="/login"]`)))
	if kept := js(t, ctx, `String(Object.keys(sessionStorage).filter(k => k.startsWith("gz-cover:")).length)`); kept != "0" {
		t.Errorf("%s cover letters kept after signing out", kept)
	}
	login(t, ctx, a.URL, g.Email, testutil.Password)

	// The list under 我的, with the closed one marked.
	a.Must(http.StatusOK, "POST", "/api/v1/openings/"+first+"/close", emp.Token, nil)
	do(t, ctx, chromedp.Navigate(a.URL+"/me"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="saved-link"]`)))
	submit(t, ctx, `[data-testid="saved-link"]`)
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`[data-testid="saved-opening"]`)))
	cards := texts(t, ctx, `[data-testid="saved-opening"]`)
	if len(cards) != 2 || !strings.Contains(cards[0], "储能材料") || !strings.Contains(cards[1], "量子计算") || !strings.Contains(cards[1], "已结束招聘") || strings.Contains(cards[0], "已结束招聘") {
		t.Fatalf("saved list (last saved first, closed marked): %q", cards)
	}
	submit(t, ctx, `[data-testid="saved-opening"] [data-testid="save-toggle"]`)
	if n := a.Must(http.StatusOK, "GET", "/api/v1/me/saved-openings", g.Token, nil).JSON()["total"].(float64); n != 1 {
		t.Fatalf("after removing one: %v saved", n)
	}
	noSidewaysScroll(t, ctx)
}

// texts is the visible text of every element sel matches, in page order.
func texts(t *testing.T, ctx context.Context, sel string) []string {
	t.Helper()
	out, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll(`+strconv.Quote(sel)+`)].map(e => e.innerText)`))
	if err != nil {
		t.Fatalf("texts of %s: %v", sel, err)
	}
	return out
}

// noSidewaysScroll fails when the page is wider than the phone screen.
func noSidewaysScroll(t *testing.T, ctx context.Context) {
	t.Helper()
	width, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth - window.innerWidth`))
	if err != nil || width > 0 {
		loc, _ := chromedp.Run(ctx, chromedp.Location())
		t.Errorf("%s scrolls sideways by %d px (%v)", loc, width, err)
	}
}

// A probe on a phone: staff lists of records (the audit log, the employers)
// scrolled sideways inside their box, a column at a time. On a phone each
// row is a card of labelled lines, and nothing scrolls sideways.
func TestBrowserStaffListsFitAPhone(t *testing.T) {
	a := testutil.NewApp(t)
	emp := a.Employer("51", "sichuan-chengdu")
	admin := a.ZoneAdmin("sichuan-chengdu")
	a.Must(http.StatusOK, "POST", "/api/v1/employers/"+emp.EmployerID+"/verify", admin.Token, nil)
	pending := a.Employer("51", "sichuan-chengdu")
	// An operator's lines name a staff account by its whole address, the
	// longest words of the list (a walk's desktop had its times in three
	// lines beside them).
	colleague := a.ZoneAdmin("sichuan-chengdu")
	if _, _, err := a.Server.Accounts.DisableStaff(context.Background(), colleague.Email); err != nil {
		t.Fatal(err)
	}
	ctx := browser(t, 390, 844)
	login(t, ctx, a.URL, admin.Email, testutil.Password)
	for _, path := range []string{"/staff/audit", "/staff/employers", "/staff/employers/" + emp.EmployerID} {
		do(t, ctx, chromedp.Navigate(a.URL+path), chromedp.WaitVisible(chromedp.CSS(`table.stack`)))
		over, err := chromedp.Run(ctx, chromedp.Evaluate[int](`Math.max(...[...document.querySelectorAll('.table-wrap')].map(w => w.scrollWidth - w.clientWidth))`))
		if err != nil || over > 0 {
			t.Errorf("%s: a list scrolls sideways by %d px (%v)", path, over, err)
		}
		labels, err := chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector('table.stack td[data-label]'), '::before').content`))
		if err != nil || labels == "none" || labels == "" {
			t.Errorf("%s: a cell is not under its column's name: %q (%v)", path, labels, err)
		}
		noSidewaysScroll(t, ctx)
	}
	// The way back above the employer's page is a whole tap target (a walk
	// measured such links 23 px high).
	if h, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.querySelector('a.back').getBoundingClientRect().height`)); err != nil || h < 43.5 {
		t.Errorf("the way back is %.0f px high (%v), want 44", h, err)
	}
	// A pending employer's reason boxes (reject, return for correction)
	// take the row's width on a phone: a walk read "需要单位修改的内", and
	// another found them no wider than their button once they had a label.
	for _, lang := range []string{"zh", "en"} {
		do(t, ctx, chromedp.Navigate(a.URL+"/staff/employers/"+pending.EmployerID+"?lang="+lang), chromedp.WaitVisible(chromedp.CSS(`input[name=reason]`)))
		if narrow := js(t, ctx, `[...document.querySelectorAll("input[name=reason]")].filter(i =>
			i.getBoundingClientRect().width < i.closest(".row").getBoundingClientRect().width * 0.8).length + ""`); narrow != "0" {
			t.Errorf("%s: %s reason boxes narrower than their row on a phone", lang, narrow)
		}
	}
	// On a desktop the button beside a reason is as wide as its words: a
	// walk found 退回 as wide as the box the reason is typed in.
	wide := browser(t, 1280, 900)
	login(t, wide, a.URL, admin.Email, testutil.Password)
	do(t, wide, chromedp.Navigate(a.URL+"/staff/employers/"+pending.EmployerID), chromedp.WaitVisible(chromedp.CSS(`input[name=reason]`)))
	if wide := js(t, wide, `[...document.querySelectorAll(".row input[name=reason]")].filter(i => {
		const b = i.closest(".row").querySelector("button"); return !b || b.getBoundingClientRect().width > i.getBoundingClientRect().width / 2;
	}).map(i => i.closest(".row").querySelector("button").textContent.trim()).join(", ")`); wide != "" {
		t.Errorf("on a desktop these buttons are as wide as their reason box: %s", wide)
	}
	// The audit list's times are one line each on a desktop ("2026-",
	// "12-06", "13:48" read badly: a walk), and the list still fits a
	// 375 px phone.
	for _, size := range []struct{ w, h int }{{1280, 900}, {375, 800}} {
		ctx := wide
		if size.w != 1280 {
			ctx = browser(t, size.w, size.h)
			login(t, ctx, a.URL, admin.Email, testutil.Password)
		}
		for _, lang := range []string{"zh", "en"} {
			do(t, ctx, chromedp.Navigate(a.URL+"/staff/audit?lang="+lang), chromedp.WaitVisible(chromedp.CSS(`[data-testid="audit-row"]`)))
			if lines := js(t, ctx, `String(Math.max(...[...document.querySelectorAll('[data-testid="audit-row"] td:first-child')].map(td => {
				const r = document.createRange(); r.selectNodeContents(td);
				return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size;
			})))`); lines != "1" {
				t.Errorf("%s at %d px: an audit time takes %s lines", lang, size.w, lines)
			}
			// A date in the changes column stays whole too: a walk read
			// 「停用时间：— → 2026-」 over 「12-06 16:07」 at 1280 px.
			if broken := js(t, ctx, brokenDateTimes(`[data-testid="audit-row"] td:last-child`)); broken != "" {
				t.Errorf("%s at %d px: these audit changes break inside a date-time: %s", lang, size.w, broken)
			}
			if over := js(t, ctx, `String(Math.max(document.documentElement.scrollWidth - innerWidth, ...[...document.querySelectorAll('.table-wrap')].map(w => w.scrollWidth - w.clientWidth)))`); over != "0" {
				t.Errorf("%s at %d px: the audit list scrolls sideways by %s px", lang, size.w, over)
			}
		}
	}
}

// scrollsInside is how many pixels the .table-wrap around sel scrolls
// sideways inside its box ("0": it fits).
func scrollsInside(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	return js(t, ctx, `(w => String(w.scrollWidth - w.clientWidth))(document.querySelector('`+sel+`').closest('.table-wrap'))`)
}

// A walk on a 375 px phone: an opening sent back after a return showed
// its changes as a table wider than the card, so "Now", the new value the
// reviewer has to judge, sat off the screen and the caption read "Changed
// since it was returne". The table fits; nothing scrolls inside it.
func TestBrowserPhoneReviewChangesFit(t *testing.T) {
	a := testutil.NewApp(t)
	emp, admin := a.Publisher()
	id := a.Must(http.StatusCreated, "POST", "/api/v1/openings", emp.Token, testutil.OpeningBody(map[string]any{"title": "数据标注助理"})).JSON()["id"].(string)
	a.Must(http.StatusOK, "POST", "/api/v1/openings/"+id+"/submit", emp.Token, nil)
	a.Must(http.StatusOK, "POST", "/api/v1/openings/"+id+"/reject", admin.Token, map[string]any{"reason": "薪资范围与岗位描述不符"})
	a.Must(http.StatusOK, "PATCH", "/api/v1/openings/"+id, emp.Token, map[string]any{"salary_min": 7000})
	a.Must(http.StatusOK, "POST", "/api/v1/openings/"+id+"/submit", emp.Token, nil)
	ctx := browser(t, 375, 812)
	login(t, ctx, a.URL, admin.Email, testutil.Password)
	for _, path := range []string{"/staff", "/openings/" + id} {
		for _, lang := range []string{"zh", "en"} {
			do(t, ctx, chromedp.Navigate(a.URL+path+"?lang="+lang), chromedp.WaitVisible(chromedp.CSS(`[data-testid="review-changes"]`)))
			if over := scrollsInside(t, ctx, `[data-testid="review-changes"]`); over != "0" {
				t.Errorf("%s %s: the review's changes scroll sideways by %s px inside their box", path, lang, over)
			}
			noSidewaysScroll(t, ctx)
		}
	}
}

// brokenDateTimes is a script that lists the date-times ("2026-12-06
// 16:07") inside the elements sel matches that stand on more than one line.
func brokenDateTimes(sel string) string {
	return `[...document.querySelectorAll(` + strconv.Quote(sel) + `)].flatMap(e => {
		const w = document.createTreeWalker(e, NodeFilter.SHOW_TEXT), out = [];
		for (let n; (n = w.nextNode());) for (const m of n.data.matchAll(/\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?/g)) {
			const r = document.createRange(); r.setStart(n, m.index); r.setEnd(n, m.index + m[0].length);
			if (new Set([...r.getClientRects()].filter(x => x.width > 0).map(x => Math.round(x.top))).size > 1) out.push(m[0]);
		}
		return out;
	}).join(", ")`
}

// cutPlaceholders lists the placeholders of the fields sel matches that
// are wider than their field, so a reader sees only their start.
func cutPlaceholders(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	return js(t, ctx, `[...document.querySelectorAll(`+strconv.Quote(sel)+`)].filter(i => {
		const s = getComputedStyle(i), c = document.createElement("canvas").getContext("2d"); c.font = s.font;
		return c.measureText(i.placeholder).width > i.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
	}).map(i => i.placeholder).join(", ")`)
}

// A walk on a phone: a signed-in header took three rows (the name, the
// links, then sign-out and the language), a fifth of the screen. On a
// phone it is two: the name beside the language switch, then the links on
// one line, which scrolls sideways inside itself if the words are long.
func TestBrowserPhoneHeaderTwoRows(t *testing.T) {
	a := testutil.NewApp(t)
	admin := a.ZoneAdmin("sichuan-chengdu")
	ctx := browser(t, 390, 844)
	login(t, ctx, a.URL, admin.Email, testutil.Password)
	for _, lang := range []string{"zh", "en"} {
		do(t, ctx, chromedp.Navigate(a.URL+"/staff?lang="+lang), chromedp.WaitVisible(chromedp.CSS(`header.top form`)))
		rows, err := chromedp.Run(ctx, chromedp.Evaluate[int](headerRows))
		if err != nil || rows > 2 {
			t.Errorf("%s: the signed-in header takes %d rows on a phone, want 2 (%v)", lang, rows, err)
		}
		if h, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.querySelector("header.top").getBoundingClientRect().height`)); err != nil || h > 120 {
			t.Errorf("%s: the header is %.0f px high on a phone (%v)", lang, h, err)
		}
		noSidewaysScroll(t, ctx)
	}
	// On a desktop the header stays one row.
	do(t, ctx, chromedp.EmulateViewport(1366, 768), chromedp.Navigate(a.URL+"/staff?lang=zh"), chromedp.WaitVisible(chromedp.CSS(`header.top form`)))
	if rows, err := chromedp.Run(ctx, chromedp.Evaluate[int](headerRows)); err != nil || rows != 1 {
		t.Errorf("desktop: the header takes %d rows, want 1 (%v)", rows, err)
	}
}

// A walk on a phone: the employer's English header links ran off the
// screen ("Sign ou") with nothing saying they scroll, and the desk's table
// of openings grew wider than the screen once a draft had two buttons.
// The links' row fades at its end while more lie that way; the desk's
// openings are cards.
func TestBrowserPhoneEmployerDeskFits(t *testing.T) {
	a := testutil.NewApp(t)
	emp := a.VerifiedEmployer("51", "sichuan-chengdu")
	draft := a.Must(http.StatusCreated, "POST", "/api/v1/openings", emp.Token, testutil.OpeningBody(nil)).JSON()["id"].(string)
	// A published opening with a long title (the longest a title may be)
	// widens the title column on a desktop.
	a.Publish(emp, a.ZoneAdmin("sichuan-chengdu"), map[string]any{"title": strings.Repeat("面向大模型训练与评测的数据标注与实验", 5)})
	closed := a.Publish(emp, a.ZoneAdmin("sichuan-chengdu"), map[string]any{"title": "已关闭的科研助理"})
	a.Must(http.StatusOK, "POST", "/api/v1/openings/"+closed+"/close", emp.Token, nil)
	ctx := browser(t, 390, 844)
	login(t, ctx, a.URL, emp.Email, testutil.Password)
	do(t, ctx, chromedp.Navigate(a.URL+"/employer?lang=en"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="submit-opening"]`)))
	state := js(t, ctx, `(() => { const n = document.querySelector("nav.main");
		return (n.scrollWidth > n.clientWidth) + "/" + n.classList.contains("scrolls"); })()`)
	if state != "true/true" && state != "false/false" {
		t.Errorf("overflowing/marked: %s, want the links' row marked exactly when they run off", state)
	}
	if over := js(t, ctx, `String(Math.max(...[...document.querySelectorAll('.table-wrap')].map(w => w.scrollWidth - w.clientWidth)))`); over != "0" {
		t.Errorf("the desk's openings scroll sideways by %s px", over)
	}
	if gap := js(t, ctx, `(() => { const a = document.querySelector('[data-testid="submit-opening"]').getBoundingClientRect(),
		b = document.querySelector('[data-testid="delete-draft"]').getBoundingClientRect();
		return String(Math.max(b.left - a.right, b.top - a.bottom)); })()`); gap == "0" || strings.HasPrefix(gap, "-") {
		t.Errorf("submit and delete touch: gap %s px", gap)
	}
	noSidewaysScroll(t, ctx)
	// On a desktop a long title took the row, and 已发布 stood one
	// character a line beside it, 关闭岗位 in two, the heading 已录用 in
	// two (a walk at 1280 px): a state, a button and a short column's
	// heading keep to one line, at both widths and languages.
	for _, w := range []int64{375, 1280} {
		do(t, ctx, chromedp.EmulateViewport(w, 900))
		for _, lang := range []string{"zh", "en"} {
			do(t, ctx, chromedp.Navigate(a.URL+"/employer?lang="+lang), chromedp.WaitVisible(chromedp.CSS(`[data-testid="close-opening"]`)))
			for _, sel := range []string{`[data-testid="my-opening"] .status.published`, `[data-testid="close-opening"]`, `[data-testid="submit-opening"]`,
				`[data-testid="open-openings"] th:nth-child(2)`} {
				if lines := linesOf(t, ctx, sel); lines != 1 {
					t.Errorf("%s at %d px: %s takes %d lines", lang, w, sel, lines)
				}
			}
			// A walk (walk40): the fold of closed openings stood against the
			// table above it, no space between.
			if gap := js(t, ctx, `String(Math.round(document.querySelector('[data-testid="closed-openings"]').getBoundingClientRect().top -
				document.querySelector('[data-testid="open-openings"]').closest('.table-wrap').getBoundingClientRect().bottom))`); atoi(gap) < 8 {
				t.Errorf("%s at %d px: the closed openings stand %s px below the table", lang, w, gap)
			}
			shoot(t, ctx, os.Getenv("GRADZONE_SCREENSHOTS"), fmt.Sprintf("desk-%s-%d", lang, w))
			noSidewaysScroll(t, ctx)
			// A walk (walk42a): on a draft's own page 提交审核 stood on
			// 删除草稿 and that on the 编辑岗位 card, no space between.
			do(t, ctx, chromedp.Navigate(a.URL+"/employer/openings/"+draft+"?lang="+lang), chromedp.WaitVisible(chromedp.CSS(`[data-testid="delete-draft"]`)))
			if gaps := js(t, ctx, `(() => { const r = s => document.querySelector(s).getBoundingClientRect(),
				a = r('[data-testid="submit-opening"]'), b = r('[data-testid="delete-draft"]'), c = r('details.card');
				return Math.round(Math.max(b.left - a.right, b.top - a.bottom)) + " " + Math.round(c.top - Math.max(a.bottom, b.bottom)); })()`); func() bool {
				f := strings.Fields(gaps)
				return atoi(f[0]) < 8 || atoi(f[1]) < 8
			}() {
				t.Errorf("%s at %d px: the draft's buttons and the edit card stand %s px apart", lang, w, gaps)
			}
		}
	}
}

// cutSelects lists the selects sel matches whose chosen option is wider
// than the select shows (its padding and the arrow, about 20 px, taken
// off): a reader sees only its start.
func cutSelects(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	return js(t, ctx, `[...document.querySelectorAll(`+strconv.Quote(sel)+`)].filter(e => e.getClientRects().length).map(e => {
		const s = getComputedStyle(e), c = document.createElement("canvas").getContext("2d"); c.font = s.font;
		const text = e.options[e.selectedIndex].text, room = e.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight) - 20;
		return c.measureText(text).width > room ? e.name + ": " + text + " (" + Math.round(c.measureText(text).width) + " px in " + Math.round(room) + ")" : "";
	}).filter(Boolean).join("; ")`)
}

// A walk (walk40) at 375 px: the opening form's discipline and industry
// stood side by side in English, each showing the start of its choice
// (「Choose a disci」, 「Artificial intelli」). On a phone each has the
// row to itself; on a desktop they stay side by side, the industry wider:
// there even its longest name shows whole (on a phone that one, 330 px,
// cannot). The same holds in the board's edit form.
func TestBrowserOpeningFormShowsItsChoices(t *testing.T) {
	a := testutil.NewApp(t)
	emp, _, id := a.PublishedOpening(map[string]any{"discipline": "interdisciplinary", "industry": "digital_creative"})
	a.Applicant(id, "您好") // the board's bulk bar shows
	ctx := browser(t, 375, 900)
	login(t, ctx, a.URL, emp.Email, testutil.Password)
	for _, w := range []int64{375, 1280} {
		do(t, ctx, chromedp.EmulateViewport(w, 900))
		for _, lang := range []string{"zh", "en"} {
			do(t, ctx, chromedp.Navigate(a.URL+"/employer?lang="+lang), chromedp.WaitVisible(chromedp.CSS(`#f-industry`)))
			if cut := cutSelects(t, ctx, `form select`); cut != "" {
				t.Errorf("%s at %d px, new opening: %s", lang, w, cut)
			}
			do(t, ctx, chromedp.Navigate(a.URL+"/employer/openings/"+id+"?lang="+lang), chromedp.WaitVisible(chromedp.CSS(`details.card summary`)),
				chromedp.Click(chromedp.CSS(`details.card summary`)), chromedp.WaitVisible(chromedp.CSS(`#f-industry`)))
			if cut := cutSelects(t, ctx, `form select`); cut != "" {
				t.Errorf("%s at %d px, edit: %s", lang, w, cut)
			}
			// A walk (walk40): at 375 px in English the bulk bar's
			// "▸ Interview" dropped alone to a line of its own. Its three
			// actions share one line.
			if rows := js(t, ctx, `(function(){var m={};document.querySelectorAll('[data-testid="bulk-bar"]>button,[data-testid="bulk-bar"]>details').forEach(function(e){var r=e.getBoundingClientRect();m[Math.round((r.top+r.bottom)/20)]=1});return String(Object.keys(m).length)})()`); rows != "1" {
				t.Errorf("%s at %d px, the bulk bar's actions stand on %s lines", lang, w, rows)
			}
			if w == 1280 {
				js(t, ctx, `(document.querySelector("#f-industry").value = "energy_saving", "")`)
				if cut := cutSelects(t, ctx, `#f-industry`); cut != "" {
					t.Errorf("%s at %d px, the longest industry: %s", lang, w, cut)
				}
			}
			noSidewaysScroll(t, ctx)
		}
	}
}

// The phone's header links scroll sideways inside their row, and the lead
// still read "no hint that more items are there": the row's end faded a
// little, its start never. An edge with more links beyond it fades and
// shows a chevron, drawn beside the row (not read, not in the way of a
// tap); scrolled to the end, the end is sharp and its chevron gone, the
// start fading instead. A link in focus is shown unfaded. Where the links
// fit, on a desktop or a short Chinese header, nothing fades.
func TestBrowserPhoneHeaderHintsAtMoreLinks(t *testing.T) {
	a := testutil.NewApp(t)
	emp := a.VerifiedEmployer("51", "sichuan-chengdu")
	g := a.Graduate()
	ctx := browser(t, 375, 812)
	login(t, ctx, a.URL, emp.Email, testutil.Password)
	do(t, ctx, chromedp.Navigate(a.URL+"/account?lang=en"), chromedp.WaitVisible(chromedp.CSS(`header.top form`)))
	if over := js(t, ctx, `String(document.querySelector("nav.main").scrollWidth - document.querySelector("nav.main").clientWidth)`); over == "0" || strings.HasPrefix(over, "-") {
		t.Fatalf("the employer's English links fit a phone (%s px over): nothing to test", over)
	}
	// scrollTo moves the row and waits for the scroll event's marks.
	scrollTo := func(x string) {
		t.Helper()
		do(t, ctx, chromedp.Evaluate[chromedp.Void](`(() => { const n = document.querySelector("nav.main"); n.scrollLeft = `+x+`; })()`),
			chromedp.Sleep(150*time.Millisecond))
	}
	for _, c := range []struct {
		where, scroll, want string
	}{
		{"at its start", "0", "end"},
		{"half way", "(n.scrollWidth - n.clientWidth) / 2", "start end"},
		{"at its end", "n.scrollWidth", "start"},
		{"back at its start", "0", "end"},
	} {
		scrollTo(c.scroll)
		if got := headerHint(t, ctx); got != c.want {
			t.Errorf("the links' row %s hints at more links at %q, want %q", c.where, got, c.want)
		}
	}
	// A keyboard's focus on a header link shows it whole: no fade over it.
	do(t, ctx, chromedp.Focus(chromedp.CSS(`nav.main a[href="/account"]`)))
	if got := headerHint(t, ctx); got != "" {
		t.Errorf("with a header link in focus the row still fades at %q", got)
	}
	noSidewaysScroll(t, ctx)
	// The page's own link stands whole in the row, not under the end's
	// fade: on 消息 the row opens scrolled to it (a walk, walk37: Messages
	// stood half faded under its chevron).
	do(t, ctx, chromedp.Navigate(a.URL+"/notifications?lang=en"), chromedp.WaitVisible(chromedp.CSS(`header.top form`)), chromedp.Sleep(150*time.Millisecond))
	if out := js(t, ctx, `(() => { const n = document.querySelector("nav.main").getBoundingClientRect(), c = document.querySelector('nav.main [aria-current="page"]').getBoundingClientRect();
		return String(Math.round(Math.max(n.left - c.left, c.right - n.right))); })()`); out != "0" && !strings.HasPrefix(out, "-") {
		t.Errorf("on /notifications its link stands %s px out of the links' row", out)
	}
	if got := headerHint(t, ctx); !strings.HasPrefix(got, "start") {
		t.Errorf("scrolled to its page's link the row hints at %q, want the start", got)
	}
	// A desktop lays the links out in full.
	do(t, ctx, chromedp.EmulateViewport(1280, 800), chromedp.Navigate(a.URL+"/account?lang=en"), chromedp.WaitVisible(chromedp.CSS(`header.top form`)))
	if got := headerHint(t, ctx); got != "" {
		t.Errorf("a desktop's header fades at %q", got)
	}
	logout(t, ctx)
	// A graduate's Chinese links fit a phone: nothing fades.
	do(t, ctx, chromedp.EmulateViewport(375, 812))
	login(t, ctx, a.URL, g.Email, testutil.Password)
	do(t, ctx, chromedp.Navigate(a.URL+"/account?lang=zh"), chromedp.WaitVisible(chromedp.CSS(`header.top form`)))
	if fits := js(t, ctx, `String(document.querySelector("nav.main").scrollWidth <= document.querySelector("nav.main").clientWidth)`); fits == "true" {
		if got := headerHint(t, ctx); got != "" {
			t.Errorf("a graduate's Chinese links fit and still fade at %q", got)
		}
	}
}

// headerHint names the edges of the header's links' row ("start", "end")
// that say more links lie beyond, read from the screen's pixels: the row
// is painted white with its words clear (its layout and scroll kept), so
// where it fades the header's blue shows through at its edge; a chevron
// is light on the blue beside that edge.
func headerHint(t *testing.T, ctx context.Context) string {
	t.Helper()
	do(t, ctx, chromedp.Evaluate[chromedp.Void](`(() => { const s = document.createElement("style"); s.id = "hint-probe";
		s.textContent = "nav.main{background:#fff!important}nav.main *{color:transparent!important}"; document.head.append(s); })()`))
	defer do(t, ctx, chromedp.Evaluate[chromedp.Void](`document.getElementById("hint-probe").remove()`))
	rect := js(t, ctx, `(() => { const r = document.querySelector("nav.main").getBoundingClientRect(), h = document.querySelector("header.top").getBoundingClientRect();
		return [r.left, r.right, r.top - h.top, r.bottom - h.top].map(Math.round).join(" "); })()`)
	var left, right, top, bottom int
	if _, err := fmt.Sscan(rect, &left, &right, &top, &bottom); err != nil {
		t.Fatalf("the links' row at %q: %v", rect, err)
	}
	shot := query(t, ctx, "the header's picture", chromedp.Screenshot(chromedp.CSS(`header.top`)))
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatal(err)
	}
	lightAt := func(x, y int) bool {
		r, g, b, _ := img.At(x, y).RGBA()
		return r>>8 > 180 && g>>8 > 180 && b>>8 > 180
	}
	// light tells whether any pixel of the row's height in columns x0..x1 is light.
	light := func(x0, x1 int) bool {
		for x := max(x0, 0); x < min(x1, img.Bounds().Dx()); x++ {
			for y := top + 2; y < bottom-2; y++ {
				if lightAt(x, y) {
					return true
				}
			}
		}
		return false
	}
	mid := (top + bottom) / 2
	var faded, chevrons []string
	if !lightAt(left+1, mid) {
		faded = append(faded, "start")
	}
	if !lightAt(right-2, mid) {
		faded = append(faded, "end")
	}
	// A chevron stands within 14 px of the row (a desktop's logo and
	// language switch stand further off).
	if light(left-14, left-1) {
		chevrons = append(chevrons, "start")
	}
	if light(right+1, right+15) {
		chevrons = append(chevrons, "end")
	}
	got, drawn := strings.Join(faded, " "), strings.Join(chevrons, " ")
	if got != drawn {
		t.Errorf("the row fades at %q, its chevrons stand at %q", got, drawn)
	}
	return got
}

// headerRows counts the lines the header's links and buttons stand on:
// tops within 20 px of a line's first are on that line.
const headerRows = `[...document.querySelectorAll("header.top a, header.top button")].filter(e => e.offsetParent)
	.map(e => e.getBoundingClientRect().top).sort((x, y) => x - y)
	.reduce((lines, top) => lines.length && top - lines[lines.length - 1] < 20 ? lines : [...lines, top], []).length`

// Issue 15 item 5, applicant detail, at phone size: from the board the
// employer opens an applicant and reads the cover letter and the status
// history, rates 5 stars with a private note (a note too long comes back
// beside its field, typed text kept, 422), and the note stays the
// employer's: another employer gets 404 and the graduate never sees it.
func TestBrowserApplicantDetail(t *testing.T) {
	a := testutil.NewApp(t)
	emp, _, id := a.PublishedOpening(nil)
	rival := a.VerifiedEmployer("51", "sichuan-chengdu")
	g, app := a.Applicant(id, "我做过三年钙钛矿电池实验。")
	a.Must(http.StatusOK, "POST", "/api/v1/applications/"+app+"/transitions", emp.Token, map[string]string{"to": "shortlisted"})
	ctx := browser(t, 390, 844)
	login(t, ctx, a.URL, emp.Email, testutil.Password)

	do(t, ctx, chromedp.Navigate(a.URL+"/employer/openings/"+id), chromedp.WaitVisible(chromedp.CSS(`[data-testid="applicant-detail-link"]`)))
	submit(t, ctx, `[data-testid="applicant-detail-link"]`)
	if got := text(t, ctx, `[data-testid="applicant-cover"]`); !strings.Contains(got, "钙钛矿") {
		t.Fatalf("cover letter: %q", got)
	}
	if got := texts(t, ctx, `[data-testid="applicant-history"] li`); len(got) != 2 || !strings.Contains(got[1], "入围") && !strings.Contains(got[1], "shortlisted") {
		t.Fatalf("history: %q", got)
	}
	noSidewaysScroll(t, ctx)
	// A walk: an interview's place and online link stood side by side,
	// 140 px each, too narrow for an address or a link. Each has the line
	// (of its box: at a true 390 px that is under 300 px).
	if narrow := js(t, ctx, `[...document.querySelectorAll('input[name$="location"], input[type=url]')].filter(i => i.offsetParent && i.getBoundingClientRect().width < 0.8*i.closest('fieldset,form').clientWidth).map(i => i.name).join(", ")`); narrow != "" {
		t.Errorf("narrow interview fields on a phone: %s", narrow)
	}

	// Too long a note: 422, the message beside the note, the text kept.
	long := strings.Repeat("很", 2001)
	do(t, ctx, chromedp.SetValue(chromedp.CSS(`[data-testid="field-note"]`), long), chromedp.SetValue(chromedp.CSS(`[data-testid="field-rating"]`), "3"))
	submit(t, ctx, `[data-testid="save-assessment"]`)
	if got := text(t, ctx, `[data-testid="field-note"] + .field-error`); !strings.Contains(got, "2000") {
		t.Fatalf("no message beside the note: %q", got)
	}
	kept, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('[data-testid="field-note"]').value + "|" + document.querySelector('[data-testid="field-rating"]').value`))
	if kept != long+"|3" {
		t.Fatalf("typed values lost: %d chars", len([]rune(kept)))
	}

	const note = "沟通清楚，优先安排面试"
	do(t, ctx, chromedp.SetValue(chromedp.CSS(`[data-testid="field-note"]`), note), chromedp.SetValue(chromedp.CSS(`[data-testid="field-rating"]`), "5"))
	submit(t, ctx, `[data-testid="save-assessment"]`)
	stored := a.Must(http.StatusOK, "GET", "/api/v1/applications/"+app+"/assessment", emp.Token, nil).JSON()
	if stored["rating"] != float64(5) || stored["note"] != note {
		t.Fatalf("stored: %v", stored)
	}
	if got, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('[data-testid="field-note"]').value`)); got != note {
		t.Fatalf("page after saving shows %q", got)
	}

	if st, _, _ := newWebClient(t, a, rival.Email).status("/employer/applications/" + app); st != http.StatusNotFound {
		t.Fatalf("another employer: %d", st)
	}
	// A graduate with no phone: the contact line is the address, not
	// "· address" (a walk).
	page := newWebClient(t, a, emp.Email).get("/employer/applications/" + app)
	contact := page[strings.Index(page, `data-testid="applicant-contact">`)+len(`data-testid="applicant-contact">`):]
	if contact = contact[:strings.Index(contact, "</p>")]; strings.HasPrefix(contact, " ·") || !strings.Contains(contact, "@") {
		t.Errorf("the applicant's contact line: %q", contact)
	}
	if page := newWebClient(t, a, g.Email).get("/me"); strings.Contains(page, note) {
		t.Fatal("the graduate sees the private note")
	}
}

// Issue 15 item 4, résumé preview, at phone size: a graduate with an
// uploaded résumé finds the preview on /me; it is its own PDF, served
// inline (the browser shows it) with a policy that runs no script and lets
// only this site frame it. Nobody else reaches it at that address.
func TestBrowserResumePreview(t *testing.T) {
	a := testutil.NewApp(t)
	g := a.Graduate()
	pdf := "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
	if r := a.UploadFile("/api/v1/me/resume", g.Token, "cv.pdf", []byte(pdf)); r.Status != http.StatusCreated {
		t.Fatalf("upload: %d", r.Status)
	}
	ctx := browser(t, 390, 844)
	login(t, ctx, a.URL, g.Email, testutil.Password)
	do(t, ctx, chromedp.Navigate(a.URL+"/me"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="resume-preview"]`)))
	got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(async () => {
		const href = document.querySelector('[data-testid="resume-preview"]').getAttribute('href');
		const r = await fetch(href);
		return [r.status, r.headers.get('content-type'), r.headers.get('content-disposition'),
			r.headers.get('content-security-policy'), await r.text()].join('|');
	})()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.SplitN(got, "|", 5)
	if parts[0] != "200" || parts[1] != "application/pdf" || !strings.HasPrefix(parts[2], "inline") ||
		!strings.Contains(parts[3], "frame-ancestors 'self'") || !strings.Contains(parts[3], "script-src 'none'") || parts[4] != pdf {
		t.Fatalf("preview answered %q", got)
	}
	noSidewaysScroll(t, ctx)

	emp := a.VerifiedEmployer("51", "sichuan-chengdu")
	if st, _, _ := newWebClient(t, a, emp.Email).status("/me/resume"); st == http.StatusOK {
		t.Fatal("an employer reads a résumé at /me/resume")
	}
	if st, _, _ := newWebClient(t, a, a.Graduate().Email).status("/me/resume"); st != http.StatusNotFound {
		t.Fatalf("a graduate without a résumé: %d", st)
	}
}

// Issue 15 finding 7, chart legends, at phone size: each breakdown chart on
// the staff dashboard has its numbers beside it as a table, labels whole
// (no cut or paged legend), and the monthly chart's figures are a table too.
func TestBrowserDashboardChartTables(t *testing.T) {
	a := testutil.NewApp(t)
	emp, admin, id := a.PublishedOpening(map[string]any{"industry": "biomedicine"})
	g, app := a.Applicant(id, "您好")
	a.Hire(emp.Token, g.Token, app, domain.DateOf(time.Now()).String())
	ctx := browser(t, 390, 844)
	login(t, ctx, a.URL, admin.Email, testutil.Password)
	do(t, ctx, chromedp.Navigate(a.URL+"/staff"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="breakdown-table"]`)))
	rows := texts(t, ctx, `[data-testid="breakdown-table"][data-field="by_industry"] tbody tr`)
	if len(rows) != 1 || !strings.Contains(rows[0], "生物医药") || !strings.Contains(rows[0], "100.0%") {
		t.Fatalf("industry table: %q", rows)
	}
	// A walk found no colour key: the table is sorted by count, the slices
	// came in another order (the codes', alphabetical) and no row showed
	// its colour. Each row now carries its slice's colour, and the slices
	// come in the table's order: biomedicine (2) before ai (1), which the
	// codes' order would reverse.
	for _, industry := range []string{"biomedicine", "ai"} {
		g, app := a.Applicant(a.Publish(emp, admin, map[string]any{"industry": industry}), "您好")
		a.Hire(emp.Token, g.Token, app, domain.DateOf(time.Now()).String())
	}
	do(t, ctx, chromedp.Navigate(a.URL+"/staff"), chromedp.WaitVisible(chromedp.CSS(`[data-breakdown="by_industry"][data-total="3"]`)))
	key := js(t, ctx, `(() => {
		const chart = echarts.getInstanceByDom(document.querySelector('[data-breakdown="by_industry"]')).getOption();
		const slices = chart.series[0].data.map((d, i) => d.name + "=" + chart.color[i % chart.color.length]);
		const rows = [...document.querySelectorAll('[data-testid="breakdown-table"][data-field="by_industry"] tbody tr')].map(tr =>
			tr.querySelector("td").textContent.trim() + "=" + tr.querySelector(".swatch").dataset.colour);
		return slices.join("|") + " / " + rows.join("|"); })()`)
	slices, table, _ := strings.Cut(key, " / ")
	if slices != table || !strings.HasPrefix(table, "生物医药=#") || strings.Count(table, "|") != 1 {
		t.Errorf("the chart's slices and the table's colour key differ: %s", key)
	}
	months := texts(t, ctx, `[data-testid="monthly-table"] tbody tr`)
	if len(months) == 0 {
		t.Fatal("no monthly table")
	}
	noSidewaysScroll(t, ctx)
	// With no targets set, no area has a completion rate: a walk found the
	// ministry's ranking headed by a blank box where its chart would be.
	// The table says it all; the chart's box is not drawn.
	login(t, ctx, a.URL, a.MinistryAdmin().Email, testutil.Password)
	do(t, ctx, chromedp.Navigate(a.URL+"/staff"), chromedp.WaitVisible(chromedp.CSS(`[data-breakdown="by_industry"][data-total="3"]`)))
	if h := js(t, ctx, `String(document.getElementById("chart-ranking").getBoundingClientRect().height)`); h != "0" {
		t.Errorf("the ranking's chart, with no rate to draw, is a blank box %s px high", h)
	}
	// On a 375 px phone the ranking's table scrolled inside its box by 135
	// px (zh) and 458 px (en): the completion rate, what it ranks by, was
	// off the screen. Each area is a card of labelled lines.
	do(t, ctx, chromedp.EmulateViewport(375, 812))
	for _, lang := range []string{"zh", "en"} {
		do(t, ctx, chromedp.Navigate(a.URL+"/staff?lang="+lang), chromedp.WaitVisible(chromedp.CSS(`[data-testid="ranking-row"]`)))
		if over := scrollsInside(t, ctx, `[data-testid="ranking-row"]`); over != "0" {
			t.Errorf("%s at 375 px: the ranking scrolls sideways by %s px inside its box", lang, over)
		}
		if right := js(t, ctx, `String(Math.max(...[...document.querySelectorAll('[data-testid="ranking-row"] td:nth-child(5)')].map(td => Math.round(td.getBoundingClientRect().right))))`); atoi(right) > 375 {
			t.Errorf("%s at 375 px: the completion rates end %s px from the left", lang, right)
		}
		if labels := js(t, ctx, `getComputedStyle(document.querySelector('[data-testid="ranking-row"] td:nth-child(5)'), '::before').content`); labels == "none" || labels == "" {
			t.Errorf("%s at 375 px: a ranking cell is not under its column's name", lang)
		}
	}
}

// An audit with the system's reduced motion on: the site has no CSS motion,
// but the dashboard's charts grew and swept in on every load. Asked for
// less motion, they are drawn at once.
func TestBrowserChartsStillForReducedMotion(t *testing.T) {
	a := testutil.NewApp(t)
	emp, admin, id := a.PublishedOpening(nil)
	g, app := a.Applicant(id, "您好")
	a.Hire(emp.Token, g.Token, app, domain.DateOf(time.Now()).String())
	ctx := browser(t, 1280, 900)
	login(t, ctx, a.URL, admin.Email, testutil.Password)
	animated := func() string {
		do(t, ctx, chromedp.Navigate(a.URL+"/staff"), chromedp.WaitVisible(chromedp.CSS(`[data-breakdown="by_industry"][data-total="1"]`)))
		return js(t, ctx, `[document.getElementById("chart-monthly"), ...document.querySelectorAll("[data-breakdown]"), document.getElementById("chart-ranking")].filter(n => n)
			.map(n => { const c = echarts.getInstanceByDom(n); return c ? String(c.getOption().animation) : "none"; }).join(" ")`)
	}
	if got := animated(); strings.Contains(got, "false") {
		t.Errorf("the charts are still without a reduced-motion request: %s", got)
	}
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Features: []*emulation.MediaFeature{{Name: "prefers-reduced-motion", Value: "reduce"}}}); err != nil {
		t.Fatal(err)
	}
	if got := animated(); strings.Contains(got, "true") || strings.Contains(got, "auto") || !strings.Contains(got, "false") {
		t.Errorf("asked for less motion, the charts animate: %s", got)
	}
}

// Issue 15 item 4: 我的申请 shows each application as a timeline of its
// moves, oldest first, and the interview step carries the interview's time
// and place — on a phone, without sideways scrolling.
func TestBrowserApplicationTimeline(t *testing.T) {
	a := testutil.NewApp(t)
	emp, _, id := a.PublishedOpening(map[string]any{"title": "时间线科研助理"})
	g, app := a.Applicant(id, "您好")
	a.Must(http.StatusOK, "POST", "/api/v1/applications/"+app+"/transitions", emp.Token, map[string]any{"to": "shortlisted"})
	start := time.Now().Add(72 * time.Hour).Truncate(time.Hour)
	a.Must(http.StatusOK, "POST", "/api/v1/applications/"+app+"/transitions", emp.Token, map[string]any{"to": "interview",
		"interview": map[string]any{"starts_at": start.Format(time.RFC3339), "ends_at": start.Add(time.Hour).Format(time.RFC3339), "location": "高新区创新中心 3 楼"}})

	ctx := browser(t, 390, 844)
	login(t, ctx, a.URL, g.Email, testutil.Password)
	do(t, ctx, chromedp.Navigate(a.URL+"/me"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="timeline"]`)))
	steps := texts(t, ctx, `[data-testid="timeline-step"]`)
	if len(steps) != 3 || !strings.Contains(steps[0], "已投递") || !strings.Contains(steps[1], "已入围") || !strings.Contains(steps[2], "面试") {
		t.Fatalf("timeline steps: %q", steps)
	}
	if !strings.Contains(steps[2], "高新区创新中心 3 楼") {
		t.Fatalf("the interview step lacks the place: %q", steps[2])
	}
	noSidewaysScroll(t, ctx)
}

// Issue 15 finding 2: on a phone the first result was 1,845 px down, under
// the facets. Results now come first; the filters open as a drawer (with
// their counts) from a button above the results, and every tap target there
// is at least 44 px high.
func TestBrowserPhoneSearchResultsFirst(t *testing.T) {
	a := testutil.NewApp(t)
	emp, admin := a.Publisher()
	for i, industry := range []string{"ai", "biomedicine", "new_materials", "new_energy", "aerospace", "integrated_circuits"} {
		a.Publish(emp, admin, map[string]any{"title": fmt.Sprintf("科研助理%d", i), "industry": industry})
	}
	a.WaitIndexed(30 * time.Second)
	ctx := browser(t, 390, 844)
	do(t, ctx, chromedp.EmulateViewport(390, 844), chromedp.Navigate(a.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="opening-card"]`)))

	top, _ := strconv.ParseFloat(js(t, ctx, `String(document.querySelector('[data-testid="opening-card"]').getBoundingClientRect().top)`), 64)
	if top <= 0 || top > 400 {
		t.Errorf("first result %.0f px down on a phone, want within the first screen's top half", top)
	}
	if v := js(t, ctx, `String(document.querySelector('[data-testid="facet-industry-ai"]').getBoundingClientRect().height > 0)`); v != "false" {
		t.Errorf("facets shown before the results on a phone")
	}
	// Every tap target on the page (links, buttons, fields) is at least 44 px high.
	if small := js(t, ctx, `[...document.querySelectorAll("a,button,input,select,summary")].filter(e => {const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0 && r.height < 43.5})
		.map(e => e.outerHTML.slice(0, 80) + " " + Math.round(e.getBoundingClientRect().height) + " px").join("\n")`); small != "" {
		t.Errorf("tap targets under 44 px on the phone search page:\n%s", small)
	}
	do(t, ctx, chromedp.Click(chromedp.CSS(`[data-testid="filters-open"]`)))
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`[data-testid="facet-industry-ai"]`)))
	if h, _ := strconv.ParseFloat(js(t, ctx, `String(document.querySelector('[data-testid="facet-industry-ai"]').getBoundingClientRect().height)`), 64); h < 44 {
		t.Errorf("facet link %.0f px high, want ≥ 44", h)
	}
	if got := text(t, ctx, `[data-testid="facet-industry-ai"] span`); got != "1" {
		t.Errorf("the drawer's facet count %q, want 1", got)
	}
	submit(t, ctx, `[data-testid="facet-industry-ai"]`)
	waitCards(t, ctx, 1)
	if v := js(t, ctx, `String(document.querySelector('[data-testid="facet-industry-ai"]').getBoundingClientRect().height > 0)`); v != "false" {
		t.Errorf("the drawer stays open after choosing a filter")
	}
	// The search field's hint is read whole in either language (a walk
	// read "Openings, employers, majors,"; jobs is the word the header uses).
	for _, lang := range []string{"zh", "en"} {
		do(t, ctx, chromedp.Navigate(a.URL+"/?lang="+lang), chromedp.WaitVisible(chromedp.CSS(`[data-testid="search-input"]`)))
		if cut := cutPlaceholders(t, ctx, `[data-testid="search-input"]`); cut != "" {
			t.Errorf("%s: the search hint is cut on a phone: %s", lang, cut)
		}
	}
	// On a desktop the filters stand beside the results: no button opens
	// them (a walk found it shown there too).
	do(t, ctx, chromedp.EmulateViewport(1366, 768), chromedp.Navigate(a.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="facet-industry-ai"]`)))
	if v := js(t, ctx, `getComputedStyle(document.querySelector('[data-testid="filters-open"]')).display`); v != "none" {
		t.Errorf("the filters button on a desktop: display %s", v)
	}
}

// Issue 15 item 6, the province's table of its zones' monthly reports, at
// phone size: each zone's report state is said in the reader's language
// (it showed the raw draft, submitted, not_started), under a heading, and
// the 催报 button reminds the late zones and says so.
func TestBrowserProvinceReports(t *testing.T) {
	a := testutil.NewApp(t)
	zone := a.ZoneAdmin("sichuan-chengdu")
	a.ZoneAdmin("sichuan-luzhou")
	province := a.ProvinceAdmin("51")
	// Last July: a month of the reporting season, which 催报 needs.
	july := domain.DateOf(time.Now()).Year - 1
	a.Must(http.StatusOK, "POST", "/api/v1/reports/monthly/submit", zone.Token, map[string]any{"zone": "sichuan-chengdu", "year": july, "month": 7})
	ctx := browser(t, 390, 844)
	login(t, ctx, a.URL, province.Email, testutil.Password)
	do(t, ctx, chromedp.Navigate(fmt.Sprintf("%s/staff/reports?year=%d&month=7", a.URL, july)), chromedp.WaitVisible(chromedp.CSS(`[data-testid="report-row"]`)))

	rows := texts(t, ctx, `[data-testid="report-row"]`)
	states := texts(t, ctx, `[data-testid="report-row"] [data-testid="report-state"]`)
	if len(states) < 2 {
		t.Fatalf("report rows: %q", rows)
	}
	submitted := false
	for i, s := range states {
		chineseMessage(t, "report state of "+rows[i], s)
		if strings.ContainsAny(strings.ToLower(s), "abcdefghijklmnopqrstuvwxyz") {
			t.Errorf("report state %q shows English in the Chinese page", s)
		}
		if strings.Contains(rows[i], "成都") && strings.Contains(s, "已报送") {
			submitted = true
		}
	}
	if !submitted {
		t.Errorf("Chengdu's submitted report is not shown as 已报送: %q", rows)
	}
	if h := text(t, ctx, `table thead th:nth-child(3)`); strings.TrimSpace(h) == "" {
		t.Error("the report state column has no heading")
	}
	if page := text(t, ctx, `main`); strings.Contains(page, "Month") || strings.Contains(page, "OK") {
		t.Errorf("English words on the Chinese reports page")
	}
	noSidewaysScroll(t, ctx)
	// A walk: the table was 675 px wide in a 390 px screen, and 通过 and
	// 退回 sat in its last column, off the screen. Each zone's report is a
	// card of labelled lines, its actions in reach.
	if over, err := chromedp.Run(ctx, chromedp.Evaluate[int](`Math.max(...[...document.querySelectorAll('.table-wrap')].map(w => w.scrollWidth - w.clientWidth))`)); err != nil || over > 0 {
		t.Errorf("the reports table scrolls sideways by %d px (%v)", over, err)
	}
	if right, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`Math.max(...[...document.querySelectorAll('[data-testid="accept-report"], [data-testid="return-report"]')].map(b => b.getBoundingClientRect().right))`)); err != nil || right > 390 {
		t.Errorf("the review buttons end %.0f px from the left of a 390 px screen (%v)", right, err)
	}

	// On a desktop a report's dates stay whole: a walk read 「2026-」 over
	// 「12-31」 in the due column and the submitted time under its date.
	wide := browser(t, 1280, 900)
	login(t, wide, a.URL, province.Email, testutil.Password)
	for _, lang := range []string{"zh", "en"} {
		do(t, wide, chromedp.Navigate(fmt.Sprintf("%s/staff/reports?year=%d&month=7&lang=%s", a.URL, july, lang)), chromedp.WaitVisible(chromedp.CSS(`[data-testid="report-row"]`)))
		if broken := js(t, wide, brokenDateTimes(`[data-testid="report-row"] td`)); broken != "" {
			t.Errorf("%s at 1280 px: these report dates break across lines: %s", lang, broken)
		}
		// A form's one button is as wide as its words: 向工信部报送全省月报
		// and 催报 stretched across the whole card.
		if wide := js(t, wide, `[...document.querySelectorAll('[data-testid="submit-province-report"], [data-testid="chase-reports"]')].filter(b => b.getBoundingClientRect().width > 400).map(b => b.textContent.trim()).join(", ")`); wide != "" {
			t.Errorf("%s at 1280 px: these buttons stretch across the card: %s", lang, wide)
		}
	}

	submit(t, ctx, `[data-testid="chase-reports"]`)
	// Six of Sichuan's zones have no staff account here: the flash names
	// them, and is not drawn as a success.
	if f := text(t, ctx, `.flash`); !strings.HasPrefix(f, "已提醒") || !strings.Contains(f, "请另行联系：") {
		t.Errorf("催报 flash %q", f)
	}

	// The submitted report waits on the province's dashboard, and the
	// province was told of it, in the reader's language (a month-end walk:
	// no one above the zone knew).
	pw := newWebClient(t, a, province.Email)
	if page := pw.get("/staff"); !strings.Contains(page, `data-testid="todo-reports-awaiting"`) || !strings.Contains(page, fmt.Sprintf("%d-07 月报待审核（1）", july)) {
		t.Error("the province's dashboard does not list the report awaiting its review")
	}
	if page := pw.get("/notifications?lang=en"); !strings.Contains(page, fmt.Sprintf("submitted its report for %d-07 (version 1): awaiting review", july)) || !strings.Contains(page, "Chengdu") {
		t.Error("the province's messages do not say, in English, that Chengdu's report came in")
	}
	// Once the province has reported the month, its zones' reports can no
	// longer be returned: the page offers no 退回, and says why.
	a.Must(http.StatusOK, "POST", "/api/v1/reports/monthly/province/submit", province.Token, map[string]any{"province": "51", "year": july, "month": 7})
	page := newWebClient(t, a, province.Email).get(fmt.Sprintf("/staff/reports?year=%d&month=7", july))
	if strings.Contains(page, `data-testid="return-report"`) || !strings.Contains(page, `data-testid="return-closed"`) || !strings.Contains(page, `data-testid="accept-report"`) {
		t.Error("after the province's report, the page still offers 退回, or no longer 通过")
	}
	// The month in the versions page's heading stays whole on a phone: a
	// walk read 「成都高新技术产业开发区 2026-」 over 「12 · 版本记录」.
	do(t, ctx, chromedp.Navigate(fmt.Sprintf("%s/staff/reports/versions?zone=sichuan-chengdu&year=%d&month=7", a.URL, july)), chromedp.WaitVisible(chromedp.CSS(`h1`)))
	if lines := js(t, ctx, `(() => { const h = document.querySelector("h1"), w = document.createTreeWalker(h, NodeFilter.SHOW_TEXT);
		for (let n; (n = w.nextNode());) { const m = /\d{4}-\d{2}/.exec(n.data); if (!m) continue;
			const r = document.createRange(); r.setStart(n, m.index); r.setEnd(n, m.index + m[0].length);
			return String(new Set([...r.getClientRects()].filter(x => x.width > 0).map(x => Math.round(x.top))).size); }
		return "no month"; })()`); lines != "1" {
		t.Errorf("the versions page's heading: its month takes %s lines at 390 px", lines)
	}
}

// Issue 15 finding 6, offers without details, at phone size: the employer
// makes the offer on the applicant's page with its details (salary, start
// date, contact); the applicant's history and the graduate's 我的申请
// timeline show them beside the offer.
func TestBrowserOfferDetails(t *testing.T) {
	a := testutil.NewApp(t)
	emp, zone := a.Publisher()
	id := a.Publish(emp, zone, map[string]any{"title": "录用说明科研助理"})
	g := a.Graduate()
	app := a.Apply(g, id, "您好")
	const details = "月薪 8000 元，2027 年 7 月 1 日到岗，联系人王老师"
	ctx := browser(t, 390, 844)
	login(t, ctx, a.URL, emp.Email, testutil.Password)
	do(t, ctx, chromedp.Navigate(a.URL+"/employer/applications/"+app), chromedp.WaitVisible(chromedp.CSS(`[data-testid="applicant-detail"]`)))
	if len(texts(t, ctx, `[data-testid="make-offer-form"]`)) != 1 {
		t.Fatal("the applicant's page has no form to make an offer with its details")
	}
	do(t, ctx, chromedp.SendKeys(chromedp.CSS(`[data-testid="offer-note"]`), details))
	noSidewaysScroll(t, ctx)
	newDialogs(ctx).accept.Store(true) // an offer asks first
	submit(t, ctx, `[data-testid="make-offer"]`)
	if st := a.Must(http.StatusOK, "GET", "/api/v1/applications/"+app, g.Token, nil).JSON()["status"]; st != "offered" {
		t.Fatalf("after the offer the application is %v", st)
	}
	if h := texts(t, ctx, `[data-testid="applicant-history"] li`); len(h) != 2 || !strings.Contains(h[1], details) {
		t.Errorf("the applicant's history after the offer: %q", h)
	}
	if n := len(texts(t, ctx, `[data-testid="make-offer-form"]`)); n != 0 {
		t.Error("the offer form is still offered after the offer")
	}
	logout(t, ctx)

	login(t, ctx, a.URL, g.Email, testutil.Password)
	do(t, ctx, chromedp.Navigate(a.URL+"/me"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="accept-offer"]`)))
	if steps := texts(t, ctx, `#app-`+app+` [data-testid="timeline-step"]`); len(steps) != 2 || !strings.Contains(steps[1], details) {
		t.Errorf("the graduate's timeline: %q", steps)
	}
}

// Issue 15 findings 3, 4, 5, 9 and 11 at phone size, as a visitor, a
// graduate and an employer meet them: a degree word finds the doctoral
// opening only, its salary with 元/月; the page has a meta description,
// a favicon and a manifest that load, robots.txt answers text; the opening
// and its employer's page carry the verified badge, the zone and the open
// openings, the footer the operator; an unknown page is the site's styled
// page; after applying, the opening page shows the application's state, not
// the button; the employer's notification link lands on the applicant.
func TestBrowserPhoneVisitorFindings(t *testing.T) {
	a := testutil.NewApp(t)
	emp, zone := a.Publisher()
	phd := a.Publish(emp, zone, map[string]any{"title": "量子计算科研助理", "degree_min": "doctor", "salary_min": 7000, "salary_max": 12000})
	a.Publish(emp, zone, map[string]any{"title": "量子材料科研助理", "degree_min": "master"})
	a.WaitIndexed(30 * time.Second)
	g := a.Graduate()
	ctx := browser(t, 390, 844)
	// fetchStatus is what the site answers for path, as "status content-type".
	fetchStatus := func(path string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch(`+strconv.Quote(path)+`).then(r => r.status + " " + r.headers.get("content-type"))`, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("fetch %s: %v", path, err)
		}
		return s
	}

	// Finding 9: 博士 is the degree filter; the salary has its unit.
	do(t, ctx, chromedp.Navigate(a.URL+"/?q="+url.QueryEscape("博士")))
	waitCards(t, ctx, 1)
	if card := text(t, ctx, `[data-testid="opening-card"]`); !strings.Contains(card, "量子计算") || !strings.Contains(card, "7000–12000 元/月") {
		t.Errorf("q=博士 card: %s", card)
	}
	// Finding 11: a meta description on every public page, favicon,
	// manifest, robots.txt.
	for _, path := range []string{"/login", "/register", "/forgot-password", "/privacy", "/events", "/employers/" + emp.EmployerID, "/?q=" + url.QueryEscape("博士")} {
		do(t, ctx, chromedp.Navigate(a.URL+path), chromedp.WaitVisible(chromedp.CSS(`main`)))
		if d := js(t, ctx, `(document.querySelector('meta[name="description"]')||{}).content||""`); len([]rune(d)) < 10 {
			t.Errorf("%s: meta description %q", path, d)
		}
	}
	for path, want := range map[string]string{"/favicon.ico": "200 image/x-icon", "/manifest.webmanifest": "200 application/manifest+json", "/robots.txt": "200 text/plain"} {
		if got := fetchStatus(path); !strings.HasPrefix(got, want) {
			t.Errorf("%s: %s, want %s", path, got, want)
		}
	}
	noSidewaysScroll(t, ctx)

	// Finding 5: the badge on the opening, its employer's page, the footer.
	submit(t, ctx, `[data-testid="opening-card"] h3 a`)
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`[data-testid="verified-badge"]`)))
	submit(t, ctx, `a[href="/employers/`+emp.EmployerID+`"]`)
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`[data-testid="verified-badge"]`)))
	if page := text(t, ctx, `main`); !strings.Contains(page, "成都高新技术产业开发区") || !strings.Contains(page, "量子计算科研助理") || !strings.Contains(page, "量子材料科研助理") {
		t.Errorf("employer page: %s", page)
	}
	if f := text(t, ctx, `footer`); !strings.Contains(f, "火炬") {
		t.Errorf("footer does not name the operator: %s", f)
	}
	noSidewaysScroll(t, ctx)

	// Finding 3: an unknown page is the site's own page, in Chinese.
	if got := fetchStatus("/no-such-page"); !strings.HasPrefix(got, "404 text/html") {
		t.Errorf("unknown page: %s", got)
	}
	do(t, ctx, chromedp.Navigate(a.URL+"/no-such-page"), chromedp.WaitVisible(chromedp.CSS(`main`)))
	if lang := js(t, ctx, `document.documentElement.lang`); lang != "zh-CN" || len(texts(t, ctx, `header.top`)) != 1 {
		t.Errorf("the 404 is not the site's styled page (lang %q)", lang)
	}

	// Finding 4: after applying, the state instead of the button.
	login(t, ctx, a.URL, g.Email, testutil.Password)
	do(t, ctx, chromedp.Navigate(a.URL+"/openings/"+phd), chromedp.WaitVisible(chromedp.CSS(`[data-testid="apply-button"]`)))
	submit(t, ctx, `form[action$="/apply"] [data-testid="apply-button"]`)
	do(t, ctx, chromedp.Navigate(a.URL+"/openings/"+phd), chromedp.WaitVisible(chromedp.CSS(`[data-testid="applied-state"]`)))
	if n := len(texts(t, ctx, `[data-testid="apply-button"]`)); n != 0 {
		t.Errorf("the apply button is still offered after applying")
	}
	logout(t, ctx)

	// Finding 3: the employer's notification link lands on the applicant.
	login(t, ctx, a.URL, emp.Email, testutil.Password)
	do(t, ctx, chromedp.Navigate(a.URL+"/notifications"), chromedp.WaitVisible(chromedp.CSS(`main .card a[href^="/applications/"]`)))
	submit(t, ctx, `main .card a[href^="/applications/"]`)
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	if !strings.Contains(loc, "/employer/openings/"+phd+"#app-") {
		t.Fatalf("the notification link led to %s", loc)
	}
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`[data-testid="applicant"]`)))
	noSidewaysScroll(t, ctx)
}

// Issue 15 findings 1 and 8 on the imports page, at phone size: the kinds,
// the job's state and each refused row's reason are in the reader's
// language (they were employers, done and the API's English reasons).
func TestBrowserImportsInReadersLanguage(t *testing.T) {
	a := testutil.NewApp(t)
	zone := a.ZoneAdmin("sichuan-chengdu")
	f := excelize.NewFile()
	for i, r := range [][]any{
		{"单位名称", "统一社会信用代码", "单位类型", "单位规模", "所属行业"},
		{"导入科技有限公司", testutil.RandomCreditCode(), "企业", "小型", "人工智能"},
		{"错误代码公司", "914403001922038217", "企业", "小型", "人工智能"}, // bad check character
		{"类型错误公司", testutil.RandomCreditCode(), "ngo", "小型", "人工智能"},
	} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	// A long name, as officers name their files, takes the list's room.
	book := filepath.Join(t.TempDir(), "成都高新区2026年第四季度科研助理用人单位导入名单（第二批，已核对无误，请勿重复上传）.xlsx")
	if err := f.SaveAs(book); err != nil {
		t.Fatal(err)
	}
	ctx := browser(t, 390, 844)
	login(t, ctx, a.URL, zone.Email, testutil.Password)
	do(t, ctx, chromedp.Navigate(a.URL+"/staff/imports"), chromedp.WaitVisible(chromedp.CSS(`#f-employers`)))
	for _, h := range texts(t, ctx, `main form h2`) {
		chineseMessage(t, "import kind", h)
	}
	do(t, ctx, chromedp.SetUploadFiles(chromedp.CSS(`#f-employers`), []string{book}))
	submit(t, ctx, `form[action="/staff/imports/employers"] button`)
	// The script reloads the page once the job ends; only the page the
	// server renders for an ended job says 新增 (created). A read may meet
	// the reload mid-way and fail: keep polling until the deadline.
	const jobText = `(document.getElementById("job-text")||{}).textContent||""`
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		got, err := chromedp.Run(ctx, chromedp.Evaluate[string](jobText))
		if err == nil && strings.Contains(got, "新增") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the import did not end on the page: %q (%v)", got, err)
		}
	}
	state := text(t, ctx, `#job-text`)
	if !strings.Contains(state, "3/3") || !strings.Contains(state, "新增 1") || strings.ContainsAny(state, "abcdefghijklmnopqrstuvwxyz") {
		t.Errorf("the import's state: %q", state)
	}
	errs := texts(t, ctx, `#job li`)
	if len(errs) != 2 {
		t.Fatalf("refused rows: %q", errs)
	}
	for _, e := range errs {
		chineseMessage(t, "refused row", e)
		if strings.Contains(e, "must") || strings.Contains(e, "not a valid") {
			t.Errorf("a refused row's reason in English: %q", e)
		}
	}
	noSidewaysScroll(t, ctx)
	// On a desktop the recent imports' times and states keep to one line
	// beside a long file name (a walk read 「2026-12-」 over 「06 18:24」
	// and 已完 over 成 at 1280 px).
	do(t, ctx, chromedp.EmulateViewport(1280, 900))
	for _, lang := range []string{"zh", "en"} {
		do(t, ctx, chromedp.Navigate(a.URL+"/staff/imports?lang="+lang), chromedp.WaitVisible(chromedp.CSS(`[data-testid="import-row"]`)))
		if lines := js(t, ctx, `[...document.querySelectorAll('[data-testid="import-row"] td.nowrap')].map(td => {
			const r = document.createRange(); r.selectNodeContents(td);
			return new Set([...r.getClientRects()].filter(x => x.width > 0).map(x => Math.round(x.top))).size;
		}).join(",")`); lines != "1,1" {
			t.Errorf("%s at 1280 px: the import's time and state take %s lines", lang, lines)
		}
	}
}

// An import probe: one failed poll of a running import (a 503 while the
// database was slow) froze its page at 导入中 until reloaded. The page
// says it is trying again, tries again, and follows the import to its end.
func TestBrowserImportPollRetries(t *testing.T) {
	a := testutil.NewApp(t)
	zone := a.ZoneAdmin("sichuan-chengdu")
	ctx := browser(t, 390, 844)
	login(t, ctx, a.URL, zone.Email, testutil.Password)
	// The import waits for the lock: it runs while the page loads.
	release := testutil.LockTable(t, testutil.SQL(t, a.DBURL), "employers", "EXCLUSIVE")
	f := excelize.NewFile()
	for i, r := range [][]any{{"单位名称", "统一社会信用代码", "单位类型", "单位规模", "所属行业"},
		{"轮询重试科技有限公司", testutil.RandomCreditCode(), "企业", "小型", "人工智能"}} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		f.SetSheetRow("Sheet1", cell, &r)
	}
	book, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	id := a.UploadFile("/api/v1/imports/employers", zone.Token, "e.xlsx", book.Bytes()).JSON()["id"].(string)

	// The job's first two polls fail as a busy server's do. Listen's func
	// runs no command: the paused requests are answered from a goroutine.
	var polls atomic.Int32
	paused := make(chan cdpfetch.RequestID, 64)
	if err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*cdpfetch.EventRequestPaused); ok {
			paused <- e.RequestID
		}
	}); err != nil {
		t.Fatal(err)
	}
	go func() {
		for id := range paused {
			if polls.Add(1) <= 2 {
				chromedp.Call(ctx, cdpfetch.FulfillRequest, cdpfetch.FulfillRequestParams{RequestID: id, ResponseCode: http.StatusServiceUnavailable,
					ResponseHeaders: []*cdpfetch.HeaderEntry{{Name: "Content-Type", Value: "application/json"}},
					Body:            []byte(`{"error":{"code":"unavailable","message":"busy"}}`)})
				continue
			}
			chromedp.Call(ctx, cdpfetch.ContinueRequest, cdpfetch.ContinueRequestParams{RequestID: id})
		}
	}()
	if _, err := chromedp.Call(ctx, cdpfetch.Enable, cdpfetch.EnableParams{Patterns: []*cdpfetch.RequestPattern{{URLPattern: "*/api/v1/imports/" + id}}}); err != nil {
		t.Fatal(err)
	}
	do(t, ctx, chromedp.Navigate(a.URL+"/staff/imports?job="+id), chromedp.WaitVisible(chromedp.CSS(`#job-text`)))
	const jobText = `(document.getElementById("job-text")||{}).textContent||""`
	waitText := func(what string, ok func(string) bool) string {
		for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
			got, err := chromedp.Run(ctx, chromedp.Evaluate[string](jobText))
			if err == nil && ok(got) {
				return got
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: the page reads %q (%v)", what, got, err)
			}
		}
	}
	retrying := waitText("a failed poll", func(s string) bool { return strings.Contains(s, "重试") })
	chineseMessage(t, "a failed poll", retrying)
	// Answered again, it follows the import: released, it ends on the page.
	waitText("polls again", func(string) bool { return polls.Load() >= 3 })
	// Without ?job=, the recent list's running row follows its job too (a
	// walk: the row stayed at 0/4001 while the card beside it moved).
	seen := polls.Load()
	do(t, ctx, chromedp.Navigate(a.URL+"/staff/imports"), chromedp.WaitVisible(chromedp.CSS(`tr[data-testid="import-row"][data-status="running"] .row-checked`)))
	for deadline := time.Now().Add(15 * time.Second); polls.Load() < seen+2; time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the recent list's running row does not follow its job")
		}
	}
	do(t, ctx, chromedp.Navigate(a.URL+"/staff/imports?job="+id), chromedp.WaitVisible(chromedp.CSS(`#job-text`)))
	release()
	if got := waitText("the import's end", func(s string) bool { return strings.Contains(s, "新增") }); !strings.Contains(got, "1/1") || !strings.Contains(got, "新增 1") {
		t.Errorf("the import's end: %q", got)
	}
}

// Issue 15 item 4 at phone size, the account pages: a wrong current
// password is refused beside its field in Chinese, the right one changes
// the password; the privacy page downloads the export as a file, refuses
// the deletion until its box is ticked, then deletes and signs out.
func TestBrowserAccountAndPrivacy(t *testing.T) {
	a := testutil.NewApp(t)
	g := a.Graduate()
	const newPassword = "another-Passw0rd-2026"
	ctx := browser(t, 390, 844)
	login(t, ctx, a.URL, g.Email, testutil.Password)

	// At 375 px the address's 未验证 broke in two, 「未」 over 「验证」 (a
	// walk, walk37): the word stays whole.
	do(t, ctx, chromedp.EmulateViewport(375, 812))
	for _, l := range []string{"zh", "en"} {
		do(t, ctx, chromedp.Navigate(a.URL+"/account?lang="+l), chromedp.WaitVisible(chromedp.CSS(`[data-testid="email-unverified"]`)))
		if n := linesOf(t, ctx, `[data-testid="email-unverified"]`); n != 1 {
			t.Errorf("%s: the address's %q stands on %d lines", l, text(t, ctx, `[data-testid="email-unverified"]`), n)
		}
	}
	do(t, ctx, chromedp.EmulateViewport(390, 844), chromedp.Navigate(a.URL+"/account?lang=zh"))

	do(t, ctx, chromedp.Navigate(a.URL+"/account"), chromedp.WaitVisible(chromedp.CSS(`#f-current_password`)),
		chromedp.SendKeys(chromedp.CSS(`#f-current_password`), "not-the-password-1"),
		chromedp.SendKeys(chromedp.CSS(`#f-new_password`), newPassword))
	submit(t, ctx, `[data-testid="change-password-submit"]`)
	chineseMessage(t, "wrong current password", text(t, ctx, `#e-current_password`))
	noSidewaysScroll(t, ctx)
	do(t, ctx, chromedp.SendKeys(chromedp.CSS(`#f-current_password`), testutil.Password),
		chromedp.SendKeys(chromedp.CSS(`#f-new_password`), newPassword))
	submit(t, ctx, `[data-testid="change-password-submit"]`)
	if f := text(t, ctx, `.flash`); !strings.Contains(f, "✓ 密码已修改") { // ✓ as every other success (an account walk)
		t.Fatalf("password change: flash %q", f)
	}

	do(t, ctx, chromedp.Navigate(a.URL+"/account/privacy"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="export-data"]`)))
	got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch(document.querySelector('[data-testid="export-data"]').href).then(r => r.status + " " + r.headers.get("content-disposition"))`, chromedp.EvalAwaitPromise))
	if err != nil || !strings.HasPrefix(got, "200 attachment") {
		t.Errorf("export: %s (%v)", got, err)
	}
	noSidewaysScroll(t, ctx)
	do(t, ctx, chromedp.SendKeys(chromedp.CSS(`#f-password`), newPassword))
	submit(t, ctx, `[data-testid="delete-account"]`)
	chineseMessage(t, "delete without the box", text(t, ctx, `form[action="/account/delete"] .field-error`))
	do(t, ctx, chromedp.SendKeys(chromedp.CSS(`#f-password`), newPassword), chromedp.Click(chromedp.CSS(`[data-testid="delete-confirm"]`)))
	submit(t, ctx, `[data-testid="delete-account"]`)
	if n := len(texts(t, ctx, `header.top form`)); n != 0 {
		t.Error("still signed in after deleting the account")
	}
	if r := a.Do("POST", "/api/v1/auth/login", "", map[string]string{"email": g.Email, "password": newPassword}); r.Status == http.StatusOK {
		t.Error("the deleted account still signs in")
	}
}

// Issue 15 items 7 and 10 in the browser, at phone size: a two-word query
// typed into the search box finds only openings with both words (and says
// one result), the salary sort link puts the best-paid first even when
// relevance would not, the opening page's JobPosting parses in the browser
// with its monthly CNY salary, and the sitemap the browser fetches lists it.
func TestBrowserPhoneSearchQualityAndSEO(t *testing.T) {
	a := testutil.NewApp(t)
	emp, zone := a.Publisher()
	// 量子 only in the description: less relevant, older, better paid —
	// first only when sorted by salary.
	a.Publish(emp, zone, map[string]any{"title": "材料表征科研助理", "description": "研究量子器件材料。", "salary_min": 9000, "salary_max": 15000})
	chip := a.Publish(emp, zone, map[string]any{"title": "量子芯片科研助理", "salary_min": 7000, "salary_max": 12000})
	a.Publish(emp, zone, map[string]any{"title": "芯片封装科研助理", "salary_min": 5000, "salary_max": 8000})
	a.WaitIndexed(30 * time.Second)
	ctx := browser(t, 390, 844)
	do(t, ctx, chromedp.EmulateViewport(390, 844), chromedp.Navigate(a.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="search-input"]`)))

	do(t, ctx, chromedp.SendKeys(chromedp.CSS(`[data-testid="search-input"]`), "量子 芯片"))
	submit(t, ctx, `form[role="search"] button[type="submit"]`)
	waitCards(t, ctx, 1)
	// The matched words are marked, so the card's text breaks around them.
	card := strings.Join(strings.Fields(text(t, ctx, `[data-testid="opening-card"] h3`)), "")
	if total := text(t, ctx, `[data-testid="result-total"]`); card != "量子芯片科研助理" || !strings.Contains(total, "1") {
		t.Errorf("量子 芯片: %q, total %q", card, total)
	}

	do(t, ctx, chromedp.Navigate(a.URL+"/?q="+url.QueryEscape("量子")))
	waitCards(t, ctx, 2)
	submit(t, ctx, `.toolbar a[href*="sort=salary"]`)
	waitCards(t, ctx, 2)
	if cards := texts(t, ctx, `[data-testid="opening-card"] h3`); len(cards) != 2 || !strings.HasPrefix(strings.Join(strings.Fields(cards[0]), ""), "材料表征") {
		t.Errorf("量子 by salary: %v, want the 15000 one first", cards)
	}
	if on := js(t, ctx, `document.querySelector('.toolbar a[aria-current="true"]').href`); !strings.Contains(on, "sort=salary") {
		t.Errorf("the current sort is %q", on)
	}

	do(t, ctx, chromedp.Navigate(a.URL+"/openings/"+chip), chromedp.WaitVisible(chromedp.CSS(`main`)))
	posting := js(t, ctx, `(() => { const p = JSON.parse(document.querySelector('script[type="application/ld+json"]').textContent);
		return [p["@type"], p.title, p.baseSalary.currency, p.baseSalary.value.unitText, p.baseSalary.value.maxValue, p.validThrough ? "valid" : "none"].join(" ") })()`)
	if posting != "JobPosting 量子芯片科研助理 CNY MONTH 12000 valid" {
		t.Errorf("JobPosting read by the browser: %q", posting)
	}
	if page := text(t, ctx, `main`); !strings.Contains(page, "元/月") {
		t.Errorf("the opening page's salary has no unit: %s", page)
	}
	sitemap, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch("/sitemap.xml").then(r => r.text())`, chromedp.EvalAwaitPromise))
	if err != nil || !strings.Contains(sitemap, "/openings/"+chip+"</loc>") {
		t.Errorf("sitemap in the browser (%v):\n%s", err, sitemap)
	}
	noSidewaysScroll(t, ctx)
}

// What a phone walk in English found (TestScreenshots walks the Chinese
// pages of a small world): at 390 px a highlighted search title broke into
// side-by-side columns, the staff tables and a pending employer's row
// widened the page, table cells wrapped one character a line and the two
// sign-up forms stayed side by side.
func TestPhoneLayoutInEnglish(t *testing.T) {
	a := testutil.NewApp(t)
	emp, zone, _ := a.PublishedOpening(map[string]any{"title": "Machine Learning Research Assistant（机器学习与大模型评测科研助理）"})
	body := testutil.EmployerBody(testutil.MailAddress("pending"), "51", "sichuan-chengdu")
	body["employer"].(map[string]any)["name"] = "成都前沿人工智能与集成电路联合创新研究院有限公司"
	a.Must(http.StatusCreated, "POST", "/api/v1/auth/register", "", body)
	draft := a.Must(http.StatusCreated, "POST", "/api/v1/openings", emp.Token, testutil.OpeningBody(nil)).JSON()["id"].(string)
	a.Must(http.StatusOK, "POST", "/api/v1/openings/"+draft+"/submit", emp.Token, nil)
	for i := 0; i < 9; i++ { // ten in the zone: a two-digit count
		a.Publish(emp, zone, nil)
	}
	a.WaitIndexed(30 * time.Second)
	ctx := browser(t, 390, 844)

	// A graduate walk at 375 px: beside a zone's English name, which takes
	// two lines, its count 10 broke into 1 over 0 and read as two numbers.
	phone := browser(t, 375, 812)
	do(t, phone, chromedp.EmulateViewport(375, 812),
		chromedp.Navigate(a.URL+"/?lang=en#filters"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="facet-zone-sichuan-chengdu"]`)))
	if got := text(t, phone, `[data-testid="facet-zone-sichuan-chengdu"] span`); got != "10" {
		t.Fatalf("the zone's count %q", got)
	}
	if lines := linesOf(t, phone, `[data-testid="facet-zone-sichuan-chengdu"] span`); lines != 1 {
		t.Errorf("the zone facet's count is broken over %d lines", lines)
	}

	do(t, ctx, chromedp.Navigate(a.URL+"/?lang=en&q="+url.QueryEscape("机器学习")))
	waitCards(t, ctx, 1)
	// A title is running text: each piece (words, a highlight) starts on
	// the line where the one before it ends, not in a column beside it.
	if beside := js(t, ctx, `(() => { let end = -Infinity, beside = 0;
		for (const n of document.querySelector('[data-testid="opening-card"] h3 a').childNodes) {
			const r = document.createRange(); r.selectNodeContents(n);
			const rects = [...r.getClientRects()].filter(x => x.width > 0);
			if (!rects.length) continue;
			if (rects[0].bottom <= end) beside++;
			end = rects[rects.length - 1].top;
		}
		return String(beside); })()`); beside != "0" {
		t.Errorf("%s pieces of the highlighted title stand in a column beside the one before at 390 px", beside)
	}
	noSidewaysScroll(t, ctx)

	do(t, ctx, chromedp.Navigate(a.URL+"/register"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="register-employer"]`)))
	// The zone list follows the province (it listed all 178 zones).
	if got := js(t, ctx, `(() => { const p = document.getElementById('e-province'), z = document.getElementById('e-zone');
		p.value = '51'; p.dispatchEvent(new Event('change'));
		const shown = [...z.options].filter(o => o.value && !o.hidden);
		return shown.length + ' ' + shown.every(o => o.dataset.province === '51'); })()`); !strings.HasSuffix(got, " true") || strings.HasPrefix(got, "0 ") {
		t.Errorf("after choosing Sichuan the zone list shows %s", got)
	}
	// Boxes to tick are big enough to touch (a walk measured 13 px).
	if small := js(t, ctx, `String([...document.querySelectorAll('input[type=checkbox]')].filter(b => b.getBoundingClientRect().width < 20).length)`); small != "0" {
		t.Errorf("%s boxes to tick are under 20 px", small)
	}
	if above := js(t, ctx, `(() => { const [g, e] = document.querySelectorAll('main section.card');
		return String(g.getBoundingClientRect().bottom <= e.getBoundingClientRect().top); })()`); above != "true" {
		t.Error("the sign-up forms are side by side at 390 px")
	}
	noSidewaysScroll(t, ctx)

	login(t, ctx, a.URL, emp.Email, testutil.Password)
	do(t, ctx, chromedp.Navigate(a.URL+"/employer"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="my-opening"] .status`)))
	if lines := linesOf(t, ctx, `[data-testid="my-opening"] .status`); lines > 1 {
		t.Errorf("an opening's state wraps to %d lines on the workbench", lines)
	}
	noSidewaysScroll(t, ctx)
	logout(t, ctx)

	// The targets table: a long English zone name ran over the input
	// beside it (a browser walk). Each name stays left of its row's inputs.
	login(t, ctx, a.URL, a.ProvinceAdmin("51").Email, testutil.Password)
	do(t, ctx, chromedp.Navigate(a.URL+"/staff/targets?lang=en"), chromedp.WaitVisible(chromedp.CSS(`table.targets`)))
	if over := js(t, ctx, `(() => { let n = 0;
		for (const tr of document.querySelectorAll('table.targets tbody tr')) {
			const th = tr.querySelector('th[scope=row]'), inp = tr.querySelector('input[type=number]');
			if (!th || !inp) continue;
			const r = document.createRange(); r.selectNodeContents(th);
			const name = r.getBoundingClientRect(), box = inp.getBoundingClientRect();
			if (name.right > box.left && name.bottom > box.top) n++;
		}
		return String(n); })()`); over != "0" {
		t.Errorf("%s zone names run over their inputs on the targets table", over)
	}
	// walk41a: on a phone the table scrolled sideways inside its box, the
	// completion rate off the screen. Each area is a card of labelled lines.
	if over := scrollsInside(t, ctx, `table.targets`); over != "0" {
		t.Errorf("at 390 px the targets table scrolls sideways by %s px inside its box", over)
	}
	if label := js(t, ctx, `getComputedStyle(document.querySelector('table.targets tbody td:nth-of-type(5)'), '::before').content`); !strings.Contains(label, "ompletion") {
		t.Errorf("a target row's completion rate is not under its column's name: %s", label)
	}
	do(t, ctx, chromedp.Navigate(a.URL+"/?lang=en"))
	logout(t, ctx)

	for _, staff := range []testutil.Account{zone, a.ProvinceAdmin("51"), a.MinistryAdmin()} {
		login(t, ctx, a.URL, staff.Email, testutil.Password)
		for _, page := range []string{"/staff", "/staff/reports", "/staff/audit", "/staff/employers"} {
			do(t, ctx, chromedp.Navigate(a.URL+page), chromedp.WaitVisible(chromedp.CSS(`main h1`)))
			noSidewaysScroll(t, ctx)
		}
		// The employer list's search box fills its column like the
		// select beside it (it was a bare 150 px box).
		if fills := js(t, ctx, `(() => { const i = document.querySelector('[data-testid="employers-q"]');
			return String(i.getBoundingClientRect().width >= i.parentElement.getBoundingClientRect().width - 1); })()`); fills != "true" {
			t.Error("the employer list's search box does not fill its column")
		}
		// Its verify button is on the screen, not off to the right of a
		// table that scrolls (a browser walk found it at x = 558 px).
		if off := js(t, ctx, `(() => { const b = document.querySelector('[data-testid="verify-employer"]');
			return b ? String(b.getBoundingClientRect().right > window.innerWidth) : "none"; })()`); off == "true" || (staff.ID == zone.ID && off != "false") {
			t.Errorf("the employer list's verify button: off screen %s", off)
		}
		logout(t, ctx)
	}
}

// linesOf is how many lines of text the element sel takes; words for
// screen readers only (.sr-only, a button's "：岗位名") are not counted.
func linesOf(t *testing.T, ctx context.Context, sel string) int {
	t.Helper()
	n, err := strconv.Atoi(js(t, ctx, `(() => { const e = document.querySelector(`+strconv.Quote(sel)+`), bottoms = new Set();
		const w = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);
		for (let n; (n = w.nextNode());) {
			if (n.parentElement.closest(".sr-only")) continue;
			const r = document.createRange(); r.selectNodeContents(n);
			for (const x of r.getClientRects()) if (x.width > 0) bottoms.add(Math.round(x.bottom));
		}
		return String(bottoms.size); })()`))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// A walk on a phone, on a full event's page read by a visitor: the time
// read 「2027-01-15 14:00（周五） – 2027-01-15 16:00」 with 「（北京时间）」
// alone on the next line, the same day written twice; on a desktop a
// double gap stood before （北京时间）; and the 「登录后加入候补」 button
// touched the 注册 link beside it. The time is one piece, its end a time
// of day when it ends the same day, the zone beside it; the button and the
// link stand apart, on a phone and on a desktop.
func TestBrowserEventTimeAndSignIn(t *testing.T) {
	a := testutil.NewApp(t)
	admin := a.ZoneAdmin("sichuan-chengdu")
	start := domain.DateOf(time.Now()).AddDays(3).Time().Add(14 * time.Hour) // 14:00 in Beijing
	id := a.Must(http.StatusCreated, "POST", "/api/v1/events", admin.Token, map[string]any{"kind": "job_fair", "title": "W32 满员测试宣讲会（1 个名额）",
		"zone_code": "sichuan-chengdu", "location": "成都高新区天府软件园", "campaign": "招聘周", "capacity": 1,
		"starts_at": start.Format(time.RFC3339), "ends_at": start.Add(2 * time.Hour).Format(time.RFC3339)}).JSON()["id"].(string)
	a.Must(http.StatusCreated, "POST", "/api/v1/events/"+id+"/registrations", a.Graduate().Token, nil)
	day := start.Format("2006-01-02")
	// where is the event time's layout: how often the day is written, the
	// lines of the end "16:00" and of the zone's words, and the gap before
	// the zone's bracket.
	where := func(ctx context.Context, zone string) string {
		return js(t, ctx, `(() => { const p = [...document.querySelectorAll("main p.meta")].find(p => p.textContent.includes(`+strconv.Quote(zone)+`));
			if (!p) return "no time";
			const w = document.createTreeWalker(p, NodeFilter.SHOW_TEXT), at = {};
			for (let n; (n = w.nextNode());) for (const [k, s] of [["end", "16:00"], ["zone", `+strconv.Quote(zone)+`], ["open", "("], ["open", "（"]]) {
				const i = n.data.lastIndexOf(s); if (i < 0 || (k === "open" && !n.data.includes(`+strconv.Quote(zone)+`))) continue;
				const r = document.createRange(); r.setStart(n, i); r.setEnd(n, i + s.length); at[k] = r.getClientRects()[0];
			}
			const days = (p.textContent.match(/`+day+`/g) || []).length;
			return days + " " + (at.end && at.zone ? String(Math.round(at.end.top) === Math.round(at.zone.top)) : "missing") +
				" " + (at.end && at.open ? String(Math.round(at.open.left - at.end.right)) : "missing"); })()`)
	}
	for _, size := range []struct{ w, h int }{{375, 812}, {1280, 900}} {
		ctx := browser(t, size.w, size.h)
		do(t, ctx, chromedp.EmulateViewport(int64(size.w), int64(size.h)))
		for lang, zone := range map[string]string{"zh": "北京时间", "en": "Beijing time"} {
			do(t, ctx, chromedp.Navigate(a.URL+"/events/"+id+"?lang="+lang), chromedp.WaitVisible(chromedp.CSS(`[data-testid="event-login"]`)))
			got := strings.Fields(where(ctx, zone))
			if len(got) != 3 || got[0] != "1" {
				t.Errorf("%s at %d px: the event's day is written %s times, want once (%q)", lang, size.w, got[0], got)
			}
			if len(got) == 3 && got[1] != "true" {
				t.Errorf("%s at %d px: %q stands on another line than the end of the time", lang, size.w, zone)
			}
			if gap, err := strconv.Atoi(got[len(got)-1]); err != nil || gap > 6 {
				t.Errorf("%s at %d px: a gap of %s px before the zone's bracket", lang, size.w, got[len(got)-1])
			}
			if gap, err := strconv.Atoi(js(t, ctx, `(() => { const a = document.querySelector('[data-testid="event-login"]').getBoundingClientRect(),
				b = document.querySelector('main a[href="/register"]').getBoundingClientRect();
				return String(Math.round(Math.max(b.left - a.right, b.top - a.bottom))); })()`)); err != nil || gap < 8 {
				t.Errorf("%s at %d px: the sign-in button and the 注册 link are %d px apart, want 8 or more (%v)", lang, size.w, gap, err)
			}
			shoot(t, ctx, os.Getenv("GRADZONE_SCREENSHOTS"), fmt.Sprintf("event-%s-%d", lang, size.w))
			noSidewaysScroll(t, ctx)
		}
	}
}

// widerThanWords is a script that lists the buttons sel matches that are
// more than 4rem wider than their words (the padding is 2rem).
func widerThanWords(sel string) string {
	return `[...document.querySelectorAll(` + strconv.Quote(sel) + `)].filter(b => b.offsetParent).filter(b => {
		const r = document.createRange(); r.selectNodeContents(b);
		return b.getBoundingClientRect().width - r.getBoundingClientRect().width > 64;
	}).map(b => b.textContent.trim() + " " + Math.round(b.getBoundingClientRect().width) + "px").join(", ")`
}

// A walk at 1280 px (walk37): the applicant page's 不通过 was a red bar
// the width of the card, about 1050 px, alone in its form. On a desktop
// the moves' buttons are as wide as their words, alone or beside
// 入围, in both languages.
func TestBrowserApplicantMovesAsWideAsTheirWords(t *testing.T) {
	a := testutil.NewApp(t)
	emp, _, id := a.PublishedOpening(nil)
	_, submitted := a.Applicant(id, "您好")
	_, shortlisted := a.Applicant(id, "您好")
	a.Must(http.StatusOK, "POST", "/api/v1/applications/"+shortlisted+"/transitions", emp.Token, map[string]string{"to": "shortlisted"})
	ctx := browser(t, 1280, 900)
	login(t, ctx, a.URL, emp.Email, testutil.Password)
	for _, app := range []string{submitted, shortlisted} {
		for _, lang := range []string{"zh", "en"} {
			do(t, ctx, chromedp.Navigate(a.URL+"/employer/applications/"+app+"?lang="+lang), chromedp.WaitVisible(chromedp.CSS(`[data-testid="reject-applicant"]`)))
			if wide := js(t, ctx, widerThanWords(`[data-testid="applicant-moves"] button`)); wide != "" {
				t.Errorf("%s, %s: buttons far wider than their words: %s", app, lang, wide)
			}
			shoot(t, ctx, os.Getenv("GRADZONE_SCREENSHOTS"), "applicant-moves-"+lang+"-"+app[:8])
			noSidewaysScroll(t, ctx)
		}
	}
}

// A walk at 1280 px (walk37): on /staff/placements, opening one row's
// 撤销录用 widened the graduate column of every row (to about 360 px), the
// openings' titles squeezed into three lines. The open form keeps every
// column as it was, and its reason box is read whole; on a phone nothing
// scrolls sideways.
func TestBrowserRevokeFormKeepsTheColumns(t *testing.T) {
	a := testutil.NewApp(t)
	emp, admin, opening := a.PublishedOpening(map[string]any{"title": "成都高新区新能源电池材料研发工程师（应届硕士及以上）"})
	for range 2 {
		g, app := a.Applicant(opening, "您好")
		a.Hire(emp.Token, g.Token, app, domain.DateOf(time.Now()).String())
	}
	columns := `[...document.querySelectorAll('[data-testid="placements"] thead th')].map(th => Math.round(th.getBoundingClientRect().width)).join(" ")`
	for _, size := range []struct{ w, h int }{{1280, 900}, {375, 812}} {
		ctx := browser(t, size.w, size.h)
		login(t, ctx, a.URL, admin.Email, testutil.Password)
		for _, lang := range []string{"zh", "en"} {
			do(t, ctx, chromedp.Navigate(a.URL+"/staff/placements?lang="+lang), chromedp.WaitVisible(chromedp.CSS(`[data-testid="revoke-open"]`)))
			closed := js(t, ctx, columns)
			shoot(t, ctx, os.Getenv("GRADZONE_SCREENSHOTS"), fmt.Sprintf("placements-%s-%d", lang, size.w))
			do(t, ctx, chromedp.Click(chromedp.CSS(`[data-testid="revoke-open"]`)), chromedp.WaitVisible(chromedp.CSS(`[data-testid="revoke-form"] input[name=reason]`)))
			if open := js(t, ctx, columns); size.w > 760 && open != closed {
				t.Errorf("%s at %d px: the columns were %s px wide, %s with a revoke form open", lang, size.w, closed, open)
			}
			if share := js(t, ctx, `String(Math.round(100 * document.querySelector('[data-testid="revoke-form"] input[name=reason]').getBoundingClientRect().width /
				document.querySelector('[data-testid="placements"]').getBoundingClientRect().width))`); atoi(share) < 50 {
				t.Errorf("%s at %d px: the reason box is %s%% of the list's width, want half or more", lang, size.w, share)
			}
			shoot(t, ctx, os.Getenv("GRADZONE_SCREENSHOTS"), fmt.Sprintf("placements-revoke-open-%s-%d", lang, size.w))
			noSidewaysScroll(t, ctx)
		}
	}
}

// A walk on a phone (walk37): a registered graduate's event page broke
// 「我的活动」 after the check-in code, 「我的」 over 「活动」. The link
// stays whole, in both languages.
func TestBrowserPhoneEventKeepsMyEventsWhole(t *testing.T) {
	a := testutil.NewApp(t)
	g := a.Graduate()
	a.MarkVerified(g.ID)
	id, _ := registeredEvent(t, a, a.ZoneAdmin("sichuan-chengdu").Token, g)
	ctx := browser(t, 375, 812)
	login(t, ctx, a.URL, g.Email, testutil.Password)
	for _, lang := range []string{"zh", "en"} {
		do(t, ctx, chromedp.Navigate(a.URL+"/events/"+id+"?lang="+lang), chromedp.WaitVisible(chromedp.CSS(`main .flash a[href="/me/events"]`)))
		if n := linesOf(t, ctx, `main .flash a[href="/me/events"]`); n != 1 {
			t.Errorf("%s: the link to my events takes %d lines", lang, n)
		}
		shoot(t, ctx, os.Getenv("GRADZONE_SCREENSHOTS"), "event-registered-"+lang+"-375")
		noSidewaysScroll(t, ctx)
	}
}

// atoi is s as a number, -1 when it is none.
func atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1
	}
	return n
}

// evenPadding is a script that lists the boxes sel matches whose space
// above their first line differs from the space below their last by more
// than 4 px: the gap from the box's top edge to its first child and from
// its last child to its bottom edge, margins inside the box included.
func evenPadding(sel string) string {
	return `[...document.querySelectorAll(` + strconv.Quote(sel) + `)].map(b => {
		const kids = [...b.children].filter(k => k.getClientRects().length && getComputedStyle(k).position !== "absolute");
		if (!kids.length) return "";
		const r = b.getBoundingClientRect(), top = kids[0].getBoundingClientRect().top - r.top, bottom = r.bottom - kids[kids.length - 1].getBoundingClientRect().bottom;
		return Math.abs(top - bottom) > 4 ? (b.dataset.testid || b.className) + ": " + Math.round(top) + " px above, " + Math.round(bottom) + " px below" : "";
	}).filter(Boolean).join("; ")`
}

// A walk (walk39) at 375 and 1280 px: on a full event's page the box of
// one's place on the waitlist (候补第 1 位 and 退出候补) stood 28 px of
// green above its words and 12 px below the button; on 我的活动 each
// card's title stood 36 px below the card's top edge, 17 to 27 px of
// card under its last line; on /events each card had 32 px under its
// last line, 17 above its title. The space is even above and below, in
// both languages.
func TestBrowserEventBoxesEvenlyPadded(t *testing.T) {
	a := testutil.NewApp(t)
	admin := a.ZoneAdmin("sichuan-chengdu")
	start := domain.DateOf(time.Now()).AddDays(10).Time().Add(14 * time.Hour) // 14:00 in Beijing, ten days on
	id := a.Must(http.StatusCreated, "POST", "/api/v1/events", admin.Token, map[string]any{"kind": "job_fair", "title": "成都高新区新能源电池材料研发工程师专场双选会（应届硕士及以上）",
		"zone_code": "sichuan-chengdu", "location": "成都高新区菁蓉汇 3 号馆", "capacity": 1,
		"starts_at": start.Format(time.RFC3339), "ends_at": start.Add(2 * time.Hour).Format(time.RFC3339)}).JSON()["id"].(string)
	registered, waiting := a.Graduate(), a.Graduate()
	a.MarkVerified(registered.ID)
	a.MarkVerified(waiting.ID)
	a.Must(http.StatusCreated, "POST", "/api/v1/events/"+id+"/registrations", registered.Token, nil)
	a.Must(http.StatusCreated, "POST", "/api/v1/events/"+id+"/waitlist", waiting.Token, nil)
	for _, size := range []struct{ w, h int }{{375, 812}, {1280, 900}} {
		for _, who := range []testutil.Account{registered, waiting} {
			ctx := browser(t, size.w, size.h)
			do(t, ctx, chromedp.EmulateViewport(int64(size.w), int64(size.h)))
			login(t, ctx, a.URL, who.Email, testutil.Password)
			for _, lang := range []string{"zh", "en"} {
				pages := []struct{ path, sel string }{{"/me/events", `[data-testid="my-event"], [data-testid="my-waitlist"]`}, {"/events", `[data-testid="event-card"]`}}
				if who == waiting {
					pages = append(pages, struct{ path, sel string }{"/events/" + id, `[data-testid="event-waitlist-place"]`})
				}
				for _, p := range pages {
					do(t, ctx, chromedp.Navigate(a.URL+p.path+"?lang="+lang), chromedp.WaitVisible(chromedp.CSS(`footer`)))
					if uneven := js(t, ctx, evenPadding(p.sel)); uneven != "" {
						t.Errorf("%s %s at %d px: %s", p.path, lang, size.w, uneven)
					}
					noSidewaysScroll(t, ctx)
				}
			}
		}
	}
}
