package domain

import (
	"regexp"
	"strconv"
	"strings"
)

// Reason is one validation reason as the API's `fields` carry it (English,
// part of the contract) with its Chinese text. Numbers and names inside a
// reason are placeholders ({a}, {b}, {x}) carried into the translation.
type Reason struct {
	En, Zh string
}

// Reasons is the one translation table of field reasons: the API sends the
// English text in `fields`; the site shows the text for the reader's
// language beside the field. TestEveryReasonTranslated keeps it complete.
var Reasons = []Reason{
	{"is required", "必填"},
	{"is invalid, used or expired", "链接无效、已使用或已过期"},
	{"is no longer needed: the address is verified", "无需再用：邮箱已验证"},
	{"is incorrect", "不正确"},
	{"is not a current code of your authenticator app or an unused recovery code", "不是验证器应用的当前验证码，也不是未用过的恢复码"},
	{"is not a current code of your authenticator app", "不是验证器应用显示的当前验证码"},
	{"is not a mail kind you receive", "不是您会收到的邮件类型"},
	{"is not an audit entry", "不是审计记录"},
	{"cannot be turned off", "不能关闭"},
	{"must be immediate, daily or weekly", "须为即时、每日或每周"},
	{"must be immediate, daily, weekly or off", "须为即时、每日、每周或关闭"},
	{"must be zh or en", "须为中文或英文"},
	{"must differ from the current password", "不能与当前密码相同"},
	{ReasonEmailUnchanged, "已是您当前的邮箱"},
	{"must be true: the privacy notice must be accepted", "须阅读并同意隐私声明"},
	{"must be ticked to confirm", "请勾选确认"},
	{"must not contain NUL bytes or invalid UTF-8", "不能包含空字符或无效的 UTF-8 编码"},
	{"must not contain NUL bytes", "不能包含空字符"},
	{ReasonControlText, "不能包含控制字符或改变文字方向的字符"},
	{"must be a positive whole number", "须为正整数"},
	{"must be true or false", "须为 true 或 false"},
	{"must be a number", "须为数字"},
	{ReasonPasswordBlank, "不能全是空格"},
	{ReasonPasswordCommon, "是最常见的密码之一，请换一个"},
	{ReasonPasswordRepeats, "至少要有 4 个不同的字符"},
	{ReasonPasswordIsAddress, "不能是您的邮箱地址"},
	{"must be a whole number", "须为整数"},
	{"must be a string", "须为文本"},
	{"must be an array", "须为数组"},
	{"must be an object", "须为对象"},
	{"must be {a} to {b} characters", "须为 {a}–{b} 个字"},
	{"must be one line of {a} to {b} characters", "须为一行，{a}–{b} 个字"},
	{"must be one line of at most {a} characters", "须为一行，最多 {a} 个字"},
	{"must be at least {a} characters", "至少 {a} 个字符"},
	{"must be at most {a} characters", "最多 {a} 个字"},
	{"the résumé must be at most {a} MB", "简历不能超过 {a} MB"},
	{"the workbook must be at most {a} MB", "工作簿不能超过 {a} MB"},
	{"each major must be {a} to {b} characters", "每个专业须为 {a}–{b} 个字"},
	{"each entry must be at most {a} characters", "每项最多 {a} 个字"},
	{"at most {a} majors", "最多 {a} 个专业"},
	{"at most {a} entries", "最多 {a} 项"},
	{"too long", "过长"},
	{"must be from {a} to {b} yuan a month", "须在 {a}–{b} 元/月之间"},
	{"must be from {a} to {b}", "须在 {a}–{b} 之间"},
	{"must not be below salary_min", "不能低于最低月薪"},
	{"must be whole numbers", "须为整数"},
	{"must be a date YYYY-MM-DD", "须为日期（年-月-日）"},
	{"must be today or later (Asia/Shanghai)", "不能早于今天（北京时间）"},
	{"must be within two years", "须在两年之内"},
	{"cannot be in the future (Asia/Shanghai)", "不能晚于今天（北京时间）"},
	{"is too far in the past", "过于久远"},
	{ReasonOneLine200, "须为一行，不超过 200 个字符"},
	{ReasonCheckInNotOpen, "签到在活动开始前 12 小时开放"},
	{"cannot be before the application was made (Asia/Shanghai)", "不能早于投递申请的日期（北京时间）"},
	{"has passed; set a new deadline first", "已过截止日期，请先设置新的截止日期"},
	{"is required to hire (YYYY-MM-DD)", "录用需填写入职日期（年-月-日）"},
	{ReasonDateTime, "须为有效的日期时间，如 2026-12-05T14:00:00+08:00"},
	{"must be after starts_at", "须晚于开始时间"},
	{"an event lasts at most 62 days", "活动最长 62 天"},
	{ReasonEventStart, "须在一年前到两年后之间"},
	{"must be an http(s) link", "须为 http(s) 链接"},
	{"must be a valid email address", "请输入有效的电子邮箱"},
	{"must be an 11-digit mainland mobile number", "须为 11 位大陆手机号"},
	{"must be a year near the present", "须为近年的年份"},
	{"must be a year from {a} to {b}", "须为 {a}–{b} 年之间的年份"},
	{"must be a two-digit province code", "请选择省份"},
	{ReasonCreditCodeCheck, "不是有效的统一社会信用代码（GB 32100-2015 校验位不符）"},
	{ReasonCreditCodeLength, "须为 18 位（营业执照上的统一社会信用代码）"},
	{ReasonCreditCodeAlphabet, "只能包含数字和大写字母（不含 I、O、Z、S、V）"},
	{"must be one of associate, bachelor, master, doctor", "须为专科、本科、硕士或博士"},
	{"must be one of enterprise, university, institute", "请选择单位类型"},
	{"must be one of micro, small, medium, large", "请选择单位规模"},
	{"must be one of the industries at /api/v1/reference", "请选择行业"},
	{"must be one of the disciplines at /api/v1/reference", "请选择学科门类"},
	{"must be recruitment_week, livestream or job_fair", "请选择活动类型"},
	{"must be graduate or employer", "须为毕业生或用人单位"},
	{"must be employers or openings", "须为用人单位或岗位"},
	{ReasonStaffRole, "须为" + staffRoleWords("zh")},
	{"unknown zone", "未知的园区"},
	{"unknown province", "未知的省份"},
	{"unknown industry", "未知的行业"},
	{"unknown degree", "未知的学历"},
	{"unknown zone", "未知的高新区"},
	{"unknown employer type", "未知的单位类型"},
	{"unknown status", "未知的状态"},
	{"zone is not in that province", "该园区不属于所选省份"},
	{"must be {a}", "须为 {a}"}, // a list of one role (RoleList)
	{"{a} needs --zone", "{a} 须指定园区"},
	{"{a} takes its province from its zone", "{a} 的省份由园区决定"},
	{"{a} needs --province", "{a} 须指定省份"},
	{"{a} takes no zone", "{a} 不属于园区"},
	{"{a} takes no zone or province", "{a} 不属于园区或省份"},
	{"cannot be below the placements already made", "不能少于已录用人数"},
	{"must list {a} to {b} openings", "须选择 {a}–{b} 个岗位"},
	{"not a published opening of the event's zone: {a}", "不是本园区已发布的岗位：{a}"},
	{"not taking applications (past its deadline or full): {a}", "已不接受申请（已过截止日期或已招满）：{a}"},
	{"is not the employers template: its first row must be the template's column headings", "不是单位导入模板：第一行须为模板的列标题"},
	{"is not the openings template: its first row must be the template's column headings", "不是岗位导入模板：第一行须为模板的列标题"},
	{reasonNotTheTemplate["employers"], "不是单位导入模板：工作表「{v}」第 {a} 列的标题为「{w}」，模板此列为「{b}」（标题行须在前 3 行内；隐藏的工作表不读）"},
	{reasonNotTheTemplate["openings"], "不是岗位导入模板：工作表「{v}」第 {a} 列的标题为「{w}」，模板此列为「{b}」（标题行须在前 3 行内；隐藏的工作表不读）"},
	{ReasonOldXLS, "是旧版 .xls 文件或设了密码的工作簿：请在 Excel 或 WPS 中「另存为」不设密码的 .xlsx 工作簿后上传"},
	{ReasonTextFile, "是 CSV 或文本文件，不能导入：请下载模板（.xlsx），填写后上传"},
	{ReasonEmptyFile, "是空文件：请下载模板（.xlsx），填写后上传"},
	{"no registration with this check-in code", "没有此签到码的报名"},
	{"the month has not started", "该月份尚未开始"},
	{"a returned report needs a reason of {a} to {b} characters", "退回月报须说明理由（{a}–{b} 字）"},
	{"must be an .xlsx workbook made from the template", "须为按模板填写的 .xlsx 工作簿"},
	{"the workbook has no data rows", "工作簿没有数据行"},
	{"at most {a} rows per upload", "每次最多上传 {a} 行"},
	{"must be a whole number from {a} to {b}", "须为 {a}–{b} 之间的整数"},
	{"must be a whole number from {a}", "须为不小于 {a} 的整数"},
	{"must be a year", "须为年份"},
	{"must be a date or RFC 3339 time", "须为日期或日期时间"},
	{"must be a PDF document", "须为 PDF 文件"},
	{"send the PDF as multipart form field \"file\"", "请上传 PDF 文件"},
	{"send the workbook as multipart form field \"file\"", "请上传工作簿"},
	{"is required for role {a}", "该角色必填"},
	{"must be pending or verified", "须为待认证或已认证"},
	{"must be accept or return", "须为通过或退回"},
	{"must be active or revoked", "须为有效或已撤销"},
	{"must be relevance, newest, deadline or salary", "须为相关度、最新、截止日期或薪资"},
	{"must list {a} to {b} applications", "须选择 {a}–{b} 份申请"},
	{"bulk moves are shortlisted, interview or rejected", "批量操作只能是初筛通过、面试或不合适"},
	{"unknown application status", "未知的申请状态"},
	{"unknown opening status", "未知的岗位状态"},
	{"must not be in the past", "不能早于现在"},
	{"must be within a year", "须在一年之内"},
	{"an interview lasts at most {a} hours", "面试最长 {a} 小时"},
	{"only with a move to interview", "仅在安排面试时填写"},
	{ReasonOnlyToHire, "仅在录用时填写"},
	{"give either interview or interview_slots", "面试时间与可选时段只能填写其一"},
	{"must list 1 to 10 times", "须提供 1 到 10 个可选时段"},
	{"must not overlap the other times", "不能与其他时段重叠"},
	{"is invalid or has expired", "无效或已过期"},
	// Messages of errors that name no field but belong to one on a form.
	{"an account with this email already exists", "该邮箱已注册"},
	{"an employer with this credit code is already registered", "该统一社会信用代码已注册"},
	{ReasonImportRepeated, "与本文件第 {a} 行重复（同一单位、同一岗位名称）"},
	// The words of imports stored before the repeat named its row.
	{"repeats an earlier row of this file (the same employer and title)", "与本文件中前面的一行重复（同一单位、同一岗位名称）"},
	{ReasonImportRepeatedCode, "与本文件第 {a} 行重复（同一统一社会信用代码）"},
	{ReasonImportTitleTaken, "该单位已有同名岗位（未关闭），不再重复发布；如需再招，请修改已有岗位的招聘人数"},
	{ReasonCreditCodeTaken, "该统一社会信用代码已注册：本单位已有账号的，请由已注册的同事登录办理，或联系单位所在高新区"},
	{ReasonHiddenRow, "该行在表格中被隐藏（已筛选掉），未导入：如需导入，请取消隐藏后重新上传"},
	{ReasonAllRowsHidden, "表格中有内容的行都被隐藏（已筛选掉），隐藏的行不导入：请取消隐藏要导入的行后重新上传"},
	{ReasonNoFormulaResult, "公式没有计算结果：请在 Excel 或 WPS 中打开并保存后再上传"},
	{ReasonExampleRow, "模板的示例行（【示例】）：格式正确，不会导入；请删除它，填写实际数据"},
	// Import rows (the imports page lists them).
	{"not a valid unified social credit code", "不是有效的统一社会信用代码"},
	{ReasonCodeReadAsNumber, "被表格当作数字读取，末尾数字已丢失：请把该列设为文本格式后重新填写代码"},
	{"must be a whole number", "须为整数"},
	{"the database refused the row", "该行未能保存"},
	// A workbook's limits (internal/excel.LimitError).
	{"row {a} has more than {b} columns", "第 {a} 行超过 {b} 列"},
	{"cell {x} is longer than {a} characters", "单元格 {x} 超过 {a} 个字符"},
	{"the workbook has more than {a} parts", "工作簿的组成部分超过 {a} 个"},
	{"the workbook inflates to more than {a} MB", "工作簿解压后超过 {a} MB"},
	{"the cells hold more than {a} MB of text, a text in many cells counted in each: keep each text in the cells that need it", "单元格的文字合计超过 {a} MB（同一段文字出现在多个单元格时按每格计算）：请只在需要的单元格中填写"},
	{"a text of the workbook is longer than {a} characters", "工作簿中有超过 {a} 个字符的文字"},
	{"a number format of the workbook is longer than {a} characters", "工作簿中有超过 {a} 个字符的数字格式"},
	{"the workbook has more than {a} sheets", "工作簿超过 {a} 个工作表"},
	{"no employer with this credit code in your zone", "本园区没有使用该统一社会信用代码的单位"},
	{"the employer is not verified yet", "该单位尚未通过认证"},
	{ReasonKindStays, "不能修改：类型不同即是另一个活动"},
	{ReasonZoneStays, "不能修改：活动属于创建它的园区"},
	{ReasonEventMovedPast, "改动后的活动须在现在之后结束"},
	{ReasonCapacityBelowRegistrations, "不能少于已报名人数"},
	{"must be yes or no", "须为 yes 或 no"},
	{ReasonCapacity, "须为 1 到 100000 的整数，0 表示不限"},
	{ReasonNotAChoice, "「{v}」不是可选的值，请从模板该列的下拉选项中选择"},
}

