package cli

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/user"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/gradzone/gradzone/internal/app"
	"github.com/gradzone/gradzone/internal/auth"
	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/postgres"
	"github.com/gradzone/gradzone/internal/seed"
	"github.com/gradzone/gradzone/internal/testutil"
)

// run executes the command line against dbURL with stdin and returns stdout.
func run(t *testing.T, dbURL, stdin string, args ...string) (string, error) {
	t.Helper()
	out, _, err := runShown(t, dbURL, stdin, args...)
	return out, err
}

// runShown is run that also returns what the command showed on standard
// error (its progress bars).
func runShown(t *testing.T, dbURL, stdin string, args ...string) (string, string, error) {
	t.Helper()
	t.Setenv("GRADZONE_DATABASE_URL", dbURL)
	root := newRoot()
	var out, errOut bytes.Buffer
	root.SetArgs(args)
	root.SetIn(strings.NewReader(stdin))
	root.SetOut(&out)
	root.SetErr(&errOut)
	err := root.ExecuteContext(context.Background())
	return out.String(), errOut.String(), err
}

func signIn(t *testing.T, dbURL, email, password string) error {
	t.Helper()
	store, err := postgres.Open(context.Background(), dbURL, testutil.Quiet())
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	acc := &app.Accounts{Store: store, Hasher: auth.NewHasher(1), Tokens: auth.NewTokens(strings.Repeat("k", 40)), Log: testutil.Quiet(), Now: time.Now}
	_, err = acc.Login(context.Background(), email, password)
	return err
}

// Item 9 of issue 12: `user create` takes the password from standard input or
// generates it, never from a flag.
func TestUserCreatePassword(t *testing.T) {
	db := testutil.NewDatabase(t)
	t.Setenv("GRADZONE_OPERATOR", "值班员 on gz-ops")
	if _, err := run(t, db, "", "user", "create", "--role", "ministry_admin", "--email", "flag@staff.test", "--name", "部", "--password", "secret-pass-1"); err == nil {
		t.Fatal("--password was accepted")
	}
	if _, err := run(t, db, "", "user", "create", "--role", "ministry_admin", "--email", "empty@staff.test", "--name", "部"); err == nil {
		t.Fatal("an account was created without a password")
	}
	out, err := run(t, db, "stdin-pass-123\nsecond line ignored\n", "user", "create", "--role", "ministry_admin", "--email", "stdin@staff.test", "--name", "部")
	if err != nil {
		t.Fatalf("stdin: %v", err)
	}
	if strings.Contains(out, "stdin-pass-123") {
		t.Fatalf("the password was printed: %s", out)
	}
	if err := signIn(t, db, "stdin@staff.test", "stdin-pass-123"); err != nil {
		t.Fatalf("sign-in with the stdin password: %v", err)
	}
	out, err = run(t, db, "", "user", "create", "--role", "province_admin", "--province", "51", "--email", "gen@staff.test", "--name", "省", "--generate", "--by", " ops-lead ")
	if err != nil {
		t.Fatalf("--generate: %v", err)
	}
	m := regexp.MustCompile(`password: (\S+)`).FindStringSubmatch(out)
	if m == nil || len(m[1]) < 16 {
		t.Fatalf("no generated password printed: %s", out)
	}
	if err := signIn(t, db, "gen@staff.test", m[1]); err != nil {
		t.Fatalf("sign-in with the generated password: %v", err)
	}
	// Left by the twentieth round: a staff account made by the command had
	// no audit line. It has one in the account's scope, naming who ran the
	// command (--by, else GRADZONE_OPERATOR), with the role it was given.
	for email, want := range map[string]string{"stdin@staff.test": "-/-/-/值班员 on gz-ops", "gen@staff.test": "-/51/-/ops-lead"} {
		if got := auditLines(t, db, domain.AuditStaffCreated, email); len(got) != 1 || got[0] != want {
			t.Errorf("%s: user.created lines %q, want [%s]", email, got, want)
		}
	}
	if roles := testutil.Column[string](t, testutil.SQL(t, db), `SELECT after->>'role' FROM audit_log WHERE kind = 'user.created' ORDER BY id`); strings.Join(roles, ",") != "ministry_admin,province_admin" {
		t.Errorf("the lines' roles: %q", roles)
	}
	// A name that is no one line is refused before anything is made.
	for _, by := range []string{"two\nlines", strings.Repeat("x", 101)} {
		if _, err := run(t, db, "stdin-pass-123\n", "user", "create", "--role", "ministry_admin", "--email", "by@staff.test", "--name", "部", "--by", by); err == nil || !strings.Contains(err.Error(), "by:") {
			t.Errorf("--by %q: %v", by, err)
		}
	}
	if signIn(t, db, "by@staff.test", "stdin-pass-123") == nil {
		t.Error("an account was made with a refused --by")
	}
}

