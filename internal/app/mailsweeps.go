package app

// Mail that reaches people without their asking (issue 13): interview
// reminders, digests, zone report reminders and a province's 催报. The
// store decides what is due by its clock and queues each mail once; the
// mail pipeline (mail.go) decides, when sending, whether the recipient
// wants it (domain.MayReceive).

import (
	"context"
	"errors"

	"github.com/gradzone/gradzone/internal/domain"
)

// MailSweepStore is what the mail sweeps and the 催报 need from persistence.
type MailSweepStore interface {
	// InterviewReminders queues the reminders of interviews starting
	// within a day, once per interview and time.
	InterviewReminders(ctx context.Context) (int, error)
	// ApplicantDigests queues yesterday's applicant digest of each
	// employer that had applicants, once per employer and day.
	ApplicantDigests(ctx context.Context) (int, error)
	// AlertDigests hands the due daily and weekly saved-search digests to
	// JobAlertDigests jobs, in batches; it returns how many were due.
	AlertDigests(ctx context.Context) (int, error)
	// QueueAlertDigests queues the digests of the saved searches ids that
	// are still due, each once, in one transaction.
	QueueAlertDigests(ctx context.Context, ids []string) (int, error)
	// ReportMails queues "due in 3 days" and "overdue" report mails to
	// zone staff, once per zone, month and kind.
	ReportMails(ctx context.Context) (int, error)
}

// ChaseStore is the 催报's persistence.
type ChaseStore interface {
	// ChaseReports mails every zone of province that has not submitted
	// the month, once per zone and day. Errors: forbidden, not_found,
	// validation_failed.
	ChaseReports(ctx context.Context, c domain.Caller, province string, year, month int) (domain.ReportChase, error)
	// ReportChases is each zone's record of the chases of the month's
	// report, by zone code. Errors: forbidden, not_found.
	ReportChases(ctx context.Context, c domain.Caller, province string, year, month int) (map[string]domain.ChaseRecord, error)
}

// ReportChases is each zone of the province's record of chases for
// year-month: how often, and when last (a month-end walk: staff chased
// without knowing who had been chased already, and how often).
func (s *Service) ReportChases(ctx context.Context, c domain.Caller, province string, year, month int) (map[string]domain.ChaseRecord, error) {
	return s.Store.ReportChases(ctx, c, province, year, month)
}

// ChaseReports is a province's 催报 for year-month (this month when both
// are 0):
// it reminds every zone of the province (the caller's own, or for
// ministry staff the one given) that has not submitted. Errors:
// forbidden, not_found, validation_failed.
func (s *Service) ChaseReports(ctx context.Context, c domain.Caller, province string, year, month int) (domain.ReportChase, error) {
	if c.Level() == domain.LevelProvince && province == "" {
		province = c.ProvinceCode
	}
	if province == "" {
		return domain.ReportChase{}, domain.FieldError("province", "is required")
	}
	return s.Store.ChaseReports(ctx, c, province, year, month)
}

// MailSweep runs every mail sweep: interview reminders, applicant and
// alert digests, report reminders. Each is idempotent; a failure of one
// does not keep the others from running.
func (b *Background) MailSweep(ctx context.Context) error {
	var errs []error
	for _, sweep := range []struct {
		name string
		run  func(context.Context) (int, error)
	}{
		{"interview reminders", b.Store.InterviewReminders},
		{"event reminders", b.Store.RemindEvents},
		{"applicant digests", b.Store.ApplicantDigests},
		{"alert digests (due, handed out in batches)", b.Store.AlertDigests},
		{"report mails", b.Store.ReportMails},
	} {
		n, err := sweep.run(ctx)
		if n > 0 {
			b.Log.Info("mail sweep queued mail", "sweep", sweep.name, "count", n)
		}
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// QueueAlertDigests queues the digest mails of the saved searches ids
// (one batch the mail sweep handed out) that are still due.
func (b *Background) QueueAlertDigests(ctx context.Context, ids []string) error {
	n, err := b.Store.QueueAlertDigests(ctx, ids)
	if n > 0 {
		b.Log.Debug("alert digests queued", "count", n, "of", len(ids))
	}
	return err
}
