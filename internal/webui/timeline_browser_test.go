package webui_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/gradzone/gradzone/internal/testutil"
)

// Issue 15 item 4: 我的申请 shows each application as a timeline of its
// moves, oldest first, and the interview step carries the interview's time
// and place — on a phone, without sideways scrolling.
func TestBrowserApplicationTimeline(t *testing.T) {
	a := testutil.NewApp(t)
	emp, zone := a.Publisher()
	id := a.Publish(emp, zone, map[string]any{"title": "时间线科研助理"})
	g := a.Graduate()
	app := a.Must(http.StatusCreated, "POST", "/api/v1/openings/"+id+"/applications", g.Token, map[string]string{"cover_letter": "您好"}).JSON()["id"].(string)
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
