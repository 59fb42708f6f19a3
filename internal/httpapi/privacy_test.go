package httpapi_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	app2 "github.com/gradzone/gradzone/internal/app"
	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/testutil"
)

// testPDF is a minimal document the upload accepts as a PDF.
var testPDF = []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

func uploadResume(t *testing.T, a *testutil.App, g testutil.Account) {
	t.Helper()
	if r := a.UploadFile("/api/v1/me/resume", g.Token, "cv.pdf", testPDF); r.Status != http.StatusCreated {
		t.Fatalf("upload: %d %s", r.Status, r.Body)
	}
}

// Issue 12 finding 10: an employer read a graduate's résumé forever after the
// graduate withdrew. Access lasts only while an application to one of the
// employer's openings is not withdrawn.
func TestResumeClosedAfterWithdrawal(t *testing.T) {
	w := newWorld(t, 2)
	g := w.a.Graduate()
	uploadResume(t, w.a, g)
	path := "/api/v1/graduates/" + g.ID + "/resume"
	app := w.apply(g, w.opening)
	w.a.Must(http.StatusOK, "GET", path, w.emp.Token, nil)
	w.move(g.Token, app, "withdrawn")
	w.a.Must(http.StatusNotFound, "GET", path, w.emp.Token, nil)
	// A résumé uploaded after the withdrawal is not readable either.
	uploadResume(t, w.a, g)
	w.a.Must(http.StatusNotFound, "GET", path, w.emp.Token, nil)
	// The graduate still reads its own.
	w.a.Must(http.StatusOK, "GET", path, g.Token, nil)
	// An application to another opening of the same employer opens it again.
	second := w.a.Publish(w.emp, w.admin, nil)
	w.apply(g, second)
	w.a.Must(http.StatusOK, "GET", path, w.emp.Token, nil)
}

// Every read of a résumé by an employer is recorded and shown to that
// graduate only, newest first, with the employer's name.
func TestResumeViewsRecordedAndScoped(t *testing.T) {
	w := newWorld(t, 2)
	ga, gb := w.a.Graduate(), w.a.Graduate()
	uploadResume(t, w.a, ga)
	uploadResume(t, w.a, gb)
	w.apply(ga, w.opening)
	w.apply(gb, w.opening)
	path := "/api/v1/graduates/" + ga.ID + "/resume"
	w.a.Must(http.StatusOK, "GET", path, w.emp.Token, nil)
	w.a.Must(http.StatusOK, "GET", path, w.emp.Token, nil)
	// The graduate's own reads and refused reads are not views.
	w.a.Must(http.StatusOK, "GET", path, ga.Token, nil)
	w.a.Must(http.StatusNotFound, "GET", path, w.a.VerifiedEmployer("51", "").Token, nil)
	// Make the second read later than the first, whatever the clock's grain.
	testutil.SQL(t, w.a.DBURL).Exec(`UPDATE resume_views SET viewed_at = viewed_at - interval '1 hour'
		WHERE id = (SELECT id FROM resume_views ORDER BY viewed_at, id LIMIT 1)`)
	m := w.a.Must(http.StatusOK, "GET", "/api/v1/me/resume/views", ga.Token, nil).JSON()
	items := m["items"].([]any)
	if m["total"].(float64) != 2 || len(items) != 2 {
		t.Fatalf("views of A: %v", m)
	}
	first, second := items[0].(map[string]any), items[1].(map[string]any)
	if first["employer"].(map[string]any)["id"] != w.emp.EmployerID || first["employer"].(map[string]any)["name"] != "成都智算科技有限公司" {
		t.Fatalf("employer of the view: %v", first)
	}
	if first["viewed_at"].(string) <= second["viewed_at"].(string) {
		t.Fatalf("not newest first: %v then %v", first["viewed_at"], second["viewed_at"])
	}
	// Graduate B sees none of A's views; an employer and staff have no list.
	if m := w.a.Must(http.StatusOK, "GET", "/api/v1/me/resume/views", gb.Token, nil).JSON(); m["total"].(float64) != 0 {
		t.Fatalf("B sees A's views: %v", m)
	}
	w.a.Must(http.StatusForbidden, "GET", "/api/v1/me/resume/views", w.emp.Token, nil)
	w.a.Must(http.StatusForbidden, "GET", "/api/v1/me/resume/views", w.admin.Token, nil)
	w.a.Must(http.StatusUnauthorized, "GET", "/api/v1/me/resume/views", "", nil)
	w.a.Must(http.StatusUnprocessableEntity, "GET", "/api/v1/me/resume/views?per_page=500", ga.Token, nil)
	// The web UI's download link is this same route with the session
	// cookie: the read is recorded just the same.
	var viewer string
	testutil.SQL(t, w.a.DBURL).QueryRow(`SELECT viewer_id FROM resume_views LIMIT 1`).Scan(&viewer)
	if viewer != w.emp.ID {
		t.Fatalf("viewer %q, want the employer's user %q", viewer, w.emp.ID)
	}
}

