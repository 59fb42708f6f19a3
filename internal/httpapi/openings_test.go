package httpapi_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/gradzone/gradzone/internal/domain"
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
	// A draft is the employer's: its reviewer may not close it (a probe
	// did, and the employer could then neither submit nor delete it).
	if code := a.Must(http.StatusConflict, "POST", "/api/v1/openings/"+id+"/close", chengdu.Token, nil).ErrorCode(); code != "invalid_state" {
		t.Fatalf("the reviewer closing a draft: %s", code)
	}
	// A graduate may close no opening, and is told so alike whether the ID
	// is a draft it cannot see or none at all (contract43b: 403 for the
	// draft, 404 for none told it the draft exists).
	a.Must(http.StatusForbidden, "POST", "/api/v1/openings/"+id+"/close", g.Token, nil)
	a.Must(http.StatusForbidden, "POST", "/api/v1/openings/00000000-0000-4000-8000-000000000000/close", g.Token, nil)
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
	a.Must(http.StatusConflict, "POST", "/api/v1/openings/"+id+"/close", chengdu.Token, nil) // rejected: the employer's to mend
	a.Must(http.StatusOK, "PATCH", "/api/v1/openings/"+id, emp.Token, map[string]any{"salary_max": 9500})
	a.Must(http.StatusOK, "POST", "/api/v1/openings/"+id+"/submit", emp.Token, nil)
	o = a.Must(http.StatusOK, "POST", "/api/v1/openings/"+id+"/approve", chengdu.Token, nil).JSON()
	if o["status"] != "published" || o["published_at"] == nil {
		t.Fatalf("approve: %v", o)
	}
	// Each outcome is in the employer's messages too, not only in mail
	// (which can be muted, or bounce): an employer walk found none.
	var titles []string
	for _, it := range a.Must(http.StatusOK, "GET", "/api/v1/notifications", emp.Token, nil).JSON()["items"].([]any) {
		titles = append(titles, it.(map[string]any)["title"].(string))
	}
	if want := []string{"「科研助理」已审核通过并发布", "「科研助理」被驳回：薪资范围请写明", "单位认证已通过，可以发布岗位"}; !slices.Equal(titles, want) {
		t.Errorf("the employer's messages: %q, want %q", titles, want)
	}
	// Published: public.
	a.Must(http.StatusOK, "GET", "/api/v1/openings/"+id, "", nil)
	a.Must(http.StatusOK, "GET", "/api/v1/openings/"+id, other.Token, nil)
	// Another employer may not edit or close it.
	a.Must(http.StatusForbidden, "PATCH", "/api/v1/openings/"+id, other.Token, map[string]any{"title": "别人的岗位"})
	a.Must(http.StatusForbidden, "POST", "/api/v1/openings/"+id+"/close", other.Token, nil)
	a.Must(http.StatusForbidden, "POST", "/api/v1/openings/"+id+"/close", g.Token, nil)
	// Every write of another employer's public opening answers alike, and
	// says why (a walk had 404 from a submit and a delete, and "your role
	// may not do this").
	for _, method := range []string{"POST /submit", "DELETE ", "PATCH "} {
		verb, tail, _ := strings.Cut(method, " ")
		r := a.Must(http.StatusForbidden, verb, "/api/v1/openings/"+id+tail, other.Token, map[string]any{"title": "别人的岗位"})
		if !strings.Contains(string(r.Body), "another employer") {
			t.Errorf("%s of another employer's opening: %s", method, r.Body)
		}
	}
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

