// Package seed loads the demo data of `gradzone seed --demo`: staff,
// employers and openings across many zones, graduates with applications and
// placements, two events (a livestream and a recruitment week), and past
// years that reproduce the programme's published 2024 figures exactly from
// raw rows. Every step is idempotent.
package seed

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/gradzone/gradzone/internal/auth"
	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/postgres"
)

// PasswordEnv names the variable that, when set, holds the demo accounts'
// password; otherwise `seed --demo` generates one and prints it once. No
// password is fixed in the code: a known one would open every demo-seeded
// database (issue 12).
const PasswordEnv = "GRADZONE_DEMO_PASSWORD"

// ErrNotDemo refuses to seed a database that holds accounts the demo did not
// make, unless forced.
var ErrNotDemo = errors.New("the database holds accounts that are not demo accounts; seeding would add accounts with a printed password to it (use --force to seed anyway)")

// Demo sign-ins (README lists them).
const (
	MinistryEmail = "ministry@demo.gradzone.cn"
	ProvinceEmail = "sichuan@demo.gradzone.cn"
	ZoneEmail     = "chengdu@demo.gradzone.cn"
	EmployerEmail = "hr@zhisuan.demo.gradzone.cn"
	GraduateEmail = "lihua@demo.gradzone.cn"
)

// Progress is told about each step and the work done in it.
type Progress interface {
	Step(name string, total int)
	Add(n int)
}

// Seeder loads the demo into a store.
type Seeder struct {
	Store    *postgres.Store
	Progress Progress
	// Password is every demo account's password (at least 8 characters);
	// existing demo accounts are given it too.
	Password string
	// Force seeds even when the database holds non-demo accounts.
	Force bool
	// Now is the real time; current-year activity is dated before it.
	Now    func() time.Time
	hash   string
	rng    *rand.Rand
	lastAt time.Time // the day the store's clock was last set to
}

// Run loads everything.
func (s *Seeder) Run(ctx context.Context) error {
	// Checked first as any new password is (GRADZONE_DEMO_PASSWORD=password
	// seeded until the staff accounts, then failed with the map of fields).
	var v domain.Validation
	domain.CheckPassword(&v, "password", s.Password)
	var invalid *domain.Error
	if err := v.Err(); errors.As(err, &invalid) {
		return fmt.Errorf("the demo password (%s) %s", PasswordEnv, invalid.Fields["password"])
	}
	if !s.Force {
		n, err := s.Store.NonDemoAccounts(ctx)
		if err != nil {
			return err
		}
		if n > 0 {
			return ErrNotDemo
		}
	}
	var err error
	if s.hash, err = auth.NewHasher(1).Hash(ctx, s.Password); err != nil {
		return err
	}
	if err := s.Store.SetDemoPasswords(ctx, s.hash); err != nil {
		return err
	}
	s.rng = rand.New(rand.NewPCG(2026, 178))
	defer s.Store.SetClock(time.Now)
	steps := []struct {
		name string
		fn   func(context.Context) error
	}{
		{"staff accounts", s.staff},
		{"employers and openings", s.openings},
		{"graduates, applications, placements", s.applications},
		{"events", s.events},
		{"past years (2020–2024)", s.history},
		{"targets", s.quotas},
		{"progress counters", func(ctx context.Context) error { return s.Store.RebuildCounters(ctx) }},
		{"search index", func(ctx context.Context) error { _, err := s.Store.EnqueueIndexAll(ctx); return err }},
	}
	for _, st := range steps {
		if err := st.fn(ctx); err != nil {
			return fmt.Errorf("seed %s: %w", st.name, err)
		}
	}
	return nil
}

func exists(err error) bool {
	return domain.CodeOf(err) == domain.CodeEmailTaken || domain.CodeOf(err) == domain.CodeCreditCodeTaken
}

// caller returns the signed-in form of an existing account.
func (s *Seeder) caller(ctx context.Context, email string) (domain.Caller, error) {
	_, c, err := s.Store.UserByEmail(ctx, email)
	return c, err
}

