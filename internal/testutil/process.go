package testutil

import (
	"net"
	"net/http"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"
)

// Process is a private server of one fault test's own (Meilisearch, the S3
// gateway, Mailpit), which the test stops, hangs and starts again: the
// shared ones other tests use are never touched.
type Process struct {
	t       testing.TB
	name    string
	health  string           // answers 200 once the server is up
	command func() *exec.Cmd // the command, made anew for each start
	cmd     *exec.Cmd
}

// startProcess starts name and stops it when the test ends.
func startProcess(t testing.TB, name, health string, command func() *exec.Cmd) *Process {
	p := &Process{t: t, name: name, health: health, command: command}
	p.Start()
	t.Cleanup(p.Stop)
	return p
}

// Start (re)starts the server, on the same ports and data, and waits for it.
func (p *Process) Start() {
	p.t.Helper()
	p.cmd = p.command()
	if err := p.cmd.Start(); err != nil {
		p.t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if res, err := http.Get(p.health); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	p.t.Fatalf("private %s did not start", p.name)
}

// Stop kills the server (a paused one too) and waits for it to exit.
func (p *Process) Stop() {
	if p.cmd == nil || p.cmd.Process == nil {
		return
	}
	_ = p.cmd.Process.Signal(syscall.SIGCONT)
	_ = p.cmd.Process.Kill()
	_, _ = p.cmd.Process.Wait()
	p.cmd = nil
}

// wipe stops the server, deletes its data at path as a lost volume would,
// and starts it again empty.
func (p *Process) wipe(path string) {
	p.t.Helper()
	p.Stop()
	if err := os.RemoveAll(path); err != nil {
		p.t.Fatal(err)
	}
	p.Start()
}

// Pause stops the process without ending it (SIGSTOP): a hung server,
// which takes connections and answers nothing. Resume lets it go on.
func (p *Process) Pause() {
	p.t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGSTOP); err != nil {
		p.t.Fatal(err)
	}
}

// Resume continues a paused server (SIGCONT).
func (p *Process) Resume() {
	if p.cmd != nil && p.cmd.Process != nil {
		_ = p.cmd.Process.Signal(syscall.SIGCONT)
	}
}

// freePort is a TCP port free on 127.0.0.1 a moment ago.
func freePort(t testing.TB) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
