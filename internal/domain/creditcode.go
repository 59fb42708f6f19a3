package domain

import "strings"

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

// NormalizeCreditCode upper-cases and trims a credit code for storage.
func NormalizeCreditCode(code string) string { return strings.ToUpper(strings.TrimSpace(code)) }
