package excel

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Limits bound what reading one uploaded workbook may cost. Sizes are checked
// from the zip directory before anything is inflated (archive/zip refuses an
// entry that inflates past its declared size, so the declared sizes hold);
// rows, columns and cell lengths are checked while rows stream.
type Limits struct {
	Unzipped  int64 // all parts together, inflated
	InMemory  int64 // a worksheet or string table larger than this is inflated to a temp file, not memory
	Entries   int   // parts in the zip
	Sheets    int
	Rows      int // header included
	Columns   int
	CellChars int
	// Text bounds the bytes of all the cells read, a shared string or a
	// merged range counted in every cell it fills: one string of 10,000
	// characters in 12,000 cells of a 30 KB file cost the server a gigabyte
	// (a security probe).
	Text int64
}

// ImportLimits are the limits of an import upload: room for 20,000 rows of
// the template with long descriptions, not for a zip bomb. The text may be
// as long as the file could hold written out: shared strings and merged
// cells save typing, they do not multiply it.
var ImportLimits = Limits{Unzipped: 64 << 20, InMemory: 8 << 20, Entries: 200, Sheets: 16,
	Rows: 20001, Columns: 64, CellChars: 10000, Text: 64 << 20}

// LimitError says which limit a workbook broke; its text is for the uploader.
type LimitError struct{ Reason string }

func (e *LimitError) Error() string { return e.Reason }

// ErrNotWorkbook is returned for anything that is not a readable .xlsx.
var ErrNotWorkbook = errors.New("not a readable .xlsx workbook")

// Sheet is what ReadRows found: the sheet with the template's headings,
// the row they stand in, and the rows below them.
type Sheet struct {
	Name      string
	HeaderRow int        // the spreadsheet's number of the headings' row (1 or more)
	Rows      [][]string // the rows below it, each padded to the width
	// HiddenRows are the numbers of the rows below the headings that the
	// sheet hides (filtered out, or folded away) and that hold something:
	// Rows holds them blank, so they are not imported (an officer who
	// filters her list to the rows she means uploads just those).
	HiddenRows []int
	// Uncalculated are the cells below the headings (row number → columns
	// from 0) that hold a formula with no stored result (a workbook written
	// by a program, never opened and saved in Excel): they read empty.
	Uncalculated map[int][]int
}

// FirstRow is the spreadsheet's number of Rows[0].
func (s Sheet) FirstRow() int { return s.HeaderRow + 1 }

// HeaderError says that no visible sheet has the template's headings in
// its first HeaderRows rows: Sheet is the first visible sheet and Row its
// first row that is not blank (nil: the sheet is empty).
type HeaderError struct {
	Sheet string
	Row   []string
}

func (e *HeaderError) Error() string { return "no sheet has the template's headings" }

// HeaderRows is how far down a sheet the headings may stand: a title row
// (merged across the columns) or a note above them is common in the
// workbooks staff keep.
const HeaderRows = 3

// ReadRows streams the rows of the workbook's first visible sheet whose
// first HeaderRows rows hold a row isHeader accepts, every row padded to
// width cells. A hidden sheet (the lists a workbook's drop-downs read) and
// a sheet in front of the data (填表说明) are passed over: an import probe's
// workbooks had both, and were told their first row was not the template's.
// It answers a *LimitError when the workbook breaks lim, a *HeaderError when
// no sheet has the headings and ErrNotWorkbook when it cannot be read.
func ReadRows(data []byte, width int, lim Limits, isHeader func([]string) bool) (Sheet, error) {
	if err := checkZip(data, lim); err != nil {
		return Sheet{}, err
	}
	// A date cell typed in Excel or WPS carries the locale's short date
	// (built-in format 14): read as 2027-03-01, not the US 03-01-27; the
	// Chinese built-in formats read as 2027年3月1日 (domain.ReadDate).
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: lim.Unzipped, UnzipXMLSizeLimit: lim.InMemory,
		ShortDatePattern: "yyyy-mm-dd", CultureInfo: excelize.CultureNameZhCN})
	if err != nil {
		return Sheet{}, ErrNotWorkbook
	}
	defer f.Close()
	var missing *HeaderError
	for _, name := range f.GetSheetList() {
		if visible, err := f.GetSheetVisible(name); err != nil || !visible {
			continue
		}
		sheet, first, err := readSheet(f, data, name, width, lim, isHeader)
		if err != nil || sheet.HeaderRow > 0 {
			return sheet, err
		}
		if missing == nil {
			missing = &HeaderError{Sheet: name, Row: first}
		}
	}
	if missing == nil {
		return Sheet{}, ErrNotWorkbook
	}
	return Sheet{}, missing
}

