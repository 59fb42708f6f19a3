package excel

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
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
}

// ImportLimits are the limits of an import upload: room for 20,000 rows of
// the template with long descriptions, not for a zip bomb.
var ImportLimits = Limits{Unzipped: 64 << 20, InMemory: 8 << 20, Entries: 200, Sheets: 16,
	Rows: 20001, Columns: 64, CellChars: 10000}

// LimitError says which limit a workbook broke; its text is for the uploader.
type LimitError struct{ Reason string }

func (e *LimitError) Error() string { return e.Reason }

// ErrNotWorkbook is returned for anything that is not a readable .xlsx.
var ErrNotWorkbook = errors.New("not a readable .xlsx workbook")

// ReadRows streams the rows of the first sheet, header included, with every
// row padded to width cells. It answers a *LimitError when the workbook
// breaks lim and ErrNotWorkbook when it cannot be read.
func ReadRows(data []byte, width int, lim Limits) ([][]string, error) {
	if err := checkZip(data, lim); err != nil {
		return nil, err
	}
	// A date cell typed in Excel or WPS carries the locale's short date
	// (built-in format 14): read as 2027-03-01, not the US 03-01-27; the
	// Chinese built-in formats read as 2027年3月1日 (domain.ReadDate).
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: lim.Unzipped, UnzipXMLSizeLimit: lim.InMemory,
		ShortDatePattern: "yyyy-mm-dd", CultureInfo: excelize.CultureNameZhCN})
	if err != nil {
		return nil, ErrNotWorkbook
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, ErrNotWorkbook
	}
	it, err := f.Rows(sheets[0])
	if err != nil {
		return nil, ErrNotWorkbook
	}
	defer it.Close()
	var rows [][]string
	for it.Next() {
		if len(rows) == lim.Rows {
			return nil, &LimitError{fmt.Sprintf("at most %d rows per upload", lim.Rows-1)}
		}
		cells, err := it.Columns()
		if err != nil {
			return nil, ErrNotWorkbook
		}
		if len(cells) > lim.Columns {
			return nil, &LimitError{fmt.Sprintf("row %d has more than %d columns", len(rows)+1, lim.Columns)}
		}
		for i, c := range cells {
			if len(c) > lim.CellChars*utf8.UTFMax || utf8.RuneCountInString(c) > lim.CellChars {
				cell, _ := excelize.CoordinatesToCellName(i+1, len(rows)+1)
				return nil, &LimitError{fmt.Sprintf("cell %s is longer than %d characters", cell, lim.CellChars)}
			}
		}
		for len(cells) < width {
			cells = append(cells, "")
		}
		rows = append(rows, cells)
	}
	if it.Error() != nil {
		return nil, ErrNotWorkbook
	}
	return rows, nil
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
	return nil
}
