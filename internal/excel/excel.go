// Package excel writes the monthly report workbook, the import templates and
// an import's refused rows to correct (Corrections), reads uploaded workbooks,
// and writes CSV downloads with the same formula-safe cells (NewCSV,
// SafeText). It is the only package that imports excelize.
package excel

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/gradzone/gradzone/internal/domain"
)

// SummarySheet is the name of the workbook's first sheet.
const SummarySheet = "月报汇总"

var summaryHeaders = []string{"高新区代码", "高新区", "省份代码", "岗位开发目标", "已开发岗位", "岗位开发完成率", "招录目标", "已招录",
	"招录完成率", "去年同期招录", "同比增长", "占全省比重", "报送状态"}

// pct turns a percentage (42.5) into a spreadsheet fraction (0.425), or nil.
func pct(v *float64) any {
	if v == nil {
		return nil
	}
	// Rounded as shown (0.1 %): 141.7 / 100 is 1.4169999… in binary, which
	// a program reading the cell would see (a walk).
	return math.Round(*v*10) / 1000
}

// stateZh are the report states in the reports page's words (web/i18n
// zh.json's report.state.*, which a test holds them to).
var stateZh = map[string]string{"not_started": "未开始", "draft": "未报送", "submitted": "已报送", "accepted": "已通过",
	"returned": "已退回", "overdue": "已逾期", "not_due": "无需报送"}

// reportStatus is a report's status as the reports page says it: its state,
// its version once submitted, and whether it came in late.
func reportStatus(r domain.MonthlyReport) string {
	state := r.State
	if state == "draft" && !domain.InReportSeason(r.Month) {
		state = "not_due" // none is owed outside the season, as the page says
	}
	s := stateZh[state]
	if r.Version > 0 {
		s += fmt.Sprintf(" v%d", r.Version)
	}
	if r.SubmittedLate() {
		s += " · 逾期报送"
	}
	return s
}

// Cover is what a workbook says of itself: whose area, and when it was
// made (a walk printed and forwarded workbooks that named neither).
type Cover struct {
	Area string // 成都高新区, 四川省, 全国
	At   time.Time
	// Provinces are the national workbook's province level (ProvincesSheet),
	// one report each with the province's name; nil elsewhere.
	Provinces []NamedProvinceReport
}

// NamedProvinceReport is a province's report with its name.
type NamedProvinceReport struct {
	Name   string
	Report domain.ProvinceReport
}

// ProvincesSheet is the national workbook's second sheet: one row per
// province, its own report's figures (its zones and its employers outside
// any zone), its state and when it was submitted.
const ProvincesSheet = "各省汇总"

var provinceHeaders = []string{"省份代码", "省份", "岗位开发目标", "已开发岗位", "岗位开发完成率", "招录目标", "已招录",
	"招录完成率", "去年同期招录", "同比增长", "其中区外单位招录", "省级月报状态", "报送时间（北京时间）"}

// AboutSheet is the name of the workbook's last sheet, which says what it is.
const AboutSheet = "说明"

