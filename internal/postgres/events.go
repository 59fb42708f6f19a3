package postgres

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"errors"
	"sort"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/gradzone/gradzone/internal/domain"
)

type eventRow struct {
	ID           string
	Kind         string
	Title        string
	ZoneCode     string
	ZoneName     string
	ZoneNameEn   string
	ProvinceCode string
	Campaign     *string
	StartsAt     time.Time
	EndsAt       time.Time
	Description  string
	Location     string
	StreamURL    *string
	Capacity     *int
	TrackingCode string
	PageViews    int64
	CreatedAt    time.Time
	Sequence     int
	CancelledAt  *time.Time
	CancelReason string
}

const eventSelect = `SELECT ev.id, ev.kind, ev.title, ev.zone_code, z.name_zh AS zone_name, z.name_en AS zone_name_en, z.province_code, ev.campaign,
	ev.starts_at, ev.ends_at, ev.description, ev.location, ev.stream_url, ev.capacity, ev.tracking_code, ev.page_views, ev.created_at,
	ev.sequence, ev.cancelled_at, ev.cancel_reason
	FROM events ev JOIN zones z ON z.code = ev.zone_code`

func (r eventRow) toDomain() domain.Event {
	e := domain.Event{ID: r.ID, Kind: r.Kind, Title: r.Title, ZoneCode: r.ZoneCode, ZoneName: r.ZoneName, ZoneNameEn: r.ZoneNameEn, ProvinceCode: r.ProvinceCode,
		Campaign: r.Campaign, StartsAt: r.StartsAt, EndsAt: r.EndsAt, Description: r.Description, Location: r.Location, StreamURL: r.StreamURL,
		Capacity: r.Capacity, TrackingCode: r.TrackingCode, TrackedLink: "/e/" + r.TrackingCode, CreatedAt: r.CreatedAt,
		Status: domain.EventScheduled, CancelledAt: r.CancelledAt, CancelReason: r.CancelReason, Sequence: r.Sequence,
		Stats: domain.EventStats{PageViews: r.PageViews}}
	if r.CancelledAt != nil {
		e.Status = domain.EventCancelled
	}
	return e
}

func randomCode(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return strings.ToLower(strings.TrimRight(base32.StdEncoding.EncodeToString(b), "="))
}

const insertEvent = `INSERT INTO events (kind, title, zone_code, campaign, starts_at, ends_at,
	description, location, stream_url, capacity, tracking_code, created_by)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
	RETURNING id`

// CreateEvent creates an event in the caller's zone. Errors: forbidden,
// not_found (another zone), validation_failed.
func (s *Store) CreateEvent(ctx context.Context, c domain.Caller, in domain.EventInput) (domain.Event, error) {
	if c.Level() != domain.LevelZone {
		return domain.Event{}, domain.ErrForbidden
	}
	start, end, err := in.Validate(s.now())
	if err != nil {
		return domain.Event{}, err
	}
	if in.ZoneCode != c.ZoneCode {
		if _, err := s.Zone(ctx, in.ZoneCode); err != nil {
			return domain.Event{}, domain.FieldError("zone_code", "unknown zone")
		}
		return domain.Event{}, domain.ErrForbidden
	}
	var campaign *string
	if in.Campaign != "" {
		campaign = &in.Campaign
	}
	var id string
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Raw(insertEvent, in.Kind, in.Title, in.ZoneCode, campaign, start, end,
			in.Description, in.Location, in.StreamURL, in.Capacity, randomCode(6), c.UserID).Scan(&id).Error; err != nil {
			return err
		}
		return audit(ctx, tx, auditEntry{Kind: "event.created", ActorID: c.UserID, EntityType: "event", EntityID: id,
			ZoneCode: in.ZoneCode, ProvinceCode: c.ProvinceCode,
			After: map[string]any{"kind": in.Kind}})
	})
	if err != nil {
		return domain.Event{}, translate(err)
	}
	return s.Event(ctx, c, id)
}

const updateEventFields = `UPDATE events
	SET title = ?, campaign = ?, starts_at = ?, ends_at = ?, description = ?, location = ?, stream_url = ?, capacity = ?,
		sequence = sequence + ?
	WHERE id = ?`

const countEventRegistrations = `SELECT count(*) FROM event_registrations
	WHERE event_id = ?`

// registeredGraduates are the graduates registered for an event: those a
// change or a cancellation is mailed to.
const registeredGraduates = `SELECT graduate_id FROM event_registrations
	WHERE event_id = ?
	ORDER BY created_at, graduate_id`

// rearmEventReminders lets the day-before reminder go out again for the
// new day of a moved event.
const rearmEventReminders = `UPDATE event_registrations
	SET reminded_at = NULL
	WHERE event_id = ?`

// eventTookPart answers whether anyone registered for, waited for or
// applied through an event (domain.EventStats.TookPart).
const eventTookPart = `SELECT EXISTS (SELECT 1 FROM event_registrations WHERE event_id = ?)
	OR EXISTS (SELECT 1 FROM event_waitlist WHERE event_id = ?)
	OR EXISTS (SELECT 1 FROM applications WHERE event_id = ?)`

// eventToChange loads an event of the caller's zone that may still change
// (domain.Event.Correctable), locked until the transaction ends: two edits
// at once each see the other's sequence. Errors: forbidden, not_found,
// invalid_state.
func (s *Store) eventToChange(tx *gorm.DB, c domain.Caller, eventID string) (eventRow, error) {
	if c.Level() != domain.LevelZone {
		return eventRow{}, domain.ErrForbidden
	}
	r, err := oneRow[eventRow](tx, eventID, eventByID+` FOR UPDATE OF ev`, eventID)
	if err != nil {
		return r, err
	}
	if r.ZoneCode != c.ZoneCode {
		return r, domain.ErrNotFound
	}
	now, e := s.now(), r.toDomain()
	tookPart := false
	if e.Over(now) && !e.Cancelled() {
		if err := tx.Raw(eventTookPart, eventID, eventID, eventID).Scan(&tookPart).Error; err != nil {
			return r, err
		}
	}
	return r, e.Correctable(now, tookPart)
}

