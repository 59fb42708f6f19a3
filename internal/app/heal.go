package app

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"sync/atomic"
	"time"

	"github.com/gradzone/gradzone/internal/domain"
)

// healState keeps two rebuilds from running in one process at once (the
// queue's unique job keeps them apart across replicas). What every replica
// shows is kept in Postgres (SearchHeal).
type healState struct {
	running atomic.Bool
}

// SearchHeal is the self-heal's last check and rebuild, as stored: the same
// whichever replica ran them.
func (b *Background) SearchHeal(ctx context.Context) (domain.SearchHeal, error) {
	return b.Store.SearchHeal(ctx)
}

// HealSearch checks the index against Postgres and repairs it: a missing
// index, one holding documents of an older shape (an upgrade), or fewer
// documents than Postgres has searchable openings by more than the index
// jobs in flight still carry, is rebuilt in the background
// into a fresh index that is swapped in (searches meanwhile keep the old
// index, or the Postgres fallback); wrong settings alone are re-applied. It runs as a
// periodic job of the queue, so one replica checks at a time. Meilisearch
// down is not an error here: nothing can be repaired until it is back, and
// the next check will see it.
//
// More documents than Postgres counts is left alone: openings whose
// deadline passed today stay in the index until their next change, and
// searches filter them out.
func (b *Background) HealSearch(ctx context.Context) error {
	h, err := b.Store.SearchHeal(ctx)
	if err != nil {
		return err
	}
	now := b.now()
	h.CheckedAt = &now
	if err := b.searchUp(ctx); err != nil {
		h.Outcome = domain.HealSearchDown
		return b.Store.SaveSearchCheck(ctx, h)
	}
	// Read in this order, an opening approved or synced while the check
	// runs makes the shortfall look smaller, never larger: no rebuild for
	// changes on their way.
	want, err := b.Store.CountSearchable(ctx)
	if err != nil {
		return err
	}
	inFlight, err := b.Store.OpeningsInFlight(ctx)
	if err != nil {
		return err
	}
	chk, err := b.Index.Check(ctx)
	if err != nil {
		return err
	}
	h.Documents, h.Searchable = chk.Documents, want
	switch {
	case !chk.Exists || !chk.SettingsOK && chk.Documents < want || chk.Documents+inFlight < want:
		b.Log.Info("search index differs from postgres: rebuilding", "exists", chk.Exists, "settings_ok", chk.SettingsOK,
			"documents", chk.Documents, "searchable", want, "openings_in_flight", inFlight)
		return b.rebuildForHeal(ctx, h)
	case chk.Outdated > 0:
		// An upgrade changed what a document holds: the index is rebuilt in
		// the new shape (searches keep the old index meanwhile).
		b.Log.Info("search index holds documents of an older shape: rebuilding", "outdated", chk.Outdated)
		return b.rebuildForHeal(ctx, h)
	case !chk.SettingsOK:
		b.Log.Info("search index settings differ from the code's: applying them")
		h.Outcome = domain.HealSettings
		if err := b.Store.SaveSearchCheck(ctx, h); err != nil {
			return err
		}
		_, err := b.ApplySearchSettings(ctx)
		return err
	}
	// The counts agree; which openings the index holds may not (after a
	// database restore, openings closed since the backup and published
	// since cancel out).
	missing, extra, agreed, err := b.membersDiffer(ctx)
	if err != nil {
		return err
	}
	if len(missing)+len(extra) > 0 {
		b.Log.Info("search index holds other openings than postgres lists: rebuilding", "missing", len(missing), "extra", len(extra),
			"examples", slices.Concat(missing[:min(3, len(missing))], extra[:min(3, len(extra))]))
		return b.rebuildForHeal(ctx, h)
	}
	// And what the documents say may not: an opening edited since a
	// backup keeps its newer document after a restore.
	differing, err := b.documentsDiffer(ctx, agreed)
	if err != nil {
		return err
	}
	if len(differing) > 0 {
		b.Log.Info("search index documents say other than postgres: rebuilding", "differing", len(differing),
			"examples", differing[:min(3, len(differing))])
		return b.rebuildForHeal(ctx, h)
	}
	h.Outcome = domain.HealOK
	return b.Store.SaveSearchCheck(ctx, h)
}

