package testutil

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gradzone/gradzone/internal/domain"
)

// Password is every fixture account's password.
const Password = "correct-horse-42"

// Account is a signed-in fixture user.
type Account struct {
	ID, Email, Token, Refresh string
	EmployerID                string
}

func (a *App) session(r Response) Account {
	var s domain.Session
	r.Decode(a.T, &s)
	return Account{ID: s.User.ID, Email: s.User.Email, Token: s.AccessToken, Refresh: s.RefreshToken}
}

// Login signs in email with the fixtures' password.
func (a *App) Login(email string) Account {
	a.T.Helper()
	return a.LoginWith(email, Password)
}

// LoginWith signs in email with password.
func (a *App) LoginWith(email, password string) Account {
	a.T.Helper()
	return a.session(a.Must(http.StatusOK, "POST", "/api/v1/auth/login", "", map[string]string{"email": email, "password": password}))
}

// Staff creates a staff account the way `gradzone user create` does, but
// without its audit line (tests count lines), and signs in.
func (a *App) Staff(role domain.Role, zone, province string) Account {
	a.T.Helper()
	email := fmt.Sprintf("%s-%d@staff.test", role, rand.Int64())
	_, err := a.Server.Accounts.CreateStaff(context.Background(), domain.StaffAccount{Role: role, Email: email,
		Password: Password, Name: "工作人员", ZoneCode: zone, ProvinceCode: province})
	if err != nil {
		a.T.Fatalf("staff: %v", err)
	}
	return a.Login(email)
}

// Publisher is what most tests start from: a verified employer in Chengdu
// and the Chengdu zone administrator who reviews its openings (the two
// accounts Publish takes).
func (a *App) Publisher() (employer, reviewer Account) {
	a.T.Helper()
	return a.VerifiedEmployer("51", "sichuan-chengdu"), a.ZoneAdmin("sichuan-chengdu")
}

// PublishedOpening is Publisher's employer with one opening published (over
// changes OpeningBody's fields): the employer, its reviewer and the opening ID.
func (a *App) PublishedOpening(over map[string]any) (employer, reviewer Account, opening string) {
	a.T.Helper()
	employer, reviewer = a.Publisher()
	return employer, reviewer, a.Publish(employer, reviewer, over)
}

// ZoneAdmin is a signed-in administrator of zone: the reviewer of that
// zone's employers and openings.
func (a *App) ZoneAdmin(zone string) Account {
	a.T.Helper()
	return a.Staff(domain.RoleZoneAdmin, zone, "")
}

// ProvinceAdmin is a signed-in administrator of a province.
func (a *App) ProvinceAdmin(province string) Account {
	a.T.Helper()
	return a.Staff(domain.RoleProvinceAdmin, "", province)
}

// MinistryAdmin is a signed-in administrator of the ministry (every zone).
func (a *App) MinistryAdmin() Account {
	a.T.Helper()
	return a.Staff(domain.RoleMinistryAdmin, "", "")
}

// GraduateBody is a valid graduate registration.
func GraduateBody(email string) map[string]any {
	return map[string]any{"role": "graduate", "email": email, "password": Password, "name": "李华",
		"university": "四川大学", "degree": "master", "major": "计算机科学与技术", "graduation_year": 2026,
		"consent": true}
}

// Graduate registers a graduate.
func (a *App) Graduate() Account {
	a.T.Helper()
	return a.GraduateNamed("")
}

// GraduateNamed is Graduate under name ("" keeps GraduateBody's).
func (a *App) GraduateNamed(name string) Account {
	a.T.Helper()
	b := GraduateBody(fmt.Sprintf("grad-%d@example.cn", rand.Int64()))
	if name != "" {
		b["name"] = name
	}
	return a.session(a.Must(http.StatusCreated, "POST", "/api/v1/auth/register", "", b))
}

// RandomCreditCode returns a valid, probably unused credit code,
// registered in Chengdu.
func RandomCreditCode() string { return RandomCreditCodeIn("510100") }

// RandomCreditCodeIn returns a valid, probably unused credit code
// registered in the administrative division region (six digits).
func RandomCreditCodeIn(region string) string {
	const digits = "0123456789"
	b := []byte("91" + region)
	for len(b) < 17 {
		b = append(b, digits[rand.IntN(10)])
	}
	return domain.CompleteCreditCode(string(b))
}