// mailRegistered queues mail kind about event e to each graduate
// registered for it; key names the send (with the graduate's ID), so a
// retried transaction sends once.
func (s *Store) mailRegistered(tx *gorm.DB, e domain.Event, kind domain.MailKind, key string, extra map[string]string) error {
	var graduates []string
	if err := tx.Raw(registeredGraduates, e.ID).Scan(&graduates).Error; err != nil {
		return err
	}
	for _, g := range graduates {
		d := domain.EventMailData(e)
		for k, v := range extra {
			d[k] = v
		}
		if err := s.enqueue(tx, MailJob(kind, g, d, key+":"+domain.CheckinSubject(e.ID, g))); err != nil {
			return err
		}
	}
	return nil
}

// UpdateEvent changes an event of the caller's zone that may still change
// (domain.Event.Correctable). When its time or place moves, its calendar sequence goes
// up, each registered graduate is mailed the new details (with the
// updated calendar entry), and the day-before reminder is sent again for a
// start more than a day away. Errors: forbidden, not_found, invalid_state,
// validation_failed.
func (s *Store) UpdateEvent(ctx context.Context, c domain.Caller, eventID string, p domain.EventPatch) (domain.Event, error) {
	err := s.tx(ctx, func(tx *gorm.DB) error {
		r, err := s.eventToChange(tx, c, eventID)
		if err != nil {
			return err
		}
		before := r.toDomain()
		// The event's row is locked: no registration comes in meanwhile.
		if err := tx.Raw(countEventRegistrations, eventID).Scan(&before.Stats.Registrations).Error; err != nil {
			return err
		}
		in := p.Input(before)
		start, end, err := in.Validate(s.now())
		if err != nil {
			return err
		}
		if err := p.Check(before, end, s.now()); err != nil {
			return err
		}
		after := before
		after.Title, after.StartsAt, after.EndsAt, after.Description, after.Location, after.StreamURL = in.Title, start, end, in.Description, in.Location, in.StreamURL
		after.Capacity = in.Capacity
		after.Campaign = nil
		if in.Campaign != "" {
			after.Campaign = &in.Campaign
		}
		change := domain.ChangeOf(before, after)
		if len(change.Fields) == 0 {
			return nil
		}
		bump := 0
		if change.Moved {
			bump = 1
			after.Sequence++
		}
		if err := tx.Exec(updateEventFields, after.Title, after.Campaign, start, end, after.Description, after.Location,
			after.StreamURL, after.Capacity, bump, eventID).Error; err != nil {
			return err
		}
		was, is := domain.EventFieldValues(before, change.Fields), domain.EventFieldValues(after, change.Fields)
		if err := audit(ctx, tx, auditEntry{Kind: "event.updated", ActorID: c.UserID, EntityType: "event", EntityID: r.ID,
			ZoneCode: r.ZoneCode, ProvinceCode: r.ProvinceCode, Before: was, After: is}); err != nil {
			return err
		}
		if change.Moved {
			if start.After(s.now().Add(domain.EventReminderLead)) {
				if err := tx.Exec(rearmEventReminders, eventID).Error; err != nil {
					return err
				}
			}
			// The mail says what it was, beside what it is now.
			if err := s.mailRegistered(tx, after, domain.MailEventChanged, "event_changed:"+strconv.Itoa(after.Sequence),
				domain.EventWasMailData(before, after)); err != nil {
				return err
			}
		}
		// More places (or none of a limit) go to the waitlist at once,
		// after the change's mail: those they go to are confirmed with the
		// new details, and not told of a change as well.
		if after.Places() != before.Places() {
			return s.fillPlaces(tx, eventID)
		}
		return nil
	})
	if err != nil {
		return domain.Event{}, translate(err)
	}
	return s.Event(ctx, c, eventID)
}

const cancelEvent = `UPDATE events
	SET cancelled_at = ?, cancel_reason = ?, sequence = sequence + 1
	WHERE id = ?`

// CancelEvent cancels an event of the caller's zone that is neither over
// nor cancelled: it takes no more registrations, check-ins or openings,
// sends no reminders, and each registered graduate is mailed the reason
// with the cancellation of the calendar entry. Its page, figures and
// registrations stay. Those waiting for a place are told by a site
// message and the waitlist is dropped; waitlistTold is how many they were.
// Errors: forbidden, not_found, invalid_state, validation_failed (reason).
func (s *Store) CancelEvent(ctx context.Context, c domain.Caller, eventID, reason string) (e domain.Event, waitlistTold int64, err error) {
	reason, err = domain.ValidateCancelReason(reason)
	if err != nil {
		return domain.Event{}, 0, err
	}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		r, err := s.eventToChange(tx, c, eventID)
		if err != nil {
			return err
		}
		now := s.now()
		if err := tx.Exec(cancelEvent, now, reason, eventID).Error; err != nil {
			return err
		}
		if err := auditEvent(ctx, tx, c, r, "event.cancelled", map[string]any{"reason": reason}); err != nil {
			return err
		}
		e := r.toDomain()
		e.Sequence++
		e.CancelledAt, e.CancelReason = &now, reason
		if waitlistTold, err = closeWaitlist(tx, e, reason); err != nil {
			return err
		}
		return s.mailRegistered(tx, e, domain.MailEventCancelled, "event_cancelled", map[string]string{"reason": reason})
	})
	if err != nil {
		return domain.Event{}, 0, translate(err)
	}
	e, err = s.Event(ctx, c, eventID)
	return e, waitlistTold, err
}

// auditEvent records a change staff made to an event of r's zone.
func auditEvent(ctx context.Context, tx *gorm.DB, c domain.Caller, r eventRow, kind string, after map[string]any) error {
	return audit(ctx, tx, auditEntry{Kind: kind, ActorID: c.UserID, EntityType: "event", EntityID: r.ID,
		ZoneCode: r.ZoneCode, ProvinceCode: r.ProvinceCode, After: after})
}

const eventByID = eventSelect + `
	WHERE ev.id = ?`

func (s *Store) loadEvent(db *gorm.DB, id string) (eventRow, error) {
	return oneRow[eventRow](db, id, eventByID, id)
}

// loadEventShared loads an event for a write that depends on what it is
// (a registration, an opening listed): KEY SHARE waits for an edit or a
// cancellation under way (eventToChange's FOR UPDATE) and then reads the
// event as it left it, so a registration made while the event is cancelled
// is refused, not confirmed with the old details and never told. It does
// not wait for the counters' updates (page views).
func loadEventShared(tx *gorm.DB, id string) (eventRow, error) {
	return oneRow[eventRow](tx, id, eventByID+` FOR KEY SHARE OF ev`, id)
}

