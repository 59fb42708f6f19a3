package webui_test

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/gradzone/gradzone/internal/testutil"
)

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
}