// healSample is how many openings the check compares each way: at 100,000
// openings, 50 wrong ones are met by a check with a chance of one in four,
// within ten minutes all but surely.
const healSample = 500

// healDocuments is how many of the sampled openings the check also
// compares document by document (each is read from Postgres and built
// again, as an index job would).
const healDocuments = 200

// membersDiffer compares which openings the index holds with Postgres, on
// a sample both ways: openings that belong in search and are missing from
// the index, and documents of openings that no longer may be in it; agreed
// are the sampled openings that belong and are held. What index jobs are
// still to sync is on its way and not counted. A difference is looked at a
// second time, so that a change landing between the reads (Postgres is
// read first, the index last) is not taken for one.
func (b *Background) membersDiffer(ctx context.Context) (missing, extra, agreed []string, err error) {
	fromPostgres, err := b.Store.SampleSearchable(ctx, healSample)
	if err != nil {
		return nil, nil, nil, err
	}
	fromIndex, err := b.Index.SampleIDs(ctx, healSample)
	if err != nil {
		return nil, nil, nil, err
	}
	ids := slices.Compact(slices.Sorted(slices.Values(slices.Concat(fromPostgres, fromIndex))))
	if missing, extra, agreed, err = b.compareMembers(ctx, ids); err != nil || len(missing)+len(extra) == 0 {
		return missing, extra, agreed, err
	}
	missing, extra, _, err = b.compareMembers(ctx, slices.Concat(missing, extra))
	return missing, extra, nil, err
}

// compareMembers reads ids in Postgres, then in the index jobs, then in
// the index.
func (b *Background) compareMembers(ctx context.Context, ids []string) (missing, extra, agreed []string, err error) {
	belong, mayStay, err := b.Store.SearchStanding(ctx, ids)
	if err != nil {
		return nil, nil, nil, err
	}
	busy, err := b.Store.InIndexJobs(ctx, ids)
	if err != nil {
		return nil, nil, nil, err
	}
	held, err := b.Index.Holding(ctx, ids)
	if err != nil {
		return nil, nil, nil, err
	}
	for _, id := range ids {
		switch {
		case busy[id]:
		case belong[id] && !held[id]:
			missing = append(missing, id)
		case held[id] && !mayStay[id]:
			extra = append(extra, id)
		case belong[id]:
			agreed = append(agreed, id)
		}
	}
	return missing, extra, agreed, nil
}

// documentsDiffer compares the documents of up to healDocuments of ids,
// openings the index holds, with what Postgres makes of them now (read
// first, then the index jobs, then the index, and a difference a second
// time, as membersDiffer does).
func (b *Background) documentsDiffer(ctx context.Context, ids []string) ([]string, error) {
	ids = slices.Clone(ids)
	rand.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	ids = ids[:min(healDocuments, len(ids))]
	for range 2 {
		if len(ids) == 0 {
			break
		}
		ops, err := b.Store.OpeningsByID(ctx, ids)
		if err != nil {
			return nil, err
		}
		busy, err := b.Store.InIndexJobs(ctx, ids)
		if err != nil {
			return nil, err
		}
		ops = slices.DeleteFunc(ops, func(o domain.Opening) bool { return busy[o.ID] })
		if ids, err = b.Index.Differing(ctx, ops); err != nil {
			return nil, err
		}
	}
	return ids, nil
}

