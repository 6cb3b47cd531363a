package replicate

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"io"
	"testing"
)

type rw struct {
	io.Reader
	io.Writer
}

// FuzzReconcilePeer feeds a responder arbitrary peer messages: it must
// answer or fail, never panic or loop without bound.
func FuzzReconcilePeer(f *testing.F) {
	frame := func(msg []rangeMsg) []byte {
		b, _ := json.Marshal(msg)
		var l [4]byte
		binary.BigEndian.PutUint32(l[:], uint32(len(b)))
		return append(l[:], b...)
	}
	fp := fingerprint{Count: 3, A: 1, B: 2}
	f.Add(frame([]rangeMsg{{Lo: Key{}, FP: &fp}}))
	f.Add(frame([]rangeMsg{{Lo: Key{1, "a"}, Hi: &Key{9, "z"}, Keys: []Key{{2, "b"}}, List: true}}))
	f.Add(append(frame([]rangeMsg{{Lo: Key{}, FP: &fp}}), frame(nil)...))
	f.Add([]byte{0, 0, 0, 2, '[', ']'})
	f.Add([]byte{0xff, 0xff, 0xff, 0xff})
	x := &index{}
	fill(x, []int{1, 2, 3, 50, 70, 90, 1000})
	for i := 0; i < 200; i++ {
		fill(x, []int{2000 + i})
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		rc := x.reconciler()
		rc.run(rw{bytes.NewReader(in), io.Discard}, false)
	})
}

func FuzzAnnouncementAndHeaders(f *testing.F) {
	f.Add([]byte(`{"id":"bafkrei","entity":"e30=","authChain":[],"sizes":{"a":1}}`))
	f.Add([]byte(`{"hash":"x","max":5}` + "\n"))
	f.Add([]byte("{}\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		decodeAnnouncement(in)
		readHeader(bufio.NewReaderSize(bytes.NewReader(in), 64))
	})
}
