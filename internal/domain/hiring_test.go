package domain

import (
	"mime"
	"strings"
	"testing"
	"time"
)

// HireDate: a date, not after today, not before the day the graduate
// applied, nor more than 400 days back — all days in Asia/Shanghai.
func TestHireDate(t *testing.T) {
	// Applied at 23:30 on 3 March in Beijing (15:30 UTC): that day is 3 March.
	applied := time.Date(2026, 3, 3, 15, 30, 0, 0, time.UTC)
	now := time.Date(2026, 4, 30, 17, 0, 0, 0, time.UTC) // 1 May, 01:00 in Beijing
	for _, tc := range []struct {
		hiredOn, reason string
	}{
		{"2026-03-03", ""},
		{"2026-05-01", ""}, // today in Beijing, still 30 April in UTC
		{"2026-04-15", ""},
		{"2026-03-02", "cannot be before the application was made (Asia/Shanghai)"},
		{"2025-12-31", "cannot be before the application was made (Asia/Shanghai)"},
		{"2026-05-02", "cannot be in the future (Asia/Shanghai)"},
		{"", "is required to hire (YYYY-MM-DD)"},
		{"2026-02-30", "must be a date YYYY-MM-DD"},
		{"1 May", "must be a date YYYY-MM-DD"},
	} {
		d, err := HireDate(tc.hiredOn, applied, now)
		got := ""
		if err != nil {
			got = err.(*Error).Fields["hired_on"]
		}
		if got != tc.reason {
			t.Errorf("%q: %q, want %q", tc.hiredOn, got, tc.reason)
		}
		if err == nil && d.String() != tc.hiredOn {
			t.Errorf("%q read as %s", tc.hiredOn, d)
		}
	}
	// An application older than 400 days: the window still ends 400 days back.
	long := time.Date(2024, 1, 1, 0, 0, 0, 0, Shanghai)
	if _, err := HireDate("2025-03-01", long, now); err == nil || err.(*Error).Fields["hired_on"] != "is too far in the past" {
		t.Errorf("a hire 426 days back: %v", err)
	}
}

// Disposition: a name outside ASCII travels as filename*, which a browser
// reads, with a plain ASCII filename= before it for clients that read only
// that one; an ASCII name needs no fallback.
func TestDisposition(t *testing.T) {
	for _, tc := range []struct{ kind, graduate, want string }{
		{"attachment", "李华", `attachment; filename="resume.pdf"; filename*=utf-8''%E7%AE%80%E5%8E%86-%E6%9D%8E%E5%8D%8E.pdf`},
		{"inline", "Li Hua 李华", `inline; filename="resume-LiHua.pdf"; filename*=utf-8''%E7%AE%80%E5%8E%86-Li%20Hua%20%E6%9D%8E%E5%8D%8E.pdf`},
	} {
		got := Disposition(tc.kind, ResumeFilename(tc.graduate), ResumeFallbackFilename(tc.graduate))
		if got != tc.want {
			t.Errorf("%s: %s\nwant %s", tc.graduate, got, tc.want)
		}
		if kind, params, err := mime.ParseMediaType(got); err != nil || kind != tc.kind || params["filename"] != ResumeFilename(tc.graduate) {
			t.Errorf("%s reads back as %s %v (%v)", got, kind, params, err)
		}
	}
	if got := Disposition("attachment", "gradzone-2026-07.csv", "x"); got != `attachment; filename=gradzone-2026-07.csv` {
		t.Errorf("ASCII name: %s", got)
	}
	if got := Disposition("attachment", "报表.xlsx", `a"b\\c d%.xlsx`); got != `attachment; filename="abcd.xlsx"; filename*=utf-8''%E6%8A%A5%E8%A1%A8.xlsx` {
		t.Errorf("the fallback keeps its printable ASCII only: %s", got)
	}
	// A file name fits a file system's 255 bytes whatever the title (a
	// security probe: 100 Chinese characters are 300 bytes).
	if got := EventCalendarFilename(strings.Repeat("招", 100)); len(got) > 255 || got != strings.Repeat("招", 60)+".ics" {
		t.Errorf("a long title's file name is %d bytes: %s", len(got), got)
	}
	// A review: nothing left of the fallback, and a capitalised kind.
	if got := Disposition("Attachment", "报表.xlsx", "报表"); got != `attachment; filename="download"; filename*=utf-8''%E6%8A%A5%E8%A1%A8.xlsx` {
		t.Errorf("an empty fallback or a capitalised kind: %s", got)
	}
}

// An interview's times as its mails write them: the end's date only when
// it runs past midnight in Shanghai (23:30 to 00:15 read as one evening).
func TestInterviewLocalTimes(t *testing.T) {
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, tc := range []struct{ start, end, wantStart, wantEnd string }{
		{"2026-12-05T02:00:00Z", "2026-12-05T03:00:00Z", "2026-12-05 10:00", "11:00"},
		{"2026-12-05T15:30:00Z", "2026-12-05T16:15:00Z", "2026-12-05 23:30", "2026-12-06 00:15"},
		// Midnight in UTC is not midnight in Shanghai.
		{"2026-12-05T23:30:00Z", "2026-12-06T00:30:00Z", "2026-12-06 07:30", "08:30"},
	} {
		start, end := Interview{StartsAt: at(tc.start), EndsAt: at(tc.end)}.LocalTimes()
		if start != tc.wantStart || end != tc.wantEnd {
			t.Errorf("%s–%s: %s–%s, want %s–%s", tc.start, tc.end, start, end, tc.wantStart, tc.wantEnd)
		}
	}
}
