package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/lib/pq"
	"gorm.io/gorm"

	"github.com/gradzone/gradzone/internal/domain"
)

// JobInserter puts background jobs in the job queue inside a transaction of
// this store. internal/jobs implements it with River; the store calls it in
// the transaction of the change that asks for the work, so the change and
// the promise to do the work commit together or not at all.
type JobInserter interface {
	InsertTx(ctx context.Context, tx *sql.Tx, jobs []domain.Job) error
}

// SetJobs installs the job queue. Until it is set, a change that asks for
// background work fails rather than losing the work.
func (s *Store) SetJobs(j JobInserter) { s.jobs = j }

// errNoJobQueue is a wiring mistake, never a user's.
var errNoJobQueue = errors.New("postgres: no job queue set (Store.SetJobs): refusing a change whose background work would be lost")

// enqueue inserts jobs in tx, the transaction of the change that asks for them.
func (s *Store) enqueue(tx *gorm.DB, jobs ...domain.Job) error {
	if s.jobs == nil {
		return errNoJobQueue
	}
	sqlTx, ok := tx.Statement.ConnPool.(*sql.Tx)
	if !ok {
		return fmt.Errorf("postgres: jobs must be enqueued inside a transaction, not on %T", tx.Statement.ConnPool)
	}
	ctx := tx.Statement.Context
	if ctx == nil {
		ctx = context.Background()
	}
	return s.jobs.InsertTx(ctx, sqlTx, jobs)
}

// Enqueue inserts jobs in a transaction of their own: for work that no
// change of this store asks for (a replay, a retry staff ask for).
func (s *Store) Enqueue(ctx context.Context, jobs ...domain.Job) error {
	return translate(s.tx(ctx, func(tx *gorm.DB) error { return s.enqueue(tx, jobs...) }))
}

// indexJob asks for the search index to be synced for one opening.
func indexJob(openingID string) domain.Job {
	return domain.Job{Kind: domain.JobIndexOpenings, IDs: []string{openingID}}
}

// indexChunk is how many openings one bulk index job carries: one
// Meilisearch call each, as the outbox worker's batches were.
const indexChunk = 200

// enqueueIndexIDs enqueues index jobs for ids, indexChunk openings a job,
// in one transaction.
func (s *Store) enqueueIndexIDs(ctx context.Context, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	return translate(s.tx(ctx, func(tx *gorm.DB) error {
		var jobs []domain.Job
		for c := range slices.Chunk(ids, indexChunk) {
			jobs = append(jobs, domain.Job{Kind: domain.JobIndexOpenings, IDs: c})
		}
		return s.enqueue(tx, jobs...)
	}))
}

const publishedOpeningIDs = `SELECT id::text
	FROM openings
	WHERE status = 'published'
	ORDER BY id`

// EnqueueIndexAll asks for every published opening to be synced to the index.
func (s *Store) EnqueueIndexAll(ctx context.Context) (int64, error) {
	var ids []string
	if err := s.db.WithContext(ctx).Raw(publishedOpeningIDs).Scan(&ids).Error; err != nil {
		return 0, translate(err)
	}
	return int64(len(ids)), s.enqueueIndexIDs(ctx, ids)
}

// indexReplayFrom is the time a rebuild's replay starts from: the start of
// the oldest transaction open in this database now, and never later than
// now, with a second to spare. A change is dated (updated_at = now()) by
// the start of its transaction, not by its commit: a close that began
// before a rebuild and waited on a lock committed while the rebuild copied,
// and was replayed by no time the process's clock gave. Sessions of other
// roles show no xact_start and count for nothing; gradzone's changes are
// its own role's.
const indexReplayFrom = `SELECT least(now(), min(xact_start)) - interval '1 second'
	FROM pg_stat_activity
	WHERE datname = current_database()`

// IndexReplayFrom returns the time from which EnqueueIndexSince replays
// every change that may commit after now: a rebuild reads it before it
// copies Postgres, and replays from it once its index is swapped in.
func (s *Store) IndexReplayFrom(ctx context.Context) (time.Time, error) {
	var t time.Time
	err := s.db.WithContext(ctx).Raw(indexReplayFrom).Scan(&t).Error
	return t, translate(err)
}

