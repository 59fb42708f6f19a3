package domain

import "time"

// Assessment is an employer's private view of an applicant: a rating and a
// note that only the users of the employer applied to read. It is never
// part of an Application, so nothing that shows an application to the
// graduate, to staff or in an export can carry it.
type Assessment struct {
	ApplicationID string `json:"application_id"`
	// Rating is 1 to 5 stars; nil: not rated.
	Rating    *int       `json:"rating"`
	Note      string     `json:"note"`
	UpdatedAt *time.Time `json:"updated_at"`
}

// MaxAssessmentNote bounds a private note, in characters.
const MaxAssessmentNote = 2000

// Validate checks a rating (1–5 or none) and the note: text of at most
// 2000 characters.
func (a *Assessment) Validate() error {
	var v Validation
	v.Check(a.Rating == nil || (*a.Rating >= 1 && *a.Rating <= 5), "rating", "must be from 1 to 5")
	v.Text(&a.Note, 0, MaxAssessmentNote, "note", "must be at most 2000 characters")
	return v.Err()
}
