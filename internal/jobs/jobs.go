// Package jobs runs gradzone's background work on River
// (github.com/riverqueue/river), a job queue kept in Postgres. It is the
// only package that imports River: internal/postgres inserts jobs through
// its JobInserter interface inside the transaction of the change that asks
// for them, and the workers here call internal/app.Background, where the
// work itself lives.
//
// What River gives that the home-made outbox had to do itself: jobs are
// claimed with SKIP LOCKED, so every replica works safely; a job is marked
// done only after it ran, so a crash leaves it to be rescued and run again;
// failures are retried with backoff; periodic sweeps are enqueued by one
// elected leader; finished jobs are cleaned up; and River's UI shows every
// queue to ministry staff (/admin/queues).
package jobs

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"

	"github.com/gradzone/gradzone/internal/app"
	"github.com/gradzone/gradzone/internal/domain"
)

// maxAttempts bounds real failures (an outage of Meilisearch is waited out
// by snoozing, which does not count): at the 5-minute cap of the backoff,
// 10,000 attempts are about a month of a job failing before River gives up
// on it and it shows as discarded in the queue UI, where staff can retry it.
const maxAttempts = 10_000

// inIndexQueue, embedded in a kind's arguments, puts its jobs in the index
// queue.
type inIndexQueue struct{}

// InsertOpts implements river.JobArgsWithInsertOpts.
func (inIndexQueue) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: domain.QueueIndex, MaxAttempts: maxAttempts}
}

// IndexOpeningsArgs syncs the openings to the search index.
type IndexOpeningsArgs struct {
	inIndexQueue
	IDs []string `json:"ids"`
}

// Kind implements river.JobArgs.
func (IndexOpeningsArgs) Kind() string { return string(domain.JobIndexOpenings) }

// OpeningAlertsArgs sends saved-search alerts for newly published openings.
type OpeningAlertsArgs struct {
	IDs []string `json:"ids"`
}

// Kind implements river.JobArgs.
func (OpeningAlertsArgs) Kind() string { return string(domain.JobOpeningAlerts) }

// InsertOpts puts the job in the alerts queue.
func (OpeningAlertsArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: domain.QueueAlerts, MaxAttempts: maxAttempts}
}

// IndexSettingsArgs applies the index settings; each replica queues one
// when it starts, as the outbox worker applied them once per process.
type IndexSettingsArgs struct{ inIndexQueue }

// Kind implements river.JobArgs.
func (IndexSettingsArgs) Kind() string { return "index_settings" }

// SearchHealArgs checks the search index against Postgres (periodic).
type SearchHealArgs struct{}

// Kind implements river.JobArgs.
func (SearchHealArgs) Kind() string { return "search_heal" }

// InsertOpts puts the check in the default queue, one attempt: the next
// period checks again.
func (SearchHealArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: domain.QueueDefault, MaxAttempts: 1}
}

// StaleApplicationsArgs is the hourly sweep for applications waiting 7 days.
type StaleApplicationsArgs struct{}

// Kind implements river.JobArgs.
func (StaleApplicationsArgs) Kind() string { return "flag_stale_applications" }

// ReportRemindersArgs is the hourly sweep for monthly reports falling due.
type ReportRemindersArgs struct{}

// Kind implements river.JobArgs.
func (ReportRemindersArgs) Kind() string { return "remind_reports" }

// MailSweepArgs is the periodic sweep that queues reminders and digests
// (app.Background.MailSweep).
type MailSweepArgs struct{}

// Kind implements river.JobArgs.
func (MailSweepArgs) Kind() string { return "mail_sweep" }

// ResumeRetentionArgs is the hourly sweep that deletes the résumés of
// graduates inactive past the retention period (app.Background.ExpireResumes),
// and the idempotency keys past their window (ForgetIdempotencyKeys).
type ResumeRetentionArgs struct{}

// Kind implements river.JobArgs.
func (ResumeRetentionArgs) Kind() string { return "resume_retention" }

// mailAttempts bounds the retries of a mail: with the backoff capped at 5
// minutes, 25 attempts are about 1.5 hours of an SMTP server refusing,
// after which the job shows as discarded in the queue UI, where staff see
// the error and can retry it.
const mailAttempts = 25

// inMailQueue, embedded in a kind's arguments, puts its jobs in the mail
// queue, with mailAttempts.
type inMailQueue struct{}

// InsertOpts implements river.JobArgsWithInsertOpts.
func (inMailQueue) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: domain.QueueMail, MaxAttempts: mailAttempts}
}

// SendMailArgs sends one mail (domain.MailRequest).
type SendMailArgs struct {
	inMailQueue
	Mail domain.MailRequest `json:"mail"`
}

// Kind implements river.JobArgs.
func (SendMailArgs) Kind() string { return string(domain.JobSendMail) }

// PasswordResetArgs answers one password-reset request.
type PasswordResetArgs struct {
	inMailQueue
	Email string `json:"email"`
}

// Kind implements river.JobArgs.
func (PasswordResetArgs) Kind() string { return string(domain.JobPasswordReset) }

