package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/gradzone/gradzone/internal/auth"
	"github.com/gradzone/gradzone/internal/domain"
)

// BackgroundStore is what the background work needs from persistence
// (internal/postgres implements it).
type BackgroundStore interface {
	OpeningsByID(ctx context.Context, ids []string) ([]domain.Opening, error)
	// LockOpeningsForIndex runs fn holding a lock per opening, so that two
	// index syncs of one opening never interleave.
	LockOpeningsForIndex(ctx context.Context, ids []string, fn func() error) error
	BumpSearchGeneration(ctx context.Context) error
	AllSavedSearches(ctx context.Context) ([]domain.SavedSearch, error)
	Notify(ctx context.Context, n domain.Notification, dedupe string) error
	// NotifyAlert is Notify for a saved-search alert that also queues its
	// mail, in one transaction, when the notification is new and the
	// search's and the user's alert mail are on.
	NotifyAlert(ctx context.Context, n domain.Notification, dedupe, savedSearchID string, mail map[string]string) error
	FlagStaleApplications(ctx context.Context) (int64, error)
	RemindReports(ctx context.Context) (int64, error)
	// RemindEvents queues, once per registration, the reminder mail of an
	// event that starts within a day.
	RemindEvents(ctx context.Context) (int, error)
	// Event reads an event as it is now: a change mail overtaken by a later
	// change is not sent (eventMailSuperseded).
	Event(ctx context.Context, c domain.Caller, id string) (domain.Event, error)
	// EventRegistrationCode is the check-in code of the graduate's
	// registration for the event, "" when they hold none: a mail of a
	// registration withdrawn (or made again) since is not sent
	// (eventMailSuperseded).
	EventRegistrationCode(ctx context.Context, eventID, graduateID string) (string, error)
	EachSearchable(ctx context.Context, batch int, total func(int64), fn func([]domain.Opening) error) error
	// EnqueueIndexSince queues an index sync of every opening changed since t.
	EnqueueIndexSince(ctx context.Context, t time.Time) (int64, error)
	// CountSearchable counts the openings the index should hold today.
	CountSearchable(ctx context.Context) (int64, error)
	OutboxStatus(ctx context.Context) (domain.OutboxState, error)
	// OpeningsInFlight counts the openings that unfinished index jobs are
	// still to sync (a job waiting on its backoff included).
	OpeningsInFlight(ctx context.Context) (int64, error)
	// SampleSearchable returns up to n openings that belong in search
	// today, picked at random.
	SampleSearchable(ctx context.Context, n int) ([]string, error)
	// SearchStanding says, of ids, which belong in search today and which
	// may stay in the index (those, and published ones past their
	// deadline: searches filter them out until their next change).
	SearchStanding(ctx context.Context, ids []string) (belong, mayStay map[string]bool, err error)
	// InIndexJobs says which of ids unfinished index jobs are still to sync.
	InIndexJobs(ctx context.Context, ids []string) (map[string]bool, error)
	// SearchHeal and SaveSearchHeal keep the self-heal's state where every
	// replica reads it.
	SearchHeal(ctx context.Context) (domain.SearchHeal, error)
	SaveSearchHeal(ctx context.Context, h domain.SearchHeal) error
	// SaveSearchProgress is SaveSearchHeal of a rebuild under way: it
	// changes nothing once another rebuild has saved its start since h's.
	SaveSearchProgress(ctx context.Context, h domain.SearchHeal) error
	// SaveSearchCheck records a check's outcome, leaving a rebuild's
	// progress to the rebuild.
	SaveSearchCheck(ctx context.Context, h domain.SearchHeal) error
	// IndexReplayFrom returns the time from which EnqueueIndexSince
	// replays every change that may commit after now (the start of the
	// oldest open transaction: a change is dated by its transaction's start).
	IndexReplayFrom(ctx context.Context) (time.Time, error)
	// HoldSearchRebuild takes the lock one rebuild of the index holds at a
	// time across processes (ok false at once when taken and !wait). A lock
	// whose session ended is taken again; lost is called when another
	// process took it meanwhile.
	HoldSearchRebuild(ctx context.Context, wait bool, lost func()) (release func(), ok bool, err error)
	MailWorkStore
	MailSweepStore
	RetentionStore
}