// liveEvent is loadEventShared for a graduate's registration or its
// withdrawal: the event must be neither over nor cancelled. Errors:
// not_found, invalid_state.
func (s *Store) liveEvent(tx *gorm.DB, id string) (eventRow, error) {
	r, err := loadEventShared(tx, id)
	if err != nil {
		return r, err
	}
	return r, r.toDomain().Live(s.now())
}

// eventFunnels reads the funnels of the events named, one row each.
const eventFunnels = `SELECT ev.id AS event_id,
	(SELECT count(*) FROM event_openings o WHERE o.event_id = ev.id) AS openings,
	(SELECT coalesce(sum(o.clicks), 0) FROM event_openings o WHERE o.event_id = ev.id) AS opening_clicks,
	(SELECT count(*) FROM event_registrations r WHERE r.event_id = ev.id) AS registrations,
	(SELECT count(*) FROM event_waitlist w WHERE w.event_id = ev.id) AS waitlisted,
	(SELECT count(*) FROM event_registrations r JOIN users u ON u.id = r.graduate_id
		WHERE r.event_id = ev.id AND u.email_verified_at IS NOT NULL AND u.deleted_at IS NULL) AS registrations_mailable,
	(SELECT count(*) FROM event_registrations r WHERE r.event_id = ev.id AND r.checked_in_at IS NOT NULL) AS check_ins,
	(SELECT count(*) FROM applications a WHERE a.event_id = ev.id) AS applications,
	(SELECT count(*) FROM applications a WHERE a.event_id = ev.id
		AND EXISTS (SELECT 1 FROM application_history h WHERE h.application_id = a.id AND h.to_status = 'offered')) AS offers,
	(SELECT count(*) FROM placements p WHERE p.event_id = ev.id AND p.status = 'active') AS placements
	FROM events ev
	WHERE ev.id IN ?`

// fillFunnels computes the events' funnels in one read (a page of events
// was one read each); the page views stay as the event's row has them.
func fillFunnels(db *gorm.DB, events []domain.Event) error {
	if len(events) == 0 {
		return nil
	}
	ids := idsOf(events, func(e domain.Event) string { return e.ID })
	var funnels []struct {
		EventID string
		domain.EventStats
	}
	if err := db.Raw(eventFunnels, ids).Scan(&funnels).Error; err != nil {
		return err
	}
	byEvent := make(map[string]domain.EventStats, len(funnels))
	for _, f := range funnels {
		byEvent[f.EventID] = f.EventStats
	}
	for i := range events {
		views := events[i].Stats.PageViews
		events[i].Stats = byEvent[events[i].ID]
		events[i].Stats.PageViews = views
	}
	return nil
}

// openingsOfEvent lists what a visitor may open: an opening sent back to
// review by an edit, or closed, leaves the page (its text may be unread by
// any reviewer) and comes back when approved; the funnel's counts keep it.
const openingsOfEvent = `SELECT eo.opening_id, o.title, em.name AS employer, eo.pinned, eo.clicks
	FROM event_openings eo JOIN openings o ON o.id = eo.opening_id JOIN employers em ON em.id = o.employer_id
	WHERE eo.event_id = ? AND o.status = 'published'
	ORDER BY eo.pinned DESC, eo.added_at`

const graduatesRegistrationsAt = `SELECT event_id, graduate_id, checkin_code, checked_in_at, created_at
	FROM event_registrations
	WHERE graduate_id = ? AND event_id IN ?`

// fillOwnPlaces gives each of evs, read by a graduate, the graduate's own
// registration and place on its waitlist: the event's page and the list
// of events show them (the list did not: a walk could not tell there
// which events it had registered for).
func fillOwnPlaces(db *gorm.DB, c domain.Caller, evs []domain.Event) error {
	if c.Role != domain.RoleGraduate || len(evs) == 0 {
		return nil
	}
	ids := idsOf(evs, func(e domain.Event) string { return e.ID })
	var regs []domain.Registration
	if err := db.Raw(graduatesRegistrationsAt, c.UserID, ids).Scan(&regs).Error; err != nil {
		return err
	}
	var places []domain.WaitlistPlace
	if err := db.Raw(waitlistPlaces, c.UserID, ids).Scan(&places).Error; err != nil {
		return err
	}
	for i := range evs {
		for j := range regs {
			if regs[j].EventID == evs[i].ID {
				evs[i].Registration = &regs[j]
			}
		}
		for j := range places {
			if places[j].EventID == evs[i].ID {
				evs[i].Waitlist = &places[j]
			}
		}
	}
	return nil
}

// Event returns an event with its openings and stats; events are public.
// A graduate also sees its own registration.
func (s *Store) Event(ctx context.Context, c domain.Caller, id string) (domain.Event, error) {
	db := s.db.WithContext(ctx)
	r, err := s.loadEvent(db, id)
	if err != nil {
		return domain.Event{}, translate(err)
	}
	one := []domain.Event{r.toDomain()}
	if err := fillFunnels(db, one); err != nil {
		return one[0], translate(err)
	}
	if err := fillOwnPlaces(db, c, one); err != nil {
		return one[0], translate(err)
	}
	e := one[0]
	if err := db.Raw(openingsOfEvent, id).Scan(&e.Openings).Error; err != nil {
		return e, translate(err)
	}
	// Staff see the event's check-in codes only through check-in itself.
	return e, nil
}

// eventsOrder lists events not over yet first, the soonest first, then
// those over, the latest first; at is the store's clock (a time the store
// formats itself, never input).
func eventsOrder(at time.Time) string {
	t := "'" + at.UTC().Format(time.RFC3339Nano) + "'::timestamptz"
	return "ev.ends_at <= " + t + ", CASE WHEN ev.ends_at > " + t + " THEN ev.starts_at END, ev.starts_at DESC, ev.id"
}

