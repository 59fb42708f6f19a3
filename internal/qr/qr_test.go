package qr_test

import (
	"bytes"
	"image/png"
	"strings"
	"testing"

	"github.com/gradzone/gradzone/internal/qr"
	"github.com/gradzone/gradzone/internal/testutil"
)

// A check-in link of realistic length comes back from the image unchanged,
// at a size a phone reads.
func TestPNGDecodesToTheLink(t *testing.T) {
	link := "https://gradzone.example.cn/checkin?token=" + strings.Repeat("AbC-_9", 24) + ".x"
	b, err := qr.PNG(link)
	if err != nil {
		t.Fatal(err)
	}
	if got := testutil.DecodeQR(t, b); got != link {
		t.Fatalf("decoded %q, want %q", got, link)
	}
	img, _ := png.Decode(bytes.NewReader(b))
	if w := img.Bounds().Dx(); w < 250 || w > 800 {
		t.Fatalf("image is %d px wide; a phone needs 250–800", w)
	}
}
