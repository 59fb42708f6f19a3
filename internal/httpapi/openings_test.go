package httpapi_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/gradzone/gradzone/internal/testutil"
)

func TestOpeningLifecycle(t *testing.T) {
	a := testutil.NewApp(t)
	emp := a.Employer("51", "sichuan-chengdu")
	chengdu := a.ZoneAdmin("sichuan-chengdu")
	mianyang := a.ZoneAdmin("sichuan-mianyang")
	sichuan := a.ProvinceAdmin("51")
	ministry := a.MinistryAdmin()
	other := a.VerifiedEmployer("51", "sichuan-chengdu")
	g := a.Graduate()

	// Only employers create openings.
	a.Must(http.StatusForbidden, "POST", "/api/v1/openings", g.Token, testutil.OpeningBody(nil))
	a.Must(http.StatusForbidden, "POST", "/api/v1/openings", chengdu.Token, testutil.OpeningBody(nil))
	a.Must(http.StatusUnauthorized, "POST", "/api/v1/openings", "", testutil.OpeningBody(nil))

	o := a.Must(http.StatusCreated, "POST", "/api/v1/openings", emp.Token, testutil.OpeningBody(map[string]any{"id": "client-chosen", "status": "published"})).JSON()
	id := o["id"].(string)
	if o["status"] != "draft" || id == "client-chosen" || len(id) != 36 {
		t.Fatalf("create: %v", o)
	}
	// Drafts are visible to the employer and staff in scope only.
	a.Must(http.StatusOK, "GET", "/api/v1/openings/"+id, emp.Token, nil)
	a.Must(http.StatusOK, "GET", "/api/v1/openings/"+id, chengdu.Token, nil)
	a.Must(http.StatusOK, "GET", "/api/v1/openings/"+id, sichuan.Token, nil)
	a.Must(http.StatusOK, "GET", "/api/v1/openings/"+id, ministry.Token, nil)
	for _, acc := range []testutil.Account{other, g, mianyang, {}} {
		a.Must(http.StatusNotFound, "GET", "/api/v1/openings/"+id, acc.Token, nil)
	}
	// Unverified employer cannot submit.
	r := a.Must(http.StatusConflict, "POST", "/api/v1/openings/"+id+"/submit", emp.Token, nil)
	if r.ErrorCode() != "employer_unverified" {
		t.Fatal(r.ErrorCode())
	}
	a.Must(http.StatusOK, "POST", "/api/v1/employers/"+emp.EmployerID+"/verify", chengdu.Token, nil)
	a.Must(http.StatusNotFound, "POST", "/api/v1/openings/"+id+"/submit", other.Token, nil)
	a.Must(http.StatusForbidden, "POST", "/api/v1/openings/"+id+"/submit", g.Token, nil)
	if s := a.Must(http.StatusOK, "POST", "/api/v1/openings/"+id+"/submit", emp.Token, nil).JSON()["status"]; s != "pending_review" {
		t.Fatal(s)
	}
	a.Must(http.StatusConflict, "POST", "/api/v1/openings/"+id+"/submit", emp.Token, nil)
	// Who may approve: the zone admin of the employer's zone, nobody else.
	a.Must(http.StatusForbidden, "POST", "/api/v1/openings/"+id+"/approve", emp.Token, nil)
	a.Must(http.StatusForbidden, "POST", "/api/v1/openings/"+id+"/approve", g.Token, nil)
	a.Must(http.StatusNotFound, "POST", "/api/v1/openings/"+id+"/approve", mianyang.Token, nil)
	a.Must(http.StatusForbidden, "POST", "/api/v1/openings/"+id+"/approve", sichuan.Token, nil)
	// Reject needs a reason; then the employer fixes and resubmits.
	r = a.Must(http.StatusUnprocessableEntity, "POST", "/api/v1/openings/"+id+"/reject", chengdu.Token, map[string]string{"reason": ""})
	if r.Field("reason") == "" {
		t.Fatal(string(r.Body))
	}
	o = a.Must(http.StatusOK, "POST", "/api/v1/openings/"+id+"/reject", chengdu.Token, map[string]string{"reason": "薪资范围请写明"}).JSON()
	if o["status"] != "rejected" || o["reject_reason"] != "薪资范围请写明" {
		t.Fatalf("reject: %v", o)
	}
	a.Must(http.StatusConflict, "POST", "/api/v1/openings/"+id+"/approve", chengdu.Token, nil)
	a.Must(http.StatusOK, "PATCH", "/api/v1/openings/"+id, emp.Token, map[string]any{"salary_max": 9500})
	a.Must(http.StatusOK, "POST", "/api/v1/openings/"+id+"/submit", emp.Token, nil)
	o = a.Must(http.StatusOK, "POST", "/api/v1/openings/"+id+"/approve", chengdu.Token, nil).JSON()
	if o["status"] != "published" || o["published_at"] == nil {
		t.Fatalf("approve: %v", o)
	}
	// Published: public.
	a.Must(http.StatusOK, "GET", "/api/v1/openings/"+id, "", nil)
	a.Must(http.StatusOK, "GET", "/api/v1/openings/"+id, other.Token, nil)
	// Another employer may not edit or close it.
	a.Must(http.StatusForbidden, "PATCH", "/api/v1/openings/"+id, other.Token, map[string]any{"title": "别人的岗位"})
	a.Must(http.StatusForbidden, "POST", "/api/v1/openings/"+id+"/close", other.Token, nil)
	a.Must(http.StatusForbidden, "POST", "/api/v1/openings/"+id+"/close", g.Token, nil)
	// A deadline-only edit keeps it published; a substantive one sends it back.
	if s := a.Must(http.StatusOK, "PATCH", "/api/v1/openings/"+id, emp.Token, map[string]any{"deadline": testutil.InDays(200)}).JSON()["status"]; s != "published" {
		t.Fatalf("deadline edit: %v", s)
	}
	if s := a.Must(http.StatusOK, "PATCH", "/api/v1/openings/"+id, emp.Token, map[string]any{"title": "科研助理（图像方向）"}).JSON()["status"]; s != "pending_review" {
		t.Fatalf("substance edit: %v", s)
	}
	a.Must(http.StatusNotFound, "GET", "/api/v1/openings/"+id, "", nil)
	// Re-approval does not count the positions twice.
	a.Must(http.StatusOK, "POST", "/api/v1/openings/"+id+"/approve", chengdu.Token, nil)
	db := testutil.SQL(t, a.DBURL)
	var developed int
	db.QueryRow(`SELECT coalesce(sum(positions_developed), 0) FROM progress_counters WHERE zone_code = 'sichuan-chengdu'`).Scan(&developed)
	if developed != 2 {
		t.Fatalf("positions developed %d, want 2", developed)
	}
	// Close; closing again conflicts; closed cannot be edited.
	if s := a.Must(http.StatusOK, "POST", "/api/v1/openings/"+id+"/close", emp.Token, nil).JSON()["status"]; s != "closed" {
		t.Fatal(s)
	}
	a.Must(http.StatusConflict, "POST", "/api/v1/openings/"+id+"/close", emp.Token, nil)
	a.Must(http.StatusConflict, "PATCH", "/api/v1/openings/"+id, emp.Token, map[string]any{"title": "再开"})
	var audits int
	db.QueryRow(`SELECT count(*) FROM audit_log WHERE entity_id = $1 AND kind IN ('opening.approved','opening.closed','opening.rejected')`, id).Scan(&audits)
	if audits != 4 {
		t.Fatalf("%d audit rows, want 4 (reject, approve, approve, close)", audits)
	}

	// Management lists follow scope.
	mine := a.Must(http.StatusOK, "GET", "/api/v1/openings/manage", emp.Token, nil).JSON()
	if mine["total"].(float64) != 1 {
		t.Fatalf("employer list: %v", mine["total"])
	}
	if n := a.Must(http.StatusOK, "GET", "/api/v1/openings/manage", other.Token, nil).JSON()["total"].(float64); n != 0 {
		t.Fatalf("other employer sees %v", n)
	}
	if n := a.Must(http.StatusOK, "GET", "/api/v1/openings/manage?status=closed", chengdu.Token, nil).JSON()["total"].(float64); n != 1 {
		t.Fatalf("zone list %v", n)
	}
	if n := a.Must(http.StatusOK, "GET", "/api/v1/openings/manage", mianyang.Token, nil).JSON()["total"].(float64); n != 0 {
		t.Fatalf("other zone sees %v", n)
	}
	a.Must(http.StatusForbidden, "GET", "/api/v1/openings/manage", g.Token, nil)
	a.Must(http.StatusUnprocessableEntity, "GET", "/api/v1/openings/manage?status=live", emp.Token, nil)
}