// Events lists events: those not over, the soonest first, then those
// over, the latest first. A graduate also sees its own registrations.
func (s *Store) Events(ctx context.Context, c domain.Caller, f domain.EventFilter, p domain.Page) ([]domain.Event, int64, error) {
	w := newFilter("TRUE", nil)
	if f.Zone != "" {
		w.and("ev.zone_code = ?", f.Zone)
	}
	if f.Kind != "" {
		w.and("ev.kind = ?", f.Kind)
	}
	if f.Province != "" {
		w.and("ev.zone_code IN (SELECT code FROM zones WHERE province_code = ?)", f.Province)
	}
	if f.Campaign != "" {
		w.and("ev.campaign = ?", f.Campaign)
	}
	if f.Upcoming {
		w.and("ev.ends_at > ?", s.now())
	}
	db := s.db.WithContext(ctx)
	rows, total, err := listPage[eventRow](db, `events ev`, eventSelect, eventsOrder(s.now()), w, p)
	if err != nil {
		return nil, 0, err
	}
	out := make([]domain.Event, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	if err := fillFunnels(db, out); err != nil {
		return nil, 0, translate(err)
	}
	if err := fillOwnPlaces(db, c, out); err != nil {
		return nil, 0, translate(err)
	}
	return out, total, nil
}

// eventToList loads an event of the caller's zone whose list of openings
// may change: one not over (an event over keeps the list its figures were
// made with) nor cancelled. Errors: not_found, invalid_state.
func (s *Store) eventToList(tx *gorm.DB, c domain.Caller, eventID string) (eventRow, error) {
	r, err := loadEventShared(tx, eventID)
	if err != nil {
		return r, err
	}
	if r.ZoneCode != c.ZoneCode {
		return r, domain.ErrNotFound
	}
	return r, r.toDomain().Live(s.now())
}

const upsertEventOpening = `INSERT INTO event_openings (event_id, opening_id, pinned)
	VALUES (?, ?, ?)
	ON CONFLICT (event_id, opening_id) DO UPDATE
	SET pinned = EXCLUDED.pinned
	RETURNING (xmax = 0) AS inserted`

// EventOpeningChoices pages through the openings the caller may add to an
// event of its zone: its zone's openings taking applications, not at the
// event yet, whose title or employer's name holds q; last changed first.
// The staff events page gave each event's card a picker of the zone's
// first 100 openings (a page of 250 KB; the 101st could not be added; a
// speed probe). Errors: as AddEventOpenings.
func (s *Store) EventOpeningChoices(ctx context.Context, c domain.Caller, eventID, q string, p domain.Page) ([]domain.Opening, int64, error) {
	if c.Level() != domain.LevelZone {
		return nil, 0, domain.ErrForbidden
	}
	if _, err := s.eventToList(s.db.WithContext(ctx), c, eventID); err != nil {
		return nil, 0, translate(err)
	}
	where, args := scopeWhere(c, scopeColumns{Zone: "e.zone_code"})
	w := newFilter(where, args)
	w.and(searchable, domain.DateOf(s.now()).String())
	w.and("NOT EXISTS (SELECT 1 FROM event_openings eo WHERE eo.event_id = ? AND eo.opening_id = o.id)", eventID)
	if q = strings.TrimSpace(q); q != "" {
		like := "%" + escapeLike(q) + "%"
		w.and("(o.title ILIKE ? OR e.name ILIKE ?)", like, like)
	}
	return s.listOpenings(ctx, w.where, w.args, "", p)
}

// AddEventOpenings lists published openings of the event's zone at the
// event: open ones (domain.Opening.Searchable: a visitor can apply), at an
// event not yet over. Errors: forbidden, not_found, invalid_state (the event
// is over), validation_failed (naming the first opening that is not an open
// opening of the zone).
func (s *Store) AddEventOpenings(ctx context.Context, c domain.Caller, eventID string, openingIDs []string, pinned bool) (domain.Event, error) {
	if c.Level() != domain.LevelZone {
		return domain.Event{}, domain.ErrForbidden
	}
	var v domain.Validation
	v.Check(len(openingIDs) >= 1 && len(openingIDs) <= 200, "opening_ids", "must list 1 to 200 openings")
	if err := v.Err(); err != nil {
		return domain.Event{}, err
	}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		r, err := s.eventToList(tx, c, eventID)
		if err != nil {
			return err
		}
		today := domain.DateOf(s.now())
		var titles []string
		listed := map[string][]string{} // each employer's openings listed now, for one message each
		for _, id := range openingIDs {
			var o openingRow
			var err error = domain.ErrNotFound
			if validUUID(id) {
				o, err = loadOpening(tx, id, false)
			}
			switch {
			case errors.Is(err, domain.ErrNotFound) || err == nil && (o.ZoneCode == nil || *o.ZoneCode != r.ZoneCode || o.Status != domain.OpeningPublished):
				return domain.FieldError("opening_ids", "not a published opening of the event's zone: "+id)
			case err != nil:
				return err
			case !o.toDomain().Searchable(today):
				return domain.FieldError("opening_ids", "not taking applications (past its deadline or full): "+id)
			}
			var inserted bool // not one already listed (a re-pin, a repeat)
			if err := tx.Raw(upsertEventOpening, eventID, id, pinned).Scan(&inserted).Error; err != nil {
				return err
			}
			if inserted {
				titles = append(titles, o.Title)
				listed[o.EmployerID] = append(listed[o.EmployerID], o.Title)
			}
		}
		if len(titles) == 0 {
			return nil
		}
		for employerID, openings := range listed {
			if err := notifyEmployer(tx, employerID, domain.OpeningAtEventNotice(openings, r.toDomain())); err != nil {
				return err
			}
		}
		return auditEvent(ctx, tx, c, r, "event.openings_added", map[string]any{"openings": titles})
	})
	if err != nil {
		return domain.Event{}, translate(err)
	}
	return s.Event(ctx, c, eventID)
}

// deleteUnusedEventOpening takes an opening off an event while nobody has
// opened it or applied to it through the event: its clicks and
// applications are the event's figures.
const deleteUnusedEventOpening = `DELETE FROM event_openings eo
	WHERE eo.event_id = ? AND eo.opening_id = ? AND eo.clicks = 0
	AND NOT EXISTS (SELECT 1 FROM applications a WHERE a.event_id = eo.event_id AND a.opening_id = eo.opening_id)`

const eventHasOpening = `SELECT count(*) FROM event_openings
	WHERE event_id = ? AND opening_id = ?`

