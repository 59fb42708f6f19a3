package indexer

import (
	"context"
	"time"

	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/postgres"
	"github.com/gradzone/gradzone/internal/search"
)

// Progress receives the total once, then the number of documents done.
type Progress struct {
	Total func(n int64)
	Done  func(n int)
}

// Reindex rebuilds the index from Postgres into a fresh index and swaps it
// in, so searches never see an empty index. Changes committed while it
// copies are replayed through the outbox afterwards. It returns the number
// of documents indexed.
func Reindex(ctx context.Context, store *postgres.Store, ix *search.Index, p Progress) (int, error) {
	started := time.Now().Add(-time.Second)
	n := 0
	err := ix.Rebuild(ctx, func(add func([]search.Document) error) error {
		return store.EachSearchable(ctx, 1000, p.Total, func(ops []domain.Opening) error {
			docs := make([]search.Document, len(ops))
			for i, o := range ops {
				docs[i] = search.NewDocument(o)
			}
			if err := add(docs); err != nil {
				return err
			}
			n += len(docs)
			p.Done(len(docs))
			return nil
		})
	})
	if err != nil {
		return n, err
	}
	if err := store.BumpSearchGeneration(ctx); err != nil {
		return n, err
	}
	_, err = store.EnqueueIndexSince(ctx, started)
	return n, err
}
