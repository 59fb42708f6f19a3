package search

import (
	"strings"
	"testing"
)

func TestSpaceScripts(t *testing.T) {
	cases := map[string]string{
		"2025届科研助理":     "2025 届科研助理",
		"Java开发工程师":     "Java 开发工程师",
		"招聘AI算法助理":      "招聘 AI 算法助理",
		"plain english": "plain english",
		"中文，English":    "中文，English",
	}
	for in, want := range cases {
		if got := SpaceScripts(in); got != want {
			t.Errorf("SpaceScripts(%q) = %q, want %q", in, got, want)
		}
		if got := UnspaceScripts(SpaceScripts(in)); got != in {
			t.Errorf("round trip %q → %q", in, got)
		}
	}
	if got := UnspaceScripts("<mark>2025</mark> 届 <mark>Java</mark> 开发"); got != "<mark>2025</mark>届<mark>Java</mark>开发" {
		t.Errorf("highlighted: %q", got)
	}
}

func TestPinyinTokens(t *testing.T) {
	got := " " + PinyinTokens("生物医药科研助理", "", "成都") + " "
	for _, want := range []string{"keyanzhuli", "kyzl", "ke yan zhu li", "chengdu", "cd", "shengwuyiyaokeyanzhuli"} {
		if !strings.Contains(got, " "+want+" ") {
			t.Errorf("missing %q in %q", want, got)
		}
	}
}
