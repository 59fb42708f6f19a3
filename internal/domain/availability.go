package domain

// UnavailableRetryAfter is the Retry-After, in seconds, of a request refused
// because a dependency is down: long enough not to hammer a restarting
// database, short enough that a client retrying sees it come back.
const UnavailableRetryAfter = 5

// ErrUnavailable answers a request that needs a dependency (Postgres,
// Meilisearch) that does not answer right now: 503 with Retry-After. It is
// not the client's fault and not a bug, so it is never a 500.
var ErrUnavailable = &Error{Code: CodeUnavailable, Message: "the service is briefly unavailable; retry shortly", RetryAfter: UnavailableRetryAfter}

// IndexCheck is what the search self-heal learns about the index.
type IndexCheck struct {
	// Exists is false when the index is gone (Meilisearch lost its data).
	Exists bool
	// SettingsOK says the filterable, sortable and searchable fields and
	// the ranking rules are the code's (an index re-created by a document
	// write has Meilisearch's defaults, and every filtered search fails).
	SettingsOK bool
	// Documents is the number of documents in the index.
	Documents int64
}
