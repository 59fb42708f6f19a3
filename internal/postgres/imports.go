package postgres

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/gradzone/gradzone/internal/domain"
)

const insertImportJob = `INSERT INTO import_jobs (kind, zone_code, created_by, total, file_name)
	VALUES (?, ?, ?, ?, ?)
	RETURNING id`

// StartImport records a running import of total rows of file fileName by
// zone staff.
func (s *Store) StartImport(ctx context.Context, c domain.Caller, kind, fileName string, total int) (string, error) {
	if c.Level() != domain.LevelZone {
		return "", domain.ErrForbidden
	}
	var id string
	err := s.db.WithContext(ctx).Raw(insertImportJob,
		kind, c.ZoneCode, c.UserID, total, fileName).Scan(&id).Error
	return id, translate(err)
}

const setImportProgress = `UPDATE import_jobs
	SET done = ?
	WHERE id = ? AND status = 'running'`

// ImportProgress records how many rows of a running import are checked
// (a write that comes after its outcome, which set done to its total,
// changes nothing).
func (s *Store) ImportProgress(ctx context.Context, id string, done int) error {
	return translate(s.db.WithContext(ctx).Exec(setImportProgress, done, id).Error)
}

const beatForImport = `UPDATE import_jobs
	SET heartbeat_at = now()
	WHERE id = ? AND status = 'running'`

// ImportHeartbeat records that the import's replica still runs it.
func (s *Store) ImportHeartbeat(ctx context.Context, id string) error {
	return translate(s.db.WithContext(ctx).Exec(beatForImport, id).Error)
}

// importStopped is true of a running import no replica has beaten for in
// domain.ImportStaleAfter (at the statement's clock: an import's own
// transaction may be minutes old).
var importStopped = fmt.Sprintf(`heartbeat_at < clock_timestamp() - interval '%d seconds'`, int(domain.ImportStaleAfter.Seconds()))

// importStatus is an import's status as read: a stopped one failed.
var importStatus = `CASE WHEN status = 'running' AND ` + importStopped + ` THEN 'failed' ELSE status END AS status`

// importDone is an import's done as read: a stopped one, failed, reads its
// total as FailImport writes it (ImportJob.Done: total once it ended).
var importDone = `CASE WHEN status = 'running' AND ` + importStopped + ` THEN total ELSE done END AS done`

// finished_at is the clock's time: now() is the start of the import's
// transaction, minutes before (an import probe).
var finishImportJob = `UPDATE import_jobs
	SET status = 'done', created = ?, errors = ?::jsonb, problems = ?, refused_rows = ?::jsonb, correctable_rows = ?, done = total,
		finished_at = clock_timestamp()
	WHERE id = ? AND status = 'running' AND NOT ` + importStopped

// errImportStopped rolls back an import found stopped when it came to
// finish: it reads failed already, and staff may have uploaded it again.
var errImportStopped = errors.New("postgres: the import was taken for stopped: its replica did not beat for it")

// finishImport records import job done in tx, the transaction that wrote
// its rows, so the rows and the outcome commit together (a replica stopped
// between the two once left published openings under a running import).
// bad are the rows refused before the store, errs the store's; the
// problems are listed by row, and the refused rows' cells kept beside them.
func finishImport(tx *gorm.DB, job string, created int, bad, errs []domain.ImportError, cells domain.ImportCells) error {
	all := append(slices.Clone(bad), errs...)
	slices.SortStableFunc(all, func(a, b domain.ImportError) int { return cmp.Compare(a.Row, b.Row) })
	refused, kept := domain.RefusedRowsJSON(cells.Refused(all), domain.MaxRefusedRowsJSON)
	res := tx.Exec(finishImportJob, created, importProblems(all), domain.ImportProblemCount(all), string(refused), kept, job)
	if res.Error == nil && res.RowsAffected == 0 {
		return errImportStopped
	}
	return res.Error
}