// AlertDigestsArgs queues the digests of a batch of saved searches
// (domain.JobAlertDigests). It is in the mail queue, so "the mail queue is
// idle" also means no digest is still waiting to be queued.
type AlertDigestsArgs struct {
	inMailQueue
	IDs []string `json:"ids"`
}

// Kind implements river.JobArgs.
func (AlertDigestsArgs) Kind() string { return string(domain.JobAlertDigests) }

// argsOf turns a domain job into River's job arguments.
func argsOf(j domain.Job) (river.JobArgs, error) {
	switch j.Kind {
	case domain.JobIndexOpenings:
		return IndexOpeningsArgs{IDs: j.IDs}, nil
	case domain.JobOpeningAlerts:
		return OpeningAlertsArgs{IDs: j.IDs}, nil
	case domain.JobSendMail:
		if j.Mail == nil {
			return nil, fmt.Errorf("jobs: %s without a mail", j.Kind)
		}
		return SendMailArgs{Mail: *j.Mail}, nil
	case domain.JobPasswordReset:
		return PasswordResetArgs{Email: j.Email}, nil
	case domain.JobAlertDigests:
		return AlertDigestsArgs{IDs: j.IDs}, nil
	}
	return nil, fmt.Errorf("jobs: unknown job kind %q", j.Kind)
}

// Inserter inserts jobs inside a database/sql transaction, the kind GORM
// runs (River's riverdatabasesql driver). It implements
// postgres.JobInserter. It only inserts: the Runner works the jobs.
type Inserter struct {
	client *river.Client[*sql.Tx]
}

// NewInserter returns an insert-only River client. It holds no
// connection: every insert uses the caller's transaction.
func NewInserter() (*Inserter, error) {
	c, err := river.NewClient(riverdatabasesql.New(nil), &river.Config{})
	if err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	return &Inserter{client: c}, nil
}

// InsertTx inserts jobs in tx.
func (i *Inserter) InsertTx(ctx context.Context, tx *sql.Tx, jobs []domain.Job) error {
	params := make([]river.InsertManyParams, 0, len(jobs))
	for _, j := range jobs {
		a, err := argsOf(j)
		if err != nil {
			return err
		}
		params = append(params, river.InsertManyParams{Args: a})
	}
	if len(params) == 0 {
		return nil
	}
	if _, err := i.client.InsertManyTx(ctx, tx, params); err != nil {
		return fmt.Errorf("jobs: insert: %w", err)
	}
	return nil
}

// backoff is the wait before retry n+1 — 1 s, 2 s, 4 s … capped at 5
// minutes — the outbox's schedule, faster at first than River's default
// (attempt⁴ seconds), which matters to an alert waiting for its opening to
// be indexed.
func backoff(n int) time.Duration {
	if n > 20 {
		return 5 * time.Minute
	}
	return min(time.Duration(math.Pow(2, float64(n)))*time.Second, 5*time.Minute)
}

// searchDownRecheck is the longest a job waiting for Meilisearch waits
// before it looks again, less up to a fifth at random so that jobs that
// began to wait together do not all look at once.
const searchDownRecheck = 10 * time.Second

// snoozes reads how often River has snoozed a job (its metadata's
// "snoozes", which River keeps).
func snoozes(metadata []byte) int {
	var m struct {
		Snoozes int `json:"snoozes"`
	}
	_ = json.Unmarshal(metadata, &m)
	return m.Snoozes
}

// outcome turns the work's error into River's: while Meilisearch is down
// (or an alert's opening is not indexed yet) the job is snoozed with the
// same backoff, bounded so it looks again soon after the engine is back,
// and a mail over its rate limit until its window ends — a snooze is not an
// attempt, so however long the outage, nothing is discarded and no error
// piles up on the job; a mail its address refused for good is cancelled;
// anything else is a failure, retried on the backoff schedule.
func outcome[T river.JobArgs](job *river.Job[T], err error) error {
	var throttled *domain.MailThrottled
	var refused *domain.MailRefused
	switch {
	case err == nil:
		return nil
	case errors.As(err, &throttled):
		// A mail over its rate limit waits for its window to end; the
		// queue UI shows it as scheduled meanwhile.
		return river.JobSnooze(throttled.Wait)
	case errors.As(err, &refused):
		// An address refused for good: another try cannot help. The queue
		// UI shows the job cancelled with the server's reply, not among the
		// discarded mails an operator is alerted to.
		return river.JobCancel(err)
	case errors.Is(err, app.ErrSearchDown):
		// Looked at again every searchDownRecheck at most: an ops probe's
		// index caught up 107 s after a 151 s outage ended, waiting out a
		// snooze that had doubled meanwhile. A look is one health check.
		return river.JobSnooze(min(backoff(snoozes(job.Metadata)), searchDownRecheck-time.Duration(rand.Int64N(int64(searchDownRecheck/5)))))
	case errors.Is(err, app.ErrNotIndexedYet):
		// Waiting for another job (the opening's index job), which runs
		// within seconds unless Meilisearch is down: look again soon.
		return river.JobSnooze(min(backoff(snoozes(job.Metadata)), 2*time.Second))
	}
	return err
}
