package webui_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/gradzone/gradzone/internal/testutil"
)

// Issue 15 finding 6: the workbench listed closed batches before anything
// that needed action. Openings with new applicants come first, marked;
// closed openings are folded away at the end.
func TestWorkbenchOrderedByAction(t *testing.T) {
	a := testutil.NewApp(t)
	emp, admin := a.Publisher()
	quiet := a.Publish(emp, admin, map[string]any{"title": "安静岗位"})
	a.Publish(emp, admin, map[string]any{"title": "快截止岗位", "deadline": testutil.InDays(3)})
	for i := 0; i < 3; i++ {
		closed := a.Publish(emp, admin, map[string]any{"title": "已关闭批次"})
		a.Must(http.StatusOK, "POST", "/api/v1/openings/"+closed+"/close", emp.Token, nil)
	}
	busy := a.Publish(emp, admin, map[string]any{"title": "有新申请岗位"})
	for i := 0; i < 2; i++ {
		a.Must(http.StatusCreated, "POST", "/api/v1/openings/"+busy+"/applications", a.Graduate().Token, map[string]string{"cover_letter": "您好"})
	}
	// The last change comes first by default: touch the quiet one last.
	a.Must(http.StatusOK, "PATCH", "/api/v1/openings/"+quiet, emp.Token, map[string]any{"title": "安静岗位"})

	page := newWebClient(t, a, emp.Email).get("/employer")
	open := page[strings.Index(page, `data-testid="open-openings"`):]
	open = open[:strings.Index(open, "</table>")]
	iBusy, iSoon, iQuiet := strings.Index(open, "有新申请岗位"), strings.Index(open, "快截止岗位"), strings.Index(open, "安静岗位")
	if iBusy < 0 || iSoon < 0 || iQuiet < 0 || !(iBusy < iSoon && iSoon < iQuiet) {
		t.Errorf("open openings not in action order (new applicants %d, deadline soon %d, quiet %d)", iBusy, iSoon, iQuiet)
	}
	if !strings.Contains(open, "新申请 2") || !strings.Contains(open, `data-testid="deadline-soon"`) {
		t.Errorf("the marks for new applicants or a near deadline are missing")
	}
	if strings.Contains(open, "已关闭批次") {
		t.Errorf("closed openings listed among the open ones")
	}
	if !strings.Contains(page, "已关闭的岗位（3）") {
		t.Errorf("closed openings not folded away at the end")
	}
}
