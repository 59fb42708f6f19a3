package loadtest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sort"

	"github.com/gradzone/gradzone/internal/domain"
)

// The season's accounts are made as users make them — registration through
// the API, verification through the mailed link, employers verified by their
// zone's staff — except staff, which only `gradzone user create` makes.

// castZones makes, for the first Scale.Zones zones by code, a signed-in zone
// administrator and a verified employer.
func (s *Season) castZones(ctx context.Context, run int64) ([]*SeasonZone, error) {
	c := s.Cluster
	var all []domain.Zone
	for page := 1; ; page++ {
		m, err := c.Must(ctx, http.StatusOK, "setup", "GET", fmt.Sprintf("/api/v1/zones?per_page=100&page=%d", page), "", nil)
		if err != nil {
			return nil, err
		}
		items, _ := m["items"].([]any)
		for _, it := range items {
			z, _ := it.(map[string]any)
			code, _ := z["code"].(string)
			prov, _ := z["province_code"].(string)
			all = append(all, domain.Zone{Code: code, ProvinceCode: prov})
		}
		if total, _ := m["total"].(float64); len(items) == 0 || len(all) >= int(total) {
			break
		}
	}
	sort.Slice(all, func(i, j int) bool { return all[i].Code < all[j].Code })
	if len(all) > s.Scale.Zones {
		all = all[:s.Scale.Zones]
	}
	zones := make([]*SeasonZone, len(all))
	for i, z := range all {
		staffEmail := fmt.Sprintf("season-%d-%s@staff.test", run, z.Code)
		if err := s.CreateStaff(ctx, domain.StaffAccount{Role: domain.RoleZoneAdmin, Email: staffEmail,
			Password: seasonPassword, Name: "赛季工作人员", ZoneCode: z.Code}); err != nil {
			return nil, fmt.Errorf("zone %s staff: %w", z.Code, err)
		}
		staff, err := s.signIn(ctx, staffEmail)
		if err != nil {
			return nil, err
		}
		emp, err := s.register(ctx, employerRegistration(fmt.Sprintf("season-%d-hr-%s@corp.test", run, z.Code), z))
		if err != nil {
			return nil, err
		}
		me, err := c.Must(ctx, http.StatusOK, "setup", "GET", "/api/v1/me", emp.Token, nil)
		if err != nil {
			return nil, err
		}
		employer, _ := me["employer"].(map[string]any)
		id, _ := employer["id"].(string)
		if _, err := c.Must(ctx, http.StatusOK, "setup", "POST", "/api/v1/employers/"+id+"/verify", staff.Token, nil); err != nil {
			return nil, err
		}
		zones[i] = &SeasonZone{Code: z.Code, Province: z.ProvinceCode, Staff: staff, Employer: emp}
	}
	return zones, nil
}

// castGraduates registers the graduates; with Mail set, every third
// verifies its address through the link in its verification mail.
func (s *Season) castGraduates(ctx context.Context, run int64) ([]SeasonAccount, *SeasonOutcome, error) {
	out := &SeasonOutcome{Applied: map[string]*SeasonZone{}, MailsWant: map[string]int{}, Reports: map[string]map[string]any{}}
	n := s.Scale.Zones * s.Scale.GraduatesPerZone
	grads := make([]SeasonAccount, n)
	for i := range n {
		g, err := s.register(ctx, graduateRegistration(fmt.Sprintf("season-%d-g%d@example.test", run, i)))
		if err != nil {
			return nil, nil, err
		}
		grads[i] = g
		if s.Mail != nil && i%3 == 0 {
			out.MailsWant[g.Email] = 1 // the verification mail
		}
	}
	for email := range out.MailsWant {
		token, err := s.Mail.LinkToken(ctx, email, "/verify-email")
		if err != nil {
			return nil, nil, err
		}
		if _, err := s.Cluster.Must(ctx, http.StatusNoContent, "setup", "POST", "/api/v1/auth/verify-email", "", map[string]string{"token": token}); err != nil {
			return nil, nil, err
		}
	}
	return grads, out, nil
}

// register signs up through the API and returns the new session.
func (s *Season) register(ctx context.Context, body map[string]any) (SeasonAccount, error) {
	m, err := s.Cluster.Must(ctx, http.StatusCreated, "setup", "POST", "/api/v1/auth/register", "", body)
	return s.account(m), err
}

func (s *Season) signIn(ctx context.Context, email string) (SeasonAccount, error) {
	m, err := s.Cluster.Must(ctx, http.StatusOK, "setup", "POST", "/api/v1/auth/login", "",
		map[string]string{"email": email, "password": seasonPassword})
	return s.account(m), err
}

// account reads a session answer (register, login), and has the cluster
// keep the session going for the whole season.
func (s *Season) account(m map[string]any) SeasonAccount {
	user, _ := m["user"].(map[string]any)
	id, _ := user["id"].(string)
	email, _ := user["email"].(string)
	token, _ := m["access_token"].(string)
	refresh, _ := m["refresh_token"].(string)
	s.Cluster.Remember(token, refresh)
	return SeasonAccount{ID: id, Email: email, Token: token}
}

func graduateRegistration(email string) map[string]any {
	return map[string]any{"role": "graduate", "email": email, "password": seasonPassword, "name": "赛季毕业生",
		"university": "四川大学", "degree": "master", "major": "计算机科学与技术", "graduation_year": 2026, "consent": true}
}

func employerRegistration(email string, z domain.Zone) map[string]any {
	return map[string]any{"role": "employer", "email": email, "password": seasonPassword, "name": "赛季招聘",
		"consent": true, "employer": map[string]any{"name": "赛季科研单位" + z.Code, "credit_code": randomCreditCode(),
			"type": "enterprise", "size": "small", "industry": "ai", "province_code": z.ProvinceCode, "zone_code": z.Code}}
}

// randomCreditCode is a valid unified social credit code, probably unused.
func randomCreditCode() string {
	b := []byte("91510100")
	for len(b) < 17 {
		b = append(b, byte('0'+rand.IntN(10)))
	}
	return domain.CompleteCreditCode(string(b))
}
