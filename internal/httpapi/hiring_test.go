package httpapi_test

import (
	"context"
	"fmt"
	"mime"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/testutil"
)

type world struct {
	a       *testutil.App
	emp     testutil.Account
	admin   testutil.Account
	opening string
}

func newWorld(t *testing.T, headcount int) world {
	a := testutil.NewApp(t)
	emp, admin, id := a.PublishedOpening(map[string]any{"headcount": headcount})
	return world{a: a, emp: emp, admin: admin, opening: id}
}

func (w world) apply(g testutil.Account, opening string) string {
	return w.a.Apply(g, opening, "您好")
}

// shortlist moves applications on w's opening to shortlisted, the step
// before an interview is offered.
func (w world) shortlist(apps ...string) {
	for _, app := range apps {
		w.a.Must(http.StatusOK, "POST", "/api/v1/applications/"+app+"/transitions", w.emp.Token, map[string]any{"to": "shortlisted"})
	}
}

// accepted is an offer a new graduate has accepted on w's opening: the
// graduate and the application, one step before a hire.
func (w world) accepted() (testutil.Account, string) {
	g := w.a.Graduate()
	app := w.apply(g, w.opening)
	w.move(w.emp.Token, app, "offered")
	w.move(g.Token, app, "accepted")
	return g, app
}

func (w world) move(tok, app, to string, extra ...string) testutil.Response {
	body := map[string]string{"to": to}
	if to == "hired" {
		body["hired_on"] = domain.DateOf(time.Now()).String()
	}
	for i := 0; i+1 < len(extra); i += 2 {
		body[extra[i]] = extra[i+1]
	}
	return w.a.Do("POST", "/api/v1/applications/"+app+"/transitions", tok, body)
}

// paths reach each status by allowed moves: (side, to) pairs.
var paths = map[string][][2]string{
	"submitted":   {},
	"shortlisted": {{"e", "shortlisted"}},
	"interview":   {{"e", "shortlisted"}, {"e", "interview"}},
	"offered":     {{"e", "offered"}},
	"accepted":    {{"e", "offered"}, {"g", "accepted"}},
	"hired":       {{"e", "offered"}, {"g", "accepted"}, {"e", "hired"}},
	"rejected":    {{"e", "rejected"}},
	"withdrawn":   {{"g", "withdrawn"}},
	"declined":    {{"e", "offered"}, {"g", "declined"}},
}

var allowed = map[string][]string{
	"submitted":   {"shortlisted", "offered", "rejected", "withdrawn"},
	"shortlisted": {"interview", "offered", "rejected", "withdrawn"},
	"interview":   {"offered", "rejected", "withdrawn"},
	"offered":     {"accepted", "declined", "rejected", "withdrawn"},
	"accepted":    {"hired", "withdrawn"},
}

func TestEveryTransitionRule(t *testing.T) {
	w := newWorld(t, 50)
	other := w.a.VerifiedEmployer("51", "sichuan-chengdu")
	otherZone := w.a.ZoneAdmin("sichuan-mianyang")
	stranger := w.a.Graduate()
	employerMoves := []string{"shortlisted", "interview", "offered", "rejected", "hired"}
	graduateMoves := []string{"accepted", "declined", "withdrawn"}
	for from, path := range paths {
		g := w.a.Graduate()
		app := w.apply(g, w.opening)
		for _, step := range path {
			tok := w.emp.Token
			if step[0] == "g" {
				tok = g.Token
			}
			if r := w.move(tok, app, step[1]); r.Status != 200 {
				t.Fatalf("reaching %s: %s → %d %s", from, step[1], r.Status, r.Body)
			}
		}
		ok := func(to string) bool {
			for _, x := range allowed[from] {
				if x == to {
					return true
				}
			}
			return false
		}
		for _, to := range employerMoves {
			if !ok(to) {
				if r := w.move(w.emp.Token, app, to); r.Status != 409 || r.ErrorCode() != "invalid_transition" {
					t.Errorf("%s→%s by employer: %d %s", from, to, r.Status, r.Body)
				}
			}
			if r := w.move(g.Token, app, to); r.Status != 403 {
				t.Errorf("%s→%s by graduate (wrong side): %d", from, to, r.Status)
			}
		}
		for _, to := range graduateMoves {
			if !ok(to) {
				if r := w.move(g.Token, app, to); r.Status != 409 || r.ErrorCode() != "invalid_transition" {
					t.Errorf("%s→%s by graduate: %d %s", from, to, r.Status, r.Body)
				}
			}
			if r := w.move(w.emp.Token, app, to); r.Status != 403 {
				t.Errorf("%s→%s by employer (wrong side): %d", from, to, r.Status)
			}
		}
		// Outside scope: 404, whatever the move.
		for _, acc := range []testutil.Account{other, stranger, otherZone} {
			if r := w.move(acc.Token, app, "shortlisted"); r.Status != 404 {
				t.Errorf("%s: out-of-scope move answered %d", from, r.Status)
			}
		}
		// Staff in scope may read but not move: 403.
		if r := w.move(w.admin.Token, app, "shortlisted"); r.Status != 403 {
			t.Errorf("%s: staff move answered %d", from, r.Status)
		}
		if r := w.move(w.emp.Token, app, "ghosted"); r.Status != 422 {
			t.Errorf("unknown status: %d", r.Status)
		}
	}
	// Hiring needs a valid, non-future hired_on.
	g, app := w.accepted()
	for _, bad := range []string{"", "2026-02-30", "tomorrow", domain.DateOf(time.Now()).AddDays(1).String()} {
		r := w.a.Do("POST", "/api/v1/applications/"+app+"/transitions", w.emp.Token, map[string]string{"to": "hired", "hired_on": bad})
		if r.Status != 422 || r.Field("hired_on") == "" {
			t.Errorf("hired_on %q: %d %s", bad, r.Status, r.Body)
		}
	}
	// History is recorded with actor and note, readable by both sides.
	w.move(w.emp.Token, app, "hired", "note", "欢迎加入")
	h := w.a.Must(http.StatusOK, "GET", "/api/v1/applications/"+app, g.Token, nil).JSON()["history"].([]any)
	last := h[len(h)-1].(map[string]any)
	if len(h) != 4 || last["to"] != "hired" || last["note"] != "欢迎加入" || last["actor_role"] != "employer" {
		t.Fatalf("history: %v", h)
	}
	w.a.Must(http.StatusOK, "GET", "/api/v1/applications/"+app, w.emp.Token, nil)
	w.a.Must(http.StatusNotFound, "GET", "/api/v1/applications/"+app, other.Token, nil)
	w.a.Must(http.StatusNotFound, "GET", "/api/v1/applications/"+app, stranger.Token, nil)
	w.a.Must(http.StatusNotFound, "GET", "/api/v1/applications/"+app, otherZone.Token, nil)
	w.a.Must(http.StatusOK, "GET", "/api/v1/applications/"+app, w.admin.Token, nil)
	// Each move notified the other side.
	n := w.a.Must(http.StatusOK, "GET", "/api/v1/notifications", g.Token, nil).JSON()
	if n["total"].(float64) != 2 { // offered, hired
		t.Fatalf("graduate notifications: %v", n["total"])
	}
}

