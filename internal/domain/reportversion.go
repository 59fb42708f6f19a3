package domain

import "time"

// VersionedFigures are the figures of a report whose change from one
// version to the next is shown (ReportVersion.Changes), in the report's
// order.
var VersionedFigures = []string{"positions_developed", "placements", "completion_rate", "positions_completion_rate",
	"target_positions", "target_placements", "placements_prev_year", "yoy_growth", "province_share"}

// ReportVersion is one submitted version with what changed since the previous.
type ReportVersion struct {
	Version      int               `json:"version"`
	Status       string            `json:"status"`
	SubmittedAt  time.Time         `json:"submitted_at"`
	ReturnReason *string           `json:"return_reason"`
	Report       MonthlyReport     `json:"report"`
	Changes      map[string][2]any `json:"changes"`
}
