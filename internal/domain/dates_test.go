package domain

import (
	"slices"
	"testing"
	"time"
)

// ReadDate takes the dates people write in a workbook, and only real days.
func TestReadDate(t *testing.T) {
	for in, want := range map[string]string{
		"2027-03-01": "2027-03-01", " 2027/3/1 ": "2027-03-01", "2027.03.01": "2027-03-01", "2027年3月1日": "2027-03-01",
		"2028/2/29": "2028-02-29", "2027-3-1": "2027-03-01",
		// A date cell with a time of day (an import probe's format 22): the
		// day is what a deadline takes.
		"2027-03-01 12:00": "2027-03-01", "2027/3/1 9:05:30": "2027-03-01", "2027-03-01 25:00": "", "2027-03-01 noon": "",
		// Typed with a Chinese input method: full width.
		"２０２７－０５－０１": "2027-05-01", "２０２７年５月１日": "2027-05-01", "２０２７／５／１": "2027-05-01",
		// A date typed into a General cell: Excel's serial day number, only
		// within 2000–2099 (a count or a code is no date).
		"46508": "2027-05-01", "46508.0": "2027-05-01", " 46508.00 ": "2027-05-01", "36526": "2000-01-01", "73050": "2099-12-31",
		"36525": "", "73051": "", "46508.5": "", "4650": "", "465080": "", "-46508": "", "46,508": "", "4.6508E+4": "",
		"2027/2/29": "", "2027/13/1": "", "2027/0/1": "", "27/3/1": "", "03-01-27": "", "2027/3": "", "2027/3/1/2": "", "": "", "明天": "",
	} {
		d, ok := ReadDate(in)
		got := ""
		if ok {
			got = d.String()
		}
		if got != want {
			t.Errorf("ReadDate(%q) = %q, want %q", in, got, want)
		}
	}
}

// A report is late when a season month's report came in after its due day
// (Shanghai days); outside the season nothing is late.
func TestSubmittedLate(t *testing.T) {
	at := func(s string) *time.Time { v, _ := time.Parse(time.RFC3339, s); return &v }
	for _, tc := range []struct {
		month int
		at    *time.Time
		late  bool
	}{
		{6, at("2026-06-30T15:59:00Z"), false}, // 23:59 on the due day in Shanghai
		{6, at("2026-06-30T16:00:00Z"), true},  // 00:00 the next day
		{6, at("2026-12-04T07:30:00Z"), true},
		{6, nil, false},
		{12, at("2027-03-01T00:00:00Z"), false}, // outside the season nothing is due
	} {
		r := MonthlyReport{Year: 2026, Month: tc.month, SubmittedAt: tc.at}
		if r.SubmittedLate() != tc.late {
			t.Errorf("month %d submitted %v: late %v", tc.month, tc.at, !tc.late)
		}
	}
}

// The reporting season (BRIEF: 5–8月每月月底前报送): an unsubmitted report
// is overdue only for May to August, once the month's last day has passed
// (Asia/Shanghai); before its month it has not started; else it is a draft.
func TestUnsubmittedState(t *testing.T) {
	for _, c := range []struct {
		year, month int
		today       Date
		want        string
	}{
		{2026, 6, Date{2026, 7, 1}, "overdue"},
		{2026, 6, Date{2026, 6, 30}, "draft"}, // due today: not late yet
		{2026, 8, Date{2027, 1, 5}, "overdue"},
		{2026, 5, Date{2026, 5, 1}, "draft"},
		{2026, 9, Date{2026, 12, 3}, "draft"}, // outside the season: never owed
		{2026, 11, Date{2026, 12, 3}, "draft"},
		{2026, 4, Date{2026, 12, 3}, "draft"},
		{2027, 5, Date{2026, 12, 3}, "not_started"},
		{2026, 12, Date{2026, 11, 30}, "not_started"},
	} {
		if got := UnsubmittedState(c.year, c.month, c.today); got != c.want {
			t.Errorf("%d-%02d on %s: %s, want %s", c.year, c.month, c.today, got, c.want)
		}
	}
	for m := 1; m <= 12; m++ {
		if InReportSeason(m) != (m >= 5 && m <= 8) {
			t.Errorf("month %d in season: %v", m, InReportSeason(m))
		}
	}
}

// A month-end walk: the zone's dashboard listed returned reports only, not
// a season month it never submitted after its due date. The to-do holds
// the season months overdue at today and not submitted.
func TestOverdueMonths(t *testing.T) {
	on := func(s string) Date {
		d, ok := ParseDate(s)
		if !ok {
			t.Fatalf("date %q", s)
		}
		return d
	}
	for _, tc := range []struct {
		today     string
		submitted []int
		want      []int
	}{
		{"2026-09-10", []int{5, 7}, []int{6, 8}},
		{"2026-07-15", nil, []int{5, 6}},
		{"2026-05-31", nil, nil}, // due today: not yet overdue
		{"2026-06-01", nil, []int{5}},
		{"2026-12-05", []int{5, 6, 7, 8}, nil},
		{"2026-03-01", nil, nil}, // before the season
	} {
		var got []int
		for _, m := range OverdueMonths(2026, tc.submitted, on(tc.today)) {
			got = append(got, m.Month)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s, submitted %v: %v, want %v", tc.today, tc.submitted, got, tc.want)
		}
	}
}

// LocalRange writes an end on the start's Beijing day as a time of day (an
// event's page wrote the same date twice: a walk), and with its date on
// another day; the day is Beijing's, not UTC's.
func TestLocalRange(t *testing.T) {
	at := func(day, clock string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", day+" "+clock, Shanghai)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, c := range []struct {
		start, end time.Time
		want       string
		oneDay     bool
	}{
		{at("2027-01-15", "14:00"), at("2027-01-15", "16:00"), "2027-01-15 14:00|16:00", true},
		{at("2027-01-15", "01:00"), at("2027-01-15", "09:00"), "2027-01-15 01:00|09:00", true}, // across midnight UTC
		{at("2026-12-12", "22:00"), at("2026-12-13", "01:30"), "2026-12-12 22:00|2026-12-13 01:30", false},
	} {
		s, e := LocalRange(c.start.UTC(), c.end.UTC())
		if one := SameLocalDay(c.start.UTC(), c.end.UTC()); s+"|"+e != c.want || one != c.oneDay {
			t.Errorf("LocalRange(%v, %v) = %s|%s, one day %v; want %s, %v", c.start, c.end, s, e, one, c.want, c.oneDay)
		}
	}
}
