package webui

import (
	"encoding/json"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gradzone/gradzone/internal/app"
	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/web"
)

// Site is the web UI's dependencies.
type Site struct {
	// App runs every user action; handlers decode the form, call it and render.
	App      *app.Service
	Accounts *app.Accounts
	Search   *app.Search
	Imports  *app.Imports
	// Background answers the staff status page (nil: not mounted).
	Background *app.Background
	Log        *slog.Logger
	Now        func() time.Time
	// Queues is the job queue UI, shown to ministry staff at QueuesPath
	// (nil: not mounted).
	Queues http.Handler
	// PublicURL is the site's external base URL (GRADZONE_PUBLIC_URL), the
	// start of links read outside the site: the sitemap, robots.txt,
	// JobPosting data.
	PublicURL string
	// ContactEmail is the operator's address in every page's footer ("": none).
	ContactEmail string

	secure bool
	cat    catalogues
	pages  map[string]*template.Template
}

// Register adds the site's routes to r. secure marks cookies Secure (TLS).
func (s *Site) Register(r *gin.Engine, secure bool) error {
	s.secure = secure
	if s.Now == nil {
		s.Now = time.Now
	}
	var err error
	if s.cat, err = loadCatalogues(); err != nil {
		return err
	}
	if err := s.parse(); err != nil {
		return err
	}
	static, _ := fs.Sub(web.FS, "static")
	r.GET("/static/*path", func(c *gin.Context) {
		// A folder is no asset: no listing of it (a probe read them), and
		// what is not there is the site's own 404 page.
		name := strings.TrimPrefix(c.Param("path"), "/")
		if info, err := fs.Stat(static, name); err != nil || info.IsDir() {
			s.ErrorPage(c, domain.ErrNotFound)
			return
		}
		// Assets are embedded and change only with the binary: cache a day.
		c.Header("Cache-Control", "public, max-age=86400")
		c.FileFromFS(c.Param("path"), http.FS(static))
	})
	g := r.Group("/", s.withLang, s.styleBareErrors, s.withSession, s.checkCSRF)
	g.GET("/", s.searchPage)
	g.GET("/openings/:id", s.openingPage)
	g.GET("/employers/:id", s.employerPublicPage)
	g.POST("/openings/:id/apply", signedIn(domain.RoleGraduate), s.apply)
	g.GET("/login", s.loginPage)
	g.POST("/login", s.login)
	g.GET("/register", s.registerPage)
	g.POST("/register", s.register)
	g.POST("/logout", s.logout)
	s.registerAccount(g)
	s.registerPrivacy(g)
	s.registerSessions(g)
	s.registerMailPrefs(g)
	s.registerSaved(g)
	g.GET("/events", s.eventsPage)
	g.GET("/events/:id", s.eventPage)
	g.GET("/events/:id/calendar.ics", s.eventCalendar)
	g.POST("/events/:id/register", signedIn(domain.RoleGraduate), s.registerEvent)
	g.POST("/events/:id/withdraw", signedIn(domain.RoleGraduate), s.withdrawRegistration)
	g.POST("/events/:id/waitlist", signedIn(domain.RoleGraduate), s.joinWaitlist)
	g.POST("/events/:id/waitlist/leave", signedIn(domain.RoleGraduate), s.leaveWaitlist)
	g.GET("/checkin", signedIn(), s.checkin)
	g.POST("/checkin", signedIn(), s.checkin)
	g.GET("/notifications", signedIn(), s.notificationsPage)
	g.POST("/notifications/read", signedIn(), s.readNotifications)
	g.GET("/applications/:id", signedIn(), s.applicationLink)
	g.POST("/applications/:id/move", signedIn(domain.RoleGraduate, domain.RoleEmployer), s.move)

	me := g.Group("/me", signedIn(domain.RoleGraduate))
	me.GET("", s.mePage)
	me.GET("/events", s.myEventsPage)
	me.POST("/profile", s.saveProfile)
	me.POST("/resume", s.uploadResume)
	me.POST("/resume/delete", s.deleteResume)
	me.POST("/saved-searches", s.saveSearch)
	me.POST("/saved-searches/:id/frequency", s.setSearchFrequency)
	me.POST("/saved-searches/:id/delete", s.deleteSavedSearch)
	s.registerSlots(r, me)

	emp := g.Group("/employer", signedIn(domain.RoleEmployer))
	emp.GET("", s.employerPage)
	emp.GET("/organisation", s.organisationPage)
	emp.POST("/organisation", s.correctOrganisation)
	emp.POST("/openings", s.createOpening)
	emp.GET("/openings/:id", s.employerOpening)
	emp.POST("/openings/:id/edit", s.editOpening)
	emp.POST("/openings/:id/submit", s.employerOpeningAction("submit"))
	emp.POST("/openings/:id/close", s.employerOpeningAction("close"))
	emp.POST("/openings/:id/delete", s.deleteDraft)
	emp.POST("/applications/bulk", s.bulk)
	s.registerApplicant(emp)

	st := g.Group("/staff", signedIn(domain.StaffRoles...))
	st.GET("", s.staffPage)
	st.GET("/employers", s.employersPage)
	st.GET("/employers/:id", s.employerDetailsPage)
	st.POST("/employers/:id/verify", s.verify)
	st.POST("/employers/:id/return", s.returnEmployer)
	st.GET("/placements", s.placementsPage)
	st.POST("/placements/:id/revoke", s.revokePlacement)
	st.POST("/openings/:id/approve", s.review(true))
	st.POST("/openings/:id/reject", s.review(false))
	s.registerTargets(st)
	st.GET("/reports", s.reportsPage)
	st.GET("/reports/versions", s.reportVersionsPage)
	st.POST("/reports/submit", s.submitReport)
	st.POST("/reports/review", s.reviewReport)
	st.POST("/reports/province-submit", s.submitProvinceReport)
	st.GET("/events", s.staffEvents)
	st.POST("/events", s.createEvent)
	st.POST("/events/:id/edit", s.updateEvent)
	st.POST("/events/:id/cancel", s.cancelEvent)
	// A refused form answers at its action's address: Back or a copied
	// link goes to the event's card, not a 404.
	st.GET("/events/:id/edit", s.toEventCard)
	st.GET("/events/:id/cancel", s.toEventCard)
	st.GET("/events/:id/openings", s.eventOpeningsPage)
	st.POST("/events/:id/openings", s.attachOpenings)
	st.POST("/events/:id/openings/:opening/remove", s.detachOpening)
	st.POST("/events/:id/checkins", s.checkInCode)
	st.GET("/events/:id/registrants", s.registrantsPage)
	st.GET("/events/:id/registrants.csv", s.registrantsCSV)
	st.POST("/events/:id/registrants/:graduate/checkin", s.checkInRegistrant)
	st.GET("/imports", s.importsPage)
	st.POST("/imports/:kind", s.startImport)
	st.GET("/audit", s.auditPage)
	s.registerQueues(r)
	s.registerStatus(r)
	s.registerDiscovery(r)
	s.registerUnsubscribe(r)
	return nil
}

func (s *Site) today() domain.Date { return domain.DateOf(s.Now()) }

// jsonScript marshals v for a <script type="application/json"> block.
func jsonScript(v any) template.JS {
	b, _ := json.Marshal(v)
	return template.JS(b)
}
