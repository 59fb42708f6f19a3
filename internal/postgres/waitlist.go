package postgres

import (
	"context"
	"errors"
	"math"

	"gorm.io/gorm"

	"github.com/gradzone/gradzone/internal/domain"
)

const joinWaitlist = `INSERT INTO event_waitlist (event_id, graduate_id, created_at)
	VALUES (?, ?, ?)
	ON CONFLICT (event_id, graduate_id) DO NOTHING`

const othersWaiting = `SELECT count(*) FROM event_waitlist
	WHERE event_id = ? AND graduate_id <> ?`

// waitlistFullToo is err, a registration's refusal, said better when it is
// event_full and the graduate is on the waitlist already, or the list has
// no room either (ErrEventFull offers the list). The event's places lock
// is held.
func waitlistFullToo(tx *gorm.DB, r eventRow, graduateID string, err error) error {
	if !errors.Is(err, domain.ErrEventFull) {
		return err
	}
	switch p, perr := waitlistPlaceOf(tx, r.ID, graduateID); {
	case perr != nil:
		return perr
	case p != nil:
		return domain.ErrEventFullWaiting
	}
	switch room, rerr := waitlistHasRoom(tx, r, graduateID); {
	case rerr != nil:
		return rerr
	case !room:
		return domain.ErrWaitlistFull
	}
	return err
}

// waitlistHasRoom reports whether the event's list has room for the
// graduate beside those waiting (one on it already keeps their place).
func waitlistHasRoom(tx *gorm.DB, r eventRow, graduateID string) (bool, error) {
	var others int64
	if err := tx.Raw(othersWaiting, r.ID, graduateID).Scan(&others).Error; err != nil {
		return false, err
	}
	return r.toDomain().WaitlistHasRoom(others), nil
}

const leaveWaitlist = `DELETE FROM event_waitlist
	WHERE event_id = ? AND graduate_id = ?`

// waitlistPlaces reads a graduate's places on the lists of the events
// named; a position counts those before it in the list's order (the time
// joined, then the ID).
const waitlistPlaces = `SELECT w.event_id, w.created_at,
	(SELECT count(*) FROM event_waitlist x
		WHERE x.event_id = w.event_id AND (x.created_at, x.graduate_id) <= (w.created_at, w.graduate_id)) AS position
	FROM event_waitlist w
	WHERE w.graduate_id = ? AND w.event_id IN ?`

// waitlistHead is the first on the event's waitlist whose account is not
// erased.
const waitlistHead = `SELECT w.graduate_id FROM event_waitlist w JOIN users u ON u.id = w.graduate_id
	WHERE w.event_id = ? AND u.deleted_at IS NULL
	ORDER BY w.created_at, w.graduate_id
	LIMIT 1`

// JoinWaitlist puts the caller on the waitlist of a full event that is
// neither over nor cancelled, and returns their place; joined is false
// when they were on it already (the same place: joining is idempotent).
// Errors: forbidden, not_found, already_registered, invalid_state (over,
// cancelled, or places left: register instead), event_full (the list holds
// all it may).
func (s *Store) JoinWaitlist(ctx context.Context, c domain.Caller, eventID string) (place domain.WaitlistPlace, joined bool, err error) {
	if c.Role != domain.RoleGraduate {
		return place, false, domain.ErrForbidden
	}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		r, err := s.liveEvent(tx, eventID)
		if err != nil {
			return err
		}
		// takePlace holds the event's places lock to the end, so a place
		// freed meanwhile is not missed: it went to the list before this
		// counted, or goes to it after this joined.
		switch err := takePlace(tx, r, c.UserID); {
		case err == nil:
			return domain.ErrPlacesFree
		case !errors.Is(err, domain.ErrEventFull):
			return err
		}
		// The places lock serialises joins, so the list never passes its
		// length; one on it already keeps their place.
		switch room, err := waitlistHasRoom(tx, r, c.UserID); {
		case err != nil:
			return err
		case !room:
			return domain.ErrWaitlistFull
		}
		res := tx.Exec(joinWaitlist, eventID, c.UserID, s.now())
		if res.Error != nil {
			return res.Error
		}
		joined = res.RowsAffected == 1
		p, err := waitlistPlaceOf(tx, eventID, c.UserID)
		if p != nil {
			place = *p
		}
		return err
	})
	return place, joined, translate(err)
}

// LeaveWaitlist takes the caller off an event's waitlist. Errors:
// forbidden, not_found (the event, or not on its list).
func (s *Store) LeaveWaitlist(ctx context.Context, c domain.Caller, eventID string) error {
	if c.Role != domain.RoleGraduate {
		return domain.ErrForbidden
	}
	if !validUUID(eventID) {
		return domain.ErrNotFound
	}
	res := s.db.WithContext(ctx).Exec(leaveWaitlist, eventID, c.UserID)
	if res.Error != nil {
		return translate(res.Error)
	}
	if res.RowsAffected == 0 {
		return domain.ErrNotFound
	}
	return nil
}

