package webui_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/testutil"
)

// employerRows are the IDs of the employer list's rows, in order.
func employerRows(page string) []string {
	var ids []string
	for _, m := range regexp.MustCompile(`data-testid="employer-row" data-id="([^"]+)"`).FindAllStringSubmatch(page, -1) {
		ids = append(ids, m[1])
	}
	return ids
}

// Zone staff list the employers of their zone on the site (the API had the
// list, the site had only the queue of pending ones): found by name or
// credit code, by status, a page at a time; a pending one is verified from
// the list, which the verify button comes back to.
func TestStaffEmployerList(t *testing.T) {
	a := testutil.NewApp(t)
	register := func(name, zone string) string {
		body := testutil.EmployerBody(fmt.Sprintf("hr-%d@corp.cn", rand.Int64()), "51", zone)
		body["employer"].(map[string]any)["name"] = name
		acc := a.Must(http.StatusCreated, "POST", "/api/v1/auth/register", "", body).JSON()
		me := a.Must(http.StatusOK, "GET", "/api/v1/me", acc["access_token"].(string), nil).JSON()
		return me["employer"].(map[string]any)["id"].(string)
	}
	quantum := register("蓉城量子研究院", "sichuan-chengdu")
	verified := a.VerifiedEmployer("51", "sichuan-chengdu").EmployerID
	elsewhere := register("绵阳量子仪器有限公司", "sichuan-mianyang")
	admin := a.ZoneAdmin("sichuan-chengdu")
	w := newWebClient(t, a, admin.Email)

	all := w.get("/staff/employers")
	if got := employerRows(all); len(got) != 2 || got[0] != verified || got[1] != quantum {
		t.Fatalf("the zone's list: %v, want [%s %s] (newest first, no other zone)", got, verified, quantum)
	}
	if !strings.Contains(all, "共 2 家单位") || !strings.Contains(all, `href="/staff/employers/`+verified+`"`) || !strings.Contains(all, `href="/staff/employers/`+quantum+`"`) {
		t.Errorf("the list's total or links (each name opens its details):\n%s", all)
	}
	if !strings.Contains(w.get("/staff"), `href="/staff/employers"`) {
		t.Error("the dashboard does not link the list")
	}
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"q=" + url.QueryEscape("量子"), []string{quantum}},
		{"status=verified", []string{verified}},
		{"status=pending&q=" + url.QueryEscape("智算"), nil},
	} {
		if got := employerRows(w.get("/staff/employers?" + tc.query)); fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("%s: %v, want %v", tc.query, got, tc.want)
		}
	}
	if res, err := w.cl.Get(a.URL + "/staff/employers?status=lost"); err != nil || res.StatusCode != http.StatusBadRequest {
		t.Errorf("an unknown status: %v %v", res.StatusCode, err)
	}

	// Verify from a filtered list: back to the same list, saying so.
	from := "/staff/employers?q=" + url.QueryEscape("量子")
	page := w.get(from)
	if strings.Count(page, `data-testid="verify-employer"`) != 1 {
		t.Fatalf("the pending employer has no verify button:\n%s", page)
	}
	res, err := w.cl.PostForm(a.URL+"/staff/employers/"+quantum+"/verify", url.Values{"_csrf": {w.csrf}, "next": {from}})
	readBody(t, res, err)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != from {
		t.Fatalf("verify: %d to %q, want back to %q", res.StatusCode, res.Header.Get("Location"), from)
	}
	page = w.get(from)
	if flashOf(page) != "✓ 已认证「蓉城量子研究院」，该单位现在可以发布岗位。" || strings.Contains(page, `data-testid="verify-employer"`) {
		t.Errorf("after verifying: flash %q\n%s", flashOf(page), page)
	}
	// A next that leaves the site is not followed.
	res, err = w.cl.PostForm(a.URL+"/staff/employers/"+quantum+"/verify", url.Values{"_csrf": {w.csrf}, "next": {"https://evil.example/"}})
	readBody(t, res, err)
	if loc := res.Header.Get("Location"); !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") {
		t.Errorf("verify with an outside next went to %q", loc)
	}

	// Scope: the province sees both zones; an employer of another zone
	// cannot be verified from this zone's list or by its address.
	prov := newWebClient(t, a, a.ProvinceAdmin("51").Email)
	if got := employerRows(prov.get("/staff/employers")); len(got) != 3 || got[0] != elsewhere {
		t.Errorf("the province's list: %v", got)
	}
	w.get("/staff/employers")
	res, err = w.cl.PostForm(a.URL+"/staff/employers/"+elsewhere+"/verify", url.Values{"_csrf": {w.csrf}, "next": {"/staff/employers"}})
	readBody(t, res, err)
	if after := w.get("/staff/employers"); !strings.Contains(flashOf(after), "不存在") && flashOf(after) == "" {
		t.Errorf("verifying another zone's employer: flash %q", flashOf(after))
	}
	var status string
	testutil.SQL(t, a.DBURL).QueryRow(`SELECT status FROM employers WHERE id = $1`, elsewhere).Scan(&status)
	if status != "pending" {
		t.Errorf("another zone's employer is %s", status)
	}
	// Not for employers or graduates.
	for _, email := range []string{a.Graduate().Email, a.VerifiedEmployer("51", "sichuan-chengdu").Email} {
		res, err := newWebClient(t, a, email).cl.Get(a.URL + "/staff/employers")
		body := readBody(t, res, err)
		if res.StatusCode == http.StatusOK || strings.Contains(string(body), "蓉城量子研究院") {
			t.Errorf("%s reads the staff list: %d", email, res.StatusCode)
		}
	}
}

