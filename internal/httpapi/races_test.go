package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/testutil"
)

// A third probe of the running product sent writes in parallel and found
// answers of 200 whose change was then lost. Each test here sends the
// same kind of burst and checks that every write answered 200 stands.

// burst sends the n requests made by req at once and returns the answers.
func burst(n int, req func(i int) testutil.Response) []testutil.Response {
	var wg sync.WaitGroup
	out := make([]testutil.Response, n)
	for i := range out {
		wg.Go(func() { out[i] = req(i) })
	}
	wg.Wait()
	return out
}

// Two reviewers deciding one report at once: one decision and one 200;
// the others are told the report no longer awaits review.
func TestConcurrentReportReviewsDecideOnce(t *testing.T) {
	w, sichuan, ministry, today := reportWorld(t)
	a := w.a
	db := testutil.SQL(t, a.DBURL)
	year := today.Year - 1
	var zoneUsers int
	db.QueryRow(`SELECT count(*) FROM users WHERE zone_code = 'sichuan-chengdu'`).Scan(&zoneUsers)
	for month := 1; month <= 4; month++ {
		a.Must(http.StatusOK, "POST", "/api/v1/reports/monthly/submit", w.admin.Token, map[string]any{"zone": "sichuan-chengdu", "year": year, "month": month})
		res := burst(8, func(i int) testutil.Response {
			body := map[string]any{"zone": "sichuan-chengdu", "year": year, "month": month, "action": "accept"}
			if i%2 == 1 {
				body["action"], body["reason"] = "return", "数据有误请重报"
				return a.Do("POST", "/api/v1/reports/monthly/review", ministry.Token, body)
			}
			return a.Do("POST", "/api/v1/reports/monthly/review", sichuan.Token, body)
		})
		var said []string
		for _, r := range res {
			switch r.Status {
			case http.StatusOK:
				said = append(said, r.JSON()["state"].(string))
			case http.StatusConflict:
			default:
				t.Fatalf("month %d: review answered %d %s", month, r.Status, r.Body)
			}
		}
		var state string
		var audits, notices int
		db.QueryRow(`SELECT status FROM monthly_reports WHERE zone_code = 'sichuan-chengdu' AND year = $1 AND month = $2 ORDER BY version DESC LIMIT 1`, year, month).Scan(&state)
		db.QueryRow(`SELECT count(*) FROM audit_log WHERE kind IN ('report.accepted', 'report.returned') AND entity_id LIKE $1`,
			fmt.Sprintf("sichuan-chengdu/%d-%02d/%%", year, month)).Scan(&audits)
		db.QueryRow(`SELECT count(*) FROM notifications WHERE kind = 'report_returned' AND params->>'year' = $1 AND params->>'month' = $2`,
			fmt.Sprint(year), fmt.Sprintf("%02d", month)).Scan(&notices)
		wantNotices := 0
		if state == "returned" {
			wantNotices = zoneUsers
		}
		if len(said) != 1 || said[0] != state || audits != 1 || notices != wantNotices {
			t.Fatalf("month %d: the 200s said %v; the report is %s, with %d review audits and %d returned notices (want %d)",
				month, said, state, audits, notices, wantNotices)
		}
	}
}

// Parallel profile edits of different fields: each answered 200, so each
// field is stored.
func TestConcurrentProfileEditsAllStand(t *testing.T) {
	a := testutil.NewApp(t)
	g := a.Graduate()
	for trial := range 5 {
		want := map[string]any{
			"phone":            fmt.Sprintf("1381234%04d", trial),
			"skills":           []any{fmt.Sprintf("Go%d", trial)},
			"statement":        fmt.Sprintf("第%d次修改", trial),
			"preferred_cities": []any{[]string{"成都", "绵阳", "北京", "上海", "深圳"}[trial]},
			"major":            fmt.Sprintf("计算机%d", trial),
		}
		var fields []string
		for f := range want {
			fields = append(fields, f)
		}
		for _, r := range burst(len(fields), func(i int) testutil.Response {
			return a.Do("PATCH", "/api/v1/me/profile", g.Token, map[string]any{fields[i]: want[fields[i]]})
		}) {
			if r.Status != http.StatusOK {
				t.Fatalf("profile edit: %d %s", r.Status, r.Body)
			}
		}
		got := a.Must(http.StatusOK, "GET", "/api/v1/me", g.Token, nil).JSON()["graduate"].(map[string]any)
		for f, v := range want {
			if fmt.Sprint(got[f]) != fmt.Sprint(v) {
				t.Errorf("trial %d: %s is %v, want %v (answered 200)", trial, f, got[f], v)
			}
		}
	}
}

