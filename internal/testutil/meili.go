package testutil

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Meili is a private Meilisearch server a test can stop, hang and restart,
// with its data kept between runs.
type Meili struct {
	*Process
	dir  string
	Port int
	Key  string
}

// URL returns the server's base URL.
func (m *Meili) URL() string { return fmt.Sprintf("http://127.0.0.1:%d", m.Port) }

// StartMeili starts a private Meilisearch from GRADZONE_MEILI_BIN.
func StartMeili(t testing.TB) *Meili {
	bin := os.Getenv("GRADZONE_MEILI_BIN")
	if bin == "" {
		t.Fatal("GRADZONE_MEILI_BIN is not set: run the suite with `make test`")
	}
	m := &Meili{dir: t.TempDir(), Port: freePort(t), Key: "private-test-master-key-0123456789"}
	m.Process = startProcess(t, "meilisearch", m.URL()+"/health", func() *exec.Cmd {
		return exec.Command(bin, "--db-path", filepath.Join(m.dir, "data.ms"), "--http-addr", fmt.Sprintf("127.0.0.1:%d", m.Port),
			"--master-key", m.Key, "--no-analytics", "--env", "development", "--log-level", "WARN")
	})
	return m
}

// Wipe stops the server, deletes its data as a lost volume would, and
// starts it again empty on the same port.
func (m *Meili) Wipe() { m.wipe(filepath.Join(m.dir, "data.ms")) }
