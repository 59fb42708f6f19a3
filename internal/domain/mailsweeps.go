package domain

import (
	"encoding/json"
	"strconv"
	"time"
)

// ChaseRecord is how often a zone was chased (催报) for a month's report,
// and when last: the reports page shows it beside the zone's row.
type ChaseRecord struct {
	Times int
	Last  time.Time
}

// ReportChase is the answer to a province's 催报: how many zones of the
// province that had not submitted the month's report were reminded, and
// how many had been reminded already today (at most one reminder per zone
// and day).
type ReportChase struct {
	Province        string   `json:"province"`
	Year            int      `json:"year"`
	Month           int      `json:"month"`
	Reminded        int      `json:"reminded"`
	AlreadyReminded int      `json:"already_reminded"`
	Zones           []string `json:"zones"`
	// Unreached names the zones owing the report that have no live staff
	// account to mail: nobody there was reminded.
	Unreached []string `json:"unreached"`
}

// InterviewReminderBefore is how long before an interview its reminder is
// mailed.
const InterviewReminderBefore = 24 * time.Hour

// ReminderMailData is the data of an interview reminder (kind
// MailInterviewReminder).
func ReminderMailData(applicationID, openingTitle, employerName string, iv Interview) map[string]string {
	start, end := iv.LocalTimes()
	return map[string]string{"application_id": applicationID, "opening_title": openingTitle, "employer_name": employerName,
		"starts_at": iv.StartsAt.UTC().Format(time.RFC3339), "ends_at": iv.EndsAt.UTC().Format(time.RFC3339),
		"starts_local": start, "ends_local": end,
		"location": iv.Location, "online_url": iv.OnlineURL, "sequence": strconv.Itoa(iv.Sequence)}
}

// DigestItem is one line of a digest mail: an opening (alert digest) or
// an application (applicant digest).
type DigestItem struct {
	ID       string `json:"id"`
	Title    string `json:"title"`
	Subtitle string `json:"subtitle"`
}

// DigestData encodes a digest's lines for a mail job's data (strings only).
func DigestData(items []DigestItem) string { return listData(items) }

// DigestItems decodes DigestData; bad input gives no lines.
func DigestItems(s string) []DigestItem { return dataList[DigestItem](s) }

// listData encodes a list for a mail job's data, whose values are strings
// (digest lines, offered interview times).
func listData[T any](items []T) string {
	b, _ := json.Marshal(items)
	return string(b)
}

// dataList decodes listData; bad input gives an empty list.
func dataList[T any](s string) []T {
	var out []T
	_ = json.Unmarshal([]byte(s), &out)
	return out
}
