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
