package httpapi_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gradzone/gradzone/internal/app"
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
	// An API probe found saved openings, mail settings and sessions left out.
	w.a.Must(http.StatusOK, "PUT", "/api/v1/me/saved-openings/"+w.opening, g.Token, nil)
	w.a.Must(http.StatusOK, "PUT", "/api/v1/me/notifications/preferences", g.Token, map[string]any{"language": "en"})
	// A privacy probe: the registration's check-in code and the account's
	// security state (verified, two-step) were left out.
	w.a.MarkVerified(g.ID)
	code := w.a.Must(http.StatusCreated, "POST", "/api/v1/events/"+eventWithPlaces(w, 5)+"/registrations", g.Token, nil).JSON()["checkin_code"]

	r := w.a.Must(http.StatusOK, "GET", "/api/v1/me/export", g.Token, nil)
	if cd := r.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, ".json") {
		t.Fatalf("Content-Disposition %q", cd)
	}
	// CONTRACT.md names the export's parts (profile, applications with
	// history, saved searches, notifications, résumé views): each is a key
	// of that name (a contract check found no `profile`). The profile is the
	// caller as GET /me shows it.
	raw := r.JSON()
	for _, k := range []string{"profile", "applications", "saved_searches", "notifications", "resume_views"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("the export has no %q", k)
		}
	}
	if p, _ := raw["profile"].(map[string]any); p == nil || p["id"] != g.ID || p["role"] != "graduate" ||
		p["graduate"].(map[string]any)["phone"] != "13812341234" {
		t.Errorf("profile: %v", raw["profile"])
	}
	var d domain.PersonalData
	r.Decode(t, &d)
	if d.Account.ID != g.ID || d.Account.Email != g.Email || d.Account.Role != domain.RoleGraduate || d.Account.EmailVerifiedAt == nil ||
		d.Account.LastActiveAt == nil || d.Account.TwoStepSince != nil || d.Account.RecoveryCodes != 0 {
		t.Fatalf("account: %+v", d.Account)
	}
	if len(d.EventRegistrations) != 1 || code == nil || d.EventRegistrations[0].CheckinCode != code {
		t.Fatalf("registrations: %+v (code %v)", d.EventRegistrations, code)
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
	if len(d.SavedOpenings) != 1 || d.SavedOpenings[0].Opening.ID != w.opening || d.SavedOpenings[0].SavedAt.IsZero() {
		t.Fatalf("saved openings: %+v", d.SavedOpenings)
	}
	if d.MailPreferences.Language != "en" || len(d.MailPreferences.Kinds) == 0 {
		t.Fatalf("mail preferences: %+v", d.MailPreferences)
	}
	// The session that asked is marked, as /me/sessions marks it (an
	// account walk found every one false).
	if len(d.Sessions) != 1 || d.Sessions[0].IP == "" || !d.Sessions[0].Current {
		t.Fatalf("sessions: %+v", d.Sessions)
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

// A review: an erased graduate kept a seat of a full event for good, and
// the staff card counted one more than the registrant list. Erasure gives
// back the places at events to come; an attendance stays a figure.
func TestErasureGivesBackEventPlaces(t *testing.T) {
	w := newWorld(t, 1)
	a := w.a
	g := a.Graduate()
	start := time.Now().Add(6 * time.Hour).Truncate(time.Minute)
	full := eventBody("sichuan-chengdu", start, start.Add(2*time.Hour))
	full["capacity"] = 1
	fullID := a.Must(http.StatusCreated, "POST", "/api/v1/events", w.admin.Token, full).JSON()["id"].(string)
	attended := a.Must(http.StatusCreated, "POST", "/api/v1/events", w.admin.Token, eventBody("sichuan-chengdu", start, start.Add(2*time.Hour))).JSON()["id"].(string)
	a.Must(http.StatusCreated, "POST", "/api/v1/events/"+fullID+"/registrations", g.Token, nil)
	code := a.Must(http.StatusCreated, "POST", "/api/v1/events/"+attended+"/registrations", g.Token, nil).JSON()["checkin_code"].(string)
	a.Must(http.StatusOK, "POST", "/api/v1/events/"+attended+"/checkins", w.admin.Token, map[string]string{"code": code})
	other := a.Graduate()
	if r := a.Do("POST", "/api/v1/events/"+fullID+"/registrations", other.Token, nil); r.ErrorCode() != "event_full" {
		t.Fatalf("the full event before the erasure: %d %s", r.Status, r.Body)
	}
	a.Must(http.StatusNoContent, "DELETE", "/api/v1/me", g.Token, map[string]any{"password": testutil.Password})
	a.Must(http.StatusCreated, "POST", "/api/v1/events/"+fullID+"/registrations", other.Token, nil)
	stats := a.Must(http.StatusOK, "GET", "/api/v1/events/"+attended, "", nil).JSON()["stats"].(map[string]any)
	if stats["check_ins"] != 1.0 || stats["registrations"] != 1.0 {
		t.Errorf("the attended event after the erasure: %v", stats)
	}
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

// An account walk erased the one account of an organisation still
// pending: it stayed in the zone's queue with nobody to verify, and its
// credit code refused the company's next sign-up (credit_code_taken) for
// good. It leaves the queue, and the company registers again, taking over
// the registration with its new details. A verified one stays its own.
func TestAbandonedRegistrationRegistersAgain(t *testing.T) {
	a := testutil.NewApp(t)
	chengdu := a.ZoneAdmin("sichuan-chengdu")
	body := testutil.EmployerBody("first-hr@corp.cn", "51", "sichuan-chengdu")
	code := body["employer"].(map[string]any)["credit_code"].(string)
	first := a.Must(http.StatusCreated, "POST", "/api/v1/auth/register", "", body).JSON()
	employerID := a.Must(http.StatusOK, "GET", "/api/v1/me", first["access_token"].(string), nil).JSON()["employer"].(map[string]any)["id"].(string)
	a.Must(http.StatusNoContent, "DELETE", "/api/v1/me", first["access_token"].(string), map[string]any{"password": testutil.Password})
	zone := domain.Caller{UserID: chengdu.ID, Role: domain.RoleZoneAdmin, ZoneCode: "sichuan-chengdu", ProvinceCode: "51"}
	queue, _, err := a.Server.Store.EmployersToReview(context.Background(), zone, domain.EmployerPending, domain.Page{Page: 1, PerPage: 50})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range queue {
		if e.ID == employerID {
			t.Error("the abandoned registration waits in the zone's queue")
		}
	}
	// Nor may staff verify or return it: verifying took its code for good.
	a.Must(http.StatusConflict, "POST", "/api/v1/employers/"+employerID+"/verify", chengdu.Token, nil)
	a.Must(http.StatusConflict, "POST", "/api/v1/employers/"+employerID+"/return", chengdu.Token, map[string]string{"reason": "请核对单位名称"})
	// Five sign-ups at once (a review): one takes it over, the others are
	// told the code is taken.
	results := make([]testutil.Response, 5)
	var wg sync.WaitGroup
	for i := range results {
		wg.Go(func() {
			again := testutil.EmployerBody(fmt.Sprintf("hr%d-again@corp.cn", i), "51", "sichuan-chengdu")
			again["employer"].(map[string]any)["credit_code"] = code
			again["employer"].(map[string]any)["name"] = "重新注册科技有限公司"
			results[i] = a.Do("POST", "/api/v1/auth/register", "", again)
		})
	}
	wg.Wait()
	var second map[string]any
	for _, r := range results {
		switch {
		case r.Status == http.StatusCreated && second == nil:
			second = r.JSON()
		case r.Status != http.StatusConflict || r.ErrorCode() != "credit_code_taken":
			t.Errorf("a sign-up at once: %d %s", r.Status, r.Body)
		}
	}
	if second == nil {
		t.Fatal("no sign-up took the registration over")
	}
	me := a.Must(http.StatusOK, "GET", "/api/v1/me", second["access_token"].(string), nil).JSON()
	if e := me["employer"].(map[string]any); e["id"] != employerID || e["name"] != "重新注册科技有限公司" {
		t.Errorf("the sign-up made employer %v, want the abandoned %v renamed", e, employerID)
	}
	// Its reviewers read that it was taken over, and what it stated before.
	var before string
	testutil.SQL(t, a.DBURL).QueryRow(`SELECT before->>'name' FROM audit_log WHERE kind = 'employer.registered_again' AND entity_id = $1`, employerID).Scan(&before)
	if before != body["employer"].(map[string]any)["name"] {
		t.Errorf("the takeover's audit entry: before %q", before)
	}
	// A verified organisation's code stays taken.
	emp := a.VerifiedEmployer("51", "sichuan-chengdu")
	var verified string
	testutil.SQL(t, a.DBURL).QueryRow(`SELECT credit_code FROM employers WHERE id = $1`, emp.EmployerID).Scan(&verified)
	third := testutil.EmployerBody("third-hr@corp.cn", "51", "sichuan-chengdu")
	third["employer"].(map[string]any)["credit_code"] = verified
	if r := a.Must(http.StatusConflict, "POST", "/api/v1/auth/register", "", third); r.ErrorCode() != "credit_code_taken" {
		t.Errorf("a verified organisation's code: %s", r.Body)
	}
}

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

// An account walk found no way to delete a résumé short of erasing the
// account. DELETE /me/resume clears it from the profile and deletes its
// file, except the version an application holds, which its employer still
// reads; a second delete finds none.
func TestResumeDeleted(t *testing.T) {
	w := newWorld(t, 5)
	fs := w.a.Server.Files
	g := w.a.Graduate()
	v1 := []byte("%PDF-1.4\n% sent with an application\n%%EOF\n")
	v2 := []byte("%PDF-1.4\n% uploaded later\n%%EOF\n")
	w.a.UploadFile("/api/v1/me/resume", g.Token, "cv.pdf", v1)
	w.apply(g, w.opening)
	w.a.UploadFile("/api/v1/me/resume", g.Token, "cv.pdf", v2)
	current := testutil.Column[string](t, testutil.SQL(t, w.a.DBURL), `SELECT resume_file FROM graduates WHERE user_id = $1`, g.ID)[0]

	// Only a graduate, signed in, deletes its own: other roles 403, nobody 401.
	for _, who := range []testutil.Account{w.emp, w.admin, w.a.ProvinceAdmin("51"), w.a.MinistryAdmin()} {
		w.a.Must(http.StatusForbidden, "DELETE", "/api/v1/me/resume", who.Token, nil)
	}
	w.a.Must(http.StatusUnauthorized, "DELETE", "/api/v1/me/resume", "", nil)
	// Another graduate's deletion touches its own profile only.
	w.a.Must(http.StatusNotFound, "DELETE", "/api/v1/me/resume", w.a.Graduate().Token, nil)
	if w.a.Must(http.StatusOK, "GET", "/api/v1/me", g.Token, nil).JSON()["graduate"].(map[string]any)["has_resume"] != true {
		t.Fatal("another graduate's deletion took this one's résumé")
	}
	w.a.Must(http.StatusNoContent, "DELETE", "/api/v1/me/resume", g.Token, nil)
	path := "/api/v1/graduates/" + g.ID + "/resume"
	w.a.Must(http.StatusNotFound, "GET", path, g.Token, nil)
	if has := w.a.Must(http.StatusOK, "GET", "/api/v1/me", g.Token, nil).JSON()["graduate"].(map[string]any)["has_resume"]; has != false {
		t.Errorf("has_resume %v after deleting", has)
	}
	if _, err := fs.Stat(context.Background(), app.ResumeKey(current)); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("the deleted résumé's file is still stored: %v", err)
	}
	if got := w.a.Must(http.StatusOK, "GET", path, w.emp.Token, nil).Body; string(got) != string(v1) {
		t.Errorf("the employer of the application reads %q, want the version sent", got)
	}
	w.a.Must(http.StatusNotFound, "DELETE", "/api/v1/me/resume", g.Token, nil)
}

// Issue 12 item 10: the résumés of graduates inactive for longer than the
// retention (24 months by default) are deleted — the files from the object
// store (read back through the real S3 gateway) and the rows naming them,
// the version submitted with an application included — while the
// applications stay; a graduate active within the period, or who signs in
// again, keeps the résumé.
func TestResumeRetention(t *testing.T) {
	a := testutil.NewApp(t)
	fs := a.Server.Files
	if fs == nil {
		t.Fatal("no object store: start the S3 gateway with .ci/services up")
	}
	emp, _, opening := a.PublishedOpening(nil)
	pdf := []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
	idle, recent, returning := a.Graduate(), a.Graduate(), a.Graduate()
	apps := map[string]string{}
	for _, g := range []testutil.Account{idle, recent, returning} {
		a.UploadFile("/api/v1/me/resume", g.Token, "cv.pdf", pdf)
		apps[g.ID] = a.Must(http.StatusCreated, "POST", "/api/v1/openings/"+opening+"/applications", g.Token,
			map[string]string{"cover_letter": "您好"}).JSON()["id"].(string)
	}
	db := testutil.SQL(t, a.DBURL)
	files := func(g testutil.Account) []string {
		t.Helper()
		return testutil.Column[string](t, db, `SELECT resume_file FROM graduates WHERE user_id = $1 AND resume_file IS NOT NULL
			UNION SELECT resume_file FROM applications WHERE graduate_id = $1 AND resume_file IS NOT NULL`, g.ID)
	}
	inStore := func(f string) bool {
		_, err := fs.Stat(context.Background(), app.ResumeKey(f))
		if err != nil && !errors.Is(err, domain.ErrNotFound) {
			t.Fatal(err)
		}
		return err == nil
	}
	idleFiles := files(idle)
	if len(idleFiles) == 0 || !inStore(idleFiles[0]) {
		t.Fatalf("the idle graduate's résumé was not stored: %v", idleFiles)
	}
	back := func(g testutil.Account, months int) {
		if _, err := db.Exec(`UPDATE users SET last_active_at = now() - make_interval(months => $2) WHERE id = $1`, g.ID, months); err != nil {
			t.Fatal(err)
		}
	}
	// The server's own worker runs the retention when its leader is
	// elected, then hourly. Had that first run fallen between setting the
	// returning graduate back and the sign-in below, it would rightly have
	// taken the résumé (a CI run met it): let it finish first.
	waitRetentionRun(t, db)
	back(idle, 25)
	back(recent, 23)
	back(returning, 25)
	a.Login(returning.Email) // signing in again is activity

	if err := a.Server.Background.ExpireResumes(context.Background()); err != nil {
		t.Fatal(err)
	}
	if left := files(idle); len(left) != 0 {
		t.Fatalf("rows still name the idle graduate's résumé: %v", left)
	}
	for _, f := range idleFiles {
		if inStore(f) {
			t.Fatalf("résumé %s still in the object store", f)
		}
	}
	// The application stays; the employer reads no résumé for it.
	a.Must(http.StatusOK, "GET", "/api/v1/applications/"+apps[idle.ID], emp.Token, nil)
	a.Must(http.StatusNotFound, "GET", "/api/v1/graduates/"+idle.ID+"/resume", emp.Token, nil)
	for _, g := range []testutil.Account{recent, returning} {
		f := files(g)
		if len(f) == 0 || !inStore(f[0]) {
			t.Fatalf("an active graduate lost the résumé: %v", f)
		}
		a.Must(http.StatusOK, "GET", "/api/v1/graduates/"+g.ID+"/resume", emp.Token, nil)
	}
}

// The retention runs as a periodic River job, unique per period: two
// replicas on one database run it once.
func TestResumeRetentionJobOncePerPeriod(t *testing.T) {
	a := testutil.NewApp(t)
	testutil.NewApp(t, testutil.DatabaseURL(a.DBURL))
	db := testutil.SQL(t, a.DBURL)
	waitRetentionRun(t, db)
	time.Sleep(2 * time.Second) // room for a second replica's insert, were it to make one
	if n := retentionJobs(t, db, ""); n != 1 {
		t.Fatalf("%d retention jobs for one period, want 1", n)
	}
}

// retentionJobs counts the queue's retention jobs, in one state or all.
func retentionJobs(t *testing.T, db *sql.DB, state string) (n int) {
	t.Helper()
	q := `SELECT count(*) FROM river_job WHERE kind = 'resume_retention'`
	var err error
	if state == "" {
		err = db.QueryRow(q).Scan(&n)
	} else {
		err = db.QueryRow(q+` AND state = $1`, state).Scan(&n)
	}
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		t.Fatal(err)
	}
	return n
}

// waitRetentionRun waits for the worker's first retention run, which its
// leader queues on election.
func waitRetentionRun(t *testing.T, db *sql.DB) {
	t.Helper()
	deadline := time.Now().Add(45 * time.Second)
	for retentionJobs(t, db, "completed") == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("the retention job did not run: %d queued", retentionJobs(t, db, ""))
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// TestMailJobsCarryNoToken: the queued jobs of verification and reset mails
// hold the token's row ID, not the token: a copy of the job table (or the
// queue's web UI) opens no account (issue 12 item 7 of the remaining work).
func TestMailJobsCarryNoToken(t *testing.T) {
	a, mp := mailApp(t)
	email := testutil.MailAddress("jobargs")
	registerAt(t, a, email)
	_, verifyToken := a.LinkToken(mailTo(mp, email, 1).Text, "/verify-email")
	a.Must(http.StatusAccepted, "POST", "/api/v1/auth/password-reset", "", map[string]string{"email": email})
	_, resetToken := a.LinkToken(mailWith(t, mp, email, 2, "/reset-password").Text, "/reset-password")

	rows, err := testutil.SQL(t, a.DBURL).Query(`SELECT kind, args::text, coalesce(metadata::text, ''), coalesce(errors::text, '') FROM river_job`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var kind, args, meta, errs string
		if err := rows.Scan(&kind, &args, &meta, &errs); err != nil {
			t.Fatal(err)
		}
		n++
		for _, tok := range []string{verifyToken, resetToken} {
			if strings.Contains(args+meta+errs, tok) {
				t.Errorf("job %s holds a mailed token: %s", kind, args)
			}
		}
	}
	if n < 2 {
		t.Fatalf("%d jobs: the mail jobs were not found", n)
	}
	// The derived tokens work: the links verify and reset.
	a.Must(http.StatusNoContent, "POST", "/api/v1/auth/verify-email", "", map[string]string{"token": verifyToken})
	a.Must(http.StatusNoContent, "POST", "/api/v1/auth/password-reset/confirm", "", map[string]string{"token": resetToken, "password": "a fresh passphrase"})
}

// An API probe found an erased graduate's name kept in the employer's
// notifications ("欧阳子衿 申请了「…」"), in the API, its export and the site.
// Erasure now renames the graduate there too, to the pseudonym the
// employer's applicant list already shows.
func TestErasureLeavesNoNameInOthersNotifications(t *testing.T) {
	w := newWorld(t, 2)
	const name = "欧阳子衿"
	body := testutil.GraduateBody(fmt.Sprintf("grad-%d@example.cn", time.Now().UnixNano()))
	body["name"] = name
	reg := w.a.Must(http.StatusCreated, "POST", "/api/v1/auth/register", "", body).JSON()
	g := testutil.Account{ID: reg["user"].(map[string]any)["id"].(string), Token: reg["access_token"].(string)}
	app := w.apply(g, w.opening)
	w.move(g.Token, app, "withdrawn")
	if n := w.a.Must(http.StatusOK, "GET", "/api/v1/notifications", w.emp.Token, nil).Body; !strings.Contains(string(n), name) {
		t.Fatalf("the employer was not told by name before the erasure: %s", n)
	}
	w.a.Must(http.StatusNoContent, "DELETE", "/api/v1/me", g.Token, map[string]any{"password": testutil.Password})

	for _, path := range []string{"/api/v1/notifications", "/api/v1/me/export"} {
		got := string(w.a.Must(http.StatusOK, "GET", path, w.emp.Token, nil).Body)
		if strings.Contains(got, name) || !strings.Contains(got, domain.Pseudonym(g.ID)) {
			t.Errorf("%s after the erasure still names the graduate, or not by the pseudonym:\n%s", path, got)
		}
	}
	var left int
	testutil.SQL(t, w.a.DBURL).QueryRow(`SELECT count(*) FROM notifications WHERE title LIKE '%' || $1 || '%' OR params::text LIKE '%' || $1 || '%'`, name).Scan(&left)
	if left != 0 {
		t.Errorf("%d notifications still hold the name", left)
	}
}

// TestErasedEmployerUserGetsNoNotifications: after an employer's user erased
// its account, neither an applicant's move nor the stale-application flag
// stores a notification for it.
func TestErasedEmployerUserGetsNoNotifications(t *testing.T) {
	w := newWorld(t, 2)
	g := w.a.Graduate()
	app := w.apply(g, w.opening)
	stale := w.apply(w.a.Graduate(), w.opening)
	w.a.Must(http.StatusOK, "POST", "/api/v1/openings/"+w.opening+"/close", w.emp.Token, nil)
	w.a.Must(http.StatusNoContent, "DELETE", "/api/v1/me", w.emp.Token, map[string]any{"password": testutil.Password})
	db := testutil.SQL(t, w.a.DBURL)
	var before int
	db.QueryRow(`SELECT count(*) FROM notifications WHERE user_id = $1`, w.emp.ID).Scan(&before)

	w.move(g.Token, app, "withdrawn")
	db.Exec(`UPDATE applications SET created_at = now() - interval '8 days' WHERE id = $1`, stale)
	if _, err := w.a.Server.Store.FlagStaleApplications(context.Background()); err != nil {
		t.Fatal(err)
	}
	var after int
	db.QueryRow(`SELECT count(*) FROM notifications WHERE user_id = $1`, w.emp.ID).Scan(&after)
	if after != before {
		t.Fatalf("the erased employer user got %d new notifications", after-before)
	}
}

// An API probe: /me said placed_this_year true for a graduate just hired,
// the export false, with the placement listed under it.
func TestExportSaysPlacedThisYear(t *testing.T) {
	w := newWorld(t, 1)
	g, app := w.accepted()
	if d := exportOf(t, w.a, g.Token); d.Graduate == nil || d.Graduate.PlacedThisYear {
		t.Fatalf("before the hire: %+v", d.Graduate)
	}
	w.move(w.emp.Token, app, "hired")
	me := w.a.Must(http.StatusOK, "GET", "/api/v1/me", g.Token, nil).JSON()["graduate"].(map[string]any)
	d := exportOf(t, w.a, g.Token)
	if me["placed_this_year"] != true || !d.Graduate.PlacedThisYear || len(d.Placements) != 1 {
		t.Fatalf("after the hire: /me %v, export %+v with %d placements", me["placed_this_year"], d.Graduate, len(d.Placements))
	}
	// After a revoke, the application's history in the export ends with
	// it as GET /applications/{id} does, without the reason, as the
	// graduate reads it everywhere (docs/decisions.md).
	w.a.Must(http.StatusOK, "POST", "/api/v1/placements/"+d.Placements[0].ID+"/revoke", w.admin.Token, map[string]string{"reason": "核查发现未到岗"})
	d = exportOf(t, w.a, g.Token)
	h := d.Applications[0].History
	if last := h[len(h)-1]; !last.IsRevocation() || last.To != domain.AppHired || last.Note != "" || last.ActorID != w.admin.ID ||
		d.Graduate.PlacedThisYear || d.Placements[0].Status != "revoked" {
		t.Fatalf("after the revoke: history %+v, placed %v, placement %+v", h, d.Graduate.PlacedThisYear, d.Placements)
	}
	api := w.a.Must(http.StatusOK, "GET", "/api/v1/applications/"+app, g.Token, nil).JSON()["history"].([]any)
	if len(api) != len(h) {
		t.Fatalf("the export's history has %d steps, the application's %d", len(h), len(api))
	}
}

func exportOf(t *testing.T, a *testutil.App, token string) domain.PersonalData {
	t.Helper()
	var d domain.PersonalData
	a.Must(http.StatusOK, "GET", "/api/v1/me/export", token, nil).Decode(t, &d)
	return d
}

// An API probe: a HEAD of a résumé, which sends no file, was recorded as
// a read and shown to the graduate.
func TestResumeHeadIsNotARead(t *testing.T) {
	w := newWorld(t, 1)
	g := w.a.Graduate()
	uploadResume(t, w.a, g)
	w.apply(g, w.opening)
	w.a.Must(http.StatusOK, "HEAD", "/api/v1/graduates/"+g.ID+"/resume", w.emp.Token, nil)
	w.a.Must(http.StatusOK, "HEAD", "/api/v1/graduates/"+g.ID+"/resume", w.emp.Token, nil)
	views := func() float64 {
		return w.a.Must(http.StatusOK, "GET", "/api/v1/me/resume/views", g.Token, nil).JSON()["total"].(float64)
	}
	if n := views(); n != 0 {
		t.Fatalf("two HEADs recorded %v reads", n)
	}
	w.a.Must(http.StatusOK, "GET", "/api/v1/graduates/"+g.ID+"/resume", w.emp.Token, nil)
	if n := views(); n != 1 {
		t.Fatalf("a GET recorded %v reads", n)
	}
}

// A privacy probe: after a graduate erased the account, the notes the
// employer had written on its applications ("王晓雨 面试表现待定") and its
// assessment of the applicant still named the person, to the employer and to
// staff. Erasure blanks every note on the graduate's applications and the
// assessment's note; the status lines and the rating stay.
func TestErasureBlanksOthersNotesOnTheApplications(t *testing.T) {
	w := newWorld(t, 1)
	g := w.a.Graduate()
	app := w.apply(g, w.opening)
	const named = "李华同学 面试表现待定"
	if r := w.move(w.emp.Token, app, "shortlisted", "note", named); r.Status != http.StatusOK {
		t.Fatalf("shortlist: %d %s", r.Status, r.Body)
	}
	w.a.Must(http.StatusOK, "PUT", "/api/v1/applications/"+app+"/assessment", w.emp.Token, map[string]any{"rating": 4, "note": "李华同学：沟通好"})
	steps := len(w.a.Must(http.StatusOK, "GET", "/api/v1/applications/"+app, w.emp.Token, nil).JSON()["history"].([]any))
	w.a.Must(http.StatusNoContent, "DELETE", "/api/v1/me", g.Token, map[string]any{"password": testutil.Password})

	for _, tok := range []string{w.emp.Token, w.admin.Token} {
		a := w.a.Must(http.StatusOK, "GET", "/api/v1/applications/"+app, tok, nil)
		if strings.Contains(string(a.Body), "李华同学") {
			t.Errorf("the application still names the graduate: %s", a.Body)
		}
		// The erasure's own line is one more step; none goes.
		if h := a.JSON()["history"].([]any); len(h) != steps+1 {
			t.Errorf("history of %d steps, want %d: %v", len(h), steps+1, h)
		}
	}
	as := w.a.Must(http.StatusOK, "GET", "/api/v1/applications/"+app+"/assessment", w.emp.Token, nil).JSON()
	if as["note"] != "" || as["rating"] != 4.0 {
		t.Errorf("the assessment after the erasure: %v", as)
	}
	var left int
	testutil.SQL(t, w.a.DBURL).QueryRow(`SELECT (SELECT count(*) FROM application_history WHERE note LIKE '%李华同学%')
		+ (SELECT count(*) FROM application_assessments WHERE note LIKE '%李华同学%')`).Scan(&left)
	if left != 0 {
		t.Errorf("%d notes still name the graduate", left)
	}
}

// A privacy probe: an erased account kept its two-step secret and its
// recovery codes. Erasure deletes them as it deletes sessions and tokens.
func TestErasureDeletesTwoStepSecrets(t *testing.T) {
	a := testutil.NewApp(t)
	g := a.Graduate()
	a.EnableTOTP(g)
	db := testutil.SQL(t, a.DBURL)
	left := func() (n int) {
		t.Helper()
		if err := db.QueryRow(`SELECT (SELECT count(*) FROM users WHERE id = $1
				AND (totp_secret IS NOT NULL OR totp_enabled_at IS NOT NULL OR totp_last_step <> 0))
			+ (SELECT count(*) FROM totp_recovery_codes WHERE user_id = $1)`, g.ID).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := left(); n < 2 {
		t.Fatalf("two-step sign-in was not on before the erasure (%d rows)", n)
	}
	// The export says it is on, and how many codes are left, never them.
	r := a.Must(http.StatusOK, "GET", "/api/v1/me/export", g.Token, nil)
	var d domain.PersonalData
	r.Decode(t, &d)
	var secret string
	db.QueryRow(`SELECT totp_secret FROM users WHERE id = $1`, g.ID).Scan(&secret)
	if d.Account.TwoStepSince == nil || d.Account.RecoveryCodes < 1 || secret == "" || strings.Contains(string(r.Body), secret) {
		t.Errorf("the export's two-step state: since %v, %d codes left", d.Account.TwoStepSince, d.Account.RecoveryCodes)
	}
	a.Must(http.StatusNoContent, "DELETE", "/api/v1/me", g.Token, map[string]any{"password": testutil.Password})
	if n := left(); n != 0 {
		t.Errorf("the erased account keeps its two-step secret or %d recovery codes", n)
	}
}

// A privacy probe: after an erasure, River's finished jobs kept the person
// in their arguments (graduate_name, the notes, a saved search's name, the
// address of a reset request) until River's cleaner removed them, a day
// later. Erasure deletes the finished jobs that concern the account, and
// the jobs still to run addressed to it; one still to run addressed to the
// employer stays, naming the graduate by the pseudonym.
func TestErasureDeletesTheAccountsJobs(t *testing.T) {
	w := newMailWorld(t, map[string]any{"title": "知识图谱实习生"})
	w.a.MarkVerified(w.emp.ID)
	g := w.graduate(t, "erased-jobs", true)
	app := w.apply(g, w.opening)
	w.move(t, w.emp.Token, app, "offered", map[string]any{"note": "李华同学 EMPNOTE"})
	w.move(t, g.Token, app, "accepted", map[string]any{"note": "我接受 GRADNOTE"})
	w.a.Must(http.StatusAccepted, "POST", "/api/v1/auth/password-reset", "", map[string]string{"email": g.Email})
	w.mailsLike(t, w.emp.Email, "录用意向已被接受", 1)
	w.mailQueueIdle(t)

	db := testutil.SQL(t, w.a.DBURL)
	traces := func(states string) (n int) {
		t.Helper()
		if err := db.QueryRow(`SELECT count(*) FROM river_job WHERE state::text = ANY(string_to_array($1, ','))
			AND (strpos(args::text, $2) > 0 OR strpos(args::text, $3) > 0 OR args::text ~ '李华|EMPNOTE|GRADNOTE')`,
			states, g.ID, g.Email).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	// Two jobs put back as if still to run: a mail to the graduate and the
	// employer's mail of the acceptance.
	for _, q := range []string{
		`UPDATE river_job SET state = 'scheduled', finalized_at = NULL, scheduled_at = now() + interval '1 hour'
			WHERE id = (SELECT id FROM river_job WHERE args->'mail'->>'user_id' = $1 ORDER BY id LIMIT 1)`,
		`UPDATE river_job SET state = 'scheduled', finalized_at = NULL, scheduled_at = now() + interval '1 hour'
			WHERE args->'mail'->'data'->>'note' = '我接受 GRADNOTE' AND args->'mail'->>'user_id' = $1`,
	} {
		to := g.ID
		if strings.Contains(q, "GRADNOTE") {
			to = w.emp.ID
		}
		if r, err := db.Exec(q, to); err != nil {
			t.Fatal(err)
		} else if n, _ := r.RowsAffected(); n != 1 {
			t.Fatalf("%d jobs put back by %s", n, q)
		}
	}
	if n := traces("completed"); n < 3 {
		t.Fatalf("only %d finished jobs hold the graduate before the erasure", n)
	}
	w.a.Must(http.StatusNoContent, "DELETE", "/api/v1/me", g.Token, map[string]any{"password": testutil.Password})

	if n := traces("completed,discarded,cancelled"); n != 0 {
		t.Errorf("%d finished jobs still hold the graduate", n)
	}
	var toGraduate, toEmployer int
	var name, note string
	db.QueryRow(`SELECT count(*) FROM river_job WHERE args->'mail'->>'user_id' = $1`, g.ID).Scan(&toGraduate)
	db.QueryRow(`SELECT count(*), max(args->'mail'->'data'->>'graduate_name'), max(args->'mail'->'data'->>'note') FROM river_job
		WHERE state = 'scheduled' AND args->'mail'->>'user_id' = $1`, w.emp.ID).Scan(&toEmployer, &name, &note)
	if toGraduate != 0 {
		t.Errorf("%d jobs addressed to the erased account are left", toGraduate)
	}
	if toEmployer != 1 || name != domain.Pseudonym(g.ID) || note != "" {
		t.Errorf("the employer's mail still to run: %d, named %q, note %q", toEmployer, name, note)
	}
}

// A privacy probe: the export left out each application's interview (time,
// place, link), the times offered to pick from, and the event the
// application is credited to. They are in it now.
func TestExportHoldsInterviewsAndEvent(t *testing.T) {
	w := newWorld(t, 2)
	a := w.a
	ev := eventListing(w, w.opening)
	g := a.Graduate()
	app := w.apply(g, w.opening)
	plain := w.apply(g, a.Publish(w.emp, w.admin, nil))
	w.shortlist(app)
	at := time.Now().Add(72 * time.Hour).Truncate(time.Hour).UTC()
	offered := a.Must(http.StatusOK, "POST", "/api/v1/applications/"+app+"/transitions", w.emp.Token, map[string]any{"to": "interview", "interview_slots": []any{
		map[string]any{"starts_at": at.Format(time.RFC3339), "ends_at": at.Add(time.Hour).Format(time.RFC3339), "location": "菁蓉汇 A 座 501"},
		map[string]any{"starts_at": at.Add(2 * time.Hour).Format(time.RFC3339), "ends_at": at.Add(3 * time.Hour).Format(time.RFC3339), "online_url": "https://meet.example.cn/r/1"},
	}}).JSON()
	slot := offered["interview_slots"].([]any)[0].(map[string]any)["id"].(string)
	a.Must(http.StatusOK, "POST", "/api/v1/applications/"+app+"/interview-slots/"+slot+"/pick", g.Token, nil)

	d := exportOf(t, a, g.Token)
	byID := map[string]domain.ExportApplication{}
	for _, x := range d.Applications {
		byID[x.ID] = x
	}
	x := byID[app]
	if x.EventID == nil || *x.EventID != ev || x.EventTitle != "成都高新区科研助理直播带岗" {
		t.Errorf("the event credited: %v %q", x.EventID, x.EventTitle)
	}
	if x.Interview == nil || !x.Interview.StartsAt.Equal(at) || x.Interview.Location != "菁蓉汇 A 座 501" {
		t.Errorf("the interview: %+v", x.Interview)
	}
	if len(x.InterviewSlots) != 2 || !x.InterviewSlots[0].Picked || x.InterviewSlots[1].OnlineURL != "https://meet.example.cn/r/1" {
		t.Errorf("the times offered: %+v", x.InterviewSlots)
	}
	if p := byID[plain]; p.ID != plain || p.EventID != nil || p.Interview != nil || p.InterviewSlots == nil || len(p.InterviewSlots) != 0 {
		t.Errorf("an application with neither: %+v", p)
	}
}
