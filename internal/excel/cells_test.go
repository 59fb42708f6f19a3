package excel

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"regexp"
	"runtime"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
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

// correctionRows are n refused openings rows as an import keeps them, each
// with its 问题 note: a probe's 20,000-row corrections workbook took 374 MB
// to build in memory.
func correctionRows(n int) [][]string {
	rows := make([][]string, n)
	for i := range rows {
		rows[i] = []string{"91510100MA6CXXXXX", fmt.Sprintf("人工智能科研助理%d", i), "协助开展算法研究，整理实验数据，撰写技术文档", "工学", "人工智能",
			"本科", "计算机科学与技术、软件工程", "2", "成都", "6000", "9000", "2027-05-01",
			fmt.Sprintf("原第 %d 行：统一社会信用代码：本园区没有使用该统一社会信用代码的单位", i+2)}
	}
	return rows
}

// BenchmarkCorrections builds the corrections workbook of 2,000 and of
// 20,000 rows (go test -run X -bench Corrections -benchmem ./internal/excel).
func BenchmarkCorrections(b *testing.B) {
	for _, n := range []int{2000, 20000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) { benchmarkCorrections(b, n) })
	}
}

func benchmarkCorrections(b *testing.B, n int) {
	rows := correctionRows(n)
	choices := []Choices{{Column: 3, Heading: "学科门类", Terms: domain.Disciplines}, {Column: 4, Heading: "所属行业", Terms: domain.Industries},
		{Column: 5, Heading: "最低学历", Terms: domain.DegreeTerms}}
	b.ReportAllocs()
	// The live heap's peak, sampled: what a download holds at once (B/op
	// counts every allocation, freed or not).
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	var peak atomic.Uint64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		for {
			select {
			case <-stop:
				return
			case <-time.After(time.Millisecond):
			}
			metrics.Read(sample)
			if v := sample[0].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
		}
	}()
	for b.Loop() {
		if _, err := Corrections("openings", rows, choices); err != nil {
			b.Fatal(err)
		}
	}
	close(stop)
	<-sampled
	b.ReportMetric(float64(peak.Load()-min(peak.Load(), base.HeapAlloc))/(1<<20), "peak-heap-MB")
}

// The corrections workbook is streamed (a probe's of 20,000 rows took 374
// MB built in memory) and reads as it did: the rows as read with their
// notes, formula-like text neutralised, the code and date columns text
// (their cells too), the notes column wide and marked, each column of
// choices with its list from the hidden sheet. (Compared cell by cell,
// style by style, with the workbook built in memory before it was
// streamed: the same.)
func TestCorrectionsWorkbook(t *testing.T) {
	choices := []Choices{{Column: 3, Heading: "学科门类", Terms: domain.Disciplines}, {Column: 4, Heading: "所属行业", Terms: domain.Industries},
		{Column: 5, Heading: "最低学历", Terms: domain.DegreeTerms}}
	rows := correctionRows(3)
	rows[1][2] = "-以短横开头"
	rows[2][6] = ""
	book, err := Corrections("openings", rows, choices)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(book))
	if err != nil {
		t.Fatal(err)
	}
	if got := f.GetSheetList(); !slices.Equal(got, []string{"openings", listsSheet}) {
		t.Fatalf("sheets %v", got)
	}
	if visible, _ := f.GetSheetVisible(listsSheet); visible {
		t.Error("the lists sheet is visible")
	}
	read, _ := f.GetRows("openings")
	want := [][]string{append(slices.Clone(Templates["openings"]), CorrectionsHeading)}
	for _, r := range rows {
		want = append(want, slices.Clone(r))
	}
	want[2][2] = "'-以短横开头"
	if fmt.Sprint(read) != fmt.Sprint(want) {
		t.Errorf("rows\n%q\nwant\n%q", read, want)
	}
	numFmt := func(cell string) int {
		id, _ := f.GetCellStyle("openings", cell)
		st, _ := f.GetStyle(id)
		return st.NumFmt
	}
	for _, cell := range []string{"A1", "A2", "A4", "L2", "L4"} {
		if numFmt(cell) != 49 {
			t.Errorf("%s is not text", cell)
		}
	}
	if numFmt("B2") != 0 {
		t.Error("B2 is text")
	}
	for col, width := range map[string]float64{"A": 22, "L": 22, "M": 60} {
		if w, _ := f.GetColWidth("openings", col); w != width {
			t.Errorf("column %s is %v wide, want %v", col, w, width)
		}
	}
	// The sheet lists its columns in order, as the format asks (a walk
	// found 13, 12, 1, …: excelize reads it, Excel may drop the widths),
	// in the template as in the corrections.
	template, err := Template("openings", nil, choices)
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{"corrections": book, "template": template} {
		zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			t.Fatal(err)
		}
		var sheet []byte
		for _, zf := range zr.File {
			if zf.Name == "xl/worksheets/sheet1.xml" {
				rc, _ := zf.Open()
				sheet, _ = io.ReadAll(rc)
				rc.Close()
			}
		}
		last := 0
		for _, m := range regexp.MustCompile(`<col min="(\d+)" max="(\d+)"`).FindAllSubmatch(sheet, -1) {
			lo, _ := strconv.Atoi(string(m[1]))
			hi, _ := strconv.Atoi(string(m[2]))
			if lo <= last || hi < lo {
				t.Errorf("%s: <col min=%d max=%d> after a column up to %d", name, lo, hi, last)
			}
			last = hi
		}
		if last == 0 {
			t.Errorf("%s: no columns in the sheet:\n%.300s", name, sheet)
		}
	}
	id, _ := f.GetCellStyle("openings", "M3")
	if st, _ := f.GetStyle(id); st == nil || st.Alignment == nil || !st.Alignment.WrapText || len(st.Fill.Color) != 1 || st.Fill.Color[0] != "FFF4CE" {
		t.Errorf("the note cell's style: %+v", st)
	}
	dvs, _ := f.GetDataValidations("openings")
	var lists []string
	for _, dv := range dvs {
		lists = append(lists, dv.Sqref+" "+dv.Formula1)
	}
	if want := []string{"D2:D20001 '选项'!$A$1:$A$" + strconv.Itoa(len(domain.Disciplines)),
		"E2:E20001 '选项'!$B$1:$B$" + strconv.Itoa(len(domain.Industries)),
		"F2:F20001 '选项'!$C$1:$C$" + strconv.Itoa(len(domain.DegreeTerms))}; !slices.Equal(lists, want) {
		t.Errorf("lists %q, want %q", lists, want)
	}
}
