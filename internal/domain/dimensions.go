package domain

import "sort"

// Breakdowns are placements per value of each report dimension (see
// Dimensions), as the reports, progress views and dashboards carry them.
type Breakdowns struct {
	ByEmployerType map[string]int64 `json:"by_employer_type"`
	ByEmployerSize map[string]int64 `json:"by_employer_size"`
	ByIndustry     map[string]int64 `json:"by_industry"`
	ByDegree       map[string]int64 `json:"by_degree"`
	ByDiscipline   map[string]int64 `json:"by_discipline"`
}

// Dimension is one way the programme breaks placements down ("规模稳、产业聚、
// 企业微、人员优"). Dimensions is the only list of them: the store counts
// placements by Column, the reports and dashboards carry Field, the workbook
// writes a sheet named Sheet, the pages title the chart Zh or En and label
// values from Terms.
type Dimension struct {
	Key    string // stored in placement_breakdowns.dimension
	Field  string // the JSON field of Breakdowns
	Zh, En string // the heading of its chart
	Sheet  string // the workbook sheet (Excel header)
	// Column is where a placement's value is read at the hire, as an SQL
	// expression over the store's placement join: p placements,
	// e employers, o openings, g graduates. The placement keeps that value:
	// a later edit of the profile or the opening does not move it.
	Column string
	Terms  []Term // the values' labels
	field  func(*Breakdowns) *map[string]int64
}

// Dimensions lists every report dimension, in the order they are shown.
var Dimensions = []Dimension{
	{Key: "employer_type", Field: "by_employer_type", Zh: "按单位类型", En: "By employer type", Sheet: "按单位类型",
		Column: "e.type", Terms: EmployerTypeTerms, field: func(b *Breakdowns) *map[string]int64 { return &b.ByEmployerType }},
	{Key: "employer_size", Field: "by_employer_size", Zh: "按单位规模", En: "By employer size", Sheet: "按单位规模",
		Column: "e.size", Terms: EmployerSizeTerms, field: func(b *Breakdowns) *map[string]int64 { return &b.ByEmployerSize }},
	{Key: "industry", Field: "by_industry", Zh: "按行业", En: "By industry", Sheet: "按行业",
		Column: "o.industry", Terms: Industries, field: func(b *Breakdowns) *map[string]int64 { return &b.ByIndustry }},
	{Key: "degree", Field: "by_degree", Zh: "按学历", En: "By degree", Sheet: "按学历",
		Column: "g.degree", Terms: DegreeTerms, field: func(b *Breakdowns) *map[string]int64 { return &b.ByDegree }},
	{Key: "discipline", Field: "by_discipline", Zh: "按学科门类", En: "By discipline", Sheet: "按学科门类",
		Column: "o.discipline", Terms: Disciplines, field: func(b *Breakdowns) *map[string]int64 { return &b.ByDiscipline }},
}

// Of returns b's placements by value in dimension d.
func (b *Breakdowns) Of(d Dimension) map[string]int64 { return *d.field(b) }

// Label returns the label of value in d, in Chinese or (lang "en") English.
func (d Dimension) Label(lang, value string) string {
	if lang == "en" {
		return TermEn(d.Terms, value)
	}
	return TermZh(d.Terms, value)
}

// Title returns d's heading in Chinese or (lang "en") English.
func (d Dimension) Title(lang string) string {
	if lang == "en" {
		return d.En
	}
	return d.Zh
}

// Ordered returns values in the order of d's terms (微型 before 小型, …),
// the values it does not name last, sorted: the columns of a breakdown.
func (d Dimension) Ordered(values []string) []string {
	rank := make(map[string]int, len(d.Terms))
	for i, t := range d.Terms {
		rank[t.Code] = i
	}
	out := append([]string(nil), values...)
	sort.SliceStable(out, func(i, j int) bool {
		ri, iKnown := rank[out[i]]
		rj, jKnown := rank[out[j]]
		switch {
		case iKnown && jKnown:
			return ri < rj
		case iKnown != jKnown:
			return iKnown
		}
		return out[i] < out[j]
	})
	return out
}

// Set records that n placements have value in the dimension keyed
// dimension (it replaces, not adds: the store's rows are grouped).
func (b Breakdowns) Set(dimension, value string, n int64) {
	for _, d := range Dimensions {
		if d.Key == dimension {
			b.Of(d)[value] = n
		}
	}
}

// NewBreakdowns returns empty breakdowns.
func NewBreakdowns() Breakdowns {
	var b Breakdowns
	b.FillEmpty()
	return b
}

// FillEmpty gives every dimension missing from b an empty map, so a report
// frozen before a dimension existed shows it as {} rather than null.
func (b *Breakdowns) FillEmpty() {
	for _, d := range Dimensions {
		if m := d.field(b); *m == nil {
			*m = map[string]int64{}
		}
	}
}
