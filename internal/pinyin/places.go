package pinyin

import (
	"strings"
	"unicode"
)

// PlaceName is the English name of a Chinese city ("成都" or "成都市" gives
// "Chengdu", "西安" gives "Xi'an"), or "" when the name cannot be given
// with certainty. Cities are the employers' own words, so a wrong reading
// would put a wrong name in their openings: a name whose characters each
// have one reading is spelled; one with a polyphone (长 is chang and zhang,
// 重 chong and zhong) is given only from known names, which hold the
// national high-tech zones' cities as their official English names spell
// them, and the names that are not pinyin (Hohhot, Urumqi).
func PlaceName(zh string) string {
	name := strings.TrimSpace(zh)
	if trimmed := strings.TrimSuffix(name, "市"); trimmed != "" {
		name = trimmed
	}
	if name == "" {
		return ""
	}
	if en, ok := knownPlaces[name]; ok {
		return en
	}
	var b strings.Builder
	for i, r := range []rune(name) {
		if !unicode.Is(unicode.Han, r) {
			return ""
		}
		readings := Readings(string(r))
		if len(readings) != 1 || len(readings[0]) != 1 {
			return "" // a polyphone, or no reading: not certain
		}
		syllable := readings[0][0]
		switch {
		case i == 0:
			syllable = strings.ToUpper(syllable[:1]) + syllable[1:]
		case strings.ContainsRune("aoe", rune(syllable[0])):
			b.WriteByte('\'') // 西安 is Xi'an, not Xian
		}
		b.WriteString(syllable)
	}
	return b.String()
}

// knownPlaces are the cities whose English name is not plain pinyin or has
// a polyphone. The first part was read from the national high-tech zones'
// English names (migrations/zones.csv), each checked against the
// characters' readings; the second are conventional names.
var knownPlaces = map[string]string{
	"三明": "Sanming", "东莞": "Dongguan", "临沂": "Linyi", "乐山": "Leshan", "仙桃": "Xiantao", "佛山": "Foshan",
	"信阳": "Xinyang", "内江": "Neijiang", "包头": "Baotou", "南京": "Nanjing", "南宁": "Nanning", "南昌": "Nanchang",
	"南通": "Nantong", "南阳": "Nanyang", "厦门": "Xiamen", "合肥": "Hefei", "咸宁": "Xianning", "咸阳": "Xianyang",
	"大庆": "Daqing", "大连": "Dalian", "太原": "Taiyuan", "孝感": "Xiaogan", "宁波": "Ningbo", "宿迁": "Suqian",
	"平顶山": "Pingdingshan", "广州": "Guangzhou", "怀化": "Huaihua", "成都": "Chengdu", "承德": "Chengde",
	"攀枝花": "Panzhihua", "新余": "Xinyu", "无锡": "Wuxi", "昆明": "Kunming", "景德镇": "Jingdezhen", "本溪": "Benxi",
	"杭州": "Hangzhou", "枣庄": "Zaozhuang", "汕头": "Shantou", "沈阳": "Shenyang", "济南": "Jinan", "济宁": "Jining",
	"淮南": "Huainan", "深圳": "Shenzhen", "温州": "Wenzhou", "渭南": "Weinan", "湘潭": "Xiangtan", "湛江": "Zhanjiang",
	"烟台": "Yantai", "焦作": "Jiaozuo", "玉溪": "Yuxi", "白银": "Baiyin", "石嘴山": "Shizuishan",
	"石家庄": "Shijiazhuang", "石河子": "Shihezi", "莆田": "Putian", "蚌埠": "Bengbu", "许昌": "Xuchang",
	"连云港": "Lianyungang", "通化": "Tonghua", "郴州": "Chenzhou", "重庆": "Chongqing", "长春": "Changchun",
	"长沙": "Changsha", "长治": "Changzhi", "青岛": "Qingdao", "鹰潭": "Yingtan", "黄石": "Huangshi",

	"呼和浩特": "Hohhot", "鄂尔多斯": "Ordos", "哈尔滨": "Harbin", "齐齐哈尔": "Qiqihar", "拉萨": "Lhasa",
	"乌鲁木齐": "Urumqi", "克拉玛依": "Karamay", "喀什": "Kashgar", "阿克苏": "Aksu", "阿拉尔": "Aral",
	"西宁": "Xining", "香港": "Hong Kong", "澳门": "Macao",
}
