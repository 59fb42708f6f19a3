// Package search keeps the Meilisearch index of published openings: its
// settings, documents, queries and atomic rebuilds. It is the only package
// that imports meilisearch-go.
package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/pinyin"
)

// Document is an opening as indexed: denormalised, with extra fields that
// make Chinese, English, mixed-script and pinyin queries find it.
type Document struct {
	ID             string   `json:"id"`
	Title          string   `json:"title"`
	Description    string   `json:"description"`
	EmployerID     string   `json:"employer_id"`
	EmployerName   string   `json:"employer_name"`
	EmployerType   string   `json:"employer_type"`
	ZoneCode       string   `json:"zone_code"`
	ZoneName       string   `json:"zone_name"`
	ProvinceCode   string   `json:"province_code"`
	City           string   `json:"city"`
	Industry       string   `json:"industry"`
	IndustryText   string   `json:"industry_text"`
	Discipline     string   `json:"discipline"`
	DisciplineText string   `json:"discipline_text"`
	DegreeMin      string   `json:"degree_min"`
	DegreeRank     int      `json:"degree_rank"`
	Majors         []string `json:"majors"`
	Headcount      int      `json:"headcount"`
	SalaryMin      int      `json:"salary_min"`
	SalaryMax      int      `json:"salary_max"`
	Deadline       string   `json:"deadline"`
	// DeadlineTS is the end of the deadline day (Shanghai) in Unix seconds:
	// a filter on it hides expired openings with no one acting.
	DeadlineTS  int64  `json:"deadline_ts"`
	PublishedAt string `json:"published_at"`
	PublishedTS int64  `json:"published_ts"` // milliseconds: ties within a second sort stably
	// TitleSpaced and DescriptionSpaced separate Han characters from Latin
	// letters and digits, working around Meilisearch 1.21's segmenter, which
	// otherwise keeps "2025届" or "Java开发" from matching "2025" or "Java".
	TitleSpaced       string `json:"title_spaced"`
	DescriptionSpaced string `json:"description_spaced"`
	// Pinyin holds full pinyin and initials of the title, employer name,
	// zone, industry, discipline and majors, as whole runs and as 2–4
	// character words.
	Pinyin string `json:"pinyin"`
	// PlacePinyin spells the city whole, then by syllables and initials
	// (placeTokens), in a field of its own that ranks above Pinyin: "xian"
	// is 西安 before it is one syllable of 碳纤维.
	PlacePinyin string `json:"place_pinyin"`
	// Version is DocumentVersion when the document was built.
	Version int `json:"doc_version"`
}

// DocumentVersion is the shape of the documents NewDocument builds. Raise it
// with every change of what a document holds (a field, what pinyin spells):
// the self-heal rebuilds an index that holds documents of another version,
// so an upgrade needs no `gradzone reindex` by hand, and its check compares
// documents of this version only (TestDocumentVersionPinsTheDocuments fails
// on a change made without raising it). 2: the industry,
// discipline and majors spelt in pinyin. 3: the city's pinyin in a field of
// its own (place_pinyin). 4: the place spelt whole before its syllables.
const DocumentVersion = 4

// NewDocument builds the index document of an opening.
func NewDocument(o domain.Opening) Document {
	d := Document{
		ID: o.ID, Title: o.Title, Description: o.Description, EmployerID: o.Employer.ID, EmployerName: o.Employer.Name,
		EmployerType: o.Employer.Type, ProvinceCode: o.ProvinceCode, City: o.City, Industry: o.Industry,
		IndustryText:   domain.TermZh(domain.Industries, o.Industry) + " " + domain.TermEn(domain.Industries, o.Industry),
		Discipline:     o.Discipline,
		DisciplineText: domain.TermZh(domain.Disciplines, o.Discipline) + " " + domain.TermEn(domain.Disciplines, o.Discipline),
		DegreeMin:      o.DegreeMin, DegreeRank: domain.DegreeRank(o.DegreeMin), Majors: o.Majors,
		Headcount: o.Headcount, SalaryMin: o.SalaryMin, SalaryMax: o.SalaryMax, Deadline: o.Deadline,
		TitleSpaced: SpaceScripts(o.Title), DescriptionSpaced: SpaceScripts(o.Description), Version: DocumentVersion,
	}
	if o.Zone != nil {
		d.ZoneCode, d.ZoneName = o.Zone.Code, o.Zone.NameZh
	}
	if dl, ok := domain.ParseDate(o.Deadline); ok {
		d.DeadlineTS = dl.AddDays(1).Time().Unix() - 1
	}
	if o.PublishedAt != nil {
		d.PublishedAt = o.PublishedAt.UTC().Format("2006-01-02T15:04:05Z07:00")
		d.PublishedTS = o.PublishedAt.UnixMilli()
	}
	// The short fields a Chinese query also matches are spelt too (a walk's
	// rengongzhineng found a fifth of 人工智能); the description is not: its
	// windows would double the index.
	spelt := append([]string{o.Title, o.Employer.Name, d.ZoneName,
		domain.TermZh(domain.Industries, o.Industry), domain.TermZh(domain.Disciplines, o.Discipline)}, o.Majors...)
	d.Pinyin = PinyinTokens(spelt...)
	d.PlacePinyin = placeTokens(o.City)
	return d
}