// A walk found a draft offered only 关闭 (close), "it will take no more
// applications": a draft never took any. Its employer deletes it; anything
// submitted once has a history, and is closed instead.
func TestDraftDeleted(t *testing.T) {
	a := testutil.NewApp(t)
	emp := a.VerifiedEmployer("51", "sichuan-chengdu")
	other := a.VerifiedEmployer("51", "sichuan-chengdu")
	chengdu := a.ZoneAdmin("sichuan-chengdu")
	g := a.Graduate()
	draft := func() string {
		return a.Must(http.StatusCreated, "POST", "/api/v1/openings", emp.Token, testutil.OpeningBody(nil)).JSON()["id"].(string)
	}
	id := draft()
	a.Must(http.StatusUnauthorized, "DELETE", "/api/v1/openings/"+id, "", nil)
	a.Must(http.StatusForbidden, "DELETE", "/api/v1/openings/"+id, g.Token, nil)
	a.Must(http.StatusForbidden, "DELETE", "/api/v1/openings/"+id, chengdu.Token, nil)
	a.Must(http.StatusNotFound, "DELETE", "/api/v1/openings/"+id, other.Token, nil)
	a.Must(http.StatusNotFound, "DELETE", "/api/v1/openings/not-a-uuid", emp.Token, nil)
	a.Must(http.StatusOK, "GET", "/api/v1/openings/"+id, emp.Token, nil)

	a.Must(http.StatusNoContent, "DELETE", "/api/v1/openings/"+id, emp.Token, nil)
	a.Must(http.StatusNotFound, "GET", "/api/v1/openings/"+id, emp.Token, nil)
	a.Must(http.StatusNotFound, "DELETE", "/api/v1/openings/"+id, emp.Token, nil)
	if n := a.Must(http.StatusOK, "GET", "/api/v1/openings/manage", emp.Token, nil).JSON()["total"].(float64); n != 0 {
		t.Errorf("the deleted draft is still listed: %v", n)
	}
	var audits int
	testutil.SQL(t, a.DBURL).QueryRow(`SELECT count(*) FROM audit_log WHERE entity_id = $1 AND kind = 'opening.deleted'`, id).Scan(&audits)
	if audits != 1 {
		t.Errorf("%d audit rows of the deletion, want 1", audits)
	}

	// Under review, and published: a history, so not deleted.
	id = draft()
	a.Must(http.StatusOK, "POST", "/api/v1/openings/"+id+"/submit", emp.Token, nil)
	if r := a.Must(http.StatusConflict, "DELETE", "/api/v1/openings/"+id, emp.Token, nil); r.ErrorCode() != "invalid_state" {
		t.Errorf("deleting an opening under review: %s", r.Body)
	}
	a.Must(http.StatusOK, "POST", "/api/v1/openings/"+id+"/approve", chengdu.Token, nil)
	a.Must(http.StatusConflict, "DELETE", "/api/v1/openings/"+id, emp.Token, nil)
	if st := a.Must(http.StatusOK, "GET", "/api/v1/openings/"+id, "", nil).JSON()["status"]; st != "published" {
		t.Errorf("a refused deletion changed the opening: %v", st)
	}
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

// Finding 7: an opening edited while pending_review went live with text its
// reviewer never saw. The reviewer approves a version; a stale one is 409.
func TestApproveNamesTheVersionRead(t *testing.T) {
	a := testutil.NewApp(t)
	emp, admin := a.Publisher()
	id := a.Must(201, "POST", "/api/v1/openings", emp.Token, testutil.OpeningBody(nil)).JSON()["id"].(string)
	a.Must(200, "POST", "/api/v1/openings/"+id+"/submit", emp.Token, nil)
	read := a.Must(200, "GET", "/api/v1/openings/"+id, admin.Token, nil).JSON()
	v1 := int(read["version"].(float64))
	if v1 < 1 {
		t.Fatalf("version %v", read["version"])
	}
	// Saving the form unchanged, or an empty patch, changes no content: the
	// version the reviewer read stays current (an API probe saw it grow).
	same := map[string]any{"title": read["title"], "deadline": read["deadline"], "majors": read["majors"]}
	for _, body := range []map[string]any{same, same, {}} {
		if v := a.Must(200, "PATCH", "/api/v1/openings/"+id, emp.Token, body).JSON()["version"]; int(v.(float64)) != v1 {
			t.Fatalf("an edit that changes nothing moved the version %d → %v", v1, v)
		}
	}
	// The employer edits while the reviewer reads.
	edited := a.Must(200, "PATCH", "/api/v1/openings/"+id, emp.Token, map[string]any{"description": "Now with unpaid overtime."}).JSON()
	if int(edited["version"].(float64)) <= v1 || edited["status"] != "pending_review" {
		t.Fatalf("after edit: version %v status %v", edited["version"], edited["status"])
	}
	r := a.Must(409, "POST", "/api/v1/openings/"+id+"/approve", admin.Token, map[string]any{"version": v1})
	if r.ErrorCode() != "version_conflict" {
		t.Fatalf("stale approve: %s", r.Body)
	}
	if st := a.Must(200, "GET", "/api/v1/openings/"+id, admin.Token, nil).JSON()["status"]; st != "pending_review" {
		t.Fatalf("a stale approval published it: %v", st)
	}
	// Reading again and approving what was read publishes it.
	cur := a.Must(200, "GET", "/api/v1/openings/"+id, admin.Token, nil).JSON()["version"]
	pub := a.Must(200, "POST", "/api/v1/openings/"+id+"/approve", admin.Token, map[string]any{"version": cur}).JSON()
	if pub["status"] != "published" || pub["description"] != "Now with unpaid overtime." {
		t.Fatalf("approve: %v", pub)
	}
	// Every change of content grows the version.
	again := a.Must(200, "PATCH", "/api/v1/openings/"+id, emp.Token, map[string]any{"title": "助理研究员（新）"}).JSON()
	if again["version"].(float64) <= cur.(float64) {
		t.Fatalf("version did not grow: %v → %v", cur, again["version"])
	}
	a.Must(422, "POST", "/api/v1/openings/"+id+"/approve", admin.Token, map[string]any{"version": -1})
	// 0 names no version (an API probe found it approved whatever was current).
	a.Must(200, "PATCH", "/api/v1/openings/"+id, emp.Token, map[string]any{"description": "Edited once more."})
	if r := a.Must(422, "POST", "/api/v1/openings/"+id+"/approve", admin.Token, map[string]any{"version": 0}); r.Field("version") == "" {
		t.Fatalf("approve version 0: %s", r.Body)
	}
	if st := a.Must(200, "GET", "/api/v1/openings/"+id, admin.Token, nil).JSON()["status"]; st != "pending_review" {
		t.Fatalf("approving version 0 published it: %v", st)
	}
}

// The web review form sends the version it displayed: an edit after the
// reviewer loaded the page is not published by their click.
func TestWebReviewFormSendsVersion(t *testing.T) {
	a := testutil.NewApp(t)
	emp, admin := a.Publisher()
	id := a.Must(201, "POST", "/api/v1/openings", emp.Token, testutil.OpeningBody(nil)).JSON()["id"].(string)
	a.Must(200, "POST", "/api/v1/openings/"+id+"/submit", emp.Token, nil)

	client := a.SignedInClient(admin.Email)
	get := func(path string) string {
		res, err := client.Get(a.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return string(b)
	}
	csrf := regexp.MustCompile(`name="_csrf" value="([^"]+)"`)
	dash := get("/staff")
	form := regexp.MustCompile(`action="/staff/openings/` + id + `/approve"[^>]*>(.*?)</form>`).FindStringSubmatch(dash)
	if form == nil {
		t.Fatalf("no approve form for %s on the dashboard", id)
	}
	m := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(form[1])
	if m == nil {
		t.Fatalf("the approve form carries no version: %s", form[1])
	}
	// The employer edits after the page was shown.
	a.Must(200, "PATCH", "/api/v1/openings/"+id, emp.Token, map[string]any{"description": "Edited after review began."})
	res, err := client.PostForm(a.URL+"/staff/openings/"+id+"/approve", url.Values{"_csrf": {csrf.FindStringSubmatch(dash)[1]}, "version": {m[1]}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if st := a.Must(200, "GET", "/api/v1/openings/"+id, admin.Token, nil).JSON()["status"]; st != "pending_review" {
		t.Fatalf("the web form published an opening edited after the reviewer read it: %v", st)
	}
	// A version that names none is no "any" (a forms probe published with
	// version=abc, as the API refuses since 0 slipped through there).
	for _, v := range []string{"abc", "0", "-3", ""} {
		res, _ = client.PostForm(a.URL+"/staff/openings/"+id+"/approve", url.Values{"_csrf": {csrf.FindStringSubmatch(dash)[1]}, "version": {v}})
		res.Body.Close()
		if st := a.Must(200, "GET", "/api/v1/openings/"+id, admin.Token, nil).JSON()["status"]; st != "pending_review" {
			t.Fatalf("the web form with version %q published: %v", v, st)
		}
	}
	// Reloaded, the form carries the new version and publishes.
	dash = get("/staff")
	form = regexp.MustCompile(`action="/staff/openings/` + id + `/approve"[^>]*>(.*?)</form>`).FindStringSubmatch(dash)
	m2 := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(form[1])
	if m2 == nil || m2[1] == m[1] {
		t.Fatalf("version on reload: %v (was %s)", m2, m[1])
	}
	res, _ = client.PostForm(a.URL+"/staff/openings/"+id+"/approve", url.Values{"_csrf": {csrf.FindStringSubmatch(dash)[1]}, "version": {m2[1]}})
	res.Body.Close()
	if st := a.Must(200, "GET", "/api/v1/openings/"+id, admin.Token, nil).JSON()["status"]; st != "published" {
		t.Fatalf("approve with the current version: %v", st)
	}
}

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

// An employer walk closed an opening with an application nobody had
// answered: the graduate read 已投递 for good, told nothing. Closing tells
// each graduate still waiting on the employer; the application stays for
// the employer to answer, and one already ended is told nothing.
func TestClosingTellsApplicantsWaiting(t *testing.T) {
	a := testutil.NewApp(t)
	emp, _, id := a.PublishedOpening(map[string]any{"title": "即将关闭的岗位"})
	waiting, app := a.Applicant(id, "您好")
	ended, endedApp := a.Applicant(id, "您好")
	a.Must(http.StatusOK, "POST", "/api/v1/applications/"+endedApp+"/transitions", ended.Token, map[string]any{"to": "withdrawn"})
	a.Must(http.StatusOK, "POST", "/api/v1/openings/"+id+"/close", emp.Token, nil)
	items := a.Must(http.StatusOK, "GET", "/api/v1/notifications", waiting.Token, nil).JSON()["items"].([]any)
	if len(items) == 0 || items[0].(map[string]any)["title"] != "「即将关闭的岗位」已停止招聘，您的申请仍可能得到用人单位答复" ||
		items[0].(map[string]any)["link"] != "/applications/"+app {
		t.Errorf("the waiting graduate's messages: %v", items)
	}
	for _, it := range a.Must(http.StatusOK, "GET", "/api/v1/notifications", ended.Token, nil).JSON()["items"].([]any) {
		if strings.Contains(it.(map[string]any)["title"].(string), "已停止招聘") {
			t.Error("a graduate who withdrew was told the opening closed")
		}
	}
	if got := a.Must(http.StatusOK, "GET", "/api/v1/applications/"+app, waiting.Token, nil).JSON(); got["status"] != "submitted" ||
		got["opening"].(map[string]any)["closed"] != true {
		t.Errorf("the application after closing: %v, opening %v", got["status"], got["opening"])
	}
	// And by mail (opening_closed), to the waiting graduate only: a message
	// reaches nobody who does not sign in (a walk).
	mailed := testutil.Column[string](t, testutil.SQL(t, a.DBURL), `SELECT args->'mail'->>'user_id' || ' ' || (args->'mail'->'data'->>'application_id')
		FROM river_job WHERE kind = 'send_mail' AND args->'mail'->>'kind' = 'opening_closed' ORDER BY id`)
	if len(mailed) != 1 || mailed[0] != waiting.ID+" "+app {
		t.Errorf("opening_closed mails queued: %v, want one to %s about %s", mailed, waiting.ID, app)
	}
}

// A forms probe made two identical drafts with one double click. A create
// with an Idempotency-Key answers the first draft again, however often and
// however concurrently it is sent; the key with another opening is refused;
// another employer's same key is its own.
func TestCreateOpeningIdempotent(t *testing.T) {
	a := testutil.NewApp(t)
	emp := a.Employer("51", "sichuan-chengdu")
	body := testutil.OpeningBody(map[string]any{"title": "只建一次的岗位"})
	ids := make(chan any, 6)
	for range cap(ids) {
		go func() {
			ids <- a.Do("POST", "/api/v1/openings", emp.Token, body, "Idempotency-Key", "draft-1").JSON()["id"]
		}()
	}
	first := <-ids
	for range cap(ids) - 1 {
		if id := <-ids; id != first || first == nil {
			t.Fatalf("one key made %v and %v", first, id)
		}
	}
	if r := a.Must(http.StatusCreated, "POST", "/api/v1/openings", emp.Token, body, "Idempotency-Key", "draft-1"); r.Header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("a replay is not marked: %v", r.Header)
	}
	var n int
	testutil.SQL(t, a.DBURL).QueryRow(`SELECT count(*) FROM openings WHERE title = '只建一次的岗位'`).Scan(&n)
	if n != 1 {
		t.Fatalf("%d drafts of one key", n)
	}
	if r := a.Must(http.StatusUnprocessableEntity, "POST", "/api/v1/openings", emp.Token, testutil.OpeningBody(map[string]any{"title": "另一个岗位"}), "Idempotency-Key", "draft-1"); r.Field("Idempotency-Key") == "" {
		t.Errorf("the key with another opening: %s", r.Body)
	}
	other := a.Employer("51", "sichuan-chengdu")
	if id := a.Must(http.StatusCreated, "POST", "/api/v1/openings", other.Token, body, "Idempotency-Key", "draft-1").JSON()["id"]; id == first {
		t.Error("another employer's key answered the first employer's draft")
	}
	a.Must(http.StatusUnprocessableEntity, "POST", "/api/v1/openings", emp.Token, body, "Idempotency-Key", strings.Repeat("k", 201))
	if id := a.Must(http.StatusCreated, "POST", "/api/v1/openings", emp.Token, body).JSON()["id"]; id == first {
		t.Error("without a key, a create replayed")
	}

	// A key answers the same for a day (a review: the records grew for
	// ever): an older one makes anew, and the hourly retention deletes it.
	// A draft deleted since is made anew too.
	db := testutil.SQL(t, a.DBURL)
	db.Exec(`UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE user_id = $1`, emp.ID)
	again := a.Must(http.StatusCreated, "POST", "/api/v1/openings", emp.Token, body, "Idempotency-Key", "draft-1").JSON()["id"]
	if again == first {
		t.Error("a key a day old replayed")
	}
	a.Must(http.StatusNoContent, "DELETE", "/api/v1/openings/"+again.(string), emp.Token, nil)
	if id := a.Must(http.StatusCreated, "POST", "/api/v1/openings", emp.Token, body, "Idempotency-Key", "draft-1").JSON()["id"]; id == again {
		t.Error("a deleted draft was answered again")
	}
	db.Exec(`UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE user_id = $1`, other.ID)
	if err := a.Server.Background.ForgetIdempotencyKeys(context.Background()); err != nil {
		t.Fatal(err)
	}
	if keys := testutil.Column[string](t, db, `SELECT user_id::text FROM idempotency_keys`); len(keys) != 1 || keys[0] != emp.ID {
		t.Errorf("after the retention, keys of %v are kept, want the employer's newest only", keys)
	}
}
