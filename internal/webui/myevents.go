package webui

import (
	"encoding/base64"
	"html/template"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/gradzone/gradzone/internal/app"
	"github.com/gradzone/gradzone/internal/domain"
)

// MyEventsPage is 我的活动 (/me/events): the graduate's registrations with
// time, place, state and the check-in QR code staff scan at the door.
type MyEventsPage struct {
	Layout
	Events []MyEventView
	// Waiting are the full events whose waitlist the graduate is on.
	Waiting []domain.Event
}

// MyEventView is one registration as the page shows it.
type MyEventView struct {
	domain.MyEvent
	// State is domain.MyEventUpcoming, …, for its label and style.
	State string
	// QR is the check-in QR code as a data: URL (empty once the link
	// expired); the page's CSP allows data: images, and the code is not
	// fetched by a second request that would need its own authorisation.
	QR template.URL
}

func (*MyEventsPage) template() string { return "events/mine" }

func (s *Site) myEventsPage(c *gin.Context) {
	evs, err := s.App.MyEvents(c.Request.Context(), callerOf(c), s.absolute(""))
	if err != nil {
		s.fail(c, err)
		return
	}
	waiting, err := s.App.MyWaitlists(c.Request.Context(), callerOf(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	now := s.Now()
	v := &MyEventsPage{Layout: s.layout(c, s.cat.t(lang(c), "myevents.title")), Events: make([]MyEventView, len(evs)), Waiting: waiting}
	for i, e := range evs {
		v.Events[i] = MyEventView{MyEvent: e, State: e.State(now)}
		if e.CheckinURL == "" || v.Events[i].State == domain.MyEventCheckedIn || v.Events[i].State == domain.MyEventCancelled {
			continue
		}
		png, err := app.CheckinQR(e.CheckinURL)
		if err != nil {
			s.fail(c, err)
			return
		}
		v.Events[i].QR = template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))
	}
	s.render(c, http.StatusOK, v)
}

// CheckinPage is what a scanned check-in QR code opens (/checkin?token=):
// for staff covering the event's zone, the graduate is checked in (once)
// and the page says so, or that they were already; or, for a link that
// did not come from a scan, a button that checks in.
type CheckinPage struct {
	Layout
	Checkin domain.Checkin
	// Error is the refusal of a bad or expired code.
	Error string
	// Confirm: the link was opened from another site (or a browser that
	// does not say): the page asks, and its form checks in.
	Confirm bool
	Token   string
}

func (*CheckinPage) template() string { return "events/checkin" }

// checkin checks in by a scanned link. A phone camera opens the link and
// nothing more, so a GET acts, but only one the reader started
// (Sec-Fetch-Site: none, as a camera, a typed address or a bookmark sends)
// or one from the site itself: a probe checked a graduate in through a
// staff member's browser from another site's page (a GET that site's link
// or redirect made, with the session cookie, which is SameSite=Lax). Any
// other GET shows a button whose POST, with the form token, checks in. The
// signed token names one registration, and only signed-in staff of its
// zone (route and app) act.
func (s *Site) checkin(c *gin.Context) {
	if !callerOf(c).Role.IsStaff() {
		// Graduates scan their own code to see what it does: say so.
		v := &CheckinPage{Layout: s.layout(c, s.cat.t(lang(c), "checkin.title")), Error: s.cat.t(lang(c), "checkin.show_to_staff")}
		s.render(c, http.StatusForbidden, v)
		return
	}
	tok := c.Query("token")
	// A scanned code must never be answered from a cache.
	c.Header("Cache-Control", "no-store")
	var ci domain.Checkin
	var err error
	confirm := c.Request.Method == http.MethodGet && !startedHere(c)
	if confirm {
		// Whom it would check in, named beside the button; one already
		// checked in is said so, with no button.
		ci, err = s.App.CheckInLinkTarget(c.Request.Context(), callerOf(c), tok)
		confirm = err == nil && !ci.Already
	} else {
		ci, err = s.App.CheckInByLink(c.Request.Context(), callerOf(c), tok)
	}
	v := &CheckinPage{Layout: s.layout(c, s.cat.t(lang(c), "checkin.title")), Checkin: ci, Confirm: confirm, Token: tok}
	if why := s.checkInRefusal(lang(c), err); why != "" {
		v.Error = why
		s.render(c, http.StatusConflict, v)
		return
	}
	status, ok := s.linkOutcome(c, err, "checkin.bad_link", &v.Error)
	if !ok {
		return
	}
	s.render(c, status, v)
}

// startedHere tells whether the reader started the request (a scan, a
// typed address) or the site's own page did, by the browser's
// Sec-Fetch-Site; a browser that does not send it is not trusted.
func startedHere(c *gin.Context) bool {
	switch c.GetHeader("Sec-Fetch-Site") {
	case "none", "same-origin":
		return true
	}
	return false
}
