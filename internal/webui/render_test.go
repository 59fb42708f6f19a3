package webui

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"syscall"
	"testing"
)

// A probe's script that did not read its pages left ERROR lines ("render
// … broken pipe"): a reader who hangs up mid-page is logged at DEBUG, and
// only a template's own failure at ERROR.
func TestClientGoneIsNotAnError(t *testing.T) {
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	for _, tc := range []struct {
		ctx  context.Context
		err  error
		gone bool
	}{
		{context.Background(), &net.OpError{Op: "write", Net: "tcp", Err: os.NewSyscallError("write", syscall.EPIPE)}, true},
		{context.Background(), fmt.Errorf("write: %w", syscall.ECONNRESET), true},
		{cancelled, errors.New("short write"), true},
		{context.Background(), errors.New(`template: x: executing "y" at <.Z>: nil pointer evaluating`), false},
	} {
		if got := clientGone(tc.ctx, tc.err); got != tc.gone {
			t.Errorf("clientGone(%v) = %v, want %v", tc.err, got, tc.gone)
		}
	}
}