const openingIDsUpdatedSince = `SELECT id::text
	FROM openings
	WHERE updated_at >= ?
	ORDER BY id`

// EnqueueIndexSince enqueues an index sync for every opening changed since t
// (reindex uses it to replay changes made while it copied).
func (s *Store) EnqueueIndexSince(ctx context.Context, t time.Time) (int64, error) {
	var ids []string
	if err := s.db.WithContext(ctx).Raw(openingIDsUpdatedSince, t).Scan(&ids).Error; err != nil {
		return 0, translate(err)
	}
	return int64(len(ids)), s.enqueueIndexIDs(ctx, ids)
}

// lockOpeningsIndex takes the locks in the array's order (a function scan
// yields its rows in order), in one round trip however many openings.
const lockOpeningsIndex = `SELECT count(pg_advisory_xact_lock(hashtextextended('gradzone.index:' || id, 0)))
	FROM unnest(?::text[]) AS id`

// LockOpeningsForIndex runs fn while holding a transaction-scoped advisory
// lock on each opening, so that two index jobs for the same opening (on
// two workers or two replicas) never interleave: without it, a job that
// read the older state could hand it to Meilisearch after a job that read
// the newer one. fn must have handed its change to Meilisearch before it
// returns.
func (s *Store) LockOpeningsForIndex(ctx context.Context, ids []string, fn func() error) error {
	sorted := slices.Clone(ids)
	slices.Sort(sorted) // one order for every job: no deadlock between them
	sorted = slices.Compact(sorted)
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec(lockOpeningsIndex, pq.Array(sorted)).Error; err != nil {
			return translate(err)
		}
		return fn()
	})
}

// unfinished is River's job states that still have work to do.
const unfinished = `state IN ('available', 'pending', 'running', 'retryable', 'scheduled')`

const outboxState = `SELECT count(*) AS pending,
	coalesce(extract(epoch FROM now() - min(created_at)), 0) AS lag_seconds,
	count(*) FILTER (WHERE errors IS NOT NULL OR metadata->>'snoozes' IS NOT NULL) AS failing
	FROM river_job
	WHERE ` + unfinished + ` AND queue IN (?, ?)`

// OutboxStatus counts unfinished index and alert jobs, the age of the
// oldest, and how many have failed or been put off at least once.
func (s *Store) OutboxStatus(ctx context.Context) (domain.OutboxState, error) {
	var st domain.OutboxState
	err := s.db.WithContext(ctx).Raw(outboxState, domain.QueueIndex, domain.QueueAlerts).Scan(&st).Error
	return st, translate(err)
}

// mailQueueState reads the mail queue: a job with errors failed at least
// once (a snooze for a rate limit adds none), and one still unfinished
// waits to be tried again; it has been held up since its first error (River
// keeps each error with its time), not since it was made. A job due
// ('available') waits for a process with a mail server to take it: since
// it fell due (scheduled_at). Completed jobs (River keeps them a day: tens of
// thousands after a digest run) are not read: the states lead the index
// River fetches by.
const mailQueueState = `SELECT count(*) FILTER (WHERE ` + unfinished + `) AS pending,
	count(*) FILTER (WHERE ` + unfinished + ` AND errors IS NOT NULL) AS retrying,
	coalesce(extract(epoch FROM now() - min((errors[1]->>'at')::timestamptz) FILTER (WHERE ` + unfinished + ` AND errors IS NOT NULL)), 0)
		AS oldest_retrying_seconds,
	coalesce(extract(epoch FROM now() - min(scheduled_at) FILTER (WHERE state = 'available')), 0) AS oldest_untaken_seconds,
	count(*) FILTER (WHERE state = 'discarded') AS discarded,
	coalesce(extract(epoch FROM max(finalized_at) FILTER (WHERE state = 'discarded')), 0) AS last_discarded_unix
	FROM river_job
	WHERE state IN ('available', 'pending', 'running', 'retryable', 'scheduled', 'discarded') AND queue = ?`

