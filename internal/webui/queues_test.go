package webui_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/testutil"
)

// queueClient signs in through the login form (empty email: anonymous) and
// returns a client that keeps the session and does not follow redirects.
func queueClient(t *testing.T, a *testutil.App, email string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if email == "" {
		return c
	}
	res, err := c.Get(a.URL + "/login")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := regexp.MustCompile(`name="_csrf" value="([^"]+)"`).FindSubmatch(page)
	if m == nil {
		t.Fatalf("no form token on /login")
	}
	res, err = c.PostForm(a.URL+"/login", url.Values{"_csrf": {string(m[1])}, "email": {email}, "password": {testutil.Password}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in as %s: status %d", email, res.StatusCode)
	}
	return c
}

func sendRaw(t *testing.T, c *http.Client, method, u, contentType, body string) (int, http.Header, []byte) {
	t.Helper()
	req, _ := http.NewRequest(method, u, strings.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	res, err := c.Do(req)
	b := readBody(t, res, err)
	return res.StatusCode, res.Header, b
}

// TestQueueUIForMinistryStaff: River's UI is at /admin/queues for ministry
// staff only; it lists the queues and jobs, and its retry button runs a
// failed job again (here an index job that had given up: after the retry
// the opening is back in the index). A cross-site form cannot use it.
func TestQueueUIForMinistryStaff(t *testing.T) {
	a := testutil.NewApp(t)
	emp := a.VerifiedEmployer("51", "sichuan-chengdu")
	zone := a.ZoneAdmin("sichuan-chengdu")
	ministry := a.MinistryAdmin()
	id := a.Publish(emp, zone, nil)
	a.WaitIndexed(30 * time.Second)

	if st, h, _ := sendRaw(t, queueClient(t, a, ""), "GET", a.URL+"/admin/queues", "", ""); st != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/login") {
		t.Fatalf("anonymous: %d %v", st, h.Get("Location"))
	}
	if st, _, _ := sendRaw(t, queueClient(t, a, zone.Email), "GET", a.URL+"/admin/queues/api/queues", "", ""); st != http.StatusForbidden {
		t.Fatalf("zone staff: %d", st)
	}

	c := queueClient(t, a, ministry.Email)
	st, _, page := sendRaw(t, c, "GET", a.URL+"/admin/queues/", "", "")
	if st != http.StatusOK || !strings.Contains(string(page), `id="root"`) {
		t.Fatalf("ui: %d %.300s", st, page)
	}
	// The app's script is served under the prefix.
	js := regexp.MustCompile(`src="(/admin/queues/[^"]+\.js)"`).FindSubmatch(page)
	if js == nil {
		t.Fatalf("no script in %.500s", page)
	}
	if st, _, _ := sendRaw(t, c, "GET", a.URL+string(js[1]), "", ""); st != http.StatusOK {
		t.Fatalf("script %s: %d", js[1], st)
	}
	st, _, body := sendRaw(t, c, "GET", a.URL+"/admin/queues/api/queues", "", "")
	for _, q := range []string{domain.QueueIndex, domain.QueueAlerts, domain.QueueDefault} {
		if st != http.StatusOK || !strings.Contains(string(body), `"name":"`+q+`"`) {
			t.Fatalf("queues: %d %s (want %s)", st, body, q)
		}
	}

	// An index job that gave up while the opening dropped out of the index.
	if err := a.Server.Index.Sync(context.Background(), nil, []string{id}); err != nil {
		t.Fatal(err)
	}
	db := testutil.SQL(t, a.DBURL)
	var jobID int64
	if err := db.QueryRow(`INSERT INTO river_job (kind, queue, args, max_attempts, attempt, state, finalized_at, errors)
		VALUES ('index_openings', 'index', $1, 3, 3, 'discarded', now(), ARRAY['{"at":"2026-01-01T00:00:00Z","attempt":3,"error":"meilisearch said no","trace":""}'::jsonb])
		RETURNING id`, fmt.Sprintf(`{"ids":["%s"]}`, id)).Scan(&jobID); err != nil {
		t.Fatal(err)
	}
	st, _, body = sendRaw(t, c, "GET", a.URL+"/admin/queues/api/jobs?state=discarded", "", "")
	if st != http.StatusOK || !strings.Contains(string(body), fmt.Sprintf(`"id":%d,`, jobID)) {
		t.Fatalf("failed jobs: %d %.500s", st, body)
	}
	st, _, body = sendRaw(t, c, "GET", a.URL+fmt.Sprintf("/admin/queues/api/jobs/%d", jobID), "", "")
	if st != http.StatusOK || !strings.Contains(string(body), "meilisearch said no") {
		t.Fatalf("failed job: %d %.500s", st, body)
	}
	retry := fmt.Sprintf(`{"ids":["%d"]}`, jobID)
	// A cross-site form post (or any non-JSON body) is refused.
	if st, _, _ := sendRaw(t, c, "POST", a.URL+"/admin/queues/api/jobs/retry", "application/x-www-form-urlencoded", "ids=1"); st != http.StatusForbidden {
		t.Fatalf("form post: %d", st)
	}
	if st, _, body := sendRaw(t, c, "POST", a.URL+"/admin/queues/api/jobs/retry", "application/json", retry); st != http.StatusOK {
		t.Fatalf("retry: %d %s", st, body)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		var state string
		if err := db.QueryRow(`SELECT state FROM river_job WHERE id = $1`, jobID).Scan(&state); err != nil {
			t.Fatal(err)
		}
		if in, err := a.Server.Index.Has(context.Background(), id); state == "completed" && err == nil && in {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("retried job: %s", state)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
