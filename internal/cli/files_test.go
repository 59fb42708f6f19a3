package cli

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gradzone/gradzone/internal/app"
	"github.com/gradzone/gradzone/internal/config"
	"github.com/gradzone/gradzone/internal/testutil"
)

// `gradzone files migrate-local` moves every résumé into the bucket under
// app.ResumeKey, removes the local copies, leaves folders alone, and a
// second run (after an interrupted first one) finds nothing to lose.
func TestFilesMigrateLocal(t *testing.T) {
	s := testutil.S3Settings(t)
	for k, v := range map[string]string{"GRADZONE_S3_ENDPOINT": s.Endpoint, "GRADZONE_S3_BUCKET": s.Bucket,
		"GRADZONE_S3_ACCESS_KEY": s.AccessKey, "GRADZONE_S3_SECRET_KEY": s.SecretKey, "GRADZONE_S3_REGION": s.Region} {
		t.Setenv(k, v)
	}
	dir := t.TempDir()
	files := map[string]string{"a1b2.pdf": "%PDF-1.4 first\n%%EOF", "c3d4.pdf": "%PDF-1.4 second, longer\n%%EOF"}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o640); err != nil {
			t.Fatal(err)
		}
	}
	_ = os.Mkdir(filepath.Join(dir, "tmp"), 0o750)

	// The first file is already in the bucket, as after an interrupted run.
	ctx := context.Background()
	st, err := fileStore(ctx, config.Config{S3Endpoint: s.Endpoint, S3Bucket: s.Bucket, S3AccessKey: s.AccessKey, S3SecretKey: s.SecretKey, S3Region: s.Region})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Put(ctx, app.ResumeKey("a1b2.pdf"), strings.NewReader(files["a1b2.pdf"]), int64(len(files["a1b2.pdf"])), "application/pdf"); err != nil {
		t.Fatal(err)
	}

	out := runFiles(t, "files", "migrate-local", "--config", testutil.EmptyConfig(t), "--dir", dir)
	if !strings.Contains(out, "1 moved") || !strings.Contains(out, "1 already") || !strings.Contains(out, "1 skipped") {
		t.Fatalf("report: %s", out)
	}
	for name, body := range files {
		if _, err := os.Stat(filepath.Join(dir, name)); !os.IsNotExist(err) {
			t.Errorf("%s still on disk", name)
		}
		rc, info, err := st.Get(ctx, "resumes/"+name)
		if err != nil {
			t.Fatalf("%s not in bucket: %v", name, err)
		}
		got, _ := io.ReadAll(rc)
		rc.Close()
		if string(got) != body || info.ContentType != "application/pdf" {
			t.Errorf("%s: %q %s", name, got, info.ContentType)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "tmp")); err != nil {
		t.Error("a folder must be left alone")
	}
	if out := runFiles(t, "files", "migrate-local", "--config", testutil.EmptyConfig(t), "--dir", dir); !strings.Contains(out, "0 moved") {
		t.Fatalf("second run: %s", out)
	}
	// An operator probe: a folder that is not there printed "files: 0
	// moved (0 bytes), …" and then the error, two messages. One says it.
	var shown bytes.Buffer
	root := newRoot()
	root.SetArgs([]string{"files", "migrate-local", "--config", testutil.EmptyConfig(t), "--dir", filepath.Join(dir, "none")})
	root.SetOut(&shown)
	if err := root.ExecuteContext(context.Background()); err == nil || !strings.Contains(err.Error(), filepath.Join(dir, "none")) || shown.Len() != 0 {
		t.Errorf("a folder that is not there: %q, %v", shown.String(), err)
	}
}

func TestFilesMigrateLocalNeedsS3(t *testing.T) {
	t.Setenv("GRADZONE_S3_ENDPOINT", "")
	root := newRoot()
	root.SetArgs([]string{"files", "migrate-local", "--config", testutil.EmptyConfig(t)})
	root.SetOut(io.Discard)
	if err := root.ExecuteContext(context.Background()); err == nil || !strings.Contains(err.Error(), "GRADZONE_S3_ENDPOINT") {
		t.Fatalf("want an error naming GRADZONE_S3_ENDPOINT, got %v", err)
	}
}

func runFiles(t *testing.T, args ...string) string {
	t.Helper()
	var out bytes.Buffer
	root := newRoot()
	root.SetArgs(args)
	root.SetOut(&out)
	if err := root.ExecuteContext(context.Background()); err != nil {
		t.Fatalf("gradzone %v: %v\n%s", args, err, out.String())
	}
	return out.String()
}
