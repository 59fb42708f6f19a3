package domain

import (
	"encoding/json"
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
