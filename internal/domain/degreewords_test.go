package domain

import (
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
		got := SearchQuery{Q: tc.q, Degree: tc.degree}.ReadDegreeWords()
		if got.Q != tc.wantQ || !slices.Equal(got.Degrees, tc.wantDegrees) || got.Degree != tc.degree {
			t.Errorf("%q (degree %q): got q=%q degrees=%v degree=%q, want q=%q degrees=%v", tc.q, tc.degree,
				got.Q, got.Degrees, got.Degree, tc.wantQ, tc.wantDegrees)
		}
	}
}
