package domain

import (
	"strconv"
	"strings"
	"time"
)

// Opening is a research-assistant post as the API shows it.
type Opening struct {
	ID           string      `json:"id"`
	Title        string      `json:"title"`
	Description  string      `json:"description"`
	Employer     EmployerRef `json:"employer"`
	Zone         *ZoneRef    `json:"zone"`
	ProvinceCode string      `json:"province_code"`
	City         string      `json:"city"`
	Industry     string      `json:"industry"`
	Discipline   string      `json:"discipline"`
	DegreeMin    string      `json:"degree_min"`
	Majors       []string    `json:"majors"`
	Headcount    int         `json:"headcount"`
	Filled       int         `json:"filled"`
	SalaryMin    int         `json:"salary_min"`
	SalaryMax    int         `json:"salary_max"`
	Deadline     string      `json:"deadline"`
	Status       string      `json:"status"`
	// Version grows with every change of content: a reviewer approves the
	// version it read (a stale one is a version_conflict).
	Version      int        `json:"version"`
	RejectReason *string    `json:"reject_reason,omitempty"`
	PublishedAt  *time.Time `json:"published_at"`
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
	// ImportedAt is when zone staff imported it for its employer (nil: the
	// employer wrote it).
	ImportedAt *time.Time `json:"imported_at,omitempty"`
	// ResponseDays is the employer's median days to a first move on an
	// application (nil until it has answered any).
	ResponseDays *float64 `json:"employer_response_days,omitempty"`
	// ChangedSinceApproval lists, for an opening approved before and
	// edited since, each field as approved and as it is now: what its
	// reviewer must read again (the staff review queue shows it).
	ChangedSinceApproval []FieldChange `json:"-"`
	// ReturnedFor and ChangedSinceReturn are, for an opening its reviewer
	// returned (still returned, or back under review), the reason it was
	// returned and each field as it was then and as it is now: whether the
	// employer did what was asked.
	ReturnedFor        *string       `json:"-"`
	ChangedSinceReturn []FieldChange `json:"-"`
}

// UnchangedSinceReturn tells whether a returned opening would go back to
// review as its reviewer returned it: the employer changed nothing (the
// site asks before sending it so).
func (o Opening) UnchangedSinceReturn() bool {
	return o.Status == OpeningRejected && o.ReturnedFor != nil && len(o.ChangedSinceReturn) == 0
}

// OpeningStamp names a published opening and when it last changed.
type OpeningStamp struct {
	ID        string
	UpdatedAt time.Time
}

// EmployerRef is the short form of an employer inside an opening.
type EmployerRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Type string `json:"type"`
	Size string `json:"size,omitempty"`
}

// Scope returns where the opening belongs.
func (o Opening) Scope() Scope {
	s := Scope{EmployerID: o.Employer.ID, ProvinceCode: o.ProvinceCode}
	if o.Zone != nil {
		s.ZoneCode = o.Zone.Code
	}
	return s
}

// Searchable reports whether the opening belongs in public search on day
// today: published, deadline not passed, seats left.
func (o Opening) Searchable(today Date) bool {
	d, ok := ParseDate(o.Deadline)
	return o.Status == OpeningPublished && ok && !d.Before(today) && o.Filled < o.Headcount
}

// WasPublic reports whether the opening has ever been published. What never
// was does not exist for graduates (404 everywhere); one that was and is no
// longer open answers opening_closed.
func (o Opening) WasPublic() bool { return o.PublishedAt != nil }

// CheckOwnOpening refuses an employer's write to another employer's
// opening: one anybody can read (published) is forbidden, and says so; any
// other is not found, as if it did not exist. Every write answers the same
// (a walk had 403 from an edit and a close, 404 from a submit and a delete
// of one published opening). Errors: forbidden, not_found.
func CheckOwnOpening(c Caller, employerID, status string) error {
	switch {
	case employerID == c.EmployerID:
		return nil
	case status == OpeningPublished:
		return Errorf(CodeForbidden, "the opening is another employer's")
	}
	return ErrNotFound
}

