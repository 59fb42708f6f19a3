package domain

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Retention is how long a graduate's résumé is kept after the graduate's
// last activity (sign-in, session refresh or application):
// GRADZONE_RESUME_RETENTION, written as whole calendar months ("24mo") or
// days ("730d"). Calendar months because the privacy notice promises
// "24 months", which is not a fixed number of hours.
type Retention struct {
	Months, Days int
}

// DefaultRetention is 24 months.
var DefaultRetention = Retention{Months: 24}

// ParseRetention reads "24mo" or "730d" (at least one day, at most 120
// months). Empty gives DefaultRetention.
func ParseRetention(s string) (Retention, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return DefaultRetention, nil
	}
	num, unit := s, ""
	for _, u := range []string{"mo", "d"} {
		if strings.HasSuffix(s, u) {
			num, unit = strings.TrimSuffix(s, u), u
			break
		}
	}
	n, err := strconv.Atoi(num)
	switch {
	case unit == "" || err != nil || n < 1:
		return Retention{}, fmt.Errorf("%q: want a whole number of months or days, e.g. 24mo or 730d", s)
	case unit == "mo" && n > 120, unit == "d" && n > 3650:
		return Retention{}, fmt.Errorf("%q: at most 120 months (3650 days)", s)
	case unit == "mo":
		return Retention{Months: n}, nil
	}
	return Retention{Days: n}, nil
}

// Cutoff is the last-activity time before which a résumé is deleted, now.
func (r Retention) Cutoff(now time.Time) time.Time {
	return now.AddDate(0, -r.Months, -r.Days)
}

// String writes the retention back as it is configured.
func (r Retention) String() string {
	if r.Months > 0 {
		return strconv.Itoa(r.Months) + "mo"
	}
	return strconv.Itoa(r.Days) + "d"
}

// RetentionBatch is how many graduates one pass clears: each pass is one
// transaction, and a sweep runs passes until none is left.
const RetentionBatch = 200
