package domain

import (
	"encoding/json"
	"strconv"
)

// Quota is a zone's yearly target.
type Quota struct {
	ZoneCode         string `json:"zone_code,omitempty"`
	ProvinceCode     string `json:"province_code,omitempty"`
	Year             int    `json:"year"`
	TargetPositions  int64  `json:"target_positions"`
	TargetPlacements int64  `json:"target_placements"`
}

// The largest yearly target a zone's quota, and a province's or the
// nation's, may set.
const (
	MaxZoneTarget = 10_000_000
	MaxAreaTarget = 100_000_000
)

// Validate checks a quota's year and that its targets are from 0 to max
// (MaxZoneTarget or MaxAreaTarget).
func (q Quota) Validate(max int64) error {
	var v Validation
	v.Check(q.Year >= 2000 && q.Year <= 2100, "year", "must be from 2000 to 2100")
	limit := "must be from 0 to " + strconv.FormatInt(max, 10)
	v.Check(q.TargetPositions >= 0 && q.TargetPositions <= max, "target_positions", limit)
	v.Check(q.TargetPlacements >= 0 && q.TargetPlacements <= max, "target_placements", limit)
	return v.Err()
}

// MonthCount is one month of a progress series.
type MonthCount struct {
	Month              string `json:"month"`
	PositionsDeveloped int64  `json:"positions_developed"`
	Placements         int64  `json:"placements"`
}

// Sprint is the view toward the programme's 31 August deadline.
type Sprint struct {
	Deadline         string   `json:"deadline"`
	DaysLeft         int      `json:"days_left"`
	PlacementsNeeded int64    `json:"placements_needed"`
	DailyPaceNeeded  *float64 `json:"daily_pace_needed"`
	PaceLast7Days    float64  `json:"pace_last_7_days"`
}

// LikeForLike compares this year to date with last year up to the same day.
type LikeForLike struct {
	AsOf           string   `json:"as_of"`
	Placements     int64    `json:"placements"`
	PrevPlacements int64    `json:"prev_placements"`
	Growth         *float64 `json:"growth"`
}

// ZoneRow is a zone's line in a province or national view.
type ZoneRow struct {
	Code         string `json:"code"`
	NameZh       string `json:"name_zh"`
	ProvinceCode string `json:"province_code"`
	Completion
	// LikeForLike compares the row's year so far with its last year to
	// the same day, as the view's own; nil for a year not begun.
	LikeForLike *LikeForLike `json:"like_for_like,omitempty"`
}

// Completion is what every progress view and report shows of a zone,
// province or the nation: its targets, its counts and the rates derived
// from them (FillRates).
type Completion struct {
	TargetPositions         int64    `json:"target_positions"`
	TargetPlacements        int64    `json:"target_placements"`
	PositionsDeveloped      int64    `json:"positions_developed"`
	Placements              int64    `json:"placements"`
	CompletionRate          *float64 `json:"completion_rate"`
	PositionsCompletionRate *float64 `json:"positions_completion_rate"`
	PlacementsPrevYear      int64    `json:"placements_prev_year"`
	YoYGrowth               *float64 `json:"yoy_growth"`
}

// FillRates computes the rates from the targets and counts.
func (c *Completion) FillRates() {
	c.CompletionRate = Percent(c.Placements, c.TargetPlacements)
	c.PositionsCompletionRate = Percent(c.PositionsDeveloped, c.TargetPositions)
	c.YoYGrowth = Growth(c.Placements, c.PlacementsPrevYear)
}

// SprintDeadline is the programme's yearly deadline: 31 August.
func SprintDeadline(year int) Date { return Date{Year: year, Month: 8, Day: 31} }

// SprintDays is the length of the sprint (百日冲刺) that ends on the deadline.
const SprintDays = 100

// InSprint tells whether day is within year's sprint: the 100 days up to
// and including 31 August. Outside it the sprint's countdown means nothing.
func InSprint(year int, day Date) bool {
	dl := SprintDeadline(year)
	return !day.Before(dl.AddDays(-(SprintDays - 1))) && !dl.Before(day)
}

// NewSprint computes the sprint view for year on day today.
func NewSprint(year int, today Date, target, placements, last7 int64) Sprint {
	dl := SprintDeadline(year)
	s := Sprint{Deadline: dl.String(), PaceLast7Days: float64(last7) / 7}
	s.PaceLast7Days = float64(int64(s.PaceLast7Days*10+0.5)) / 10
	if today.Before(dl) || today == dl {
		s.DaysLeft = int(dl.Time().Sub(today.Time()).Hours()/24) + 1 // today counts
	}
	if target > placements {
		s.PlacementsNeeded = target - placements
	}
	if s.DaysLeft > 0 {
		v := float64(s.PlacementsNeeded) / float64(s.DaysLeft)
		v = float64(int64(v*10+0.5)) / 10
		s.DailyPaceNeeded = &v
	}
	return s
}

