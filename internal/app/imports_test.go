package app

import (
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
