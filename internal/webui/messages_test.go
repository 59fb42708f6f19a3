package webui_test

import (
	"bytes"
	"fmt"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/xuri/excelize/v2"

	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/httpapi"
	"github.com/gradzone/gradzone/internal/testutil"
)

// webClient is a signed-in site visitor without a browser: cookies kept,
// redirects not followed, the CSRF token read from each page.
type webClient struct {
	t    *testing.T
	base string
	cl   *http.Client
	csrf string
	// sentTo is where the last upload's answer led (its Location).
	sentTo string
}

func newWebClient(t *testing.T, a *testutil.App, email string) *webClient {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	w := &webClient{t: t, base: a.URL, cl: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	w.get("/login")
	if res := w.post("/login", url.Values{"email": {email}, "password": {testutil.Password}}); res != http.StatusSeeOther {
		t.Fatalf("sign-in: %d", res)
	}
	// The page a browser lands on: its forms carry the session's token.
	w.get("/account")
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
	st, _ := w.postTo(path, form)
	return st
}

// postTo is post that also says where the answer leads (its Location). It
// keeps nothing on w: a test may post from several goroutines at once.
func (w *webClient) postTo(path string, form url.Values) (int, string) {
	w.t.Helper()
	form.Set("_csrf", w.csrf)
	res, err := w.cl.PostForm(w.base+path, form)
	if err != nil {
		w.t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode, res.Header.Get("Location")
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
	// A nested field ("filters.degree") is named by its own label.
	w.post("/me/saved-searches", url.Values{"q": {"材料"}, "degree": {"phd"}})
	if got := flashOf(w.get("/me")); !strings.Contains(got, "学历") || strings.Contains(got, "filters") {
		t.Errorf("a saved search's bad degree: flash %q", got)
	}
	// A query refused for its length goes back to the results cut as they
	// cut it (a forms probe's 10,000 characters made an address over the
	// server's limit), and the refusal names the words once.
	res, err := w.cl.PostForm(w.base+"/me/saved-searches", url.Values{"_csrf": {w.csrf}, "q": {strings.Repeat("搜", 10000)}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || len(loc) > 2000 {
		t.Errorf("a saved search of 10,000 characters: %d, back to %d bytes", res.StatusCode, len(loc))
	}
	if got := flashOf(w.get("/me")); strings.Count(got, "关键词") != 1 {
		t.Errorf("a saved search of 10,000 characters: flash %q", got)
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

// The browser walk found the edit form without the discipline, industry or
// degree: a reviewer who rejected an opening for its degree left the
// employer to close it and start again. The form edits them now, and the
// edit goes back to review like any other.
func TestEditOpeningChangesItsTerms(t *testing.T) {
	a := testutil.NewApp(t)
	emp, _, id := a.PublishedOpening(map[string]any{"discipline": "engineering", "industry": "ai", "degree_min": "bachelor", "majors": []string{"计算机科学与技术", "软件工程"}})
	w := newWebClient(t, a, emp.Email)
	board := w.get("/employer/openings/" + id)
	// The majors too (a browser walk found them missing from the edit form).
	for _, want := range []string{`<option value="engineering" selected>`, `<option value="ai" selected>`, `<option value="bachelor" selected>`,
		`name="majors" type="text" value="计算机科学与技术、软件工程"`} {
		if !strings.Contains(board, want) {
			t.Errorf("the edit form does not show %s", want)
		}
	}
	w.post("/employer/openings/"+id+"/edit", url.Values{"title": {"科研助理"}, "description": {"协助课题组开展实验与数据分析。"},
		"discipline": {"medicine"}, "industry": {"biomedicine"}, "degree_min": {"master"}, "majors": {"临床医学，药学"}, "headcount": {"2"}, "city": {"成都"},
		"deadline": {domain.DateOf(time.Now()).AddDays(90).String()}, "salary_min": {"6000"}, "salary_max": {"9000"}})
	o := a.Must(http.StatusOK, "GET", "/api/v1/openings/manage", emp.Token, nil).JSON()["items"].([]any)[0].(map[string]any)
	if o["discipline"] != "medicine" || o["industry"] != "biomedicine" || o["degree_min"] != "master" || o["status"] != "pending_review" ||
		fmt.Sprint(o["majors"]) != "[临床医学 药学]" {
		t.Errorf("after the edit: %v %v %v %v %v", o["discipline"], o["industry"], o["degree_min"], o["status"], o["majors"])
	}
}

// A browser walk: an opening returned by review was edited through the board
// and the flash said 「岗位已保存；已发布的岗位改动内容后须重新审核」 while the
// opening stayed returned, its reason shown, until 「提交审核」 was pressed:
// the employer could take the edit for the resubmission. The flash now says
// what the opening's state asks for, and a returned opening's edit form is
// open (the reason above asks for a change).
func TestEditReturnedOpeningSaysSubmit(t *testing.T) {
	a := testutil.NewApp(t)
	emp := a.VerifiedEmployer("51", "sichuan-chengdu")
	id := a.Must(http.StatusCreated, "POST", "/api/v1/openings", emp.Token, testutil.OpeningBody(nil)).JSON()["id"].(string)
	a.Must(http.StatusOK, "POST", "/api/v1/openings/"+id+"/submit", emp.Token, nil)
	a.Must(http.StatusOK, "POST", "/api/v1/openings/"+id+"/reject", a.ZoneAdmin("sichuan-chengdu").Token, map[string]any{"reason": "请写明每周工作时长"})
	w := newWebClient(t, a, emp.Email)
	if board := w.get("/employer/openings/" + id); !strings.Contains(board, `<details class="card" open>`) {
		t.Error("a returned opening's edit form is folded away")
	}
	// Resubmitted unchanged (walk42a), the zone reads again what it
	// returned: the submit button asks first, on the board and the
	// workbench, and no longer once the opening was edited.
	submitButton := func(page string) string {
		i := strings.Index(page, `data-testid="submit-opening"`)
		if i < 0 {
			t.Fatal("no submit button")
		}
		return page[strings.LastIndex(page[:i], "<button"):i]
	}
	const unchanged = "自驳回以来岗位未作任何修改"
	for _, page := range []string{"/employer/openings/" + id, "/employer"} {
		if !strings.Contains(submitButton(w.get(page)), unchanged) {
			t.Errorf("%s: resubmitting a returned opening unchanged does not ask first", page)
		}
	}
	edit := url.Values{"title": {"科研助理"}, "description": {"协助课题组开展实验与数据分析。每周 30 小时。"}, "headcount": {"2"}, "city": {"成都"},
		"deadline": {domain.DateOf(time.Now()).AddDays(90).String()}, "salary_min": {"6000"}, "salary_max": {"9000"}}
	for _, c := range []struct{ lang, want, not string }{
		{"zh", "改好后请点「提交审核」", "已发布的岗位"},
		{"en", "press “Submit for review”", "published opening"},
	} {
		w.get("/employer/openings/" + id + "?lang=" + c.lang)
		w.post("/employer/openings/"+id+"/edit", edit)
		flash := flashOf(w.get("/employer/openings/" + id))
		if !strings.Contains(flash, c.want) || strings.Contains(flash, c.not) {
			t.Errorf("%s: the flash after editing a returned opening: %q", c.lang, flash)
		}
	}
	for _, page := range []string{"/employer/openings/" + id + "?lang=zh", "/employer"} {
		if strings.Contains(submitButton(w.get(page)), unchanged) {
			t.Errorf("%s: the edited opening's submit still says it is unchanged", page)
		}
	}
	// A draft says the same; a published opening still says it goes back
	// to review.
	draft := a.Must(http.StatusCreated, "POST", "/api/v1/openings", emp.Token, testutil.OpeningBody(nil)).JSON()["id"].(string)
	w.get("/employer/openings/" + draft + "?lang=zh")
	w.post("/employer/openings/"+draft+"/edit", edit)
	if flash := flashOf(w.get("/employer/openings/" + draft)); !strings.Contains(flash, "改好后请点「提交审核」") {
		t.Errorf("the flash after editing a draft: %q", flash)
	}
	if board := w.get("/employer/openings/" + draft); strings.Contains(board, `<details class="card" open>`) {
		t.Error("a draft's edit form is open without a reason")
	}
	pub := a.Publish(emp, a.ZoneAdmin("sichuan-chengdu"), nil)
	w.get("/employer/openings/" + pub)
	w.post("/employer/openings/"+pub+"/edit", edit)
	if flash := flashOf(w.get("/employer/openings/" + pub)); !strings.Contains(flash, "重新审核") {
		t.Errorf("the flash after editing a published opening: %q", flash)
	}
}

// status GETs path as w and returns the status and where it redirects.
func (w *webClient) status(path string) (int, string, string) {
	w.t.Helper()
	res, err := w.cl.Get(w.base + path)
	b := readBody(w.t, res, err)
	return res.StatusCode, res.Header.Get("Location"), string(b)
}

// scan GETs a check-in link as a phone's camera opens it: a navigation
// the reader started (Sec-Fetch-Site: none).
func (w *webClient) scan(path string) (int, string) {
	w.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, w.base+path, nil)
	req.Header.Set("Sec-Fetch-Site", "none")
	res, err := w.cl.Do(req)
	b := readBody(w.t, res, err)
	return res.StatusCode, string(b)
}

// Issue 15 finding 3: a notification's link (/applications/{id}) led to a
// JSON 404. It now lands on the reader's own page for that application, and
// on a styled 404 for anyone the application does not belong to.
func TestNotificationLinksLand(t *testing.T) {
	a := testutil.NewApp(t)
	emp, _, openingID := a.PublishedOpening(nil)
	g := a.Graduate()
	appID := a.Must(http.StatusCreated, "POST", "/api/v1/openings/"+openingID+"/applications", g.Token, map[string]any{"cover_letter": "您好"}).JSON()["id"].(string)

	// The newest: the verification and the approval came before it.
	link := a.Must(http.StatusOK, "GET", "/api/v1/notifications", emp.Token, nil).JSON()["items"].([]any)[0].(map[string]any)["link"].(string)
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
	if status != http.StatusForbidden || !strings.Contains(page, "<html") || !strings.Contains(page, "这个页面不对您的账号开放") {
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

	// A form of a session that has ended (signed out in another tab) is not
	// sent, and leads to the sign-in page and back to the form's page.
	w = newWebClient(t, a, a.Graduate().Email)
	w.get("/me")
	form := w.csrf
	if st := w.post("/logout", url.Values{}); st != http.StatusSeeOther {
		t.Fatalf("sign out: %d", st)
	}
	req, _ := http.NewRequest(http.MethodPost, w.base+"/me/profile", strings.NewReader(url.Values{"_csrf": {form}, "name": {"x"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Referer", w.base+"/me?tab=profile")
	if res, err = w.cl.Do(req); err != nil {
		t.Fatal(err)
	}
	b, _ = io.ReadAll(res.Body)
	res.Body.Close()
	if page := string(b); res.StatusCode != http.StatusForbidden || !strings.Contains(page, "登录已结束") ||
		!strings.Contains(page, `href="/login?next=%2Fme%3Ftab%3Dprofile" data-testid="error-sign-in"`) {
		t.Errorf("a form after signing out: %d\n%s", res.StatusCode, page[strings.Index(page, "<main"):])
	}
	// A signed-out form sent without its cookie (cookies blocked) had no
	// session to end: the page is stale, no more (a review).
	if res, err = http.PostForm(w.base+"/register", url.Values{"_csrf": {form}, "email": {"x@example.test"}}); err != nil {
		t.Fatal(err)
	}
	b, _ = io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden || !strings.Contains(string(b), "页面已过期") || strings.Contains(string(b), "登录已结束") {
		t.Errorf("a sign-up without its form cookie: %d", res.StatusCode)
	}
	// A sign-in sent without cookies (blocked) spoke Chinese whatever the
	// reader read: with no language cookie, the page follows the form's own
	// language (the sign-in forms carry it), else the browser's.
	for _, c := range []struct {
		accept string
		form   url.Values
		want   string
	}{
		{"en-GB,en;q=0.9,zh;q=0.5", url.Values{}, "en"},
		{"zh-CN,zh;q=0.9,en;q=0.8", url.Values{}, "zh"},
		{"fr-FR,fr;q=0.9,en;q=0.5", url.Values{}, "en"},
		{"", url.Values{}, "zh"},
		{"zh-CN,zh;q=0.9", url.Values{"lang": {"en"}}, "en"},
		{"en", url.Values{"lang": {"zh"}}, "zh"},
	} {
		c.form.Set("_csrf", form)
		c.form.Set("email", "x@example.test")
		c.form.Set("password", "whatever-it-is")
		req, _ := http.NewRequest(http.MethodPost, w.base+"/login", strings.NewReader(c.form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if c.accept != "" {
			req.Header.Set("Accept-Language", c.accept)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		// It says what helps when cookies are blocked (a walk: "reload and
		// try again" cannot).
		page, words, cookies := string(b), map[string]string{"zh": "页面已过期", "en": "This page has expired"}[c.want], map[string]string{"zh": "允许本站使用 Cookie", "en": "allow cookies for this site"}[c.want]
		if res.StatusCode != http.StatusForbidden || !strings.Contains(page, words) || !strings.Contains(page, cookies) || !strings.Contains(page, `<html lang="`+map[string]string{"zh": "zh-CN", "en": "en"}[c.want]+`"`) {
			t.Errorf("a sign-in without cookies, Accept-Language %q, form lang %q: %d, not in %s", c.accept, c.form.Get("lang"), res.StatusCode, c.want)
		}
	}
	// Every form a signed-out reader sends carries its page's language, so
	// its refusal can speak it (the password forms did not: they fell back
	// to the browser's language).
	// (The reset page's form, which needs a mailed link: TestAccountPages.)
	for _, path := range []string{"/login", "/register", "/forgot-password"} {
		res, err := http.Get(w.base + path + "?lang=en")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		forms := strings.Split(string(b), `<form method="post"`)[1:]
		if len(forms) == 0 {
			t.Errorf("%s: no form", path)
		}
		for _, f := range forms {
			if f = f[:strings.Index(f, "</form>")]; !strings.Contains(f, `name="lang" value="en"`) {
				t.Errorf("%s: a form without its page's language:\n%s", path, f)
			}
		}
	}
}

// upload posts a file as the form field "file" with the page's CSRF token
// and returns the status.
func (w *webClient) upload(path, name string, content []byte) int {
	w.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if err := mw.WriteField("_csrf", w.csrf); err != nil {
		w.t.Fatal(err)
	}
	if name != "" {
		fw, err := mw.CreateFormFile("file", name)
		if err != nil {
			w.t.Fatal(err)
		}
		fw.Write(content)
	}
	mw.Close()
	res, err := w.cl.Post(w.base+path, mw.FormDataContentType(), &body)
	if err != nil {
		w.t.Fatal(err)
	}
	res.Body.Close()
	w.sentTo = res.Header.Get("Location")
	return res.StatusCode
}

// A phone walk through the site: a refused résumé said only the field's
// label ("简历（PDF，5MB以内）"), and a saved one only "✓". Each now says
// what happened, in the reader's language and punctuation.
func TestResumeUploadSaysWhy(t *testing.T) {
	a := testutil.NewApp(t)
	g := a.Graduate()
	w := newWebClient(t, a, g.Email)
	w.get("/me")
	for _, c := range []struct {
		lang, name string
		content    []byte
		want       string
	}{
		{"zh", "notpdf.pdf", []byte("plain text"), "须为 PDF 文件"},
		{"zh", "", nil, "请上传 PDF 文件"},
		// Not the API's words (a walk read: send the PDF as multipart form field "file").
		{"en", "", nil, " (File: choose a PDF file to upload)"},
		{"en", "notpdf.pdf", []byte("plain text"), " (File: must be a PDF document)"},
		{"zh", "cv.pdf", []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"), "简历已上传"},
		{"en", "cv.pdf", []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"), "Résumé uploaded"},
		// The page promises 5 MB: a 3 MB one goes through the site's form too.
		{"zh", "cv3mb.pdf", append(append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("%"), 3<<20)...), "\n%%EOF\n"...), "简历已上传"},
		// A file that only starts like a PDF (an account walk's 34 bytes).
		{"zh", "head.pdf", []byte("%PDF-1.4\n% nothing after the header"), "须为 PDF 文件"},
	} {
		w.get("/me?lang=" + c.lang)
		if st := w.upload("/me/resume", c.name, c.content); st != http.StatusSeeOther {
			t.Fatalf("%s upload %q: status %d", c.lang, c.name, st)
		}
		if got := flashOf(w.get("/me")); !strings.Contains(got, c.want) {
			t.Errorf("%s upload %q: flash %q, want %q", c.lang, c.name, got, c.want)
		}
	}
	// Over the limit the body is refused before any handler: the styled page.
	w.get("/me?lang=zh")
	req, _ := http.NewRequest("POST", w.base+"/me/resume", bytes.NewReader(make([]byte, 6<<20)))
	req.Header.Set("Content-Type", "multipart/form-data; boundary=x")
	req.Header.Set("Referer", w.base+"/me?lang=zh")
	res, err := w.cl.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	page := string(readBody(t, res, err))
	// It names the limit, and leads back to the form (a walk).
	if res.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(page, "简历不能超过 5 MB") || !strings.Contains(page, `<a href="/me?lang=zh" data-testid="error-back">`) {
		t.Errorf("a 6 MB upload: %d, the page names no limit or no way back\n%s", res.StatusCode, page)
	}
}

// An accessibility audit: a refused sign-in marked no field, a refused
// cover letter came back as a flash naming its key (cover_letter), and a
// select's fault was not tied to the select. Each is now beside its field,
// tied to it (aria-describedby), in words.
func TestRefusedFieldsAreTiedToTheirMessage(t *testing.T) {
	a := testutil.NewApp(t)
	g := a.Graduate()
	b := newFormClient(t, a)
	if st, _, page := b.post("/login", "/login", url.Values{"email": {g.Email}, "password": {"wrong-password-1"}}); st != http.StatusUnauthorized && st != http.StatusUnprocessableEntity && st != http.StatusOK ||
		!strings.Contains(page, `aria-invalid="true" aria-describedby="login-error" data-testid="login-password"`) || !strings.Contains(page, `id="login-error"`) {
		t.Errorf("a refused sign-in: %d, the password is not tied to the message", st)
	}

	_, _, id := a.PublishedOpening(nil)
	w := newWebClient(t, a, g.Email)
	w.get("/openings/" + id)
	st, page := w.postPage("/openings/"+id+"/apply", url.Values{"cover_letter": {"您好\u202e反向"}})
	if st != http.StatusUnprocessableEntity || !strings.Contains(page, `aria-invalid="true" aria-describedby="err-cover_letter">您好`) ||
		!strings.Contains(page, `<p class="field-error" id="err-cover_letter">`) || strings.Contains(page, "cover_letter：") {
		t.Errorf("a refused cover letter: %d, not beside the letter with it kept", st)
	}

	st, _, page = newFormClient(t, a).post("/register", "/register", url.Values{"role": {"employer"}, "name": {"王"}, "email": {testutil.MailAddress("a11y")}, "password": {testutil.Password}})
	if st != http.StatusUnprocessableEntity || !strings.Contains(page, `aria-describedby="err-employer-type"`) || !strings.Contains(page, `<p class="field-error" id="err-employer-type">请选择单位类型</p>`) {
		t.Errorf("a refused sign-up: %d, the type select is not tied to its message", st)
	}
}

// The same walk: after a form came back with an error, its address
// (/me/profile, /employer/openings) opened again answered a raw JSON 405.
// A page address that only takes a form's POST now leads to the page the
// form is on; other wrong methods on the site get the styled page.
func TestFormAddressOpenedAgainLeadsToItsPage(t *testing.T) {
	a := testutil.NewApp(t)
	g := a.Graduate()
	emp := a.VerifiedEmployer("51", "sichuan-chengdu")
	for _, c := range []struct{ email, path, want string }{
		{g.Email, "/me/profile", "/me"},
		{emp.Email, "/employer/openings", "/employer"},
		{g.Email, "/me/saved-searches/x/frequency", "/me/saved-searches/x"},
	} {
		st, loc, _ := newWebClient(t, a, c.email).status(c.path)
		if st != http.StatusSeeOther || loc != c.want {
			t.Errorf("GET %s: %d → %q, want 303 → %s", c.path, st, loc, c.want)
		}
	}
	req, _ := http.NewRequest(http.MethodPut, a.URL+"/login", strings.NewReader(url.Values{}.Encode()))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusMethodNotAllowed || !strings.Contains(res.Header.Get("Content-Type"), "text/html") {
		t.Errorf("PUT /login: %d %s, want the styled 405", res.StatusCode, res.Header.Get("Content-Type"))
	}
	// The API still answers JSON.
	if r := a.Do("DELETE", "/api/v1/zones", "", nil); r.Status != http.StatusMethodNotAllowed || r.ErrorCode() != "method_not_allowed" {
		t.Errorf("DELETE /api/v1/zones: %d %s", r.Status, r.Body)
	}
}

// The same walk: saving a profile, submitting an opening for review and
// approving it each answered a bare "✓". Each now says what happened.
func TestActionsSayWhatHappened(t *testing.T) {
	a := testutil.NewApp(t)
	emp, zone := a.Publisher()
	g := a.Graduate()

	gw := newWebClient(t, a, g.Email)
	gw.get("/me")
	gw.post("/me/profile", url.Values{"phone": {"13800138000"}, "major": {"材料科学与工程"}})
	if got := flashOf(gw.get("/me")); got != "✓ 资料已保存。" {
		t.Errorf("profile saved: flash %q", got)
	}
	// The name employers read can be mended on the site too (an account
	// walk found it on the API only); a blank one is refused at its field.
	if me := gw.get("/me"); !strings.Contains(me, `name="name"`) {
		t.Error("the profile form has no name")
	}
	if st := gw.post("/me/profile", url.Values{"name": {"  王小明  "}, "phone": {"13800138000"}, "major": {"材料科学与工程"}}); st != http.StatusSeeOther {
		t.Errorf("mending the name: %d", st)
	}
	if name := a.Must(http.StatusOK, "GET", "/api/v1/me", g.Token, nil).JSON()["name"]; name != "王小明" {
		t.Errorf("the name after mending: %v", name)
	}
	if st, _, page := gw.status("/me"); st != http.StatusOK || !strings.Contains(page, `value="王小明"`) {
		t.Errorf("the profile form does not show the mended name: %s", regexp.MustCompile(`(?s)<input[^>]*name="name"[^>]*>`).FindString(page))
	}

	id := a.Must(http.StatusCreated, "POST", "/api/v1/openings", emp.Token, testutil.OpeningBody(map[string]any{"title": "质谱数据科研助理"})).JSON()["id"].(string)
	other := a.Must(http.StatusCreated, "POST", "/api/v1/openings", emp.Token, testutil.OpeningBody(map[string]any{"title": "冷冻电镜科研助理"})).JSON()["id"].(string)
	ew := newWebClient(t, a, emp.Email)
	ew.get("/employer?lang=en")
	ew.post("/employer/openings/"+id+"/submit", url.Values{})
	if got := flashOf(ew.get("/employer")); !strings.HasPrefix(got, "✓ Submitted for review") {
		t.Errorf("submitted: flash %q", got)
	}
	ew.post("/employer/openings/"+other+"/submit", url.Values{})

	// A staff walk reviewed a queue and each flash said only "approved":
	// which one, it had to scroll down to see. The flash names the opening.
	// On a phone the queue stood below six charts: the top of the dashboard
	// says what waits and links to it.
	zw := newWebClient(t, a, zone.Email)
	page := zw.get("/staff")
	todo := strings.Index(page, `data-testid="todo"`)
	nav := page[max(todo, 0):]
	nav = nav[:max(strings.Index(nav, "</nav>"), 0)]
	if todo < 0 || todo > strings.Index(page, `class="kpis"`) || !strings.Contains(nav, `href="#review-queue"`) ||
		!strings.Contains(page, `id="review-queue"`) || !strings.Contains(nav, "待审核岗位 2") {
		t.Error("the dashboard's top does not link to the review queue of 2")
	}
	zw.post("/staff/openings/"+id+"/approve", url.Values{"version": {"1"}})
	if got := flashOf(zw.get("/staff")); got != "✓ 「质谱数据科研助理」已通过审核并发布。" {
		t.Errorf("approved: flash %q", got)
	}
	zw.post("/staff/openings/"+other+"/reject?lang=en", url.Values{"reason": {"请补充导师信息"}})
	if got := flashOf(zw.get("/staff?lang=en")); got != "✓ “冷冻电镜科研助理” rejected; the employer will see your reason." {
		t.Errorf("rejected: flash %q", got)
	}
	if page := zw.get("/staff"); strings.Contains(page, `data-testid="todo-review"`) {
		t.Error("the dashboard still links to an empty review queue")
	}
}

// The same walk in English: zones and provinces kept their Chinese names
// (on search cards, the opening, the staff desk, the ranking, sign-up),
// though the reference data has English ones.
func TestPlacesNamedInEnglish(t *testing.T) {
	a := testutil.NewApp(t)
	_, zone, id := a.PublishedOpening(nil)
	a.WaitIndexed(30 * time.Second)
	const zoneEn, zoneZh = "Chengdu Hi-tech Industrial Development Zone", "成都高新技术产业开发区"
	visitor := newWebClient(t, a, a.Graduate().Email)
	zw, pw := newWebClient(t, a, zone.Email), newWebClient(t, a, a.ProvinceAdmin("51").Email)
	for _, c := range []struct {
		w          *webClient
		path, want string
	}{
		{visitor, "/", zoneEn}, {visitor, "/openings/" + id, zoneEn},
		{zw, "/staff", "Staff desk · " + zoneEn}, {zw, "/staff/reports", zoneEn},
		{pw, "/staff", "Sichuan"}, {pw, "/staff", zoneEn}, {pw, "/staff/targets", zoneEn},
	} {
		if page := c.w.get(c.path + "?lang=en"); !strings.Contains(page, c.want) || strings.Contains(page, zoneZh) {
			t.Errorf("%s in English: want %q and no %q", c.path, c.want, zoneZh)
		}
		if page := c.w.get(c.path + "?lang=zh"); !strings.Contains(page, zoneZh) {
			t.Errorf("%s in Chinese: no %q", c.path, zoneZh)
		}
	}
	// Sign-up is for someone signed out (the signed-in go home).
	if _, _, page := fetch(t, a, "/register?lang=en"); !strings.Contains(page, "Sichuan · "+zoneEn) || strings.Contains(page, zoneZh) {
		t.Errorf("/register in English: want %q and no %q", "Sichuan · "+zoneEn, zoneZh)
	}
	if _, _, page := fetch(t, a, "/register?lang=zh"); !strings.Contains(page, zoneZh) {
		t.Errorf("/register in Chinese: no %q", zoneZh)
	}
	// A walk read "City: 成都" in English. A city whose English name is
	// certain (no polyphone, or a known name) is given in English; the
	// employer's words stay as written in Chinese.
	for _, c := range []struct {
		path, en, zh string
	}{
		{"/openings/" + id, "City: Chengdu", "工作城市：成都"},
		{"/", "<span>Chengdu</span>", "<span>成都</span>"},
	} {
		if page := visitor.get(c.path + "?lang=en"); !strings.Contains(page, c.en) {
			t.Errorf("%s in English: no %q", c.path, c.en)
		}
		if page := visitor.get(c.path + "?lang=zh"); !strings.Contains(page, c.zh) {
			t.Errorf("%s in Chinese: no %q", c.path, c.zh)
		}
	}
}

// The same walk in English: "Employer：", "Sign out（李华）", "Email：" — the
// templates' own punctuation was Chinese in either language. Every page's
// text in English now has none (the world's data has none either), the
// notifications included.
func TestEnglishPagesUseEnglishPunctuation(t *testing.T) {
	a := testutil.NewApp(t)
	emp, zone, id := a.PublishedOpening(nil)
	g, app := a.Applicant(id, "您好")
	a.Must(http.StatusOK, "PATCH", "/api/v1/me/profile", g.Token, map[string]any{"skills": []string{"Python", "MATLAB"}})
	a.Must(http.StatusOK, "POST", "/api/v1/applications/"+app+"/transitions", emp.Token, map[string]string{"to": "shortlisted", "note": "不错"})
	a.Must(http.StatusCreated, "POST", "/api/v1/me/saved-searches", g.Token, map[string]any{"name": "材料", "q": "材料", "filters": map[string]string{"degree": "master"}})
	tags := regexp.MustCompile(`(?s)<script.*?</script>|<style.*?</style>|<[^>]*>`)
	for _, c := range []struct {
		email string
		paths []string
	}{
		{g.Email, []string{"/", "/openings/" + id, "/events", "/register", "/me", "/account", "/account/notifications", "/employers/" + emp.EmployerID, "/notifications"}},
		{emp.Email, []string{"/employer", "/employer/openings/" + id, "/employer/applications/" + app, "/notifications"}},
		{zone.Email, []string{"/staff", "/staff/reports", "/staff/audit", "/staff/events", "/staff/employers"}},
		{a.ProvinceAdmin("51").Email, []string{"/staff", "/staff/reports", "/staff/targets"}},
	} {
		w := newWebClient(t, a, c.email)
		for _, p := range c.paths {
			text := html.UnescapeString(tags.ReplaceAllString(w.get(p+"?lang=en"), " "))
			if i := strings.IndexAny(text, "：（）、，"); i >= 0 {
				t.Errorf("%s in English has Chinese punctuation: …%s…", p, around(text, i))
			}
			// And the other way: a browser walk found 批量操作: and 推广链接:.
			text = html.UnescapeString(tags.ReplaceAllString(w.get(p+"?lang=zh"), " "))
			if m := hanThenASCIIColon.FindStringIndex(text); m != nil {
				t.Errorf("%s in Chinese has an ASCII colon: …%s…", p, around(text, m[0]))
			}
		}
	}
}

// hanThenASCIIColon is an English colon after Chinese text.
var hanThenASCIIColon = regexp.MustCompile(`\p{Han}\s*:`)

// around is the text near byte i.
func around(s string, i int) string {
	from, to := max(i-60, 0), min(i+60, len(s))
	return strings.ToValidUTF8(strings.Join(strings.Fields(s[from:to]), " "), "")
}

// The same walk: the two sign-up forms shared the IDs f-name, f-email and
// f-password, so the employer form's labels focused the graduate's fields.
// No page repeats an element ID.
func TestNoPageRepeatsAnID(t *testing.T) {
	a := testutil.NewApp(t)
	emp, zone, id := a.PublishedOpening(nil)
	g, app := a.Applicant(id, "您好")
	ids := regexp.MustCompile(`\sid="([^"]+)"`)
	for _, c := range []struct {
		email string
		paths []string
	}{
		{g.Email, []string{"/", "/register", "/login", "/openings/" + id, "/me", "/account", "/account/notifications", "/account/privacy"}},
		{emp.Email, []string{"/employer", "/employer/openings/" + id, "/employer/applications/" + app}},
		{zone.Email, []string{"/staff", "/staff/reports", "/staff/events", "/staff/imports", "/staff/employers"}},
	} {
		w := newWebClient(t, a, c.email)
		for _, p := range c.paths {
			seen := map[string]bool{}
			for _, m := range ids.FindAllStringSubmatch(w.get(p), -1) {
				if seen[m[1]] {
					t.Errorf("%s repeats the id %q", p, m[1])
				}
				seen[m[1]] = true
			}
		}
	}
}

// The same walk's wording: past the last page the search said both "共 N 个
// 岗位" and "没有找到匹配的岗位"; the pager never said which page it was;
// the headcount read "6 招聘人"; an employer answering the same day was
// said to answer "within 0 days". (The page number, shown from two pages
// on, is checked by hand: a world of 21 openings is a slow fixture.)
func TestSearchAndOpeningWording(t *testing.T) {
	a := testutil.NewApp(t)
	emp, _, id := a.PublishedOpening(map[string]any{"headcount": 6})
	_, app := a.Applicant(id, "您好")
	a.Must(http.StatusOK, "POST", "/api/v1/applications/"+app+"/transitions", emp.Token, map[string]string{"to": "shortlisted"})
	a.WaitIndexed(30 * time.Second)
	w := newWebClient(t, a, a.Graduate().Email)

	past := w.get("/?page=9")
	if !strings.Contains(past, `data-testid="past-last-page"`) || strings.Contains(past, "没有找到匹配的岗位") {
		t.Error("a page past the last does not say so (or says nothing was found)")
	}
	// A graduate walk: its 上一页 led to page 8, as empty; it leads to the
	// last page.
	if strings.Contains(past, "page=8") || !strings.Contains(past, `<a class="btn secondary" href="/?page=1">上一页</a>`) {
		t.Errorf("past the last page, 上一页 does not lead to the last page:\n%s", part(past, `class="pager"`, "</nav>"))
	}
	opening := w.get("/openings/" + id)
	for _, want := range []string{"招聘人数", "该单位通常当天处理申请"} {
		if !strings.Contains(opening, want) {
			t.Errorf("the opening page lacks %q", want)
		}
	}
	if strings.Contains(opening, "招聘人 ·") || strings.Contains(opening, "0 天内") {
		t.Error("the opening page still reads 招聘人 or 0 天内")
	}
}

// The same walk in English: notifications were shown as written, in
// Chinese. Each is said in the reader's language from what it is about;
// the API's title stays the Chinese one.
func TestNotificationsInReadersLanguage(t *testing.T) {
	a := testutil.NewApp(t)
	emp, _, id := a.PublishedOpening(map[string]any{"title": "量子计算科研助理"})
	g, app := a.Applicant(id, "您好")
	a.Must(http.StatusOK, "POST", "/api/v1/applications/"+app+"/transitions", emp.Token, map[string]string{"to": "shortlisted"})
	gw, ew := newWebClient(t, a, g.Email), newWebClient(t, a, emp.Email)
	for _, c := range []struct {
		w    *webClient
		lang string
		want string
	}{
		{gw, "en", "Your application for “量子计算科研助理”: shortlisted"},
		{gw, "zh", "「量子计算科研助理」的申请状态：已入围"},
		{ew, "en", "applied for “量子计算科研助理”"},
		{ew, "zh", "申请了「量子计算科研助理」"},
	} {
		if page := html.UnescapeString(c.w.get("/notifications?lang=" + c.lang)); !strings.Contains(page, c.want) {
			t.Errorf("notifications in %s lack %q", c.lang, c.want)
		}
	}
	items := a.Must(http.StatusOK, "GET", "/api/v1/notifications", g.Token, nil).JSON()["items"].([]any)
	if title := items[0].(map[string]any)["title"]; title != "「量子计算科研助理」的申请状态：已入围" {
		t.Errorf("the API's title is %q", title)
	}
}

// A walk pressed 上传工作簿 with no file chosen and was answered
// "上传工作簿", the button's own words. It is asked to choose a file now.
func TestImportWithoutFile(t *testing.T) {
	a := testutil.NewApp(t)
	w := newWebClient(t, a, a.ZoneAdmin("sichuan-chengdu").Email)
	w.get("/staff/imports")
	if st := w.post("/staff/imports/employers", url.Values{}); st != http.StatusSeeOther {
		t.Fatalf("no file: %d", st)
	}
	if f := flashOf(w.get("/staff/imports")); f != "请先选择要上传的 .xlsx 工作簿" {
		t.Errorf("the flash without a file: %q", f)
	}
}

// A review: an upload refused because the server ran as many imports as
// it takes said 「服务暂时不可用」, as if the service were down. The imports
// page says the imports are many and to upload again. (The first upload
// waits on a lock, holding the zone's one slot.)
func TestImportsPageSaysWhenImportsAreMany(t *testing.T) {
	a := testutil.NewApp(t, testutil.ImportSlots(4, 1))
	chengdu := a.ZoneAdmin("sichuan-chengdu")
	tpl := a.Must(http.StatusOK, "GET", "/api/v1/imports/templates/employers.xlsx", chengdu.Token, nil).Body
	db := testutil.SQL(t, a.DBURL)
	release := testutil.LockTable(t, db, "import_jobs", "EXCLUSIVE")
	first := make(chan int)
	go func() { first <- a.SendFile("/api/v1/imports/employers", chengdu.Token, "e.xlsx", tpl).Status }()
	// The upload itself waits (it holds the slot), not the replica's
	// sweep of stopped imports, which may wait on the lock too.
	testutil.Eventually(t, 30*time.Second, 20*time.Millisecond, func() string {
		var n int
		db.QueryRow(`SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'
			AND query LIKE 'INSERT INTO import_jobs%'`).Scan(&n)
		if n == 0 {
			return "the first upload does not wait on the lock"
		}
		return ""
	})
	w := newWebClient(t, a, chengdu.Email)
	w.get("/staff/imports")
	if st := w.upload("/staff/imports/employers", "employers.xlsx", tpl); st != http.StatusSeeOther {
		t.Fatalf("an upload beside the zone's running import: %d", st)
	}
	if f := flashOf(w.get("/staff/imports")); !strings.Contains(f, "导入任务较多") || strings.Contains(f, "不可用") {
		t.Errorf("the flash of an upload refused for many imports: %q", f)
	}
	release()
	if st := <-first; st != http.StatusAccepted {
		t.Fatalf("the first upload: %d", st)
	}
}

// A walk read 新增 0 on a running import until it ended (its rows commit
// with its outcome). While it runs its card and its row in the list say
// how many rows are checked, and its row 「—」 for what it created and the
// rows with problems, known at its end. (It waits on a lock at its one
// valid row, the two refused by the column checks counted.)
func TestImportsPageShowsARunningImportsProgress(t *testing.T) {
	a := testutil.NewApp(t)
	chengdu := a.ZoneAdmin("sichuan-chengdu")
	f := excelize.NewFile()
	for i, r := range [][]any{{"单位名称", "统一社会信用代码", "单位类型", "单位规模", "所属行业"},
		{"类型有误一公司", testutil.RandomCreditCode(), "协会", "小型", "人工智能"},
		{"类型有误二公司", testutil.RandomCreditCode(), "协会", "小型", "人工智能"},
		{"进度可见科技有限公司", testutil.RandomCreditCode(), "企业", "小型", "人工智能"}} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		f.SetSheetRow("Sheet1", cell, &r)
	}
	var book bytes.Buffer
	if err := f.Write(&book); err != nil {
		t.Fatal(err)
	}
	db := testutil.SQL(t, a.DBURL)
	release := testutil.LockTable(t, db, "employers", "EXCLUSIVE")
	id := a.UploadFile("/api/v1/imports/employers", chengdu.Token, "e.xlsx", book.Bytes()).JSON()["id"].(string)
	testutil.WaitForLockWaiters(t, db, 1, "the import's insert")
	w := newWebClient(t, a, chengdu.Email)
	var page string
	testutil.Eventually(t, 10*time.Second, 100*time.Millisecond, func() string {
		page = w.get("/staff/imports?job=" + id)
		if !strings.Contains(page, `role="status">已检查 2/3 行 · 导入中</span>`) {
			return "the running import's card: " + page[strings.Index(page, "<main"):]
		}
		return ""
	})
	row := regexp.MustCompile(`(?s)<tr data-testid="import-row".*?</tr>`).FindString(page)
	if !strings.Contains(row, `<progress max="3" value="2"`) || !strings.Contains(row, "已检查 2/3 行") ||
		!strings.Contains(row, `data-testid="import-created">—</td>`) || strings.Count(row, ">—</td>") != 2 {
		t.Errorf("the running import's row: %s", row)
	}
	release()
	testutil.Eventually(t, 20*time.Second, 100*time.Millisecond, func() string {
		if page = w.get("/staff/imports?job=" + id); !strings.Contains(page, `data-testid="import-created">1</td>`) {
			return "the import did not end on the page"
		}
		return ""
	})
	if row = regexp.MustCompile(`(?s)<tr data-testid="import-row".*?</tr>`).FindString(page); !strings.Contains(row, ">3/3</td>") || !strings.Contains(row, `data-problems="2"`) {
		t.Errorf("the ended import's row: %s", row)
	}
	// Ended, the card says the outcome, not rows "checked" (review35b: a
	// failed one read 已检查 N/N 行 · 失败).
	if !strings.Contains(page, `role="status">3/3 · `) || strings.Contains(page, `role="status">已检查`) {
		t.Errorf("the ended import's card: %s", regexp.MustCompile(`<span id="job-text"[^<]*</span>`).FindString(page))
	}
}

// A walk found an import's problem rows reachable only through its ?job=
// address: once the official left the page they were gone. The imports
// page lists the zone's imports, newest first, each opening its result;
// another zone's staff see none of them. The progress line is announced
// to screen readers.
func TestImportsPageListsEarlierImports(t *testing.T) {
	a := testutil.NewApp(t)
	chengdu := a.ZoneAdmin("sichuan-chengdu")
	w := newWebClient(t, a, chengdu.Email)
	tpl := a.Must(http.StatusOK, "GET", "/api/v1/imports/templates/employers.xlsx", chengdu.Token, nil).Body
	w.get("/staff/imports")
	for range 2 { // each notes the template's example row, importing nothing
		if st := w.upload("/staff/imports/employers", "employers.xlsx", tpl); st != http.StatusSeeOther || !strings.HasSuffix(w.sentTo, "#job") {
			t.Fatalf("upload: %d, to %q (a phone walk: to the job's card, below the forms)", st, w.sentTo)
		}
		deadline := time.Now().Add(30 * time.Second)
		for strings.Contains(w.get("/staff/imports"), `data-status="running"`) && time.Now().Before(deadline) {
			time.Sleep(100 * time.Millisecond)
		}
	}
	page := w.get("/staff/imports")
	rows := regexp.MustCompile(`(?s)<tr data-testid="import-row".*?</tr>`).FindAllString(page, -1)
	if len(rows) != 2 {
		t.Fatalf("%d imports listed, want 2", len(rows))
	}
	var ids []string
	for _, r := range rows {
		m := regexp.MustCompile(`href="/staff/imports\?job=([0-9a-f-]{36})"`).FindStringSubmatch(r)
		// An import probe: two uploads a minute apart read as one line; each
		// names its file and who uploaded it.
		if m == nil || !strings.Contains(r, "单位") || !strings.Contains(r, "已完成") ||
			!strings.Contains(r, `data-testid="import-file">employers.xlsx</td>`) || !strings.Contains(r, ">工作人员</td>") {
			t.Fatalf("an import's row: %s", r)
		}
		ids = append(ids, m[1])
	}
	var newest string
	testutil.SQL(t, a.DBURL).QueryRow(`SELECT id FROM import_jobs ORDER BY created_at DESC LIMIT 1`).Scan(&newest)
	// The example row is a note, not a problem: counted, it made the list
	// read one more than the rows the corrections workbook holds.
	if ids[0] != newest || !strings.Contains(rows[0], `data-problems="0"`) || !strings.Contains(rows[1], `data-problems="0"`) {
		t.Errorf("newest first (%s), the example row not counted as a problem:\n%s\n%s", newest, rows[0], rows[1])
	}
	job := w.get("/staff/imports?job=" + ids[0])
	if !strings.Contains(job, `data-testid="import-errors"`) ||
		!strings.Contains(job, "模板的示例行") || !strings.Contains(job, `id="job-text" role="status"`) {
		t.Errorf("the newest import's page lacks its noted rows or an announced progress line: %s", job[strings.Index(job, "<main"):])
	}
	if strings.Contains(job, `data-testid="import-corrections"`) {
		t.Error("an import whose only noted row is the example offers rows to correct")
	}
	if other := newWebClient(t, a, a.ZoneAdmin("sichuan-mianyang").Email).get("/staff/imports"); strings.Contains(other, `data-testid="import-row"`) {
		t.Error("another zone's staff see Chengdu's imports")
	}
}

// A walk submitted Sichuan's report "to the ministry" and found it nowhere a
// ministry official could look: the ministry's reports page listed 178 zone
// rows and ignored ?province=. It lists the provinces' reports now, each
// opening its province's zones and report.
func TestMinistryReadsProvinceReports(t *testing.T) {
	a := testutil.NewApp(t)
	year := domain.DateOf(time.Now()).Year - 1
	month := map[string]any{"province": "51", "year": year, "month": 7}
	a.Must(http.StatusOK, "POST", "/api/v1/reports/monthly/province/submit", a.ProvinceAdmin("51").Token, month)
	mw := newWebClient(t, a, a.MinistryAdmin().Email)
	page := mw.get(fmt.Sprintf("/staff/reports?year=%d&month=7", year))
	row := regexp.MustCompile(`(?s)<tr data-testid="province-row"[^>]*data-code="51".*?</tr>`).FindString(page)
	if !strings.Contains(row, "已报送") || !strings.Contains(html.UnescapeString(row), fmt.Sprintf(`href="/staff/reports?province=51&year=%d&month=7"`, year)) {
		t.Fatalf("Sichuan's row on the ministry's page: %q", row)
	}
	// A walk: a province's report sent months after its due day read
	// 已报送 alone, while its zones' late reports carried 逾期报送.
	if !strings.Contains(row, `data-testid="submitted-late"`) || !strings.Contains(row, "逾期报送") {
		t.Errorf("Sichuan's report of last July, sent today, is not marked late: %q", row)
	}
	sichuan := mw.get(fmt.Sprintf("/staff/reports?province=51&year=%d&month=7", year))
	// A walk read a month's report as the month's own figures: they are the
	// year's to the month's end, and the headings say so.
	for _, want := range []string{"累计已开发岗位", "累计已招录", "截至该月月末"} {
		if !strings.Contains(sichuan, want) {
			t.Errorf("the report page does not say its figures are cumulative (%q)", want)
		}
	}
	if n := strings.Count(sichuan, `data-testid="report-row"`); n != 8 || !strings.Contains(sichuan, `data-testid="province-report-state"`) || strings.Contains(sichuan, `data-testid="submit-province-report"`) {
		t.Errorf("the ministry's view of Sichuan: %d zone rows, a submit button %v", n, strings.Contains(sichuan, `data-testid="submit-province-report"`))
	}
	// A walk found the placements' CSV offered on no staff page: the
	// reports page links it for the month and area it shows, and the link
	// works with the page's own sign-in.
	csv := fmt.Sprintf("/api/v1/placements.csv?year=%d&month=7&province=51", year)
	if !strings.Contains(html.UnescapeString(sichuan), `href="`+csv+`"`) {
		t.Error("the reports page does not offer the month's placements as CSV")
	}
	if st, _, body := mw.status(csv); st != http.StatusOK || !strings.Contains(body, "placement_id") {
		t.Errorf("the CSV link: %d %.80q", st, body)
	}
	// Its 催报 from there comes back to Sichuan, not to the national page.
	res, err := mw.cl.PostForm(a.URL+"/staff/reports/remind", url.Values{"_csrf": {mw.csrf}, "province": {"51"}, "year": {fmt.Sprint(year)}, "month": {"7"}})
	readBody(t, res, err)
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || !strings.Contains(loc, "province=51") {
		t.Errorf("after the ministry's 催报: %d to %q", res.StatusCode, loc)
	}
}

// A staff walk: the report page showed the counts and the completion rate
// only; the targets, the other rates and the breakdowns (单位类型 … 学科门类)
// were in the API and the workbook. A zone submitted, and its province
// reviewed, what it could not see. Each report's details are on the page.
func TestReportPageShowsWhatIsSubmitted(t *testing.T) {
	a := testutil.NewApp(t)
	emp, admin, id := a.PublishedOpening(map[string]any{"title": "报表明细测试岗位", "discipline": "engineering", "degree_min": "master"})
	g, app := a.Applicant(id, "您好")
	today := domain.DateOf(time.Now())
	a.Hire(emp.Token, g.Token, app, today.String())
	zone := newWebClient(t, a, admin.Email)
	page := zone.get(fmt.Sprintf("/staff/reports?year=%d&month=%d", today.Year, today.Month))
	detail := regexp.MustCompile(`(?s)<details[^>]*data-testid="report-detail".*?</details>`).FindString(page)
	for _, want := range []string{" open", "招录目标", "岗位开发完成率", "招录完成率", "同比增长", "（上年同期 0）", "占全省比重", "单位类型", "学科门类", "工学 1", "学历"} {
		if !strings.Contains(detail, want) {
			t.Errorf("the zone's report details lack %q:\n%s", want, detail)
		}
	}
	province := newWebClient(t, a, a.ProvinceAdmin("51").Email).get(fmt.Sprintf("/staff/reports?year=%d&month=%d", today.Year, today.Month))
	if n := strings.Count(province, `data-testid="report-detail"`); n != 8 || !strings.Contains(province, "工学 1") {
		t.Errorf("the province's page has %d report details", n)
	}
}

// A staff walk: province and ministry staff could not open a zone (or a
// province) from their ranking: the rows were plain text, and /staff read
// only a year. Each row opens that area's dashboard, in the caller's scope,
// with the way back; another province's zone is not found.
func TestDashboardDrillsDown(t *testing.T) {
	a := testutil.NewApp(t)
	year := domain.DateOf(time.Now()).Year
	a.Must(http.StatusOK, "PUT", fmt.Sprintf("/api/v1/zones/sichuan-mianyang/quotas/%d", year), a.ProvinceAdmin("51").Token,
		map[string]any{"target_positions": 40, "target_placements": 8})
	pw := newWebClient(t, a, a.ProvinceAdmin("51").Email)
	zoneLink := fmt.Sprintf(`href="/staff?zone=sichuan-mianyang&year=%d"`, year)
	if page := html.UnescapeString(pw.get("/staff")); !strings.Contains(page, zoneLink) {
		t.Fatalf("the province's ranking does not open a zone (%s)", zoneLink)
	}
	page := pw.get(fmt.Sprintf("/staff?zone=sichuan-mianyang&year=%d", year))
	// 同比 with no placement last year said a bare "—": it says why.
	if !strings.Contains(page, "绵阳高新技术产业开发区") || !strings.Contains(page, `data-testid="dashboard-up"`) || strings.Contains(page, `data-testid="ranking-row"`) ||
		!strings.Contains(page, "同比增长（上年同期 0）") {
		t.Errorf("the province's view of a zone:\n%s", page[strings.Index(page, "<main"):])
	}
	// The error page leads staff back to their desk, not only to the
	// graduates' search (a staff walk).
	if st, _, body := pw.status("/staff?zone=guangdong-shenzhen"); st != http.StatusNotFound || !strings.Contains(body, `href="/staff" data-testid="error-home"`) {
		t.Errorf("a province opened another province's zone: %d", st)
	}
	mw := newWebClient(t, a, a.MinistryAdmin().Email)
	if page := html.UnescapeString(mw.get("/staff")); !strings.Contains(page, fmt.Sprintf(`href="/staff?province=51&year=%d"`, year)) {
		t.Error("the ministry's ranking does not open a province")
	}
	page = html.UnescapeString(mw.get(fmt.Sprintf("/staff?province=51&year=%d", year)))
	if !strings.Contains(page, "四川省") || !strings.Contains(page, zoneLink) || !strings.Contains(page, `data-testid="dashboard-up"`) {
		t.Error("the ministry's view of Sichuan does not list its zones to open")
	}
	// From there a zone's way back is to Sichuan, not past it.
	page = html.UnescapeString(mw.get(fmt.Sprintf("/staff?zone=sichuan-mianyang&year=%d", year)))
	if !strings.Contains(page, fmt.Sprintf(`href="/staff?province=51&year=%d" data-testid="dashboard-up"`, year)) {
		t.Error("the ministry's view of a zone does not lead back to its province")
	}
}

// A staff walk: with no targets set yet, the ministry's ranking put Sichuan,
// the one province with placements, 23rd behind 22 provinces with none;
// a province's own ranking of its zones breaks such ties by placements.
// Provinces are ranked as zones are.
func TestNationalRankingBreaksTiesByPlacements(t *testing.T) {
	a := testutil.NewApp(t)
	emp, _, opening := a.PublishedOpening(nil)
	g, app := a.Applicant(opening, "我想来")
	a.Hire(emp.Token, g.Token, app, testutil.InDays(0))
	year := domain.DateOf(time.Now()).Year
	page := newWebClient(t, a, a.MinistryAdmin().Email).get(fmt.Sprintf("/staff?year=%d", year))
	rows := regexp.MustCompile(`data-testid="ranking-row" data-code="([^"]+)"`).FindAllStringSubmatch(page, -1)
	if len(rows) != 32 || rows[0][1] != "51" {
		t.Fatalf("the ministry's ranking (%d rows) starts with %v, want Sichuan (51), the one province with a placement", len(rows), rows[:min(len(rows), 3)])
	}
}

// A staff walk: Sichuan's headline counted 6 placements while its zones'
// rows added up to 5; the sixth, by an employer outside any zone, was on no
// page but the workbook. The dashboard's ranking and the report page show
// that row.
func TestProvinceShowsEmployersOutsideZones(t *testing.T) {
	a := testutil.NewApp(t)
	outside := a.VerifiedEmployer("51", "")
	id := a.Publish(outside, a.ProvinceAdmin("51"), map[string]any{"title": "区外单位科研助理", "headcount": 3})
	g, app := a.Applicant(id, "您好")
	today := domain.DateOf(time.Now())
	a.Hire(outside.Token, g.Token, app, today.String())
	pw := newWebClient(t, a, a.ProvinceAdmin("51").Email)
	row := regexp.MustCompile(`(?s)<tr data-testid="ranking-outside".*?</tr>`).FindString(pw.get("/staff"))
	// Each number under its column's name (on a phone the ranking is cards).
	if !strings.Contains(row, "不属于高新区的单位") || !strings.Contains(row, `data-label="已招录">1</td>`) || !strings.Contains(row, `data-label="已开发岗位">3</td>`) {
		t.Errorf("the province's ranking has no row for the employers outside zones: %q", row)
	}
	reports := pw.get(fmt.Sprintf("/staff/reports?year=%d&month=%d", today.Year, today.Month))
	line := regexp.MustCompile(`(?s)<p[^>]*data-testid="province-outside".*?</p>`).FindString(reports)
	if !strings.Contains(line, "不属于高新区的单位") || !strings.Contains(line, "1") || !strings.Contains(line, "3") {
		t.Errorf("the province's report page does not show the employers outside zones: %q", line)
	}
	// The province's own report shows what it submits: its targets and
	// rates, and who was placed (the one hire outside any zone counts).
	details := regexp.MustCompile(`(?s)<details data-testid="province-report-detail">.*?</details>`).FindString(reports)
	if !strings.Contains(details, "全省目标、完成率与招录构成") || !strings.Contains(details, "<dt>招录目标</dt>") ||
		!strings.Contains(details, "企业 1") || strings.Contains(details, "占全省比重") {
		t.Errorf("the province's report details: %q", details)
	}
}

// A staff walk: the province could submit its report to the ministry, for
// good, while seven of its eight zones had not reported, and the question
// only said "check first". The page and the question count the zones that
// have not reported; with all in, neither warns.
func TestProvinceSubmitCountsZonesNotIn(t *testing.T) {
	a := testutil.NewApp(t)
	year := domain.DateOf(time.Now()).Year - 1
	a.Must(http.StatusOK, "POST", "/api/v1/reports/monthly/submit", a.ZoneAdmin("sichuan-chengdu").Token, map[string]any{"zone": "sichuan-chengdu", "year": year, "month": 7})
	pw := newWebClient(t, a, a.ProvinceAdmin("51").Email)
	page := html.UnescapeString(pw.get(fmt.Sprintf("/staff/reports?year=%d&month=7", year)))
	button := regexp.MustCompile(`<button data-confirm="([^"]*)" data-testid="submit-province-report"`).FindStringSubmatch(page)
	if button == nil || !strings.Contains(button[1], "尚有 7 个高新区未报送") || !strings.Contains(page, `data-testid="zones-not-in"`) {
		t.Errorf("the province's submit does not count the zones not in: %q", button)
	}
	for _, zone := range []string{"sichuan-mianyang", "sichuan-deyang", "sichuan-zigong", "sichuan-panzhihua", "sichuan-leshan", "sichuan-luzhou", "sichuan-neijiang"} {
		a.Must(http.StatusOK, "POST", "/api/v1/reports/monthly/submit", a.ZoneAdmin(zone).Token, map[string]any{"zone": zone, "year": year, "month": 7})
	}
	page = html.UnescapeString(pw.get(fmt.Sprintf("/staff/reports?year=%d&month=7", year)))
	if strings.Contains(page, `data-testid="zones-not-in"`) || strings.Contains(page, "尚有") {
		t.Error("with every zone in, the page still warns")
	}
}

// A walk found a report submitted five months late shown as 已报送 alone,
// and December's rows giving a due date and 未报送 under a note that no
// report is owed. A late report says so; out of season a row is 无需报送.
func TestReportLatenessAndSeason(t *testing.T) {
	a := testutil.NewApp(t)
	zone := a.ZoneAdmin("sichuan-chengdu")
	year := domain.DateOf(time.Now()).Year - 1
	a.Must(http.StatusOK, "POST", "/api/v1/reports/monthly/submit", zone.Token, map[string]any{"zone": "sichuan-chengdu", "year": year, "month": 6})
	pw := newWebClient(t, a, a.ProvinceAdmin("51").Email)
	june := pw.get(fmt.Sprintf("/staff/reports?year=%d&month=6", year))
	if !strings.Contains(june, `data-testid="submitted-late"`) || !strings.Contains(june, "逾期报送") {
		t.Error("a report submitted months after its due date is not marked late")
	}
	dec := pw.get(fmt.Sprintf("/staff/reports?year=%d&month=12", year))
	if strings.Contains(dec, fmt.Sprintf("%d-12-31", year)) || strings.Contains(dec, ">未报送<") || !strings.Contains(dec, ">无需报送<") {
		t.Errorf("December's rows give a due date or 未报送, not 无需报送:\n%s", dec[strings.Index(dec, "<main"):])
	}
	if strings.Contains(dec, `data-testid="submitted-late"`) {
		t.Error("a report marked late in a month that owes none")
	}
	// Nor does the province's page count zones as not in when none owes a
	// report (a walk: 「尚有 7 个高新区未报送或被退回」 beside seven 无需报送).
	if strings.Contains(dec, `data-testid="zones-not-in"`) || strings.Contains(dec, "尚有") {
		t.Error("out of season the province's page counts zones not in")
	}
	// The zone's submit button stands above its table (in the last column a
	// phone had to swipe to find it), and its question names the month, not
	// "this month".
	july := newWebClient(t, a, zone.Email).get(fmt.Sprintf("/staff/reports?year=%d&month=7", year))
	button, table := strings.Index(july, `data-testid="submit-report"`), strings.Index(july, "<table")
	if button < 0 || button > table || !strings.Contains(july, fmt.Sprintf("确定报送 %d 年 7 月的月报吗", year)) {
		t.Errorf("the zone's submit button: at %d, the table at %d", button, table)
	}
	// A walk asked for month 13 and month 0 and was shown this month with
	// no word: the page says which month it shows instead, and why.
	for _, q := range []string{"month=13", "month=0", "year=1999&month=7"} {
		page := pw.get("/staff/reports?" + q)
		if !strings.Contains(page, `data-testid="month-replaced"`) || !strings.Contains(page, "月份须为 2000–2100 年的 1–12 月") {
			t.Errorf("?%s: the page does not say the month asked for was replaced", q)
		}
	}
	if strings.Contains(june, `data-testid="month-replaced"`) {
		t.Error("a good month is said to be replaced")
	}
}

// A browser walk found a returned report's reason only in a notification:
// the zone's reports page said 已退回 and no more, and the province got no
// word that the return went through. The page now shows the reason, and
// the province's action is confirmed.
func TestReturnedReportShowsItsReason(t *testing.T) {
	a := testutil.NewApp(t)
	zone := a.ZoneAdmin("sichuan-chengdu")
	today := domain.DateOf(time.Now())
	month := map[string]any{"zone": "sichuan-chengdu", "year": today.Year, "month": today.Month}
	a.Must(http.StatusOK, "POST", "/api/v1/reports/monthly/submit", zone.Token, month)
	pw := newWebClient(t, a, a.ProvinceAdmin("51").Email)
	path := fmt.Sprintf("/staff/reports?year=%d&month=%d", today.Year, today.Month)
	// A walk typed a reason and pressed Enter: the form's first button,
	// 通过, accepted the report with no question. The reason now has a form
	// of its own whose one button returns (and asks), and 通过 asks too.
	forms := regexp.MustCompile(`(?s)<form[^>]*action="/staff/reports/review".*?</form>`).FindAllString(pw.get(path), -1)
	if len(forms) != 2 {
		t.Fatalf("%d review forms for the one submitted report", len(forms))
	}
	for _, f := range forms {
		hasReason, accepts := strings.Contains(f, `name="reason"`), strings.Contains(f, `value="accept"`)
		if hasReason == accepts || !strings.Contains(f, "data-confirm=") || hasReason && !strings.Contains(f, "required") {
			t.Errorf("a review form: reason box %v, accept button %v, asks %v:\n%s", hasReason, accepts, strings.Contains(f, "data-confirm="), f)
		}
	}
	if st := pw.post("/staff/reports/review", url.Values{"zone": {"sichuan-chengdu"}, "year": {fmt.Sprint(today.Year)},
		"month": {fmt.Sprint(today.Month)}, "action": {"return"}, "reason": {"请补充三月数据"}}); st != http.StatusSeeOther {
		t.Fatalf("return: %d", st)
	}
	if f := flashOf(pw.get(path)); !strings.HasPrefix(f, "✓ 已退回") {
		t.Errorf("the province's flash after returning: %q", f)
	}
	zw := newWebClient(t, a, zone.Email)
	page := zw.get(path)
	if !strings.Contains(page, `data-testid="return-reason"`) || !strings.Contains(page, "请补充三月数据") {
		t.Error("the zone's reports page does not show why the report was returned")
	}
	// A walk: the zone's dashboard listed employers and openings to review,
	// but not the report it had to submit again. It is a to-do, linking to
	// the month, until the report is submitted again.
	todo := regexp.MustCompile(`<a [^>]*data-testid="todo-report"[^>]*>`).FindString(zw.get("/staff"))
	if !strings.Contains(html.UnescapeString(todo), `href="`+path+`"`) {
		t.Errorf("the zone's dashboard has no to-do for its returned report: %q", todo)
	}
	if strings.Contains(newWebClient(t, a, a.ZoneAdmin("sichuan-mianyang").Email).get("/staff"), `data-testid="todo-report"`) {
		t.Error("another zone's dashboard lists Chengdu's returned report")
	}
	// The zone answers the return in the submit form's note (填报说明),
	// which the province reads beside the new version; the reason it
	// answers stands above the box.
	if !strings.Contains(page, `data-testid="report-note-input"`) || !strings.Contains(page, "对退回意见的说明") ||
		!strings.Contains(page, `data-testid="return-reason-answer">退回原因：请补充三月数据`) {
		t.Error("the returned report's submit form asks for no answer to the return, or not above it the reason")
	}
	// A note too long comes back as typed, with the reason beside the box
	// (a walk: a flash, and the note lost); nothing is submitted.
	long := strings.Repeat("补", 501)
	if st, page := zw.postPage("/staff/reports/submit", url.Values{"year": {fmt.Sprint(today.Year)}, "month": {fmt.Sprint(today.Month)}, "note": {long}}); st != http.StatusUnprocessableEntity ||
		!strings.Contains(page, ">"+long+"</textarea>") || !strings.Contains(page, `<p class="field-error" id="err-note">`) {
		t.Errorf("a note of 501 characters: %d", st)
	}
	if st := a.Must(http.StatusOK, "GET", "/api/v1/reports/monthly?zone=sichuan-chengdu&"+path[len("/staff/reports?"):], zone.Token, nil).JSON()["state"]; st != "returned" {
		t.Errorf("a refused note submitted the report: %v", st)
	}
	// A hire recorded before the zone submits again: version 2's changes
	// name the breakdowns' values it moved, not only the figures (the
	// twenty-second round left them out).
	hirer, _, opening := a.PublishedOpening(map[string]any{"industry": "ai"})
	hired, application := a.Applicant(opening, "")
	a.Hire(hirer.Token, hired.Token, application, today.String())
	if st := zw.post("/staff/reports/submit", url.Values{"year": {fmt.Sprint(today.Year)}, "month": {fmt.Sprint(today.Month)},
		"note": {"已补充三月数据"}}); st != http.StatusSeeOther {
		t.Fatalf("submit again with a note: %d", st)
	}
	if page := pw.get(path); !strings.Contains(page, `data-testid="report-note"`) || !strings.Contains(page, "填报说明：已补充三月数据") {
		t.Error("the province's page does not show the zone's note with the new version")
	}
	// The month's history (版本记录), linked from the row: each version,
	// newest first, with its note or the reason it was returned; the
	// province's and the zone's, no one else's.
	versions := fmt.Sprintf("/staff/reports/versions?zone=sichuan-chengdu&year=%d&month=%d", today.Year, today.Month)
	if !strings.Contains(pw.get(path), `href="`+html.EscapeString(versions)+`" data-testid="report-versions"`) {
		t.Error("the report's row does not link to its versions")
	}
	for _, c := range []*webClient{pw, zw} {
		page := c.get(versions)
		v2, v1 := strings.Index(page, `data-version="2"`), strings.Index(page, `data-version="1"`)
		if v2 < 0 || v1 < v2 || !strings.Contains(page[v2:v1], "已补充三月数据") || !strings.Contains(page[v1:], "请补充三月数据") {
			t.Errorf("the versions page: version 2 at %d, version 1 at %d, or their note and reason missing", v2, v1)
			continue
		}
		for _, want := range []string{"累计已招录：0 → 1", `data-testid="version-breakdown-change">按学历：硕士 0 → 1</li>`,
			`data-testid="version-breakdown-change">按行业：人工智能 0 → 1</li>`} {
			if !strings.Contains(page[v2:v1], want) {
				t.Errorf("version 2's changes do not say %s", want)
			}
		}
		if strings.Contains(page[v1:], "version-changes") {
			t.Error("the first version lists changes")
		}
		// Who submitted each, who returned the first and when (walk35: the
		// reason alone).
		people := regexp.MustCompile(`data-testid="version-people">.*?</div>`)
		if p2, p1 := people.FindString(page[v2:v1]), people.FindString(page[v1:]); !strings.Contains(p2, "· 工作人员") ||
			strings.Contains(p2, "退回时间") || !strings.Contains(p1, "退回时间：") || strings.Count(p1, "· 工作人员") != 2 {
			t.Errorf("the versions' people: %q, %q", p2, p1)
		}
	}
	if st, _, _ := newWebClient(t, a, a.ProvinceAdmin("44").Email).status(versions); st != http.StatusNotFound {
		t.Errorf("another province's staff open the versions: %d", st)
	}
	if st, _, _ := newWebClient(t, a, a.ZoneAdmin("sichuan-mianyang").Email).status(versions); st != http.StatusNotFound {
		t.Errorf("another zone's staff open the versions: %d", st)
	}
	emp, _, _ := a.PublishedOpening(nil)
	if st, _, _ := newWebClient(t, a, emp.Email).status(versions); st != http.StatusForbidden {
		t.Errorf("an employer opens the versions: %d", st)
	}
	if st, _, _ := pw.status("/staff/reports/versions?zone=no-such-zone&year=2026&month=7"); st != http.StatusNotFound {
		t.Errorf("the versions of no zone: %d", st)
	}
	if strings.Contains(zw.get("/staff"), `data-testid="todo-report"`) {
		t.Error("the to-do stays after the report was submitted again")
	}
}

// A month-end walk: the zone's dashboard listed its returned reports, not a
// season month it never submitted after the due date. Those are to-dos
// too, each linking to its month, gone once submitted; another zone's are
// not shown.
func TestZoneDashboardListsOverdueReports(t *testing.T) {
	year := domain.DateOf(time.Now()).Year - 1
	a := testutil.NewApp(t, testutil.SiteClock(time.Date(year, 9, 10, 10, 0, 0, 0, domain.Shanghai)))
	zone := a.ZoneAdmin("sichuan-chengdu")
	a.ZoneAdmin("sichuan-mianyang")
	a.Must(http.StatusOK, "POST", "/api/v1/reports/monthly/submit", zone.Token, map[string]any{"zone": "sichuan-chengdu", "year": year, "month": 7})
	overdue := func(page string) (months []string) {
		for _, m := range regexp.MustCompile(`data-testid="todo-report-overdue">(\d{4}-\d{2})`).FindAllStringSubmatch(page, -1) {
			months = append(months, m[1])
		}
		return months
	}
	zw := newWebClient(t, a, zone.Email)
	if got, want := overdue(zw.get("/staff")), []string{fmt.Sprintf("%d-05", year), fmt.Sprintf("%d-06", year), fmt.Sprintf("%d-08", year)}; !slices.Equal(got, want) {
		t.Errorf("the zone's overdue to-dos: %v, want %v", got, want)
	}
	a.Must(http.StatusOK, "POST", "/api/v1/reports/monthly/submit", zone.Token, map[string]any{"zone": "sichuan-chengdu", "year": year, "month": 8})
	if got := overdue(zw.get("/staff")); len(got) != 2 {
		t.Errorf("after submitting August: %v", got)
	}
	if got := overdue(newWebClient(t, a, a.ZoneAdmin("sichuan-mianyang").Email).get("/staff")); len(got) != 4 {
		t.Errorf("another zone, which submitted nothing: %v", got)
	}
}

// A walk counted six to eight header links before <main> on every staff
// page, with no way past them: each page's first link skips to the content.
func TestSkipToContent(t *testing.T) {
	a := testutil.NewApp(t)
	staff := newWebClient(t, a, a.ZoneAdmin("sichuan-chengdu").Email)
	for _, c := range []struct{ path, want string }{
		{"/", "跳到正文"}, {"/staff", "跳到正文"}, {"/no-such-page", "跳到正文"}, {"/staff/reports?lang=en", "Skip to content"},
	} {
		_, _, page := staff.status(c.path)
		body := page[strings.Index(page, "<body>")+len("<body>"):]
		if !strings.HasPrefix(strings.TrimSpace(body), `<a class="skip-link" href="#main">`+c.want+`</a>`) || !strings.Contains(page, `<main class="wrap" id="main" tabindex="-1">`) {
			t.Errorf("%s: the first link does not skip to the content", c.path)
		}
	}
}

// A walk: the university, degree and graduation year typed at sign-up
// could be corrected nowhere on the site (the API's profile takes them).
// The profile form takes them; a bad year comes back at its field and
// saves nothing.
func TestProfileCorrectsWhatSignUpTook(t *testing.T) {
	a := testutil.NewApp(t)
	g := a.Graduate()
	w := newWebClient(t, a, g.Email)
	year := fmt.Sprint(time.Now().Year())
	form := func(y string) url.Values {
		return url.Values{"university": {"西南交通大学"}, "degree": {"doctor"}, "graduation_year": {y}, "major": {"软件工程"},
			"phone": {""}, "preferred_cities": {"成都"}, "skills": {""}, "statement": {""}}
	}
	if st, page := w.postPage("/me/profile", form("明年")); st != http.StatusOK || !strings.Contains(page, `id="e-graduation_year"`) {
		t.Fatalf("a bad year: %d, no message at its field", st)
	}
	me := a.Must(http.StatusOK, "GET", "/api/v1/me", g.Token, nil).JSON()["graduate"].(map[string]any)
	if me["university"] == "西南交通大学" || me["degree"] == "doctor" {
		t.Fatalf("a refused profile saved: %v", me)
	}
	w.post("/me/profile", form(year))
	me = a.Must(http.StatusOK, "GET", "/api/v1/me", g.Token, nil).JSON()["graduate"].(map[string]any)
	if me["university"] != "西南交通大学" || me["degree"] != "doctor" || fmt.Sprint(me["graduation_year"]) != year || me["major"] != "软件工程" {
		t.Errorf("after saving: %v", me)
	}
	if page := w.get("/me"); !strings.Contains(page, `name="university"`) || !strings.Contains(page, `<option value="doctor" selected>`) {
		t.Error("the profile form does not show the university and the degree as saved")
	}
}

// walk35 read 「提交后数据有变动：已招录 0 · …」 after a hire was revoked and
// another of another degree recorded: the figures agreed, the breakdowns
// did not. The line leaves out a figure that did not move and names the
// breakdowns' values that did.
func TestReportsPageSaysWhichBreakdownsMoved(t *testing.T) {
	a := testutil.NewApp(t)
	emp, admin, id := a.PublishedOpening(map[string]any{"headcount": 3})
	today := domain.DateOf(time.Now())
	master, app := a.Applicant(id, "您好")
	pid := a.Hire(emp.Token, master.Token, app, today.String()).JSON()["placement_id"].(string)
	a.Must(http.StatusOK, "POST", "/api/v1/reports/monthly/submit", admin.Token, map[string]any{"zone": "sichuan-chengdu", "year": today.Year, "month": today.Month})
	a.Must(http.StatusOK, "POST", "/api/v1/placements/"+pid+"/revoke", admin.Token, map[string]string{"reason": "核查发现未到岗"})
	doctor, app := a.Applicant(id, "您好")
	a.Must(http.StatusOK, "PATCH", "/api/v1/me/profile", doctor.Token, map[string]any{"degree": "doctor"})
	a.Hire(emp.Token, doctor.Token, app, today.String())

	page := newWebClient(t, a, a.ProvinceAdmin("51").Email).get(fmt.Sprintf("/staff/reports?year=%d&month=%d", today.Year, today.Month))
	row := html.UnescapeString(regexp.MustCompile(`(?s)<div class="meta" data-testid="report-changed">.*?</div>`).FindString(page))
	if !strings.Contains(row, "提交后数据有变动") || !strings.Contains(row, "按学历：硕士 1 → 0、博士 0 → 1") || strings.Contains(row, "已招录") {
		t.Errorf("the changed report's row: %q", row)
	}
}

// A numbers probe: after a hire recorded late, a zone's submitted report
// no longer said what the counts did, and nothing on the reports page told
// its reviewer, who could have returned it. The row says so, with the
// difference.
func TestReportsPageSaysWhenASubmittedReportChanged(t *testing.T) {
	a := testutil.NewApp(t)
	emp, admin, id := a.PublishedOpening(map[string]any{"headcount": 3})
	today := domain.DateOf(time.Now())
	hire := func() {
		g, app := a.Applicant(id, "您好")
		a.Hire(emp.Token, g.Token, app, today.String())
	}
	hire()
	a.Must(http.StatusOK, "POST", "/api/v1/reports/monthly/submit", admin.Token, map[string]any{"zone": "sichuan-chengdu", "year": today.Year, "month": today.Month})
	path := fmt.Sprintf("/staff/reports?year=%d&month=%d", today.Year, today.Month)
	province := newWebClient(t, a, a.ProvinceAdmin("51").Email)
	if strings.Contains(province.get(path), `data-testid="report-changed"`) {
		t.Error("a report that agrees with the counts is said to have changed")
	}
	hire()
	row := regexp.MustCompile(`(?s)<div class="meta" data-testid="report-changed">.*?</div>`).FindString(province.get(path))
	page := province.get(path)
	if row = html.UnescapeString(row); !strings.Contains(row, "提交后数据有变动") || !strings.Contains(row, "已招录 +1") {
		t.Errorf("the changed report's row: %q", row)
	}
	// The province's own report, live, says why its totals and its rows
	// differ (a numbers probe read 8 over rows adding up to 7).
	if !strings.Contains(page, `data-testid="province-changed"`) || !strings.Contains(page, "全省合计与各园区行及园区外单位之和不一致") {
		t.Error("the province's report does not say why its totals differ from its rows")
	}
	// The label and its figures are one item of the row's line (a walk
	// read the colon alone at the start of the next line).
	if !strings.Contains(page, `<div class="meta" data-testid="report-changed"><span><span class="status overdue">`) {
		t.Error("the changed report's label and figures are apart")
	}
	// Submitted, the province's report keeps its totals and its rows as
	// they were, and says the same (a walk read a frozen 9 over rows of 8).
	a.Must(http.StatusOK, "POST", "/api/v1/reports/monthly/province/submit", a.ProvinceAdmin("51").Token,
		map[string]any{"province": "51", "year": today.Year, "month": today.Month})
	page = province.get(path)
	if !strings.Contains(page, `data-testid="province-changed"`) {
		t.Error("the submitted province report does not say why its totals differ from its rows")
	}
	// …and no longer that the zone's report may be returned, which its row
	// says it may not (walk35).
	if note := regexp.MustCompile(`data-testid="province-changed">[^<]*`).FindString(page); strings.Contains(note, "可退回") || !strings.Contains(note, "不能再退回") {
		t.Errorf("the submitted province report's note: %q", note)
	}
}

// No request to the site answers 5xx, whatever its fields hold. Every page
// route, as each role and signed out, with the IDs in its path real, every
// field the site's forms and lists read set to a value a browser's checks
// would stop: numbers past Postgres's integer, dates Postgres cannot store,
// broken UTF-8, long text. httpapi's TestHostileInputOnEveryRoute sends NUL,
// which the site refuses before any handler runs; these reach the handlers.
func TestNoSiteRouteAnswers5xx(t *testing.T) {
	a := testutil.NewApp(t)
	world := a.OneOfEach()
	// A path's parameter is named by itself (:graduate) or by the segment
	// before it (/openings/:id).
	ids := map[string]string{"openings": world.Opening, "opening": world.Opening, "applications": world.Application, "events": world.Event,
		"employers": world.Employer.EmployerID, "placements": world.Placement, "saved-searches": world.SavedSearch, "graduate": world.Graduate.ID, "kind": "employers"}
	fill := func(path string) string {
		parts := strings.Split(path, "/")
		for i, p := range parts {
			if !strings.HasPrefix(p, ":") && !strings.HasPrefix(p, "*") {
				continue
			}
			parts[i] = "x"
			if v, ok := ids[p[1:]]; ok {
				parts[i] = v
			} else if v, ok := ids[parts[i-1]]; ok {
				parts[i] = v
			}
		}
		return strings.Join(parts, "/")
	}
	fields := siteFieldNames(t)
	short := []string{"99999999999999999999", "-2147483649", "0000-01-01", "0000-01-01T00:00", "275760-09-13T00:00", "\xff\xfe", "1e309"}
	long := strings.Repeat("长", 1000)
	anonymous := &webClient{t: t, base: a.URL, cl: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	anonymous.cl.Jar, _ = cookiejar.New(nil)
	anonymous.get("/login")
	// A slice, not a map: the roles take their turns in one order, so a
	// route that changes what the next role sees does so alike every run.
	clients := []struct {
		role string
		w    *webClient
	}{{"signed out", anonymous}, {"graduate", newWebClient(t, a, world.Graduate.Email)},
		{"employer", newWebClient(t, a, world.Employer.Email)}, {"zone staff", newWebClient(t, a, world.Reviewer.Email)},
		{"ministry", newWebClient(t, a, a.MinistryAdmin().Email)}}
	routes := httpapi.Routes(a.Server.Handler)
	// Signing out ends the client's session: last.
	slices.SortStableFunc(routes, func(x, y gin.RouteInfo) int {
		return strings.Compare(fmt.Sprint(strings.Contains(x.Path, "logout")), fmt.Sprint(strings.Contains(y.Path, "logout")))
	})
	tried := 0
	for _, rt := range routes {
		if strings.HasPrefix(rt.Path, "/api/") || strings.HasPrefix(rt.Path, "/static/") || rt.Method == "HEAD" {
			continue
		}
		for _, cl := range clients {
			role, w := cl.role, cl.w
			values := short
			if rt.Method == "POST" {
				values = append(slices.Clone(short), long)
			}
			for _, v := range values {
				form := url.Values{}
				for _, f := range fields {
					form.Set(f, v)
				}
				form.Set("_csrf", w.csrf)
				var req *http.Request
				if rt.Method == "POST" {
					req, _ = http.NewRequest("POST", w.base+fill(rt.Path), strings.NewReader(form.Encode()))
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				} else {
					req, _ = http.NewRequest(rt.Method, w.base+fill(rt.Path)+"?"+form.Encode(), nil)
				}
				res, err := w.cl.Do(req)
				body := readBody(t, res, err)
				tried++
				if res.StatusCode >= 500 {
					t.Errorf("%s %s as %s, every field %.20q: %d %.300s", rt.Method, fill(rt.Path), role, v, res.StatusCode, body)
				}
			}
		}
	}
	if tried < 1000 {
		t.Fatalf("only %d requests tried", tried)
	}
}

// siteFieldNames is every form field and query parameter the site reads:
// the names its templates give inputs and those its handlers ask for.
func siteFieldNames(t *testing.T) []string {
	t.Helper()
	read := regexp.MustCompile(`\b(?:PostForm|PostFormArray|DefaultPostForm|GetPostForm|Query|DefaultQuery|QueryArray|f|num)\("([a-z_]+)"`)
	input := regexp.MustCompile(`name="([a-z_]+)"`)
	names := map[string]bool{}
	sources, _ := filepath.Glob("*.go")
	templates, _ := filepath.Glob("../../web/templates/*/*.html")
	for _, file := range append(sources, templates...) {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, re := range []*regexp.Regexp{read, input} {
			for _, m := range re.FindAllStringSubmatch(string(b), -1) {
				names[m[1]] = names[m[1]] || m[1] != "_csrf"
			}
		}
	}
	var out []string
	for n, keep := range names {
		if keep {
			out = append(out, n)
		}
	}
	if len(out) < 50 {
		t.Fatalf("only %d field names found: %v", len(out), out)
	}
	return out
}