// RemoveEventOpening takes an opening off an event of the caller's zone
// while the event is not over and nobody has opened or applied to it
// through the event (the list and clicks an event's figures were made with
// stay). Errors: forbidden, not_found (the event, or the opening not at
// it), invalid_state (the event is over, or the opening was used there).
func (s *Store) RemoveEventOpening(ctx context.Context, c domain.Caller, eventID, openingID string) (domain.Event, error) {
	if c.Level() != domain.LevelZone {
		return domain.Event{}, domain.ErrForbidden
	}
	if !validUUID(openingID) {
		return domain.Event{}, domain.ErrNotFound
	}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		r, err := s.eventToList(tx, c, eventID)
		if err != nil {
			return err
		}
		res := tx.Exec(deleteUnusedEventOpening, eventID, openingID)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 1 {
			o, err := loadOpening(tx, openingID, false)
			if err != nil {
				return err
			}
			return auditEvent(ctx, tx, c, r, "event.opening_removed", map[string]any{"opening": o.Title})
		}
		var n int64
		if err := tx.Raw(eventHasOpening, eventID, openingID).Scan(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return domain.ErrNotFound
		}
		return domain.Errorf(domain.CodeInvalidState, "visitors have opened or applied to this opening through the event: it stays, its figures are the event's")
	})
	if err != nil {
		return domain.Event{}, translate(err)
	}
	return s.Event(ctx, c, eventID)
}

const insertEventRegistration = `INSERT INTO event_registrations (event_id, graduate_id, checkin_code, created_at)
	VALUES (?, ?, ?, ?)
	RETURNING event_id, graduate_id, checkin_code, checked_in_at, created_at`

// RegisterForEvent registers a graduate, issues a check-in code and queues
// the confirmation mail (with the check-in QR code) in the same
// transaction. Errors: forbidden, not_found, already_registered,
// invalid_state (the event is over or cancelled).
func (s *Store) RegisterForEvent(ctx context.Context, c domain.Caller, eventID string) (domain.Registration, error) {
	if c.Role != domain.RoleGraduate {
		return domain.Registration{}, domain.ErrForbidden
	}
	var reg domain.Registration
	err := s.tx(ctx, func(tx *gorm.DB) error {
		r, err := s.liveEvent(tx, eventID)
		if err != nil {
			return err
		}
		if err := takePlace(tx, r, c.UserID); err != nil {
			return waitlistFullToo(tx, r, c.UserID, err)
		}
		// One on the list who finds a place (none is free while anyone
		// waits, unless the limit was lifted) leaves the list.
		if err := tx.Exec(leaveWaitlist, eventID, c.UserID).Error; err != nil {
			return err
		}
		reg, err = s.register(tx, r, c.UserID, false)
		return err
	})
	return reg, translate(err)
}

// register writes a graduate's registration and queues the confirmation:
// for one who registers, and for one on the waitlist a freed place goes
// to (fillPlaces, fromWaitlist: the mail says how the place came).
func (s *Store) register(tx *gorm.DB, r eventRow, graduateID string, fromWaitlist bool) (domain.Registration, error) {
	var reg domain.Registration
	// created_at on the store's clock: the day-before reminder compares
	// it with the event's start (RemindEvents).
	if err := tx.Raw(insertEventRegistration, r.ID, graduateID, strings.ToUpper(randomCode(5)), s.now()).Scan(&reg).Error; err != nil {
		return reg, err
	}
	// The key names the code: registering again after a withdrawal is
	// confirmed again, with the new code.
	data := domain.EventMailData(r.toDomain())
	data["checkin_code"] = reg.CheckinCode // a mail of a registration since withdrawn is not sent (EventRegistrationCode)
	if fromWaitlist {
		data["from_waitlist"] = "1"
	}
	return reg, s.enqueue(tx, MailJob(domain.MailEventRegistered, graduateID, data,
		"event_registered:"+domain.CheckinSubject(r.ID, graduateID)+":"+reg.CheckinCode))
}

// takePlace refuses a registration once an event with a capacity is
// full. Registrations of one event count one at a time (an advisory lock:
// their KEY SHARE locks of the event's row do not exclude each other), so
// however many come at once, no more than the capacity get in; a capacity
// edit locks the row and waits for them. One registered already is told
// so, not that the event is full, with a limit or without (the waitlist
// of an event without one asks).
func takePlace(tx *gorm.DB, r eventRow, graduateID string) error {
	if r.Capacity != nil {
		if err := tx.Exec(lockByKey, "event-places:"+r.ID).Error; err != nil {
			return err
		}
	}
	var mine, taken int64
	if err := tx.Raw(graduateRegistered, r.ID, graduateID).Scan(&mine).Error; err != nil {
		return err
	}
	if mine > 0 {
		return &domain.Error{Code: domain.CodeAlreadyRegistered, Message: uniqueMessages[domain.CodeAlreadyRegistered]}
	}
	if r.Capacity == nil {
		return nil
	}
	if err := tx.Raw(countEventRegistrations, r.ID).Scan(&taken).Error; err != nil {
		return err
	}
	if taken >= int64(*r.Capacity) {
		return domain.ErrEventFull
	}
	return nil
}

const deleteUncheckedRegistration = `DELETE FROM event_registrations
	WHERE event_id = ? AND graduate_id = ? AND checked_in_at IS NULL
	RETURNING checkin_code`

const graduateRegistered = `SELECT count(*) FROM event_registrations
	WHERE event_id = ? AND graduate_id = ?`

const registrationCode = `SELECT checkin_code FROM event_registrations
	WHERE event_id = ? AND graduate_id = ?`

// EventRegistrationCode returns the check-in code of the graduate's
// registration for the event, "" when they hold none: a mail queued for a
// registration since withdrawn (or withdrawn and made again) is not sent.
func (s *Store) EventRegistrationCode(ctx context.Context, eventID, graduateID string) (string, error) {
	var codes []string
	if err := s.db.WithContext(ctx).Raw(registrationCode, eventID, graduateID).Scan(&codes).Error; err != nil {
		return "", translate(err)
	}
	if len(codes) == 0 {
		return "", nil
	}
	return codes[0], nil
}

