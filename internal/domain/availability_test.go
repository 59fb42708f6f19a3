package domain

import "testing"

// Searches leave the index for Postgres only while a rebuild is under way
// for an index missing a tenth or more (a review: one missing document
// sent every search of every replica to Postgres for the whole rebuild).
func TestIndexShort(t *testing.T) {
	for _, c := range []struct {
		outcome               HealOutcome
		documents, searchable int64
		short                 bool
	}{
		{HealRebuild, 0, 100_000, true},        // lost
		{HealRebuild, 89_999, 100_000, true},   // more than a tenth missing
		{HealRebuild, 90_000, 100_000, false},  // a tenth
		{HealRebuild, 99_999, 100_000, false},  // one missing, or on its way
		{HealRebuildFail, 0, 100, true},        // the rebuild failed: still short
		{HealOK, 0, 100, false},                // no rebuild was asked for
		{HealSettings, 0, 100, false},          //
		{HealSearchDown, 0, 100, false},        // the breaker decides
		{HealRebuild, 100_000, 100_000, false}, // a rebuild of an older shape
		{HealRebuild, 0, 0, false},             // nothing to find
	} {
		h := SearchHeal{Outcome: c.outcome, Documents: c.documents, Searchable: c.searchable}
		if got := h.IndexShort(); got != c.short {
			t.Errorf("%s with %d of %d documents: short %v, want %v", c.outcome, c.documents, c.searchable, got, c.short)
		}
	}
}
