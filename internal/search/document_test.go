package search

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gradzone/gradzone/internal/domain"
)

func TestSpaceScripts(t *testing.T) {
	cases := map[string]string{
		"2025届科研助理":     "2025 届科研助理",
		"Java开发工程师":     "Java 开发工程师",
		"招聘AI算法助理":      "招聘 AI 算法助理",
		"plain english": "plain english",
		"中文，English":    "中文，English",
		// A browser walk: the space the writer put there was taken out too.
		"Probe4Review 科研助理": "Probe4Review 科研助理",
		"招聘 AI 助理，AI算法":     "招聘 AI 助理，AI 算法",
	}
	for in, want := range cases {
		if got := SpaceScripts(in); got != want {
			t.Errorf("SpaceScripts(%q) = %q, want %q", in, got, want)
		}
		if got := UnspaceScripts(SpaceScripts(in), in); got != in {
			t.Errorf("round trip %q → %q", in, got)
		}
	}
	if got := UnspaceScripts("<mark>2025</mark> 届 <mark>Java</mark> 开发", "2025届Java开发"); got != "<mark>2025</mark>届<mark>Java</mark>开发" {
		t.Errorf("highlighted: %q", got)
	}
	if got := UnspaceScripts("<mark>Probe4Review</mark> 科研助理", "Probe4Review 科研助理"); got != "<mark>Probe4Review</mark> 科研助理" {
		t.Errorf("highlighted, a space of the writer's: %q", got)
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

// PinyinQuery spells a query's Han runs as PinyinTokens spells a
// document's, keeping the other words; a query without Han has none.
func TestPinyinQuery(t *testing.T) {
	for _, tc := range []struct{ query, want string }{
		{"人工致能", "rengongzhineng"},
		{"深证 2025届", "shenzheng 2025 jie"},
		{"Java开发", "Java kaifa"},
		{"machine 学习。", "machine xuexi。"},
		{"人工致能 -北京", "rengongzhineng -beijing"}, // an exclusion stays one
		{`"人工致能"`, `"rengongzhineng"`},
		{"Java", ""}, // no Han: nothing to spell
		{"鑫", ""},    // one character: a syllable that prefixes half the index
		{"", ""},
	} {
		if got := PinyinQuery(tc.query); got != tc.want {
			t.Errorf("PinyinQuery(%q) = %q, want %q", tc.query, got, tc.want)
		}
	}
}

// PinyinPhrases makes each spelt run a phrase, matched whole; a run inside
// the reader's own phrase stays in it; longest counts the longest run's
// letters (the near sound is tried only for a long one).
func TestPinyinPhrases(t *testing.T) {
	for _, tc := range []struct {
		query, want string
		longest     int
	}{
		{"实习", `"shixi"`, 5},
		{"深证 2025届", `"shenzheng" 2025 "jie"`, 9},
		{"人工致能 -北京", `"rengongzhineng" -"beijing"`, 14},
		{`"人工致能 算法"`, `"rengongzhineng suanfa"`, 14},
		{"Java", "", 0},
	} {
		if got, n := PinyinPhrases(tc.query); got != tc.want || n != tc.longest {
			t.Errorf("PinyinPhrases(%q) = %q, %d; want %q, %d", tc.query, got, n, tc.want, tc.longest)
		}
	}
}

// BenchmarkNewDocument is the Go side of indexing one opening of the
// benchmark's shape (make bench): most of it is the pinyin field.
// documentsFingerprint is what TestDocumentVersionPinsTheDocuments found
// NewDocument to make at DocumentVersion.
const documentsFingerprint = "4:f091ee4fa5bcae34"

// The self-heal compares the index's documents with what NewDocument makes
// now, and skips documents of another doc_version. A change of what a
// document holds (a field, a label of an industry or discipline, pinyin,
// SpaceScripts) without raising DocumentVersion would make every document
// "differ", and during a rolling deploy the old and the new replicas would
// rebuild the index in turn (a review). This pins NewDocument's output for
// openings of every industry and discipline to the version: raise
// DocumentVersion with any change, and put the new fingerprint here.
func TestDocumentVersionPinsTheDocuments(t *testing.T) {
	published := time.Date(2026, 11, 3, 9, 30, 0, 123456000, time.UTC)
	zone := domain.ZoneRef{Code: "sichuan-chengdu", NameZh: "成都高新技术产业开发区"}
	sum := sha256.New()
	industries, disciplines := domain.IndustryCodes(), domain.DisciplineCodes()
	for i := range max(len(industries), len(disciplines)) {
		o := domain.Opening{ID: fmt.Sprint(i), Title: "2025届Java开发·科研助理", Description: "负责AI算法实验数据的整理与分析",
			Employer: domain.EmployerRef{ID: "e1", Name: "成都智算科技有限公司", Type: "enterprise"}, ProvinceCode: "51", Zone: &zone,
			City: "西安", Industry: industries[i%len(industries)], Discipline: disciplines[i%len(disciplines)], DegreeMin: "master",
			Majors: []string{"计算机科学与技术", "统计学"}, Headcount: 3, SalaryMin: 6000, SalaryMax: 9000, Deadline: "2027-01-31",
			PublishedAt: &published}
		js, err := json.Marshal(NewDocument(o))
		if err != nil {
			t.Fatal(err)
		}
		sum.Write(js)
	}
	if got := fmt.Sprintf("%d:%x", DocumentVersion, sum.Sum(nil)[:8]); got != documentsFingerprint {
		t.Errorf("NewDocument makes other documents at version %d (%s, pinned %s): raise DocumentVersion with the change, then pin the new fingerprint",
			DocumentVersion, got, documentsFingerprint)
	}
}

func BenchmarkNewDocument(b *testing.B) {
	o := domain.Opening{ID: "o1", Title: "人工智能算法科研助理", Description: strings.Repeat("参与大模型训练数据与评测研究。", 20),
		City: "成都", Industry: "ai", Discipline: "engineering", DegreeMin: "master", Deadline: "2027-06-30",
		Employer: domain.EmployerRef{ID: "e1", Name: "成都智算科技有限公司"}, Zone: &domain.ZoneRef{Code: "sichuan-chengdu", NameZh: "成都高新技术产业开发区"}}
	b.ReportAllocs()
	var bytes int
	for b.Loop() {
		bytes = len(NewDocument(o).Pinyin)
	}
	b.ReportMetric(float64(bytes), "pinyin-bytes")
}
