package webui

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/gradzone/gradzone/internal/domain"
)

// TargetsPage is the targets table (/staff/targets): each area of one
// level with its yearly targets as inputs beside what it has done so far,
// all saved by one form. Province staff see their zones; the ministry sees
// the provinces (and the nation's own row) and may open one province's zones.
type TargetsPage struct {
	Layout
	Year int
	// Earlier is set when the current year has no data yet and the table
	// shows the year before (the current year's number), as the dashboard does.
	Earlier int
	// Province is the province whose zones are listed; "" for the
	// ministry's table of provinces.
	Province string
	// Area names what the table covers: the province, or the nation.
	Area string
	// Assigned (a province's table) sets the province's targets beside its
	// zones' sum: a walk saw the ministry's target for the province nowhere
	// on this page, nor the part of it no zone carries yet.
	Assigned *AssignedTargets
	// Rows are the table's lines; Max is the largest target one may hold.
	Rows []TargetRow
	Max  int64
	// Form holds each row's inputs ("target_positions.<code>", …) as stored,
	// or as typed when the save failed, and each field's message.
	Form Form
}

func (*TargetsPage) template() string { return "staff/targets" }

// TargetRow is one area's line: its code and name, its figures, and for the
// ministry's province rows the link to that province's zones.
type TargetRow struct {
	Code, Name string
	Drill      string
	domain.Completion
	// Source is where a province's or the nation's target comes from; a
	// zone's is always its own ("").
	Source domain.TargetSource
}

// AssignedTargets are a province's targets (its own, else its zones' sum:
// domain's rule, read from ProvinceProgress) and its zones' sum.
type AssignedTargets struct {
	Positions, Placements         int64
	ZonePositions, ZonePlacements int64
	Source                        domain.TargetSource
}

// targetSourceKeys are the words for a target that was not set for its
// area itself; a set one ("own") needs none.
var targetSourceKeys = map[domain.TargetSource]string{
	domain.TargetsFromZones:     "staff.target_from_zones",
	domain.TargetsFromProvinces: "staff.target_from_provinces",
	domain.TargetsNone:          "staff.target_unset",
}

// SourceKey is the i18n key saying where the row's target comes from, ""
// when it was set for the area itself.
func (r TargetRow) SourceKey() string { return targetSourceKeys[r.Source] }

// SourceKey is the same for the province's own line.
func (a AssignedTargets) SourceKey() string { return targetSourceKeys[a.Source] }

// UnallocatedPositions and UnallocatedPlacements are the part of the
// province's targets no zone carries (negative when the zones' exceed it:
// the template says "over" then).
func (a AssignedTargets) UnallocatedPositions() int64  { return a.Positions - a.ZonePositions }
func (a AssignedTargets) UnallocatedPlacements() int64 { return a.Placements - a.ZonePlacements }

// PositionsField and PlacementsField are the names of the row's inputs.
func (r TargetRow) PositionsField() string  { return targetField("target_positions", r.Code) }
func (r TargetRow) PlacementsField() string { return targetField("target_placements", r.Code) }

// targetField names a row's input: the API's field name, a dot, the code,
// so a row's error maps back from domain.Quota.Validate's field names.
func targetField(field, code string) string { return field + "." + code }

// nation is the code SetProvinceQuota takes for the nation's own targets.
const nation = "00"

func (s *Site) registerTargets(st *gin.RouterGroup) {
	who := signedIn(domain.RolesAtLeast(domain.LevelProvince)...)
	st.GET("/targets", who, s.targetsPage)
	st.POST("/targets", who, s.saveTargets)
}

// targetsProvince is the province whose zones the caller edits: the one
// asked for (?province=, the ministry drilling in), else a province admin's
// own, else "" (the ministry's table of provinces). Scope is the app's:
// another province's code is refused when its figures are read.
func targetsProvince(cl domain.Caller, asked string) string {
	if asked == "" && cl.Level() == domain.LevelProvince {
		return cl.ProvinceCode
	}
	return asked
}

func (s *Site) targetsPage(c *gin.Context) {
	year, chosen := askedYear(c.Query("year"), s.today().Year)
	province := targetsProvince(callerOf(c), c.Query("province"))
	v, err := s.targetsView(c, year, province)
	// As the dashboard: in January nothing has happened yet, open on the
	// last year with data.
	if err == nil && !chosen && v.emptyYear() {
		if earlier, e := s.targetsView(c, year-1, province); e == nil {
			v, earlier.Earlier = earlier, year
		}
	}
	if v != nil {
		v.Layout = s.layout(c, s.cat.t(lang(c), "staff.quotas"))
	}
	s.show(c, v, err)
}

// emptyYear tells whether the table's year has no placement anywhere while
// the year before had some.
func (v *TargetsPage) emptyYear() bool {
	var now, prev int64
	for _, r := range v.Rows {
		now, prev = now+r.Placements, prev+r.PlacementsPrevYear
	}
	return now == 0 && prev > 0
}

// askedYear is the year a page was asked for (?year=), else def; chosen
// tells which.
func askedYear(q string, def int) (year int, chosen bool) {
	if y, err := strconv.Atoi(q); err == nil && y >= 2000 && y <= 2100 {
		return y, true
	}
	return def, false
}

