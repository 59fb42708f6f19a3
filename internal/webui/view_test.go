package webui

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"html"
	"html/template"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gradzone/gradzone/internal/domain"
)

// testOrgChoices are the lists of an organisation's fields, for the views.
var testOrgChoices = OrgChoices{Zones: []domain.Zone{{Code: "z"}}, Provinces: []domain.Province{{Code: "51"}}, Industries: domain.Industries,
	Types: domain.EmployerTypes, Sizes: domain.EmployerSizes}

// views lists one value of every page type. TestEveryTemplateHasAView keeps
// it complete: a template without a listed view fails it.
func views() []View {
	pct, imported, reason := 12.5, time.Unix(1e9, 0), "r"
	return []View{
		&ErrorPage{Message: "x"},
		&SearchPage{Facets: []FacetGroup{{Name: "industry", Values: []FacetValue{{Facet: "industry", Value: "ai", Label: "AI", Count: 2, URL: "/?industry=ai", On: true}}}},
			Sorts: []SortLink{{Value: "newest", URL: "/?sort=newest"}}, Hidden: map[string]string{"zone": "z"}, Filtered: true, Pager: Pager{Page: 2, Pages: 3, Prev: "/?page=1", Next: "/?page=3"},
			Result: domain.SearchResult{Total: 1, Items: []domain.SearchHit{{ID: "o", Title: "t", Zone: &domain.ZoneRef{NameZh: "z"}, Highlight: map[string]string{"title": "<mark>t</mark>", "description": "d"}}}}},
		&OpeningPage{Opening: domain.Opening{ID: "o", Status: domain.OpeningPublished, Majors: []string{"a"}, Zone: &domain.ZoneRef{NameZh: "z"}}, Via: "v", Placed: true, Saved: true},
		&EndedOpeningPage{Opening: domain.EndedOpening{ID: "o", Title: "t", EmployerID: "e", EmployerName: "n"}, Similar: "/?industry=ai", Applied: &domain.Application{ID: "a", Status: "interview"}},
		&LoginPage{Next: "/me", Email: "a@b.c", Error: "no"},
		&RegisterPage{OrgChoices: testOrgChoices,
			Degrees: domain.Degrees, Graduate: Form{Values: map[string]string{"degree": "master"}},
			Employer: Form{Values: map[string]string{"name": "n", "zone_code": "z"}, Errors: map[string]string{"email": "taken", "employer.zone_code": "unknown zone"}}},
		&OrganisationPage{OrgChoices: testOrgChoices, Employer: domain.Employer{OrgDetails: domain.OrgDetails{Name: "n"}, Status: "pending", ReturnReason: "r"},
			Form: Form{Values: map[string]string{"org_name": "n"}, Errors: map[string]string{"credit_code": "bad"}}},
		&NotificationsPage{Items: []domain.Notification{{Title: "t", Link: "/"}}},
		&VerifyEmailPage{OK: true, Address: "a@example.test"},
		&ForgotPage{Form: Form{Errors: map[string]string{"email": "is required"}}},
		&ResetPage{Token: "t", Form: Form{Errors: map[string]string{"token": "bad", "password": "short"}}},
		&PrivacyPage{Graduate: true, CanDelete: true, Views: []domain.ResumeView{{Employer: domain.OrgRef{Name: "e"}}}, ViewsTotal: 1,
			Form: Form{Errors: map[string]string{"password": "is required", "confirm": "must be ticked to confirm"}}},
		&NoticePage{Version: "v"},
		&AccountPage{Me: domain.Me{User: domain.User{Email: "a@b.c"}, EmailChange: &domain.EmailChange{Email: "n@b.c"}}, Form: Form{Errors: map[string]string{"current_password": "is incorrect"}}},
		&MePage{Me: domain.Me{Graduate: &domain.Graduate{}}, Applications: []domain.Application{{ID: "a", Status: "offered", Opening: &domain.ApplicationOpening{Title: "t"}, History: []domain.ApplicationMove{{To: "offered"}, {To: "hired", Kind: domain.StepPlacementRevoked}},
			Interview: &domain.Interview{StartsAt: time.Unix(1e9, 0), EndsAt: time.Unix(1e9+3600, 0), Location: "l", OnlineURL: "https://x.test/j"}},
			{ID: "b", Status: "interview", Opening: &domain.ApplicationOpening{Title: "u"}, InterviewSlots: []domain.InterviewSlot{{ID: "s", StartsAt: time.Unix(1e9, 0), EndsAt: time.Unix(1e9+3600, 0), Location: "l"}}}},
			Saved: []SavedSearchRow{{SavedSearch: domain.SavedSearch{ID: "s", Name: "n", AlertFrequency: "daily", MailAlerts: true}, Link: "/?q=n"}}, AlertSettings: []string{"daily", "off"}, Form: Form{Errors: map[string]string{"phone": "bad"}}},
		&EventsPage{Events: []domain.Event{{ID: "e", Kind: "job_fair"}}},
		&EventPage{Event: domain.Event{ID: "e", Kind: "job_fair", Openings: []domain.EventOpening{{OpeningID: "o", Pinned: true}}, Waitlist: &domain.WaitlistPlace{Position: 2}}, Via: "v", Over: true},
		&StaffEventsPage{Events: []domain.Event{{ID: "e", Kind: "job_fair", Stats: domain.EventStats{Waitlisted: 1}, Openings: []domain.EventOpening{{OpeningID: "o", Pinned: true}}}}, At: "e", Answer: "✓", Kinds: domain.EventKinds,
			Form: Form{Errors: map[string]string{"title": "required"}}},
		&WorkbenchPage{Me: domain.Me{Employer: &domain.Employer{Status: "pending"}}, Openings: []WorkbenchOpening{{Opening: domain.Opening{ID: "o", Status: "draft", ImportedAt: &imported}, NewApplicants: 2, InterviewsToday: 1, DeadlineSoon: true, Events: []domain.ListedAt{{EventID: "e", Title: "t"}}}}, Closed: []domain.Opening{{ID: "c"}},
			OpeningTerms: openingTerms,
			Form:         Form{Values: map[string]string{"title": "t"}, Errors: map[string]string{"title": "required"}}},
		&BoardPage{Opening: domain.Opening{ID: "o", Status: "published"}, Today: "2026-01-01", OpeningTerms: openingTerms,
			BoardForms: BoardForms{Form: Form{Errors: map[string]string{"city": "required"}}, Ticked: []string{"a"}, InterviewFor: "b",
				Interview: Form{Values: map[string]string{"interview_location": "l"}, Errors: map[string]string{"interview_ends_at": "must be after the start"}}},
			Columns: []BoardColumn{{Status: "accepted", Total: 60, Pager: Pager{Page: 1, Pages: 2, Next: "/n"}, Items: []domain.Application{{ID: "a", Status: "accepted", Stale: true, Applicant: &domain.Applicant{Name: "n", Degree: "master"}},
				{ID: "b", Status: "shortlisted", Applicant: &domain.Applicant{Name: "m", Degree: "master"},
					Interview: &domain.Interview{StartsAt: time.Unix(1e9, 0), EndsAt: time.Unix(1e9+3600, 0), Location: "l"}}}},
				{Status: "hired", Total: 2, Revoked: 1, Items: []domain.Application{{ID: "h", Status: "hired", PlacementRevoked: true, Applicant: &domain.Applicant{Name: "h", Degree: "master"}}}}}},
		&DashboardPage{Year: 2026, Scope: "s", Figures: Figures{Completion: domain.Completion{CompletionRate: &pct}}, Breakdowns: []BreakdownChart{{Field: "by_industry", Title: "行业", Rows: []BreakdownRow{{Label: "AI", Count: 2, Share: "100.0%"}}}},
			Monthly: []domain.MonthCount{{Month: "2026-01", Placements: 1}}, Awaiting: []domain.ReportsAwaiting{{ReportMonth: domain.ReportMonth{Year: 2026, Month: 7}, Zones: 2}},
			Overdue: []domain.ReportMonth{{Year: 2026, Month: 8}},
			Ranking: []domain.ZoneRow{{Code: "z", Completion: domain.Completion{CompletionRate: &pct}}}, RankingLabel: "zone", Late: []string{"z", "y"}, LateMonth: "2026-01",
			Pending: []EmployerRow{{Employer: domain.Employer{ID: "e", OrgDetails: domain.OrgDetails{Type: "enterprise"}}, Type: "企业", RegisteredIn: "广东省"}}, Review: []domain.Opening{{ID: "o"}},
			ChartJSON: template.JS("{}")},
		&ImportsPage{Kinds: []string{"employers"}, Job: &domain.ImportJob{ID: "j", CorrectableRows: 1}},
		&PlacementsPage{Statuses: []string{"active", "revoked"}, Years: []int{2026}, Total: 2, Refused: "r", RefusedID: "p1",
			Rows: []PlacementRow{{Placement: domain.Placement{ID: "p1", Status: "active"}, Place: "成都", CanRevoke: true},
				{Placement: domain.Placement{ID: "p2", Status: "revoked"}, Place: "成都", RevokedOn: "2026-12-06 20:50"}}},
		&EventOpeningsPage{Event: domain.Event{ID: "e", Kind: "livestream", Title: "t"}, Q: "q", Total: 60,
			Openings: []domain.Opening{{ID: "o", Title: "t", Employer: domain.EmployerRef{Name: "n"}}}, Pager: Pager{Page: 1, Pages: 2, Next: "/n"}},
		&EmployerPublicPage{Employer: domain.Employer{ID: "e", OrgDetails: domain.OrgDetails{Type: "enterprise", Size: "small"}}, Zone: &domain.Zone{NameZh: "z"}, VerifiedOn: "2026-01-01",
			Openings: domain.SearchResult{Items: []domain.SearchHit{{ID: "o", DegreeMin: "master"}}}},
		&EmployersPage{Filter: domain.EmployerFilter{Q: "q"}, Statuses: domain.EmployerStatuses, Total: 60,
			Rows:  []EmployerRow{{Employer: domain.Employer{ID: "e", Status: "pending"}, CanVerify: true, RegisteredIn: "广东省"}, {Employer: domain.Employer{ID: "v", Status: "verified"}, VerifiedOn: "2026-01-01"}},
			Pager: Pager{Page: 2, Pages: 2, Prev: "/staff/employers?q=q"}},
		&EmployerDetailsPage{EmployerRow: EmployerRow{Employer: domain.Employer{ID: "e", Status: "verified"}, VerifiedOn: "2026-01-01", CanVerify: true, RegisteredIn: "广东省"},
			VerifiedBy: "n", Accounts: []EmployerAccountRow{{EmployerAccount: domain.EmployerAccount{Email: "a@b.c", EmailVerified: true}}},
			Openings: []StatusCount{{Status: "draft", N: 1}}},
		&RegistrantsPage{Event: domain.Event{ID: "e", Title: "t"}, Rows: []domain.EventRegistrant{{GraduateID: "g", Name: "n", Degree: "master", CheckedInAt: &imported}, {GraduateID: "h", Name: "m", Degree: "doctor"}},
			Filter: domain.RegistrantFilter{Q: "n"}, Open: true, Total: 2, Pager: Pager{Page: 1, Pages: 2, Next: "/x?page=2"}},
		&AuditPage{Rows: []AuditRow{{Action: "k", Changes: []AuditChange{{Field: "f", After: "a"}}}}},
		&ReportVersionsPage{Zone: "z", Year: 2026, Month: 7, Versions: []VersionView{{Version: 2, Status: "submitted", Report: domain.MonthlyReport{Note: "n"},
			Changes: []FigureChange{{Field: "placements", Was: "1", Is: "2"}}, BreakdownChanges: []BreakdownChange{{Dimension: "d", Values: []ValueChange{{Value: "v", Was: 1, Is: 2}, {Value: "w", Is: 1}}}}},
			{Version: 1, Status: "returned", ReturnReason: &reason}}},
		&ReportsPage{Year: 2026, Month: 1, Reports: []domain.MonthlyReport{{State: "submitted", Version: 1, Note: "n"}}, Province: &domain.ProvinceReport{},
			Chases: map[string]domain.ChaseRecord{"": {Times: 2}}},
		&UnsubscribePage{Token: "t", Words: "unsubscribe.", Target: domain.UnsubscribeTarget{Name: "n", Mailed: true}},
		&ApplicantPage{Application: domain.Application{ID: "a", Status: "shortlisted", CoverLetter: "c", Opening: &domain.ApplicationOpening{Title: "t"},
			Applicant: &domain.Applicant{Name: "n", Degree: "master", Skills: []string{"s"}, HasResume: true}, History: []domain.ApplicationMove{{To: "submitted"}, {To: "hired", Note: "r", Kind: domain.StepPlacementRevoked}},
			InterviewSlots: []domain.InterviewSlot{{ID: "s", StartsAt: time.Unix(1e9, 0), EndsAt: time.Unix(1e9+3600, 0), OnlineURL: "https://x.test/j"}}},
			Ratings: []int{1, 2}, Form: Form{Values: map[string]string{"rating": "2", "note": "x"}, Errors: map[string]string{"note": "too long"}},
			OfferRows: []int{0, 1}, Offer: Form{Values: map[string]string{"slot1_location": "l"}, Errors: map[string]string{"slot1_ends_at": "bad", "interview_slots": "x"}}},
		&SavedPage{Items: []domain.SavedOpening{{Opening: domain.Opening{ID: "o", Title: "t"}}, {Opening: domain.Opening{ID: "p"}, Open: true}}, Total: 2},
		&StatusPage{Status: domain.SystemStatus{SearchUp: true, Heal: domain.SearchHeal{Outcome: domain.HealRebuild, Done: 1, Total: 2}}, Rebuilding: true, Outcome: "o", QueuesPath: QueuesPath},
		&MailPrefsPage{Kinds: []MailKindSwitch{{Kind: "status_change", On: true}, {Kind: "verify_email", On: true, Fixed: true}}, Frequency: "daily",
			Frequencies: []string{"immediate", "daily"}, Language: "zh", Languages: []string{"zh", "en"}, Form: Form{Errors: map[string]string{"language": "bad"}}},
		&MyEventsPage{Events: []MyEventView{{State: "upcoming", QR: "data:image/png;base64,AA=="}}, Waiting: []domain.Event{{ID: "w", Waitlist: &domain.WaitlistPlace{Position: 3}}}},
		&CheckinPage{Error: "expired"},
		&TargetsPage{Year: 2026, Earlier: 2027, Province: "51", Area: "a", Max: 9, Rows: []TargetRow{{Code: "z", Name: "n", Drill: "/staff/targets?province=51"}},
			Form: Form{Values: map[string]string{"target_positions.z": "x"}, Errors: map[string]string{"target_positions.z": "bad", "target_placements.z": "bad"}}},
		&SessionsPage{Sessions: []domain.SessionInfo{{ID: "s", CreatedAt: time.Unix(1e9, 0), LastUsedAt: time.Unix(1e9, 0), Client: "Chrome · Android", IP: "203.0.113.*", Current: true}}},
		&TOTPPage{Status: domain.TOTPStatus{Enabled: true, RecoveryCodesLeft: 7}, Enrolment: &domain.TOTPEnrolment{Secret: "K", URL: "otpauth://totp/x"}, QR: "data:image/png;base64,AA==", Recovery: []string{"a-b"}},
		&PickPage{Token: "t", Target: domain.SlotLink{Slot: domain.InterviewSlot{ID: "s", StartsAt: time.Unix(1e9, 0), EndsAt: time.Unix(1e9+3600, 0), Location: "l"}, OpeningTitle: "o"}},
	}
}