func TestApplyRules(t *testing.T) {
	w := newWorld(t, 1)
	g := w.a.Graduate()
	r := w.a.Must(http.StatusCreated, "POST", "/api/v1/openings/"+w.opening+"/applications", g.Token, map[string]string{"cover_letter": "<b>Hi</b> 🎓"})
	app := r.JSON()
	if app["status"] != "submitted" || app["opening_id"] != w.opening || app["id"] == "" {
		t.Fatalf("apply: %v", app)
	}
	if code := w.a.Must(http.StatusConflict, "POST", "/api/v1/openings/"+w.opening+"/applications", g.Token, map[string]string{}).ErrorCode(); code != "already_applied" {
		t.Fatal(code)
	}
	w.a.Must(http.StatusForbidden, "POST", "/api/v1/openings/"+w.opening+"/applications", w.emp.Token, nil)
	w.a.Must(http.StatusForbidden, "POST", "/api/v1/openings/"+w.opening+"/applications", w.admin.Token, nil)
	w.a.Must(http.StatusUnauthorized, "POST", "/api/v1/openings/"+w.opening+"/applications", "", nil)
	w.a.Must(http.StatusNotFound, "POST", "/api/v1/openings/nope/applications", g.Token, nil)
	w.a.Must(http.StatusBadRequest, "POST", "/api/v1/openings/"+w.opening+"/applications", w.a.Graduate().Token, `{"cover_letter": 5}`)

	// Idempotency-Key: same key and body → same response; other body → 422.
	g2 := w.a.Graduate()
	id2 := w.emp // silence
	_ = id2
	draft := w.a.Must(http.StatusCreated, "POST", "/api/v1/openings", w.emp.Token, testutil.OpeningBody(nil)).JSON()["id"].(string)
	w.a.Must(http.StatusNotFound, "POST", "/api/v1/openings/"+draft+"/applications", g2.Token, nil)
	first := w.a.Must(http.StatusCreated, "POST", "/api/v1/openings/"+w.opening+"/applications", g2.Token, map[string]string{"cover_letter": "a"}, "Idempotency-Key", "k-123")
	again := w.a.Must(http.StatusCreated, "POST", "/api/v1/openings/"+w.opening+"/applications", g2.Token, map[string]string{"cover_letter": "a"}, "Idempotency-Key", "k-123")
	if first.JSON()["id"] != again.JSON()["id"] || again.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("replay: %s vs %s", first.Body, again.Body)
	}
	// The contract's 422 is validation_failed, naming the field (a contract
	// audit: a code of our own there is one a client does not know).
	if r := w.a.Must(http.StatusUnprocessableEntity, "POST", "/api/v1/openings/"+w.opening+"/applications", g2.Token, map[string]string{"cover_letter": "b"}, "Idempotency-Key", "k-123"); r.ErrorCode() != "validation_failed" ||
		r.Field("Idempotency-Key") != "was used with a different request (another opening or body)" {
		t.Fatalf("the key again with another body: %s", r.Body)
	}
	// Concurrent requests with one key make one application.
	g3 := w.a.Graduate()
	var wg sync.WaitGroup
	statuses := make([]int, 10)
	for i := range statuses {
		wg.Go(func() {
			statuses[i] = w.a.Do("POST", "/api/v1/openings/"+w.opening+"/applications", g3.Token, map[string]string{"cover_letter": "c"}, "Idempotency-Key", "same").Status
		})
	}
	wg.Wait()
	for _, s := range statuses {
		if s != 201 {
			t.Fatalf("concurrent idempotent apply: %v", statuses)
		}
	}
	var n int
	testutil.SQL(t, w.a.DBURL).QueryRow(`SELECT count(*) FROM applications WHERE graduate_id = $1`, g3.ID).Scan(&n)
	if n != 1 {
		t.Fatalf("%d applications", n)
	}
	// A closed opening takes no applications.
	w.a.Must(http.StatusOK, "POST", "/api/v1/openings/"+w.opening+"/close", w.emp.Token, nil)
	if code := w.a.Must(http.StatusConflict, "POST", "/api/v1/openings/"+w.opening+"/applications", w.a.Graduate().Token, nil).ErrorCode(); code != "opening_closed" {
		t.Fatal(code)
	}
	// Lists follow scope.
	if m := w.a.Must(http.StatusOK, "GET", "/api/v1/applications", g.Token, nil).JSON(); m["total"].(float64) != 1 {
		t.Fatalf("graduate list %v", m["total"])
	}
	if m := w.a.Must(http.StatusOK, "GET", "/api/v1/applications?opening_id="+w.opening+"&status=submitted", w.emp.Token, nil).JSON(); m["total"].(float64) != 3 {
		t.Fatalf("employer list %v", m["total"])
	}
	other := w.a.VerifiedEmployer("51", "sichuan-chengdu")
	if m := w.a.Must(http.StatusOK, "GET", "/api/v1/applications", other.Token, nil).JSON(); m["total"].(float64) != 0 {
		t.Fatalf("other employer sees %v", m["total"])
	}
	w.a.Must(http.StatusUnprocessableEntity, "GET", "/api/v1/applications?status=lost", g.Token, nil)
}

