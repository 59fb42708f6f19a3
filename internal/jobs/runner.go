package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertype"
	"riverqueue.com/riverui"

	"github.com/gradzone/gradzone/internal/app"
	"github.com/gradzone/gradzone/internal/domain"
)

// Work is what the workers run: app.Background implements it.
type Work interface {
	// ApplySearchSettings applies the index settings; checkNow asks for the
	// index check at once (the index had to be made).
	ApplySearchSettings(ctx context.Context) (checkNow bool, err error)
	SyncOpenings(ctx context.Context, ids []string) error
	SendAlerts(ctx context.Context, openingIDs []string) (waiting []string, err error)
	FlagStaleApplications(ctx context.Context) error
	RemindReports(ctx context.Context) error
	// MailSweep queues the reminders and digests that are due (the alert
	// digests as AlertDigestsArgs batches).
	MailSweep(ctx context.Context) error
	// QueueAlertDigests queues the digests of one batch of saved searches.
	QueueAlertDigests(ctx context.Context, ids []string) error
	// SendMail sends req once per key.
	SendMail(ctx context.Context, key string, req domain.MailRequest) error
	// PasswordResetRequested answers a reset request; key names the request.
	PasswordResetRequested(ctx context.Context, key, email string) error
	// HealSearch checks the index against Postgres and repairs it.
	HealSearch(ctx context.Context) error
	// ExpireResumes deletes the résumés of long-inactive graduates.
	ExpireResumes(ctx context.Context) error
	// ForgetIdempotencyKeys deletes the records of keys past their window.
	ForgetIdempotencyKeys(ctx context.Context) error
}

// Config tunes a Runner.
type Config struct {
	DatabaseURL string
	// MaxConns caps the queue's own pool (workers, LISTEN, the leader's
	// maintenance); 12 unless set.
	MaxConns int
	// PollInterval is how often an idle queue looks for jobs when no
	// notification wakes it (River wakes on LISTEN/NOTIFY at once).
	PollInterval time.Duration
	// SweepEvery is the period of the sweeps (stale applications, report
	// reminders); one hour unless set.
	SweepEvery time.Duration
	// HealEvery is the period of the search index check (HealSearch); 30
	// seconds unless set.
	HealEvery time.Duration
	// MailSweepEvery is the period of the mail sweep (interview reminders,
	// digests, report mails); 5 minutes unless set. Each sweep queues only
	// what is due and not queued yet, so the period is how late a
	// reminder may be, not how often it is sent.
	MailSweepEvery time.Duration
	// SendsMail: this process has a mail server. One without leaves the
	// mail queue to the processes that have one, rather than failing
	// mails and spending their tries; with none, mail waits in the queue
	// until one starts (gradzone_mail_oldest_untaken_seconds in /metrics,
	// and the GradzoneMailUntaken alert, show it).
	SendsMail bool
	Log       *slog.Logger
}

// Runner works the job queue in this process. Every replica runs one;
// River elects one leader among them for the periodic sweeps and the
// clean-up of finished jobs.
type Runner struct {
	pool   *pgxpool.Pool
	client *river.Client[pgx.Tx]
	log    *slog.Logger
}

