package domain

// UnavailableRetryAfter is the Retry-After, in seconds, of a request refused
// because a dependency is down: long enough not to hammer a restarting
// database, short enough that a client retrying sees it come back.
const UnavailableRetryAfter = 5

// ErrUnavailable answers a request that needs a dependency (Postgres,
// Meilisearch) that does not answer right now: 503 with Retry-After. It is
// not the client's fault and not a bug, so it is never a 500.
var ErrUnavailable = &Error{Code: CodeUnavailable, Message: "the service is briefly unavailable; retry shortly", RetryAfter: UnavailableRetryAfter}
