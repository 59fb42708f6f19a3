package excel

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// cellRange is a merged range of a sheet, its corners' columns and rows
// counted from 1.
type cellRange struct{ col1, row1, col2, row2 int }

// cellAt is a cell of a sheet: its row from 1, its column from 0.
type cellAt struct{ row, col int }

// sheetParts is what a sheet's XML says besides its cells' values, which
// excelize's streamed rows do not: its merged ranges, and its formulas
// that have no stored result.
type sheetParts struct {
	merged       []cellRange
	uncalculated []cellAt
	flat         []int // rows of no height, which excelize reads as visible
}

// scanSheet reads sheet's merged ranges, its formula cells without a
// result and its rows of no height from the worksheet's XML in the zip, as
// a stream of tags (excelize's GetMergeCells would decode the whole sheet
// into memory, tens of MB for an upload of 20,000 rows; the limits were
// checked by checkZip).
func scanSheet(data []byte, sheet string) (sheetParts, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return sheetParts{}, ErrNotWorkbook
	}
	part, ok := sheetPart(zr, sheet)
	if !ok {
		return sheetParts{}, nil // excelize found the sheet; nothing more to read
	}
	rc, err := part.Open()
	if err != nil {
		return sheetParts{}, ErrNotWorkbook
	}
	defer rc.Close()
	var out sheetParts
	var cell []byte // the open cell's reference (reused), empty outside a cell or without one
	var formula, value bool
	err = eachTag(rc, func(t xmlTag) error {
		switch {
		case t.closing:
			if t.is("c") && len(cell) > 0 && formula && !value {
				if col, row, err := excelize.CellNameToCoordinates(string(cell)); err == nil {
					out.uncalculated = append(out.uncalculated, cellAt{row: row, col: col - 1})
				}
			}
		case t.is("c"):
			cell, formula, value = append(cell[:0], attr(t.raw, "r")...), false, false
			if t.empty {
				cell = cell[:0] // <c r="A1" s="1"/>: no content
			}
		case t.is("f"):
			formula = true
		case t.is("v"):
			value = true
		case t.is("row"):
			if ht, err := strconv.ParseFloat(string(attr(t.raw, "ht")), 64); err == nil && ht == 0 {
				if r, err := strconv.Atoi(string(attr(t.raw, "r"))); err == nil {
					out.flat = append(out.flat, r)
				}
			}
		case t.is("mergeCell"):
			if r, ok := parseRange(string(attr(t.raw, "ref"))); ok {
				out.merged = append(out.merged, r)
			}
		}
		return nil
	})
	if err != nil {
		return sheetParts{}, err
	}
	return out, nil
}

// xmlTag is one tag of an XML part as eachTag reads it.
type xmlTag struct {
	local   []byte // its name without the namespace prefix
	closing bool   // </c>
	empty   bool   // <c r="A1" s="1"/>: it opens and closes
	raw     []byte // its name and attributes, then the text after it
}

// is reports whether the tag is of element name.
func (t xmlTag) is(name string) bool { return string(t.local) == name }

// text is the text after the tag, up to the next one.
func (t xmlTag) text() []byte {
	if i := bytes.IndexByte(t.raw, '>'); i >= 0 {
		return t.raw[i+1:]
	}
	return nil
}

