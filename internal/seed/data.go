package seed

// Demo data: realistic employers of national high-tech zones and research-
// assistant openings. Names are illustrative, not real organisations.

type employerSpec struct {
	Name     string
	Zone     string // "" for an employer outside any zone
	Province string
	City     string
	Type     string
	Size     string
	Industry string
}

var employers = []employerSpec{
	{"成都智算未来科技有限公司", "sichuan-chengdu", "51", "成都", "enterprise", "small", "ai"},
	{"成都天府生物医药研究院", "sichuan-chengdu", "51", "成都", "institute", "medium", "biomedicine"},
	{"电子科技大学科研助理中心（示例）", "sichuan-chengdu", "51", "成都", "university", "large", "next_gen_it"},
	{"绵阳九洲微波技术有限公司（示例）", "sichuan-mianyang", "51", "绵阳", "enterprise", "medium", "high_end_equipment"},
	{"四川川西新材料实验室", "", "51", "雅安", "institute", "small", "new_materials"},
	{"中关村量子信息科技有限公司", "beijing-zhongguancun", "11", "北京", "enterprise", "small", "next_gen_it"},
	{"北京海淀智能语音研究所（示例）", "beijing-zhongguancun", "11", "北京", "institute", "medium", "ai"},
	{"天津滨海合成生物技术有限公司", "tianjin-binhai", "12", "天津", "enterprise", "micro", "biomedicine"},
	{"上海张江集成电路设计有限公司（示例）", "shanghai-zhangjiang", "31", "上海", "enterprise", "medium", "integrated_circuits"},
	{"苏州工业园区纳米材料创新中心", "jiangsu-suzhou-industrial-park", "32", "苏州", "institute", "medium", "new_materials"},
	{"南京江北新能源电池研究院（示例）", "jiangsu-nanjing", "32", "南京", "institute", "small", "new_energy"},
	{"杭州数智视觉科技有限公司", "zhejiang-hangzhou", "33", "杭州", "enterprise", "small", "ai"},
	{"绍兴柯桥纺织新材料有限公司（示例）", "zhejiang-shaoxing", "33", "绍兴", "enterprise", "micro", "new_materials"},
	{"合肥量子精密测量有限公司", "anhui-hefei", "34", "合肥", "enterprise", "small", "next_gen_it"},
	{"厦门火炬海洋装备有限公司（示例）", "fujian-xiamen-torch", "35", "厦门", "enterprise", "medium", "marine_equipment"},
	{"济南齐鲁软件园数据科技有限公司", "shandong-jinan", "37", "济南", "enterprise", "small", "next_gen_it"},
	{"潍坊动力装备研究院（示例）", "shandong-weifang", "37", "潍坊", "institute", "large", "high_end_equipment"},
	{"郑州金水智能农机有限公司", "henan-zhengzhou", "41", "郑州", "enterprise", "micro", "modern_agriculture"},
	{"武汉东湖光电子实验室（示例）", "hubei-wuhan-donghu", "42", "武汉", "institute", "medium", "next_gen_it"},
	{"长沙麓谷工程机械研究院", "hunan-changsha", "43", "长沙", "institute", "large", "high_end_equipment"},
	{"深圳南山机器人科技有限公司", "guangdong-shenzhen", "44", "深圳", "enterprise", "small", "ai"},
	{"广州黄埔生物医药有限公司（示例）", "guangdong-guangzhou", "44", "广州", "enterprise", "medium", "biomedicine"},
	{"佛山智能制造创新研究院", "guangdong-foshan", "44", "佛山", "institute", "medium", "high_end_equipment"},
	{"东莞松山湖材料实验室（示例）", "guangdong-dongguan-songshanhu", "44", "东莞", "institute", "large", "new_materials"},
	{"广东粤港澳科技服务有限公司", "", "44", "广州", "enterprise", "micro", "tech_services"},
	{"重庆两江汽车电子有限公司（示例）", "chongqing-chongqing", "50", "重庆", "enterprise", "medium", "new_energy_vehicles"},
	{"西安高新航空航天研究院", "shaanxi-xian", "61", "西安", "institute", "large", "aerospace"},
	{"杨凌农业生物技术有限公司（示例）", "shaanxi-yangling", "61", "咸阳", "enterprise", "small", "modern_agriculture"},
	{"兰州高新节能环保科技有限公司", "gansu-lanzhou", "62", "兰州", "enterprise", "micro", "energy_saving"},
	{"乌鲁木齐新能源研究所（示例）", "xinjiang-urumqi", "65", "乌鲁木齐", "institute", "small", "new_energy"},
	{"哈尔滨高端装备研究院（示例）", "heilongjiang-harbin", "23", "哈尔滨", "institute", "medium", "high_end_equipment"},
	{"贵阳大数据科技有限公司", "guizhou-guiyang", "52", "贵阳", "enterprise", "small", "next_gen_it"},
	{"昆明生物多样性研究中心（示例）", "yunnan-kunming", "53", "昆明", "institute", "small", "biomedicine"},
	{"南宁数字创意科技有限公司", "guangxi-nanning", "45", "南宁", "enterprise", "micro", "digital_creative"},
	{"大连化学物理应用技术有限公司（示例）", "liaoning-dalian", "21", "大连", "enterprise", "medium", "new_materials"},
	{"浙江之江数字经济研究院（示例）", "", "33", "杭州", "institute", "medium", "ai"},
}

