package webui_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gradzone/gradzone/internal/testutil"
)

// Issue 15 finding 5: no trust signals. A verified employer now has a
// public page with the verified badge, its zone and its open openings; an
// opening links to it and carries the badge; every page's footer names the
// operator and its contact address.
func TestEmployerPageAndTrustSignals(t *testing.T) {
	a := testutil.NewApp(t, testutil.ContactEmail("help@kyzl.example.cn"))
	emp, admin := a.Publisher()
	open1 := a.Publish(emp, admin, map[string]any{"title": "在招岗位一"})
	a.Publish(emp, admin, map[string]any{"title": "在招岗位二"})
	closed := a.Publish(emp, admin, map[string]any{"title": "已关闭岗位"})
	a.Must(http.StatusOK, "POST", "/api/v1/openings/"+closed+"/close", emp.Token, nil)
	a.WaitIndexed(30 * time.Second)

	status, _, page := fetch(t, a, "/employers/"+emp.EmployerID)
	if status != http.StatusOK {
		t.Fatalf("employer page: %d", status)
	}
	for _, want := range []string{"成都智算科技有限公司", `data-testid="verified-badge"`, "已认证单位", "成都高新技术产业开发区", "在招岗位一", "在招岗位二", "在招岗位（2）"} {
		if !strings.Contains(page, want) {
			t.Errorf("employer page lacks %q", want)
		}
	}
	if strings.Contains(page, "已关闭岗位") {
		t.Errorf("employer page lists a closed opening")
	}
	if !strings.Contains(page, "工业和信息化部火炬高技术产业开发中心") || !strings.Contains(page, "mailto:help@kyzl.example.cn") {
		t.Errorf("footer does not name the operator and contact")
	}
	_, _, page = fetch(t, a, "/openings/"+open1)
	if !strings.Contains(page, `href="/employers/`+emp.EmployerID+`"`) || !strings.Contains(page, `data-testid="verified-badge"`) {
		t.Errorf("opening page has no link to its employer or no badge")
	}
	// A pending employer has no public page; nor has a made-up id.
	pending := a.Employer("51", "sichuan-chengdu")
	for _, id := range []string{pending.EmployerID, "00000000-0000-0000-0000-000000000000", "x"} {
		if status, _, _ := fetch(t, a, "/employers/"+id); status != http.StatusNotFound {
			t.Errorf("/employers/%s: %d, want 404", id, status)
		}
	}
}
