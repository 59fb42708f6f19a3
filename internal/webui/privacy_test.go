package webui_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gradzone/gradzone/internal/config"
	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/server"
	"github.com/gradzone/gradzone/internal/testutil"
)

// signIn signs a form client in through the web form.
func signIn(t *testing.T, b *formClient, email string) {
	t.Helper()
	if st, loc, _ := b.post("/login", "/login", url.Values{"email": {email}, "password": {testutil.Password}}); st != http.StatusSeeOther {
		t.Fatalf("sign in %s: %d %s", email, st, loc)
	}
}

// The personal-data pages: the employer's download through the site is
// recorded and listed to the graduate, the export downloads, and the
// account is erased only after the confirm box and the right password.
func TestPrivacyPages(t *testing.T) {
	a := testutil.NewApp(t)
	emp, admin, opening := a.PublishedOpening(nil)
	g := a.Graduate()
	if r := a.UploadFile("/api/v1/me/resume", g.Token, "cv.pdf", []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")); r.Status != http.StatusCreated {
		t.Fatalf("upload: %d", r.Status)
	}
	a.Apply(g, opening, "您好")

	// The employer downloads the résumé from the site, with its session cookie.
	eb := newFormClient(t, a)
	signIn(t, eb, emp.Email)
	if st, _ := eb.get("/api/v1/graduates/" + g.ID + "/resume"); st != http.StatusOK {
		t.Fatalf("web download: %d", st)
	}

	gb := newFormClient(t, a)
	signIn(t, gb, g.Email)
	if _, page := gb.get("/account"); !strings.Contains(page, `href="/account/privacy"`) {
		t.Fatal("no privacy link on /account")
	}
	if _, page := gb.get("/me"); !strings.Contains(page, `data-testid="resume-views-link"`) {
		t.Fatal("no résumé-views link on /me")
	}
	st, page := gb.get("/account/privacy")
	if st != http.StatusOK || strings.Count(page, `data-testid="resume-view"`) != 1 || !strings.Contains(page, "成都智算科技有限公司") {
		t.Fatalf("privacy page: %d\n%s", st, page)
	}
	// Another graduate sees no reads.
	ob := newFormClient(t, a)
	signIn(t, ob, a.Graduate().Email)
	if _, page := ob.get("/account/privacy"); !strings.Contains(page, `data-testid="resume-views-none"`) {
		t.Fatalf("another graduate sees reads:\n%s", page)
	}

	// The export downloads as a file.
	res, err := gb.cl.Get(a.URL + "/account/export")
	if err != nil {
		t.Fatal(err)
	}
	var d domain.PersonalData
	if err := json.NewDecoder(res.Body).Decode(&d); err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment;") ||
		d.Account.Email != g.Email || len(d.Applications) != 1 || len(d.ResumeViews) != 1 {
		t.Fatalf("export: %d %q %+v", res.StatusCode, res.Header.Get("Content-Disposition"), d)
	}
	// A graduate walk: downloaded in English, the export's notifications
	// read in Chinese (as stored), where the messages page reads English.
	a.Must(http.StatusOK, "POST", "/api/v1/applications/"+d.Applications[0].ID+"/transitions", emp.Token, map[string]any{"to": "shortlisted"})
	for _, c := range []struct{ lang, want string }{{"en", "Your application for “科研助理”: shortlisted"}, {"zh", "的申请状态：已入围"}} {
		lang, want := c.lang, c.want
		res, err := gb.cl.Get(a.URL + "/account/export?lang=" + lang)
		var d domain.PersonalData
		if err == nil {
			err = json.NewDecoder(res.Body).Decode(&d)
			res.Body.Close()
		}
		if err != nil || len(d.Notifications) != 1 || !strings.Contains(d.Notifications[0].Title, want) {
			t.Errorf("%s export's notifications (%v): %+v", lang, err, d.Notifications)
		}
	}

	// Delete: the confirm box first, then the password.
	st, _, page = gb.post("/account/privacy", "/account/delete", url.Values{"password": {testutil.Password}})
	if st != http.StatusUnprocessableEntity || !strings.Contains(page, "请勾选确认") {
		t.Fatalf("unconfirmed delete: %d\n%s", st, page)
	}
	gb.refused("/account/privacy", "/account/delete", url.Values{"password": {"not the password"}, "confirm": {"yes"}}, "password", "不正确")
	gb.redirected("/account/privacy", "/account/delete", url.Values{"password": {testutil.Password}, "confirm": {"yes"}}, "/")
	if st, _ := gb.get("/account"); st != http.StatusSeeOther {
		t.Fatalf("still signed in after deleting the account: %d", st)
	}
	if st, _, _ := gb.post("/login", "/login", url.Values{"email": {g.Email}, "password": {testutil.Password}}); st == http.StatusSeeOther {
		t.Fatal("signed in to a deleted account")
	}

	// The privacy notice is public and names its version.
	if st, page := newFormClient(t, a).get("/privacy"); st != http.StatusOK || !strings.Contains(page, domain.PrivacyNoticeVersion) {
		t.Fatalf("privacy notice: %d", st)
	}
	// Staff have no delete form.
	sb := newFormClient(t, a)
	signIn(t, sb, admin.Email)
	if _, page := sb.get("/account/privacy"); strings.Contains(page, `action="/account/delete"`) {
		t.Fatal("staff offered the delete form")
	}
}

// An account walk: an employer's privacy page spoke of its résumé, cover
// letters and applications, and said nothing of its organisation. The
// employer's page says what is its own and what stays the organisation's.
func TestEmployerPrivacyPageSpeaksToEmployers(t *testing.T) {
	a := testutil.NewApp(t)
	emp, _ := a.Publisher()
	w := newWebClient(t, a, emp.Email)
	p := w.get("/account/privacy")
	if strings.Contains(p, "简历文件") || strings.Contains(p, "求职信") || !strings.Contains(p, `data-testid="delete-what-employer"`) ||
		!strings.Contains(p, "单位、其岗位和收到的申请仍属于单位") {
		t.Error("the employer's privacy page is the graduate's")
	}
	if g := newWebClient(t, a, a.Graduate().Email).get("/account/privacy"); !strings.Contains(g, "简历文件") {
		t.Error("the graduate's privacy page lost its wording")
	}
}

// Issue 12 item 10: the privacy notice says how long an inactive
// graduate's résumé is kept, as configured (GRADZONE_RESUME_RETENTION) —
// the notice used to say 24 months whatever the job was set to.
// In English a period of one is singular ("1 month", not "1 months").
func TestPrivacyNoticeStatesRetention(t *testing.T) {
	for _, c := range []struct{ setting, path, want string }{
		{"", "/privacy", "连续 24 个月没有登录"}, {"400d", "/privacy", "连续 400 天没有登录"},
		{"1mo", "/privacy?lang=en", "applied for 1 month in a row"},
	} {
		a := testutil.NewApp(t, func(cfg *config.Config, _ *server.Options) {
			if c.setting != "" {
				cfg.ResumeRetention = c.setting
			}
		})
		st, page := newFormClient(t, a).get(c.path)
		if st != http.StatusOK || !strings.Contains(page, c.want) {
			t.Errorf("retention %q: the notice (%d) does not say %q", c.setting, st, c.want)
		}
	}
}