const failImportJob = `UPDATE import_jobs
	SET status = 'failed', created = 0, errors = ?::jsonb, problems = ?, done = total, finished_at = now()
	WHERE id = ? AND status = 'running'`

// FailImport records that nothing of the import was written; bad are the
// rows refused before the store.
func (s *Store) FailImport(ctx context.Context, id string, bad []domain.ImportError) error {
	return translate(s.db.WithContext(ctx).Exec(failImportJob, importProblems(bad), domain.ImportProblemCount(bad), id).Error)
}

// importProblems is errs as the errors column holds them.
func importProblems(errs []domain.ImportError) string {
	if errs == nil {
		errs = []domain.ImportError{}
	}
	b, _ := json.Marshal(errs)
	return string(b)
}

var importJobColumns = `SELECT id, kind, zone_code, ` + importStatus + `, total, ` + importDone + `, created, errors AS raw_errors, created_at, finished_at,
		file_name, correctable_rows
	FROM import_jobs`

var importJob = importJobColumns + `
	WHERE id = ?`

// zoneImports lists a zone's latest imports with the number of their
// problem rows (a workbook's problems can be thousands: counted here, not
// read). The template's example row and the rows the sheet hid are notes,
// not problems: counted, the list read more than the corrections workbook
// holds.
var zoneImports = `SELECT j.id, j.kind, ` + importStatus + `, j.total, ` + importDone + `, j.created,
		j.problems,
		j.created_at, j.file_name, u.name AS uploaded_by
	FROM import_jobs j JOIN users u ON u.id = j.created_by
	WHERE j.zone_code = ?
	ORDER BY j.created_at DESC
	LIMIT ?`

// importRow is an import_jobs row as read.
type importRow struct {
	ID, Kind, ZoneCode, Status string
	Total, Done, Created       int
	RawErrors                  []byte
	CreatedAt                  time.Time
	FinishedAt                 *time.Time
	FileName                   string
	CorrectableRows            int
}

func (r importRow) toDomain() domain.ImportJob {
	job := domain.ImportJob{ID: r.ID, Kind: r.Kind, ZoneCode: r.ZoneCode, Status: r.Status, Total: r.Total, Done: r.Done,
		Created: r.Created, CreatedAt: r.CreatedAt, FinishedAt: r.FinishedAt, FileName: r.FileName, Errors: []domain.ImportError{},
		CorrectableRows: r.CorrectableRows}
	_ = json.Unmarshal(r.RawErrors, &job.Errors)
	for _, e := range job.Errors {
		if e.Reason == domain.ReasonHiddenRow {
			job.HiddenRows++
		}
	}
	return job
}

// Import returns an import job of the caller's zone. Errors: not_found.
func (s *Store) Import(ctx context.Context, c domain.Caller, id string) (domain.ImportJob, error) {
	if !validUUID(id) {
		return domain.ImportJob{}, domain.ErrNotFound
	}
	var row importRow
	err := s.db.WithContext(ctx).Raw(importJob, id).Scan(&row).Error
	if err != nil {
		return domain.ImportJob{}, translate(err)
	}
	var prov string
	if row.ID != "" {
		z, err := s.Zone(ctx, row.ZoneCode)
		if err != nil {
			return domain.ImportJob{}, err
		}
		prov = z.ProvinceCode
	}
	if row.ID == "" || !c.SeesZone(row.ZoneCode, prov) {
		return domain.ImportJob{}, domain.ErrNotFound
	}
	return row.toDomain(), nil
}

const importRefusedRows = `SELECT coalesce(refused_rows, '[]') AS raw
	FROM import_jobs
	WHERE id = ?`

