package httpapi_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/gradzone/gradzone/internal/app"
	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/ical"
	"github.com/gradzone/gradzone/internal/testutil"
)

func eventBody(zone string, start, end time.Time) map[string]any {
	return map[string]any{"kind": "livestream", "title": "成都高新区科研助理直播带岗", "zone_code": zone,
		"starts_at": start.Format(time.RFC3339), "ends_at": end.Format(time.RFC3339), "description": "线上直播",
		"stream_url": "https://live.example.cn/room/1", "campaign": "2026四川科研助理招聘周"}
}

// An events walk: a hall's seats could not be declared (a capacity sent was
// dropped), and every registration was taken. An event may have a
// capacity: however many register at once, no more than it get in, the
// rest get 409 event_full; a withdrawal frees a place; it cannot be set
// below the registrations made, and 0 removes it.
func TestEventCapacity(t *testing.T) {
	w := newWorld(t, 1)
	a := w.a
	start := time.Now().Add(48 * time.Hour).Truncate(time.Minute)
	body := eventBody("sichuan-chengdu", start, start.Add(2*time.Hour))
	for _, bad := range []any{-1, 100001, "十"} {
		body["capacity"] = bad
		if r := a.Do("POST", "/api/v1/events", w.admin.Token, body); r.Status/100 != 4 || (r.Status == http.StatusUnprocessableEntity && r.Field("capacity") == "") {
			t.Errorf("capacity %v: %d %s", bad, r.Status, r.Body)
		}
	}
	body["capacity"] = 2
	ev := a.Must(http.StatusCreated, "POST", "/api/v1/events", w.admin.Token, body).JSON()
	id := ev["id"].(string)
	if ev["capacity"] != 2.0 {
		t.Fatalf("the event's capacity: %v", ev["capacity"])
	}
	grads := make([]testutil.Account, 6)
	for i := range grads {
		grads[i] = a.Graduate()
	}
	// Six at once: a lock on the table holds every insert until all six
	// wait (five on the places' lock behind one holding it). Without that
	// lock all six would count two free places and get in.
	db := testutil.SQL(t, a.DBURL)
	release := testutil.LockTable(t, db, "event_registrations", "SHARE ROW EXCLUSIVE")
	var mu sync.Mutex
	codes := map[int][]int{}
	var all sync.WaitGroup
	defer all.Wait()
	for i, g := range grads {
		all.Go(func() {
			r := a.Do("POST", "/api/v1/events/"+id+"/registrations", g.Token, nil)
			if r.Status == http.StatusConflict && r.ErrorCode() != "event_full" {
				t.Errorf("a registration refused with %s", r.ErrorCode())
			}
			mu.Lock()
			codes[r.Status] = append(codes[r.Status], i)
			mu.Unlock()
		})
	}
	testutil.WaitForLockWaiters(t, db, len(grads), "registrations")
	release()
	all.Wait()
	if len(codes[http.StatusCreated]) != 2 || len(codes[http.StatusConflict]) != 4 {
		t.Fatalf("six at once for two places: %v", codes)
	}
	in, out := grads[codes[http.StatusCreated][0]], grads[codes[http.StatusConflict][0]]
	if code := a.Must(http.StatusConflict, "POST", "/api/v1/events/"+id+"/registrations", in.Token, nil).ErrorCode(); code != "already_registered" {
		t.Errorf("one registered already, the event full: %s", code)
	}
	if r := a.Must(http.StatusOK, "GET", "/api/v1/events/"+id, "", nil).JSON(); r["stats"].(map[string]any)["registrations"] != 2.0 {
		t.Fatalf("registrations: %v", r["stats"])
	}
	// A withdrawal frees a place.
	a.Must(http.StatusNoContent, "DELETE", "/api/v1/events/"+id+"/registrations", in.Token, nil)
	a.Must(http.StatusCreated, "POST", "/api/v1/events/"+id+"/registrations", out.Token, nil)
	// Not below the registrations made; 0 removes the limit.
	if r := a.Must(http.StatusUnprocessableEntity, "PATCH", "/api/v1/events/"+id, w.admin.Token, map[string]any{"capacity": 1}); r.Field("capacity") == "" {
		t.Errorf("a capacity below the registrations: %s", r.Body)
	}
	if r := a.Must(http.StatusOK, "PATCH", "/api/v1/events/"+id, w.admin.Token, map[string]any{"capacity": 0}).JSON(); r["capacity"] != nil {
		t.Errorf("capacity 0: %v", r["capacity"])
	}
	a.Must(http.StatusCreated, "POST", "/api/v1/events/"+id+"/registrations", grads[codes[http.StatusConflict][1]].Token, nil)
	if r := a.Must(http.StatusOK, "PATCH", "/api/v1/events/"+id, w.admin.Token, map[string]any{"capacity": 3}).JSON(); r["capacity"] != 3.0 {
		t.Errorf("capacity 3: %v", r["capacity"])
	}
	a.Must(http.StatusConflict, "POST", "/api/v1/events/"+id+"/registrations", grads[codes[http.StatusConflict][2]].Token, nil)
}

// eventListing is an event of w's zone under way now that lists the
// opening.
func eventListing(w world, opening string) string {
	now := time.Now()
	id := w.a.Must(http.StatusCreated, "POST", "/api/v1/events", w.admin.Token, eventBody("sichuan-chengdu", now.Add(-time.Hour), now.Add(time.Hour))).JSON()["id"].(string)
	w.a.Must(http.StatusOK, "POST", "/api/v1/events/"+id+"/openings", w.admin.Token, map[string]any{"opening_ids": []string{opening}})
	return id
}

// eventWithPlaces is an event of w's zone two days on with n places.
func eventWithPlaces(w world, n int) string {
	start := time.Now().Add(48 * time.Hour).Truncate(time.Minute)
	body := eventBody("sichuan-chengdu", start, start.Add(2*time.Hour))
	body["capacity"] = n
	return w.a.Must(http.StatusCreated, "POST", "/api/v1/events", w.admin.Token, body).JSON()["id"].(string)
}

// A walk found a full event turned graduates away for good: a place freed
// later went to whoever happened to look then. A full event keeps a
// waitlist; a place freed (a withdrawal, an erased account, a larger
// capacity) goes at once to the first on it, who is registered and mailed
// the confirmation. Only a graduate joins, only a full event's list, and
// each sees only their own place.
func TestEventWaitlist(t *testing.T) {
	mp := testutil.NewMailpit(t)
	w := newWorld(t, 1)
	a := w.a
	id := eventWithPlaces(w, 1)
	waitlist := "/api/v1/events/" + id + "/waitlist"
	in, first, second, third := a.Graduate(), a.Graduate(), a.Graduate(), a.Graduate()
	a.MarkVerified(first.ID)

	// Places left: register instead.
	if code := a.Must(http.StatusConflict, "POST", waitlist, first.Token, nil).ErrorCode(); code != "invalid_state" {
		t.Errorf("the waitlist of an event with places left: %s", code)
	}
	a.Must(http.StatusCreated, "POST", "/api/v1/events/"+id+"/registrations", in.Token, nil)
	if code := a.Must(http.StatusConflict, "POST", waitlist, in.Token, nil).ErrorCode(); code != "already_registered" {
		t.Errorf("one registered joins the waitlist: %s", code)
	}
	for i, g := range []testutil.Account{first, second, third} {
		if p := a.Must(http.StatusCreated, "POST", waitlist, g.Token, nil).JSON(); p["position"] != float64(i+1) || p["event_id"] != id {
			t.Errorf("the %d. to join: %v", i+1, p)
		}
	}
	if p := a.Must(http.StatusOK, "POST", waitlist, second.Token, nil).JSON(); p["position"] != 2.0 {
		t.Errorf("joining again: %v, want the same place", p)
	}
	// Who may: a graduate, of an event that exists, live.
	a.Must(http.StatusUnauthorized, "POST", waitlist, "", nil)
	a.Must(http.StatusForbidden, "POST", waitlist, w.emp.Token, nil)
	a.Must(http.StatusForbidden, "POST", waitlist, w.admin.Token, nil)
	a.Must(http.StatusNotFound, "POST", "/api/v1/events/00000000-0000-4000-8000-000000000000/waitlist", first.Token, nil)
	a.Must(http.StatusNotFound, "POST", "/api/v1/events/not-an-id/waitlist", first.Token, nil)
	a.Must(http.StatusNotFound, "DELETE", "/api/v1/events/not-an-id/waitlist", first.Token, nil)
	a.Must(http.StatusForbidden, "DELETE", waitlist, w.emp.Token, nil)
	a.Must(http.StatusUnauthorized, "DELETE", waitlist, "", nil)
	// Each sees their own place, the count is public, no one sees another's.
	ev := a.Must(http.StatusOK, "GET", "/api/v1/events/"+id, third.Token, nil).JSON()
	if p, _ := ev["waitlist"].(map[string]any); p["position"] != 3.0 || ev["stats"].(map[string]any)["waitlisted"] != 3.0 {
		t.Errorf("the third's view of the event: waitlist %v, stats %v", ev["waitlist"], ev["stats"])
	}
	if ev := a.Must(http.StatusOK, "GET", "/api/v1/events/"+id, "", nil).JSON(); ev["waitlist"] != nil || ev["stats"].(map[string]any)["waitlisted"] != 3.0 {
		t.Errorf("a visitor's view of the event: waitlist %v, stats %v", ev["waitlist"], ev["stats"])
	}
	// The list of events marks one's own registration and place too (a
	// walk could not tell there which events it had registered for); a
	// visitor, staff and another graduate see neither.
	if ev := listedEvent(t, a, in.Token, id); field(ev, "registration", "graduate_id") != in.ID || ev["waitlist"] != nil {
		t.Errorf("the registered's list: registration %v, waitlist %v", ev["registration"], ev["waitlist"])
	}
	if ev := listedEvent(t, a, third.Token, id); ev["registration"] != nil || field(ev, "waitlist", "position") != 3.0 {
		t.Errorf("the third's list: registration %v, waitlist %v", ev["registration"], ev["waitlist"])
	}
	for _, token := range []string{"", w.admin.Token, w.emp.Token, a.Graduate().Token} {
		if ev := listedEvent(t, a, token, id); ev["registration"] != nil || ev["waitlist"] != nil {
			t.Errorf("another's list shows a registration %v or a place %v", ev["registration"], ev["waitlist"])
		}
	}

	// A withdrawal: the place goes to the first, who is mailed the
	// confirmation with a check-in code.
	a.Must(http.StatusNoContent, "DELETE", "/api/v1/events/"+id+"/registrations", in.Token, nil)
	ev = a.Must(http.StatusOK, "GET", "/api/v1/events/"+id, first.Token, nil).JSON()
	if ev["registration"] == nil || ev["waitlist"] != nil || ev["stats"].(map[string]any)["registrations"] != 1.0 {
		t.Fatalf("the first after a withdrawal: registration %v, waitlist %v, stats %v", ev["registration"], ev["waitlist"], ev["stats"])
	}
	// The mail says how the place came (a walk: it read as an ordinary
	// registration).
	// Its HTML part said nothing of the waitlist, and neither part how to
	// give back a place that came unasked (a walk, walk39).
	if m := mp.WaitForSubject(first.Email, "候补成功", 30*time.Second); !strings.Contains(m.Text, "名额已按候补顺序给您") ||
		!strings.Contains(m.HTML, "名额已按候补顺序给您") || !strings.Contains(m.HTML, "went to you from the waitlist") ||
		!strings.Contains(m.Text, "from the waitlist. You are registered") ||
		!strings.Contains(m.Text, "如不能参加，请在“我的活动”中取消报名") || !strings.Contains(m.HTML, "如不能参加，请在“我的活动”中取消报名") ||
		!strings.Contains(m.Text, "withdraw under My events") || !strings.Contains(m.HTML, "withdraw under My events") {
		t.Errorf("the promotion's mail:\n%s\n%s", m.Text, m.HTML)
	}
	// And in the site's messages, which reach an unverified address too.
	if !hasNotice(a, first, "event_waitlist_promoted", "/me/events#ev-"+id) {
		t.Error("the first promoted has no message of it")
	}
	if p := a.Must(http.StatusOK, "GET", "/api/v1/events/"+id, third.Token, nil).JSON()["waitlist"].(map[string]any); p["position"] != 2.0 {
		t.Errorf("the third moved up to %v, want 2", p["position"])
	}
	// The place is personal data: in the graduate's export.
	if l, _ := a.Must(http.StatusOK, "GET", "/api/v1/me/export", third.Token, nil).JSON()["event_waitlists"].([]any); len(l) != 1 || l[0].(map[string]any)["event_id"] != id {
		t.Errorf("the third's export lists the waitlists %v", l)
	}
	a.Must(http.StatusConflict, "POST", "/api/v1/events/"+id+"/registrations", in.Token, nil) // still full

	// Leaving: off the list, once.
	a.Must(http.StatusNoContent, "DELETE", waitlist, second.Token, nil)
	a.Must(http.StatusNotFound, "DELETE", waitlist, second.Token, nil)

	// An erased account gives its place to the next, and leaves no one's
	// list holding it.
	a.Must(http.StatusNoContent, "DELETE", "/api/v1/me", first.Token, map[string]any{"password": testutil.Password})
	if ev := a.Must(http.StatusOK, "GET", "/api/v1/events/"+id, third.Token, nil).JSON(); ev["registration"] == nil {
		t.Fatalf("the third after the registered account was erased: %v", ev["waitlist"])
	}
	// A larger capacity: the places go to those waiting, in order.
	fourth, gone, fifth := a.Graduate(), a.Graduate(), a.Graduate()
	a.Must(http.StatusCreated, "POST", waitlist, fourth.Token, nil)
	a.Must(http.StatusCreated, "POST", waitlist, gone.Token, nil)
	a.Must(http.StatusCreated, "POST", waitlist, fifth.Token, nil)
	// An erased account waiting leaves the list: not counted, no one kept
	// behind it (a review: nothing failed without it).
	a.Must(http.StatusNoContent, "DELETE", "/api/v1/me", gone.Token, map[string]any{"password": testutil.Password})
	if ev := a.Must(http.StatusOK, "GET", "/api/v1/events/"+id, fifth.Token, nil).JSON(); ev["stats"].(map[string]any)["waitlisted"] != 2.0 ||
		ev["waitlist"].(map[string]any)["position"] != 2.0 {
		t.Errorf("after a waiting account was erased: stats %v, the fifth's place %v", ev["stats"], ev["waitlist"])
	}
	if st := a.Must(http.StatusOK, "PATCH", "/api/v1/events/"+id, w.admin.Token, map[string]any{"capacity": 2}).JSON()["stats"].(map[string]any); st["registrations"] != 2.0 || st["waitlisted"] != 1.0 {
		t.Errorf("one more place: %v", st)
	}
	if ev := a.Must(http.StatusOK, "GET", "/api/v1/events/"+id, fourth.Token, nil).JSON(); ev["registration"] == nil {
		t.Errorf("the fourth, first in line when the place was added: %v", ev["waitlist"])
	}
	if ev := a.Must(http.StatusOK, "GET", "/api/v1/events/"+id, fifth.Token, nil).JSON(); ev["registration"] != nil || ev["waitlist"] == nil {
		t.Errorf("the fifth, second in line: registration %v", ev["registration"])
	}
	// No limit: everyone waiting gets in.
	if st := a.Must(http.StatusOK, "PATCH", "/api/v1/events/"+id, w.admin.Token, map[string]any{"capacity": 0}).JSON()["stats"].(map[string]any); st["registrations"] != 3.0 || st["waitlisted"] != 0.0 {
		t.Errorf("no limit: %v", st)
	}
	// Without a limit there is no list: one registered is told so (a
	// review: it was "places left"), another to register.
	if code := a.Must(http.StatusConflict, "POST", waitlist, fifth.Token, nil).ErrorCode(); code != "already_registered" {
		t.Errorf("one registered, joining the list of an event without a limit: %s", code)
	}
	if code := a.Must(http.StatusConflict, "POST", waitlist, second.Token, nil).ErrorCode(); code != "invalid_state" {
		t.Errorf("one not registered, joining the list of an event without a limit: %s", code)
	}
	// A cancelled event's list is told, and emptied (a review: its mail
	// goes to the registered only, and the place vanished from 我的活动).
	other := eventWithPlaces(w, 1)
	a.Must(http.StatusCreated, "POST", "/api/v1/events/"+other+"/registrations", fourth.Token, nil)
	a.Must(http.StatusCreated, "POST", "/api/v1/events/"+other+"/waitlist", second.Token, nil)
	a.Must(http.StatusOK, "POST", "/api/v1/events/"+other+"/cancel", w.admin.Token, map[string]any{"reason": "场馆检修"})
	if !hasNotice(a, second, "event_waitlist_cancelled", "/events/"+other) {
		t.Error("one waiting is not told the event was cancelled")
	}
	if st := a.Must(http.StatusOK, "GET", "/api/v1/events/"+other, "", nil).JSON()["stats"].(map[string]any); st["waitlisted"] != 0.0 {
		t.Errorf("a cancelled event's list: %v", st)
	}
}

// listedEvent is the event id as GET /events lists it to token's holder.
func listedEvent(t *testing.T, a *testutil.App, token, id string) map[string]any {
	t.Helper()
	for _, it := range a.Must(http.StatusOK, "GET", "/api/v1/events?per_page=100", token, nil).JSON()["items"].([]any) {
		if ev := it.(map[string]any); ev["id"] == id {
			return ev
		}
	}
	t.Fatalf("event %s is not listed", id)
	return nil
}

// field is obj[outer][inner], nil where either is missing.
func field(obj map[string]any, outer, inner string) any {
	m, _ := obj[outer].(map[string]any)
	return m[inner]
}

