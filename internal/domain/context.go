package domain

import "context"

type ctxKey int

const requestIDKey ctxKey = 1

// WithRequestID returns ctx carrying the request ID, so that audit rows and
// logs written deep in a unit of work can name the request.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey, id)
}

// RequestID returns the request ID in ctx, or "".
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}
