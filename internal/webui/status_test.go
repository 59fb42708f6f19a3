package webui_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gradzone/gradzone/internal/config"
	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/server"
	"github.com/gradzone/gradzone/internal/testutil"
)

// Issue 14 item 3: the self-heal's progress is on a staff page, and it is
// the same whichever replica serves the page. Replica A records a rebuild
// under way (as its heal job does after every batch); replica B, sharing
// only Postgres, shows it on /admin/status and in its detailed readiness.
// Only ministry staff see the page. Neither replica runs a check of its own
// here (the period is an hour), so what B shows came through Postgres.
func TestStatusPageShowsHealFromAnyReplica(t *testing.T) {
	quiet := func(_ *config.Config, o *server.Options) { o.SearchHealEvery = time.Hour }
	a := testutil.NewApp(t, quiet)
	b := testutil.NewApp(t, quiet, func(c *config.Config, _ *server.Options) { c.DatabaseURL = a.DBURL })
	zone := a.Staff(domain.RoleZoneAdmin, "sichuan-chengdu", "")
	ministry := a.Staff(domain.RoleMinistryAdmin, "", "")

	now := time.Now()
	started := now.Add(-20 * time.Second)
	if err := a.Server.Store.SaveSearchHeal(context.Background(), domain.SearchHeal{CheckedAt: &started,
		Outcome: domain.HealRebuild, Running: true, Done: 4000, Total: 10000, StartedAt: &started, ProgressAt: &now, Rebuilds: 3}); err != nil {
		t.Fatal(err)
	}

	c := queueClient(t, b, ministry.Email)
	st, h, page := sendRaw(t, c, "GET", b.URL+"/admin/status?lang=en", "", "")
	body := string(page)
	if st != http.StatusOK || !strings.Contains(body, `data-testid="status-progress"`) || !strings.Contains(body, "4000/10000") ||
		!strings.Contains(body, `data-testid="status-rebuilds">3<`) || !strings.Contains(body, "index rebuilt") {
		t.Fatalf("status page on the other replica: %d\n%s", st, body)
	}
	if h.Get("Refresh") == "" {
		t.Error("a page showing a rebuild should refresh itself")
	}
	ms := b.Metrics("/readyz").JSON()["meilisearch"].(map[string]any)
	if ms["reindexing"] != "4000/10000" || ms["heal_rebuilds"] != 3.0 {
		t.Fatalf("readiness on the other replica: %v", ms)
	}

	// A rebuild not heard from for longer than the job's rescue time died
	// with its replica: no longer shown as running.
	stale := now.Add(-domain.HealStalled - time.Second)
	if err := a.Server.Store.SaveSearchHeal(context.Background(), domain.SearchHeal{Outcome: domain.HealRebuild,
		Running: true, Done: 10, Total: 10000, StartedAt: &stale, ProgressAt: &stale, Rebuilds: 3}); err != nil {
		t.Fatal(err)
	}
	if _, _, page := sendRaw(t, c, "GET", b.URL+"/admin/status", "", ""); strings.Contains(string(page), "status-progress") {
		t.Fatal("a stalled rebuild is shown as running")
	}
	if ms := b.Metrics("/readyz").JSON()["meilisearch"].(map[string]any); ms["reindexing"] != nil {
		t.Fatalf("readiness shows a stalled rebuild: %v", ms)
	}

	if st, h, _ := sendRaw(t, queueClient(t, b, ""), "GET", b.URL+"/admin/status", "", ""); st != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/login") {
		t.Fatalf("anonymous: %d %v", st, h.Get("Location"))
	}
	if st, _, _ := sendRaw(t, queueClient(t, b, zone.Email), "GET", b.URL+"/admin/status", "", ""); st != http.StatusForbidden {
		t.Fatalf("zone staff: %d", st)
	}
}
