package domain

import (
	"context"
	"testing"
)

func TestContextValues(t *testing.T) {
	ctx := context.Background()
	if RequestID(ctx) != "" || ClientOf(ctx) != (Client{}) {
		t.Fatal("an empty context carries a value")
	}
	c := Client{Address: "203.0.113.7", UserAgent: "curl/8"}
	ctx = WithClient(WithRequestID(ctx, "req-1"), c)
	if got := RequestID(ctx); got != "req-1" {
		t.Errorf("request ID %q", got)
	}
	if got := ClientOf(ctx); got != c {
		t.Errorf("client %+v", got)
	}
	// Each value has its own key: a later one does not hide an earlier one.
	if got := RequestID(WithRequestID(ctx, "req-2")); got != "req-2" || ClientOf(WithRequestID(ctx, "req-2")) != c {
		t.Errorf("re-set request ID %q, client lost", got)
	}
}

// A request whose client left: its operation failed as canceled, or as the
// store unavailable (a driver that closed its connection on the cancel).
// A deadline that meets an outage is a fault, not a client gone (a review:
// the SQL log hid such outages at DEBUG).
func TestClientGone(t *testing.T) {
	live := context.Background()
	canceled, cancel := context.WithCancel(live)
	cancel()
	expired, stop := context.WithTimeout(live, 0)
	defer stop()
	<-expired.Done()
	for _, tc := range []struct {
		name string
		ctx  context.Context
		err  error
		want bool
	}{
		{"canceled, canceled", canceled, context.Canceled, true},
		{"canceled, unavailable", canceled, ErrUnavailable, true},
		{"canceled, a rule", canceled, ErrForbidden, false},
		{"live, canceled", live, context.Canceled, false},
		{"live, unavailable", live, ErrUnavailable, false},
		{"deadline, unavailable", expired, ErrUnavailable, false},
		{"deadline, deadline", expired, context.DeadlineExceeded, false},
	} {
		if got := ClientGone(tc.ctx, tc.err); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}
