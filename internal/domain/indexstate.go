package domain

// OutboxState is what /readyz and the metrics report.
type OutboxState struct {
	Pending    int64   `json:"pending"`
	LagSeconds float64 `json:"lag_seconds"`
	Failing    int64   `json:"failing"`
}

// SearchIndexState is what a cache of search results watches.
type SearchIndexState struct {
	// Generation changes whenever the index does.
	Generation int64
	// LagSeconds is the age of the oldest index change not yet delivered.
	LagSeconds float64
	// Short is SearchHeal.IndexShort of the self-heal's last check.
	Short bool
}

// IndexShort reports whether a heal state says the live index is short:
// checked short and sent to a rebuild that has not ended in a whole index.
func (h SearchHeal) IndexShort() bool {
	return h.Documents < h.Searchable && (h.Outcome == HealRebuild || h.Outcome == HealRebuildFail)
}

// MailQueueState is what the metrics report of the mail queue: what an
// operator alerts on when the SMTP server is in trouble (readiness ignores
// it: mail waits in the queue, and the site serves on).
type MailQueueState struct {
	// Pending counts the mail jobs not finished yet.
	Pending int64
	// Retrying counts those whose last try failed: waiting to be tried again.
	Retrying int64
	// OldestRetryingSeconds is the age of the oldest of them (0: none).
	OldestRetryingSeconds float64
	// Discarded counts the mail jobs the queue gave up on (every try
	// failed), until staff retry them in the queue UI or River's cleaner
	// deletes them (after 7 days).
	Discarded int64
}
