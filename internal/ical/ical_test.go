package ical

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestInvitationRoundTrip(t *testing.T) {
	sh := time.FixedZone("CST", 8*3600)
	start := time.Date(2026, 12, 5, 14, 30, 0, 0, sh)
	in := Invite{Method: MethodRequest, UID: "application-1234@gradzone.localhost", Sequence: 0,
		Start: start, End: start.Add(45 * time.Minute), Stamp: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC),
		Summary:       "面试：科研助理（计算机视觉方向），成都智算研究院",
		Description:   "请携带：成绩单; 身份证, 简历\r\n第二行 \\ 反斜杠",
		Location:      "成都高新区天府软件园 C2 栋 3 楼 302 会议室，靠近地铁 1 号线天府五街站 B 出口；到前台登记后电话联系人事部门",
		URL:           "https://meeting.example.test/j/123?pwd=a,b;c",
		OrganizerName: "gradzone", OrganizerEmail: "noreply@gradzone.localhost",
		AttendeeName: "李华", AttendeeEmail: "lihua@example.test"}
	data := Build(in)

	// Every line ends in CRLF and is at most 75 octets (RFC 5545 3.1).
	if !bytes.HasSuffix(data, []byte("END:VCALENDAR\r\n")) {
		t.Fatalf("does not end with END:VCALENDAR CRLF:\n%s", data)
	}
	for _, line := range strings.Split(strings.TrimSuffix(string(data), "\r\n"), "\r\n") {
		if strings.Contains(line, "\n") || strings.Contains(line, "\r") {
			t.Fatalf("bare line break in %q", line)
		}
		if len(line) > 75 {
			t.Fatalf("line of %d octets: %q", len(line), line)
		}
	}
	for _, want := range []string{"METHOD:REQUEST", "DTSTART:20261205T063000Z", "DTEND:20261205T071500Z", "SEQUENCE:0",
		"UID:application-1234@gradzone.localhost", "ORGANIZER;CN=gradzone:mailto:noreply@gradzone.localhost"} {
		if !strings.Contains(string(data), want+"\r\n") {
			t.Errorf("missing %q in\n%s", want, data)
		}
	}

	got, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Start.Equal(in.Start) || !got.End.Equal(in.End) || got.Start.Location() != time.UTC {
		t.Errorf("times %v–%v, want %v–%v in UTC", got.Start, got.End, in.Start, in.End)
	}
	wantDesc := strings.ReplaceAll(in.Description, "\r\n", "\n")
	if got.Method != "REQUEST" || got.UID != in.UID || got.Summary != in.Summary || got.Description != wantDesc ||
		got.Location != in.Location || got.URL != in.URL || got.OrganizerEmail != in.OrganizerEmail ||
		got.AttendeeEmail != in.AttendeeEmail {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, in)
	}

	// A cancellation keeps the UID, raises the sequence and says so.
	in.Method, in.Sequence = MethodCancel, 1
	c, err := Parse(Build(in))
	if err != nil {
		t.Fatal(err)
	}
	if c.Method != "CANCEL" || c.UID != in.UID || c.Sequence != 1 || !strings.Contains(string(Build(in)), "STATUS:CANCELLED\r\n") {
		t.Errorf("cancel: %+v", c)
	}
}

// A probe named itself "Evil;ROLE=CHAIR:mailto:attacker@evil.example": the
// library escaped the CN with backslashes, which RFC 5545 does not know in
// parameters (only a quoted value may hold ; : ,), so a reader took ROLE=
// CHAIR as a parameter. A name now keeps to characters a parameter may hold.
func TestNamesCannotAddParameters(t *testing.T) {
	start := time.Date(2026, 12, 5, 14, 30, 0, 0, time.UTC)
	data := string(Build(Invite{Method: MethodRequest, UID: "u@x", Start: start, End: start.Add(time.Hour), Stamp: start,
		Summary: "面试", OrganizerName: `成都"智算"; 研究院, A:B`, OrganizerEmail: "noreply@x.test",
		AttendeeName: `Evil;ROLE=CHAIR:mailto:attacker@evil.example`, AttendeeEmail: "g@x.test"}))
	unfolded := strings.ReplaceAll(data, "\r\n ", "")
	for _, line := range strings.Split(unfolded, "\r\n") {
		if !strings.HasPrefix(line, "ATTENDEE") && !strings.HasPrefix(line, "ORGANIZER") {
			continue
		}
		params, _, _ := strings.Cut(line, ":mailto:")
		want := map[bool]int{true: 5, false: 1}[strings.HasPrefix(line, "ATTENDEE")] // CN, CUTYPE, PARTSTAT, ROLE, RSVP
		if strings.Count(params, ";") != want || strings.Contains(params, `\`) || strings.Contains(params, ";ROLE=CHAIR") {
			t.Errorf("a name changed the parameters: %q", line)
		}
	}
	got, err := Parse([]byte(data))
	if err != nil || got.AttendeeEmail != "g@x.test" || got.OrganizerEmail != "noreply@x.test" {
		t.Fatalf("parsed %+v %v", got, err)
	}
}

// An event's entry: a registered graduate has said yes, so its invitation
// asks for no reply (a review found Yes/No/Maybe sent to a no-reply
// address); a download invites nobody, and a cancelled event's says so.
func TestEventEntries(t *testing.T) {
	start := time.Date(2026, 12, 9, 2, 0, 0, 0, time.UTC)
	in := Invite{Method: MethodRequest, UID: "event-1@gradzone.localhost", Sequence: 2, Start: start, End: start.Add(time.Hour),
		Stamp: start, Summary: "招聘会", OrganizerName: "成都高新区", OrganizerEmail: "noreply@gradzone.localhost",
		AttendeeName: "李华", AttendeeEmail: "lihua@example.test", Accepted: true}
	// Unfolded; parameter values are case-insensitive (RFC 5545 2).
	data := strings.ToUpper(strings.ReplaceAll(string(Build(in)), "\r\n ", ""))
	if !strings.Contains(data, "PARTSTAT=ACCEPTED") || !strings.Contains(data, "RSVP=FALSE") || strings.Contains(data, "NEEDS-ACTION") {
		t.Errorf("a registered graduate's entry asks for a reply:\n%s", data)
	}
	// An interview the employer set asks the graduate for no reply either
	// (a walk's Outlook offered Accept/Decline to the no-reply address).
	in.Accepted = false
	data = strings.ToUpper(strings.ReplaceAll(string(Build(in)), "\r\n ", ""))
	if !strings.Contains(data, "PARTSTAT=NEEDS-ACTION") || !strings.Contains(data, "RSVP=FALSE") {
		t.Errorf("an invitation asks for a reply to the no-reply address:\n%s", data)
	}
	in.Method, in.AttendeeEmail, in.OrganizerEmail, in.Cancelled = MethodPublish, "", "", true
	data = string(Build(in))
	for _, want := range []string{"METHOD:PUBLISH\r\n", "STATUS:CANCELLED\r\n", "SEQUENCE:2\r\n"} {
		if !strings.Contains(data, want) {
			t.Errorf("the download lacks %q:\n%s", want, data)
		}
	}
	if strings.Contains(data, "ATTENDEE") || strings.Contains(data, "ORGANIZER") {
		t.Errorf("a download without an organizer names one, or invites someone:\n%s", data)
	}
}
