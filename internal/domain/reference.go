package domain

import "strings"

// Term is a code with its Chinese and English labels.
type Term struct {
	Code string `json:"code"`
	Zh   string `json:"zh"`
	En   string `json:"en"`
}

// EmployerTypeTerms, EmployerSizeTerms and DegreeTerms label EmployerTypes,
// EmployerSizes and Degrees (same codes, same order).
var (
	EmployerTypeTerms = []Term{{"enterprise", "企业", "Enterprise"}, {"university", "高校", "University"}, {"institute", "科研院所", "Institute"}}
	EmployerSizeTerms = []Term{{"micro", "微型", "Micro"}, {"small", "小型", "Small"}, {"medium", "中型", "Medium"}, {"large", "大型", "Large"}}
	DegreeTerms       = []Term{{"associate", "专科", "Associate"}, {"bachelor", "本科", "Bachelor"}, {"master", "硕士", "Master"}, {"doctor", "博士", "Doctorate"}}
)

// Industries are the strategic emerging industries (战略性新兴产业) plus the
// sectors research-assistant posts commonly come from. The API publishes
// them at /api/v1/reference; openings and employers must use a code.
var Industries = []Term{
	{"next_gen_it", "新一代信息技术", "Next-generation information technology"},
	{"ai", "人工智能", "Artificial intelligence"},
	{"biomedicine", "生物医药", "Biomedicine"},
	{"high_end_equipment", "高端装备制造", "High-end equipment manufacturing"},
	{"new_materials", "新材料", "New materials"},
	{"new_energy", "新能源", "New energy"},
	{"new_energy_vehicles", "新能源汽车", "New energy vehicles"},
	{"energy_saving", "节能环保", "Energy saving and environmental protection"},
	{"digital_creative", "数字创意", "Digital creative industries"},
	{"aerospace", "航空航天", "Aerospace"},
	{"marine_equipment", "海洋装备", "Marine equipment"},
	{"integrated_circuits", "集成电路", "Integrated circuits"},
	{"modern_agriculture", "现代农业", "Modern agriculture"},
	{"tech_services", "科技服务", "Science and technology services"},
	{"other", "其他", "Other"},
}

// Disciplines are the 学科门类 of the Ministry of Education's catalogue.
var Disciplines = []Term{
	{"philosophy", "哲学", "Philosophy"},
	{"economics", "经济学", "Economics"},
	{"law", "法学", "Law"},
	{"education", "教育学", "Education"},
	{"literature", "文学", "Literature"},
	{"history", "历史学", "History"},
	{"science", "理学", "Science"},
	{"engineering", "工学", "Engineering"},
	{"agriculture", "农学", "Agriculture"},
	{"medicine", "医学", "Medicine"},
	{"military", "军事学", "Military science"},
	{"management", "管理学", "Management"},
	{"arts", "艺术学", "Arts"},
	{"interdisciplinary", "交叉学科", "Interdisciplinary studies"},
}

func codes(ts []Term) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Code
	}
	return out
}

var (
	industryCodes   = codes(Industries)
	disciplineCodes = codes(Disciplines)
)

// IndustryCodes lists the valid industry codes.
func IndustryCodes() []string { return industryCodes }

// DisciplineCodes lists the valid discipline codes.
func DisciplineCodes() []string { return disciplineCodes }

// TermCode reads what a person wrote for one of ts: the code, or its
// Chinese or English label (case and surrounding space ignored). Anything
// else comes back trimmed and unchanged, for validation to refuse.
func TermCode(ts []Term, s string) string {
	s = strings.TrimSpace(s)
	for _, t := range ts {
		if strings.EqualFold(s, t.Code) || s == t.Zh || strings.EqualFold(s, t.En) {
			return t.Code
		}
	}
	return s
}

// IsTerm reports whether s names one of ts (its code or either label), as
// TermCode reads it.
func IsTerm(ts []Term, s string) bool {
	code := TermCode(ts, s)
	for _, t := range ts {
		if t.Code == code {
			return true
		}
	}
	return false
}

// TermZh returns the Chinese label of code in ts, or code itself.
func TermZh(ts []Term, code string) string {
	for _, t := range ts {
		if t.Code == code {
			return t.Zh
		}
	}
	return code
}

// TermEn returns the English label of code in ts, or code itself.
func TermEn(ts []Term, code string) string {
	for _, t := range ts {
		if t.Code == code {
			return t.En
		}
	}
	return code
}
