package app

import (
	"context"
	"sync"
	"time"
)

// indexBatcher merges the index jobs of one process into passes, as a
// database merges commits: a job arriving while no pass runs starts one at
// once; jobs arriving while one runs join the next, which starts when it
// ends. A pass only locks, reads and hands Meilisearch its change; its jobs
// then wait for that change together, while the next pass is already
// gathering. Under a burst of approvals Meilisearch gets a few large tasks
// instead of one per opening.
type indexBatcher struct {
	mu      sync.Mutex
	running bool
	next    *indexPass
}

// indexPass is the openings of the jobs that joined one pass, and its
// outcome: how to wait for its change, or why it failed.
type indexPass struct {
	ids  []string
	done chan struct{}
	wait func(context.Context) error
	err  error
}

// passTimeout bounds one pass (locks, a read, one request to Meilisearch),
// well below River's one-minute job timeout.
const passTimeout = 30 * time.Second

// queueFunc is a pass's work: it hands the change for ids to Meilisearch
// and returns how to wait until it is applied.
type queueFunc func(ctx context.Context, ids []string) (wait func(context.Context) error, err error)

// do puts ids in the next pass and returns that pass's outcome, or ctx's
// error if the caller stops waiting (the pass goes on: a job retried later
// finds its openings already synced, which is harmless). Every call on one
// batcher passes the same queue function: a pass runs with the one its
// first caller gave.
func (q *indexBatcher) do(ctx context.Context, ids []string, queue queueFunc) (wait func(context.Context) error, err error) {
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
		go q.drain(queue)
	}
	select {
	case <-p.done:
		return p.wait, p.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// drain runs passes until no job waits for one.
func (q *indexBatcher) drain(queue queueFunc) {
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
		p.wait, p.err = queue(ctx, p.ids)
		cancel()
		close(p.done)
	}
}
