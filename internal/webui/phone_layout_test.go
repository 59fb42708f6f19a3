package webui_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/gradzone/gradzone/internal/testutil"
)

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
	a.WaitIndexed(30 * time.Second)
	ctx := browser(t, 390, 844)

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

	for _, staff := range []testutil.Account{zone, a.ProvinceAdmin("51"), a.MinistryAdmin()} {
		login(t, ctx, a.URL, staff.Email, testutil.Password)
		for _, page := range []string{"/staff", "/staff/reports", "/staff/audit"} {
			do(t, ctx, chromedp.Navigate(a.URL+page), chromedp.WaitVisible(chromedp.CSS(`main h1`)))
			noSidewaysScroll(t, ctx)
		}
		logout(t, ctx)
	}
}

// linesOf is how many lines of text the element sel takes.
func linesOf(t *testing.T, ctx context.Context, sel string) int {
	t.Helper()
	n, err := strconv.Atoi(js(t, ctx, `(() => { const e = document.querySelector(`+strconv.Quote(sel)+`);
		const r = document.createRange(); r.selectNodeContents(e);
		return String(new Set([...r.getClientRects()].map(x => Math.round(x.bottom))).size); })()`))
	if err != nil {
		t.Fatal(err)
	}
	return n
}
