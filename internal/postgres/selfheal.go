package postgres

import (
	"context"
	"database/sql"
	"slices"
	"sync"
	"time"

	"github.com/gradzone/gradzone/internal/domain"
)

// CountSearchable counts the openings the search index should hold today:
// EachSearchable's rows (the self-heal compares it with the index).
func (s *Store) CountSearchable(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Raw(countSearchableOpenings, domain.DateOf(s.now()).String()).Scan(&n).Error
	return n, translate(err)
}

const sampleSearchableOpenings = `
SELECT o.id
  FROM openings o
 WHERE ` + searchable + `
 ORDER BY random()
 LIMIT ?`

// SampleSearchable returns up to n openings that belong in search today,
// at random.
func (s *Store) SampleSearchable(ctx context.Context, n int) ([]string, error) {
	var ids []string
	err := s.db.WithContext(ctx).Raw(sampleSearchableOpenings, domain.DateOf(s.now()).String(), n).Scan(&ids).Error
	return ids, translate(err)
}

// searchStandingOf reads, of the openings ?, which belong in search today
// and which are published with their deadline passed.
const searchStandingOf = `
SELECT o.id,
       (` + searchable + `) AS belongs,
       (o.status = 'published' AND o.deadline < ?) AS expired
  FROM openings o
 WHERE o.id IN ?`

// SearchStanding says, of ids, which belong in search today and which may
// stay in the index: those, and published openings whose deadline passed
// (they leave the index at their next change; searches filter them out).
func (s *Store) SearchStanding(ctx context.Context, ids []string) (belong, mayStay map[string]bool, err error) {
	belong, mayStay = map[string]bool{}, map[string]bool{}
	// A document ID that is no UUID is of no opening (and would fail the
	// query): it belongs nowhere.
	ids = slices.DeleteFunc(slices.Clone(ids), func(id string) bool { return !validUUID(id) })
	if len(ids) == 0 {
		return belong, mayStay, nil
	}
	today := domain.DateOf(s.now()).String()
	var rows []struct {
		ID               string
		Belongs, Expired bool
	}
	if err := s.db.WithContext(ctx).Raw(searchStandingOf, today, today, ids).Scan(&rows).Error; err != nil {
		return nil, nil, translate(err)
	}
	for _, r := range rows {
		belong[r.ID] = r.Belongs
		mayStay[r.ID] = r.Belongs || r.Expired
	}
	return belong, mayStay, nil
}

// searchHealRow maps the one row of search_heal_state.
type searchHealRow struct {
	CheckedAt  *time.Time
	Outcome    string
	Documents  int64
	Searchable int64
	Running    bool
	Done       int64
	Total      int64
	StartedAt  *time.Time
	ProgressAt *time.Time
	FinishedAt *time.Time
	Rebuilds   int64
}

const selectSearchHeal = `
SELECT checked_at, outcome, documents, searchable, running, done, total,
       started_at, progress_at, finished_at, rebuilds
  FROM search_heal_state`

const updateSearchHeal = `
UPDATE search_heal_state
   SET checked_at = ?, outcome = ?, documents = ?, searchable = ?, running = ?,
       done = ?, total = ?, started_at = ?, progress_at = ?, finished_at = ?,
       rebuilds = ?`

// SearchHeal reads the self-heal's last check and rebuild.
func (s *Store) SearchHeal(ctx context.Context) (domain.SearchHeal, error) {
	var r searchHealRow
	if err := s.db.WithContext(ctx).Raw(selectSearchHeal).Scan(&r).Error; err != nil {
		return domain.SearchHeal{}, translate(err)
	}
	return domain.SearchHeal{CheckedAt: r.CheckedAt, Outcome: domain.HealOutcome(r.Outcome), Documents: r.Documents,
		Searchable: r.Searchable, Running: r.Running, Done: r.Done, Total: r.Total, StartedAt: r.StartedAt,
		ProgressAt: r.ProgressAt, FinishedAt: r.FinishedAt, Rebuilds: r.Rebuilds}, nil
}

const updateSearchCheck = `
UPDATE search_heal_state
   SET checked_at = ?, outcome = ?, documents = ?, searchable = ?`

// SaveSearchCheck records a check's outcome only. A check that finds the
// index whole runs beside a rebuild's last steps, and a whole-row write
// from what it read put back "running" after the rebuild had finished
// (a CI run met it in TestSearchHealLeavesRunningRebuild).
func (s *Store) SaveSearchCheck(ctx context.Context, h domain.SearchHeal) error {
	return translate(s.db.WithContext(ctx).Exec(updateSearchCheck, h.CheckedAt, string(h.Outcome), h.Documents,
		h.Searchable).Error)
}

// SaveSearchHeal replaces it; a rebuild, holding the rebuild lock, saves
// its progress with it.
func (s *Store) SaveSearchHeal(ctx context.Context, h domain.SearchHeal) error {
	return translate(s.db.WithContext(ctx).Exec(updateSearchHeal, h.CheckedAt, string(h.Outcome), h.Documents,
		h.Searchable, h.Running, h.Done, h.Total, h.StartedAt, h.ProgressAt, h.FinishedAt, h.Rebuilds).Error)
}

const updateSearchProgress = updateSearchHeal + `
 WHERE started_at = ?`

