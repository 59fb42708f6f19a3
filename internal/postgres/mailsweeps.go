package postgres

// The mails that sweeps and staff send (issue 13): interview reminders,
// the employer's daily applicant digest, saved-search alert digests, zone
// report reminders and a province's 催报. Each is queued in a transaction
// that also records that it was queued (mail_once or the digest's rows),
// so a sweep run twice, or on two replicas, queues it once; the mail
// pipeline then sends each job once per send key.

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/gradzone/gradzone/internal/domain"
)

const claimMailOnce = `INSERT INTO mail_once (once_key)
	VALUES (?)
	ON CONFLICT DO NOTHING`

// once records key in tx and reports whether it is new.
func once(tx *gorm.DB, key string) (bool, error) {
	res := tx.Exec(claimMailOnce, key)
	return res.RowsAffected == 1, res.Error
}

// mailUsers queues a mail of kind for each user the query names (one user
// ID a row), with send key key+":"+user.
func (s *Store) mailUsers(tx *gorm.DB, kind domain.MailKind, data map[string]string, key, query string, args ...any) (int, error) {
	var ids []string
	if err := tx.Raw(query, args...).Scan(&ids).Error; err != nil {
		return 0, err
	}
	jobs := make([]domain.Job, len(ids))
	for i, id := range ids {
		jobs[i] = MailJob(kind, id, data, key+":"+id)
	}
	if len(jobs) == 0 {
		return 0, nil
	}
	return len(ids), s.enqueue(tx, jobs...)
}

const liveEmployerUserIDs = `SELECT id::text
	FROM users
	WHERE employer_id = ? AND deleted_at IS NULL
	ORDER BY id`

// activeStaff is what makes a staff account one that the report cycle
// mails and tells: not erased, and not disabled by an operator (`gradzone
// user disable`: an official who left). activeStaffU is it for users u.
const (
	activeStaff  = `deleted_at IS NULL AND disabled_at IS NULL`
	activeStaffU = `u.deleted_at IS NULL AND u.disabled_at IS NULL`
)

const liveZoneStaffIDs = `SELECT id::text
	FROM users
	WHERE role IN ? AND zone_code = ? AND ` + activeStaff + `
	ORDER BY id`

// The staff above a zone: a province's review its zones' reports, the
// ministry's read the provinces'.
const (
	liveProvinceStaffIDs = `SELECT id::text
	FROM users
	WHERE role IN ? AND province_code = ? AND ` + activeStaff + `
	ORDER BY id`
	liveMinistryStaffIDs = `SELECT id::text
	FROM users
	WHERE role IN ? AND ` + activeStaff + `
	ORDER BY id`
)

// zoneStaffRoles names the roles that file a zone's monthly report, for the
// queries above and below (`role IN ?`): the registry's, not a spelling.
func zoneStaffRoles() []string { return staffRoles(domain.LevelZone) }

// staffRoles names the roles of a level, for `role IN ?`.
func staffRoles(l domain.Level) []string {
	var out []string
	for _, r := range domain.RolesAt(l) {
		out = append(out, string(r))
	}
	return out
}

// mailEmployer queues a mail of kind to every user of the employer.
func (s *Store) mailEmployer(tx *gorm.DB, employerID string, kind domain.MailKind, data map[string]string, key string) error {
	_, err := s.mailUsers(tx, kind, data, key,
		liveEmployerUserIDs, employerID)
	return err
}

const reviewerPlace = `SELECT coalesce(z.name_zh, p.name_zh, '') AS zh, coalesce(z.name_en, p.name_en, '') AS en
	FROM (SELECT 1) AS one
	LEFT JOIN zones z ON z.code = ?
	LEFT JOIN provinces p ON p.code = ?`

