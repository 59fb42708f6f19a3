package domain

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Notification is an in-app message to one user. Title is written in
// Chinese when it is raised (the API's title); Params keep what it was
// about, so the site can say it in the reader's language (In).
type Notification struct {
	ID        string       `json:"id"`
	UserID    string       `json:"-"`
	Kind      string       `json:"kind"`
	Title     string       `json:"title"`
	Body      string       `json:"body"`
	Link      string       `json:"link"`
	Params    NoticeParams `json:"-"`
	ReadAt    *time.Time   `json:"read_at"`
	CreatedAt time.Time    `json:"created_at"`
}

// NoticeParams are a notification's named values (opening, graduate,
// status, when, search, year, month, days, due), stored as a JSON object.
type NoticeParams map[string]string

// Value implements driver.Valuer.
func (p NoticeParams) Value() (driver.Value, error) {
	if p == nil {
		return "{}", nil
	}
	b, err := json.Marshal(p)
	return string(b), err
}

// Scan implements sql.Scanner.
func (p *NoticeParams) Scan(src any) error {
	var b []byte
	switch v := src.(type) {
	case nil:
		*p = nil
		return nil
	case []byte:
		b = v
	case string:
		b = []byte(v)
	default:
		return fmt.Errorf("notice params: cannot scan %T", src)
	}
	return json.Unmarshal(b, p)
}

// noticesEn are the English titles by kind ({name} is a param; a kind that
// starts "application_" and is not listed is a move of the application).
var noticesEn = map[string]string{
	"application_received":         "{graduate} applied for “{opening}”",
	"application_placed_elsewhere": "{graduate} was hired by another employer: “{opening}” can no longer hire them this year",
	"application_stale":            "An application has waited over 7 days: {opening}",
	"interview_slot_picked":        "{graduate} chose an interview time for “{opening}”: {when}",
	"interview_changed":            "The interview for “{opening}” has changed: {when}",
	"saved_search_match":           "New opening for “{search}”: {opening}",
	"report_returned":              "The report for {year}-{month} was returned",
	"report_accepted":              "The report for {year}-{month} was accepted",
	"report_submitted":             "{zone_en} submitted its report for {year}-{month} (version {version}): awaiting review",
	"province_report_submitted":    "{province_en} submitted its report for {year}-{month}",
	"report_due":                   "The report for {year}-{month} is due in {days} days ({due})",
	"opening_approved":             "“{opening}” was approved and is published",
	"opening_rejected":             "“{opening}” was rejected: {reason}",
	"employer_verified":            "Your organisation was verified: you may publish openings",
	"employer_returned":            "Your organisation's details were returned to correct: {reason}",
	"openings_imported":            "Your zone's staff published openings for you from an import: {n}",
	"opening_closed":               "“{opening}” stopped taking applications; its employer may still answer yours",
	"opening_at_event":             "{zone_en} listed “{opening}” at the event “{event}” ({when}, Beijing time)",
	"openings_at_event":            "{zone_en} listed {n} of your openings at the event “{event}” ({when}, Beijing time)",
	"event_waitlist_promoted":      "A place came free: you are registered for “{event}”; your check-in code is under My events",
	"event_waitlist_cancelled":     "The event you waited for, “{event}”, was cancelled: {reason}",
	"placement_revoked":            "{by_en} revoked the record of your hire for “{opening}” ({employer}): it no longer counts",
	"hire_revoked":                 "{by_en} revoked the hire of {graduate} for “{opening}”: {reason}",
	"email_change_refused":         "The new address {email} refused the confirmation mail: your address was not changed",
}

// WaitlistPromotedNotice tells a graduate that a place freed at a full
// event went to them from its waitlist: they are registered (the
// confirmation mail may not reach an unverified address; this does).
func WaitlistPromotedNotice(graduateID string, e Event) Notification {
	return Notification{UserID: graduateID, Kind: "event_waitlist_promoted", Title: "候补成功：您已报名「" + e.Title + "」，签到码见“我的活动”",
		Link: "/me/events#ev-" + e.ID, Params: NoticeParams{"event": e.Title}}
}

// WaitlistCancelledNotice tells those waiting for a place at an event that
// staff cancelled it (its mail goes to the registered only).
func WaitlistCancelledNotice(e Event, reason string) Notification {
	return Notification{Kind: "event_waitlist_cancelled", Title: "您候补的活动「" + e.Title + "」已取消：" + reason,
		Link: "/events/" + e.ID, Params: NoticeParams{"event": e.Title, "reason": reason}}
}

// InterviewChangedNotice tells a graduate the interview for opening (their
// application appID) now starts at startsAt.
func InterviewChangedNotice(graduateID, appID, opening string, startsAt time.Time) Notification {
	zh, en := noticeWhen(startsAt)
	return Notification{UserID: graduateID, Kind: "interview_changed", Link: "/applications/" + appID,
		Title: "「" + opening + "」的面试安排已更改：" + zh, Params: NoticeParams{"opening": opening, "when": en}}
}

