// Package qr draws QR codes as PNG images in memory (the check-in code of an
// event registration, on 我的活动 and in the mail). It is the only importer of
// github.com/yeqown/go-qrcode, whose own image writer renders the matrix;
// this package adds the size and quiet zone a phone camera reads from a
// screen or a printed mail.
package qr

import (
	"bytes"
	"fmt"

	qrcode "github.com/yeqown/go-qrcode/v2"
	"github.com/yeqown/go-qrcode/writer/standard"
)

// blockPx is the side of one module in pixels: a version-6 code (a
// check-in link of ~150 characters) is 41 modules, so ~330 px before the
// quiet zone, large enough for a phone held at arm's length.
const blockPx = 8

// quietPx is the white margin; the standard asks for four modules.
const quietPx = 4 * blockPx

// PNG returns text as a QR code image, error correction level M (15% of a
// smudged or folded code is recovered): the level keeps a long signed link
// in a code of few, large modules.
func PNG(text string) ([]byte, error) {
	code, err := qrcode.NewWith(text, qrcode.WithErrorCorrectionLevel(qrcode.ErrorCorrectionMedium))
	if err != nil {
		return nil, fmt.Errorf("qr: %w", err)
	}
	var buf closingBuffer
	w := standard.NewWithWriter(&buf, standard.WithBuiltinImageEncoder(standard.PNG_FORMAT),
		standard.WithQRWidth(blockPx), standard.WithBorderWidth(quietPx))
	if err := code.Save(w); err != nil {
		return nil, fmt.Errorf("qr: %w", err)
	}
	return buf.Bytes(), nil
}

// closingBuffer is the io.WriteCloser the writer wants, in memory.
type closingBuffer struct{ bytes.Buffer }

func (*closingBuffer) Close() error { return nil }