func (s *Seeder) staff(ctx context.Context) error {
	accounts := []domain.StaffAccount{
		{Role: domain.RoleMinistryAdmin, Email: MinistryEmail, Name: "火炬中心 演示账号"},
		{Role: domain.RoleProvinceAdmin, Email: ProvinceEmail, Name: "四川省科技厅 演示账号", ProvinceCode: "51"},
		{Role: domain.RoleProvinceAdmin, Email: "guangdong@demo.gradzone.cn", Name: "广东省科技厅 演示账号", ProvinceCode: "44"},
		{Role: domain.RoleProvinceAdmin, Email: "zhejiang@demo.gradzone.cn", Name: "浙江省科技厅 演示账号", ProvinceCode: "33"},
		{Role: domain.RoleZoneAdmin, Email: ZoneEmail, Name: "成都高新区 演示账号", ZoneCode: "sichuan-chengdu"},
	}
	for _, e := range employers {
		if e.Zone != "" && e.Zone != "sichuan-chengdu" {
			accounts = append(accounts, domain.StaffAccount{Role: domain.RoleZoneAdmin, Email: "zone." + e.Zone + "@demo.gradzone.cn", Name: "高新区管委会", ZoneCode: e.Zone})
		}
	}
	s.Progress.Step("staff accounts", len(accounts))
	for _, a := range accounts {
		a.Password = s.Password
		if err := a.Validate(); err != nil {
			return err
		}
		if _, err := s.Store.CreateStaff(ctx, a, s.hash); err != nil && !exists(err) {
			return err
		}
		s.Progress.Add(1)
	}
	return nil
}

// supervisor returns the staff account that verifies and approves for an employer.
func (s *Seeder) supervisor(ctx context.Context, e employerSpec) (domain.Caller, error) {
	switch {
	case e.Zone == "sichuan-chengdu":
		return s.caller(ctx, ZoneEmail)
	case e.Zone != "":
		return s.caller(ctx, "zone."+e.Zone+"@demo.gradzone.cn")
	case e.Province == "51":
		return s.caller(ctx, ProvinceEmail)
	case e.Province == "44":
		return s.caller(ctx, "guangdong@demo.gradzone.cn")
	default:
		return s.caller(ctx, "zhejiang@demo.gradzone.cn")
	}
}

// creditCode is the i-th demo employer's code, registered in the province
// it states (staff see a code registered elsewhere marked for checking).
func creditCode(i int) string {
	return domain.CompleteCreditCode(fmt.Sprintf("91%s0100%09d", employers[i].Province, 700000000+i))
}

// demoEmployer finds the i-th demo employer. A demo seeded before the
// codes followed the province registered every code in Chengdu (510100);
// `make run` seeds again into that database, so that code is asked too.
func (s *Seeder) demoEmployer(ctx context.Context, i int) (domain.Employer, error) {
	e, err := s.Store.EmployerByCreditCode(ctx, creditCode(i))
	if errors.Is(err, domain.ErrNotFound) {
		return s.Store.EmployerByCreditCode(ctx, domain.CompleteCreditCode(fmt.Sprintf("91510100%09d", 700000000+i)))
	}
	return e, err
}

// year is the current year in Asia/Shanghai (not the server's: a demo
// seeded on New Year's Eve in UTC is in Beijing's new year).
func (s *Seeder) year() int { return domain.DateOf(s.Now()).Year }

// at sets the store's clock to a day of the current year, so approvals and
// hires are spread over the months before today.
func (s *Seeder) at(month, day int) {
	now := s.Now()
	t := time.Date(s.year(), time.Month(month), day, 10, 0, 0, 0, domain.Shanghai)
	if t.After(now) {
		t = now.Add(-time.Hour)
	}
	s.lastAt = t
	s.Store.SetClock(func() time.Time { return t })
}