// ReasonImportRepeated refuses an import row that repeats an earlier row
// of the same file: the same employer and title (an employer walk's
// workbook held one twice, and both were published); ReasonImportRepeatedCode
// an employers row repeating an earlier row's credit code. {a} is the
// earlier row (ImportRepeats).
const (
	ReasonImportRepeated     = "repeats row {a} of this file (the same employer and title)"
	ReasonImportRepeatedCode = "repeats row {a} of this file (the same credit code)"
)

// ImportRepeats is reason for a repeat of the file's row.
func ImportRepeats(row int, reason string) string {
	return strings.Replace(reason, "{a}", strconv.Itoa(row), 1)
}

// ReasonImportTitleTaken refuses an import row whose employer already has
// an opening of that title that is not closed.
const ReasonImportTitleTaken = "the employer already has an opening with this title that is not closed: it is not published again (to hire more, raise its headcount)"

// reasonNotTheTemplate refuses a workbook none of whose visible sheets has
// the template's headings in its first rows, naming the first visible
// sheet's first column that differs (NotTheTemplate).
var reasonNotTheTemplate = map[string]string{
	"employers": `is not the employers template: on sheet "{v}", column {a} is headed "{w}" where the template has {b} (the headings must stand in one of the first 3 rows; hidden sheets are not read)`,
	"openings":  `is not the openings template: on sheet "{v}", column {a} is headed "{w}" where the template has {b} (the headings must stand in one of the first 3 rows; hidden sheets are not read)`,
}

