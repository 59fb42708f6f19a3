package pinyin_test

import (
	"encoding/csv"
	"slices"
	"strings"
	"testing"

	"github.com/gradzone/gradzone/internal/pinyin"
	"github.com/gradzone/gradzone/migrations"
)

func TestPlaceName(t *testing.T) {
	for zh, want := range map[string]string{
		"成都": "Chengdu", "成都市": "Chengdu", " 北京 ": "Beijing", "西安": "Xi'an", "淮安市": "Huai'an",
		"长沙": "Changsha", "重庆": "Chongqing", "厦门": "Xiamen", "乌鲁木齐": "Urumqi", "拉萨": "Lhasa",
		// An English walk found the demo's 雅安 in Chinese; the zones of
		// prefectures (延边朝鲜族自治州 …) are named for their seat.
		"雅安": "Ya'an", "雅安市": "Ya'an", "延吉": "Yanji", "昌吉": "Changji", "楚雄": "Chuxiong",
		// Polyphones not known, and what is not a Chinese name: no guess.
		"长乐": "", "朝阳": "", "Chengdu": "", "成都 高新": "", "": "", "市": "",
		// A review: what employers write that is no city ("Quanguo").
		"全国": "", "远程": "", "线上": "", "待定": "", "面议": "", "海外": "", "上海浦东": "", "北京海淀": "",
	} {
		if got := pinyin.PlaceName(zh); got != want {
			t.Errorf("PlaceName(%q) = %q, want %q", zh, got, want)
		}
	}
}

// Every city whose zone is named after it (Chengdu Hi-tech … in 成都市) is
// spelled as the zone's name spells it, never in another reading; most
// zone cities get a name.
func TestPlaceNameAgreesWithZones(t *testing.T) {
	f, err := migrations.FS.Open("zones.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	named := 0
	for _, row := range rows[1:] {
		city, zone := row[5], row[2]
		first := strings.ToLower(strings.Fields(zone)[0])
		got := strings.ToLower(pinyin.PlaceName(city))
		switch {
		case got == first:
			named++
		case got != "" && spells(strings.TrimSuffix(city, "市"), strings.ReplaceAll(first, "'", "")):
			t.Errorf("%s is spelled %q; its zone is %q", city, got, zone)
		}
	}
	if named < 120 {
		t.Errorf("%d of %d zones' cities named as their zones spell them, want most", named, len(rows)-1)
	}
}

// spells reports whether some reading of each character of zh, joined,
// is word.
func spells(zh, word string) bool {
	words := []string{""}
	for _, readings := range pinyin.Readings(zh) {
		var next []string
		for _, w := range words {
			for _, r := range readings {
				next = append(next, w+r)
			}
		}
		words = next
	}
	for _, w := range words {
		if w == word {
			return true
		}
	}
	return false
}

func TestPlaceWordsAreLowerCaseWords(t *testing.T) {
	words := pinyin.PlaceWords()
	if !slices.IsSorted(words) || !slices.Contains(words, "chengdu") || !slices.Contains(words, "xi") || !slices.Contains(words, "kong") {
		t.Fatalf("place words: %v", words)
	}
	for _, w := range words {
		if strings.Trim(w, "abcdefghijklmnopqrstuvwxyz") != "" {
			t.Errorf("%q is not one lower-case word", w)
		}
	}
}
