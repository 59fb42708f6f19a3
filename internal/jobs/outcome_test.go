package jobs

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/gradzone/gradzone/internal/app"
)

// An ops probe: after a 151 s Meilisearch outage the index caught up 107 s
// after Meilisearch was back, the index jobs waiting out a snooze that had
// doubled all the while. However long the outage, a job waiting for the
// search engine looks again within searchDownRecheck; other failures keep
// the doubling backoff.
func TestWaitForSearchIsBounded(t *testing.T) {
	snooze := func(n int, err error) time.Duration {
		job := &river.Job[IndexOpeningsArgs]{JobRow: &rivertype.JobRow{Metadata: fmt.Appendf(nil, `{"snoozes": %d}`, n)}}
		var s *rivertype.JobSnoozeError
		if !errors.As(outcome(job, err), &s) {
			t.Fatalf("%v after %d snoozes is no snooze", err, n)
		}
		return s.Duration
	}
	for _, n := range []int{0, 3, 4, 8, 30} {
		if d := snooze(n, app.ErrSearchDown); d > searchDownRecheck || d <= 0 {
			t.Errorf("search down, %d snoozes: waits %v", n, d)
		}
	}
	if d := snooze(2, app.ErrSearchDown); d != 4*time.Second {
		t.Errorf("the first waits double as before: %v", d)
	}
	// Other failures are failures, retried on River's schedule.
	job := &river.Job[IndexOpeningsArgs]{JobRow: &rivertype.JobRow{Metadata: []byte(`{"snoozes": 8}`)}}
	var s *rivertype.JobSnoozeError
	if err := outcome(job, errors.New("refused")); errors.As(err, &s) {
		t.Errorf("another failure is snoozed: %v", s.Duration)
	}
}
