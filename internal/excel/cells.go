package excel

import (
	"encoding/csv"
	"io"

	"github.com/xuri/excelize/v2"
)

// SafeText returns s as a spreadsheet shows it as text. A cell whose text
// starts with =, +, -, @, tab or carriage return is read as a formula by
// Excel, LibreOffice and WPS (CSV injection: `=HYPERLINK(...)` in a
// graduate's name would become a live link in a zone officer's sheet), so
// such text gets a leading apostrophe (the contract's rule, OWASP's advice).
// Every CSV and xlsx export writes text through this one function.
func SafeText(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// readText is a read cell's text with SafeText undone: a workbook this
// project wrote (a corrections workbook) comes back as its rows were read.
func readText(s string) string {
	if len(s) > 1 && s[0] == '\'' && SafeText(s[1:]) == s {
		return s[1:]
	}
	return s
}

// safeRow neutralises the text cells of an xlsx row; numbers, times and nil
// stay typed values, which no spreadsheet evaluates.
func safeRow(row []any) []any {
	out := make([]any, len(row))
	for i, v := range row {
		switch x := v.(type) {
		case string:
			out[i] = SafeText(x)
		case *string:
			if x != nil {
				out[i] = SafeText(*x)
			}
		default:
			out[i] = v
		}
	}
	return out
}

// CSVWriter writes CSV records whose every cell went through SafeText.
type CSVWriter struct{ w *csv.Writer }

// NewCSV returns a CSVWriter on w.
func NewCSV(w io.Writer) *CSVWriter { return &CSVWriter{w: csv.NewWriter(w)} }

// Write writes one record.
func (c *CSVWriter) Write(record []string) error {
	safe := make([]string, len(record))
	for i, s := range record {
		safe[i] = SafeText(s)
	}
	return c.w.Write(safe)
}

// Flush writes buffered data and reports any write error.
func (c *CSVWriter) Flush() error {
	c.w.Flush()
	return c.w.Error()
}

// setRow writes row from cell on through SafeText; every xlsx row goes here.
func setRow(f *excelize.File, sheet, cell string, row []any) error {
	safe := safeRow(row)
	return f.SetSheetRow(sheet, cell, &safe)
}

func strs(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