// NotTheTemplate is the reason a workbook is not kind's template: on sheet,
// column (from 1) reads got where the template has want.
func NotTheTemplate(kind, sheet string, column int, got, want string) string {
	return strings.NewReplacer("{v}", quoted(sheet), "{a}", strconv.Itoa(column), "{w}", quoted(got), "{b}", want).Replace(reasonNotTheTemplate[kind])
}

// quoted is what a reason quotes of a value read from an upload: its first
// 50 characters. A row's reasons are stored and listed, and a cell of
// 10,000 characters quoted whole in each of 20,000 rows made them 600 MB
// (a security probe).
func quoted(value string) string {
	if r := []rune(value); len(r) > 50 {
		return string(r[:50]) + "…"
	}
	return value
}

// Reasons for a file that is not an .xlsx workbook, by what it is.
const (
	ReasonOldXLS    = "is an old .xls workbook or a password-protected one: save it as an .xlsx workbook without a password in Excel or WPS, then upload that"
	ReasonTextFile  = "is a CSV or text file, which cannot be imported: download the template (.xlsx), fill it in and upload it"
	ReasonEmptyFile = "is an empty file: download the template (.xlsx), fill it in and upload it"
)

// ReasonCreditCodeTaken refuses an organisation's credit code another
// organisation holds, and says where a second HR person of it turns (an
// employer walk met a bare 已注册 and no next step).
const ReasonCreditCodeTaken = "an employer with this credit code is already registered: a colleague who registered it can sign in, or ask your zone"