// hasNotice tells whether acc has a message of kind linking to link.
func hasNotice(a *testutil.App, acc testutil.Account, kind, link string) bool {
	for _, it := range a.Must(http.StatusOK, "GET", "/api/v1/notifications", acc.Token, nil).JSON()["items"].([]any) {
		if n := it.(map[string]any); n["kind"] == kind && n["link"] == link {
			return true
		}
	}
	return false
}

// A waitlist had no end: a one-place event could hold thousands waiting
// for places that come free only by withdrawals. A list holds as many as
// the event has places, at least domain.MinWaitlist.
func TestWaitlistHoldsAsManyAsPlaces(t *testing.T) {
	w := newWorld(t, 1)
	a := w.a
	id := eventWithPlaces(w, 1)
	waitlist := "/api/v1/events/" + id + "/waitlist"
	a.Must(http.StatusCreated, "POST", "/api/v1/events/"+id+"/registrations", a.Graduate().Token, nil)
	waiting := make([]testutil.Account, domain.MinWaitlist)
	for i := range waiting {
		waiting[i] = a.Graduate()
		a.Must(http.StatusCreated, "POST", waitlist, waiting[i].Token, nil)
	}
	late := a.Graduate()
	if r := a.Must(http.StatusConflict, "POST", waitlist, late.Token, nil); r.ErrorCode() != "event_full" || !strings.Contains(string(r.Body), "waitlist is full") {
		t.Errorf("a full waitlist: %s", r.Body)
	}
	// A registration says so too: it offered the waitlist (a walk).
	if r := a.Must(http.StatusConflict, "POST", "/api/v1/events/"+id+"/registrations", late.Token, nil); r.ErrorCode() != "event_full" || !strings.Contains(string(r.Body), "waitlist is full") {
		t.Errorf("a registration with the waitlist full: %s", r.Body)
	}
	// One on the list is not invited to join it (a walk's follow-up).
	if r := a.Must(http.StatusConflict, "POST", "/api/v1/events/"+id+"/registrations", waiting[0].Token, nil); r.ErrorCode() != "event_full" ||
		!strings.Contains(string(r.Body), "you are on its waitlist") || strings.Contains(string(r.Body), "may join") {
		t.Errorf("a registration of one waiting: %s", r.Body)
	}
	a.Must(http.StatusOK, "POST", waitlist, waiting[domain.MinWaitlist-1].Token, nil) // the last keeps their place
	if page := string(a.Must(http.StatusOK, "GET", "/events/"+id, "", nil).Body); !strings.Contains(page, "候补名单也已满") || strings.Contains(page, "event-login") {
		t.Error("the page of a full event with a full list offers the list, or does not say it is full")
	}
	a.Must(http.StatusNoContent, "DELETE", waitlist, waiting[0].Token, nil)
	if p := a.Must(http.StatusCreated, "POST", waitlist, late.Token, nil).JSON(); p["position"] != float64(domain.MinWaitlist) {
		t.Errorf("joining once one left: %v", p)
	}
}

