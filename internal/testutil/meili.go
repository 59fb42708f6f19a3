package testutil

import (
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// Meili is a private Meilisearch server a test can stop and restart, with
// its data kept between runs.
type Meili struct {
	t    testing.TB
	bin  string
	dir  string
	Port int
	Key  string
	cmd  *exec.Cmd
}

// URL returns the server's base URL.
func (m *Meili) URL() string { return fmt.Sprintf("http://127.0.0.1:%d", m.Port) }

// StartMeili starts a private Meilisearch from GRADZONE_MEILI_BIN.
func StartMeili(t testing.TB) *Meili {
	bin := os.Getenv("GRADZONE_MEILI_BIN")
	if bin == "" {
		t.Fatal("GRADZONE_MEILI_BIN is not set: run the suite with `make test`")
	}
	port := freePort(t)
	m := &Meili{t: t, bin: bin, dir: t.TempDir(), Port: port, Key: "private-test-master-key-0123456789"}
	m.Start()
	t.Cleanup(m.Stop)
	return m
}

// Start (re)starts the server on the same port and data, and waits for it.
func (m *Meili) Start() {
	m.t.Helper()
	m.cmd = exec.Command(m.bin, "--db-path", filepath.Join(m.dir, "data.ms"), "--http-addr", fmt.Sprintf("127.0.0.1:%d", m.Port),
		"--master-key", m.Key, "--no-analytics", "--env", "development", "--log-level", "WARN")
	m.cmd.Stdout, m.cmd.Stderr = nil, nil
	if err := m.cmd.Start(); err != nil {
		m.t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if res, err := http.Get(m.URL() + "/health"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	m.t.Fatal("private meilisearch did not start")
}

// Stop kills the server and waits for it to exit.
func (m *Meili) Stop() {
	if m.cmd == nil || m.cmd.Process == nil {
		return
	}
	_ = m.cmd.Process.Kill()
	_, _ = m.cmd.Process.Wait()
	m.cmd = nil
}

// Pause stops the process without ending it (SIGSTOP): a hung server,
// which takes connections and answers nothing. Resume lets it go on.
func (m *Meili) Pause() {
	m.t.Helper()
	if err := m.cmd.Process.Signal(syscall.SIGSTOP); err != nil {
		m.t.Fatal(err)
	}
	m.t.Cleanup(m.Resume)
}

// Resume continues a paused server (SIGCONT).
func (m *Meili) Resume() {
	if m.cmd != nil && m.cmd.Process != nil {
		_ = m.cmd.Process.Signal(syscall.SIGCONT)
	}
}

// Wipe stops the server, deletes its data as a lost volume would, and
// starts it again empty on the same port.
func (m *Meili) Wipe() {
	m.t.Helper()
	m.Stop()
	if err := os.RemoveAll(filepath.Join(m.dir, "data.ms")); err != nil {
		m.t.Fatal(err)
	}
	m.Start()
}
