package domain

import (
	"testing"
	"time"
)

// The account's wait: none under ten failures; 15 minutes from the oldest
// of the newest ten; doubled per further ten, capped at AccountMaxWindow;
// limits without memory never grow.
func TestAccountWait(t *testing.T) {
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	at := func(n int) []time.Time { // n failures, all now
		f := make([]time.Time, n)
		for i := range f {
			f[i] = now
		}
		return f
	}
	l := DefaultSignInLimits
	flat := SignInLimits{AccountFailures: 10, AccountWindow: 15 * time.Minute}
	for _, c := range []struct {
		l    SignInLimits
		n    int
		want time.Duration
	}{
		{l, 9, 0}, {l, 10, 15 * time.Minute}, {l, 19, 15 * time.Minute}, {l, 20, 30 * time.Minute},
		{l, 30, time.Hour}, {l, 50, 4 * time.Hour}, {l, 1000, 4 * time.Hour}, {flat, 30, 15 * time.Minute},
	} {
		if got := c.l.AccountWait(at(c.n), now); got != c.want {
			t.Errorf("%d failures (memory %s): wait %s, want %s", c.n, c.l.Memory(), got, c.want)
		}
	}
	// The window counts from the oldest of the newest ten.
	f := append(at(9), now.Add(-20*time.Minute))
	if got := l.AccountWait(f, now); got != 0 {
		t.Errorf("tenth failure 20 min ago: wait %s", got)
	}
}
