package webui_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/testutil"
)

// webClient is a signed-in site visitor without a browser: cookies kept,
// redirects not followed, the CSRF token read from each page.
type webClient struct {
	t    *testing.T
	base string
	cl   *http.Client
	csrf string
}

func newWebClient(t *testing.T, a *testutil.App, email string) *webClient {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	w := &webClient{t: t, base: a.URL, cl: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	w.get("/login")
	if res := w.post("/login", url.Values{"email": {email}, "password": {testutil.Password}}); res != http.StatusSeeOther {
		t.Fatalf("sign-in: %d", res)
	}
	return w
}

// readBody fails the test on a request error, else reads and closes the
// response's body.
func readBody(t testing.TB, res *http.Response, err error) []byte {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return b
}

// get returns the page's body and remembers its CSRF token.
func (w *webClient) get(path string) string {
	w.t.Helper()
	res, err := w.cl.Get(w.base + path)
	b := readBody(w.t, res, err)
	if m := csrfField.FindStringSubmatch(string(b)); m != nil {
		w.csrf = m[1]
	}
	return string(b)
}

func (w *webClient) post(path string, form url.Values) int {
	w.t.Helper()
	form.Set("_csrf", w.csrf)
	res, err := w.cl.PostForm(w.base+path, form)
	if err != nil {
		w.t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

// flashOf is the flash message on a page.
func flashOf(page string) string {
	i := strings.Index(page, `role="status">`)
	if i < 0 {
		return ""
	}
	rest := page[i+len(`role="status">`):]
	return rest[:strings.Index(rest, "<")]
}

// Issue 15 finding 1, beyond forms: a refused action's message is shown in
// the reader's language, not the API's English internal text.
func TestRefusalsInReadersLanguage(t *testing.T) {
	a := testutil.NewApp(t)
	_, _, id := a.PublishedOpening(nil)
	g := a.Graduate()
	w := newWebClient(t, a, g.Email)
	w.get("/openings/" + id)
	w.post("/openings/"+id+"/apply", url.Values{"cover_letter": {"您好"}})
	w.get("/openings/" + id) // consumes the first flash
	w.post("/openings/"+id+"/apply", url.Values{})
	if got := flashOf(w.get("/openings/" + id)); got != "您已申请过该岗位" {
		t.Errorf("second application, Chinese page: flash %q", got)
	}
	w.get("/openings/" + id + "?lang=en") // the reader switches to English
	w.post("/openings/"+id+"/apply", url.Values{})
	if got := flashOf(w.get("/openings/" + id)); got != "You have already applied to this opening." {
		t.Errorf("second application, English page: flash %q", got)
	}
	// A move the pipeline does not allow, with a field reason: both in Chinese.
	apps := a.Must(http.StatusOK, "GET", "/api/v1/applications", g.Token, nil).JSON()["items"].([]any)
	appID := apps[0].(map[string]any)["id"].(string)
	w.get("/me?lang=zh")
	w.post("/applications/"+appID+"/move", url.Values{"to": {"hired"}})
	got := flashOf(w.get("/me"))
	if got == "" || strings.ContainsAny(got, "abcdefghijklmnopqrstuvwxyz") {
		t.Errorf("refused move: flash %q, want Chinese", got)
	}
}

// postPage posts a form and returns the status and the page answered (for a
// form that comes back with errors instead of redirecting).
func (w *webClient) postPage(path string, form url.Values) (int, string) {
	w.t.Helper()
	form.Set("_csrf", w.csrf)
	res, err := w.cl.PostForm(w.base+path, form)
	b := readBody(w.t, res, err)
	return res.StatusCode, string(b)
}

// The opening's edit form (on the employer's board) comes back with what was
// typed, not the stored opening, and the reason in Chinese at the field.
func TestEditOpeningKeepsValues(t *testing.T) {
	a := testutil.NewApp(t)
	emp := a.VerifiedEmployer("51", "sichuan-chengdu")
	id := a.Must(http.StatusCreated, "POST", "/api/v1/openings", emp.Token, testutil.OpeningBody(map[string]any{"title": "原来的标题"})).JSON()["id"].(string)
	w := newWebClient(t, a, emp.Email)
	w.get("/employer/openings/" + id)
	status, page := w.postPage("/employer/openings/"+id+"/edit", url.Values{"title": {"改过的标题"}, "description": {"改过的描述"},
		"headcount": {"0"}, "city": {"绵阳"}, "deadline": {domain.DateOf(time.Now()).AddDays(30).String()}, "salary_min": {"5000"}, "salary_max": {"8000"}})
	if status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", status)
	}
	for _, want := range []string{`value="改过的标题"`, `>改过的描述</textarea>`, `value="绵阳"`, `value="0"`, "须在 1–1000 之间"} {
		if !strings.Contains(page, want) {
			t.Errorf("the edit form came back without %s", want)
		}
	}
	if strings.Contains(page, `value="原来的标题"`) {
		t.Error("the edit form shows the stored title, not the one typed")
	}
}

// status GETs path as w and returns the status and where it redirects.
func (w *webClient) status(path string) (int, string, string) {
	w.t.Helper()
	res, err := w.cl.Get(w.base + path)
	b := readBody(w.t, res, err)
	return res.StatusCode, res.Header.Get("Location"), string(b)
}

// Issue 15 finding 3: a notification's link (/applications/{id}) led to a
// JSON 404. It now lands on the reader's own page for that application, and
// on a styled 404 for anyone the application does not belong to.
func TestNotificationLinksLand(t *testing.T) {
	a := testutil.NewApp(t)
	emp, _, openingID := a.PublishedOpening(nil)
	g := a.Graduate()
	appID := a.Must(http.StatusCreated, "POST", "/api/v1/openings/"+openingID+"/applications", g.Token, map[string]any{"cover_letter": "您好"}).JSON()["id"].(string)

	var link string
	for _, n := range a.Must(http.StatusOK, "GET", "/api/v1/notifications", emp.Token, nil).JSON()["items"].([]any) {
		link = n.(map[string]any)["link"].(string)
	}
	if link != "/applications/"+appID {
		t.Fatalf("employer's notification link %q", link)
	}
	if status, loc, _ := newWebClient(t, a, emp.Email).status(link); status != http.StatusSeeOther || loc != "/employer/openings/"+openingID+"#app-"+appID {
		t.Errorf("employer follows the link: %d → %q", status, loc)
	}
	if status, loc, _ := newWebClient(t, a, g.Email).status(link); status != http.StatusSeeOther || loc != "/me#app-"+appID {
		t.Errorf("graduate follows the link: %d → %q", status, loc)
	}
	// The anchors exist on the pages the links lead to.
	if page := newWebClient(t, a, g.Email).get("/me"); !strings.Contains(page, `id="app-`+appID+`"`) {
		t.Errorf("/me has no anchor for the application")
	}
	if page := newWebClient(t, a, emp.Email).get("/employer/openings/" + openingID); !strings.Contains(page, `id="app-`+appID+`"`) {
		t.Errorf("the employer's board has no anchor for the application")
	}
	status, _, page := newWebClient(t, a, a.Graduate().Email).status(link)
	if status != http.StatusNotFound || !strings.Contains(page, "<html") {
		t.Errorf("another graduate follows the link: %d, want the styled 404", status)
	}
	other := a.VerifiedEmployer("51", "sichuan-chengdu")
	if status, _, _ := newWebClient(t, a, other.Email).status(link); status != http.StatusNotFound {
		t.Errorf("another employer follows the link: %d, want 404", status)
	}
}

// Issue 15 item 3: a page refused by a role check or a stale form answers
// with the site's styled page in the reader's language, not an empty body.
func TestRefusedPagesAreStyled(t *testing.T) {
	a := testutil.NewApp(t)
	w := newWebClient(t, a, a.Graduate().Email)
	status, _, page := w.status("/employer")
	if status != http.StatusForbidden || !strings.Contains(page, "<html") || !strings.Contains(page, "您无权进行此操作") {
		t.Errorf("graduate opens the employer workbench: %d\n%.300s", status, page)
	}
	w.csrf = "stale"
	res, err := w.cl.PostForm(w.base+"/me/profile", url.Values{"_csrf": {"stale"}, "name": {"x"}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden || !strings.Contains(string(b), "页面已过期") || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		t.Errorf("stale form: %d %s\n%.300s", res.StatusCode, res.Header.Get("Content-Type"), b)
	}
}
