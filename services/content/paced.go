package content

import (
	"errors"
	"io"
	"net/http"
	"time"
)

// errTooSlow ends a body that falls behind its minimum rate.
var errTooSlow = errors.New("the request body arrived too slowly")

// pacedBody reads a request body within read deadlines it keeps moving:
// every read must come within IdleRead of the one before, and after
// BodyGrace the bytes must keep arriving at MinRate on average. A client
// that trickles its body (or stops) loses the connection instead of
// holding an upload slot forever.
type pacedBody struct {
	io.ReadCloser
	rc    *http.ResponseController
	l     UploadLimits
	start time.Time
	read  int64
}

func newPacedBody(body io.ReadCloser, rc *http.ResponseController, l UploadLimits) *pacedBody {
	return &pacedBody{ReadCloser: body, rc: rc, l: l, start: time.Now()}
}

func (b *pacedBody) Read(p []byte) (int, error) {
	now := time.Now()
	deadline := now.Add(b.l.IdleRead)
	// By when the next 64 KiB must have arrived to keep MinRate.
	due := b.start.Add(b.l.BodyGrace + time.Duration(float64(b.read+64<<10)/float64(b.l.MinRate)*float64(time.Second)))
	if due.Before(deadline) {
		deadline = due
	}
	if !deadline.After(now) {
		return 0, errTooSlow
	}
	// A writer that cannot set deadlines (a test's recorder) is read as is.
	b.rc.SetReadDeadline(deadline)
	n, err := b.ReadCloser.Read(p)
	b.read += int64(n)
	return n, err
}

// Close clears the deadline for what the connection reads next.
func (b *pacedBody) Close() error {
	b.rc.SetReadDeadline(time.Time{})
	return b.ReadCloser.Close()
}
