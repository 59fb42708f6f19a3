package webui

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gradzone/gradzone/internal/domain"
)

// AuditPage is the audit entries in the caller's scope, newest first, a
// page at a time, each told in the reader's language: who did what to which
// record, and what changed.
type AuditPage struct {
	Layout
	Rows []AuditRow
	Pager
}

// auditPerPage is how many entries one page of the audit log shows.
const auditPerPage = 50

func (*AuditPage) template() string { return "staff/audit" }

// AuditRow is one audit entry as a sentence and a list of changes.
type AuditRow struct {
	At     time.Time
	Actor  string // "" for the system (an import, a job); the operator (named when known) for a command's change
	Action string // "审核通过岗位"
	Entity string // "岗位 人工智能算法科研助理", or "岗位 3f2a…" without a name
	// EntityID is the record's whole ID (the entity's title attribute).
	EntityID string
	Changes  []AuditChange
}

// AuditChange is one field's value before and after ("" when absent).
type AuditChange struct {
	Field, Before, After string
	// Dates: the values are dates ("2026-12-06") or dates and times
	// ("2026-12-06 16:07"), each kept whole on its line (a walk read 「— →
	// 2026-」 over 「12-06 16:07」; a review found a hire's date alike).
	Dates bool
}

// auditPage pages on from the last line shown (?before=, the page's number
// then only counts): by offset, a line written while a reader paged moved
// every later page by one, and page 2 began with lines page 1 had shown (a
// walk). Going back is by number, from the newest.
func (s *Site) auditPage(c *gin.Context) {
	page := pageParam(c)
	f, at := domain.AuditFilter{Kind: c.Query("kind"), Before: c.Query("before")}, domain.Page{Page: page, PerPage: auditPerPage}
	if f.Before != "" {
		at.Page = 1
	}
	items, total, err := s.App.Audit(c.Request.Context(), callerOf(c), f, at)
	if err != nil {
		s.fail(c, err)
		return
	}
	if f.Before != "" {
		total += int64(page-1) * auditPerPage // the pages read before, as numbered
	}
	l := lang(c)
	v := &AuditPage{Layout: s.layout(c, s.cat.t(l, "staff.audit")),
		Pager: pagerOf("/staff/audit", url.Values{"kind": {f.Kind}}, page, total, auditPerPage)}
	if v.Next != "" && len(items) > 0 {
		v.Next = "/staff/audit?" + url.Values{"kind": nonEmpty(f.Kind), "before": {items[len(items)-1].ID}, "page": {strconv.Itoa(page + 1)}}.Encode()
	}
	for _, e := range items {
		v.Rows = append(v.Rows, s.auditRow(l, e))
	}
	s.render(c, http.StatusOK, v)
}

// auditRow translates an entry: the kind and entity type through the
// catalogue ("audit.kind.<kind>", "audit.entity.<type>"), each changed
// field's name ("audit.field.<name>") and status values ("status.<value>").
// Anything without a translation is shown as stored, never dropped.
func (s *Site) auditRow(l string, e domain.AuditEntry) AuditRow {
	name := shortID(e.EntityID)
	switch {
	case e.EntityName != nil:
		name = *e.EntityName
	case areaRecords[e.EntityType]:
		name = s.areaRecordName(l, e.EntityID)
	}
	r := AuditRow{At: e.CreatedAt, Action: s.termOr(l, "audit.kind."+e.Kind, e.Kind),
		Entity: s.termOr(l, "audit.entity."+e.EntityType, e.EntityType) + " " + name, EntityID: e.EntityID}
	switch {
	case e.ActorName != nil:
		r.Actor = *e.ActorName
	case e.Operator != nil:
		r.Actor = fmt.Sprintf(s.cat.t(l, "audit.operator_named"), *e.Operator) // 运维人员 root@host
	case domain.OperatorAuditKind(e.Kind):
		r.Actor = s.cat.t(l, "audit.operator") // the command line, not the system
	}
	before, after := auditFields(e.Before), auditFields(e.After)
	names := map[string]bool{}
	for k := range before {
		names[k] = true
	}
	for k := range after {
		names[k] = true
	}
	keys := make([]string, 0, len(names))
	for k := range names {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if e.EntityName != nil && strings.HasSuffix(k, "_id") {
			continue // the record's name says whom and what (李华 · 科研助理) better than their IDs
		}
		b, a := s.auditValue(l, e.EntityType, k, before[k]), s.auditValue(l, e.EntityType, k, after[k])
		if b == a {
			continue
		}
		r.Changes = append(r.Changes, AuditChange{Field: s.termOr(l, "audit.field."+k, k), Before: b, After: a,
			Dates: shownDate.MatchString(b) || shownDate.MatchString(a)})
	}
	return r
}

