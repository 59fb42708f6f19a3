package excel

import (
	"strings"
	"testing"
)

// FuzzSafeText: no written cell starts with a character a spreadsheet reads
// as a formula, and the text itself is kept (issue 12 items 4 and 11).
func FuzzSafeText(f *testing.F) {
	for _, s := range []string{"", "=1+1", "+1", "-1", "@x", "\t=1", "\r=1", "李华", "'=1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := SafeText(s)
		if !strings.HasSuffix(got, s) || len(got) > len(s)+1 {
			t.Fatalf("SafeText(%q) = %q lost or added text", s, got)
		}
		if got != "" && strings.ContainsRune("=+-@\t\r", rune(got[0])) {
			t.Fatalf("SafeText(%q) = %q starts a formula", s, got)
		}
	})
}

// FuzzReadRows: any upload is rows within the limits or an error, never a
// panic, and never more rows, columns or characters than the limits allow.
func FuzzReadRows(f *testing.F) {
	for _, kind := range []string{"employers", "openings"} {
		b, err := Template(kind, []any{"示例", "91510100MA6CXXXXX", "企业", 2, "2027-06-30"}, nil)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("PK\x03\x04 not really a zip"))
	f.Add([]byte{})
	lim := Limits{Unzipped: 4 << 20, InMemory: 1 << 20, Entries: 50, Sheets: 4, Rows: 50, Columns: 20, CellChars: 200, Text: 4 << 20}
	f.Fuzz(func(t *testing.T, data []byte) {
		sheet, err := ReadRows(data, 5, lim, func(r []string) bool { return IsTemplateHeader("employers", r) })
		if err != nil {
			return
		}
		rows := sheet.Rows
		if len(rows) > lim.Rows {
			t.Fatalf("%d rows past the limit", len(rows))
		}
		var text int64
		for _, r := range rows {
			if len(r) > lim.Columns && len(r) > 5 {
				t.Fatalf("%d columns past the limit", len(r))
			}
			for _, c := range r {
				text += int64(len(c))
			}
		}
		if text > lim.Text {
			t.Fatalf("%d bytes of text past the limit", text)
		}
	})
}
