package httpapi_test

import (
	"net/http"
	"testing"

	"github.com/gradzone/gradzone/internal/testutil"
)

// TestApplicantContactFromShortlisted: an employer sees the applicant's phone
// and e-mail only once it shortlisted the application, and not after it
// ended (issue 12 item 4); staff never see them.
func TestApplicantContactFromShortlisted(t *testing.T) {
	w := newWorld(t, 2)
	g := w.a.Graduate()
	w.a.Must(http.StatusOK, "PATCH", "/api/v1/me/profile", g.Token, map[string]any{"phone": "13812341234"})
	app := w.apply(g, w.opening)
	contact := func(tok string) (phone, email any) {
		ap := w.a.Must(http.StatusOK, "GET", "/api/v1/applications/"+app, tok, nil).JSON()["applicant"].(map[string]any)
		list := w.a.Must(http.StatusOK, "GET", "/api/v1/applications?opening_id="+w.opening, tok, nil).JSON()["items"].([]any)
		inList := list[0].(map[string]any)["applicant"].(map[string]any)
		if inList["phone"] != ap["phone"] || inList["email"] != ap["email"] {
			t.Errorf("list and detail differ: %v / %v", inList, ap)
		}
		return ap["phone"], ap["email"]
	}
	if p, e := contact(w.emp.Token); p != "138****1234" || e != nil {
		t.Errorf("submitted: employer sees %v %v", p, e)
	}
	w.move(w.emp.Token, app, "shortlisted")
	if p, e := contact(w.emp.Token); p != "13812341234" || e != g.Email {
		t.Errorf("shortlisted: employer sees %v %v", p, e)
	}
	if p, e := contact(w.admin.Token); p != "138****1234" || e != nil {
		t.Errorf("staff sees %v %v", p, e)
	}
	if p, e := contact(g.Token); p != "13812341234" || e != g.Email {
		t.Errorf("the graduate sees %v %v", p, e)
	}
	w.move(g.Token, app, "withdrawn")
	if p, e := contact(w.emp.Token); p != "138****1234" || e != nil {
		t.Errorf("withdrawn: employer sees %v %v", p, e)
	}
}

// TestResumeVersionPerApplication: an employer reads the résumé submitted
// with the application, not one uploaded later; an application made without
// a résumé opens none (issue 12 item 4).
func TestResumeVersionPerApplication(t *testing.T) {
	w := newWorld(t, 5)
	g := w.a.Graduate()
	v1 := []byte("%PDF-1.4\n% version one\n%%EOF\n")
	v2 := []byte("%PDF-1.4\n% version two\n%%EOF\n")
	upload := func(who testutil.Account, pdf []byte) {
		if r := w.a.UploadFile("/api/v1/me/resume", who.Token, "cv.pdf", pdf); r.Status != http.StatusCreated {
			t.Fatalf("upload: %d %s", r.Status, r.Body)
		}
	}
	path := "/api/v1/graduates/" + g.ID + "/resume"
	upload(g, v1)
	w.apply(g, w.opening)
	upload(g, v2)
	if got := w.a.Must(http.StatusOK, "GET", path, w.emp.Token, nil).Body; string(got) != string(v1) {
		t.Errorf("employer of the first application reads %q, want the version submitted", got)
	}
	if got := w.a.Must(http.StatusOK, "GET", path, g.Token, nil).Body; string(got) != string(v2) {
		t.Errorf("the graduate reads %q, want the current version", got)
	}
	// Another employer applied to after the new upload reads the new one.
	emp2 := w.a.VerifiedEmployer("51", "sichuan-chengdu")
	w.apply(g, w.a.Publish(emp2, w.admin, nil))
	if got := w.a.Must(http.StatusOK, "GET", path, emp2.Token, nil).Body; string(got) != string(v2) {
		t.Errorf("second employer reads %q", got)
	}

	// Applied without a résumé, uploaded afterwards: nothing for the employer.
	g2 := w.a.Graduate()
	app2 := w.apply(g2, w.opening)
	upload(g2, v1)
	w.a.Must(http.StatusNotFound, "GET", "/api/v1/graduates/"+g2.ID+"/resume", w.emp.Token, nil)
	if ap := w.a.Must(http.StatusOK, "GET", "/api/v1/applications/"+app2, w.emp.Token, nil).JSON()["applicant"].(map[string]any); ap["has_resume"] != false {
		t.Errorf("has_resume %v for an application made without one", ap["has_resume"])
	}
}
