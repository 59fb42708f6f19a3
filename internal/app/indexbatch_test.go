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
// handed them over, with that pass's outcome.
func TestIndexBatcherMergesConcurrentJobs(t *testing.T) {
	var q indexBatcher
	var mu sync.Mutex
	synced := map[string]bool{}
	passes := 0
	applied := func(context.Context) error { return nil }
	syncPass := func(_ context.Context, ids []string) (func(context.Context) error, error) {
		time.Sleep(20 * time.Millisecond) // locks, a read, Meilisearch accepting the task
		mu.Lock()
		defer mu.Unlock()
		passes++
		for _, id := range ids {
			synced[id] = true
		}
		return applied, nil
	}
	const jobs = 200
	var wg sync.WaitGroup
	for i := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := fmt.Sprint("opening-", i)
			if wait, err := q.do(context.Background(), []string{id}, syncPass); err != nil || wait == nil {
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
	var failing indexBatcher
	down := true
	boom := errors.New("meilisearch is down")
	flaky := func(ctx context.Context, ids []string) (func(context.Context) error, error) {
		if down {
			return nil, boom
		}
		return syncPass(ctx, ids)
	}
	if _, err := failing.do(context.Background(), []string{"x"}, flaky); !errors.Is(err, boom) {
		t.Fatalf("got %v", err)
	}
	down = false
	if _, err := failing.do(context.Background(), []string{"y"}, flaky); err != nil || !synced["y"] {
		t.Fatalf("after a failed pass: %v", err)
	}
	// A job that stops waiting returns its context's error; the pass goes on.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := q.do(ctx, []string{"z"}, syncPass); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v", err)
	}
}
