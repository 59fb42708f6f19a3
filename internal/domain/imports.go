package domain

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"slices"
	"strconv"
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

// Explain is the row's problems in lang, each "column: reason" part
// translated and written with the language's colon, joined by sep; the
// row's own column (e.Column) is left for the caller to name.
func (e ImportError) Explain(lang, colon, sep string) string {
	parts := strings.Split(e.Reason, "; ")
	for i, part := range parts {
		label, reason, ok := strings.Cut(part, ": ")
		switch {
		case !ok || HasReason(part): // a reason of its own may hold ": " (ReasonNotAChoice)
			parts[i] = TranslateReason(lang, part)
		case label == e.Column:
			parts[i] = TranslateReason(lang, reason)
		default:
			parts[i] = label + colon + TranslateReason(lang, reason)
		}
	}
	return strings.Join(parts, sep)
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

// ImportProgressEvery is how often a running import's replica writes how
// many of its rows are checked (ImportJob.Done), when that moved: the rows
// commit with the outcome, and the page and the API read the count while
// it runs. One write a second, whatever the rows (one every 50 rows was
// 400 for 20,000), and none while a row waits.
const ImportProgressEvery = time.Second

// ImportJob is an import's progress and outcome.
type ImportJob struct {
	ID       string `json:"id"`
	Kind     string `json:"kind"`
	ZoneCode string `json:"zone_code"`
	Status   string `json:"status"`
	Total    int    `json:"total"`
	// Done is how many of the Total rows are checked so far, refused or
	// written (written rows commit with the outcome: Created, Errors and
	// the rest are known when it ends); Total when it ended.
	Done       int           `json:"done"`
	Created    int           `json:"created"`
	Errors     []ImportError `json:"errors"`
	CreatedAt  time.Time     `json:"created_at"`
	FinishedAt *time.Time    `json:"finished_at"`
	// FileName is the uploaded file's name ("" before it was kept).
	FileName string `json:"file_name"`
	// CorrectableRows is how many refused rows the job's corrections
	// workbook holds (GET /imports/{id}/refused.xlsx): 0 when none was
	// refused, for a failed import, and for one from before they were kept.
	CorrectableRows int `json:"correctable_rows"`
	// HiddenRows counts the rows the sheet hid (filtered out) that were
	// skipped, not imported; each is noted in Errors (ReasonHiddenRow).
	HiddenRows int `json:"hidden_rows"`
}

// ImportCells are an upload's rows as read, by their row number in the
// sheet: those refused are kept for a workbook to correct them in.
type ImportCells map[int][]string

// RefusedRow is one refused row of an upload, its cells as read.
type RefusedRow struct {
	Row   int      `json:"row"`
	Cells []string `json:"cells"`
}

// Refused are the rows the problems name, each once and in row order. A
// template's example row is left out, refused or only noted: corrected,
// it would be the example again, never imported.
func (c ImportCells) Refused(problems []ImportError) []RefusedRow {
	out := []RefusedRow{}
	seen := map[int]bool{}
	for _, p := range problems {
		cells, ok := c[p.Row]
		if !ok || seen[p.Row] || IsExampleRow(cells) || p.Reason == ReasonHiddenRow {
			continue
		}
		seen[p.Row] = true
		out = append(out, RefusedRow{Row: p.Row, Cells: cells})
	}
	slices.SortFunc(out, func(a, b RefusedRow) int { return a.Row - b.Row })
	return out
}

// MaxRefusedRowsJSON bounds what an import keeps of its refused rows'
// cells for correction (import_jobs.refused_rows), written as JSON.
const MaxRefusedRowsJSON = 32 << 20

// RefusedRowsJSON writes rows as a JSON array, the first of them up to max
// bytes; kept is how many. The rows past it are still listed with their
// problems, not kept for the corrections workbook: a review found 64 MB of
// cells written as 366 MB (encoding/json writes each < > & as six bytes;
// they are written as they are here, and a control character still is).
func RefusedRowsJSON(rows []RefusedRow, max int) (out []byte, kept int) {
	var b bytes.Buffer
	b.WriteByte('[')
	var row bytes.Buffer
	enc := json.NewEncoder(&row)
	enc.SetEscapeHTML(false)
	for _, r := range rows {
		row.Reset()
		if enc.Encode(r) != nil {
			break
		}
		one := bytes.TrimSuffix(row.Bytes(), []byte("\n"))
		if b.Len()+len(one)+2 > max {
			break
		}
		if kept > 0 {
			b.WriteByte(',')
		}
		b.Write(one)
		kept++
	}
	b.WriteByte(']')
	return b.Bytes(), kept
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

// ReasonHiddenRow is the import's note on a row the sheet hides (filtered
// out): it is skipped, as an officer who filters her list to the rows she
// means expects (an import probe: hidden rows were imported).
const ReasonHiddenRow = "the row is hidden in the sheet (filtered out) and is not imported: show it and upload again to import it"

// ImportProblemCount is how many of an import's notes are problems: the
// template's example row and the hidden rows are told, not refused
// (migration 00054 counted the imports before it the same way).
func ImportProblemCount(errs []ImportError) int {
	n := 0
	for _, e := range errs {
		if e.Reason != ReasonExampleRow && e.Reason != ReasonHiddenRow {
			n++
		}
	}
	return n
}

// ReasonAllRowsHidden refuses a workbook whose every filled row the sheet
// hides (filtered out): hidden rows are not imported.
const ReasonAllRowsHidden = "every filled row of the sheet is hidden (filtered out), and hidden rows are not imported: show the rows to import and upload again"

// ReasonNoFormulaResult refuses a cell holding a formula with no stored
// result (a workbook a program wrote and nobody saved in Excel): it read
// as empty, and was refused as if nothing were typed (an import probe).
const ReasonNoFormulaResult = "holds a formula without a result: open the workbook in Excel or WPS, save it and upload it again"

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

// CorrectionNote is a corrections workbook's 问题 cell of a refused row:
// its number in the uploaded file (the new workbook numbers it anew) and
// its problems, each with its column, in Chinese as the template is.
func CorrectionNote(row int, problems []ImportError) string {
	texts := make([]string, len(problems))
	for i, e := range problems {
		texts[i] = e.Explain("zh", "：", "；")
		if e.Column != "" {
			texts[i] = e.Column + "：" + texts[i]
		}
	}
	return "原第 " + strconv.Itoa(row) + " 行：" + strings.Join(texts, "；")
}

// CorrectionsFileNames are the corrections workbook's file name, after the
// uploaded one (待改正-岗位.xlsx), and its plain ASCII name for clients that
// read only filename= (see Disposition).
func CorrectionsFileNames(job ImportJob) (name, fallback string) {
	base := fileNamePart(job.FileName)
	if ext := filepath.Ext(base); strings.EqualFold(ext, ".xlsx") || strings.EqualFold(ext, ".xls") {
		base = strings.TrimSuffix(base, ext)
	}
	base = strings.TrimPrefix(base, "待改正-") // a corrections workbook's own refused rows
	if strings.TrimSpace(base) == "" {
		base = map[string]string{"employers": "单位", "openings": "岗位"}[job.Kind]
	}
	return "待改正-" + base + ".xlsx", "gradzone-" + job.Kind + "-corrections-" + job.ID[:min(8, len(job.ID))] + ".xlsx"
}