// RefusedRows are the cells of an import's refused rows, in row order, for
// a caller who sees the import. Errors: not_found.
func (s *Store) RefusedRows(ctx context.Context, c domain.Caller, id string) ([]domain.RefusedRow, error) {
	if _, err := s.Import(ctx, c, id); err != nil {
		return nil, err
	}
	var raw []byte
	if err := s.db.WithContext(ctx).Raw(importRefusedRows, id).Row().Scan(&raw); err != nil {
		return nil, translate(err)
	}
	rows := []domain.RefusedRow{}
	return rows, json.Unmarshal(raw, &rows)
}

// ZoneImports lists the latest imports of the caller's zone, newest first
// (imports are zone staff's: StartImport). Errors: forbidden.
func (s *Store) ZoneImports(ctx context.Context, c domain.Caller, limit int) ([]domain.ImportSummary, error) {
	if c.Level() != domain.LevelZone {
		return nil, domain.ErrForbidden
	}
	var out []domain.ImportSummary
	return out, translate(s.db.WithContext(ctx).Raw(zoneImports, c.ZoneCode, limit).Scan(&out).Error)
}

const insertImportedEmployer = `INSERT INTO employers (name, credit_code, type, size, industry, province_code, zone_code,
	status, verified_at, verified_by)
	VALUES (?, ?, ?, ?, ?, ?, ?, 'verified', now(), ?)
	RETURNING id`

// ImportEmployers writes valid employer rows as verified employers of the
// caller's zone and records import job done with them (bad: the rows
// refused before). Each row runs under its own savepoint: a row the database
// refuses (a credit code already registered) is reported and rolled back
// alone; every other row is kept. progress is told before each row how many
// rows are done, refused or written, and len(rows) after the last: it only
// counts (app.Imports writes the count once a second).
func (s *Store) ImportEmployers(ctx context.Context, c domain.Caller, job string, rows []domain.EmployerImportRow, bad []domain.ImportError, cells domain.ImportCells, progress func(done int)) error {
	zone, err := s.Zone(ctx, c.ZoneCode)
	if err != nil {
		return err
	}
	created := 0
	var errs []domain.ImportError
	var seen map[string]int
	err = s.tx(ctx, func(tx *gorm.DB) error {
		created, errs, seen = 0, nil, map[string]int{} // s.tx may run this again after a deadlock: each try counts afresh
		for i, r := range rows {
			progress(i)
			// A repeat within the file is named as such: "already
			// registered" sent staff looking for an employer that row 6
			// of the same upload had just made (an import probe).
			if first, ok := seen[r.CreditCode]; ok {
				errs = append(errs, domain.ImportError{Row: r.Row, Column: "统一社会信用代码", Reason: domain.ImportRepeats(first, domain.ReasonImportRepeatedCode)})
				continue
			}
			seen[r.CreditCode] = r.Row
			sp := fmt.Sprintf("row%d", i)
			if err := tx.SavePoint(sp).Error; err != nil {
				return err
			}
			var id string
			err := tx.Raw(insertImportedEmployer,
				r.Name, r.CreditCode, r.Type, r.Size, r.Industry, zone.ProvinceCode, zone.Code, c.UserID).Scan(&id).Error
			if err == nil {
				err = audit(ctx, tx, auditEntry{Kind: "employer.imported", ActorID: c.UserID, EntityType: "employer", EntityID: id,
					ZoneCode: zone.Code, ProvinceCode: zone.ProvinceCode, After: map[string]string{"status": "verified"}})
			}
			if err != nil {
				if rerr := tx.RollbackTo(sp).Error; rerr != nil {
					return rerr
				}
				reason := "the database refused the row"
				if isUnique(err, "employers_credit_code_key") {
					reason = "an employer with this credit code is already registered"
				}
				errs = append(errs, domain.ImportError{Row: r.Row, Column: "统一社会信用代码", Reason: reason})
			} else {
				created++
			}
		}
		progress(len(rows))
		return finishImport(tx, job, created, bad, errs, cells)
	})
	return translate(err)
}

const employerByCreditCode = `SELECT id, zone_code, status
	FROM employers
	WHERE credit_code = ?`