// MonthlyWorkbook builds the monthly report workbook: one row per zone with
// targets, counts, completion rates, year-on-year and province share, a
// totals row that equals the sum of the rows, and one sheet per breakdown.
// A province's or the nation's (area not nil) adds the row of the employers
// outside any zone, which count toward it, and its totals carry the area's
// targets, so they read as its report and dashboard do.
func MonthlyWorkbook(reports []domain.MonthlyReport, area *domain.AreaMonth, year, month int, cover Cover) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", SummarySheet); err != nil {
		return nil, err
	}
	header, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Color: []string{"DDEBF7"}, Pattern: 1}})
	percent, _ := f.NewStyle(&excelize.Style{CustomNumFmt: ptr("0.0%")})
	bold, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	boldPct, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, CustomNumFmt: ptr("0.0%")})

	_ = setRow(f, SummarySheet, "A1", strs(summaryHeaders))
	_ = f.SetRowStyle(SummarySheet, 1, 1, header)
	rows, named := reports, fmt.Sprintf("%d个高新区", len(reports))
	if area != nil {
		rows, named = append(slices.Clip(reports), area.Outside), named+"及区外单位"
	}
	var tp, tpl, pos, pl, prev int64
	for i, r := range rows {
		row := []any{r.Zone, r.ZoneName, r.ProvinceCode, r.TargetPositions, r.PositionsDeveloped, pct(r.PositionsCompletionRate),
			r.TargetPlacements, r.Placements, pct(r.CompletionRate), r.PlacementsPrevYear, pct(r.YoYGrowth), pct(r.ProvinceShare), reportStatus(r)}
		if r.Zone == "" { // outside any zone: no target, rate, share or report of its own
			row[3], row[5], row[6], row[8], row[11] = nil, nil, nil, nil, nil
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := setRow(f, SummarySheet, cell, row); err != nil {
			return nil, err
		}
		tp, tpl, pos, pl, prev = tp+r.TargetPositions, tpl+r.TargetPlacements, pos+r.PositionsDeveloped, pl+r.Placements, prev+r.PlacementsPrevYear
	}
	if area != nil {
		tp, tpl = area.TargetPositions, area.TargetPlacements
	}
	last := len(rows) + 2
	totals := []any{"合计", named, "", tp, pos, pct(domain.Percent(pos, tp)), tpl, pl,
		pct(domain.Percent(pl, tpl)), prev, pct(domain.Growth(pl, prev)), nil, ""}
	cell, _ := excelize.CoordinatesToCellName(1, last)
	_ = setRow(f, SummarySheet, cell, totals)
	for _, col := range []string{"F", "I", "K", "L"} {
		_ = f.SetCellStyle(SummarySheet, col+"2", fmt.Sprintf("%s%d", col, last), percent)
	}
	_ = f.SetRowStyle(SummarySheet, last, last, bold)
	for _, col := range []string{"F", "I", "K"} {
		_ = f.SetCellStyle(SummarySheet, fmt.Sprintf("%s%d", col, last), fmt.Sprintf("%s%d", col, last), boldPct)
	}
	_ = f.SetColWidth(SummarySheet, "A", "A", 28)
	_ = f.SetColWidth(SummarySheet, "B", "B", 34)
	fitHeaders(f, SummarySheet, 3, summaryHeaders[2:])
	// The status reads "已通过 v2 · 逾期报送": wider than its heading.
	_ = f.SetColWidth(SummarySheet, "M", "M", 24)
	_ = f.SetPanes(SummarySheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
	title := fmt.Sprintf("科研助理岗位 %d年%d月 月报 · %s", year, month, cover.Area)
	at := cover.At.UTC().Format(time.RFC3339)
	_ = f.SetDocProps(&excelize.DocProperties{Title: title, Subject: cover.Area, Creator: "gradzone", LastModifiedBy: "gradzone",
		Created: at, Modified: at, Language: "zh-CN"})
	_ = f.SetAppProps(&excelize.AppProperties{Application: "gradzone"})

	if cover.Provinces != nil {
		if err := provincesSheet(f, cover.Provinces, header, bold, percent, boldPct); err != nil {
			return nil, err
		}
	}
	for _, d := range domain.Dimensions {
		if err := breakdownSheet(f, d, rows, header, bold); err != nil {
			return nil, err
		}
	}
	noted, err := notesSheet(f, reports, header)
	if err != nil {
		return nil, err
	}
	if err := aboutSheet(f, title, cover, noted); err != nil {
		return nil, err
	}
	// Printed and stamped: landscape, one page wide, the heading on each
	// page, and the title and area in the page header.
	for _, sheet := range f.GetSheetList() {
		_ = f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Orientation: ptr("landscape"), FitToWidth: ptr(1), FitToHeight: ptr(0)})
		_ = f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: ptr(true)})
		_ = f.SetHeaderFooter(sheet, &excelize.HeaderFooterOptions{OddHeader: "&C" + strings.ReplaceAll(title, "&", "&&"), OddFooter: "&C&P / &N"})
		if sheet != AboutSheet {
			_ = f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: "'" + sheet + "'!$1:$1", Scope: sheet})
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// provincesSheet writes the province level of the national workbook: a
// row per province and a totals row. A province's report is frozen when it
// is submitted, so the totals may differ from the summary's.
func provincesSheet(f *excelize.File, ps []NamedProvinceReport, header, bold, percent, boldPct int) error {
	if _, err := f.NewSheet(ProvincesSheet); err != nil {
		return err
	}
	_ = setRow(f, ProvincesSheet, "A1", strs(provinceHeaders))
	_ = f.SetRowStyle(ProvincesSheet, 1, 1, header)
	var total domain.Completion
	var zoneless int64
	for i, p := range ps {
		r := p.Report
		submitted := ""
		if r.SubmittedAt != nil {
			submitted = r.SubmittedAt.In(domain.Shanghai).Format("2006-01-02 15:04")
		}
		state := r.State
		if state == "draft" && !domain.InReportSeason(r.Month) {
			state = "not_due"
		}
		row := []any{r.Province, p.Name, r.TargetPositions, r.PositionsDeveloped, pct(r.PositionsCompletionRate),
			r.TargetPlacements, r.Placements, pct(r.CompletionRate), r.PlacementsPrevYear, pct(r.YoYGrowth), r.ZonelessPlacements,
			stateZh[state], submitted}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := setRow(f, ProvincesSheet, cell, row); err != nil {
			return err
		}
		total.TargetPositions += r.TargetPositions
		total.PositionsDeveloped += r.PositionsDeveloped
		total.TargetPlacements += r.TargetPlacements
		total.Placements += r.Placements
		total.PlacementsPrevYear += r.PlacementsPrevYear
		zoneless += r.ZonelessPlacements
	}
	last := len(ps) + 2
	cell, _ := excelize.CoordinatesToCellName(1, last)
	_ = setRow(f, ProvincesSheet, cell, []any{"合计", fmt.Sprintf("%d个省份", len(ps)), total.TargetPositions, total.PositionsDeveloped,
		pct(domain.Percent(total.PositionsDeveloped, total.TargetPositions)), total.TargetPlacements, total.Placements,
		pct(domain.Percent(total.Placements, total.TargetPlacements)), total.PlacementsPrevYear,
		pct(domain.Growth(total.Placements, total.PlacementsPrevYear)), zoneless, "", ""})
	for _, col := range []string{"E", "H", "J"} {
		_ = f.SetCellStyle(ProvincesSheet, col+"2", fmt.Sprintf("%s%d", col, last), percent)
	}
	_ = f.SetRowStyle(ProvincesSheet, last, last, bold)
	for _, col := range []string{"E", "H", "J"} {
		_ = f.SetCellStyle(ProvincesSheet, fmt.Sprintf("%s%d", col, last), fmt.Sprintf("%s%d", col, last), boldPct)
	}
	_ = f.SetColWidth(ProvincesSheet, "B", "B", 20)
	fitHeaders(f, ProvincesSheet, 3, provinceHeaders[2:])
	return f.SetPanes(ProvincesSheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
}

// breakdownSheet writes dimension d's sheet: one row per zone, one column
// per value, with row and column totals.
func breakdownSheet(f *excelize.File, d domain.Dimension, reports []domain.MonthlyReport, header, bold int) error {
	sheet := d.Sheet
	get := func(r domain.MonthlyReport) map[string]int64 { return r.Of(d) }
	label := func(v string) string { return d.Label("zh", v) }
	if _, err := f.NewSheet(sheet); err != nil {
		return err
	}
	// Every term has its column, 0 where none: files of other months and
	// areas line up (a walk found 微型 in the nation's and not in a
	// zone's). A stored value no term names follows them.
	var values, other []string
	for _, t := range d.Terms {
		values = append(values, t.Code)
	}
	for _, r := range reports {
		for k := range get(r) {
			if !slices.Contains(values, k) && !slices.Contains(other, k) {
				other = append(other, k)
			}
		}
	}
	values = append(values, d.Ordered(other)...)
	head := []any{"高新区代码", "高新区"}
	for _, v := range values {
		head = append(head, label(v))
	}
	head = append(head, "合计")
	_ = setRow(f, sheet, "A1", head)
	_ = f.SetRowStyle(sheet, 1, 1, header)
	totals := make([]int64, len(values)+1)
	for i, r := range reports {
		m := get(r)
		row := []any{r.Zone, r.ZoneName}
		var sum int64
		for j, v := range values {
			row = append(row, m[v])
			sum += m[v]
			totals[j] += m[v]
		}
		row = append(row, sum)
		totals[len(values)] += sum
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		_ = setRow(f, sheet, cell, row)
	}
	row := []any{"合计", ""}
	for _, t := range totals {
		row = append(row, t)
	}
	cell, _ := excelize.CoordinatesToCellName(1, len(reports)+2)
	_ = setRow(f, sheet, cell, row)
	_ = f.SetRowStyle(sheet, len(reports)+2, len(reports)+2, bold)
	_ = f.SetColWidth(sheet, "A", "B", 30)
	labels := make([]string, 0, len(head)-2)
	for _, h := range head[2:] {
		labels = append(labels, h.(string))
	}
	fitHeaders(f, sheet, 3, labels)
	return f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
}

// fitHeaders widens the columns from the first'th on to their bold
// headings: a Chinese character is about two widths of a digit (a walk
// read 新一代信息技术 cut off at Excel's default width).
func fitHeaders(f *excelize.File, sheet string, first int, headings []string) {
	for i, h := range headings {
		col, _ := excelize.ColumnNumberToName(first + i)
		w := 0.0
		for _, r := range h {
			if utf8.RuneLen(r) > 1 {
				w += 2.2
			} else {
				w += 1.2
			}
		}
		_ = f.SetColWidth(sheet, col, col, max(10, w+2))
	}
}

// stateWords lists the report states in the page's words, in the order a
// report goes through them.
func stateWords() string {
	var words []string
	for _, s := range []string{"not_started", "draft", "submitted", "accepted", "returned", "overdue", "not_due"} {
		words = append(words, stateZh[s])
	}
	return strings.Join(words, "、")
}

// NotesSheet lists the notes the zones wrote with their submissions
// (填报说明); a workbook has it when one was written.
const NotesSheet = "填报说明"

var notesHeaders = []string{"高新区代码", "高新区", "报送状态", "填报说明"}

// notesSheet writes the zones' notes, each beside the version it came
// with, and says whether there was one (a return's answer was on the site
// only, away from the figures it explains).
func notesSheet(f *excelize.File, reports []domain.MonthlyReport, header int) (bool, error) {
	var rows [][]any
	for _, r := range reports {
		if r.Note != "" {
			rows = append(rows, []any{r.Zone, r.ZoneName, reportStatus(r), r.Note})
		}
	}
	if len(rows) == 0 {
		return false, nil
	}
	if _, err := f.NewSheet(NotesSheet); err != nil {
		return false, err
	}
	// The column's style first: set after, it would take the header's (a
	// walk found D1 plain).
	wrap, _ := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err := f.SetColStyle(NotesSheet, "D", wrap); err != nil {
		return false, err
	}
	_ = setRow(f, NotesSheet, "A1", strs(notesHeaders))
	_ = f.SetRowStyle(NotesSheet, 1, 1, header)
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := setRow(f, NotesSheet, cell, row); err != nil {
			return false, err
		}
	}
	_ = f.SetColWidth(NotesSheet, "A", "A", 28)
	_ = f.SetColWidth(NotesSheet, "B", "B", 34)
	_ = f.SetColWidth(NotesSheet, "C", "C", 24)
	_ = f.SetColWidth(NotesSheet, "D", "D", 80)
	return true, nil
}

