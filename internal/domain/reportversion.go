package domain

import "time"

// ReportVersion is one submitted version with what changed since the previous.
type ReportVersion struct {
	Version      int               `json:"version"`
	Status       string            `json:"status"`
	SubmittedAt  time.Time         `json:"submitted_at"`
	ReturnReason *string           `json:"return_reason"`
	Report       MonthlyReport     `json:"report"`
	Changes      map[string][2]any `json:"changes"`
}
