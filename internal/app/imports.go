package app

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"log/slog"
	"maps"
	"math/rand/v2"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/excel"
)

// Imports loads employers or openings from zone staff's workbooks. Policy
// (docs/decisions.md): valid rows only — every valid row is written, every
// bad row is reported with its column and reason and writes nothing.
type Imports struct {
	Store Store
	Log   *slog.Logger
	// Beat is how often a running import's replica beats for it
	// (0: domain.ImportHeartbeat; tests shorten or stretch it).
	Beat time.Duration
	// ProgressEvery is how often it writes how many rows are checked
	// (0: domain.ImportProgressEvery).
	ProgressEvery time.Duration
	// Concurrent bounds the imports this replica reads and runs at once
	// (0 or less: MaxRunningImports), and PerZone those of one zone (0 or
	// less: MaxRunningImportsPerZone). Each holds its rows, up to
	// excel.ImportLimits.Text of text, until it ends; a security probe
	// found nothing bounding how many did, and a review one zone taking
	// every slot. Past either an upload is answered ErrImportsBusy.
	Concurrent, PerZone int
	slotsMu             sync.Mutex
	busy                int            // the imports this replica reads or runs
	busyIn              map[string]int // of them, by zone

	// running counts the imports this replica runs, and stopping ends
	// them when a graceful stop runs out of time (Drain).
	running             sync.WaitGroup
	makeStop, closeStop sync.Once
	stopping            chan struct{}
}

// MaxImportRows bounds one upload (and domain.MaxImportBytes its size).
const MaxImportRows = 20000

// MaxRunningImports is how many imports one replica runs at once, and
// MaxRunningImportsPerZone how many of them one zone's: a zone imports its
// list now and then, 178 zones share the replicas, and two uploads of one
// zone at once are allowed (the second waits for the first's titles).
const (
	MaxRunningImports        = 4
	MaxRunningImportsPerZone = 2
)

// ErrImportsBusy answers an upload while the replica runs as many imports
// as it takes, or its zone as many as it may (Imports.Concurrent, PerZone).
var ErrImportsBusy = &domain.Error{Code: domain.CodeUnavailable, RetryAfter: 30,
	Message: "the server is running as many imports as it takes at once; upload the workbook again in a minute"}

// ErrImportTooLarge is answered for a workbook over domain.MaxImportBytes.
var ErrImportTooLarge = &domain.Error{Code: domain.CodeTooLarge, Message: "the workbook must be at most 10 MB"}

// Start parses the workbook (data, uploaded as fileName), records a
// running job and processes it in the background; the caller polls the job
// for progress. Errors: forbidden, validation_failed (unreadable workbook,
// wrong kind, too many rows).
func (im *Imports) Start(ctx context.Context, c domain.Caller, kind, fileName string, data []byte, today domain.Date) (domain.ImportJob, error) {
	if c.Level() != domain.LevelZone {
		return domain.ImportJob{}, domain.ErrForbidden
	}
	headers, ok := excel.Templates[kind]
	if !ok {
		return domain.ImportJob{}, domain.FieldError("kind", "must be employers or openings")
	}
	if !im.takeSlot(c.ZoneCode) {
		return domain.ImportJob{}, ErrImportsBusy
	}
	running := false // the slot passes to the run, or is given back here
	defer func() {
		if !running {
			im.freeSlot(c.ZoneCode)
		}
	}()
	// The doors read one byte past the limit: a larger file was cut short,
	// and is refused for its size rather than taken for a broken workbook.
	if len(data) > domain.MaxImportBytes {
		return domain.ImportJob{}, ErrImportTooLarge
	}
	// Streamed with limits checked before inflating: a zip bomb costs
	// neither memory nor time (issue 12 item 7).
	lim := excel.ImportLimits
	lim.Rows = MaxImportRows + 1
	sheet, err := excel.ReadRows(data, len(headers), lim, func(r []string) bool { return excel.IsTemplateHeader(kind, r) })
	var le *excel.LimitError
	var he *excel.HeaderError
	switch {
	case errors.As(err, &le):
		return domain.ImportJob{}, domain.FieldError("file", le.Reason)
	case errors.As(err, &he):
		return domain.ImportJob{}, domain.FieldError("file", notTheTemplate(kind, he))
	case err != nil:
		return domain.ImportJob{}, domain.FieldError("file", notAWorkbook(data))
	}
	filled := 0
	for i, r := range sheet.Rows {
		// Cells right of the template's are not read: a corrections
		// workbook's 问题 column, or a note staff added.
		sheet.Rows[i] = r[:len(headers)]
		if !emptyRow(sheet, i) {
			filled++
		}
	}
	if filled == 0 && len(sheet.HiddenRows) > 0 {
		return domain.ImportJob{}, domain.FieldError("file", domain.ReasonAllRowsHidden)
	}
	if filled == 0 {
		return domain.ImportJob{}, domain.FieldError("file", "the workbook has no data rows")
	}
	id, err := im.Store.StartImport(ctx, c, kind, domain.UploadName(fileName), filled)
	if err != nil {
		return domain.ImportJob{}, err
	}
	im.running.Add(1)
	running = true
	go func() {
		defer im.running.Done()
		defer im.freeSlot(c.ZoneCode)
		im.run(context.WithoutCancel(ctx), c, id, kind, sheet, filled, today)
	}()
	return im.Store.Import(ctx, c, id)
}