// nameReviewer adds to a review's mail data who reviewed
// (domain.ReviewerNames). The place's names are read here, in the
// review's transaction that queues the mail, not from app.Places, which
// the store does not reach.
func nameReviewer(tx *gorm.DB, c domain.Caller, data map[string]string) error {
	var place struct{ Zh, En string }
	if err := tx.Raw(reviewerPlace, c.ZoneCode, c.ProvinceCode).Scan(&place).Error; err != nil {
		return err
	}
	data["reviewer_zh"], data["reviewer_en"] = domain.ReviewerNames(c.Role, place.Zh, place.En)
	return nil
}

// mailReviewed is mailEmployer for a review's outcome: the mail names who
// reviewed.
func (s *Store) mailReviewed(tx *gorm.DB, c domain.Caller, employerID string, kind domain.MailKind, data map[string]string, key string) error {
	if err := nameReviewer(tx, c, data); err != nil {
		return err
	}
	return s.mailEmployer(tx, employerID, kind, data, key)
}

// mailZoneStaff queues a mail of kind to every staff account of the zone.
func (s *Store) mailZoneStaff(tx *gorm.DB, zone string, kind domain.MailKind, data map[string]string, key string) (int, error) {
	return s.mailUsers(tx, kind, data, key,
		liveZoneStaffIDs, zoneStaffRoles(), zone)
}

const interviewsToRemind = `SELECT a.id, a.graduate_id, o.title, e.name AS employer_name, a.interview_starts_at AS starts_at,
	a.interview_ends_at AS ends_at, a.interview_location AS location, a.interview_online_url AS online_url,
	a.interview_sequence AS sequence
	FROM applications a JOIN openings o ON o.id = a.opening_id JOIN employers e ON e.id = o.employer_id
	WHERE a.status = 'interview' AND a.interview_starts_at > ? AND a.interview_starts_at <= ?
		AND a.interview_set_at <= a.interview_starts_at - make_interval(secs => ?)
	ORDER BY a.interview_starts_at`

// InterviewReminders queues the reminder of every interview starting
// within domain.InterviewReminderBefore from the store's clock: once per
// application, sequence and start, so an interview moved to another time
// is reminded again for the new time only (the old time never comes within
// the window again). An interview arranged (or moved, or picked) within
// that window is not: its mail of the moment says the same (a mail audit
// got a reminder 46 seconds after the invitation). It returns how many
// were queued.
func (s *Store) InterviewReminders(ctx context.Context) (int, error) {
	now := s.now()
	var rows []struct {
		ID, GraduateID, Title, EmployerName string
		StartsAt, EndsAt                    time.Time
		Location, OnlineURL                 string
		Sequence                            int
	}
	if err := s.db.WithContext(ctx).Raw(interviewsToRemind, now, now.Add(domain.InterviewReminderBefore), domain.InterviewReminderBefore.Seconds()).Scan(&rows).Error; err != nil {
		return 0, translate(err)
	}
	n := 0
	for _, r := range rows {
		key := fmt.Sprintf("interview_reminder:%s:%d:%d", r.ID, r.Sequence, r.StartsAt.Unix())
		err := s.tx(ctx, func(tx *gorm.DB) error {
			if fresh, err := once(tx, key); err != nil || !fresh {
				return err
			}
			n++
			iv := domain.Interview{StartsAt: r.StartsAt, EndsAt: r.EndsAt, Location: r.Location, OnlineURL: r.OnlineURL, Sequence: r.Sequence}
			return s.enqueue(tx, MailJob(domain.MailInterviewReminder, r.GraduateID, domain.ReminderMailData(r.ID, r.Title, r.EmployerName, iv), key))
		})
		if err != nil {
			return n, translate(err)
		}
	}
	return n, nil
}

// applicantDigestMax bounds the lines of an applicant digest; the mail
// says how many there were in all and links to the full list.
const applicantDigestMax = 20

const employersWithNewApplicants = `SELECT DISTINCT o.employer_id::text
	FROM applications a JOIN openings o ON o.id = a.opening_id
	WHERE a.created_at >= ? AND a.created_at < ?
	ORDER BY 1`