type script int

const (
	scriptOther script = iota
	scriptHan
	scriptAlnum
)

func scriptOf(r rune) script {
	switch {
	case unicode.Is(unicode.Han, r):
		return scriptHan
	case r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
		return scriptAlnum
	}
	return scriptOther
}

// SpaceScripts inserts a space wherever Han characters meet ASCII letters or
// digits: "2025届Java开发" → "2025 届 Java 开发".
func SpaceScripts(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 16)
	prev := scriptOther
	for _, r := range s {
		cur := scriptOf(r)
		if (prev == scriptHan && cur == scriptAlnum) || (prev == scriptAlnum && cur == scriptHan) {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
		prev = cur
	}
	return b.String()
}

// UnspaceScripts undoes SpaceScripts on s, a part of SpaceScripts(original)
// (highlighted, perhaps cropped), for display: a space between the two
// scripts goes, past any highlight tag, unless original has that space
// itself between the same two letters ("Probe4Review 科研助理").
func UnspaceScripts(s, original string) string {
	written := map[[2]rune]bool{}
	or := []rune(original)
	for i := 1; i+1 < len(or); i++ {
		if or[i] == ' ' {
			written[[2]rune{or[i-1], or[i+1]}] = true
		}
	}
	rs := []rune(s)
	var b strings.Builder
	for i := 0; i < len(rs); i++ {
		if rs[i] == ' ' && i > 0 && i+1 < len(rs) {
			l, r := edgeRune(rs[:i], true), edgeRune(rs[i+1:], false)
			ls, rsc := scriptOf(l), scriptOf(r)
			if ((ls == scriptHan && rsc == scriptAlnum) || (ls == scriptAlnum && rsc == scriptHan)) && !written[[2]rune{l, r}] {
				continue
			}
		}
		b.WriteRune(rs[i])
	}
	return b.String()
}

// edgeRune is the last (or first) letter of rs, past any highlight tag at
// that end (0 for none).
func edgeRune(rs []rune, last bool) rune {
	s := string(rs)
	for _, tag := range []string{"<mark>", "</mark>", markOpen, markClose} {
		if last {
			s = strings.TrimSuffix(s, tag)
		} else {
			s = strings.TrimPrefix(s, tag)
		}
	}
	r := []rune(s)
	switch {
	case len(r) == 0:
		return 0
	case last:
		return r[len(r)-1]
	}
	return r[0]
}

// maxReadings bounds the readings kept per character, and maxCombos the
// spellings kept per window, so polyphones cannot blow up a document.
const (
	maxReadings = 3
	maxCombos   = 8
)

