package httpapi_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/testutil"
)

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