// NewRunner connects (a small pool of its own: workers, LISTEN and the
// leader's maintenance) and registers the workers. Call Start, then Stop.
func NewRunner(ctx context.Context, cfg Config, work Work) (*Runner, error) {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	pcfg, err := pgxpool.ParseConfig(cfg.DatabaseURL)
	if err != nil {
		return nil, fmt.Errorf("jobs: database url: %w", err)
	}
	pcfg.MaxConns = 12
	if cfg.MaxConns > 0 {
		pcfg.MaxConns = int32(cfg.MaxConns)
	}
	pool, err := pgxpool.NewWithConfig(ctx, pcfg)
	if err != nil {
		return nil, fmt.Errorf("jobs: connect: %w", err)
	}
	workers := river.NewWorkers()
	addWorkers(workers, work, pool)
	poll := cfg.PollInterval
	if poll <= 0 {
		poll = time.Second
	}
	every := cfg.SweepEvery
	if every <= 0 {
		every = time.Hour
	}
	mailEvery := cfg.MailSweepEvery
	if mailEvery <= 0 {
		mailEvery = 5 * time.Minute
	}
	// A sweep is unique within its period, so a leader elected mid-period
	// (RunOnStart) does not sweep twice.
	sweepEvery := func(args river.JobArgs, every time.Duration) *river.PeriodicJob {
		return river.NewPeriodicJob(river.PeriodicInterval(every), func() (river.JobArgs, *river.InsertOpts) {
			return args, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: every}}
		}, &river.PeriodicJobOpts{RunOnStart: true, ID: args.Kind()})
	}
	sweep := func(args river.JobArgs) *river.PeriodicJob { return sweepEvery(args, every) }
	queues := map[string]river.QueueConfig{
		domain.QueueDefault: {MaxWorkers: 2},
		// Index jobs mostly wait for Meilisearch, holding no
		// connection meanwhile; many waiting at once let it apply
		// their changes in one batch. The count bounds how many
		// openings can be on their way into the index at once: a
		// task on a national index takes seconds, and with 32
		// workers approvals at 250/s queued for minutes (make bench).
		domain.QueueIndex:  {MaxWorkers: 2000},
		domain.QueueAlerts: {MaxWorkers: 2},
	}
	if cfg.SendsMail {
		// Mail waits on the SMTP server, not on this machine. Each
		// worker keeps its SMTP connection open (internal/mail keeps
		// as many), and River fetches at most once per FetchCooldown,
		// so the worker count also caps the mails per fetch.
		queues[domain.QueueMail] = river.QueueConfig{MaxWorkers: 16}
	}
	client, err := river.NewClient(riverpgxv5.New(pool), &river.Config{
		Queues:  queues,
		Workers: workers,
		PeriodicJobs: []*river.PeriodicJob{sweep(StaleApplicationsArgs{}), sweep(ReportRemindersArgs{}),
			sweepEvery(MailSweepArgs{}, mailEvery), healJob(cfg.HealEvery), sweep(ResumeRetentionArgs{})},
		// A job still "running" after RescueStuckJobsAfter belonged to a
		// process that died (kill -9, a lost machine): the leader makes it
		// available again. River's default is an hour; the outbox's claim
		// was released at once, so keep this short, above JobTimeout (a
		// live job is cancelled at JobTimeout and retried).
		JobTimeout:           domain.JobTimeout,
		RescueStuckJobsAfter: 2 * time.Minute,
		FetchPollInterval:    poll,
		FetchCooldown:        min(poll, river.FetchCooldownDefault),
		Logger:               cfg.Log,
	})
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("jobs: %w", err)
	}
	return &Runner{pool: pool, client: client, log: cfg.Log}, nil
}

// startAttempts bounds Start's tries: 6 × River's 10 s.
const startAttempts = 6

// Start begins working jobs and queues this process's index-settings job.
//
// River gives each queue's first query at start 10 s, not configurable; a
// busy database can take longer (CI's whole -race suite did). A start that
// timed out leaves River stopped, so it is tried again, up to startAttempts
// times, unless ctx ended.
//
// The runner works until Stop. River takes the end of the context it was
// started with for a hard stop that cancels running jobs, and serve's
// context ends at SIGTERM, before Stop's grace: River gets one that does
// not end.
func (r *Runner) Start(ctx context.Context) error {
	var err error
	for range startAttempts {
		if err = r.client.Start(context.WithoutCancel(ctx)); err == nil || !errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil {
			break
		}
		r.log.Warn("job queue start timed out; trying again", "err", err)
	}
	if err != nil {
		return fmt.Errorf("jobs: start: %w", err)
	}
	if _, err := r.client.Insert(ctx, IndexSettingsArgs{}, nil); err != nil {
		return fmt.Errorf("jobs: queue index settings: %w", err)
	}
	return nil
}

// Stop lets running jobs finish (up to ctx's deadline, then cancels them;
// a cancelled job is retried).
func (r *Runner) Stop(ctx context.Context) error {
	err := r.client.Stop(ctx)
	if err != nil {
		err = r.client.StopAndCancel(context.WithoutCancel(ctx))
	}
	return err
}

// Close closes the Runner's connections; call it after Stop.
func (r *Runner) Close() { r.pool.Close() }

// UI returns River's web UI (riverqueue.com/riverui) mounted at prefix,
// running until ctx ends. The caller puts it behind staff sign-in.
func (r *Runner) UI(ctx context.Context, prefix string) (http.Handler, error) {
	h, err := riverui.NewHandler(&riverui.HandlerOpts{
		Endpoints: riverui.NewEndpoints(r.client, nil),
		Logger:    r.log,
		Prefix:    prefix,
	})
	if err != nil {
		return nil, fmt.Errorf("jobs: ui: %w", err)
	}
	if err := h.Start(ctx); err != nil {
		return nil, fmt.Errorf("jobs: ui: %w", err)
	}
	return h, nil
}