func (s *Seeder) openings(ctx context.Context) error {
	s.Progress.Step("employers and openings", len(employers))
	year := s.year()
	for i, e := range employers {
		email := fmt.Sprintf("hr%02d@demo.gradzone.cn", i)
		if i == 0 {
			email = EmployerEmail
		}
		reg := domain.EmployerRegistration{Email: email, Password: s.Password, Name: name(i + 7),
			Organisation: domain.Organisation{OrgDetails: domain.OrgDetails{Name: e.Name, CreditCode: creditCode(i), Type: e.Type, Size: e.Size,
				Industry: e.Industry, ProvinceCode: e.Province}, ZoneCode: e.Zone}}
		if err := reg.Validate(); err != nil {
			return fmt.Errorf("%s: %w", e.Name, err)
		}
		_, emp, err := s.Store.CreateEmployerAccount(ctx, reg, s.hash)
		if exists(err) {
			s.Progress.Add(1)
			continue // loaded by an earlier run
		}
		if err != nil {
			return err
		}
		sup, err := s.supervisor(ctx, e)
		if err != nil {
			return err
		}
		if _, err := s.Store.VerifyEmployer(ctx, sup, emp.ID); err != nil {
			return err
		}
		_, ec, err := s.Store.UserByEmail(ctx, email)
		if err != nil {
			return err
		}
		n := 6 + s.rng.IntN(8)
		for k := 0; k < n; k++ {
			in := s.openingInput(e, k, year)
			s.at(3+s.rng.IntN(9), 1+s.rng.IntN(28))
			o, _, err := s.Store.CreateOpening(ctx, ec, in)
			if err != nil {
				return fmt.Errorf("%s %q: %w", e.Name, in.Title, err)
			}
			if _, err := s.Store.SubmitOpening(ctx, ec, o.ID); err != nil {
				return err
			}
			// A few stay in the review queue or as drafts, as in real life.
			if k == n-1 && i%3 == 0 {
				continue
			}
			// Published k minutes before its day's hour: an employer's k-th
			// opening is older than every employer's first, so the front page
			// (newest first) shows many employers even when several days are
			// cut to today (at); approved back to back, one employer's
			// openings filled it.
			on := s.lastAt.Add(-time.Duration(k) * time.Minute)
			s.Store.SetClock(func() time.Time { return on })
			if _, err := s.Store.ApproveOpening(ctx, sup, o.ID); err != nil {
				return err
			}
		}
		s.Progress.Add(1)
	}
	return nil
}

// joinOverlapping joins a topic and a role, writing once what ends one and
// begins the other: 大模型训练数据 and 数据分析助理 make 大模型训练数据分析助理
// (a walk read 大模型训练数据数据分析助理 in the demo).
func joinOverlapping(topic, role string) string {
	for i := range topic {
		if strings.HasPrefix(role, topic[i:]) {
			return topic[:i] + role
		}
	}
	return topic + role
}

func (s *Seeder) openingInput(e employerSpec, k, year int) domain.OpeningInput {
	ts := topics[e.Industry]
	topic := ts[k%len(ts)]
	role := roles[(k+len(e.Name))%len(roles)]
	title := joinOverlapping(topic, role)
	switch {
	case topic == "Machine Learning":
		title = "Machine Learning Research Assistant（机器学习科研助理）"
	case k%5 == 3:
		title = fmt.Sprintf("%d届%s", year, title)
	}
	degree := []string{"bachelor", "master", "bachelor", "master", "doctor", "associate"}[k%6]
	salary := 4000 + 500*s.rng.IntN(10)
	if degree == "doctor" {
		salary += 4000
	}
	desc := fmt.Sprintf("%s面向%d届高校毕业生招聘%s，参与%s方向课题研究：文献调研、实验设计与数据整理，协助撰写研究报告与专利。"+
		"岗位纳入科研助理岗位专项计划，提供导师指导、社会保险和住房补贴。工作地点：%s。",
		e.Name, year, role, topic, e.City)
	deadline := domain.DateOf(s.Now()).AddDays(30 + s.rng.IntN(150))
	return domain.OpeningInput{Title: title, Description: desc, Discipline: disciplineOf[e.Industry], Industry: e.Industry,
		DegreeMin: degree, Majors: majorsOf[e.Industry], Headcount: 1 + s.rng.IntN(8), City: e.City,
		SalaryMin: salary, SalaryMax: salary + 2000 + 500*s.rng.IntN(6), Deadline: deadline.String()}
}