// EmployerBody is a valid employer registration.
func EmployerBody(email, province, zone string) map[string]any {
	e := map[string]any{"name": "成都智算科技有限公司", "credit_code": RandomCreditCode(), "type": "enterprise",
		"size": "small", "industry": "ai", "province_code": province}
	if zone != "" {
		e["zone_code"] = zone
	}
	return map[string]any{"role": "employer", "email": email, "password": Password, "name": "王经理", "employer": e, "consent": true}
}

// Employer registers an employer (pending) in zone of province ("" for none).
func (a *App) Employer(province, zone string) Account {
	a.T.Helper()
	email := fmt.Sprintf("hr-%d@corp.cn", rand.Int64())
	acc := a.session(a.Must(http.StatusCreated, "POST", "/api/v1/auth/register", "", EmployerBody(email, province, zone)))
	me := a.Must(http.StatusOK, "GET", "/api/v1/me", acc.Token, nil).JSON()
	acc.EmployerID = me["employer"].(map[string]any)["id"].(string)
	return acc
}

// VerifiedEmployer registers an employer and has its supervisor verify it.
func (a *App) VerifiedEmployer(province, zone string) Account {
	a.T.Helper()
	acc := a.Employer(province, zone)
	var sup Account
	if zone != "" {
		sup = a.Staff(domain.RoleZoneAdmin, zone, "")
	} else {
		sup = a.Staff(domain.RoleProvinceAdmin, "", province)
	}
	a.Must(http.StatusOK, "POST", "/api/v1/employers/"+acc.EmployerID+"/verify", sup.Token, nil)
	return acc
}

// InDays returns the Shanghai date n days from now, as YYYY-MM-DD.
func InDays(n int) string { return domain.DateOf(time.Now()).AddDays(n).String() }

// OpeningBody is a valid opening with overrides.
func OpeningBody(over map[string]any) map[string]any {
	b := map[string]any{"title": "科研助理", "description": "协助课题组开展实验与数据分析。", "discipline": "engineering",
		"industry": "ai", "degree_min": "bachelor", "majors": []string{"计算机科学与技术"}, "headcount": 2, "city": "成都",
		"salary_min": 6000, "salary_max": 9000, "deadline": InDays(180)}
	for k, v := range over {
		b[k] = v
	}
	return b
}

// Publish creates, submits and approves an opening for a verified employer;
// reviewer is the staff account that approves. It returns the opening ID.
func (a *App) Publish(emp, reviewer Account, over map[string]any) string {
	a.T.Helper()
	id := a.Must(http.StatusCreated, "POST", "/api/v1/openings", emp.Token, OpeningBody(over)).JSON()["id"].(string)
	a.Must(http.StatusOK, "POST", "/api/v1/openings/"+id+"/submit", emp.Token, nil)
	a.Must(http.StatusOK, "POST", "/api/v1/openings/"+id+"/approve", reviewer.Token, nil)
	return id
}

// Apply has graduate g apply to opening with coverLetter and returns the
// application's ID.
func (a *App) Apply(g Account, opening, coverLetter string) string {
	a.T.Helper()
	return a.Must(http.StatusCreated, "POST", "/api/v1/openings/"+opening+"/applications", g.Token,
		map[string]string{"cover_letter": coverLetter}).JSON()["id"].(string)
}

// Applicant is a new graduate who has applied to opening with coverLetter:
// the graduate and the application's ID.
func (a *App) Applicant(opening, coverLetter string) (graduate Account, application string) {
	a.T.Helper()
	graduate = a.Graduate()
	return graduate, a.Apply(graduate, opening, coverLetter)
}

// AppliedOn dates application app back to the start of day (YYYY-MM-DD,
// Asia/Shanghai): for a test that builds history, as a hire may not be
// dated before its application (domain.HireDate).
func (a *App) AppliedOn(app, day string) {
	a.T.Helper()
	if _, err := SQL(a.T, a.DBURL).Exec(`UPDATE applications SET created_at = $2::date::timestamp AT TIME ZONE 'Asia/Shanghai' WHERE id = $1`, app, day); err != nil {
		a.T.Fatalf("applied on %s: %v", day, err)
	}
}

// Hire takes application app from submitted to hired on hiredOn: the
// employer (empToken) offers, the graduate (gradToken) accepts, the employer
// hires. It returns the hire's response (its placement_id).
func (a *App) Hire(empToken, gradToken, app, hiredOn string) Response {
	a.T.Helper()
	move := func(tok string, body map[string]string) Response {
		return a.Must(http.StatusOK, "POST", "/api/v1/applications/"+app+"/transitions", tok, body)
	}
	move(empToken, map[string]string{"to": "offered"})
	move(gradToken, map[string]string{"to": "accepted"})
	return move(empToken, map[string]string{"to": "hired", "hired_on": hiredOn})
}

