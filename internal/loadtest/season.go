package loadtest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"time"

	"github.com/gradzone/gradzone/internal/domain"
)

// SeasonScale is how big a simulated sprint is.
type SeasonScale struct {
	Days, Zones, GraduatesPerZone, AppliesPerDay int
}

// The two sizes the project runs: make test's and the national sprint of
// make season (100 days over all 178 zones).
var (
	SmallSeason    = SeasonScale{Days: 10, Zones: 4, GraduatesPerZone: 5, AppliesPerDay: 12}
	NationalSeason = SeasonScale{Days: 100, Zones: 178, GraduatesPerZone: 4, AppliesPerDay: 120}
)

// FaultDay is the day a tenth of the way through the season (FaultDay(2) is
// day 20 of 100), where the standard faults are injected: Meilisearch killed
// at 2 (back the day after), wiped at 4, Postgres restarted at 6, a replica
// killed at 8.
func (sc SeasonScale) FaultDay(tenth int) int { return sc.Days * tenth / 10 }

// Fault is something done to the running system on a given day.
type Fault struct {
	Name string
	Do   func(context.Context) error
}

// Season is one simulated sprint: every day each zone's employer posts an
// opening and its staff approve it, graduates search and apply (with an
// Idempotency-Key, retried on another replica when one does not answer),
// employers hire (offered → accepted → hired), and half-way every zone
// submits its monthly report; Faults are injected on their days.
type Season struct {
	Scale   SeasonScale
	Cluster *Cluster
	// CreateStaff makes a staff account (there is no API for it: `gradzone
	// user create` in production, the use case in tests).
	CreateStaff func(context.Context, domain.StaffAccount) error
	// Mail, when set, is where the status mails arrive: a third of the
	// graduates verify their address through the mailed link, and Check
	// counts their mail. Without it no graduate is verified and mail is
	// not checked.
	Mail   *MailpitCounter
	Faults map[int]Fault
	// Log reports progress; nil is silent.
	Log func(format string, args ...any)
	// Seed makes the choice of graduates and openings repeatable.
	Seed uint64
}

// SeasonAccount is one signed-in account of the simulation.
type SeasonAccount struct{ ID, Email, Token string }

// SeasonZone is a zone with its staff, its verified employer and the
// openings published so far.
type SeasonZone struct {
	Code, Province  string
	Staff, Employer SeasonAccount
	Openings        []string
}

// SeasonOutcome is what the simulation was answered: what Check compares
// with Postgres, the API and the mail.
type SeasonOutcome struct {
	Zones []*SeasonZone
	// Applied maps every application answered 2xx to its zone.
	Applied map[string]*SeasonZone
	// Hired are the applications whose hire was answered 2xx.
	Hired []string
	// MailsWant is how many mails each verified address must hold: its
	// verification mail and one per status change.
	MailsWant map[string]int
	// ReportMonth is the month every zone submitted, and Reports each
	// zone's report as it stood just after (what Check compares).
	ReportYear, ReportMonth int
	Reports                 map[string]map[string]any
}

const seasonPassword = "season-Pass-2026"

func (s *Season) logf(format string, args ...any) {
	if s.Log != nil {
		s.Log(format, args...)
	}
}

