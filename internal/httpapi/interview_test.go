package httpapi_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/ical"
	"github.com/gradzone/gradzone/internal/testutil"
)

// TestInterviewAppointment: the move to interview carries the appointment
// (contract, second round); it is checked field by field, stored, and shown
// on the application to both sides.
func TestInterviewAppointment(t *testing.T) {
	w := newWorld(t, 10)
	g := w.a.Graduate()
	app := w.apply(g, w.opening)
	w.shortlist(app)

	start := time.Now().Add(72 * time.Hour).In(time.FixedZone("CST", 8*3600)).Truncate(time.Minute)
	end := start.Add(45 * time.Minute)
	good := map[string]any{"starts_at": start.Format(time.RFC3339), "ends_at": end.Format(time.RFC3339),
		"location": "成都高新区天府软件园 C2 栋 3 楼", "online_url": "https://meeting.example.test/j/123"}
	bad := []struct {
		name  string
		over  map[string]any
		to    string
		field string
	}{
		{"no start", map[string]any{"starts_at": ""}, "interview", "interview.starts_at"},
		{"not RFC 3339", map[string]any{"starts_at": "2026-12-05 14:00"}, "interview", "interview.starts_at"},
		{"end not RFC 3339", map[string]any{"ends_at": "tomorrow"}, "interview", "interview.ends_at"},
		{"in the past", map[string]any{"starts_at": time.Now().Add(-48 * time.Hour).Format(time.RFC3339)}, "interview", "interview.starts_at"},
		{"ends before it starts", map[string]any{"ends_at": start.Add(-time.Minute).Format(time.RFC3339)}, "interview", "interview.ends_at"},
		{"ends when it starts", map[string]any{"ends_at": start.Format(time.RFC3339)}, "interview", "interview.ends_at"},
		{"a day long", map[string]any{"ends_at": start.Add(24 * time.Hour).Format(time.RFC3339)}, "interview", "interview.ends_at"},
		{"ftp link", map[string]any{"online_url": "ftp://example.test/x"}, "interview", "interview.online_url"},
		{"script link", map[string]any{"online_url": "javascript:alert(1)"}, "interview", "interview.online_url"},
		{"relative link", map[string]any{"online_url": "/meet"}, "interview", "interview.online_url"},
		{"long place", map[string]any{"location": strings.Repeat("地", 201)}, "interview", "interview.location"},
		{"with another move", map[string]any{}, "offered", "interview"},
	}
	for _, c := range bad {
		iv := map[string]any{}
		for k, v := range good {
			iv[k] = v
		}
		for k, v := range c.over {
			iv[k] = v
		}
		r := w.a.Do("POST", "/api/v1/applications/"+app+"/transitions", w.emp.Token, map[string]any{"to": c.to, "interview": iv})
		if r.Status != http.StatusUnprocessableEntity || r.ErrorCode() != "validation_failed" || r.Field(c.field) == "" {
			t.Errorf("%s: %d %s, want 422 on %s", c.name, r.Status, r.Body, c.field)
		}
	}
	// A time of the wrong JSON type is a malformed body, named at its field.
	r := w.a.Do("POST", "/api/v1/applications/"+app+"/transitions", w.emp.Token, map[string]any{"to": "interview", "interview": map[string]any{"starts_at": 5}})
	if r.Status != http.StatusBadRequest || r.Field("interview.starts_at") == "" {
		t.Errorf("number as time: %d %s", r.Status, r.Body)
	}
	// A hire date belongs to a hire: sent with another move it is refused,
	// like an appointment (an API probe saw it dropped without a word).
	r = w.a.Do("POST", "/api/v1/applications/"+app+"/transitions", w.emp.Token, map[string]any{"to": "offered", "hired_on": domain.DateOf(time.Now()).String()})
	if r.Status != http.StatusUnprocessableEntity || r.Field("hired_on") != domain.ReasonOnlyToHire {
		t.Errorf("hired_on with an offer: %d %s", r.Status, r.Body)
	}
	// Nothing above moved the application.
	if st := w.a.Must(http.StatusOK, "GET", "/api/v1/applications/"+app, g.Token, nil).JSON()["status"]; st != "shortlisted" {
		t.Fatalf("a refused move changed the status to %v", st)
	}

	got := w.a.Must(http.StatusOK, "POST", "/api/v1/applications/"+app+"/transitions", w.emp.Token,
		map[string]any{"to": "interview", "note": "请带上成绩单", "interview": good}).JSON()
	checkSlot := func(who string, m map[string]any) {
		t.Helper()
		iv, _ := m["interview"].(map[string]any)
		if iv == nil {
			t.Fatalf("%s: no interview on %v", who, m)
		}
		s, _ := time.Parse(time.RFC3339, iv["starts_at"].(string))
		e, _ := time.Parse(time.RFC3339, iv["ends_at"].(string))
		if !s.Equal(start) || !e.Equal(end) || iv["location"] != good["location"] || iv["online_url"] != good["online_url"] {
			t.Fatalf("%s: interview %v, want %v", who, iv, good)
		}
	}
	checkSlot("move answer", got)
	checkSlot("graduate", w.a.Must(http.StatusOK, "GET", "/api/v1/applications/"+app, g.Token, nil).JSON())
	checkSlot("employer", w.a.Must(http.StatusOK, "GET", "/api/v1/applications/"+app, w.emp.Token, nil).JSON())
	// It stays on the application after the next move.
	checkSlot("after offer", w.a.Must(http.StatusOK, "POST", "/api/v1/applications/"+app+"/transitions", w.emp.Token, map[string]any{"to": "offered"}).JSON())

	// Without an appointment the move works as before and shows none.
	other := w.apply(w.a.Graduate(), w.opening)
	w.shortlist(other)
	if m := w.a.Must(http.StatusOK, "POST", "/api/v1/applications/"+other+"/transitions", w.emp.Token, map[string]any{"to": "interview"}).JSON(); m["interview"] != nil {
		t.Fatalf("interview without appointment shows %v", m["interview"])
	}
}

