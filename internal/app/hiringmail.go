package app

// The mails of hiring: an application's status change (with a calendar
// invitation when an interview is given, or its cancellation) and a saved
// search's alert (with RFC 8058 one-click unsubscribe). They go through the
// mail pipeline of mail.go; this file adds their links, their extras and
// the data only the sender knows (the organizer's address, the signed
// unsubscribe token).

import (
	"net/url"
	"strconv"
	"time"

	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/ical"
)

func init() {
	mailLinks[domain.MailApplicationStatus] = func(base string, d map[string]string) string {
		return base + "/applications/" + url.PathEscape(d["application_id"])
	}
	mailLinks[domain.MailSavedSearchAlert] = func(base string, d map[string]string) string {
		return base + "/openings/" + url.PathEscape(d["opening_id"])
	}
	mailExtras[domain.MailApplicationStatus] = interviewInvitation
	mailLinks[domain.MailOpeningClosed] = mailLinks[domain.MailApplicationStatus]
	mailLinks[domain.MailPlacementRevoked] = mailLinks[domain.MailApplicationStatus]
	mailLinks[domain.MailApplicantAnswered] = func(base string, d map[string]string) string {
		return base + "/employer/applications/" + url.PathEscape(d["application_id"])
	}
	mailExtras[domain.MailApplicantAnswered] = employerInterviewEntry
	mailLinks[domain.MailInterviewReminder] = mailLinks[domain.MailApplicationStatus]
	mailLinks[domain.MailAlertDigest] = func(base string, _ map[string]string) string { return base + "/me" }
	mailLinks[domain.MailApplicantDigest] = func(base string, _ map[string]string) string { return base + "/employer" }
	mailLinks[domain.MailEmployerVerified] = mailLinks[domain.MailApplicantDigest]
	// Whoever changed it may have the password: the way back is a reset.
	mailLinks[domain.MailSecurityNotice] = func(base string, _ map[string]string) string { return base + "/forgot-password" }
	mailLinks[domain.MailEmployerReturned] = func(base string, _ map[string]string) string { return base + "/employer/organisation" }
	mailLinks[domain.MailOpeningReviewed] = func(base string, d map[string]string) string {
		return base + "/employer/openings/" + url.PathEscape(d["opening_id"])
	}
	reports := func(base string, d map[string]string) string {
		return base + "/staff/reports?year=" + url.QueryEscape(d["year"]) + "&month=" + url.QueryEscape(d["month"])
	}
	for _, k := range []domain.MailKind{domain.MailReportDue, domain.MailReportOverdue, domain.MailReportChase, domain.MailReportReturned, domain.MailReportAccepted} {
		mailLinks[k] = reports
	}
	// A reviewer lands on the zone's row of the month; the ministry on the
	// province's month.
	mailLinks[domain.MailReportSubmitted] = func(base string, d map[string]string) string {
		return reports(base, d) + "#report-" + url.PathEscape(d["zone"])
	}
	mailLinks[domain.MailProvinceReportSubmitted] = func(base string, d map[string]string) string {
		return reports(base, d) + "&province=" + url.QueryEscape(d["province"])
	}
}

// prepareMail adds to a mail's data what only the sender knows: the
// address invitations come from, and for a mail its reader may turn off the
// signed token of its unsubscribe link (an alert's for its saved search,
// another's for its kind; made at send time, so a stored job holds no
// token).
func (b *Background) prepareMail(req domain.MailRequest) domain.MailRequest {
	d := make(map[string]string, len(req.Data)+2)
	for k, v := range req.Data {
		d[k] = v
	}
	d["organizer"] = b.MailFrom
	if req.Kind == domain.MailSecurityNotice {
		d["support"] = b.SupportEmail
	}
	// A mailed token is derived from its row ID here, at send time: the
	// stored job holds the ID only.
	if id := d["token_id"]; id != "" && b.Links != nil {
		d["token"] = b.Links.MailToken(id)
	}
	switch {
	case b.Links == nil || !req.Kind.Mutable():
	case req.Kind == domain.MailSavedSearchAlert || req.Kind == domain.MailAlertDigest:
		if d["saved_search_id"] != "" {
			d["unsubscribe_token"] = UnsubscribeLinkToken(b.Links, d["saved_search_id"], b.now())
		}
	case req.UserID != "":
		d["unsubscribe_token"] = UnsubscribeKindToken(b.Links, req.UserID, req.Kind, b.now())
	}
	b.prepareEventMail(req, d)
	b.prepareSlotLinks(d)
	req.Data = d
	return req
}