// Parallel changes of different mail kinds: each answered 200, so each
// kind ends as it was set.
func TestConcurrentMailPreferenceChangesAllStand(t *testing.T) {
	a := testutil.NewApp(t)
	g := a.Graduate()
	var kinds []string
	for k := range a.Must(http.StatusOK, "GET", "/api/v1/me/notifications/preferences", g.Token, nil).JSON()["kinds"].(map[string]any) {
		if info, _ := domain.MailKind(k).Info(); !info.Fixed {
			kinds = append(kinds, k)
		}
	}
	slices.Sort(kinds)
	if len(kinds) < 3 {
		t.Fatalf("too few kinds to race: %v", kinds)
	}
	for _, on := range []bool{false, true, false, true} {
		for _, r := range burst(len(kinds), func(i int) testutil.Response {
			return a.Do("PUT", "/api/v1/me/notifications/preferences", g.Token, map[string]any{"kinds": map[string]bool{kinds[i]: on}})
		}) {
			if r.Status != http.StatusOK {
				t.Fatalf("preference change: %d %s", r.Status, r.Body)
			}
		}
		got := a.Must(http.StatusOK, "GET", "/api/v1/me/notifications/preferences", g.Token, nil).JSON()["kinds"].(map[string]any)
		for _, k := range kinds {
			if got[k] != on {
				t.Errorf("%s is %v after every change to %v answered 200", k, got[k], on)
			}
		}
	}
}

// Confirming two-step sign-in while another tab asks for a new key: if the
// confirmation answers 200, the key turned on is the one its code came from.
func TestTOTPConfirmRacingANewKey(t *testing.T) {
	a := testutil.NewApp(t)
	next := a.TOTPClock()
	for trial := range 10 {
		g := a.Graduate()
		var e domain.TOTPEnrolment
		a.Must(http.StatusCreated, "POST", "/api/v1/me/totp", g.Token, nil).Decode(t, &e)
		right := a.TOTPCode(e.Secret)
		res := burst(4, func(i int) testutil.Response {
			if i == 0 {
				return a.Do("POST", "/api/v1/me/totp/confirm", g.Token, map[string]string{"code": right})
			}
			return a.Do("POST", "/api/v1/me/totp", g.Token, nil)
		})
		if res[0].Status != http.StatusOK {
			continue // a new key came first: nothing turned on with this code
		}
		next()
		if r := a.Do("POST", "/api/v1/auth/login", "", totpLogin(g.Email, a.TOTPCode(e.Secret))); r.Status != http.StatusOK {
			t.Fatalf("trial %d: confirmed with the first key's code, but its codes no longer sign in: %d %s", trial, r.Status, r.Body)
		}
	}
}

// Turning two-step sign-in off with the right password and wrong codes is
// guessing the code: it counts like a failed sign-in, and after ten the
// account is refused for a while (the right password used to clear the
// count each time).
func TestTOTPOffWrongCodesThrottled(t *testing.T) {
	a := testutil.NewApp(t)
	a.TOTPClock()
	g := a.Graduate()
	secret, _ := a.EnableTOTP(g)
	wrong := otherCode(a.TOTPCode(secret))
	off := map[string]string{"password": testutil.Password, "code": wrong}
	for i := range 10 {
		if r := a.Do("DELETE", "/api/v1/me/totp", g.Token, off); r.Status != http.StatusUnprocessableEntity || r.Field("code") != domain.ReasonWrongTOTP {
			t.Fatalf("wrong code %d: %d %s", i+1, r.Status, r.Body)
		}
	}
	off["code"] = a.TOTPCode(secret)
	if r := a.Do("DELETE", "/api/v1/me/totp", g.Token, off); r.Status != http.StatusTooManyRequests {
		t.Fatalf("after ten wrong codes, the right one: %d %s (want 429)", r.Status, r.Body)
	}
	if st := a.Must(http.StatusOK, "GET", "/api/v1/me/totp", g.Token, nil).JSON(); st["enabled"] != true {
		t.Fatal("turned off while throttled")
	}
}

// A review: a graduate registering while staff cancel the event read it
// before the cancellation and committed after it, so the registration was
// confirmed with the old details and never told of the cancellation. Now
// each registration either is refused (409) or is among those the
// cancellation mails.
func TestRegistrationRacingACancellation(t *testing.T) {
	mp := testutil.NewMailpit(t)
	a := testutil.NewApp(t)
	admin := a.ZoneAdmin("sichuan-chengdu")
	start := time.Now().Add(72 * time.Hour)
	for round := range 4 {
		id := a.Must(http.StatusCreated, "POST", "/api/v1/events", admin.Token, eventBody("sichuan-chengdu", start, start.Add(time.Hour))).JSON()["id"].(string)
		// who[i] registers; the request in the middle (nil) cancels.
		who := make([]*testutil.Account, 9)
		for i := range who {
			if i != len(who)/2 {
				g := a.Graduate()
				a.MarkVerified(g.ID)
				who[i] = &g
			}
		}
		res := burst(len(who), func(i int) testutil.Response {
			if who[i] == nil {
				return a.Do("POST", "/api/v1/events/"+id+"/cancel", admin.Token, map[string]any{"reason": "场地临时不可用"})
			}
			return a.Do("POST", "/api/v1/events/"+id+"/registrations", who[i].Token, nil)
		})
		for i, r := range res {
			switch {
			case who[i] == nil && r.Status != http.StatusOK:
				t.Fatalf("round %d: the cancellation: %d %s", round, r.Status, r.Body)
			case who[i] == nil, r.Status == http.StatusConflict:
			case r.Status == http.StatusCreated:
				mp.WaitForSubject(who[i].Email, "活动已取消", 30*time.Second)
			default:
				t.Fatalf("round %d: a registration: %d %s", round, r.Status, r.Body)
			}
		}
	}
}