// MailQueueStatus counts the mail queue's unfinished jobs, those waiting
// to be tried again after a failure and the age of the oldest of them, how
// long the oldest due job has waited to be taken, and
// the jobs given up on and when the newest of them was.
func (s *Store) MailQueueStatus(ctx context.Context) (domain.MailQueueState, error) {
	var st domain.MailQueueState
	err := s.db.WithContext(ctx).Raw(mailQueueState, domain.QueueMail).Scan(&st).Error
	return st, translate(err)
}

const openingsInIndexJobs = `SELECT coalesce(sum(jsonb_array_length(args->'ids')), 0)
	FROM river_job
	WHERE ` + unfinished + ` AND queue = ? AND kind = ? AND jsonb_typeof(args->'ids') = 'array'`

const openingsAmongIndexJobs = `
SELECT DISTINCT x.id
  FROM river_job j
 CROSS JOIN LATERAL jsonb_array_elements_text(j.args->'ids') AS x(id)
 WHERE ` + unfinished + ` AND j.queue = ? AND j.kind = ? AND jsonb_typeof(j.args->'ids') = 'array'
   AND x.id IN ?`

// InIndexJobs says which of ids unfinished index jobs are still to sync.
func (s *Store) InIndexJobs(ctx context.Context, ids []string) (map[string]bool, error) {
	busy := map[string]bool{}
	if len(ids) == 0 {
		return busy, nil
	}
	var got []string
	err := s.db.WithContext(ctx).Raw(openingsAmongIndexJobs, domain.QueueIndex, string(domain.JobIndexOpenings), ids).Scan(&got).Error
	for _, id := range got {
		busy[id] = true
	}
	return busy, translate(err)
}

// OpeningsInFlight counts the openings that unfinished index jobs are still
// to sync, those waiting on their backoff included: at most that many
// documents can be missing from the index only because they are on their
// way.
func (s *Store) OpeningsInFlight(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Raw(openingsInIndexJobs, domain.QueueIndex, string(domain.JobIndexOpenings)).Scan(&n).Error
	return n, translate(err)
}

const nextSearchGeneration = `SELECT nextval('search_index_generation')`

// BumpSearchGeneration records that the search index changed, so that
// search results cached before the change are no longer served. Call it
// after the change is applied, never before.
func (s *Store) BumpSearchGeneration(ctx context.Context) error {
	return translate(s.db.WithContext(ctx).Exec(nextSearchGeneration).Error)
}

// searchIndexState leaves out jobs running past domain.JobTimeout: a dead
// process holds them until River's rescuer takes them back, and counted as
// lag they turned every replica's search cache off for minutes (a replica
// probe) while Meilisearch was up and current.
//
// The self-heal's last check is read with them, in the one query every
// replica makes ten times a second, for whether the index is short (one row
// whatever: without the heal's, the generation must still be read).
var searchIndexState = fmt.Sprintf(`SELECT
	(SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM search_index_generation) AS generation,
	(SELECT coalesce(extract(epoch FROM now() - min(created_at)), 0)
	   FROM river_job
	  WHERE %s AND queue = ?
	    AND NOT (state = 'running' AND attempted_at < now() - interval '%d seconds')) AS lag_seconds,
	coalesce(h.outcome, '') AS outcome, coalesce(h.documents, 0) AS documents, coalesce(h.searchable, 0) AS searchable
	FROM (SELECT) AS one LEFT JOIN search_heal_state h ON true`, unfinished, int(domain.JobTimeout.Seconds()))

// SearchIndexState reads the index's generation and delivery lag (the age
// of the oldest unfinished job of the index queue, orphans aside), and
// whether the self-heal found the index short.
func (s *Store) SearchIndexState(ctx context.Context) (domain.SearchIndexState, error) {
	var r struct {
		Generation            int64
		LagSeconds            float64
		Outcome               string
		Documents, Searchable int64
	}
	err := s.db.WithContext(ctx).Raw(searchIndexState, domain.QueueIndex).Scan(&r).Error
	heal := domain.SearchHeal{Outcome: domain.HealOutcome(r.Outcome), Documents: r.Documents, Searchable: r.Searchable}
	return domain.SearchIndexState{Generation: r.Generation, LagSeconds: r.LagSeconds, Short: heal.IndexShort()}, translate(err)
}
