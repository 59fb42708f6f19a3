package domain

import "time"

// ImportError names one bad row of an upload: its row number in the sheet
// (header = 1), the column and the reason.
type ImportError struct {
	Row    int    `json:"row"`
	Column string `json:"column"`
	Reason string `json:"reason"`
}

// ReasonCodeReadAsNumber is an import's reason for a credit code cell that
// a spreadsheet took for a number (9.15101007E+17): its last digits are lost.
const ReasonCodeReadAsNumber = "was read as a number and lost its last digits: format the column as text and type the code again"

// ImportJob is an import's progress and outcome.
type ImportJob struct {
	ID         string        `json:"id"`
	Kind       string        `json:"kind"`
	ZoneCode   string        `json:"zone_code"`
	Status     string        `json:"status"`
	Total      int           `json:"total"`
	Done       int           `json:"done"`
	Created    int           `json:"created"`
	Errors     []ImportError `json:"errors"`
	CreatedAt  time.Time     `json:"created_at"`
	FinishedAt *time.Time    `json:"finished_at"`
}

// ImportSummary is an import as the imports page lists it: its counts,
// and how many rows had problems (not the problems themselves).
type ImportSummary struct {
	ID, Kind, Status     string
	Total, Done, Created int
	Problems             int
	CreatedAt            time.Time
}

// EmployerImportRow is a validated employer row.
type EmployerImportRow struct {
	Row                                    int
	Name, CreditCode, Type, Size, Industry string
}

// OpeningImportRow is a validated opening row.
type OpeningImportRow struct {
	Row        int
	CreditCode string
	Input      OpeningInput
}