const newApplicantsOfEmployer = `SELECT a.id, o.title, u.name
	FROM applications a JOIN openings o ON o.id = a.opening_id JOIN users u ON u.id = a.graduate_id
	WHERE o.employer_id = ? AND a.created_at >= ? AND a.created_at < ?
	ORDER BY a.created_at`

// ApplicantDigests queues, for each employer that received applications on
// the previous Shanghai day (by the store's clock), one digest mail to each
// of its users; an employer with none gets nothing. Once per employer and
// day. It returns how many employers were mailed.
func (s *Store) ApplicantDigests(ctx context.Context) (int, error) {
	day := domain.DateOf(s.now()).AddDays(-1)
	from, to := day.Time(), day.AddDays(1).Time()
	var emps []string
	if err := s.db.WithContext(ctx).Raw(employersWithNewApplicants, from, to).Scan(&emps).Error; err != nil {
		return 0, translate(err)
	}
	n := 0
	for _, emp := range emps {
		key := "applicant_digest:" + emp + ":" + day.String()
		err := s.tx(ctx, func(tx *gorm.DB) error {
			if fresh, err := once(tx, key); err != nil || !fresh {
				return err
			}
			var rows []struct{ ID, Title, Name string }
			if err := tx.Raw(newApplicantsOfEmployer, emp, from, to).Scan(&rows).Error; err != nil {
				return err
			}
			items := make([]domain.DigestItem, 0, min(len(rows), applicantDigestMax))
			for _, r := range rows[:min(len(rows), applicantDigestMax)] {
				items = append(items, domain.DigestItem{ID: r.ID, Title: r.Name, Subtitle: r.Title})
			}
			n++
			return s.mailEmployer(tx, emp, domain.MailApplicantDigest, map[string]string{"date": day.String(),
				"count": fmt.Sprint(len(rows)), "items": domain.DigestData(items)}, key)
		})
		if err != nil {
			return n, translate(err)
		}
	}
	return n, nil
}

// alertDigestBatch is how many saved searches one JobAlertDigests job
// covers: one transaction and one multi-row job insert per batch, and, at
// a kill -9, at most this many digests per running batch wait for the
// rescuer instead of going out at once.
const alertDigestBatch = 200

// alertDigestDue is the condition of a saved search whose digest is due
// by the clock ? (the first argument): alerts gathered daily or weekly (or
// that were, before it was switched to immediate), the period since its
// last digest (or its creation) passed, and openings waiting.
const alertDigestDue = `ss.mail_alerts
	AND coalesce(ss.digest_sent_at, ss.created_at) <= ?::timestamptz - CASE ss.alert_frequency
	    WHEN 'daily' THEN interval '1 day' WHEN 'weekly' THEN interval '7 days' ELSE interval '0' END
	AND EXISTS (SELECT 1 FROM alert_digest_items i WHERE i.saved_search_id = ss.id AND i.digest_key IS NULL)`

const dueAlertDigests = `SELECT ss.id::text
	FROM saved_searches ss
	WHERE ` + alertDigestDue + `
	ORDER BY 1`

// AlertDigests hands the saved searches whose digest is due by the store's
// clock to JobAlertDigests jobs, alertDigestBatch a job, all inserted in
// one transaction; each job then queues its digests (QueueAlertDigests).
// It returns how many digests were due. A sweep that runs again before
// the jobs did hands the same searches out again; the jobs re-check, so
// each digest is still queued once.
func (s *Store) AlertDigests(ctx context.Context) (int, error) {
	var due []string
	if err := s.db.WithContext(ctx).Raw(dueAlertDigests, s.now()).Scan(&due).Error; err != nil {
		return 0, translate(err)
	}
	if len(due) == 0 {
		return 0, nil
	}
	jobs := make([]domain.Job, 0, (len(due)+alertDigestBatch-1)/alertDigestBatch)
	for i := 0; i < len(due); i += alertDigestBatch {
		jobs = append(jobs, domain.Job{Kind: domain.JobAlertDigests, IDs: due[i:min(i+alertDigestBatch, len(due))]})
	}
	return len(due), translate(s.tx(ctx, func(tx *gorm.DB) error { return s.enqueue(tx, jobs...) }))
}

