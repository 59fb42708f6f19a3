package domain

import (
	"encoding/json"
	"reflect"
	"testing"
)

// An opening patch sets exactly the fields it gives, of every type, and
// leaves the others as they were.
func TestOpeningPatchApply(t *testing.T) {
	old := OpeningInput{Title: "科研助理", Description: "d", Discipline: "engineering", Industry: "ai", DegreeMin: "master",
		Majors: []string{"软件工程"}, Headcount: 2, City: "成都", SalaryMin: 6000, SalaryMax: 9000, Deadline: "2027-06-30"}
	var p OpeningPatch
	if err := json.Unmarshal([]byte(`{"title":"新","majors":["数学","物理"],"headcount":3,"salary_max":9500,"deadline":"2027-07-01"}`), &p); err != nil {
		t.Fatal(err)
	}
	want := old
	want.Title, want.Majors, want.Headcount, want.SalaryMax, want.Deadline = "新", []string{"数学", "物理"}, 3, 9500, "2027-07-01"
	if got := p.Apply(old); !reflect.DeepEqual(got, want) {
		t.Fatalf("patched:\n%+v\nwant:\n%+v", got, want)
	}
	if got := (OpeningPatch{}).Apply(old); !reflect.DeepEqual(got, old) {
		t.Fatalf("an empty patch changed %+v into %+v", old, got)
	}
}

// ReadPlaceWords drops the 市 of a typed city, and nothing else.
func TestReadPlaceWords(t *testing.T) {
	for in, want := range map[string]string{
		"成都市": "成都", "北京市 人工智能": "北京 人工智能", "乌鲁木齐市": "乌鲁木齐",
		"城市": "城市", "超市 收银": "超市 收银", "成都": "成都", "市": "市", "成都市A": "成都市A", "": "",
	} {
		if got := (SearchQuery{Q: in}).ReadPlaceWords().Q; got != want {
			t.Errorf("%q → %q, want %q", in, got, want)
		}
	}
}

// Tidy drops the zero-width characters pasted with text, but a joiner
// inside an emoji sequence is part of one picture: dropped, the
// technologist (👩, a joiner, 💻) showed as a woman beside a laptop.
func TestTidyKeepsJoinedEmojiWhole(t *testing.T) {
	for in, want := range map[string]string{
		"科研\u200b助理":             "科研助理",
		"\ufeff数据\u2060分析\u200c": "数据分析",
		"\u200d成都\u200d":         "成都",
		"算法\u200d工程师":            "算法工程师",
		"👩\u200d💻 算法助理":          "👩\u200d💻 算法助理",
		"👩🏽\u200d💻":              "👩🏽\u200d💻",
		"❤\ufe0f\u200d🔥":         "❤\ufe0f\u200d🔥",
		"👨\u200d👩\u200d👧 家庭日":    "👨\u200d👩\u200d👧 家庭日",
		"👩\u200d\u200d💻":         "👩\u200d💻",
		"👩\u200b💻":               "👩💻",
		"A\u200d💻":               "A💻",
		"💻\u200dA":               "💻A",
		"🙂\u200d↔\ufe0f":         "🙂\u200d↔\ufe0f", // a head shaking: an arrow (Sm) joined
		"1\u200d+2":              "1+2",
	} {
		if got := Tidy(in); got != want {
			t.Errorf("Tidy(%+q) = %+q, want %+q", in, got, want)
		}
	}
}

// Tidy reads what was meant: an IME's full-width letters, digits and space
// as plain ones, and leaves out emoji and symbols pasted from a chat; the
// words themselves stay as typed.
func TestTidyReadsWhatWasMeant(t *testing.T) {
	for in, want := range map[string]string{
		"ＡＩ": "AI", "Ｐｙｔｈｏｎ": "Python", "ｃ＋＋": "c++", "５Ｇ　通信": "5G 通信", "🤖 人工智能": "人工智能",
		"人工智能🚀": "人工智能", "👩🏽\u200d💻 数据分析 ✨": "数据分析", "❤\ufe0f成都": "成都", "科研助理": "科研助理", "C# .NET": "C# .NET",
		"  成都  ": "成都", "": "",
		// Pinyin's apostrophe parts syllables; English's stays.
		"Xi'an": "Xian", "xi’an 数据": "xian 数据", "chang'an": "changan", "master's": "master's", "don't": "don't",
		// Control and text-direction characters are nothing to search for
		// (a forms probe's turned the page's title around).
		"\u202e\u2066abc\a\x01": "abc", "成都\t数据\n": "成都 数据", "人工\u200f智能": "人工\u200f智能",
	} {
		if got := (SearchQuery{Q: in}).Tidy().Q; got != want {
			t.Errorf("%q → %q, want %q", in, got, want)
		}
	}
	// A search walk: city=成都市 found nothing, openings naming 成都.
	for in, want := range map[string]string{"成都": "成都", "成都市": "成都", " 乌鲁木齐市 ": "乌鲁木齐", "城市": "城市", "Chengdu": "Chengdu"} {
		if got := (SearchQuery{SearchFilters: SearchFilters{City: in}}).Tidy().City; got != want {
			t.Errorf("city %q → %q, want %q", in, got, want)
		}
	}
	// An opening saved with 成都市 is stored as 成都, as the others are.
	in := OpeningInput{Title: "科研助理", Discipline: "engineering", Industry: "ai", DegreeMin: "master", Headcount: 1, City: "成都市",
		SalaryMin: 5000, SalaryMax: 8000, Deadline: "2027-06-30"}
	if err := in.Validate(Date{Year: 2026, Month: 12, Day: 5}); err != nil || in.City != "成都" {
		t.Errorf("an opening's city 成都市 is kept as %q (%v)", in.City, err)
	}
}
