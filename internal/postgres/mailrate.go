package postgres

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"

	"github.com/gradzone/gradzone/internal/domain"
)

// errOverLimit rolls back the slots taken before a counter was found full.
var errOverLimit = errors.New("over limit")

const takeMailRateSlot = `INSERT INTO mail_rate (key, window_start, count)
	VALUES (?, ?, 1)
	ON CONFLICT (key, window_start) DO UPDATE
	SET count = mail_rate.count + 1
	WHERE mail_rate.count < ?
	RETURNING count, (xmax = 0) AS inserted`

const deleteOldMailRateWindows = `DELETE FROM mail_rate
	WHERE key = ? AND window_start < ?`

const returnMailRateSlot = `UPDATE mail_rate
	SET count = count - 1
	WHERE key = ? AND window_start = ? AND count > 0`

// ReturnMailSlot gives back one mail's slot on every counter at now (a
// mail that reached no server).
func (s *Store) ReturnMailSlot(ctx context.Context, counters []domain.MailRateCounter, now time.Time) error {
	return translate(s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for _, c := range counters {
			if err := tx.Exec(returnMailRateSlot, c.Key, c.WindowStart(now)).Error; err != nil {
				return err
			}
		}
		return nil
	}))
}

// TakeMailSlot counts one mail against every counter at now, all or none:
// when one counter is full nothing is counted and it is returned (ok
// false). The increment is conditional on the count being under the limit,
// in one statement, so replicas racing for the last slot get it once.
func (s *Store) TakeMailSlot(ctx context.Context, counters []domain.MailRateCounter, now time.Time) (full domain.MailRateCounter, ok bool, err error) {
	if len(counters) == 0 {
		return domain.MailRateCounter{}, true, nil
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for _, c := range counters {
			start := c.WindowStart(now)
			var rows []struct {
				Count    int
				Inserted bool
			}
			if err := tx.Raw(takeMailRateSlot, c.Key, start, c.Limit).Scan(&rows).Error; err != nil {
				return err
			}
			if len(rows) == 0 {
				full = c
				return errOverLimit
			}
			if rows[0].Inserted { // a new window: the key's older ones are done with
				if err := tx.Exec(deleteOldMailRateWindows, c.Key, start).Error; err != nil {
					return err
				}
			}
		}
		return nil
	})
	if errors.Is(err, errOverLimit) {
		return full, false, nil
	}
	return domain.MailRateCounter{}, err == nil, translate(err)
}