// dueAlertDigestSearchesToLock locks those of the saved searches whose
// digest is still due and that no other transaction holds.
const dueAlertDigestSearchesToLock = `SELECT ss.id::text AS id, ss.user_id::text AS user_id, ss.name, ss.alert_frequency
	FROM saved_searches ss
	WHERE ss.id IN ? AND ` + alertDigestDue + `
	ORDER BY ss.id
	FOR UPDATE OF ss SKIP LOCKED`

// markAlertDigestItems gives the pending items of the saved searches their
// digest's key and returns them.
const markAlertDigestItems = `WITH marked AS (
		UPDATE alert_digest_items SET digest_key = 'alert_digest:' || saved_search_id::text || ':' || ?
		WHERE saved_search_id IN ? AND digest_key IS NULL
		RETURNING saved_search_id, opening_id, opening_title, employer_name, created_at)
	SELECT saved_search_id::text AS saved_search_id, opening_id::text AS opening_id, opening_title, employer_name
	FROM marked
	ORDER BY created_at, opening_id`

const setAlertDigestSent = `UPDATE saved_searches
	SET digest_sent_at = ?
	WHERE id IN ?`

// QueueAlertDigests queues, in one transaction, the digest mail of each of
// the saved searches ids that is still due by the store's clock (see
// alertDigestDue). The openings waiting are marked with the digest's key
// and the search's digest time moves on in the same transaction, so each
// opening is mailed in one digest and each digest queued once: the rows
// are locked, and rows another batch holds are skipped (that batch queues
// them, or, if its process died, its transaction rolled back and a later
// sweep or the rescued batch does). It returns how many digests were
// queued.
func (s *Store) QueueAlertDigests(ctx context.Context, ids []string) (int, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	now := s.now()
	n := 0
	err := s.tx(ctx, func(tx *gorm.DB) error {
		n = 0
		var ss []struct{ ID, UserID, Name, AlertFrequency string }
		if err := tx.Raw(dueAlertDigestSearchesToLock, ids, now).Scan(&ss).Error; err != nil || len(ss) == 0 {
			return err
		}
		locked := make([]string, len(ss))
		for i, r := range ss {
			locked[i] = r.ID
		}
		key := func(id string) string { return fmt.Sprintf("alert_digest:%s:%d", id, now.Unix()) }
		var rows []struct{ SavedSearchID, OpeningID, OpeningTitle, EmployerName string }
		if err := tx.Raw(markAlertDigestItems, fmt.Sprint(now.Unix()), locked).Scan(&rows).Error; err != nil {
			return err
		}
		if err := tx.Exec(setAlertDigestSent, now, locked).Error; err != nil {
			return err
		}
		items := map[string][]domain.DigestItem{}
		for _, r := range rows {
			items[r.SavedSearchID] = append(items[r.SavedSearchID], domain.DigestItem{ID: r.OpeningID, Title: r.OpeningTitle, Subtitle: r.EmployerName})
		}
		jobs := make([]domain.Job, 0, len(ss))
		for _, r := range ss {
			if len(items[r.ID]) == 0 {
				continue
			}
			jobs = append(jobs, MailJob(domain.MailAlertDigest, r.UserID, map[string]string{"saved_search_id": r.ID,
				"search_name": r.Name, "frequency": r.AlertFrequency, "count": fmt.Sprint(len(items[r.ID])),
				"items": domain.DigestData(items[r.ID])}, key(r.ID)))
		}
		n = len(jobs)
		if n == 0 {
			return nil
		}
		return s.enqueue(tx, jobs...)
	})
	return n, translate(err)
}

