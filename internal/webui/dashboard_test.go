package webui_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/testutil"
)

// Issue 15 finding 7: the dashboard opened on the current, empty year, kept
// counting the sprint down after 31 August and showed "（0）" as last year's
// figure when there was none.
func TestDashboardYearSprintAndYoY(t *testing.T) {
	a := testutil.NewApp(t)
	admin := a.ZoneAdmin("sichuan-chengdu")
	w := newWebClient(t, a, admin.Email)
	today := domain.DateOf(time.Now())

	page := w.get("/staff")
	if strings.Contains(page, "（0）") {
		t.Errorf("year-on-year shows （0） without a previous year")
	}
	if got := strings.Contains(page, `data-testid="sprint"`); got != domain.InSprint(today.Year, today) {
		t.Errorf("sprint card shown = %v on %s", got, today)
	}

	// A placement last year and none this year: the page opens on last year.
	emp := a.VerifiedEmployer("51", "sichuan-chengdu")
	id := a.Publish(emp, admin, nil)
	g := a.Graduate()
	app := a.Must(http.StatusCreated, "POST", "/api/v1/openings/"+id+"/applications", g.Token, map[string]string{"cover_letter": "您好"}).JSON()["id"].(string)
	move := func(tok, to string, extra ...string) {
		body := map[string]string{"to": to}
		if len(extra) == 2 {
			body[extra[0]] = extra[1]
		}
		a.Must(http.StatusOK, "POST", "/api/v1/applications/"+app+"/transitions", tok, body)
	}
	lastYear := domain.Date{Year: today.Year - 1, Month: 12, Day: 15}
	if lastYear.Before(today.AddDays(-400)) {
		t.Skip("a hire last year is more than 400 days ago (too far in the past to record)")
	}
	move(emp.Token, "offered")
	move(g.Token, "accepted")
	move(emp.Token, "hired", "hired_on", lastYear.String())

	page = w.get("/staff")
	if !strings.Contains(page, `data-testid="earlier-year"`) || !strings.Contains(page, `value="`+itoa(today.Year-1)+`"`) {
		t.Errorf("with no placement this year the dashboard should open on %d", today.Year-1)
	}
	if !strings.Contains(page, `data-testid="kpi-placements">1<`) {
		t.Errorf("last year's placement not shown")
	}
	// An explicit year is kept.
	if page := w.get("/staff?year=" + itoa(today.Year)); strings.Contains(page, `data-testid="earlier-year"`) {
		t.Errorf("an explicitly chosen year was replaced")
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
