package store

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"testing"

	"github.com/p2pcatalyst/catalyst/store/entity"
	"github.com/p2pcatalyst/catalyst/store/hashing"
)

// BenchmarkBlobs compares the two homes of a content file — inside Badger
// or a file of its own — for a durable write and a full read, at 1 KiB and
// 5 MiB. Run: go test -run X -bench Blobs ./store/
func BenchmarkBlobs(b *testing.B) {
	for _, size := range []int{1 << 10, 5 << 20} {
		for _, where := range []struct {
			name      string
			threshold int64
		}{{"badger", 1 << 40}, {"file", 1}} {
			b.Run(fmt.Sprintf("%s/%dKiB/write", where.name, size>>10), func(b *testing.B) {
				s, err := Open(Options{Dir: b.TempDir(), BlobThreshold: where.threshold})
				if err != nil {
					b.Fatal(err)
				}
				defer s.Close()
				b.SetBytes(int64(size))
				i := 0
				for b.Loop() {
					data := make([]byte, size)
					data[0], data[1], data[2] = byte(i), byte(i>>8), byte(i>>16)
					i++
					if err := s.PutContent(context.Background(), Blob{Hash: fmt.Sprint("h", i), Size: int64(size), Data: data}); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run(fmt.Sprintf("%s/%dKiB/read", where.name, size>>10), func(b *testing.B) {
				s, err := Open(Options{Dir: b.TempDir(), BlobThreshold: where.threshold})
				if err != nil {
					b.Fatal(err)
				}
				defer s.Close()
				data := make([]byte, size)
				h := hashing.V1Bytes(data)
				if err := s.PutContent(context.Background(), Blob{Hash: h, Size: int64(size), Data: data}); err != nil {
					b.Fatal(err)
				}
				b.SetBytes(int64(size))
				for b.Loop() {
					c, err := s.OpenContent(h)
					if err != nil {
						b.Fatal(err)
					}
					io.Copy(io.Discard, c)
					c.Close()
				}
			})
		}
	}
}

// Many small files past the transaction's budget are written ahead in
// batches, from memory and from spool files alike, and all read back.
func TestManySmallFilesWrittenAhead(t *testing.T) {
	s := openStore(t)
	var blobs []Blob
	want := map[string][]byte{}
	for i := range 40 {
		data := make([]byte, 512<<10)
		for k := range data {
			data[k] = byte(i + k)
		}
		h := hashing.V1Bytes(data)
		want[h] = data
		b := Blob{Hash: h, Size: int64(len(data)), Data: data}
		if i%2 == 0 {
			f, err := s.TempFile()
			if err != nil {
				t.Fatal(err)
			}
			f.Write(data)
			f.Close()
			b = Blob{Hash: h, Size: int64(len(data)), Path: f.Name()}
		}
		blobs = append(blobs, b)
	}
	e := ent("bafkreimanysmallfiles", 1, "9,9")
	body := []byte(`{}`)
	blobs = append(blobs, Blob{Hash: e.ID, Size: int64(len(body)), Data: body})
	for h := range want {
		e.Content = append(e.Content, entity.ContentItem{File: h, Hash: h})
	}
	if _, err := s.Deploy(context.Background(), e, nil, blobs); err != nil {
		t.Fatal(err)
	}
	for h, data := range want {
		got, err := s.ReadContent(h)
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("%s: %v (%d bytes)", h, err, len(got))
		}
	}
}
