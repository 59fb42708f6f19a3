package webui

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gradzone/gradzone/internal/domain"
)

// StatusPath is the staff status page: the search index against Postgres
// and the self-heal's progress, whichever replica runs it.
const StatusPath = "/admin/status"

// StatusPage shows domain.SystemStatus to ministry staff.
type StatusPage struct {
	Layout
	Status     domain.SystemStatus
	Rebuilding bool
	// Outcome is the last check's outcome in the reader's language.
	Outcome    string
	QueuesPath string
}

func (*StatusPage) template() string { return "staff/status" }

func (s *Site) registerStatus(r *gin.Engine) {
	if s.Background == nil {
		return
	}
	r.GET(StatusPath, s.withLang, s.styleBareErrors, s.withSession, signedIn(domain.RolesAt(domain.LevelNation)...), s.statusPage)
}

func (s *Site) statusPage(c *gin.Context) {
	st, err := s.Background.SystemStatus(c.Request.Context(), callerOf(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	l := lang(c)
	v := &StatusPage{Layout: s.layout(c, s.cat.t(l, "status.title")), Status: st, QueuesPath: QueuesPath,
		Rebuilding: st.Heal.Rebuilding(time.Now())}
	if st.Heal.Outcome != "" {
		v.Outcome = s.cat.t(l, "status.outcome."+string(st.Heal.Outcome))
	}
	// A page left open follows a rebuild without a script.
	if v.Rebuilding {
		c.Header("Refresh", "5")
	}
	s.render(c, http.StatusOK, v)
}
