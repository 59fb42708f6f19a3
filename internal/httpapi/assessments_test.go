package httpapi_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/testutil"
)

// An employer's private rating and note on an applicant (issue 15 item 5):
// its own users read and change them; another employer, staff and the
// graduate do not, and the graduate's application and export never carry
// the note.
func TestAssessmentIsPrivateToTheEmployer(t *testing.T) {
	a := testutil.NewApp(t)
	emp := a.VerifiedEmployer("51", "sichuan-chengdu")
	rival := a.VerifiedEmployer("51", "sichuan-chengdu")
	admin := a.Staff(domain.RoleZoneAdmin, "sichuan-chengdu", "")
	id := a.Publish(emp, admin, nil)
	g := a.Graduate()
	app := a.Must(http.StatusCreated, "POST", "/api/v1/openings/"+id+"/applications", g.Token, map[string]string{"cover_letter": "您好"}).JSON()["id"].(string)
	path := "/api/v1/applications/" + app + "/assessment"

	empty := a.Must(http.StatusOK, "GET", path, emp.Token, nil).JSON()
	if empty["rating"] != nil || empty["note"] != "" {
		t.Fatalf("before any: %v", empty)
	}
	const secret = "面试表现一般，备选"
	got := a.Must(http.StatusOK, "PUT", path, emp.Token, map[string]any{"rating": 4, "note": secret}).JSON()
	if got["rating"].(float64) != 4 || got["note"] != secret {
		t.Fatalf("stored: %v", got)
	}
	if got := a.Must(http.StatusOK, "GET", path, emp.Token, nil).JSON(); got["rating"].(float64) != 4 || got["note"] != secret {
		t.Fatalf("read back: %v", got)
	}

	for _, bad := range []map[string]any{{"rating": 0}, {"rating": 6}, {"rating": 3, "note": strings.Repeat("字", 2001)}} {
		r := a.Do("PUT", path, emp.Token, bad)
		if r.Status != http.StatusUnprocessableEntity {
			t.Errorf("%v: %d", bad, r.Status)
		}
	}
	a.Must(http.StatusNotFound, "GET", path, rival.Token, nil)
	a.Must(http.StatusNotFound, "PUT", path, rival.Token, map[string]any{"rating": 1})
	a.Must(http.StatusForbidden, "GET", path, g.Token, nil)
	a.Must(http.StatusForbidden, "GET", path, admin.Token, nil)
	a.Must(http.StatusNotFound, "GET", "/api/v1/applications/not-a-uuid/assessment", emp.Token, nil)

	// Clearing the rating keeps the note as sent.
	if got := a.Must(http.StatusOK, "PUT", path, emp.Token, map[string]any{"rating": nil, "note": "x"}).JSON(); got["rating"] != nil || got["note"] != "x" {
		t.Fatalf("cleared: %v", got)
	}
	a.Must(http.StatusOK, "PUT", path, emp.Token, map[string]any{"rating": 2, "note": secret})
	for _, p := range []string{"/api/v1/applications/" + app, "/api/v1/me/export"} {
		if body := string(a.Must(http.StatusOK, "GET", p, g.Token, nil).Body); strings.Contains(body, secret) {
			t.Errorf("the graduate reads the private note at %s", p)
		}
	}
	if body := string(a.Must(http.StatusOK, "GET", "/api/v1/applications/"+app, admin.Token, nil).Body); strings.Contains(body, secret) {
		t.Errorf("staff read the private note")
	}
}