// TestConcurrentHireMakesOnePlacement: 50 concurrent "hired" on one application.
func TestConcurrentHireMakesOnePlacement(t *testing.T) {
	w := newWorld(t, 5)
	_, app := w.accepted()
	var wg sync.WaitGroup
	codes := make([]int, 50)
	for i := range codes {
		wg.Go(func() {
			codes[i] = w.move(w.emp.Token, app, "hired").Status
		})
	}
	wg.Wait()
	ok := 0
	for _, c := range codes {
		switch c {
		case 200:
			ok++
		case 409:
		default:
			t.Errorf("status %d", c)
		}
	}
	var n int
	testutil.SQL(t, w.a.DBURL).QueryRow(`SELECT count(*) FROM placements WHERE application_id = $1`, app).Scan(&n)
	if ok != 1 || n != 1 {
		t.Fatalf("%d successes, %d placements", ok, n)
	}
	p := w.a.Must(http.StatusOK, "GET", "/api/v1/zones/sichuan-chengdu/progress", w.admin.Token, nil).JSON()
	if p["placements"].(float64) != 1 {
		t.Fatalf("progress counts %v", p["placements"])
	}
}

func TestGraduatePlacedOncePerYear(t *testing.T) {
	w := newWorld(t, 5)
	emp2 := w.a.VerifiedEmployer("44", "guangdong-shenzhen")
	admin2 := w.a.ZoneAdmin("guangdong-shenzhen")
	op2 := w.a.Publish(emp2, admin2, nil)
	g := w.a.Graduate()
	a1, a2 := w.apply(g, w.opening), w.apply(g, op2)
	for _, x := range []struct {
		emp testutil.Account
		app string
	}{{w.emp, a1}, {emp2, a2}} {
		w.move(x.emp.Token, x.app, "offered")
		w.move(g.Token, x.app, "accepted")
	}
	var wg sync.WaitGroup
	var r1, r2 testutil.Response
	wg.Go(func() { r1 = w.move(w.emp.Token, a1, "hired") })
	wg.Go(func() { r2 = w.move(emp2.Token, a2, "hired") })
	wg.Wait()
	codes := []string{fmt.Sprint(r1.Status, r1.ErrorCode()), fmt.Sprint(r2.Status, r2.ErrorCode())}
	if !(codes[0] == "200" && codes[1] == "409already_placed") && !(codes[1] == "200" && codes[0] == "409already_placed") {
		t.Fatalf("two employers hiring one graduate: %v", codes)
	}
	var n int
	testutil.SQL(t, w.a.DBURL).QueryRow(`SELECT count(*) FROM placements WHERE graduate_id = $1`, g.ID).Scan(&n)
	if n != 1 {
		t.Fatalf("%d placements", n)
	}
	me := w.a.Must(http.StatusOK, "GET", "/api/v1/me", g.Token, nil).JSON()
	if me["graduate"].(map[string]any)["placed_this_year"] != true {
		t.Fatal("graduate is not told it is placed")
	}
	// A walk: the employer that lost kept an accepted applicant with a Hire
	// button that could only fail, and was never told. Its application
	// says the graduate was placed elsewhere, and it is notified.
	won, lost, lostApp := w.emp, emp2, a2
	if r2.Status == http.StatusOK {
		won, lost, lostApp = emp2, w.emp, a1
	}
	wonApp := map[string]string{a1: a2, a2: a1}[lostApp]
	if got := w.a.Must(http.StatusOK, "GET", "/api/v1/applications/"+lostApp, lost.Token, nil).JSON()["placed_elsewhere"]; got != true {
		t.Errorf("the other employer's application: placed_elsewhere %v", got)
	}
	if got := w.a.Must(http.StatusOK, "GET", "/api/v1/applications/"+wonApp, won.Token, nil).JSON()["placed_elsewhere"]; got != nil {
		t.Errorf("the hiring employer's application: placed_elsewhere %v", got)
	}
	body := string(w.a.Must(http.StatusOK, "GET", "/api/v1/notifications", lost.Token, nil).Body)
	if !strings.Contains(body, `"kind":"application_placed_elsewhere"`) || !strings.Contains(body, "/applications/"+lostApp) {
		t.Errorf("the other employer is not told:\n%s", body)
	}
}

func TestHeadcountCapUnderConcurrency(t *testing.T) {
	w := newWorld(t, 3)
	var apps []string
	var grads []testutil.Account
	for i := 0; i < 8; i++ {
		g, app := w.accepted()
		apps, grads = append(apps, app), append(grads, g)
	}
	w.a.WaitIndexed(30 * time.Second)
	var wg sync.WaitGroup
	res := make([]testutil.Response, len(apps))
	for i, app := range apps {
		wg.Go(func() { res[i] = w.move(w.emp.Token, app, "hired") })
	}
	wg.Wait()
	hired, full := 0, 0
	for _, r := range res {
		switch {
		case r.Status == 200:
			hired++
		case r.Status == 409 && r.ErrorCode() == "opening_full":
			full++
		default:
			t.Errorf("%d %s", r.Status, r.Body)
		}
	}
	if hired != 3 || full != 5 {
		t.Fatalf("hired %d, full %d", hired, full)
	}
	// Full: the opening leaves search and takes no applications.
	w.a.WaitIndexed(30 * time.Second)
	if m := w.a.Search(""); m["total"].(float64) != 0 {
		t.Fatalf("a full opening is still listed: %v", m["total"])
	}
	if code := w.a.Must(http.StatusConflict, "POST", "/api/v1/openings/"+w.opening+"/applications", w.a.Graduate().Token, nil).ErrorCode(); code != "opening_closed" {
		t.Fatal(code)
	}
}

