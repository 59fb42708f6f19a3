package excel

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

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
		// A workbook we wrote (a corrections workbook) is read back as the
		// rows it was made from: readText undoes exactly one SafeText.
		if got := readText(SafeText(in)); got != in {
			t.Errorf("readText(SafeText(%q)) = %q", in, got)
		}
	}
	// A cell typed with an apostrophe of its own is kept as it is.
	for _, in := range []string{"'", "'already", "''-2"} {
		if got := readText(in); got != in {
			t.Errorf("readText(%q) = %q", in, got)
		}
	}
}

// The monthly workbook writes its text cells through the same rule: a zone
// name shaped like a formula arrives as text, numbers stay numbers.
func TestMonthlyWorkbookNeutralisesFormulas(t *testing.T) {
	name := `=HYPERLINK("http://x","y")`
	b, err := MonthlyWorkbook([]domain.MonthlyReport{{Zone: "z", ZoneName: name, ProvinceCode: "51"}}, nil, 2026, 5, Cover{Area: "成都高新区", At: time.Now()})
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

// A browser walk read the size sheet's columns as 大型, 中型, 微型, 小型
// (the codes' alphabet): a breakdown's columns follow its terms (微型 to
// 大型), values it does not name last. Every term has its column, 0 where
// none: a month walk found 微型 in the nation's file and not in a zone's.
func TestBreakdownColumnsFollowTheTerms(t *testing.T) {
	b := domain.NewBreakdowns()
	for code, n := range map[string]int64{"large": 1, "medium": 2, "small": 4, "giant": 5} {
		b.ByEmployerSize[code] = n
	}
	wb, err := MonthlyWorkbook([]domain.MonthlyReport{{Zone: "z", ZoneName: "成都", ProvinceCode: "51", Breakdowns: b}}, nil, 2026, 5, Cover{Area: "成都高新区", At: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(wb))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("按单位规模")
	if err != nil || len(rows) < 2 {
		t.Fatalf("size sheet: %v %v", rows, err)
	}
	want := []string{"高新区代码", "高新区", "微型", "小型", "中型", "大型", "giant", "合计"}
	if got := rows[0]; strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("columns %v, want %v", got, want)
	}
	if got := strings.Join(rows[1][2:], ","); got != "0,4,2,1,5,12" {
		t.Fatalf("counts %s", got)
	}
}

// A walk read 已通过 in the workbook for a report the page showed as
// 已通过 v2 逾期报送, and 逾期 where the page says 已逾期: the workbook's
// status says what the page does.
func TestWorkbookStatusSaysWhatThePageDoes(t *testing.T) {
	late := time.Date(2026, 9, 2, 3, 0, 0, 0, time.UTC)
	b, err := MonthlyWorkbook([]domain.MonthlyReport{
		{Zone: "a", ZoneName: "甲", ProvinceCode: "51", Year: 2026, Month: 8, State: "accepted", Version: 2, SubmittedAt: &late},
		{Zone: "b", ZoneName: "乙", ProvinceCode: "51", Year: 2026, Month: 8, State: "overdue"},
	}, nil, 2026, 8, Cover{Area: "成都高新区", At: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	col, _ := excelize.ColumnNumberToName(len(summaryHeaders))
	for cell, want := range map[string]string{col + "2": "已通过 v2 · 逾期报送", col + "3": "已逾期"} {
		if v, _ := f.GetCellValue(SummarySheet, cell); v != want {
			t.Errorf("%s = %q, want %q", cell, v, want)
		}
	}
}

// The workbook's state words are the page's (a review found 未报送 in the
// workbook where the page says 无需报送, and 逾期 had drifted from 已逾期).
func TestWorkbookStatesAreThePagesWords(t *testing.T) {
	b, err := os.ReadFile("../../web/i18n/zh.json")
	if err != nil {
		t.Fatal(err)
	}
	var zh map[string]string
	if err := json.Unmarshal(b, &zh); err != nil {
		t.Fatal(err)
	}
	for state, word := range stateZh {
		if zh["report.state."+state] != word {
			t.Errorf("%s: the workbook says %q, the page %q", state, word, zh["report.state."+state])
		}
	}
	off := reportStatus(domain.MonthlyReport{Year: 2026, Month: 11, State: "draft"})
	if off != "无需报送" {
		t.Errorf("a November draft reads %q in the workbook, want 无需报送 as on the page", off)
	}
}