// SaveSearchProgress is SaveSearchHeal by the rebuild that started the
// record (h.StartedAt): a rebuild frozen past its lock, woken, saved its
// progress and failure over the rebuild that had replaced it and finished.
func (s *Store) SaveSearchProgress(ctx context.Context, h domain.SearchHeal) error {
	return translate(s.db.WithContext(ctx).Exec(updateSearchProgress, h.CheckedAt, string(h.Outcome), h.Documents,
		h.Searchable, h.Running, h.Done, h.Total, h.StartedAt, h.ProgressAt, h.FinishedAt, h.Rebuilds, h.StartedAt).Error)
}

// searchRebuildLock is the advisory lock a rebuild of the search index
// holds, whichever process runs it.
const searchRebuildLock = `hashtextextended('gradzone.search_rebuild', 0)`

const tryLockSearchRebuild = `SELECT pg_try_advisory_xact_lock(` + searchRebuildLock + `)`

// lockSessionAlive answers when the lock's session is still there.
const lockSessionAlive = `SELECT 1`

// searchRebuildCheck is how often a held rebuild lock's session is asked
// whether it is still there.
const searchRebuildCheck = time.Second

// endIdleLockSession has Postgres end the lock's session once it sits idle
// in its transaction for 30 s, far longer than a live process's check
// leaves it: a process frozen mid-rebuild (SIGSTOP, a paused VM) checks no
// more, and its lock stayed taken until someone killed it.
const endIdleLockSession = `SET LOCAL idle_in_transaction_session_timeout = '30s'`

// HoldSearchRebuild takes the lock that lets one rebuild of the search index
// run at a time across every process on this database: the replicas'
// self-heal, `gradzone reindex` and the benchmark. Without it a check that
// ran while another rebuild was filling its fresh index saw the live index
// still short and started a second full rebuild beside the first (minutes
// of CPU for Postgres, Meilisearch and the replica; docs/benchmarks.md,
// Apply). The lock is transaction-scoped, like every advisory lock
// gradzone takes (it works through PgBouncer's transaction pooling), in a
// transaction of its own that stays open, writing nothing, while the
// rebuild runs: it ends with the process if the process dies. With wait
// false, ok is false at once when another rebuild holds it. release gives
// it back.
//
// The session can end under a rebuild that goes on (Postgres restarted,
// the connection cut), and the lock with it: it is asked every second, and
// a lock found gone is taken again in a new transaction, unless another
// process took it meanwhile, which lost (when not nil) is told once.
func (s *Store) HoldSearchRebuild(ctx context.Context, wait bool, lost func()) (release func(), ok bool, err error) {
	tx, ok, err := s.lockSearchRebuild(ctx, wait)
	if err != nil || !ok {
		return nil, false, err
	}
	var mu sync.Mutex // held while the lock is checked, so release waits for a check
	done := make(chan struct{})
	go func() {
		tick := time.NewTicker(searchRebuildCheck)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			if !s.keepSearchRebuild(ctx, &mu, done, &tx) {
				if lost != nil && ctx.Err() == nil {
					lost()
				}
				return
			}
		}
	}()
	return sync.OnceFunc(func() {
		mu.Lock()
		defer mu.Unlock()
		close(done)
		_ = tx.Rollback()
	}), true, nil
}

// keepSearchRebuild checks that the lock's transaction *tx is still there,
// and takes the lock again in a new one when it is not; false says another
// process has it, or Postgres could not be asked (or the lock was released
// or ctx ended meanwhile): the rebuild cannot know that no other runs.
func (s *Store) keepSearchRebuild(ctx context.Context, mu *sync.Mutex, done chan struct{}, tx **sql.Tx) bool {
	mu.Lock()
	defer mu.Unlock()
	select {
	case <-done:
		return false
	default:
	}
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if _, err := (*tx).ExecContext(pctx, lockSessionAlive); err == nil || ctx.Err() != nil {
		return ctx.Err() == nil
	}
	_ = (*tx).Rollback()
	again, ok, err := s.lockSearchRebuild(ctx, false)
	if err != nil || !ok {
		return false
	}
	*tx = again
	return true
}

// lockSearchRebuild takes the rebuild lock in a new transaction, waiting
// for it when wait; tx holds it when ok.
func (s *Store) lockSearchRebuild(ctx context.Context, wait bool) (tx *sql.Tx, ok bool, err error) {
	tx, err = s.sql.BeginTx(ctx, nil)
	if err != nil {
		return nil, false, translate(err)
	}
	if _, err = tx.ExecContext(ctx, endIdleLockSession); err != nil {
		_ = tx.Rollback()
		return nil, false, translate(err)
	}
	// Waiting is polling: a blocking pg_advisory_xact_lock would be one
	// statement as long as the other rebuild, cut off by statement_timeout.
	for {
		err = tx.QueryRowContext(ctx, tryLockSearchRebuild).Scan(&ok)
		if err != nil || ok || !wait {
			break
		}
		select {
		case <-ctx.Done():
			err = ctx.Err()
		case <-time.After(time.Second):
			continue
		}
		break
	}
	if err != nil || !ok {
		_ = tx.Rollback()
		return nil, false, translate(err)
	}
	return tx, true, nil
}
