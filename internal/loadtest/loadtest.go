// Package loadtest measures gradzone under load on this machine: a
// closed-loop load generator (N workers, each sending its next request when
// the last answered) that records every latency. `make bench` runs it
// through BenchmarkLoad; docs/benchmarks.md records the figures. It also
// plays the recruitment season of `gradzone loadtest season` (`make season`)
// and checks what the replicas answered against Postgres.
package loadtest

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Result summarises one measured scenario.
type Result struct {
	Name        string
	Concurrency int
	Requests    int
	// Errors counts failed requests; ErrorsBy splits them by answer: the
	// status code ("409"), or "no answer" for a transport failure.
	Errors   int
	ErrorsBy map[string]int
	P50, P99 time.Duration
	RPS      float64
}

func (r Result) String() string {
	return fmt.Sprintf("| %s | %d | %d | %.2f | %.2f | %.0f | %s |", r.Name, r.Concurrency, r.Requests,
		float64(r.P50.Microseconds())/1000, float64(r.P99.Microseconds())/1000, r.RPS, r.errorText())
}

// errorText is "0", or the count and its split: "23 (409×20, 422×3)".
func (r Result) errorText() string {
	if r.Errors == 0 {
		return "0"
	}
	keys := slices.Sorted(maps.Keys(r.ErrorsBy))
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s×%d", k, r.ErrorsBy[k])
	}
	return fmt.Sprintf("%d (%s)", r.Errors, strings.Join(parts, ", "))
}

// ServerErrors counts the requests answered 5xx: a benchmark with any has
// found a bug, whatever its speed.
func (r Result) ServerErrors() int {
	n := 0
	for k, c := range r.ErrorsBy {
		if strings.HasPrefix(k, "5") {
			n += c
		}
	}
	return n
}

// StatusError is a request answered with a status the scenario did not
// expect; Run counts failures by it.
type StatusError struct{ Status int }

func (e StatusError) Error() string { return fmt.Sprintf("status %d", e.Status) }

// errorKind names a failure for ErrorsBy.
func errorKind(err error) string {
	var se StatusError
	if errors.As(err, &se) {
		return strconv.Itoa(se.Status)
	}
	return "no answer"
}

// Header is the markdown table header matching Result.String.
const Header = "| scenario | clients | requests | p50 ms | p99 ms | req/s | errors |\n|---|---|---|---|---|---|---|"

// Run calls do from concurrency workers for d (or until max requests), and
// reports latencies. do gets the worker and request number and returns an
// error for a failed request; failures count but are not timed.
func Run(ctx context.Context, name string, concurrency int, d time.Duration, max int, do func(worker, i int) error) Result {
	var mu sync.Mutex
	var lat []time.Duration
	errs := map[string]int{}
	var wg sync.WaitGroup
	deadline := time.Now().Add(d)
	var count int
	start := time.Now()
	for w := 0; w < concurrency; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			var mine []time.Duration
			myErrs := map[string]int{}
			for i := 0; time.Now().Before(deadline) && ctx.Err() == nil; i++ {
				mu.Lock()
				if max > 0 && count >= max {
					mu.Unlock()
					break
				}
				count++
				mu.Unlock()
				t0 := time.Now()
				if err := do(w, i); err != nil {
					myErrs[errorKind(err)]++
					continue
				}
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			lat = append(lat, mine...)
			for k, n := range myErrs {
				errs[k] += n
			}
			mu.Unlock()
		}(w)
	}
	wg.Wait()
	elapsed := time.Since(start)
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	r := Result{Name: name, Concurrency: concurrency, Requests: len(lat), ErrorsBy: errs}
	for _, n := range errs {
		r.Errors += n
	}
	if n := len(lat); n > 0 {
		r.P50 = lat[n*50/100]
		r.P99 = lat[min(n-1, n*99/100)]
		r.RPS = float64(n) / elapsed.Seconds()
	}
	return r
}