// Run plays the season and returns what it was answered. An error means the
// simulation could not go on (no replica answered, an account could not be
// made); what it found wrong is Check's to say.
func (s *Season) Run(ctx context.Context) (*SeasonOutcome, error) {
	sc, c := s.Scale, s.Cluster
	run := time.Now().UnixNano()
	zones, err := s.castZones(ctx, run)
	if err != nil {
		return nil, err
	}
	grads, out, err := s.castGraduates(ctx, run)
	if err != nil {
		return nil, err
	}
	out.Zones = zones
	s.logf("cast: %d zones, %d graduates (%d verified)", len(zones), len(grads), len(out.MailsWant))
	rng := rand.New(rand.NewPCG(s.Seed, 14))
	var order []string // out.Applied's keys, oldest first
	applicant := map[string]SeasonAccount{}
	placed := map[string]bool{}
	today := domain.DateOf(time.Now())
	for day := 1; day <= sc.Days; day++ {
		c.setDay(day)
		if f, ok := s.Faults[day]; ok {
			s.logf("day %d: %s", day, f.Name)
			if err := f.Do(ctx); err != nil {
				return nil, fmt.Errorf("fault %q: %w", f.Name, err)
			}
		}
		for _, z := range zones {
			o, err := c.Must(ctx, http.StatusCreated, "post", "POST", "/api/v1/openings", z.Employer.Token, seasonOpening(day, today))
			if err != nil {
				return nil, err
			}
			id, _ := o["id"].(string)
			if _, err := c.Must(ctx, http.StatusOK, "post", "POST", "/api/v1/openings/"+id+"/submit", z.Employer.Token, nil); err != nil {
				return nil, err
			}
			if _, err := c.Must(ctx, http.StatusOK, "approve", "POST", "/api/v1/openings/"+id+"/approve", z.Staff.Token, nil); err != nil {
				return nil, err
			}
			z.Openings = append(z.Openings, id)
		}
		for i := range sc.AppliesPerDay {
			g := grads[rng.IntN(len(grads))]
			if _, _, err := c.Call(ctx, "search", "GET", "/api/v1/openings?q="+url.QueryEscape("科研助理"), g.Token, nil, ""); err != nil {
				return nil, err
			}
			z := zones[rng.IntN(len(zones))]
			op := z.Openings[rng.IntN(len(z.Openings))]
			st, m, err := c.Call(ctx, "apply", "POST", "/api/v1/openings/"+op+"/applications", g.Token,
				map[string]string{"cover_letter": "赛季申请"}, fmt.Sprintf("season-%d-%d-%d", run, day, i))
			if err != nil {
				return nil, err
			}
			if st == http.StatusCreated || st == http.StatusOK {
				id, _ := m["id"].(string)
				if _, again := out.Applied[id]; !again {
					order = append(order, id)
				}
				out.Applied[id], applicant[id] = z, g
			}
		}
		// Employers hire some of the applicants not yet placed.
		n := 0
		for _, app := range order {
			g, emp := applicant[app], out.Applied[app].Employer.Token
			if placed[g.ID] || n >= sc.AppliesPerDay/4 {
				continue
			}
			n++
			steps := []struct {
				token string
				body  map[string]string
			}{{emp, map[string]string{"to": "offered"}}, {g.Token, map[string]string{"to": "accepted"}},
				{emp, map[string]string{"to": "hired", "hired_on": today.String()}}}
			hired := true
			for _, step := range steps {
				st, _, err := c.Call(ctx, "hire", "POST", "/api/v1/applications/"+app+"/transitions", step.token, step.body, "")
				if err != nil {
					return nil, err
				}
				if st != http.StatusOK {
					hired = false
					break
				}
				if _, verified := out.MailsWant[g.Email]; verified {
					out.MailsWant[g.Email]++
				}
			}
			if hired {
				placed[g.ID] = true
				out.Hired = append(out.Hired, app)
			}
		}
		// Half-way every zone submits this month's report: later hires
		// must not change it.
		if day == sc.Days/2 {
			out.ReportYear, out.ReportMonth = today.Year, today.Month
			for _, z := range zones {
				if err := s.submitReport(ctx, out, z); err != nil {
					return nil, err
				}
			}
		}
		if day%10 == 0 || day == sc.Days {
			s.logf("day %d/%d: %d applications, %d hires", day, sc.Days, len(out.Applied), len(out.Hired))
		}
	}
	return out, nil
}

// submitReport submits z's report for the outcome's month and keeps it as
// submitted. A report submitted before the season (a second run on the same
// database) is kept as it is.
func (s *Season) submitReport(ctx context.Context, out *SeasonOutcome, z *SeasonZone) error {
	st, m, err := s.Cluster.Call(ctx, "report", "POST", "/api/v1/reports/monthly/submit", z.Staff.Token,
		map[string]any{"zone": z.Code, "year": out.ReportYear, "month": out.ReportMonth}, "")
	if err != nil {
		return err
	}
	if code, _ := m["error"].(map[string]any); st != http.StatusOK && (st != http.StatusConflict || code["code"] != "already_submitted") {
		return fmt.Errorf("submit the report of %s: %d %v", z.Code, st, m)
	}
	r, err := s.Cluster.Must(ctx, http.StatusOK, "report", "GET", reportPath(z.Code, out.ReportYear, out.ReportMonth), z.Staff.Token, nil)
	out.Reports[z.Code] = r
	return err
}

func reportPath(zone string, year, month int) string {
	return fmt.Sprintf("/api/v1/reports/monthly?zone=%s&year=%d&month=%d", zone, year, month)
}

// seasonOpening is one day's opening of a zone's employer.
func seasonOpening(day int, today domain.Date) map[string]any {
	return map[string]any{"title": fmt.Sprintf("科研助理（第%d天）", day), "description": "协助课题组开展实验与数据分析。",
		"discipline": "engineering", "industry": "ai", "degree_min": "bachelor", "majors": []string{"计算机科学与技术"},
		"headcount": 5, "city": "成都", "salary_min": 6000, "salary_max": 9000, "deadline": today.AddDays(180).String()}
}
