package domain

import (
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode"
)

// The request, filter and page shapes below are what the use cases hand to
// the store. They live here, not in the Postgres package, so that delivery
// and the use-case layer can name them without importing an adapter.

// Page is a 1-based page request, already validated by the door it came in by.
type Page struct{ Page, PerPage int }

// ApplyRequest is a graduate's application.
type ApplyRequest struct {
	OpeningID   string
	CoverLetter string
	Idempotency
	// TrackingCode attributes the application to an event (its tracked link).
	TrackingCode string
}

// Validate checks an application's cover letter, which the employer reads:
// text of at most 5000 characters.
func (r *ApplyRequest) Validate() error {
	var v Validation
	v.Text(&r.CoverLetter, 0, 5000, "cover_letter", "must be at most 5000 characters")
	return v.Err()
}

// ApplicationFilter narrows a list of applications.
type ApplicationFilter struct {
	OpeningID string
	Status    string
	StaleOnly bool
	// RevokedHiresOnly keeps the hires whose placement staff revoked: they
	// stay hired but count toward nothing, so the board counts them apart
	// from its hires.
	RevokedHiresOnly bool
}

// EmployerFilter narrows the staff list of employers. Q finds an employer
// by a part of its name or the start of its credit code.
type EmployerFilter struct {
	Status, Q string
}

// Validate checks an employer filter: a known status (or none) and Q at
// most 100 characters. Errors: validation_failed naming each bad parameter.
func (f EmployerFilter) Validate() error {
	var v Validation
	v.Check(f.Status == "" || OneOf(f.Status, EmployerStatuses), "status", "must be pending or verified")
	v.Check(len([]rune(f.Q)) <= 100, "q", "must be at most 100 characters")
	return v.Err()
}

// EventFilter narrows the list of events.
type EventFilter struct {
	Zone, Kind, Campaign string
	// Province narrows to the events of the province's zones.
	Province string
	Upcoming bool
}

// PlacementFilter narrows a list of placements. Q finds a placement by a
// part of its graduate's name, its opening's title or its employer's name
// (the staff page of placements).
type PlacementFilter struct {
	Zone, Province string
	Year, Month    int
	Status         string
	Q              string
}

// Validate checks what the staff page of placements narrows by: a known
// status (or none) and Q at most 100 characters. Errors: validation_failed
// naming each bad parameter.
func (f PlacementFilter) Validate() error {
	var v Validation
	v.Check(f.Status == "" || f.Status == "active" || f.Status == "revoked", "status", "must be active or revoked")
	v.Check(len([]rune(f.Q)) <= 100, "q", "must be at most 100 characters")
	return v.Err()
}

// AuditFilter narrows the audit trail.
type AuditFilter struct {
	Kind, Actor string
	From, To    *time.Time
	// EntityType and EntityID narrow it to one record's history (both set).
	EntityType, EntityID string
	// Before is an entry's ID: only the entries written before it (a
	// cursor, the last entry of the page read: the next page whatever was
	// written since).
	Before string
}

// OpeningPatch holds the fields an edit may change; nil means unchanged.
type OpeningPatch struct {
	Title       *string   `json:"title"`
	Description *string   `json:"description"`
	Discipline  *string   `json:"discipline"`
	Industry    *string   `json:"industry"`
	DegreeMin   *string   `json:"degree_min"`
	Majors      *[]string `json:"majors"`
	Headcount   *int      `json:"headcount"`
	City        *string   `json:"city"`
	SalaryMin   *int      `json:"salary_min"`
	SalaryMax   *int      `json:"salary_max"`
	Deadline    *string   `json:"deadline"`
}

// Offset returns the row offset of the page.
func (p Page) Offset() int { return (p.Page - 1) * p.PerPage }

// Apply returns in with the patch's fields set over it.
func (p OpeningPatch) Apply(in OpeningInput) OpeningInput {
	setGiven(&in.Title, p.Title)
	setGiven(&in.Description, p.Description)
	setGiven(&in.Discipline, p.Discipline)
	setGiven(&in.Industry, p.Industry)
	setGiven(&in.DegreeMin, p.DegreeMin)
	setGiven(&in.City, p.City)
	setGiven(&in.Deadline, p.Deadline)
	setGiven(&in.Majors, p.Majors)
	setGiven(&in.Headcount, p.Headcount)
	setGiven(&in.SalaryMin, p.SalaryMin)
	setGiven(&in.SalaryMax, p.SalaryMax)
	return in
}