// Who ran an operator's command, when neither --by nor GRADZONE_OPERATOR
// says: the user who ran sudo, else USER, else the account's name, else
// the uid, at the host.
func TestOperatorName(t *testing.T) {
	host, _ := os.Hostname()
	t.Setenv("GRADZONE_OPERATOR", "")
	t.Setenv("SUDO_USER", "alice")
	t.Setenv("USER", "root")
	if got := operatorName(""); got != "alice@"+host {
		t.Errorf("under sudo: %q", got)
	}
	t.Setenv("SUDO_USER", "")
	if got := operatorName(""); got != "root@"+host {
		t.Errorf("as root: %q", got)
	}
	t.Setenv("USER", "")
	account := "uid " + strconv.Itoa(os.Getuid())
	if u, err := user.Current(); err == nil {
		account = u.Username // root here: a shell without USER read 「uid 0」 (a walk)
	}
	if got := operatorName(""); got != account+"@"+host {
		t.Errorf("without USER: %q, want %q", got, account+"@"+host)
	}
	t.Setenv("GRADZONE_OPERATOR", "值班员")
	if got := operatorName(""); got != "值班员" {
		t.Errorf("GRADZONE_OPERATOR: %q", got)
	}
	if got := operatorName("bob"); got != "bob" {
		t.Errorf("--by: %q", got)
	}
}

