package testutil

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/gradzone/gradzone/internal/postgres"
)

// Postgres is a private PostgreSQL cluster a test can stop and restart (the
// fault tests): the shared test cluster other tests use is never touched.
type Postgres struct {
	t    testing.TB
	bin  string
	dir  string
	Port int
	// asPostgres runs the binaries as the "postgres" user when the test
	// runs as root (initdb and postgres refuse root).
	asPostgres bool
}

// pgBinDir finds PostgreSQL's binaries: GRADZONE_PG_BIN, else Debian's
// /usr/lib/postgresql/<version>/bin (what .ci/services installs).
func pgBinDir(t testing.TB) string {
	if d := os.Getenv("GRADZONE_PG_BIN"); d != "" {
		return d
	}
	m, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(m) == 0 {
		t.Fatal("no PostgreSQL binaries (initdb) found: run the suite with `make test`, which installs them")
	}
	return filepath.Dir(m[len(m)-1])
}

// StartPostgres creates a cluster in a fresh folder on a free port, starts
// it, creates database gradzone and migrates it. It is stopped and removed
// when the test ends.
func StartPostgres(t testing.TB) *Postgres {
	t.Helper()
	p := &Postgres{t: t, bin: pgBinDir(t), asPostgres: os.Geteuid() == 0}
	dir, err := os.MkdirTemp("", "gz-pg-")
	if err != nil {
		t.Fatal(err)
	}
	p.dir = dir
	t.Cleanup(func() { p.Stop(); os.RemoveAll(dir) })
	if p.asPostgres {
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Fatalf("running as root needs the postgres user: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p.Port = ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	p.run("initdb", "-D", p.data(), "-U", "gradzone", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
	p.Start()
	admin, err := sql.Open("pgx", p.url("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec("CREATE DATABASE gradzone"); err != nil {
		t.Fatal(err)
	}
	st, err := postgres.Open(context.Background(), p.URL(), Quiet())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return p
}

func (p *Postgres) data() string { return filepath.Join(p.dir, "data") }

func (p *Postgres) url(db string) string {
	return fmt.Sprintf("postgres://gradzone@127.0.0.1:%d/%s?sslmode=disable", p.Port, db)
}

// URL is the connection URL of database gradzone.
func (p *Postgres) URL() string { return p.url("gradzone") }

func (p *Postgres) run(name string, args ...string) {
	p.t.Helper()
	cmd := exec.Command(filepath.Join(p.bin, name), args...)
	if p.asPostgres {
		cmd = exec.Command("runuser", append([]string{"-u", "postgres", "--", filepath.Join(p.bin, name)}, args...)...)
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		p.t.Fatalf("%s: %v\n%s", name, err, out)
	}
}

// Start (re)starts the server on the same port and data and waits until it
// accepts connections.
func (p *Postgres) Start() {
	p.t.Helper()
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100", p.Port, p.dir)
	p.run("pg_ctl", "-D", p.data(), "-l", filepath.Join(p.dir, "server.log"), "-o", opts, "-w", "-t", "60", "start")
	deadline := time.Now().Add(30 * time.Second)
	for {
		db, err := sql.Open("pgx", p.url("postgres"))
		if err == nil {
			err = db.Ping()
			db.Close()
		}
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("private postgres did not start: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Stop stops the server at once, as a crash would (immediate mode: open
// connections are cut, nothing is checkpointed; a restart recovers from the
// write-ahead log).
func (p *Postgres) Stop() {
	if _, err := os.Stat(filepath.Join(p.data(), "postmaster.pid")); err != nil {
		return
	}
	p.run("pg_ctl", "-D", p.data(), "-m", "immediate", "-w", "stop")
}
