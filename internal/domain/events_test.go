package domain

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// A waitlist holds as many as the event has places, within its bounds; an
// event with places left has no full list.
func TestWaitlistLength(t *testing.T) {
	places := func(n int, registered, waiting int64) Event {
		return Event{Capacity: &n, Stats: EventStats{Registrations: registered, Waitlisted: waiting}}
	}
	for _, c := range []struct {
		event      Event
		length     int64
		listIsFull bool
	}{
		{places(1, 1, 9), MinWaitlist, false},
		{places(1, 1, 10), MinWaitlist, true},
		{places(300, 300, 299), 300, false},
		{places(300, 299, 300), 300, false},
		{places(50000, 50000, 1000), MaxWaitlist, true},
		{Event{Stats: EventStats{Registrations: 5000, Waitlisted: 5000}}, MinWaitlist, false},
	} {
		if got := c.event.WaitlistLength(); got != c.length {
			t.Errorf("%d places: a list of %d, want %d", c.event.Places(), got, c.length)
		}
		if got := c.event.WaitlistFull(); got != c.listIsFull {
			t.Errorf("%d places, %+v: list full %v, want %v", c.event.Places(), c.event.Stats, got, c.listIsFull)
		}
	}
}

// A security probe: an event's campaign was checked for its length only,
// and a person's name might hold line breaks that put lines of their own
// into the mails employers read. Both are one line that shows; so are a
// graduate's university and major, which employers read on the applicant's
// card and the registrants' list (the next probe).
func TestCampaignAndNamesAreOneLine(t *testing.T) {
	refused := func(err error, field string) bool {
		var de *Error
		return errors.As(err, &de) && de.Fields[field] != ""
	}
	now := time.Date(2026, 12, 6, 10, 0, 0, 0, Shanghai)
	for campaign, ok := range map[string]bool{"2026百日冲刺": true, "": true, "冲刺\u202e": false, "\u00ad\u00ad": false, "冲刺\r\nBcc": false, "\u200b\u200b": true} {
		in := EventInput{Kind: "job_fair", Title: "专场招聘会", ZoneCode: "sichuan-chengdu", Campaign: campaign,
			StartsAt: now.Add(24 * time.Hour).Format(time.RFC3339), EndsAt: now.Add(26 * time.Hour).Format(time.RFC3339)}
		if _, _, err := in.Validate(now); refused(err, "campaign") == ok {
			t.Errorf("campaign %q: %v", campaign, err)
		} else if ok && strings.ContainsRune(in.Campaign, '\u200b') {
			t.Errorf("campaign %q kept as %q", campaign, in.Campaign) // zero-width is dropped (Tidy): no campaign
		}
	}
	for name, ok := range map[string]bool{"李华": true, "李\r\nBcc: x@y": false, "李\t华": false, "\u200b": false, "四川\u2028大学": false, "四川\u2029大学": false} {
		s := StaffAccount{Email: "staff@example.cn", Password: "Correct-Horse-9-battery", Name: name, Role: RoleMinistryAdmin}
		if err := s.Validate(); refused(err, "name") == ok {
			t.Errorf("an account named %q: %v", name, err)
		}
		n := name
		if err := (ProfilePatch{Name: &n}).Apply(&Graduate{}, new(string), 2026); refused(err, "name") == ok {
			t.Errorf("a profile named %q: %v", name, err)
		}
		for _, field := range []string{"university", "major"} {
			p := ProfilePatch{University: &n}
			if field == "major" {
				p = ProfilePatch{Major: &n}
			}
			if err := p.Apply(&Graduate{}, new(string), 2026); refused(err, field) == ok {
				t.Errorf("a %s named %q in the profile: %v", field, name, err)
			}
			r := GraduateRegistration{Email: "g@example.cn", Password: "Correct-Horse-9-battery", Name: "李华", University: "四川大学",
				Degree: "master", Major: "计算机", GraduationYear: 2026}
			if field == "major" {
				r.Major = name
			} else {
				r.University = name
			}
			if err := r.Validate(2026); refused(err, field) == ok {
				t.Errorf("a %s named %q at sign-up: %v", field, name, err)
			}
		}
	}
}

// A walk: a title of zero-width characters alone was refused by its length
// (「须为一行，2–100 个字」); what shows nothing was not typed, so every text
// with a least length says 必填 (Validation.required): an event's title, a
// reason given to someone, a person's name.
func TestInvisibleTextIsRequired(t *testing.T) {
	field := func(err error, name string) string {
		var de *Error
		if !errors.As(err, &de) {
			return ""
		}
		return de.Fields[name]
	}
	now := time.Date(2026, 12, 6, 10, 0, 0, 0, Shanghai)
	in := EventInput{Kind: "job_fair", Title: "\u200b\u2060", ZoneCode: "sichuan-chengdu",
		StartsAt: now.Add(24 * time.Hour).Format(time.RFC3339), EndsAt: now.Add(26 * time.Hour).Format(time.RFC3339)}
	if _, _, err := in.Validate(now); field(err, "title") != "is required" {
		t.Errorf("an invisible event title: %v", err)
	}
	reason := "\ufeff"
	if err := CheckReason(&reason, "a returned report needs a reason of 2 to 500 characters"); field(err, "reason") != "is required" {
		t.Errorf("an invisible reason: %v", err)
	}
	if err := (&StaffAccount{Email: "staff@example.cn", Password: "Correct-Horse-9-battery", Name: "\u200c", Role: RoleMinistryAdmin}).Validate(); field(err, "name") != "is required" {
		t.Errorf("an invisible name: %v", err)
	}
}