// An operator probe: a locked-out or departed official could be helped
// with SQL only. `user reset-password` sets a staff account's password
// (standard input or --generate, never a flag) and signs out every session;
// it touches no graduate's or employer's account (they reset by mail).
func TestUserResetPassword(t *testing.T) {
	db := testutil.NewDatabase(t)
	if _, err := run(t, db, "first-pass-123\n", "user", "create", "--role", "ministry_admin", "--email", "reset@staff.test", "--name", "部"); err != nil {
		t.Fatal(err)
	}
	if err := signIn(t, db, "reset@staff.test", "first-pass-123"); err != nil {
		t.Fatal(err)
	}
	sessions := func(email string) (n int) {
		t.Helper()
		if err := testutil.SQL(t, db).QueryRow(`SELECT count(*) FROM refresh_tokens r JOIN users u ON u.id = r.user_id
			WHERE u.email = $1 AND r.revoked_at IS NULL`, email).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := sessions("reset@staff.test"); n != 1 {
		t.Fatalf("%d sessions before the reset", n)
	}
	out, err := run(t, db, "second-pass-456\n", "user", "reset-password", "--email", "Reset@Staff.test")
	if err != nil || !strings.Contains(out, "password set for ministry_admin reset@staff.test") || strings.Contains(out, "second-pass-456") {
		t.Fatalf("reset: %q, %v", out, err)
	}
	if n := sessions("reset@staff.test"); n != 0 {
		t.Errorf("%d sessions left after the reset", n)
	}
	var notices int
	testutil.SQL(t, db).QueryRow(`SELECT count(*) FROM river_job j JOIN users u ON u.id::text = j.args->'mail'->>'user_id'
		WHERE u.email = 'reset@staff.test' AND j.args->'mail'->>'kind' = 'security_notice' AND j.args->'mail'->'data'->>'change' = 'password_set'`).Scan(&notices)
	if notices != 1 {
		t.Errorf("%d security notices queued for the account's owner, want 1", notices)
	}
	if signIn(t, db, "reset@staff.test", "first-pass-123") == nil || signIn(t, db, "reset@staff.test", "second-pass-456") != nil {
		t.Error("after the reset the old password signs in, or the new one does not")
	}
	if _, err := run(t, db, "", "user", "reset-password", "--email", "reset@staff.test", "--generate"); err != nil {
		t.Errorf("--generate: %v", err)
	}
	if _, err := run(t, db, "short\n", "user", "reset-password", "--email", "reset@staff.test"); err == nil {
		t.Error("a weak password was set")
	}
	// A graduate's account is not the operator's to reset.
	cmd := &cobra.Command{}
	cmd.SetContext(context.Background())
	w, err := (&globals{}).connect(cmd) // GRADZONE_DATABASE_URL is db (run set it)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	acc := &app.Accounts{Store: w.store, Hasher: auth.NewHasher(1), Tokens: auth.NewTokens(strings.Repeat("k", 40)),
		Links: auth.NewLinks(strings.Repeat("k", 40)), Log: testutil.Quiet(), Now: time.Now}
	if _, err := acc.RegisterGraduate(context.Background(), domain.GraduateRegistration{Email: "grad@example.cn", Password: "grad-pass-789",
		Name: "李华", University: "四川大学", Degree: "master", Major: "计算机", GraduationYear: 2026, Consent: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := run(t, db, "other-pass-123\n", "user", "reset-password", "--email", "grad@example.cn"); err == nil {
		t.Error("a graduate's password was reset from the command line")
	}
	if signIn(t, db, "grad@example.cn", "grad-pass-789") != nil {
		t.Error("the graduate's password changed")
	}
	if _, err := run(t, db, "other-pass-123\n", "user", "reset-password", "--email", "nobody@staff.test"); err == nil {
		t.Error("an unknown address was taken")
	}
}

// liveSessions counts the account's refresh tokens not revoked.
func liveSessions(t *testing.T, db, email string) (n int) {
	t.Helper()
	if err := testutil.SQL(t, db).QueryRow(`SELECT count(*) FROM refresh_tokens r JOIN users u ON u.id = r.user_id
		WHERE u.email = $1 AND r.revoked_at IS NULL`, email).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// auditLines lists the audit lines of kind about the account of email as
// "zone/province/actor/operator" ("-" for none).
func auditLines(t *testing.T, db, kind, email string) []string {
	t.Helper()
	return testutil.Column[string](t, testutil.SQL(t, db), `SELECT coalesce(a.zone_code, '-') || '/' || coalesce(a.province_code, '-') || '/' || coalesce(a.actor_id::text, '-')
		|| '/' || coalesce(a.operator, '-')
		FROM audit_log a JOIN users u ON u.id::text = a.entity_id
		WHERE a.kind = $1 AND a.entity_type = 'user' AND u.email = $2 ORDER BY a.id`, kind, email)
}

// registerGraduate signs a graduate up in db, as the site does.
func registerGraduate(t *testing.T, db, email, password string) {
	t.Helper()
	t.Setenv("GRADZONE_DATABASE_URL", db)
	cmd := &cobra.Command{}
	cmd.SetContext(context.Background())
	w, err := (&globals{}).connect(cmd) // with the job queue a sign-up's mail needs
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	acc := &app.Accounts{Store: w.store, Hasher: auth.NewHasher(1), Tokens: auth.NewTokens(strings.Repeat("k", 40)),
		Links: auth.NewLinks(strings.Repeat("k", 40)), Log: testutil.Quiet(), Now: time.Now}
	if _, err := acc.RegisterGraduate(context.Background(), domain.GraduateRegistration{Email: email, Password: password,
		Name: "李华", University: "四川大学", Degree: "master", Major: "计算机", GraduationYear: 2026, Consent: true}); err != nil {
		t.Fatal(err)
	}
}

// Last round's gap 1: no command disabled the account of an official who
// left. `user disable` signs every session out and refuses the sign-in
// (account_disabled with the right password, invalid_credentials with a
// wrong one); an operator's password reset does not enable it again;
// `user enable` does. Each change is one audit line, with no actor, in the
// account's zone and province; a change that changes nothing writes none.
// A graduate's address is refused.
func TestUserDisableEnable(t *testing.T) {
	db := testutil.NewDatabase(t)
	t.Setenv("GRADZONE_OPERATOR", "ops@gz-1")
	const email = "left@staff.test"
	if _, err := run(t, db, "first-pass-123\n", "user", "create", "--role", "zone_admin", "--zone", "sichuan-chengdu", "--email", email, "--name", "区"); err != nil {
		t.Fatal(err)
	}
	if err := signIn(t, db, email, "first-pass-123"); err != nil {
		t.Fatal(err)
	}
	out, err := run(t, db, "", "user", "disable", "--email", "Left@Staff.test")
	if err != nil || !strings.Contains(out, "disabled zone_admin "+email) {
		t.Fatalf("disable: %q, %v", out, err)
	}
	if n := liveSessions(t, db, email); n != 0 {
		t.Errorf("%d sessions left after disable", n)
	}
	if err := signIn(t, db, email, "first-pass-123"); domain.CodeOf(err) != domain.CodeAccountDisabled {
		t.Errorf("the right password of a disabled account: %v, want account_disabled", err)
	}
	if err := signIn(t, db, email, "wrong-pass-123"); domain.CodeOf(err) != domain.CodeInvalidCredentials {
		t.Errorf("a wrong password of a disabled account: %v, want invalid_credentials", err)
	}
	if out, err := run(t, db, "", "user", "disable", "--email", email); err != nil || !strings.Contains(out, "disabled already") {
		t.Errorf("disable again: %q, %v", out, err)
	}
	// The operator's reset sets the password; the account stays disabled.
	if out, err := run(t, db, "second-pass-456\n", "user", "reset-password", "--email", email); err != nil || !strings.Contains(out, "still disabled") {
		t.Errorf("reset of a disabled account: %q, %v", out, err)
	}
	if err := signIn(t, db, email, "second-pass-456"); domain.CodeOf(err) != domain.CodeAccountDisabled {
		t.Errorf("after the reset: %v, want account_disabled", err)
	}
	if out, err := run(t, db, "", "user", "enable", "--email", email); err != nil || !strings.Contains(out, "enabled zone_admin "+email) {
		t.Fatalf("enable: %q, %v", out, err)
	}
	if err := signIn(t, db, email, "second-pass-456"); err != nil {
		t.Errorf("sign-in after enable: %v", err)
	}
	if out, err := run(t, db, "", "user", "enable", "--email", email); err != nil || !strings.Contains(out, "was not disabled") {
		t.Errorf("enable again: %q, %v", out, err)
	}
	for kind, n := range map[string]int{domain.AuditStaffCreated: 1, domain.AuditStaffDisabled: 1, domain.AuditStaffEnabled: 1, domain.AuditStaffPasswordReset: 1} {
		got := auditLines(t, db, kind, email)
		if len(got) != n {
			t.Errorf("%s: %d audit lines, want %d", kind, len(got), n)
		}
		for _, l := range got {
			if l != "sichuan-chengdu/51/-/ops@gz-1" {
				t.Errorf("%s: audit line %s, want zone/province sichuan-chengdu/51, no actor and the operator", kind, l)
			}
		}
	}
	registerGraduate(t, db, "grad@example.cn", "grad-pass-789")
	for _, cmd := range []string{"disable", "enable", "clear-two-step"} {
		if _, err := run(t, db, "", "user", cmd, "--email", "grad@example.cn"); err == nil || !strings.Contains(err.Error(), "no staff account") {
			t.Errorf("user %s of a graduate's address: %v", cmd, err)
		}
	}
	if signIn(t, db, "grad@example.cn", "grad-pass-789") != nil || liveSessions(t, db, "grad@example.cn") != 2 {
		t.Error("the graduate's account was touched")
	}
	if _, err := run(t, db, "", "user", "disable", "--email", "nobody@staff.test"); err == nil {
		t.Error("an unknown address was taken")
	}
}

// Last round's gap 2: a staff member who lost the phone and the recovery
// codes could be helped with SQL only. `user clear-two-step` deletes the
// key and the codes, signs every session out, mails the owner the
// security notice and writes the audit line (a ministry account's: no zone
// or province); the password alone then signs in.
func TestUserClearTwoStep(t *testing.T) {
	db := testutil.NewDatabase(t)
	const email = "phone@staff.test"
	if _, err := run(t, db, "first-pass-123\n", "user", "create", "--role", "ministry_admin", "--email", email, "--name", "部"); err != nil {
		t.Fatal(err)
	}
	if err := signIn(t, db, email, "first-pass-123"); err != nil {
		t.Fatal(err)
	}
	if out, err := run(t, db, "", "user", "clear-two-step", "--email", email); err != nil || !strings.Contains(out, "nothing changed") {
		t.Fatalf("clear-two-step while off: %q, %v", out, err)
	}
	if n := liveSessions(t, db, email); n != 1 {
		t.Fatalf("clear-two-step while off signed out: %d sessions", n)
	}
	sqlDB := testutil.SQL(t, db)
	if _, err := sqlDB.Exec(`UPDATE users SET totp_secret = 'sealed', totp_enabled_at = now() WHERE email = $1`, email); err != nil {
		t.Fatal(err)
	}
	if _, err := sqlDB.Exec(`INSERT INTO totp_recovery_codes (user_id, code_hash) SELECT id, repeat('a', 64) FROM users WHERE email = $1`, email); err != nil {
		t.Fatal(err)
	}
	if err := signIn(t, db, email, "first-pass-123"); domain.CodeOf(err) != domain.CodeTOTPRequired {
		t.Fatalf("two-step sign-in not on: %v", err)
	}
	out, err := run(t, db, "", "user", "clear-two-step", "--email", email)
	if err != nil || !strings.Contains(out, "two-step sign-in cleared for ministry_admin "+email) {
		t.Fatalf("clear-two-step: %q, %v", out, err)
	}
	var secret, codes int
	sqlDB.QueryRow(`SELECT count(*) FROM users WHERE email = $1 AND (totp_secret IS NOT NULL OR totp_enabled_at IS NOT NULL)`, email).Scan(&secret)
	sqlDB.QueryRow(`SELECT count(*) FROM totp_recovery_codes c JOIN users u ON u.id = c.user_id WHERE u.email = $1`, email).Scan(&codes)
	if secret != 0 || codes != 0 {
		t.Errorf("left: %d secrets, %d recovery codes", secret, codes)
	}
	if n := liveSessions(t, db, email); n != 0 {
		t.Errorf("%d sessions left after clear-two-step", n)
	}
	var notices int
	sqlDB.QueryRow(`SELECT count(*) FROM river_job j JOIN users u ON u.id::text = j.args->'mail'->>'user_id'
		WHERE u.email = $1 AND j.args->'mail'->>'kind' = 'security_notice' AND j.args->'mail'->'data'->>'change' = 'totp_cleared'`, email).Scan(&notices)
	if notices != 1 {
		t.Errorf("%d security notices of the clearing queued for the owner, want 1", notices)
	}
	if err := signIn(t, db, email, "first-pass-123"); err != nil {
		t.Errorf("the password alone after clear-two-step: %v", err)
	}
	if got := auditLines(t, db, domain.AuditStaffTwoStepClear, email); len(got) != 1 || got[0] != "-/-/-/"+operatorName("") {
		t.Errorf("audit lines %q, want one with no zone, province or actor, and the operator", got)
	}
}

// `seed --demo` refuses a database with accounts the demo did not make,
// unless --force (issue 12 item 9).
func TestSeedRefusesNonDemoDatabase(t *testing.T) {
	db := testutil.NewDatabase(t)
	// An operator probe: GRADZONE_DEMO_PASSWORD=password seeded until the
	// staff accounts and failed with "seed staff accounts: validation_failed:
	// some fields are invalid map[password:…]". It is checked first, as a
	// password set any other way is.
	t.Setenv(seed.PasswordEnv, "password")
	if _, err := run(t, db, "", "seed", "--demo"); err == nil ||
		err.Error() != "the demo password ("+seed.PasswordEnv+") "+domain.ReasonPasswordCommon {
		t.Errorf("a common demo password: %v", err)
	}
	if n := testutil.Column[int](t, testutil.SQL(t, db), `SELECT count(*) FROM employers`); n[0] != 0 {
		t.Errorf("%d employers seeded before the refusal", n[0])
	}
	t.Setenv(seed.PasswordEnv, "")
	if _, err := run(t, db, "real-pass-123\n", "user", "create", "--role", "ministry_admin", "--email", "real@staff.test", "--name", "部"); err != nil {
		t.Fatal(err)
	}
	_, err := run(t, db, "", "seed", "--demo")
	if !errors.Is(err, seed.ErrNotDemo) {
		t.Fatalf("seed over a real account: %v, want ErrNotDemo", err)
	}
	if err := signIn(t, db, seed.MinistryEmail, "anything-at-all"); err == nil {
		t.Fatal("a demo account exists after the refusal")
	}

	// --force seeds anyway; with no GRADZONE_DEMO_PASSWORD the demo
	// password is generated and printed once, and the demo ministry account
	// signs in with it (no password is fixed in the code).
	t.Setenv(seed.PasswordEnv, "")
	out, err := run(t, db, "", "seed", "--demo", "--force")
	if err != nil {
		t.Fatalf("seed --demo --force: %v", err)
	}
	m := regexp.MustCompile(`demo password \(.*\): (\S+)`).FindStringSubmatch(out)
	if m == nil || len(m[1]) < 16 {
		t.Fatalf("no generated demo password printed: %s", out)
	}
	if err := signIn(t, db, seed.MinistryEmail, m[1]); err != nil {
		t.Fatalf("the demo ministry account with the printed password: %v", err)
	}
	if err := signIn(t, db, "real@staff.test", "real-pass-123"); err != nil {
		t.Fatalf("the real account after seeding: %v", err)
	}
}

// `gradzone reindex` shows its progress with a rate that fits the run: a
// `make run` printed "(349/349, 23083537 docs/s)" for a three-second
// reindex, as the bar's clock started with the first batch's arrival.
func TestReindexShowsAPlausibleRate(t *testing.T) {
	db := testutil.NewDatabase(t)
	t.Setenv(seed.PasswordEnv, "reindex-test-password")
	t.Setenv("GRADZONE_MEILI_INDEX", "test_openings_cli_"+strconv.FormatInt(time.Now().UnixNano(), 36))
	if _, err := run(t, db, "", "seed", "--demo"); err != nil {
		t.Fatal(err)
	}
	out, shown, err := runShown(t, db, "", "reindex")
	if err != nil {
		t.Fatal(err)
	}
	done := regexp.MustCompile(`reindex: (\d+) openings indexed into "[^"]+" in (\S+)`).FindStringSubmatch(out)
	rates := regexp.MustCompile(`\((\d+)/(\d+), (\d+) docs/s\)`).FindAllStringSubmatch(shown, -1)
	if done == nil || len(rates) == 0 {
		t.Fatalf("reindex printed:\n%s\n%s", out, shown)
	}
	n, _ := strconv.Atoi(done[1])
	took, err := time.ParseDuration(done[2])
	last := rates[len(rates)-1]
	rate, _ := strconv.ParseFloat(last[3], 64)
	// The bar starts when the count is known, after the index is made: its
	// rate may exceed the whole run's, not by orders of magnitude.
	if err != nil || n == 0 || last[1] != done[1] || rate > 20*float64(n)/took.Seconds() {
		t.Errorf("%d openings in %s shown as %s/%s at %s docs/s", n, done[2], last[1], last[2], last[3])
	}
}

// `gradzone migrate` on a migrated database has nothing to apply, and a
// command that connects first fails, naming nothing applied, when Postgres
// cannot be reached.
func TestMigrateCommand(t *testing.T) {
	db := testutil.NewDatabase(t)
	out, err := run(t, db, "", "migrate")
	if err != nil || out != "migrate: already up to date\n" {
		t.Fatalf("migrate on a migrated database: %q, %v", out, err)
	}
	if out, err := run(t, "postgres://gradzone@127.0.0.1:1/none?sslmode=disable&connect_timeout=2", "", "migrate"); err == nil || out != "" ||
		err.Error() != "Postgres does not answer at 127.0.0.1:1 (GRADZONE_DATABASE_URL): connection refused" {
		t.Fatalf("migrate without Postgres: %q, %v", out, err)
	}
	// An operator probe: a URL that is not one was echoed with the
	// connect_timeout the store adds ("cannot parse `not a url
	// connect_timeout=5`"), and a wrong password came after pgx's "failed to
	// connect to `user=… database=…`".
	if _, err := run(t, "not a url", "", "migrate"); err == nil || strings.Contains(err.Error(), "connect_timeout") ||
		!strings.HasPrefix(err.Error(), "GRADZONE_DATABASE_URL is not a Postgres URL") {
		t.Errorf("a URL that is not one: %v", err)
	}
	u, _ := url.Parse(db)
	u.User = url.UserPassword(u.User.Username(), "not-the-password")
	if _, err := run(t, u.String(), "", "migrate"); err == nil || strings.Contains(err.Error(), "not-the-password") ||
		err.Error() != "Postgres at "+u.Host+" refused the connection: FATAL: password authentication failed for user \""+u.User.Username()+"\" (SQLSTATE 28P01)" {
		t.Errorf("a wrong password: %v", err)
	}
}

// A deploy review: a release's pods started before its migration Job was
// done, and serve, refusing the older schema, exited; Kubernetes restarted
// them with a back-off of up to 5 minutes. `migrate --wait`, their init
// step, waits for the migrations another process applies.
func TestMigrateWaitsForTheJob(t *testing.T) {
	db := testutil.NewDatabase(t)
	if _, err := run(t, db, "", "migrate", "--down"); err != nil {
		t.Fatal(err)
	}
	if out, err := run(t, db, "", "migrate", "--wait", "1500ms"); err == nil || !strings.Contains(err.Error(), "still pending") || out != "" {
		t.Fatalf("waiting for migrations nobody applies: %q, %v", out, err)
	}
	// A database that does not answer yet (PgBouncer restarting) is waited
	// for until the limit, not given up on at once (a review).
	start := time.Now()
	if _, err := run(t, "postgres://gradzone@127.0.0.1:1/none?sslmode=disable&connect_timeout=2", "", "migrate", "--wait", "2s"); err == nil ||
		!strings.Contains(err.Error(), "not known applied after 2s") || time.Since(start) < 2*time.Second {
		t.Fatalf("waiting on a database that does not answer: %v after %s", err, time.Since(start))
	}
	// The help gives the flag's unit (an operator probe: `--wait 5` answered
	// `time: missing unit in duration "5"`, the help said only "duration").
	if out, _ := run(t, db, "", "migrate", "--help"); !strings.Contains(out, "--wait duration") || !strings.Contains(out, "15m") {
		t.Errorf("migrate --help:\n%s", out)
	}
	if _, err := run(t, db, "", "migrate", "--wait", "1s", "--down"); err == nil {
		t.Fatal("--wait with --down was taken")
	}
	// What waiting cannot mend fails at once (an operator probe: a wrong
	// password sat out the whole wait): here, no such database.
	start = time.Now()
	none := db[:strings.LastIndex(db, "/")+1] + "no_such_database?sslmode=disable"
	if _, err := run(t, none, "", "migrate", "--wait", "30s"); err == nil || time.Since(start) > 10*time.Second {
		t.Fatalf("a database that is not there: %v after %s", err, time.Since(start))
	}
	job, err := postgres.Open(context.Background(), db, testutil.Quiet())
	if err != nil {
		t.Fatal(err)
	}
	defer job.Close()
	applied := make(chan error, 1)
	time.AfterFunc(2*time.Second, func() {
		_, err := job.Migrate(context.Background())
		applied <- err
	})
	start = time.Now()
	if out, err := run(t, db, "", "migrate", "--wait", "60s"); err != nil || out != "migrate: up to date\n" || time.Since(start) < 2*time.Second {
		t.Fatalf("waiting for the Job: %q, %v after %s", out, err, time.Since(start))
	}
	if err := <-applied; err != nil {
		t.Fatal(err)
	}
}

// An operator probe: `--config` naming a file that is not there ran on the
// defaults without a word. A file named (flag or GRADZONE_CONFIG) must be
// there.
func TestNamedConfigFileMustExist(t *testing.T) {
	db := testutil.NewDatabase(t)
	if _, err := run(t, db, "", "--config", "/nonexistent/gradzone.yaml", "migrate"); err == nil || !strings.Contains(err.Error(), "config file") {
		t.Errorf("--config naming no file: %v", err)
	}
	t.Setenv("GRADZONE_CONFIG", "/nonexistent/gradzone.yaml")
	if _, err := run(t, db, "", "migrate"); err == nil || !strings.Contains(err.Error(), "config file") {
		t.Errorf("GRADZONE_CONFIG naming no file: %v", err)
	}
	// A setting of the wrong form stops every command, as it stops serve
	// (an operator probe: GRADZONE_LOG_LEVEL=verbose ran migrate at info).
	t.Setenv("GRADZONE_CONFIG", testutil.EmptyConfig(t))
	t.Setenv("GRADZONE_LOG_LEVEL", "verbose")
	if out, err := run(t, db, "", "migrate"); err == nil || !strings.Contains(err.Error(), `GRADZONE_LOG_LEVEL "verbose"`) || out != "" {
		t.Errorf("GRADZONE_LOG_LEVEL=verbose: %q, %v", out, err)
	}
}

// `gradzone healthcheck` is compose's health check in a distroless image:
// 0 when this machine's serve answers /healthz with 200, else an error.
func TestHealthcheck(t *testing.T) {
	var status atomic.Int32
	status.Store(http.StatusOK)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" {
			http.NotFound(w, r)
			return
		}
		w.WriteHeader(int(status.Load()))
	}))
	defer srv.Close()
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	t.Setenv("GRADZONE_HTTP_ADDR", "0.0.0.0:"+port) // as in the image: every address
	if out, err := run(t, "", "", "healthcheck"); err != nil || out != "ok\n" {
		t.Fatalf("a serve that answers: %q, %v", out, err)
	}
	status.Store(http.StatusServiceUnavailable)
	if _, err := run(t, "", "", "healthcheck"); err == nil || !strings.Contains(err.Error(), "503") {
		t.Fatalf("a serve that answers 503: %v", err)
	}
	srv.Close()
	if _, err := run(t, "", "", "healthcheck"); err == nil {
		t.Fatal("no serve at all passed")
	}
}

