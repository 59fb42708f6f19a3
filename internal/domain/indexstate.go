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
