package domain

import "time"

// AttributionWindow is how long after an event ends its tracked link still
// attributes applications: a graduate who watched a livestream often applies
// in the following days, but a link found weeks later says nothing about the
// event. It matches the life of the gz_via cookie the link sets.
const AttributionWindow = 7 * 24 * time.Hour

// CanSeeTracking reports whether c may see an event's tracking code: only
// staff of the event's own zone. The code attributes applications (and so
// the zone's event figures) to the event; public, anyone could inflate them.
func (c Caller) CanSeeTracking(zoneCode string) bool {
	r := c.Reach()
	return r.Level == LevelZone && r.Value == zoneCode
}

// HideTracking blanks the tracking code and link unless c may see them.
func (e *Event) HideTracking(c Caller) {
	if !c.CanSeeTracking(e.ZoneCode) {
		e.TrackingCode, e.TrackedLink = "", ""
	}
}
