package domain

import (
	"cmp"
	"strconv"
	"strings"
	"time"
)

// StatusLabel is an application status in the two languages of a mail:
// its name, and the sentence that tells the graduate of the move and what
// comes next ({opening} and {employer} stand for theirs).
type StatusLabel struct{ Zh, En, SentenceZh, SentenceEn string }

// StatusLabels names every application status for mail. An offer is
// 拟录用, as the site shows it (发放录用意向 is the employer's button).
var StatusLabels = map[string]StatusLabel{
	AppSubmitted: {"已提交", "submitted",
		"您已申请{employer}的岗位「{opening}」。",
		`You applied for "{opening}" at {employer}.`},
	AppShortlisted: {"已入围", "shortlisted",
		"好消息：您申请的{employer}岗位「{opening}」已入围。单位可能会联系您安排面试，请留意邮件和站内消息。",
		`Good news: your application for "{opening}" at {employer} is shortlisted. The employer may contact you to arrange an interview; watch your mail and the site's messages.`},
	AppInterview: {"邀请面试", "invited to interview",
		"{employer}邀请您参加岗位「{opening}」的面试。",
		`{employer} invites you to an interview for "{opening}".`},
	AppOffered: {"拟录用", "offered",
		"恭喜！{employer}向您发出了岗位「{opening}」的录用意向（拟录用）。请登录查看，并接受或婉拒。",
		`Congratulations! {employer} offers you the position "{opening}". Please sign in to accept or decline the offer.`},
	AppAccepted: {"已接受录用", "offer accepted",
		"您已接受{employer}岗位「{opening}」的录用意向。到岗后，单位将为您登记录用。",
		`You accepted the offer of {employer} for "{opening}". Once you start work, the employer records your hire.`},
	AppHired: {"已录用", "hired",
		"恭喜！{employer}已为您登记录用：岗位「{opening}」。祝工作顺利。",
		`Congratulations! {employer} recorded your hire for "{opening}". All the best in the new role.`},
	AppRejected: {"未通过", "not selected",
		"很遗憾，您申请的{employer}岗位「{opening}」未通过。感谢您的关注，欢迎继续申请其他岗位。",
		`We are sorry: your application for "{opening}" at {employer} was not successful. Thank you for your interest; other openings await you.`},
	AppWithdrawn: {"已撤回", "withdrawn",
		"您已撤回对{employer}岗位「{opening}」的申请。",
		`You withdrew your application for "{opening}" at {employer}.`},
	AppDeclined: {"已婉拒", "offer declined",
		"您已婉拒{employer}岗位「{opening}」的录用意向。",
		`You declined the offer of {employer} for "{opening}".`},
}

// StatusSentence is the sentence of a status mail's data in lang (zh or
// en): the move, said for the graduate ("" for an unknown status).
func StatusSentence(lang string, d map[string]string) string {
	l, ok := StatusLabels[d["status"]]
	if !ok {
		return ""
	}
	s := l.SentenceZh
	if lang == "en" {
		s = l.SentenceEn
	}
	return strings.NewReplacer("{opening}", d["opening_title"], "{employer}", d["employer_name"]).Replace(s)
}

// AnswerMailData is the data of the mail that tells the employer a graduate
// answered (kind MailApplicantAnswered): the status mail's data, with the
// graduate's name and note, and the interview when the answer picked its
// time, or cancelled one still to come (cancel).
func AnswerMailData(a Application, to, graduateName, note string, iv *Interview, cancel bool) map[string]string {
	d := StatusMailData(a, to, note, iv, cancel)
	d["graduate_name"] = graduateName
	return d
}

// NoEmployerEntry marks d, the data of an answer's mail that cancels an
// interview (AnswerMailData with cancel), as going to an employer whose
// users hold no calendar entry of it: the employer set the time itself,
// and only a graduate's pick mails them an entry. The mail says the
// interview is off and attaches no cancellation of an entry they never got.
func NoEmployerEntry(d map[string]string) { d["no_entry"] = "true" }

// EntryUpdateMailData is the data of the mail that keeps the calendar
// entry an employer's users hold (a graduate's pick mailed it, kind
// MailApplicantAnswered) in step with the employer's own change: the
// interview iv moved, or cancelled (cancel) by a move to a's status before
// its day. The templates tell it by employer_change.
func EntryUpdateMailData(a Application, graduateName string, iv *Interview, cancel bool) map[string]string {
	d := AnswerMailData(a, a.Status, graduateName, "", iv, cancel)
	d["employer_change"] = "true"
	return d
}

// InterviewChangeData adds to a changed interview's mail what the change
// replaced: the earlier arrangement, or, when the employer fixed a time
// instead of the times it had offered, that those are withdrawn (a mail
// audit compared two mails to find what had moved).
func InterviewChangeData(d map[string]string, was *Interview, offered bool) {
	switch {
	case was != nil:
		d["was_starts_local"], d["was_ends_local"] = was.LocalTimes()
		d["was_starts_at"] = was.StartsAt.UTC().Format(time.RFC3339)
		d["was_ends_at"] = was.EndsAt.UTC().Format(time.RFC3339)
		d["was_location"] = cmp.Or(was.Location, was.OnlineURL)
	case offered:
		d["offered_withdrawn"] = "true"
	}
}

// StatusMailData is the data of an application's status mail (kind
// MailApplicationStatus): what the templates show and, with an interview,
// what its invitation says (method REQUEST, or CANCEL when cancel). It is
// built in the transaction of the move and travels in the mail job.
func StatusMailData(a Application, to string, note string, iv *Interview, cancel bool) map[string]string {
	l := StatusLabels[to]
	d := map[string]string{"application_id": a.ID, "status": to, "status_zh": l.Zh, "status_en": l.En, "note": note}
	if a.Opening != nil {
		d["opening_title"], d["employer_name"] = a.Opening.Title, a.Opening.EmployerName
	}
	if iv != nil {
		d["starts_at"], d["ends_at"] = iv.StartsAt.UTC().Format(time.RFC3339), iv.EndsAt.UTC().Format(time.RFC3339)
		d["starts_local"], d["ends_local"] = iv.LocalTimes()
		d["location"], d["online_url"] = iv.Location, iv.OnlineURL
		d["sequence"] = strconv.Itoa(iv.Sequence)
		d["method"] = "REQUEST"
		if cancel {
			d["method"] = "CANCEL"
		}
	}
	return d
}
