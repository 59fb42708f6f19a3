package webui_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/testutil"
)

// A browser walk: in December the ministry's dashboard listed all 178
// zones as late with November's report, and the reports page showed every
// zone owing December's. Zones report May to August (the brief): outside
// that season the dashboard names no one late and the reports page says
// nothing is due; in the season, the late list is there.
func TestReportsOutsideTheSeasonOweNothing(t *testing.T) {
	for _, c := range []struct {
		name      string
		today     time.Time
		offSeason bool
	}{
		{"December", time.Date(2026, 12, 3, 10, 0, 0, 0, domain.Shanghai), true},
		{"July", time.Date(2026, 7, 3, 10, 0, 0, 0, domain.Shanghai), false},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := testutil.NewApp(t, testutil.SiteClock(c.today))
			a.Server.Store.SetClock(func() time.Time { return c.today })
			ministry := newWebClient(t, a, a.MinistryAdmin().Email)
			dash := ministry.get("/staff")
			st, _, page := ministry.status("/staff/reports")
			if st != http.StatusOK || strings.Contains(page, `data-testid="report-off-season"`) != c.offSeason {
				t.Fatalf("reports page %d, off-season note %v, want %v", st, !c.offSeason, c.offSeason)
			}
			if overdue := strings.Contains(page, `status overdue`); overdue {
				t.Errorf("this month's reports shown overdue")
			}
			late := strings.Contains(dash, `data-testid="late-reports"`)
			if late == c.offSeason {
				t.Errorf("late list on the dashboard: %v (off season %v)", late, c.offSeason)
			}
		})
	}
}