// TestBulkInterview: one appointment for a batch moved to interview; a bad
// one refuses the whole batch before any move.
func TestBulkInterview(t *testing.T) {
	w := newWorld(t, 10)
	var apps []string
	for i := 0; i < 2; i++ {
		id := w.apply(w.a.Graduate(), w.opening)
		w.shortlist(id)
		apps = append(apps, id)
	}
	start := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Second)
	iv := map[string]any{"starts_at": start.Format(time.RFC3339), "ends_at": start.Add(time.Hour).Format(time.RFC3339), "location": "会议室 A"}
	r := w.a.Do("POST", "/api/v1/applications/bulk-transitions", w.emp.Token, map[string]any{"ids": apps, "to": "interview",
		"interview": map[string]any{"starts_at": iv["starts_at"], "ends_at": iv["starts_at"]}})
	if r.Status != http.StatusUnprocessableEntity || r.Field("interview.ends_at") == "" {
		t.Fatalf("bulk bad interview: %d %s", r.Status, r.Body)
	}
	r = w.a.Do("POST", "/api/v1/applications/bulk-transitions", w.emp.Token, map[string]any{"ids": apps, "to": "rejected", "interview": iv})
	if r.Status != http.StatusUnprocessableEntity || r.Field("interview") == "" {
		t.Fatalf("bulk reject with interview: %d %s", r.Status, r.Body)
	}
	w.a.Must(http.StatusOK, "POST", "/api/v1/applications/bulk-transitions", w.emp.Token, map[string]any{"ids": apps, "to": "interview", "interview": iv})
	for _, id := range apps {
		m := w.a.Must(http.StatusOK, "GET", "/api/v1/applications/"+id, w.emp.Token, nil).JSON()
		got, _ := m["interview"].(map[string]any)
		if m["status"] != "interview" || got == nil || got["starts_at"] != start.Format(time.RFC3339) || got["location"] != "会议室 A" {
			t.Fatalf("bulk interview: %v", m)
		}
	}
}