// An opening's title is taken while its employer has an opening of that
// title that is not closed. The lock, one per employer of the file (one per
// row ran a 20,000-row file out of lock space: an import probe), makes two
// imports of one workbook (a double click, or the same file uploaded again
// after fixing its bad rows) take turns, so the second sees what the first
// published. Two files naming the same employers in another order may
// deadlock on these locks; s.tx then runs the import again (its progress
// starts afresh).
const (
	lockEmployerTitles = `SELECT pg_advisory_xact_lock(hashtext('opening-titles:' || ?))`
	openingTitleTaken  = `SELECT EXISTS (SELECT 1 FROM openings WHERE employer_id = ? AND lower(title) = lower(?) AND status <> 'closed')`
)

const insertImportedOpening = `INSERT INTO openings (` + openingInputColumns + `, status, submitted_at, imported_at)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending_review', now(), now())
	RETURNING id`

// ImportOpenings writes valid opening rows for employers of the caller's
// zone, published at once (the importing zone staff are their reviewers),
// and records import job done with them. Same savepoint rule as
// ImportEmployers.
func (s *Store) ImportOpenings(ctx context.Context, c domain.Caller, job string, rows []domain.OpeningImportRow, bad []domain.ImportError, cells domain.ImportCells, progress func(done int)) error {
	created := 0
	var errs []domain.ImportError
	// Each employer is told what was published under its name (an employer
	// walk found five openings on its desk it never wrote, and no word),
	// and a row repeating an earlier one of the file is not published twice.
	var published map[string]int
	var seen map[string]int
	// The rows take no savepoint (each held a subtransaction and its lock
	// to the end) and bump no counter (the zone's row was held from the
	// first row to the last, and the zone's approvals waited: an import
	// probe): a row is refused before anything of it is written, the
	// counters are bumped once at the end, and a row the database refuses
	// fails the import, which writes nothing (staff upload it again).
	var counted counterBumps
	var locked map[string]bool
	err := s.tx(ctx, func(tx *gorm.DB) error {
		// s.tx may run this again after a deadlock: each try counts afresh
		// (a second try once found every row "seen" and refused them all).
		created, errs, published, seen, counted, locked = 0, nil, map[string]int{}, map[string]int{}, counterBumps{}, map[string]bool{}
		for i, r := range rows {
			progress(i)
			refuse := func(col, reason string) {
				errs = append(errs, domain.ImportError{Row: r.Row, Column: col, Reason: reason})
			}
			var emp struct {
				ID       string
				ZoneCode *string
				Status   string
			}
			if err := tx.Raw(employerByCreditCode, r.CreditCode).Scan(&emp).Error; err != nil {
				return err
			}
			if emp.ID == "" || deref(emp.ZoneCode) != c.ZoneCode {
				refuse("统一社会信用代码", "no employer with this credit code in your zone")
				continue
			}
			if emp.Status != domain.EmployerVerified {
				refuse("统一社会信用代码", "the employer is not verified yet")
				continue
			}
			in := r.Input
			again := emp.ID + "\x00" + strings.ToLower(in.Title)
			if first, ok := seen[again]; ok {
				refuse("岗位名称", domain.ImportRepeats(first, domain.ReasonImportRepeated))
				continue
			}
			seen[again] = r.Row
			// A workbook uploaded again published every opening twice, and
			// counted each twice toward the zone's positions (an import
			// probe): a title its employer already has open is refused.
			var taken bool
			if !locked[emp.ID] {
				if err := tx.Exec(lockEmployerTitles, emp.ID).Error; err != nil {
					return err
				}
				locked[emp.ID] = true
			}
			if err := tx.Raw(openingTitleTaken, emp.ID, in.Title).Scan(&taken).Error; err != nil {
				return err
			}
			if taken {
				refuse("岗位名称", domain.ReasonImportTitleTaken)
				continue
			}
			var id string
			if err := tx.Raw(insertImportedOpening, openingInputValues(emp.ID, in)...).Scan(&id).Error; err != nil {
				return err
			}
			o, err := loadOpening(tx, id, true)
			if err != nil {
				return err
			}
			if err := s.publishCounted(ctx, tx, c, o, "opening.imported", counted.add); err != nil {
				return err
			}
			created++
			published[emp.ID]++
		}
		progress(len(rows))
		if err := counted.apply(tx); err != nil {
			return err
		}
		for employer, n := range published {
			if err := notifyEmployer(tx, employer, domain.ImportedNotice(n)); err != nil {
				return err
			}
		}
		checked, err := codesOfRefusedRows(tx, c, bad, cells)
		if err != nil {
			return err
		}
		return finishImport(tx, job, created, checked, errs, cells)
	})
	return translate(err)
}