// reportMailData is the data of the report mails.
func reportMailData(z domain.Zone, year, month int) map[string]string {
	return map[string]string{"zone": z.Code, "zone_name": z.NameZh, "zone_name_en": z.NameEn, "year": fmt.Sprint(year),
		"month": fmt.Sprint(month), "due": domain.ReportDue(year, month).String()}
}

// zonesOwingReportMail lists the zones with live zone staff whose report of
// the month is not in (or was returned) and not yet mailed about.
const zonesOwingReportMail = `SELECT z.code, z.name_zh, z.name_en
	FROM zones z
	WHERE EXISTS (SELECT 1 FROM users u WHERE u.role IN ? AND u.zone_code = z.code AND ` + activeStaffU + `)
	AND NOT EXISTS (SELECT 1 FROM monthly_reports r
		WHERE r.zone_code = z.code AND r.year = ? AND r.month = ? AND r.status <> 'returned')
	AND NOT EXISTS (SELECT 1 FROM mail_once m WHERE m.once_key = ? || z.code)
	ORDER BY z.code`

// ReportMails queues, by the store's clock, "report due in 3 days" to the
// staff of each zone that has not submitted this month's report when the
// due date is 3 days away, and "overdue" to those of each zone that has
// not submitted last month's report: once per zone, month and kind, for
// the months of the reporting season only (domain.InReportSeason). It
// returns how many zones were mailed.
func (s *Store) ReportMails(ctx context.Context) (int, error) {
	today := domain.DateOf(s.now())
	type pending struct {
		kind        domain.MailKind
		year, month int
	}
	var todo []pending
	if due := domain.ReportDue(today.Year, today.Month); today.AddDays(3) == due && domain.InReportSeason(today.Month) {
		todo = append(todo, pending{domain.MailReportDue, today.Year, today.Month})
	}
	if last := (domain.Date{Year: today.Year, Month: today.Month, Day: 1}).AddDays(-1); domain.InReportSeason(last.Month) {
		todo = append(todo, pending{domain.MailReportOverdue, last.Year, last.Month})
	}
	n := 0
	for _, p := range todo {
		var zones []domain.Zone
		if err := s.db.WithContext(ctx).Raw(zonesOwingReportMail, zoneStaffRoles(),
			p.year, p.month, fmt.Sprintf("%s:%d-%02d:", p.kind, p.year, p.month)).Scan(&zones).Error; err != nil {
			return n, translate(err)
		}
		for _, z := range zones {
			key := fmt.Sprintf("%s:%d-%02d:%s", p.kind, p.year, p.month, z.Code)
			err := s.tx(ctx, func(tx *gorm.DB) error {
				if fresh, err := once(tx, key); err != nil || !fresh {
					return err
				}
				n++
				_, err := s.mailZoneStaff(tx, z.Code, p.kind, reportMailData(z, p.year, p.month), key)
				return err
			})
			if err != nil {
				return n, translate(err)
			}
		}
	}
	return n, nil
}

// reportChases reads the chases' audit lines (ChaseReports writes one for
// each 催报, naming the zones it mailed), by zone.
const reportChases = `SELECT z.zone, count(*) AS times, max(a.created_at) AS last
	FROM audit_log a CROSS JOIN LATERAL jsonb_array_elements_text(
		CASE WHEN jsonb_typeof(a.after->'zones') = 'array' THEN a.after->'zones' ELSE '[]' END) AS z(zone)
	WHERE a.entity_type = 'province' AND a.entity_id = ? AND a.kind = 'reports.chased'
		AND a.after->>'year' = ? AND a.after->>'month' = ?
	GROUP BY z.zone`