// readSheet reads sheet name when its headings stand in its first
// HeaderRows rows; otherwise it returns no HeaderRow and the sheet's first
// row that is not blank.
func readSheet(f *excelize.File, data []byte, name string, width int, lim Limits, isHeader func([]string) bool) (out Sheet, first []string, err error) {
	it, err := f.Rows(name)
	if err != nil {
		return Sheet{}, nil, ErrNotWorkbook
	}
	defer it.Close()
	out.Name = name
	n := 0            // the rows read
	var text int64    // the bytes of their cells
	var hidden []bool // of each of out.Rows
	for it.Next() {
		if n == lim.Rows {
			return Sheet{}, nil, &LimitError{fmt.Sprintf("at most %d rows per upload", lim.Rows-1)}
		}
		n++
		hide := it.GetRowOpts().Hidden // before Columns, which reads on to the next row
		cells, err := it.Columns()
		if err != nil {
			return Sheet{}, nil, ErrNotWorkbook
		}
		if len(cells) > lim.Columns {
			return Sheet{}, nil, &LimitError{fmt.Sprintf("row %d has more than %d columns", n, lim.Columns)}
		}
		for i, c := range cells {
			// As read (SafeText undone): a cell at the limit that begins
			// with "-" comes back from a corrections workbook one longer.
			c = readText(c)
			if len(c) > lim.CellChars*utf8.UTFMax || utf8.RuneCountInString(c) > lim.CellChars {
				cell, _ := excelize.CoordinatesToCellName(i+1, n)
				return Sheet{}, nil, &LimitError{fmt.Sprintf("cell %s is longer than %d characters", cell, lim.CellChars)}
			}
			cells[i] = c
			if text += int64(len(c)); text > lim.Text {
				return Sheet{}, nil, tooMuchText(lim)
			}
		}
		for len(cells) < width {
			cells = append(cells, "")
		}
		switch {
		case out.HeaderRow > 0:
			out.Rows = append(out.Rows, cells)
			hidden = append(hidden, hide)
		case isHeader(cells):
			out.HeaderRow = n
		case n == HeaderRows:
			return Sheet{}, orFirst(first, cells), nil
		default:
			first = orFirst(first, cells)
		}
	}
	if it.Error() != nil {
		return Sheet{}, nil, ErrNotWorkbook
	}
	if out.HeaderRow == 0 {
		return out, first, nil
	}
	parts, err := scanSheet(data, name)
	if err != nil {
		return Sheet{}, nil, err
	}
	filled, err := fillMerged(out.Rows, out.FirstRow(), parts.merged, lim.Columns)
	if err != nil {
		return Sheet{}, nil, err
	}
	if text+filled > lim.Text {
		return Sheet{}, nil, tooMuchText(lim)
	}
	for _, c := range parts.uncalculated {
		if i := c.row - out.FirstRow(); i >= 0 && i < len(out.Rows) && c.col < width && out.Rows[i][c.col] == "" {
			if out.Uncalculated == nil {
				out.Uncalculated = map[int][]int{}
			}
			out.Uncalculated[c.row] = append(out.Uncalculated[c.row], c.col)
		}
	}
	// A row of no height is as hidden as a hidden one: the officer cannot
	// see it (a security probe).
	for _, r := range parts.flat {
		if i := r - out.FirstRow(); i >= 0 && i < len(hidden) {
			hidden[i] = true
		}
	}
	for i, h := range hidden {
		if h && !Blank(out.Rows[i]) {
			out.HiddenRows = append(out.HiddenRows, out.FirstRow()+i)
			out.Rows[i] = make([]string, len(out.Rows[i]))
			delete(out.Uncalculated, out.FirstRow()+i)
		}
	}
	return out, first, nil
}

// tooMuchText is the refusal of a workbook past lim.Text.
func tooMuchText(lim Limits) *LimitError {
	return &LimitError{fmt.Sprintf("the cells hold more than %d MB of text, a text in many cells counted in each: keep each text in the cells that need it", lim.Text>>20)}
}

// orFirst is first, or row when first is nil and row is not blank.
func orFirst(first, row []string) []string {
	if first != nil || Blank(row) {
		return first
	}
	return row
}

// checkZip applies the size, part and sheet limits to the zip directory,
// before excelize inflates anything.
func checkZip(data []byte, lim Limits) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return ErrNotWorkbook
	}
	if len(zr.File) > lim.Entries {
		return &LimitError{fmt.Sprintf("the workbook has more than %d parts", lim.Entries)}
	}
	var total uint64
	sheets := 0
	for _, zf := range zr.File {
		total += zf.UncompressedSize64
		if total > uint64(lim.Unzipped) {
			return &LimitError{fmt.Sprintf("the workbook inflates to more than %d MB", lim.Unzipped>>20)}
		}
		if strings.HasPrefix(strings.ToLower(strings.ReplaceAll(zf.Name, "\\", "/")), "xl/worksheets/sheet") {
			sheets++
		}
	}
	if sheets > lim.Sheets {
		return &LimitError{fmt.Sprintf("the workbook has more than %d sheets", lim.Sheets)}
	}
	// Each part inflates to its declared size, or it is no workbook: one
	// that declares less (a zip bomb's trick) is cut short by archive/zip,
	// and excelize, which ignores the error, read the rest as missing (an
	// import probe was told its lying bomb was "not the template"; a sheet
	// cut short would lose rows without a word). Bounded by the sizes
	// checked above.
	// An XML part is read for what excelize would make large from little
	// (checkPart).
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			return ErrNotWorkbook
		}
		if name := strings.ToLower(strings.ReplaceAll(zf.Name, "\\", "/")); strings.HasSuffix(name, ".xml") {
			err = checkPart(rc, name, lim)
		} else if _, err = io.Copy(io.Discard, rc); err != nil {
			err = ErrNotWorkbook
		}
		rc.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// Blank tells whether a row holds nothing: an empty line between filled
// ones is no row to import (an employer walk's was counted, and reported
// as a bad credit code).
func Blank(row []string) bool {
	for _, c := range row {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}
