package domain

// EmployerSeesContact reports whether an employer sees the applicant's
// phone and e-mail on an application in status: only once it shortlisted
// the applicant and while the application goes on (issue 12 item 4). A
// first look at an application needs the profile, not a way to call the
// graduate; a withdrawn, declined or rejected application closes it again.
func EmployerSeesContact(status string) bool {
	switch status {
	case AppShortlisted, AppInterview, AppOffered, AppAccepted, AppHired:
		return true
	}
	return false
}
