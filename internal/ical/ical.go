// Package ical writes calendar entries (RFC 5545, iTIP RFC 5546): the
// invitations of interview and event mails, and an event's download. It is the only importer of github.com/arran4/golang-ical,
// which folds long lines at 75 octets without splitting a character and
// escapes TEXT values; this package adds what the library leaves to its
// caller: CRLF line ends, UTC times, and a UID and SEQUENCE that let a
// calendar client replace or cancel the entry it holds.
package ical

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"
)

// Methods of an invitation (RFC 5546): a new or changed entry, or its
// cancellation.
const (
	MethodRequest = "REQUEST"
	MethodCancel  = "CANCEL"
	// MethodPublish is an entry offered for download: it invites nobody.
	MethodPublish = "PUBLISH"
)

// Invite is one event sent to one attendee.
type Invite struct {
	// Method is MethodRequest, MethodCancel or MethodPublish.
	Method string
	// UID names the entry for good: a change or cancellation carries the
	// same UID and a higher Sequence.
	UID      string
	Sequence int
	Start    time.Time
	End      time.Time
	// Stamp is when this version of the invitation was made (DTSTAMP).
	Stamp       time.Time
	Summary     string
	Description string
	Location    string
	// URL is the online meeting link, if any.
	URL string
	// Organizer is the address invitations come from (the site's mail
	// From; none for a download); Attendee is the invited graduate.
	OrganizerName, OrganizerEmail string
	AttendeeName, AttendeeEmail   string
	// Cancelled marks a published entry of something called off
	// (STATUS:CANCELLED); a MethodCancel entry is cancelled anyway.
	Cancelled bool
	// Accepted: the attendee already said yes (registered for an event,
	// picked an interview time): PARTSTAT=ACCEPTED, not NEEDS-ACTION. No
	// entry asks for a reply (RSVP=FALSE): the organizer's address is the
	// site's no-reply one, and a reply sent there would be lost.
	Accepted bool
}

// Build serialises the invitation as a VCALENDAR with one VEVENT. Times
// are written in UTC (a trailing Z), which every client converts to its
// own zone, so no VTIMEZONE is needed.
func Build(in Invite) []byte {
	cal := ics.NewCalendarFor("gradzone")
	method := ics.MethodRequest
	switch in.Method {
	case MethodCancel:
		method = ics.MethodCancel
	case MethodPublish:
		method = ics.MethodPublish
	}
	cal.SetMethod(method)
	cal.SetCalscale("GREGORIAN")
	ev := cal.AddEvent(in.UID)
	ev.SetDtStampTime(in.Stamp)
	ev.SetSequence(in.Sequence)
	ev.SetStartAt(in.Start)
	ev.SetEndAt(in.End)
	ev.SetSummary(text(in.Summary))
	if in.Description != "" {
		ev.SetDescription(text(in.Description))
	}
	if in.Location != "" {
		ev.SetLocation(text(in.Location))
	}
	if in.URL != "" {
		ev.SetURL(in.URL)
	}
	if in.Method == MethodCancel || in.Cancelled {
		ev.SetStatus(ics.ObjectStatusCancelled)
	} else {
		ev.SetStatus(ics.ObjectStatusConfirmed)
	}
	if in.OrganizerEmail != "" {
		ev.SetOrganizer(in.OrganizerEmail, ics.WithCN(paramText(in.OrganizerName)))
	}
	if in.AttendeeEmail != "" {
		status := ics.ParticipationStatusNeedsAction
		if in.Accepted {
			status = ics.ParticipationStatusAccepted
		}
		ev.AddAttendee(in.AttendeeEmail, ics.WithCN(paramText(in.AttendeeName)), ics.CalendarUserTypeIndividual,
			ics.ParticipationRoleReqParticipant, status, ics.WithRSVP(false))
	}
	// RFC 5545 3.1: lines end in CRLF (the library's default on Unix is LF).
	return []byte(cal.Serialize(ics.WithNewLineWindows))
}

// paramLookalikes stand in for the characters a parameter value (a name in
// CN=) may hold only inside quotes, and for line breaks: the library escapes
// them with backslashes, which RFC 5545 has only for TEXT values, so a name
// with ; or : would add parameters. Full-width forms read the same.
var paramLookalikes = strings.NewReplacer(";", "；", ":", "：", ",", "，", `"`, "”", `\`, "＼", "'", "’", "\r\n", " ", "\r", " ", "\n", " ")

// paramText is s made safe as a parameter value (a CN).
func paramText(s string) string { return paramLookalikes.Replace(s) }

// text drops carriage returns: the library escapes line feeds (\n) but a
// bare CR would end a content line early.
func text(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

// Parse reads an invitation back with the library's parser: tests check
// what was sent with it, and a tool may show it. Only the first VEVENT is
// read.
func Parse(data []byte) (Invite, error) {
	cal, err := ics.ParseCalendar(strings.NewReader(string(data)))
	if err != nil {
		return Invite{}, err
	}
	var in Invite
	if p := calProp(cal, ics.PropertyMethod); p != "" {
		in.Method = p
	}
	evs := cal.Events()
	if len(evs) == 0 {
		return in, errors.New("ical: no VEVENT")
	}
	ev := evs[0]
	in.UID = ev.Id()
	val := func(p ics.ComponentProperty) string {
		if pr := ev.GetProperty(p); pr != nil {
			return pr.Value
		}
		return ""
	}
	in.Sequence, _ = strconv.Atoi(val(ics.ComponentPropertySequence))
	if in.Start, err = ev.GetStartAt(); err != nil {
		return in, fmt.Errorf("ical: DTSTART: %w", err)
	}
	if in.End, err = ev.GetEndAt(); err != nil {
		return in, fmt.Errorf("ical: DTEND: %w", err)
	}
	in.Stamp, _ = ev.GetDtStampTime()
	in.Summary = ics.FromText(val(ics.ComponentPropertySummary))
	in.Description = ics.FromText(val(ics.ComponentPropertyDescription))
	in.Location = ics.FromText(val(ics.ComponentPropertyLocation))
	in.URL = val(ics.ComponentPropertyUrl)
	in.Cancelled = val(ics.ComponentPropertyStatus) == string(ics.ObjectStatusCancelled)
	in.OrganizerEmail = strings.TrimPrefix(strings.ToLower(val(ics.ComponentPropertyOrganizer)), "mailto:")
	if as := ev.Attendees(); len(as) > 0 {
		in.AttendeeEmail = as[0].Email()
	}
	return in, nil
}

func calProp(cal *ics.Calendar, p ics.Property) string {
	for _, cp := range cal.CalendarProperties {
		if cp.IANAToken == string(p) {
			return cp.Value
		}
	}
	return ""
}
