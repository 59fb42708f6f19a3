package domain

import (
	"net/url"
	"reflect"
	"slices"
	"testing"
)

func TestReadDegreeWords(t *testing.T) {
	cases := []struct {
		q, degree   string
		wantQ       string
		wantDegrees []string
	}{
		{"博士", "", "", []string{"doctor"}},
		{"人工智能 硕士", "", "人工智能", []string{"master"}},
		{"研究生 化学", "", "化学", []string{"master", "doctor"}},
		{"PhD machine learning", "", "machine learning", []string{"doctor"}},
		{"本科 大专 实验", "", "实验", []string{"associate", "bachelor"}},
		{"博士后", "", "博士后", nil},        // a postdoc is not a degree
		{"化学博士", "", "化学博士", nil},      // only whole words
		{"博士 化学", "master", "化学", nil}, // the explicit filter wins
		{"化学 实验", "", "化学 实验", nil},
	}
	for _, tc := range cases {
		got := SearchQuery{Q: tc.q, SearchFilters: SearchFilters{Degree: tc.degree}}.ReadDegreeWords()
		if got.Q != tc.wantQ || !slices.Equal(got.Degrees, tc.wantDegrees) || got.Degree != tc.degree {
			t.Errorf("%q (degree %q): got q=%q degrees=%v degree=%q, want q=%q degrees=%v", tc.q, tc.degree,
				got.Q, got.Degrees, got.Degree, tc.wantQ, tc.wantDegrees)
		}
	}
}

// TestSearchParams: the parameters WithParams reads are those Params writes,
// with the default sort and the empty ones left out of links.
func TestSearchParams(t *testing.T) {
	raw := "q=%E5%8D%9A%E5%A3%AB&zone=sichuan-chengdu&province=51&industry=ai&degree=master&employer_type=university&city=%E6%88%90%E9%83%BD&sort=newest&page=3"
	v, _ := url.ParseQuery(raw)
	q := SearchQuery{Page: 1, PerPage: 20}.WithParams(v.Get)
	want := SearchQuery{Q: "博士", SearchFilters: SearchFilters{Zone: "sichuan-chengdu", Province: "51", Industry: "ai", Degree: "master",
		EmployerType: "university", City: "成都"}, Sort: "newest", Page: 1, PerPage: 20}
	if !reflect.DeepEqual(q, want) {
		t.Fatalf("WithParams = %+v, want %+v", q, want)
	}
	v.Del("page")
	if got := q.Params(); got.Encode() != v.Encode() {
		t.Fatalf("Params = %s, want %s", got.Encode(), v.Encode())
	}
	if got := (SearchQuery{Sort: "relevance", SearchFilters: SearchFilters{City: "成都"}}).Params().Encode(); got != "city=%E6%88%90%E9%83%BD" {
		t.Fatalf("default sort and empty parameters in %s", got)
	}
}