// interviewInvitation attaches the calendar invitation (RFC 5545, iTIP
// method REQUEST or CANCEL) to a status mail that carries an interview:
// as a text/calendar alternative, which calendar-aware clients act on, and
// as invite.ics for the others. Its UID is the application's, so a changed
// or cancelled interview replaces the entry.
func interviewInvitation(m *domain.MailMessage, v MailView) error {
	d := v.Data
	method := d["method"]
	if method != ical.MethodCancel {
		method = ical.MethodRequest
	}
	summary := "面试：" + d["opening_title"] + "（" + d["employer_name"] + "）"
	if v.Lang == "en" {
		summary = "Interview: " + d["opening_title"] + " (" + d["employer_name"] + ")"
	}
	return attachInterview(m, v, ical.Invite{Method: method, Summary: summary,
		// A time the graduate picked is one they said yes to.
		Accepted:      d["confirmed"] == "true",
		OrganizerName: d["employer_name"], OrganizerEmail: d["organizer"],
		AttendeeName: v.Name, AttendeeEmail: firstOf(m.To)}, d["employer_name"]+" · "+d["opening_title"])
}

// employerInterviewEntry attaches to the employer's mail of a picked time
// the interview as an entry of its own calendar (METHOD:PUBLISH, nobody
// invited), under the application's UID; to the mail of a withdrawal or a
// decline before the interview's day, the entry cancelled — unless its
// users hold none (domain.NoEmployerEntry).
func employerInterviewEntry(m *domain.MailMessage, v MailView) error {
	d := v.Data
	if d["no_entry"] == "true" {
		return nil
	}
	summary := "面试：" + d["graduate_name"] + "（" + d["opening_title"] + "）"
	if v.Lang == "en" {
		summary = "Interview: " + d["graduate_name"] + " (" + d["opening_title"] + ")"
	}
	// A withdrawal or decline before the day cancels the entry: the same
	// UID, a higher sequence, STATUS:CANCELLED.
	return attachInterview(m, v, ical.Invite{Method: ical.MethodPublish, Summary: summary, Cancelled: d["method"] == ical.MethodCancel},
		d["graduate_name"]+" · "+d["opening_title"])
}

// attachInterview completes in with the mail's interview (times, place,
// link, UID, sequence) and attaches it, as a text/calendar alternative
// and as invite.ics. A mail without an interview gets nothing.
func attachInterview(m *domain.MailMessage, v MailView, in ical.Invite, about string) error {
	d := v.Data
	if d["starts_at"] == "" {
		return nil
	}
	var err error
	if in.Start, err = time.Parse(time.RFC3339, d["starts_at"]); err != nil {
		return err
	}
	if in.End, err = time.Parse(time.RFC3339, d["ends_at"]); err != nil {
		return err
	}
	in.Sequence, _ = strconv.Atoi(d["sequence"])
	host := "gradzone"
	if u, err := url.Parse(v.SiteURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	in.UID, in.Stamp = "interview-"+d["application_id"]+"@"+host, time.Now()
	in.Location, in.URL = d["location"], d["online_url"]
	// Outlook and Google Calendar show no URL property: the meeting link
	// is also in the notes, and is the place when there is none.
	if in.Location == "" {
		in.Location = in.URL
	}
	link := v.Link
	if v.Lang == "en" {
		link = inEnglish(link, v.SiteURL, "&")
	}
	in.Description = about
	for _, line := range []string{d["note"], in.URL, link} {
		if line != "" {
			in.Description += "\n" + line
		}
	}
	cal := ical.Build(in)
	// The mail library adds the part's charset itself; the file is
	// text/calendar too, as the contract names it.
	ct := "text/calendar; method=" + in.Method
	m.Alternatives = append(m.Alternatives, domain.MailPart{ContentType: ct, Body: string(cal)})
	m.Attachments = append(m.Attachments, domain.MailAttachment{Name: "invite.ics", ContentType: ct, Data: cal})
	return nil
}

// oneClickUnsubscribe adds RFC 8058's headers to a mail its reader may
// turn off: the link a mail client posts `List-Unsubscribe=One-Click` to,
// without signing in. There is no mailto: variant, as no one reads mail
// sent to the site. A fixed kind (a reset, a security notice) has none.
func oneClickUnsubscribe(m *domain.MailMessage, kind domain.MailKind, v MailView) {
	tok := v.Data["unsubscribe_token"]
	if tok == "" || !kind.Mutable() {
		return
	}
	link := UnsubscribeURL(v.SiteURL, tok)
	if v.Lang == "en" {
		link = inEnglish(link, v.SiteURL, "&") // a client may open it as a page
	}
	m.Headers = append(m.Headers,
		domain.MailHeader{Name: "List-Unsubscribe", Value: "<" + link + ">"},
		domain.MailHeader{Name: "List-Unsubscribe-Post", Value: "List-Unsubscribe=One-Click"})
}

// UnsubscribeURL is the one-click unsubscribe link for token.
func UnsubscribeURL(base, token string) string {
	return tokenLink(base, "/unsubscribe", token)
}

func firstOf(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}
