package app

import (
	"context"
	"sync"
	"time"
)

// indexBatcher merges the index jobs of one process into passes, as a
// database merges commits: a job arriving while no pass runs starts one at
// once; jobs arriving while one runs join the next, which starts when it
// ends. Under a burst of approvals Meilisearch then gets a few large tasks
// instead of one task (and one wait, one generation bump) per opening, and
// each job still returns only once its openings are in the index.
type indexBatcher struct {
	mu      sync.Mutex
	running bool
	next    *indexPass
}

// indexPass is the openings of the jobs that joined one pass.
type indexPass struct {
	ids  []string
	done chan struct{}
	err  error
}

// passTimeout bounds one pass, below River's one-minute job timeout.
const passTimeout = 50 * time.Second

// do syncs ids in the next pass and returns that pass's outcome, or
// ctx's error if the caller stops waiting (the pass goes on: a job retried
// later finds its openings already synced, which is harmless).
func (q *indexBatcher) do(ctx context.Context, ids []string, sync func(context.Context, []string) error) error {
	q.mu.Lock()
	if q.next == nil {
		q.next = &indexPass{done: make(chan struct{})}
	}
	p := q.next
	p.ids = append(p.ids, ids...)
	start := !q.running
	q.running = true
	q.mu.Unlock()
	if start {
		go q.drain(sync)
	}
	select {
	case <-p.done:
		return p.err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// drain runs passes until no job waits for one.
func (q *indexBatcher) drain(sync func(context.Context, []string) error) {
	for {
		q.mu.Lock()
		p := q.next
		q.next = nil
		if p == nil {
			q.running = false
			q.mu.Unlock()
			return
		}
		q.mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), passTimeout)
		p.err = sync(ctx, p.ids)
		cancel()
		close(p.done)
	}
}