// aboutSheet says what the workbook is: the report, the area, when it was
// made, and how its figures are counted.
func aboutSheet(f *excelize.File, title string, cover Cover, noted bool) error {
	if _, err := f.NewSheet(AboutSheet); err != nil {
		return err
	}
	lines := [][]any{
		{"报表", title},
		{"范围", cover.Area},
		{"导出时间", cover.At.In(domain.Shanghai).Format("2006-01-02 15:04") + "（北京时间）"},
		{"口径", "岗位数和招录数为本年截至该月月末的累计值；已报送的月报为报送时的数据，未报送的为导出时的数据。"},
		{"报送状态", "月报汇总表最后一列：" + stateWords() + "；已报送的注明版本（v2 为第二次报送），逾期报送的注明。"},
		{"分项", "各分项表列出该维度的全部取值，没有招录的记 0，不同月份、地区的文件列位置一致。"},
	}
	if cover.Provinces != nil {
		lines = append(lines, []any{"各省汇总", "全国文件的第二张表：各省省级月报的数据（含省内区外单位招录）。已报送的省份为报送时的数据，未报送的为导出时的数据，故合计可能与月报汇总表不同。"})
	}
	if noted {
		lines = append(lines, []any{"填报说明", "各区报送月报时写的说明（如对退回的答复），列在所报送的版本旁。"})
	}
	for i, l := range lines {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := setRow(f, AboutSheet, cell, l); err != nil {
			return err
		}
	}
	_ = f.SetColWidth(AboutSheet, "A", "A", 12)
	_ = f.SetColWidth(AboutSheet, "B", "B", 90)
	wrap, _ := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	return f.SetColStyle(AboutSheet, "B", wrap)
}

