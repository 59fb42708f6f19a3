package webui_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/testutil"
)

// targetForm is the targets table's form as sent: the year, the province
// ("" for the ministry's provinces) and each code's two targets.
func targetForm(year int, province string, rows map[string][2]string) url.Values {
	f := url.Values{"year": {fmt.Sprint(year)}, "province": {province}}
	for code, v := range rows {
		f.Add("code", code)
		f.Set("target_positions."+code, v[0])
		f.Set("target_placements."+code, v[1])
	}
	return f
}

// zoneTarget is a zone's target_placements as the API reads it.
func zoneTarget(a *testutil.App, token, zone string, year int) any {
	return zoneTargets(a, token, zone, year)[1]
}

// zoneTargets are a zone's target_positions and target_placements as the API reads them.
func zoneTargets(a *testutil.App, token, zone string, year int) [2]any {
	p := a.Must(http.StatusOK, "GET", fmt.Sprintf("/api/v1/zones/%s/progress?year=%d", zone, year), token, nil).JSON()
	return [2]any{p["target_positions"], p["target_placements"]}
}

// Issue 15 item 6: the targets table. Province staff see their zones only
// and save targets through it (checked through the API); a bad value comes
// back beside its field in Chinese with everything typed, saving nothing;
// another province's zone or province is refused like the API refuses it
// (404, 403); zone staff have no table; the ministry sets a province's
// target and opens a province's zones.
// targetSourceNote is what the row of code in a targets table says of
// where its target comes from, "" when nothing.
func targetSourceNote(body, code string) string {
	i := strings.Index(body, `data-code="`+code+`"`)
	if i < 0 {
		return "<no row>"
	}
	row := body[i : i+strings.Index(body[i:], "</tr>")]
	const mark = `data-testid="target-source">`
	j := strings.Index(row, mark)
	if j < 0 {
		return ""
	}
	row = row[j+len(mark):]
	return row[:strings.Index(row, "<")]
}

