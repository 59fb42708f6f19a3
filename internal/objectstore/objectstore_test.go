package objectstore_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/objectstore"
	"github.com/gradzone/gradzone/internal/testutil"
)

// The bucket does not exist before Open; Open makes it, and opening again
// (a second replica starting) finds it and succeeds.
func TestOpenCreatesTheBucketOnce(t *testing.T) {
	ctx := context.Background()
	s := testutil.S3Settings(t)
	st, err := objectstore.Open(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Healthy(ctx); err != nil {
		t.Fatalf("fresh bucket not healthy: %v", err)
	}
	again, err := objectstore.Open(ctx, s)
	if err != nil {
		t.Fatalf("second open: %v", err)
	}
	if err := again.Put(ctx, "a", strings.NewReader("x"), 1, "text/plain"); err != nil {
		t.Fatal(err)
	}
	if keys, _ := st.List(ctx, ""); len(keys) != 1 || keys[0] != "a" {
		t.Fatalf("both handles must see one bucket: %v", keys)
	}
}

func TestPutGetStatDeleteRoundTrip(t *testing.T) {
	ctx := context.Background()
	st := testutil.NewFileStore(t)
	// 5 MiB of random bytes: larger than one read buffer, so the stream is
	// really streamed, and incompressible.
	data := make([]byte, 5<<20)
	_, _ = rand.Read(data)
	key := "resumes/abc.pdf"
	if err := st.Put(ctx, key, bytes.NewReader(data), int64(len(data)), "application/pdf"); err != nil {
		t.Fatal(err)
	}
	info, err := st.Stat(ctx, key)
	if err != nil || info.Size != int64(len(data)) || info.ContentType != "application/pdf" || info.Modified.IsZero() {
		t.Fatalf("stat: %+v %v", info, err)
	}
	rc, ginfo, err := st.Get(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(rc)
	rc.Close()
	if err != nil || !bytes.Equal(got, data) || ginfo.Size != int64(len(data)) {
		t.Fatalf("get: %d bytes, equal=%v, %v", len(got), bytes.Equal(got, data), err)
	}
	// Put again replaces.
	if err := st.Put(ctx, key, strings.NewReader("v2"), 2, ""); err != nil {
		t.Fatal(err)
	}
	if info, _ := st.Stat(ctx, key); info.Size != 2 || info.ContentType != "application/octet-stream" {
		t.Fatalf("replace: %+v", info)
	}
	if err := st.Delete(ctx, key); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Stat(ctx, key); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("stat after delete: %v, want domain.ErrNotFound", err)
	}
	if _, _, err := st.Get(ctx, key); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("get after delete: %v, want domain.ErrNotFound", err)
	}
	if err := st.Delete(ctx, key); err != nil {
		t.Fatalf("deleting a missing key is not an error: %v", err)
	}
}

// A presigned URL downloads without credentials, names the file, and stops
// working when it expires; a URL for another key cannot be forged from it.
func TestPresignedDownload(t *testing.T) {
	ctx := context.Background()
	st := testutil.NewFileStore(t)
	if err := st.Put(ctx, "resumes/r1", strings.NewReader("résumé body"), int64(len("résumé body")), "application/pdf"); err != nil {
		t.Fatal(err)
	}
	u, err := st.PresignGet(ctx, "resumes/r1", 2*time.Second, "张三-简历.pdf")
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != "résumé body" {
		t.Fatalf("presigned get: %d %q", resp.StatusCode, body)
	}
	if cd := resp.Header.Get("Content-Disposition"); !strings.Contains(cd, "attachment") {
		t.Errorf("Content-Disposition: %q", cd)
	}
	forged := strings.Replace(u, "resumes/r1", "resumes/r2", 1)
	if r, err := http.Get(forged); err != nil || r.StatusCode != http.StatusForbidden {
		t.Fatalf("a URL for another key must be refused: %v %v", r.StatusCode, err)
	}
	time.Sleep(3 * time.Second)
	if r, err := http.Get(u); err != nil || r.StatusCode != http.StatusForbidden {
		t.Fatalf("an expired URL must be refused, got %v %v", r.StatusCode, err)
	}
}

func TestWrongSecretIsRefused(t *testing.T) {
	s := testutil.S3Settings(t)
	s.SecretKey = "not-the-secret"
	if _, err := objectstore.Open(context.Background(), s); err == nil {
		t.Fatal("a wrong secret key must not open the store")
	}
}

// CI met a download answered 500: the gateway hung after Get had its
// first answer, and the read that followed failed with an error nobody
// translated. A file read that the gateway breaks off is unavailable (503,
// retry), the same as a Get that cannot start.
func TestReadBrokenOffIsUnavailable(t *testing.T) {
	ctx := context.Background()
	s3 := testutil.StartS3(t)
	st, err := objectstore.Open(ctx, s3.Settings())
	if err != nil {
		t.Fatal(err)
	}
	data := make([]byte, 1<<20)
	if err := st.Put(ctx, "resumes/big.pdf", bytes.NewReader(data), int64(len(data)), "application/pdf"); err != nil {
		t.Fatal(err)
	}
	rc, _, err := st.Get(ctx, "resumes/big.pdf")
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	s3.Pause()
	defer s3.Resume()
	if _, err := io.ReadAll(rc); !errors.Is(err, domain.ErrUnavailable) {
		t.Fatalf("a read the gateway broke off: %v, want domain.ErrUnavailable", err)
	}
}
