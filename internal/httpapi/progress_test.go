package httpapi_test

import (
	"context"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/testutil"
)

// hireN hires n new graduates into opening on hiredOn, each having applied
// that day.
func hireN(t *testing.T, a *testutil.App, emp testutil.Account, opening string, n int, hiredOn string) {
	t.Helper()
	for i := 0; i < n; i++ {
		g := a.Graduate()
		app := a.Must(http.StatusCreated, "POST", "/api/v1/openings/"+opening+"/applications", g.Token, nil).JSON()["id"].(string)
		a.AppliedOn(app, hiredOn)
		a.Hire(emp.Token, g.Token, app, hiredOn)
	}
}

func TestProgressRatesAndShares(t *testing.T) {
	a := testutil.NewApp(t)
	// The clock stands in 2026, so 2025 is last year.
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, domain.Shanghai)
	a.Server.Store.SetClock(func() time.Time { return now })
	cd := a.VerifiedEmployer("51", "sichuan-chengdu")
	my := a.VerifiedEmployer("51", "sichuan-mianyang")
	zl := a.VerifiedEmployer("51", "") // outside any zone
	cdAdmin := a.ZoneAdmin("sichuan-chengdu")
	myAdmin := a.ZoneAdmin("sichuan-mianyang")
	sichuan := a.ProvinceAdmin("51")
	ministry := a.MinistryAdmin()
	o1 := a.Publish(cd, cdAdmin, map[string]any{"headcount": 20})
	o2 := a.Publish(my, myAdmin, map[string]any{"headcount": 10})
	o3 := a.Publish(zl, sichuan, map[string]any{"headcount": 10})

	hireN(t, a, cd, o1, 2, "2025-11-10") // last year
	hireN(t, a, cd, o1, 3, "2026-05-20")
	hireN(t, a, my, o2, 1, "2026-06-01")
	hireN(t, a, zl, o3, 4, "2026-07-15")

	// Quotas: the province and the ministry may set them; zone staff may not.
	a.Must(http.StatusForbidden, "PUT", "/api/v1/zones/sichuan-chengdu/quotas/2026", cdAdmin.Token, map[string]int{"target_positions": 40, "target_placements": 4})
	a.Must(http.StatusNotFound, "PUT", "/api/v1/zones/sichuan-chengdu/quotas/2026", a.ProvinceAdmin("44").Token, map[string]int{"target_positions": 40, "target_placements": 4})
	a.Must(http.StatusUnprocessableEntity, "PUT", "/api/v1/zones/sichuan-chengdu/quotas/2026", sichuan.Token, map[string]int{"target_positions": -1, "target_placements": 4})
	a.Must(http.StatusUnprocessableEntity, "PUT", "/api/v1/zones/sichuan-chengdu/quotas/2026", sichuan.Token, map[string]int{"target_positions": 1})
	a.Must(http.StatusBadRequest, "PUT", "/api/v1/zones/sichuan-chengdu/quotas/2026", sichuan.Token, `{"target_positions": "many"}`)
	q := a.Must(http.StatusOK, "PUT", "/api/v1/zones/sichuan-chengdu/quotas/2026", sichuan.Token, map[string]int{"target_positions": 40, "target_placements": 4}).JSON()
	if q["target_placements"].(float64) != 4 {
		t.Fatalf("quota %v", q)
	}
	a.Must(http.StatusOK, "PUT", "/api/v1/zones/sichuan-mianyang/quotas/2026", ministry.Token, map[string]int{"target_positions": 0, "target_placements": 0})

	p := a.Must(http.StatusOK, "GET", "/api/v1/zones/sichuan-chengdu/progress?year=2026", cdAdmin.Token, nil).JSON()
	want := map[string]any{"target_positions": 40.0, "target_placements": 4.0, "positions_developed": 20.0, "placements": 3.0,
		"completion_rate": 75.0, "positions_completion_rate": 50.0, "placements_prev_year": 2.0, "yoy_growth": 50.0,
		"province_share": 37.5} // 3 of the province's 8 (3 + 1 + 4 zone-less)
	for k, v := range want {
		if p[k] != v {
			t.Errorf("%s = %v, want %v", k, p[k], v)
		}
	}
	if z := p["zone"].(map[string]any); z["code"] != "sichuan-chengdu" || z["province_code"] != "51" || z["name_zh"] == "" {
		t.Errorf("zone: %v", z)
	}
	if len(p["monthly"].([]any)) != 12 {
		t.Errorf("monthly: %v", p["monthly"])
	}
	if b := p["by_degree"].(map[string]any); b["master"] != 3.0 {
		t.Errorf("by_degree: %v", b)
	}
	if b := p["by_employer_size"].(map[string]any); b["small"] != 3.0 {
		t.Errorf("by_employer_size: %v", b)
	}
	// Like for like: 2026 to 20 November against 2025 to 20 November.
	lfl := p["like_for_like"].(map[string]any)
	if lfl["as_of"] != "2026-11-20" || lfl["placements"] != 3.0 || lfl["prev_placements"] != 2.0 {
		t.Errorf("like for like: %v", lfl)
	}
	sp := p["sprint"].(map[string]any)
	if sp["deadline"] != "2026-08-31" || sp["days_left"] != 0.0 || sp["placements_needed"] != 1.0 {
		t.Errorf("sprint: %v", sp)
	}
	// Rates are null where the divisor is 0.
	pm := a.Must(http.StatusOK, "GET", "/api/v1/zones/sichuan-mianyang/progress?year=2026", myAdmin.Token, nil).JSON()
	if pm["completion_rate"] != nil || pm["yoy_growth"] != nil || pm["province_share"] != 12.5 {
		t.Errorf("mianyang: rate %v yoy %v share %v", pm["completion_rate"], pm["yoy_growth"], pm["province_share"])
	}

	// Scope: zone staff of it, its province, the ministry.
	a.Must(http.StatusOK, "GET", "/api/v1/zones/sichuan-chengdu/progress", sichuan.Token, nil)
	a.Must(http.StatusOK, "GET", "/api/v1/zones/sichuan-chengdu/progress", ministry.Token, nil)
	a.Must(http.StatusNotFound, "GET", "/api/v1/zones/sichuan-chengdu/progress", myAdmin.Token, nil)
	a.Must(http.StatusNotFound, "GET", "/api/v1/zones/sichuan-chengdu/progress", a.ProvinceAdmin("11").Token, nil)
	a.Must(http.StatusForbidden, "GET", "/api/v1/zones/sichuan-chengdu/progress", cd.Token, nil)
	a.Must(http.StatusForbidden, "GET", "/api/v1/zones/sichuan-chengdu/progress", a.Graduate().Token, nil)
	a.Must(http.StatusUnauthorized, "GET", "/api/v1/zones/sichuan-chengdu/progress", "", nil)
	a.Must(http.StatusNotFound, "GET", "/api/v1/zones/nowhere/progress", ministry.Token, nil)
	a.Must(http.StatusUnprocessableEntity, "GET", "/api/v1/zones/sichuan-chengdu/progress?year=99", ministry.Token, nil)

	// Province: every placement of the province, zone-less included.
	pp := a.Must(http.StatusOK, "GET", "/api/v1/provinces/51/progress?year=2026", sichuan.Token, nil).JSON()
	if pp["placements"] != 8.0 || pp["placements_prev_year"] != 2.0 || pp["zone_share"] != 50.0 || pp["national_share"] != 100.0 {
		t.Errorf("province: %v %v %v %v", pp["placements"], pp["placements_prev_year"], pp["zone_share"], pp["national_share"])
	}
	if zl := pp["zoneless"].(map[string]any); zl["placements"] != 4.0 || zl["positions_developed"] != 10.0 {
		t.Errorf("zoneless: %v", zl)
	}
	zones := pp["zones"].([]any)
	if first := zones[0].(map[string]any); first["code"] != "sichuan-chengdu" || first["completion_rate"] != 75.0 {
		t.Errorf("ranking: %v", first)
	}
	// A rate over nothing is null, not left out (a numbers probe found
	// national_share missing in a year the nation placed no one).
	empty := a.Must(http.StatusOK, "GET", "/api/v1/provinces/51/progress?year=2019", sichuan.Token, nil).JSON()
	for _, rate := range []string{"national_share", "zone_share"} {
		if v, ok := empty[rate]; !ok || v != nil {
			t.Errorf("an empty year's %s: %v (present %v), want null", rate, v, ok)
		}
	}
	a.Must(http.StatusNotFound, "GET", "/api/v1/provinces/44/progress", sichuan.Token, nil)
	a.Must(http.StatusForbidden, "GET", "/api/v1/provinces/51/progress", cdAdmin.Token, nil)
	// National.
	np := a.Must(http.StatusOK, "GET", "/api/v1/progress?year=2026", ministry.Token, nil).JSON()
	if np["placements"] != 8.0 || np["zone_share"] != 50.0 || len(np["zones"].([]any)) != 178 || len(np["provinces"].([]any)) != 32 {
		t.Errorf("national: %v %v", np["placements"], np["zone_share"])
	}
	if _, ok := np["national_share"]; ok {
		t.Error("the nation's view carries a national share")
	}
	a.Must(http.StatusForbidden, "GET", "/api/v1/progress", sichuan.Token, nil)

	// A row's like for like is the view's: its year so far against its
	// last year to the same day (a numbers probe read the dashboard's
	// 同比 of a year under way against the whole last year). A hire of
	// last 1 December is in Mianyang's last year, not in its year to
	// 20 November; a year not begun has none.
	hireN(t, a, my, o2, 1, "2025-12-01")
	byCode := func(rows any) map[string]map[string]any {
		m := map[string]map[string]any{}
		for _, r := range rows.([]any) {
			m[r.(map[string]any)["code"].(string)] = r.(map[string]any)
		}
		return m
	}
	pz := byCode(a.Must(http.StatusOK, "GET", "/api/v1/provinces/51/progress?year=2026", sichuan.Token, nil).JSON()["zones"])
	np = a.Must(http.StatusOK, "GET", "/api/v1/progress?year=2026", ministry.Token, nil).JSON()
	for _, c := range []struct {
		row              map[string]any
		prevYear, prevTo float64
		growth           any
	}{
		{pz["sichuan-chengdu"], 2, 2, 50.0},
		{pz["sichuan-mianyang"], 1, 0, nil},
		{byCode(np["zones"])["sichuan-mianyang"], 1, 0, nil},
		{byCode(np["provinces"])["51"], 3, 2, 300.0}, // 8 against 2
	} {
		lfl, _ := c.row["like_for_like"].(map[string]any)
		if c.row["placements_prev_year"] != c.prevYear || lfl["as_of"] != "2026-11-20" || lfl["placements"] != c.row["placements"] ||
			lfl["prev_placements"] != c.prevTo || lfl["growth"] != c.growth {
			t.Errorf("%s: last year %v, like for like %v", c.row["code"], c.row["placements_prev_year"], lfl)
		}
	}
	for _, r := range a.Must(http.StatusOK, "GET", "/api/v1/provinces/51/progress?year=2027", sichuan.Token, nil).JSON()["zones"].([]any) {
		if lfl, ok := r.(map[string]any)["like_for_like"]; ok {
			t.Fatalf("a year not begun compares like for like: %v", lfl)
		}
	}
	if drift, err := a.Server.Store.CounterDrift(context.Background()); err != nil || len(drift) > 0 {
		t.Fatalf("drift %v %v", drift, err)
	}
}

