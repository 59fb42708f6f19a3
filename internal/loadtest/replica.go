package loadtest

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// Replica is one `gradzone serve` process in a process of its own, so that a
// simulation can kill it -9 as a crash would.
type Replica struct {
	URL  string
	cmd  *exec.Cmd
	log  *SyncBuffer
	done chan struct{}
}

// StartReplica runs `bin args…` (which must be `serve`) with env plus its own
// free HTTP and metrics ports, and waits up to a minute until it answers.
func StartReplica(bin string, args, env []string) (*Replica, error) {
	port, err := FreePort()
	if err != nil {
		return nil, err
	}
	metrics, err := FreePort()
	if err != nil {
		return nil, err
	}
	r := &Replica{URL: "http://127.0.0.1:" + port, log: &SyncBuffer{}, done: make(chan struct{})}
	r.cmd = exec.Command(bin, args...)
	r.cmd.Env = append(env, "GRADZONE_HTTP_ADDR=127.0.0.1:"+port, "GRADZONE_METRICS_ADDR=127.0.0.1:"+metrics)
	r.cmd.Stdout, r.cmd.Stderr = r.log, r.log
	if err := r.cmd.Start(); err != nil {
		return nil, err
	}
	go func() { _ = r.cmd.Wait(); close(r.done) }()
	deadline := time.Now().Add(time.Minute)
	for {
		if res, err := http.Get(r.URL + "/healthz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return r, nil
			}
		}
		select {
		case <-r.done:
			return nil, fmt.Errorf("replica exited at start:\n%s", r.Log())
		default:
		}
		if time.Now().After(deadline) {
			r.Kill()
			return nil, fmt.Errorf("replica not up after a minute:\n%s", r.Log())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// PID is the replica's process id.
func (r *Replica) PID() int { return r.cmd.Process.Pid }

// Kill ends the replica as a crash would: no shutdown, no cleanup.
func (r *Replica) Kill() {
	_ = r.cmd.Process.Signal(syscall.SIGKILL)
	<-r.done
}

// Stop shuts the replica down gracefully (killing it after 30 s).
func (r *Replica) Stop() {
	_ = r.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-r.done:
	case <-time.After(30 * time.Second):
		r.Kill()
	}
}

// Log is what the replica printed so far.
func (r *Replica) Log() string { return r.log.String() }

// FreePort is a TCP port on 127.0.0.1 that nothing listens on now.
func FreePort() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return strconv.Itoa(ln.Addr().(*net.TCPAddr).Port), nil
}

// SyncBuffer is a bytes.Buffer that writers on several goroutines (a
// process's output, a logger) and a reader may share.
type SyncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *SyncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *SyncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
