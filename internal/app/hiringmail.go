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
	mailExtras[domain.MailSavedSearchAlert] = oneClickUnsubscribe
	mailExtras[domain.MailAlertDigest] = oneClickUnsubscribe
	mailLinks[domain.MailInterviewReminder] = mailLinks[domain.MailApplicationStatus]
	mailLinks[domain.MailAlertDigest] = func(base string, _ map[string]string) string { return base + "/me" }
	mailLinks[domain.MailApplicantDigest] = func(base string, _ map[string]string) string { return base + "/employer" }
	mailLinks[domain.MailEmployerVerified] = mailLinks[domain.MailApplicantDigest]
	mailLinks[domain.MailEmployerReturned] = func(base string, _ map[string]string) string { return base + "/employer/organisation" }
	mailLinks[domain.MailOpeningReviewed] = func(base string, d map[string]string) string {
		return base + "/employer/openings/" + url.PathEscape(d["opening_id"])
	}
	reports := func(base string, d map[string]string) string {
		return base + "/staff/reports?year=" + url.QueryEscape(d["year"]) + "&month=" + url.QueryEscape(d["month"])
	}
	for _, k := range []domain.MailKind{domain.MailReportDue, domain.MailReportOverdue, domain.MailReportChase} {
		mailLinks[k] = reports
	}
}

// prepareMail adds to a mail's data what only the sender knows: the
// address invitations come from, and for an alert the signed token of its
// unsubscribe link (made at send time, so a stored job holds no token).
func (b *Background) prepareMail(req domain.MailRequest) domain.MailRequest {
	d := make(map[string]string, len(req.Data)+2)
	for k, v := range req.Data {
		d[k] = v
	}
	d["organizer"] = b.MailFrom
	// A mailed token is derived from its row ID here, at send time: the
	// stored job holds the ID only.
	if id := d["token_id"]; id != "" && b.Links != nil {
		d["token"] = b.Links.MailToken(id)
	}
	if (req.Kind == domain.MailSavedSearchAlert || req.Kind == domain.MailAlertDigest) && b.Links != nil && d["saved_search_id"] != "" {
		d["unsubscribe_token"] = UnsubscribeLinkToken(b.Links, d["saved_search_id"], b.now())
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
	if d["starts_at"] == "" {
		return nil
	}
	start, err := time.Parse(time.RFC3339, d["starts_at"])
	if err != nil {
		return err
	}
	end, err := time.Parse(time.RFC3339, d["ends_at"])
	if err != nil {
		return err
	}
	seq, _ := strconv.Atoi(d["sequence"])
	host := "gradzone"
	if u, err := url.Parse(v.SiteURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	method := d["method"]
	if method != ical.MethodCancel {
		method = ical.MethodRequest
	}
	desc := d["employer_name"] + " · " + d["opening_title"]
	if d["note"] != "" {
		desc += "\n" + d["note"]
	}
	desc += "\n" + v.Link
	// An entry has room for one language: the mail's first.
	summary := "面试：" + d["opening_title"] + "（" + d["employer_name"] + "）"
	if v.Lang == "en" {
		summary = "Interview: " + d["opening_title"] + " (" + d["employer_name"] + ")"
	}
	cal := ical.Build(ical.Invite{Method: method, UID: "interview-" + d["application_id"] + "@" + host, Sequence: seq,
		Start: start, End: end, Stamp: time.Now(), Summary: summary,
		// A time the graduate picked is one they said yes to.
		Accepted:    d["confirmed"] == "true",
		Description: desc, Location: d["location"], URL: d["online_url"],
		OrganizerName: d["employer_name"], OrganizerEmail: d["organizer"],
		AttendeeName: v.Name, AttendeeEmail: firstOf(m.To)})
	// The mail library adds the part's charset itself; the file is
	// text/calendar too, as the contract names it.
	ct := "text/calendar; method=" + method
	m.Alternatives = append(m.Alternatives, domain.MailPart{ContentType: ct, Body: string(cal)})
	m.Attachments = append(m.Attachments, domain.MailAttachment{Name: "invite.ics", ContentType: ct, Data: cal})
	return nil
}

// oneClickUnsubscribe adds RFC 8058's headers to an alert mail: the link
// a mail client posts `List-Unsubscribe=One-Click` to, without signing in.
// There is no mailto: variant, as no one reads mail sent to the site.
func oneClickUnsubscribe(m *domain.MailMessage, v MailView) error {
	tok := v.Data["unsubscribe_token"]
	if tok == "" {
		return nil
	}
	m.Headers = append(m.Headers,
		domain.MailHeader{Name: "List-Unsubscribe", Value: "<" + UnsubscribeURL(v.SiteURL, tok) + ">"},
		domain.MailHeader{Name: "List-Unsubscribe-Post", Value: "List-Unsubscribe=One-Click"})
	return nil
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
