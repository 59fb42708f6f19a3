package app

import (
	"context"
	"time"

	"github.com/gradzone/gradzone/internal/domain"
)

// Store is what the use cases need from persistence. The app package owns
// it; internal/postgres implements it, and only the composition root
// (internal/server, and the CLI's wiring in internal/cli/wire.go) knows which
// implementation is used. Each method keeps its transaction inside: a call
// is one unit of work. Methods translate database errors into domain errors
// (not_found, email_taken, …); see each implementation for the codes.
type Store interface {
	AccountStore
	TOTPStore
	PrivacyStore
	SessionStore
	EventCheckinStore
	AddEventOpenings(ctx context.Context, c domain.Caller, eventID string, openingIDs []string, pinned bool) (domain.Event, error)
	EventOpeningChoices(ctx context.Context, c domain.Caller, eventID, q string, p domain.Page) ([]domain.Opening, int64, error)
	RemoveEventOpening(ctx context.Context, c domain.Caller, eventID, openingID string) (domain.Event, error)
	Application(ctx context.Context, c domain.Caller, id string) (domain.Application, error)
	Applications(ctx context.Context, c domain.Caller, f domain.ApplicationFilter, p domain.Page) ([]domain.Application, int64, error)
	ApplicationRank(ctx context.Context, c domain.Caller, id string) (status string, rank int64, err error)
	Apply(ctx context.Context, c domain.Caller, req domain.ApplyRequest) (app domain.Application, replayed bool, err error)
	ApproveOpening(ctx context.Context, c domain.Caller, id string) (domain.Opening, error)
	ApproveOpeningVersion(ctx context.Context, c domain.Caller, id string, version int) (domain.Opening, error)
	Audit(ctx context.Context, c domain.Caller, f domain.AuditFilter, p domain.Page) ([]domain.AuditEntry, int64, error)
	// EntityHistory is every audit entry about one record, in any scope:
	// the caller's scope is the use case's to check.
	EntityHistory(ctx context.Context, entityType, id string, p domain.Page) ([]domain.AuditEntry, error)
	Caller(ctx context.Context, userID, jti, sid string) (domain.Caller, error)
	CheckIn(ctx context.Context, c domain.Caller, eventID, code string) (domain.Registration, error)
	CheckInTarget(ctx context.Context, c domain.Caller, eventID, graduateID string) (domain.Checkin, error)
	CloseOpening(ctx context.Context, c domain.Caller, id string) (domain.Opening, error)
	DeleteDraft(ctx context.Context, c domain.Caller, id string) error
	CreateEmployerAccount(ctx context.Context, r domain.EmployerRegistration, passwordHash string) (domain.User, domain.Employer, error)
	CreateEvent(ctx context.Context, c domain.Caller, in domain.EventInput) (domain.Event, error)
	UpdateEvent(ctx context.Context, c domain.Caller, eventID string, p domain.EventPatch) (domain.Event, error)
	CancelEvent(ctx context.Context, c domain.Caller, eventID, reason string) (e domain.Event, waitlistTold int64, err error)
	ReportsAwaitingReview(ctx context.Context, c domain.Caller) ([]domain.ReportsAwaiting, error)
	OverdueReports(ctx context.Context, c domain.Caller, year int, today domain.Date) ([]domain.ReportMonth, error)
	EventRegistrants(ctx context.Context, c domain.Caller, eventID string, f domain.RegistrantFilter, p domain.Page) ([]domain.EventRegistrant, int64, error)
	CreateGraduate(ctx context.Context, r domain.GraduateRegistration, passwordHash string) (domain.User, error)
	CreateOpening(ctx context.Context, c domain.Caller, in domain.OpeningInput) (o domain.Opening, replayed bool, err error)
	CreateSavedSearch(ctx context.Context, c domain.Caller, ss domain.SavedSearch) (saved domain.SavedSearch, created bool, err error)
	CreateStaff(ctx context.Context, a domain.StaffAccount, passwordHash string) (domain.User, error)
	// CreateStaffByOperator is CreateStaff with its audit line
	// (user.created), naming the operator in ctx.
	CreateStaffByOperator(ctx context.Context, a domain.StaffAccount, passwordHash string) (domain.User, error)
	Credentials(ctx context.Context, email string) (domain.User, string, error)
	SetAlertFrequency(ctx context.Context, c domain.Caller, id, freq string) (domain.SavedSearch, error)
	DeleteSavedSearch(ctx context.Context, c domain.Caller, id string) error
	Employer(ctx context.Context, c domain.Caller, id string) (domain.Employer, error)
	EmployerDetails(ctx context.Context, c domain.Caller, id string) (domain.EmployerDetails, error)
	VerifiedEmployer(ctx context.Context, id string) (domain.Employer, error)
	ReturnEmployer(ctx context.Context, c domain.Caller, id, reason string) (domain.Employer, error)
	CorrectEmployer(ctx context.Context, c domain.Caller, id string, o domain.Organisation) (domain.Employer, error)
	PlaceChecker
	EmployersToReview(ctx context.Context, c domain.Caller, status string, page domain.Page) ([]domain.Employer, int64, error)
	EmployersInScope(ctx context.Context, c domain.Caller, f domain.EmployerFilter, page domain.Page) ([]domain.Employer, int64, error)
	EndSession(ctx context.Context, userID, refreshHash, sessionID, jti string, accessExpires time.Time) error
	Event(ctx context.Context, c domain.Caller, id string) (domain.Event, error)
	Events(ctx context.Context, c domain.Caller, f domain.EventFilter, p domain.Page) ([]domain.Event, int64, error)
	FailImport(ctx context.Context, id string, bad []domain.ImportError) error
	Import(ctx context.Context, c domain.Caller, id string) (domain.ImportJob, error)
	ZoneImports(ctx context.Context, c domain.Caller, limit int) ([]domain.ImportSummary, error)
	ImportEmployers(ctx context.Context, c domain.Caller, job string, rows []domain.EmployerImportRow, bad []domain.ImportError, cells domain.ImportCells, progress func(done int)) error
	ImportOpenings(ctx context.Context, c domain.Caller, job string, rows []domain.OpeningImportRow, bad []domain.ImportError, cells domain.ImportCells, progress func(done int)) error
	RefusedRows(ctx context.Context, c domain.Caller, id string) ([]domain.RefusedRow, error)
	ImportProgress(ctx context.Context, id string, done int) error
	ImportHeartbeat(ctx context.Context, id string) error
	ManagedOpenings(ctx context.Context, c domain.Caller, status string, page domain.Page) ([]domain.Opening, int64, error)
	MarkAllNotificationsRead(ctx context.Context, c domain.Caller) error
	MarkNotificationRead(ctx context.Context, c domain.Caller, id string) error
	Me(ctx context.Context, c domain.Caller) (domain.Me, error)
	MonthlyReport(ctx context.Context, c domain.Caller, zone string, year, month int) (domain.MonthlyReport, error)
	MonthlyReports(ctx context.Context, c domain.Caller, province string, year, month int) ([]domain.MonthlyReport, error)
	ReturnedReports(ctx context.Context, c domain.Caller) ([]domain.ReportMonth, error)
	AreaMonth(ctx context.Context, c domain.Caller, province string, year, month int) (domain.AreaMonth, bool, error)
	NationalProgress(ctx context.Context, c domain.Caller, year int) (domain.AreaProgress, error)
	// ApplicationsByProvince counts the applications made in year by the
	// province of their opening's employer and by status (nobody's scope:
	// the metrics address's counts).
	ApplicationsByProvince(ctx context.Context, year int) (map[string]map[string]int64, error)
	Notifications(ctx context.Context, c domain.Caller, unreadOnly bool, p domain.Page) ([]domain.Notification, int64, int64, error)
	OpeningsToReview(ctx context.Context, c domain.Caller, status string, page domain.Page) ([]domain.Opening, int64, error)
	Opening(ctx context.Context, c domain.Caller, id string) (domain.Opening, error)
	// EndedOpening is an opening that was public when it closed, as the
	// public may still see it.
	EndedOpening(ctx context.Context, id string) (domain.EndedOpening, error)
	Ping(ctx context.Context) error
	PublishedOpeningStamps(ctx context.Context, limit int) ([]domain.OpeningStamp, error)
	Placements(ctx context.Context, c domain.Caller, f domain.PlacementFilter, p domain.Page) ([]domain.Placement, int64, error)
	EachPlacement(ctx context.Context, c domain.Caller, f domain.PlacementFilter, fn func(domain.Placement) error) error
	ProvinceProgress(ctx context.Context, c domain.Caller, code string, year int) (domain.AreaProgress, error)
	ProvinceReport(ctx context.Context, c domain.Caller, province string, year, month int) (domain.ProvinceReport, error)
	ProvinceReportStates(ctx context.Context, c domain.Caller, year, month int) ([]domain.ProvinceReportState, error)
	Provinces(ctx context.Context) ([]domain.Province, error)
	RegisterForEvent(ctx context.Context, c domain.Caller, eventID string) (domain.Registration, error)
	WithdrawRegistration(ctx context.Context, c domain.Caller, eventID string) error
	JoinWaitlist(ctx context.Context, c domain.Caller, eventID string) (domain.WaitlistPlace, bool, error)
	LeaveWaitlist(ctx context.Context, c domain.Caller, eventID string) error
	RejectOpening(ctx context.Context, c domain.Caller, id, reason string) (domain.Opening, error)
	ReportVersions(ctx context.Context, c domain.Caller, zone string, year, month int) ([]domain.ReportVersion, error)
	ResumeFile(ctx context.Context, c domain.Caller, graduateID string) (string, error)
	ReviewReport(ctx context.Context, c domain.Caller, zone string, year, month int, action, reason string) (domain.MonthlyReport, error)
	RevokePlacement(ctx context.Context, c domain.Caller, id, reason string) (domain.Placement, error)
	RotateRefresh(ctx context.Context, oldHash, newHash string, expires time.Time, client domain.Client) (domain.User, string, error)
	SavedSearches(ctx context.Context, c domain.Caller) ([]domain.SavedSearch, error)
	SearchIndexState(ctx context.Context) (domain.SearchIndexState, error)
	SearchOpenings(ctx context.Context, q domain.SearchQuery) (domain.SearchResult, error)
	SetProvinceQuota(ctx context.Context, c domain.Caller, q domain.Quota) (domain.Quota, error)
	ClearResume(ctx context.Context, c domain.Caller) (string, error)
	SetResume(ctx context.Context, c domain.Caller, file string) (string, error)
	SetZoneQuota(ctx context.Context, c domain.Caller, q domain.Quota) (domain.Quota, error)
	StartImport(ctx context.Context, c domain.Caller, kind, fileName string, total int) (string, error)
	StartSession(ctx context.Context, userID, tokenHash string, expires time.Time, client domain.Client) (string, error)
	SubmitOpening(ctx context.Context, c domain.Caller, id string) (domain.Opening, error)
	SubmitProvinceReport(ctx context.Context, c domain.Caller, province string, year, month int) (domain.ProvinceReport, error)
	SubmitReport(ctx context.Context, c domain.Caller, zone string, year, month int, note string) (domain.MonthlyReport, error)
	TrackEventClick(ctx context.Context, eventID, openingID string, hit domain.EventHit) error
	TrackEventView(ctx context.Context, trackingCode string, hit domain.EventHit) (string, error)
	EventOfTrackedLink(ctx context.Context, trackingCode string) (string, error)
	Transition(ctx context.Context, c domain.Caller, id string, t domain.Transition) (domain.Application, error)
	PickInterviewSlot(ctx context.Context, c domain.Caller, appID, slotID string) (domain.Application, error)
	// ChangeInterview gives an application at interview a new appointment.
	// Errors: forbidden, not_found, invalid_state.
	ChangeInterview(ctx context.Context, c domain.Caller, appID string, iv domain.Interview) (domain.Application, error)
	// InterviewSlotLink reads the offered time a mailed pick link names.
	// Errors: not_found.
	InterviewSlotLink(ctx context.Context, slotID string) (domain.SlotLink, error)
	UpdateOpening(ctx context.Context, c domain.Caller, id string, p domain.OpeningPatch) (domain.Opening, error)
	UpdateProfile(ctx context.Context, c domain.Caller, p domain.ProfilePatch) (domain.Me, error)
	User(ctx context.Context, id string) (domain.User, error)
	VerifyEmployer(ctx context.Context, c domain.Caller, id string) (domain.Employer, error)
	Zone(ctx context.Context, code string) (domain.Zone, error)
	ZoneProgress(ctx context.Context, c domain.Caller, code string, year int) (domain.ZoneProgress, error)
	Zones(ctx context.Context, province string) ([]domain.Zone, error)
	MailPrefStore
	SavedStore
	ChaseStore
	AssessmentStore
}
