package app

import (
	"context"
	"time"

	"github.com/gradzone/gradzone/internal/domain"
)

// RetentionStore is what the résumé retention needs from persistence;
// BackgroundStore embeds it.
type RetentionStore interface {
	// ExpireResumes clears the résumés of up to limit graduates inactive
	// since cutoff, calling remove with their files before the rows stop
	// naming them (an error from remove undoes the pass). It returns how
	// many graduates it cleared.
	ExpireResumes(ctx context.Context, cutoff time.Time, limit int, remove func(files []string) error) (int, error)
	// ForgetIdempotencyKeys deletes up to limit records of keys used
	// before the time given, and says how many.
	ForgetIdempotencyKeys(ctx context.Context, before time.Time, limit int) (int64, error)
}

// ForgetIdempotencyKeys deletes the records of idempotency keys older than
// domain.IdempotencyWindow (each answer holds what it made), in passes of
// domain.RetentionBatch. It runs with the hourly retention.
func (b *Background) ForgetIdempotencyKeys(ctx context.Context) error {
	before := b.now().Add(-domain.IdempotencyWindow)
	for {
		n, err := b.Store.ForgetIdempotencyKeys(ctx, before, domain.RetentionBatch)
		if err != nil || n < int64(domain.RetentionBatch) {
			return err
		}
	}
}

// ExpireResumes deletes the résumés of graduates inactive for longer than
// b.Retention (no sign-in, session refresh or application; PIPL art. 19:
// kept no longer than the purpose needs): the files from the object store
// and the old upload folder, and the profile's and applications' references
// to them — résumé versions submitted with applications included, live
// ones too: an application a graduate has not looked at for the whole
// retention period is not a reason to keep the file forever. The
// applications stay, without a résumé. It runs as an hourly periodic job,
// one at a time across replicas, in passes of domain.RetentionBatch.
func (b *Background) ExpireResumes(ctx context.Context) error {
	cutoff := b.Retention.Cutoff(b.now())
	if b.Retention == (domain.Retention{}) {
		cutoff = domain.DefaultRetention.Cutoff(b.now())
	}
	remove := func(files []string) error {
		for _, f := range files {
			if err := deleteResumeFile(ctx, b.Files, b.UploadDir, f); err != nil {
				return err
			}
		}
		return nil
	}
	total := 0
	for {
		n, err := b.Store.ExpireResumes(ctx, cutoff, domain.RetentionBatch, remove)
		total += n
		if err != nil {
			b.Log.ErrorContext(ctx, "résumé retention: pass failed; the next run tries again", "cleared", total, "err", err)
			return err
		}
		if n < domain.RetentionBatch {
			break
		}
	}
	if total > 0 {
		b.Log.InfoContext(ctx, "résumé retention: résumés of inactive graduates deleted", "graduates", total, "inactive_since", cutoff)
	}
	return nil
}
