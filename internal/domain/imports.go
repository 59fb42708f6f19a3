package domain

import (
	"strings"
	"time"
)

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

// An import runs in the replica that took the upload, which beats for it
// every ImportHeartbeat. One no replica has beaten for in ImportStaleAfter
// stopped with its replica: it reads failed (nothing of it was written) and
// can no longer finish.
const (
	ImportHeartbeat  = 15 * time.Second
	ImportStaleAfter = time.Minute
)

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
	// FileName is the uploaded file's name ("" before it was kept).
	FileName string `json:"file_name"`
}

// ImportSummary is an import as the imports page lists it: its counts,
// and how many rows had problems (not the problems themselves).
type ImportSummary struct {
	ID, Kind, Status     string
	Total, Done, Created int
	Problems             int
	CreatedAt            time.Time
	// FileName and UploadedBy (the uploader's name) tell two imports of a
	// minute apart.
	FileName, UploadedBy string
}

// ExampleMark begins the templates' example row: its values are checked
// like any row's, and it is never imported (an official who uploads the
// template as downloaded publishes nothing).
const ExampleMark = "【示例】"

// ReasonExampleRow is the import's note on a template's example row.
const ReasonExampleRow = "the template's example row (【示例】) has valid values and is never imported"

// IsExampleRow tells whether a row is a template's example: a cell begins
// with ExampleMark.
func IsExampleRow(cells []string) bool {
	for _, c := range cells {
		if strings.HasPrefix(strings.TrimSpace(c), ExampleMark) {
			return true
		}
	}
	return false
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

// UploadName is an uploaded file's name as kept: its last path element
// (an old browser sends C:\fakepath\…), without control or text-direction
// characters, cut to 100 characters (the column holds 255). It is shown, never used as a path.
func UploadName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || (r >= 0x7f && r < 0xa0) || bidiControl(r) {
			return -1
		}
		return r
	}, strings.ToValidUTF8(name, ""))
	if r := []rune(strings.TrimSpace(name)); len(r) > 100 {
		return string(r[:100])
	}
	return strings.TrimSpace(name)
}
