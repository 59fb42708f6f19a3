package objectstore

import (
	"context"
	"errors"
	"fmt"
	"net"
	"testing"

	"github.com/minio/minio-go/v7"

	"github.com/gradzone/gradzone/internal/domain"
)

// What a gateway's answer means to the reader: a file that is not there is
// 404; a gateway down, slow, failing on its side or without its bucket is
// 503, to retry; a refusal (access denied: the deployment's keys) is a
// fault of ours, logged and answered 500, not "retry later" for ever (a
// review). Wrapped errors mean the same as bare ones.
func TestTranslate(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
	for _, c := range []struct {
		err  error
		want error // nil: neither not found nor unavailable
	}{
		{minio.ErrorResponse{Code: "NoSuchKey", StatusCode: 404}, domain.ErrNotFound},
		{fmt.Errorf("get: %w", minio.ErrorResponse{Code: "NoSuchKey", StatusCode: 404}), domain.ErrNotFound},
		{minio.ErrorResponse{Code: "NoSuchBucket", StatusCode: 404}, domain.ErrUnavailable},
		{minio.ErrorResponse{Code: "SlowDown", StatusCode: 503}, domain.ErrUnavailable},
		{minio.ErrorResponse{Code: "InternalError", StatusCode: 500}, domain.ErrUnavailable},
		{refused, domain.ErrUnavailable},
		{fmt.Errorf("put: %w", refused), domain.ErrUnavailable},
		{context.DeadlineExceeded, domain.ErrUnavailable},
		{minio.ErrorResponse{Code: "AccessDenied", StatusCode: 403}, nil},
		{fmt.Errorf("create bucket: %w", minio.ErrorResponse{Code: "AccessDenied", StatusCode: 403}), nil},
		{errors.New("something else"), nil},
	} {
		got := translate(c.err)
		for _, e := range []error{domain.ErrNotFound, domain.ErrUnavailable} {
			if errors.Is(got, e) != (c.want == e) {
				t.Errorf("%v: %v", c.err, got)
			}
		}
	}
	if got := translate(fmt.Errorf("again: %w", translate(refused))); !errors.Is(got, domain.ErrUnavailable) {
		t.Errorf("translated twice: %v", got)
	}
}
