package domain

import (
	"slices"
	"strings"
)

// creditCodeAlphabet is the 31-character set of GB 32100-2015: digits and
// upper-case letters without I, O, Z, S and V. A character's value is its index.
const creditCodeAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// creditCodeWeights are 3^i mod 31 for positions 1..17.
var creditCodeWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// ValidCreditCode reports whether code is an 18-character unified social
// credit code (统一社会信用代码) whose 18th character is the GB 32100-2015 check
// character of the first 17. Lower-case input is accepted.
func ValidCreditCode(code string) bool {
	code = strings.ToUpper(code)
	if len(code) != 18 {
		return false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(creditCodeAlphabet, code[i])
		if v < 0 {
			return false
		}
		sum += v * creditCodeWeights[i]
	}
	check := (31 - sum%31) % 31
	return code[17] == creditCodeAlphabet[check]
}

// CompleteCreditCode appends the check character to 17 valid characters;
// seed data and tests use it to make valid codes.
func CompleteCreditCode(first17 string) string {
	sum := 0
	for i := 0; i < 17; i++ {
		sum += strings.IndexByte(creditCodeAlphabet, first17[i]) * creditCodeWeights[i]
	}
	return first17 + string(creditCodeAlphabet[(31-sum%31)%31])
}

// NormalizeCreditCode reads a credit code as typed for storage: upper case,
// without spaces, and full-width characters (an IME's) as plain ones.
func NormalizeCreditCode(code string) string {
	return strings.ToUpper(strings.ReplaceAll(PlainText(code), " ", ""))
}

// The reasons a credit code is refused, from the first that applies: an
// employer walk had 校验位不符 (wrong check character) for an empty code, a
// short one and one with an I alike.
const (
	ReasonCreditCodeLength   = "must be 18 characters (the code on the business licence)"
	ReasonCreditCodeAlphabet = "must hold only digits and capital letters other than I, O, Z, S and V"
	ReasonCreditCodeCheck    = "is not a valid unified social credit code (GB 32100-2015 check character)"
)

// CreditCodeProblem is why code (normalised) is no credit code, "" when
// it is one.
func CreditCodeProblem(code string) string {
	switch {
	case code == "":
		return "is required"
	case len(code) != 18:
		return ReasonCreditCodeLength
	case strings.Trim(code, creditCodeAlphabet) != "":
		return ReasonCreditCodeAlphabet
	case !ValidCreditCode(code):
		return ReasonCreditCodeCheck
	}
	return ""
}

// provinceDivisions are the province-level codes of GB/T 2260 under which
// the mainland's authorities register: the first two digits of their
// division codes.
var provinceDivisions = strings.Fields("11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65")

// CreditCodeProvince is the province whose authority registered a credit
// code's holder: characters 3–8 of the code are that authority's division
// code (GB 32100-2015), the first two of them its province. It is "" when
// the code names no province: registered nationally (100000), or not a
// division code at all. A verifier compares it with the province the
// employer stated; a company may work far from where it was registered,
// so a difference is a question to ask, not a refusal.
func CreditCodeProvince(code string) string {
	code = NormalizeCreditCode(code)
	if len(code) != 18 {
		return ""
	}
	for _, c := range code[2:8] {
		if c < '0' || c > '9' {
			return ""
		}
	}
	if p := code[2:4]; slices.Contains(provinceDivisions, p) {
		return p
	}
	return ""
}

// RegisteredElsewhere is the province the credit code was registered in
// when it is not the province the organisation states ("" otherwise, and
// when the code names no province). The Xinjiang Production and
// Construction Corps (66 in the programme's list) has no division code of
// its own: its cities' authorities register under Xinjiang's (6590xx).
func (o OrgDetails) RegisteredElsewhere() string {
	p := CreditCodeProvince(o.CreditCode)
	if p == o.ProvinceCode || (p == "65" && o.ProvinceCode == "66") {
		return ""
	}
	return p
}
