package domain

import (
	"bytes"
	"regexp"
	"slices"
	"strings"
)

// ProfilePatch is a graduate's profile edit; nil fields stay as they are.
type ProfilePatch struct {
	Name            *string   `json:"name"`
	University      *string   `json:"university"`
	Degree          *string   `json:"degree"`
	Major           *string   `json:"major"`
	GraduationYear  *int      `json:"graduation_year"`
	Phone           *string   `json:"phone"`
	PreferredCities *[]string `json:"preferred_cities"`
	Skills          *[]string `json:"skills"`
	Statement       *string   `json:"statement"`
}

var mobile = regexp.MustCompile(`^1[3-9][0-9]{9}$`)

// MobileNumber reads a mainland mobile number as people paste it: full
// width, with spaces or hyphens (138 0013 8000), or with the country code
// (+86, 0086). An account walk had all of these refused.
func MobileNumber(s string) string {
	s = strings.NewReplacer(" ", "", "-", "").Replace(PlainText(s))
	for _, prefix := range []string{"+86", "0086", "86"} {
		if rest, ok := strings.CutPrefix(s, prefix); ok && len(rest) == 11 {
			return rest
		}
	}
	return s
}

// GraduationYearRule checks a graduation year against the years of the
// programme's graduates: ten back, five ahead of currentYear, and says
// which (a walk read "a year near the present").
func GraduationYearRule(v *Validation, year, currentYear int) {
	v.Check(year >= currentYear-10 && year <= currentYear+5, "graduation_year",
		"must be a year from "+itoa(currentYear-10)+" to "+itoa(currentYear+5))
}

// Apply validates the patch and applies it to g (and the name).
func (p ProfilePatch) Apply(g *Graduate, name *string, currentYear int) error {
	var v Validation
	if p.Name != nil {
		*name = *p.Name
		checkName(&v, name)
	}
	if p.University != nil {
		g.University = *p.University
		checkStudies(&v, &g.University, "university")
	}
	if p.Degree != nil {
		g.Degree = *p.Degree
		checkDegree(&v, g.Degree)
	}
	if p.Major != nil {
		g.Major = *p.Major
		checkStudies(&v, &g.Major, "major")
	}
	if p.GraduationYear != nil {
		g.GraduationYear = *p.GraduationYear
		GraduationYearRule(&v, g.GraduationYear, currentYear)
	}
	if p.Phone != nil {
		g.Phone = MobileNumber(*p.Phone)
		v.Check(g.Phone == "" || mobile.MatchString(g.Phone), "phone", "must be an 11-digit mainland mobile number")
	}
	list := func(field string, in []string, max, maxLen int) []string {
		out := []string{}
		for _, s := range in {
			s = Tidy(s)
			if s == "" || slices.ContainsFunc(out, func(o string) bool { return strings.EqualFold(o, s) }) {
				continue // a city typed twice is one city
			}
			v.Text(&s, 1, maxLen, field, "each entry must be at most "+itoa(maxLen)+" characters")
			out = append(out, s)
		}
		v.Check(len(out) <= max, field, "at most "+itoa(max)+" entries")
		return out
	}
	if p.PreferredCities != nil {
		g.PreferredCities = list("preferred_cities", *p.PreferredCities, 10, 50)
	}
	if p.Skills != nil {
		g.Skills = list("skills", *p.Skills, 30, 50)
	}
	if p.Statement != nil {
		g.Statement = Tidy(*p.Statement)
		v.Text(&g.Statement, 0, 2000, "statement", "must be at most 2000 characters")
	}
	return v.Err()
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(b)
}

// IsPDF reports whether content is a PDF file as far as its ends tell: it
// starts with the header and ends with the end-of-file marker (%%EOF, in
// its last 1 KiB). The type is checked by content, never by the name or the
// client's Content-Type; a file cut short, or one that merely starts like a
// PDF, would reach an employer who could not open it (an account walk's
// 34-byte "PDF" was accepted).
func IsPDF(content []byte) bool {
	if len(content) < 5 || string(content[:5]) != "%PDF-" {
		return false
	}
	return bytes.Contains(content[max(0, len(content)-1024):], []byte("%%EOF"))
}

// MaxResumeBytes is the largest résumé accepted; MaxImportBytes the largest
// workbook zone staff import.
const (
	MaxResumeBytes = 5 << 20
	MaxImportBytes = 10 << 20
)
