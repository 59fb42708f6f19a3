package app

import (
	"context"
	"errors"
	"sync/atomic"
)

// healState is this process's view of a self-heal rebuild, for the
// detailed readiness ("reindexing n/N").
type healState struct {
	running     atomic.Bool
	done, total atomic.Int64
	rebuilds    atomic.Int64
}

// HealProgress reports whether this process is rebuilding the index after
// a check found it wrong, how far it got, and how many rebuilds the checks
// started since this process began.
func (b *Background) HealProgress() (running bool, done, total, rebuilds int64) {
	return b.heal.running.Load(), b.heal.done.Load(), b.heal.total.Load(), b.heal.rebuilds.Load()
}

// HealSearch checks the index against Postgres and repairs it: a missing
// index, or fewer documents than Postgres has searchable openings while no
// index job is in flight, is rebuilt in the background into a fresh index
// that is swapped in (searches meanwhile keep the old index, or the
// Postgres fallback); wrong settings alone are re-applied. It runs as a
// periodic job of the queue, so one replica checks at a time. Meilisearch
// down is not an error here: nothing can be repaired until it is back, and
// the next check will see it.
//
// More documents than Postgres counts is left alone: openings whose
// deadline passed today stay in the index until their next change, and
// searches filter them out.
func (b *Background) HealSearch(ctx context.Context) error {
	if err := b.searchUp(ctx); err != nil {
		return nil
	}
	chk, err := b.Index.Check(ctx)
	if err != nil {
		return err
	}
	want, err := b.Store.CountSearchable(ctx)
	if err != nil {
		return err
	}
	ob, err := b.Store.OutboxStatus(ctx)
	if err != nil {
		return err
	}
	switch {
	case !chk.Exists || !chk.SettingsOK && chk.Documents < want || chk.Documents < want && ob.Pending == 0:
		b.Log.Info("search index differs from postgres: rebuilding", "exists", chk.Exists, "settings_ok", chk.SettingsOK,
			"documents", chk.Documents, "searchable", want, "jobs_pending", ob.Pending)
		return b.rebuildForHeal(ctx)
	case !chk.SettingsOK:
		b.Log.Info("search index settings differ from the code's: applying them")
		return b.ApplySearchSettings(ctx)
	}
	return nil
}

func (b *Background) rebuildForHeal(ctx context.Context) error {
	if !b.heal.running.CompareAndSwap(false, true) {
		return errors.New("a rebuild is already running in this process")
	}
	defer b.heal.running.Store(false)
	b.heal.rebuilds.Add(1)
	b.heal.done.Store(0)
	n, err := b.Reindex(ctx, Progress{
		Total: func(n int64) { b.heal.total.Store(n) },
		Done:  func(n int) { b.heal.done.Add(int64(n)) },
	})
	if err == nil {
		b.Log.Info("search index rebuilt", "documents", n)
	}
	return err
}
