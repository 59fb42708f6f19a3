package domain

import (
	"strings"
	"testing"
	"time"
)

func TestNotificationIn(t *testing.T) {
	p := NoticeParams{"opening": "科研助理", "graduate": "李华", "status": AppHired, "when": "2026-12-10 10:00"}
	for _, c := range []struct {
		n          Notification
		lang, want string
	}{
		{Notification{Kind: "application_hired", Title: "标题", Params: NoticeParams{"opening": "科研助理", "status": AppHired}}, "en", "Your application for “科研助理”: hired"},
		{Notification{Kind: "application_withdrawn", Title: "标题", Params: NoticeParams{"opening": "科研助理", "graduate": "李华", "status": AppWithdrawn}}, "en", "李华's application for “科研助理”: withdrawn"},
		{Notification{Kind: "interview_changed", Title: "标题", Params: p}, "en", "The interview for “科研助理” has changed: 2026-12-10 10:00"},
		{Notification{Kind: "report_due", Title: "标题", Params: NoticeParams{"year": "2026", "month": "12", "days": "3", "due": "2026-12-31"}}, "en", "The report for 2026-12 is due in 3 days (2026-12-31)"},
		{Notification{Kind: "interview_changed", Title: "标题", Params: p}, "zh", "标题"},
		{Notification{Kind: "interview_changed", Title: "标题"}, "en", "标题"},        // raised before params
		{Notification{Kind: "something_new", Title: "标题", Params: p}, "en", "标题"}, // no English yet
		// Begun by an office's name, the sentence starts with a capital.
		{PlacementRevokedNotice("g", "a", "科研助理", "智算", "成都高新区管委会", "the Chengdu Hi-tech Zone administration"), "en",
			"The Chengdu Hi-tech Zone administration revoked the record of your hire for “科研助理” (智算): it no longer counts"},
		// A person's name is written as its owner wrote it, not capitalised
		// (review37: "de Souza applied" read "De Souza applied").
		{Notification{Kind: "application_received", Title: "标题", Params: NoticeParams{"opening": "科研助理", "graduate": "de Souza"}}, "en",
			"de Souza applied for “科研助理”"},
		{Notification{Kind: "application_withdrawn", Title: "标题", Params: NoticeParams{"opening": "科研助理", "graduate": "van Dijk", "status": AppWithdrawn}}, "en",
			"van Dijk's application for “科研助理”: withdrawn"},
	} {
		if got := c.n.In(c.lang); got != c.want {
			t.Errorf("%s in %s: %q, want %q", c.n.Kind, c.lang, got, c.want)
		}
	}
}

// A walk: the employer's message that zone staff listed its opening at an
// event gave the start without its weekday (「北京时间 2026-12-08 00:31」),
// where every page and mail writes one.
func TestEventListingNoticeWritesTheWeekday(t *testing.T) {
	at := time.Date(2026, 12, 8, 0, 31, 0, 0, Shanghai)
	e := Event{ID: "e1", Title: "招聘会", ZoneName: "成都高新区", ZoneNameEn: "Chengdu", StartsAt: at, EndsAt: at.Add(2 * time.Hour)}
	for _, openings := range [][]string{{"科研助理"}, {"科研助理", "实验助理"}} {
		n := OpeningAtEventNotice(openings, e)
		if zh, en := n.In("zh"), n.In("en"); !strings.Contains(zh, "2026-12-08 00:31（周二，北京时间）") || !strings.Contains(en, "2026-12-08 00:31, Tue, Beijing time") {
			t.Errorf("%d openings: %q / %q", len(openings), zh, en)
		}
	}
}

// An interview's messages write its time as pages and mails do, in both
// languages: with the weekday, in Beijing time.
func TestInterviewNoticesWriteTheWeekday(t *testing.T) {
	at := time.Date(2026, 12, 10, 2, 0, 0, 0, time.UTC) // 10:00 on a Thursday in Beijing
	picked := InterviewSlotPickedNotice("李华", "a1", "科研助理", at)
	changed := InterviewChangedNotice("g1", "a1", "科研助理", at)
	for _, c := range []struct{ got, want string }{
		{picked.Title, "李华 选择了「科研助理」的面试时间：2026-12-10 10:00（周四，北京时间）"},
		{picked.In("en"), "李华 chose an interview time for “科研助理”: 2026-12-10 10:00, Thu (Beijing time)"},
		{changed.Title, "「科研助理」的面试安排已更改：2026-12-10 10:00（周四，北京时间）"},
		{changed.In("en"), "The interview for “科研助理” has changed: 2026-12-10 10:00, Thu (Beijing time)"},
	} {
		if c.got != c.want {
			t.Errorf("%q, want %q", c.got, c.want)
		}
	}
	if changed.UserID != "g1" || changed.Link != "/applications/a1" || picked.Link != "/applications/a1" {
		t.Errorf("addressed or linked wrong: %+v %+v", changed, picked)
	}
}
