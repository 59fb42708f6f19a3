package testutil

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/gradzone/gradzone/internal/config"
	"github.com/gradzone/gradzone/internal/objectstore"
	"github.com/gradzone/gradzone/internal/server"
)

// S3 is a private S3 gateway (versitygw on a folder) a test can stop, wipe,
// hang and restart.
type S3 struct {
	*Process
	dir  string
	Port int
}

// StartS3 starts a private versitygw from GRADZONE_S3_BIN.
func StartS3(t testing.TB) *S3 {
	bin := os.Getenv("GRADZONE_S3_BIN")
	if bin == "" {
		t.Fatal("GRADZONE_S3_BIN is not set: run the suite with `make test`")
	}
	s := &S3{dir: t.TempDir(), Port: freePort(t)}
	st := s.Settings()
	s.Process = startProcess(t, "versitygw", st.Endpoint+"/health", func() *exec.Cmd {
		root := filepath.Join(s.dir, "root")
		if err := os.MkdirAll(root, 0o755); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(bin, "--port", fmt.Sprintf("127.0.0.1:%d", s.Port), "--region", st.Region, "--health", "/health", "posix", root)
		cmd.Env = append(os.Environ(), "ROOT_ACCESS_KEY="+st.AccessKey, "ROOT_SECRET_KEY="+st.SecretKey)
		return cmd
	})
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

// Wipe stops the gateway, deletes its folder as a lost volume would (every
// bucket and file), and starts it again empty.
func (s *S3) Wipe() { s.wipe(filepath.Join(s.dir, "root")) }