// eachTag calls fn with each tag of an XML part, as a stream (the tag's
// bytes are reused: fn copies what it keeps). A token over 1 MB (a cell's
// text is at most 32,767 characters, escaped) or a part that cannot be read
// to its end is no workbook; fn's error ends the walk.
func eachTag(r io.Reader, fn func(xmlTag) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	sc.Split(func(data []byte, atEOF bool) (int, []byte, error) {
		if atEOF && len(data) == 0 {
			return 0, nil, nil
		}
		if i := bytes.IndexByte(data, '<'); i >= 0 {
			return i + 1, data[:i], nil
		}
		if atEOF {
			return len(data), data, nil
		}
		return 0, nil, nil
	})
	for sc.Scan() {
		raw := sc.Bytes()
		closing := len(raw) > 0 && raw[0] == '/'
		name := bytes.TrimPrefix(raw, []byte("/"))
		if i := bytes.IndexAny(name, " \t\r\n/>"); i >= 0 {
			name = name[:i]
		}
		end := bytes.IndexByte(raw, '>')
		empty := end >= 0 && bytes.HasSuffix(bytes.TrimSpace(raw[:end+1]), []byte("/>"))
		if err := fn(xmlTag{local: localName(name), closing: closing, empty: empty, raw: raw}); err != nil {
			return err
		}
	}
	if sc.Err() != nil {
		return ErrNotWorkbook
	}
	return nil
}

// maxFormatCode is the longest number format Excel writes (255
// characters), escaped (&quot; is six bytes).
const maxFormatCode = 255 * 6

// checkPart refuses, as it streams the XML part name, what excelize would
// make large in memory from a few bytes (a review): a shared string longer
// than a cell may hold, which it copies into every cell that names it; a
// row of more cells than lim.Columns, which it builds whole before any
// check; a number format longer than Excel's, which it writes into every
// cell of its style in time growing with the square of its length.
func checkPart(r io.Reader, name string, lim Limits) error {
	worksheet := strings.HasPrefix(name, "xl/worksheets/")
	maxText := lim.CellChars * 10 // escaped: &#x10FFFF; is ten bytes
	inString, text := false, 0
	row, cells := 0, 0
	return eachTag(r, func(t xmlTag) error {
		switch {
		case t.is("si"):
			inString, text = !t.closing, 0
		case worksheet && t.is("row") && !t.closing:
			row, cells = row+1, 0
			if n, err := strconv.Atoi(string(attr(t.raw, "r"))); err == nil {
				row = n
			}
		case worksheet && t.is("c") && !t.closing && !t.empty:
			if cells++; cells > lim.Columns {
				return &LimitError{fmt.Sprintf("row %d has more than %d columns", row, lim.Columns)}
			}
		case t.is("numFmt") && !t.closing && len(attr(t.raw, "formatCode")) > maxFormatCode:
			return &LimitError{"a number format of the workbook is longer than 255 characters"}
		}
		if inString {
			if text += len(t.text()); text > maxText {
				return &LimitError{fmt.Sprintf("a text of the workbook is longer than %d characters", lim.CellChars)}
			}
		}
		return nil
	})
}

// localName is an element's name without its namespace prefix.
func localName(name []byte) []byte {
	if i := bytes.IndexByte(name, ':'); i >= 0 {
		name = name[i+1:]
	}
	return name
}

// attr is the value of attribute key in tag (empty when it has none).
func attr(tag []byte, key string) []byte {
	end := bytes.IndexByte(tag, '>')
	if end < 0 {
		end = len(tag)
	}
	head := tag[:end]
	for i := 0; i < len(head); {
		j := bytes.Index(head[i:], []byte(key))
		if j < 0 {
			return nil
		}
		at := i + j
		i = at + len(key)
		// A whole attribute name: after white space, before ="…" or ='…'.
		if at == 0 || !isSpace(head[at-1]) || i+1 >= len(head) || head[i] != '=' || (head[i+1] != '"' && head[i+1] != '\'') {
			continue
		}
		v := head[i+2:]
		if k := bytes.IndexByte(v, head[i+1]); k >= 0 {
			return v[:k]
		}
		return nil
	}
	return nil
}

func isSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' }

// parseRange reads A2:A4 (a single cell is no range to fill).
func parseRange(ref string) (cellRange, bool) {
	from, to, ok := strings.Cut(ref, ":")
	if !ok {
		return cellRange{}, false
	}
	c1, r1, err1 := excelize.CellNameToCoordinates(from)
	c2, r2, err2 := excelize.CellNameToCoordinates(to)
	if err1 != nil || err2 != nil {
		return cellRange{}, false
	}
	return cellRange{min(c1, c2), min(r1, r2), max(c1, c2), max(r1, r2)}, true
}