// TestHireCountsInShanghaiMonth: hired_on 2026-08-31 recorded at 2026-09-01
// 00:30 Shanghai (still 31 August in UTC) counts in August 2026; and at that
// moment "2026-09-01" is today, not the future.
// An API probe hired a graduate, already placed this year, a second time
// with hired_on in last December: 200, a second active placement, in last
// year's figures, for an application made this week. A hire is often
// recorded late, but never dated before the graduate applied
// (Asia/Shanghai): that is 422 and nothing is placed.
func TestHireNotBeforeTheApplication(t *testing.T) {
	w := newWorld(t, 5)
	at := time.Date(2026, 3, 10, 9, 0, 0, 0, domain.Shanghai)
	w.a.Server.Store.SetClock(func() time.Time { return at })
	g, app := w.accepted() // applied on 2026-03-10
	w.a.Server.Store.SetClock(func() time.Time { return at.AddDate(0, 0, 20) })
	for _, early := range []string{"2026-03-09", "2025-12-31"} {
		r := w.a.Do("POST", "/api/v1/applications/"+app+"/transitions", w.emp.Token, map[string]string{"to": "hired", "hired_on": early})
		if r.Status != http.StatusUnprocessableEntity || r.Field("hired_on") != "cannot be before the application was made (Asia/Shanghai)" {
			t.Errorf("hired_on %s for an application of 2026-03-10: %d %s", early, r.Status, r.Body)
		}
	}
	var n int
	testutil.SQL(t, w.a.DBURL).QueryRow(`SELECT count(*) FROM placements WHERE graduate_id = $1`, g.ID).Scan(&n)
	if n != 0 {
		t.Fatalf("%d placements after refused hires", n)
	}
	// The day it was made, and a day recorded late, are both fine.
	w.a.Must(http.StatusOK, "POST", "/api/v1/applications/"+app+"/transitions", w.emp.Token, map[string]string{"to": "hired", "hired_on": "2026-03-10"})
	_, late := w.accepted()
	w.a.Must(http.StatusOK, "POST", "/api/v1/applications/"+late+"/transitions", w.emp.Token, map[string]string{"to": "hired", "hired_on": "2026-03-30"})
}

func TestHireCountsInShanghaiMonth(t *testing.T) {
	w := newWorld(t, 5)
	at := time.Date(2026, 9, 1, 0, 30, 0, 0, domain.Shanghai)
	w.a.Server.Store.SetClock(func() time.Time { return at })
	var ids []string
	for _, hiredOn := range []string{"2026-08-31", "2026-09-01"} {
		_, app := w.accepted()
		w.a.AppliedOn(app, "2026-08-20")
		r := w.a.Do("POST", "/api/v1/applications/"+app+"/transitions", w.emp.Token, map[string]string{"to": "hired", "hired_on": hiredOn})
		if r.Status != 200 {
			t.Fatalf("hire on %s at %s: %d %s", hiredOn, at, r.Status, r.Body)
		}
		ids = append(ids, r.JSON()["placement_id"].(string))
	}
	aug := w.a.Must(http.StatusOK, "GET", "/api/v1/placements?year=2026&month=8", w.admin.Token, nil).JSON()
	if aug["total"].(float64) != 1 || testutil.IDs(aug)[0] != ids[0] {
		t.Fatalf("August: %v", aug)
	}
	p := w.a.Must(http.StatusOK, "GET", "/api/v1/zones/sichuan-chengdu/progress?year=2026", w.admin.Token, nil).JSON()
	monthly := p["monthly"].([]any)
	if m8 := monthly[7].(map[string]any); m8["month"] != "2026-08" || m8["placements"].(float64) != 1 {
		t.Fatalf("August series: %v", m8)
	}
	if m9 := monthly[8].(map[string]any); m9["placements"].(float64) != 1 {
		t.Fatalf("September series: %v", m9)
	}
}

// sameTime tells whether two RFC 3339 values of a response are one instant.
func sameTime(a, b any) bool {
	x, errA := time.Parse(time.RFC3339Nano, fmt.Sprint(a))
	y, errB := time.Parse(time.RFC3339Nano, fmt.Sprint(b))
	return errA == nil && errB == nil && x.Equal(y)
}

