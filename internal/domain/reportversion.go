package domain

import (
	"encoding/json"
	"fmt"
	"time"
)

// VersionedFigures are the figures of a report whose change from one
// version to the next is shown (ReportVersion.Changes), in the report's
// order.
var VersionedFigures = []string{"positions_developed", "placements", "completion_rate", "positions_completion_rate",
	"target_positions", "target_placements", "placements_prev_year", "yoy_growth", "province_share"}

// RateFigures are the VersionedFigures that are percentages (the rest
// count positions and placements).
var RateFigures = map[string]bool{"completion_rate": true, "positions_completion_rate": true, "yoy_growth": true, "province_share": true}

// ReportVersion is one submitted version with what changed since the previous.
type ReportVersion struct {
	Version      int       `json:"version"`
	Status       string    `json:"status"`
	SubmittedAt  time.Time `json:"submitted_at"`
	ReturnReason *string   `json:"return_reason"`
	// SubmittedBy and ReviewedBy name the officials who submitted the
	// version and who returned or accepted it, at ReviewedAt (walk35: the
	// page gave the reason, not who returned it or when).
	SubmittedBy string        `json:"submitted_by_name"`
	ReviewedBy  string        `json:"reviewed_by_name,omitempty"`
	ReviewedAt  *time.Time    `json:"reviewed_at,omitempty"`
	Report      MonthlyReport `json:"report"`
	// Changes and BreakdownChanges are DiffReports of the version before
	// and this one; empty for the first.
	Changes          map[string][2]any              `json:"changes"`
	BreakdownChanges map[string]map[string][2]int64 `json:"breakdown_changes"`
}

// ReportDiff is what differs between two versions of a report.
type ReportDiff struct {
	// Figures are the VersionedFigures that differ: [before, after], each
	// a number, or nil for a rate without a divisor.
	Figures map[string][2]any
	// Breakdowns are, per dimension (its Field, "by_degree"), the values
	// whose placements differ: [before, after], a value a version does not
	// list counting 0. A dimension in which nothing differs is absent. A
	// version frozen before a dimension existed reads it empty, as the
	// version itself shows it.
	Breakdowns map[string]map[string][2]int64
}

// DiffReports is the one rule of what changed from report before to report
// after (a returned report's versions): the figures and, for every
// dimension of the registry, the values whose counts moved.
func DiffReports(before, after MonthlyReport) ReportDiff {
	d := ReportDiff{Figures: map[string][2]any{}, Breakdowns: map[string]map[string][2]int64{}}
	was, is := figuresOf(before), figuresOf(after)
	for _, k := range VersionedFigures {
		if fmt.Sprint(was[k]) != fmt.Sprint(is[k]) {
			d.Figures[k] = [2]any{was[k], is[k]}
		}
	}
	for _, dim := range Dimensions {
		b, a := before.Of(dim), after.Of(dim)
		moved := map[string][2]int64{}
		for v, n := range b {
			if a[v] != n {
				moved[v] = [2]int64{n, a[v]}
			}
		}
		for v, n := range a {
			if _, ok := b[v]; !ok && n != 0 {
				moved[v] = [2]int64{0, n}
			}
		}
		if len(moved) > 0 {
			d.Breakdowns[dim.Field] = moved
		}
	}
	return d
}

// DiffVersions fills each version's changes from the one before (oldest
// first, as ReportVersions lists them); the first has none.
func DiffVersions(vs []ReportVersion) {
	for i := range vs {
		d := ReportDiff{Figures: map[string][2]any{}, Breakdowns: map[string]map[string][2]int64{}}
		if i > 0 {
			d = DiffReports(vs[i-1].Report, vs[i].Report)
		}
		vs[i].Changes, vs[i].BreakdownChanges = d.Figures, d.Breakdowns
	}
}

// figuresOf is r's figures as its JSON carries them (numbers, nil for a
// rate without a divisor), keyed by their field names.
func figuresOf(r MonthlyReport) map[string]any {
	raw, err := json.Marshal(r)
	if err != nil {
		panic(err) // a report of numbers and strings always marshals
	}
	var flat map[string]any
	_ = json.Unmarshal(raw, &flat)
	return flat
}