const liveWaitlistsOfGraduate = eventSelect + `
	JOIN event_waitlist w ON w.event_id = ev.id AND w.graduate_id = ?
	WHERE ev.cancelled_at IS NULL AND ev.ends_at > ?
	ORDER BY ev.starts_at, ev.id
	LIMIT 100`

// MyWaitlists lists the events, neither over nor cancelled, whose waitlist
// the caller is on, each with their place, the soonest first. Errors:
// forbidden.
func (s *Store) MyWaitlists(ctx context.Context, c domain.Caller) ([]domain.Event, error) {
	if c.Role != domain.RoleGraduate {
		return nil, domain.ErrForbidden
	}
	db := s.db.WithContext(ctx)
	var rows []eventRow
	if err := db.Raw(liveWaitlistsOfGraduate, c.UserID, s.now()).Scan(&rows).Error; err != nil {
		return nil, translate(err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	var places []domain.WaitlistPlace
	if err := db.Raw(waitlistPlaces, c.UserID, idsOf(rows, func(r eventRow) string { return r.ID })).Scan(&places).Error; err != nil {
		return nil, translate(err)
	}
	placeOf := make(map[string]*domain.WaitlistPlace, len(places))
	for i := range places {
		placeOf[places[i].EventID] = &places[i]
	}
	out := make([]domain.Event, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
		out[i].Waitlist = placeOf[r.ID]
	}
	return out, nil
}

const notifyWaitlisted = `INSERT INTO notifications (user_id, kind, title, body, link, params)
	SELECT w.graduate_id, ?, ?, ?, ?, ?
	FROM event_waitlist w JOIN users u ON u.id = w.graduate_id
	WHERE w.event_id = ? AND u.deleted_at IS NULL`

const dropWaitlist = `DELETE FROM event_waitlist
	WHERE event_id = ?`

// closeWaitlist tells those waiting for a place at a cancelled event, and
// empties its list: no place will come free.
func closeWaitlist(tx *gorm.DB, e domain.Event, reason string) (told int64, err error) {
	n := domain.WaitlistCancelledNotice(e, reason)
	res := tx.Exec(notifyWaitlisted, n.Kind, n.Title, n.Body, n.Link, n.Params, e.ID)
	if res.Error != nil {
		return 0, res.Error
	}
	return res.RowsAffected, tx.Exec(dropWaitlist, e.ID).Error
}

// waitlistPlaceOf is the graduate's place on the event's waitlist, nil
// when they are not on it.
func waitlistPlaceOf(db *gorm.DB, eventID, graduateID string) (*domain.WaitlistPlace, error) {
	var places []domain.WaitlistPlace
	if err := db.Raw(waitlistPlaces, graduateID, []string{eventID}).Scan(&places).Error; err != nil || len(places) == 0 {
		return nil, err
	}
	return &places[0], nil
}

// fillPlaces gives an event's free places to the first on its waitlist,
// in the transaction that freed them (a withdrawal, an erased account, a
// larger capacity): each is registered and sent the confirmation. It
// takes the event's row (KEY SHARE) before the places lock, in the order
// a registration takes them, so the two never wait on each other.
func (s *Store) fillPlaces(tx *gorm.DB, eventID string) error {
	r, err := loadEventShared(tx, eventID)
	if err != nil || r.toDomain().Live(s.now()) != nil {
		return err
	}
	if err := tx.Exec(lockByKey, "event-places:"+eventID).Error; err != nil {
		return err
	}
	free := int64(math.MaxInt32)
	if r.Capacity != nil {
		var taken int64
		if err := tx.Raw(countEventRegistrations, eventID).Scan(&taken).Error; err != nil {
			return err
		}
		free = int64(*r.Capacity) - taken
	}
	// One at a time: a graduate taken off the list meanwhile (who left it,
	// or whose account is being erased, which deletes their entries
	// first) is no longer there to delete, and the place goes to the next.
	for free > 0 {
		var next []string
		if err := tx.Raw(waitlistHead, eventID).Scan(&next).Error; err != nil || len(next) == 0 {
			return err
		}
		res := tx.Exec(leaveWaitlist, eventID, next[0])
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			continue
		}
		if _, err := s.register(tx, r, next[0], true); err != nil {
			return err
		}
		if err := notify(tx, domain.WaitlistPromotedNotice(next[0], r.toDomain()), ""); err != nil {
			return err
		}
		free--
	}
	return nil
}
