package domain

import "time"

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
	// Outdated is how many documents were built by an older release, in
	// an older shape (search.DocumentVersion).
	Outdated int64
}

// HealOutcome is what one self-heal check found and did.
type HealOutcome string

const (
	HealOK          HealOutcome = "ok"           // the index equals Postgres
	HealSettings    HealOutcome = "settings"     // settings re-applied
	HealRebuild     HealOutcome = "rebuild"      // rebuilt into a fresh index
	HealSearchDown  HealOutcome = "search_down"  // Meilisearch unreachable: nothing to do yet
	HealRebuildFail HealOutcome = "rebuild_fail" // the rebuild stopped with an error
)

// SearchHeal is the self-heal's state as every replica sees it: the last
// check, and the last rebuild (running, or how it ended).
type SearchHeal struct {
	CheckedAt  *time.Time  `json:"checked_at"`
	Outcome    HealOutcome `json:"outcome"`
	Documents  int64       `json:"documents"`
	Searchable int64       `json:"searchable"`
	Running    bool        `json:"running"`
	Done       int64       `json:"done"`
	Total      int64       `json:"total"`
	StartedAt  *time.Time  `json:"started_at"`
	ProgressAt *time.Time  `json:"progress_at"`
	FinishedAt *time.Time  `json:"finished_at"`
	Rebuilds   int64       `json:"rebuilds"`
}

// HealStalled is how long a rebuild may go without progress before it is
// taken for one whose replica died: the queue rescues its job after two
// minutes, and a live rebuild reports every batch.
const HealStalled = 2 * time.Minute

// Rebuilding reports whether a rebuild is under way at now: marked running
// and heard from within HealStalled.
func (h SearchHeal) Rebuilding(now time.Time) bool {
	return h.Running && h.ProgressAt != nil && now.Sub(*h.ProgressAt) < HealStalled
}

// IndexShort reports whether a heal state says the live index is short:
// sent to a rebuild (or one that failed) by a check that counted fewer
// than nine in ten of the openings Postgres holds. A few missing (a
// difference in a sample, an upgrade's rebuild while approvals are on
// their way) leave searches on the index: the Postgres fallback would take
// every search of every replica for the rebuild's minutes.
func (h SearchHeal) IndexShort() bool {
	return (h.Outcome == HealRebuild || h.Outcome == HealRebuildFail) && h.Documents*10 < h.Searchable*9
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
	// OldestUntakenSeconds is how long the oldest mail job that is due has
	// waited for a process to take it (0: none). Only processes with a
	// mail server take mail (jobs.Config.SendsMail): with none running,
	// mail waits untried, no try fails, and only this shows it.
	OldestUntakenSeconds float64
	// Discarded counts the mail jobs the queue gave up on (every try
	// failed), until staff retry them in the queue UI or River's cleaner
	// deletes them (after 7 days).
	Discarded int64
	// LastDiscardedUnix is when the queue gave up on the newest of them
	// (Unix seconds; 0 when none is kept): an alert on the time since it
	// fires on a new discard and stops by itself while the mail is kept.
	LastDiscardedUnix float64
}

// SystemStatus is what the staff status page shows of the search side:
// whether Meilisearch answers, how the index compares with Postgres, the
// queue of index jobs, and the self-heal.
type SystemStatus struct {
	SearchUp   bool
	Index      IndexCheck
	Searchable int64
	Jobs       OutboxState
	Heal       SearchHeal
}