// SearchIndex is the search index as the background work drives it
// (internal/search implements it).
type SearchIndex interface {
	Healthy(ctx context.Context) error
	EnsureSettings(ctx context.Context) (made bool, err error)
	// SyncOpeningsQueued hands the changes to the engine and returns once it
	// accepted them; wait waits until they are applied.
	SyncOpeningsQueued(ctx context.Context, upsert []domain.Opening, remove []string) (wait func(context.Context) error, err error)
	Has(ctx context.Context, id string) (bool, error)
	// MatchingIDs says, for each query, which of its IDs match it.
	MatchingIDs(ctx context.Context, qs []domain.SearchQuery) ([][]string, error)
	RebuildOpenings(ctx context.Context, fill func(add func([]domain.Opening) error) error) error
	Check(ctx context.Context) (domain.IndexCheck, error)
	// Holding says which of ids the index holds.
	Holding(ctx context.Context, ids []string) (map[string]bool, error)
	// SampleIDs returns about n document IDs from random places in the
	// index, every document as likely as any.
	SampleIDs(ctx context.Context, n int) ([]string, error)
	// Differing says which of ops the index holds a document of this
	// release for that is not the one the opening makes now.
	Differing(ctx context.Context, ops []domain.Opening) ([]string, error)
}

// Background is the work that runs outside requests: keeping the search
// index equal to Postgres, saved-search alerts and the periodic sweeps.
// internal/jobs runs each method as a job of the job queue (River), with
// retries; every method may therefore run more than once for the same
// input and must leave the same result.
type Background struct {
	Store BackgroundStore
	Index SearchIndex
	Log   *slog.Logger
	Now   func() time.Time
	// Mailer sends mail (mail.go); nil when no SMTP server is configured.
	Mailer Mailer
	// PublicURL (GRADZONE_PUBLIC_URL) starts every link in a mail.
	PublicURL string
	// MailFrom is the address mail comes from (GRADZONE_MAIL_FROM): the
	// organizer of interview invitations.
	MailFrom string
	// SupportEmail (GRADZONE_SUPPORT_EMAIL) is whom a security notice
	// tells its reader to write to; empty, it names no address.
	SupportEmail string
	// Links signs the tokens of links in mail (one-click unsubscribe).
	Links *auth.Links
	// Files and UploadDir are where résumés are kept (the Service's), for
	// the retention job to delete; Retention (GRADZONE_RESUME_RETENTION)
	// is how long after a graduate's last activity (zero: 24 months).
	Files     FileStore
	UploadDir string
	Retention domain.Retention
	// MailLimits bound mail per recipient and per domain (zero: none).
	MailLimits domain.MailLimits
	// heal is the self-heal's progress (heal.go).
	heal healState
	// index merges concurrent index jobs into passes (indexbatch.go).
	index indexBatcher
	// mailStats counts mails sent and failed tries (mailstats.go).
	mailStats mailStats
}

// ErrSearchDown says Meilisearch cannot be reached: the job should wait and
// try again later, which is not a failure of the job.
var ErrSearchDown = errors.New("search engine unreachable")

// ErrNotIndexedYet says an alert job's openings are not in the index yet:
// their index jobs have not run. The job should wait a little and try again.
var ErrNotIndexedYet = errors.New("not indexed yet")

func (b *Background) now() time.Time {
	if b.Now == nil {
		return time.Now()
	}
	return b.Now()
}

// searchUp returns ErrSearchDown (wrapped) when Meilisearch does not answer.
func (b *Background) searchUp(ctx context.Context) error {
	if err := b.Index.Healthy(ctx); err != nil {
		return fmt.Errorf("%w: %v", ErrSearchDown, err)
	}
	return nil
}

// ApplySearchSettings applies the index settings (synonyms, filterable and
// sortable fields), then bumps the search generation: new settings can
// change results. checkNow says it had to make the index: one lost while
// Postgres holds openings answers every search with nothing until the
// self-heal's check, which is due at once rather than a period later.
func (b *Background) ApplySearchSettings(ctx context.Context) (checkNow bool, err error) {
	if err := b.searchUp(ctx); err != nil {
		return false, err
	}
	made, err := b.Index.EnsureSettings(ctx)
	if err != nil {
		return false, err
	}
	return made, b.Store.BumpSearchGeneration(ctx)
}