// topics give each industry's openings their subjects; roles their posts.
var topics = map[string][]string{
	"ai":                  {"人工智能算法", "大模型训练数据", "计算机视觉", "自然语言处理", "智能语音", "Machine Learning"},
	"next_gen_it":         {"Java开发", "Python数据分析", "量子通信", "工业互联网", "网络安全", "云计算平台"},
	"biomedicine":         {"生物医药", "抗体药物研发", "基因编辑", "细胞治疗", "临床试验数据", "合成生物学"},
	"new_materials":       {"新材料表征", "纳米材料", "高分子材料", "碳纤维复合材料", "功能薄膜"},
	"new_energy":          {"锂电池", "氢能储运", "光伏组件", "储能系统"},
	"integrated_circuits": {"芯片验证", "集成电路设计", "EDA工具", "半导体工艺"},
	"high_end_equipment":  {"智能制造", "工业机器人", "数控机床", "精密测量"},
	"marine_equipment":    {"海洋装备", "水下机器人"},
	"modern_agriculture":  {"智慧农业", "种质资源", "农业遥感"},
	"aerospace":           {"航空发动机", "卫星遥感", "无人机"},
	"energy_saving":       {"节能环保", "碳排放监测"},
	"new_energy_vehicles": {"自动驾驶", "动力电池管理"},
	"digital_creative":    {"数字创意", "虚拟现实"},
	"tech_services":       {"科技成果转化", "知识产权分析"},
}

var roles = []string{"科研助理", "研发助理", "实验助理", "数据分析助理", "项目助理"}

var disciplineOf = map[string]string{
	"ai": "engineering", "next_gen_it": "engineering", "biomedicine": "medicine", "new_materials": "engineering",
	"new_energy": "engineering", "integrated_circuits": "engineering", "high_end_equipment": "engineering",
	"marine_equipment": "engineering", "modern_agriculture": "agriculture", "aerospace": "engineering",
	"energy_saving": "science", "new_energy_vehicles": "engineering", "digital_creative": "arts", "tech_services": "management",
}

var majorsOf = map[string][]string{
	"ai": {"计算机科学与技术", "人工智能", "软件工程"}, "next_gen_it": {"计算机科学与技术", "软件工程", "通信工程"},
	"biomedicine": {"生物医学工程", "药学", "生物技术"}, "new_materials": {"材料科学与工程", "化学"},
	"new_energy": {"能源与动力工程", "电气工程"}, "integrated_circuits": {"微电子科学与工程", "电子信息工程"},
	"high_end_equipment": {"机械工程", "自动化"}, "marine_equipment": {"船舶与海洋工程"}, "modern_agriculture": {"农学", "植物保护"},
	"aerospace": {"飞行器设计与工程", "遥感科学与技术"}, "energy_saving": {"环境工程"}, "new_energy_vehicles": {"车辆工程", "自动化"},
	"digital_creative": {"数字媒体艺术"}, "tech_services": {"工商管理", "知识产权"},
}

var surnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈")
var givenNames = []string{"浩然", "子涵", "欣怡", "梓轩", "雨桐", "宇航", "思远", "佳琪", "一鸣", "诗涵", "俊杰", "嘉怡", "晨阳", "若曦", "明哲", "婉清", "天佑", "雅婷", "博文", "可欣"}

var universities = []string{"四川大学", "电子科技大学", "清华大学", "浙江大学", "武汉大学", "中山大学", "西安交通大学", "南京大学", "山东大学", "华中科技大学", "重庆大学", "兰州大学"}

// name returns a deterministic Chinese name for index i.
func name(i int) string {
	return string(surnames[i%len(surnames)]) + givenNames[(i/len(surnames)+i)%len(givenNames)]
}
