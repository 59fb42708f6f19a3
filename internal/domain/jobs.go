package domain

// JobKind names a kind of background work. Each is one entry here and one
// worker in internal/jobs.
type JobKind string

// The kinds of background work a change can ask for.
const (
	// JobIndexOpenings makes the search index agree with Postgres for the
	// openings named (re-reading their current state, so running it again
	// is harmless).
	JobIndexOpenings JobKind = "index_openings"
	// JobOpeningAlerts notifies graduates whose saved searches match the
	// newly published openings named.
	JobOpeningAlerts JobKind = "opening_alerts"
)

// Job is background work that a change asks for. It is inserted in the
// transaction of the change, so the change and the promise to do the work
// commit together or not at all.
type Job struct {
	Kind JobKind
	// IDs are what the work is about: opening IDs for the two kinds above.
	IDs []string
}

// Job queues. Index work has its own queue so that how far the search index
// lags behind Postgres can be read from the queue alone.
const (
	QueueIndex   = "index"
	QueueAlerts  = "alerts"
	QueueDefault = "default"
)

// Queue is the queue a kind of job runs in.
func (k JobKind) Queue() string {
	switch k {
	case JobIndexOpenings:
		return QueueIndex
	case JobOpeningAlerts:
		return QueueAlerts
	}
	return QueueDefault
}