// SyncOpenings makes the index agree with Postgres for the openings ids:
// searchable ones are upserted, every other (and every missing) one
// removed. It reads the openings' current state, so it converges whatever
// changed since the job was queued. Two syncs of one opening may run at
// once (two workers, two replicas); each holds a lock per opening from its
// read until Meilisearch has accepted its change, and Meilisearch applies
// changes in the order it accepted them, so an older state can never land
// after a newer one. The wait for the change to be applied happens outside
// the lock, so many syncs wait together and Meilisearch batches them.
func (b *Background) SyncOpenings(ctx context.Context, ids []string) error {
	wait, err := b.index.do(ctx, ids, b.queueOpenings)
	if err != nil {
		return err
	}
	if err := wait(ctx); err != nil {
		return err
	}
	// Only now: a bump before the index changed would let a search that
	// read the old index be cached as current.
	return b.Store.BumpSearchGeneration(ctx)
}

// queueOpenings is one pass of SyncOpenings over the openings of every job
// that joined it: under their locks, it reads them and hands Meilisearch
// the change, returning how to wait until it is applied.
func (b *Background) queueOpenings(ctx context.Context, ids []string) (wait func(context.Context) error, err error) {
	if err := b.searchUp(ctx); err != nil {
		return nil, err
	}
	err = b.Store.LockOpeningsForIndex(ctx, ids, func() error {
		ops, err := b.Store.OpeningsByID(ctx, ids)
		if err != nil {
			return err
		}
		today := domain.DateOf(b.now())
		found := map[string]bool{}
		var upsert []domain.Opening
		var remove []string
		for _, o := range ops {
			found[o.ID] = true
			if o.Searchable(today) {
				upsert = append(upsert, o)
			} else {
				remove = append(remove, o.ID)
			}
		}
		for _, id := range ids {
			if !found[id] {
				remove = append(remove, id)
			}
		}
		wait, err = b.Index.SyncOpeningsQueued(ctx, upsert, remove)
		return err
	})
	return wait, err
}

// SendAlerts notifies graduates whose saved searches match newly published
// openings. Matching is done by Meilisearch, so an alert means what a
// search would show. The notification's dedupe key makes a second run
// harmless: one alert per saved search and opening. An opening not in the
// index yet (its index job has not run) is left out and returned in
// waiting, for the caller to ask again: it holds up no other opening.
func (b *Background) SendAlerts(ctx context.Context, openingIDs []string) (waiting []string, err error) {
	if err := b.searchUp(ctx); err != nil {
		return nil, err
	}
	ops, err := b.Store.OpeningsByID(ctx, openingIDs)
	if err != nil {
		return nil, err
	}
	today := domain.DateOf(b.now())
	var ids []string
	titles, employers := map[string]string{}, map[string]string{}
	for _, o := range ops {
		if !o.Searchable(today) {
			continue
		}
		// The opening must be in the index first.
		in, err := b.Index.Has(ctx, o.ID)
		if err != nil {
			return nil, err
		}
		if !in {
			waiting = append(waiting, o.ID)
			continue
		}
		ids = append(ids, o.ID)
		titles[o.ID] = o.Title
		employers[o.ID] = o.Employer.Name
	}
	if len(ids) == 0 {
		return waiting, nil
	}
	searches, err := b.Store.AllSavedSearches(ctx)
	if err != nil {
		return nil, err
	}
	// People save the same searches: each distinct one is asked once.
	type savedQuery struct {
		q string
		f domain.SearchFilters
	}
	var queries []domain.SearchQuery
	asked := map[savedQuery]int{} // a distinct search → its place in queries
	answer := make([]int, len(searches))
	for i, s := range searches {
		key := savedQuery{s.Q, s.Filters}
		at, ok := asked[key]
		if !ok {
			q := s.Query(today)
			q.IDs = ids
			at, asked[key] = len(queries), len(queries)
			queries = append(queries, q)
		}
		answer[i] = at
	}
	matched, err := b.Index.MatchingIDs(ctx, queries)
	if err != nil {
		return nil, err
	}
	for i, s := range searches {
		for _, id := range matched[answer[i]] {
			n := domain.Notification{UserID: s.UserID, Kind: "saved_search_match",
				Title: fmt.Sprintf("「%s」有新岗位：%s", s.Name, titles[id]), Link: "/openings/" + id,
				Params: domain.NoticeParams{"search": s.Name, "opening": titles[id]}}
			// The notification's dedupe key is also the mail's send key: a
			// run again after a crash queues and sends nothing twice.
			mail := map[string]string{"saved_search_id": s.ID, "search_name": s.Name, "opening_id": id,
				"opening_title": titles[id], "employer_name": employers[id]}
			if err := b.Store.NotifyAlert(ctx, n, "alert:"+s.ID+":"+id, s.ID, mail); err != nil {
				return nil, err
			}
		}
	}
	return waiting, nil
}