// InterviewSlotPickedNotice tells the employer which of the times it
// offered graduate chose.
func InterviewSlotPickedNotice(graduate, appID, opening string, startsAt time.Time) Notification {
	zh, en := noticeWhen(startsAt)
	return Notification{Kind: "interview_slot_picked", Link: "/applications/" + appID,
		Title:  graduate + " 选择了「" + opening + "」的面试时间：" + zh,
		Params: NoticeParams{"graduate": graduate, "opening": opening, "when": en}}
}

// noticeWhen writes a time as pages and mails do, with its weekday and in
// Beijing time: 「2026-12-10 10:00（周四，北京时间）」, "2026-12-10 10:00, Thu
// (Beijing time)" (a walk read 「…已更改：2026-12-10 10:00」).
func noticeWhen(t time.Time) (zh, en string) {
	at := t.In(Shanghai).Format("2006-01-02 15:04")
	return at + "（" + WeekdayIn("zh", t) + "，北京时间）", at + ", " + WeekdayIn("en", t) + " (Beijing time)"
}

// OpeningAtEventNotice tells an employer's users that zone staff listed
// one of its openings at an event (an events walk: employers learned it,
// if ever, from applicants). The link is the event's page.
// Several listed at once are one message.
func OpeningAtEventNotice(openings []string, e Event) Notification {
	// The start with its weekday, as pages and mails write it (a walk read
	// 「北京时间 2026-12-08 00:31」); the English's "({when}, Beijing time)"
	// takes "2026-12-08 00:31, Tue" (a message made before reads as it did).
	start, _ := LocalRange(e.StartsAt, e.EndsAt)
	when := "，" + start + "（" + WeekdayIn("zh", e.StartsAt) + "，北京时间）"
	n := Notification{Kind: "opening_at_event", Title: e.ZoneName + "将「" + openings[0] + "」列入活动「" + e.Title + "」" + when,
		Link: "/events/" + e.ID, Params: NoticeParams{"opening": openings[0], "event": e.Title, "when": start + ", " + WeekdayIn("en", e.StartsAt), "zone_en": e.ZoneNameEn}}
	if len(openings) > 1 {
		n.Kind, n.Params["n"] = "openings_at_event", itoa(len(openings))
		n.Title = e.ZoneName + "将您的 " + itoa(len(openings)) + " 个岗位列入活动「" + e.Title + "」" + when
	}
	return n
}

// OpeningClosedNotice tells a graduate whose application waits on its
// employer that the opening stopped taking applications (the link is the
// application's).
func OpeningClosedNotice(title string) Notification {
	return Notification{Kind: "opening_closed", Title: "「" + title + "」已停止招聘，您的申请仍可能得到用人单位答复",
		Params: NoticeParams{"opening": title}}
}

// ImportedNotice tells an employer's users that zone staff imported and
// published n openings under its name.
func ImportedNotice(n int) Notification {
	return Notification{Kind: "openings_imported", Title: "高新区工作人员通过批量导入为您发布了 " + itoa(n) + " 个岗位",
		Link: "/employer", Params: NoticeParams{"n": itoa(n)}}
}

// The employer's in-site messages of a review, beside its mails (an
// employer walk found the outcomes only in mail, which can be muted or
// bounce, while the mail settings promised the site's messages stay).

// OpeningReviewedNotice tells an employer's users that staff approved
// (decision "approved") or returned ("rejected", with reason) an opening.
func OpeningReviewedNotice(openingID, title, decision, reason string) Notification {
	n := Notification{Kind: "opening_" + decision, Link: "/employer/openings/" + openingID,
		Params: NoticeParams{"opening": title, "reason": reason}}
	n.Title = "「" + title + "」已审核通过并发布"
	if decision == "rejected" {
		n.Title = "「" + title + "」被驳回：" + reason
	}
	return n
}

// EmployerReviewedNotice tells an employer's users that staff verified the
// organisation, or returned its details to correct (reason).
func EmployerReviewedNotice(verified bool, reason string) Notification {
	if verified {
		return Notification{Kind: "employer_verified", Title: "单位认证已通过，可以发布岗位", Link: "/employer", Params: NoticeParams{"reason": ""}}
	}
	return Notification{Kind: "employer_returned", Title: "单位信息被退回修改：" + reason, Link: "/employer/organisation",
		Params: NoticeParams{"reason": reason}}
}

// PlacementRevokedNotice tells the graduate that staff (byZh, byEn: the
// office, ReviewerNames) revoked the placement of application appID: the
// hire no longer counts. No reason: it is written to the employer and staff
// (Revocation.Step), and the graduate is told to ask the employer.
func PlacementRevokedNotice(graduateID, appID, opening, employer, byZh, byEn string) Notification {
	return Notification{UserID: graduateID, Kind: "placement_revoked", Link: "/applications/" + appID,
		Title:  byZh + "撤销了您在「" + opening + "」（" + employer + "）的录用记录，它不再计入招录",
		Params: NoticeParams{"opening": opening, "employer": employer, "by_en": byEn}}
}