// CheckClose says whether c may close an opening in status: its employer
// at any time before it is closed, its reviewer (c.CheckReview passed) only
// once sent for review or published. A draft or a rejected opening is the
// employer's to mend: a probe closed a draft from the zone, and its
// employer could neither submit nor delete it again. Errors: invalid_state.
func CheckClose(c Caller, status string) error {
	switch {
	case status == OpeningClosed:
		return Errorf(CodeInvalidState, "the opening is already closed")
	case c.Role.IsStaff() && status != OpeningPendingReview && status != OpeningPublished:
		return Errorf(CodeInvalidState, "a %s opening is its employer's to edit: staff close only one sent for review or published", status)
	}
	return nil
}

// OpeningInput is what an employer sends to create or replace an opening.
type OpeningInput struct {
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Discipline  string   `json:"discipline"`
	Industry    string   `json:"industry"`
	DegreeMin   string   `json:"degree_min"`
	Majors      []string `json:"majors"`
	Headcount   int      `json:"headcount"`
	City        string   `json:"city"`
	SalaryMin   int      `json:"salary_min"`
	SalaryMax   int      `json:"salary_max"`
	Deadline    string   `json:"deadline"`
	// Idempotency makes one draft of a form sent twice (a double click, a
	// slow line: a forms probe found two identical drafts).
	Idempotency `json:"-"`
}

// Validate normalises the input and checks every field; today is the
// Shanghai date the deadline may not precede.
func (in *OpeningInput) Validate(today Date) error {
	in.Title = Tidy(in.Title)
	in.Description = Tidy(in.Description)
	in.City = CityName(Tidy(in.City)) // 成都市 is 成都, as a search names it
	var v Validation
	v.Line(&in.Title, 2, 100, "title", "must be one line of 2 to 100 characters")
	v.Text(&in.Description, 0, 5000, "description", "must be at most 5000 characters")
	v.Check(OneOf(in.Discipline, DisciplineCodes()), "discipline", "must be one of the disciplines at /api/v1/reference")
	v.Check(OneOf(in.Industry, IndustryCodes()), "industry", "must be one of the industries at /api/v1/reference")
	v.Check(OneOf(in.DegreeMin, Degrees), "degree_min", "must be one of associate, bachelor, master, doctor")
	v.Check(len(in.Majors) <= 20, "majors", "at most 20 majors")
	majors := make([]string, 0, len(in.Majors))
	for _, m := range in.Majors {
		m = Tidy(m)
		if !textOK(m, 1, 50) {
			// An empty entry is one of the list's, not the list itself:
			// said by its length (and its control characters), not as
			// required.
			v.Check(!hasControl(m), "majors", ReasonControlText)
			v.Add("majors", "each major must be 1 to 50 characters")
			break
		}
		majors = append(majors, m)
	}
	in.Majors = majors
	v.Check(in.Headcount >= 1 && in.Headcount <= 1000, "headcount", "must be from 1 to 1000")
	v.Line(&in.City, 1, 50, "city", "must be one line of 1 to 50 characters")
	v.Check(in.SalaryMin >= 0 && in.SalaryMin <= 1000000, "salary_min", "must be from 0 to 1000000 yuan a month")
	v.Check(in.SalaryMax >= 0 && in.SalaryMax <= 1000000, "salary_max", "must be from 0 to 1000000 yuan a month")
	if !v.Has("salary_min") && !v.Has("salary_max") {
		v.Check(in.SalaryMin <= in.SalaryMax, "salary_max", "must not be below salary_min")
	}
	if d, ok := ParseDate(in.Deadline); !ok {
		v.Add("deadline", "must be a date YYYY-MM-DD")
	} else {
		v.Check(!d.Before(today), "deadline", "must be today or later (Asia/Shanghai)")
		v.Check(d.Before(today.AddDays(366*2)), "deadline", "must be within two years")
	}
	return v.Err()
}

// SubstanceChanged reports whether replacing old with in changes what a
// reviewer approved: everything except the deadline. Such an edit sends a
// published opening back to review.
func (in OpeningInput) SubstanceChanged(old OpeningInput) bool {
	return in.Title != old.Title || in.Description != old.Description || in.Discipline != old.Discipline ||
		in.Industry != old.Industry || in.DegreeMin != old.DegreeMin || strings.Join(in.Majors, "\x00") != strings.Join(old.Majors, "\x00") ||
		in.Headcount != old.Headcount || in.City != old.City || in.SalaryMin != old.SalaryMin || in.SalaryMax != old.SalaryMax
}

// Same reports whether in changes nothing of old, the deadline included.
func (in OpeningInput) Same(old OpeningInput) bool {
	return !in.SubstanceChanged(old) && in.Deadline == old.Deadline
}