// A numbers probe: a report read in several statements (the counters, last
// year's, the province's, the targets, the breakdowns) met a hire that
// committed between them, and a zone froze a report of 1 placement whose
// breakdowns counted 2 (its province share was of another moment too):
// the ministry's workbook then read a breakdown that does not add up to
// the total, for good. The test holds the report at its read of the
// targets (a lock on zone_quotas) while a hire commits; a report, read or
// submitted, is of one moment, and so is a progress page (the nation's
// had no test: without its snapshot its provinces added up to 3 of 2).
func TestReportOfOneMomentDuringAHire(t *testing.T) {
	w, sichuan, ministry, today := reportWorld(t)
	a := w.a
	db := testutil.SQL(t, a.DBURL)
	hireN(t, a, w.emp, w.opening, 1, today.String())
	q := fmt.Sprintf("zone=sichuan-chengdu&year=%d&month=%d", today.Year, today.Month)
	sub := map[string]any{"zone": "sichuan-chengdu", "year": today.Year, "month": today.Month}
	waiting := func(table string) bool {
		var n int
		if err := db.QueryRow(`SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = $1::regclass`, table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n > 0
	}
	// The province's report adds up too, and to its zones' and the
	// employers' outside any zone (no zone report is frozen before it).
	provinceAddsUp := func(name string, r map[string]any) {
		addsUp(t, name, r)
		sum := r["zoneless_placements"].(float64)
		for _, z := range r["zones"].([]any) {
			sum += z.(map[string]any)["placements"].(float64)
		}
		if sum != r["placements"].(float64) {
			t.Errorf("the %s report: its zones and the rest add up to %v, its placements are %v", name, sum, r["placements"])
		}
	}
	// The nation's progress too: its provinces' rows add up to its
	// placements. Its own target, so that it reads the zones' targets
	// only for its zone rows, after its counters and breakdowns.
	if _, err := db.Exec(`INSERT INTO province_quotas (province_code, year, target_positions, target_placements) VALUES ('00', $1, 100, 50)`, today.Year); err != nil {
		t.Fatal(err)
	}
	nationAddsUp := func(name string, p map[string]any) {
		addsUp(t, name, p)
		sum := 0.0
		for _, pr := range p["provinces"].([]any) {
			sum += pr.(map[string]any)["placements"].(float64)
		}
		if sum != p["placements"].(float64) {
			t.Errorf("the %s: its provinces add up to %v, its placements are %v", name, sum, p["placements"])
		}
	}
	for _, read := range []struct {
		name  string
		do    func() testutil.Response
		check func(string, map[string]any)
	}{
		{"read", func() testutil.Response { return a.Do("GET", "/api/v1/reports/monthly?"+q, w.admin.Token, nil) }, nil},
		{"nation's progress", func() testutil.Response {
			return a.Do("GET", fmt.Sprintf("/api/v1/progress?year=%d", today.Year), ministry.Token, nil)
		}, nationAddsUp},
		{"province's", func() testutil.Response {
			return a.Do("POST", "/api/v1/reports/monthly/province/submit", sichuan.Token, map[string]any{"province": "51", "year": today.Year, "month": today.Month})
		}, provinceAddsUp},
		{"submitted", func() testutil.Response {
			return a.Do("POST", "/api/v1/reports/monthly/submit", w.admin.Token, sub)
		}, nil},
	} {
		_, app := w.accepted()
		hold, err := db.Begin()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := hold.Exec(`LOCK TABLE zone_quotas IN ACCESS EXCLUSIVE MODE`); err != nil {
			t.Fatal(err)
		}
		report, hired := make(chan testutil.Response, 1), make(chan testutil.Response, 1)
		go func() { report <- read.do() }()
		testutil.Eventually(t, 10*time.Second, 20*time.Millisecond, func() string {
			if !waiting("zone_quotas") {
				return "the report does not wait at the targets"
			}
			return ""
		})
		go func() { hired <- w.move(w.emp.Token, app, "hired") }()
		// The hire commits, or waits for the report to be read.
		deadline := time.Now().Add(10 * time.Second)
		for len(hired) == 0 && !waiting("progress_counters") && !waiting("placement_breakdowns") && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		if err := hold.Rollback(); err != nil {
			t.Fatal(err)
		}
		r, h := <-report, <-hired
		if r.Status != http.StatusOK || h.Status != http.StatusOK {
			t.Fatalf("%s report %d %s, hire %d %s", read.name, r.Status, r.Body, h.Status, h.Body)
		}
		if read.check == nil {
			read.check = func(name string, r map[string]any) { addsUp(t, name, r) }
		}
		read.check(read.name, r.JSON())
	}
	// The frozen report still adds up, read later.
	frozen := a.Must(http.StatusOK, "GET", "/api/v1/reports/monthly?"+q, w.admin.Token, nil).JSON()
	if frozen["status"] != "submitted" {
		t.Fatalf("the submitted report: %v", frozen)
	}
	addsUp(t, "frozen", frozen)
}

// addsUp checks that each breakdown of a report adds up to its placements.
func addsUp(t *testing.T, name string, report map[string]any) {
	t.Helper()
	for _, d := range domain.Dimensions {
		sum := 0.0
		for _, n := range report[d.Field].(map[string]any) {
			sum += n.(float64)
		}
		if sum != report["placements"].(float64) {
			t.Errorf("the %s report: %s adds up to %v, its placements are %v", name, d.Field, sum, report["placements"])
		}
	}
}

// lockCounts takes the three count tables in the order every writer does:
// hires, a revoke, an approval, a rebuild of the counters, a zone's and its
// province's submissions all at once end without a deadlock (s.tx retries
// a deadlock's victim, so the database's own count of them is read), and
// the frozen zone report adds up.
func TestCountWritersAndSubmissionsNeverDeadlock(t *testing.T) {
	w, sichuan, _, today := reportWorld(t)
	a := w.a
	db := testutil.SQL(t, a.DBURL)
	hireN(t, a, w.emp, w.opening, 1, today.String())
	var revoking string
	if err := db.QueryRow(`SELECT id FROM placements LIMIT 1`).Scan(&revoking); err != nil {
		t.Fatal(err)
	}
	var apps []string
	for range 6 {
		_, app := w.accepted()
		apps = append(apps, app)
	}
	draft := a.Must(http.StatusCreated, "POST", "/api/v1/openings", w.emp.Token, testutil.OpeningBody(nil)).JSON()["id"].(string)
	a.Must(http.StatusOK, "POST", "/api/v1/openings/"+draft+"/submit", w.emp.Token, nil)
	deadlocks := func() (n int64) {
		if _, err := db.Exec(`SELECT pg_stat_clear_snapshot()`); err != nil {
			t.Fatal(err)
		}
		if err := db.QueryRow(`SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := deadlocks()
	month := map[string]any{"zone": "sichuan-chengdu", "year": today.Year, "month": today.Month}
	var wg sync.WaitGroup
	answers := make(chan testutil.Response, 16)
	do := func(f func() testutil.Response) { wg.Go(func() { answers <- f() }) }
	for _, app := range apps {
		do(func() testutil.Response { return w.move(w.emp.Token, app, "hired") })
	}
	do(func() testutil.Response {
		return a.Do("POST", "/api/v1/placements/"+revoking+"/revoke", w.admin.Token, map[string]string{"reason": "重复登记"})
	})
	do(func() testutil.Response {
		return a.Do("POST", "/api/v1/openings/"+draft+"/approve", w.admin.Token, nil)
	})
	do(func() testutil.Response { return a.Do("POST", "/api/v1/reports/monthly/submit", w.admin.Token, month) })
	do(func() testutil.Response {
		return a.Do("POST", "/api/v1/reports/monthly/province/submit", sichuan.Token, map[string]any{"province": "51", "year": today.Year, "month": today.Month})
	})
	rebuilt := make(chan error, 1)
	wg.Go(func() { rebuilt <- a.Server.Store.RebuildCounters(context.Background()) })
	wg.Wait()
	close(answers)
	for r := range answers {
		if r.Status != http.StatusOK {
			t.Errorf("%d %s", r.Status, r.Body)
		}
	}
	if err := <-rebuilt; err != nil {
		t.Fatal(err)
	}
	// The statistics reach pg_stat_database when a backend is idle (at
	// most a second later).
	time.Sleep(1500 * time.Millisecond)
	if n := deadlocks() - before; n != 0 {
		t.Errorf("%d deadlocks among the count writers and the submissions", n)
	}
	addsUp(t, "frozen", a.Must(http.StatusOK, "GET", fmt.Sprintf("/api/v1/reports/monthly?zone=sichuan-chengdu&year=%d&month=%d", today.Year, today.Month), w.admin.Token, nil).JSON())
}