// `gradzone loadtest season` plays a small season against a running server
// (--target) and passes its end checks; a malformed --fault is refused
// before anything runs.
func TestLoadtestSeason(t *testing.T) {
	a := testutil.NewApp(t)
	if _, err := run(t, a.DBURL, "", "loadtest", "season", "--target", a.URL, "--fault", "day2=true"); err == nil ||
		!strings.Contains(err.Error(), "DAY=COMMAND") {
		t.Fatalf("a malformed --fault: %v", err)
	}
	out, err := run(t, a.DBURL, "", "loadtest", "season", "--target", a.URL, "--days", "3", "--zones", "2",
		"--graduates-per-zone", "2", "--applies-per-day", "4", "--fault", "2=true", "--out", t.TempDir())
	if err != nil {
		t.Fatalf("season: %v\n%s", err, out)
	}
	if !regexp.MustCompile(`season: 3 days, 2 zones, \d+ requests, \d+ applications, \d+ hires, 0 problems`).MatchString(out) {
		t.Fatalf("season output: %s", out)
	}
}

// An operator probe: `gradzone migrate down` (or `migrate status`) applied
// every pending migration and exited 0, the word taken for nothing; `gradzone
// user disabel --email E` printed the help and exited 0, as if done. A word
// no command takes is refused, naming it, and nothing runs.
func TestStrayWordsAreRefused(t *testing.T) {
	db := testutil.NewDatabase(t)
	if _, err := run(t, db, "", "migrate", "--down"); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"migrate", "down"}, {"migrate", "status"}, {"migrate", "up", "--wait", "1s"}} {
		if out, err := run(t, db, "", args...); err == nil || !strings.Contains(err.Error(), `unknown command "`+args[1]+`"`) || out != "" {
			t.Errorf("%v: %q, %v", args, out, err)
		}
	}
	if _, err := run(t, db, "", "migrate", "--wait", "1s"); err == nil || !strings.Contains(err.Error(), "still pending") {
		t.Fatalf("a refused word applied the migrations: %v", err)
	}
	if _, err := run(t, db, "", "user", "disabel", "--email", "x@y.test"); err == nil || !strings.Contains(err.Error(), `unknown command "disabel" for "gradzone user"`) {
		t.Errorf("user disabel: %v", err) // not "unknown flag: --email"
	}
	if _, err := run(t, db, "", "user", "bogus"); err == nil || !strings.Contains(err.Error(), `unknown command "bogus"`) {
		t.Errorf("user bogus: %v", err)
	}
	if _, err := run(t, db, "", "completion", "nosh"); err == nil || !strings.Contains(err.Error(), `unknown command "nosh"`) {
		t.Errorf("completion nosh: %v", err)
	}
	// Every command: a stray word is refused before it connects anywhere.
	var leaves func(c *cobra.Command) []*cobra.Command
	leaves = func(c *cobra.Command) []*cobra.Command {
		var out []*cobra.Command
		for _, s := range c.Commands() {
			out = append(out, s)
			out = append(out, leaves(s)...)
		}
		return out
	}
	for _, c := range leaves(newRoot()) {
		path := strings.Fields(c.CommandPath())[1:]
		_, err := run(t, "postgres://gradzone@127.0.0.1:1/none?sslmode=disable&connect_timeout=1", "", append(path, "stray")...)
		if err == nil || !strings.Contains(err.Error(), `unknown command "stray"`) {
			t.Errorf("%s stray: %v", c.CommandPath(), err)
		}
	}
}

