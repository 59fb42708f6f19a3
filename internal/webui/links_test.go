package webui_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gradzone/gradzone/internal/testutil"
)

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
	emp, admin := a.Publisher()
	openingID := a.Publish(emp, admin, nil)
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