// WithdrawRegistration takes back the caller's registration for an event
// that is neither over nor cancelled, before check-in: the graduate gets no
// reminder, the event's registrations no longer count them, and a mail
// takes the event out of their calendar. Errors:
// forbidden, not_found (the event, or no registration), invalid_state
// (over, cancelled, or checked in already: attendance is a figure).
func (s *Store) WithdrawRegistration(ctx context.Context, c domain.Caller, eventID string) error {
	if c.Role != domain.RoleGraduate {
		return domain.ErrForbidden
	}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		r, err := s.liveEvent(tx, eventID)
		if err != nil {
			return err
		}
		var codes []string
		if err := tx.Raw(deleteUncheckedRegistration, eventID, c.UserID).Scan(&codes).Error; err != nil {
			return err
		}
		if len(codes) == 1 {
			// The graduate's calendar drops the entry the confirmation
			// added (a walk found it kept).
			data := domain.EventMailData(r.toDomain())
			data["checkin_code"] = codes[0]
			if err := s.enqueue(tx, MailJob(domain.MailEventWithdrawn, c.UserID, data,
				"event_withdrawn:"+domain.CheckinSubject(eventID, c.UserID)+":"+codes[0])); err != nil {
				return err
			}
			return s.fillPlaces(tx, eventID)
		}
		var n int64
		if err := tx.Raw(graduateRegistered, eventID, c.UserID).Scan(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return domain.ErrNotFound
		}
		return domain.Errorf(domain.CodeInvalidState, "you have been checked in at this event")
	})
	return translate(err)
}

const registrationsOfGraduate = `SELECT event_id, graduate_id, checkin_code, checked_in_at, created_at
	FROM event_registrations
	WHERE graduate_id = ?
	ORDER BY created_at DESC
	LIMIT 200`

const eventsByIDs = eventSelect + `
	WHERE ev.id IN ?`

// MyEvents lists the caller's registrations with their events: those not
// over yet first, soonest first, then the past ones, latest first.
// Errors: forbidden.
func (s *Store) MyEvents(ctx context.Context, c domain.Caller) ([]domain.MyEvent, error) {
	if c.Role != domain.RoleGraduate {
		return nil, domain.ErrForbidden
	}
	db := s.db.WithContext(ctx)
	var regs []domain.Registration
	if err := db.Raw(registrationsOfGraduate, c.UserID).Scan(&regs).Error; err != nil {
		return nil, translate(err)
	}
	if len(regs) == 0 {
		return nil, nil
	}
	var evs []eventRow
	if err := db.Raw(eventsByIDs, idsOf(regs, func(r domain.Registration) string { return r.EventID })).Scan(&evs).Error; err != nil {
		return nil, translate(err)
	}
	byID := make(map[string]eventRow, len(evs))
	for _, e := range evs {
		byID[e.ID] = e
	}
	out := make([]domain.MyEvent, 0, len(regs))
	for _, r := range regs {
		if e, ok := byID[r.EventID]; ok {
			out = append(out, domain.MyEvent{Event: e.toDomain(), Registration: r})
		}
	}
	now := s.now()
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].Event, out[j].Event
		if pa, pb := a.EndsAt.Before(now), b.EndsAt.Before(now); pa != pb {
			return pb
		}
		if a.EndsAt.Before(now) {
			return a.StartsAt.After(b.StartsAt)
		}
		return a.StartsAt.Before(b.StartsAt)
	})
	return out, nil
}

const checkInRegisteredGraduate = `WITH upd AS (
		UPDATE event_registrations SET checked_in_at = now()
		WHERE event_id = ? AND graduate_id = ? AND checked_in_at IS NULL
		RETURNING graduate_id, checked_in_at)
	SELECT coalesce(upd.checked_in_at, r.checked_in_at) AS checked_in_at, upd.graduate_id IS NULL AS already, u.name
	FROM event_registrations r JOIN users u ON u.id = r.graduate_id
	LEFT JOIN upd ON upd.graduate_id = r.graduate_id
	WHERE r.event_id = ? AND r.graduate_id = ? AND u.deleted_at IS NULL`

// eventOfRegistrant is eventToCheckIn for the registration of graduateID,
// as a scanned link or the registrant list names it (out of scope is
// forbidden). Errors: forbidden, not_found, invalid_state.
func (s *Store) eventOfRegistrant(db *gorm.DB, c domain.Caller, eventID, graduateID string) (eventRow, error) {
	r, err := s.eventToCheckIn(db, c, eventID, domain.ErrForbidden)
	if err == nil && !validUUID(graduateID) {
		err = domain.ErrNotFound
	}
	return r, err
}

const registrationToCheckIn = `SELECT r.checked_in_at, u.name
	FROM event_registrations r JOIN users u ON u.id = r.graduate_id
	WHERE r.event_id = ? AND r.graduate_id = ? AND u.deleted_at IS NULL`

// CheckInTarget reads whom a check-in of the graduate at the event would
// check in, changing nothing (the confirm page), under the rules of
// CheckInRegistration. Errors: forbidden, not_found, invalid_state.
func (s *Store) CheckInTarget(ctx context.Context, c domain.Caller, eventID, graduateID string) (domain.Checkin, error) {
	db := s.db.WithContext(ctx)
	r, err := s.eventOfRegistrant(db, c, eventID, graduateID)
	if err != nil {
		return domain.Checkin{}, err
	}
	var rows []struct {
		CheckedInAt *time.Time
		Name        string
	}
	if err := db.Raw(registrationToCheckIn, eventID, graduateID).Scan(&rows).Error; err != nil {
		return domain.Checkin{}, translate(err)
	}
	if len(rows) == 0 {
		return domain.Checkin{}, domain.ErrNotFound
	}
	ci := domain.Checkin{EventID: eventID, EventTitle: r.Title, GraduateID: graduateID, GraduateName: rows[0].Name, Already: rows[0].CheckedInAt != nil}
	if ci.Already {
		ci.CheckedInAt = *rows[0].CheckedInAt
	}
	return ci, nil
}

