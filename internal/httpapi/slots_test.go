package httpapi_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gradzone/gradzone/internal/ical"
)

// Issue 13 item 5: the employer offers several interview times with the
// move to interview; the application's graduate picks one, which becomes
// the interview both sides see and is mailed as a calendar invitation. A
// time of an opening picked by one applicant cannot be picked by another;
// bad offers are 422 on the field.
func TestInterviewSlots(t *testing.T) {
	w := newMailWorld(t, map[string]any{"title": "量子计算实验助理"})
	g1, g2 := w.graduate(t, "slots-a", true), w.graduate(t, "slots-b", true)
	app1, app2 := w.apply(g1, w.opening), w.apply(g2, w.opening)
	for _, id := range []string{app1, app2} {
		w.a.Must(http.StatusOK, "POST", "/api/v1/applications/"+id+"/transitions", w.emp.Token, map[string]any{"to": "shortlisted"})
	}
	sh := time.FixedZone("CST", 8*3600)
	a := time.Now().In(sh).Add(72 * time.Hour).Truncate(time.Hour)
	b := a.Add(2 * time.Hour)
	slot := func(start time.Time, where string) map[string]any {
		return map[string]any{"starts_at": start.Format(time.RFC3339), "ends_at": start.Add(time.Hour).Format(time.RFC3339), "location": where}
	}
	offer := []any{slot(a, "菁蓉汇 A 座 501"), slot(b, "菁蓉汇 A 座 502")}
	move := func(app string, body map[string]any, want int) map[string]any {
		t.Helper()
		return w.a.Must(want, "POST", "/api/v1/applications/"+app+"/transitions", w.emp.Token, body).JSON()
	}

	// Refused offers, each at its field.
	for field, body := range map[string]map[string]any{
		"interview_slots":               {"to": "interview", "interview_slots": []any{}},
		"interview_slots[1].starts_at":  {"to": "interview", "interview_slots": []any{slot(a, ""), map[string]any{"starts_at": "tomorrow", "ends_at": b.Format(time.RFC3339)}}},
		"interview_slots[1].online_url": {"to": "interview", "interview_slots": []any{slot(a, ""), map[string]any{"starts_at": b.Format(time.RFC3339), "ends_at": b.Add(time.Hour).Format(time.RFC3339), "online_url": "javascript:x"}}},
		"interview_slots[1].starts_at ": {"to": "interview", "interview_slots": []any{slot(a, ""), slot(a, "")}},
	} {
		r := w.a.Must(http.StatusUnprocessableEntity, "POST", "/api/v1/applications/"+app1+"/transitions", w.emp.Token, body)
		if r.Field(strings.TrimSpace(field)) == "" {
			t.Errorf("%s: %s", field, r.Body)
		}
	}
	both := map[string]any{"to": "interview", "interview_slots": offer, "interview": slot(a, "")}
	if r := w.a.Must(http.StatusUnprocessableEntity, "POST", "/api/v1/applications/"+app1+"/transitions", w.emp.Token, both); r.Field("interview_slots") == "" {
		t.Errorf("interview and slots together: %s", r.Body)
	}

	// The same two times offered to both applicants.
	got1 := move(app1, map[string]any{"to": "interview", "interview_slots": offer}, http.StatusOK)
	move(app2, map[string]any{"to": "interview", "interview_slots": offer}, http.StatusOK)
	slots := got1["interview_slots"].([]any)
	if len(slots) != 2 || got1["interview"] != nil {
		t.Fatalf("offered: %v", got1)
	}
	first := func(app string, tok string) (string, string) {
		s := w.a.Must(http.StatusOK, "GET", "/api/v1/applications/"+app, tok, nil).JSON()["interview_slots"].([]any)
		return s[0].(map[string]any)["id"].(string), s[1].(map[string]any)["id"].(string)
	}
	a1, b1 := first(app1, g1.Token)
	a2, b2 := first(app2, g2.Token)
	pick := func(tok, app, slot string, want int) map[string]any {
		t.Helper()
		return w.a.Must(want, "POST", "/api/v1/applications/"+app+"/interview-slots/"+slot+"/pick", tok, nil).JSON()
	}
	// Only the application's own graduate picks.
	pick(w.emp.Token, app1, a1, http.StatusForbidden)
	pick(g2.Token, app1, a1, http.StatusNotFound)
	pick(g1.Token, app1, a2, http.StatusNotFound)

	picked := pick(g1.Token, app1, a1, http.StatusOK)
	iv := picked["interview"].(map[string]any)
	if iv["starts_at"] != a.UTC().Format(time.RFC3339) || iv["location"] != "菁蓉汇 A 座 501" {
		t.Fatalf("picked interview %v", iv)
	}
	pick(g1.Token, app1, a1, http.StatusOK) // the same pick again: no change
	if r := w.a.Must(http.StatusConflict, "POST", "/api/v1/applications/"+app1+"/interview-slots/"+b1+"/pick", g1.Token, nil); r.ErrorCode() != "invalid_state" {
		t.Errorf("second pick: %s", r.Body)
	}
	// The other applicant cannot take the same time; the other one is free.
	if r := w.a.Must(http.StatusConflict, "POST", "/api/v1/applications/"+app2+"/interview-slots/"+a2+"/pick", g2.Token, nil); r.ErrorCode() != "invalid_state" {
		t.Errorf("taken time: %s", r.Body)
	}
	pick(g2.Token, app2, b2, http.StatusOK)

	// The employer's applicant list shows each picked time.
	list := w.a.Must(http.StatusOK, "GET", "/api/v1/applications?opening_id="+w.opening, w.emp.Token, nil).JSON()["items"].([]any)
	seen := map[string]string{}
	for _, it := range list {
		m := it.(map[string]any)
		if iv, ok := m["interview"].(map[string]any); ok {
			seen[m["id"].(string)] = iv["starts_at"].(string)
		}
	}
	if seen[app1] != a.UTC().Format(time.RFC3339) || seen[app2] != b.UTC().Format(time.RFC3339) {
		t.Errorf("employer's list shows %v", seen)
	}

	// The graduate is mailed the invitation for the picked time.
	var inv *ical.Invite
	for _, m := range w.mailsLike(t, g1.Email, "邀请面试", 2) {
		for _, at := range m.Attachments {
			if got, err := ical.Parse(at.Data); err == nil {
				inv = &got
			}
		}
	}
	if inv == nil || !inv.Start.Equal(a) || inv.Location != "菁蓉汇 A 座 501" || inv.Method != "REQUEST" {
		t.Fatalf("invitation for the picked time: %+v", inv)
	}
}