// codeColumn is the openings template's first column.
const codeColumn = "统一社会信用代码"

// codesOfRefusedRows adds, to each row the column checks refused, its
// credit code's problem (no such employer in the caller's zone, or one not
// verified), first, as the template orders the columns: a row refused for
// its deadline alone came back, corrected, refused for its code (an import
// walk). Rows refused for other causes (hidden, the example) are left.
func codesOfRefusedRows(tx *gorm.DB, c domain.Caller, bad []domain.ImportError, cells domain.ImportCells) ([]domain.ImportError, error) {
	out := slices.Clone(bad)
	for i, e := range out {
		row := cells[e.Row]
		if e.Column == "" || e.Column == codeColumn || len(row) == 0 {
			continue
		}
		code := strings.ToUpper(strings.TrimSpace(row[0]))
		if len(code) != 18 {
			continue
		}
		var emp struct {
			ID       string
			ZoneCode *string
			Status   string
		}
		if err := tx.Raw(employerByCreditCode, code).Scan(&emp).Error; err != nil {
			return nil, err
		}
		reason := ""
		switch {
		case emp.ID == "" || deref(emp.ZoneCode) != c.ZoneCode:
			reason = "no employer with this credit code in your zone"
		case emp.Status != domain.EmployerVerified:
			reason = "the employer is not verified yet"
		default:
			continue
		}
		rest := e.Reason
		if !strings.HasPrefix(rest, e.Column+": ") {
			rest = e.Column + ": " + rest // one reason: name its column now
		}
		out[i] = domain.ImportError{Row: e.Row, Column: codeColumn, Reason: codeColumn + ": " + reason + "; " + rest}
	}
	return out, nil
}

// Audit lists audit rows in the staff caller's scope, newest first; with
// f.Before, those older than that entry (its total counts only them).
// Errors: forbidden, validation_failed (before: no such entry).
func (s *Store) Audit(ctx context.Context, c domain.Caller, f domain.AuditFilter, p domain.Page) ([]domain.AuditEntry, int64, error) {
	if !c.Role.IsStaff() {
		return nil, 0, domain.ErrForbidden
	}
	return s.audit(ctx, newFilter(scopeWhere(c, scopeColumns{Zone: "a.zone_code", Province: "a.province_code"})), f, p)
}

// EntityHistory is every audit entry about one record, newest first,
// whatever scope each was made in. It checks no scope: the use case asks
// first whether the caller may read the record (app.EmployerHistory).
func (s *Store) EntityHistory(ctx context.Context, entityType, id string, p domain.Page) ([]domain.AuditEntry, error) {
	out, _, err := s.audit(ctx, newFilter("TRUE", nil), domain.AuditFilter{EntityType: entityType, EntityID: id}, p)
	return out, err
}

// auditCursorRow finds the row number of the audit entry ? within a list's
// filter (appended).
const auditCursorRow = `
SELECT a.id
  FROM audit_log a
 WHERE a.public_id = ? AND `