func TestTargetsTable(t *testing.T) {
	a := testutil.NewApp(t)
	year := time.Now().Year()
	p := a.ProvinceAdmin("51")
	b := newFormClient(t, a)
	signIn(t, b, p.Email)
	page := fmt.Sprintf("/staff/targets?year=%d", year)
	st, body := b.get(page)
	if st != http.StatusOK || !strings.Contains(body, `data-code="sichuan-chengdu"`) || strings.Contains(body, `data-code="guangdong-guangzhou"`) {
		t.Fatalf("province table: %d\n%s", st, body)
	}
	if _, dash := b.get("/staff"); !strings.Contains(dash, `data-testid="targets-link"`) {
		t.Error("no link to the targets table on the province dashboard")
	}

	// Saved: the API reads the new targets; the flash says how many rows.
	b.redirected(page, "/staff/targets", targetForm(year, "", map[string][2]string{"sichuan-chengdu": {"120", "80"}, "sichuan-luzhou": {"0", "0"}}), page)
	if got := zoneTarget(a, p.Token, "sichuan-chengdu", year); got != float64(80) {
		t.Fatalf("after saving, the API reads target_placements %v", got)
	}
	if _, body := b.get(page); !strings.Contains(body, "已保存 1 项目标") || !strings.Contains(body, `name="target_placements.sichuan-chengdu" type="number"`) ||
		!strings.Contains(body, `value="80"`) {
		t.Errorf("after saving, the table does not show the flash and the new value:\n%s", body)
	}

	// Refused: negative, not a number, absurdly large; all typed values
	// come back, each message beside its own field, nothing saved.
	st, _, body = b.post(page, "/staff/targets", targetForm(year, "", map[string][2]string{
		"sichuan-chengdu": {"-5", "90"}, "sichuan-luzhou": {"abc", "99999999999"}, "sichuan-deyang": {"7", "3"}}))
	if st != http.StatusUnprocessableEntity {
		t.Fatalf("bad values: %d\n%s", st, body)
	}
	for _, want := range []string{`id="e-tp-sichuan-chengdu"`, `id="e-tp-sichuan-luzhou"`, `id="e-tl-sichuan-luzhou"`, "须在 0–10000000 之间",
		"须为 0–10000000 之间的整数", `value="-5"`, `value="abc"`, `value="99999999999"`, `value="90"`, `value="7"`} {
		if !strings.Contains(body, want) {
			t.Errorf("refused form lacks %s", want)
		}
	}
	if strings.Contains(body, `id="e-tl-sichuan-chengdu"`) || strings.Contains(body, "must be") {
		t.Errorf("a message beside a good field, or English text:\n%s", body)
	}
	if got := zoneTarget(a, p.Token, "sichuan-chengdu", year); got != float64(80) {
		t.Errorf("a refused form saved target_placements %v", got)
	}
	if got := zoneTarget(a, p.Token, "sichuan-deyang", year); got != float64(0) {
		t.Errorf("a refused form saved a good row: %v", got)
	}

	// Scope: another province's zone, slipped into the form, is not found
	// (as PUT /zones/{code}/quotas answers); another province's table is
	// forbidden; zone staff have no table.
	ministry := a.MinistryAdmin()
	if st, _, _ := b.post(page, "/staff/targets", targetForm(year, "", map[string][2]string{"guangdong-guangzhou": {"5", "5"}})); st != http.StatusNotFound {
		t.Errorf("province 51 setting a Guangdong zone: %d", st)
	}
	if got := zoneTarget(a, ministry.Token, "guangdong-guangzhou", year); got != float64(0) {
		t.Errorf("the Guangdong zone's target became %v", got)
	}
	if st, _, _ := b.post(page, "/staff/targets", targetForm(year, "44", map[string][2]string{"guangdong-guangzhou": {"5", "5"}})); st != http.StatusForbidden && st != http.StatusNotFound {
		t.Errorf("province 51 posting Guangdong's table: %d", st)
	}
	if st, _ := b.get(page + "&province=44"); st != http.StatusForbidden && st != http.StatusNotFound {
		t.Errorf("province 51 reading Guangdong's table: %d", st)
	}
	z := newFormClient(t, a)
	signIn(t, z, a.ZoneAdmin("sichuan-deyang").Email)
	if st, _ := z.get(page); st != http.StatusForbidden {
		t.Errorf("zone staff open the targets table: %d", st)
	}

	// The ministry: provinces and the nation's row; a province's own target
	// is set; a province's zones open from its row and save there.
	m := newFormClient(t, a)
	signIn(t, m, ministry.Email)
	st, body = m.get(page)
	if st != http.StatusOK || !strings.Contains(body, `data-code="51"`) || !strings.Contains(body, `data-code="00"`) ||
		!strings.Contains(body, fmt.Sprintf(`href="/staff/targets?year=%d&amp;province=51"`, year)) {
		t.Fatalf("ministry table: %d\n%s", st, body)
	}
	// A summed target reads the same as a set one unless it is said: the
	// rows say which are their zones' (or the provinces') sum, which unset.
	for code, want := range map[string]string{"51": "各区合计", "44": "未设定", "00": "各省合计"} {
		if got := targetSourceNote(body, code); got != want {
			t.Errorf("ministry table, row %s says %q of its target, want %q", code, got, want)
		}
	}
	if _, body := b.get(page); !strings.Contains(body[strings.Index(body, `data-testid="province-target"`):], `data-testid="target-source">各区合计`) {
		t.Error("the province's summary does not say its target is its zones' sum")
	}
	// The dashboards' key figures say it too.
	for who, c := range map[string]*formClient{"各区合计": b, "各省合计": m} {
		_, dash := c.get(fmt.Sprintf("/staff?year=%d", year))
		if kpis := dash[strings.Index(dash, `class="kpis"`):]; !strings.Contains(kpis[:strings.Index(kpis, "</section>")], `data-testid="target-source">`+who) {
			t.Errorf("the dashboard's target does not say %s", who)
		}
	}
	m.redirected(page, "/staff/targets", targetForm(year, "", map[string][2]string{"51": {"5000", "3000"}}), page)
	if _, body := m.get(page); targetSourceNote(body, "51") != "" {
		t.Errorf("a set target still reads as a sum: %q", targetSourceNote(body, "51"))
	}
	pr := a.Must(http.StatusOK, "GET", fmt.Sprintf("/api/v1/provinces/51/progress?year=%d", year), ministry.Token, nil).JSON()
	if pr["target_placements"] != float64(3000) || pr["target_positions"] != float64(5000) {
		t.Errorf("province 51 after the ministry's save: %v / %v", pr["target_positions"], pr["target_placements"])
	}
	drill := page + "&province=51"
	if st, body := m.get(drill); st != http.StatusOK || !strings.Contains(body, `data-code="sichuan-chengdu"`) || !strings.Contains(body, `data-testid="targets-up"`) {
		t.Fatalf("ministry drilling into Sichuan: %d", st)
	}
	m.redirected(drill, "/staff/targets", targetForm(year, "51", map[string][2]string{"sichuan-chengdu": {"130", "85"}}), drill)
	if got := zoneTarget(a, ministry.Token, "sichuan-chengdu", year); got != float64(85) {
		t.Errorf("after the ministry's zone save: %v", got)
	}

	// A walk: after the ministry gave Sichuan 5000 / 3000, the province's
	// table showed its zones alone (130 / 85), so the official could not
	// see the target or the part of it no zone carries. It stands above
	// the zones: the province's, the zones' sum, what is left.
	_, body = b.get(page)
	i := strings.Index(body, `data-testid="province-target"`)
	if i < 0 || i > strings.Index(body, `data-testid="target-row"`) {
		t.Fatal("the province's table does not show the province's target above its zones")
	}
	summary := body[i : i+strings.Index(body[i:], "</table>")]
	for _, want := range []string{"<td>5000</td><td>3000</td>", "<td>130</td><td>85</td>", `data-testid="unallocated"`, "<td>4870</td><td>2915</td>", "尚未分配"} {
		if !strings.Contains(summary, want) {
			t.Errorf("the province's target summary lacks %s:\n%s", want, summary)
		}
	}
	if _, body := m.get(page); strings.Contains(body, `data-testid="province-target"`) {
		t.Error("the ministry's table of provinces carries a province summary")
	}
	// Zones given more than the province: the row says by how much they
	// are over, not "-30".
	m.redirected(page, "/staff/targets", targetForm(year, "", map[string][2]string{"51": {"100", "50"}}), page)
	_, body = b.get(page)
	i = strings.Index(body, `data-testid="unallocated"`)
	if row := body[i : i+strings.Index(body[i:], "</tr>")]; !strings.Contains(row, "超出 30") || !strings.Contains(row, "超出 35") || strings.Contains(row, ">-") {
		t.Errorf("zones over the province's target: %s", row)
	}
}

