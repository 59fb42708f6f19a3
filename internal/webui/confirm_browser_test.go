package webui_test

import (
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/gradzone/gradzone/internal/testutil"
)

// Issue 15 finding 6: closing an opening happened on one tap. It now asks
// first: Cancel leaves the opening published, OK closes it.
func TestBrowserCloseAsksFirst(t *testing.T) {
	a := testutil.NewApp(t)
	emp, admin := a.Publisher()
	id := a.Publish(emp, admin, nil)
	ctx := browser(t, 390, 844)

	var accept atomic.Bool
	var asked atomic.Value
	dialogs := chromedp.Events(ctx, page.JavascriptDialogOpening)
	go func() {
		for ev, err := range dialogs {
			if err != nil {
				return
			}
			asked.Store(ev.Message)
			_, _ = chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: accept.Load()})
		}
	}()
	status := func() string {
		return a.Must(http.StatusOK, "GET", "/api/v1/openings/"+id, emp.Token, nil).JSON()["status"].(string)
	}

	login(t, ctx, a.URL, emp.Email, testutil.Password)
	do(t, ctx, chromedp.Navigate(a.URL+"/employer"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="close-opening"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="close-opening"]`)), chromedp.Sleep(time.Second))
	if msg, _ := asked.Load().(string); !strings.Contains(msg, "关闭") {
		t.Fatalf("no confirmation asked before closing (dialog %q)", msg)
	}
	if got := status(); got != "published" {
		t.Fatalf("cancelled close: the opening is %s", got)
	}
	accept.Store(true)
	submit(t, ctx, `[data-testid="close-opening"]`)
	if got := status(); got != "closed" {
		t.Fatalf("confirmed close: the opening is %s", got)
	}
}

// The staff reject form needs a reason before it asks, and approve is the
// page's primary (filled) button, reject the secondary one.
func TestRejectNeedsReasonApproveIsPrimary(t *testing.T) {
	a := testutil.NewApp(t)
	emp, admin := a.Publisher()
	id := a.Must(http.StatusCreated, "POST", "/api/v1/openings", emp.Token, testutil.OpeningBody(nil)).JSON()["id"].(string)
	a.Must(http.StatusOK, "POST", "/api/v1/openings/"+id+"/submit", emp.Token, nil)
	page := newWebClient(t, a, admin.Email).get("/staff")
	i := strings.Index(page, `action="/staff/openings/`+id+`/reject"`)
	if i < 0 {
		t.Fatalf("no reject form for the opening")
	}
	form := page[i : i+strings.Index(page[i:], "</form>")]
	if !strings.Contains(form, `name="reason" required`) || !strings.Contains(form, `class="secondary" data-confirm=`) {
		t.Errorf("reject form: reason not required or reject not secondary/confirmed:\n%s", form)
	}
	if !strings.Contains(page, `<button data-testid="approve-opening">`) {
		t.Errorf("approve is not the primary button")
	}
}
