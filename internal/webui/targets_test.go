package webui_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

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
	st, loc, _ := b.post(page, "/staff/targets", targetForm(year, "", map[string][2]string{"sichuan-chengdu": {"120", "80"}, "sichuan-luzhou": {"0", "0"}}))
	if st != http.StatusSeeOther || loc != page {
		t.Fatalf("save: %d %s", st, loc)
	}
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
	if st, loc, _ := m.post(page, "/staff/targets", targetForm(year, "", map[string][2]string{"51": {"5000", "3000"}})); st != http.StatusSeeOther || loc != page {
		t.Fatalf("ministry save: %d %s", st, loc)
	}
	pr := a.Must(http.StatusOK, "GET", fmt.Sprintf("/api/v1/provinces/51/progress?year=%d", year), ministry.Token, nil).JSON()
	if pr["target_placements"] != float64(3000) || pr["target_positions"] != float64(5000) {
		t.Errorf("province 51 after the ministry's save: %v / %v", pr["target_positions"], pr["target_placements"])
	}
	drill := page + "&province=51"
	if st, body := m.get(drill); st != http.StatusOK || !strings.Contains(body, `data-code="sichuan-chengdu"`) || !strings.Contains(body, `data-testid="targets-up"`) {
		t.Fatalf("ministry drilling into Sichuan: %d", st)
	}
	if st, loc, _ := m.post(drill, "/staff/targets", targetForm(year, "51", map[string][2]string{"sichuan-chengdu": {"130", "85"}})); st != http.StatusSeeOther || loc != drill {
		t.Fatalf("ministry saving a zone: %d %s", st, loc)
	}
	if got := zoneTarget(a, ministry.Token, "sichuan-chengdu", year); got != float64(85) {
		t.Errorf("after the ministry's zone save: %v", got)
	}
}
