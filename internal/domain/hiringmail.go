package domain

import (
	"strconv"
	"time"
)

// StatusLabel is an application status in the two languages of a mail.
type StatusLabel struct{ Zh, En string }

// StatusLabels names every application status for mail.
var StatusLabels = map[string]StatusLabel{
	AppSubmitted:   {"已提交", "submitted"},
	AppShortlisted: {"已入围", "shortlisted"},
	AppInterview:   {"邀请面试", "invited to interview"},
	AppOffered:     {"发放录用意向", "offered"},
	AppAccepted:    {"已接受录用", "offer accepted"},
	AppHired:       {"已录用", "hired"},
	AppRejected:    {"未通过", "not selected"},
	AppWithdrawn:   {"已撤回", "withdrawn"},
	AppDeclined:    {"已婉拒", "offer declined"},
}

// AnswerMailData is the data of the mail that tells the employer a graduate
// answered (kind MailApplicantAnswered): the status mail's data, with the
// graduate's name, and the interview when the answer picked its time.
func AnswerMailData(a Application, to, graduateName string, iv *Interview) map[string]string {
	d := StatusMailData(a, to, "", iv, false)
	d["graduate_name"] = graduateName
	return d
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
		d["starts_local"] = iv.StartsAt.In(Shanghai).Format("2006-01-02 15:04")
		d["ends_local"] = iv.EndsAt.In(Shanghai).Format("15:04")
		d["location"], d["online_url"] = iv.Location, iv.OnlineURL
		d["sequence"] = strconv.Itoa(iv.Sequence)
		d["method"] = "REQUEST"
		if cancel {
			d["method"] = "CANCEL"
		}
	}
	return d
}
