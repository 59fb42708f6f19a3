package domain

import "testing"

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