// An operator probe of `loadtest season`'s flags: --zones 0 ended in a Go
// panic and its stack; --days 0, --replicas 0 or --target notaurl ran (or
// made accounts) before failing; a --fault past the last day never ran and the
// season passed as if it had; an --out folder that cannot be written failed
// only at the end of a season of hours. Each is refused before anything runs,
// naming its flag.
func TestLoadtestSeasonRefusesWrongFlags(t *testing.T) {
	db := testutil.NewDatabase(t)
	// A server that refuses every request: a flag not refused fails on the
	// first one (what nothing answers would retry for minutes).
	var asked atomic.Value
	refusing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked.CompareAndSwap(nil, r.URL.Path)
		w.WriteHeader(http.StatusTeapot)
	}))
	defer refusing.Close()
	down := refusing.URL
	// A base URL written with its trailing slash asked for //api/v1/… (404).
	if _, err := run(t, db, "", "loadtest", "season", "--target", down+"/"); err == nil || asked.Load() != "/api/v1/zones" {
		t.Errorf("--target %s/ asked for %v: %v", down, asked.Load(), err)
	}
	file := t.TempDir() + "/a-file"
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		flag string
	}{
		{[]string{"--days", "0"}, "--days"},
		{[]string{"--days", "-3"}, "--days"},
		{[]string{"--zones", "0"}, "--zones"},
		{[]string{"--graduates-per-zone", "0"}, "--graduates-per-zone"},
		{[]string{"--applies-per-day", "-1"}, "--applies-per-day"},
		{[]string{"--days", "10", "--fault", "11=true"}, "--fault"},
		{[]string{"--target", "notaurl"}, "--target"},
		{[]string{"--mailpit", "127.0.0.1:8025"}, "--mailpit"},
		{[]string{"--out", file + "/season"}, "--out"},
	} {
		args := append([]string{"loadtest", "season", "--target", down}, c.args...)
		if c.flag == "--target" {
			args = append([]string{"loadtest", "season"}, c.args...)
		}
		out, err := run(t, db, "", args...)
		if err == nil || !strings.HasPrefix(err.Error(), c.flag) || out != "" {
			t.Errorf("%v: %q, %v", c.args, out, err)
		}
	}
	if _, err := run(t, db, "", "loadtest", "season", "--replicas", "0"); err == nil || !strings.HasPrefix(err.Error(), "--replicas") {
		t.Errorf("--replicas 0: %v", err)
	}
}