func ptr[T any](v T) *T { return &v }

// Import templates: the header row of each kind of import.
// Enumerated columns take the code or the label (企业 or enterprise).
var Templates = map[string][]string{
	"employers": {"单位名称", "统一社会信用代码", "单位类型(企业/高校/科研院所)", "单位规模(微型/小型/中型/大型)", "所属行业(名称或代码)"},
	"openings": {"统一社会信用代码", "岗位名称", "岗位描述", "学科门类(名称或代码)", "所属行业(名称或代码)", "最低学历(专科/本科/硕士/博士)",
		"专业要求(以、分隔)", "招聘人数", "工作城市", "最低月薪(元)", "最高月薪(元)", "截止日期(YYYY-MM-DD)"},
}

// IsTemplateHeader reports whether row is the header row of kind's
// template: each heading as the template has it, or only its words before
// the bracket (单位类型 for 单位类型(企业/高校/科研院所)).
func IsTemplateHeader(kind string, row []string) bool {
	col, _, _ := HeaderMismatch(kind, row)
	return col == 0 && len(Templates[kind]) > 0
}

// HeaderMismatch is the first column (from 1) whose heading in row is not
// the template's, with what row has there and the template's heading; 0
// when every heading matches.
func HeaderMismatch(kind string, row []string) (column int, got, want string) {
	short := func(h string) string {
		h = strings.TrimSpace(h)
		if i := strings.IndexAny(h, "(（"); i > 0 {
			h = strings.TrimSpace(h[:i])
		}
		return h
	}
	for i, h := range Templates[kind] {
		if i >= len(row) {
			return i + 1, "", h
		}
		if short(row[i]) != short(h) {
			return i + 1, strings.TrimSpace(row[i]), h
		}
	}
	return 0, "", ""
}

