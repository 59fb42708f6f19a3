package webui

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/gradzone/gradzone/internal/domain"
)

// EventsPage lists upcoming recruitment events.
type EventsPage struct {
	Layout
	Events []domain.Event
	// Filter is the province and kind chosen; Provinces and Kinds are the
	// choices. Total counts the events the filter finds.
	Filter    domain.EventFilter
	Provinces []domain.Province
	Kinds     []string
	Total     int64
	// OnNow names the events under way (进行中).
	OnNow map[string]bool
	Pager
}

func (*EventsPage) template() string { return "events/list" }

// eventsPerPage is how many events the public list shows a page.
const eventsPerPage = 20

// eventsPage lists the events to come, by province and kind, a page at a
// time: with 178 zones' recruitment weeks the first 50 of the country were
// all a graduate saw. A hand-edited province or kind that is none is
// ignored, as a page number that is none is.
func (s *Site) eventsPage(c *gin.Context) {
	ctx := c.Request.Context()
	provinces, err := s.App.Provinces(ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	f := domain.EventFilter{Upcoming: true}
	if p := c.Query("province"); slices.ContainsFunc(provinces, func(pr domain.Province) bool { return pr.Code == p }) {
		f.Province = p
	}
	if k := c.Query("kind"); slices.Contains(domain.EventKinds, k) {
		f.Kind = k
	}
	page := pageParam(c)
	evs, total, err := s.App.Events(ctx, callerOf(c), f, domain.Page{Page: page, PerPage: eventsPerPage})
	if err != nil {
		s.fail(c, err)
		return
	}
	v := &EventsPage{Layout: s.layout(c, s.cat.t(lang(c), "nav.events")), Events: evs, Filter: f, Provinces: provinces,
		Kinds: domain.EventKinds, Total: total, OnNow: map[string]bool{},
		Pager: pagerOf("/events", url.Values{"province": {f.Province}, "kind": {f.Kind}}, page, total, eventsPerPage)}
	now := s.Now()
	for _, e := range evs {
		v.OnNow[e.ID] = e.OnNow(now)
	}
	v.Description = s.cat.t(lang(c), "events.description")
	s.render(c, http.StatusOK, v)
}

// EventPage is one event with its openings and, for a graduate, registration.
type EventPage struct {
	Layout
	Event domain.Event
	// Via is the tracking code carried into the openings' links.
	Via string
	// Over: the event has ended; it takes no more registrations.
	Over bool
	// OnNow: the event is under way (进行中).
	OnNow bool
	// Unverified: the reader is a graduate (registered, waiting or yet to
	// register) whose address is not verified: no change, cancellation, QR
	// or place-found mail reaches them. One yet to register is told before
	// (a walk: only after registering).
	Unverified bool
	// Refused: that is because its mail server refused the site's mail for
	// good (Me.MailRefused): the page says why, as /me does.
	Refused bool
}

func (*EventPage) template() string { return "events/event" }

func (s *Site) eventPage(c *gin.Context) {
	e, err := s.App.Event(c.Request.Context(), callerOf(c), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	via := c.Query("via")
	if via == "" {
		via = e.TrackingCode
	}
	now := s.Now()
	v := &EventPage{Layout: s.layout(c, e.Title), Event: e, Via: via, Over: e.Over(now), OnNow: e.OnNow(now)}
	v.Description = describe(e.Description, metaDescriptionRunes)
	if (e.Registration != nil || e.Waitlist != nil || callerOf(c).Role == domain.RoleGraduate) && !e.Cancelled() && !v.Over {
		me, err := s.App.Me(c.Request.Context(), callerOf(c))
		if err != nil {
			s.fail(c, err)
			return
		}
		v.Unverified, v.Refused = !me.EmailVerified, me.MailRefused != nil
	}
	s.render(c, http.StatusOK, v)
}

// eventCalendar downloads the event's calendar entry (加入日历): a file
// every calendar opens, updated by the mails of a change.
func (s *Site) eventCalendar(c *gin.Context) {
	cal, name, err := s.App.EventCalendar(c.Request.Context(), callerOf(c), c.Param("id"), s.PublicURL, lang(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Content-Disposition", domain.Disposition("attachment", name, "event.ics"))
	c.Data(http.StatusOK, "text/calendar; charset=utf-8", cal)
}

// withdrawRegistration takes back the graduate's registration and goes
// back where it was asked from: the event's page or 我的活动.
func (s *Site) withdrawRegistration(c *gin.Context) {
	back := "/events/" + url.PathEscape(c.Param("id"))
	if c.PostForm("from") == "mine" {
		// Back to its card, with the keyboard on it (an audit: the top).
		back = "/me/events#ev-" + url.PathEscape(c.Param("id"))
	}
	s.outcome(c, back, "event.withdrawn", s.App.WithdrawRegistration(c.Request.Context(), callerOf(c), c.Param("id")))
}

// joinWaitlist puts the graduate on a full event's waitlist; the event's
// page then shows their place.
func (s *Site) joinWaitlist(c *gin.Context) {
	_, _, err := s.App.JoinWaitlist(c.Request.Context(), callerOf(c), c.Param("id"))
	page := "/events/" + url.PathEscape(c.Param("id"))
	if errors.Is(err, domain.ErrWaitlistFull) { // its code alone says only that the places are taken
		s.back(c, page, s.cat.t(lang(c), "event.lost_waitlist"), true)
		return
	}
	s.outcome(c, page, "event.waitlist_joined", err)
}

// leaveWaitlist takes the graduate off an event's waitlist and goes back
// where it was asked from: the event's page or 我的活动.
func (s *Site) leaveWaitlist(c *gin.Context) {
	back := "/events/" + url.PathEscape(c.Param("id"))
	if c.PostForm("from") == "mine" {
		back = "/me/events#waiting"
	}
	s.outcome(c, back, "event.waitlist_left", s.App.LeaveWaitlist(c.Request.Context(), callerOf(c), c.Param("id")))
}

// registerEvent registers the graduate. A form that found the event full
// (another took the last place since the page was drawn) says so and what
// comes next, the waitlist (one on it keeps their place) or other events;
// the page's card says the event is full (a walk read 名额已满 in the
// flash and the card both).
func (s *Site) registerEvent(c *gin.Context) {
	switch _, err := s.App.RegisterForEvent(c.Request.Context(), callerOf(c), c.Param("id")); {
	case errors.Is(err, domain.ErrWaitlistFull):
		s.flash(c, s.cat.t(lang(c), "event.lost_place_list_full"), true)
	case errors.Is(err, domain.ErrEventFullWaiting): // a form left open in another tab
		s.flash(c, s.cat.t(lang(c), "event.lost_place_waiting"), true)
	case errors.Is(err, domain.ErrEventFull):
		s.flash(c, s.cat.t(lang(c), "event.lost_place"), true)
	case err != nil:
		s.flash(c, s.message(c, err), true)
	}
	c.Redirect(http.StatusSeeOther, "/events/"+c.Param("id"))
}

// StaffEventsPage is zone staff's events desk: each event's funnel, attaching
// openings, check-in, and the form for a new event.
type StaffEventsPage struct {
	Layout
	Events []domain.Event
	Kinds  []string
	// Over names the events that are over; Correctable those that may
	// still be edited or cancelled.
	Over, Correctable map[string]bool
	// Form is the new-event form after a validation error.
	Form Form
	// Pager walks the zone's events, those to come first (the page listed
	// the first 50 and no more).
	Pager
	// At is the event an action just answered for (?at=): its card shows
	// the Answer (taken from the layout's flash) and its code box has the
	// focus, so the door's next code can be typed at once.
	At          string
	Answer      string
	AnswerError bool
	// Door: the answer is a check-in's, shown under the code box the page
	// is opened at (on a phone the card is taller than the screen).
	Door bool
	// Editing is the event whose edit form was refused, shown open with
	// EditForm (the values sent and the reasons); Cancelling and
	// CancelForm, the same for the cancel form.
	Editing    string
	EditForm   Form
	Cancelling string
	CancelForm Form
	// ZoneStaff: the caller runs the zone's events (edits, cancels, lists
	// openings); province staff here may check people in only.
	ZoneStaff bool
}

// EditFormFor is the edit form of ev: as refused, or filled with what ev
// is now (times as the datetime-local inputs take them, Beijing time).
func (p *StaffEventsPage) EditFormFor(ev domain.Event) Form {
	if ev.ID == p.Editing {
		return p.EditForm
	}
	stream := ""
	if ev.StreamURL != nil {
		stream = *ev.StreamURL
	}
	capacity, campaign := "", ""
	if ev.Capacity != nil {
		capacity = strconv.Itoa(*ev.Capacity)
	}
	if ev.Campaign != nil {
		campaign = *ev.Campaign
	}
	return Form{Values: map[string]string{"title": ev.Title, "description": ev.Description, "location": ev.Location,
		"stream_url": stream, "starts_at": ev.StartsAt.In(domain.Shanghai).Format(datetimeLocal),
		"ends_at": ev.EndsAt.In(domain.Shanghai).Format(datetimeLocal), "capacity": capacity, "campaign": campaign}}
}

// Changeable: the caller may still edit or cancel ev: zone staff, and ev
// correctable (domain.Event.Correctable; a walk found the forms offered to
// province staff, who were then refused).
func (p *StaffEventsPage) Changeable(ev domain.Event) bool {
	return p.ZoneStaff && p.Correctable[ev.ID]
}

// Listable: the caller may list openings at ev, or take them off: zone
// staff, and ev neither over nor cancelled.
func (p *StaffEventsPage) Listable(ev domain.Event) bool {
	return p.ZoneStaff && !p.Over[ev.ID] && !ev.Cancelled()
}

// CancelFormFor is the cancel form of ev: as refused, or empty.
func (p *StaffEventsPage) CancelFormFor(ev domain.Event) Form {
	if ev.ID == p.Cancelling {
		return p.CancelForm
	}
	return Form{}
}

func (*StaffEventsPage) template() string { return "events/staff" }

func (s *Site) staffEvents(c *gin.Context) { showForm(s, c, s.staffEventsView, Form{}) }

// staffEventsPerPage is how many events the staff events page shows a page:
// those to come, the soonest first, come first, so an event acted on (?at=)
// is on the first page.
const staffEventsPerPage = 50

func (s *Site) staffEventsView(c *gin.Context, form Form) (*StaffEventsPage, error) {
	cl := callerOf(c)
	page := pageParam(c)
	evs, total, err := s.App.Events(c.Request.Context(), callerOf(c), domain.EventFilter{Zone: cl.ZoneCode}, domain.Page{Page: page, PerPage: staffEventsPerPage})
	if err != nil {
		return nil, err
	}
	// "· 管理工作台": the public list has the same name (an audit).
	v := &StaffEventsPage{Layout: s.layout(c, s.cat.t(lang(c), "staff.events")+" · "+s.cat.t(lang(c), "nav.staff")), Events: evs, Kinds: domain.EventKinds,
		Form: form, Over: map[string]bool{}, Correctable: map[string]bool{}, ZoneStaff: cl.Level() == domain.LevelZone,
		Pager: pagerOf("/staff/events", nil, page, total, staffEventsPerPage)}
	for i, ev := range evs {
		v.Over[ev.ID] = ev.Over(s.Now())
		v.Correctable[ev.ID] = ev.Correctable(s.Now(), ev.Stats.TookPart()) == nil
		// Each card lists the openings at its event.
		e, err := s.App.Event(c.Request.Context(), cl, ev.ID)
		if err != nil {
			return nil, err
		}
		evs[i].Openings = e.Openings
		// Staff paste the tracked link into posts and streams: the whole
		// address, not the path.
		if ev.TrackedLink != "" {
			evs[i].TrackedLink = s.absolute(ev.TrackedLink)
		}
		if ev.ID == c.Query("at") {
			v.At, v.Answer, v.AnswerError, v.Door = ev.ID, v.Flash, v.FlashError, c.Query("door") == "1"
			v.Flash = ""
		}
	}
	return v, nil
}

// eventCard is where an action on event id answers: its card on the
// staff events page.
func eventCard(id string) string {
	return "/staff/events?at=" + url.QueryEscape(id) + "#event-" + url.PathEscape(id)
}

// toEventCard sends a GET of an event form's action to the event's card.
func (s *Site) toEventCard(c *gin.Context) { c.Redirect(http.StatusSeeOther, eventCard(c.Param("id"))) }

// eventDoor is where a check-in at event id answers: its code box.
func eventDoor(id string) string {
	return "/staff/events?at=" + url.QueryEscape(id) + "&door=1#ci-" + url.PathEscape(id)
}

// checkInRefusal is the reason alone of a check-in refused for a wrong
// code (the door's only field) or an event whose check-in has not opened
// (domain.CheckInOpen), in the reader's language: either says all, with no
// "not possible" before it. English reads it as a sentence (the API's
// reason is a lower-case fragment).
func (s *Site) checkInRefusal(lang string, err error, fields ...string) string {
	if errors.Is(err, domain.ErrEventCancelled) {
		// A walk scanned a cancelled event's code and read only "not in
		// this state".
		return s.cat.t(lang, "checkin.event_cancelled")
	}
	errs := fieldErrors(err)
	for _, f := range append(fields, "starts_at") {
		if why := errs[f]; why != "" {
			return sentence(lang, domain.TranslateReason(lang, why))
		}
	}
	return ""
}

// sentence makes an English fragment a sentence: a capital first letter
// and a full stop. Chinese reads as it is.
func sentence(lang, s string) string {
	if lang != "en" || s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	s = string(unicode.ToUpper(r)) + s[n:]
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

// sentences joins sentences as lang writes them: a space between in
// English, none in Chinese.
func sentences(lang string, s ...string) string {
	if lang == "en" {
		return strings.Join(s, " ")
	}
	return strings.Join(s, "")
}

// EventOpeningsPage picks openings to add to an event: the zone's openings
// taking applications and not at the event, found by title or employer, a
// page at a time (each card carried a picker of the zone's first 100).
type EventOpeningsPage struct {
	Layout
	Event    domain.Event
	Q        string
	Openings []domain.Opening
	Total    int64
	Pager
}

func (*EventOpeningsPage) template() string { return "events/openings" }

// eventOpeningsPerPage is how many openings the picker shows a page.
const eventOpeningsPerPage = 50

func (s *Site) eventOpeningsPage(c *gin.Context) {
	ctx, cl, id, q, page := c.Request.Context(), callerOf(c), c.Param("id"), c.Query("q"), pageParam(c)
	e, err := s.App.Event(ctx, cl, id)
	var openings []domain.Opening
	var total int64
	if err == nil {
		openings, total, err = s.App.EventOpeningChoices(ctx, cl, id, q, domain.Page{Page: page, PerPage: eventOpeningsPerPage})
	}
	if domain.CodeOf(err) == domain.CodeInvalidState { // over or cancelled: the card says why (a walk met a bare refusal)
		s.back(c, eventCard(id), s.message(c, err), true)
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	v := &EventOpeningsPage{Layout: s.layout(c, s.cat.t(lang(c), "event.add_openings")+" · "+e.Title), Event: e, Q: q,
		Openings: openings, Total: total,
		Pager: pagerOf("/staff/events/"+url.PathEscape(id)+"/openings", url.Values{"q": {q}}, page, total, eventOpeningsPerPage)}
	s.render(c, http.StatusOK, v)
}

// attachOpenings adds the openings ticked on the picker and shows them on
// the event's card; a refusal (none ticked) goes back to the picker as it
// was (from: its search and page), not to the card (a walk).
func (s *Site) attachOpenings(c *gin.Context) {
	id := c.Param("id")
	_, err := s.App.AddEventOpenings(c.Request.Context(), callerOf(c), id, c.PostFormArray("opening_ids"), c.PostForm("pinned") == "1")
	if from := safeNext(c.PostForm("from")); err != nil && strings.HasPrefix(from, "/staff/events/"+url.PathEscape(id)+"/openings") {
		s.back(c, from, s.message(c, err), true)
		return
	}
	s.outcome(c, eventCard(id), "events.openings_added", err)
}

// detachOpening takes an opening off an event and says which, in the
// event's card.
func (s *Site) detachOpening(c *gin.Context) {
	back := eventCard(c.Param("id"))
	ev, err := s.App.Event(c.Request.Context(), callerOf(c), c.Param("id"))
	title := ""
	for _, o := range ev.Openings {
		if o.OpeningID == c.Param("opening") {
			title = o.Title
			break
		}
	}
	if err == nil {
		_, err = s.App.RemoveEventOpening(c.Request.Context(), callerOf(c), c.Param("id"), c.Param("opening"))
	}
	if err != nil {
		s.back(c, back, s.message(c, err), true)
		return
	}
	s.done(c, back, "events.opening_removed", "{title}", title)
}

// checkInCode checks in the registration whose code staff typed at the
// door and comes back to the events page saying who it was, or that they
// had already been checked in and when (the counts on the page follow).
func (s *Site) checkInCode(c *gin.Context) {
	reg, err := s.App.CheckIn(c.Request.Context(), callerOf(c), c.Param("id"), c.PostForm("code"))
	back := eventDoor(c.Param("id"))
	if why := s.checkInRefusal(lang(c), err, "code"); why != "" {
		// Too early: the door is told when it opens (a walk: only that it
		// opens 12 hours before).
		if fieldErrors(err)["starts_at"] == domain.ReasonCheckInNotOpen {
			if e, eerr := s.App.Event(c.Request.Context(), callerOf(c), c.Param("id")); eerr == nil {
				why += s.cat.tf(lang(c), "checkin.opens_at", e.StartsAt.Add(-domain.CheckInEarly).In(domain.Shanghai).Format("01-02 15:04"))
			}
		}
		s.back(c, back, why, true)
		return
	}
	if err != nil {
		s.back(c, back, s.message(c, err), true)
		return
	}
	s.back(c, back, s.checkedInMessage(lang(c), reg.GraduateName, *reg.CheckedInAt, reg.Already), reg.Already)
}

// checkedInMessage says who was checked in and when, or since when they had
// been (already).
func (s *Site) checkedInMessage(l, name string, at time.Time, already bool) string {
	if already {
		return name + s.cat.t(l, "checkin.already_at") + " " + at.In(domain.Shanghai).Format("01-02 15:04")
	}
	return "✓ " + name + s.cat.t(l, "checkin.done_at") + " " + at.In(domain.Shanghai).Format("15:04")
}

// eventFields are the fields of the event forms, new and edit.
var eventFields = []string{"title", "starts_at", "ends_at", "description", "location", "stream_url", "capacity", "campaign"}

// formCapacity reads the capacity box: empty is no limit (0), a number is
// itself, anything else -1, which the rule refuses beside the box.
func formCapacity(v string) *int {
	n := 0
	if v = strings.TrimSpace(v); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil {
			n = -1
		}
	}
	return &n
}

func (s *Site) createEvent(c *gin.Context) {
	cl := callerOf(c)
	stream := c.PostForm("stream_url")
	e, err := s.App.CreateEvent(c.Request.Context(), cl, domain.EventInput{Kind: c.PostForm("kind"), Title: c.PostForm("title"),
		ZoneCode: cl.ZoneCode, StartsAt: localTime(c.PostForm("starts_at")), EndsAt: localTime(c.PostForm("ends_at")), Description: c.PostForm("description"),
		Location: c.PostForm("location"), StreamURL: &stream, Capacity: formCapacity(c.PostForm("capacity")), Campaign: c.PostForm("campaign")})
	// A refused form comes back with 422, as every other form's.
	if s.refused(c, err, posted(c, append([]string{"kind"}, eventFields...)...), func(f Form) { showRefused(s, c, s.staffEventsView, f) }) {
		return
	}
	s.back(c, eventCard(e.ID), "✓ "+s.cat.t(lang(c), "events.created"), false)
}

// updateEvent saves an event's edit form. A refused field shows the form
// again, open on its card; the answer says when the registered graduates
// were mailed (a change of time or place).
func (s *Site) updateEvent(c *gin.Context) {
	cl, id := callerOf(c), c.Param("id")
	before, err := s.App.Event(c.Request.Context(), cl, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	f := func(k string) *string { v := c.PostForm(k); return &v }
	// A time the form shows as it was is not sent: the input drops the
	// seconds of a time set through the API, and a "change" of those
	// would mail every registered graduate.
	moved := func(k string, was time.Time) *string {
		if c.PostForm(k) == was.In(domain.Shanghai).Format(datetimeLocal) {
			return nil
		}
		v := localTime(c.PostForm(k))
		return &v
	}
	after, err := s.App.UpdateEvent(c.Request.Context(), cl, id, domain.EventPatch{Title: f("title"),
		StartsAt: moved("starts_at", before.StartsAt), EndsAt: moved("ends_at", before.EndsAt), Description: f("description"),
		Location: f("location"), StreamURL: f("stream_url"), Capacity: formCapacity(c.PostForm("capacity")), Campaign: f("campaign")})
	if fields := fieldErrors(err); fields != nil {
		s.refusedOnCard(c, s.failedForm(c, posted(c, eventFields...), fields), func(v *StaffEventsPage, f Form) { v.Editing, v.EditForm = id, f })
		return
	}
	if err != nil {
		s.back(c, eventCard(id), s.message(c, err), true)
		return
	}
	// Places added went to those waiting: staff are told how many got in
	// (a walk: the flash said only "saved").
	if in := min(after.Stats.Registrations-before.Stats.Registrations, before.Stats.Waitlisted); in > 0 {
		s.back(c, eventCard(id), "✓ "+s.cat.tf(lang(c), "events.updated_waitlist_in", in), false)
		return
	}
	if n := after.Stats.RegistrationsMailable; n > 0 && domain.ChangeOf(before, after).Moved {
		s.back(c, eventCard(id), "✓ "+s.cat.tf(lang(c), "events.updated_mailed", n), false)
		return
	}
	s.outcome(c, eventCard(id), "events.updated", nil)
}

// refusedOnCard shows the staff events page again (422) with a refused
// form of one event's card open, as open puts it there: the values sent
// and the reasons beside the fields.
func (s *Site) refusedOnCard(c *gin.Context, form Form, open func(*StaffEventsPage, Form)) {
	showRefused(s, c, func(c *gin.Context, f Form) (*StaffEventsPage, error) {
		v, err := s.staffEventsView(c, Form{})
		if v != nil {
			open(v, f)
		}
		return v, err
	}, form)
}

// cancelEvent cancels an event with the reason staff give, and says how
// many registered graduates were mailed (those with a verified address)
// and how many waiting were sent a site message.
func (s *Site) cancelEvent(c *gin.Context) {
	id := c.Param("id")
	e, waitlistTold, err := s.App.CancelEvent(c.Request.Context(), callerOf(c), id, c.PostForm("reason"))
	if fields := fieldErrors(err); fields != nil {
		s.refusedOnCard(c, s.failedForm(c, posted(c, "reason"), fields), func(v *StaffEventsPage, f Form) { v.Cancelling, v.CancelForm = id, f })
		return
	}
	if err != nil {
		s.back(c, eventCard(id), s.message(c, err), true)
		return
	}
	l := lang(c)
	done := s.cat.t(l, "events.cancelled_none")
	if e.Stats.RegistrationsMailable > 0 {
		done = s.cat.tf(l, "events.cancelled", e.Stats.RegistrationsMailable)
	}
	if waitlistTold > 0 {
		done = sentences(l, done, s.cat.tf(l, "events.cancelled_waitlist", waitlistTold))
	}
	s.back(c, eventCard(e.ID), "✓ "+done, false)
}
