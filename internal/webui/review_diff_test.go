package webui_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/gradzone/gradzone/internal/testutil"
)

// Issue 15 item 6: an approved opening edited by its employer comes back to
// the review queue with what changed since the approval, field by field,
// old → new; a first submission shows no such table.
func TestReviewQueueShowsChangesSinceApproval(t *testing.T) {
	a := testutil.NewApp(t)
	emp, zone := a.Publisher()
	id := a.Publish(emp, zone, map[string]any{"title": "原来的岗位名称", "salary_max": 9000})
	fresh := a.Must(http.StatusCreated, "POST", "/api/v1/openings", emp.Token, testutil.OpeningBody(map[string]any{"title": "首次提交的岗位"})).JSON()["id"].(string)
	a.Must(http.StatusOK, "POST", "/api/v1/openings/"+fresh+"/submit", emp.Token, nil)
	a.Must(http.StatusOK, "PATCH", "/api/v1/openings/"+id, emp.Token, map[string]any{"title": "修改后的岗位名称", "salary_max": 12000})

	_, _, page := sendRaw(t, queueClient(t, a, zone.Email), "GET", a.URL+"/staff", "", "")
	cards := strings.Split(string(page), `data-testid="review-opening"`)
	var edited, first string
	for _, c := range cards[1:] {
		switch {
		case strings.Contains(c, "/openings/"+id):
			edited = c
		case strings.Contains(c, "/openings/"+fresh):
			first = c
		}
	}
	if edited == "" || first == "" {
		t.Fatalf("both openings should wait for review:\n%s", page)
	}
	diff, _, _ := strings.Cut(edited, "</table>")
	for _, want := range []string{`data-testid="review-changes"`, "岗位名称", "<del>原来的岗位名称</del>", "<ins>修改后的岗位名称</ins>",
		"<del>9000</del>", "<ins>12000</ins>"} {
		if !strings.Contains(diff, want) {
			t.Errorf("the edited opening's card lacks %q:\n%s", want, diff)
		}
	}
	if strings.Contains(diff, "<del>成都</del>") {
		t.Error("an unchanged field is listed as changed")
	}
	if strings.Contains(first, "review-changes") {
		t.Error("a first submission has nothing to compare with")
	}
}