func testSite(t *testing.T) *Site {
	t.Helper()
	s := &Site{}
	var err error
	if s.cat, err = loadCatalogues(); err != nil {
		t.Fatal(err)
	}
	if err := s.parse(); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestEveryTemplateHasAView: each page template is drawn by exactly one view
// type, and each view names a template that exists.
func TestEveryTemplateHasAView(t *testing.T) {
	s := testSite(t)
	seen := map[string]string{}
	for _, v := range views() {
		name, typ := v.template(), reflect.TypeOf(v).Elem().Name()
		if _, ok := s.pages[name]; !ok {
			t.Errorf("%s names template %q, which does not exist", typ, name)
		}
		if other, dup := seen[name]; dup {
			t.Errorf("%s and %s both draw %q", other, typ, name)
		}
		seen[name] = typ
	}
	var missing []string
	for name := range s.pages {
		if _, ok := seen[name]; !ok {
			missing = append(missing, name)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("templates without a view in views(): %v", missing)
	}
}

// TestViewsRender executes every page, in both languages, with a filled view:
// a template that names a field its view does not have fails here.
func TestViewsRender(t *testing.T) {
	s := testSite(t)
	for _, v := range views() {
		for _, l := range []string{"zh", "en"} {
			*v.frame() = Layout{Lang: l, Path: "/", CSRF: "c", Caller: domain.Caller{UserID: "u", Role: domain.RoleGraduate}, Flash: "f"}
			if err := s.pages[v.template()].ExecuteTemplate(io.Discard, "layout.html", v); err != nil {
				t.Errorf("%s (%s): %v", v.template(), l, err)
			}
		}
	}
	// The search page's results are also rendered alone (results as you type).
	if err := s.pages["search/search"].ExecuteTemplate(io.Discard, "results", views()[1]); err != nil {
		t.Errorf("search results: %v", err)
	}
}

// TestAppointmentsSayBeijingTime: every page that shows an interview's or an
// event's time says the time is Beijing's, in both languages, as the public
// event pages do (an English walk found the interview times of the pick
// page, 我的 and the employer's pages, and the events of the employer's desk
// and the staff's events page, without it).
func TestAppointmentsSayBeijingTime(t *testing.T) {
	s := testSite(t)
	for _, v := range views() {
		switch v.(type) {
		case *MePage, *PickPage, *ApplicantPage, *BoardPage, *WorkbenchPage, *StaffEventsPage, *RegistrantsPage, *EventOpeningsPage,
			*EventsPage, *EventPage, *MyEventsPage:
		default:
			continue
		}
		for l, label := range map[string]string{"zh": "北京时间）", "en": "Beijing time)"} {
			*v.frame() = Layout{Lang: l, Path: "/", CSRF: "c", Caller: domain.Caller{UserID: "u", Role: domain.RoleGraduate}}
			var b strings.Builder
			if err := s.pages[v.template()].ExecuteTemplate(&b, "layout.html", v); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(b.String(), label) {
				t.Errorf("%s (%s) shows a time without %q", v.template(), l, label)
			}
		}
	}
	// The appointment itself, as the employer's applicant and board pages
	// show it too (their forms' "Starts (Beijing time)" is not beside it):
	// the weekday and the zone in one bracket (a walk read 「（周日）（北京时间）」
	// badly), each part whole on a phone.
	var b strings.Builder
	iv := &domain.Interview{StartsAt: time.Unix(1e9, 0), EndsAt: time.Unix(1e9+1800, 0), Location: "l"}
	if err := s.pages["applications/pick"].ExecuteTemplate(&b, "interview-slot", slotArgs{Lang: "en", Interview: iv}); err != nil ||
		b.String() != `<span class="interview-time">Interview: <span class="time-range"><span class="nowrap">2001-09-09 09:46–10:16</span><wbr><span class="nowrap"> (Sun, Beijing time)</span></span> <span class="place">· l</span></span>` {
		t.Errorf("the interview-slot partial: %q (%v)", b.String(), err)
	}
	// Past midnight its end's date stands apart (a walk found 「…2026-12-19
	// 00:3」 cut off at a board card's edge: the whole range was one piece).
	b.Reset()
	iv.EndsAt = time.Unix(1e9+15*3600, 0)
	if err := s.pages["applications/pick"].ExecuteTemplate(&b, "interview-slot", slotArgs{Lang: "zh", Interview: iv}); err != nil ||
		!strings.Contains(b.String(), `<span class="piece"><span class="nowrap">2001-09-09 09:46</span><wbr><span class="nowrap">（周日）–</span></span><span class="piece"><span class="nowrap">2001-09-10 00:46</span><wbr><span class="nowrap">（周一，北京时间）</span></span>`) {
		t.Errorf("an interview past midnight: %q (%v)", b.String(), err)
	}
	// An event's time the same way: its end a time of day on its day (a
	// walk read the date twice), with its date past midnight, each date
	// with its weekday (a walk read 周五 after Saturday's date); a line
	// breaks only between the pieces, or between a date and its bracket
	// (<wbr>) where the two do not fit a narrow column.
	start := time.Date(2027, 1, 15, 14, 0, 0, 0, domain.Shanghai)
	for end, want := range map[time.Time]string{
		start.Add(2 * time.Hour):  `<span class="time-range"><span class="nowrap">2027-01-15 14:00–16:00</span><wbr><span class="nowrap">（周五，北京时间）</span></span>`,
		start.Add(26 * time.Hour): `<span class="time-range"><span class="piece"><span class="nowrap">2027-01-15 14:00</span><wbr><span class="nowrap">（周五）–</span></span><span class="piece"><span class="nowrap">2027-01-16 16:00</span><wbr><span class="nowrap">（周六，北京时间）</span></span></span>`,
	} {
		b.Reset()
		if err := s.pages["events/event"].ExecuteTemplate(&b, "time-range", timeRange("zh", start, end)); err != nil || b.String() != want {
			t.Errorf("the time-range partial: %q (%v)", b.String(), err)
		}
	}
}

// Times of records (a notification's, the audit log's, a session's, a
// registration's) were shown without their zone, while appointments said
// 北京时间: the footer of every page says once that the site's times are
// Beijing time, rather than a label beside each of them.
func TestRecordTimesSayBeijingTime(t *testing.T) {
	s := testSite(t)
	at := time.Date(2026, 12, 6, 2, 30, 0, 0, time.UTC)
	for l, note := range map[string]string{"zh": "本站所示时间均为北京时间（UTC+8）", "en": "Times on this site are Beijing time (UTC+8)"} {
		for _, v := range []View{&NotificationsPage{Items: []domain.Notification{{CreatedAt: at}}},
			&AuditPage{Rows: []AuditRow{{At: at}}}, &SessionsPage{Sessions: []domain.SessionInfo{{CreatedAt: at, LastUsedAt: at}}},
			&RegistrantsPage{}} {
			*v.frame() = Layout{Lang: l, Path: "/", CSRF: "c", Caller: domain.Caller{UserID: "u", Role: domain.RoleZoneAdmin}}
			var b strings.Builder
			if err := s.pages[v.template()].ExecuteTemplate(&b, "layout.html", v); err != nil {
				t.Fatal(err)
			}
			page := html.UnescapeString(b.String())
			foot := page[strings.Index(page, `data-testid="footer"`):]
			if !strings.Contains(foot, note) || strings.Count(page, "UTC+8") != 1 {
				t.Errorf("%s (%s): the footer does not say %q once", v.template(), l, note)
			}
			if v.template() != "events/registrants" && !strings.Contains(page, "2026-12-06 10:30") {
				t.Errorf("%s (%s) does not show the time in Beijing", v.template(), l)
			}
		}
	}
}

// The desk's column of filled places out of the headcount reads "Filled
// 0/7" (an English walk read "Hiring 0/7" as hiring none of seven).
func TestWorkbenchColumnSaysFilled(t *testing.T) {
	s := testSite(t)
	for l, want := range map[string]string{"en": "Filled", "zh": "已录用"} {
		v := &WorkbenchPage{Me: domain.Me{Employer: &domain.Employer{Status: "verified"}}, Openings: []WorkbenchOpening{{Opening: domain.Opening{ID: "o", Status: "published", Headcount: 7}}}}
		v.Layout = Layout{Lang: l, Path: "/employer", CSRF: "c", Caller: domain.Caller{UserID: "u", Role: domain.RoleEmployer}}
		var b strings.Builder
		if err := s.pages[v.template()].ExecuteTemplate(&b, "layout.html", v); err != nil {
			t.Fatal(err)
		}
		if page := b.String(); !strings.Contains(page, "<th>"+want+"</th>") || !strings.Contains(page, `data-label="`+want+`">0/7</td>`) {
			t.Errorf("the desk's column (%s) is not %q", l, want)
		}
	}
}

// TestViewsCarryNoLooseValues: no view holds, at any depth, an empty
// interface (any) or a map of them — everything a template reads has a type.
func TestViewsCarryNoLooseValues(t *testing.T) {
	for _, v := range views() {
		root := reflect.TypeOf(v).Elem()
		if path := loose(root, root.Name(), map[reflect.Type]bool{}); path != "" {
			t.Errorf("%s carries an untyped value at %s", root.Name(), path)
		}
	}
}

// loose returns the path to the first `any` inside t, or "".
func loose(t reflect.Type, path string, seen map[reflect.Type]bool) string {
	if seen[t] {
		return ""
	}
	seen[t] = true
	switch t.Kind() {
	case reflect.Interface:
		if t.NumMethod() == 0 {
			return path
		}
	case reflect.Pointer, reflect.Slice, reflect.Array:
		return loose(t.Elem(), path+"[]", seen)
	case reflect.Map:
		if p := loose(t.Key(), path+"{key}", seen); p != "" {
			return p
		}
		return loose(t.Elem(), path+"{}", seen)
	case reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if p := loose(f.Type, path+"."+f.Name, seen); p != "" {
				return p
			}
		}
	}
	return ""
}

// TestLooseCheckFails shows the check above catches what it is for.
func TestLooseCheckFails(t *testing.T) {
	type bad struct {
		Layout
		Data map[string]any
	}
	if loose(reflect.TypeOf(bad{}), "bad", map[reflect.Type]bool{}) == "" {
		t.Fatal("a map[string]any in a view went unnoticed")
	}
}

// TestNoLooseMapsInWebUI: the package builds no map[string]any at all (the
// old way of feeding templates), so none can drift back in beside the views.
func TestNoLooseMapsInWebUI(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, bad := range []string{"map[string]any", "map[string]interface{}"} {
			if strings.Contains(string(b), bad) {
				t.Errorf("%s uses %s: give the page a typed view instead", f, bad)
			}
		}
	}
}