// The list pages by 50, keeping the filter in the page links.
func TestStaffEmployerListPages(t *testing.T) {
	a := testutil.NewApp(t)
	db := testutil.SQL(t, a.DBURL)
	if _, err := db.Exec(`INSERT INTO employers (name, credit_code, type, size, industry, province_code, zone_code, created_at)
		SELECT '成都研究所' || i, '915101000000' || lpad(i::text, 6, '0'), 'institute', 'small', 'ai', '51', 'sichuan-chengdu', now() - i * interval '1 minute'
		FROM generate_series(1, 55) i`); err != nil {
		t.Fatal(err)
	}
	w := newWebClient(t, a, a.ZoneAdmin("sichuan-chengdu").Email)
	first := w.get("/staff/employers?q=" + url.QueryEscape("研究所"))
	if n := len(employerRows(first)); n != 50 || !strings.Contains(first, "第 1 / 2 页") {
		t.Fatalf("page 1: %d rows", n)
	}
	next := regexp.MustCompile(`<a class="btn secondary" href="([^"]+)">下一页`).FindStringSubmatch(first)
	if next == nil {
		t.Fatal("page 1 has no next link")
	}
	second := w.get(strings.ReplaceAll(next[1], "&amp;", "&"))
	rows := employerRows(second)
	if len(rows) != 5 || !strings.Contains(second, "第 2 / 2 页") || strings.Contains(second, "下一页") {
		t.Errorf("page 2 (%s): %d rows", next[1], len(rows))
	}
	// Past the last page: not "no employer matches" beside the total.
	past := w.get("/staff/employers?page=9&q=" + url.QueryEscape("研究所"))
	if !strings.Contains(past, `data-testid="past-last-page"`) || strings.Contains(past, "没有符合条件的单位") {
		t.Errorf("page 9 of 2 does not say it is past the last")
	}
	if !strings.Contains(past, `<a href="/staff/employers?q=`+url.QueryEscape("研究所")+`" data-testid="first-page"`) {
		t.Errorf("past the last page, the way back drops the search (review37)")
	}
	var last string
	db.QueryRow(`SELECT id FROM employers ORDER BY created_at LIMIT 1`).Scan(&last)
	if rows[len(rows)-1] != last {
		t.Errorf("the oldest employer is not last: %v", rows)
	}
}

