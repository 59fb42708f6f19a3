package domain

import (
	"encoding/json"
	"strings"
	"testing"
)

// A review: the refused rows of an upload at its text limit, cells of
// "<", were written as 366 MB of JSON (six bytes each) before Postgres
// was asked to keep them. They are written as they are, and kept up to a
// bound; the rows past it are not kept for correction.
func TestRefusedRowsJSONIsBounded(t *testing.T) {
	rows := []RefusedRow{{Row: 2, Cells: []string{strings.Repeat("<", 100)}}, {Row: 3, Cells: []string{"&"}}, {Row: 4, Cells: []string{"丙"}}}
	out, kept := RefusedRowsJSON(rows, 1<<20)
	var back []RefusedRow
	if err := json.Unmarshal(out, &back); err != nil || kept != 3 || len(back) != 3 || back[0].Cells[0] != rows[0].Cells[0] {
		t.Fatalf("all kept: %d %v (%v)", kept, back, err)
	}
	if len(out) > 250 { // 600 and more with each < written as \u003c
		t.Errorf("a hundred < written as %d bytes", len(out))
	}
	for max, want := range map[int]int{len(out): 3, len(out) - 1: 2, 10: 0} {
		out, kept := RefusedRowsJSON(rows, max)
		if err := json.Unmarshal(out, &back); err != nil || kept != want || len(back) != want || len(out) > max && want > 0 {
			t.Errorf("within %d bytes: kept %d of %d, %d bytes (%v)", max, kept, want, len(out), err)
		}
	}
}
