package store

import (
	"context"
	"fmt"
	"io"
	"testing"

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
