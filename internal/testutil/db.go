// Package testutil gives tests real infrastructure: a fresh Postgres database
// per test (cloned from a migrated template, one per set of migrations,
// shared by the suite's processes) and the whole server on a
// random port. It needs GRADZONE_DATABASE_URL (make test sets it) and fails
// rather than skips without it: a suite that silently skips proves nothing.
package testutil

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/gradzone/gradzone/internal/jobs"
	"github.com/gradzone/gradzone/internal/postgres"
	"github.com/gradzone/gradzone/migrations"
)

var (
	templateOnce sync.Once
	templateName string
	templateErr  error
)

// AdminURL returns the server's connection URL from the environment.
func AdminURL(t testing.TB) string {
	u := os.Getenv("GRADZONE_DATABASE_URL")
	if u == "" {
		t.Fatal("GRADZONE_DATABASE_URL is not set: run the suite with `make test`, which starts Postgres and Meilisearch")
	}
	return u
}

// testConnectTimeout is the seconds a test waits for Postgres to accept a
// connection. Serve's own 5 s is right for production, but the whole -race
// suite runs its packages side by side against one cluster, and on a busy CI
// machine a new database's first connection took longer (CI of f69efb6).
const testConnectTimeout = "60"

func withDB(raw, name string) string {
	u, err := url.Parse(raw)
	if err != nil {
		panic(err)
	}
	u.Path = "/" + name
	if q := u.Query(); q.Get("connect_timeout") == "" {
		q.Set("connect_timeout", testConnectTimeout)
		u.RawQuery = q.Encode()
	}
	return u.String()
}

func randomName(prefix string) string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// EmptyConfig is an empty config file, for a command or a process that
// must not read the repository's configs/gradzone.yaml (a file named with
// --config or GRADZONE_CONFIG must exist).
func EmptyConfig(t testing.TB) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "empty.yaml")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// Quiet is a logger that drops everything below errors.
func Quiet() *slog.Logger {
	if os.Getenv("GRADZONE_TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

// template returns the migrated database each test database is cloned from.
// It is shared by every test process of the same migrations, found by their
// hash: a per-process template was never dropped, and a developer's cluster
// grew by one migrated database per package and run (3 GB in a month here).
// A session advisory lock lets one process build it while the others wait;
// it is built under a scratch name and renamed when whole, so a process
// killed half-way leaves no half-migrated template behind. Scratch builds
// left by killed processes, and templates of other migrations unused for a
// day, are dropped then (staleTemplates).
func template(t testing.TB, admin string) string {
	templateOnce.Do(func() {
		templateName, templateErr = sharedTemplate(context.Background(), admin)
	})
	if templateErr != nil {
		t.Fatalf("test template database: %v", templateErr)
	}
	return templateName
}

// templateLock is the advisory lock key the template's builders share.
const templateLock = 0x67_7a_74_70_6c // "gztpl"

func sharedTemplate(ctx context.Context, admin string) (string, error) {
	hash, err := migrationsHash()
	if err != nil {
		return "", err
	}
	name := "gz_tpl_" + hash
	db, err := sql.Open("pgx", admin)
	if err != nil {
		return "", err
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", templateLock); err != nil {
		return "", err
	}
	defer conn.ExecContext(ctx, "SELECT pg_advisory_unlock($1)", templateLock) //nolint:errcheck // the session ends with conn anyway
	dropStaleTemplates(ctx, conn, name)
	var exists bool
	if err := conn.QueryRowContext(ctx,
		"SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil || exists {
		if err == nil {
			err = markTemplateUsed(ctx, conn, name)
		}
		return name, err
	}
	scratch := randomName("gz_tplbuild_")
	if _, err := conn.ExecContext(ctx, "CREATE DATABASE "+scratch); err != nil {
		return "", err
	}
	st, err := postgres.Open(ctx, withDB(admin, scratch), Quiet())
	if err != nil {
		return "", err
	}
	_, err = st.Migrate(ctx)
	st.Close()
	if err != nil {
		return "", err
	}
	if _, err = conn.ExecContext(ctx, fmt.Sprintf("ALTER DATABASE %s RENAME TO %s", scratch, name)); err != nil {
		return "", err
	}
	return name, markTemplateUsed(ctx, conn, name)
}

// staleTemplates are the templates to drop: scratch builds (none is being
// built: the caller holds the lock), per-process ones of the old scheme,
// and those of other migrations last used over a day ago. Another suite on
// the same cluster with other migrations (a branch) clones from its
// template between our clones, with nothing connected to it: dropping it
// at once would break that suite (a review). A template's comment holds
// when it was last handed out (markTemplateUsed).
const staleTemplates = `SELECT datname
	FROM pg_database d
	WHERE datname LIKE 'gz\_tpl%' AND datname <> $1
		AND (datname LIKE 'gz\_tplbuild\_%' OR length(datname) = length('gz_tpl_') + 12
			OR coalesce(substring(shobj_description(d.oid, 'pg_database') FROM '^used (\d+)$')::bigint, 0)
				< extract(epoch FROM now() - interval '1 day'))`

// markTemplateUsed records that name was handed out now (staleTemplates).
func markTemplateUsed(ctx context.Context, conn *sql.Conn, name string) error {
	_, err := conn.ExecContext(ctx, fmt.Sprintf("COMMENT ON DATABASE %s IS 'used %d'", name, time.Now().Unix()))
	return err
}

// dropStaleTemplates drops staleTemplates; one a suite is cloning from
// refuses (DROP without FORCE), and stays.
func dropStaleTemplates(ctx context.Context, conn *sql.Conn, keep string) {
	rows, err := conn.QueryContext(ctx, staleTemplates, keep)
	if err != nil {
		return
	}
	var stale []string
	for rows.Next() {
		var n string
		if rows.Scan(&n) == nil {
			stale = append(stale, n)
		}
	}
	rows.Close()
	for _, n := range stale {
		_, _ = conn.ExecContext(ctx, "DROP DATABASE IF EXISTS "+n)
	}
}

// migrationsHash names the schema the migrations make.
func migrationsHash() (string, error) {
	h := sha256.New()
	err := fs.WalkDir(migrations.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := migrations.FS.ReadFile(path)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s %d\n", path, len(b))
		h.Write(b)
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))[:16], err
}

// NewDatabase creates a migrated database for this test and drops it when
// the test ends. It returns the database URL.
func NewDatabase(t testing.TB) string {
	t.Helper()
	admin := AdminURL(t)
	tpl := template(t, admin)
	name := randomName("gz_test_")
	db, err := sql.Open("pgx", admin)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s", name, tpl)); err != nil {
		db.Close()
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		_, _ = db.Exec(fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", name))
		db.Close()
	})
	return withDB(admin, name)
}