// notTheTemplate says where a workbook differs from kind's template: the
// first visible sheet's first column whose heading is not the template's
// (an import probe's 序号 column in front read only "not the template").
func notTheTemplate(kind string, he *excel.HeaderError) string {
	col, got, want := excel.HeaderMismatch(kind, he.Row)
	if he.Row == nil || col == 0 {
		return "is not the " + kind + " template: its first row must be the template's column headings"
	}
	return domain.NotTheTemplate(kind, he.Sheet, col, got, want)
}

// notAWorkbook names what a file that is no .xlsx workbook is, where it is
// one of the files staff hold by mistake: an old .xls or a workbook saved
// with a password (both OLE2 files), a CSV or other text, an empty file.
func notAWorkbook(data []byte) string {
	switch {
	case len(data) == 0:
		return domain.ReasonEmptyFile
	case bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0}):
		return domain.ReasonOldXLS
	case isText(data[:min(len(data), 4096)]):
		return domain.ReasonTextFile
	}
	return "must be an .xlsx workbook made from the template"
}

// isText tells whether b looks like text (a CSV in UTF-8 or GBK): no NUL
// and no control bytes but tab and line ends.
func isText(b []byte) bool {
	for _, c := range b {
		if c == 0 || (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
			return false
		}
	}
	return true
}

// Drain waits for the imports this replica runs to finish, until ctx ends
// (a graceful stop's budget: the server stops taking requests first). Then
// it stops the rest: their rows roll back with them and each is recorded
// failed at once, so staff read "failed, upload again" now rather than a
// minute later, when its beats would have been missed.
func (im *Imports) Drain(ctx context.Context) {
	finished := make(chan struct{})
	go func() {
		im.running.Wait()
		close(finished)
	}()
	select {
	case <-finished:
		return
	case <-ctx.Done():
	}
	im.closeStop.Do(func() { close(im.stop()) })
	<-finished
}

// takeSlot takes one of the replica's import slots for zone, if one is
// free to it.
func (im *Imports) takeSlot(zone string) bool {
	im.slotsMu.Lock()
	defer im.slotsMu.Unlock()
	if im.busy >= orDefault(im.Concurrent, MaxRunningImports) || im.busyIn[zone] >= orDefault(im.PerZone, MaxRunningImportsPerZone) {
		return false
	}
	if im.busyIn == nil {
		im.busyIn = map[string]int{}
	}
	im.busy++
	im.busyIn[zone]++
	return true
}

// freeSlot gives zone's slot back.
func (im *Imports) freeSlot(zone string) {
	im.slotsMu.Lock()
	defer im.slotsMu.Unlock()
	im.busy--
	if im.busyIn[zone]--; im.busyIn[zone] == 0 {
		delete(im.busyIn, zone)
	}
}

// orDefault is n, or def when n is not positive.
func orDefault(n, def int) int {
	if n <= 0 {
		return def
	}
	return n
}

// stop is the channel Drain closes to end the imports still running.
func (im *Imports) stop() chan struct{} {
	im.makeStop.Do(func() { im.stopping = make(chan struct{}) })
	return im.stopping
}