func TestRevokePlacement(t *testing.T) {
	w := newWorld(t, 1)
	g, app := w.accepted()
	pid := w.move(w.emp.Token, app, "hired").JSON()["placement_id"].(string)
	path := "/api/v1/placements/" + pid + "/revoke"
	w.a.Must(http.StatusForbidden, "POST", path, w.emp.Token, map[string]string{"reason": "虚报"})
	w.a.Must(http.StatusForbidden, "POST", path, g.Token, map[string]string{"reason": "虚报"})
	w.a.Must(http.StatusNotFound, "POST", path, w.a.ZoneAdmin("sichuan-mianyang").Token, map[string]string{"reason": "虚报"})
	w.a.Must(http.StatusNotFound, "POST", path, w.a.ProvinceAdmin("44").Token, map[string]string{"reason": "虚报"})
	w.a.Must(http.StatusUnprocessableEntity, "POST", path, w.admin.Token, map[string]string{"reason": ""})
	pl := w.a.Must(http.StatusOK, "POST", path, w.admin.Token, map[string]string{"reason": "核查发现未到岗"}).JSON()
	if pl["status"] != "revoked" || pl["revoke_reason"] != "核查发现未到岗" {
		t.Fatalf("revoke: %v", pl)
	}
	w.a.Must(http.StatusConflict, "POST", path, w.admin.Token, map[string]string{"reason": "again"})
	// The application stays hired, and says its hire was revoked (a
	// numbers probe read 已录用 everywhere after a revoke). The revoke is a
	// change of the record: its updated_at is the revoke's (a walk read it
	// at the hire).
	for _, tok := range []string{g.Token, w.emp.Token} {
		if r := w.a.Must(http.StatusOK, "GET", "/api/v1/applications/"+app, tok, nil).JSON(); r["status"] != "hired" || r["placement_revoked"] != true {
			t.Fatalf("the application after the revoke: %v %v", r["status"], r["placement_revoked"])
		} else if !sameTime(r["updated_at"], pl["revoked_at"]) {
			t.Errorf("the application's updated_at %v after the revoke at %v", r["updated_at"], pl["revoked_at"])
		}
	}
	// Its history ends with the revoke, a step that is no move of status
	// (a walk read the history end at hired): the reason to the employer
	// and staff, not to the graduate (docs/decisions.md).
	for _, c := range []struct {
		who, tok, note string
	}{{"graduate", g.Token, ""}, {"employer", w.emp.Token, "核查发现未到岗"}, {"zone staff", w.admin.Token, "核查发现未到岗"}} {
		h := w.a.Must(http.StatusOK, "GET", "/api/v1/applications/"+app, c.tok, nil).JSON()["history"].([]any)
		last := h[len(h)-1].(map[string]any)
		if last["kind"] != "placement_revoked" || last["from"] != "hired" || last["to"] != "hired" || last["actor_role"] != "zone_admin" ||
			last["actor_id"] != w.admin.ID || last["note"] != c.note || !sameTime(last["at"], pl["revoked_at"]) {
			t.Errorf("%s: the history's last step %v, want the revoke of %v", c.who, last, pl["revoked_at"])
		}
		if prev := h[len(h)-2].(map[string]any); prev["to"] != "hired" || prev["kind"] != nil {
			t.Errorf("%s: the step before the revoke %v", c.who, prev)
		}
	}
	p := w.a.Must(http.StatusOK, "GET", "/api/v1/zones/sichuan-chengdu/progress", w.admin.Token, nil).JSON()
	if p["placements"].(float64) != 0 {
		t.Fatalf("revoked placement still counts: %v", p["placements"])
	}
	// History stays; the seat is free again.
	if m := w.a.Must(http.StatusOK, "GET", "/api/v1/placements?status=revoked", w.admin.Token, nil).JSON(); m["total"].(float64) != 1 {
		t.Fatalf("revoked placement gone: %v", m)
	}
	if m := w.a.Must(http.StatusOK, "GET", "/api/v1/placements", w.emp.Token, nil).JSON(); m["total"].(float64) != 1 {
		t.Fatalf("employer list %v", m)
	}
	if m := w.a.Must(http.StatusOK, "GET", "/api/v1/placements", w.a.VerifiedEmployer("51", "").Token, nil).JSON(); m["total"].(float64) != 0 {
		t.Fatalf("other employer sees placements")
	}
	// The graduate's own list says the hire was revoked, not why: the
	// reason is the employer's and staff's (as the history's step above).
	if m := w.a.Must(http.StatusOK, "GET", "/api/v1/placements", g.Token, nil).JSON(); m["total"].(float64) != 1 {
		t.Fatalf("the graduate's list %v", m)
	} else if it := m["items"].([]any)[0].(map[string]any); it["status"] != "revoked" || it["revoke_reason"] != nil {
		t.Errorf("the graduate's own placement: status %v, reason %v", it["status"], it["revoke_reason"])
	}
	var audits int
	testutil.SQL(t, w.a.DBURL).QueryRow(`SELECT count(*) FROM audit_log WHERE kind IN ('placement.created','placement.revoked')`).Scan(&audits)
	if audits != 2 {
		t.Fatalf("%d audit rows", audits)
	}
	if drift, err := w.a.Server.Store.CounterDrift(context.Background()); err != nil || len(drift) > 0 {
		t.Fatalf("counters drift: %v %v", drift, err)
	}
}

// A revoke takes the placement off the breakdowns under the values it was
// counted with. A numbers probe: a graduate who corrected the degree after
// the hire, or an opening edited to another industry and discipline, left
// the revoked hire counted (breakdowns adding up to more than the
// placements), and a revoke whose current value's row stood at 0 was
// refused with a bare 422.
func TestRevokeTakesOffWhatTheHireCounted(t *testing.T) {
	w := newWorld(t, 3)
	today := domain.DateOf(time.Now()).String()
	hire := func(g testutil.Account) string {
		return w.a.Hire(w.emp.Token, g.Token, w.apply(g, w.opening), today).JSON()["placement_id"].(string)
	}
	revoke := func(pid string) {
		t.Helper()
		w.a.Must(http.StatusOK, "POST", "/api/v1/placements/"+pid+"/revoke", w.admin.Token, map[string]string{"reason": "核查发现未到岗"})
	}
	asDoctor := func(g testutil.Account) {
		w.a.Must(http.StatusOK, "PATCH", "/api/v1/me/profile", g.Token, map[string]any{"degree": "doctor"})
	}
	doctor, changed := w.a.Graduate(), w.a.Graduate()
	asDoctor(doctor)
	kept := w.a.Graduate()
	p1, p2 := hire(doctor), hire(changed)
	hire(kept)
	revoke(p1) // the doctor row now stands at 0
	asDoctor(changed)
	w.a.Must(http.StatusOK, "PATCH", "/api/v1/openings/"+w.opening, w.emp.Token, map[string]any{"industry": "aerospace", "discipline": "science"})
	revoke(p2)
	counted := func(when string) {
		t.Helper()
		p := w.a.Must(http.StatusOK, "GET", "/api/v1/zones/sichuan-chengdu/progress", w.admin.Token, nil).JSON()
		for field, want := range map[string]string{"by_degree": "master", "by_industry": "ai", "by_discipline": "engineering"} {
			if got := p[field].(map[string]any); len(got) != 1 || got[want] != 1.0 {
				t.Errorf("%s %s: %v, want {%s: 1}", field, when, got, want)
			}
		}
		if drift, err := w.a.Server.Store.CounterDrift(context.Background()); err != nil || len(drift) > 0 {
			t.Errorf("counters drift %s: %v %v", when, drift, err)
		}
	}
	counted("after two revokes of three hires")
	// A rebuild (each `seed --demo` runs one) keeps the values of the hire.
	asDoctor(kept)
	if err := w.a.Server.Store.RebuildCounters(context.Background()); err != nil {
		t.Fatal(err)
	}
	counted("after the counters were rebuilt")
}

