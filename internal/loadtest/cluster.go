package loadtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Sample is one request of the season simulation, for the latency-over-time
// chart: the simulated day (0 while the cast is made), what kind of request,
// its answer and how long it took.
type Sample struct {
	Day     int
	Kind    string
	Status  int
	Latency time.Duration
}

// Cluster sends requests to whichever replica is up, as a load balancer
// would: a request that got no answer, or 503 (a dependency restarting), is
// sent again to the next replica, with the same Idempotency-Key; 429 waits
// for its Retry-After. It records every answer and every 5xx other than 503.
type Cluster struct {
	client   *http.Client
	mu       sync.Mutex
	urls     []string
	next     int
	day      int
	samples  []Sample
	problems []string
}

// NewCluster spreads requests over the replicas at urls.
func NewCluster(client *http.Client, urls ...string) *Cluster {
	return &Cluster{client: client, urls: urls}
}

// Add puts a replica into the rotation.
func (c *Cluster) Add(url string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.urls = append(c.urls, url)
}

// Remove takes a replica out of the rotation (before it is killed, as a
// load balancer's health check would soon after).
func (c *Cluster) Remove(url string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, u := range c.urls {
		if u == url {
			c.urls = append(c.urls[:i:i], c.urls[i+1:]...)
			return
		}
	}
}

// URLs are the replicas in the rotation now.
func (c *Cluster) URLs() []string { return copyLocked(c, &c.urls) }

// rotation is the replicas in the order this request tries them.
func (c *Cluster) rotation() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.next++
	out := make([]string, len(c.urls))
	for i := range c.urls {
		out[i] = c.urls[(c.next+i)%len(c.urls)]
	}
	return out
}

func (c *Cluster) setDay(d int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.day = d
}

func (c *Cluster) record(kind string, status int, d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.samples = append(c.samples, Sample{Day: c.day, Kind: kind, Status: status, Latency: d})
}

// Samples are every answer so far.
func (c *Cluster) Samples() []Sample { return copyLocked(c, &c.samples) }

// Problems are the 5xx answers (other than 503) so far: each one is a bug.
func (c *Cluster) Problems() []string { return copyLocked(c, &c.problems) }

// copyLocked copies one of c's lists while holding its lock.
func copyLocked[T any](c *Cluster, list *[]T) []T {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]T(nil), *list...)
}

// Call sends one request until some replica answers other than 503 (for up
// to two minutes) and returns the status and the decoded JSON body.
func (c *Cluster) Call(ctx context.Context, kind, method, path, token string, body any, key string) (int, map[string]any, error) {
	var raw []byte
	if body != nil {
		raw, _ = json.Marshal(body)
	}
	deadline := time.Now().Add(2 * time.Minute)
	for {
		for _, base := range c.rotation() {
			var rd io.Reader
			if raw != nil {
				rd = bytes.NewReader(raw)
			}
			req, err := http.NewRequestWithContext(ctx, method, base+path, rd)
			if err != nil {
				return 0, nil, err
			}
			if rd != nil {
				req.Header.Set("Content-Type", "application/json")
			}
			if token != "" {
				req.Header.Set("Authorization", "Bearer "+token)
			}
			if key != "" {
				req.Header.Set("Idempotency-Key", key)
			}
			t0 := time.Now()
			res, err := c.client.Do(req)
			if err != nil {
				if ctx.Err() != nil {
					return 0, nil, ctx.Err()
				}
				continue // that replica is gone: the next one
			}
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			c.record(kind, res.StatusCode, time.Since(t0))
			switch {
			case res.StatusCode == http.StatusServiceUnavailable:
				continue
			case res.StatusCode == http.StatusTooManyRequests:
				// Many accounts made from one address: wait as asked.
				wait, _ := strconv.Atoi(res.Header.Get("Retry-After"))
				time.Sleep(time.Duration(max(1, wait)) * time.Second)
				continue
			case res.StatusCode >= 500:
				c.mu.Lock()
				c.problems = append(c.problems, fmt.Sprintf("%s %s answered %d: %s", method, path, res.StatusCode, b))
				c.mu.Unlock()
			}
			var m map[string]any
			_ = json.Unmarshal(b, &m)
			return res.StatusCode, m, nil
		}
		if time.Now().After(deadline) {
			return 0, nil, fmt.Errorf("%s %s: no replica answered for two minutes", method, path)
		}
		select {
		case <-ctx.Done():
			return 0, nil, ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// Must is Call that wants one status.
func (c *Cluster) Must(ctx context.Context, want int, kind, method, path, token string, body any) (map[string]any, error) {
	st, m, err := c.Call(ctx, kind, method, path, token, body, "")
	if err != nil {
		return nil, err
	}
	if st != want {
		return nil, fmt.Errorf("%s %s: %d, want %d: %v", method, path, st, want, m)
	}
	return m, nil
}
