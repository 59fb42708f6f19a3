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

	"github.com/gradzone/gradzone/internal/config"
	"github.com/gradzone/gradzone/internal/objectstore"
	"github.com/gradzone/gradzone/internal/server"
)

// S3 is a private S3 gateway (versitygw on a folder) a test can stop, wipe,
// hang and restart; the shared one other tests use is never touched.
type S3 struct {
	t    testing.TB
	bin  string
	dir  string
	Port int
	cmd  *exec.Cmd
}

// StartS3 starts a private versitygw from GRADZONE_S3_BIN.
func StartS3(t testing.TB) *S3 {
	bin := os.Getenv("GRADZONE_S3_BIN")
	if bin == "" {
		t.Fatal("GRADZONE_S3_BIN is not set: run the suite with `make test`")
	}
	port := freePort(t)
	s := &S3{t: t, bin: bin, dir: t.TempDir(), Port: port}
	s.Start()
	t.Cleanup(s.Stop)
	return s
}

// Settings are the gateway's, with a bucket of the test's own and a short
// wait for answers (a hung gateway is met within a second).
func (s *S3) Settings() objectstore.Settings {
	return objectstore.Settings{Endpoint: fmt.Sprintf("http://127.0.0.1:%d", s.Port), Bucket: "private-test", AccessKey: "private",
		SecretKey: "private-test-secret", Region: "us-east-1", Wait: time.Second}
}

// S3At points the app at a private gateway.
func S3At(s *S3) Option {
	return func(c *config.Config, o *server.Options) {
		st := s.Settings()
		c.S3Endpoint, c.S3Bucket, c.S3AccessKey, c.S3SecretKey, c.S3Region = st.Endpoint, st.Bucket, st.AccessKey, st.SecretKey, st.Region
		o.S3Wait = st.Wait
	}
}

// Start (re)starts the gateway on the same port and folder, and waits for it.
func (s *S3) Start() {
	s.t.Helper()
	root := filepath.Join(s.dir, "root")
	if err := os.MkdirAll(root, 0o755); err != nil {
		s.t.Fatal(err)
	}
	st := s.Settings()
	s.cmd = exec.Command(s.bin, "--port", fmt.Sprintf("127.0.0.1:%d", s.Port), "--region", st.Region, "--health", "/health", "posix", root)
	s.cmd.Env = append(os.Environ(), "ROOT_ACCESS_KEY="+st.AccessKey, "ROOT_SECRET_KEY="+st.SecretKey)
	if err := s.cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if res, err := http.Get(st.Endpoint + "/health"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.t.Fatal("private versitygw did not start")
}

// Stop kills the gateway and waits for it to exit.
func (s *S3) Stop() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	_ = s.cmd.Process.Signal(syscall.SIGCONT) // a paused one exits too
	_ = s.cmd.Process.Kill()
	_, _ = s.cmd.Process.Wait()
	s.cmd = nil
}

// Wipe stops the gateway, deletes its folder as a lost volume would (every
// bucket and file), and starts it again empty.
func (s *S3) Wipe() {
	s.t.Helper()
	s.Stop()
	if err := os.RemoveAll(filepath.Join(s.dir, "root")); err != nil {
		s.t.Fatal(err)
	}
	s.Start()
}

// Pause stops the process without ending it (SIGSTOP): a hung gateway,
// which takes connections and answers nothing. Resume lets it go on.
func (s *S3) Pause() {
	s.t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGSTOP); err != nil {
		s.t.Fatal(err)
	}
}

// Resume continues a paused gateway (SIGCONT).
func (s *S3) Resume() {
	if s.cmd != nil && s.cmd.Process != nil {
		_ = s.cmd.Process.Signal(syscall.SIGCONT)
	}
}
