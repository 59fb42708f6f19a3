package postgres

import (
	"context"
	"math/rand/v2"
	"time"

	"gorm.io/gorm"

	"github.com/gradzone/gradzone/internal/domain"
)

// sweepEvery is the share of writes that also delete every expired row
// (one in sweepEvery): keys that are never tried again do not stay forever,
// and no replica needs a timer for it.
const sweepEvery = 200

const deleteOldSignInFailures = `DELETE FROM sign_in_failures
	WHERE at < ?`

const lockSignInAccount = `SELECT pg_advisory_xact_lock(hashtextextended(?, 7))`

const insertSignInFailure = `INSERT INTO sign_in_failures (key, at)
	VALUES (?, ?)
	RETURNING id`

// BeginSignIn reserves a failure row for account and one for address, unless
// either is over its limit; then it returns how long until one more attempt
// is allowed. The reservation is made before the password is checked, under
// a transaction-scoped advisory lock on the account, so concurrent guesses
// on one account are counted one after another and cannot overshoot the
// limit. The address is not locked (a campus signs in concurrently); its
// limit is a flood guard where a few over do not matter. An empty account or
// address is not counted.
func (s *Store) BeginSignIn(ctx context.Context, account, address string, now time.Time, l domain.SignInLimits) (domain.SignInAttempt, time.Duration, error) {
	at := domain.SignInAttempt{Account: account}
	var wait time.Duration
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if rand.IntN(sweepEvery) == 0 {
			oldest := now.Add(-max(l.Memory(), l.AddressWindow, domain.ThrottleHorizon))
			if err := tx.Exec(deleteOldSignInFailures, oldest).Error; err != nil {
				return err
			}
		}
		if account != "" {
			if err := tx.Exec(lockSignInAccount, account).Error; err != nil {
				return err
			}
			d, err := accountWait(tx, account, now, l)
			if err != nil || d > 0 {
				wait = d
				return err
			}
		}
		if address != "" {
			d, err := overLimit(tx, address, now, l.AddressWindow, l.AddressFailures)
			if err != nil || d > 0 {
				wait = d
				return err
			}
		}
		for _, k := range []string{account, address} {
			if k == "" {
				continue
			}
			var id int64
			if err := tx.Raw(insertSignInFailure, k, now).Scan(&id).Error; err != nil {
				return err
			}
			at.Rows = append(at.Rows, id)
		}
		return nil
	})
	if err != nil {
		return domain.SignInAttempt{}, 0, translate(err)
	}
	return at, wait, nil
}

const recentSignInFailures = `SELECT at
	FROM sign_in_failures
	WHERE key = ? AND at > ?
	ORDER BY at DESC LIMIT 1000`

const deleteSignInFailuresUpTo = `DELETE FROM sign_in_failures
	WHERE key = ? AND at <= ?`

// accountWait returns how long account must wait before its next attempt
// (domain.SignInLimits.AccountWait over its failures remembered); older
// rows of account are deleted.
func accountWait(tx *gorm.DB, account string, now time.Time, l domain.SignInLimits) (time.Duration, error) {
	since := now.Add(-l.Memory())
	if err := tx.Exec(deleteSignInFailuresUpTo, account, since).Error; err != nil {
		return 0, err
	}
	var ats []time.Time
	if err := tx.Raw(recentSignInFailures, account, since).Scan(&ats).Error; err != nil {
		return 0, err
	}
	return l.AccountWait(ats, now), nil
}

const nthRecentSignInFailure = `SELECT at
	FROM sign_in_failures
	WHERE key = ? AND at > ?
	ORDER BY at DESC OFFSET ? LIMIT 1`

// overLimit returns, when key has limit or more rows within window, how long
// until the oldest of the newest limit rows leaves the window (then one
// attempt is allowed again); else 0. Older rows of key are deleted.
func overLimit(tx *gorm.DB, key string, now time.Time, window time.Duration, limit int) (time.Duration, error) {
	since := now.Add(-window)
	if err := tx.Exec(deleteSignInFailuresUpTo, key, since).Error; err != nil {
		return 0, err
	}
	var ats []time.Time
	if err := tx.Raw(nthRecentSignInFailure,
		key, since, limit-1).Scan(&ats).Error; err != nil {
		return 0, err
	}
	if len(ats) == 0 {
		return 0, nil
	}
	return max(time.Second, ats[0].Add(window).Sub(now)), nil
}

const deleteSignInFailuresByID = `DELETE FROM sign_in_failures
	WHERE id IN ?`

const clearSignInFailuresOfKey = `DELETE FROM sign_in_failures
	WHERE key = ?`

// EndSignIn settles an attempt: a failure keeps its rows; a success deletes
// the account's every failure (its owner knew the password) and the
// address's row (the address limit counts failures only); a void attempt
// deletes its rows.
func (s *Store) EndSignIn(ctx context.Context, at domain.SignInAttempt, outcome domain.SignInOutcome) error {
	if outcome == domain.SignInFailed || len(at.Rows) == 0 {
		return nil
	}
	err := s.db.WithContext(ctx).Exec(deleteSignInFailuresByID, at.Rows).Error
	if err == nil && outcome == domain.SignInSucceeded && at.Account != "" {
		err = s.db.WithContext(ctx).Exec(clearSignInFailuresOfKey, at.Account).Error
	}
	return translate(err)
}

const recordCountedRequest = `INSERT INTO sign_in_failures (key, at)
	VALUES (?, ?)`

// CountRequest counts one request under key (a registration or reset
// request) unless key already has limit rows within window; then it counts
// nothing and returns how long until one more is allowed. Concurrent
// requests may overshoot the limit by a few: these limits guard against
// floods, not single guesses.
func (s *Store) CountRequest(ctx context.Context, key string, now time.Time, window time.Duration, limit int) (time.Duration, error) {
	var wait time.Duration
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if rand.IntN(sweepEvery) == 0 {
			if err := tx.Exec(deleteOldSignInFailures, now.Add(-domain.ThrottleHorizon)).Error; err != nil {
				return err
			}
		}
		d, err := overLimit(tx, key, now, window, limit)
		if err != nil || d > 0 {
			wait = d
			return err
		}
		return tx.Exec(recordCountedRequest, key, now).Error
	})
	return wait, translate(err)
}