// TestCountersEqualRecount: after a few thousand random operations —
// approvals, edits, hires, revokes — the kept counters equal a recount.
func TestCountersEqualRecount(t *testing.T) {
	st, _ := testutil.NewStore(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, domain.Shanghai)
	st.SetClock(func() time.Time { return now })
	// Actors are built directly on the store: thousands of operations over
	// HTTP would test the transport, not the counting.
	rng := rand.New(rand.NewPCG(1, 2))
	zones := []struct{ zone, prov string }{{"sichuan-chengdu", "51"}, {"sichuan-mianyang", "51"}, {"", "51"}, {"guangdong-shenzhen", "44"}, {"", "44"}}
	type emp struct {
		c        domain.Caller
		reviewer domain.Caller
	}
	var emps []emp
	for i, z := range zones {
		reg := domain.EmployerRegistration{Email: "e" + string(rune('a'+i)) + "@x.cn", Password: testutil.Password, Name: "n",
			Organisation: domain.Organisation{OrgDetails: domain.OrgDetails{Name: "单位" + string(rune('甲'+i)), CreditCode: testutil.RandomCreditCode(),
				Type: domain.EmployerTypes[i%3], Size: domain.EmployerSizes[i%4], Industry: "ai", ProvinceCode: z.prov}, ZoneCode: z.zone}}
		u, e, err := st.CreateEmployerAccount(ctx, reg, "x")
		if err != nil {
			t.Fatal(err)
		}
		var reviewer domain.Caller
		if z.zone != "" {
			su, err := st.CreateStaff(ctx, domain.StaffAccount{Role: domain.RoleZoneAdmin, Email: "z" + u.Email, Password: testutil.Password, Name: "z", ZoneCode: z.zone}, "x")
			if err != nil {
				t.Fatal(err)
			}
			reviewer = domain.Caller{UserID: su.ID, Role: domain.RoleZoneAdmin, ZoneCode: z.zone, ProvinceCode: z.prov}
		} else {
			su, err := st.CreateStaff(ctx, domain.StaffAccount{Role: domain.RoleProvinceAdmin, Email: "p" + u.Email, Password: testutil.Password, Name: "p", ProvinceCode: z.prov}, "x")
			if err != nil {
				t.Fatal(err)
			}
			reviewer = domain.Caller{UserID: su.ID, Role: domain.RoleProvinceAdmin, ProvinceCode: z.prov}
		}
		if _, err := st.VerifyEmployer(ctx, reviewer, e.ID); err != nil {
			t.Fatal(err)
		}
		emps = append(emps, emp{c: domain.Caller{UserID: u.ID, Role: domain.RoleEmployer, EmployerID: e.ID}, reviewer: reviewer})
	}
	var grads []domain.Caller
	for i := 0; i < 120; i++ {
		u, err := st.CreateGraduate(ctx, domain.GraduateRegistration{Email: "g" + itoa(i) + "@x.cn", Name: "g", University: "U",
			Degree: domain.Degrees[i%4], Major: "M", GraduationYear: 2026}, "x")
		if err != nil {
			t.Fatal(err)
		}
		grads = append(grads, domain.Caller{UserID: u.ID, Role: domain.RoleGraduate})
	}
	type opening struct {
		id  string
		emp emp
	}
	var openings []opening
	ministry := domain.Caller{UserID: emps[0].reviewer.UserID, Role: domain.RoleMinistryAdmin}
	var placements []string
	ops := 0
	for ops < 2500 {
		ops++
		switch r := rng.IntN(10); {
		case r < 2 || len(openings) == 0: // new opening, approved
			e := emps[rng.IntN(len(emps))]
			in := domain.OpeningInput{Title: "岗位", Discipline: "engineering", Industry: domain.IndustryCodes()[rng.IntN(5)], DegreeMin: "associate",
				Headcount: 1 + rng.IntN(4), City: "成都", SalaryMin: 1, SalaryMax: 2, Deadline: "2027-01-31"}
			o, _, err := st.CreateOpening(ctx, e.c, in)
			if err != nil {
				t.Fatal(err)
			}
			st.SubmitOpening(ctx, e.c, o.ID)
			if _, err := st.ApproveOpening(ctx, e.reviewer, o.ID); err != nil {
				t.Fatal(err)
			}
			openings = append(openings, opening{o.ID, e})
		case r < 3: // headcount edit and re-approval
			o := openings[rng.IntN(len(openings))]
			hc := 1 + rng.IntN(6)
			if _, err := st.UpdateOpening(ctx, o.emp.c, o.id, domain.OpeningPatch{Headcount: &hc}); err == nil {
				st.ApproveOpening(ctx, o.emp.reviewer, o.id)
			}
		case r < 8: // apply and hire, with a random month of this or last year
			o := openings[rng.IntN(len(openings))]
			g := grads[rng.IntN(len(grads))]
			// The graduate applied on the hire's day (a hire is never dated
			// before its application); the hire is recorded now.
			day := now.AddDate(0, 0, -rng.IntN(390))
			st.SetClock(func() time.Time { return day })
			app, _, err := st.Apply(ctx, g, domain.ApplyRequest{OpeningID: o.id})
			st.SetClock(func() time.Time { return now })
			if err != nil {
				continue // already applied, full, closed
			}
			st.Transition(ctx, o.emp.c, app.ID, domain.Transition{To: "offered"})
			st.Transition(ctx, g, app.ID, domain.Transition{To: "accepted"})
			res, err := st.Transition(ctx, o.emp.c, app.ID, domain.Transition{To: "hired", HiredOn: domain.DateOf(day).String()})
			if err == nil && res.PlacementID != nil {
				placements = append(placements, *res.PlacementID)
			}
		default: // revoke
			if len(placements) == 0 {
				continue
			}
			i := rng.IntN(len(placements))
			if _, err := st.RevokePlacement(ctx, ministry, placements[i], "随机撤销"); err != nil {
				t.Fatal(err)
			}
			placements = append(placements[:i], placements[i+1:]...)
		}
	}
	drift, err := st.CounterDrift(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(drift) > 0 {
		t.Fatalf("counters differ from a recount after %d operations:\n%v", ops, drift)
	}
	if len(placements) < 50 {
		t.Fatalf("the random run made only %d placements: not a real test", len(placements))
	}
}

// targetSources maps each province row of a national view to its
// target_source.
func targetSources(np map[string]any) map[string]any {
	got := map[string]any{}
	for _, r := range np["provinces"].([]any) {
		row := r.(map[string]any)
		got[row["code"].(string)] = row["target_source"]
	}
	return got
}

func itoa(i int) string { return strconv.Itoa(i) }

// TestProvinceAndNationalTargets: the ministry sets a province's (and the
// nation's) own targets, which replace the sum of the zones'.
func TestProvinceAndNationalTargets(t *testing.T) {
	a := testutil.NewApp(t)
	ministry := a.MinistryAdmin()
	sichuan := a.ProvinceAdmin("51")
	a.Must(http.StatusOK, "PUT", "/api/v1/zones/sichuan-chengdu/quotas/2026", sichuan.Token, map[string]int{"target_positions": 40, "target_placements": 4})
	pp := a.Must(http.StatusOK, "GET", "/api/v1/provinces/51/progress?year=2026", sichuan.Token, nil).JSON()
	if pp["target_placements"] != 4.0 || pp["target_source"] != "zones" {
		t.Fatalf("sum of zones: %v, said to come from %v", pp["target_placements"], pp["target_source"])
	}
	// Whether a target was set or summed is said, not left to be guessed
	// from the numbers (target_source).
	np := a.Must(http.StatusOK, "GET", "/api/v1/progress?year=2026", ministry.Token, nil).JSON()
	if got := targetSources(np); np["target_source"] != "provinces" || got["51"] != "zones" || got["11"] != "none" {
		t.Fatalf("before the ministry set any: nation %v, provinces %v", np["target_source"], got)
	}
	body := map[string]int{"target_positions": 900, "target_placements": 500}
	a.Must(http.StatusForbidden, "PUT", "/api/v1/provinces/51/quotas/2026", sichuan.Token, body)
	a.Must(http.StatusForbidden, "PUT", "/api/v1/provinces/51/quotas/2026", a.Graduate().Token, body)
	a.Must(http.StatusNotFound, "PUT", "/api/v1/provinces/99/quotas/2026", ministry.Token, body)
	a.Must(http.StatusUnprocessableEntity, "PUT", "/api/v1/provinces/51/quotas/2026", ministry.Token, map[string]int{"target_positions": -5, "target_placements": 1})
	a.Must(http.StatusUnprocessableEntity, "PUT", "/api/v1/provinces/51/quotas/1800", ministry.Token, body)
	a.Must(http.StatusBadRequest, "PUT", "/api/v1/provinces/51/quotas/2026", ministry.Token, `{"target_positions": "lots"}`)
	a.Must(http.StatusOK, "PUT", "/api/v1/provinces/51/quotas/2026", ministry.Token, body)
	// A walk set Sichuan's own target while the nation had none: the
	// national headline kept the zones' sum, the province rows beside it
	// said otherwise. Until the nation has its own target, it is the sum of
	// the provinces' targets as the rows show them.
	a.Must(http.StatusOK, "PUT", "/api/v1/zones/beijing-zhongguancun/quotas/2026", ministry.Token, map[string]int{"target_positions": 70, "target_placements": 7})
	np = a.Must(http.StatusOK, "GET", "/api/v1/progress?year=2026", ministry.Token, nil).JSON()
	if got := targetSources(np); np["target_source"] != "provinces" || got["51"] != "own" || got["11"] != "zones" {
		t.Fatalf("after Sichuan's own: nation %v, provinces %v", np["target_source"], got)
	}
	var rowsPositions, rowsPlacements float64
	for _, r := range np["provinces"].([]any) {
		rowsPositions += r.(map[string]any)["target_positions"].(float64)
		rowsPlacements += r.(map[string]any)["target_placements"].(float64)
	}
	if np["target_positions"] != 970.0 || np["target_placements"] != 507.0 || rowsPositions != 970 || rowsPlacements != 507 {
		t.Fatalf("nation %v/%v, its province rows %v/%v; want 900+70 and 500+7", np["target_positions"], np["target_placements"], rowsPositions, rowsPlacements)
	}
	a.Must(http.StatusOK, "PUT", "/api/v1/provinces/00/quotas/2026", ministry.Token, map[string]int{"target_positions": 140000, "target_placements": 100000})
	pp = a.Must(http.StatusOK, "GET", "/api/v1/provinces/51/progress?year=2026", sichuan.Token, nil).JSON()
	np = a.Must(http.StatusOK, "GET", "/api/v1/progress?year=2026", ministry.Token, nil).JSON()
	if pp["target_placements"] != 500.0 || np["target_placements"] != 100000.0 || pp["target_source"] != "own" || np["target_source"] != "own" {
		t.Fatalf("province %v (%v), nation %v (%v)", pp["target_placements"], pp["target_source"], np["target_placements"], np["target_source"])
	}
	var audits int
	testutil.SQL(t, a.DBURL).QueryRow(`SELECT count(*) FROM audit_log WHERE entity_type = 'province_quota'`).Scan(&audits)
	if audits != 2 {
		t.Fatalf("%d audit rows, want 2", audits)
	}
}

// The twenty-second round left /metrics without the programme's numbers.
// It carries them by province, read at scrape time through the national
// progress's own read: the same numbers GET /progress gives, a revoked
// placement leaving the count as it leaves the progress. A read serves
// scrapes for a while (the cache), and with Postgres down the scrape still
// answers, without them (TestPostgresDown).
func TestProgrammeCountsInMetrics(t *testing.T) {
	const cacheFor = 3 * time.Second
	a := testutil.NewApp(t, testutil.MetricsCacheFor(cacheFor))
	ministry := a.MinistryAdmin()
	now := time.Now()
	year, today := domain.DateOf(now).Year, domain.DateOf(now).String()
	cd, cdAdmin := a.Publisher()
	zl := a.VerifiedEmployer("51", "") // outside any zone: counts in the province
	o1 := a.Publish(cd, cdAdmin, map[string]any{"headcount": 5})
	o2 := a.Publish(zl, a.ProvinceAdmin("51"), map[string]any{"headcount": 3})
	is := func(want float64) func(float64) bool { return func(v float64) bool { return v == want } }
	const (
		placements = `gradzone_programme_placements{province="51"}`
		positions  = `gradzone_programme_positions_developed{province="51"}`
		hired      = `gradzone_programme_applications{province="51",status="hired"}`
		submitted  = `gradzone_programme_applications{province="51",status="submitted"}`
	)
	// Read once before the hires: the read serves scrapes for cacheFor.
	before := time.Now()
	metricsUntil(t, a, 10*time.Second, "before the hires", map[string]func(float64) bool{placements: is(0), positions: is(8),
		"gradzone_programme_up": is(1), "gradzone_programme_year": is(float64(year)), `gradzone_programme_placements{province="44"}`: is(0)})
	hireN(t, a, cd, o1, 2, today)
	hireN(t, a, zl, o2, 1, today)
	a.Applicant(o1, "") // an application still submitted
	if time.Since(before) < cacheFor {
		if v, _ := metricValue(string(a.Metrics("/metrics").Body), placements); v != 0 {
			t.Errorf("a scrape within %s of the last read read Postgres again: %v placements", cacheFor, v)
		}
	}
	// The gauges are the progress API's numbers, province by province,
	// and add up to the nation's.
	progress := func() (nation, sichuan map[string]any) {
		p := a.Must(http.StatusOK, "GET", "/api/v1/progress?year="+strconv.Itoa(year), ministry.Token, nil).JSON()
		for _, r := range p["provinces"].([]any) {
			if r.(map[string]any)["code"] == "51" {
				return p, r.(map[string]any)
			}
		}
		t.Fatal("no row for Sichuan in the national progress")
		return nil, nil
	}
	nation, sichuan := progress()
	if sichuan["placements"] != 3.0 || sichuan["positions_developed"] != 8.0 {
		t.Fatalf("Sichuan's progress after three hires: %v", sichuan)
	}
	body := metricsUntil(t, a, 10*time.Second, "after the hires", map[string]func(float64) bool{
		placements: is(sichuan["placements"].(float64)), positions: is(sichuan["positions_developed"].(float64)),
		hired: is(3), submitted: is(1)})
	var sum float64
	for _, line := range strings.Split(body, "\n") {
		if strings.HasPrefix(line, "gradzone_programme_placements{") {
			v, _ := strconv.ParseFloat(line[strings.LastIndex(line, " ")+1:], 64)
			sum += v
		}
	}
	if sum != nation["placements"] {
		t.Errorf("the provinces' gauges add up to %v, the nation's progress says %v", sum, nation["placements"])
	}
	// Labelled by province (and status) only: no zone, no user.
	if strings.Contains(body, `gradzone_programme_placements{province="51",`) || strings.Contains(body, "zone=") {
		t.Error("the programme's gauges carry more labels than the province")
	}

	// A revoked placement leaves the count, as it leaves the progress; its
	// application stays hired, as its history says.
	pl := a.Must(http.StatusOK, "GET", "/api/v1/placements?zone=sichuan-chengdu", cdAdmin.Token, nil).JSON()["items"].([]any)[0].(map[string]any)
	a.Must(http.StatusOK, "POST", "/api/v1/placements/"+pl["id"].(string)+"/revoke", cdAdmin.Token, map[string]string{"reason": "核查发现未到岗"})
	if _, sichuan = progress(); sichuan["placements"] != 2.0 {
		t.Fatalf("Sichuan's progress after a revoke: %v", sichuan)
	}
	metricsUntil(t, a, 10*time.Second, "after a revoke", map[string]func(float64) bool{placements: is(2), positions: is(8), hired: is(3)})
}