// Template is the workbook staff fill in for kind, with one example row
// marked 【示例】 whose values are valid (a valid credit code made for this
// download, no real employer's; a deadline 90 days ahead): the import
// checks it like any row and never imports it (domain.IsExampleRow).
// Enumerated columns show the Chinese labels, which the import reads like
// the codes. Errors: not_found for an unknown kind.
func (im *Imports) Template(_ context.Context, _ domain.Caller, kind string, today domain.Date) ([]byte, error) {
	code := exampleCreditCode()
	var example []any
	switch kind {
	case "employers":
		example = []any{domain.ExampleMark + "示例科技有限公司", code, "企业", "小型", "人工智能"}
	case "openings":
		example = []any{code, domain.ExampleMark + "人工智能科研助理", "协助开展算法研究", "工学", "人工智能", "本科", "计算机科学与技术、软件工程", 2,
			"成都", 6000, 9000, today.AddDays(90).String()}
	default:
		return nil, domain.ErrNotFound
	}
	return excel.Template(kind, example, choiceColumns[kind])
}

// Corrections is the workbook of an import's refused rows for staff to
// correct and upload again: the template's columns holding each row's
// cells as read, and a 问题 column (which the import does not read) naming
// the row's number in the uploaded file and its problems. The job names
// the download (domain.CorrectionsFileNames). Errors: not_found (no import
// the caller sees, or none of its rows kept: nothing refused, failed, or
// from before the rows were kept).
func (im *Imports) Corrections(ctx context.Context, c domain.Caller, id string) (job domain.ImportJob, data []byte, err error) {
	job, err = im.Store.Import(ctx, c, id)
	if err != nil {
		return job, nil, err
	}
	if job.CorrectableRows == 0 {
		return job, nil, domain.ErrNotFound
	}
	refused, err := im.Store.RefusedRows(ctx, c, id)
	if err != nil {
		return job, nil, err
	}
	problems := map[int][]domain.ImportError{}
	for _, e := range job.Errors {
		problems[e.Row] = append(problems[e.Row], e)
	}
	rows := make([][]string, len(refused))
	for i, r := range refused {
		rows[i] = append(slices.Clone(r.Cells), domain.CorrectionNote(r.Row, problems[r.Row]))
	}
	data, err = excel.Corrections(job.Kind, rows, choiceColumns[job.Kind])
	return job, data, err
}

// exampleCreditCode is a valid, random unified social credit code (a
// company registered in Chengdu), so each template's example employer is new.
func exampleCreditCode() string {
	const digits = "0123456789"
	b := []byte("91510100")
	for len(b) < 17 {
		b = append(b, digits[rand.IntN(len(digits))])
	}
	return domain.CompleteCreditCode(string(b))
}

// emptyRow tells whether the sheet's i'th row holds nothing to import: it
// is blank and no cell of it is a formula without a result (which reads
// empty, and is named).
func emptyRow(sheet excel.Sheet, i int) bool {
	return excel.Blank(sheet.Rows[i]) && len(sheet.Uncalculated[sheet.FirstRow()+i]) == 0
}

// parseRows parses every row of the sheet but the blank ones with parse
// (numbered as the spreadsheet shows them), keeping the valid ones and each
// bad row's error; a template's example row, once checked, is noted and
// left out, and so is each row the sheet hides. A cell holding a formula
// without a result is its column's problem before parse looks at it
// (columns are the template's columns' names, in its order).
func parseRows[T any](sheet excel.Sheet, columns []string, parse func(row int, r []string, p *rowProblems) (T, *domain.ImportError)) ([]T, []domain.ImportError) {
	var valid []T
	var errs []domain.ImportError
	for _, n := range sheet.HiddenRows {
		errs = append(errs, domain.ImportError{Row: n, Reason: domain.ReasonHiddenRow})
	}
	for i, r := range sheet.Rows {
		if emptyRow(sheet, i) {
			continue
		}
		n := sheet.FirstRow() + i
		var p rowProblems
		for _, col := range sheet.Uncalculated[n] {
			p.add(columns[col], domain.ReasonNoFormulaResult)
		}
		row, bad := parse(n, r, &p)
		switch {
		case bad != nil:
			errs = append(errs, *bad)
		case domain.IsExampleRow(r):
			errs = append(errs, domain.ImportError{Row: n, Reason: domain.ReasonExampleRow})
		default:
			valid = append(valid, row)
		}
	}
	return valid, errs
}

