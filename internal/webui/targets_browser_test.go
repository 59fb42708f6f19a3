package webui_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/gradzone/gradzone/internal/testutil"
)

// Issue 15 item 6 at phone size: province staff and the ministry edit
// targets in the table; a bad value comes back beside its field in
// Chinese with every typed value, the cursor in it; once fixed, the save
// flashes and the table shows the new values. The table scrolls inside
// its wrapper (the page never wider than the phone) and its inputs and
// button are at least 44 px tall.
func TestBrowserTargetsTable(t *testing.T) {
	a := testutil.NewApp(t)
	year := time.Now().Year()
	province, ministry := a.ProvinceAdmin("51"), a.MinistryAdmin()
	ctx := browser(t, 390, 844)
	do(t, ctx, chromedp.EmulateViewport(390, 844))
	page := fmt.Sprintf("%s/staff/targets?year=%d", a.URL, year)

	// edit sets each selector's value, saves, and checks what came back.
	edit := func(who string, set map[string]string, wantError, wantFocus string) {
		t.Helper()
		for sel, v := range set {
			do(t, ctx, chromedp.SetValue(chromedp.CSS(sel), v))
		}
		submit(t, ctx, `[data-testid="save-targets"]`)
		for sel, v := range set {
			if got := fieldValue(t, ctx, sel); got != v {
				t.Errorf("%s: %s came back %q, want %q", who, sel, got, v)
			}
		}
		if wantError == "" {
			if f := text(t, ctx, `.flash`); !strings.Contains(f, "已保存") {
				t.Errorf("%s: flash %q after saving", who, f)
			}
			return
		}
		chineseMessage(t, who, text(t, ctx, wantError))
		if n := js(t, ctx, `String(document.querySelectorAll(".field-error").length)`); n != "1" {
			t.Errorf("%s: %s messages, want 1 beside the one bad field", who, n)
		}
		if f := focused(t, ctx); f != wantFocus {
			t.Errorf("%s: focus on %q, want %q", who, f, wantFocus)
		}
	}

	// Province staff: their zones; a negative target is refused, then fixed.
	login(t, ctx, a.URL, province.Email, testutil.Password)
	do(t, ctx, chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS(`#tp-sichuan-chengdu`)))
	if w := js(t, ctx, `String(document.documentElement.scrollWidth)`); w != "390" {
		t.Errorf("targets page is %s px wide on a 390 px phone", w)
	}
	for _, sel := range []string{"#tp-sichuan-chengdu", "#tl-sichuan-chengdu", `[data-testid="save-targets"]`} {
		h, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.querySelector('`+sel+`').getBoundingClientRect().height`))
		if err != nil || h < 44 {
			t.Errorf("%s is %.0f px tall, under 44 (%v)", sel, h, err)
		}
	}
	edit("province", map[string]string{"#tp-sichuan-chengdu": "120", "#tl-sichuan-chengdu": "80", "#tp-sichuan-luzhou": "-5", "#tl-sichuan-luzhou": "9"},
		"#e-tp-sichuan-luzhou", "target_positions.sichuan-luzhou")
	edit("province", map[string]string{"#tp-sichuan-luzhou": "30"}, "", "")
	if v := fieldValue(t, ctx, "#tl-sichuan-chengdu"); v != "80" {
		t.Errorf("after saving, the table shows %q for Chengdu's placements target", v)
	}
	if got := zoneTargets(a, province.Token, "sichuan-luzhou", year); got != [2]any{float64(30), float64(9)} {
		t.Errorf("Luzhou saved as %v", got)
	}
	logout(t, ctx)

	// The ministry: an absurd province target is refused, then fixed; the
	// province's row opens its zones.
	login(t, ctx, a.URL, ministry.Email, testutil.Password)
	do(t, ctx, chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS(`#tl-51`)))
	edit("ministry", map[string]string{"#tp-51": "5000", "#tl-51": "99999999999"}, "#e-tl-51", "target_placements.51")
	edit("ministry", map[string]string{"#tl-51": "3000"}, "", "")
	do(t, ctx, chromedp.Click(chromedp.CSS(`tr[data-code="51"] [data-testid="target-drill"]`)), chromedp.WaitVisible(chromedp.CSS(`#tl-sichuan-chengdu`)))
	if v := fieldValue(t, ctx, "#tl-sichuan-chengdu"); v != "80" {
		t.Errorf("the ministry sees %q for Chengdu's placements target, want 80", v)
	}
}