// CheckInRegistration checks the graduate in at the event once; a second
// call changes nothing and says Already. Staff whose scope covers the
// event's zone only. Errors: forbidden, not_found.
func (s *Store) CheckInRegistration(ctx context.Context, c domain.Caller, eventID, graduateID string) (domain.Checkin, error) {
	r, err := s.eventOfRegistrant(s.db.WithContext(ctx), c, eventID, graduateID)
	if err != nil {
		return domain.Checkin{}, err
	}
	// One statement decides "now" or "already": the row is updated only
	// while unchecked, so two staff scanning at once check in once.
	var rows []struct {
		CheckedInAt time.Time
		Already     bool
		Name        string
	}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Raw(checkInRegisteredGraduate, eventID, graduateID, eventID, graduateID).Scan(&rows).Error; err != nil {
			return err
		}
		if len(rows) == 0 {
			return domain.ErrNotFound // not registered, or a deleted account: nothing is kept
		}
		if rows[0].Already {
			return nil
		}
		return auditCheckIn(ctx, tx, c, r, graduateID)
	})
	if err != nil {
		return domain.Checkin{}, translate(err)
	}
	return domain.Checkin{EventID: eventID, EventTitle: r.Title, GraduateID: graduateID, GraduateName: rows[0].Name,
		CheckedInAt: rows[0].CheckedInAt, Already: rows[0].Already}, nil
}

const claimEventReminders = `UPDATE event_registrations r
	SET reminded_at = ?
	FROM events ev
	WHERE ev.id = r.event_id AND r.reminded_at IS NULL AND ev.cancelled_at IS NULL AND ev.starts_at > ? AND ev.starts_at <= ?
	RETURNING r.event_id, r.graduate_id, r.created_at < ev.starts_at - ? * interval '1 second' AS remind`

// RemindEvents queues the day-before reminder of each registration for an
// event that starts within the next 24 hours, once (reminded_at). A
// registration made inside that day is marked without a reminder: its
// confirmation, with the same QR code, has just been sent.
func (s *Store) RemindEvents(ctx context.Context) (int, error) {
	var n int
	err := s.tx(ctx, func(tx *gorm.DB) error {
		now := s.now()
		var due []struct {
			EventID    string
			GraduateID string
			Remind     bool
		}
		lead := domain.EventReminderLead
		if err := tx.Raw(claimEventReminders, now, now, now.Add(lead), lead.Seconds()).Scan(&due).Error; err != nil {
			return err
		}
		events := map[string]domain.Event{}
		for _, d := range due {
			if !d.Remind {
				continue
			}
			e, ok := events[d.EventID]
			if !ok {
				r, err := s.loadEvent(tx, d.EventID)
				if err != nil {
					return err
				}
				e = r.toDomain()
				events[d.EventID] = e
			}
			// The key names the event's sequence: a reminder sent before
			// the event moved does not stop the one for its new day.
			if err := s.enqueue(tx, MailJob(domain.MailEventReminder, d.GraduateID, domain.EventMailData(e),
				"event_reminder:"+strconv.Itoa(e.Sequence)+":"+domain.CheckinSubject(d.EventID, d.GraduateID))); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, translate(err)
}

// eventToCheckIn loads an event for staff checking someone in: staff whose
// scope covers its zone, once check-in has opened (domain.CheckInOpen). Out
// of scope is outOfScope (a scanned link says forbidden; a typed code,
// not_found). Errors: forbidden, not_found, invalid_state.
func (s *Store) eventToCheckIn(db *gorm.DB, c domain.Caller, eventID string, outOfScope error) (eventRow, error) {
	if !c.Role.IsStaff() {
		return eventRow{}, domain.ErrForbidden
	}
	r, err := s.loadEvent(db, eventID)
	if err != nil {
		return eventRow{}, translate(err)
	}
	if !c.SeesZone(r.ZoneCode, r.ProvinceCode) {
		return eventRow{}, outOfScope
	}
	if r.CancelledAt != nil {
		return r, domain.ErrEventCancelled
	}
	return r, domain.CheckInOpen(r.StartsAt, s.now())
}

// auditCheckIn records a check-in by the graduate's ID only: the audit
// log outlives an account, and auditSelect reads the name while it lasts.
func auditCheckIn(ctx context.Context, tx *gorm.DB, c domain.Caller, r eventRow, graduateID string) error {
	return auditEvent(ctx, tx, c, r, "event.checked_in", map[string]any{"graduate_id": graduateID})
}

// checkInByCode checks the registration of a code in once, like
// checkInRegisteredGraduate: one statement decides "now" or "already".
const checkInByCode = `WITH upd AS (
		UPDATE event_registrations SET checked_in_at = now()
		WHERE event_id = ? AND checkin_code = ? AND checked_in_at IS NULL
		RETURNING graduate_id, checked_in_at)
	SELECT r.event_id, r.graduate_id, r.checkin_code, coalesce(upd.checked_in_at, r.checked_in_at) AS checked_in_at, r.created_at,
		upd.graduate_id IS NULL AS already, u.name AS graduate_name
	FROM event_registrations r JOIN users u ON u.id = r.graduate_id
	LEFT JOIN upd ON upd.graduate_id = r.graduate_id
	WHERE r.event_id = ? AND r.checkin_code = ?`

// CheckIn marks a registration attended by its check-in code, once: a
// second time changes nothing and says Already. Staff whose scope covers
// the event's zone, as for the check-in link (CheckInRegistration).
// Errors: forbidden, not_found, validation_failed (code).
func (s *Store) CheckIn(ctx context.Context, c domain.Caller, eventID, code string) (domain.Registration, error) {
	db := s.db.WithContext(ctx)
	r, err := s.eventToCheckIn(db, c, eventID, domain.ErrNotFound)
	if err != nil {
		return domain.Registration{}, err
	}
	code = strings.ToUpper(strings.TrimSpace(code))
	var regs []domain.Registration
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Raw(checkInByCode, eventID, code, eventID, code).Scan(&regs).Error; err != nil || len(regs) == 0 || regs[0].Already {
			return err
		}
		return auditCheckIn(ctx, tx, c, r, regs[0].GraduateID)
	})
	if err != nil {
		return domain.Registration{}, translate(err)
	}
	if len(regs) == 0 {
		return domain.Registration{}, domain.FieldError("code", "no registration with this check-in code")
	}
	return regs[0], nil
}

const eventByTrackingCode = `SELECT id
	FROM events
	WHERE tracking_code = ?`

// pageHit is the opening_id of an event_hits row that counts a page view.
const pageHit = "00000000-0000-0000-0000-000000000000"

// countEventHit records a visitor's hit of the day, unless there is one
// or the address has counted its share, and says whether it did.
const countEventHit = `INSERT INTO event_hits (event_id, opening_id, day, visitor, address)
	SELECT ?, ?, ?, ?, ?
	WHERE (SELECT count(*) FROM event_hits WHERE event_id = ? AND day = ? AND address = ?) < ?
	ON CONFLICT DO NOTHING
	RETURNING event_id`

const countEventView = `UPDATE events
	SET page_views = page_views + 1
	WHERE id = ?`

// EventOfTrackedLink returns the ID of the event whose tracked link has
// trackingCode, counting nothing. Errors: not_found.
func (s *Store) EventOfTrackedLink(ctx context.Context, trackingCode string) (string, error) {
	var ids []string
	if err := s.db.WithContext(ctx).Raw(eventByTrackingCode, trackingCode).Scan(&ids).Error; err != nil {
		return "", translate(err)
	}
	if len(ids) == 0 {
		return "", domain.ErrNotFound
	}
	return ids[0], nil
}

// TrackEventView counts a page view through the event's tracked link,
// once a day for the visitor (domain.EventHit), and returns the event ID.
// Errors: not_found.
func (s *Store) TrackEventView(ctx context.Context, trackingCode string, hit domain.EventHit) (string, error) {
	var ids []string
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Raw(eventByTrackingCode, trackingCode).Scan(&ids).Error; err != nil || len(ids) == 0 {
			return err
		}
		return s.countHit(tx, ids[0], pageHit, hit, countEventView, ids[0])
	})
	if err != nil {
		return "", translate(err)
	}
	if len(ids) == 0 {
		return "", domain.ErrNotFound
	}
	return ids[0], nil
}