// Staff verify an employer on what it registered and who registered it
// (a browser walk found the verify button beside a bare name): the details
// page shows the credit code, the accounts with their addresses, the
// openings by status, and verifies from there; after, who verified it and
// the public page. Another zone's staff and employers cannot read it.
func TestStaffReadsAnEmployerBeforeVerifying(t *testing.T) {
	a := testutil.NewApp(t)
	emp := a.Employer("51", "sichuan-chengdu")
	a.Must(http.StatusCreated, "POST", "/api/v1/openings", emp.Token, testutil.OpeningBody(nil))
	var code string
	testutil.SQL(t, a.DBURL).QueryRow(`SELECT credit_code FROM employers WHERE id = $1`, emp.EmployerID).Scan(&code)
	w := newWebClient(t, a, a.ZoneAdmin("sichuan-chengdu").Email)
	path := "/staff/employers/" + emp.EmployerID

	if !strings.Contains(w.get("/staff"), `href="`+path+`"`) {
		t.Error("the dashboard's queue does not link the pending employer's details")
	}
	page := w.get(path)
	for _, want := range []string{"成都智算科技有限公司", code, emp.Email, "王经理", "未验证", "草稿", `data-testid="verify-employer"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the details page lacks %q", want)
		}
	}
	res, err := w.cl.PostForm(a.URL+path+"/verify", url.Values{"_csrf": {w.csrf}, "next": {path}})
	readBody(t, res, err)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != path {
		t.Fatalf("verify from the details: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	page = w.get(path)
	if strings.Contains(page, `data-testid="verify-employer"`) || !strings.Contains(page, "工作人员") || !strings.Contains(page, `href="/employers/`+emp.EmployerID+`"`) {
		t.Errorf("after verifying: no verifier or public link, or still a verify button:\n%s", page)
	}
	if !strings.Contains(w.get(path+"?lang=en"), "Accounts") {
		t.Error("the details page in English")
	}
	// A walk rejected an opening from the dashboard and then found its name
	// and reason nowhere but the audit log: the page lists the employer's
	// openings with their state, a rejection's reason, a link to each.
	admin := a.ZoneAdmin("sichuan-chengdu")
	rejected := a.Must(http.StatusCreated, "POST", "/api/v1/openings", emp.Token, testutil.OpeningBody(map[string]any{"title": "待完善的科研助理岗位"})).JSON()["id"].(string)
	a.Must(http.StatusOK, "POST", "/api/v1/openings/"+rejected+"/submit", emp.Token, nil)
	a.Must(http.StatusOK, "POST", "/api/v1/openings/"+rejected+"/reject", admin.Token, map[string]string{"reason": "请补充岗位职责"})
	list := regexp.MustCompile(`(?s)<ul[^>]*data-testid="employer-opening-list".*?</ul>`).FindString(w.get(path + "?lang=zh"))
	for _, want := range []string{"待完善的科研助理岗位", "已驳回", "请补充岗位职责", `href="/openings/` + rejected + `"`} {
		if !strings.Contains(list, want) {
			t.Errorf("the employer's openings lack %q:\n%s", want, list)
		}
	}

	for _, email := range []string{a.ZoneAdmin("sichuan-mianyang").Email, emp.Email, a.Graduate().Email} {
		res, err := newWebClient(t, a, email).cl.Get(a.URL + path)
		body := readBody(t, res, err)
		if res.StatusCode == http.StatusOK || strings.Contains(string(body), code) {
			t.Errorf("%s reads another's employer details: %d", email, res.StatusCode)
		}
	}
}

// A walk found a pending registration whose name did not match its credit
// code could only be left pending: there was no way to tell the employer
// nor for it to correct anything. On the site staff return it with a
// reason (asked first); the employer reads it on its workbench, corrects
// its details (a refused field comes back beside it with everything typed)
// and waits again; staff see the correction and verify.
func TestEmployerReturnedAndCorrectedOnTheSite(t *testing.T) {
	a := testutil.NewApp(t)
	emp := a.Employer("51", "sichuan-chengdu")
	staff := newWebClient(t, a, a.ZoneAdmin("sichuan-chengdu").Email)
	path := "/staff/employers/" + emp.EmployerID
	page := staff.get(path)
	if i := strings.Index(page, `action="`+path+`/return"`); i < 0 || !strings.Contains(page[i:i+900], `data-confirm=`) || !strings.Contains(page[i:i+900], `name="reason" required`) {
		t.Fatal("the pending employer's page has no return form that needs a reason and asks first")
	}
	// A reason the server refuses comes back in its box (a verify walk).
	res, err := staff.cl.PostForm(a.URL+path+"/return", url.Values{"_csrf": {staff.csrf}, "reason": {"单位‮名称"}})
	readBody(t, res, err)
	// It travels in a cookie, not in the address (an audit: staff's text
	// ended in access logs), and is tied to the message saying why.
	if loc := res.Header.Get("Location"); loc != path || !strings.Contains(staff.get(loc), `aria-invalid="true" aria-describedby="flash" autofocus data-testid="refused-reason"`) {
		t.Errorf("a refused return: to %q", loc)
	}
	if strings.Contains(staff.get(path), `data-testid="refused-reason"`) {
		t.Error("the refused reason is still in its box on the next visit")
	}
	res, err = staff.cl.PostForm(a.URL+path+"/return", url.Values{"_csrf": {staff.csrf}, "reason": {"单位名称与营业执照不一致"}})
	readBody(t, res, err)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != path {
		t.Fatalf("return: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	page = staff.get(path)
	if f := flashOf(page); f != "✓ 已退回「成都智算科技有限公司」，单位登录后即可看到原因（已验证的邮箱另收到邮件）。" || !strings.Contains(page, `data-testid="employer-return-reason"`) {
		t.Errorf("after returning: flash %q", f)
	}
	// A review: in the list a returned registration looked ready, with a
	// one-click verify. It says it waits for the employer, and is verified
	// (if at all) from its page. A staff walk: the dashboard's to-do
	// counted it among the employers to verify, with nothing for staff to
	// do; it waits for the employer, and leaves the to-do until corrected.
	row := regexp.MustCompile(`(?s)<tr data-testid="employer-row"[^>]*>.*?</tr>`).FindString(staff.get("/staff/employers"))
	if !strings.Contains(row, `data-testid="returned-tag"`) || !strings.Contains(row, "已退回修改") || strings.Contains(row, `data-testid="verify-employer"`) {
		t.Errorf("the returned employer's row: %s", row)
	}
	if dash := staff.get("/staff"); strings.Contains(dash, `data-testid="pending-employer"`) || strings.Contains(dash, `data-testid="todo-verify"`) {
		t.Error("the dashboard's to-do holds an employer returned to correct its details")
	}
	other := newWebClient(t, a, a.ZoneAdmin("sichuan-mianyang").Email)
	other.get("/staff")
	res, err = other.cl.PostForm(a.URL+path+"/return", url.Values{"_csrf": {other.csrf}, "reason": {"别的高新区退回"}})
	readBody(t, res, err)
	if page := staff.get(path); strings.Contains(page, "别的高新区退回") {
		t.Error("another zone's staff returned the employer")
	}

	ew := newWebClient(t, a, emp.Email)
	if page := ew.get("/employer"); !strings.Contains(page, "单位名称与营业执照不一致") || !strings.Contains(page, `href="/employer/organisation"`) {
		t.Fatal("the workbench does not show the reason and the way to correct")
	}
	form := ew.get("/employer/organisation")
	if !strings.Contains(form, `value="成都智算科技有限公司"`) || !strings.Contains(form, `data-testid="organisation-form"`) {
		t.Fatal("the correction form does not hold the stated details")
	}
	fix := url.Values{"org_name": {"成都锦城光电科技有限公司"}, "credit_code": {"123"}, "type": {"enterprise"}, "size": {"small"},
		"industry": {"ai"}, "province_code": {"51"}, "zone_code": {"sichuan-chengdu"}}
	st, page := ew.postPage("/employer/organisation", fix)
	if st != http.StatusUnprocessableEntity || !strings.Contains(page, `value="成都锦城光电科技有限公司"`) || !strings.Contains(page, "统一社会信用代码") {
		t.Fatalf("a bad credit code: %d", st)
	}
	// A credit code another employer holds comes back beside its field.
	var taken string
	testutil.SQL(t, a.DBURL).QueryRow(`SELECT credit_code FROM employers WHERE id <> $1 LIMIT 1`, emp.EmployerID).Scan(&taken)
	if taken == "" {
		taken = a.VerifiedEmployer("51", "sichuan-chengdu").EmployerID
		testutil.SQL(t, a.DBURL).QueryRow(`SELECT credit_code FROM employers WHERE id = $1`, taken).Scan(&taken)
	}
	fix.Set("credit_code", taken)
	st, page = ew.postPage("/employer/organisation", fix)
	if i := strings.Index(page, `name="credit_code"`); st != http.StatusUnprocessableEntity || i < 0 || !strings.Contains(page[i:i+600], "该统一社会信用代码已注册") {
		t.Errorf("another employer's credit code: %d", st)
	}
	// At sign-up, a taken address is still answered beside its field.
	st, _, page = newFormClient(t, a).post("/register", "/register", url.Values{"role": {"employer"}, "name": {"王经理"}, "email": {emp.Email}, "password": {testutil.Password},
		"org_name": {"成都另一家科技有限公司"}, "credit_code": {testutil.RandomCreditCode()}, "type": {"enterprise"}, "size": {"small"},
		"industry": {"ai"}, "province_code": {"51"}, "consent": {"yes"}})
	if st != http.StatusUnprocessableEntity || !strings.Contains(page, `<p class="field-error" id="emp-e-email">该邮箱已注册</p>`) {
		t.Errorf("sign-up with a taken address: %d", st)
	}
	// A second HR person of a registered organisation is told where to
	// turn (an employer walk met a bare 已注册).
	st, _, page = newFormClient(t, a).post("/register", "/register", url.Values{"role": {"employer"}, "name": {"李经理"}, "email": {"colleague@corp.cn"}, "password": {testutil.Password},
		"org_name": {"成都另一家科技有限公司"}, "credit_code": {taken}, "type": {"enterprise"}, "size": {"small"},
		"industry": {"ai"}, "province_code": {"51"}, "consent": {"yes"}})
	if st != http.StatusUnprocessableEntity || !strings.Contains(page, "请由已注册的同事登录办理") {
		t.Errorf("sign-up with a taken credit code: %d %s", st, regexp.MustCompile(`(?s)credit_code.{0,400}`).FindString(page))
	}
	fix.Set("credit_code", testutil.RandomCreditCode())
	fix.Set("size", "medium")
	fix.Set("industry", "biomedicine")
	if st := ew.post("/employer/organisation", fix); st != http.StatusSeeOther {
		t.Fatalf("correcting: %d", st)
	}
	// The history says what changed in words (a walk read micro → small).
	if history := regexp.MustCompile(`(?s)data-testid="employer-history".*?</section>`).FindString(staff.get(path)); !strings.Contains(history, "小型 → 中型") ||
		!strings.Contains(history, "人工智能 → 生物医药") {
		t.Errorf("the correction's history: %s", history)
	}
	if page := ew.get("/employer"); flashOf(page) != "✓ 已保存，单位信息将重新等待认证。" || strings.Contains(page, `data-testid="returned"`) {
		t.Errorf("after correcting: flash %q", flashOf(page))
	}
	page = staff.get(path)
	if !strings.Contains(page, "成都锦城光电科技有限公司") || strings.Contains(page, `data-testid="employer-return-reason"`) || !strings.Contains(page, `data-testid="verify-employer"`) {
		t.Error("staff do not see the corrected employer waiting for verification")
	}
	if !strings.Contains(staff.get("/staff"), `data-testid="todo-verify"`) {
		t.Error("the corrected employer is not back on the dashboard's to-do")
	}
	// A walk: once corrected, the employer's page no longer said it had
	// been returned, nor what changed. Its history stands on the page: the
	// return with its reason, the correction with each field before → after.
	history := regexp.MustCompile(`(?s)<section[^>]*data-testid="employer-history".*?</section>`).FindString(page)
	for _, want := range []string{"退回单位修改", "单位名称与营业执照不一致", "修改单位信息", "成都智算科技有限公司", "成都锦城光电科技有限公司"} {
		if !strings.Contains(history, want) {
			t.Errorf("the employer's history lacks %q:\n%s", want, history)
		}
	}
	// The audit trail says who returned it and what the employer changed.
	audit := staff.get("/staff/audit")
	for _, want := range []string{"退回单位修改", "修改单位信息", "成都锦城光电科技有限公司"} {
		if !strings.Contains(audit, want) {
			t.Errorf("the audit log lacks %q", want)
		}
	}
	// Verified, the details are fixed: the page says so and offers no form.
	res, err = staff.cl.PostForm(a.URL+path+"/verify", url.Values{"_csrf": {staff.csrf}, "next": {path}})
	readBody(t, res, err)
	if page := ew.get("/employer/organisation"); strings.Contains(page, `data-testid="organisation-form"`) || !strings.Contains(page, `data-testid="organisation-fixed"`) {
		t.Error("a verified employer is offered the correction form")
	}
	// A walk found that page empty once verified, and no way to it from
	// the desk: it shows the details in words, linked from the desk.
	page = ew.get("/employer/organisation")
	details := regexp.MustCompile(`(?s)<section[^>]*data-testid="organisation-details".*?</section>`).FindString(page)
	for _, want := range []string{"成都锦城光电科技有限公司", "企业", `data-testid="organisation-public-link"`} {
		if !strings.Contains(details, want) {
			t.Errorf("the verified organisation's details lack %q:\n%s", want, details)
		}
	}
	if strings.Contains(details, ">small<") || strings.Contains(details, ">enterprise<") {
		t.Errorf("the details show codes, not words:\n%s", details)
	}
	if !strings.Contains(ew.get("/employer"), `href="/employer/organisation" data-testid="organisation-link"`) {
		t.Error("the desk does not link to the organisation's page")
	}
	fix.Set("org_name", "已认证后改名有限公司")
	if st, _ := ew.postPage("/employer/organisation", fix); st < 400 || st >= 500 || strings.Contains(ew.get("/employer"), "已认证后改名有限公司") {
		t.Errorf("a verified employer corrected its details: %d", st)
	}
	// A long refused reason (500 characters, the limit) comes back too:
	// escaped twice, one past 270 outgrew a cookie's 4 KB and was dropped (a
	// review). And only on its own page, not on another opened first.
	another := "/staff/employers/" + a.Employer("51", "sichuan-chengdu").EmployerID
	long := strings.Repeat("名", 499) + "‮"
	refuse := func() {
		res, err := staff.cl.PostForm(a.URL+another+"/return", url.Values{"_csrf": {staff.csrf}, "reason": {long}})
		readBody(t, res, err)
		for _, ck := range res.Header.Values("Set-Cookie") {
			if len(ck) > 4000 {
				t.Errorf("a cookie of %d bytes: %.40s…", len(ck), ck)
			}
		}
	}
	refuse()
	if strings.Contains(staff.get(path), "名名名") {
		t.Error("another employer's page showed the refused reason")
	}
	refuse()
	if !strings.Contains(staff.get(another), `value="`+long+`"`) {
		t.Error("a 500-character refused reason is not back in its box")
	}
}

// A verifier sees where the credit code was registered when it is not the
// province the employer stated (characters 3–4 of the code): on the list
// and on the employer's page, as a question, not a refusal. A probe found
// a pending employer's province never checked against its code.
func TestStaffSeesCreditCodeRegisteredElsewhere(t *testing.T) {
	a := testutil.NewApp(t)
	register := func(code string) string {
		body := testutil.EmployerBody(fmt.Sprintf("hr-%d@corp.cn", rand.Int64()), "51", "sichuan-chengdu")
		body["employer"].(map[string]any)["credit_code"] = code
		acc := a.Must(http.StatusCreated, "POST", "/api/v1/auth/register", "", body).JSON()
		return a.Must(http.StatusOK, "GET", "/api/v1/me", acc["access_token"].(string), nil).JSON()["employer"].(map[string]any)["id"].(string)
	}
	guangdong := register(testutil.RandomCreditCodeIn("440300"))
	sichuan := register(testutil.RandomCreditCode())
	w := newWebClient(t, a, a.ZoneAdmin("sichuan-chengdu").Email)

	list := w.get("/staff/employers")
	if n := strings.Count(list, `data-testid="registered-elsewhere"`); n != 1 || !strings.Contains(list, "代码登记于广东") {
		t.Errorf("the list marks %d rows, want the Guangdong code's only:\n%s", n, list)
	}
	page := w.get("/staff/employers/" + guangdong)
	if !strings.Contains(page, `data-testid="registered-elsewhere"`) || !strings.Contains(page, "信用代码的登记地是广东") {
		t.Errorf("the employer's page does not say where its code was registered:\n%s", page)
	}
	if page := w.get("/staff/employers/" + sichuan); strings.Contains(page, `data-testid="registered-elsewhere"`) {
		t.Error("a code registered in the stated province is marked")
	}
	// The dashboard's queue, with its one-tap verify, says it too (a review).
	if queue := w.get("/staff"); strings.Count(queue, `data-testid="registered-elsewhere"`) != 1 || !strings.Contains(queue, "代码登记于广东") {
		t.Errorf("the dashboard's queue does not mark the Guangdong code:\n%s", queue)
	}
	// A question, not a refusal: it can still be verified.
	if !strings.Contains(page, `data-testid="verify-employer"`) {
		t.Error("the employer registered elsewhere cannot be verified")
	}
}

// A walk verified an employer whose only account had not confirmed its
// address, while the page's hint says to reach the registrant through it.
// The page warns before 认证通过 until some account has confirmed; it is a
// warning, not a refusal (a phone call may settle it).
func TestVerifyWarnsWhenNoAddressConfirmed(t *testing.T) {
	a := testutil.NewApp(t)
	emp := a.Employer("51", "sichuan-chengdu")
	w := newWebClient(t, a, a.ZoneAdmin("sichuan-chengdu").Email)
	page := w.get("/staff/employers/" + emp.EmployerID)
	if !strings.Contains(page, `data-testid="no-confirmed-email"`) || !strings.Contains(page, `data-testid="verify-employer"`) {
		t.Errorf("no warning beside 认证通过 for an employer with no confirmed address")
	}
	a.MarkVerified(emp.ID)
	if page := w.get("/staff/employers/" + emp.EmployerID); strings.Contains(page, `data-testid="no-confirmed-email"`) {
		t.Error("the warning stays once the account confirmed its address")
	}
}

// A verify walk: a correction that moved an organisation to another zone
// of the province is recorded in each zone's scope, and the province, which
// sees both, read it twice in the history.
func TestHistoryShowsAMoveOnce(t *testing.T) {
	a := testutil.NewApp(t)
	emp := a.Employer("51", "sichuan-chengdu")
	a.Must(http.StatusOK, "POST", "/api/v1/employers/"+emp.EmployerID+"/return", a.ZoneAdmin("sichuan-chengdu").Token, map[string]string{"reason": "请核对所在高新区"})
	e := a.Must(http.StatusOK, "GET", "/api/v1/employers/"+emp.EmployerID, emp.Token, nil).JSON()
	fix := map[string]any{"name": e["name"], "credit_code": e["credit_code"], "type": e["type"], "size": e["size"],
		"industry": e["industry"], "province_code": "51", "zone_code": "sichuan-mianyang"}
	a.Must(http.StatusOK, "PUT", "/api/v1/employers/"+emp.EmployerID, emp.Token, fix)
	page := newWebClient(t, a, a.ProvinceAdmin("51").Email).get("/staff/employers/" + emp.EmployerID)
	history := regexp.MustCompile(`(?s)<section[^>]*data-testid="employer-history".*?</section>`).FindString(page)
	if n := strings.Count(history, "修改单位信息"); n != 1 {
		t.Errorf("the province reads the correction %d times:\n%s", n, history)
	}
	// The zone it moved into reads the return that asked for the move (a
	// walk: it stood in the first zone's scope only), and the one it left
	// no longer reads the organisation at all.
	history = regexp.MustCompile(`(?s)<section[^>]*data-testid="employer-history".*?</section>`).FindString(
		newWebClient(t, a, a.ZoneAdmin("sichuan-mianyang").Email).get("/staff/employers/" + emp.EmployerID))
	if !strings.Contains(history, "请核对所在高新区") || strings.Count(history, "修改单位信息") != 1 {
		t.Errorf("the zone it moved into reads:\n%s", history)
	}
	if st, _, _ := newWebClient(t, a, a.ZoneAdmin("sichuan-chengdu").Email).status("/staff/employers/" + emp.EmployerID); st != http.StatusNotFound {
		t.Errorf("the zone it left reads its page: %d", st)
	}
	// The history's own use case keeps the same scope.
	for _, c := range []struct {
		who  domain.Caller
		want domain.Code
	}{
		{domain.Caller{UserID: emp.ID, Role: domain.RoleZoneAdmin, ZoneCode: "sichuan-chengdu", ProvinceCode: "51"}, domain.CodeNotFound},
		{domain.Caller{UserID: emp.ID, Role: domain.RoleProvinceAdmin, ProvinceCode: "44"}, domain.CodeNotFound},
		{domain.Caller{UserID: emp.ID, Role: domain.RoleEmployer, EmployerID: emp.EmployerID}, domain.CodeForbidden},
	} {
		if _, err := a.Server.App.EmployerHistory(context.Background(), c.who, emp.EmployerID, domain.Page{Page: 1, PerPage: 20}); domain.CodeOf(err) != c.want {
			t.Errorf("%s of %s%s: %v, want %s", c.who.Role, c.who.ZoneCode, c.who.ProvinceCode, err, c.want)
		}
	}
}

// walk41b: past the last page, the staff's other lists said "none" (暂无)
// under a pager that counted their rows. Every paged list says the page is
// past the last and leads back to page one, as the employers' does.
func TestEveryPagedListSaysPastTheLast(t *testing.T) {
	a := testutil.NewApp(t)
	_, zone, _ := a.PublishedOpening(nil)
	event, _ := registeredEvent(t, a, zone.Token, a.Graduate())
	w := newWebClient(t, a, zone.Email)
	for path, none := range map[string]string{
		"/staff/audit":  "暂无记录",
		"/events":       ">暂无<",
		"/staff/events": ">暂无<",
		"/staff/events/" + event + "/registrants": "暂无报名者",
		"/staff/events/" + event + "/openings":    ">暂无<",
	} {
		past := w.get(path + "?page=99")
		if !strings.Contains(past, `data-testid="past-last-page"`) || strings.Contains(past, none) {
			t.Errorf("%s, page 99: not said to be past the last", path)
		}
		if !strings.Contains(past, `<a href="`+path+`" data-testid="first-page"`) {
			t.Errorf("%s, page 99: no way back to page one", path)
		}
	}
}
