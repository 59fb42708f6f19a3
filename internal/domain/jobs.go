package domain

import "time"

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
	// JobSendMail renders and sends one mail (Job.Mail); a send key makes
	// sending it again a no-op.
	JobSendMail JobKind = "send_mail"
	// JobPasswordReset answers a password-reset request (Job.Email): when
	// the address is registered, it makes a reset token and queues its
	// mail. Doing this in a job makes the request itself the same work for
	// every address, so its timing tells nothing.
	JobPasswordReset JobKind = "password_reset_request"
	// JobAlertDigests queues the digest mails of the saved searches named
	// (Job.IDs) that are still due, in one transaction. The mail sweep
	// hands the due digests out in such batches, so a process killed
	// mid-sweep leaves the batches not started for any replica to run at
	// once, and a batch run twice queues nothing twice.
	JobAlertDigests JobKind = "alert_digests"
)

// JobTimeout is how long a job may run before River cancels it (and
// retries it later). A job still running after it belongs to a process
// that died, until River's rescuer makes it available again.
const JobTimeout = time.Minute

// Job is background work that a change asks for. It is inserted in the
// transaction of the change, so the change and the promise to do the work
// commit together or not at all.
type Job struct {
	Kind JobKind
	// IDs are what the work is about: opening IDs for the two kinds above,
	// saved-search IDs for JobAlertDigests.
	IDs []string
	// Mail is the mail of a JobSendMail.
	Mail *MailRequest
	// Email is the address of a JobPasswordReset.
	Email string
}

// Job queues. Index work has its own queue so that how far the search index
// lags behind Postgres can be read from the queue alone.
const (
	QueueIndex   = "index"
	QueueAlerts  = "alerts"
	QueueDefault = "default"
	// QueueMail holds mail jobs, so a slow SMTP server delays no other work.
	QueueMail = "mail"
)

// Queue is the queue a kind of job runs in.
func (k JobKind) Queue() string {
	switch k {
	case JobIndexOpenings:
		return QueueIndex
	case JobOpeningAlerts:
		return QueueAlerts
	case JobSendMail, JobPasswordReset, JobAlertDigests:
		return QueueMail
	}
	return QueueDefault
}
