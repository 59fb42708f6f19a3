package domain

import (
	"net/mail"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// GraduateRegistration is the input of a graduate's sign-up.
type GraduateRegistration struct {
	Email          string
	Password       string
	Name           string
	University     string
	Degree         string
	Major          string
	GraduationYear int
	// Language is the language the account's mail puts first (MailLanguages;
	// empty is Chinese): a sign-up's, so its first mail reads in it.
	Language string
	// Consent is the acceptance of the privacy notice (PrivacyNoticeVersion).
	Consent bool
	// Verify is the address-verification token of a sign-up: the account
	// starts unverified and the token's mail is queued with it. Nil (the
	// demo seed, imports): the account starts verified.
	Verify *AccountToken
}

// EmployerRegistration is the input of an employer's sign-up with its organisation.
type EmployerRegistration struct {
	Email    string
	Password string
	// Name is the person's; the organisation's is Organisation.Name.
	Name string
	Organisation
	// Language is the language the account's mail puts first, as for a graduate.
	Language string
	// Consent is the acceptance of the privacy notice (PrivacyNoticeVersion).
	Consent bool
	// Verify is the address-verification token of a sign-up: the account
	// starts unverified and the token's mail is queued with it. Nil (the
	// demo seed, imports): the account starts verified.
	Verify *AccountToken
}

// PrivacyNoticeVersion names the privacy notice a registration accepts; it
// is stored with the time of consent. Change it whenever the notice's text
// changes in a way users must accept again.
const PrivacyNoticeVersion = "2026-12-02" // résumé retention added to "how long"

// NormalizeEmail trims and lower-cases an email address, and folds the
// full-width forms a Chinese input method types in its full-width mode
// (ＬＩ＠ｑｑ．ｃｏｍ, 。 for the dot): they are the same address.
func NormalizeEmail(e string) string {
	return strings.ToLower(strings.TrimSpace(strings.Map(foldFullWidth, e)))
}

// foldFullWidth maps a full-width ASCII form to its ASCII letter.
func foldFullWidth(r rune) rune {
	switch {
	case r >= '！' && r <= '～': // U+FF01–U+FF5E
		return r - ('！' - '!')
	case r == '\u3000': // ideographic space
		return ' '
	case r == '。' || r == '｡':
		return '.'
	}
	return r
}

// validEmail accepts a plain addr-spec of sensible length, in printable
// ASCII with a domain name: what a reader sees is the whole address, so no
// look-alike of another can be registered beside it (a probe registered
// ones with zero-width or direction characters, a Cyrillic а, a domain
// literal [127.0.0.1]). Addresses in other scripts (RFC 6532) are not
// taken; the programme's users write theirs in ASCII.
func validEmail(e string) bool {
	if len(e) < 3 || len(e) > 254 || strings.ContainsAny(e, " <>\"[]") {
		return false
	}
	for i := 0; i < len(e); i++ {
		if e[i] < '!' || e[i] > '~' {
			return false
		}
	}
	a, err := mail.ParseAddress(e)
	return err == nil && a.Address == e && strings.Contains(e[strings.LastIndex(e, "@"):], ".")
}

// textOK reports whether s has between min and max characters (runes) after
// trimming and no control characters.
// ReasonOneLine200 refuses a place that is not one line of at most 200
// characters.
const ReasonOneLine200 = "must be one line of at most 200 characters"

// lineOK is textOK for a one-line value (a place): no line breaks or tabs,
// which a mail's plain text would show as lines of their own; Unicode's
// line and paragraph separators (U+2028, U+2029) and the next-line control
// (U+0085) break a line too (a walk saved a university holding U+2028).
func lineOK(s string, min, max int) bool {
	return textOK(s, min, max) && !strings.ContainsAny(s, "\r\n\t\u2028\u2029\u0085")
}

// textOK reports whether s has min to max characters and no control
// character. Only what shows counts toward min (see invisible): zero-width
// spaces, BOMs, soft hyphens, tag characters and Hangul fillers do not, so
// a title cannot be nothing a reader sees.
func textOK(s string, min, max int) bool {
	n := utf8.RuneCountInString(strings.TrimSpace(s))
	if n < min || n > max || !utf8.ValidString(s) || visibleRunes(s, min) < min {
		return false
	}
	return !hasControl(s)
}

// hasControl reports whether s holds a control character other than a line
// break or a tab, or a mark that reorders text (bidiControl).
func hasControl(s string) bool {
	for _, r := range s {
		if (r < 0x20 && r != '\n' && r != '\r' && r != '\t') || (r >= 0x7f && r < 0xa0) || bidiControl(r) {
			return true
		}
	}
	return false
}

// visibleRunes counts the characters of s that show, up to enough.
func visibleRunes(s string, enough int) int {
	n := 0
	for _, r := range s {
		if n >= enough {
			break
		}
		if !invisible(r) {
			n++
		}
	}
	return n
}

// invisible reports the characters that draw nothing by themselves: spaces,
// format characters, the default-ignorable ones (Hangul fillers, the usual
// "blank name"), variation selectors, combining marks and the Braille blank.
func invisible(r rune) bool {
	return unicode.IsSpace(r) || r == '\u2800' ||
		unicode.In(r, unicode.Cf, unicode.Mn, unicode.Me, unicode.Other_Default_Ignorable_Code_Point, unicode.Variation_Selector)
}

// bidiControl reports the invisible marks that reorder how text is drawn
// (U+202A–U+202E, U+2066–U+2069): in a name or title they make one string
// read as another, and no Chinese or English text needs them.
func bidiControl(r rune) bool { return (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) }

// consentReason is the answer to a registration without consent (PIPL: no
// account without the privacy notice accepted).
const consentReason = "must be true: the privacy notice must be accepted"

// A password's length, in characters: the one rule for sign-ups, resets
// and changes (CheckPassword), which the site's forms also tell the browser.
const (
	MinPasswordLength = 8
	MaxPasswordLength = 128
)

// CheckPassword adds field's reason to v when a new password is too short
// or too long, blank, or one of the first any guesser tries (NIST SP
// 800-63B: a walk set eight spaces, and "password", and signed in with
// them): one of the commonest (the blanks around it aside), of fewer than
// four different characters (aaaaaaaa, 12121212), or the account's own
// address or its name part (email, when known). Signing in checks none of
// this: an old password still opens its account.
func CheckPassword(v *Validation, field, password string, email ...string) {
	n := utf8.RuneCountInString(password)
	v.Check(n >= MinPasswordLength, field, "must be at least "+strconv.Itoa(MinPasswordLength)+" characters")
	v.Check(n <= MaxPasswordLength, field, "must be at most "+strconv.Itoa(MaxPasswordLength)+" characters")
	v.Check(v.Has(field) || strings.TrimSpace(password) != "", field, ReasonPasswordBlank)
	if v.Has(field) {
		return
	}
	distinct := map[rune]bool{}
	for _, r := range password {
		distinct[r] = true
	}
	plain := strings.ToLower(strings.TrimSpace(password))
	v.Check(!commonPasswords[plain], field, ReasonPasswordCommon)
	v.Check(v.Has(field) || len(distinct) >= 4, field, ReasonPasswordRepeats)
	for _, e := range email {
		e = strings.ToLower(strings.TrimSpace(e))
		local, _, _ := strings.Cut(e, "@")
		v.Check(v.Has(field) || e == "" || (plain != e && plain != local), field, ReasonPasswordIsAddress)
	}
}

// The reasons a new password is refused for what it is.
const (
	ReasonPasswordBlank     = "must not be only spaces"
	ReasonPasswordCommon    = "is one of the most common passwords: choose another"
	ReasonPasswordRepeats   = "must have at least 4 different characters"
	ReasonPasswordIsAddress = "must not be your e-mail address"
)

// commonPasswords are the commonest passwords of eight characters or more
// in published leak lists, Chinese sites' among them (woaini1314, 1qaz2wsx),
// in lower case.
var commonPasswords = map[string]bool{}

func init() {
	for _, p := range strings.Fields(`password password1 password123 passw0rd p@ssw0rd 12345678 123456789 1234567890
		12345678910 123123123 123321123 87654321 987654321 11223344 12341234 12344321 147258369 159357456 12qwaszx
		qwertyui qwerty123 qwertyuiop qwer1234 1qaz2wsx 1qaz2wsx3edc 1q2w3e4r 1q2w3e4r5t 123qweasd qweasdzxc asdfghjk
		asdf1234 zxcvbnm1 zxcvbnm123 abc12345 abcd1234 a1234567 a12345678 a123456789 aa123456 qq123456 abc123456
		iloveyou woaini1314 woaini520 5201314520 13145200 admin123 administrator welcome1 sunshine football baseball
		superman princess gradzone gradzone123 changeme letmein1 trustno1 computer internet`) {
		commonPasswords[p] = true
	}
}

// checkAccount validates the fields every account has.
func checkAccount(v *Validation, email, password string, name *string) {
	v.Check(validEmail(email), "email", "must be a valid email address")
	CheckPassword(v, "password", password, email)
	checkName(v, name)
}

// checkName tidies and checks a person's name: required, one line (a
// security probe: a name with line breaks put lines of its own into the
// mails employers read).
func checkName(v *Validation, name *string) {
	v.Line(name, 1, 100, "name", "must be one line of 1 to 100 characters")
}

// checkStudies tidies and checks a graduate's university or major, the
// same at sign-up and in the profile: required, one line of 1 to 100
// characters (employers read them on the applicant's card and the lists).
func checkStudies(v *Validation, s *string, field string) {
	v.Line(s, 1, 100, field, "must be one line of 1 to 100 characters")
}

// checkDegree checks a graduate's degree.
func checkDegree(v *Validation, degree string) {
	v.Check(OneOf(degree, Degrees), "degree", "must be one of associate, bachelor, master, doctor")
}

// checkSignUpLanguage validates a sign-up's mail language, an unnamed one
// becoming Chinese.
func checkSignUpLanguage(v *Validation, language *string) {
	if *language == "" {
		*language = MailLanguages[0]
	}
	v.Check(OneOf(*language, MailLanguages), "language", ReasonMailLanguage)
}

// Validate checks a graduate registration; currentYear bounds graduation_year.
func (r *GraduateRegistration) Validate(currentYear int) error {
	r.Email = NormalizeEmail(r.Email)
	var v Validation
	checkAccount(&v, r.Email, r.Password, &r.Name)
	checkSignUpLanguage(&v, &r.Language)
	checkStudies(&v, &r.University, "university")
	checkDegree(&v, r.Degree)
	checkStudies(&v, &r.Major, "major")
	GraduationYearRule(&v, r.GraduationYear, currentYear)
	return v.Err()
}

// ValidateSignUp is Validate for a graduate's own sign-up, which must also
// accept the privacy notice (the demo seed and imports register no consent).
func (r *GraduateRegistration) ValidateSignUp(currentYear int) error {
	return withConsent(r.Validate(currentYear), r.Consent)
}

// Validate checks an employer registration (zone membership is checked
// against the database by the store).
func (r *EmployerRegistration) Validate() error {
	r.Email = NormalizeEmail(r.Email)
	r.Organisation.Name = Tidy(r.Organisation.Name)
	r.CreditCode = NormalizeCreditCode(r.CreditCode)
	var v Validation
	checkAccount(&v, r.Email, r.Password, &r.Name)
	checkSignUpLanguage(&v, &r.Language)
	checkOrganisation(&v, "employer.", &r.Organisation)
	return v.Err()
}

// Organisation is what an employer states about itself: at sign-up, and
// again while it is pending when staff return it for correction. ZoneCode
// "" is outside any zone.
type Organisation struct {
	OrgDetails
	ZoneCode string `json:"zone_code"`
}

// Validate checks a corrected organisation (zone membership is checked
// against the database by the store); its fields are named as in the
// request, without the sign-up's "employer." prefix.
func (o *Organisation) Validate() error {
	o.Name = Tidy(o.Name)
	o.CreditCode = NormalizeCreditCode(o.CreditCode)
	var v Validation
	checkOrganisation(&v, "", o)
	return v.Err()
}

// checkOrganisation checks an organisation's fields, each named prefix+field.
func checkOrganisation(v *Validation, prefix string, o *Organisation) {
	v.Line(&o.Name, 2, 200, prefix+"name", "must be one line of 2 to 200 characters")
	if why := CreditCodeProblem(o.CreditCode); why != "" {
		v.Add(prefix+"credit_code", why)
	}
	v.Check(OneOf(o.Type, EmployerTypes), prefix+"type", "must be one of enterprise, university, institute")
	v.Check(OneOf(o.Size, EmployerSizes), prefix+"size", "must be one of micro, small, medium, large")
	v.Check(OneOf(o.Industry, IndustryCodes()), prefix+"industry", "must be one of the industries at /api/v1/reference")
	v.Check(len(o.ProvinceCode) == 2, prefix+"province_code", "must be a two-digit province code")
}

// ValidateSignUp is Validate for an employer's own sign-up, which must also
// accept the privacy notice (imports by zone staff register no consent).
func (r *EmployerRegistration) ValidateSignUp() error { return withConsent(r.Validate(), r.Consent) }

// withConsent adds the consent field to err (a validation_failed or nil)
// when the privacy notice was not accepted, so one 422 names every field.
func withConsent(err error, consent bool) error {
	if consent {
		return err
	}
	return WithFields(err, map[string]string{"consent": consentReason})
}

// StaffAccount is the input of `gradzone user create`.
type StaffAccount struct {
	Role         Role
	Email        string
	Password     string
	Name         string
	ZoneCode     string
	ProvinceCode string
}

// Validate checks a staff account against the role registry: a role that
// needs a zone takes one and no province (its zone's), one that needs a
// province takes one and no zone, the others neither.
func (s *StaffAccount) Validate() error {
	s.Email = NormalizeEmail(s.Email)
	var v Validation
	checkAccount(&v, s.Email, s.Password, &s.Name)
	info, ok := s.Role.Info()
	switch {
	case !ok || !info.Staff:
		v.Add("role", ReasonStaffRole)
	case info.NeedsZone:
		v.Check(s.ZoneCode != "", "zone", string(s.Role)+" needs --zone")
		v.Check(s.ProvinceCode == "", "province", string(s.Role)+" takes its province from its zone")
	case info.NeedsProvince:
		v.Check(s.ProvinceCode != "", "province", string(s.Role)+" needs --province")
		v.Check(s.ZoneCode == "", "zone", string(s.Role)+" takes no zone")
	default:
		v.Check(s.ZoneCode == "" && s.ProvinceCode == "", "role", string(s.Role)+" takes no zone or province")
	}
	return v.Err()
}

// AuditEmailChanged is the audit line of a change of address confirmed by
// its link (the account's own, so its actor is the account): entity user,
// in the account's zone and province (an employer's: its organisation's;
// a graduate's: neither, so the ministry sees it). It holds no address.
const AuditEmailChanged = "user.email_changed"

// CheckEmailChange checks a change of the account's address current to
// next (normalised, NormalizeEmail): required, a valid address, another
// than the one it has. Errors: validation_failed on email.
func CheckEmailChange(current, next string) error {
	var v Validation
	v.Check(next != "", "email", "is required")
	if !v.Has("email") {
		v.Check(validEmail(next), "email", "must be a valid email address")
	}
	v.Check(next != current, "email", ReasonEmailUnchanged)
	return v.Err()
}
