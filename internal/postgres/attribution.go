package postgres

import "gorm.io/gorm"

// attributedEvent decides which event an application belongs to: the event
// whose tracked link the graduate came through, else an event running now
// that lists the opening. It returns nil when neither applies.
func (s *Store) attributedEvent(tx *gorm.DB, openingID, trackingCode string) (*string, error) {
	var ids []string
	if trackingCode != "" {
		if err := tx.Raw(`SELECT id FROM events WHERE tracking_code = ?`, trackingCode).Scan(&ids).Error; err != nil {
			return nil, err
		}
		if len(ids) > 0 {
			return &ids[0], nil
		}
	}
	now := s.now()
	if err := tx.Raw(`SELECT e.id FROM events e JOIN event_openings eo ON eo.event_id = e.id
		WHERE eo.opening_id = ? AND e.starts_at <= ? AND e.ends_at > ? ORDER BY e.starts_at DESC LIMIT 1`,
		openingID, now, now).Scan(&ids).Error; err != nil {
		return nil, err
	}
	if len(ids) > 0 {
		return &ids[0], nil
	}
	return nil, nil
}