// healJob queues the search index check every period (30 s by default),
// the first one period after start (at start the index-settings job is
// still creating the index: not a fault to repair), on the leader only: one replica checks, and at most one check is queued
// or running at a time, so a rebuild longer than the period is not started
// twice.
func healJob(every time.Duration) *river.PeriodicJob {
	if every <= 0 {
		every = 30 * time.Second
	}
	// Unique per period, not while running: a check orphaned by a process
	// that died stays "running" until the rescuer takes it back (after its
	// 30-minute timeout), and uniqueness while running stopped every check
	// meanwhile (a fresh-clone TestSeason). Two checks never rebuild at
	// once: the rebuild's advisory lock sends the second away.
	return river.NewPeriodicJob(river.PeriodicInterval(every), func() (river.JobArgs, *river.InsertOpts) {
		return SearchHealArgs{}, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: every}}
	}, &river.PeriodicJobOpts{ID: SearchHealArgs{}.Kind()})
}

// healWorker runs the check; a rebuild of a national index takes minutes,
// longer than the queue's one-minute job timeout.
type healWorker struct {
	river.WorkerDefaults[SearchHealArgs]
	work Work
}

func (w *healWorker) Work(ctx context.Context, _ *river.Job[SearchHealArgs]) error {
	return w.work.HealSearch(ctx)
}

func (w *healWorker) Timeout(*river.Job[SearchHealArgs]) time.Duration { return 30 * time.Minute }

// backingOff is a worker whose failed jobs are retried on backoff's
// schedule (1 s doubling up to 5 min) rather than River's default (hours
// apart): every kind below waits on Meilisearch or the SMTP server, which
// come back within minutes.
type backingOff[T river.JobArgs] struct {
	river.WorkerDefaults[T]
	work func(ctx context.Context, job *river.Job[T]) error
}

func (w *backingOff[T]) Work(ctx context.Context, job *river.Job[T]) error { return w.work(ctx, job) }

func (w *backingOff[T]) NextRetry(job *river.Job[T]) time.Time {
	return time.Now().Add(backoff(job.Attempt - 1))
}

// addBackingOff registers work for T's kind as a backingOff worker.
func addBackingOff[T river.JobArgs](workers *river.Workers, work func(ctx context.Context, job *river.Job[T]) error) {
	river.AddWorker(workers, &backingOff[T]{work: work})
}

// addWorkers registers a worker for every job kind. The index, alert and
// settings jobs go through outcome, which snoozes them while Meilisearch is
// down instead of counting a failure.
func addWorkers(workers *river.Workers, work Work, pool *pgxpool.Pool) {
	addBackingOff(workers, func(ctx context.Context, job *river.Job[IndexOpeningsArgs]) error {
		return outcome(job, work.SyncOpenings(ctx, job.Args.IDs))
	})
	addBackingOff(workers, func(ctx context.Context, job *river.Job[OpeningAlertsArgs]) error {
		if err := gatherAlerts(ctx, pool); err != nil {
			return err
		}
		waiting, err := work.SendAlerts(ctx, job.Args.IDs)
		switch {
		case err != nil || len(waiting) == 0:
		case len(waiting) == len(job.Args.IDs):
			err = app.ErrNotIndexedYet // nothing else in it: the job waits as it is
		default:
			// The rest were alerted; those wait in a job of their own.
			_, err = river.ClientFromContext[pgx.Tx](ctx).Insert(ctx, OpeningAlertsArgs{IDs: waiting}, nil)
		}
		return outcome(job, err)
	})
	addBackingOff(workers, func(ctx context.Context, job *river.Job[IndexSettingsArgs]) error {
		checkNow, err := work.ApplySearchSettings(ctx)
		if err == nil && checkNow {
			_, err = river.ClientFromContext[pgx.Tx](ctx).Insert(ctx, SearchHealArgs{}, nil)
		}
		return outcome(job, err)
	})
	// A mail's send key is the request's own key or else the job's ID,
	// which stays the same when River runs the job again.
	addBackingOff(workers, func(ctx context.Context, job *river.Job[SendMailArgs]) error {
		key := job.Args.Mail.Key
		if key == "" {
			key = fmt.Sprintf("job:%d", job.ID)
		}
		return outcome(job, work.SendMail(ctx, key, job.Args.Mail))
	})
	addBackingOff(workers, func(ctx context.Context, job *river.Job[AlertDigestsArgs]) error {
		return work.QueueAlertDigests(ctx, job.Args.IDs)
	})
	addBackingOff(workers, func(ctx context.Context, job *river.Job[PasswordResetArgs]) error {
		return work.PasswordResetRequested(ctx, fmt.Sprintf("reset:%d", job.ID), job.Args.Email)
	})
	river.AddWorker(workers, &healWorker{work: work})
	river.AddWorker(workers, river.WorkFunc(func(ctx context.Context, _ *river.Job[StaleApplicationsArgs]) error {
		return work.FlagStaleApplications(ctx)
	}))
	river.AddWorker(workers, river.WorkFunc(func(ctx context.Context, _ *river.Job[ReportRemindersArgs]) error {
		return work.RemindReports(ctx)
	}))
	river.AddWorker(workers, &mailSweepWorker{work: work})
	river.AddWorker(workers, &retentionWorker{work: work})
}