// OneOfEach is a world with one record of each kind an address can name,
// for tests that walk every route with real IDs in its path.
type OneOfEach struct {
	Employer, Reviewer, Graduate                        Account
	Opening, Application, Placement, SavedSearch, Event string
}

// OneOfEach publishes an opening; Graduate applies to it, saves a search
// and registers for an upcoming job fair of its zone; a second graduate is
// hired (the placement).
func (a *App) OneOfEach() OneOfEach {
	a.T.Helper()
	var w OneOfEach
	w.Employer, w.Reviewer, w.Opening = a.PublishedOpening(nil)
	w.Graduate, w.Application = a.Applicant(w.Opening, "您好")
	hired, hiredApp := a.Applicant(w.Opening, "您好")
	w.Placement = a.Hire(w.Employer.Token, hired.Token, hiredApp, domain.DateOf(time.Now()).String()).JSON()["placement_id"].(string)
	w.SavedSearch = a.Must(http.StatusCreated, "POST", "/api/v1/me/saved-searches", w.Graduate.Token,
		map[string]any{"name": "材料", "q": "材料"}).JSON()["id"].(string)
	starts := time.Now().Add(48 * time.Hour)
	w.Event = a.Must(http.StatusCreated, "POST", "/api/v1/events", w.Reviewer.Token, map[string]any{"kind": "job_fair",
		"title": "成都高新区招聘会", "zone_code": "sichuan-chengdu", "location": "天府软件园",
		"starts_at": starts.Format(time.RFC3339), "ends_at": starts.Add(2 * time.Hour).Format(time.RFC3339)}).JSON()["id"].(string)
	a.Must(http.StatusCreated, "POST", "/api/v1/events/"+w.Event+"/registrations", w.Graduate.Token, nil)
	return w
}

// unfinishedJobs describes the queue's unfinished jobs, for a failure message.
func (a *App) unfinishedJobs() string {
	rows, err := SQL(a.T, a.DBURL).Query(`SELECT kind, state, attempt, left(args::text, 100), left(errors::text, 300), metadata::text FROM river_job
		WHERE finalized_at IS NULL ORDER BY id LIMIT 20`)
	if err != nil {
		return err.Error()
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var kind, state, args, meta string
		var errs sql.NullString
		var attempt int
		if err := rows.Scan(&kind, &state, &attempt, &args, &errs, &meta); err != nil {
			return err.Error()
		}
		fmt.Fprintf(&b, "%s %s attempt %d %s %s %s\n", kind, state, attempt, args, errs.String, meta)
	}
	return b.String()
}

// Eventually runs check every interval until it answers "" (done), and
// fails the test with its last answer once timeout has passed.
func Eventually(t testing.TB, timeout, interval time.Duration, check func() string) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		why := check()
		if why == "" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal(why)
		}
		time.Sleep(interval)
	}
}

// WaitIndexed waits until the job queue has done all search work (the index agrees
// with Postgres), failing after timeout.
func (a *App) WaitIndexed(timeout time.Duration) {
	a.T.Helper()
	deadline := time.Now().Add(timeout)
	for {
		st, err := a.Server.Store.OutboxStatus(context.Background())
		if err == nil && st.Pending == 0 {
			// …and the search cache has seen the index's last change.
			ix, err := a.Server.Store.SearchIndexState(context.Background())
			if err == nil && a.Server.Search.CacheSees(ix.Generation) {
				return
			}
		}
		if time.Now().After(deadline) {
			a.T.Fatalf("index did not catch up within %s: %+v %v\nunfinished jobs:\n%s", timeout, st, err, a.unfinishedJobs())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// SearchIDs runs a public search and returns the result.
func (a *App) Search(query string) map[string]any {
	a.T.Helper()
	return a.Must(http.StatusOK, "GET", "/api/v1/openings?"+query, "", nil).JSON()
}

// IDs returns the item IDs of a list response.
func IDs(m map[string]any) []string {
	var out []string
	items, _ := m["items"].([]any)
	for _, it := range items {
		out = append(out, it.(map[string]any)["id"].(string))
	}
	return out
}
