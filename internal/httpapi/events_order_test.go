package httpapi_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/gradzone/gradzone/internal/testutil"
)

// A browser walk found the public events list with the event furthest
// away on top and the livestream running now at the bottom. Events not
// over come first, the soonest first; then those over, the latest first.
func TestEventsListSoonestFirst(t *testing.T) {
	a := testutil.NewApp(t)
	admin := a.ZoneAdmin("sichuan-chengdu")
	now := time.Now().Truncate(time.Minute)
	event := func(title string, start time.Time) string {
		return a.Must(http.StatusCreated, "POST", "/api/v1/events", admin.Token, map[string]any{"kind": "job_fair", "title": title,
			"zone_code": "sichuan-chengdu", "starts_at": start.Format(time.RFC3339), "ends_at": start.Add(2 * time.Hour).Format(time.RFC3339),
			"description": "现场招聘", "location": "菁蓉汇"}).JSON()["id"].(string)
	}
	far := event("远期双选会", now.Add(30*24*time.Hour))
	running := event("正在进行", now.Add(-time.Hour))
	soon := event("明天的双选会", now.Add(24*time.Hour))
	ended := event("上周的双选会", now.Add(-7*24*time.Hour))
	endedLong := event("上月的双选会", now.Add(-30*24*time.Hour))
	// Events cannot be made in the past through the API: move two back.
	db := testutil.SQL(t, a.DBURL)
	for id, start := range map[string]time.Time{ended: now.Add(-7 * 24 * time.Hour), endedLong: now.Add(-30 * 24 * time.Hour), running: now.Add(-time.Hour)} {
		db.Exec(`UPDATE events SET starts_at = $1, ends_at = $2 WHERE id = $3`, start, start.Add(2*time.Hour), id)
	}
	got := testutil.IDs(a.Must(http.StatusOK, "GET", "/api/v1/events?zone=sichuan-chengdu", "", nil).JSON())
	want := []string{running, soon, far, ended, endedLong}
	if len(got) != len(want) {
		t.Fatalf("%d events listed, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("order %v, want %v (running, tomorrow, in a month, last week, last month)", got, want)
		}
	}
}