// textColumns are each template's columns formatted as text: a credit code
// typed into a General cell becomes a number and loses its last digits,
// and a typed date becomes a date cell in the locale's format.
var textColumns = map[string][]string{"employers": {"B"}, "openings": {"A", "L"}}

// Choices are a template column's fixed choices: Column counts from 0.
type Choices struct {
	Column  int
	Heading string
	Terms   []domain.Term
}

// listsSheet is the hidden sheet that holds a template's drop-down lists
// (the import reads visible sheets only).
const listsSheet = "选项"

// Template returns the import template of kind with the example row. Each
// column of choices offers its terms' Chinese labels as a drop-down list
// (an import walk typed 民营企业 and 信息技术, and the refusal pointed at a
// list the template did not have). The list warns but does not stop a
// value outside it: the import takes the codes too, and names what it
// refuses.
func Template(kind string, example []any, choices []Choices) ([]byte, error) {
	return importWorkbook(kind, 1, func(int) []any { return example }, choices, false)
}

// CorrectionsHeading heads a corrections workbook's last column: the
// import reads only the template's columns, so it may stay.
const CorrectionsHeading = "问题（改正后可保留此列，重新上传）"

// Corrections is kind's template holding an import's refused rows, each
// as read with a last cell naming its problems (CorrectionsHeading), for
// staff to correct and upload again.
func Corrections(kind string, rows [][]string, choices []Choices) ([]byte, error) {
	return importWorkbook(kind, len(rows), func(i int) []any { return strs(rows[i]) }, choices, true)
}