// ZoneProgress is GET /zones/{code}/progress.
type ZoneProgress struct {
	Zone struct {
		Code         string `json:"code"`
		NameZh       string `json:"name_zh"`
		ProvinceCode string `json:"province_code"`
	} `json:"zone"`
	Year int `json:"year"`
	Completion
	ProvinceShare *float64     `json:"province_share"`
	Monthly       []MonthCount `json:"monthly"`
	Breakdowns
	LikeForLike *LikeForLike `json:"like_for_like"`
	Sprint      Sprint       `json:"sprint"`
}

// TargetSource says where an area's targets come from: a province's (or
// the nation's) own targets replace the sum of the areas below it, and a
// summed target reads the same as a set one unless it is said.
type TargetSource string

const (
	TargetsOwn           TargetSource = "own"       // set for the area itself
	TargetsFromZones     TargetSource = "zones"     // a province's: the sum of its zones'
	TargetsFromProvinces TargetSource = "provinces" // the nation's: the sum of the provinces'
	TargetsNone          TargetSource = "none"      // a province with no target set, its own or its zones'
)

// AreaProgress is GET /provinces/{code}/progress and GET /progress.
type AreaProgress struct {
	Province *Province `json:"province,omitempty"`
	Year     int       `json:"year"`
	Completion
	TargetSource TargetSource `json:"target_source"`
	// NationalShare (province view): this province ÷ the nation × 100.
	NationalShare ViewRate `json:"national_share,omitzero"`
	// ZoneShare (national view): placements in zones ÷ all placements × 100;
	// in a province view, the same within the province.
	ZoneShare *float64 `json:"zone_share"`
	// Zoneless are the counts of employers outside any zone.
	Zoneless struct {
		PositionsDeveloped int64 `json:"positions_developed"`
		Placements         int64 `json:"placements"`
	} `json:"zoneless"`
	Zones     []ZoneRow     `json:"zones"`
	Provinces []ProvinceRow `json:"provinces,omitempty"`
	Monthly   []MonthCount  `json:"monthly"`
	Breakdowns
	LikeForLike *LikeForLike `json:"like_for_like"`
	Sprint      Sprint       `json:"sprint"`
}

// ViewRate is a rate only some views carry: left out of the others (the
// omitzero tag asks IsZero), null where its divisor is 0, as every rate
// (a numbers probe found a province's national_share left out instead). A
// method on this small type, not on the whole view: a MarshalJSON on
// AreaProgress re-read its whole output and slowed the national view.
type ViewRate struct {
	Rate    *float64
	Carried bool
}

// IsZero reports that the view does not carry the rate.
func (r ViewRate) IsZero() bool { return !r.Carried }

// MarshalJSON writes the rate, or null.
func (r ViewRate) MarshalJSON() ([]byte, error) { return json.Marshal(r.Rate) }

// ProvinceRow is a province's line in the national view.
type ProvinceRow struct {
	Code         string       `json:"code"`
	NameZh       string       `json:"name_zh"`
	TargetSource TargetSource `json:"target_source"`
	ZoneRow
}

// ProgrammeCounts are the programme's numbers of a year by province, as
// the metrics address exports them for operators' graphs and alerts:
// positions developed and placements exactly as the national progress
// gives them (its province rows), and applications made in the year by
// their status now. Every province is listed, and every status of each.
type ProgrammeCounts struct {
	Year      int
	Provinces []ProvinceCounts
}

// ProvinceCounts is one province's line of ProgrammeCounts: its employers',
// those in its zones and those outside any.
type ProvinceCounts struct {
	Code               string
	PositionsDeveloped int64
	Placements         int64
	// Applications counts the applications to its employers' openings
	// made in the year, by status (every one of ApplicationStatuses).
	Applications map[string]int64
}

// NewProgrammeCounts joins the national progress of a year with the
// year's applications by province and status (as the store counts them).
func NewProgrammeCounts(p AreaProgress, applications map[string]map[string]int64) ProgrammeCounts {
	out := ProgrammeCounts{Year: p.Year, Provinces: make([]ProvinceCounts, 0, len(p.Provinces))}
	for _, r := range p.Provinces {
		pc := ProvinceCounts{Code: r.Code, PositionsDeveloped: r.PositionsDeveloped, Placements: r.Placements,
			Applications: make(map[string]int64, len(ApplicationStatuses))}
		for _, st := range ApplicationStatuses {
			pc.Applications[st] = applications[r.Code][st]
		}
		out.Provinces = append(out.Provinces, pc)
	}
	return out
}