// Every error code the domain can return has a message in both languages,
// so a refused action is never shown as a bare English code (issue 15).
// The codes are read from the source of the Code constants, so a new code
// without a message fails here, not in front of a user.
func TestEveryErrorCodeHasAMessage(t *testing.T) {
	cat, err := loadCatalogues()
	if err != nil {
		t.Fatal(err)
	}
	codes := domainCodes(t)
	if len(codes) < 20 {
		t.Fatalf("read %d codes from internal/domain/errors.go; the parser missed them", len(codes))
	}
	for _, code := range codes {
		for _, lang := range []string{"zh", "en"} {
			if _, ok := cat.lookup(lang, "code."+code); !ok {
				t.Errorf("web/i18n/%s.json has no \"code.%s\"", lang, code)
			}
		}
	}
}

// The two catalogues have the same keys: a string added in one language
// only would show the other language's fallback to half the readers.
func TestCataloguesHaveTheSameKeys(t *testing.T) {
	cat, err := loadCatalogues()
	if err != nil {
		t.Fatal(err)
	}
	for _, pair := range [][2]string{{"zh", "en"}, {"en", "zh"}} {
		var missing []string
		for k := range cat[pair[0]] {
			if _, ok := cat[pair[1]][k]; !ok {
				missing = append(missing, k)
			}
		}
		sort.Strings(missing)
		for _, k := range missing {
			t.Errorf("%q is in %s.json but not in %s.json", k, pair[0], pair[1])
		}
	}
}

