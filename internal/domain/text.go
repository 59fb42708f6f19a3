package domain

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Free text people write to each other: reasons, notes, saved-search names.
// Each is checked as text (textOK: no control characters but line breaks
// and tabs, no bidirectional overrides), so what is stored and mailed is
// what the writer saw.

// ReasonTwoTo500 is the answer to a reason too short, too long or not text.
const ReasonTwoTo500 = "must be 2 to 500 characters"

// ReasonControlText is the answer to text holding a control character or a
// mark that reorders text: they do not show, so a length's reason for text
// of the right length would puzzle its writer.
const ReasonControlText = "must not contain control or text-direction characters"

// Text checks free text s for field (textOK, min to max characters): a
// control character is refused for what it is, anything else with why.
//
// Text first tidies *s (Tidy): every field people write goes through here,
// so what is checked is what is kept.
func (v *Validation) Text(s *string, min, max int, field, why string) {
	*s = Tidy(*s)
	v.required(*s, min, field)
	v.Check(!hasControl(*s), field, ReasonControlText)
	v.Check(textOK(*s, min, max), field, why)
}

// Line is Text for a one-line value (lineOK).
func (v *Validation) Line(s *string, min, max int, field, why string) {
	*s = Tidy(*s)
	v.required(*s, min, field)
	v.Check(!hasControl(*s), field, ReasonControlText)
	v.Check(lineOK(*s, min, max), field, why)
}

// required refuses a value that must have characters and is empty once
// tidied (nothing typed, or zero-width characters alone) as 必填, not as a
// length: the person typed nothing that shows (a walk read 「须为一行，
// 2–100 个字」 for a title of U+200B alone).
func (v *Validation) required(s string, min int, field string) {
	v.Check(min == 0 || s != "", field, "is required")
}

// Tidy is text as kept: trimmed, and without the zero-width characters
// (zeroWidth) pasted with it from a chat or a web page. They show nothing,
// yet made two titles that look the same differ, cut a word in two for
// search, and came along in exports and mails.
func Tidy(s string) string {
	if strings.ContainsFunc(s, zeroWidth) {
		var b strings.Builder
		b.Grow(len(s))
		var last rune // the last rune kept
		for i, r := range s {
			if zeroWidth(r) && !(r == zwj && last != zwj && emojiPart(last) && joinsEmoji(s[i+len(string(r)):])) {
				continue
			}
			b.WriteRune(r)
			last = r
		}
		s = b.String()
	}
	return strings.TrimSpace(s)
}

// zwj is the zero-width joiner, which also joins emoji into one picture
// (👩 + 💻: a technologist; 👨 👩 👧: a family).
const zwj = '\u200d'

// zeroWidth reports the characters that take no room: the zero-width
// space, non-joiner and joiner (U+200B–U+200D), the word joiner (U+2060)
// and the byte order mark (U+FEFF). No Chinese or English text needs them;
// Tidy keeps a joiner between two emoji.
func zeroWidth(r rune) bool {
	return (r >= '\u200b' && r <= zwj) || r == '\u2060' || r == '\ufeff'
}

// emojiPart reports what may stand before a joiner in an emoji sequence:
// a pictograph (a symbol), its emoji presentation selector or a skin tone.
func emojiPart(r rune) bool {
	return unicode.Is(unicode.So, r) || r == '\ufe0f' || unicode.Is(unicode.Sk, r) && r >= 0x1f3fb && r <= 0x1f3ff
}

// joinsEmoji reports whether the text after a joiner goes on with a
// pictograph, past any other zero-width characters: a symbol, or an arrow
// (a head shaking is 🙂 joined to ↔, a math symbol).
func joinsEmoji(rest string) bool {
	i := strings.IndexFunc(rest, func(r rune) bool { return !zeroWidth(r) })
	if i < 0 {
		return false
	}
	r, _ := utf8.DecodeRuneInString(rest[i:])
	return unicode.Is(unicode.So, r) || r >= '\u2190' && r <= '\u21ff'
}

// CheckReason checks a reason given to someone (an opening's rejection, a
// placement's revocation, a returned report): 2 to 500 characters of text.
// why is the answer on the field "reason" when it is not, and "is required"
// (必填) when nothing is given (Validation.required). *reason is tidied
// (Tidy) as it is checked.
func CheckReason(reason *string, why string) error {
	var v Validation
	v.Text(reason, 2, 500, "reason", why)
	return v.Err()
}

// Tidy reads a search to save as a search reads it (SearchQuery.Tidy): the
// same words in full width, or a city with its 市, are the same search.
func (s SavedSearch) Tidy() SavedSearch {
	q := SearchQuery{Q: s.Q, SearchFilters: SearchFilters{City: s.Filters.City}}.Tidy()
	s.Q, s.Filters.City = q.Q, q.City
	return s
}

// Validate checks a search to save: a name of one line of 1 to 100
// characters, a query of one line of at most 200, and known filters and
// alert frequency.
func (s *SavedSearch) Validate() error {
	var v Validation
	s.ValidateInto(&v)
	return v.Err()
}

// ValidateInto adds s's faults to v, for a caller that checks more (whether
// its zone exists) and answers every fault together.
func (s *SavedSearch) ValidateInto(v *Validation) {
	v.Line(&s.Name, 1, 100, "name", "must be one line of 1 to 100 characters")
	v.Line(&s.Q, 0, 200, "q", "must be one line of at most 200 characters")
	s.Filters.Validate(v, "filters.")
	v.Check(s.AlertFrequency == "" || OneOf(s.AlertFrequency, AlertFrequencies), "alert_frequency", ReasonAlertFrequency)
}