// FlagStaleApplications tells employers about applications waiting 7 days
// (no black hole). Idempotent: one notification per application.
func (b *Background) FlagStaleApplications(ctx context.Context) error {
	n, err := b.Store.FlagStaleApplications(ctx)
	if n > 0 {
		b.Log.Info("stale applications flagged", "notifications", n)
	}
	return err
}

// RemindReports reminds zone staff of monthly reports three days and one
// day before they are due. Idempotent: one reminder per zone and day.
func (b *Background) RemindReports(ctx context.Context) error {
	n, err := b.Store.RemindReports(ctx)
	if n > 0 {
		b.Log.Info("report reminders sent", "notifications", n)
	}
	return err
}

// Progress receives the total once, then the number of documents done.
type Progress struct {
	Total func(n int64)
	Done  func(n int)
}

// Reindex rebuilds the index from Postgres into a fresh index and swaps it
// in, so searches never see an empty index. Changes committed while it
// copies are replayed through the job queue afterwards. It returns the
// number of documents indexed. A rebuild already running in any process
// is waited for: two at once would each copy every opening. Its progress
// shows in every replica's readiness as the heal's rebuilds do.
func (b *Background) Reindex(ctx context.Context, p Progress) (int, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	release, _, err := b.Store.HoldSearchRebuild(ctx, true, func() { cancel(ErrRebuildLockLost) })
	if err != nil {
		return 0, err
	}
	defer release()
	h, err := b.Store.SearchHeal(ctx)
	if err != nil {
		return 0, err
	}
	n, err := b.recordedReindex(ctx, h, p)
	return n, lockLost(ctx, err)
}

// ErrRebuildLockLost says a rebuild stopped because its lock's session
// ended and the lock could not be taken again (another process took it, or
// Postgres did not answer): two rebuilds must not swap their index in in
// turn.
var ErrRebuildLockLost = errors.New("search rebuild stopped: its lock was lost")

// lockLost is err, or ErrRebuildLockLost when that is why ctx ended.
func lockLost(ctx context.Context, err error) error {
	if err != nil && errors.Is(context.Cause(ctx), ErrRebuildLockLost) {
		return fmt.Errorf("%w (%v)", ErrRebuildLockLost, err)
	}
	return err
}

// reindex is Reindex under the rebuild lock its caller holds.
func (b *Background) reindex(ctx context.Context, p Progress) (int, error) {
	// Read before the copy: every change the copy may miss commits after
	// now, and is dated by a transaction open now or begun later.
	started, err := b.Store.IndexReplayFrom(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	err = b.Index.RebuildOpenings(ctx, func(add func([]domain.Opening) error) error {
		return b.Store.EachSearchable(ctx, 1000, p.Total, func(ops []domain.Opening) error {
			if err := add(ops); err != nil {
				return err
			}
			n += len(ops)
			p.Done(len(ops))
			return nil
		})
	})
	if err != nil {
		return n, err
	}
	// The fresh index is in: its bookkeeping and the replay of what the
	// copy missed run even when ctx ended just now (a shutdown, the lock
	// lost), or those changes would wait for a check's sample to find them.
	after, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	if err := b.Store.BumpSearchGeneration(after); err != nil {
		return n, err
	}
	_, err = b.Store.EnqueueIndexSince(after, started)
	return n, err
}