// GET /me/export: every listed part, as a download, for the caller only.
func TestExportContainsEverything(t *testing.T) {
	w := newWorld(t, 2)
	g := w.a.Graduate()
	w.a.Must(http.StatusOK, "PATCH", "/api/v1/me/profile", g.Token, map[string]any{"phone": "13812341234", "skills": []string{"Python"}})
	uploadResume(t, w.a, g)
	app := w.apply(g, w.opening)
	w.move(w.emp.Token, app, "shortlisted")
	w.a.Must(http.StatusCreated, "POST", "/api/v1/me/saved-searches", g.Token, map[string]any{"name": "成都 AI", "q": "科研助理"})
	if err := w.a.Server.Store.Notify(context.Background(), domain.Notification{UserID: g.ID, Kind: "test", Title: "通知-EXPORT", Link: "/me"}, ""); err != nil {
		t.Fatal(err)
	}
	w.a.Must(http.StatusOK, "GET", "/api/v1/graduates/"+g.ID+"/resume", w.emp.Token, nil)

	r := w.a.Must(http.StatusOK, "GET", "/api/v1/me/export", g.Token, nil)
	if cd := r.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, ".json") {
		t.Fatalf("Content-Disposition %q", cd)
	}
	var d domain.PersonalData
	r.Decode(t, &d)
	if d.Account.ID != g.ID || d.Account.Email != g.Email || d.Account.Role != domain.RoleGraduate {
		t.Fatalf("account: %+v", d.Account)
	}
	if d.Consent == nil || d.Consent.NoticeVersion != domain.PrivacyNoticeVersion {
		t.Fatalf("consent: %+v", d.Consent)
	}
	if d.Graduate == nil || d.Graduate.Phone != "13812341234" || !d.Graduate.HasResume {
		t.Fatalf("profile: %+v", d.Graduate)
	}
	if len(d.Applications) != 1 || d.Applications[0].ID != app || d.Applications[0].CoverLetter != "您好" ||
		d.Applications[0].Opening.Employer.ID != w.emp.EmployerID || len(d.Applications[0].History) != 2 ||
		d.Applications[0].History[1].To != "shortlisted" {
		t.Fatalf("applications: %+v", d.Applications)
	}
	if len(d.SavedSearches) != 1 || d.SavedSearches[0].Name != "成都 AI" {
		t.Fatalf("saved searches: %+v", d.SavedSearches)
	}
	found := false
	for _, n := range d.Notifications {
		found = found || n.Title == "通知-EXPORT"
	}
	if !found {
		t.Fatalf("notifications: %+v", d.Notifications)
	}
	if len(d.ResumeViews) != 1 || d.ResumeViews[0].Employer.ID != w.emp.EmployerID {
		t.Fatalf("résumé views: %+v", d.ResumeViews)
	}
	// Another graduate's export holds nothing of this one's.
	other := w.a.Must(http.StatusOK, "GET", "/api/v1/me/export", w.a.Graduate().Token, nil)
	if strings.Contains(string(other.Body), g.ID) || strings.Contains(string(other.Body), "您好") {
		t.Fatal("another graduate's export contains this graduate's data")
	}
	// An employer's user: its account and its organisation's name, not its
	// applicants' data.
	er := w.a.Must(http.StatusOK, "GET", "/api/v1/me/export", w.emp.Token, nil)
	var ed domain.PersonalData
	er.Decode(t, &ed)
	if ed.Account.ID != w.emp.ID || ed.Employer == nil || ed.Employer.ID != w.emp.EmployerID || ed.Graduate != nil || len(ed.Applications) != 0 {
		t.Fatalf("employer export: %+v", ed)
	}
	for _, leak := range []string{g.ID, "13812341234", "您好"} {
		if strings.Contains(string(er.Body), leak) {
			t.Fatalf("employer export contains applicant data %q", leak)
		}
	}
	w.a.Must(http.StatusUnauthorized, "GET", "/api/v1/me/export", "", nil)
}