// run validates every row of the total filled ones, writes the valid ones
// and records the outcome, beating for the import meanwhile
// (domain.ImportHeartbeat): an import whose replica stops reads failed once
// the beats stop, not running for ever. How many rows are checked is
// written as it moves (recordProgress): the rows commit with the outcome,
// and a walk read 新增 0 until a 3,000-row import ended.
func (im *Imports) run(ctx context.Context, c domain.Caller, id, kind string, sheet excel.Sheet, total int, today domain.Date) {
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	go func() {
		select {
		case <-im.stop():
			stop()
		case <-ctx.Done():
		}
	}()
	// A beat that fails (once logged) lets the import read failed.
	go im.everyTick(ctx, cmp.Or(im.Beat, domain.ImportHeartbeat), id, slog.LevelError, "import heartbeat", func() error {
		return im.Store.ImportHeartbeat(ctx, id)
	})
	var checked atomic.Int64
	go im.recordProgress(ctx, id, &checked)
	// The rows refused before the store are checked; the store tells how
	// many of the others it went past (it may start afresh: s.tx's retry).
	var before int
	progress := func(done int) { checked.Store(int64(before + done)) }
	cells := domain.ImportCells{}
	for i, r := range sheet.Rows {
		cells[sheet.FirstRow()+i] = r
	}
	var bad []domain.ImportError
	var err error
	switch kind {
	case "employers":
		var valid []domain.EmployerImportRow
		valid, bad = parseRows(sheet, columnNames(employerFields, employerColumns), parseEmployer)
		before = total - len(valid)
		err = im.Store.ImportEmployers(ctx, c, id, valid, bad, cells, progress)
	case "openings":
		var valid []domain.OpeningImportRow
		valid, bad = parseRows(sheet, columnNames(openingFields, openingColumns), func(row int, r []string, p *rowProblems) (domain.OpeningImportRow, *domain.ImportError) {
			return parseOpening(row, r, today, p)
		})
		before = total - len(valid)
		err = im.Store.ImportOpenings(ctx, c, id, valid, bad, cells, progress)
	}
	if err != nil {
		if ctx.Err() != nil {
			im.Log.Warn("import stopped by the replica's stop", "id", id)
		} else {
			im.Log.Error("import failed", "id", id, "err", err)
		}
		// Recorded even when the import was stopped: its context is done.
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if err := im.Store.FailImport(fctx, id, bad); err != nil {
			im.Log.Error("import failure not recorded", "id", id, "err", err)
		}
	}
}

// recordProgress writes the import's rows checked (ImportJob.Done) every
// ProgressEvery while the count moves, until ctx ends: one write a second
// at most, the run only counting, so a row that waits on a lock does not
// keep the count from the page. Only this replica writes it (the job is
// its run's), and a write after the outcome changes nothing. A write that
// fails (once logged) is tried at the next tick; the outcome writes the
// count in any case. A retried run counts afresh (s.tx's retry): the count
// written never goes back, it waits for the retry to pass it (the bar
// stepped back to 0 of 2, then on).
func (im *Imports) recordProgress(ctx context.Context, id string, checked *atomic.Int64) {
	var written int64
	im.everyTick(ctx, cmp.Or(im.ProgressEvery, domain.ImportProgressEvery), id, slog.LevelWarn, "import progress not written", func() error {
		n := checked.Load()
		if n <= written {
			return nil
		}
		if err := im.Store.ImportProgress(ctx, id, int(n)); err != nil {
			return err
		}
		written = n
		return nil
	})
}

// everyTick calls do every d until ctx ends, logging the first error it
// returns (msg, at level) once: an import's heartbeat and its progress.
func (im *Imports) everyTick(ctx context.Context, d time.Duration, id string, level slog.Level, msg string, do func() error) {
	tick := time.NewTicker(d)
	defer tick.Stop()
	logged := false
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if err := do(); err != nil && !logged && ctx.Err() == nil {
				im.Log.Log(ctx, level, msg, "id", id, "err", err)
				logged = true
			}
		}
	}
}

// rowProblems gathers every problem of a row, one a column, in the
// template's order: an employer walk fixed a row's one reported cell,
// uploaded again, and met the next of its six.
type rowProblems struct {
	columns, reasons []string
}

// add records column's reason, unless the column has one already.
func (p *rowProblems) add(column, reason string) {
	if !slices.Contains(p.columns, column) {
		p.columns, p.reasons = append(p.columns, column), append(p.reasons, reason)
	}
}