// NewStore returns a Store on a fresh database, closed at cleanup.
func NewStore(t testing.TB) (*postgres.Store, string) {
	t.Helper()
	u := NewDatabase(t)
	st, err := postgres.Open(context.Background(), u, Quiet())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	// Changes enqueue their background jobs in their own transaction, as in serve.
	ins, err := jobs.NewInserter()
	if err != nil {
		t.Fatal(err)
	}
	st.SetJobs(ins)
	return st, u
}

// NewStoreSQL is NewStore with a plain database/sql handle on the same
// database, for tests that insert rows directly and then ask the store.
func NewStoreSQL(t testing.TB) (*postgres.Store, *sql.DB) {
	t.Helper()
	st, url := NewStore(t)
	return st, SQL(t, url)
}

// Column returns the first column of the rows query answers on db, as Ts.
func Column[T any](t testing.TB, db *sql.DB, query string, args ...any) []T {
	t.Helper()
	rows, err := db.Query(query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var v T
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// SQL opens a plain database/sql handle on url for direct inserts in tests.
func SQL(t testing.TB, url string) *sql.DB {
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// LockTable locks table in mode (EXCLUSIVE, SHARE ROW EXCLUSIVE …) in a
// transaction of its own, as a slow writer elsewhere would, until release
// or the test's end.
func LockTable(t testing.TB, db *sql.DB, table, mode string) (release func()) {
	t.Helper()
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tx.Rollback() })
	if _, err := tx.Exec(`LOCK TABLE ` + table + ` IN ` + mode + ` MODE`); err != nil {
		t.Fatal(err)
	}
	return func() { tx.Rollback() }
}

// WaitForLockWaiters waits until n statements of db's database wait on a
// lock: a test that holds one makes sure every racing request has come
// that far before it lets them go (what names them in the failure).
func WaitForLockWaiters(t testing.TB, db *sql.DB, n int, what string) {
	t.Helper()
	Eventually(t, 30*time.Second, 20*time.Millisecond, func() string {
		var waiting int
		db.QueryRow(`SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&waiting)
		if waiting < n {
			return fmt.Sprintf("%d of %d %s wait", waiting, n, what)
		}
		return ""
	})
}

// RebuildLockHolders selects, after its SELECT list, the sessions holding
// the search rebuild lock in this database.
const RebuildLockHolders = `FROM pg_locks
	WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
	  AND (classid::bigint << 32 | objid::bigint) = hashtextextended('gradzone.search_rebuild', 0)`
