package app

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

// TestIndexBatcherMergesConcurrentJobs: jobs that arrive while a pass runs
// share the next one; each returns only once a pass that held its openings
// ended, with that pass's outcome.
func TestIndexBatcherMergesConcurrentJobs(t *testing.T) {
	var q indexBatcher
	var mu sync.Mutex
	synced := map[string]bool{}
	passes := 0
	syncPass := func(_ context.Context, ids []string) error {
		time.Sleep(20 * time.Millisecond) // Meilisearch applying the task
		mu.Lock()
		defer mu.Unlock()
		passes++
		for _, id := range ids {
			synced[id] = true
		}
		return nil
	}
	const jobs = 200
	var wg sync.WaitGroup
	for i := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := fmt.Sprint("opening-", i)
			if err := q.do(context.Background(), []string{id}, syncPass); err != nil {
				t.Error(err)
			}
			mu.Lock()
			defer mu.Unlock()
			if !synced[id] {
				t.Errorf("%s returned before it was synced", id)
			}
		}()
	}
	wg.Wait()
	if len(synced) != jobs || passes >= jobs/4 {
		t.Fatalf("%d of %d openings synced in %d passes", len(synced), jobs, passes)
	}

	// A failed pass fails every job in it; the next pass starts afresh.
	boom := errors.New("meilisearch is down")
	if err := q.do(context.Background(), []string{"x"}, func(context.Context, []string) error { return boom }); !errors.Is(err, boom) {
		t.Fatalf("got %v", err)
	}
	if err := q.do(context.Background(), []string{"y"}, syncPass); err != nil || !synced["y"] {
		t.Fatalf("after a failed pass: %v", err)
	}
	// A job that stops waiting returns its context's error; the pass goes on.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := q.do(ctx, []string{"z"}, syncPass); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v", err)
	}
}