func (s *Seeder) applications(ctx context.Context) error {
	const graduates = 80
	s.Progress.Step("graduates, applications, placements", graduates)
	year := s.year()
	s.Store.SetClock(s.Now)
	published, _, err := s.Store.ManagedOpenings(ctx, domain.Caller{Role: domain.RoleMinistryAdmin}, domain.OpeningPublished, domain.Page{Page: 1, PerPage: 1000})
	if err != nil {
		return err
	}
	if len(published) == 0 {
		return errors.New("no published openings to apply to")
	}
	callers, err := s.employerCallers(ctx)
	if err != nil {
		return err
	}
	// Only the demo's own openings: the database may hold real ones too.
	demo := published[:0]
	for _, o := range published {
		if _, ok := callers[o.Employer.ID]; ok {
			demo = append(demo, o)
		}
	}
	published = demo
	for i := 0; i < graduates; i++ {
		email := fmt.Sprintf("grad%02d@demo.gradzone.cn", i)
		if i == 0 {
			email = GraduateEmail
		}
		reg := domain.GraduateRegistration{Email: email, Password: s.Password, Name: name(i), University: universities[i%len(universities)],
			Degree: []string{"bachelor", "master", "master", "doctor"}[i%4], Major: majorsOf[employers[i%len(employers)].Industry][0], GraduationYear: year}
		if i == 0 {
			reg.Name, reg.Major, reg.Degree = "李华", "计算机科学与技术", "master"
		}
		if err := reg.Validate(year); err != nil {
			return err
		}
		u, err := s.Store.CreateGraduate(ctx, reg, s.hash)
		if exists(err) {
			s.Progress.Add(1)
			continue
		}
		if err != nil {
			return err
		}
		g := domain.Caller{UserID: u.ID, Role: domain.RoleGraduate}
		phone := fmt.Sprintf("1380000%04d", i)
		cities := []string{employers[i%len(employers)].City}
		if _, err := s.Store.UpdateProfile(ctx, g, domain.ProfilePatch{Phone: &phone, PreferredCities: &cities}); err != nil {
			return err
		}
		// Each graduate applies to a few openings; some go all the way.
		for k := 0; k < 3; k++ {
			o := published[s.rng.IntN(len(published))]
			stage := (i + k) % 6
			hire := stage == 0 && i != 0
			var month, day int
			if hire {
				month, day = 5+s.rng.IntN(4), 1+s.rng.IntN(20)
				// A hire in the current year's sprint: the graduate applies
				// then, and is hired a week later (never before applying).
				s.at(month, day)
			}
			step := func(int) {}
			if !hire {
				step = s.steps(o, 3+(i*3+k*5)%12)
				step(0)
			}
			app, _, err := s.Store.Apply(ctx, g, domain.ApplyRequest{OpeningID: o.ID, CoverLetter: "您好，我对该岗位很感兴趣，附上简历，期待回复。"})
			if err != nil {
				s.Store.SetClock(s.Now)
				continue // already applied, full
			}
			ec := callers[o.Employer.ID]
			switch {
			case hire:
				s.at(month, day+7)
				s.Store.Transition(ctx, ec, app.ID, domain.Transition{To: domain.AppOffered})
				s.Store.Transition(ctx, g, app.ID, domain.Transition{To: domain.AppAccepted})
				hired := domain.DateOf(s.lastAt)
				s.Store.Transition(ctx, ec, app.ID, domain.Transition{To: domain.AppHired, HiredOn: hired.String()})
				s.Store.SetClock(s.Now)
			case stage == 1:
				step(1)
				s.Store.Transition(ctx, ec, app.ID, domain.Transition{To: domain.AppShortlisted})
			case stage == 2:
				step(1)
				s.Store.Transition(ctx, ec, app.ID, domain.Transition{To: domain.AppShortlisted})
				step(2)
				s.Store.Transition(ctx, ec, app.ID, domain.Transition{To: domain.AppInterview, Note: "线上面试，请留意短信通知"})
			case stage == 3:
				step(2)
				s.Store.Transition(ctx, ec, app.ID, domain.Transition{To: domain.AppOffered, Note: "欢迎加入课题组"})
			}
			s.Store.SetClock(s.Now)
		}
		s.Progress.Add(1)
	}
	return nil
}

