package webui_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/http/cookiejar"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gradzone/gradzone/internal/config"
	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/server"
	"github.com/gradzone/gradzone/internal/testutil"
)

// queueClient is a client signed in as email (empty: anonymous) that keeps
// the session and does not follow redirects.
func queueClient(t *testing.T, a *testutil.App, email string) *http.Client {
	t.Helper()
	if email == "" {
		jar, _ := cookiejar.New(nil)
		return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	return a.SignedInClient(email)
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
	// Refused with the site's page, not an empty body (a forms probe).
	if st, _, page := sendRaw(t, queueClient(t, a, zone.Email), "GET", a.URL+"/admin/queues", "", ""); st != http.StatusForbidden || !strings.Contains(string(page), "这个页面不对您的账号开放") {
		t.Errorf("zone staff open the queues: %d %.200s", st, page)
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
	testutil.Eventually(t, 30*time.Second, 100*time.Millisecond, func() string {
		var state string
		if err := db.QueryRow(`SELECT state FROM river_job WHERE id = $1`, jobID).Scan(&state); err != nil {
			t.Fatal(err)
		}
		if in, err := a.Server.Index.Has(context.Background(), id); state == "completed" && err == nil && in {
			return ""
		}
		return "retried job: " + state
	})
}

// Issue 13 item 2: a mail that cannot be sent is visible to staff. With
// the SMTP server unreachable, a sign-up's verification mail fails and is
// retried; ministry staff find its job in the queue UI's mail queue with
// the server's error on each attempt.
func TestQueueUIShowsFailedMail(t *testing.T) {
	a := testutil.NewApp(t, func(c *config.Config, _ *server.Options) { c.SMTPURL = "smtp://127.0.0.1:1" })
	ministry := a.MinistryAdmin()
	a.Graduate() // its verification mail cannot go out
	db := testutil.SQL(t, a.DBURL)
	var jobID int64
	deadline := time.Now().Add(30 * time.Second)
	for {
		err := db.QueryRow(`SELECT id FROM river_job WHERE kind = 'send_mail' AND queue = 'mail' AND cardinality(errors) > 0`).Scan(&jobID)
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no failed mail job: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	c := queueClient(t, a, ministry.Email)
	if st, _, body := sendRaw(t, c, "GET", a.URL+"/admin/queues/api/queues", "", ""); st != http.StatusOK || !strings.Contains(string(body), `"name":"mail"`) {
		t.Fatalf("queues: %d %s", st, body)
	}
	st, _, body := sendRaw(t, c, "GET", a.URL+fmt.Sprintf("/admin/queues/api/jobs/%d", jobID), "", "")
	if st != http.StatusOK || !strings.Contains(string(body), "smtp 127.0.0.1:1") || !strings.Contains(string(body), `"kind":"send_mail"`) {
		t.Fatalf("the failed mail as staff see it: %d %.800s", st, body)
	}
}

// Issue 14 item 3: the self-heal's progress is on a staff page, and it is
// the same whichever replica serves the page. Replica A records a rebuild
// under way (as its heal job does after every batch); replica B, sharing
// only Postgres, shows it on /admin/status and in its detailed readiness.
// Only ministry staff see the page. Neither replica runs a check of its own
// here (the period is an hour), so what B shows came through Postgres.
func TestStatusPageShowsHealFromAnyReplica(t *testing.T) {
	quiet := func(_ *config.Config, o *server.Options) { o.SearchHealEvery = time.Hour }
	a := testutil.NewApp(t, quiet)
	b := testutil.NewApp(t, quiet, func(c *config.Config, _ *server.Options) { c.DatabaseURL = a.DBURL })
	zone := a.Staff(domain.RoleZoneAdmin, "sichuan-chengdu", "")
	ministry := a.Staff(domain.RoleMinistryAdmin, "", "")
	// Each replica's start applies its index's settings and checks a new
	// index: let those checks end first, or one saves its outcome over the
	// state set below (a run read "in step" beside the rebuild's progress).
	db := testutil.SQL(t, a.DBURL)
	testutil.Eventually(t, 30*time.Second, 50*time.Millisecond, func() string {
		var left int
		if err := db.QueryRow(`SELECT count(*) FROM river_job WHERE kind IN ('index_settings', 'search_heal')
			AND state NOT IN ('completed', 'discarded', 'cancelled')`).Scan(&left); err != nil {
			t.Fatal(err)
		}
		if left > 0 {
			return fmt.Sprintf("%d start-up checks not done", left)
		}
		return ""
	})

	now := time.Now()
	started := now.Add(-20 * time.Second)
	if err := a.Server.Store.SaveSearchHeal(context.Background(), domain.SearchHeal{CheckedAt: &started,
		Outcome: domain.HealRebuild, Running: true, Done: 4000, Total: 10000, StartedAt: &started, ProgressAt: &now, Rebuilds: 3}); err != nil {
		t.Fatal(err)
	}

	c := queueClient(t, b, ministry.Email)
	st, h, page := sendRaw(t, c, "GET", b.URL+"/admin/status?lang=en", "", "")
	body := string(page)
	if st != http.StatusOK || !strings.Contains(body, `data-testid="status-progress"`) || !strings.Contains(body, "4000/10000") ||
		!strings.Contains(body, `data-testid="status-rebuilds">3<`) || !strings.Contains(body, "index rebuilt") {
		t.Fatalf("status page on the other replica: %d\n%s", st, body)
	}
	if h.Get("Refresh") == "" {
		t.Error("a page showing a rebuild should refresh itself")
	}
	ms := b.Metrics("/readyz").JSON()["meilisearch"].(map[string]any)
	if ms["reindexing"] != "4000/10000" || ms["heal_rebuilds"] != 3.0 {
		t.Fatalf("readiness on the other replica: %v", ms)
	}

	// A rebuild not heard from for longer than the job's rescue time died
	// with its replica: no longer shown as running.
	stale := now.Add(-domain.HealStalled - time.Second)
	if err := a.Server.Store.SaveSearchHeal(context.Background(), domain.SearchHeal{Outcome: domain.HealRebuild,
		Running: true, Done: 10, Total: 10000, StartedAt: &stale, ProgressAt: &stale, Rebuilds: 3}); err != nil {
		t.Fatal(err)
	}
	if _, _, page := sendRaw(t, c, "GET", b.URL+"/admin/status", "", ""); strings.Contains(string(page), "status-progress") {
		t.Fatal("a stalled rebuild is shown as running")
	}
	if ms := b.Metrics("/readyz").JSON()["meilisearch"].(map[string]any); ms["reindexing"] != nil {
		t.Fatalf("readiness shows a stalled rebuild: %v", ms)
	}

	if st, h, _ := sendRaw(t, queueClient(t, b, ""), "GET", b.URL+"/admin/status", "", ""); st != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/login") {
		t.Fatalf("anonymous: %d %v", st, h.Get("Location"))
	}
	// A walk opened a colleague's link as zone staff: a bare 403, the
	// browser's own error page. It is the site's styled page now.
	if st, _, body := sendRaw(t, queueClient(t, b, zone.Email), "GET", b.URL+"/admin/status", "", ""); st != http.StatusForbidden || !strings.Contains(string(body), "<h1") {
		t.Fatalf("zone staff: %d %.200s", st, body)
	}
}

// Issue 15 finding 7: the audit log showed raw JSON with English keys. It
// now says in Chinese who did what to which record, and each change as
// field: before → after.
func TestAuditLogInReadersLanguage(t *testing.T) {
	a := testutil.NewApp(t)
	emp := a.Employer("51", "sichuan-chengdu")
	admin := a.ZoneAdmin("sichuan-chengdu")
	a.Must(http.StatusOK, "POST", "/api/v1/employers/"+emp.EmployerID+"/verify", admin.Token, nil)
	w := newWebClient(t, a, admin.Email)
	page := w.get("/staff/audit")
	i := strings.Index(page, `data-testid="audit-row"`)
	if i < 0 {
		t.Fatalf("no audit row on the page")
	}
	row := page[i:]
	row = row[:strings.Index(row, "</tr>")]
	// The record by its name (a browser walk found bare IDs); the full ID
	// stays in the row's title.
	for _, want := range []string{"工作人员", "认证单位", "单位 成都智算科技有限公司", `title="` + emp.EmployerID + `"`, "状态：待认证 → 已认证"} {
		if !strings.Contains(row, want) {
			t.Errorf("audit row lacks %q:\n%s", want, row)
		}
	}
	if strings.Contains(row, "{") || strings.Contains(row, "employer.verified") {
		t.Errorf("audit row still shows raw data:\n%s", row)
	}
	if page := w.get("/staff/audit?lang=en"); !strings.Contains(page, "Verified an employer") || !strings.Contains(page, "Status") {
		t.Errorf("English audit page untranslated")
	}
	// A record whose ID is not a UUID is shown whole: a report's zone,
	// month and version were cut to "sichuan-".
	a.Must(http.StatusOK, "POST", "/api/v1/reports/monthly/submit", admin.Token, map[string]any{"zone": "sichuan-chengdu", "year": 2026, "month": 5})
	// A walk read "月报 sichuan-chengdu/2026-05/v1": the zone's code, not
	// its name. The record names the zone as the reader says it.
	if page := w.get("/staff/audit?lang=zh"); !strings.Contains(page, "月报 成都高新技术产业开发区 2026-05 v1") {
		t.Errorf("the report's record does not name its zone and month:\n%s", page)
	}
	if page := w.get("/staff/audit?lang=en"); !strings.Contains(page, "Chengdu Hi-tech Industrial Development Zone 2026-05 v1") {
		t.Error("the report's record in English does not name its zone")
	}
	// A walk read "高新区目标任务 sichuan-chengdu/2026": a target's record
	// names its zone too.
	a.Must(http.StatusOK, "PUT", "/api/v1/zones/sichuan-chengdu/quotas/2026", a.ProvinceAdmin("51").Token, map[string]any{"target_positions": 10, "target_placements": 5})
	page = w.get("/staff/audit?lang=zh")
	if !strings.Contains(page, ">高新区目标任务 成都高新技术产业开发区 2026<") {
		t.Error("the target's record does not name its zone")
	}
}

// The operator's commands (`gradzone user …`) write audit lines with no
// actor: the page says the operator did it (the command line), not "the
// system", names the staff account, and says each action and the time of
// disabling in the reader's language.
//
// The account's creation by `gradzone user create` is a line too, with the
// role it was given, and a line names its operator when it was kept
// (lines written before say the command line only).
func TestAuditShowsOperatorCommands(t *testing.T) {
	a := testutil.NewApp(t)
	ctx := context.Background()
	reader := a.ProvinceAdmin("51")
	byOps := domain.WithOperator(ctx, "ops@gz-1")
	target, err := a.Server.Accounts.CreateStaffByOperator(byOps, domain.StaffAccount{Role: domain.RoleZoneAdmin, Email: "made@staff.test",
		Password: testutil.Password, Name: "工作人员", ZoneCode: "sichuan-chengdu"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Server.Accounts.ResetStaffPassword(byOps, target.Email, "an operator's pass 1"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.Server.Accounts.DisableStaff(ctx, target.Email); err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.Server.Accounts.EnableStaff(ctx, target.Email); err != nil {
		t.Fatal(err)
	}
	a.EnableTOTP(a.LoginWith(target.Email, "an operator's pass 1"))
	if _, _, err := a.Server.Accounts.ClearStaffTwoStep(ctx, target.Email); err != nil {
		t.Fatal(err)
	}
	w := newWebClient(t, a, reader.Email)
	for lang, want := range map[string][]string{
		"zh": {"运维人员（命令行）", "运维人员 ops@gz-1", "创建员工账户", "角色：— → 高新区主管部门", "重设员工账户密码", "停用员工账户", "重新启用员工账户", "账户 工作人员 · " + target.Email, `停用时间：<span class="datetime">—</span> → <span class="datetime">20`},
		"en": {"Operator (command line)", "Operator ops@gz-1", "Created a staff account", "Role: — → Zone staff", "Reset a staff account&#39;s password", "Disabled a staff account", "Enabled a staff account again", "Account 工作人员 · " + target.Email, `Disabled at: <span class="datetime">—</span> → <span class="datetime">20`},
	} {
		page := w.get("/staff/audit?lang=" + lang)
		for _, s := range want {
			if !strings.Contains(page, s) {
				t.Errorf("%s: the audit page lacks %q", lang, s)
			}
		}
		for _, raw := range []string{"user.disabled", "user.password_reset", "user.created", "zone_admin", ">系统<", ">System<", "disabled_at"} {
			if strings.Contains(page, raw) {
				t.Errorf("%s: the audit page shows %q", lang, raw)
			}
		}
		// A line without changes (clear-two-step) has no changes heading: on
		// a phone it stood above nothing (a walk).
		rows := strings.Split(page, `data-testid="audit-row"`)
		if len(rows) < 5 || !strings.Contains(rows[1], map[string]string{"zh": "清除员工账户两步验证", "en": "two-step"}[lang]) {
			t.Fatalf("%s: the newest line is not the clear-two-step: %d rows", lang, len(rows)-1)
		}
		if heading := map[string]string{"zh": "变更（之前", "en": "Changes (before"}[lang]; strings.Contains(rows[1], heading) || !strings.Contains(rows[2], heading) {
			t.Errorf("%s: the changes heading on a line without changes, or not on one with", lang)
		}
	}
}

// The audit page paged by offset: a line written while a reader paged
// moved every later page by one, and page 2 began with two lines page 1
// had shown (a walk). The next page is the lines older than the last one
// shown, whatever is written meanwhile.
func TestAuditPagesOnFromTheLastLineShown(t *testing.T) {
	a := testutil.NewApp(t)
	admin := a.ZoneAdmin("sichuan-chengdu")
	db := testutil.SQL(t, a.DBURL)
	if _, err := db.Exec(`INSERT INTO audit_log (kind, entity_type, entity_id, zone_code, province_code, created_at)
		SELECT 'employer.verified', 'employer', 'e-' || i, 'sichuan-chengdu', '51', now() - i * interval '1 minute'
		FROM generate_series(1, 60) i`); err != nil {
		t.Fatal(err)
	}
	w := newWebClient(t, a, admin.Email)
	first := w.get("/staff/audit")
	next := regexp.MustCompile(`<a class="btn secondary" href="([^"]+)">下一页</a>`).FindStringSubmatch(first)
	if next == nil || !strings.Contains(next[1], "before=") {
		t.Fatalf("no next page by the last line shown:\n%s", first[strings.Index(first, "<nav class=\"pager\""):])
	}
	// Two lines written meanwhile.
	if _, err := db.Exec(`INSERT INTO audit_log (kind, entity_type, entity_id, zone_code, province_code)
		VALUES ('employer.verified', 'employer', 'new-1', 'sichuan-chengdu', '51'), ('employer.verified', 'employer', 'new-2', 'sichuan-chengdu', '51')`); err != nil {
		t.Fatal(err)
	}
	second := w.get(html.UnescapeString(next[1]))
	rows := regexp.MustCompile(`title="(e-\d+)"`).FindAllStringSubmatch(second, -1)
	// Lines are ordered as written: e-60 is the newest of the sixty.
	if len(rows) != 10 || rows[0][1] != "e-10" || strings.Contains(second, `title="new-`) || !strings.Contains(second, "2 / 2") {
		t.Errorf("page 2 after two new lines: %d lines from %v", len(rows), rows[:min(1, len(rows))])
	}
	// A cursor that is no line of this list (edited by hand, another
	// zone's) is refused with the site's page, not a 500.
	for _, bad := range []string{"nope", "00000000-0000-4000-8000-000000000000"} {
		if st, _, page := w.status("/staff/audit?before=" + bad); st != http.StatusBadRequest || !strings.Contains(page, "<nav") {
			t.Errorf("before=%s: %d", bad, st)
		}
	}
}

// A probe read "就业 3f2a…" for a hire in the audit trail: the record of a
// placement names its graduate and opening, as an opening's names its
// title, through the hire and its revocation.
func TestAuditNamesAPlacement(t *testing.T) {
	a := testutil.NewApp(t)
	emp, admin, id := a.PublishedOpening(map[string]any{"title": "钙钛矿电池测试助理"})
	g, app := a.Applicant(id, "您好")
	pid := a.Hire(emp.Token, g.Token, app, domain.DateOf(time.Now()).String()).JSON()["placement_id"].(string)
	a.Must(http.StatusOK, "POST", "/api/v1/placements/"+pid+"/revoke", admin.Token, map[string]string{"reason": "录入错误"})
	page := newWebClient(t, a, admin.Email).get("/staff/audit")
	if n := strings.Count(page, "李华 · 钙钛矿电池测试助理"); n != 2 {
		t.Errorf("the hire and its revocation name the placement %d times, want 2:\n%s", n, page)
	}
	// The name says it; the change list no longer repeats it as IDs (a walk
	// read "申请：— → 57baa13e…").
	if strings.Contains(page, "申请：") || strings.Contains(page, "毕业生：") {
		t.Errorf("the hire's changes still list IDs:\n%s", page)
	}
	// Its date is kept whole on its line as a time is (a review: a date
	// alone still broke at its hyphen).
	if !regexp.MustCompile(`<span class="datetime">\d{4}-\d{2}-\d{2}</span>`).MatchString(page) {
		t.Errorf("the hire's date is not kept whole:\n%s", page)
	}
}

// A staff walk: an event's creation, the openings offered at it and its
// check-ins left no trace in the audit trail. The page names each by the
// event's title, its kind and the openings' titles in the reader's words.
func TestAuditNamesAnEvent(t *testing.T) {
	a := testutil.NewApp(t)
	_, admin, id := a.PublishedOpening(map[string]any{"title": "钙钛矿电池测试助理"})
	now := time.Now()
	ev := a.Must(http.StatusCreated, "POST", "/api/v1/events", admin.Token, map[string]any{"kind": "livestream", "title": "钙钛矿专场直播",
		"zone_code": "sichuan-chengdu", "starts_at": now.Add(-time.Hour).Format(time.RFC3339), "ends_at": now.Add(time.Hour).Format(time.RFC3339),
		"stream_url": "https://live.example.cn/room/9"}).JSON()["id"].(string)
	a.Must(http.StatusOK, "POST", "/api/v1/events/"+ev+"/openings", admin.Token, map[string]any{"opening_ids": []string{id}})
	g := a.Graduate()
	code := a.Must(http.StatusCreated, "POST", "/api/v1/events/"+ev+"/registrations", g.Token, nil).JSON()["checkin_code"].(string)
	a.Must(http.StatusOK, "POST", "/api/v1/events/"+ev+"/checkins", admin.Token, map[string]string{"code": code})
	w := newWebClient(t, a, admin.Email)
	page := w.get("/staff/audit?lang=zh")
	for _, want := range []string{"创建招聘活动", "活动添加岗位", "活动签到", "招聘活动 钙钛矿专场直播", "活动类型：— → 直播带岗", "岗位：— → 钙钛矿电池测试助理"} {
		if !strings.Contains(page, want) {
			t.Errorf("the audit page lacks %q", want)
		}
	}
	if page := w.get("/staff/audit?lang=en"); !strings.Contains(page, "Created an event") || !strings.Contains(page, "Kind: — → Livestream") {
		t.Errorf("the English audit page does not say the event's creation and kind")
	}
}

// A walk found the audit log cut at its latest 100 entries, ?page=2 the
// same rows: one 60-row import hid a week of history. It pages now, 50 a
// page, keeping its filter, and the oldest entry is reachable.
func TestAuditLogPages(t *testing.T) {
	a := testutil.NewApp(t)
	admin := a.ZoneAdmin("sichuan-chengdu")
	db := testutil.SQL(t, a.DBURL)
	if _, err := db.Exec(`INSERT INTO audit_log (kind, entity_type, entity_id, zone_code, province_code, created_at)
		SELECT 'opening.approved', 'opening', 'entry-' || g, 'sichuan-chengdu', '51', now() - (121 - g) * interval '1 minute'
		FROM generate_series(1, 120) g`); err != nil {
		t.Fatal(err)
	}
	w := newWebClient(t, a, admin.Email)
	rows := func(page string) int { return strings.Count(page, `data-testid="audit-row"`) }
	first := w.get("/staff/audit?kind=opening.approved")
	// The next page is the lines older than the last shown
	// (TestAuditPagesOnFromTheLastLineShown), with the filter.
	next := regexp.MustCompile(`href="(/staff/audit\?before=[0-9a-f-]+&amp;kind=opening.approved&amp;page=2)">下一页`).FindStringSubmatch(first)
	if rows(first) != 50 || next == nil || !strings.Contains(first, "entry-120<") {
		t.Fatalf("first page: %d rows, next link %v", rows(first), next)
	}
	if second := w.get(html.UnescapeString(next[1])); rows(second) != 50 || !strings.Contains(second, "entry-70<") || !strings.Contains(second, "entry-21<") {
		t.Fatalf("second page: %d rows", rows(second))
	}
	last := w.get("/staff/audit?kind=opening.approved&page=3")
	if rows(last) != 20 || !strings.Contains(last, "entry-1<") || strings.Contains(last, "entry-120<") || !strings.Contains(last, `href="/staff/audit?kind=opening.approved&amp;page=2"`) {
		t.Fatalf("last page: %d rows", rows(last))
	}
}

// A walk found the staff menu on the dashboard alone: from the monthly
// report to the events meant going back first. Every staff page carries
// it, each level's links; other users' pages do not.
func TestStaffMenuOnEveryStaffPage(t *testing.T) {
	a := testutil.NewApp(t)
	zone := newWebClient(t, a, a.ZoneAdmin("sichuan-chengdu").Email)
	for _, p := range []string{"/staff", "/staff/reports", "/staff/events", "/staff/imports", "/staff/employers", "/staff/placements", "/staff/audit"} {
		page := zone.get(p)
		if !strings.Contains(page, `data-testid="staff-nav"`) || !strings.Contains(page, `href="/staff/imports"`) || strings.Contains(page, `data-testid="targets-link"`) {
			t.Errorf("%s: the zone's staff menu is missing or wrong", p)
		}
		// A walk could not tell which page of the menu it was on.
		nav := page[strings.Index(page, `data-testid="staff-nav"`):]
		nav = nav[:strings.Index(nav, "</nav>")]
		if strings.Count(nav, `aria-current="page"`) != 1 || !strings.Contains(nav, `href="`+p+`" aria-current="page"`) {
			t.Errorf("%s: the menu does not mark its page", p)
		}
	}
	province := newWebClient(t, a, a.ProvinceAdmin("51").Email)
	if page := province.get("/staff/targets"); !strings.Contains(page, `data-testid="targets-link"`) || strings.Contains(page, `href="/staff/imports"`) {
		t.Error("the province's menu on its targets page")
	}
	// The year being looked at goes with the menu between the dashboard and
	// the targets: a walk picked 2024 on the dashboard, opened the targets
	// and was shown this year's.
	if page := province.get("/staff?year=2024"); !strings.Contains(page, `href="/staff/targets?year=2024" data-testid="targets-link"`) {
		t.Error("the dashboard of 2024 links to another year's targets")
	}
	if page := province.get("/staff/targets?year=2024"); !strings.Contains(page, `href="/staff?year=2024">`) {
		t.Error("the targets of 2024 link to another year's dashboard")
	}
	if page := province.get("/staff/reports?year=2024&month=5"); !strings.Contains(page, `href="/staff/targets" data-testid="targets-link"`) {
		t.Error("the menu carries a year from a page that picks no year for the dashboard")
	}
	// A graduate who opens a staff address is refused without the menu.
	g := newWebClient(t, a, a.Graduate().Email)
	if res, err := g.cl.Get(a.URL + "/staff"); err != nil || res.StatusCode != http.StatusForbidden || strings.Contains(string(readBody(t, res, err)), `data-testid="staff-nav"`) {
		t.Error("a graduate on /staff: not refused, or shown the staff menu")
	}
	// A page not open to one's account was headed 出错了 / "Something went
	// wrong" and read 您无权进行此操作 (a walk, walk40): nothing had failed.
	// It says the page is not open to the account, and leads home.
	emp, _ := a.Publisher()
	for _, v := range []struct {
		who        *webClient
		path, home string
	}{{g, "/staff", `href="/"`}, {newWebClient(t, a, emp.Email), "/me", `href="/employer" data-testid="error-home"`}} {
		for _, l := range [][3]string{{"zh", "<h1>无权访问</h1>", "这个页面不对您的账号开放。"}, {"en", "<h1>Not open to you</h1>", "This page is not open to your account."}} {
			if st, _, page := v.who.status(v.path + "?lang=" + l[0]); st != http.StatusForbidden || !strings.Contains(page, l[1]) || !strings.Contains(page, "<p>"+l[2]+"</p>") ||
				!strings.Contains(page, v.home) {
				t.Errorf("%s in %s: %d %s", v.path, l[0], st, part(page, "<main", "</main>"))
			}
		}
	}
}

// Every audit kind the store writes has a label in both languages, so a
// new kind cannot reach the page as a raw code.
func TestEveryAuditKindHasALabel(t *testing.T) {
	kind := regexp.MustCompile(`"((?:account|employer|event|opening|placement|quota|reports?|user)\.[a-z_]+)"`)
	files, _ := filepath.Glob("../postgres/*.go")
	seen := map[string]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, _ := os.ReadFile(f)
		for _, m := range kind.FindAllStringSubmatch(string(b), -1) {
			seen[m[1]] = true
		}
	}
	if len(seen) < 8 {
		t.Fatalf("found %d audit kinds in internal/postgres; the pattern is stale", len(seen))
	}
	for _, k := range domain.OperatorAuditKinds { // constants of internal/domain
		seen[k] = true
	}
	for _, lang := range []string{"zh", "en"} {
		b, err := os.ReadFile("../../web/i18n/" + lang + ".json")
		if err != nil {
			t.Fatal(err)
		}
		for k := range seen {
			if !strings.Contains(string(b), `"audit.kind.`+k+`"`) {
				t.Errorf("web/i18n/%s.json has no \"audit.kind.%s\"", lang, k)
			}
		}
	}
}
