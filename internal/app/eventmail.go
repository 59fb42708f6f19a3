package app

// The mails of events: the registration's confirmation, the reminder the
// day before and the notice of a changed time or place, each with the
// registration's check-in QR code shown in the HTML part (an inline image)
// and attached for clients that hide images; and the notice of a
// cancellation. The confirmation, the change and the cancellation carry
// the event's calendar entry (event.ics), so a graduate's calendar follows
// the event. The check-in link is signed when the mail is sent, so a
// stored job never holds a token.

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/ical"
)

// checkinQRContentID names the QR image the HTML part shows (cid:…).
const checkinQRContentID = "checkin-qr@gradzone"

func init() {
	myEvents := func(base string, d map[string]string) string { return base + "/me/events" }
	for _, k := range []domain.MailKind{domain.MailEventRegistered, domain.MailEventReminder, domain.MailEventChanged} {
		mailLinks[k] = myEvents
	}
	otherEvents := func(base string, d map[string]string) string { return base + "/events" }
	mailLinks[domain.MailEventCancelled] = otherEvents
	mailLinks[domain.MailEventWithdrawn] = otherEvents
	mailExtras[domain.MailEventWithdrawn] = eventCalendar(ical.MethodCancel)
	mailExtras[domain.MailEventReminder] = checkinQRImage
	mailExtras[domain.MailEventRegistered] = both(checkinQRImage, eventCalendar(ical.MethodRequest))
	mailExtras[domain.MailEventChanged] = both(checkinQRImage, eventCalendar(ical.MethodRequest))
	mailExtras[domain.MailEventCancelled] = eventCalendar(ical.MethodCancel)
}

// both runs two mail extras in turn.
func both(a, b func(*domain.MailMessage, MailView) error) func(*domain.MailMessage, MailView) error {
	return func(m *domain.MailMessage, v MailView) error {
		if err := a(m, v); err != nil {
			return err
		}
		return b(m, v)
	}
}

// eventCalendar attaches the event's calendar entry to the graduate's mail
// (iTIP REQUEST, or CANCEL once cancelled): as a text/calendar alternative
// and as event.ics. Its UID is the event's and its SEQUENCE counts the
// changes of time or place, so a change replaces the entry and a
// cancellation removes it.
func eventCalendar(method string) func(*domain.MailMessage, MailView) error {
	return func(m *domain.MailMessage, v MailView) error {
		if v.Data["starts_at"] == "" {
			return nil // a job queued before events carried their times: the mail goes without the entry
		}
		e, err := eventOfMail(v.Data)
		if err != nil {
			return err
		}
		in := EventInvite(e, v.SiteURL, method, v.Data["organizer"], v.Lang)
		in.AttendeeName, in.AttendeeEmail, in.Accepted = v.Name, firstOf(m.To), true
		cal := ical.Build(in)
		ct := "text/calendar; method=" + method
		m.Alternatives = append(m.Alternatives, domain.MailPart{ContentType: ct, Body: string(cal)})
		m.Attachments = append(m.Attachments, domain.MailAttachment{Name: "event.ics", ContentType: ct, Data: cal})
		return nil
	}
}

// eventOfMail reads back the event an event mail's data describes
// (domain.EventMailData).
func eventOfMail(d map[string]string) (domain.Event, error) {
	start, err := time.Parse(time.RFC3339, d["starts_at"])
	if err != nil {
		return domain.Event{}, err
	}
	end, err := time.Parse(time.RFC3339, d["ends_at"])
	if err != nil {
		return domain.Event{}, err
	}
	seq, _ := strconv.Atoi(d["sequence"])
	e := domain.Event{ID: d["event_id"], Kind: d["kind"], Title: d["event_title"], ZoneName: d["zone_name"], ZoneNameEn: d["zone_name_en"],
		StartsAt: start, EndsAt: end, Location: d["location"], Sequence: seq}
	if u := d["stream_url"]; u != "" {
		e.StreamURL = &u
	}
	return e, nil
}

// EventInvite is the calendar entry of event e on the site at base,
// organised from the site's mail address: the download
// (ical.MethodPublish) and the mails' invitations use the same UID, summary
// and link, so each replaces the other in a calendar. The UID names the
// site's host, as an interview's does: a site that moves to another domain
// starts new entries. In English (lang "en") the zone is named in English
// and the link opens the English page, as an interview's invite.ics does;
// the title and place are the zone's own words.
func EventInvite(e domain.Event, base, method, organizer, lang string) ical.Invite {
	host := "gradzone"
	if u, err := url.Parse(base); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	page := strings.TrimRight(base, "/") + "/events/" + url.PathEscape(e.ID)
	zone := e.ZoneName
	if lang == "en" {
		page += "?lang=en"
		if e.ZoneNameEn != "" {
			zone = e.ZoneNameEn
		}
	}
	in := ical.Invite{Method: method, UID: "event-" + e.ID + "@" + host, Sequence: e.Sequence,
		Start: e.StartsAt, End: e.EndsAt, Stamp: time.Now(),
		Summary: e.Title, Description: zone + "\n" + page, Location: e.Location, URL: page,
		OrganizerName: zone, OrganizerEmail: organizer, Cancelled: e.Cancelled()}
	if e.StreamURL != nil && e.Location == "" {
		in.Location = *e.StreamURL
	}
	return in
}