// importWorkbook is kind's template with n rows under its headings (row
// gives the i'th), and with the corrections column when notes is set. The
// sheet is streamed: built in memory, a probe's corrections workbook of
// 20,000 rows took 374 MB at its download's peak. Its columns' widths and
// styles come before the rows (which take their column's style), its lists
// before the stream (their validations are the sheet's, written at the end).
func importWorkbook(kind string, n int, row func(i int) []any, choices []Choices, notes bool) ([]byte, error) {
	headers, ok := Templates[kind]
	if !ok {
		return nil, fmt.Errorf("no template %q", kind)
	}
	f := excelize.NewFile()
	defer f.Close()
	_ = f.SetSheetName("Sheet1", kind)
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49}) // "@"
	if err != nil {
		return nil, err
	}
	if err := dropDowns(f, kind, choices); err != nil {
		return nil, err
	}
	sw, err := f.NewStreamWriter(kind)
	if err != nil {
		return nil, err
	}
	headings := strs(headers)
	var note int
	if notes {
		headings = append(headings, CorrectionsHeading)
		// The notes stand out, wrapped in a wide column beside the row.
		if note, err = f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"},
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFF4CE"}}, Font: &excelize.Font{Color: "9C2F00"}}); err != nil {
			return nil, err
		}
	}
	// Column by column, from the last: the format wants the sheet's
	// columns in order, and excelize lists the one set last first (one
	// range set across them all, then a column's style, wrote 12, 1, 2, …;
	// a walk). TestCorrectionsWorkbook reads the order.
	for c := len(headings); c >= 1; c-- {
		width, style := 22.0, 0
		if name, _ := excelize.ColumnNumberToName(c); slices.Contains(textColumns[kind], name) {
			style = text
		}
		if c > len(headers) {
			width, style = 60, note
		}
		if err := sw.SetColWidth(c, c, width); err != nil {
			return nil, err
		}
		if style != 0 {
			if err := sw.SetColStyle(c, c, style); err != nil {
				return nil, err
			}
		}
	}
	if err := sw.SetRow("A1", safeRow(headings)); err != nil {
		return nil, err
	}
	for i := range n {
		if err := sw.SetRow("A"+strconv.Itoa(i+2), safeRow(row(i))); err != nil {
			return nil, err
		}
	}
	if err := sw.Flush(); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	err = f.Write(&buf)
	return buf.Bytes(), err
}

// dropDowns writes each column's labels to a column of the hidden lists
// sheet and gives the template's data rows a list of them.
func dropDowns(f *excelize.File, kind string, choices []Choices) error {
	if len(choices) == 0 {
		return nil
	}
	if _, err := f.NewSheet(listsSheet); err != nil {
		return err
	}
	for i, c := range choices {
		listCol, _ := excelize.ColumnNumberToName(i + 1)
		labels := make([]any, len(c.Terms))
		for j, t := range c.Terms {
			labels[j] = t.Zh
		}
		if err := f.SetSheetCol(listsSheet, listCol+"1", &labels); err != nil {
			return err
		}
		col, _ := excelize.ColumnNumberToName(c.Column + 1)
		dv := excelize.NewDataValidation(true)
		dv.Sqref = fmt.Sprintf("%s2:%s%d", col, col, ImportLimits.Rows)
		dv.SetSqrefDropList(fmt.Sprintf("'%s'!$%s$1:$%s$%d", listsSheet, listCol, listCol, len(labels)))
		dv.SetError(excelize.DataValidationErrorStyleWarning, c.Heading, "请从下拉列表中选择 · Pick one from the list")
		if err := f.AddDataValidation(kind, dv); err != nil {
			return err
		}
	}
	return f.SetSheetVisible(listsSheet, false)
}