// setGiven sets *dst to a patch's field v when the patch gives it (not nil).
func setGiven[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// The limits of every paged list, whichever door asks.
const (
	MaxPage = 100000
	// ReasonPage refuses a page outside 1…MaxPage.
	ReasonPage = "must be a whole number from 1 to 100000"
	MaxPerPage = 100
)

// MaxQueryLength is the most characters a search's words may have.
const MaxQueryLength = 200

// searchParams are the query parameters of a public search (GET
// /api/v1/openings and the search page), each with the field it sets: the
// one list both doors read and the page's links write.
var searchParams = []struct {
	name  string
	field func(*SearchQuery) *string
}{
	{"q", func(q *SearchQuery) *string { return &q.Q }},
	{"zone", func(q *SearchQuery) *string { return &q.Zone }},
	{"province", func(q *SearchQuery) *string { return &q.Province }},
	{"industry", func(q *SearchQuery) *string { return &q.Industry }},
	{"degree", func(q *SearchQuery) *string { return &q.Degree }},
	{"employer_type", func(q *SearchQuery) *string { return &q.EmployerType }},
	{"city", func(q *SearchQuery) *string { return &q.City }},
	{"my_degree", func(q *SearchQuery) *string { return &q.MyDegree }},
	{"sort", func(q *SearchQuery) *string { return &q.Sort }},
}

// WithParams returns q with its text, filters and sort read from the
// parameters of a public search (get returns one, "" when absent). The page,
// its size and the date are the door's; Tidy and Validate come after.
func (q SearchQuery) WithParams(get func(name string) string) SearchQuery {
	for _, p := range searchParams {
		*p.field(&q) = get(p.name)
	}
	return q
}

// WithoutInvalid returns q without the parameters a validation error named
// (fields, as Validate names them) and those names, in the order of the
// parameters: a shared link's one bad filter leaves the rest of its search
// standing. A query too long is cut to its limit, a bad page is the first.
func (q SearchQuery) WithoutInvalid(fields map[string]string) (SearchQuery, []string) {
	var dropped []string
	for _, p := range searchParams {
		if _, bad := fields[p.name]; !bad {
			continue
		}
		dropped = append(dropped, p.name)
		switch p.name {
		case "q":
			q.Q = string([]rune(q.Q)[:min(len([]rune(q.Q)), MaxQueryLength)])
		case "sort":
			q.Sort = "relevance"
		default:
			*p.field(&q) = ""
		}
	}
	if _, bad := fields["page"]; bad {
		q.Page = 1
	}
	return q, dropped
}

// Params returns q's text, filters and sort as the parameters WithParams
// reads, leaving out the empty ones and the default sort (relevance).
func (q SearchQuery) Params() url.Values {
	v := url.Values{}
	for _, p := range searchParams {
		if s := *p.field(&q); s != "" && !(p.name == "sort" && s == "relevance") {
			v.Set(p.name, s)
		}
	}
	return v
}

// Tidy reads what people type (the query and the city) as meant, trimmed
// (PlainText), and defaults the sort to relevance.
func (q SearchQuery) Tidy() SearchQuery {
	// Pinyin's apostrophe parts syllables (Xi'an, Chang'an); the index
	// spells a place as one word.
	q.Q = pinyinApostrophe.ReplaceAllString(PlainText(q.Q), "$1$2")
	q.City = CityName(PlainText(q.City))
	if q.Sort == "" {
		q.Sort = "relevance"
	}
	return q
}

// pinyinApostrophe is an apostrophe between letters before a syllable that
// starts with a, e or o (xi'an, xi’an): where pinyin writes one.
var pinyinApostrophe = regexp.MustCompile(`([A-Za-z])['’]([aeoAEO])`)

// PlainText is typed text as the index holds it: an IME's full-width
// letters, digits, signs and space (ＡＩ, ５Ｇ) are the plain ones, and the
// emoji and pictographs pasted with text from a chat are left out (with
// their modifiers and joiners), so "🤖 人工智能" searches 人工智能, and so
// are control and text-direction characters. Spaces are single and trimmed.
func PlainText(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r >= '！' && r <= '～': // U+FF01–U+FF5E mirror ASCII ! to ~
			return r - '！' + '!'
		case r == '\u3000': // the ideographic space
			return ' '
		case zeroWidth(r) && r != '\u200d': // no room, no break: 数据\u200b分析 is 数据分析 (Tidy)
			return -1
		case r == '\u200d' || unicode.In(r, unicode.So, unicode.Sk, unicode.Variation_Selector):
			return ' '
		case unicode.IsControl(r) || bidiControl(r):
			// Nothing to search for, and a text-direction mark left open
			// turns the page's title around (a forms probe).
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// ReadPlaceWords drops the 市 people add to a city (成都市, 北京市): openings
// name the city without it, and the engine takes 成都市 for one word that
// matches nothing (CityName).
func (q SearchQuery) ReadPlaceWords() SearchQuery {
	words := strings.Fields(q.Q)
	for i, w := range words {
		words[i] = CityName(w)
	}
	q.Q = strings.Join(words, " ")
	return q
}

// CityName is a city as openings name it: without the 市 people add
// (成都市 is 成都). Only a word of three or more Han characters ending in 市
// is read so; 城市 and 超市 stay as written.
func CityName(s string) string {
	rs := []rune(s)
	if len(rs) >= 3 && rs[len(rs)-1] == '市' && allHan(rs) {
		return string(rs[:len(rs)-1])
	}
	return s
}

func allHan(rs []rune) bool {
	for _, r := range rs {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	return true
}

// degreeWords are the words people type for a degree, in Chinese and
// English, and the degree_min values each stands for. 研究生 (postgraduate)
// is a master's or a doctorate. Only whole words count: 博士后 (postdoc) is a
// different thing and stays text.
var degreeWords = map[string][]string{
	"博士": {"doctor"}, "博士生": {"doctor"}, "博士研究生": {"doctor"}, "phd": {"doctor"}, "ph.d": {"doctor"},
	"ph.d.": {"doctor"}, "doctor": {"doctor"}, "doctoral": {"doctor"}, "doctorate": {"doctor"},
	"硕士": {"master"}, "硕士生": {"master"}, "硕士研究生": {"master"}, "master": {"master"}, "masters": {"master"},
	"master's": {"master"},
	"研究生":      {"master", "doctor"}, "postgraduate": {"master", "doctor"},
	"本科": {"bachelor"}, "本科生": {"bachelor"}, "学士": {"bachelor"}, "bachelor": {"bachelor"},
	"bachelors": {"bachelor"}, "bachelor's": {"bachelor"}, "undergraduate": {"bachelor"},
	"专科": {"associate"}, "大专": {"associate"}, "专科生": {"associate"}, "高职": {"associate"},
	"associate": {"associate"},
}

// ReadDegreeWords turns the degree words of the query into a degree filter:
// "博士 人工智能" searches 人工智能 among openings for doctors, where the
// word alone would match only texts that happen to contain it. An explicit
// degree filter wins; the word is dropped either way.
func (q SearchQuery) ReadDegreeWords() SearchQuery {
	words := strings.Fields(q.Q)
	kept := words[:0:0]
	found := map[string]bool{}
	for _, w := range words {
		if ds, ok := degreeWords[strings.ToLower(w)]; ok {
			for _, d := range ds {
				found[d] = true
			}
			continue
		}
		kept = append(kept, w)
	}
	if len(found) == 0 {
		return q
	}
	q.Q = strings.Join(kept, " ")
	if q.Degree == "" {
		q.Degrees = nil
		for _, d := range Degrees {
			if found[d] {
				q.Degrees = append(q.Degrees, d)
			}
		}
	}
	return q
}

// Validate checks a public search: the query at most 200 characters, known
// filter values, a known sort, and a page within the list limits. Errors:
// validation_failed naming each bad parameter.
func (q SearchQuery) Validate() error {
	var v Validation
	v.Check(len([]rune(q.Q)) <= MaxQueryLength, "q", "must be at most 200 characters")
	q.SearchFilters.Validate(&v, "")
	v.Check(OneOf(q.Sort, Sorts), "sort", "must be relevance, newest, deadline or salary")
	v.Check(q.Page >= 1 && q.Page <= MaxPage, "page", ReasonPage)
	v.Check(q.PerPage >= 1 && q.PerPage <= MaxPerPage, "per_page", "must be a whole number from 1 to 100")
	return v.Err()
}