// targetsView reads the table's rows for year: province's zones, or the
// provinces and the nation. Its form holds the stored targets.
func (s *Site) targetsView(c *gin.Context, year int, province string) (*TargetsPage, error) {
	ctx, cl, l := c.Request.Context(), callerOf(c), lang(c)
	v := &TargetsPage{Year: year, Province: province, Max: domain.MaxZoneTarget}
	var whole TargetRow // the nation's, for the ministry's last row
	if province != "" {
		p, err := s.App.ProvinceProgress(ctx, cl, province, year)
		if err != nil {
			return nil, err
		}
		v.Area = s.placeName(l, p.Province.Code, p.Province.NameZh)
		v.Assigned = &AssignedTargets{Positions: p.TargetPositions, Placements: p.TargetPlacements, Source: p.TargetSource}
		for _, z := range p.Zones {
			v.Rows = append(v.Rows, TargetRow{Code: z.Code, Name: s.placeName(l, z.Code, z.NameZh), Completion: z.Completion})
			v.Assigned.ZonePositions += z.TargetPositions
			v.Assigned.ZonePlacements += z.TargetPlacements
		}
	} else {
		p, err := s.App.NationalProgress(ctx, cl, year)
		if err != nil {
			return nil, err
		}
		v.Area, v.Max = s.cat.t(l, "staff.national"), domain.MaxAreaTarget
		whole = TargetRow{Code: nation, Name: v.Area, Completion: p.Completion, Source: p.TargetSource}
		for _, pr := range p.Provinces {
			v.Rows = append(v.Rows, TargetRow{Code: pr.Code, Name: s.placeName(l, pr.Code, pr.NameZh), Completion: pr.Completion,
				Source: pr.TargetSource, Drill: fmt.Sprintf("/staff/targets?year=%d&province=%s", year, pr.Code)})
		}
	}
	// In code order (provinces as GB/T 2260 lists them), not the ranking's:
	// a row must not move while its targets are being typed.
	sort.Slice(v.Rows, func(i, j int) bool { return v.Rows[i].Code < v.Rows[j].Code })
	if province == "" {
		v.Rows = append(v.Rows, whole)
	}
	v.Form.Values = map[string]string{}
	for _, r := range v.Rows {
		v.Form.Values[r.PositionsField()] = strconv.FormatInt(r.TargetPositions, 10)
		v.Form.Values[r.PlacementsField()] = strconv.FormatInt(r.TargetPlacements, 10)
	}
	return v, nil
}

// saveTargets saves the rows whose targets changed. Every row is checked
// first (domain.Quota.Validate, as the API): when one fails nothing is
// saved and the table comes back with every typed value and each message
// beside its field. Each row is then set through the same use case as
// PUT /zones/{code}/quotas/{year} (or the province's), which enforces scope:
// a code outside the caller's reach is answered 403/404 like the API.
func (s *Site) saveTargets(c *gin.Context) {
	year, _ := askedYear(c.PostForm("year"), 0)
	province := targetsProvince(callerOf(c), c.PostForm("province"))
	v, err := s.targetsView(c, year, province)
	if err != nil {
		s.fail(c, err)
		return
	}
	stored := v.Form.Values
	typed := Form{Values: map[string]string{}}
	fields := map[string]string{}
	var changed []domain.Quota
	for _, code := range c.PostFormArray("code") {
		q := domain.Quota{Year: year, ZoneCode: code}
		max := int64(domain.MaxZoneTarget)
		if province == "" {
			q.ZoneCode, q.ProvinceCode, max = "", code, domain.MaxAreaTarget
		}
		dirty := false
		for _, f := range []struct {
			name string
			to   *int64
		}{{"target_positions", &q.TargetPositions}, {"target_placements", &q.TargetPlacements}} {
			key := targetField(f.name, code)
			raw := strings.TrimSpace(c.PostForm(key))
			typed.Values[key] = raw
			n, err := strconv.ParseInt(raw, 10, 64)
			switch {
			case raw == "":
				fields[key] = "is required"
			case err != nil:
				fields[key] = fmt.Sprintf("must be a whole number from 0 to %d", max)
			}
			*f.to = n
			dirty = dirty || raw != stored[key]
		}
		if de := fieldErrors(q.Validate(max)); de != nil {
			for f, reason := range de {
				if _, seen := fields[targetField(f, code)]; !seen {
					fields[targetField(f, code)] = reason
				}
			}
		}
		if dirty {
			changed = append(changed, q)
		}
	}
	// Only when every row is valid: set the changed ones, in order.
	for i := 0; i < len(changed) && len(fields) == 0; i++ {
		q := changed[i]
		if q.ProvinceCode != "" {
			_, err = s.App.SetProvinceQuota(c.Request.Context(), callerOf(c), q)
		} else {
			_, err = s.App.SetZoneQuota(c.Request.Context(), callerOf(c), q)
		}
		if err != nil && fieldErrors(err) == nil {
			s.fail(c, err)
			return
		}
		for f, reason := range fieldErrors(err) {
			fields[targetField(f, q.ZoneCode+q.ProvinceCode)] = reason
		}
	}
	if len(fields) > 0 {
		v.Form = s.failedForm(c, typed.Values, fields)
		v.Layout = s.layout(c, s.cat.t(lang(c), "staff.quotas"))
		s.render(c, http.StatusUnprocessableEntity, v)
		return
	}
	// province is a code the app has just read figures for: safe in a URL.
	back := fmt.Sprintf("/staff/targets?year=%d", year)
	if c.PostForm("province") != "" {
		back += "&province=" + province
	}
	s.done(c, back, "staff.targets_saved", "{n}", strconv.Itoa(len(changed)))
}