// Issue 15 finding 7: the dashboard opened on the current, empty year, kept
// counting the sprint down after 31 August and showed "（0）" as last year's
// figure when there was none.
func TestDashboardYearSprintAndYoY(t *testing.T) {
	a := testutil.NewApp(t)
	admin := a.ZoneAdmin("sichuan-chengdu")
	w := newWebClient(t, a, admin.Email)
	today := domain.DateOf(time.Now())

	page := w.get("/staff")
	if strings.Contains(page, "（0）") {
		t.Errorf("year-on-year shows （0） without a previous year")
	}
	if got := strings.Contains(page, `data-testid="sprint"`); got != domain.InSprint(today.Year, today) {
		t.Errorf("sprint card shown = %v on %s", got, today)
	}

	// A placement last year and none this year: the page opens on last year.
	emp := a.VerifiedEmployer("51", "sichuan-chengdu")
	id := a.Publish(emp, admin, nil)
	g, app := a.Applicant(id, "您好")
	move := func(tok, to string, extra ...string) {
		body := map[string]string{"to": to}
		if len(extra) == 2 {
			body[extra[0]] = extra[1]
		}
		a.Must(http.StatusOK, "POST", "/api/v1/applications/"+app+"/transitions", tok, body)
	}
	lastYear := domain.Date{Year: today.Year - 1, Month: 12, Day: 15}
	if lastYear.Before(today.AddDays(-400)) {
		t.Skip("a hire last year is more than 400 days ago (too far in the past to record)")
	}
	a.AppliedOn(app, lastYear.String())
	move(emp.Token, "offered")
	move(g.Token, "accepted")
	move(emp.Token, "hired", "hired_on", lastYear.String())

	page = w.get("/staff")
	if !strings.Contains(page, `data-testid="earlier-year"`) || !strings.Contains(page, `value="`+itoa(today.Year-1)+`"`) {
		t.Errorf("with no placement this year the dashboard should open on %d", today.Year-1)
	}
	if !strings.Contains(page, `data-testid="kpi-placements">1<`) {
		t.Errorf("last year's placement not shown")
	}
	// An explicit year is kept.
	this := w.get("/staff?year=" + itoa(today.Year))
	if strings.Contains(this, `data-testid="earlier-year"`) {
		t.Errorf("an explicitly chosen year was replaced")
	}
	// A walk read "同比增长（3042）" with no word for the number: it is
	// last year's count to the same day (a numbers probe: the whole last
	// year against a year under way), and says so. The hire of last
	// 15 December is in it from that day of this year.
	prev := "0"
	if !today.Before(domain.Date{Year: today.Year, Month: 12, Day: 15}) {
		prev = "1"
	}
	if !strings.Contains(this, "同比增长（上年同期 "+prev+"）") {
		t.Error("year on year does not name last year's count to the same day as such")
	}
	if en := w.get("/staff?lang=en&year=" + itoa(today.Year)); !strings.Contains(en, "Year on year (same period last year "+prev+")") {
		t.Error("year on year in English does not name last year's count to the same day as such")
	}
	// A year not begun compares with nothing (it read −100 %).
	if next := w.get("/staff?year=" + itoa(today.Year+1)); !strings.Contains(next, `data-testid="kpi-yoy"><div class="v">—</div>`) {
		t.Error("next year's 同比 is not —")
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// Issue 15 item 6 at phone size: province staff and the ministry edit
// targets in the table; a bad value comes back beside its field in
// Chinese with every typed value, the cursor in it; once fixed, the save
// flashes and the table shows the new values. The table scrolls inside
// its wrapper (the page never wider than the phone) and its inputs and
// button are at least 44 px tall.
func TestBrowserTargetsTable(t *testing.T) {
	a := testutil.NewApp(t)
	year := time.Now().Year()
	province, ministry := a.ProvinceAdmin("51"), a.MinistryAdmin()
	ctx := browser(t, 390, 844)
	page := fmt.Sprintf("%s/staff/targets?year=%d", a.URL, year)

	// edit sets each selector's value, saves, and checks what came back.
	edit := func(who string, set map[string]string, wantError, wantFocus string) {
		t.Helper()
		for sel, v := range set {
			do(t, ctx, chromedp.SetValue(chromedp.CSS(sel), v))
		}
		submit(t, ctx, `[data-testid="save-targets"]`)
		for sel, v := range set {
			if got := fieldValue(t, ctx, sel); got != v {
				t.Errorf("%s: %s came back %q, want %q", who, sel, got, v)
			}
		}
		if wantError == "" {
			if f := text(t, ctx, `.flash`); !strings.Contains(f, "已保存") {
				t.Errorf("%s: flash %q after saving", who, f)
			}
			return
		}
		chineseMessage(t, who, text(t, ctx, wantError))
		if n := js(t, ctx, `String(document.querySelectorAll(".field-error").length)`); n != "1" {
			t.Errorf("%s: %s messages, want 1 beside the one bad field", who, n)
		}
		if f := focused(t, ctx); f != wantFocus {
			t.Errorf("%s: focus on %q, want %q", who, f, wantFocus)
		}
	}

	// Province staff: their zones; a negative target is refused, then fixed.
	login(t, ctx, a.URL, province.Email, testutil.Password)
	do(t, ctx, chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS(`#tp-sichuan-chengdu`)))
	if w := js(t, ctx, `String(document.documentElement.scrollWidth)`); w != "390" {
		t.Errorf("targets page is %s px wide on a 390 px phone", w)
	}
	// A walk found the province's summary wider than the phone, its figures
	// off to the right: it fits, in Chinese and in English.
	for _, lang := range []string{"zh", "en"} {
		do(t, ctx, chromedp.Navigate(page+"&lang="+lang), chromedp.WaitVisible(chromedp.CSS(`[data-testid="province-target"]`)))
		if fits := js(t, ctx, `(() => { const w = document.querySelector('[data-testid="province-target"]').parentElement; return String(w.scrollWidth <= w.clientWidth); })()`); fits != "true" {
			t.Errorf("%s: the province's target summary is wider than the phone", lang)
		}
	}
	do(t, ctx, chromedp.Navigate(page+"&lang=zh"), chromedp.WaitVisible(chromedp.CSS(`#tp-sichuan-chengdu`)))
	for _, sel := range []string{"#tp-sichuan-chengdu", "#tl-sichuan-chengdu", `[data-testid="save-targets"]`} {
		h, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.querySelector('`+sel+`').getBoundingClientRect().height`))
		if err != nil || h < 44 {
			t.Errorf("%s is %.0f px tall, under 44 (%v)", sel, h, err)
		}
	}
	edit("province", map[string]string{"#tp-sichuan-chengdu": "120", "#tl-sichuan-chengdu": "80", "#tp-sichuan-luzhou": "-5", "#tl-sichuan-luzhou": "9"},
		"#e-tp-sichuan-luzhou", "target_positions.sichuan-luzhou")
	edit("province", map[string]string{"#tp-sichuan-luzhou": "30"}, "", "")
	if v := fieldValue(t, ctx, "#tl-sichuan-chengdu"); v != "80" {
		t.Errorf("after saving, the table shows %q for Chengdu's placements target", v)
	}
	if got := zoneTargets(a, province.Token, "sichuan-luzhou", year); got != [2]any{float64(30), float64(9)} {
		t.Errorf("Luzhou saved as %v", got)
	}
	logout(t, ctx)

	// The ministry: an absurd province target is refused, then fixed; the
	// province's row opens its zones.
	login(t, ctx, a.URL, ministry.Email, testutil.Password)
	do(t, ctx, chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS(`#tl-51`)))
	edit("ministry", map[string]string{"#tp-51": "5000", "#tl-51": "99999999999"}, "#e-tl-51", "target_placements.51")
	edit("ministry", map[string]string{"#tl-51": "3000"}, "", "")
	do(t, ctx, chromedp.Click(chromedp.CSS(`tr[data-code="51"] [data-testid="target-drill"]`)), chromedp.WaitVisible(chromedp.CSS(`#tl-sichuan-chengdu`)))
	if v := fieldValue(t, ctx, "#tl-sichuan-chengdu"); v != "80" {
		t.Errorf("the ministry sees %q for Chengdu's placements target, want 80", v)
	}
}

// Issue 15 finding 7 at phone size: with placements last year and none
// this year the dashboard opens on last year and says so; year-on-year
// reads "—" when there is no year before to compare with (it read
// "（0）"); the sprint card shows only in its season.
func TestBrowserDashboardOpensOnYearWithData(t *testing.T) {
	a := testutil.NewApp(t)
	admin := a.ZoneAdmin("sichuan-chengdu")
	today := domain.DateOf(time.Now())
	lastYear := domain.Date{Year: today.Year - 1, Month: 12, Day: 15}
	if lastYear.Before(today.AddDays(-400)) {
		t.Skip("a hire last year is more than 400 days ago (too far in the past to record)")
	}
	emp := a.VerifiedEmployer("51", "sichuan-chengdu")
	g := a.Graduate()
	app := a.Apply(g, a.Publish(emp, admin, nil), "您好")
	a.AppliedOn(app, lastYear.String())
	for _, m := range []struct {
		tok  string
		body map[string]string
	}{{emp.Token, map[string]string{"to": "offered"}}, {g.Token, map[string]string{"to": "accepted"}},
		{emp.Token, map[string]string{"to": "hired", "hired_on": lastYear.String()}}} {
		a.Must(http.StatusOK, "POST", "/api/v1/applications/"+app+"/transitions", m.tok, m.body)
	}
	ctx := browser(t, 390, 844)
	login(t, ctx, a.URL, admin.Email, testutil.Password)
	do(t, ctx, chromedp.Navigate(a.URL+"/staff"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="kpi-placements"]`)))
	if n := len(texts(t, ctx, `[data-testid="earlier-year"]`)); n != 1 {
		t.Errorf("the dashboard did not open on %d with a note", today.Year-1)
	}
	if got := strings.TrimSpace(text(t, ctx, `[data-testid="kpi-placements"]`)); got != "1" {
		t.Errorf("placements shown %q, want last year's 1", got)
	}
	yoy := js(t, ctx, `[...document.querySelectorAll(".kpi")].filter(k => k.querySelector(".l") && k.querySelector(".l").textContent.startsWith("同比")).map(k => k.innerText).join("|")`)
	if !strings.HasPrefix(yoy, "—") || strings.Contains(yoy, "（0）") {
		t.Errorf("year-on-year with no year before: %q, want —", yoy)
	}
	shown := len(texts(t, ctx, `[data-testid="sprint"]`)) == 1
	if shown != domain.InSprint(today.Year-1, today) {
		t.Errorf("sprint card shown = %v on %s", shown, today)
	}
	noSidewaysScroll(t, ctx)
}

// A browser walk: in December the ministry's dashboard listed all 178
// zones as late with November's report, and the reports page showed every
// zone owing December's. Zones report May to August (the brief): outside
// that season the dashboard names no one late and the reports page says
// nothing is due; in the season, the late list is there.
func TestReportsOutsideTheSeasonOweNothing(t *testing.T) {
	for _, c := range []struct {
		name      string
		today     time.Time
		offSeason bool
	}{
		{"December", time.Date(2026, 12, 3, 10, 0, 0, 0, domain.Shanghai), true},
		{"July", time.Date(2026, 7, 3, 10, 0, 0, 0, domain.Shanghai), false},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := testutil.NewApp(t, testutil.SiteClock(c.today))
			a.Server.Store.SetClock(func() time.Time { return c.today })
			ministry := newWebClient(t, a, a.MinistryAdmin().Email)
			dash := ministry.get("/staff")
			st, _, page := ministry.status("/staff/reports")
			if st != http.StatusOK || strings.Contains(page, `data-testid="report-off-season"`) != c.offSeason {
				t.Fatalf("reports page %d, off-season note %v, want %v", st, !c.offSeason, c.offSeason)
			}
			if overdue := strings.Contains(page, `status overdue`); overdue {
				t.Errorf("this month's reports shown overdue")
			}
			late := strings.Contains(dash, `data-testid="late-reports"`)
			if late == c.offSeason {
				t.Errorf("late list on the dashboard: %v (off season %v)", late, c.offSeason)
			}
		})
	}
}
