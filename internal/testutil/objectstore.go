package testutil

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/gradzone/gradzone/internal/objectstore"
)

// S3Settings returns the test S3 gateway's settings (`.ci/services up`
// starts versitygw) with a bucket of the test's own, which is emptied and
// removed when the test ends. It fails the test when the services are not
// running.
func S3Settings(t testing.TB) objectstore.Settings {
	t.Helper()
	ep := os.Getenv("GRADZONE_S3_ENDPOINT")
	if ep == "" {
		t.Fatal("GRADZONE_S3_ENDPOINT is not set: run the suite with `make test`, or `.ci/services up` and source its env")
	}
	s := objectstore.Settings{
		Endpoint:  ep,
		Bucket:    randomName("test-"),
		AccessKey: os.Getenv("GRADZONE_S3_ACCESS_KEY"),
		SecretKey: os.Getenv("GRADZONE_S3_SECRET_KEY"),
		Region:    os.Getenv("GRADZONE_S3_REGION"),
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		// Open does not create the bucket twice; it may never have been made
		// if the test failed early, which Open then does just to remove it.
		if st, err := objectstore.Open(ctx, s); err == nil {
			_ = st.RemoveBucket(ctx)
		}
	})
	return s
}

// NewFileStore opens the object store on a bucket of the test's own.
func NewFileStore(t testing.TB) *objectstore.Store {
	t.Helper()
	st, err := objectstore.Open(context.Background(), S3Settings(t))
	if err != nil {
		t.Fatalf("object store: %v", err)
	}
	return st
}
