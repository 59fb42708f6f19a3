package domain

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	// Embedded so that minimal images without /usr/share/zoneinfo know Asia/Shanghai.
	_ "time/tzdata"
)

// Shanghai is the programme's time zone: every year, month and deadline
// boundary is in Asia/Shanghai. This file is the project's one date helper.
var Shanghai = mustLoad("Asia/Shanghai")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic("domain: time zone " + name + ": " + err.Error())
	}
	return loc
}

// DateLayout is the contract's date format.
const DateLayout = "2006-01-02"

// Date is a calendar day in Asia/Shanghai, with no time of day.
type Date struct{ Year, Month, Day int }

// DateOf returns the Shanghai calendar day of t.
func DateOf(t time.Time) Date {
	y, m, d := t.In(Shanghai).Date()
	return Date{y, int(m), d}
}

// ParseDate parses YYYY-MM-DD strictly.
func ParseDate(s string) (Date, bool) {
	t, err := time.ParseInLocation(DateLayout, s, Shanghai)
	if err != nil {
		return Date{}, false
	}
	return DateOf(t), true
}

// ReadDate reads a date as people write it in a workbook: YYYY-MM-DD, or
// the year, month and day separated by / or . (2027/3/1), or 2027年3月1日,
// with surrounding spaces, and perhaps a time of day after it, which it
// leaves out (a date cell formatted with its time). Full-width digits and
// signs (２０２７－０５－０１, typed with a Chinese input method) read as
// the plain ones, as an import's numbers do. A whole number from 36526 to
// 73050 is a date typed into a General cell, which the sheet holds as its
// serial number in Excel's 1900 date system (46508 is 2027-05-01): staff
// see the number and were told it is no date (an import probe); other
// numbers are not taken for dates. It is what an import takes; the API
// takes only YYYY-MM-DD (ParseDate).
func ReadDate(s string) (Date, bool) {
	s = PlainText(s)
	if d, ok := serialDate(s); ok {
		return d, true
	}
	if day, clock, ok := strings.Cut(s, " "); ok && timeOfDay.MatchString(strings.TrimSpace(clock)) {
		s = day
	}
	if d, ok := ParseDate(s); ok {
		return d, true
	}
	parts := strings.FieldsFunc(strings.TrimSuffix(s, "日"), func(r rune) bool {
		return r == '/' || r == '.' || r == '-' || r == '年' || r == '月'
	})
	if len(parts) != 3 || len(parts[0]) != 4 {
		return Date{}, false
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || v < 0 {
			return Date{}, false
		}
		n[i] = v
	}
	d := Date{n[0], n[1], n[2]}
	if n[1] < 1 || n[1] > 12 || n[2] < 1 || DateOf(d.Time()) != d {
		return Date{}, false // 2027/2/30 is no day
	}
	return d, true
}

// serialDate reads an Excel serial day number (46508, or 46508.0 as a
// program writes it) from 2000-01-01 (36526) to 2099-12-31 (73050): a
// deadline is within a year, so the range only keeps counts and codes out.
// Day 0 is 1899-12-30 in Excel's 1900 system (its day 60 is the 29th of
// February 1900 that never was; days after it count as from 1899-12-30).
func serialDate(s string) (Date, bool) {
	whole, zeros, _ := strings.Cut(s, ".")
	if strings.Trim(zeros, "0") != "" || len(whole) != 5 {
		return Date{}, false
	}
	n, err := strconv.Atoi(whole)
	if err != nil || n < 36526 || n > 73050 {
		return Date{}, false
	}
	return Date{1899, 12, 30}.AddDays(n), true
}

// timeOfDay is a time of day as a date cell shows it: 9:05, 12:00:30.
var timeOfDay = regexp.MustCompile(`^([01]?[0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$`)

// Time returns midnight at the start of d in Shanghai.
func (d Date) Time() time.Time {
	return time.Date(d.Year, time.Month(d.Month), d.Day, 0, 0, 0, 0, Shanghai)
}

// String formats d as YYYY-MM-DD.
func (d Date) String() string { return d.Time().Format(DateLayout) }

// Before reports whether d is an earlier day than o.
func (d Date) Before(o Date) bool { return d.Time().Before(o.Time()) }

// AddDays returns d moved by n days.
func (d Date) AddDays(n int) Date { return DateOf(d.Time().AddDate(0, 0, n)) }

// DaysUntil counts the days from d to o (negative when o is before d).
func (d Date) DaysUntil(o Date) int { return int(math.Round(o.Time().Sub(d.Time()).Hours() / 24)) }

// MonthEnd returns the last day of the given month.
func MonthEnd(year, month int) Date {
	return DateOf(time.Date(year, time.Month(month)+1, 1, 0, 0, 0, 0, Shanghai).AddDate(0, 0, -1))
}

// MonthKey formats a year and month as "YYYY-MM".
func MonthKey(year, month int) string {
	return time.Date(year, time.Month(month), 1, 0, 0, 0, 0, Shanghai).Format("2006-01")
}

var weekdaysZh = [7]string{"周日", "周一", "周二", "周三", "周四", "周五", "周六"}

// WeekdayIn is t's weekday in Beijing, as lang writes it beside a time
// ("周四", "Thu"): a reader plans an appointment by it.
func WeekdayIn(lang string, t time.Time) string {
	d := t.In(Shanghai).Weekday()
	if lang == "en" {
		return d.String()[:3]
	}
	return weekdaysZh[d]
}

// LocalRange writes a span of time in Beijing time: its start with the
// date, its end as a time of day, or with its date when that is another
// day ("2026-12-07 19:30", "21:00"; "2026-12-12 22:00", "2026-12-13
// 01:30"). Mails and pages write interviews and events so: an event's
// page wrote 「2027-01-15 14:00（周五） – 2027-01-15 16:00」 (a walk).
func LocalRange(start, end time.Time) (string, string) {
	s, e := start.In(Shanghai), end.In(Shanghai)
	if !SameLocalDay(s, e) {
		return s.Format("2006-01-02 15:04"), e.Format("2006-01-02 15:04")
	}
	return s.Format("2006-01-02 15:04"), e.Format("15:04")
}

// RangeIn writes a span of time on one line in lang, as the site's
// time-range partial shows it: LocalRange's start and end, the weekday of
// each date it writes and the time zone. 「2027-01-15 14:00–16:00（周五，北京
// 时间）」; past midnight each date with its own weekday, 「2027-01-22 23:30
// （周五）–2027-01-23 01:30（周六，北京时间）」 (in English "2027-01-22 23:30
// (Fri)–2027-01-23 01:30 (Sat, Beijing time)"). The mails write it so: they
// wrote the start's weekday after the end's date.
func RangeIn(lang string, start, end time.Time) string {
	s, e := LocalRange(start, end)
	open, sep, close, zone := "（", "，", "）", "北京时间"
	if lang == "en" {
		open, sep, close, zone = " (", ", ", ")", "Beijing time"
	}
	if SameLocalDay(start, end) {
		return s + "–" + e + open + WeekdayIn(lang, start) + sep + zone + close
	}
	return s + open + WeekdayIn(lang, start) + close + "–" + e + open + WeekdayIn(lang, end) + sep + zone + close
}

// SameLocalDay reports whether a and b fall on one calendar day in
// Beijing: LocalRange then writes the end as a time of day.
func SameLocalDay(a, b time.Time) bool { return DateOf(a) == DateOf(b) }