const deleteEarlierEventHits = `DELETE FROM event_hits
	WHERE event_id = ? AND day < ?`

// countHit runs count (with args) when the visitor's hit of the day is
// new and within its address's share. Only the day's hits are read, so
// each hit deletes the event's hits of the days before (keyed hashes of
// people's addresses are kept no longer than they are needed: a review);
// after a day's first, there are none to find.
func (s *Store) countHit(tx *gorm.DB, eventID, openingID string, hit domain.EventHit, count string, args ...any) error {
	day := domain.DateOf(s.now()).String()
	if err := tx.Exec(deleteEarlierEventHits, eventID, day).Error; err != nil {
		return err
	}
	var counted []string
	if err := tx.Raw(countEventHit, eventID, openingID, day, hit.Visitor, hit.Address,
		eventID, day, hit.Address, domain.EventHitsPerAddress).Scan(&counted).Error; err != nil || len(counted) == 0 {
		return err
	}
	return tx.Exec(count, args...).Error
}

const listedEventOpening = `SELECT eo.opening_id
	FROM event_openings eo
	JOIN openings o ON o.id = eo.opening_id AND o.status = 'published'
	WHERE eo.event_id = ? AND eo.opening_id = ?`

const countEventClick = `UPDATE event_openings
	SET clicks = clicks + 1
	WHERE event_id = ? AND opening_id = ?`

// TrackEventClick counts a click on an opening listed at an event (and
// shown there: published), once a day for the visitor (domain.EventHit).
// Errors: not_found.
func (s *Store) TrackEventClick(ctx context.Context, eventID, openingID string, hit domain.EventHit) error {
	if !validUUID(eventID) || !validUUID(openingID) {
		return domain.ErrNotFound
	}
	return translate(s.tx(ctx, func(tx *gorm.DB) error {
		var listed []string
		if err := tx.Raw(listedEventOpening, eventID, openingID).Scan(&listed).Error; err != nil {
			return err
		}
		if len(listed) == 0 {
			return domain.ErrNotFound
		}
		return s.countHit(tx, eventID, openingID, hit, countEventClick, eventID, openingID)
	}))
}

const registrantSelect = `SELECT r.graduate_id, u.name, g.university, g.degree, g.major, g.graduation_year,
		u.email_verified_at IS NOT NULL AS email_verified, u.mail_refused_at IS NOT NULL AS mail_refused, r.created_at AS registered_at, r.checked_in_at
	FROM event_registrations r
	JOIN users u ON u.id = r.graduate_id
	JOIN graduates g ON g.user_id = r.graduate_id`

const registrantsFrom = `event_registrations r JOIN users u ON u.id = r.graduate_id`

// EventRegistrants lists an event's registrations, by name, for staff whose
// scope covers its zone; a name search matches any part of a name. Errors:
// forbidden (not staff), not_found (no such event, or out of scope).
func (s *Store) EventRegistrants(ctx context.Context, c domain.Caller, eventID string, f domain.RegistrantFilter, p domain.Page) ([]domain.EventRegistrant, int64, error) {
	if !c.Role.IsStaff() {
		return nil, 0, domain.ErrForbidden
	}
	db := s.db.WithContext(ctx)
	ev, err := s.loadEvent(db, eventID)
	if err != nil {
		return nil, 0, translate(err)
	}
	if !c.SeesZone(ev.ZoneCode, ev.ProvinceCode) {
		return nil, 0, domain.ErrNotFound
	}
	w := newFilter("r.event_id = ? AND u.deleted_at IS NULL", []any{eventID})
	if q := strings.TrimSpace(f.Q); q != "" {
		w.and("u.name ILIKE ?", "%"+escapeLike(q)+"%")
	}
	switch f.CheckedIn {
	case "yes":
		w.and("r.checked_in_at IS NOT NULL")
	case "no":
		w.and("r.checked_in_at IS NULL")
	}
	return listPage[domain.EventRegistrant](db, registrantsFrom, registrantSelect, "u.name, r.created_at, r.graduate_id", w, p)
}

const employerListings = `SELECT eo.opening_id, ev.id AS event_id, ev.title, ev.starts_at
	FROM event_openings eo
	JOIN events ev ON ev.id = eo.event_id
	JOIN openings o ON o.id = eo.opening_id
	WHERE o.employer_id = ? AND ev.cancelled_at IS NULL AND ev.ends_at > ?
	ORDER BY ev.starts_at, ev.id
	LIMIT 500`

// EmployerListings lists the events, neither over nor cancelled, that
// list the caller's employer's openings, the soonest first. Errors:
// forbidden (not an employer's user).
func (s *Store) EmployerListings(ctx context.Context, c domain.Caller) ([]domain.ListedAt, error) {
	if c.Role != domain.RoleEmployer || c.EmployerID == "" {
		return nil, domain.ErrForbidden
	}
	var out []domain.ListedAt
	err := s.db.WithContext(ctx).Raw(employerListings, c.EmployerID, s.now()).Scan(&out).Error
	return out, translate(err)
}
