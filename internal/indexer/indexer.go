// Package indexer delivers the outbox to Meilisearch: it keeps the openings
// index equal to Postgres and sends saved-search alerts. It runs inside
// `gradzone serve`; several replicas may run it at once (rows are claimed
// with FOR UPDATE SKIP LOCKED).
package indexer

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/postgres"
	"github.com/gradzone/gradzone/internal/search"
)

// Worker is the outbox delivery loop.
type Worker struct {
	Store    *postgres.Store
	Index    *search.Index
	Log      *slog.Logger
	Interval time.Duration
	Batch    int
	Now      func() time.Time

	settingsApplied bool
	lastSweep       time.Time
}

// Run delivers until ctx ends. While Meilisearch is down, deliveries fail and
// are retried with backoff; when it returns, the index converges.
func (w *Worker) Run(ctx context.Context) {
	if w.Batch == 0 {
		w.Batch = 200
	}
	if w.Now == nil {
		w.Now = time.Now
	}
	for {
		busy := w.Step(ctx)
		wait := w.Interval
		if busy {
			wait = 0
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}

// Step does one round of work and reports whether it found any.
func (w *Worker) Step(ctx context.Context) bool {
	if !w.settingsApplied {
		if err := w.Index.EnsureSettings(ctx); err != nil {
			w.Log.Debug("index settings not applied yet", "err", err)
		} else {
			// New settings (synonyms, say) can change results.
			w.settingsApplied = w.Store.BumpSearchGeneration(ctx) == nil
		}
	}
	n1, err := w.Store.DeliverOutbox(ctx, postgres.TopicIndexOpening, w.Batch, w.deliverIndex)
	if err != nil && ctx.Err() == nil {
		w.Log.Warn("outbox delivery", "topic", postgres.TopicIndexOpening, "err", err)
	}
	n2, err := w.Store.DeliverOutbox(ctx, postgres.TopicAlertOpening, 50, w.deliverAlerts)
	if err != nil && ctx.Err() == nil {
		w.Log.Warn("outbox delivery", "topic", postgres.TopicAlertOpening, "err", err)
	}
	if w.Now().Sub(w.lastSweep) > time.Hour {
		w.lastSweep = w.Now()
		if err := w.Store.PruneOutbox(ctx); err != nil {
			w.Log.Warn("outbox prune", "err", err)
		}
		// No black hole: tell employers about applications waiting 7 days.
		if _, err := w.Store.FlagStaleApplications(ctx); err != nil {
			w.Log.Warn("stale applications", "err", err)
		}
		// Monthly reports: reminders three days and one day before due.
		if _, err := w.Store.RemindReports(ctx); err != nil {
			w.Log.Warn("report reminders", "err", err)
		}
	}
	return n1+n2 > 0
}

// deliverIndex makes the index agree with Postgres for the batch's openings:
// searchable ones are upserted, every other (and every missing) one removed.
func (w *Worker) deliverIndex(ctx context.Context, b postgres.OutboxBatch) error {
	ops, err := w.Store.OpeningsByID(ctx, b.AggregateIDs)
	if err != nil {
		return err
	}
	today := domain.DateOf(w.Now())
	found := map[string]bool{}
	var docs []search.Document
	var remove []string
	for _, o := range ops {
		found[o.ID] = true
		if o.Searchable(today) {
			docs = append(docs, search.NewDocument(o))
		} else {
			remove = append(remove, o.ID)
		}
	}
	for _, id := range b.AggregateIDs {
		if !found[id] {
			remove = append(remove, id)
		}
	}
	if err := w.Index.Sync(ctx, docs, remove); err != nil {
		return err
	}
	// Only now: a bump before the index changed would let a search that
	// read the old index be cached as current.
	return w.Store.BumpSearchGeneration(ctx)
}

// deliverAlerts notifies graduates whose saved searches match newly published
// openings. Matching is done by Meilisearch, so an alert means what a search
// would show. The notification's dedupe key makes redelivery harmless: one
// alert per saved search and opening.
func (w *Worker) deliverAlerts(ctx context.Context, b postgres.OutboxBatch) error {
	// The opening must be in the index first; if its index delivery has not
	// happened yet, fail and retry shortly.
	var ids []string
	ops, err := w.Store.OpeningsByID(ctx, b.AggregateIDs)
	if err != nil {
		return err
	}
	today := domain.DateOf(w.Now())
	titles := map[string]string{}
	for _, o := range ops {
		if !o.Searchable(today) {
			continue
		}
		in, err := w.Index.Has(ctx, o.ID)
		if err != nil {
			return err
		}
		if !in {
			return fmt.Errorf("opening %s not indexed yet", o.ID)
		}
		ids = append(ids, o.ID)
		titles[o.ID] = o.Title
	}
	if len(ids) == 0 {
		return nil
	}
	searches, err := w.Store.AllSavedSearches(ctx)
	if err != nil {
		return err
	}
	for _, s := range searches {
		q := s.Query(today)
		q.IDs = ids
		matched, err := w.Index.MatchingIDs(ctx, q)
		if err != nil {
			return err
		}
		for _, id := range matched {
			n := domain.Notification{UserID: s.UserID, Kind: "saved_search_match",
				Title: fmt.Sprintf("「%s」有新岗位：%s", s.Name, titles[id]), Link: "/openings/" + id}
			if err := w.Store.Notify(ctx, n, "alert:"+s.ID+":"+id); err != nil {
				return err
			}
		}
	}
	return nil
}
