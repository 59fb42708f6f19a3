package postgres

import (
	"gorm.io/gorm"

	"github.com/gradzone/gradzone/internal/domain"
)

const eventOfTrackingCode = `SELECT e.id
	FROM events e JOIN event_openings eo ON eo.event_id = e.id
	JOIN openings o ON o.id = eo.opening_id JOIN employers em ON em.id = o.employer_id
	WHERE e.tracking_code = ? AND eo.opening_id = ? AND em.zone_code = e.zone_code
	AND e.starts_at <= ? AND e.ends_at > ? AND e.cancelled_at IS NULL`

const latestRunningEventOfOpening = `SELECT e.id
	FROM events e JOIN event_openings eo ON eo.event_id = e.id
	WHERE eo.opening_id = ? AND e.starts_at <= ? AND e.ends_at > ? AND e.cancelled_at IS NULL
	ORDER BY e.starts_at DESC
	LIMIT 1`

// attributedEvent decides which event an application belongs to: the event
// whose tracked link the graduate came through, else an event running now
// that lists the opening. It returns nil when neither applies. A cancelled
// event is credited with nothing applied for after it was called off.
//
// A tracking code counts only for an opening listed at its event, of an
// employer in the event's zone, from the event's start until
// domain.AttributionWindow after its end (issue 12, finding 8): otherwise
// any code, of any zone, at any time, credited any application to an event.
// A code that does not count is ignored, not refused: the application itself
// is fine.
func (s *Store) attributedEvent(tx *gorm.DB, openingID, trackingCode string) (*string, error) {
	var ids []string
	now := s.now()
	if trackingCode != "" {
		if err := tx.Raw(eventOfTrackingCode,
			trackingCode, openingID, now, now.Add(-domain.AttributionWindow)).Scan(&ids).Error; err != nil {
			return nil, err
		}
		if len(ids) > 0 {
			return &ids[0], nil
		}
	}
	if err := tx.Raw(latestRunningEventOfOpening, openingID, now, now).Scan(&ids).Error; err != nil {
		return nil, err
	}
	if len(ids) > 0 {
		return &ids[0], nil
	}
	return nil, nil
}