// Issue 13 item 5: the employer offers several interview times with the
// move to interview; the application's graduate picks one, which becomes
// the interview both sides see and is mailed as a calendar invitation. A
// time of an opening picked by one applicant cannot be picked by another;
// bad offers are 422 on the field.
func TestInterviewSlots(t *testing.T) {
	w := newMailWorld(t, map[string]any{"title": "量子计算实验助理"})
	g1, g2 := w.graduate(t, "slots-a", true), w.graduate(t, "slots-b", true)
	app1, app2 := w.apply(g1, w.opening), w.apply(g2, w.opening)
	w.shortlist(app1, app2)
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

	// The graduate is mailed the invitation for the picked time, under a
	// subject of its own (a browser walk found it titled as the offer).
	w.mailsLike(t, g1.Email, "邀请面试", 1)
	var inv *ical.Invite
	for _, m := range w.mailsLike(t, g1.Email, "面试时间已确认", 1) {
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

// An API probe booked two applicants of one opening at 10:00–11:00 and
// 10:30–11:30 in the same room: only an identical start counted as taken,
// and one offer could hold overlapping times. A time overlapping one
// another applicant picked is taken now; times that only touch are not;
// an offer's own times may not overlap.
func TestOverlappingInterviewTimes(t *testing.T) {
	w := newMailWorld(t, nil)
	var gs []testutil.Account
	var apps []string
	for _, name := range []string{"overlap-a", "overlap-b", "overlap-c"} {
		g := w.graduate(t, name, true)
		app := w.apply(g, w.opening)
		w.shortlist(app)
		gs, apps = append(gs, g), append(apps, app)
	}
	ten := time.Now().In(domain.Shanghai).Add(72 * time.Hour).Truncate(time.Hour)
	at := func(from, to time.Duration) map[string]any {
		return map[string]any{"starts_at": ten.Add(from).Format(time.RFC3339), "ends_at": ten.Add(to).Format(time.RFC3339), "location": "A101"}
	}
	offer := func(app string, want int, slots ...any) []string {
		t.Helper()
		r := w.a.Must(want, "POST", "/api/v1/applications/"+app+"/transitions", w.emp.Token, map[string]any{"to": "interview", "interview_slots": slots})
		if want != http.StatusOK {
			if r.Field("interview_slots[1].starts_at") == "" {
				t.Errorf("overlapping times in one offer: %s", r.Body)
			}
			return nil
		}
		var ids []string
		for _, s := range r.JSON()["interview_slots"].([]any) {
			ids = append(ids, s.(map[string]any)["id"].(string))
		}
		return ids
	}
	pick := func(i int, slot string) testutil.Response {
		return w.a.Do("POST", "/api/v1/applications/"+apps[i]+"/interview-slots/"+slot+"/pick", gs[i].Token, nil)
	}
	offer(apps[0], http.StatusUnprocessableEntity, at(0, time.Hour), at(30*time.Minute, 90*time.Minute))
	first := offer(apps[0], http.StatusOK, at(0, time.Hour))
	second := offer(apps[1], http.StatusOK, at(30*time.Minute, 90*time.Minute), at(2*time.Hour, 3*time.Hour))
	third := offer(apps[2], http.StatusOK, at(time.Hour, 2*time.Hour))
	if r := pick(0, first[0]); r.Status != http.StatusOK {
		t.Fatalf("the first pick: %d %s", r.Status, r.Body)
	}
	if r := pick(1, second[0]); r.Status != http.StatusConflict || r.ErrorCode() != "invalid_state" {
		t.Errorf("10:30–11:30 beside a picked 10:00–11:00: %d %s", r.Status, r.Body)
	}
	if r := pick(1, second[1]); r.Status != http.StatusOK {
		t.Errorf("12:00–13:00: %d %s", r.Status, r.Body)
	}
	if r := pick(2, third[0]); r.Status != http.StatusOK {
		t.Errorf("11:00–12:00, touching both: %d %s", r.Status, r.Body)
	}
}

// An API probe found a picked time kept by an application that left the
// process: after the applicant who picked it withdrew (or was rejected, or
// erased the account), the time stayed "taken by another applicant" for
// everyone else, and the other applicant, at interview, could pick nothing.
// An application that ends (withdrawn, rejected, declined, erased) gives its
// times back.
func TestEndedApplicationReleasesItsTime(t *testing.T) {
	w := newMailWorld(t, map[string]any{"title": "量子计算实验助理", "headcount": 5})
	sh := time.FixedZone("CST", 8*3600)
	at := time.Now().In(sh).Add(72 * time.Hour).Truncate(time.Hour)
	offer := []any{map[string]any{"starts_at": at.Format(time.RFC3339), "ends_at": at.Add(time.Hour).Format(time.RFC3339), "location": "菁蓉汇 A 座 501"}}
	interview := func(g testutil.Account) (app, slot string) {
		app = w.apply(g, w.opening)
		w.shortlist(app)
		got := w.a.Must(http.StatusOK, "POST", "/api/v1/applications/"+app+"/transitions", w.emp.Token, map[string]any{"to": "interview", "interview_slots": offer}).JSON()
		return app, got["interview_slots"].([]any)[0].(map[string]any)["id"].(string)
	}
	pick := func(g testutil.Account, app, slot string) testutil.Response {
		return w.a.Do("POST", "/api/v1/applications/"+app+"/interview-slots/"+slot+"/pick", g.Token, nil)
	}
	waiting := w.graduate(t, "slots-waiting", true)
	waitingApp, waitingSlot := interview(waiting)
	for _, end := range []struct {
		name string
		do   func(g testutil.Account, app string)
	}{
		{"withdrawn", func(g testutil.Account, app string) {
			w.a.Must(http.StatusOK, "POST", "/api/v1/applications/"+app+"/transitions", g.Token, map[string]any{"to": "withdrawn"})
		}},
		{"rejected", func(g testutil.Account, app string) {
			w.a.Must(http.StatusOK, "POST", "/api/v1/applications/"+app+"/transitions", w.emp.Token, map[string]any{"to": "rejected"})
		}},
		{"erased", func(g testutil.Account, app string) {
			w.a.Must(http.StatusNoContent, "DELETE", "/api/v1/me", g.Token, map[string]any{"password": testutil.Password})
		}},
	} {
		g := w.graduate(t, "slots-"+end.name, true)
		app, slot := interview(g)
		w.a.Must(http.StatusOK, "POST", "/api/v1/applications/"+app+"/interview-slots/"+slot+"/pick", g.Token, nil)
		if r := pick(waiting, waitingApp, waitingSlot); r.Status != http.StatusConflict {
			t.Fatalf("%s: the time is picked by another applicant, yet the pick answered %d %s", end.name, r.Status, r.Body)
		}
		end.do(g, app)
		if r := pick(waiting, waitingApp, waitingSlot); r.Status != http.StatusOK {
			t.Fatalf("after the other applicant's application was %s: %d %s", end.name, r.Status, r.Body)
		}
		// Give the time back for the next case: the employer offers it anew.
		w.a.Must(http.StatusOK, "POST", "/api/v1/applications/"+waitingApp+"/transitions", w.emp.Token, map[string]any{"to": "rejected"})
		waiting = w.graduate(t, "slots-waiting-"+end.name, true)
		waitingApp, waitingSlot = interview(waiting)
	}
}

// A probe put "x\r\nATTENDEE:mailto:evil@x.com" in an interview's place: the
// graduate's mail showed it as a line of its own, and a fake "选择此时间：
// http://phish…" line would have looked like the system's. A place (an
// interview's, an event's) is one line.
func TestPlacesAreOneLine(t *testing.T) {
	w := newWorld(t, 2)
	_, app := w.a.Applicant(w.opening, "您好")
	w.move(w.emp.Token, app, "shortlisted")
	at := time.Now().Add(72 * time.Hour).Truncate(time.Hour)
	slot := map[string]any{"starts_at": at.Format(time.RFC3339), "ends_at": at.Add(time.Hour).Format(time.RFC3339), "location": "会议室\r\n选择此时间：http://phish.example"}
	for field, body := range map[string]map[string]any{
		"interview_slots[0].location": {"to": "interview", "interview_slots": []any{slot}},
		"interview.location":          {"to": "interview", "interview": slot},
	} {
		r := w.a.Do("POST", "/api/v1/applications/"+app+"/transitions", w.emp.Token, body)
		if r.Status != http.StatusUnprocessableEntity || r.Field(field) != "must be one line of at most 200 characters" {
			t.Errorf("%s: %d %s", field, r.Status, r.Body)
		}
	}
	ev := eventBody("sichuan-chengdu", at, at.Add(time.Hour))
	ev["location"] = "菁蓉汇\n3 号馆"
	if r := w.a.Do("POST", "/api/v1/events", w.admin.Token, ev); r.Status != http.StatusUnprocessableEntity || r.Field("location") == "" {
		t.Errorf("an event's place on two lines: %d %s", r.Status, r.Body)
	}
}

// An employer that fixes a time instead of the times it offered says so
// to the graduate: a mail audit read "here is the new arrangement" with no
// arrangement before, and pick links that then answered "invalid".
func TestFixedTimeWithdrawsTheOfferedOnes(t *testing.T) {
	w, g, app := shortlistedFor(t, "定时面试助理", "fixed")
	at := time.Now().Add(72 * time.Hour).Truncate(time.Hour)
	slot := func(start time.Time) map[string]any {
		return map[string]any{"starts_at": start.Format(time.RFC3339), "ends_at": start.Add(time.Hour).Format(time.RFC3339), "location": "A 座 501"}
	}
	w.move(t, w.emp.Token, app, "interview", map[string]any{"interview_slots": []any{slot(at), slot(at.Add(2 * time.Hour))}})
	w.a.Must(http.StatusOK, "PUT", "/api/v1/applications/"+app+"/interview", w.emp.Token, slot(at.Add(24*time.Hour)))
	m := w.mailsLike(t, g.Email, "面试安排已更改", 1)[0]
	for _, want := range []string{"之前供您选择的时间已撤回", "the times offered to pick from are withdrawn"} {
		if !strings.Contains(m.Text, want) || !strings.Contains(m.HTML, want) {
			t.Errorf("the change mail does not say %q:\n%s", want, m.Text)
		}
	}
	// The message gives the time as pages and mails do, with its weekday
	// and in Beijing time (a walk read 「…已更改：2026-12-10 10:00」).
	moved := at.Add(24 * time.Hour)
	want := moved.In(domain.Shanghai).Format("2006-01-02 15:04") + "（" + domain.WeekdayIn("zh", moved) + "，北京时间）"
	n := w.a.Must(http.StatusOK, "GET", "/api/v1/notifications", g.Token, nil).JSON()
	if title := n["items"].([]any)[0].(map[string]any)["title"].(string); !strings.HasSuffix(title, want) {
		t.Errorf("the interview's change reads %q, want it to end %q", title, want)
	}
}

// The API's description promised that offering times again replaces the
// times offered before, but a second move to interview is 409 (a probe
// found it): the employer changes an interview with PUT
// /applications/{id}/interview, as the site's 更改面试 does. The times
// still offered are withdrawn; the graduate cannot do it, nor another
// employer.
func TestChangeInterviewThroughTheAPI(t *testing.T) {
	w := newWorld(t, 5)
	g := w.a.Graduate()
	app := w.apply(g, w.opening)
	w.move(w.emp.Token, app, "shortlisted")
	sh := time.FixedZone("CST", 8*3600)
	at := time.Now().In(sh).Add(72 * time.Hour).Truncate(time.Hour)
	slot := func(start time.Time, where string) map[string]any {
		return map[string]any{"starts_at": start.Format(time.RFC3339), "ends_at": start.Add(time.Hour).Format(time.RFC3339), "location": where}
	}
	w.a.Must(http.StatusOK, "POST", "/api/v1/applications/"+app+"/transitions", w.emp.Token,
		map[string]any{"to": "interview", "interview_slots": []any{slot(at, "A 座 501"), slot(at.Add(2*time.Hour), "A 座 502")}})
	w.a.Must(http.StatusConflict, "POST", "/api/v1/applications/"+app+"/transitions", w.emp.Token,
		map[string]any{"to": "interview", "interview": slot(at, "")})

	path := "/api/v1/applications/" + app + "/interview"
	later := at.Add(24 * time.Hour)
	w.a.Must(http.StatusForbidden, "PUT", path, g.Token, slot(later, "B 座"))
	w.a.Must(http.StatusForbidden, "PUT", path, w.admin.Token, slot(later, "B 座"))
	w.a.Must(http.StatusUnauthorized, "PUT", path, "", slot(later, "B 座"))
	w.a.Must(http.StatusNotFound, "PUT", "/api/v1/applications/not-a-uuid/interview", w.emp.Token, slot(later, "B 座"))
	w.a.Must(http.StatusNotFound, "PUT", path, w.a.VerifiedEmployer("51", "sichuan-chengdu").Token, slot(later, "B 座"))
	if r := w.a.Must(http.StatusUnprocessableEntity, "PUT", path, w.emp.Token, map[string]any{"starts_at": "tomorrow"}); len(r.JSON()["error"].(map[string]any)["fields"].(map[string]any)) == 0 {
		t.Fatalf("a bad time: %s", r.Body)
	}
	got := w.a.Must(http.StatusOK, "PUT", path, w.emp.Token, slot(later, "B 座 201")).JSON()
	iv, _ := got["interview"].(map[string]any)
	if iv == nil || iv["starts_at"] != later.UTC().Format(time.RFC3339) || iv["location"] != "B 座 201" {
		t.Fatalf("changed interview: %v", got["interview"])
	}
	if s, _ := w.a.Must(http.StatusOK, "GET", "/api/v1/applications/"+app, g.Token, nil).JSON()["interview_slots"].([]any); len(s) != 0 {
		t.Fatalf("times still offered after the change: %v", s)
	}
}