// rebuildForHeal rebuilds the index, saving its progress after every batch
// so that any replica's readiness and the staff status page show
// "reindexing n/N".
func (b *Background) rebuildForHeal(ctx context.Context, h domain.SearchHeal) error {
	if !b.heal.running.CompareAndSwap(false, true) {
		return errors.New("a rebuild is already running in this process")
	}
	defer b.heal.running.Store(false)
	// Another process rebuilding (a replica's heal, `gradzone reindex`)
	// fills a fresh index while the live one still looks short: the next
	// check, after it swapped its index in, sees whether one is needed.
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	release, ok, err := b.Store.HoldSearchRebuild(ctx, false, func() { cancel(ErrRebuildLockLost) })
	if err != nil {
		return err
	}
	if !ok {
		// Recorded all the same: searches go to Postgres while the live
		// index is short, whoever rebuilds it.
		b.Log.Info("search index is being rebuilt by another process: not starting a second rebuild")
		h.Outcome = domain.HealRebuild
		return b.Store.SaveSearchCheck(ctx, h)
	}
	defer release()
	h.Rebuilds++
	n, err := b.recordedReindex(ctx, h, Progress{Total: func(int64) {}, Done: func(int) {}})
	if err == nil {
		b.Log.Info("search index rebuilt", "documents", n)
	}
	return lockLost(ctx, err)
}

// recordedReindex is reindex with its progress kept in the heal state
// after every batch, so that any replica's readiness and the staff status
// page show "reindexing n/N" whoever rebuilds: the heal or `gradzone
// reindex` (an operator's probe: the command's rebuild showed nowhere).
// The caller holds the rebuild lock.
func (b *Background) recordedReindex(ctx context.Context, h domain.SearchHeal, p Progress) (int, error) {
	// Postgres keeps microseconds: the start is the rebuild's mark on the
	// record (SaveSearchProgress), compared as stored.
	now := b.now().Truncate(time.Microsecond)
	h.Outcome, h.Running = domain.HealRebuild, true
	h.Done, h.Total, h.StartedAt, h.ProgressAt, h.FinishedAt = 0, 0, &now, &now, nil
	if err := b.Store.SaveSearchHeal(ctx, h); err != nil {
		return 0, err
	}
	var saveErr error
	n, err := b.reindex(ctx, Progress{
		Total: func(n int64) {
			h.Total = n
			p.Total(n)
		},
		Done: func(n int) {
			at := b.now()
			h.Done, h.ProgressAt = h.Done+int64(n), &at
			if err := b.Store.SaveSearchProgress(ctx, h); err != nil && saveErr == nil {
				saveErr = err // the rebuild goes on; only the report lags
			}
			p.Done(n)
		},
	})
	end := b.now()
	h.Running, h.FinishedAt, h.ProgressAt = false, &end, &end
	if err != nil {
		h.Outcome = domain.HealRebuildFail
	} else {
		// The index swapped in holds what Postgres did: not short, and
		// searches use it again at once.
		h.Documents, h.Searchable = int64(n), int64(n)
	}
	if errors.Is(context.Cause(ctx), ErrRebuildLockLost) {
		// The heal state is the other process's rebuild's now.
		return n, err
	}
	// Saved even when the context ended, so the page does not show a
	// rebuild that stopped as still running.
	if serr := b.Store.SaveSearchProgress(context.WithoutCancel(ctx), h); serr != nil && err == nil {
		err = serr
	}
	if saveErr != nil {
		b.Log.Warn("search rebuild progress not saved", "err", saveErr)
	}
	return n, err
}

// SystemStatus gathers the search side's state for ministry staff (the
// status page next to the job queue's). Meilisearch being down is part of
// the answer, not an error. Errors: forbidden for anyone else; unavailable
// when Postgres is down.
func (b *Background) SystemStatus(ctx context.Context, c domain.Caller) (domain.SystemStatus, error) {
	if c.Level() != domain.LevelNation {
		return domain.SystemStatus{}, domain.ErrForbidden
	}
	var st domain.SystemStatus
	var err error
	if st.Heal, err = b.Store.SearchHeal(ctx); err != nil {
		return st, err
	}
	if st.Searchable, err = b.Store.CountSearchable(ctx); err != nil {
		return st, err
	}
	if st.Jobs, err = b.Store.OutboxStatus(ctx); err != nil {
		return st, err
	}
	if b.searchUp(ctx) == nil {
		if chk, err := b.Index.Check(ctx); err == nil {
			st.SearchUp, st.Index = true, chk
		}
	}
	return st, nil
}