// retentionWorker runs the retention: the résumés of inactive graduates,
// and the idempotency keys past their window. Its first run on a national
// database may delete many thousands of files, longer than the queue's
// one-minute job timeout (each pass is its own transaction: a run cut short
// loses nothing, the next continues).
type retentionWorker struct {
	river.WorkerDefaults[ResumeRetentionArgs]
	work Work
}

func (w *retentionWorker) Work(ctx context.Context, _ *river.Job[ResumeRetentionArgs]) error {
	return errors.Join(w.work.ExpireResumes(ctx), w.work.ForgetIdempotencyKeys(ctx))
}

func (w *retentionWorker) Timeout(*river.Job[ResumeRetentionArgs]) time.Duration {
	return 30 * time.Minute
}

// mailSweepWorker runs the mail sweep. It takes seconds even with tens of
// thousands of digests due, because it only hands them out in batches
// (AlertDigestsArgs), so it keeps the queue's one-minute timeout: a sweep
// killed mid-way is rescued after RescueStuckJobsAfter, not after a long
// timeout, and the batches it handed out run at once on any replica.
type mailSweepWorker struct {
	river.WorkerDefaults[MailSweepArgs]
	work Work
}

func (w *mailSweepWorker) Work(ctx context.Context, _ *river.Job[MailSweepArgs]) error {
	return w.work.MailSweep(ctx)
}

// alertsGathered is how many openings gatherAlerts puts in one job.
// A pass over the saved searches costs about the same for one opening as
// for fifty (BenchmarkOpeningAlerts), and a review day queues a job per
// approval; a hundred openings keep one pass well inside the job timeout.
const alertsGathered = 100

// gatherAlerts replaces alert jobs waiting in the queue with one job for
// their openings, at most alertsGathered of them, in one transaction, so
// none is lost and each pass over the saved searches serves many
// approvals. It counts openings, not jobs: a gathered job waiting behind a
// backlog is gathered again, and counting jobs made the tail of a review
// day one job of every opening, a pass past the job timeout. The new job
// waits its turn as any job does (the queue's other worker takes it at
// once).
func gatherAlerts(ctx context.Context, pool *pgxpool.Pool) error {
	client := river.ClientFromContext[pgx.Tx](ctx)
	tx, err := pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback(ctx) }() // a no-op once committed
	listed, err := client.JobListTx(ctx, tx, river.NewJobListParams().
		Kinds(OpeningAlertsArgs{}.Kind()).States(rivertype.JobStateAvailable).First(alertsGathered))
	if err != nil {
		return err
	}
	// The oldest first, each whose openings still fit in the one job.
	var pick []int64
	seen := map[string]bool{}
	openingsOf := map[int64][]string{}
	for _, j := range listed.Jobs {
		var args OpeningAlertsArgs
		if err := json.Unmarshal(j.EncodedArgs, &args); err != nil {
			return fmt.Errorf("jobs: alert job %d: %w", j.ID, err)
		}
		openingsOf[j.ID] = args.IDs
		var fresh []string
		for _, id := range args.IDs {
			if !seen[id] && !slices.Contains(fresh, id) {
				fresh = append(fresh, id)
			}
		}
		if len(seen)+len(fresh) > alertsGathered {
			continue
		}
		for _, id := range fresh {
			seen[id] = true
		}
		pick = append(pick, j.ID)
	}
	if len(pick) < 2 {
		return nil // one alone stays as it was
	}
	// Only those still waiting: another worker may have taken or gathered
	// some meanwhile.
	waiting, err := client.JobDeleteManyTx(ctx, tx, river.NewJobDeleteManyParams().IDs(pick...).
		States(rivertype.JobStateAvailable).First(len(pick)))
	if err != nil || len(waiting.Jobs) < 2 {
		return err // the rollback puts back the one deleted
	}
	var ids []string
	got := map[string]bool{}
	for _, j := range waiting.Jobs {
		for _, id := range openingsOf[j.ID] {
			if !got[id] {
				got[id] = true
				ids = append(ids, id)
			}
		}
	}
	if _, err := client.InsertTx(ctx, tx, OpeningAlertsArgs{IDs: ids}, nil); err != nil {
		return err
	}
	return tx.Commit(ctx)
}