// An operator probe: `gradzone reindex` with Meilisearch down printed
// `reindex: MeilisearchCommunicationError unable to execute request (path "GET
// /indexes/openings" with method "FetchInfo"): …`, and with a wrong key
// `unaccepted status code found: 403 expected: [200], APIError Message: …`.
// Each now says, once, what to look at.
func TestReindexSaysWhatMeilisearchAnswered(t *testing.T) {
	db := testutil.NewDatabase(t)
	t.Setenv("GRADZONE_MEILI_INDEX", "test_openings_cli_"+strconv.FormatInt(time.Now().UnixNano(), 36))
	meili := testutil.MeiliURL(t)
	t.Setenv("GRADZONE_MEILI_URL", "http://127.0.0.1:1")
	_, err := run(t, db, "", "reindex")
	if err == nil || err.Error() != "reindex: Meilisearch does not answer at http://127.0.0.1:1 (GRADZONE_MEILI_URL): connection refused" {
		t.Errorf("Meilisearch down: %v", err)
	}
	t.Setenv("GRADZONE_MEILI_URL", meili)
	t.Setenv("GRADZONE_MEILI_KEY", "not-the-key")
	_, err = run(t, db, "", "reindex")
	if err == nil || err.Error() != "reindex: Meilisearch at "+meili+" refused the key (GRADZONE_MEILI_KEY): The provided API key is invalid." {
		t.Errorf("a wrong key: %v", err)
	}
	other := httptest.NewServer(http.NotFoundHandler()) // a wrong port: not Meilisearch
	defer other.Close()
	t.Setenv("GRADZONE_MEILI_URL", other.URL)
	if _, err = run(t, db, "", "reindex"); err == nil || err.Error() != "reindex: "+other.URL+" (GRADZONE_MEILI_URL) answered 404 Not Found, not as Meilisearch does" {
		t.Errorf("not Meilisearch: %v", err)
	}
}

