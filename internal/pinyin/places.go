package pinyin

import (
	"slices"
	"strings"
)

// PlaceName is the English name of a Chinese city ("成都" or "成都市" gives
// "Chengdu", "西安" gives "Xi'an"), or "" when the city is not one it knows.
// Cities are the employers' own words ("全国", "线上", "上海浦东" too), so only
// a known city is named: a spelled-out guess ("Quanguo") or a wrong reading
// ("Zhangsha" for 长沙) would be worse than the Chinese.
func PlaceName(zh string) string {
	name := strings.TrimSpace(zh)
	if trimmed := strings.TrimSuffix(name, "市"); trimmed != "" {
		name = trimmed
	}
	return places[name]
}

// places are the cities of the national high-tech zones (migrations/
// zones.csv; for a zone of a prefecture, its seat: 延吉, 昌吉, 楚雄), the
// demo's (internal/seed: 雅安, which TestDemoReproducesPublishedFigures
// checks) and a few more, in their usual English names: pinyin where each
// character has one reading, the zone's own English name where one has
// several (长沙 Changsha), and the names that are not pinyin (Hohhot, Urumqi,
// Lhasa). TestPlaceNameAgreesWithZones checks them against the zones' English
// names and the characters' readings.
var places = map[string]string{
	"三明": "Sanming", "上海": "Shanghai", "东莞": "Dongguan", "东营": "Dongying",
	"中山": "Zhongshan", "临沂": "Linyi", "乌鲁木齐": "Urumqi", "乐山": "Leshan",
	"九江": "Jiujiang", "仙桃": "Xiantao", "佛山": "Foshan", "保定": "Baoding", "信阳": "Xinyang",
	"克拉玛依": "Karamay", "兰州": "Lanzhou", "内江": "Neijiang", "包头": "Baotou",
	"北京": "Beijing", "北海": "Beihai", "南京": "Nanjing", "南宁": "Nanning", "南昌": "Nanchang",
	"南通": "Nantong", "南阳": "Nanyang", "厦门": "Xiamen", "合肥": "Hefei", "吉安": "Ji'an",
	"吉林": "Jilin", "呼和浩特": "Hohhot", "咸宁": "Xianning", "咸阳": "Xianyang",
	"哈尔滨": "Harbin", "唐山": "Tangshan", "喀什": "Kashgar", "嘉兴": "Jiaxing", "大庆": "Daqing",
	"大连": "Dalian", "天津": "Tianjin", "太原": "Taiyuan", "威海": "Weihai", "孝感": "Xiaogan",
	"宁波": "Ningbo", "安庆": "Anqing", "安康": "Ankang", "安阳": "Anyang", "安顺": "Anshun",
	"宜昌": "Yichang", "宜春": "Yichun", "宝鸡": "Baoji", "宿迁": "Suqian", "常州": "Changzhou",
	"常德": "Changde", "平顶山": "Pingdingshan", "广州": "Guangzhou", "廊坊": "Langfang", "延吉": "Yanji",
	"徐州": "Xuzhou", "德州": "Dezhou", "德阳": "Deyang", "怀化": "Huaihua", "惠州": "Huizhou",
	"成都": "Chengdu", "扬州": "Yangzhou", "承德": "Chengde", "抚州": "Fuzhou", "拉萨": "Lhasa",
	"攀枝花": "Panzhihua", "新乡": "Xinxiang", "新余": "Xinyu", "无锡": "Wuxi", "昆明": "Kunming", "昌吉": "Changji",
	"景德镇": "Jingdezhen", "本溪": "Benxi", "杭州": "Hangzhou", "枣庄": "Zaozhuang",
	"柳州": "Liuzhou", "株洲": "Zhuzhou", "桂林": "Guilin", "楚雄": "Chuxiong", "榆林": "Yulin", "武汉": "Wuhan",
	"汕头": "Shantou", "江门": "Jiangmen", "沈阳": "Shenyang", "河源": "Heyuan", "泉州": "Quanzhou",
	"泰安": "Tai'an", "泰州": "Taizhou", "泸州": "Luzhou", "洛阳": "Luoyang", "济南": "Jinan",
	"济宁": "Jining", "海口": "Haikou", "淄博": "Zibo", "淮南": "Huainan", "淮安": "Huai'an",
	"深圳": "Shenzhen", "清远": "Qingyuan", "温州": "Wenzhou", "渭南": "Weinan", "湖州": "Huzhou",
	"湘潭": "Xiangtan", "湛江": "Zhanjiang", "滁州": "Chuzhou", "漳州": "Zhangzhou",
	"潍坊": "Weifang", "潜江": "Qianjiang", "澳门": "Macao", "烟台": "Yantai", "焦作": "Jiaozuo",
	"玉溪": "Yuxi", "珠海": "Zhuhai", "白银": "Baiyin", "益阳": "Yiyang", "盐城": "Yancheng",
	"石嘴山": "Shizuishan", "石家庄": "Shijiazhuang", "石河子": "Shihezi", "福州": "Fuzhou",
	"绍兴": "Shaoxing", "绵阳": "Mianyang", "肇庆": "Zhaoqing", "自贡": "Zigong", "芜湖": "Wuhu",
	"苏州": "Suzhou", "茂名": "Maoming", "荆州": "Jingzhou", "荆门": "Jingmen", "莆田": "Putian",
	"营口": "Yingkou", "蚌埠": "Bengbu", "衡阳": "Hengyang", "衢州": "Quzhou", "襄阳": "Xiangyang",
	"西宁": "Xining", "西安": "Xi'an", "许昌": "Xuchang", "贵阳": "Guiyang", "赣州": "Ganzhou",
	"辽阳": "Liaoyang", "连云港": "Lianyungang", "通化": "Tonghua", "遵义": "Zunyi",
	"郑州": "Zhengzhou", "郴州": "Chenzhou", "鄂尔多斯": "Ordos", "重庆": "Chongqing",
	"铜陵": "Tongling", "银川": "Yinchuan", "锦州": "Jinzhou", "镇江": "Zhenjiang",
	"长春": "Changchun", "长沙": "Changsha", "长治": "Changzhi", "阜新": "Fuxin", "阿克苏": "Aksu",
	"阿拉尔": "Aral", "随州": "Suizhou", "雅安": "Ya'an", "青岛": "Qingdao", "鞍山": "Anshan", "香港": "Hong Kong",
	"马鞍山": "Ma'anshan", "鹰潭": "Yingtan", "黄冈": "Huanggang", "黄石": "Huangshi",
	"齐齐哈尔": "Qiqihar", "龙岩": "Longyan",
}

// PlaceWords are the words of the places' English names, in lower case
// ("chengdu", "xi", "an", "hong", "kong"), sorted. The search index takes
// them as typed: one typo from a place ("chengdu" → "chenggu") is a prefix of
// other words' pinyin (成果 chengguo, 集成电路 jichengdianlu), and a place
// searched by name must not count what merely sounds near it.
func PlaceWords() []string {
	seen := map[string]bool{}
	for _, name := range places {
		for _, w := range strings.FieldsFunc(strings.ToLower(name), func(r rune) bool { return r < 'a' || r > 'z' }) {
			seen[w] = true
		}
	}
	words := make([]string, 0, len(seen))
	for w := range seen {
		words = append(words, w)
	}
	slices.Sort(words)
	return words
}
