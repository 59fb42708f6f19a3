package domain

import (
	"context"
	"errors"
)

// ctxKey is the key of one value a request carries in its context; T is
// the value's type, so the code that puts it there and the code that reads
// it cannot disagree about it.
type ctxKey[T any] int

// The values a request carries in its context.
const (
	requestIDKey ctxKey[string] = 1
	clientKey    ctxKey[Client] = 2
	operatorKey  ctxKey[string] = 3
)

// with returns ctx carrying v under k.
func (k ctxKey[T]) with(ctx context.Context, v T) context.Context {
	return context.WithValue(ctx, k, v)
}

// of returns the value under k in ctx, or T's zero value.
func (k ctxKey[T]) of(ctx context.Context) T {
	v, _ := ctx.Value(k).(T)
	return v
}

// WithRequestID returns ctx carrying the request ID, so that audit rows and
// logs written deep in a unit of work can name the request.
func WithRequestID(ctx context.Context, id string) context.Context {
	return requestIDKey.with(ctx, id)
}

// RequestID returns the request ID in ctx, or "".
func RequestID(ctx context.Context) string { return requestIDKey.of(ctx) }

// WithOperator returns ctx carrying who runs an operator's command
// (`gradzone user … --by`, see CheckOperator), so that its audit lines name
// them: the command line has no session, so no actor.
func WithOperator(ctx context.Context, who string) context.Context {
	return operatorKey.with(ctx, who)
}

// Operator returns the operator in ctx, or "" (a request, a job).
func Operator(ctx context.Context) string { return operatorKey.of(ctx) }

// StatusClientGone is the HTTP status recorded for a request whose client
// went away before its answer (nginx's 499, "client closed request"): no
// one reads it, and it is no fault of the server's.
const StatusClientGone = 499

// ClientGone reports whether err comes from the request's client going
// away (the request's context canceled), not from a fault. The operation it
// cut short says so as context.Canceled or, where a driver closes its
// connection on a cancellation, as the store unavailable: pgx's database/sql
// driver calls a cancellation that came just before a statement a "bad
// connection".
func ClientGone(ctx context.Context, err error) bool {
	// Canceled, not a deadline: an inner time limit that meets an outage is
	// a fault to log, not a client gone (a review).
	return errors.Is(ctx.Err(), context.Canceled) && (errors.Is(err, context.Canceled) || errors.Is(err, ErrUnavailable))
}
