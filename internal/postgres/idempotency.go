package postgres

import (
	"context"
	"encoding/json"
	"time"

	"gorm.io/gorm"

	"github.com/gradzone/gradzone/internal/domain"
)

// A key answers the same for domain.IdempotencyWindow; a record older is
// no record (the retention run deletes it), and a key used again after it
// is recorded anew.
const idempotencyRecord = `SELECT request_hash, response
	FROM idempotency_keys
	WHERE user_id = ? AND key = ? AND created_at > now() - make_interval(secs => ?)`

const insertIdempotencyRecord = `INSERT INTO idempotency_keys (user_id, key, request_hash, status, response)
	VALUES (?, ?, ?, 201, ?::jsonb)
	ON CONFLICT (user_id, key) DO UPDATE
	SET request_hash = EXCLUDED.request_hash, status = EXCLUDED.status, response = EXCLUDED.response, created_at = now()`

const forgetIdempotencyKeys = `DELETE FROM idempotency_keys
	WHERE ctid IN (SELECT ctid FROM idempotency_keys WHERE created_at < ? LIMIT ?)`

// ForgetIdempotencyKeys deletes the records of keys used before, in
// batches of limit, and says how many it deleted.
func (s *Store) ForgetIdempotencyKeys(ctx context.Context, before time.Time, limit int) (int64, error) {
	res := s.db.WithContext(ctx).Exec(forgetIdempotencyKeys, before, limit)
	return res.RowsAffected, translate(res.Error)
}

const lockIdempotencyKey = `SELECT pg_advisory_xact_lock(hashtextextended(? || ':' || ?, 0))`

// replay serialises the caller's requests with one key in tx, then reads
// the first answer into out (found) when the key was used for this
// request; with another request it is validation_failed on
// Idempotency-Key. Without a key there is nothing to replay.
func replay(tx *gorm.DB, userID string, id domain.Idempotency, out any) (found bool, err error) {
	if id.IdempotencyKey == "" {
		return false, nil
	}
	if err := tx.Exec(lockIdempotencyKey, userID, id.IdempotencyKey).Error; err != nil {
		return false, err
	}
	var prev []struct {
		RequestHash string
		Response    []byte
	}
	if err := tx.Raw(idempotencyRecord, userID, id.IdempotencyKey, domain.IdempotencyWindow.Seconds()).Scan(&prev).Error; err != nil {
		return false, err
	}
	if len(prev) == 0 {
		return false, nil
	}
	if prev[0].RequestHash != id.RequestHash {
		return false, &domain.Error{Code: domain.CodeValidation, Message: "this Idempotency-Key was used with a different request",
			Fields: map[string]string{"Idempotency-Key": "was used with a different request (another opening or body)"}}
	}
	if err := json.Unmarshal(prev[0].Response, out); err != nil {
		return false, err
	}
	return true, nil
}

// remember records answer as the first answer to the caller's key, in the
// transaction that made it (replay).
func remember(tx *gorm.DB, userID string, id domain.Idempotency, answer any) error {
	if id.IdempotencyKey == "" {
		return nil
	}
	body, err := json.Marshal(answer)
	if err != nil {
		return err
	}
	return tx.Exec(insertIdempotencyRecord, userID, id.IdempotencyKey, id.RequestHash, string(body)).Error
}