func TestResumeAndPhonePrivacy(t *testing.T) {
	w := newWorld(t, 2)
	g := w.a.Graduate()
	w.a.Must(http.StatusOK, "PATCH", "/api/v1/me/profile", g.Token, map[string]any{"phone": "13812341234", "preferred_cities": []string{"成都"}, "skills": []string{"Python", "PyTorch"}})
	w.a.Must(http.StatusUnprocessableEntity, "PATCH", "/api/v1/me/profile", g.Token, map[string]any{"phone": "12345"})
	// A number as people paste it is the number; a city typed twice is one
	// city; a year too far says which years are (an account walk).
	for _, phone := range []string{"+86 138-1234-1234", "0086 13812341234", "１３８１２３４１２３４"} {
		p := w.a.Must(http.StatusOK, "PATCH", "/api/v1/me/profile", g.Token, map[string]any{"phone": phone, "preferred_cities": []string{"成都", "成都", "绵阳"}}).JSON()
		if gp := p["graduate"].(map[string]any); gp["phone"] != "13812341234" || len(gp["preferred_cities"].([]any)) != 2 {
			t.Errorf("phone %q: %v %v", phone, gp["phone"], gp["preferred_cities"])
		}
	}
	year := domain.DateOf(time.Now()).Year
	if r := w.a.Must(http.StatusUnprocessableEntity, "PATCH", "/api/v1/me/profile", g.Token, map[string]any{"graduation_year": year + 9}); r.Field("graduation_year") != fmt.Sprintf("must be a year from %d to %d", year-10, year+5) {
		t.Errorf("a year too far: %s", r.Body)
	}
	w.a.Must(http.StatusForbidden, "PATCH", "/api/v1/me/profile", w.emp.Token, map[string]any{"phone": "13812341234"})
	pdf := []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
	up := w.a.UploadFile("/api/v1/me/resume", g.Token, "cv.pdf", pdf)
	if up.Status != 201 {
		t.Fatalf("upload: %d %s", up.Status, up.Body)
	}
	// With an object store configured (make test starts one), serve writes
	// no file to local disk (CONTRACT): the upload folder stays empty.
	if w.a.Server.Config.S3Endpoint != "" {
		if files, _ := os.ReadDir(w.a.Server.Config.UploadDir); len(files) != 0 {
			t.Fatalf("%d files written to the upload folder", len(files))
		}
	}
	if r := w.a.UploadFile("/api/v1/me/resume", g.Token, "cv.pdf", []byte("MZ\x90\x00 not a pdf")); r.Status != 422 {
		t.Fatalf("non-PDF accepted: %d", r.Status)
	}
	big := append([]byte("%PDF-"), make([]byte, 5<<20)...)
	if r := w.a.UploadFile("/api/v1/me/resume", g.Token, "cv.pdf", big); r.Status != 413 {
		t.Fatalf("6 MB accepted: %d", r.Status)
	}
	path := "/api/v1/graduates/" + g.ID + "/resume"
	w.a.Must(http.StatusOK, "GET", path, g.Token, nil)
	// Before applying, the employer may not read it.
	w.a.Must(http.StatusNotFound, "GET", path, w.emp.Token, nil)
	app := w.apply(g, w.opening)
	got := w.a.Must(http.StatusOK, "GET", path, w.emp.Token, nil)
	if string(got.Body) != string(pdf) {
		t.Fatal("résumé content differs")
	}
	// Named for its graduate (a browser walk found every résumé saved as
	// resume.pdf, one over another).
	if _, params, err := mime.ParseMediaType(got.Header.Get("Content-Disposition")); err != nil || params["filename"] != "简历-李华.pdf" {
		t.Fatalf("résumé file name: %q (%v)", got.Header.Get("Content-Disposition"), err)
	}
	// And a plain name for a client that reads only filename= (RFC 6266
	// §4.3): an API probe found filename* alone.
	if cd := got.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, `attachment; filename="resume.pdf"; filename*=`) {
		t.Fatalf("résumé Content-Disposition %q has no ASCII fallback", cd)
	}
	w.a.Must(http.StatusNotFound, "GET", path, w.a.VerifiedEmployer("51", "").Token, nil)
	w.a.Must(http.StatusNotFound, "GET", path, w.admin.Token, nil)
	w.a.Must(http.StatusNotFound, "GET", path, w.a.Graduate().Token, nil)
	// The phone: in full to the employer applied to once it shortlisted
	// (TestApplicantContactFromShortlisted), masked to staff.
	w.move(w.emp.Token, app, "shortlisted")
	ap := w.a.Must(http.StatusOK, "GET", "/api/v1/applications/"+app, w.emp.Token, nil).JSON()["applicant"].(map[string]any)
	if ap["phone"] != "13812341234" {
		t.Fatalf("employer sees %v", ap["phone"])
	}
	ap = w.a.Must(http.StatusOK, "GET", "/api/v1/applications/"+app, w.admin.Token, nil).JSON()["applicant"].(map[string]any)
	if ap["phone"] != "138****1234" || ap["email"] != nil {
		t.Fatalf("staff sees %v %v", ap["phone"], ap["email"])
	}
}

// The contract: every uploaded file goes to the object store and serve
// writes no file to local disk. Without GRADZONE_S3_* an upload is refused
// as a dependency that is missing (503 unavailable, Retry-After), and the
// upload folder stays empty (contract43b: the résumé was written there).
func TestResumeNeedsTheObjectStore(t *testing.T) {
	a := testutil.NewApp(t, testutil.NoObjectStore())
	g := a.Graduate()
	pdf := []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
	r := a.SendFile("/api/v1/me/resume", g.Token, "cv.pdf", pdf)
	if r.Status != http.StatusServiceUnavailable || r.ErrorCode() != "unavailable" || r.Header.Get("Retry-After") == "" {
		t.Fatalf("upload with no object store: %d %q %s", r.Status, r.Header.Get("Retry-After"), r.Body)
	}
	if files, _ := os.ReadDir(a.Server.Config.UploadDir); len(files) != 0 {
		t.Fatalf("%d files written to the upload folder", len(files))
	}
	if me := a.Must(http.StatusOK, "GET", "/api/v1/me", g.Token, nil).JSON(); me["graduate"].(map[string]any)["has_resume"] != false {
		t.Fatalf("a résumé recorded: %v", me["graduate"])
	}
}

