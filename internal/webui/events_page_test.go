package webui_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gradzone/gradzone/internal/testutil"
)

// A browser walk: a visitor on an event's page was not told how to take
// part (the registration form shows to signed-in graduates only). The page
// offers signing in, and comes back to the event after it.
func TestEventPageInvitesVisitorsToSignIn(t *testing.T) {
	a := testutil.NewApp(t)
	admin := a.ZoneAdmin("sichuan-chengdu")
	start := time.Now().Add(48 * time.Hour).Truncate(time.Minute)
	id := a.Must(http.StatusCreated, "POST", "/api/v1/events", admin.Token, map[string]any{"kind": "job_fair", "title": "专场招聘会",
		"zone_code": "sichuan-chengdu", "starts_at": start.Format(time.RFC3339), "ends_at": start.Add(4 * time.Hour).Format(time.RFC3339),
		"description": "现场招聘", "location": "菁蓉汇"}).JSON()["id"].(string)
	_, page := newFormClient(t, a).get("/events/" + id)
	if !strings.Contains(page, `data-testid="event-login" href="/login?next=/events/`+id+`"`) {
		t.Fatalf("a visitor is not offered to sign in:\n%s", page)
	}
	if page := newWebClient(t, a, a.Graduate().Email).get("/events/" + id); strings.Contains(page, `data-testid="event-login"`) || !strings.Contains(page, `action="/events/`+id+`/register"`) {
		t.Error("a graduate is not offered the registration")
	}
	if page := newWebClient(t, a, admin.Email).get("/events/" + id); strings.Contains(page, `data-testid="event-login"`) {
		t.Error("staff are asked to sign in")
	}
}