// eventMailSuperseded reports an event mail that a later change or the
// cancellation of its event, or the end of its registration, has
// overtaken before it was sent: the mails are sent by parallel workers,
// and the last to arrive could show a time that no longer holds, or
// confirm a registration withdrawn since (a walk registered, withdrew and
// registered again within a second: 报名成功 came after 已取消报名, its
// calendar entry undoing the cancellation). A mail found overtaken is not
// sent. The check is not one step with the send: a mail checked just
// before the change that overtakes it, and slow to send, can still arrive
// after that change's mail (review45c: the window is a send's length).
func (b *Background) eventMailSuperseded(ctx context.Context, req domain.MailRequest) (bool, error) {
	switch req.Kind {
	case domain.MailEventRegistered, domain.MailEventReminder, domain.MailEventChanged, domain.MailEventWithdrawn:
	default:
		return false, nil
	}
	if req.Data["event_id"] == "" {
		return false, nil // a job of another shape: sent as it is
	}
	code, err := b.Store.EventRegistrationCode(ctx, req.Data["event_id"], req.UserID)
	if err != nil {
		return false, err
	}
	mine := req.Data["checkin_code"]
	var gone bool
	switch req.Kind {
	case domain.MailEventWithdrawn:
		// Registered again: that registration's confirmation is the news.
		gone = code != ""
	case domain.MailEventRegistered:
		gone = code == "" || (mine != "" && mine != code)
	default:
		gone = code == ""
	}
	if gone {
		b.Log.Info("mail dropped: the registration it was about was withdrawn or made again since", "kind", req.Kind,
			"user_id", req.UserID, "event_id", req.Data["event_id"])
		return true, nil
	}
	if req.Kind == domain.MailEventWithdrawn {
		return false, nil
	}
	e, err := b.Store.Event(ctx, domain.Caller{}, req.Data["event_id"])
	if domain.CodeOf(err) == domain.CodeNotFound {
		return true, nil
	}
	if err != nil {
		return false, err
	}
	if e.Cancelled() {
		// Its cancellation mail is the news; a confirmation or reminder
		// sent after it would put the event back in the calendar.
		b.Log.Info("mail dropped: the event was cancelled since", "kind", req.Kind, "user_id", req.UserID, "event_id", e.ID)
		return true, nil
	}
	if req.Kind == domain.MailEventRegistered {
		// Made before a change it may have missed (the change mails those
		// registered when it commits): sent as queued.
		return false, nil
	}
	seq, err := strconv.Atoi(req.Data["sequence"])
	if err != nil {
		return false, nil // a job of another shape: sent as it is
	}
	if e.Sequence > seq {
		b.Log.Info("mail dropped: a later change of the event overtook it", "kind", req.Kind, "user_id", req.UserID,
			"event_id", e.ID, "sequence", seq, "now", e.Sequence)
		return true, nil
	}
	return false, nil
}

// prepareEventMail adds the event page and the check-in link to an event
// mail's data d.
func (b *Background) prepareEventMail(req domain.MailRequest, d map[string]string) {
	switch req.Kind {
	case domain.MailEventRegistered, domain.MailEventReminder, domain.MailEventChanged:
	default:
		return
	}
	d["event_url"] = strings.TrimRight(b.PublicURL, "/") + "/events/" + url.PathEscape(d["event_id"])
	if b.Links == nil {
		return
	}
	ends, err := time.Parse(time.RFC3339, d["ends_at"])
	if err != nil || d["event_id"] == "" {
		return
	}
	d["checkin_url"] = CheckinURL(b.PublicURL, CheckinToken(b.Links, d["event_id"], req.UserID, ends))
}

// checkinQRImage draws the mail's check-in link as a QR code, inline.
func checkinQRImage(m *domain.MailMessage, v MailView) error {
	link := v.Data["checkin_url"]
	if link == "" {
		return nil
	}
	png, err := CheckinQR(link)
	if err != nil {
		return err
	}
	m.Attachments = append(m.Attachments, domain.MailAttachment{Name: "checkin-qr.png", ContentType: "image/png",
		Data: png, ContentID: checkinQRContentID})
	return nil
}