// A review: a place freed while a graduate on the list was being erased
// went to the erased account. The erasure takes the graduate off every
// list first; a promotion that finds them gone gives the place to the next.
func TestWaitlistSkipsAnAccountBeingErased(t *testing.T) {
	w := newWorld(t, 1)
	a := w.a
	id := eventWithPlaces(w, 1)
	a.Must(http.StatusCreated, "POST", "/api/v1/events/"+id+"/registrations", a.Graduate().Token, nil)
	leaving, next := a.Graduate(), a.Graduate()
	a.Must(http.StatusCreated, "POST", "/api/v1/events/"+id+"/waitlist", leaving.Token, nil)
	a.Must(http.StatusCreated, "POST", "/api/v1/events/"+id+"/waitlist", next.Token, nil)

	// The erasure's first steps, held open: off every list, the account
	// marked erased.
	db := testutil.SQL(t, a.DBURL)
	erasing, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer erasing.Rollback()
	if _, err := erasing.Exec(`DELETE FROM event_waitlist WHERE graduate_id = $1`, leaving.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := erasing.Exec(`UPDATE users SET deleted_at = now() WHERE id = $1`, leaving.ID); err != nil {
		t.Fatal(err)
	}
	done := make(chan testutil.Response)
	go func() {
		done <- a.Do("PATCH", "/api/v1/events/"+id, w.admin.Token, map[string]any{"capacity": 2})
	}()
	testutil.WaitForLockWaiters(t, db, 1, "capacity changes")
	if err := erasing.Commit(); err != nil {
		t.Fatal(err)
	}
	if r := <-done; r.Status != http.StatusOK {
		t.Fatalf("the capacity change: %d %s", r.Status, r.Body)
	}
	var erasedIn, nextIn int
	db.QueryRow(`SELECT count(*) FROM event_registrations WHERE event_id = $1 AND graduate_id = $2`, id, leaving.ID).Scan(&erasedIn)
	db.QueryRow(`SELECT count(*) FROM event_registrations WHERE event_id = $1 AND graduate_id = $2`, id, next.ID).Scan(&nextIn)
	if erasedIn != 0 || nextIn != 1 {
		t.Errorf("the freed place went to the erased account %d time(s), to the next on the list %d", erasedIn, nextIn)
	}
}

// An events walk: staff could not see who registered or who came, nor find
// at the door someone who lost their code. The registrant list is theirs
// (staff whose scope covers the zone), by name, with whether mail reaches
// each registrant and whether they came; no one else's.
func TestEventRegistrantList(t *testing.T) {
	w := newWorld(t, 1)
	a := w.a
	start := time.Now().Add(6 * time.Hour).Truncate(time.Minute)
	id := a.Must(http.StatusCreated, "POST", "/api/v1/events", w.admin.Token, eventBody("sichuan-chengdu", start, start.Add(2*time.Hour))).JSON()["id"].(string)
	wang, zhang, li := a.GraduateNamed("王芳"), a.GraduateNamed("张伟"), a.GraduateNamed("李娜")
	a.MarkVerified(wang.ID)
	a.MarkVerified(zhang.ID)
	codes := map[string]string{}
	for _, g := range []testutil.Account{wang, zhang, li} {
		codes[g.ID] = a.Must(http.StatusCreated, "POST", "/api/v1/events/"+id+"/registrations", g.Token, nil).JSON()["checkin_code"].(string)
	}
	a.Must(http.StatusOK, "POST", "/api/v1/events/"+id+"/checkins", w.admin.Token, map[string]string{"code": codes[zhang.ID]})
	list := func(token, query string) []any {
		r := a.Must(http.StatusOK, "GET", "/api/v1/events/"+id+"/registrations"+query, token, nil).JSON()
		return r["items"].([]any)
	}
	names := func(items []any) (out []string) {
		for _, it := range items {
			out = append(out, it.(map[string]any)["name"].(string))
		}
		return out
	}
	all := list(w.admin.Token, "")
	if got := names(all); len(got) != 3 || !slices.Contains(got, "王芳") || !slices.Contains(got, "张伟") || !slices.Contains(got, "李娜") {
		t.Fatalf("the list: %v", got)
	}
	for _, it := range all {
		r := it.(map[string]any)
		if want := r["name"] != "李娜"; r["email_verified"] != want || r["university"] == "" || r["degree"] != "master" {
			t.Errorf("registrant %v", r)
		}
		if came := r["checked_in_at"] != nil; came != (r["name"] == "张伟") {
			t.Errorf("%v: checked in %v", r["name"], r["checked_in_at"])
		}
		if _, leaks := r["email"]; leaks {
			t.Errorf("the list shows an address: %v", r)
		}
	}
	if got := names(list(w.admin.Token, "?q="+url.QueryEscape("芳"))); len(got) != 1 || got[0] != "王芳" {
		t.Errorf("by a part of a name: %v", got)
	}
	if got := names(list(w.admin.Token, "?q=%25")); len(got) != 0 {
		t.Errorf("a %% matches every name: %v", got)
	}
	if got := names(list(w.admin.Token, "?checked_in=yes")); len(got) != 1 || got[0] != "张伟" {
		t.Errorf("those who came: %v", got)
	}
	if got := names(list(w.admin.Token, "?checked_in=no&per_page=1")); len(got) != 1 {
		t.Errorf("a page of those who did not: %v", got)
	}
	// Scope: the province and the ministry see it; no other area, no one else.
	list(a.ProvinceAdmin("51").Token, "")
	list(a.MinistryAdmin().Token, "")
	a.Must(http.StatusNotFound, "GET", "/api/v1/events/"+id+"/registrations", a.ZoneAdmin("sichuan-mianyang").Token, nil)
	a.Must(http.StatusNotFound, "GET", "/api/v1/events/"+id+"/registrations", a.ProvinceAdmin("44").Token, nil)
	a.Must(http.StatusForbidden, "GET", "/api/v1/events/"+id+"/registrations", wang.Token, nil)
	a.Must(http.StatusForbidden, "GET", "/api/v1/events/"+id+"/registrations", w.emp.Token, nil)
	a.Must(http.StatusUnauthorized, "GET", "/api/v1/events/"+id+"/registrations", "", nil)
	a.Must(http.StatusNotFound, "GET", "/api/v1/events/00000000-0000-0000-0000-000000000000/registrations", w.admin.Token, nil)
	if r := a.Must(http.StatusUnprocessableEntity, "GET", "/api/v1/events/"+id+"/registrations?checked_in=maybe", w.admin.Token, nil); r.Field("checked_in") == "" {
		t.Errorf("checked_in=maybe: %s", r.Body)
	}
	if r := a.Must(http.StatusUnprocessableEntity, "GET", "/api/v1/events/"+id+"/registrations?q="+strings.Repeat("名", 101), w.admin.Token, nil); r.Field("q") == "" {
		t.Errorf("a 101-character q: %s", r.Body)
	}
}

// An API probe: an opening listed at an event stayed on the public event
// page after its employer's edit sent it back to review, showing text no
// reviewer had read, and clicks on it were counted. The page lists what a
// visitor may open; the funnel still counts what was listed. The employer
// is told its opening was listed.
func TestEventListsOnlyPublishedOpenings(t *testing.T) {
	w := newWorld(t, 1)
	a := w.a
	id := eventListing(w, w.opening)
	// The employer is told, once (an events walk: employers learned it,
	// if ever, from applicants); a repeat or a re-pin tells nothing more.
	a.Must(http.StatusOK, "POST", "/api/v1/events/"+id+"/openings", w.admin.Token, map[string]any{"opening_ids": []string{w.opening}, "pinned": true})
	var told []any
	for _, it := range a.Must(http.StatusOK, "GET", "/api/v1/notifications", w.emp.Token, nil).JSON()["items"].([]any) {
		if n := it.(map[string]any); n["kind"] == "opening_at_event" {
			told = append(told, n)
		}
	}
	if len(told) != 1 || told[0].(map[string]any)["link"] != "/events/"+id || !strings.Contains(told[0].(map[string]any)["title"].(string), "列入活动") {
		t.Errorf("the employer's messages of the listing: %v", told)
	}
	a.Must(http.StatusNoContent, "POST", "/api/v1/events/"+id+"/clicks", "", map[string]string{"opening_id": w.opening})
	a.Must(http.StatusOK, "PATCH", "/api/v1/openings/"+w.opening, w.emp.Token, map[string]any{"title": "未经审核的标题"})

	for _, tok := range []string{"", a.Graduate().Token, w.admin.Token} {
		e := a.Must(http.StatusOK, "GET", "/api/v1/events/"+id, tok, nil).JSON()
		if listed, _ := e["openings"].([]any); len(listed) != 0 { // none: the field is left out
			t.Fatalf("an opening back in review is listed at the event: %v", listed)
		}
		if st := e["stats"].(map[string]any); st["openings"] != 1.0 || st["opening_clicks"] != 1.0 {
			t.Fatalf("the funnel forgot what was listed: %v", st)
		}
	}
	if page := a.Must(http.StatusOK, "GET", "/events/"+id, "", nil); strings.Contains(string(page.Body), "未经审核的标题") {
		t.Fatal("the event page shows an unreviewed title")
	}
	a.Must(http.StatusNotFound, "POST", "/api/v1/events/"+id+"/clicks", "", map[string]string{"opening_id": w.opening})

	// Approved again, it is back.
	a.Must(http.StatusOK, "POST", "/api/v1/openings/"+w.opening+"/approve", w.admin.Token, nil)
	if listed, _ := a.Must(http.StatusOK, "GET", "/api/v1/events/"+id, "", nil).JSON()["openings"].([]any); len(listed) != 1 {
		t.Fatalf("the approved opening is not listed again: %v", listed)
	}
}

// A probe registered for an event that had ended: 201, a confirmation
// mail and one more registration in its figures. It is 409 invalid_state
// now, and the event page says the event is over instead of offering it.
func TestNoRegistrationAfterTheEvent(t *testing.T) {
	w := newWorld(t, 1)
	now := time.Now()
	past := w.a.Must(http.StatusCreated, "POST", "/api/v1/events", w.admin.Token, eventBody("sichuan-chengdu", now.Add(-48*time.Hour), now.Add(-time.Hour))).JSON()["id"].(string)
	g := w.a.Graduate()
	if r := w.a.Do("POST", "/api/v1/events/"+past+"/registrations", g.Token, nil); r.Status != http.StatusConflict || r.ErrorCode() != "invalid_state" {
		t.Fatalf("registering after the event: %d %s", r.Status, r.Body)
	}
	if n := w.a.Must(http.StatusOK, "GET", "/api/v1/events/"+past, "", nil).JSON()["stats"].(map[string]any)["registrations"]; n != 0.0 {
		t.Errorf("%v registrations counted", n)
	}
	running := w.a.Must(http.StatusCreated, "POST", "/api/v1/events", w.admin.Token, eventBody("sichuan-chengdu", now.Add(-time.Hour), now.Add(time.Hour))).JSON()["id"].(string)
	w.a.Must(http.StatusCreated, "POST", "/api/v1/events/"+running+"/registrations", g.Token, nil)
}

// walk45a: staff may record an event that already took place (a year back
// at most), and an event over could never change: a wrong year picked in
// the date picker left a stray 已结束 event on the zone's list for good.
// An event over that no one took part in can still be put right or
// cancelled; once someone registered or applied through it, its figures
// were made with what it was, and it stays.
func TestAnEventRecordedWrongCanBePutRight(t *testing.T) {
	w := newWorld(t, 1)
	now := time.Now()
	past := func() string {
		return w.a.Must(http.StatusCreated, "POST", "/api/v1/events", w.admin.Token, eventBody("sichuan-chengdu", now.Add(-48*time.Hour), now.Add(-47*time.Hour))).JSON()["id"].(string)
	}
	wrongYear, stray, attended := past(), past(), past()
	next := now.AddDate(0, 1, 0).Truncate(time.Minute)
	moved := map[string]any{"starts_at": next.Format(time.RFC3339), "ends_at": next.Add(2 * time.Hour).Format(time.RFC3339)}
	if r := w.a.Do("PATCH", "/api/v1/events/"+wrongYear, w.a.ZoneAdmin("sichuan-mianyang").Token, moved); r.Status != http.StatusNotFound {
		t.Errorf("another zone's staff changed the event: %d %s", r.Status, r.Body)
	}
	ev := w.a.Must(http.StatusOK, "PATCH", "/api/v1/events/"+wrongYear, w.admin.Token, moved).JSON()
	if ev["starts_at"] != next.Format(time.RFC3339) {
		t.Errorf("put right, the event starts %v", ev["starts_at"])
	}
	if ev := w.a.Must(http.StatusOK, "POST", "/api/v1/events/"+stray+"/cancel", w.admin.Token, map[string]any{"reason": "误建的活动"}).JSON(); ev["status"] != "cancelled" {
		t.Errorf("cancelled: %v", ev["status"])
	}
	g := w.a.Graduate()
	testutil.SQL(t, w.a.DBURL).Exec(`INSERT INTO event_registrations (event_id, graduate_id, checkin_code) VALUES ($1, $2, 'attended-code')`, attended, g.ID)
	for _, r := range []testutil.Response{w.a.Do("PATCH", "/api/v1/events/"+attended, w.admin.Token, moved),
		w.a.Do("POST", "/api/v1/events/"+attended+"/cancel", w.admin.Token, map[string]any{"reason": "改期"})} {
		if r.Status != http.StatusConflict || r.ErrorCode() != "invalid_state" {
			t.Errorf("an event over that someone took part in changed: %d %s", r.Status, r.Body)
		}
	}
}

// A probe listed a full opening at an event (applying to it answers
// opening_closed) and openings at an event that had ended. An event lists
// what its visitors can apply to, while it can still be visited.
func TestEventTakesOnlyOpenOpenings(t *testing.T) {
	w := newWorld(t, 1)
	a := w.a
	now := time.Now()
	running := a.Must(http.StatusCreated, "POST", "/api/v1/events", w.admin.Token, eventBody("sichuan-chengdu", now.Add(-time.Hour), now.Add(time.Hour))).JSON()["id"].(string)
	full := a.Publish(w.emp, w.admin, map[string]any{"headcount": 1})
	g, app := a.Applicant(full, "")
	a.Hire(w.emp.Token, g.Token, app, domain.DateOf(now).String())
	r := a.Do("POST", "/api/v1/events/"+running+"/openings", w.admin.Token, map[string]any{"opening_ids": []string{w.opening, full}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Field("opening_ids"), full) {
		t.Fatalf("a full opening listed at an event: %d %s", r.Status, r.Body)
	}
	if st := a.Must(http.StatusOK, "GET", "/api/v1/events/"+running, w.admin.Token, nil).JSON()["stats"].(map[string]any); st["openings"] != 0.0 {
		t.Fatalf("a refused list left openings at the event: %v", st)
	}
	over := a.Must(http.StatusCreated, "POST", "/api/v1/events", w.admin.Token, eventBody("sichuan-chengdu", now.Add(-48*time.Hour), now.Add(-time.Hour))).JSON()["id"].(string)
	if r := a.Do("POST", "/api/v1/events/"+over+"/openings", w.admin.Token, map[string]any{"opening_ids": []string{w.opening}}); r.Status != http.StatusConflict || r.ErrorCode() != "invalid_state" {
		t.Fatalf("openings listed at an event that is over: %d %s", r.Status, r.Body)
	}
	a.Must(http.StatusOK, "POST", "/api/v1/events/"+running+"/openings", w.admin.Token, map[string]any{"opening_ids": []string{w.opening}})

	// A walk listed an opening at an event by mistake and found no way to
	// take it off. Its zone's staff can, while the event is not over; no
	// one else can, and an opening not at the event is 404.
	openings := func(ev string) float64 {
		return a.Must(http.StatusOK, "GET", "/api/v1/events/"+ev, w.admin.Token, nil).JSON()["stats"].(map[string]any)["openings"].(float64)
	}
	off := "/api/v1/events/" + running + "/openings/" + w.opening
	for _, who := range []string{a.ZoneAdmin("sichuan-mianyang").Token, a.ProvinceAdmin("51").Token, w.emp.Token} {
		if r := a.Do("DELETE", off, who, nil); r.Status != http.StatusNotFound && r.Status != http.StatusForbidden {
			t.Errorf("another took the opening off the event: %d %s", r.Status, r.Body)
		}
	}
	if openings(running) != 1 {
		t.Fatal("a refused removal took the opening off")
	}
	ev := a.Must(http.StatusOK, "DELETE", off, w.admin.Token, nil).JSON()
	if ev["id"] != running || openings(running) != 0 {
		t.Fatalf("after taking it off: %v, %v openings", ev["id"], openings(running))
	}
	a.Must(http.StatusNotFound, "DELETE", off, w.admin.Token, nil)
	a.Must(http.StatusNotFound, "DELETE", "/api/v1/events/"+running+"/openings/not-an-id", w.admin.Token, nil)
	// Once visitors opened it through the event it stays: its clicks are
	// the event's figures (a review found them deleted with the row).
	a.Must(http.StatusOK, "POST", "/api/v1/events/"+running+"/openings", w.admin.Token, map[string]any{"opening_ids": []string{w.opening}})
	a.Must(http.StatusNoContent, "POST", "/api/v1/events/"+running+"/clicks", "", map[string]any{"opening_id": w.opening})
	if r := a.Do("DELETE", off, w.admin.Token, nil); r.Status != http.StatusConflict || r.ErrorCode() != "invalid_state" {
		t.Errorf("an opening clicked through the event taken off: %d %s", r.Status, r.Body)
	}
	if clicks := a.Must(http.StatusOK, "GET", "/api/v1/events/"+running, w.admin.Token, nil).JSON()["stats"].(map[string]any)["opening_clicks"]; clicks != 1.0 || openings(running) != 1 {
		t.Errorf("after a refused removal: %v clicks, %v openings", clicks, openings(running))
	}
	// An event over keeps its list: its figures stand as they were.
	testutil.SQL(t, a.DBURL).Exec(`INSERT INTO event_openings (event_id, opening_id) VALUES ($1, $2)`, over, w.opening)
	if r := a.Do("DELETE", "/api/v1/events/"+over+"/openings/"+w.opening, w.admin.Token, nil); r.Status != http.StatusConflict || r.ErrorCode() != "invalid_state" {
		t.Errorf("an opening taken off an event that is over: %d %s", r.Status, r.Body)
	}
}

func TestEventsAttributionAndFunnel(t *testing.T) {
	w := newWorld(t, 10)
	a := w.a
	other := a.Publish(w.emp, w.admin, nil) // not at the event
	mianyang := a.ZoneAdmin("sichuan-mianyang")
	now := time.Now()
	// Who may create: the zone admin of that zone.
	a.Must(http.StatusForbidden, "POST", "/api/v1/events", w.emp.Token, eventBody("sichuan-chengdu", now, now.Add(time.Hour)))
	a.Must(http.StatusForbidden, "POST", "/api/v1/events", mianyang.Token, eventBody("sichuan-chengdu", now, now.Add(time.Hour)))
	bad := eventBody("sichuan-chengdu", now, now.Add(-time.Hour))
	bad["kind"], bad["stream_url"] = "party", "javascript:alert(1)"
	r := a.Must(http.StatusUnprocessableEntity, "POST", "/api/v1/events", w.admin.Token, bad)
	if r.Field("kind") == "" || r.Field("ends_at") == "" || r.Field("stream_url") == "" {
		t.Fatalf("event validation: %s", r.Body)
	}
	// An API probe made events in 1970 and 9999, and the public list showed
	// them: an event starts within a year back (a late record) and two ahead.
	for _, start := range []time.Time{time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC), now.AddDate(-1, 0, -1),
		now.AddDate(2, 0, 1), time.Date(9999, 12, 31, 20, 0, 0, 0, time.UTC)} {
		r := a.Must(http.StatusUnprocessableEntity, "POST", "/api/v1/events", w.admin.Token, eventBody("sichuan-chengdu", start, start.Add(time.Hour)))
		if r.Field("starts_at") != domain.ReasonEventStart {
			t.Errorf("an event starting %s: %s", start, r.Body)
		}
	}
	long := eventBody("sichuan-chengdu", now, now.Add(63*24*time.Hour))
	if r := a.Must(http.StatusUnprocessableEntity, "POST", "/api/v1/events", w.admin.Token, long); r.Field("ends_at") != "an event lasts at most 62 days" {
		t.Errorf("a 63-day event: %s", r.Body)
	}
	ev := a.Must(http.StatusCreated, "POST", "/api/v1/events", w.admin.Token, eventBody("sichuan-chengdu", now.Add(-time.Hour), now.Add(2*time.Hour))).JSON()
	id := ev["id"].(string)
	link := ev["tracked_link"].(string)
	if !strings.HasPrefix(link, "/e/") {
		t.Fatalf("tracked link %v", link)
	}
	// Openings: only published ones of the event's zone.
	foreign := a.Publish(a.VerifiedEmployer("51", "sichuan-mianyang"), mianyang, nil)
	if r := a.Must(http.StatusUnprocessableEntity, "POST", "/api/v1/events/"+id+"/openings", w.admin.Token, map[string]any{"opening_ids": []string{foreign}}); r.Field("opening_ids") == "" {
		t.Fatal(string(r.Body))
	}
	a.Must(http.StatusNotFound, "POST", "/api/v1/events/"+id+"/openings", mianyang.Token, map[string]any{"opening_ids": []string{w.opening}})
	a.Must(http.StatusOK, "POST", "/api/v1/events/"+id+"/openings", w.admin.Token, map[string]any{"opening_ids": []string{w.opening}, "pinned": true})

	// Funnel: page views through the tracked link, once a day for a
	// visitor (an address and a browser); opening clicks. A link checker
	// or a chat's preview asks HEAD: the same answer, no view counted
	// (review38: it counted as a visit).
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, visit := range [][2]string{{"GET", "手机浏览器"}, {"GET", "手机浏览器"}, {"GET", "电脑浏览器"}, {"GET", "平板浏览器"},
		{"GET", "平板浏览器"}, {"HEAD", "聊天预览"}, {"HEAD", "链接检查器"}} {
		req, _ := http.NewRequest(visit[0], a.URL+link, nil)
		req.Header.Set("User-Agent", visit[1])
		res, err := noRedirect.Do(req)
		if err != nil || res.StatusCode != http.StatusFound || !strings.Contains(res.Header.Get("Location"), id) {
			t.Fatalf("tracked link (%s): %v %v", visit[0], res, err)
		}
		res.Body.Close()
	}
	// A probe raised an opening's clicks from 0 to 100 with curl: 20 at
	// once from one visitor count once.
	var clicks sync.WaitGroup
	for range 20 {
		clicks.Go(func() {
			a.Must(http.StatusNoContent, "POST", "/api/v1/events/"+id+"/clicks", "", map[string]string{"opening_id": w.opening})
		})
	}
	clicks.Wait()
	a.Must(http.StatusNotFound, "POST", "/api/v1/events/"+id+"/clicks", "", map[string]string{"opening_id": other})
	a.Must(http.StatusNotFound, "POST", "/api/v1/events/"+id+"/clicks", "", map[string]string{"opening_id": "x"})

	// Registration and check-in.
	g1, g2, g3 := a.Graduate(), a.Graduate(), a.Graduate()
	reg := a.Must(http.StatusCreated, "POST", "/api/v1/events/"+id+"/registrations", g1.Token, nil).JSON()
	if code := a.Must(http.StatusConflict, "POST", "/api/v1/events/"+id+"/registrations", g1.Token, nil).ErrorCode(); code != "already_registered" {
		t.Fatal(code)
	}
	a.Must(http.StatusForbidden, "POST", "/api/v1/events/"+id+"/registrations", w.emp.Token, nil)
	a.Must(http.StatusCreated, "POST", "/api/v1/events/"+id+"/registrations", g2.Token, nil)
	a.Must(http.StatusUnprocessableEntity, "POST", "/api/v1/events/"+id+"/checkins", w.admin.Token, map[string]string{"code": "WRONG"})
	a.Must(http.StatusNotFound, "POST", "/api/v1/events/"+id+"/checkins", mianyang.Token, map[string]string{"code": reg["checkin_code"].(string)})
	a.Must(http.StatusOK, "POST", "/api/v1/events/"+id+"/checkins", w.admin.Token, map[string]string{"code": reg["checkin_code"].(string)})

	// Attribution: to an event opening while the event runs; the tracked
	// link only to openings listed at the event (TestAttributionRules);
	// not otherwise.
	byOpening := w.apply(g1, w.opening)
	code := strings.TrimPrefix(link, "/e/")
	byLink := a.Must(http.StatusCreated, "POST", "/api/v1/openings/"+w.opening+"/applications?via="+code, g2.Token, nil).JSON()
	plain := w.apply(g3, other)
	if a.Must(http.StatusOK, "GET", "/api/v1/applications/"+byOpening, g1.Token, nil).JSON()["event_id"] != id ||
		byLink["event_id"] != id || a.Must(http.StatusOK, "GET", "/api/v1/applications/"+plain, g3.Token, nil).JSON()["event_id"] != nil {
		t.Fatal("attribution wrong")
	}
	// What came of them: an offer and a placement, both attributed.
	w.move(w.emp.Token, byOpening, "offered")
	w.move(g1.Token, byOpening, "accepted")
	pid := w.move(w.emp.Token, byOpening, "hired").JSON()["placement_id"].(string)
	w.move(w.emp.Token, byLink["id"].(string), "offered")

	e := a.Must(http.StatusOK, "GET", "/api/v1/events/"+id, "", nil).JSON()
	stats := e["stats"].(map[string]any)
	want := map[string]float64{"openings": 1, "registrations": 2, "check_ins": 1, "page_views": 3, "opening_clicks": 1,
		"applications": 2, "offers": 2, "placements": 1}
	for k, v := range want {
		if stats[k] != v {
			t.Errorf("stats.%s = %v, want %v", k, stats[k], v)
		}
	}
	// One address counts at most its share of an event's hits a day, by
	// whatever browsers it names.
	for i := range domain.EventHitsPerAddress + 5 {
		if _, err := a.Server.Store.TrackEventView(context.Background(), code, domain.EventHit{Visitor: fmt.Sprint("浏览器", i), Address: "同一地址"}); err != nil {
			t.Fatal(err)
		}
	}
	if views := a.Must(http.StatusOK, "GET", "/api/v1/events/"+id, "", nil).JSON()["stats"].(map[string]any)["page_views"]; views != float64(3+domain.EventHitsPerAddress) {
		t.Errorf("page views after one address's %d: %v", domain.EventHitsPerAddress+5, views)
	}
	// Only the day's hits are read, and no earlier one is kept (a review:
	// they are keyed hashes of people's addresses).
	db := testutil.SQL(t, a.DBURL)
	if _, err := db.Exec(`UPDATE event_hits SET day = day - 1 WHERE event_id = $1`, id); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Server.Store.TrackEventView(context.Background(), code, domain.EventHit{Visitor: "明天的浏览器", Address: "另一地址"}); err != nil {
		t.Fatal(err)
	}
	if n := testutil.Column[int](t, db, `SELECT count(*)::int FROM event_hits WHERE event_id = $1`, id)[0]; n != 1 {
		t.Errorf("%d hits kept, want the day's one", n)
	}
	if pl := a.Must(http.StatusOK, "GET", "/api/v1/placements", w.admin.Token, nil).JSON()["items"].([]any)[0].(map[string]any); pl["id"] != pid || pl["event_id"] != id {
		t.Fatalf("placement attribution: %v", pl)
	}
	if l := a.Must(http.StatusOK, "GET", "/api/v1/events?zone=sichuan-chengdu", "", nil).JSON(); l["total"].(float64) != 1 {
		t.Fatalf("events list %v", l)
	}
	a.Must(http.StatusNotFound, "GET", "/api/v1/events/not-an-id", "", nil)

	// A staff walk: creating an event, offering openings at it and
	// checking someone in left no trace in the audit trail, which every
	// other staff action leaves. Each is there once, named by the event's
	// title, in the zone's scope and not another zone's; a repeated
	// check-in and a refused one add nothing.
	a.Must(http.StatusOK, "POST", "/api/v1/events/"+id+"/checkins", w.admin.Token, map[string]string{"code": reg["checkin_code"].(string)})
	a.Must(http.StatusOK, "POST", "/api/v1/events/"+id+"/openings", w.admin.Token, map[string]any{"opening_ids": []string{other}})
	// Re-pinning one already listed adds nothing to the trail (a review).
	a.Must(http.StatusOK, "POST", "/api/v1/events/"+id+"/openings", w.admin.Token, map[string]any{"opening_ids": []string{w.opening, w.opening}, "pinned": false})
	a.Must(http.StatusOK, "DELETE", "/api/v1/events/"+id+"/openings/"+other, w.admin.Token, nil)
	g1Name := a.Must(http.StatusOK, "GET", "/api/v1/me", g1.Token, nil).JSON()["name"].(string)
	for _, kind := range []string{"event.created", "event.openings_added", "event.opening_removed", "event.checked_in"} {
		items := a.Must(http.StatusOK, "GET", "/api/v1/audit?kind="+kind, w.admin.Token, nil).JSON()["items"].([]any)
		want := 1
		if kind == "event.openings_added" {
			want = 2
		}
		if len(items) != want {
			t.Errorf("%s: %d audit entries, want %d", kind, len(items), want)
			continue
		}
		it := items[0].(map[string]any)
		name := ev["title"].(string)
		if kind == "event.checked_in" {
			name += " · " + g1Name // whom, while the account lasts
		}
		if it["entity_type"] != "event" || it["entity_id"] != id || it["entity_name"] != name || it["zone_code"] != "sichuan-chengdu" || it["actor_id"] != w.admin.ID {
			t.Errorf("%s: %v", kind, it)
		}
		if n := a.Must(http.StatusOK, "GET", "/api/v1/audit?kind="+kind, mianyang.Token, nil).JSON()["total"]; n != 0.0 {
			t.Errorf("%s: another zone's staff see %v entries", kind, n)
		}
	}
	// The list reads a page's funnels in one query: each event still shows
	// its own, as its page does.
	eventWithPlaces(w, 5)
	listed := a.Must(http.StatusOK, "GET", "/api/v1/events?zone=sichuan-chengdu", "", nil).JSON()["items"].([]any)
	for _, it := range listed {
		e := it.(map[string]any)
		own := a.Must(http.StatusOK, "GET", "/api/v1/events/"+e["id"].(string), "", nil).JSON()["stats"]
		if fmt.Sprint(e["stats"]) != fmt.Sprint(own) {
			t.Errorf("event %s listed with %v, its page says %v", e["id"], e["stats"], own)
		}
	}
	if len(listed) != 2 || fmt.Sprint(listed[0].(map[string]any)["stats"]) == fmt.Sprint(listed[1].(map[string]any)["stats"]) {
		t.Errorf("the list's funnels: %v", listed)
	}
}

// reportWorld is a Chengdu opening of 20 positions, the Sichuan and ministry
// staff who read Chengdu's monthly reports, and today's date.
func reportWorld(t *testing.T) (w world, sichuan, ministry testutil.Account, today domain.Date) {
	w = newWorld(t, 20)
	return w, w.a.ProvinceAdmin("51"), w.a.MinistryAdmin(), domain.DateOf(time.Now())
}

// A month-end walk: no one above a zone learnt that a report had come in,
// and a zone was not told its report was accepted. Each step tells the
// level that acts next, in the site's messages: a zone's report its
// province's staff, a province's the ministry, a review the zone.
func TestReportCycleTellsTheNextLevel(t *testing.T) {
	w, sichuan, ministry, _ := reportWorld(t)
	a := w.a
	guangdong, colleague := a.ProvinceAdmin("44"), a.ProvinceAdmin("51")
	// Last July: a month of the season, and over.
	y := domain.DateOf(time.Now()).Year - 1
	notices := func(acc testutil.Account, kind string) []map[string]any {
		var out []map[string]any
		for _, it := range a.Must(http.StatusOK, "GET", "/api/v1/notifications", acc.Token, nil).JSON()["items"].([]any) {
			if n := it.(map[string]any); n["kind"] == kind {
				out = append(out, n)
			}
		}
		return out
	}
	zoneMonth := map[string]any{"zone": "sichuan-chengdu", "year": y, "month": 7}
	a.Must(http.StatusOK, "POST", "/api/v1/reports/monthly/submit", w.admin.Token, zoneMonth)
	got := notices(sichuan, "report_submitted")
	if len(got) != 1 || !strings.Contains(got[0]["title"].(string), "成都") || !strings.Contains(got[0]["title"].(string), "第1版") ||
		got[0]["link"] != fmt.Sprintf("/staff/reports?year=%d&month=7#report-sichuan-chengdu", y) {
		t.Fatalf("the province's message of the submission: %v", got)
	}
	if len(notices(guangdong, "report_submitted")) != 0 || len(notices(ministry, "report_submitted")) != 0 {
		t.Error("another province or the ministry was told of a zone's report")
	}
	review := map[string]any{"zone": "sichuan-chengdu", "year": y, "month": 7, "action": "return", "reason": "请核对7月招录数"}
	a.Must(http.StatusOK, "POST", "/api/v1/reports/monthly/review", sichuan.Token, review)
	// A walk: the province's 待审核 message stayed unread after the report
	// was returned or accepted, a to-do that was done. The review settles
	// it for every one of the province's staff; another zone's stays.
	for _, acc := range []testutil.Account{sichuan, colleague} {
		if got := notices(acc, "report_submitted"); len(got) != 1 || got[0]["read_at"] == nil {
			t.Errorf("the submission's message after the return: %v", got)
		}
	}
	// The zone answers the return with its resubmission (填报说明); a note
	// too long or with a hidden character is refused and nothing is sent.
	for _, bad := range []string{strings.Repeat("说", 501), "7月‮已核对"} {
		zoneMonth["note"] = bad
		if r := a.Must(http.StatusUnprocessableEntity, "POST", "/api/v1/reports/monthly/submit", w.admin.Token, zoneMonth); r.Field("note") == "" {
			t.Errorf("a note of %d characters: %s", len([]rune(bad)), r.Body)
		}
	}
	if got := notices(sichuan, "report_submitted"); len(got) != 1 {
		t.Fatalf("a refused resubmission told the province: %v", got)
	}
	zoneMonth["note"] = "  已核对：7月新增2人系补录6月入职，已更正。 "
	if r := a.Must(http.StatusOK, "POST", "/api/v1/reports/monthly/submit", w.admin.Token, zoneMonth).JSON(); r["note"] != "已核对：7月新增2人系补录6月入职，已更正。" || r["version"] != 2.0 {
		t.Errorf("the resubmission with its note: note %q, version %v", r["note"], r["version"])
	}
	if r := a.Must(http.StatusOK, "GET", fmt.Sprintf("/api/v1/reports/monthly?zone=sichuan-chengdu&year=%d&month=7", y), sichuan.Token, nil).JSON(); r["note"] != "已核对：7月新增2人系补录6月入职，已更正。" {
		t.Errorf("the province reads the note %q", r["note"])
	}
	if got := notices(sichuan, "report_submitted"); len(got) != 2 || !strings.Contains(got[0]["title"].(string)+got[1]["title"].(string), "第2版") ||
		got[0]["body"].(string)+got[1]["body"].(string) != "已核对：7月新增2人系补录6月入职，已更正。" {
		t.Errorf("the resubmission's message, with the zone's note: %v", got)
	}
	// The resubmission's audit line holds the returned version as its
	// "before" (walk41a: it had none, so no change showed).
	found := false
	for _, it := range a.Must(http.StatusOK, "GET", "/api/v1/audit?kind=report.submitted", w.admin.Token, nil).JSON()["items"].([]any) {
		if e := it.(map[string]any); e["entity_id"] == fmt.Sprintf("sichuan-chengdu/%d-07/v2", y) {
			found = true
			if before, _ := e["before"].(map[string]any); before["version"] != 1.0 || before["status"] != "returned" || before["placements"] == nil {
				t.Errorf("the resubmission's audit line: before %v, after %v", e["before"], e["after"])
			}
		}
	}
	if !found {
		t.Error("no audit line of the resubmission")
	}
	if got := notices(sichuan, "report_submitted"); len(got) != 2 || (got[0]["read_at"] == nil) == (got[1]["read_at"] == nil) {
		t.Errorf("the second version's message awaits the review, the first's was settled: %v", got)
	}
	a.Must(http.StatusOK, "POST", "/api/v1/reports/monthly/submit", a.ZoneAdmin("sichuan-zigong").Token,
		map[string]any{"zone": "sichuan-zigong", "year": y, "month": 7})
	review["action"], review["reason"] = "accept", ""
	a.Must(http.StatusOK, "POST", "/api/v1/reports/monthly/review", sichuan.Token, review)
	for _, n := range notices(colleague, "report_submitted") {
		if zigong := strings.HasSuffix(n["link"].(string), "#report-sichuan-zigong"); (n["read_at"] == nil) != zigong {
			t.Errorf("after Chengdu's acceptance (Zigong's awaits): %v", n)
		}
	}
	if got := notices(w.admin, "report_accepted"); len(got) != 1 || !strings.Contains(got[0]["title"].(string), "已审核通过") {
		t.Errorf("the zone's message of the acceptance: %v", got)
	}
	a.Must(http.StatusOK, "POST", "/api/v1/reports/monthly/province/submit", sichuan.Token, map[string]any{"province": "51", "year": y, "month": 7})
	if got := notices(ministry, "province_report_submitted"); len(got) != 1 || !strings.Contains(got[0]["title"].(string), "四川省") {
		t.Errorf("the ministry's message of the province's report: %v", got)
	}
}

func TestMonthlyReportFreezes(t *testing.T) {
	w, sichuan, ministry, today := reportWorld(t)
	a := w.a
	y, m := today.Year, today.Month
	q := fmt.Sprintf("zone=sichuan-chengdu&year=%d&month=%d", y, m)
	a.Must(http.StatusOK, "PUT", fmt.Sprintf("/api/v1/zones/sichuan-chengdu/quotas/%d", y), sichuan.Token, map[string]int{"target_positions": 40, "target_placements": 4})
	hireN(t, a, w.emp, w.opening, 2, today.String())

	r := a.Must(http.StatusOK, "GET", "/api/v1/reports/monthly?"+q, w.admin.Token, nil).JSON()
	if r["status"] != "draft" || r["due"] != domain.MonthEnd(y, m).String() || r["placements"] != 2.0 || r["completion_rate"] != 50.0 || r["positions_developed"] != 20.0 {
		t.Fatalf("draft report: %v", r)
	}
	// The report equals the progress numbers at the month's end.
	p := a.Must(http.StatusOK, "GET", fmt.Sprintf("/api/v1/zones/sichuan-chengdu/progress?year=%d", y), w.admin.Token, nil).JSON()
	if p["placements"] != r["placements"] || p["positions_developed"] != r["positions_developed"] {
		t.Fatalf("report %v/%v vs progress %v/%v", r["placements"], r["positions_developed"], p["placements"], p["positions_developed"])
	}
	if b := r["by_degree"].(map[string]any); b["master"] != 2.0 {
		t.Fatalf("by_degree %v", b)
	}
	// By discipline (学科门类), keyed by the codes of /reference: the opening's.
	if b := r["by_discipline"].(map[string]any); len(b) != 1 || b["engineering"] != 2.0 {
		t.Fatalf("by_discipline %v", b)
	}
	sub := map[string]any{"zone": "sichuan-chengdu", "year": y, "month": m}
	a.Must(http.StatusForbidden, "POST", "/api/v1/reports/monthly/submit", sichuan.Token, sub)
	a.Must(http.StatusNotFound, "POST", "/api/v1/reports/monthly/submit", a.ZoneAdmin("sichuan-mianyang").Token, sub)
	a.Must(http.StatusForbidden, "GET", "/api/v1/reports/monthly?"+q, w.emp.Token, nil)
	s := a.Must(http.StatusOK, "POST", "/api/v1/reports/monthly/submit", w.admin.Token, sub).JSON()
	if s["status"] != "submitted" || s["version"] != 1.0 {
		t.Fatalf("submit: %v", s)
	}
	if code := a.Must(http.StatusConflict, "POST", "/api/v1/reports/monthly/submit", w.admin.Token, sub).ErrorCode(); code != "already_submitted" {
		t.Fatal(code)
	}
	// Later hires and revokes do not change the submitted report.
	hireN(t, a, w.emp, w.opening, 1, today.String())
	pl := a.Must(http.StatusOK, "GET", "/api/v1/placements", w.admin.Token, nil).JSON()["items"].([]any)[0].(map[string]any)
	a.Must(http.StatusOK, "POST", "/api/v1/placements/"+pl["id"].(string)+"/revoke", w.admin.Token, map[string]string{"reason": "核查"})
	hireN(t, a, w.emp, w.opening, 2, today.String())
	frozen := a.Must(http.StatusOK, "GET", "/api/v1/reports/monthly?"+q, ministry.Token, nil).JSON()
	if frozen["placements"] != 2.0 || frozen["status"] != "submitted" {
		t.Fatalf("frozen report moved: %v", frozen)
	}
	// It says how the counts stand now against it (a numbers probe:
	// nothing told the reviewer that a submitted report was out of date).
	if ch, _ := frozen["changed_since_submitted"].(map[string]any); ch["placements"] != 2.0 || ch["positions_developed"] != 0.0 {
		t.Fatalf("the frozen report's change since: %v", frozen["changed_since_submitted"])
	}
	if b := frozen["by_discipline"].(map[string]any); b["engineering"] != 2.0 {
		t.Fatalf("frozen by_discipline moved: %v", b)
	}
	// A report frozen before the discipline breakdown existed has no such
	// key in its snapshot: it still reads, with by_discipline {}.
	testutil.SQL(t, a.DBURL).Exec(`UPDATE monthly_reports SET snapshot = snapshot - 'by_discipline' WHERE zone_code = 'sichuan-chengdu'`)
	old := a.Must(http.StatusOK, "GET", "/api/v1/reports/monthly?"+q, ministry.Token, nil).JSON()
	if b, ok := old["by_discipline"].(map[string]any); !ok || len(b) != 0 || old["placements"] != 2.0 {
		t.Fatalf("report frozen before disciplines: %v", old)
	}
	// Its change since names the values that moved, not every value of a
	// breakdown it was frozen without (review37: each such report read
	// 「提交后数据有变动：按学科门类：工学 0 → 4」, which no one changed).
	if ch, _ := old["changed_since_submitted"].(map[string]any); ch == nil || !strings.Contains(fmt.Sprint(ch["breakdowns"]), "by_degree:map[master:[2 4]]") ||
		strings.Contains(fmt.Sprint(ch["breakdowns"]), "by_discipline") {
		t.Fatalf("the change since of a report frozen before disciplines: %v", old["changed_since_submitted"])
	}
	// The province returns it; the zone corrects and resubmits: version 2, with the difference.
	a.Must(http.StatusUnprocessableEntity, "POST", "/api/v1/reports/monthly/review", sichuan.Token, map[string]any{"zone": "sichuan-chengdu", "year": y, "month": m, "action": "return"})
	a.Must(http.StatusForbidden, "POST", "/api/v1/reports/monthly/review", w.admin.Token, map[string]any{"zone": "sichuan-chengdu", "year": y, "month": m, "action": "accept"})
	// A probe: a zone's staff was told of a bad action (422) before being
	// told it may not review (403); a submit without a zone was "not found".
	a.Must(http.StatusForbidden, "POST", "/api/v1/reports/monthly/review", w.admin.Token, map[string]any{"zone": "sichuan-chengdu", "year": y, "month": m, "action": "bogus"})
	if r := a.Must(http.StatusUnprocessableEntity, "POST", "/api/v1/reports/monthly/review", sichuan.Token, map[string]any{"year": y, "month": m, "action": "bogus"}); r.Field("zone") == "" || r.Field("action") == "" {
		t.Errorf("a review without a zone, with a bad action: %s", r.Body)
	}
	if r := a.Must(http.StatusUnprocessableEntity, "POST", "/api/v1/reports/monthly/submit", w.admin.Token, map[string]any{"year": y, "month": m}); r.Field("zone") != "is required" {
		t.Errorf("a submit without a zone: %s", r.Body)
	}
	ret := a.Must(http.StatusOK, "POST", "/api/v1/reports/monthly/review", sichuan.Token, map[string]any{"zone": "sichuan-chengdu", "year": y, "month": m, "action": "return", "reason": "请核对本月招录人数"}).JSON()
	if ret["state"] != "returned" || ret["status"] != "draft" {
		t.Fatalf("returned: %v", ret)
	}
	v2 := a.Must(http.StatusOK, "POST", "/api/v1/reports/monthly/submit", w.admin.Token, sub).JSON()
	if v2["version"] != 2.0 || v2["placements"] != 4.0 {
		t.Fatalf("version 2: %v", v2)
	}
	vs := a.Must(http.StatusOK, "GET", "/api/v1/reports/monthly/versions?"+q, sichuan.Token, nil).JSON()["items"].([]any)
	changes := vs[1].(map[string]any)["changes"].(map[string]any)
	if len(vs) != 2 || fmt.Sprint(changes["placements"]) != "[2 4]" {
		t.Fatalf("versions diff: %v", changes)
	}
	// The diff lists the breakdowns' values that moved too, old → new (the
	// twenty-second round left it at the figures): per dimension, only
	// values whose counts differ. Version 1 was frozen (above) before the
	// discipline breakdown existed: it reads {}, as its report shows it.
	moved, _ := vs[1].(map[string]any)["breakdown_changes"].(map[string]any)
	if fmt.Sprint(moved["by_degree"]) != "map[master:[2 4]]" || fmt.Sprint(moved["by_discipline"]) != "map[engineering:[0 4]]" {
		t.Fatalf("versions' breakdown diff: %v", moved)
	}
	if first, ok := vs[0].(map[string]any)["breakdown_changes"].(map[string]any); !ok || len(first) != 0 {
		t.Fatalf("the first version's breakdown diff: %v", first)
	}
	a.Must(http.StatusOK, "POST", "/api/v1/reports/monthly/review", sichuan.Token, map[string]any{"zone": "sichuan-chengdu", "year": y, "month": m, "action": "accept"})
	if r := a.Must(http.StatusOK, "GET", "/api/v1/reports/monthly?"+q, ministry.Token, nil).JSON(); r["changed_since_submitted"] != nil {
		t.Fatalf("a report that agrees with the counts says it changed: %v", r["changed_since_submitted"])
	}
	var audits int
	testutil.SQL(t, a.DBURL).QueryRow(`SELECT count(*) FROM audit_log WHERE kind IN ('report.submitted','report.returned','report.accepted','quota.changed')`).Scan(&audits)
	if audits != 5 {
		t.Fatalf("%d report/quota audit rows, want 5", audits)
	}
	// Rejected changes leave no audit row.
	a.Do("POST", "/api/v1/reports/monthly/submit", w.admin.Token, sub)
	testutil.SQL(t, a.DBURL).QueryRow(`SELECT count(*) FROM audit_log WHERE kind = 'report.submitted'`).Scan(&audits)
	if audits != 2 {
		t.Fatalf("a refused submission was audited: %d", audits)
	}
}

// pastMonth is the latest month before today's that is (inSeason) or is
// not in the reporting season.
func pastMonth(today domain.Date, inSeason bool) (year, month int) {
	d := domain.Date{Year: today.Year, Month: today.Month, Day: 1}.AddDays(-1)
	for domain.InReportSeason(d.Month) != inSeason {
		d = domain.Date{Year: d.Year, Month: d.Month, Day: 1}.AddDays(-1)
	}
	return d.Year, d.Month
}

func TestReportOverdueAndReminders(t *testing.T) {
	w := newWorld(t, 5)
	a := w.a
	ministry := a.MinistryAdmin()
	// The last past month of the reporting season (May–August), unsubmitted,
	// is overdue; the month after next has not started.
	today := domain.DateOf(time.Now())
	y, m := pastMonth(today, true)
	r := a.Must(http.StatusOK, "GET", fmt.Sprintf("/api/v1/reports/monthly?zone=sichuan-chengdu&year=%d&month=%d", y, m), ministry.Token, nil).JSON()
	if r["state"] != "overdue" {
		t.Fatalf("state %v", r["state"])
	}
	st := a.Must(http.StatusOK, "GET", fmt.Sprintf("/api/v1/reports/monthly/status?year=%d&month=%d", y, m), ministry.Token, nil).JSON()
	if st["total"].(float64) != 178 || st["counts"].(map[string]any)["overdue"].(float64) != 178 {
		t.Fatalf("status: %v %v", st["total"], st["counts"])
	}
	// A browser walk saw all 178 zones flagged late for November: outside
	// the season no report is owed, so none is overdue, nor a province's.
	y, m = pastMonth(today, false)
	r = a.Must(http.StatusOK, "GET", fmt.Sprintf("/api/v1/reports/monthly?zone=sichuan-chengdu&year=%d&month=%d", y, m), ministry.Token, nil).JSON()
	st = a.Must(http.StatusOK, "GET", fmt.Sprintf("/api/v1/reports/monthly/status?year=%d&month=%d", y, m), ministry.Token, nil).JSON()
	if r["state"] != "draft" || st["counts"].(map[string]any)["overdue"] != nil && st["counts"].(map[string]any)["overdue"].(float64) != 0 {
		t.Fatalf("%d-%02d, out of season: state %v, counts %v", y, m, r["state"], st["counts"])
	}
	pr := a.Must(http.StatusOK, "GET", fmt.Sprintf("/api/v1/reports/monthly/province?province=51&year=%d&month=%d", y, m), ministry.Token, nil).JSON()
	if pr["state"] != "draft" {
		t.Fatalf("the province's report out of season: %v", pr["state"])
	}
	// Reminders: three days before the due date, once. The test server's
	// worker runs the same sweep on a schedule and may run it at the moved
	// clock too, so the test counts the reminders stored, not who sent them.
	ctx := context.Background()
	due := domain.MonthEnd(2026, 6)
	remind := func(daysBefore int) {
		t.Helper()
		a.Server.Store.SetClock(func() time.Time { return due.AddDays(-daysBefore).Time().Add(9 * time.Hour) })
		if _, err := a.Server.Store.RemindReports(ctx); err != nil {
			t.Fatal(err)
		}
	}
	db := testutil.SQL(t, a.DBURL)
	reminders := func(daysBefore int) (n int64) {
		db.QueryRow(`SELECT count(*) FROM notifications WHERE kind = 'report_due' AND dedupe_key LIKE $1`,
			fmt.Sprintf("report_due:2026-06:%d:%%", daysBefore)).Scan(&n)
		return n
	}
	var admins int64
	db.QueryRow(`SELECT count(*) FROM users WHERE role = 'zone_admin'`).Scan(&admins)
	remind(3)
	if err := a.Server.Background.RemindReports(ctx); err != nil { // as the scheduled job would
		t.Fatal(err)
	}
	remind(3)
	if n := reminders(3); n != admins || n == 0 {
		t.Fatalf("%d reminders three days before (zone admins %d)", n, admins)
	}
	remind(2)
	if n := reminders(2); n != 0 {
		t.Fatalf("%d reminders two days before", n)
	}
	remind(1)
	if n := reminders(1); n != admins {
		t.Fatalf("%d reminders the day before (zone admins %d)", n, admins)
	}
	// Out of season nobody is reminded: three days before November's end.
	a.Server.Store.SetClock(func() time.Time { return domain.MonthEnd(2026, 11).AddDays(-3).Time().Add(9 * time.Hour) })
	if n, err := a.Server.Store.RemindReports(ctx); err != nil || n != 0 {
		t.Fatalf("%d reminders for November (%v)", n, err)
	}
}

func TestMonthlyWorkbook(t *testing.T) {
	w, sichuan, ministry, today := reportWorld(t)
	a := w.a
	my := a.VerifiedEmployer("51", "sichuan-mianyang")
	myOpening := a.Publish(my, a.ZoneAdmin("sichuan-mianyang"), map[string]any{"headcount": 5})
	hireN(t, a, w.emp, w.opening, 3, today.String())
	hireN(t, a, my, myOpening, 1, today.String())
	zl := a.VerifiedEmployer("51", "") // outside any zone: counts toward Sichuan and the nation
	hireN(t, a, zl, a.Publish(zl, sichuan, nil), 1, today.String())
	a.Must(http.StatusOK, "PUT", fmt.Sprintf("/api/v1/zones/sichuan-chengdu/quotas/%d", today.Year), sichuan.Token, map[string]int{"target_positions": 40, "target_placements": 6})

	fetch := func(tok, query string) *excelize.File {
		t.Helper()
		r := a.Must(http.StatusOK, "GET", fmt.Sprintf("/api/v1/reports/monthly.xlsx?year=%d&month=%d%s", today.Year, today.Month, query), tok, nil)
		f, err := excelize.OpenReader(bytes.NewReader(r.Body))
		if err != nil {
			t.Fatalf("workbook: %v", err)
		}
		return f
	}
	f := fetch(sichuan.Token, "")
	rows, _ := f.GetRows("月报汇总")
	// Header, Sichuan's 8 zones, the employers outside zones, totals: a
	// walk found the workbook 30 positions short of the province's report
	// on screen, the zone-less employers' (the brief: they count toward
	// the province and the nation).
	if len(rows) != 1+8+1+1 {
		t.Fatalf("%d rows in the province workbook", len(rows))
	}
	if rows[0][1] != "高新区" || rows[len(rows)-1][0] != "合计" || rows[len(rows)-2][1] != "不属于高新区的单位" {
		t.Fatalf("headers/outside/totals: %v / %v / %v", rows[0], rows[len(rows)-2], rows[len(rows)-1])
	}
	var sumPl, sumPos int
	var chengdu []string
	for _, r := range rows[1 : len(rows)-1] {
		var pl, pos int
		fmt.Sscan(r[7], &pl)
		fmt.Sscan(r[4], &pos)
		sumPl, sumPos = sumPl+pl, sumPos+pos
		if r[0] == "sichuan-chengdu" {
			chengdu = r
		}
	}
	totals := rows[len(rows)-1]
	if totals[7] != fmt.Sprint(sumPl) || totals[4] != fmt.Sprint(sumPos) || sumPl != 5 || rows[len(rows)-2][7] != "1" {
		t.Fatalf("totals %v vs sums %d/%d (outside zones %v)", totals, sumPl, sumPos, rows[len(rows)-2])
	}
	pr51 := a.Must(http.StatusOK, "GET", fmt.Sprintf("/api/v1/reports/monthly/province?year=%d&month=%d", today.Year, today.Month), sichuan.Token, nil).JSON()
	pp51 := a.Must(http.StatusOK, "GET", fmt.Sprintf("/api/v1/provinces/51/progress?year=%d", today.Year), sichuan.Token, nil).JSON()
	if totals[4] != fmt.Sprint(pr51["positions_developed"]) || totals[7] != fmt.Sprint(pr51["placements"]) || totals[6] != fmt.Sprint(pp51["target_placements"]) {
		t.Fatalf("workbook totals %v; the province's report %v/%v, its target %v", totals, pr51["positions_developed"], pr51["placements"], pp51["target_placements"])
	}
	api := a.Must(http.StatusOK, "GET", fmt.Sprintf("/api/v1/reports/monthly?zone=sichuan-chengdu&year=%d&month=%d", today.Year, today.Month), sichuan.Token, nil).JSON()
	if chengdu[7] != fmt.Sprint(api["placements"]) || chengdu[8] != "50.0%" {
		t.Fatalf("Chengdu row %v vs API %v", chengdu, api["placements"])
	}
	if panes, _ := f.GetPanes("月报汇总"); !panes.Freeze {
		t.Fatal("header row not frozen")
	}
	if sheets := f.GetSheetList(); strings.Join(sheets, ",") != "月报汇总,按单位类型,按单位规模,按行业,按学历,按学科门类,说明" {
		t.Fatalf("sheets %v", sheets)
	}
	// The discipline sheet: Chengdu's 3 placements under 工学 (engineering);
	// every discipline has its column, 0 where none (a walk: files of other
	// months and areas did not line up).
	ds, _ := f.GetRows("按学科门类")
	if len(ds) != len(rows) || len(ds[0]) != 2+len(domain.Disciplines)+1 || ds[0][2] != domain.Disciplines[0].Zh || ds[0][len(ds[0])-1] != "合计" {
		t.Fatalf("discipline sheet header %v (%d rows)", ds[0], len(ds))
	}
	eng := slices.Index(ds[0], "工学")
	for _, r := range ds[1:] {
		if r[0] == "sichuan-chengdu" && (r[eng] != "3" || r[len(r)-1] != "3" || r[2] != "0") {
			t.Fatalf("Chengdu by discipline: %v", r)
		}
	}
	// The workbook says what it is: whose, which month, when made (a walk
	// printed and forwarded anonymous workbooks).
	about, _ := f.GetRows("说明")
	if len(about) < 3 || !strings.Contains(about[0][1], fmt.Sprintf("%d年%d月", today.Year, today.Month)) || about[1][1] != "四川省" ||
		!strings.Contains(about[2][1], "北京时间") {
		t.Errorf("the 说明 sheet: %v", about)
	}
	if props, err := f.GetDocProps(); err != nil || !strings.HasPrefix(props.Created, fmt.Sprint(time.Now().Year())) || !strings.Contains(props.Title, "四川省") {
		t.Errorf("document properties: %+v %v", props, err)
	}
	// Printed and stamped: landscape, one page wide, the heading on every
	// page, the title in the page header.
	if pl, err := f.GetPageLayout("月报汇总"); err != nil || pl.Orientation == nil || *pl.Orientation != "landscape" || pl.FitToWidth == nil || *pl.FitToWidth != 1 {
		t.Errorf("page layout: %+v %v", pl, err)
	}
	titles := false
	for _, n := range f.GetDefinedName() {
		titles = titles || (n.Name == "_xlnm.Print_Titles" && n.Scope == "月报汇总" && strings.HasSuffix(n.RefersTo, "!$1:$1"))
	}
	if hf, err := f.GetHeaderFooter("月报汇总"); err != nil || !titles || !strings.Contains(hf.OddHeader, "四川省") {
		t.Errorf("print titles %v, page header %+v (%v)", titles, hf, err)
	}
	// Each area's file has its own name.
	for tok, want := range map[string]string{sichuan.Token: "province-51", ministry.Token: "national", w.admin.Token: "sichuan-chengdu"} {
		r := a.Must(http.StatusOK, "GET", fmt.Sprintf("/api/v1/reports/monthly.xlsx?year=%d&month=%d", today.Year, today.Month), tok, nil)
		if got := r.Header.Get("Content-Disposition"); got != fmt.Sprintf(`attachment; filename="gradzone-monthly-%d-%02d-%s.xlsx"`, today.Year, today.Month, want) {
			t.Errorf("the workbook's name: %s", got)
		}
	}
	if last := ds[len(ds)-1]; last[len(last)-1] != "5" {
		t.Fatalf("discipline totals: %v", last)
	}
	// Scope: a zone admin gets its zone, the ministry every zone.
	zr, _ := fetch(w.admin.Token, "").GetRows("月报汇总")
	if len(zr) != 3 || zr[1][0] != "sichuan-chengdu" {
		t.Fatalf("zone workbook: %v", zr)
	}
	national := fetch(ministry.Token, "")
	mr, _ := national.GetRows("月报汇总")
	if len(mr) != 181 || mr[179][1] != "不属于高新区的单位" {
		t.Fatalf("national workbook rows %d", len(mr))
	}
	// The ministry's province level (a month-end walk): its second sheet
	// has a row per province, its own report's figures (Sichuan: its two
	// zones' 4 and the 1 outside any zone), its state, and a totals row;
	// a province's file has no such sheet.
	if sheets := national.GetSheetList(); len(sheets) < 2 || sheets[1] != "各省汇总" {
		t.Fatalf("the national workbook's sheets %v", sheets)
	}
	ps, _ := national.GetRows("各省汇总")
	states, _ := a.Must(http.StatusOK, "GET", fmt.Sprintf("/api/v1/reports/monthly/provinces?year=%d&month=%d", today.Year, today.Month), ministry.Token, nil).JSON()["items"].([]any)
	if len(ps) != len(states)+2 || ps[0][1] != "省份" || ps[len(ps)-1][0] != "合计" {
		t.Fatalf("the provinces sheet: %d rows for %d provinces", len(ps), len(states))
	}
	unsubmitted := "未报送"
	if !domain.InReportSeason(today.Month) {
		unsubmitted = "无需报送"
	}
	for _, r := range ps[1 : len(ps)-1] {
		if r[0] == "51" && (r[1] != "四川省" || r[6] != "5" || r[10] != "1" || r[11] != unsubmitted) {
			t.Errorf("Sichuan's row: %v", r)
		}
	}
	if last := ps[len(ps)-1]; last[6] != "5" {
		t.Errorf("the provinces' total placements: %v", last)
	}
	if sheets := f.GetSheetList(); slices.Contains(sheets, "各省汇总") {
		t.Error("a province's workbook has the provinces sheet")
	}
	// A zone's note with its submission (填报说明) is in the workbooks
	// above it, beside the version (it was on the site only); a note that
	// reads as a formula is text (SafeText's apostrophe).
	a.Must(http.StatusOK, "POST", "/api/v1/reports/monthly/submit", w.admin.Token,
		map[string]any{"zone": "sichuan-chengdu", "year": today.Year, "month": today.Month, "note": "=本月补录2人，已核对"})
	noted := fetch(sichuan.Token, "")
	if sheets := noted.GetSheetList(); strings.Join(sheets[len(sheets)-2:], ",") != "填报说明,说明" {
		t.Fatalf("a workbook with a note: sheets %v", sheets)
	}
	if nr, _ := noted.GetRows("填报说明"); len(nr) != 2 || nr[1][0] != "sichuan-chengdu" || !strings.HasPrefix(nr[1][2], "已报送 v1") ||
		nr[1][3] != "'=本月补录2人，已核对" {
		t.Errorf("the notes sheet: %v", nr)
	}
	if a1, _ := noted.GetCellStyle("填报说明", "A1"); a1 == 0 {
		t.Error("the notes sheet's header has no style")
	} else if d1, _ := noted.GetCellStyle("填报说明", "D1"); d1 != a1 {
		t.Errorf("the notes sheet's header: D1 styled %d, A1 %d", d1, a1)
	}
	pr, _ := fetch(ministry.Token, "&province=44").GetRows("月报汇总")
	if len(pr) < 3 || pr[1][2] != "44" {
		t.Fatalf("filtered workbook: %v", pr[:2])
	}
	a.Must(http.StatusForbidden, "GET", "/api/v1/reports/monthly.xlsx?year=2026&month=1", w.emp.Token, nil)
	a.Must(http.StatusUnprocessableEntity, "GET", "/api/v1/reports/monthly.xlsx?year=2026", sichuan.Token, nil)
	// CSV of placements, phones masked. It is read in batches after the
	// last row read (a review: one statement held open for a slow
	// download met statement_timeout): batches of 2 cross ties on a day
	// and the change of day, and the file holds each row once, newest
	// hire first, as the list does.
	a.Server.Store.SetExportBatch(2)
	csv := a.Must(http.StatusOK, "GET", "/api/v1/placements.csv", sichuan.Token, nil)
	if lines := strings.Count(string(csv.Body), "\n"); lines != 1+5 { // header, 5 placements in Sichuan
		t.Fatalf("csv lines %d: %s", lines, csv.Body)
	}
	var listed []string
	for _, it := range a.Must(http.StatusOK, "GET", "/api/v1/placements?per_page=100", sichuan.Token, nil).JSON()["items"].([]any) {
		listed = append(listed, it.(map[string]any)["id"].(string))
	}
	var exported []string
	for _, line := range strings.Split(strings.TrimSpace(string(csv.Body)), "\n")[1:] {
		exported = append(exported, strings.SplitN(line, ",", 2)[0])
	}
	if strings.Join(exported, " ") != strings.Join(listed, " ") {
		t.Errorf("the CSV's rows %v, the list's %v", exported, listed)
	}
	// A probe: a status the JSON list refuses gave an empty file.
	if r := a.Must(http.StatusUnprocessableEntity, "GET", "/api/v1/placements.csv?status=ACTIVE", sichuan.Token, nil); r.Field("status") == "" {
		t.Errorf("the CSV's bad status: %s", r.Body)
	}
	// A download names what it holds, as the workbook does (a walk saved
	// several months' exports, each "placements.csv").
	for query, want := range map[string]string{"": "gradzone-placements.csv", "?year=2026": "gradzone-placements-2026.csv",
		"?year=2026&month=7": "gradzone-placements-2026-07.csv"} {
		got := a.Must(http.StatusOK, "GET", "/api/v1/placements.csv"+query, sichuan.Token, nil).Header.Get("Content-Disposition")
		if got != `attachment; filename="`+want+`"` {
			t.Errorf("placements.csv%s: Content-Disposition %q, want %s", query, got, want)
		}
	}
}

func xlsx(t testing.TB, rows [][]any) []byte {
	f := excelize.NewFile()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		f.SetSheetRow("Sheet1", cell, &r)
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func waitImport(t *testing.T, a *testutil.App, tok, id string) map[string]any {
	deadline := time.Now().Add(20 * time.Second)
	for {
		j := a.Must(http.StatusOK, "GET", "/api/v1/imports/"+id, tok, nil).JSON()
		if j["status"] != "running" {
			return j
		}
		if time.Now().After(deadline) {
			t.Fatalf("import still running: %v", j)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestImports(t *testing.T) {
	w := newWorld(t, 5)
	a := w.a
	tpl := a.Must(http.StatusOK, "GET", "/api/v1/imports/templates/openings.xlsx", w.admin.Token, nil)
	if _, err := excelize.OpenReader(bytes.NewReader(tpl.Body)); err != nil {
		t.Fatal(err)
	}
	good1, good2, dup := testutil.RandomCreditCode(), testutil.RandomCreditCode(), testutil.RandomCreditCode()
	a.VerifiedEmployer("51", "sichuan-chengdu") // registers some code; we add a duplicate of good1 below
	emps := xlsx(t, [][]any{
		{"单位名称", "统一社会信用代码", "单位类型", "单位规模", "所属行业"},
		{"导入科技有限公司", good1, "enterprise", "small", "ai"},
		{"错误代码公司", "914403001922038217", "enterprise", "small", "ai"}, // bad check character
		{"导入研究院", good2, "institute", "medium", "biomedicine"},
		{"类型错误", dup, "ngo", "small", "ai"},
		{"重复代码公司", good1, "enterprise", "small", "ai"}, // duplicate of row 2: refused by the database
	})
	r := a.UploadFile("/api/v1/imports/employers", w.admin.Token, "e.xlsx", emps)
	if r.Status != 202 {
		t.Fatalf("start: %d %s", r.Status, r.Body)
	}
	job := waitImport(t, a, w.admin.Token, r.JSON()["id"].(string))
	errs := job["errors"].([]any)
	if job["status"] != "done" || job["created"] != 2.0 || job["total"] != 5.0 || len(errs) != 3 {
		t.Fatalf("employer import: %v", job)
	}
	rowsBad := []float64{3, 5, 6}
	for i, e := range errs {
		em := e.(map[string]any)
		if em["row"] != rowsBad[i] || em["column"] == "" || em["reason"] == "" {
			t.Errorf("error %d: %v", i, em)
		}
	}
	db := testutil.SQL(t, a.DBURL)
	var n int
	db.QueryRow(`SELECT count(*) FROM employers WHERE credit_code IN ($1, $2, $3)`, good1, good2, dup).Scan(&n)
	if n != 2 {
		t.Fatalf("%d employers stored, want exactly the 2 valid rows", n)
	}
	// Openings for the imported employers, published at once.
	ops := xlsx(t, [][]any{
		excelHeaders("openings"),
		{good1, "导入岗位一", "描述", "engineering", "ai", "bachelor", "软件工程、人工智能", 3, "成都", 5000, 8000, testutil.InDays(60)},
		{good1, "导入岗位二", "描述", "engineering", "ai", "bachelor", "", 0, "成都", 5000, 8000, testutil.InDays(60)},                 // headcount 0
		{"914403001922038216", "别区单位岗位", "描述", "engineering", "ai", "bachelor", "", 1, "深圳", 5000, 8000, testutil.InDays(60)}, // not in the zone
		{good2, "导入岗位三", "描述", "medicine", "biomedicine", "master", "药学", 2, "成都", 6000, 5000, testutil.InDays(60)},           // salary
		{good2, "导入岗位四", "描述", "medicine", "biomedicine", "master", "药学", "两", "成都", 6000, 9000, testutil.InDays(60)},
	})
	r = a.UploadFile("/api/v1/imports/openings", w.admin.Token, "o.xlsx", ops)
	job = waitImport(t, a, w.admin.Token, r.JSON()["id"].(string))
	if job["created"] != 1.0 || len(job["errors"].([]any)) != 4 {
		t.Fatalf("opening import: %v", job)
	}
	db.QueryRow(`SELECT count(*) FROM openings WHERE title LIKE '导入岗位%' AND status = 'published'`).Scan(&n)
	if n != 1 {
		t.Fatalf("%d imported openings", n)
	}
	// Not a workbook; other zones cannot read the job; employers cannot import.
	if r := a.UploadFile("/api/v1/imports/openings", w.admin.Token, "x.xlsx", []byte("not excel")); r.Status != 422 {
		t.Fatalf("garbage upload: %d", r.Status)
	}
	a.Must(http.StatusNotFound, "GET", "/api/v1/imports/"+job["id"].(string), a.ZoneAdmin("sichuan-mianyang").Token, nil)
	if r := a.UploadFile("/api/v1/imports/openings", w.emp.Token, "o.xlsx", ops); r.Status != 403 {
		t.Fatalf("employer import: %d", r.Status)
	}
	// The audit trail, scoped and filtered. A walk read an imported opening
	// as "审核通过岗位 · 待审核 → 已发布" by the official who imported it, and an
	// imported employer as verified "via import": each is recorded as an
	// import now, and an approval is a reviewer's.
	au := a.Must(http.StatusOK, "GET", "/api/v1/audit?kind=opening.approved", w.admin.Token, nil).JSON()
	if au["total"].(float64) != 1 { // the world's opening
		t.Fatalf("approvals in the audit: %v", au["total"])
	}
	// An imported opening was never under review: its entry has no before
	// (a walk read 待审核 → 已发布).
	if it := a.Must(http.StatusOK, "GET", "/api/v1/audit?kind=opening.imported", w.admin.Token, nil).JSON()["items"].([]any); len(it) != 1 || it[0].(map[string]any)["before"] != nil {
		t.Errorf("the imported opening's audit entry: %v", it)
	}
	for kind, want := range map[string]float64{"opening.imported": 1, "employer.imported": 2} {
		if n := a.Must(http.StatusOK, "GET", "/api/v1/audit?kind="+kind, w.admin.Token, nil).JSON()["total"]; n != want {
			t.Errorf("%s in the audit: %v, want %v", kind, n, want)
		}
	}
	if o := a.Must(http.StatusOK, "GET", "/api/v1/audit", a.ZoneAdmin("sichuan-mianyang").Token, nil).JSON(); o["total"].(float64) != 0 {
		t.Fatalf("other zone reads audit rows: %v", o["total"])
	}
	a.Must(http.StatusForbidden, "GET", "/api/v1/audit", w.emp.Token, nil)
	a.Must(http.StatusUnprocessableEntity, "GET", "/api/v1/audit?from=yesterday", w.admin.Token, nil)
	// IDs are opaque strings, the contract says: an audit entry's was its
	// row number, which told anyone how many events the system had logged.
	for _, it := range a.Must(http.StatusOK, "GET", "/api/v1/audit", w.admin.Token, nil).JSON()["items"].([]any) {
		if id, ok := it.(map[string]any)["id"].(string); !ok || len(id) != 36 {
			t.Fatalf("an audit entry's id: %v", it.(map[string]any)["id"])
		}
	}
	// A date is a whole Shanghai day: from=D&to=D is that day's entries (a
	// probe got none: "to" read as the day's first instant, not its last).
	all := a.Must(http.StatusOK, "GET", "/api/v1/audit", w.admin.Token, nil).JSON()["total"]
	today := domain.DateOf(time.Now()).String()
	if got := a.Must(http.StatusOK, "GET", "/api/v1/audit?from="+today+"&to="+today, w.admin.Token, nil).JSON()["total"]; got != all {
		t.Errorf("from=%s&to=%s: %v entries, want all %v of today", today, today, got, all)
	}
	yesterday := domain.DateOf(time.Now()).AddDays(-1).String()
	if got := a.Must(http.StatusOK, "GET", "/api/v1/audit?to="+yesterday, w.admin.Token, nil).JSON()["total"]; got != 0.0 {
		t.Errorf("to=%s: %v entries of today", yesterday, got)
	}
}

func excelHeaders(kind string) []any {
	var out []any
	for _, h := range map[string][]string{"openings": {"统一社会信用代码", "岗位名称", "岗位描述", "学科门类", "所属行业", "最低学历", "专业要求", "招聘人数", "工作城市", "最低月薪", "最高月薪", "截止日期"}}[kind] {
		out = append(out, h)
	}
	return out
}

// Left by the twentieth round: the audit list paged by offset only, so a
// line written while a reader paged moved every later page by one (a line
// read twice, at each new one), and deep pages cost the database a scan of
// all before them. ?before=ID (a line's id, next_before of the page read)
// lists the lines older than it, whatever was written since; offset
// paging still works, and each page says the next cursor.
func TestAuditPagesByCursor(t *testing.T) {
	a := testutil.NewApp(t)
	admin := a.ZoneAdmin("sichuan-chengdu")
	db := testutil.SQL(t, a.DBURL)
	insert := func(from, to int) {
		t.Helper()
		if _, err := db.Exec(`INSERT INTO audit_log (kind, entity_type, entity_id, zone_code, province_code)
			SELECT 'opening.approved', 'opening', 'entry-' || g, 'sichuan-chengdu', '51' FROM generate_series($1::int, $2::int) g ORDER BY g`, from, to); err != nil {
			t.Fatal(err)
		}
	}
	insert(1, 120)
	page := func(query string) (entries []string, total float64, next any) {
		t.Helper()
		body := a.Must(http.StatusOK, "GET", "/api/v1/audit?kind=opening.approved&per_page=50"+query, admin.Token, nil).JSON()
		items := body["items"].([]any)
		for _, it := range items {
			entries = append(entries, it.(map[string]any)["entity_id"].(string))
		}
		if n, ok := body["next_before"]; !ok {
			t.Fatalf("%s: no next_before (total %v, page %v)", query, body["total"], body["page"])
		} else if len(items) > 0 && n != nil && n != items[len(items)-1].(map[string]any)["id"] {
			t.Errorf("%s: next_before %v is not the last line's id", query, n)
		}
		return entries, body["total"].(float64), body["next_before"]
	}
	first, total, next := page("")
	if len(first) != 50 || first[0] != "entry-120" || first[49] != "entry-71" || total != 120 || next == nil {
		t.Fatalf("first page: %d lines %v…, total %v, next %v", len(first), first[:1], total, next)
	}
	cursor := next.(string)
	insert(121, 121) // written while the reader pages
	second, total, next := page("&before=" + next.(string))
	if len(second) != 50 || second[0] != "entry-70" || second[49] != "entry-21" || total != 70 || next == nil {
		t.Fatalf("the page before the first's last: %d lines %v…%v, total %v", len(second), second[:1], second[len(second)-1:], total)
	}
	third, total, next := page("&before=" + next.(string))
	if len(third) != 20 || third[0] != "entry-20" || third[19] != "entry-1" || total != 20 || next != nil {
		t.Fatalf("the last page: %d lines, total %v, next %v", len(third), total, next)
	}
	// Offset paging still works: the line written meanwhile moved it by one.
	if byOffset, total, next := page("&page=2"); len(byOffset) != 50 || byOffset[0] != "entry-71" || total != 121 || next == nil {
		t.Errorf("page=2: %d lines from %v, total %v", len(byOffset), byOffset[:1], total)
	}
	if last, _, next := page("&page=3"); len(last) != 21 || next != nil {
		t.Errorf("page=3: %d lines, next %v", len(last), next)
	}
	// Another zone's reader given the cursor is told it is no entry, as for
	// one that never was: answering 200 said the entry exists elsewhere (a
	// review).
	if r := a.Do("GET", "/api/v1/audit?before="+cursor, a.ZoneAdmin("sichuan-mianyang").Token, nil); r.Status != http.StatusUnprocessableEntity || r.Field("before") != "is not an audit entry" {
		t.Errorf("another zone's reader from the cursor: %d %s", r.Status, r.Body)
	}
	for _, bad := range []string{"entry-1", "00000000-0000-4000-8000-000000000000"} {
		if r := a.Do("GET", "/api/v1/audit?before="+bad, admin.Token, nil); r.Status != http.StatusUnprocessableEntity || !strings.Contains(string(r.Body), `"before"`) {
			t.Errorf("before=%s: %d %s", bad, r.Status, r.Body)
		}
	}
}

// A probe asked for another province's reports and placements: the
// province's own report answered 404, the report list, the workbook and the
// placements 200 with nothing in them (a workbook titled "0个高新区"). A
// list narrowed to a zone or province outside the caller's scope is 404,
// as the zone or province itself is; inside it, the list.
func TestFilterOutsideScopeIsNotFound(t *testing.T) {
	w := newWorld(t, 1)
	a := w.a
	sichuan, ministry := a.ProvinceAdmin("51"), a.MinistryAdmin()
	today := domain.DateOf(time.Now())
	hireN(t, a, w.emp, w.opening, 1, today.String())
	month := fmt.Sprintf("year=%d&month=%d", today.Year, today.Month)
	for _, tc := range []struct {
		who  testutil.Account
		path string
		want int
	}{
		{sichuan, "/api/v1/reports/monthly/status?province=11&" + month, http.StatusNotFound},
		{sichuan, "/api/v1/reports/monthly.xlsx?province=11&" + month, http.StatusNotFound},
		{sichuan, "/api/v1/placements?province=11", http.StatusNotFound},
		{sichuan, "/api/v1/placements.csv?province=11", http.StatusNotFound},
		{sichuan, "/api/v1/placements?zone=beijing-zhongguancun", http.StatusNotFound},
		{sichuan, "/api/v1/placements?zone=no-such-zone", http.StatusNotFound},
		{w.admin, "/api/v1/placements?zone=sichuan-mianyang", http.StatusNotFound},
		{w.admin, "/api/v1/placements?province=44", http.StatusNotFound},
		{w.admin, "/api/v1/reports/monthly/status?province=44&" + month, http.StatusNotFound},
		{sichuan, "/api/v1/reports/monthly/status?province=51&" + month, http.StatusOK},
		{sichuan, "/api/v1/placements?zone=sichuan-chengdu", http.StatusOK},
		{w.admin, "/api/v1/placements?province=51&zone=sichuan-chengdu", http.StatusOK},
		{ministry, "/api/v1/placements.csv?province=11", http.StatusOK},
		{ministry, "/api/v1/placements?province=99", http.StatusNotFound}, // no such province
		{ministry, "/api/v1/reports/monthly.xlsx?province=99&" + month, http.StatusNotFound},
		{ministry, "/api/v1/reports/monthly.xlsx?province=11&" + month, http.StatusOK},
		{w.emp, "/api/v1/placements?province=11", http.StatusOK}, // an employer's own, narrowed
	} {
		if r := a.Do("GET", tc.path, tc.who.Token, nil); r.Status != tc.want {
			t.Errorf("%s as %s: %d, want %d: %.200s", tc.path, tc.who.Email, r.Status, tc.want, r.Body)
		}
	}
	if n := a.Must(http.StatusOK, "GET", "/api/v1/placements?zone=sichuan-chengdu", sichuan.Token, nil).JSON()["total"]; n != 1.0 {
		t.Errorf("Chengdu's placements as Sichuan: %v", n)
	}
}

func TestProvinceReport(t *testing.T) {
	w := newWorld(t, 10)
	a := w.a
	sichuan := a.ProvinceAdmin("51")
	ministry := a.MinistryAdmin()
	zl := a.VerifiedEmployer("51", "")
	zlOpening := a.Publish(zl, sichuan, nil)
	today := domain.DateOf(time.Now())
	hireN(t, a, w.emp, w.opening, 2, today.String())
	hireN(t, a, zl, zlOpening, 1, today.String())
	a.Must(http.StatusOK, "PUT", fmt.Sprintf("/api/v1/zones/sichuan-chengdu/quotas/%d", today.Year), sichuan.Token, map[string]int{"target_positions": 40, "target_placements": 6})
	q := fmt.Sprintf("province=51&year=%d&month=%d", today.Year, today.Month)
	r := a.Must(http.StatusOK, "GET", "/api/v1/reports/monthly/province?"+q, sichuan.Token, nil).JSON()
	if r["status"] != "draft" || r["placements"] != 3.0 || r["zoneless_placements"] != 1.0 || len(r["zones"].([]any)) != 8 {
		t.Fatalf("province report: %v", r)
	}
	// A staff walk: the province's own report had its totals only. It has
	// what a zone's has: the targets (its zones' here), both rates, last
	// year's count and every breakdown of its placements, zone-less ones
	// too.
	if r["target_placements"] != 6.0 || r["target_positions"] != 40.0 || r["completion_rate"] != 50.0 || r["placements_prev_year"] != 0.0 {
		t.Errorf("the province report's targets and rates: %v", r)
	}
	for _, d := range domain.Dimensions {
		var n float64
		for _, v := range r[d.Field].(map[string]any) {
			n += v.(float64)
		}
		if n != 3 {
			t.Errorf("the province report's %s adds up to %v, want 3: %v", d.Field, n, r[d.Field])
		}
	}
	a.Must(http.StatusNotFound, "GET", fmt.Sprintf("/api/v1/reports/monthly/province?province=44&year=%d&month=%d", today.Year, today.Month), sichuan.Token, nil)
	// An API review (review42b): the ministry asking for a province that
	// is none ("99", "ab") was answered 200 with an empty report of it; and
	// naming none, a report of province "".
	for _, p := range []string{"99", "ab", "5"} {
		a.Must(http.StatusNotFound, "GET", fmt.Sprintf("/api/v1/reports/monthly/province?province=%s&year=%d&month=%d", p, today.Year, today.Month), ministry.Token, nil)
	}
	if r := a.Must(http.StatusUnprocessableEntity, "GET", fmt.Sprintf("/api/v1/reports/monthly/province?year=%d&month=%d", today.Year, today.Month), ministry.Token, nil); r.Field("province") == "" {
		t.Errorf("the ministry naming no province: %s", r.Body)
	}
	a.Must(http.StatusForbidden, "GET", "/api/v1/reports/monthly/province?"+q, w.admin.Token, nil)
	body := map[string]any{"province": "51", "year": today.Year, "month": today.Month}
	a.Must(http.StatusForbidden, "POST", "/api/v1/reports/monthly/province/submit", ministry.Token, body)
	a.Must(http.StatusOK, "POST", "/api/v1/reports/monthly/province/submit", sichuan.Token, body)
	if code := a.Must(http.StatusConflict, "POST", "/api/v1/reports/monthly/province/submit", sichuan.Token, body).ErrorCode(); code != "already_submitted" {
		t.Fatal(code)
	}
	// The month is final for the province's zones: a return would leave
	// the report to the ministry naming a version the zone then replaced
	// (a month-end walk). Accepting changes no figure and stays open.
	zoneMonth := map[string]any{"zone": "sichuan-chengdu", "year": today.Year, "month": today.Month}
	a.Must(http.StatusOK, "POST", "/api/v1/reports/monthly/submit", w.admin.Token, zoneMonth)
	ret := map[string]any{"zone": "sichuan-chengdu", "year": today.Year, "month": today.Month, "action": "return", "reason": "请核对本月招录人数"}
	if code := a.Must(http.StatusConflict, "POST", "/api/v1/reports/monthly/review", sichuan.Token, ret).ErrorCode(); code != "invalid_state" {
		t.Errorf("a return after the province reported: %s", code)
	}
	if st := a.Must(http.StatusOK, "GET", "/api/v1/reports/monthly?zone=sichuan-chengdu&year="+fmt.Sprint(today.Year)+"&month="+fmt.Sprint(today.Month), sichuan.Token, nil).JSON()["status"]; st != "submitted" {
		t.Errorf("the refused return changed the zone's report: %v", st)
	}
	ret["action"], ret["reason"] = "accept", ""
	a.Must(http.StatusOK, "POST", "/api/v1/reports/monthly/review", sichuan.Token, ret)
	// Frozen: a later hire does not change it.
	hireN(t, a, w.emp, w.opening, 1, today.String())
	if r := a.Must(http.StatusOK, "GET", "/api/v1/reports/monthly/province?"+q, ministry.Token, nil).JSON(); r["placements"] != 3.0 || r["status"] != "submitted" {
		t.Fatalf("frozen province report moved: %v", r["placements"])
	}
	states := a.Must(http.StatusOK, "GET", fmt.Sprintf("/api/v1/reports/monthly/provinces?year=%d&month=%d", today.Year, today.Month), ministry.Token, nil).JSON()
	submitted := 0
	for _, it := range states["items"].([]any) {
		if it.(map[string]any)["state"] == "submitted" {
			submitted++
		}
	}
	if states["total"].(float64) != 32 || submitted != 1 {
		t.Fatalf("province states: %v", states)
	}
	a.Must(http.StatusForbidden, "GET", fmt.Sprintf("/api/v1/reports/monthly/provinces?year=%d&month=%d", today.Year, today.Month), sichuan.Token, nil)
}

// TestAttributionRules: a tracking code attributes an application only to an
// opening listed at its event, of the event's zone, from the event's start to
// domain.AttributionWindow after its end; the codes are shown to staff of the
// event's zone only (issue 12, finding 8).
func TestAttributionRules(t *testing.T) {
	w := newWorld(t, 10)
	a := w.a
	now := time.Now()
	event := func(admin testutil.Account, zone string, start, end time.Time, openings ...string) (id, code string) {
		ev := a.Must(http.StatusCreated, "POST", "/api/v1/events", admin.Token, eventBody(zone, start, end)).JSON()
		id = ev["id"].(string)
		a.Must(http.StatusOK, "POST", "/api/v1/events/"+id+"/openings", admin.Token, map[string]any{"opening_ids": openings})
		return id, ev["tracking_code"].(string)
	}
	// applyVia applies with a code and returns the attributed event ("" for none).
	applyVia := func(opening, code string) string {
		g := a.Graduate()
		app := a.Must(http.StatusCreated, "POST", "/api/v1/openings/"+opening+"/applications?via="+code, g.Token, nil).JSON()
		e, _ := app["event_id"].(string)
		return e
	}

	unlisted := a.Publish(w.emp, w.admin, nil)
	running, runningCode := event(w.admin, "sichuan-chengdu", now.Add(-time.Hour), now.Add(time.Hour), w.opening)
	mianyang := a.Staff(domain.RoleZoneAdmin, "sichuan-mianyang", "")
	myOpening := a.Publish(a.VerifiedEmployer("51", "sichuan-mianyang"), mianyang, nil)
	_, foreignCode := event(mianyang, "sichuan-mianyang", now.Add(-time.Hour), now.Add(time.Hour), myOpening)
	later := a.Publish(w.emp, w.admin, nil)
	start, end := now.Add(48*time.Hour), now.Add(72*time.Hour)
	upcoming, upcomingCode := event(w.admin, "sichuan-chengdu", start, end, later)

	// Codes only for staff of the event's zone: not in public lists or
	// pages, not for graduates, employers or another zone's staff.
	for _, who := range []string{"", w.emp.Token, a.Graduate().Token, mianyang.Token} {
		for _, path := range []string{"/api/v1/events?zone=sichuan-chengdu", "/api/v1/events/" + running} {
			if body := string(a.Must(http.StatusOK, "GET", path, who, nil).Body); strings.Contains(body, runningCode) || strings.Contains(body, "tracked_link") {
				t.Errorf("GET %s shows the tracking code: %s", path, body)
			}
		}
	}
	if ev := a.Must(http.StatusOK, "GET", "/api/v1/events/"+running, w.admin.Token, nil).JSON(); ev["tracking_code"] != runningCode {
		t.Errorf("zone staff does not see the code: %v", ev)
	}

	// Listed opening while running: counts.
	if got := applyVia(w.opening, runningCode); got != running {
		t.Errorf("listed opening via its code: %q, want %q", got, running)
	}
	// An opening not listed at the event: the code does not count.
	if got := applyVia(unlisted, runningCode); got != "" {
		t.Errorf("unlisted opening attributed to %q", got)
	}
	// Another zone's code on a listed opening: only the running event of
	// the opening's own zone gets it.
	if got := applyVia(w.opening, foreignCode); got != running {
		t.Errorf("foreign code: %q, want the opening's own running event %q", got, running)
	}
	if got := applyVia(later, foreignCode); got != "" {
		t.Errorf("foreign code attributed %q", got)
	}
	// Before the event starts: nothing.
	if got := applyVia(later, upcomingCode); got != "" {
		t.Errorf("before the start attributed to %q", got)
	}
	// After the end, within the window: counts; past it: not.
	a.Server.Store.SetClock(func() time.Time { return end.Add(domain.AttributionWindow - time.Hour) })
	if got := applyVia(later, upcomingCode); got != upcoming {
		t.Errorf("within the window: %q, want %q", got, upcoming)
	}
	a.Server.Store.SetClock(func() time.Time { return end.Add(domain.AttributionWindow + time.Hour) })
	if got := applyVia(later, upcomingCode); got != "" {
		t.Errorf("after the window attributed to %q", got)
	}
}

// Finding 4 of issue 12: a graduate's name that looks like a formula must not
// reach a spreadsheet as a live formula through placements.csv.
func TestPlacementsCSVNeutralisesFormulas(t *testing.T) {
	w := newWorld(t, 5)
	a := w.a
	const evil = `=HYPERLINK("http://x","y")`
	body := testutil.GraduateBody(fmt.Sprintf("formula-%d@example.cn", time.Now().UnixNano()))
	body["name"] = evil
	r := a.Must(http.StatusCreated, "POST", "/api/v1/auth/register", "", body)
	g := r.JSON()["access_token"].(string)
	app := a.Must(http.StatusCreated, "POST", "/api/v1/openings/"+w.opening+"/applications", g, nil).JSON()["id"].(string)
	a.Hire(w.emp.Token, g, app, domain.DateOf(time.Now()).String())

	res := a.Must(http.StatusOK, "GET", "/api/v1/placements.csv", w.admin.Token, nil)
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(res.Body), "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatalf("csv: %v", err)
	}
	if len(recs) != 2 {
		t.Fatalf("%d records: %v", len(recs), recs)
	}
	col := -1
	for i, h := range recs[0] {
		if h == "graduate" {
			col = i
		}
	}
	if got := recs[1][col]; got != "'"+evil {
		t.Fatalf("graduate cell %q: a spreadsheet would run it as a formula", got)
	}
	for _, rec := range recs[1:] {
		for _, cell := range rec {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("cell %q starts with a formula character", cell)
			}
		}
	}
}

// A registration's code checked in days before its event counted
// attendance for a fair not yet held (a browser walk checked one in 72
// hours early). Check-in opens 12 hours before the start (doors open
// early) and stays open after the end (a late sheet); before that it is
// 409 invalid_state and changes nothing, by code and by the QR link.
func TestCheckInOpensHalfADayBefore(t *testing.T) {
	w := newWorld(t, 1)
	a := w.a
	now := time.Now()
	start := now.Add(13 * time.Hour)
	id := a.Must(http.StatusCreated, "POST", "/api/v1/events", w.admin.Token, eventBody("sichuan-chengdu", start, start.Add(2*time.Hour))).JSON()["id"].(string)
	g := a.Graduate()
	code := a.Must(http.StatusCreated, "POST", "/api/v1/events/"+id+"/registrations", g.Token, nil).JSON()["checkin_code"].(string)

	r := a.Must(http.StatusConflict, "POST", "/api/v1/events/"+id+"/checkins", w.admin.Token, map[string]string{"code": code})
	if r.ErrorCode() != "invalid_state" || r.Field("starts_at") != domain.ReasonCheckInNotOpen {
		t.Fatalf("13 hours early: %s", r.Body)
	}
	token := app.CheckinToken(a.Server.App.Links, id, g.ID, start.Add(2*time.Hour))
	if _, err := a.Server.App.CheckInByLink(context.Background(), domain.Caller{UserID: w.admin.ID, Role: domain.RoleZoneAdmin, ZoneCode: "sichuan-chengdu", ProvinceCode: "51"}, token); domain.CodeOf(err) != domain.CodeInvalidState {
		t.Fatalf("the QR link 13 hours early: %v", err)
	}
	stats := a.Must(http.StatusOK, "GET", "/api/v1/events/"+id, "", nil).JSON()["stats"].(map[string]any)
	if stats["check_ins"] != 0.0 {
		t.Fatalf("an early check-in counted: %v", stats)
	}

	// Eleven hours before, and after the end: open.
	a.Server.Store.SetClock(func() time.Time { return now.Add(2 * time.Hour) })
	a.Must(http.StatusOK, "POST", "/api/v1/events/"+id+"/checkins", w.admin.Token, map[string]string{"code": code})
	late := a.Graduate()
	lateCode := a.Must(http.StatusCreated, "POST", "/api/v1/events/"+id+"/registrations", late.Token, nil).JSON()["checkin_code"].(string)
	a.Server.Store.SetClock(func() time.Time { return start.Add(26 * time.Hour) })
	a.Must(http.StatusOK, "POST", "/api/v1/events/"+id+"/checkins", w.admin.Token, map[string]string{"code": lateCode})
}

// eventICS is the calendar entry of a mail about an event (event.ics),
// read back.
func eventICS(t *testing.T, m testutil.Mail) ical.Invite {
	t.Helper()
	for _, at := range m.Attachments {
		if at.FileName == "event.ics" {
			in, err := ical.Parse(at.Data)
			if err != nil {
				t.Fatalf("%q: event.ics: %v", m.Subject, err)
			}
			return in
		}
	}
	t.Fatalf("%q has no event.ics: %v", m.Subject, m.Attachments)
	return ical.Invite{}
}

// A staff walk: an event could be neither changed nor cancelled, so a
// fair that moved kept its old day on the site, in 我的活动 and in every
// registered graduate's calendar. Staff of its zone change it now, and a
// change of time or place is mailed to those registered with the new
// calendar entry (same UID, higher SEQUENCE) and their reminder re-armed;
// a cancellation is mailed with the reason and cancels the entry, and the
// event takes nothing more. Nobody else changes it, and a refused change
// changes nothing.
func TestEventChangeAndCancel(t *testing.T) {
	mp := testutil.NewMailpit(t)
	a := testutil.NewApp(t, testutil.PublicURL("http://gradzone.example.test"))
	admin := a.ZoneAdmin("sichuan-chengdu")
	now := time.Now()
	start := now.Add(72 * time.Hour).Truncate(time.Minute)
	ev := a.Must(http.StatusCreated, "POST", "/api/v1/events", admin.Token, map[string]any{"kind": "job_fair", "title": "成都高新区科研助理专场招聘会",
		"zone_code": "sichuan-chengdu", "starts_at": start.Format(time.RFC3339), "ends_at": start.Add(4 * time.Hour).Format(time.RFC3339),
		"description": "现场招聘", "location": "菁蓉汇 3 号馆"}).JSON()
	id := ev["id"].(string)
	if ev["status"] != "scheduled" || ev["cancelled_at"] != nil {
		t.Fatalf("a new event: status %v, cancelled_at %v", ev["status"], ev["cancelled_at"])
	}
	g := a.Graduate()
	a.MarkVerified(g.ID)
	a.Must(http.StatusCreated, "POST", "/api/v1/events/"+id+"/registrations", g.Token, nil)
	registered := mp.WaitForSubject(g.Email, "报名成功", 30*time.Second)
	entry := eventICS(t, registered)
	if entry.Method != ical.MethodRequest || entry.Sequence != 0 || !entry.Start.Equal(start) || entry.Location != "菁蓉汇 3 号馆" {
		t.Fatalf("the registration's calendar entry: %+v", entry)
	}
	// The English page links the English download (an English walk: the
	// link had no lang=en).
	if page := string(a.Must(http.StatusOK, "GET", "/events/"+id+"?lang=en", "", nil).Body); !strings.Contains(page, `href="/events/`+id+`/calendar.ics?lang=en"`) {
		t.Errorf("the English page's calendar link:\n%s", page)
	}

	// Nobody else changes it, and bad input changes nothing.
	for _, tc := range []struct {
		who  testutil.Account
		want int
	}{{a.ZoneAdmin("sichuan-mianyang"), http.StatusNotFound}, {a.ProvinceAdmin("51"), http.StatusForbidden}, {g, http.StatusForbidden}} {
		a.Must(tc.want, "PATCH", "/api/v1/events/"+id, tc.who.Token, map[string]any{"title": "改掉的标题"})
		a.Must(tc.want, "POST", "/api/v1/events/"+id+"/cancel", tc.who.Token, map[string]any{"reason": "场地检修"})
	}
	a.Must(http.StatusUnauthorized, "PATCH", "/api/v1/events/"+id, "", map[string]any{"title": "改掉的标题"})
	for body, field := range map[string]string{
		`{"title":"​​"}`: "title", `{"ends_at":"` + start.Add(-time.Hour).Format(time.RFC3339) + `"}`: "ends_at",
		`{"starts_at":"tomorrow"}`: "starts_at", `{"stream_url":"ftp://x"}`: "stream_url", `{"location":"一楼\n二楼"}`: "location",
		`{"title":"招聘会\n第二行"}`: "title", // a title is one line: it goes into mail subjects
	} {
		if r := a.Do("PATCH", "/api/v1/events/"+id, admin.Token, []byte(body)); r.Status != http.StatusUnprocessableEntity || r.Field(field) == "" {
			t.Errorf("PATCH %s: %d %s", body, r.Status, r.Body)
		}
	}
	a.Must(http.StatusBadRequest, "PATCH", "/api/v1/events/"+id, admin.Token, []byte(`{"title":7}`))
	a.Must(http.StatusNotFound, "PATCH", "/api/v1/events/not-an-id", admin.Token, map[string]any{"title": "改掉的标题"})
	if got := a.Must(http.StatusOK, "GET", "/api/v1/events/"+id, "", nil).JSON(); got["title"] != ev["title"] || got["starts_at"] != ev["starts_at"] || got["location"] != ev["location"] {
		t.Fatalf("a refused change changed the event: %v", got)
	}

	// A new description is no news: no mail, no new sequence.
	got := a.Must(http.StatusOK, "PATCH", "/api/v1/events/"+id, admin.Token, map[string]any{"description": "现场招聘，请带简历"}).JSON()
	if got["description"] != "现场招聘，请带简历" || got["title"] != ev["title"] {
		t.Fatalf("after a description change: %v", got)
	}

	// The reminder goes out the day before...
	store := a.Server.Store
	store.SetClock(func() time.Time { return start.Add(-23 * time.Hour) })
	if n, err := store.RemindEvents(context.Background()); err != nil || n != 1 {
		t.Fatalf("the reminder: %d, %v", n, err)
	}
	mp.WaitForSubject(g.Email, "活动提醒", 30*time.Second)
	store.SetClock(time.Now)

	// ...then the fair moves a day later and to another hall.
	moved := start.Add(24 * time.Hour)
	got = a.Must(http.StatusOK, "PATCH", "/api/v1/events/"+id, admin.Token, map[string]any{"starts_at": moved.Format(time.RFC3339),
		"ends_at": moved.Add(3 * time.Hour).Format(time.RFC3339), "location": "菁蓉汇 5 号馆"}).JSON()
	if got["location"] != "菁蓉汇 5 号馆" || got["starts_at"] != moved.UTC().Format(time.RFC3339) && got["starts_at"] != moved.Format(time.RFC3339) {
		t.Fatalf("after the move: %v", got)
	}
	changed := mp.WaitForSubject(g.Email, "时间或地点有变", 30*time.Second)
	if !strings.Contains(changed.Text, "菁蓉汇 5 号馆") || !strings.Contains(changed.Text, moved.In(domain.Shanghai).Format("2006-01-02 15:04")) {
		t.Errorf("the change mail does not say the new time and place:\n%s", changed.Text)
	}
	entry2 := eventICS(t, changed)
	if entry2.UID != entry.UID || entry2.Sequence != 1 || entry2.Method != ical.MethodRequest || !entry2.Start.Equal(moved) || entry2.Location != "菁蓉汇 5 号馆" {
		t.Errorf("the changed calendar entry: %+v (was %+v)", entry2, entry)
	}
	a.MailLinksWork(changed, "http://gradzone.example.test", g.Email)
	var events []string // the event's mails, not the account's
	for _, m := range mp.Messages(g.Email) {
		if strings.Contains(m.Subject, "招聘会") {
			events = append(events, m.Subject)
		}
	}
	if len(events) != 3 {
		t.Errorf("mails %q: want registered, reminded, changed (a new description mails nobody)", events)
	}
	if !strings.Contains(changed.Text, "菁蓉汇 3 号馆") || !strings.Contains(changed.Text, start.In(domain.Shanghai).Format("2006-01-02 15:04")) {
		t.Errorf("the change mail does not say what the event was:\n%s", changed.Text)
	}
	// The reminder is re-armed for the new day, and sent (a review found
	// it queued under the first reminder's send key, so never sent).
	store.SetClock(func() time.Time { return moved.Add(-23 * time.Hour) })
	if n, err := store.RemindEvents(context.Background()); err != nil || n != 1 {
		t.Fatalf("the reminder of the new day: %d, %v", n, err)
	}
	store.SetClock(time.Now)
	waitMails(t, mp, g.Email, "活动提醒", 2)
	updates := a.Must(http.StatusOK, "GET", "/api/v1/audit?kind=event.updated", admin.Token, nil).JSON()["items"].([]any)
	var moves []string
	for _, u := range updates {
		e := u.(map[string]any)
		if after, _ := e["after"].(map[string]any); after["location"] != nil {
			moves = append(moves, fmt.Sprint(e["before"].(map[string]any)["location"], " → ", after["location"]))
		}
	}
	if len(updates) != 2 || len(moves) != 1 || moves[0] != "菁蓉汇 3 号馆 → 菁蓉汇 5 号馆" {
		t.Errorf("event.updated in the audit trail (%d entries): %q", len(updates), moves)
	}

	// Its kind and zone stay, and a move may not leave it over.
	for body, field := range map[string]string{`{"kind":"livestream"}`: "kind", `{"zone_code":"sichuan-mianyang"}`: "zone_code",
		`{"starts_at":"` + now.Add(-3*time.Hour).Format(time.RFC3339) + `","ends_at":"` + now.Add(-time.Hour).Format(time.RFC3339) + `"}`: "ends_at"} {
		if r := a.Do("PATCH", "/api/v1/events/"+id, admin.Token, []byte(body)); r.Status != http.StatusUnprocessableEntity || r.Field(field) == "" {
			t.Errorf("PATCH %s: %d %s", body, r.Status, r.Body)
		}
	}
	a.Must(http.StatusOK, "PATCH", "/api/v1/events/"+id, admin.Token, map[string]any{"kind": "job_fair", "zone_code": "sichuan-chengdu"})
	// A second move is mailed again, with the next sequence.
	moved = moved.Add(time.Hour)
	a.Must(http.StatusOK, "PATCH", "/api/v1/events/"+id, admin.Token, map[string]any{"starts_at": moved.Format(time.RFC3339),
		"ends_at": moved.Add(3 * time.Hour).Format(time.RFC3339)})
	if entry := eventICS(t, waitMails(t, mp, g.Email, "时间或地点有变", 2)); entry.Sequence != 2 || !entry.Start.Equal(moved) {
		t.Errorf("the second move's calendar entry: %+v", entry)
	}
	// A walk's five quick moves were mailed by parallel workers and the
	// last to arrive showed an older time: a change mail a later change
	// overtook before it was sent is dropped; the latest is sent.
	ctx := context.Background()
	current, err := a.Server.App.Event(ctx, domain.Caller{}, id)
	if err != nil {
		t.Fatal(err)
	}
	// So is a reminder (held by the mail limit) of a time that moved since:
	// it would give the old time after the change mail gave the new.
	for _, kind := range []domain.MailKind{domain.MailEventChanged, domain.MailEventReminder} {
		for seq, wantSent := range map[int]bool{current.Sequence - 1: false, current.Sequence: true} {
			e := current
			e.Sequence = seq
			key := fmt.Sprintf("test-%s-%s-%d", kind, id, seq)
			if err := a.Server.Background.SendMail(ctx, key, domain.MailRequest{Kind: kind, UserID: g.ID, Data: domain.EventMailData(e)}); err != nil {
				t.Fatal(err)
			}
			if sent, err := a.Server.Store.MailSent(ctx, key); err != nil || sent != wantSent {
				t.Errorf("%s of sequence %d (the event's is %d) sent: %v (%v)", kind, seq, current.Sequence, sent, err)
			}
		}
	}

	// Cancelled: with a reason, once.
	if r := a.Do("POST", "/api/v1/events/"+id+"/cancel", admin.Token, map[string]any{"reason": " "}); r.Status != http.StatusUnprocessableEntity || r.Field("reason") == "" {
		t.Fatalf("a cancellation without a reason: %d %s", r.Status, r.Body)
	}
	got = a.Must(http.StatusOK, "POST", "/api/v1/events/"+id+"/cancel", admin.Token, map[string]any{"reason": "场馆临时检修，改为线上宣讲"}).JSON()
	if got["status"] != "cancelled" || got["cancelled_at"] == nil || got["cancel_reason"] != "场馆临时检修，改为线上宣讲" {
		t.Fatalf("the cancelled event: %v", got)
	}
	cancelled := mp.WaitForSubject(g.Email, "活动已取消", 30*time.Second)
	if !strings.Contains(cancelled.Text, "场馆临时检修，改为线上宣讲") {
		t.Errorf("the cancellation mail does not give the reason:\n%s", cancelled.Text)
	}
	if entry3 := eventICS(t, cancelled); entry3.UID != entry.UID || entry3.Method != ical.MethodCancel || entry3.Sequence != 3 {
		t.Errorf("the cancelled calendar entry: %+v", entry3)
	}
	// A confirmation or a reminder queued before the cancellation (held by
	// the mail limit, or a parallel worker) and sent after it would say
	// the event is on and put it back in the calendar: dropped.
	for _, kind := range []domain.MailKind{domain.MailEventRegistered, domain.MailEventReminder} {
		key := fmt.Sprintf("test-%s-%s-after-cancel", kind, id)
		if err := a.Server.Background.SendMail(ctx, key, domain.MailRequest{Kind: kind, UserID: g.ID, Data: domain.EventMailData(current)}); err != nil {
			t.Fatal(err)
		}
		if sent, err := a.Server.Store.MailSent(ctx, key); err != nil || sent {
			t.Errorf("%s of a cancelled event sent: %v (%v)", kind, sent, err)
		}
	}
	if r := a.Do("POST", "/api/v1/events/"+id+"/cancel", admin.Token, map[string]any{"reason": "再取消一次"}); r.Status != http.StatusConflict || r.ErrorCode() != "invalid_state" {
		t.Errorf("cancelled twice: %d %s", r.Status, r.Body)
	}
	// A cancelled event takes nothing more.
	late := a.Graduate()
	a.Must(http.StatusConflict, "POST", "/api/v1/events/"+id+"/registrations", late.Token, nil)
	a.Must(http.StatusConflict, "PATCH", "/api/v1/events/"+id, admin.Token, map[string]any{"title": "复活的招聘会"})
	code := a.Must(http.StatusOK, "GET", "/api/v1/events/"+id, g.Token, nil).JSON()["registration"].(map[string]any)["checkin_code"].(string)
	store.SetClock(func() time.Time { return moved.Add(time.Hour) })
	a.Must(http.StatusConflict, "POST", "/api/v1/events/"+id+"/checkins", admin.Token, map[string]string{"code": code})
	a.Server.Store.SetClock(func() time.Time { return moved.Add(-2 * time.Hour) })
	if n, err := store.RemindEvents(context.Background()); err != nil || n != 0 {
		t.Errorf("a cancelled event reminded %d (%v)", n, err)
	}
	store.SetClock(time.Now)

	// Its calendar entry for download says so, with the same UID.
	r := a.Must(http.StatusOK, "GET", "/events/"+id+"/calendar.ics", "", nil)
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "text/calendar") {
		t.Errorf("calendar.ics Content-Type %q", r.Header.Get("Content-Type"))
	}
	// Named by the event, not event.ics for every one.
	if cd := r.Header.Get("Content-Disposition"); !strings.Contains(cd, `filename="event.ics"`) || !strings.Contains(cd, "filename*=utf-8''"+url.PathEscape("成都高新区科研助理专场招聘会.ics")) {
		t.Errorf("calendar.ics Content-Disposition %q", cd)
	}
	pub, err := ical.Parse(r.Body)
	if err != nil || pub.Method != ical.MethodPublish || pub.UID != entry.UID || pub.Sequence != 3 || !strings.Contains(string(r.Body), "STATUS:CANCELLED") {
		t.Errorf("the downloaded entry: %+v, %v\n%s", pub, err, r.Body)
	}
	// In English the zone is named in English and the link opens the
	// English page, as an interview's invite.ics does (an English walk read
	// 成都高新技术产业开发区 in the English page's download); the same UID.
	page := "http://gradzone.example.test/events/" + id
	if pub.Description != "成都高新技术产业开发区\n"+page {
		t.Errorf("the Chinese download's description %q", pub.Description)
	}
	en, err := ical.Parse(a.Must(http.StatusOK, "GET", "/events/"+id+"/calendar.ics?lang=en", "", nil).Body)
	if err != nil || en.UID != entry.UID || en.Description != "Chengdu Hi-tech Industrial Development Zone\n"+page+"?lang=en" || en.URL != page+"?lang=en" {
		t.Errorf("the English download: %+v, %v", en, err)
	}
	a.Must(http.StatusNotFound, "GET", "/events/00000000-0000-0000-0000-000000000000/calendar.ics", "", nil)
	a.Must(http.StatusNotFound, "GET", "/events/not-an-id/calendar.ics", "", nil)

	// A review: a title-only change of an event set to the half second
	// wrote its unchanged start out without the fraction, "moved" it and
	// mailed everyone. A time the patch leaves stays as it is.
	half := now.Add(96 * time.Hour).Truncate(time.Second).Add(500 * time.Millisecond)
	body := eventBody("sichuan-chengdu", half, half.Add(time.Hour))
	body["starts_at"], body["ends_at"] = half.Format(time.RFC3339Nano), half.Add(time.Hour).Format(time.RFC3339Nano)
	other := a.Must(http.StatusCreated, "POST", "/api/v1/events", admin.Token, body).JSON()["id"].(string)
	a.Must(http.StatusOK, "PATCH", "/api/v1/events/"+other, admin.Token, map[string]any{"title": "改了名字的直播"})
	var seq int
	var starts time.Time
	testutil.SQL(t, a.DBURL).QueryRow(`SELECT sequence, starts_at FROM events WHERE id = $1`, other).Scan(&seq, &starts)
	if seq != 0 || !starts.Equal(half) {
		t.Errorf("a title-only change: sequence %d, start %s (was %s)", seq, starts, half)
	}
}

// waitMails waits until address has n mails whose subject holds part and
// returns the newest.
func waitMails(t *testing.T, mp *testutil.Mailpit, address, part string, n int) testutil.Mail {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var found []testutil.MailSummary
		for _, m := range mp.Messages(address) {
			if strings.Contains(m.Subject, part) {
				found = append(found, m)
			}
		}
		if len(found) >= n {
			return mp.Message(found[0].ID) // newest first
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d mails to %s with %q, want %d", len(found), address, part, n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// A review: a scanned check-in link of a graduate whose account was erased
// since marked the registration checked in, then answered 404. It is
// refused as a bad link and nothing is kept: no check-in counted, none in
// the audit trail. (The erasure gave the place back: an unattended
// registration of an event to come is gone with the account.)
func TestErasedGraduateIsNotCheckedIn(t *testing.T) {
	w := newWorld(t, 1)
	a := w.a
	start := time.Now().Add(time.Hour)
	id := a.Must(http.StatusCreated, "POST", "/api/v1/events", w.admin.Token, eventBody("sichuan-chengdu", start, start.Add(2*time.Hour))).JSON()["id"].(string)
	g := a.Graduate()
	a.Must(http.StatusCreated, "POST", "/api/v1/events/"+id+"/registrations", g.Token, nil)
	token := app.CheckinToken(a.Server.App.Links, id, g.ID, start.Add(2*time.Hour))
	a.Must(http.StatusNoContent, "DELETE", "/api/v1/me", g.Token, map[string]any{"password": testutil.Password})

	staff := domain.Caller{UserID: w.admin.ID, Role: domain.RoleZoneAdmin, ZoneCode: "sichuan-chengdu", ProvinceCode: "51"}
	if _, err := a.Server.App.CheckInByLink(context.Background(), staff, token); err != app.ErrBadCheckinLink {
		t.Fatalf("an erased graduate's link: %v", err)
	}
	var left int
	if err := testutil.SQL(t, a.DBURL).QueryRow(`SELECT count(*) FROM event_registrations WHERE event_id = $1 AND graduate_id = $2`, id, g.ID).Scan(&left); err != nil || left != 0 {
		t.Errorf("the erased graduate's registration: %d left (%v)", left, err)
	}
	if st := a.Must(http.StatusOK, "GET", "/api/v1/events/"+id, "", nil).JSON()["stats"].(map[string]any); st["check_ins"] != 0.0 || st["registrations"] != 0.0 {
		t.Errorf("the event's figures: %v", st)
	}
	if n := a.Must(http.StatusOK, "GET", "/api/v1/audit?kind=event.checked_in", w.admin.Token, nil).JSON()["total"]; n != 0.0 {
		t.Errorf("%v check-ins in the audit trail", n)
	}
}

// A review: an event cancelled while it ran was still credited with the
// applications made to its openings in its old hours. Nothing applied for
// after it was called off is its.
func TestCancelledEventCreditsNothing(t *testing.T) {
	w := newWorld(t, 2)
	a := w.a
	now := time.Now()
	id := a.Must(http.StatusCreated, "POST", "/api/v1/events", w.admin.Token, eventBody("sichuan-chengdu", now.Add(-time.Hour), now.Add(time.Hour))).JSON()["id"].(string)
	code := a.Must(http.StatusOK, "POST", "/api/v1/events/"+id+"/openings", w.admin.Token, map[string]any{"opening_ids": []string{w.opening}}).JSON()["tracking_code"].(string)
	before := w.apply(a.Graduate(), w.opening)
	a.Must(http.StatusOK, "POST", "/api/v1/events/"+id+"/cancel", w.admin.Token, map[string]any{"reason": "主播临时有事"})
	after := a.Must(http.StatusCreated, "POST", "/api/v1/openings/"+w.opening+"/applications?via="+code, a.Graduate().Token, nil).JSON()["id"].(string)
	db := testutil.SQL(t, a.DBURL)
	for app, want := range map[string]bool{before: true, after: false} {
		var credited bool
		if err := db.QueryRow(`SELECT event_id IS NOT NULL FROM applications WHERE id = $1`, app).Scan(&credited); err != nil || credited != want {
			t.Errorf("application %s credited to the event: %v (%v), want %v", app, credited, err, want)
		}
	}
	if n := a.Must(http.StatusOK, "GET", "/api/v1/events/"+id, "", nil).JSON()["stats"].(map[string]any)["applications"]; n != 1.0 {
		t.Errorf("the cancelled event counts %v applications, want the one made before", n)
	}
}

// A walk: a graduate who could no longer come had no way to say so; the
// event kept counting them and reminded them the day before. They
// withdraw before check-in, and may register again with a new code.
func TestWithdrawRegistration(t *testing.T) {
	w := newWorld(t, 1)
	a := w.a
	start := time.Now().Add(2 * time.Hour)
	id := a.Must(http.StatusCreated, "POST", "/api/v1/events", w.admin.Token, eventBody("sichuan-chengdu", start, start.Add(2*time.Hour))).JSON()["id"].(string)
	g, other := a.Graduate(), a.Graduate()
	code := a.Must(http.StatusCreated, "POST", "/api/v1/events/"+id+"/registrations", g.Token, nil).JSON()["checkin_code"].(string)
	registrations := func() any {
		return a.Must(http.StatusOK, "GET", "/api/v1/events/"+id, "", nil).JSON()["stats"].(map[string]any)["registrations"]
	}

	a.Must(http.StatusNotFound, "DELETE", "/api/v1/events/"+id+"/registrations", other.Token, nil) // not theirs to take back
	a.Must(http.StatusForbidden, "DELETE", "/api/v1/events/"+id+"/registrations", w.admin.Token, nil)
	a.Must(http.StatusUnauthorized, "DELETE", "/api/v1/events/"+id+"/registrations", "", nil)
	a.Must(http.StatusNotFound, "DELETE", "/api/v1/events/not-an-id/registrations", g.Token, nil)
	if n := registrations(); n != 1.0 {
		t.Fatalf("%v registrations after refused withdrawals", n)
	}
	a.Must(http.StatusNoContent, "DELETE", "/api/v1/events/"+id+"/registrations", g.Token, nil)
	if n := registrations(); n != 0.0 {
		t.Errorf("%v registrations after the withdrawal", n)
	}
	if r := a.Must(http.StatusOK, "GET", "/api/v1/events/"+id, g.Token, nil).JSON(); r["registration"] != nil {
		t.Errorf("the withdrawn registration is still shown: %v", r["registration"])
	}
	a.Must(http.StatusNotFound, "DELETE", "/api/v1/events/"+id+"/registrations", g.Token, nil)
	a.Must(http.StatusUnprocessableEntity, "POST", "/api/v1/events/"+id+"/checkins", w.admin.Token, map[string]string{"code": code}) // the old code is gone

	// A walk registered, withdrew and registered again within a second:
	// parallel workers sent 报名成功 after 已取消报名, its calendar REQUEST
	// undoing the CANCEL. A mail the registration's end (or a new one)
	// overtook before it was sent is dropped; the one of the current
	// registration is sent.
	ctx := context.Background()
	a.MarkVerified(g.ID)
	ev, err := a.Server.App.Event(ctx, domain.Caller{}, id)
	if err != nil {
		t.Fatal(err)
	}
	sent := func(kind domain.MailKind, code string) bool {
		t.Helper()
		d := domain.EventMailData(ev)
		d["checkin_code"] = code
		key := fmt.Sprintf("test-%s-%s-%s-%d", kind, id, code, time.Now().UnixNano())
		if err := a.Server.Background.SendMail(ctx, key, domain.MailRequest{Kind: kind, UserID: g.ID, Data: d}); err != nil {
			t.Fatal(err)
		}
		done, err := a.Server.Store.MailSent(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		return done
	}
	for _, kind := range []domain.MailKind{domain.MailEventRegistered, domain.MailEventReminder, domain.MailEventChanged} {
		if sent(kind, code) {
			t.Errorf("%s sent after the withdrawal", kind)
		}
	}

	// Registered again: a new code; once checked in, it stays.
	again := a.Must(http.StatusCreated, "POST", "/api/v1/events/"+id+"/registrations", g.Token, nil).JSON()["checkin_code"].(string)
	if sent(domain.MailEventWithdrawn, code) {
		t.Error("the first registration's withdrawal mail sent once registered again")
	}
	if sent(domain.MailEventRegistered, code) {
		t.Error("the first registration's confirmation sent once registered again")
	}
	if !sent(domain.MailEventRegistered, again) {
		t.Error("the new registration's confirmation not sent")
	}
	a.Must(http.StatusOK, "POST", "/api/v1/events/"+id+"/checkins", w.admin.Token, map[string]string{"code": again})
	if r := a.Do("DELETE", "/api/v1/events/"+id+"/registrations", g.Token, nil); r.Status != http.StatusConflict || r.ErrorCode() != "invalid_state" {
		t.Errorf("withdrawing after check-in: %d %s", r.Status, r.Body)
	}
	if n := registrations(); n != 1.0 {
		t.Errorf("%v registrations after check-in", n)
	}

	// A cancelled event takes no withdrawal either: what it counted stays.
	a.Must(http.StatusCreated, "POST", "/api/v1/events/"+id+"/registrations", other.Token, nil)
	a.Must(http.StatusOK, "POST", "/api/v1/events/"+id+"/cancel", w.admin.Token, map[string]any{"reason": "场地临时不可用"})
	if r := a.Do("DELETE", "/api/v1/events/"+id+"/registrations", other.Token, nil); r.Status != http.StatusConflict || r.ErrorCode() != "invalid_state" {
		t.Errorf("withdrawing from a cancelled event: %d %s", r.Status, r.Body)
	}
}