// audit is Audit within w.
func (s *Store) audit(ctx context.Context, w *filter, f domain.AuditFilter, p domain.Page) ([]domain.AuditEntry, int64, error) {
	if f.Kind != "" {
		w.and("a.kind = ?", f.Kind)
	}
	if f.Actor != "" {
		if !validUUID(f.Actor) {
			return []domain.AuditEntry{}, 0, nil
		}
		w.and("a.actor_id = ?", f.Actor)
	}
	if f.EntityType != "" {
		w.and("a.entity_type = ? AND a.entity_id = ?", f.EntityType, f.EntityID)
	}
	if f.From != nil {
		w.and("a.created_at >= ?", *f.From)
	}
	if f.To != nil {
		w.and("a.created_at < ?", *f.To)
	}
	if f.Before != "" {
		// The cursor is an entry of this list (the scope and filters): one
		// outside it is refused as one that never was, telling nothing.
		// Row numbers order the entries, as below.
		var before int64
		if validUUID(f.Before) {
			if err := s.db.WithContext(ctx).Raw(auditCursorRow+w.where, append([]any{f.Before}, w.args...)...).Scan(&before).Error; err != nil {
				return nil, 0, translate(err)
			}
		}
		if before == 0 {
			return nil, 0, domain.FieldError("before", "is not an audit entry")
		}
		w.and("a.id < ?", before)
	}
	rows, total, err := listPage[auditRow](s.db.WithContext(ctx), `audit_log a`, auditSelect, `a.id DESC`, w, p)
	if err != nil {
		return nil, 0, err
	}
	out := make([]domain.AuditEntry, len(rows))
	for i, r := range rows {
		out[i] = r.AuditEntry
		out[i].Before, out[i].After = nullJSON(r.BeforeRaw), nullJSON(r.AfterRaw)
	}
	return out, total, nil
}

// auditRow is an audit_log row as auditSelect reads it.
type auditRow struct {
	domain.AuditEntry
	BeforeRaw []byte
	AfterRaw  []byte
}

// auditSelect reads audit rows with their actor's name and, for openings,
// employers, events and placements, the record's title, name, or graduate
// and opening (a check-in: the event and whom), and for a staff account
// (an operator's change: the kinds user.*, of staff accounts only) its name
// and address (entity_id is text: only an ID shaped like a UUID is cast, so
// another kind's ID never fails the query).
const auditSelect = `SELECT a.public_id AS id, a.kind, a.actor_id, u.name AS actor_name, a.operator, a.entity_type, a.entity_id,
	CASE a.entity_type
		WHEN 'opening' THEN (SELECT o.title FROM openings o WHERE o.id = auditUUID.id)
		WHEN 'employer' THEN (SELECT e.name FROM employers e WHERE e.id = auditUUID.id)
		WHEN 'event' THEN (SELECT ev.title || coalesce(' · ' || (SELECT g.name FROM users g
				WHERE a.kind = 'event.checked_in' AND g.id::text = a.after->>'graduate_id' AND g.deleted_at IS NULL), '')
			FROM events ev WHERE ev.id = auditUUID.id)
		WHEN 'placement' THEN (SELECT g.name || ' · ' || o.title
			FROM placements p
			JOIN users g ON g.id = p.graduate_id
			JOIN openings o ON o.id = p.opening_id
			WHERE p.id = auditUUID.id)
		WHEN 'user' THEN (SELECT x.name || ' · ' || x.email FROM users x
			WHERE a.kind LIKE 'user.%' AND x.id = auditUUID.id AND x.deleted_at IS NULL)
	END AS entity_name,
	a.zone_code, a.province_code AS province, a.before AS before_raw, a.after AS after_raw, a.request_id, a.created_at
	FROM audit_log a
	LEFT JOIN users u ON u.id = a.actor_id
	LEFT JOIN LATERAL (SELECT CASE WHEN a.entity_id ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
		THEN a.entity_id::uuid END AS id) auditUUID ON true`

func nullJSON(b []byte) json.RawMessage {
	if len(b) == 0 {
		return json.RawMessage("null")
	}
	return b
}
