package domain

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"
)

// TestDimensionsRegistry checks the registry against itself: each dimension
// owns one Breakdowns field whose JSON name is its Field, every value list
// is labelled, and keys are unique.
func TestDimensionsRegistry(t *testing.T) {
	b := NewBreakdowns()
	seen := map[string]bool{}
	for _, d := range Dimensions {
		if seen[d.Key] || d.Key == "" || d.Zh == "" || d.En == "" || d.Sheet == "" || d.Column == "" || len(d.Terms) == 0 {
			t.Fatalf("dimension %+v: duplicate or incomplete", d)
		}
		seen[d.Key] = true
		b.Set(d.Key, "marker", int64(len(d.Key)))
	}
	raw, _ := json.Marshal(b)
	var got map[string]map[string]int64
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(Dimensions) {
		t.Fatalf("Breakdowns has %d fields, the registry %d dimensions: %s", len(got), len(Dimensions), raw)
	}
	for _, d := range Dimensions {
		if got[d.Field]["marker"] != int64(len(d.Key)) {
			t.Errorf("dimension %s is not stored in field %s: %s", d.Key, d.Field, raw)
		}
	}
	for _, c := range []struct {
		terms []Term
		codes []string
	}{{EmployerTypeTerms, EmployerTypes}, {EmployerSizeTerms, EmployerSizes}, {DegreeTerms, Degrees}} {
		if !slices.Equal(codes(c.terms), c.codes) {
			t.Errorf("labels %v do not match codes %v", codes(c.terms), c.codes)
		}
	}
}

// TestFillEmpty: a report frozen before a dimension existed shows it as {}.
func TestFillEmpty(t *testing.T) {
	var r MonthlyReport
	if err := json.Unmarshal([]byte(`{"by_employer_type":{"enterprise":2}}`), &r); err != nil {
		t.Fatal(err)
	}
	r.FillEmpty()
	for _, d := range Dimensions {
		if r.Of(d) == nil {
			t.Errorf("%s is nil", d.Field)
		}
	}
	if r.ByEmployerType["enterprise"] != 2 {
		t.Fatalf("kept values lost: %v", r.ByEmployerType)
	}
}

// TestDiffReports: the versions' diff lists, per dimension, the values
// whose counts differ (a value one version does not list counts 0), not
// those that agree, and the figures as before.
func TestDiffReports(t *testing.T) {
	rate := 50.0
	before := MonthlyReport{Completion: Completion{Placements: 3, TargetPlacements: 6, CompletionRate: &rate}, Breakdowns: NewBreakdowns()}
	before.ByDegree["master"], before.ByDegree["doctor"], before.ByDegree["bachelor"] = 1, 1, 1
	before.ByEmployerType["enterprise"] = 3
	after := MonthlyReport{Completion: Completion{Placements: 3, TargetPlacements: 6, CompletionRate: &rate}, Breakdowns: NewBreakdowns()}
	after.ByDegree["master"], after.ByDegree["doctor"], after.ByDegree["associate"], after.ByDegree["bachelor"] = 2, 1, 0, 0
	after.ByEmployerType["enterprise"] = 3
	d := DiffReports(before, after)
	// The same total: no figure moved, but a bachelor's hire became a master's.
	if len(d.Figures) != 0 {
		t.Errorf("figures: %v", d.Figures)
	}
	want := map[string]map[string][2]int64{"by_degree": {"master": {1, 2}, "bachelor": {1, 0}}}
	if fmt.Sprint(d.Breakdowns) != fmt.Sprint(want) {
		t.Errorf("breakdowns: %v, want %v", d.Breakdowns, want)
	}
	after.Placements, after.CompletionRate = 4, nil
	after.ByIndustry["ai"] = 1
	d = DiffReports(before, after)
	if fmt.Sprint(d.Figures) != "map[completion_rate:[50 <nil>] placements:[3 4]]" || fmt.Sprint(d.Breakdowns["by_industry"]) != "map[ai:[0 1]]" {
		t.Errorf("figures %v, industries %v", d.Figures, d.Breakdowns["by_industry"])
	}
	vs := []ReportVersion{{Report: before}, {Report: after}}
	DiffVersions(vs)
	if vs[0].Changes == nil || vs[0].BreakdownChanges == nil || len(vs[0].Changes)+len(vs[0].BreakdownChanges) != 0 ||
		fmt.Sprint(vs[1].BreakdownChanges) != fmt.Sprint(d.Breakdowns) {
		t.Errorf("versions: %+v", vs)
	}
}