// FieldChange is one field of an opening's content as it was approved and
// as it is now, in display form (majors joined, numbers as digits).
type FieldChange struct {
	Field, Before, After string
}

// ChangesFrom lists the fields of in that differ from old, in form order:
// what a reviewer must read again when an approved opening was edited.
func (in OpeningInput) ChangesFrom(old OpeningInput) []FieldChange {
	now, then := in.display(), old.display()
	var out []FieldChange
	for i, f := range openingFields {
		if now[i] != then[i] {
			out = append(out, FieldChange{Field: f, Before: then[i], After: now[i]})
		}
	}
	return out
}

// openingFields are OpeningInput's fields by their JSON names, in form order.
var openingFields = []string{"title", "description", "discipline", "industry", "degree_min", "majors", "headcount", "city",
	"salary_min", "salary_max", "deadline"}

func (in OpeningInput) display() []string {
	return []string{in.Title, in.Description, in.Discipline, in.Industry, in.DegreeMin, strings.Join(in.Majors, "、"),
		strconv.Itoa(in.Headcount), in.City, strconv.Itoa(in.SalaryMin), strconv.Itoa(in.SalaryMax), in.Deadline}
}

// SearchQuery is a public search of openings.
type SearchQuery struct {
	Q string
	// SearchFilters are the filters, as a saved search keeps them: zone,
	// province, industry, degree, employer type, city and MyDegree (set
	// from the profile by recommendations too).
	SearchFilters
	// Degrees, when set, keeps openings whose degree_min is one of them:
	// what a degree word in the query ("博士", "研究生") asks for.
	Degrees []string
	// EmployerID keeps one employer's openings (its public page).
	EmployerID string
	Sort       string // relevance, newest, deadline, salary
	Page       int
	PerPage    int
	// Today is the Shanghai date: openings whose deadline is before it are hidden.
	Today Date
	// IDs restricts the search to these openings (alerts use it).
	IDs []string
	// SoundsAlike marks a search a person typed (the API's and the site's
	// search): when its words match nothing, the engine tries their sound,
	// for a homophone typo (SearchResult.SoundsLike). Recommendations and
	// alerts match as written.
	SoundsAlike bool
}

// Sorts lists the valid sort orders.
var Sorts = []string{"relevance", "newest", "deadline", "salary"}

// SearchHit is one result of a search.
type SearchHit struct {
	ID           string            `json:"id"`
	Title        string            `json:"title"`
	Employer     EmployerRef       `json:"employer"`
	Zone         *ZoneRef          `json:"zone"`
	ProvinceCode string            `json:"province_code"`
	City         string            `json:"city"`
	Industry     string            `json:"industry"`
	Discipline   string            `json:"discipline"`
	DegreeMin    string            `json:"degree_min"`
	Headcount    int               `json:"headcount"`
	SalaryMin    int               `json:"salary_min"`
	SalaryMax    int               `json:"salary_max"`
	Deadline     string            `json:"deadline"`
	PublishedAt  *time.Time        `json:"published_at"`
	Highlight    map[string]string `json:"highlight,omitempty"`
}

// SearchResult is a page of hits with facet counts for the same filters.
type SearchResult struct {
	Items   []SearchHit                 `json:"items"`
	Total   int64                       `json:"total"`
	Page    int                         `json:"page"`
	PerPage int                         `json:"per_page"`
	Facets  map[string]map[string]int64 `json:"facets"`
	Engine  string                      `json:"engine"`
	// SoundsLike is the query's pinyin when the words as typed matched
	// nothing and these results match their sound (a homophone typo).
	SoundsLike string `json:"sounds_like,omitempty"`
}

// FacetNames are the facets every search returns, by their API names.
var FacetNames = []string{"zone", "province", "industry", "degree_min", "employer_type"}

// EmptyFacets returns a facet map with every facet present and empty.
func EmptyFacets() map[string]map[string]int64 {
	f := map[string]map[string]int64{}
	for _, n := range FacetNames {
		f[n] = map[string]int64{}
	}
	return f
}

// EndedOpening is what the public may still read of an opening that was
// public when it closed: an old link says it ended, and whose it was.
type EndedOpening struct {
	ID, Title, EmployerID, EmployerName, Industry, City string
}
