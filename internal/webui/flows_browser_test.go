package webui_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/testutil"
)

// Issue 15 item 4, saved jobs (收藏), at phone size: a graduate saves an
// opening from a search card and from the opening page (plain form posts,
// no script needed), finds both under 我的 → 收藏, sees one shown closed
// after its employer closes it, and removes one from the list.
func TestBrowserSavedJobs(t *testing.T) {
	a := testutil.NewApp(t)
	emp := a.VerifiedEmployer("51", "sichuan-chengdu")
	admin := a.Staff(domain.RoleZoneAdmin, "sichuan-chengdu", "")
	first := a.Publish(emp, admin, map[string]any{"title": "量子计算科研助理"})
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

	// From the opening page.
	do(t, ctx, chromedp.Navigate(a.URL+"/openings/"+second), chromedp.WaitVisible(chromedp.CSS(`[data-testid="save-toggle"]`)))
	submit(t, ctx, `[data-testid="save-toggle"]`)
	if got := text(t, ctx, `[data-testid="save-toggle"]`); !strings.Contains(got, "已收藏") {
		t.Fatalf("opening page after saving: %q", got)
	}

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