// ReasonNotAChoice refuses an import cell of a column with fixed choices
// (学科门类, 所属行业, 最低学历) whose value is none of them, naming the value:
// the form's "please choose" says nothing about a cell already filled.
const ReasonNotAChoice = `"{v}" is not one of the column's choices: pick one from the template's list`

// NotAChoice is ReasonNotAChoice for value (quoted).
func NotAChoice(value string) string {
	return strings.Replace(ReasonNotAChoice, "{v}", quoted(value), 1)
}

// siteEnglish is what the English site says where the API's English names a
// field (salary_min, starts_at) or a code: a reader knows neither. The API
// keeps its own words.
var siteEnglish = map[string]string{
	"must not be below salary_min":                     "must not be below the minimum pay",
	"must be after starts_at":                          "must be after the start",
	"must be recruitment_week, livestream or job_fair": "choose the kind of event",
	ReasonStaffRole:                                    "must be " + staffRoleWords("en"),
	// The site's forms offer these as lists: the codes an API client reads
	// mean nothing beside a select (an audit).
	"must be one of associate, bachelor, master, doctor":  "choose a degree",
	"must be one of enterprise, university, institute":    "choose the type of organisation",
	"must be one of micro, small, medium, large":          "choose the size",
	"must be one of the industries at /api/v1/reference":  "choose an industry",
	"must be one of the disciplines at /api/v1/reference": "choose a discipline",
	"must be a two-digit province code":                   "choose a province",
	"must be true: the privacy notice must be accepted":   "read and accept the privacy notice",
	// The résumé form sent with no file chosen (a walk read the API's words).
	"send the PDF as multipart form field \"file\"": "choose a PDF file to upload",
	// The site says Beijing time, not the zone's code name (a walk).
	"must be today or later (Asia/Shanghai)":                    "must be today or later (Beijing time)",
	"cannot be in the future (Asia/Shanghai)":                   "cannot be in the future (Beijing time)",
	"cannot be before the application was made (Asia/Shanghai)": "cannot be before the day of the application (Beijing time)",
}