// PinyinTokens returns, for each run of Han characters in texts, the full
// pinyin and the initials of the whole run and of every 2–4 character window
// (every reading of polyphones within a window), so "keyanzhuli", "kyzl" and
// "chengdu" are single searchable words, and the spaced syllables
// "ke yan zhu li" for phrase-like queries.
func PinyinTokens(texts ...string) string {
	seen := map[string]bool{}
	var out []string
	add := func(t string) {
		if t != "" && !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	for _, text := range texts {
		for _, run := range hanRuns(text) {
			readings := pinyin.Readings(run)
			if len(readings) == 0 {
				continue
			}
			first := make([]string, len(readings))
			for i, r := range readings {
				first[i] = r[0]
				if len(r) > maxReadings {
					readings[i] = r[:maxReadings]
				}
			}
			add(strings.Join(first, " "))
			add(strings.Join(first, ""))
			add(initialsOf(first))
			for n := 2; n <= 4 && n <= len(readings); n++ {
				for i := 0; i+n <= len(readings); i++ {
					for _, combo := range combinations(readings[i : i+n]) {
						add(strings.Join(combo, ""))
						add(initialsOf(combo))
					}
				}
			}
		}
	}
	return strings.Join(out, " ")
}

// placeTokens spells a place as one word first ("xian"), then syllable by
// syllable and by initials ("xi an", "xa"): the place spelt whole stands
// first in the field, where a search for it ranks it above a place whose
// first syllable it only is (咸阳's "xian yang" would lead with "xian").
func placeTokens(place string) string {
	var out []string
	for _, run := range hanRuns(place) {
		var syl []string
		for _, r := range pinyin.Readings(run) {
			syl = append(syl, r[0])
		}
		if len(syl) > 0 {
			out = append(out, strings.Join(syl, ""), strings.Join(syl, " "), initialsOf(syl))
		}
	}
	return strings.Join(out, " ")
}

// PinyinQuery is q with each run of Han characters spelled in pinyin, one
// word per run in its first reading ("人工致能 2025届" gives
// "rengongzhineng 2025 jie"), as PinyinTokens spells a document's runs and
// windows; everything else, an exclusion's "-" and a phrase's quotes
// included, stays as written. It is "" unless some run has two characters
// or more: one character spells a syllable that prefixes half the index
// (鑫 would find every xin…).
func PinyinQuery(q string) string {
	out, _ := pinyinQuery(q, false)
	return out
}

// PinyinPhrases is PinyinQuery with each spelt run a phrase ("人工致能 2025届"
// gives `"rengongzhineng" 2025 "jie"`), which the engine matches whole:
// without a typo and not as a prefix, so 实习's shixi finds no 实验 (shiyan)
// or 实现 (shixian). longest is the most letters a run spells.
func PinyinPhrases(q string) (out string, longest int) {
	return pinyinQuery(q, true)
}

func pinyinQuery(q string, phrases bool) (string, int) {
	q = SpaceScripts(q)
	longest := 0
	for _, run := range hanRuns(q) {
		longest = max(longest, utf8.RuneCountInString(run))
	}
	if longest < 2 {
		return "", 0
	}
	var b strings.Builder
	var run []rune
	spelt, inPhrase := 0, false
	flush := func() {
		var w strings.Builder
		for _, r := range pinyin.Readings(string(run)) {
			w.WriteString(r[0])
		}
		spelt = max(spelt, w.Len())
		if phrases && !inPhrase {
			b.WriteString(`"` + w.String() + `"`)
		} else {
			b.WriteString(w.String())
		}
		run = run[:0]
	}
	for _, r := range q {
		if unicode.Is(unicode.Han, r) {
			run = append(run, r)
			continue
		}
		if len(run) > 0 {
			flush()
		}
		if r == '"' {
			inPhrase = !inPhrase
		}
		b.WriteRune(r)
	}
	if len(run) > 0 {
		flush()
	}
	return b.String(), spelt
}

// combinations returns up to maxCombos spellings of a window, one reading
// per character, first readings first.
func combinations(window [][]string) [][]string {
	combos := [][]string{{}}
	for _, rs := range window {
		var next [][]string
		for _, c := range combos {
			for _, r := range rs {
				if len(next) == maxCombos {
					break
				}
				next = append(next, append(append([]string{}, c...), r))
			}
		}
		combos = next
	}
	return combos
}

func initialsOf(syl []string) string {
	var b strings.Builder
	for _, s := range syl {
		if s != "" {
			b.WriteByte(s[0])
		}
	}
	return b.String()
}

func hanRuns(s string) []string {
	var runs []string
	var cur []rune
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			cur = append(cur, r)
			continue
		}
		if len(cur) > 0 {
			runs = append(runs, string(cur))
			cur = cur[:0]
		}
	}
	if len(cur) > 0 {
		runs = append(runs, string(cur))
	}
	return runs
}
