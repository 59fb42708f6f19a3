package app

import (
	"strings"
	"testing"

	"github.com/gradzone/gradzone/internal/domain"
)

// A review: a row whose validation failed on a field no template column
// holds had no problem listed, so it was imported as valid.
func TestImportRowRefusedForAFieldNoColumnHolds(t *testing.T) {
	var p rowProblems
	p.addFields(domain.FieldError("language", "must be zh or en"), openingFields, openingColumns)
	if e := p.report(3); e == nil || e.Column != "language" || e.Reason != "must be zh or en" {
		t.Errorf("the row's report: %+v", e)
	}
}

// A walk: a title of zero-width characters only was refused for its
// length (须为一行，2–100 个字), and an empty city too, though nothing
// was typed; an import row says 必填 for both, as for an empty title.
func TestImportRowOfInvisibleTitleIsRequired(t *testing.T) {
	today := domain.Date{Year: 2026, Month: 12, Day: 6}
	row := []string{"91510100MA61R8XX1B", "\u200b\u200b\u200d\ufeff", "参与课题研究", "工学", "人工智能", "本科", "", "1", "\u200b", "", "", "2027-03-01"}
	var p rowProblems
	if _, e := parseOpening(5, row, today, &p); e == nil || !strings.Contains(e.Reason, "岗位名称: is required") || !strings.Contains(e.Reason, "工作城市: is required") {
		t.Errorf("the row's report: %+v", e)
	}
}

// A review: the replica's import slots were first come, first served, so
// one zone could hold them all and every other zone was refused. A zone
// has its share; the replica its bound; a slot given back is free again.
func TestImportSlotsAreSharedByZones(t *testing.T) {
	im := &Imports{Concurrent: 2, PerZone: 1}
	for i, step := range []struct {
		take, free string
		ok         bool
	}{
		{take: "chengdu", ok: true},
		{take: "chengdu", ok: false}, // its share
		{take: "mianyang", ok: true},
		{take: "zhongguancun", ok: false}, // the replica's bound
		{free: "chengdu"},
		{take: "zhongguancun", ok: true},
		{take: "chengdu", ok: false},
	} {
		if step.free != "" {
			im.freeSlot(step.free)
		} else if got := im.takeSlot(step.take); got != step.ok {
			t.Fatalf("step %d: %s took a slot: %v, want %v", i, step.take, got, step.ok)
		}
	}
	if neg := (&Imports{Concurrent: -1, PerZone: -1}); !neg.takeSlot("a") {
		t.Error("a bound below one refused the first import") // it panicked
	}
}
