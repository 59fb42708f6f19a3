package domain

import "testing"

func TestValidCreditCode(t *testing.T) {
	// Published codes of well-known organisations (business licences and
	// registration notices), and corruptions of them.
	valid := []string{
		"914403001922038216", // 华为技术有限公司
		"91440300708461136T", // 深圳市腾讯计算机系统有限公司
		"91330100799655058B", // 阿里巴巴（中国）有限公司
		"91110000802100433B", // 北京百度网讯科技有限公司
		"12100000400000624D", // 中国科学院 (institution code, 1 = 机构编制)
		"91110108551385082Q", // 北京小米科技有限责任公司
	}
	for _, c := range valid {
		if !ValidCreditCode(c) {
			t.Errorf("%s should be valid", c)
		}
	}
	invalid := []string{
		"914403001922038217", // last character changed
		"914403001922038261", // two characters swapped
		"91440300708461136",  // too short
		"91440300708461136TT",
		"91440300708461136I", // I is not in the alphabet
		"",
		"ＡＢＣ",
		"9144030070846113'T",
	}
	for _, c := range invalid {
		if ValidCreditCode(c) {
			t.Errorf("%q should be invalid", c)
		}
	}
	if !ValidCreditCode("91440300708461136t") {
		t.Error("lower-case input should be accepted")
	}
}

// CreditCodeProvince reads the registering authority's province from a
// code; RegisteredElsewhere names it when the stated province differs.
func TestCreditCodeProvince(t *testing.T) {
	for code, want := range map[string]string{
		"914403001922038216":   "44", // 华为, registered in Shenzhen
		"91110108551385082Q":   "11", // 小米, Beijing's Haidian
		"12100000400000624D":   "",   // 中国科学院, registered nationally
		"91990100000000001X":   "",   // 99 is no province
		"91AB0100000000001X":   "",   // not a division code
		"9144030":              "",
		" 91330100799655058b ": "33",
	} {
		if got := CreditCodeProvince(code); got != want {
			t.Errorf("%q: %q, want %q", code, got, want)
		}
	}
	o := OrgDetails{CreditCode: "914403001922038216", ProvinceCode: "44"}
	if got := o.RegisteredElsewhere(); got != "" {
		t.Errorf("stated where registered: %q", got)
	}
	o.ProvinceCode = "51"
	if got := o.RegisteredElsewhere(); got != "44" {
		t.Errorf("stated Sichuan, registered in Guangdong: %q", got)
	}
	if got := (OrgDetails{CreditCode: "12100000400000624D", ProvinceCode: "11"}).RegisteredElsewhere(); got != "" {
		t.Errorf("registered nationally: %q", got)
	}
	// A Corps employer (66) registered in Shihezi (659001) is at home.
	if got := (OrgDetails{CreditCode: CompleteCreditCode("91659001000000001"), ProvinceCode: "66"}).RegisteredElsewhere(); got != "" {
		t.Errorf("a Corps employer registered in Shihezi: %q", got)
	}
}
