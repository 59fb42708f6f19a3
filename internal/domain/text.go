package domain

// Free text people write to each other: reasons, notes, saved-search names.
// Each is checked as text (textOK: no control characters but line breaks
// and tabs, no bidirectional overrides), so what is stored and mailed is
// what the writer saw.

// ReasonTwoTo500 is the answer to a reason too short, too long or not text.
const ReasonTwoTo500 = "must be 2 to 500 characters"

// CheckReason checks a reason given to someone (an opening's rejection, a
// placement's revocation, a returned report): 2 to 500 characters of text.
// why is the answer on the field "reason" when it is not.
func CheckReason(reason, why string) error {
	if !textOK(reason, 2, 500) {
		return FieldError("reason", why)
	}
	return nil
}

// Validate checks a search to save: a name of one line of 1 to 100
// characters, a query of one line of at most 200, and known filters and
// alert frequency.
func (s SavedSearch) Validate() error {
	var v Validation
	v.Check(lineOK(s.Name, 1, 100), "name", "must be one line of 1 to 100 characters")
	v.Check(lineOK(s.Q, 0, 200), "q", "must be one line of at most 200 characters")
	s.Filters.Validate(&v, "filters.")
	v.Check(s.AlertFrequency == "" || OneOf(s.AlertFrequency, AlertFrequencies), "alert_frequency", ReasonAlertFrequency)
	return v.Err()
}