func TestNoBlackHole(t *testing.T) {
	w := newWorld(t, 5)
	g1, g2 := w.a.Graduate(), w.a.Graduate()
	old := w.apply(g1, w.opening)
	answered := w.apply(g2, w.opening)
	db := testutil.SQL(t, w.a.DBURL)
	db.Exec(`UPDATE applications SET created_at = now() - interval '8 days' WHERE id = $1`, old)
	db.Exec(`UPDATE applications SET created_at = now() - interval '3 days' WHERE id = $1`, answered)
	w.move(w.emp.Token, answered, "shortlisted")
	m := w.a.Must(http.StatusOK, "GET", "/api/v1/applications?stale=true", w.emp.Token, nil).JSON()
	if m["total"].(float64) != 1 || testutil.IDs(m)[0] != old || m["items"].([]any)[0].(map[string]any)["stale"] != true {
		t.Fatalf("stale list: %v", m)
	}
	// The test server's worker runs the same flagging on a schedule and may
	// get there first, so the test counts the notifications stored.
	for range 2 {
		if _, err := w.a.Server.Store.FlagStaleApplications(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	var flagged []string
	rows, err := db.Query(`SELECT link FROM notifications WHERE kind = 'application_stale'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var link string
		rows.Scan(&link)
		flagged = append(flagged, link)
	}
	if len(flagged) != 1 || flagged[0] != "/applications/"+old {
		t.Fatalf("stale notifications %v, want one for %s", flagged, old)
	}
	o := w.a.Must(http.StatusOK, "GET", "/api/v1/openings/"+w.opening, "", nil).JSON()
	if d := o["employer_response_days"].(float64); d < 2.9 || d > 3.1 {
		t.Fatalf("response days %v", d)
	}
}

func TestBulkTransitions(t *testing.T) {
	w := newWorld(t, 5)
	var apps []string
	for i := 0; i < 3; i++ {
		apps = append(apps, w.apply(w.a.Graduate(), w.opening))
	}
	other := w.a.VerifiedEmployer("51", "")
	apps = append(apps, "00000000-0000-4000-8000-000000000000")
	r := w.a.Must(http.StatusOK, "POST", "/api/v1/applications/bulk-transitions", w.emp.Token, map[string]any{"ids": apps, "to": "shortlisted", "note": "初筛通过"}).JSON()
	res := r["results"].([]any)
	for i := 0; i < 3; i++ {
		if res[i].(map[string]any)["status"] != "shortlisted" {
			t.Fatalf("bulk: %v", res)
		}
	}
	if res[3].(map[string]any)["error"].(map[string]any)["code"] != "not_found" {
		t.Fatalf("bulk unknown id: %v", res[3])
	}
	r = w.a.Must(http.StatusOK, "POST", "/api/v1/applications/bulk-transitions", other.Token, map[string]any{"ids": apps[:1], "to": "rejected"}).JSON()
	if r["results"].([]any)[0].(map[string]any)["error"].(map[string]any)["code"] != "not_found" {
		t.Fatal("another employer moved an application")
	}
	w.a.Must(http.StatusUnprocessableEntity, "POST", "/api/v1/applications/bulk-transitions", w.emp.Token, map[string]any{"ids": apps, "to": "hired"})
	w.a.Must(http.StatusUnprocessableEntity, "POST", "/api/v1/applications/bulk-transitions", w.emp.Token, map[string]any{"ids": []string{}, "to": "rejected"})
	var hist int
	testutil.SQL(t, w.a.DBURL).QueryRow(`SELECT count(*) FROM application_history WHERE to_status = 'shortlisted' AND note = '初筛通过'`).Scan(&hist)
	if hist != 3 {
		t.Fatalf("%d history rows", hist)
	}
}

// An employer's private rating and note on an applicant (issue 15 item 5):
// its own users read and change them; another employer, staff and the
// graduate do not, and the graduate's application and export never carry
// the note.
func TestAssessmentIsPrivateToTheEmployer(t *testing.T) {
	a := testutil.NewApp(t)
	emp, admin, id := a.PublishedOpening(nil)
	rival := a.VerifiedEmployer("51", "sichuan-chengdu")
	g, app := a.Applicant(id, "您好")
	path := "/api/v1/applications/" + app + "/assessment"

	empty := a.Must(http.StatusOK, "GET", path, emp.Token, nil).JSON()
	if empty["rating"] != nil || empty["note"] != "" {
		t.Fatalf("before any: %v", empty)
	}
	const secret = "面试表现一般，备选"
	got := a.Must(http.StatusOK, "PUT", path, emp.Token, map[string]any{"rating": 4, "note": secret}).JSON()
	if got["rating"].(float64) != 4 || got["note"] != secret {
		t.Fatalf("stored: %v", got)
	}
	if got := a.Must(http.StatusOK, "GET", path, emp.Token, nil).JSON(); got["rating"].(float64) != 4 || got["note"] != secret {
		t.Fatalf("read back: %v", got)
	}

	for _, bad := range []map[string]any{{"rating": 0}, {"rating": 6}, {"rating": 3, "note": strings.Repeat("字", 2001)}} {
		r := a.Do("PUT", path, emp.Token, bad)
		if r.Status != http.StatusUnprocessableEntity {
			t.Errorf("%v: %d", bad, r.Status)
		}
	}
	a.Must(http.StatusNotFound, "GET", path, rival.Token, nil)
	a.Must(http.StatusNotFound, "PUT", path, rival.Token, map[string]any{"rating": 1})
	a.Must(http.StatusForbidden, "GET", path, g.Token, nil)
	a.Must(http.StatusForbidden, "GET", path, admin.Token, nil)
	a.Must(http.StatusNotFound, "GET", "/api/v1/applications/not-a-uuid/assessment", emp.Token, nil)

	// Clearing the rating keeps the note as sent.
	if got := a.Must(http.StatusOK, "PUT", path, emp.Token, map[string]any{"rating": nil, "note": "x"}).JSON(); got["rating"] != nil || got["note"] != "x" {
		t.Fatalf("cleared: %v", got)
	}
	a.Must(http.StatusOK, "PUT", path, emp.Token, map[string]any{"rating": 2, "note": secret})
	for _, p := range []string{"/api/v1/applications/" + app, "/api/v1/me/export"} {
		if body := string(a.Must(http.StatusOK, "GET", p, g.Token, nil).Body); strings.Contains(body, secret) {
			t.Errorf("the graduate reads the private note at %s", p)
		}
	}
	if body := string(a.Must(http.StatusOK, "GET", "/api/v1/applications/"+app, admin.Token, nil).Body); strings.Contains(body, secret) {
		t.Errorf("staff read the private note")
	}
}

// An API probe: a graduate who got 404 reading an opening never published
// (in review, or closed before it was) was told it exists by 409
// opening_closed when applying or saving. What was never public is 404 to
// a graduate everywhere; one that was public and closed is still 409.
func TestNeverPublishedOpeningIsNotFoundToGraduates(t *testing.T) {
	w := newWorld(t, 1)
	a := w.a
	g := a.Graduate()
	pending := a.Must(http.StatusCreated, "POST", "/api/v1/openings", w.emp.Token, testutil.OpeningBody(nil)).JSON()["id"].(string)
	a.Must(http.StatusOK, "POST", "/api/v1/openings/"+pending+"/submit", w.emp.Token, nil)
	closedUnseen := a.Must(http.StatusCreated, "POST", "/api/v1/openings", w.emp.Token, testutil.OpeningBody(nil)).JSON()["id"].(string)
	a.Must(http.StatusOK, "POST", "/api/v1/openings/"+closedUnseen+"/submit", w.emp.Token, nil)
	a.Must(http.StatusOK, "POST", "/api/v1/openings/"+closedUnseen+"/close", w.emp.Token, nil)
	for _, id := range []string{pending, closedUnseen} {
		a.Must(http.StatusNotFound, "GET", "/api/v1/openings/"+id, g.Token, nil)
		a.Must(http.StatusNotFound, "POST", "/api/v1/openings/"+id+"/applications", g.Token, nil)
		a.Must(http.StatusNotFound, "PUT", "/api/v1/me/saved-openings/"+id, g.Token, nil)
	}
	a.Must(http.StatusOK, "POST", "/api/v1/openings/"+w.opening+"/close", w.emp.Token, nil)
	if code := a.Must(http.StatusConflict, "POST", "/api/v1/openings/"+w.opening+"/applications", g.Token, nil).ErrorCode(); code != "opening_closed" {
		t.Fatalf("applying to a closed opening that was public: %s", code)
	}
	if code := a.Must(http.StatusConflict, "PUT", "/api/v1/me/saved-openings/"+w.opening, g.Token, nil).ErrorCode(); code != "opening_closed" {
		t.Fatalf("saving a closed opening that was public: %s", code)
	}
}

// The year's boundary in Beijing, not UTC: an opening approved at 23:59 on
// December 31 is developed in that year, one approved a minute later in
// the next (both are December 31 in UTC); a graduate hired on December 31
// may be hired again on January 1 (a placement a year), and each counts in
// its own year's January or December report.
func TestYearTurnsInShanghai(t *testing.T) {
	// Every approval at a pinned time: the world's opening was approved
	// today, and counted in 2026 only while the test ran in 2026.
	a := testutil.NewApp(t)
	clock := time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC)
	a.Server.Store.SetClock(func() time.Time { return clock })
	emp, admin, opening := a.PublishedOpening(map[string]any{"headcount": 5})
	w := world{a: a, emp: emp, admin: admin, opening: opening}
	clock = time.Date(2026, 12, 31, 15, 59, 0, 0, time.UTC) // 23:59 in Beijing
	late := a.Publish(w.emp, w.admin, map[string]any{"headcount": 3})
	g, app := w.accepted()
	a.AppliedOn(app, "2026-12-20")
	a.Must(http.StatusOK, "POST", "/api/v1/applications/"+app+"/transitions", w.emp.Token, map[string]string{"to": "hired", "hired_on": "2026-12-31"})
	clock = time.Date(2026, 12, 31, 16, 0, 0, 0, time.UTC) // 00:00 on January 1 in Beijing
	a.Publish(w.emp, w.admin, map[string]any{"headcount": 4})
	again := w.apply(g, late)
	a.Hire(w.emp.Token, g.Token, again, "2027-01-01")
	for _, c := range []struct {
		year, month               int
		positions, placements, pv float64
	}{{2026, 12, 5 + 3, 1, 0}, {2027, 1, 4, 1, 1}} {
		r := a.Must(http.StatusOK, "GET", fmt.Sprintf("/api/v1/reports/monthly?zone=sichuan-chengdu&year=%d&month=%d", c.year, c.month), w.admin.Token, nil).JSON()
		if r["positions_developed"] != c.positions || r["placements"] != c.placements {
			t.Errorf("%d-%02d report: %v positions, %v placements; want %v, %v", c.year, c.month, r["positions_developed"], r["placements"], c.positions, c.placements)
		}
		p := a.Must(http.StatusOK, "GET", fmt.Sprintf("/api/v1/zones/sichuan-chengdu/progress?year=%d", c.year), w.admin.Token, nil).JSON()
		if p["positions_developed"] != c.positions || p["placements"] != c.placements || p["placements_prev_year"] != c.pv {
			t.Errorf("%d progress: %v positions, %v placements, %v last year", c.year, p["positions_developed"], p["placements"], p["placements_prev_year"])
		}
	}
}