// An operator probe: on a database not migrated, `user create`, `user
// disable` and `reindex` failed in their first statement, each saying it
// twice (a JSON "sql failed" line, then `postgres: ERROR: relation "users"
// does not exist`); on one a migration behind, `user create` ran on the older
// schema. Each says, as `seed` and `serve` do, to run `gradzone migrate`, and
// changes nothing.
func TestCommandsNeedTheMigrations(t *testing.T) {
	db := testutil.NewDatabase(t)
	t.Setenv("GRADZONE_MEILI_INDEX", "test_openings_cli_"+strconv.FormatInt(time.Now().UnixNano(), 36))
	if _, err := run(t, db, "", "migrate", "--down"); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"user", "create", "--role", "ministry_admin", "--email", "behind@staff.test", "--name", "部", "--generate"},
		{"user", "disable", "--email", "behind@staff.test"},
		{"reindex"},
	} {
		if out, err := run(t, db, "", args...); !errors.Is(err, postgres.ErrPendingMigrations) || out != "" {
			t.Errorf("%v on a database a migration behind: %q, %v", args, out, err)
		}
	}
	if _, err := run(t, db, "", "migrate"); err != nil {
		t.Fatal(err)
	}
	if err := signIn(t, db, "behind@staff.test", "anything-at-all"); !errors.Is(err, app.ErrInvalidCredentials) {
		t.Errorf("an account was made on the older schema: %v", err)
	}
}

