package httpapi_test

import (
	"net/http"
	"testing"

	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/testutil"
)

// Saved jobs (issue 15 item 4): a graduate saves an opening, sees it in its
// own list only, still sees it (closed) after the employer closes it, and
// removes it. Saving twice keeps one; other roles are refused.
func TestSavedOpenings(t *testing.T) {
	a := testutil.NewApp(t)
	emp := a.VerifiedEmployer("51", "sichuan-chengdu")
	admin := a.Staff(domain.RoleZoneAdmin, "sichuan-chengdu", "")
	id := a.Publish(emp, admin, map[string]any{"title": "收藏测试岗位"})
	g, other := a.Graduate(), a.Graduate()

	saved := a.Must(http.StatusOK, "PUT", "/api/v1/me/saved-openings/"+id, g.Token, nil).JSON()
	if saved["open"] != true || saved["opening"].(map[string]any)["id"] != id {
		t.Fatalf("saved: %v", saved)
	}
	a.Must(http.StatusOK, "PUT", "/api/v1/me/saved-openings/"+id, g.Token, nil)
	mine := a.Must(http.StatusOK, "GET", "/api/v1/me/saved-openings", g.Token, nil).JSON()
	if mine["total"].(float64) != 1 {
		t.Fatalf("saving twice: %v", mine)
	}
	if n := a.Must(http.StatusOK, "GET", "/api/v1/me/saved-openings", other.Token, nil).JSON()["total"].(float64); n != 0 {
		t.Fatalf("another graduate sees %v saved openings", n)
	}
	a.Must(http.StatusNotFound, "DELETE", "/api/v1/me/saved-openings/"+id, other.Token, nil)
	a.Must(http.StatusForbidden, "PUT", "/api/v1/me/saved-openings/"+id, emp.Token, nil)
	a.Must(http.StatusForbidden, "GET", "/api/v1/me/saved-openings", admin.Token, nil)
	a.Must(http.StatusUnauthorized, "GET", "/api/v1/me/saved-openings", "", nil)
	a.Must(http.StatusNotFound, "PUT", "/api/v1/me/saved-openings/not-a-uuid", g.Token, nil)

	// A draft is not there for a graduate to save.
	draft := a.Must(http.StatusCreated, "POST", "/api/v1/openings", emp.Token, testutil.OpeningBody(nil)).JSON()["id"].(string)
	a.Must(http.StatusNotFound, "PUT", "/api/v1/me/saved-openings/"+draft, g.Token, nil)

	a.Must(http.StatusOK, "POST", "/api/v1/openings/"+id+"/close", emp.Token, nil)
	item := a.Must(http.StatusOK, "GET", "/api/v1/me/saved-openings", g.Token, nil).JSON()["items"].([]any)[0].(map[string]any)
	if item["open"] != false || item["opening"].(map[string]any)["status"] != "closed" {
		t.Fatalf("a closed saved opening: %v", item)
	}
	if got := a.Do("PUT", "/api/v1/me/saved-openings/"+id, other.Token, nil); got.Status != http.StatusConflict {
		t.Fatalf("saving a closed opening: %d", got.Status)
	}
	a.Must(http.StatusNoContent, "DELETE", "/api/v1/me/saved-openings/"+id, g.Token, nil)
	if n := a.Must(http.StatusOK, "GET", "/api/v1/me/saved-openings", g.Token, nil).JSON()["total"].(float64); n != 0 {
		t.Fatalf("after removing: %v", n)
	}
}