// addFields records a validation error's fields under their columns (the
// template's headings, in its order), then any other field under its own
// name (a field no column holds must still refuse the row: a review); an
// error without fields as the row's.
func (p *rowProblems) addFields(err error, columns []string, headings map[string]string) {
	de, ok := err.(*domain.Error)
	if !ok || len(de.Fields) == 0 {
		p.add("", err.Error())
		return
	}
	for _, f := range columns {
		if r, bad := de.Fields[f]; bad {
			p.add(headings[f], r)
		}
	}
	for _, f := range slices.Sorted(maps.Keys(de.Fields)) {
		if !slices.Contains(columns, f) {
			p.add(f, de.Fields[f])
		}
	}
}

// report is the row's report, nil when it has no problem: the first
// column, and one reason, or each reason after its column.
func (p *rowProblems) report(row int) *domain.ImportError {
	switch len(p.columns) {
	case 0:
		return nil
	case 1:
		return &domain.ImportError{Row: row, Column: p.columns[0], Reason: p.reasons[0]}
	}
	parts := make([]string, len(p.columns))
	for i := range p.columns {
		parts[i] = p.columns[i] + ": " + p.reasons[i]
	}
	return &domain.ImportError{Row: row, Column: p.columns[0], Reason: strings.Join(parts, "; ")}
}