type reasonPattern struct {
	re    *regexp.Regexp
	names []string
	r     Reason
}

// reasonPatterns compiles each English text: a placeholder matches one word
// (a number, a code), {v} any value a person typed (words and spaces), {w}
// the same or nothing; the rest matches literally.
var reasonPatterns = func() []reasonPattern {
	hole := regexp.MustCompile(`\{[a-z]\}`)
	var out []reasonPattern
	for _, r := range Reasons {
		names := hole.FindAllString(r.En, -1)
		parts := hole.Split(r.En, -1)
		re := "^" + regexp.QuoteMeta(parts[0])
		for i, name := range names {
			switch name {
			case "{v}":
				re += "(.+)"
			case "{w}": // a value that may be empty
				re += "(.*)"
			default:
				re += "([^ ]+)"
			}
			re += regexp.QuoteMeta(parts[i+1])
		}
		out = append(out, reasonPattern{r: r, names: names, re: regexp.MustCompile(re + "$")})
	}
	return out
}()

// TranslateReason gives a reason in lang ("zh" or "en"). English is the
// reason itself, or siteEnglish's words where it names a field; a reason
// without a translation is returned unchanged.
func TranslateReason(lang, reason string) string {
	if lang == "en" {
		if words, ok := siteEnglish[reason]; ok {
			return words
		}
		return reason
	}
	for _, p := range reasonPatterns {
		m := p.re.FindStringSubmatch(reason)
		if m == nil {
			continue
		}
		out := p.r.Zh
		for i, name := range p.names {
			out = strings.Replace(out, name, m[i+1], 1)
		}
		return out
	}
	return reason
}

// HasReason tells whether a reason has a translation.
func HasReason(reason string) bool {
	for _, p := range reasonPatterns {
		if p.re.MatchString(reason) {
			return true
		}
	}
	return false
}