// areaRecords are the records whose ID begins with a zone's or province's
// code: reports and targets.
var areaRecords = map[string]bool{"monthly_report": true, "province_report": true, "zone_quota": true, "province_quota": true}

// areaRecordName says an area record's ID ("sichuan-chengdu/2026-05/v1",
// "51/2026") with the area's name for its code: "成都高新技术产业开发区
// 2026-05 v1". An ID of another shape is shown as stored.
func (s *Site) areaRecordName(l, id string) string {
	parts := strings.Split(id, "/")
	if place := s.placeName(l, parts[0], ""); place != "" {
		parts[0] = place
	}
	return strings.Join(parts, " ")
}

// auditFields reads a before/after object; anything else reads as empty.
func auditFields(raw json.RawMessage) map[string]json.RawMessage {
	var m map[string]json.RawMessage
	if len(raw) > 0 {
		_ = json.Unmarshal(raw, &m)
	}
	return m
}

// shownDate matches a value auditValue shows as a date, or a date and
// time.
var shownDate = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?$`)

// auditValue is a stored value as text, a status in the reader's words
// (a report's "submitted" is 已提交, an application's 已投递).
func (s *Site) auditValue(l, entity, field string, raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var str string
	if err := json.Unmarshal(raw, &str); err == nil {
		switch field {
		case "status":
			return s.termOr(l, "audit.status."+entity+"."+str, s.termOr(l, "status."+str, str))
		case "kind":
			return s.termOr(l, "kind."+str, str) // an event's kind
		case "size":
			return s.termOr(l, "esize."+str, str)
		case "type":
			return s.termOr(l, "etype."+str, str) // an employer's type
		case "industry", "discipline", "degree_min":
			return s.fieldValue(l, field, str) // as the review tables say them
		case "role":
			if info, ok := domain.Role(str).Info(); ok && l == "en" { // a staff account an operator made
				return info.En
			} else if ok {
				return info.Zh
			}
		case "zone_code", "province_code":
			return s.placeName(l, str, "") // an employer's correction moved it (a walk read sichuan-chengdu)
		}
		if t, err := time.Parse(time.RFC3339, str); err == nil {
			return t.In(domain.Shanghai).Format("2006-01-02 15:04") // an event's times, as staff set them
		}
		return shortID(str)
	}
	var list []string // titles (the openings offered at an event)
	if err := json.Unmarshal(raw, &list); err == nil {
		if l == "en" {
			return strings.Join(list, ", ")
		}
		return strings.Join(list, "、")
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err == nil {
		if i, err := strconv.ParseInt(n.String(), 10, 64); err == nil {
			return strconv.FormatInt(i, 10)
		}
		return n.String()
	}
	return string(raw)
}

// termOr is the catalogue's text for key, or fallback.
func (s *Site) termOr(l, key, fallback string) string {
	if t, ok := s.cat.lookup(l, key); ok {
		return t
	}
	return fallback
}

// shortID is the first block of a UUID, enough to tell records apart on a
// page; any other text (a report's "zone/2026-05/v1") is kept whole.
func shortID(id string) string {
	if uuidShape.MatchString(id) {
		return id[:8] + "…"
	}
	return id
}

var uuidShape = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// nonEmpty is a query value that is left out when empty.
func nonEmpty(v string) []string {
	if v == "" {
		return nil
	}
	return []string{v}
}
