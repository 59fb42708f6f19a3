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
//
// Access tokens live minutes (the API's rule); a season lasts an hour. As a
// real client does, the cluster renews a session with its refresh token when
// its access token is refused, and signs later requests with the new one:
// callers keep a session's first access token as its handle (Remember).
type Cluster struct {
	client   *http.Client
	mu       sync.Mutex
	urls     []string
	next     int
	day      int
	samples  []Sample
	problems []string
	sessions map[string]*session // by the session's first access token
}

// session is one signed-in account's current token pair. mu keeps two
// requests refused at once from both renewing: the API revokes a session
// whose refresh token is used twice.
type session struct {
	mu              sync.Mutex
	access, refresh string
}

// Remember keeps a session's refresh token, so that requests made with its
// access token (the handle) go on after that token expires.
func (c *Cluster) Remember(access, refresh string) {
	if access == "" || refresh == "" {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.sessions == nil {
		c.sessions = map[string]*session{}
	}
	c.sessions[access] = &session{access: access, refresh: refresh}
}

func (c *Cluster) session(handle string) *session {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sessions[handle]
}

// bearer is the access token to send for handle.
func (c *Cluster) bearer(handle string) string {
	if s := c.session(handle); s != nil {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.access
	}
	return handle
}

// renew replaces the session's access token refused (unless another
// request already did) through POST /auth/refresh. False: not a session
// the cluster knows, or the refresh failed.
func (c *Cluster) renew(ctx context.Context, handle, refused string) bool {
	s := c.session(handle)
	if s == nil {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.access != refused {
		return true
	}
	m, err := c.Must(ctx, http.StatusOK, "setup", "POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": s.refresh})
	if err != nil {
		return false
	}
	s.access, _ = m["access_token"].(string)
	s.refresh, _ = m["refresh_token"].(string)
	return s.access != ""
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
	renewed := false
	for {
		for _, base := range c.rotation() {
			bearer := c.bearer(token)
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
			if bearer != "" {
				req.Header.Set("Authorization", "Bearer "+bearer)
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
			case res.StatusCode == http.StatusUnauthorized && token != "" && !renewed:
				// The access token expired: renew the session once and send again.
				if renewed = c.renew(ctx, token, bearer); renewed {
					continue
				}
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
