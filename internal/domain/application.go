package domain

// Application statuses, from the contract.
const (
	AppSubmitted   = "submitted"
	AppShortlisted = "shortlisted"
	AppInterview   = "interview"
	AppOffered     = "offered"
	AppAccepted    = "accepted"
	AppHired       = "hired"
	AppRejected    = "rejected"
	AppWithdrawn   = "withdrawn"
	AppDeclined    = "declined"
)

// ApplicationStatusTerms name the statuses a move leads to, as the other
// side's notification says them.
var ApplicationStatusTerms = []Term{{AppShortlisted, "已入围", "shortlisted"}, {AppInterview, "邀请面试", "invited to interview"},
	{AppOffered, "拟录用", "offered"}, {AppAccepted, "已接受", "accepted"}, {AppHired, "已录用", "hired"},
	{AppRejected, "未通过", "not successful"}, {AppWithdrawn, "已撤回", "withdrawn"}, {AppDeclined, "已婉拒", "declined"}}

// ApplicationStatuses lists every application status.
var ApplicationStatuses = []string{AppSubmitted, AppShortlisted, AppInterview, AppOffered, AppAccepted, AppHired, AppRejected, AppWithdrawn, AppDeclined}

// applicationMoves is the contract's table of allowed moves.
var applicationMoves = map[string][]string{
	AppSubmitted:   {AppShortlisted, AppOffered, AppRejected, AppWithdrawn},
	AppShortlisted: {AppInterview, AppOffered, AppRejected, AppWithdrawn},
	AppInterview:   {AppOffered, AppRejected, AppWithdrawn},
	AppOffered:     {AppAccepted, AppDeclined, AppRejected, AppWithdrawn},
	AppAccepted:    {AppHired, AppWithdrawn},
}

// employerMoves and graduateMoves say which side may move an application into
// each target status.
var (
	employerMoves = []string{AppShortlisted, AppInterview, AppOffered, AppRejected, AppHired}
	graduateMoves = []string{AppAccepted, AppDeclined, AppWithdrawn}
)

// CheckTransition decides whether role may move an application from one status
// to another. The side is checked first (403 forbidden for the wrong side, or
// validation_failed for an unknown status), then the move (409 invalid_transition).
func CheckTransition(role Role, from, to string) error {
	if !OneOf(to, ApplicationStatuses) {
		return FieldError("to", "unknown status")
	}
	switch role {
	case RoleEmployer:
		if !OneOf(to, employerMoves) {
			return ErrForbidden
		}
	case RoleGraduate:
		if !OneOf(to, graduateMoves) {
			return ErrForbidden
		}
	default:
		return ErrForbidden
	}
	if !OneOf(to, applicationMoves[from]) {
		return Errorf(CodeInvalidTransition, "an application cannot move from %s to %s", from, to)
	}
	return nil
}

// InterviewStands reports whether the application's interview still holds:
// while the application is open. One of an application that ended
// (rejected, withdrawn, declined) was cancelled (the graduate's calendar got
// a CANCEL), and one of a hire is past its use: pages no longer show it as
// an appointment.
func (a Application) InterviewStands() bool { return ApplicationOpen(a.Status) }

// ApplicationOpen reports whether an application in status s still takes part
// in hiring (it is not finished one way or the other).
func ApplicationOpen(s string) bool { return len(applicationMoves[s]) > 0 }