func TestZonelessOpeningApprovedByProvince(t *testing.T) {
	a := testutil.NewApp(t)
	emp := a.VerifiedEmployer("44", "")
	guangdong := a.ProvinceAdmin("44")
	shenzhen := a.ZoneAdmin("guangdong-shenzhen")
	id := a.Must(http.StatusCreated, "POST", "/api/v1/openings", emp.Token, testutil.OpeningBody(map[string]any{"city": "广州"})).JSON()["id"].(string)
	a.Must(http.StatusOK, "POST", "/api/v1/openings/"+id+"/submit", emp.Token, nil)
	a.Must(http.StatusNotFound, "POST", "/api/v1/openings/"+id+"/approve", shenzhen.Token, nil)
	o := a.Must(http.StatusOK, "POST", "/api/v1/openings/"+id+"/approve", guangdong.Token, nil).JSON()
	if o["zone"] != nil || o["province_code"] != "44" {
		t.Fatalf("zone-less opening: %v", o)
	}
}

func TestOpeningValidation(t *testing.T) {
	a := testutil.NewApp(t)
	emp := a.Employer("51", "sichuan-chengdu")
	cases := map[string]map[string]any{
		"headcount":   {"headcount": 0},
		"salary_max":  {"salary_min": 9000, "salary_max": 8000},
		"deadline":    {"deadline": "2020-01-01"},
		"industry":    {"industry": "casino"},
		"discipline":  {"discipline": "alchemy"},
		"degree_min":  {"degree_min": "phd"},
		"title":       {"title": strings.Repeat("长", 101)},
		"city":        {"city": ""},
		"description": {"description": strings.Repeat("字", 5001)},
		"majors":      {"majors": []string{""}},
	}
	for field, over := range cases {
		r := a.Must(http.StatusUnprocessableEntity, "POST", "/api/v1/openings", emp.Token, testutil.OpeningBody(over))
		if r.Field(field) == "" {
			t.Errorf("%s not named: %s", field, r.Body)
		}
	}
	for _, body := range []string{`{"headcount": "two"}`, `{"deadline": 20991231}`, `{"majors": "AI"}`, `not json`} {
		a.Must(http.StatusBadRequest, "POST", "/api/v1/openings", emp.Token, body)
	}
	r := a.Must(http.StatusUnprocessableEntity, "POST", "/api/v1/openings", emp.Token, testutil.OpeningBody(map[string]any{"headcount": 1001, "deadline": "2026-13-01"}))
	if r.Field("headcount") == "" || r.Field("deadline") == "" {
		t.Fatalf("every bad field is named: %s", r.Body)
	}
	var n int
	testutil.SQL(t, a.DBURL).QueryRow(`SELECT count(*) FROM openings`).Scan(&n)
	if n != 0 {
		t.Fatalf("%d openings stored by rejected requests", n)
	}
	a.Must(http.StatusNotFound, "GET", "/api/v1/openings/not-an-id", "", nil)
	a.Must(http.StatusNotFound, "POST", "/api/v1/openings/00000000-0000-4000-8000-000000000000/submit", emp.Token, nil)
}
