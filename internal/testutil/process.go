package testutil

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
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
	// kill(2) returns before the stop takes hold: the thread that takes the
	// signal has to run first to stop the others, and under load the
	// others go on serving meanwhile. Wait until every thread is stopped.
	deadline := time.Now().Add(10 * time.Second)
	for !stopped(p.cmd.Process.Pid) {
		if time.Now().After(deadline) {
			p.t.Fatalf("private %s did not stop", p.name)
		}
		time.Sleep(time.Millisecond)
	}
}

// stopped reports whether every thread of pid is stopped (state T).
func stopped(pid int) bool {
	tasks, err := os.ReadDir(fmt.Sprintf("/proc/%d/task", pid))
	if err != nil || len(tasks) == 0 {
		return false
	}
	for _, task := range tasks {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%s/stat", pid, task.Name()))
		if err != nil {
			return false
		}
		// pid (comm) state ...: comm may hold spaces, so look after ')'.
		s := string(b)
		i := strings.LastIndexByte(s, ')')
		if i < 0 || i+2 >= len(s) || (s[i+2] != 'T' && s[i+2] != 't') {
			return false
		}
	}
	return true
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