// ReportChases is each zone of province's record of the chases of
// year-month's report. Errors: forbidden, not_found.
func (s *Store) ReportChases(ctx context.Context, c domain.Caller, province string, year, month int) (map[string]domain.ChaseRecord, error) {
	if err := s.provinceScope(c, province); err != nil {
		return nil, err
	}
	var rows []struct {
		Zone  string
		Times int
		Last  time.Time
	}
	if err := s.db.WithContext(ctx).Raw(reportChases, province, fmt.Sprint(year), fmt.Sprint(month)).Scan(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make(map[string]domain.ChaseRecord, len(rows))
	for _, r := range rows {
		out[r.Zone] = domain.ChaseRecord{Times: r.Times, Last: r.Last}
	}
	return out, nil
}

// errNoStaff ends a chase's transaction for a zone with no staff to mail.
var errNoStaff = errors.New("no live staff account in the zone")

const provinceName = `SELECT name_zh
	FROM provinces
	WHERE code = ?`

// ChaseReports is a province's 催报: it mails the staff of every zone of
// province that has not submitted the month's report, at most once per
// zone and Shanghai day (a zone reminded today is counted, not mailed). A
// zone with no live staff account is named as unreached, and not marked
// reminded. Province staff chase their own province; ministry staff any.
// Errors: forbidden, not_found (another province), validation_failed,
// invalid_state (a month outside the reporting season: nothing is owed).
// Year and month 0 mean the current month.
func (s *Store) ChaseReports(ctx context.Context, c domain.Caller, province string, year, month int) (domain.ReportChase, error) {
	if year == 0 && month == 0 {
		today := domain.DateOf(s.now())
		year, month = today.Year, today.Month
	}
	out := domain.ReportChase{Province: province, Year: year, Month: month, Zones: []string{}, Unreached: []string{}}
	if err := checkMonth(year, month); err != nil {
		return out, err
	}
	if err := domain.CheckMonthStarted(year, month, domain.DateOf(s.now())); err != nil {
		return out, err
	}
	if err := s.provinceScope(c, province); err != nil {
		return out, err
	}
	if !domain.InReportSeason(month) {
		return out, domain.Errorf(domain.CodeInvalidState, "no report is owed for %d-%02d: monthly reports are due from May to August", year, month)
	}
	zones, err := s.Zones(ctx, province)
	if err != nil {
		return out, err
	}
	if len(zones) == 0 {
		return out, domain.ErrNotFound
	}
	reports, err := s.reports(s.db.WithContext(ctx), zones, year, month)
	if err != nil {
		return out, translate(err)
	}
	today := domain.DateOf(s.now())
	zoneOf := make(map[string]domain.Zone, len(zones))
	for _, z := range zones {
		zoneOf[z.Code] = z
	}
	var pname []string
	_ = s.db.WithContext(ctx).Raw(provinceName, province).Scan(&pname).Error
	for _, r := range reports {
		if r.Status == "submitted" {
			continue
		}
		key := fmt.Sprintf("%s:%s:%s", domain.MailReportChase, r.Zone, today)
		data := reportMailData(zoneOf[r.Zone], year, month)
		if len(pname) > 0 {
			data["province_name"] = pname[0]
		}
		mailed := false
		err := s.tx(ctx, func(tx *gorm.DB) error {
			fresh, err := once(tx, key)
			if err != nil || !fresh {
				return err
			}
			n, err := s.mailZoneStaff(tx, r.Zone, domain.MailReportChase, data, key)
			if err == nil && n == 0 {
				return errNoStaff // rolls the once mark back: staff added later today can be chased
			}
			mailed = err == nil
			return err
		})
		switch {
		case errors.Is(err, errNoStaff):
			out.Unreached = append(out.Unreached, r.Zone)
		case err != nil:
			return out, translate(err)
		case mailed:
			out.Reminded++
			out.Zones = append(out.Zones, r.Zone)
		default:
			out.AlreadyReminded++
		}
	}
	return out, audit(ctx, s.db.WithContext(ctx), auditEntry{Kind: "reports.chased", ActorID: c.UserID, EntityType: "province",
		EntityID: province, ProvinceCode: province, After: map[string]any{"year": year, "month": month, "zones": out.Zones}})
}