// fillMerged gives the cells of a merged range's first column the value its
// top-left cell holds, in rows (rows[i] is the sheet's row first+i):
// officers merge an employer's credit code over the rows of its openings,
// and a row under it read empty (an import probe). Across, the value stays
// in its own column: a merge over two columns is for looks, and filling it
// would import a title merged over the description's column as the
// description. A range that starts above rows (a title or a heading) fills
// nothing, and a row that held nothing before is left blank (a merge one
// row too long is no row to import). Ranges of a valid workbook do not
// overlap, so they reach each row at most once a column (of at most
// columns): more is no workbook, and would cost time without bound (every
// row a range reaches is counted, blank or not). added is the bytes it
// wrote, which count toward the workbook's text (Limits.Text).
func fillMerged(rows [][]string, first int, merged []cellRange, columns int) (added int64, err error) {
	if len(rows) == 0 {
		return 0, nil
	}
	filled := make([]bool, len(rows))
	for i, r := range rows {
		filled[i] = !Blank(r)
	}
	budget := len(rows) * columns
	last := first + len(rows) - 1
	for _, m := range merged {
		if m.row1 < first || m.row1 > last {
			continue
		}
		top := rows[m.row1-first]
		if m.col1 > len(top) || top[m.col1-1] == "" {
			continue
		}
		v := top[m.col1-1]
		for r := m.row1; r <= min(m.row2, last); r++ {
			if budget--; budget < 0 {
				return added, ErrNotWorkbook
			}
			if row := rows[r-first]; r != m.row1 && filled[r-first] && m.col1 <= len(row) && row[m.col1-1] == "" {
				row[m.col1-1] = v
				added += int64(len(v))
			}
		}
	}
	return added, nil
}

// sheetPart is the zip entry of sheet's XML: the workbook names its sheets'
// relationships, whose targets are the parts.
func sheetPart(zr *zip.Reader, sheet string) (*zip.File, bool) {
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		files[strings.ToLower(strings.TrimPrefix(strings.ReplaceAll(f.Name, "\\", "/"), "/"))] = f
	}
	type rel struct {
		ID     string `xml:"Id,attr"`
		Type   string `xml:"Type,attr"`
		Target string `xml:"Target,attr"`
	}
	var rels struct {
		Rel []rel `xml:"Relationship"`
	}
	read := func(name string, v any) bool {
		f, ok := files[strings.ToLower(name)]
		if !ok || f.UncompressedSize64 > 8<<20 {
			return false
		}
		rc, err := f.Open()
		if err != nil {
			return false
		}
		defer rc.Close()
		return xml.NewDecoder(io.LimitReader(rc, 8<<20)).Decode(v) == nil
	}
	book := "xl/workbook.xml"
	if read("_rels/.rels", &rels) {
		for _, r := range rels.Rel {
			if strings.HasSuffix(r.Type, "/officeDocument") {
				book = strings.TrimPrefix(r.Target, "/")
			}
		}
	}
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			ID   string `xml:"id,attr"`
		} `xml:"sheets>sheet"`
	}
	if !read(book, &wb) {
		return nil, false
	}
	rels.Rel = nil
	if !read(path.Join(path.Dir(book), "_rels", path.Base(book)+".rels"), &rels) {
		return nil, false
	}
	for _, s := range wb.Sheets {
		if !strings.EqualFold(s.Name, sheet) {
			continue
		}
		for _, r := range rels.Rel {
			if r.ID != s.ID {
				continue
			}
			target := path.Join(path.Dir(book), r.Target)
			if strings.HasPrefix(r.Target, "/") {
				target = strings.TrimPrefix(r.Target, "/")
			}
			f, ok := files[strings.ToLower(target)]
			return f, ok
		}
	}
	return nil, false
}