// steps dates an application that is not a hire as a timeline: made
// daysAgo days ago, not before its opening was published, each later step
// (step(n)) a day after the one before, the last before now. It returns
// the function that sets the store's clock to step n.
func (s *Seeder) steps(o domain.Opening, daysAgo int) func(n int) {
	now := s.Now()
	start := now.AddDate(0, 0, -daysAgo)
	if o.PublishedAt != nil && o.PublishedAt.After(start) {
		start = o.PublishedAt.Add(time.Hour)
	}
	gap := min(24*time.Hour, now.Sub(start)/3)
	return func(n int) {
		at := start.Add(time.Duration(n) * gap)
		s.Store.SetClock(func() time.Time { return at })
	}
}

// employerCallers maps each demo employer's ID to its signed-in user.
func (s *Seeder) employerCallers(ctx context.Context) (map[string]domain.Caller, error) {
	out := map[string]domain.Caller{}
	for i := range employers {
		email := fmt.Sprintf("hr%02d@demo.gradzone.cn", i)
		if i == 0 {
			email = EmployerEmail
		}
		_, c, err := s.Store.UserByEmail(ctx, email)
		if err != nil {
			return nil, err
		}
		out[c.EmployerID] = c
	}
	return out, nil
}

// events creates a Chengdu livestream running now and a province-wide
// recruitment week, with openings attached, once.
func (s *Seeder) events(ctx context.Context) error {
	s.Progress.Step("events", 2)
	zone, err := s.caller(ctx, ZoneEmail)
	if err != nil {
		return err
	}
	existing, _, err := s.Store.Events(ctx, domain.Caller{}, domain.EventFilter{Zone: "sichuan-chengdu"}, domain.Page{Page: 1, PerPage: 10})
	if err != nil || len(existing) > 0 {
		s.Progress.Add(2)
		return err
	}
	now := s.Now()
	stream := "https://live.example.cn/chengdu-hitech"
	specs := []domain.EventInput{
		{Kind: "livestream", Title: "成都高新区科研助理岗位直播带岗", ZoneCode: "sichuan-chengdu", Campaign: "四川省科研助理招聘周",
			StartsAt: now.Add(-2 * time.Hour).Format(time.RFC3339), EndsAt: now.Add(5 * 24 * time.Hour).Format(time.RFC3339),
			Description: "高新区重点企业、高校院所HR在线讲解科研助理岗位，直播间投递简历优先处理。", StreamURL: &stream},
		{Kind: "recruitment_week", Title: "成都高新区科研助理招聘周", ZoneCode: "sichuan-chengdu", Campaign: "四川省科研助理招聘周",
			StartsAt: now.Add(3 * 24 * time.Hour).Format(time.RFC3339), EndsAt: now.Add(10 * 24 * time.Hour).Format(time.RFC3339),
			Description: "线下双选会与线上岗位发布同步进行，现场签到领取岗位手册。"},
	}
	ops, _, err := s.Store.ManagedOpenings(ctx, zone, domain.OpeningPublished, domain.Page{Page: 1, PerPage: 50})
	if err != nil {
		return err
	}
	var ids []string // six a visitor can apply to: an event lists no other
	for _, o := range ops {
		if o.Searchable(domain.DateOf(now)) && len(ids) < 6 {
			ids = append(ids, o.ID)
		}
	}
	for _, in := range specs {
		e, err := s.Store.CreateEvent(ctx, zone, in)
		if err != nil {
			return err
		}
		if len(ids) > 0 {
			if _, err := s.Store.AddEventOpenings(ctx, zone, e.ID, ids, in.Kind == "livestream"); err != nil {
				return err
			}
		}
		s.Progress.Add(1)
	}
	return nil
}
