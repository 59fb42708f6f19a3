package domain

import (
	"testing"
	"time"
)

// HireDate: a date, not after today, not before the day the graduate
// applied, nor more than 400 days back — all days in Asia/Shanghai.
func TestHireDate(t *testing.T) {
	// Applied at 23:30 on 3 March in Beijing (15:30 UTC): that day is 3 March.
	applied := time.Date(2026, 3, 3, 15, 30, 0, 0, time.UTC)
	now := time.Date(2026, 4, 30, 17, 0, 0, 0, time.UTC) // 1 May, 01:00 in Beijing
	for _, tc := range []struct {
		hiredOn, reason string
	}{
		{"2026-03-03", ""},
		{"2026-05-01", ""}, // today in Beijing, still 30 April in UTC
		{"2026-04-15", ""},
		{"2026-03-02", "cannot be before the application was made (Asia/Shanghai)"},
		{"2025-12-31", "cannot be before the application was made (Asia/Shanghai)"},
		{"2026-05-02", "cannot be in the future (Asia/Shanghai)"},
		{"", "is required to hire (YYYY-MM-DD)"},
		{"2026-02-30", "must be a date YYYY-MM-DD"},
		{"1 May", "must be a date YYYY-MM-DD"},
	} {
		d, err := HireDate(tc.hiredOn, applied, now)
		got := ""
		if err != nil {
			got = err.(*Error).Fields["hired_on"]
		}
		if got != tc.reason {
			t.Errorf("%q: %q, want %q", tc.hiredOn, got, tc.reason)
		}
		if err == nil && d.String() != tc.hiredOn {
			t.Errorf("%q read as %s", tc.hiredOn, d)
		}
	}
	// An application older than 400 days: the window still ends 400 days back.
	long := time.Date(2024, 1, 1, 0, 0, 0, 0, Shanghai)
	if _, err := HireDate("2025-03-01", long, now); err == nil || err.(*Error).Fields["hired_on"] != "is too far in the past" {
		t.Errorf("a hire 426 days back: %v", err)
	}
}