// figures reads every count a placement feeds: zone, province and national
// progress and the zone's monthly report.
func figures(t *testing.T, a *testutil.App, staff map[string]testutil.Account) string {
	t.Helper()
	now := domain.DateOf(time.Now())
	var b strings.Builder
	for _, path := range []string{
		"/api/v1/zones/sichuan-chengdu/progress", "/api/v1/provinces/51/progress", "/api/v1/progress",
		fmt.Sprintf("/api/v1/reports/monthly?zone=sichuan-chengdu&year=%d&month=%d", now.Year, now.Month),
	} {
		tok := staff["zone"].Token
		switch {
		case strings.HasPrefix(path, "/api/v1/provinces"):
			tok = staff["province"].Token
		case path == "/api/v1/progress":
			tok = staff["ministry"].Token
		}
		b.Write(a.Must(http.StatusOK, "GET", path, tok, nil).Body)
		b.WriteByte('\n')
	}
	return b.String()
}

// DELETE /me: the password is checked, personal data is erased, sign-in and
// tokens stop working, the résumé leaves the file store, and every figure
// the placement fed stays the same.
func TestDeleteAccountErasesButKeepsCounts(t *testing.T) {
	w := newWorld(t, 2)
	g := w.a.Graduate()
	w.a.Must(http.StatusOK, "PATCH", "/api/v1/me/profile", g.Token, map[string]any{"phone": "13812341234"})
	uploadResume(t, w.a, g)
	var resumeFile string
	db := testutil.SQL(t, w.a.DBURL)
	db.QueryRow(`SELECT resume_file FROM graduates WHERE user_id = $1`, g.ID).Scan(&resumeFile)
	app := w.apply(g, w.opening)
	w.move(w.emp.Token, app, "offered")
	w.move(g.Token, app, "accepted")
	pid := w.move(w.emp.Token, app, "hired").JSON()["placement_id"].(string)
	// A second, still open application: it ends withdrawn.
	open := w.apply(g, w.a.Publish(w.emp, w.admin, nil))
	savedID := w.a.Must(http.StatusCreated, "POST", "/api/v1/me/saved-searches", g.Token, map[string]any{"name": "AI", "q": "AI"}).JSON()["id"].(string)
	w.a.Must(http.StatusOK, "GET", "/api/v1/graduates/"+g.ID+"/resume", w.emp.Token, nil)

	staff := map[string]testutil.Account{"zone": w.admin, "province": w.a.ProvinceAdmin("51"),
		"ministry": w.a.MinistryAdmin()}
	before := figures(t, w.a, staff)
	if p := w.a.Must(http.StatusOK, "GET", "/api/v1/zones/sichuan-chengdu/progress", w.admin.Token, nil).JSON(); p["placements"].(float64) != 1 {
		t.Fatalf("the placement does not count before the erasure: %v", p["placements"])
	}

	// The password: missing, wrong, then right.
	for _, body := range []any{nil, map[string]any{}, map[string]any{"password": "wrong-password-1"}} {
		r := w.a.Must(http.StatusUnprocessableEntity, "DELETE", "/api/v1/me", g.Token, body).JSON()
		if _, ok := r["error"].(map[string]any)["fields"].(map[string]any)["password"]; !ok {
			t.Fatalf("no password field in %v", r)
		}
	}
	w.a.Must(http.StatusBadRequest, "DELETE", "/api/v1/me", g.Token, map[string]any{"password": 42})
	w.a.Must(http.StatusForbidden, "DELETE", "/api/v1/me", w.admin.Token, map[string]any{"password": testutil.Password})
	w.a.Must(http.StatusUnauthorized, "DELETE", "/api/v1/me", "", map[string]any{"password": testutil.Password})
	w.a.Must(http.StatusNoContent, "DELETE", "/api/v1/me", g.Token, map[string]any{"password": testutil.Password})

	// Nobody signs in as it; no token of it works, refresh included.
	w.a.Must(http.StatusUnauthorized, "POST", "/api/v1/auth/login", "", map[string]string{"email": g.Email, "password": testutil.Password})
	w.a.Must(http.StatusUnauthorized, "GET", "/api/v1/me", g.Token, nil)
	w.a.Must(http.StatusUnauthorized, "POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": g.Refresh})
	w.a.Must(http.StatusUnauthorized, "DELETE", "/api/v1/me", g.Token, map[string]any{"password": testutil.Password})

	// An alert job that matched the saved search before the erasure and
	// records its alert after it leaves nothing behind (this raced the
	// erasure in a loaded full run).
	if err := w.a.Server.Store.NotifyAlert(context.Background(), domain.Notification{UserID: g.ID, Kind: "alert", Title: "迟到的提醒", Link: "/"},
		"late-alert:"+g.ID, savedID, map[string]string{}); err != nil {
		t.Fatal(err)
	}

	// Personal data is gone from the database…
	var name, email string
	var phone, file *string
	var saved, notes, views, sessions, letters int
	db.QueryRow(`SELECT u.name, u.email, g.phone, g.resume_file FROM users u JOIN graduates g ON g.user_id = u.id WHERE u.id = $1`, g.ID).Scan(&name, &email, &phone, &file)
	db.QueryRow(`SELECT (SELECT count(*) FROM saved_searches WHERE user_id = $1), (SELECT count(*) FROM notifications WHERE user_id = $1),
		(SELECT count(*) FROM resume_views WHERE graduate_id = $1), (SELECT count(*) FROM refresh_tokens WHERE user_id = $1),
		(SELECT count(*) FROM applications WHERE graduate_id = $1 AND cover_letter <> '')`, g.ID).Scan(&saved, &notes, &views, &sessions, &letters)
	if name != domain.Pseudonym(g.ID) || email != "deleted-"+g.ID+"@invalid" || phone != nil || file != nil {
		t.Fatalf("not pseudonymised: %q %q %v %v", name, email, phone, file)
	}
	if saved+notes+views+sessions+letters != 0 {
		t.Fatalf("left behind: %d saved, %d notifications, %d views, %d sessions, %d cover letters", saved, notes, views, sessions, letters)
	}
	// …and the résumé from the file store.
	if fs := w.a.Server.Files; fs != nil {
		if _, err := fs.Stat(context.Background(), app2.ResumeKey(resumeFile)); !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("résumé still in the file store: %v", err)
		}
	}
	// The open application is withdrawn; the employer no longer reads a résumé.
	if st := w.a.Must(http.StatusOK, "GET", "/api/v1/applications/"+open, w.emp.Token, nil).JSON()["status"]; st != "withdrawn" {
		t.Fatalf("open application is %v", st)
	}
	w.a.Must(http.StatusNotFound, "GET", "/api/v1/graduates/"+g.ID+"/resume", w.emp.Token, nil)

	// The placement still counts, everywhere, and shows the pseudonym.
	if after := figures(t, w.a, staff); after != before {
		t.Fatalf("figures changed by the erasure:\nbefore %s\nafter  %s", before, after)
	}
	pl := w.a.Must(http.StatusOK, "GET", "/api/v1/placements", w.admin.Token, nil).JSON()
	if pl["total"].(float64) != 1 || testutil.IDs(pl)[0] != pid {
		t.Fatalf("placements: %v", pl)
	}
	if body := string(w.a.Must(http.StatusOK, "GET", "/api/v1/placements", w.admin.Token, nil).Body); strings.Contains(body, "李华") {
		t.Fatalf("the erased name still shows: %s", body)
	}
	if drift, err := w.a.Server.Store.CounterDrift(context.Background()); err != nil || len(drift) > 0 {
		t.Fatalf("counters drift: %v %v", drift, err)
	}
	// The address is free again.
	w.a.Must(http.StatusCreated, "POST", "/api/v1/auth/register", "", testutil.GraduateBody(g.Email))
}

// The last account of an employer is not erased while applicants may wait on
// its openings; once they are closed, it is.
func TestDeleteLastEmployerAccount(t *testing.T) {
	w := newWorld(t, 1)
	r := w.a.Must(http.StatusConflict, "DELETE", "/api/v1/me", w.emp.Token, map[string]any{"password": testutil.Password}).JSON()
	if r["error"].(map[string]any)["code"] != "last_employer_user" {
		t.Fatalf("code: %v", r)
	}
	w.a.Must(http.StatusOK, "POST", "/api/v1/openings/"+w.opening+"/close", w.emp.Token, nil)
	w.a.Must(http.StatusNoContent, "DELETE", "/api/v1/me", w.emp.Token, map[string]any{"password": testutil.Password})
	w.a.Must(http.StatusUnauthorized, "GET", "/api/v1/me", w.emp.Token, nil)
	// The organisation and its opening stay (business data, counted).
	w.a.Must(http.StatusOK, "GET", "/api/v1/openings/"+w.opening, w.admin.Token, nil)
}