// cellNumber reads a whole number as a spreadsheet holds it: full width
// (３), with thousands separators (8,000) or 元 after it. An empty cell is
// 0 when empty may be, as the form's empty salary is 面议.
func cellNumber(s string, empty bool) (int, bool) {
	s = strings.NewReplacer(",", "", "，", "", "元", "", " ", "").Replace(domain.PlainText(s))
	if whole, cents, ok := strings.Cut(s, "."); ok && strings.Trim(cents, "0") == "" {
		s = whole // 7000.00, as a spreadsheet's number format writes it (a verify walk)
	}
	if s == "" {
		return 0, empty
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

var employerColumns = map[string]string{"employer.name": "单位名称", "employer.credit_code": "统一社会信用代码",
	"employer.type": "单位类型", "employer.size": "单位规模", "employer.industry": "所属行业"}

// employerFields are the employers template's fields in its column order.
var employerFields = []string{"employer.name", "employer.credit_code", "employer.type", "employer.size", "employer.industry"}

// columnNames are a template's columns' names, fields in its order.
func columnNames(fields []string, names map[string]string) []string {
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = names[f]
	}
	return out
}

// parseEmployer reads an employers row, adding its problems to p.
func parseEmployer(row int, r []string, p *rowProblems) (domain.EmployerImportRow, *domain.ImportError) {
	// An empty name is named first, in its column's place: the checks of
	// the cells after it add their problems before Validate's (which also
	// says 必填, for a name of invisible characters).
	if strings.TrimSpace(r[0]) == "" {
		p.add(employerColumns["employer.name"], "is required")
	}
	if lostDigits(r[1]) {
		p.add("统一社会信用代码", creditCodeReason(r[1]))
	}
	outsideChoices(p, "employers", r)
	reg := domain.EmployerRegistration{Email: "import@placeholder.cn", Password: "import-placeholder", Name: "import",
		Organisation: domain.Organisation{OrgDetails: domain.OrgDetails{Name: r[0], CreditCode: r[1], Type: domain.TermCode(domain.EmployerTypeTerms, r[2]),
			Size: domain.TermCode(domain.EmployerSizeTerms, r[3]), Industry: domain.TermCode(domain.Industries, r[4]), ProvinceCode: "00"}}}
	if err := reg.Validate(); err != nil {
		p.addFields(err, employerFields, employerColumns)
	}
	if e := p.report(row); e != nil {
		return domain.EmployerImportRow{}, e
	}
	return domain.EmployerImportRow{Row: row, Name: reg.Organisation.Name, CreditCode: reg.CreditCode, Type: reg.Type, Size: reg.Size, Industry: reg.Industry}, nil
}

// numberShown is how a spreadsheet shows a long number: 9.15101007E+17.
var numberShown = regexp.MustCompile(`^\d(\.\d+)?[eE]\+?\d+$`)

// lostDigits tells whether a credit code cell was taken for a number (an
// all-digit code typed into a General cell): its last digits are gone, and
// only typing it again into a text cell mends it.
func lostDigits(raw string) bool { return numberShown.MatchString(strings.TrimSpace(raw)) }

// creditCodeReason says why a credit code cell is refused.
func creditCodeReason(raw string) string {
	if lostDigits(raw) {
		return domain.ReasonCodeReadAsNumber
	}
	return domain.CreditCodeProblem(domain.NormalizeCreditCode(raw))
}

// choiceColumns are each template's columns with fixed choices: the import
// checks their cells against the terms, and the template offers the
// terms' Chinese labels as each column's drop-down list.
var choiceColumns = map[string][]excel.Choices{
	"employers": {{Column: 2, Heading: "单位类型", Terms: domain.EmployerTypeTerms}, {Column: 3, Heading: "单位规模", Terms: domain.EmployerSizeTerms},
		{Column: 4, Heading: "所属行业", Terms: domain.Industries}},
	"openings": {{Column: 3, Heading: "学科门类", Terms: domain.Disciplines}, {Column: 4, Heading: "所属行业", Terms: domain.Industries},
		{Column: 5, Heading: "最低学历", Terms: domain.DegreeTerms}},
}

// outsideChoices records each filled cell of kind's choice columns in r
// that is none of its column's choices, with the value it holds (a form's
// 请选择… says nothing of a spreadsheet's 巨型).
func outsideChoices(p *rowProblems, kind string, r []string) {
	for _, c := range choiceColumns[kind] {
		if v := strings.TrimSpace(r[c.Column]); v != "" && !domain.IsTerm(c.Terms, v) {
			p.add(c.Heading, domain.NotAChoice(v))
		}
	}
}

var openingColumns = map[string]string{"credit_code": "统一社会信用代码", "title": "岗位名称", "description": "岗位描述", "discipline": "学科门类",
	"industry": "所属行业", "degree_min": "最低学历", "majors": "专业要求", "headcount": "招聘人数", "city": "工作城市",
	"salary_min": "最低月薪", "salary_max": "最高月薪", "deadline": "截止日期"}

// openingFields are the openings template's fields in its column order.
var openingFields = []string{"credit_code", "title", "description", "discipline", "industry", "degree_min", "majors",
	"headcount", "city", "salary_min", "salary_max", "deadline"}

// parseOpening reads an openings row, adding its problems to p.
func parseOpening(row int, r []string, today domain.Date, p *rowProblems) (domain.OpeningImportRow, *domain.ImportError) {
	// An empty title is named before the other cells' problems (Validate,
	// below, says the same of a title of invisible characters).
	if strings.TrimSpace(r[1]) == "" {
		p.add(openingColumns["title"], "is required")
	}
	code := domain.NormalizeCreditCode(r[0])
	if !domain.ValidCreditCode(code) {
		p.add("统一社会信用代码", creditCodeReason(r[0]))
	}
	hc, ok := cellNumber(r[7], false)
	if !ok {
		p.add("招聘人数", "must be a whole number")
	}
	// No salary is 面议, as on the form (both empty: 0).
	smin, ok := cellNumber(r[9], true)
	if !ok {
		p.add("最低月薪", "must be a whole number")
	}
	smax, ok := cellNumber(r[10], true)
	if !ok {
		p.add("最高月薪", "must be a whole number")
	}
	var majors []string
	for _, m := range strings.FieldsFunc(r[6], func(c rune) bool { return c == '、' || c == ',' || c == '，' || c == ';' }) {
		if m = strings.TrimSpace(m); m != "" {
			majors = append(majors, m)
		}
	}
	outsideChoices(p, "openings", r)
	in := domain.OpeningInput{Title: r[1], Description: r[2], Discipline: domain.TermCode(domain.Disciplines, r[3]),
		Industry: domain.TermCode(domain.Industries, r[4]), DegreeMin: domain.TermCode(domain.DegreeTerms, r[5]), Majors: majors, Headcount: hc, City: r[8], SalaryMin: smin, SalaryMax: smax, Deadline: strings.TrimSpace(r[11])}
	if d, ok := domain.ReadDate(in.Deadline); ok {
		in.Deadline = d.String() // a date cell, 2027/3/1 or 2027年3月1日
	}
	if err := in.Validate(today); err != nil {
		p.addFields(err, openingFields, openingColumns) // a column already named keeps its first reason
	}
	if e := p.report(row); e != nil {
		return domain.OpeningImportRow{}, e
	}
	return domain.OpeningImportRow{Row: row, CreditCode: code, Input: in}, nil
}