// domainCodes are the string values of every constant of type Code.
func domainCodes(t *testing.T) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "../domain/errors.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	ast.Inspect(f, func(n ast.Node) bool {
		spec, ok := n.(*ast.ValueSpec)
		if !ok {
			return true
		}
		if id, ok := spec.Type.(*ast.Ident); !ok || id.Name != "Code" {
			return true
		}
		for _, v := range spec.Values {
			if lit, ok := v.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				s, _ := strconv.Unquote(lit.Value)
				codes = append(codes, s)
			}
		}
		return true
	})
	return codes
}

// A count of one reads in the singular in English ("1 opening"), whatever
// integer type carries it; other counts and Chinese keep their text.
func TestCountsOfOneAreSingular(t *testing.T) {
	cat, err := loadCatalogues()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		lang, key string
		v         any
		want      string
	}{
		{"en", "search.results", int64(1), "1 opening"},
		{"en", "search.results", 1, "1 opening"},
		{"en", "search.results", int64(0), "0 openings"},
		{"en", "search.results", 21, "21 openings"},
		{"en", "event.opening_clicks", 1, "1 click"},
		{"en", "employer.interviews_today", 1, "1 interview today"},
		{"en", "privacy.views_total", 1, "1 read in all"},
		{"en", "opening.response", 1, "This employer usually answers within a day"},
		{"en", "opening.response", 3, "This employer usually answers within 3 days"},
		{"zh", "search.results", 1, "共 1 个岗位"},
		// An English walk: "1 new applications to this opening are
		// unanswered", and counts it read in the code.
		{"en", "confirm.close_opening_unanswered", 1, "1 new application to this opening is unanswered."},
		{"en", "confirm.close_opening_unanswered", 2, "2 new applications to this opening are unanswered."},
		{"en", "notice.months", 1, "1 month"},
		{"en", "notice.months", 24, "24 months"},
		{"en", "notice.days", 1, "1 day"},
		{"en", "bulk.moved", 1, "1 applicant moved to"},
		{"en", "bulk.moved", 3, "3 applicants moved to"},
		{"zh", "notice.months", 1, "1 个月"},
	} {
		if got := cat.tf(c.lang, c.key, c.v); got != c.want && !strings.HasPrefix(got, c.want+" ") { // a long text: its first words
			t.Errorf("%s %s %v: %q, want %q", c.lang, c.key, c.v, got, c.want)
		}
	}
	// The 催报 flash's counts are filled by fmt.Sprintf.
	for _, c := range []struct {
		key  string
		args []any
		want string
	}{
		{"staff.chase_done", []any{1, 0}, "Reminded 1 zone (0 already reminded today)"},
		{"staff.chase_done", []any{2, 1}, "Reminded 2 zones (1 already reminded today)"},
		{"staff.chase_unreached", []any{1, "Z"}, "1 zone has no staff account and was not reminded; reach it another way: Z"},
		{"staff.chase_unreached", []any{2, "Z, Y"}, "2 zones have no staff account and were not reminded; reach them another way: Z, Y"},
	} {
		if got := fmt.Sprintf(cat.count("en", c.key, c.args[0] == 1), c.args...); got != c.want {
			t.Errorf("%s %v: %q, want %q", c.key, c.args, got, c.want)
		}
	}
}