// HireRevokedNotice tells an employer's users that staff (byZh, byEn)
// revoked their hire of graduate on application appID, with the reason.
func HireRevokedNotice(appID, graduate, opening, reason, byZh, byEn string) Notification {
	return Notification{Kind: "hire_revoked", Link: "/applications/" + appID,
		Title:  byZh + "撤销了「" + opening + "」对 " + graduate + " 的录用：" + reason,
		Params: NoticeParams{"opening": opening, "graduate": graduate, "reason": reason, "by_en": byEn}}
}

// EmailChangeRefusedNotice tells the user that the server of email, the
// new address of the change they asked for, refused its confirmation mail
// for good: the change ended, the account keeps its address (the link is
// /account's change-of-address card, which says so too).
func EmailChangeRefusedNotice(userID, email string) Notification {
	return Notification{UserID: userID, Kind: "email_change_refused", Link: "/account#change-email",
		Title: "新邮箱 " + email + " 拒收了确认邮件，更换未完成", Params: NoticeParams{"email": email}}
}

// In is the notification's title in lang: the English one made from its
// params, else (Chinese, or a notification from before params) as written.
func (n Notification) In(lang string) string {
	if lang != "en" || len(n.Params) == 0 {
		return n.Title
	}
	f, ok := noticesEn[n.Kind]
	if !ok && strings.HasPrefix(n.Kind, "application_") {
		f, ok = "Your application for “{opening}”: {status}", true
		if n.Params["graduate"] != "" {
			f = "{graduate}'s application for “{opening}”: {status}"
		}
	}
	if !ok {
		return n.Title
	}
	officeFirst := strings.HasPrefix(f, "{by_en}")
	for k, v := range n.Params {
		if k == "status" {
			v = TermEn(ApplicationStatusTerms, v)
		}
		f = strings.ReplaceAll(f, "{"+k+"}", v)
	}
	// A sentence begun by an office's name written mid-sentence ("the
	// Chengdu … administration revoked …") starts with a capital (walk36);
	// one begun by a person's name keeps it as its owner wrote it.
	if r, size := utf8.DecodeRuneInString(f); officeFirst && unicode.IsLower(r) {
		f = string(unicode.ToUpper(r)) + f[size:]
	}
	return f
}

// SavedSearch is a graduate's stored query with filters.
type SavedSearch struct {
	ID      string        `json:"id"`
	UserID  string        `json:"-"`
	Name    string        `json:"name"`
	Q       string        `json:"q"`
	Filters SearchFilters `json:"filters"`
	// AlertFrequency is how its alerts are mailed: immediate, daily or
	// weekly (a digest). Empty when creating: the user's default.
	AlertFrequency string `json:"alert_frequency"`
	// MailAlerts is whether its alerts are mailed at all (off: after its
	// unsubscribe link, or set so on the site or with alert_frequency off).
	MailAlerts bool      `json:"mail_alerts"`
	CreatedAt  time.Time `json:"created_at"`
}

// SearchFilters are the filters a saved search keeps.
type SearchFilters struct {
	Zone         string `json:"zone,omitempty"`
	Province     string `json:"province,omitempty"`
	Industry     string `json:"industry,omitempty"`
	Degree       string `json:"degree,omitempty"`
	EmployerType string `json:"employer_type,omitempty"`
	City         string `json:"city,omitempty"`
	// MyDegree is the searcher's own degree: openings whose minimum it
	// meets (a master's graduate sees 本科及以上 and 硕士及以上 alike).
	MyDegree string `json:"my_degree,omitempty"`
}

// Query returns the saved search as a search on day today.
func (s SavedSearch) Query(today Date) SearchQuery {
	return SearchQuery{Q: s.Q, SearchFilters: s.Filters, Page: 1, PerPage: 20, Today: today}
}

// Validate checks filter values against the fixed lists. An error names
// the field where the client wrote it: path is "" for a search's query
// parameters, "filters." for a saved search's body.
func (f SearchFilters) Validate(v *Validation, path string) {
	v.Check(f.Industry == "" || OneOf(f.Industry, IndustryCodes()), path+"industry", "unknown industry")
	v.Check(f.Degree == "" || OneOf(f.Degree, Degrees), path+"degree", "unknown degree")
	v.Check(f.MyDegree == "" || OneOf(f.MyDegree, Degrees), path+"my_degree", "unknown degree")
	v.Check(f.EmployerType == "" || OneOf(f.EmployerType, EmployerTypes), path+"employer_type", "unknown employer type")
	v.Check(f.Province == "" || len(f.Province) == 2 && strings.Trim(f.Province, "0123456789") == "",
		path+"province", "must be a two-digit province code")
	v.Check(len(f.Zone) <= 64, path+"zone", "too long")
	v.Check(len([]rune(f.City)) <= 50, path+"city", "too long")
}
