package postgres

import (
	"context"
	"fmt"
	"math"
	"time"

	"gorm.io/gorm"

	"github.com/gradzone/gradzone/internal/domain"
)

// Outbox topics.
const (
	TopicIndexOpening = "index.opening"
	TopicAlertOpening = "alert.opening"
)

// enqueue writes an outbox row inside tx: the change and the promise to
// deliver it commit together or not at all.
func enqueue(tx *gorm.DB, topic, aggregateID string) error {
	return tx.Exec(`INSERT INTO outbox (topic, aggregate_id) VALUES (?, ?)`, topic, aggregateID).Error
}

// OutboxBatch is a claimed set of rows of one topic.
type OutboxBatch struct {
	IDs          []int64
	AggregateIDs []string // distinct, in claim order
}

// backoff is the wait before attempt n+1: 1s, 2s, 4s … capped at 5 minutes.
func backoff(attempts int) time.Duration {
	d := time.Duration(math.Pow(2, float64(attempts))) * time.Second
	return min(d, 5*time.Minute)
}

// DeliverOutbox claims up to limit due rows of topic with FOR UPDATE SKIP
// LOCKED — so several replicas never deliver the same row at once — and
// calls deliver. On success the rows are marked done; on failure they are
// retried later with exponential backoff. Both happen in the claiming
// transaction, so a crash mid-delivery leaves the rows pending. deliver must
// be idempotent. It returns how many rows were claimed.
func (s *Store) DeliverOutbox(ctx context.Context, topic string, limit int, deliver func(ctx context.Context, b OutboxBatch) error) (int, error) {
	var claimed int
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var rows []struct {
			ID          int64
			AggregateID string
			Attempts    int
		}
		if err := tx.Raw(`SELECT id, aggregate_id, attempts FROM outbox
			WHERE topic = ? AND done_at IS NULL AND next_attempt_at <= now()
			ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED`, topic, limit).Scan(&rows).Error; err != nil {
			return err
		}
		claimed = len(rows)
		if claimed == 0 {
			return nil
		}
		var b OutboxBatch
		seen := map[string]bool{}
		maxAttempts := 0
		for _, r := range rows {
			b.IDs = append(b.IDs, r.ID)
			if !seen[r.AggregateID] {
				seen[r.AggregateID] = true
				b.AggregateIDs = append(b.AggregateIDs, r.AggregateID)
			}
			maxAttempts = max(maxAttempts, r.Attempts)
		}
		if derr := deliver(ctx, b); derr != nil {
			msg := derr.Error()
			if len(msg) > 500 {
				msg = msg[:500]
			}
			return tx.Exec(`UPDATE outbox SET attempts = attempts + 1, last_error = ?,
				next_attempt_at = now() + ? * interval '1 millisecond' WHERE id IN ?`,
				msg, backoff(maxAttempts).Milliseconds(), b.IDs).Error
		}
		return tx.Exec(`UPDATE outbox SET done_at = now(), last_error = NULL WHERE id IN ?`, b.IDs).Error
	})
	if err != nil {
		return 0, fmt.Errorf("outbox %s: %w", topic, err)
	}
	return claimed, nil
}

// OutboxStatus counts undelivered rows and the age of the oldest.
func (s *Store) OutboxStatus(ctx context.Context) (domain.OutboxState, error) {
	var st domain.OutboxState
	err := s.db.WithContext(ctx).Raw(`SELECT count(*) AS pending,
		coalesce(extract(epoch FROM now() - min(created_at)), 0) AS lag_seconds,
		count(*) FILTER (WHERE attempts > 0) AS failing
		FROM outbox WHERE done_at IS NULL`).Scan(&st).Error
	return st, translate(err)
}

// PruneOutbox deletes rows delivered more than a day ago.
func (s *Store) PruneOutbox(ctx context.Context) error {
	return translate(s.db.WithContext(ctx).Exec(`DELETE FROM outbox WHERE done_at < now() - interval '1 day'`).Error)
}

// EnqueueIndexSince enqueues an index sync for every opening changed since t
// (reindex uses it to replay changes made while it copied).
func (s *Store) EnqueueIndexSince(ctx context.Context, t time.Time) (int64, error) {
	res := s.db.WithContext(ctx).Exec(`INSERT INTO outbox (topic, aggregate_id)
		SELECT ?, id::text FROM openings WHERE updated_at >= ?`, TopicIndexOpening, t)
	return res.RowsAffected, translate(res.Error)
}

// BumpSearchGeneration records that the search index changed, so that
// search results cached before the change are no longer served. Call it
// after the change is applied, never before.
func (s *Store) BumpSearchGeneration(ctx context.Context) error {
	return translate(s.db.WithContext(ctx).Exec(`SELECT nextval('search_index_generation')`).Error)
}

// SearchIndexState reads the index's generation and delivery lag.
func (s *Store) SearchIndexState(ctx context.Context) (domain.SearchIndexState, error) {
	var st domain.SearchIndexState
	err := s.db.WithContext(ctx).Raw(`SELECT
		(SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM search_index_generation) AS generation,
		coalesce(extract(epoch FROM now() - min(created_at)), 0) AS lag_seconds
		FROM outbox WHERE topic = ? AND done_at IS NULL`, TopicIndexOpening).Scan(&st).Error
	return st, translate(err)
}
