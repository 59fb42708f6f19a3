package domain

import "testing"

func TestInSprint(t *testing.T) {
	cases := []struct {
		day  Date
		want bool
	}{
		{Date{2026, 5, 23}, false}, // the day before the 100 days
		{Date{2026, 5, 24}, true},  // day 1 of 100
		{Date{2026, 8, 31}, true},  // the deadline
		{Date{2026, 9, 1}, false},
		{Date{2026, 12, 1}, false},
		{Date{2027, 6, 1}, false}, // another year's season
	}
	for _, tc := range cases {
		if got := InSprint(2026, tc.day); got != tc.want {
			t.Errorf("InSprint(2026, %s) = %v, want %v", tc.day, got, tc.want)
		}
	}
}
