package excel

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/gradzone/gradzone/internal/domain"
)

func TestSafeText(t *testing.T) {
	for in, want := range map[string]string{
		`=HYPERLINK("http://x","y")`: `'=HYPERLINK("http://x","y")`,
		"+1+1":                       "'+1+1",
		"-2+3":                       "'-2+3",
		"@SUM(A1)":                   "'@SUM(A1)",
		"\t=1":                       "'\t=1",
		"\r=1":                       "'\r=1",
		"李华":                         "李华",
		"a=b":                        "a=b",
		"":                           "",
		"'already":                   "'already",
	} {
		if got := SafeText(in); got != want {
			t.Errorf("SafeText(%q) = %q, want %q", in, got, want)
		}
	}
}

// The monthly workbook writes its text cells through the same rule: a zone
// name shaped like a formula arrives as text, numbers stay numbers.
func TestMonthlyWorkbookNeutralisesFormulas(t *testing.T) {
	name := `=HYPERLINK("http://x","y")`
	b, err := MonthlyWorkbook([]domain.MonthlyReport{{Zone: "z", ZoneName: name, ProvinceCode: "51"}}, 2026, 5)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if fo, _ := f.GetCellFormula(SummarySheet, "B2"); fo != "" {
		t.Fatalf("B2 holds formula %q", fo)
	}
	if v, _ := f.GetCellValue(SummarySheet, "B2"); v != "'"+name {
		t.Fatalf("B2 = %q", v)
	}
	if typ, _ := f.GetCellType(SummarySheet, "H2"); typ == excelize.CellTypeInlineString || typ == excelize.CellTypeSharedString {
		t.Fatal("a count was written as text")
	}
}
