package excel

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// readBook writes a one-sheet workbook of rows (fix adds merges, hidden
// rows or formulas) and reads it as an employers upload.
func readBook(t *testing.T, rows [][]any, fix func(f *excelize.File)) Sheet {
	t.Helper()
	sheet, err := ReadRows(writeBook(t, rows, fix), 5, ImportLimits, func(r []string) bool { return IsTemplateHeader("employers", r) })
	if err != nil {
		t.Fatal(err)
	}
	return sheet
}

// writeBook is readBook's workbook.
func writeBook(t *testing.T, rows [][]any, fix func(f *excelize.File)) []byte {
	t.Helper()
	f := excelize.NewFile()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	if fix != nil {
		fix(f)
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

var employerHeadings = []any{"单位名称", "统一社会信用代码", "单位类型", "单位规模", "所属行业"}

// An import probe: officers merge a cell over the rows it is true of (an
// employer's credit code over its openings), and the rows under the first
// read it empty (必填). A merged range's value fills its first column down;
// across, it stays in its own column (a title merged over the description's
// column too would otherwise be imported as the description); a title
// merged over the headings fills nothing; a row that held nothing but the
// merge's reach stays blank.
func TestReadRowsFillsMergedCells(t *testing.T) {
	sheet := readBook(t, [][]any{
		{"成都高新区单位名录"},
		employerHeadings,
		{"甲公司", "91510100MA6CXXXXX", "企业", "小型", "人工智能"},
		{"乙公司", nil, "企业", nil, "人工智能"},
		{"丙公司", nil, "企业", nil, "人工智能"},
	}, func(f *excelize.File) {
		for _, r := range [][2]string{{"A1", "E1"}, {"B3", "B6"}, {"C5", "D5"}, {"D3", "D4"}} {
			if err := f.MergeCell("Sheet1", r[0], r[1]); err != nil {
				t.Fatal(err)
			}
		}
	})
	if sheet.HeaderRow != 2 {
		t.Fatalf("headings at row %d", sheet.HeaderRow)
	}
	got := make([]string, len(sheet.Rows))
	for i, r := range sheet.Rows {
		got[i] = strings.Join(r, "|")
	}
	want := []string{
		"甲公司|91510100MA6CXXXXX|企业|小型|人工智能",
		"乙公司|91510100MA6CXXXXX|企业|小型|人工智能",
		"丙公司|91510100MA6CXXXXX|企业||人工智能", // C5:D5: the type's, not the size's
	}
	if !slices.Equal(got, want) {
		t.Errorf("rows read\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// A security probe: one string of 10,000 characters in the shared string
// table, named by every cell of 1,000 rows, made a 30 KB upload cost the
// server a gigabyte; a merged range copies its top cell the same way. Text
// past what the file could hold written out is refused, however it is
// spelled; the same text typed into fewer cells is read.
func TestReadRowsBoundsTheTextCellsRepeat(t *testing.T) {
	long := strings.Repeat("Z", ImportLimits.CellChars)
	rows := [][]any{employerHeadings}
	for range 1400 {
		rows = append(rows, []any{long, long, long, long, long})
	}
	shared := writeBook(t, rows, nil)
	if len(shared) > 200<<10 {
		t.Fatalf("the workbook is %d bytes, not a small file", len(shared))
	}
	// The 2,000-row merge reaches 20 MB: under the import's limit, so
	// the test reads it with a limit of 16 MB.
	merged := [][]any{employerHeadings, {long, "91510100MA6CXXXXX"}}
	for range 2000 {
		merged = append(merged, []any{nil, "91510100MA6CXXXXX"})
	}
	lim := ImportLimits
	lim.Text = 16 << 20
	for name, c := range map[string]struct {
		book []byte
		lim  Limits
	}{
		"shared string": {shared, ImportLimits},
		"merged range": {writeBook(t, merged, func(f *excelize.File) {
			if err := f.MergeCell("Sheet1", "A2", "A2002"); err != nil {
				t.Fatal(err)
			}
		}), lim},
	} {
		_, err := ReadRows(c.book, 5, c.lim, func(r []string) bool { return IsTemplateHeader("employers", r) })
		var le *LimitError
		if !errors.As(err, &le) || le.Reason != fmt.Sprintf("the cells hold more than %d MB of text, a text in many cells counted in each: keep each text in the cells that need it", c.lim.Text>>20) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if sheet := readBook(t, rows[:100], nil); len(sheet.Rows) != 99 {
		t.Errorf("99 rows of long text read as %d", len(sheet.Rows))
	}
}

// Overlapping merges are no workbook Excel writes; they are refused rather
// than filled without bound.
func TestFillMergedRefusesOverlaps(t *testing.T) {
	rows := [][]string{{"a", "", ""}, {"b", "", ""}}
	many := make([]cellRange, 10)
	for i := range many {
		many[i] = cellRange{1, 1, 3, 2}
	}
	if _, err := fillMerged(rows, 1, many, 3); err != ErrNotWorkbook {
		t.Errorf("ten overlapping ranges: %v", err)
	}
	// Over blank rows too (a review: they were walked free, and a 22 KB
	// file of 240,000 copies of one range over 20,000 rows read for 4.8 s).
	blank := make([][]string, 20000)
	blank[0] = []string{"91510100MA6CXXXXX"}
	for i := 1; i < len(blank); i++ {
		blank[i] = []string{""}
	}
	copies := make([]cellRange, 1000)
	for i := range copies {
		copies[i] = cellRange{1, 2, 1, 20001}
	}
	if _, err := fillMerged(blank, 2, copies, 1); err != ErrNotWorkbook {
		t.Errorf("a thousand copies of one range over blank rows: %v", err)
	}
}

// An import probe: a row hidden in the sheet (filtered out) was imported.
// Hidden rows with something in them are read blank and named; a hidden
// empty row is nothing to name. A row of no height is hidden too (a
// security probe: it was imported, and the officer could not see it).
func TestReadRowsSkipsHiddenRows(t *testing.T) {
	var rows [][]any
	rows = append(rows, employerHeadings)
	for i := range 6 {
		rows = append(rows, []any{fmt.Sprintf("单位%d", i+2), "91510100MA6CXXXXX", "企业", "小型", "人工智能"})
	}
	rows = append(rows, []any{}, []any{"单位9", "91510100MA6CXXXXX", "企业", "小型", "人工智能"})
	sheet := readBook(t, rows, func(f *excelize.File) {
		for _, r := range []int{3, 5, 6, 8} {
			if err := f.SetRowVisible("Sheet1", r, false); err != nil {
				t.Fatal(err)
			}
		}
		if err := f.SetRowHeight("Sheet1", 7, 0); err != nil {
			t.Fatal(err)
		}
	})
	if !slices.Equal(sheet.HiddenRows, []int{3, 5, 6, 7}) {
		t.Errorf("hidden rows %v, want [3 5 6 7]", sheet.HiddenRows)
	}
	var names []string
	for _, r := range sheet.Rows {
		names = append(names, r[0])
	}
	if want := []string{"单位2", "", "单位4", "", "", "", "", "单位9"}; !slices.Equal(names, want) {
		t.Errorf("names read %q, want %q", names, want)
	}
}

// An import probe: a formula with no stored result (a workbook a program
// wrote and nobody opened in Excel) read as an empty cell, and was refused
// as if nothing were typed. The reader names such cells; a formula with a
// stored result reads as its result.
func TestReadRowsNamesFormulasWithoutResults(t *testing.T) {
	sheet := readBook(t, [][]any{
		employerHeadings,
		{nil, nil, "企业", "小型", "人工智能"},
		{nil, "91510100MA6CXXXXX", "企业", "小型", "人工智能"},
		{"丙公司", "91510100MA6CXXXXX", "企业", "小型", nil},
	}, func(f *excelize.File) {
		f.SetCellFormula("Sheet1", "A2", `="甲"&"公司"`)
		f.SetCellFormula("Sheet1", "B2", `=UPPER("91510100ma6cxxxxx")`)
		f.SetCellInt("Sheet1", "A3", 12) // its result, as Excel stores it
		f.SetCellFormula("Sheet1", "A3", `=10+2`)
		f.SetCellFormula("Sheet1", "E4", `=""`)
		f.SetCellFormula("Sheet1", "F4", `=1`) // right of the template's columns: not read
	})
	if want := map[int][]int{2: {0, 1}, 4: {4}}; fmt.Sprint(sheet.Uncalculated) != fmt.Sprint(want) {
		t.Errorf("uncalculated %v, want %v", sheet.Uncalculated, want)
	}
	if sheet.Rows[1][0] != "12" {
		t.Errorf("a formula with its result read %q", sheet.Rows[1][0])
	}
}

// rezip copies the workbook book part by part; put writes a part itself
// (answering true) or leaves it to be copied as it is.
func rezip(t *testing.T, book []byte, put func(zw *zip.Writer, name string, body []byte) bool) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(book), int64(len(book)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, zf := range zr.File {
		rc, _ := zf.Open()
		body, _ := io.ReadAll(rc)
		rc.Close()
		if !put(zw, zf.Name, body) {
			w, _ := zw.Create(zf.Name)
			w.Write(body)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// lyingZip is book with part name declaring an inflated size of declared.
func lyingZip(t *testing.T, book []byte, name string, declared uint64) []byte {
	return rezip(t, book, func(zw *zip.Writer, n string, body []byte) bool {
		if n != name {
			return false
		}
		var packed bytes.Buffer
		fw, _ := flate.NewWriter(&packed, flate.DefaultCompression)
		fw.Write(body)
		fw.Close()
		w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(body),
			CompressedSize64: uint64(packed.Len()), UncompressedSize64: declared})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(packed.Bytes())
		return true
	})
}

// withParts is book with the parts named in parts holding their new text.
func withParts(t *testing.T, book []byte, parts map[string]string) []byte {
	return rezip(t, book, func(zw *zip.Writer, name string, _ []byte) bool {
		text, ok := parts[name]
		if ok {
			w, _ := zw.Create(name)
			io.WriteString(w, text)
		}
		return ok
	})
}

// A review: excelize builds a whole row, each shared string copied into
// every cell naming it, and writes a number format into every cell of its
// style, before any limit is checked: an 8 KB file of one string of 1 MB
// named by 500 cells of a row took 507 MB, one cell of a 40,000-character
// format 824 MB. The parts are read as a stream first: a string longer
// than a cell may hold, a row of more cells than the columns allowed, a
// format longer than Excel's are refused before excelize reads anything.
func TestReadRowsRefusesWhatExcelizeWouldInflate(t *testing.T) {
	base := writeBook(t, [][]any{employerHeadings, {"甲公司", "91510100MA6CXXXXX", "企业", "小型", "人工智能"}}, nil)
	const ns = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"`
	sst := func(s string) string {
		return `<?xml version="1.0" encoding="UTF-8"?><sst ` + ns + ` count="1" uniqueCount="1"><si><t>` + s + `</t></si></sst>`
	}
	headings := `<row r="1">`
	for i, h := range employerHeadings {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		headings += `<c r="` + cell + `" t="inlineStr"><is><t>` + h.(string) + `</t></is></c>`
	}
	headings += `</row>`
	row := `<row r="2">`
	for i := range 5000 {
		cell, _ := excelize.CoordinatesToCellName(i+1, 2)
		row += `<c r="` + cell + `" t="s"><v>0</v></c>`
	}
	wide := `<?xml version="1.0" encoding="UTF-8"?><worksheet ` + ns + `><sheetData>` + headings + row + `</row></sheetData></worksheet>`
	wide = strings.Replace(wide, `</row></row>`, `</row>`, 1)
	var styled bytes.Buffer
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &employerHeadings)
	style, err := f.NewStyle(&excelize.Style{CustomNumFmt: ptr(strings.Repeat("Z", 2000))})
	if err != nil {
		t.Fatal(err)
	}
	f.SetCellValue("Sheet1", "A2", 1)
	f.SetCellStyle("Sheet1", "A2", "A2", style)
	if err := f.Write(&styled); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct {
		book   []byte
		reason string
	}{
		"a long shared string": {withParts(t, base, map[string]string{"xl/sharedStrings.xml": sst(strings.Repeat("Z", 200_000))}),
			"a text of the workbook is longer than 10000 characters"},
		"a row of 5,000 cells": {withParts(t, base, map[string]string{"xl/sharedStrings.xml": sst(strings.Repeat("Z", 90_000)), "xl/worksheets/sheet1.xml": wide}),
			"row 2 has more than 64 columns"},
		"a long number format": {styled.Bytes(), "a number format of the workbook is longer than 255 characters"},
	} {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := ReadRows(c.book, 5, ImportLimits, func(r []string) bool { return IsTemplateHeader("employers", r) })
		runtime.ReadMemStats(&after)
		var le *LimitError
		if !errors.As(err, &le) || le.Reason != c.reason {
			t.Errorf("%s: %v, want %q", name, err, c.reason)
		}
		// A bound, not a measure: the row's 5,000 copies of 90 KB were
		// 450 MB.
		if grew := after.TotalAlloc - before.TotalAlloc; grew > 64<<20 {
			t.Errorf("%s: reading it allocated %d MB", name, grew>>20)
		}
	}
}

// An import probe: a zip bomb whose sheet declared 1,000 bytes (and
// inflated to 300 MB) was refused as "not the template"; a sheet cut short
// that way could as well have lost rows without a word. A part that
// inflates past its declared size is no workbook.
func TestReadRowsRefusesPartsThatLieAboutTheirSize(t *testing.T) {
	rows := []any{employerHeadings}
	for i := range 200 {
		rows = append(rows, []any{"单位" + strconv.Itoa(i%3), "91510100MA6CXXXXX", "企业", "小型", "人工智能"})
	}
	f := excelize.NewFile()
	for i, r := range rows {
		r := r.([]any)
		f.SetSheetRow("Sheet1", "A"+strconv.Itoa(i+1), &r)
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	isHeader := func(r []string) bool { return IsTemplateHeader("employers", r) }
	if _, err := ReadRows(b.Bytes(), 5, ImportLimits, isHeader); err != nil {
		t.Fatalf("the honest workbook: %v", err)
	}
	for _, part := range []string{"xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"} {
		if _, err := ReadRows(lyingZip(t, b.Bytes(), part, 1000), 5, ImportLimits, isHeader); err != ErrNotWorkbook {
			t.Errorf("%s declared 1,000 bytes: %v, want ErrNotWorkbook", part, err)
		}
	}
}

// The sheet's tags are read by hand (scanSheet): an attribute is found by
// its whole name, in either quotes, on any white space.
func TestAttr(t *testing.T) {
	for tag, want := range map[string]string{
		`c r="A1" t="s">3`:          "A1",
		`c s="1" r="B2"/>`:          "B2",
		"c\tr='C3'>":                "C3",
		`x:c rr="no" r="D4">`:       "D4",
		`c t="s">r="E5"`:            "", // text after the tag is no attribute
		`c xr="F6">`:                "",
		`mergeCell ref="A2:A4"/>`:   "",
		`c r="G7`:                   "",
		`c xml:space="preserve" r=`: "",
	} {
		if got := string(attr([]byte(tag), "r")); got != want {
			t.Errorf("attr(%q, r) = %q, want %q", tag, got, want)
		}
	}
	if got := string(attr([]byte(`x:mergeCell ref="A2:A4"/>`), "ref")); got != "A2:A4" {
		t.Errorf("ref = %q", got)
	}
}
