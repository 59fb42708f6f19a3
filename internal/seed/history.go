package seed

import (
	"context"

	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/postgres"
)

// The published figures the dashboards must reproduce (BRIEF.md), and the
// unstated numbers chosen around them (docs/demo-data.md explains each).
//
//	Chengdu 2024: 2,272 placements = 142.0% of a 1,600 target; 2023 had
//	  1,942 (+17.0%); Sichuan's 2024 total is 5,610, so 40.5%.
//	Shaoxing 2024: 1,141 positions developed against 600 = 190.2% (the
//	  published 190% rounded; no whole target gives 190.0 at one decimal).
//	Weifang 2022–2024: placements 410/200, 450/200, 501/300 = 205%, 225%, 167%.
//	Foshan 2020–2024: positions 700, 760, 820, 860, 900 (4,040 in all, "4,000+")
//	  against targets 600, 650, 700, 750, 800: exceeded every year.
type pastYear struct {
	zone, province    string
	employer          int // index into employers
	year              int
	positions, placed int
	targetPositions   int64
	targetPlacements  int64
	tag               string
}

var history = []pastYear{
	{"sichuan-chengdu", "51", 0, 2023, 2600, 1942, 2400, 1500, "cd23"},
	{"sichuan-chengdu", "51", 0, 2024, 3100, 2272, 2800, 1600, "cd24"},
	// The rest of Sichuan in 2024: 5,610 − 2,272 = 3,338 placements.
	{"sichuan-mianyang", "51", 3, 2024, 1800, 1400, 1500, 1200, "my24"},
	{"", "51", 4, 2024, 2300, 1938, 0, 0, "sc24"},
	{"zhejiang-shaoxing", "33", 12, 2024, 1141, 800, 600, 700, "sx24"},
	{"shandong-weifang", "37", 16, 2022, 500, 410, 400, 200, "wf22"},
	{"shandong-weifang", "37", 16, 2023, 550, 450, 450, 200, "wf23"},
	{"shandong-weifang", "37", 16, 2024, 600, 501, 500, 300, "wf24"},
	{"guangdong-foshan", "44", 22, 2020, 700, 520, 600, 450, "fs20"},
	{"guangdong-foshan", "44", 22, 2021, 760, 560, 650, 480, "fs21"},
	{"guangdong-foshan", "44", 22, 2022, 820, 610, 700, 520, "fs22"},
	{"guangdong-foshan", "44", 22, 2023, 860, 650, 750, 560, "fs23"},
	{"guangdong-foshan", "44", 22, 2024, 900, 700, 800, 600, "fs24"},
}

func (s *Seeder) history(ctx context.Context) error {
	total := 0
	for _, h := range history {
		total += h.placed
	}
	s.Progress.Step("past years (2020–2024)", total)
	for _, h := range history {
		e := employers[h.employer]
		emp, err := s.demoEmployer(ctx, h.employer)
		if err != nil {
			return err
		}
		_, err = s.Store.LoadHistory(ctx, postgres.HistoryYear{
			EmployerID: emp.ID, Year: h.year, Positions: h.positions, Placements: h.placed,
			Title: topics[e.Industry][0] + "科研助理", Industry: e.Industry, Discipline: disciplineOf[e.Industry], City: e.City,
			Tag: h.tag, PasswordHash: s.hash, Names: func(i int) string { return name(i + h.year) },
		})
		if err != nil {
			return err
		}
		s.Progress.Add(h.placed)
	}
	return nil
}

func (s *Seeder) quotas(ctx context.Context) error {
	ministry, err := s.caller(ctx, MinistryEmail)
	if err != nil {
		return err
	}
	year := s.year()
	var qs []domain.Quota
	for _, h := range history {
		if h.zone != "" {
			qs = append(qs, domain.Quota{ZoneCode: h.zone, Year: h.year, TargetPositions: h.targetPositions, TargetPlacements: h.targetPlacements})
		}
	}
	// This year's targets for every demo zone.
	seen := map[string]bool{}
	for _, e := range employers {
		if e.Zone != "" && !seen[e.Zone] {
			seen[e.Zone] = true
			qs = append(qs, domain.Quota{ZoneCode: e.Zone, Year: year, TargetPositions: 60, TargetPlacements: 12})
		}
	}
	s.Progress.Step("targets", len(qs))
	for _, q := range qs {
		if _, err := s.Store.SetZoneQuota(ctx, ministry, q); err != nil {
			return err
		}
		s.Progress.Add(1)
	}
	return nil
}
