package httpapi_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"testing"

	"github.com/gradzone/gradzone/internal/testutil"
)

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
}

// The web review form sends the version it displayed: an edit after the
// reviewer loaded the page is not published by their click.
func TestWebReviewFormSendsVersion(t *testing.T) {
	a := testutil.NewApp(t)
	emp, admin := a.Publisher()
	id := a.Must(201, "POST", "/api/v1/openings", emp.Token, testutil.OpeningBody(nil)).JSON()["id"].(string)
	a.Must(200, "POST", "/api/v1/openings/"+id+"/submit", emp.Token, nil)

	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
	get := func(path string) string {
		res, err := client.Get(a.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return string(b)
	}
	csrf := regexp.MustCompile(`name="_csrf" value="([0-9a-f]+)"`)
	login := get("/login")
	res, err := client.PostForm(a.URL+"/login", url.Values{"_csrf": {csrf.FindStringSubmatch(login)[1]}, "email": {admin.Email}, "password": {testutil.Password}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
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
	res, err = client.PostForm(a.URL+"/staff/openings/"+id+"/approve", url.Values{"_csrf": {csrf.FindStringSubmatch(dash)[1]}, "version": {m[1]}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if st := a.Must(200, "GET", "/api/v1/openings/"+id, admin.Token, nil).JSON()["status"]; st != "pending_review" {
		t.Fatalf("the web form published an opening edited after the reviewer read it: %v", st)
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