// An operator probe: `migrate --down` on a database with no migration
// applied answered goose's "postgres: migrate down: no next version found".
func TestMigrateDownWithNothingApplied(t *testing.T) {
	admin := testutil.SQL(t, testutil.AdminURL(t))
	name := "gz_test_empty_" + strconv.FormatInt(time.Now().UnixNano(), 36)
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)") })
	u, _ := url.Parse(testutil.AdminURL(t))
	u.Path = "/" + name
	if out, err := run(t, u.String(), "", "migrate", "--down"); err == nil || err.Error() != "migrate: nothing to roll back: no migration is applied" || out != "" {
		t.Errorf("migrate --down on an empty database: %q, %v", out, err)
	}
}

// An operator probe: a statement of a command that failed was said twice,
// as the store's JSON "sql failed" line (with the statement) and as the
// command's error; `seed` drew the store's "sql slow" lines through its
// progress bars. A command says its failure once; the store's lines are
// shown with GRADZONE_LOG_LEVEL=debug.
func TestCommandSaysAFailedStatementOnce(t *testing.T) {
	db := testutil.NewDatabase(t)
	execAll := testutil.SQL(t, db)
	for _, q := range []string{
		`CREATE FUNCTION refuse_all() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refused by a test trigger'; END $$ LANGUAGE plpgsql`,
		`CREATE TRIGGER refuse_all BEFORE INSERT ON users FOR EACH ROW EXECUTE FUNCTION refuse_all()`,
	} {
		if _, err := execAll.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	shown := func(level string) (string, error) {
		t.Setenv("GRADZONE_LOG_LEVEL", level)
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		stderr := os.Stderr
		os.Stderr = w
		_, err = run(t, db, "", "user", "create", "--role", "ministry_admin", "--email", "once@staff.test", "--name", "部", "--generate")
		os.Stderr = stderr
		w.Close()
		var b bytes.Buffer
		_, _ = b.ReadFrom(r)
		return b.String(), err
	}
	if logged, err := shown("info"); err == nil || !strings.Contains(err.Error(), "refused by a test trigger") || logged != "" {
		t.Errorf("the failure: %v, and on standard error besides:\n%s", err, logged)
	}
	if logged, _ := shown("debug"); !strings.Contains(logged, "sql failed") {
		t.Errorf("with GRADZONE_LOG_LEVEL=debug the store's lines are not shown:\n%s", logged)
	}
}