// A browser walk heard "main" and "pages" read out on Chinese pages: an
// aria-label a screen reader speaks comes from the catalogue, like the
// text on the page.
func TestAriaLabelsAreTranslated(t *testing.T) {
	files, err := filepath.Glob("../../web/templates/*/*.html")
	if err != nil || len(files) == 0 {
		t.Fatalf("templates: %v", err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		for i := strings.Index(s, `aria-label="`); i >= 0; i = strings.Index(s, `aria-label="`) {
			s = s[i+len(`aria-label="`):]
			if !strings.HasPrefix(s, "{{") {
				t.Errorf("%s: aria-label=%q is not from the catalogue", f, s[:strings.IndexByte(s, '"')])
			}
		}
	}
}

// A review: the charts' palette had 10 colours for 15 industries, so two
// rows of a breakdown table could show one colour. Every value of every
// dimension has a colour of its own.
func TestChartPaletteCoversEveryDimension(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range chartPalette {
		if seen[c] {
			t.Errorf("the palette repeats %s", c)
		}
		seen[c] = true
	}
	for _, d := range domain.Dimensions {
		if len(d.Terms) > len(chartPalette) {
			t.Errorf("%s has %d values, the palette %d colours", d.Key, len(d.Terms), len(chartPalette))
		}
	}
}

// An employer walk read an import's "not one of the column's choices" in
// English on the Chinese page: the reason holds ": ", and the page cut it
// there as if a column named it.
func TestImportReasonWithItsOwnColon(t *testing.T) {
	p := &ImportsPage{Layout: Layout{Lang: "zh"}}
	reason := strings.ReplaceAll(domain.ReasonNotAChoice, "{v}", "文科")
	for _, e := range []domain.ImportError{{Column: "学科门类", Reason: reason}, {Column: "", Reason: "学科门类: " + reason}} {
		if got := p.Reason(e); !strings.Contains(got, "「文科」不是可选的值") || strings.Contains(got, "choices") {
			t.Errorf("%q reads %q", e.Reason, got)
		}
	}
}

// An import probe's 5,000 rows refused for one reason made a page of 5,000
// identical lines: the page lists each column and reason once, with its
// rows as ranges, in the order the problems first occur.
func TestImportProblemsGrouped(t *testing.T) {
	code := domain.ImportError{Column: "统一社会信用代码", Reason: "no employer with this credit code in your zone"}
	var errs []domain.ImportError
	for row := 2; row <= 5001; row++ {
		e := code
		e.Row = row
		errs = append(errs, e)
	}
	errs = append(errs, domain.ImportError{Row: 9, Column: "招聘人数", Reason: "must be a whole number"},
		domain.ImportError{Row: 5003, Column: code.Column, Reason: code.Reason})
	p := &ImportsPage{Layout: Layout{Lang: "zh"}, Job: &domain.ImportJob{ID: "j1", Errors: errs, CorrectableRows: 5002}}
	got := p.Problems()
	if len(got) != 2 || got[0].Rows != "2–5001, 5003" || got[0].Count != 5001 || got[0].First.Column != code.Column ||
		got[1].Rows != "9" || got[1].Count != 1 {
		t.Fatalf("grouped: %+v", got)
	}
	// Rows refused every other one listed them all: a walk's 3,000 made a
	// box 4,900 px tall. The first runs, then how many more (the
	// corrections workbook holds them all).
	var every []int
	for row := 3; row <= 6001; row += 2 {
		every = append(every, row)
	}
	if got := rowRanges(every); got != "3, 5, 7, 9, 11, 13, 15, 17, 19, 21 …" {
		t.Errorf("3,000 rows every other one: %.200s", got)
	}
	var b strings.Builder
	if err := testSite(t).pages["staff/imports"].ExecuteTemplate(&b, "content", p); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(b.String(), "<li data-rows="); n != 2 || !strings.Contains(b.String(), "共 5001 行： #2–5001, 5003 统一社会信用代码：本园区没有使用该统一社会信用代码的单位") {
		t.Errorf("%d lines:\n%s", n, b.String())
	}
	// An import probe: a row hidden by a filter was imported. It is skipped
	// and the page says how many were (TestImportReadsSheetsAsOfficersKeepThem).
	if strings.Contains(b.String(), "import-hidden") {
		t.Errorf("a job that skipped no hidden row says it did:\n%s", b.String())
	}
	// Named once, with their rows, in their own line: not again among the
	// problems (a walk read the hidden row twice).
	hidden := *p
	job := *p.Job
	job.HiddenRows, hidden.Job = 3, &job
	for _, row := range []int{7, 8, 12} {
		job.Errors = append(job.Errors, domain.ImportError{Row: row, Reason: domain.ReasonHiddenRow})
	}
	var h strings.Builder
	if err := testSite(t).pages["staff/imports"].ExecuteTemplate(&h, "content", &hidden); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(h.String(), `<p class="meta" data-testid="import-hidden">跳过了 3 个隐藏的行（#7–8, 12）：`) ||
		strings.Count(h.String(), "<li data-rows=") != 2 {
		t.Errorf("the skipped hidden rows are not told once:\n%s", h.String())
	}
	// With hidden rows its only notes, the job has no problem rows to head
	// (a walk read 「问题行」 over an empty list).
	job.Errors = job.Errors[len(job.Errors)-3:]
	h.Reset()
	if err := testSite(t).pages["staff/imports"].ExecuteTemplate(&h, "content", &hidden); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(h.String(), `data-testid="import-errors"`) || !strings.Contains(h.String(), `data-testid="import-hidden"`) {
		t.Errorf("a job with hidden rows alone:\n%s", h.String())
	}
	// A failed import says what to do next (a walk read 「失败，未导入任何行」
	// alone after a server stopped mid-import).
	failed := *p
	fjob := *p.Job
	fjob.Status, fjob.Errors, failed.Job = "failed", nil, &fjob
	var fb strings.Builder
	if err := testSite(t).pages["staff/imports"].ExecuteTemplate(&fb, "content", &failed); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(fb.String(), `data-testid="import-failed">导入未能完成`) || strings.Contains(b.String(), "import-failed") {
		t.Errorf("a failed import does not say what next:\n%s", fb.String())
	}
	// The refused rows come as a workbook to correct (TestImportRefusedRowsToCorrect).
	if !strings.Contains(b.String(), `<a href="/api/v1/imports/j1/refused.xlsx" data-testid="import-corrections" download>下载这 5002 行，改正后重新上传</a>`) {
		t.Errorf("no link to the rows to correct:\n%s", b.String())
	}
}

// A version's changed figures read as the report above them (walk35 read
// 「41.7 → 100」 under 100.0%): rates as percentages, counts whole.
func TestVersionFiguresReadAsTheReport(t *testing.T) {
	for _, c := range []struct {
		field string
		v     any
		want  string
	}{
		{"completion_rate", 41.66666, "41.7%"},
		{"completion_rate", 100.0, "100.0%"},
		{"yoy_growth", nil, "—"},
		{"placements", 4.0, "4"},
	} {
		if got := figure(c.field, c.v); got != c.want {
			t.Errorf("figure(%s, %v) = %q, want %q", c.field, c.v, got, c.want)
		}
	}
}

// A figure a version or an audit line changed is named as the dashboard
// names it (walk41a read 占全省比例（%） under a version, 占全省比重 on the
// dashboard; the audit said 录用目标 of the 招录目标 set on the targets page).
func TestFiguresNamedAsTheDashboard(t *testing.T) {
	cat, err := loadCatalogues()
	if err != nil {
		t.Fatal(err)
	}
	for key, column := range map[string]string{"reports.figure.target_positions": "staff.target_positions",
		"reports.figure.positions_completion_rate": "staff.positions_completion", "reports.figure.target_placements": "staff.target_placements",
		"reports.figure.yoy_growth": "staff.yoy", "reports.figure.province_share": "staff.province_share",
		"audit.field.target_positions": "staff.target_positions", "audit.field.target_placements": "staff.target_placements",
		"audit.field.placements": "staff.placements", "audit.field.positions_developed": "staff.positions"} {
		for _, lang := range []string{"zh", "en"} {
			name, want := cat.t(lang, key), cat.t(lang, column)
			if name != want && name != want+"（%）" && name != want+" (%)" {
				t.Errorf("%s: %q as %s, %q on the dashboard", lang, name, key, want)
			}
		}
	}
}

// A key written twice in a catalogue is refused when it is read: the later
// text won silently, and a page's label given the name of a count's key
// relabelled the count on every dashboard (walk36).
func TestCatalogueRefusesAKeyWrittenTwice(t *testing.T) {
	if _, err := readCatalogue([]byte(`{"staff.placements": "已招录", "staff.placements": "录用名单"}`)); err == nil || !strings.Contains(err.Error(), "written twice") {
		t.Errorf("a key written twice: %v", err)
	}
	if m, err := readCatalogue([]byte(`{"a": "1", "b": "2"}`)); err != nil || m["b"] != "2" {
		t.Errorf("a catalogue: %v %v", m, err)
	}
	// Cut short, or followed by more, it is refused as json.Unmarshal
	// refused it (review37).
	for _, bad := range []string{`{"a": "1"`, `{"a": "1",`, `{"a": "1"} {"b": "2"}`, `{"a": "1"} x`, `[]`} {
		if m, err := readCatalogue([]byte(bad)); err == nil {
			t.Errorf("%s read as %v", bad, m)
		}
	}
}
