package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/dgraph-io/badger/v4"
)

// Content files live in one of two places, decided by size:
//   - up to the threshold (1 MiB), inside Badger, written in the
//     deployment's own transaction: Badger batches the fsyncs of concurrent
//     commits, which is what makes thousands of small deployments a second
//     possible, and a small file costs no inode;
//   - above it, as a file of its own under blobs/, fsynced and renamed into
//     place before the transaction that references it commits: uploads of
//     up to 100 MB stream to disk instead of memory, reads are served with
//     sendfile and Range from the file, and Badger's value log is not
//     churned by large values.
// A crash between the two steps leaves an unreferenced, hash-named file,
// which is harmless: content is immutable and named by its hash.
// BenchmarkBlobs in blobs_test.go measures both paths.

const (
	blobInline byte = 0
	blobFile   byte = 1
)

// Blob is a content file to store: in memory (Data) or spooled to a file
// made by TempFile (Path). Size is its length in bytes.
type Blob struct {
	Hash string
	Size int64
	Data []byte
	Path string
}

// TempFile creates a file for spooling an upload in the store's own
// directory, so that it can be moved into place without copying.
func (s *Store) TempFile() (*os.File, error) {
	return os.CreateTemp(filepath.Join(s.blobDir, "tmp"), "upload-*")
}

// inlineBudget bounds the inline content of one deployment transaction;
// more is written ahead of it (still before the deployment commits), in
// batches of aheadBatch bytes.
const (
	inlineBudget = 1 << 20
	aheadBatch   = 4 << 20
)

// prepareBlobs writes large blobs to files and, when the small ones exceed
// the transaction budget, commits them ahead in a batch. It returns the
// blobs that go into the deployment transaction itself.
func (s *Store) prepareBlobs(ctx context.Context, blobs []Blob) ([]Blob, error) {
	var inline []Blob
	var budget int64
	ahead := aheadWriter{s: s}
	for _, b := range blobs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if b.Size > s.threshold {
			if _, err := os.Stat(s.blobPath(b.Hash)); err == nil {
				inline = append(inline, Blob{Hash: b.Hash, Size: b.Size})
				if b.Path != "" {
					os.Remove(b.Path)
				}
				continue
			}
			if err := s.writeBlobFile(b); err != nil {
				return nil, err
			}
			inline = append(inline, Blob{Hash: b.Hash, Size: b.Size})
			continue
		}
		if budget+b.Size > inlineBudget {
			if err := ahead.add(b); err != nil {
				return nil, err
			}
			continue
		}
		if b.Data == nil && b.Path != "" {
			data, err := os.ReadFile(b.Path)
			if err != nil {
				return nil, fmt.Errorf("store: read spooled %s: %w", b.Hash, err)
			}
			os.Remove(b.Path)
			b.Data, b.Path = data, ""
		}
		budget += b.Size
		inline = append(inline, b)
	}
	if err := ahead.flush(); err != nil {
		return nil, err
	}
	return inline, nil
}

// aheadWriter writes small content files ahead of their deployment in
// batches of at most aheadBatch bytes, encoded into one reused buffer: a
// deployment of thousands of small files never holds more than a batch.
type aheadWriter struct {
	s     *Store
	buf   []byte
	batch []aheadEntry
}

type aheadEntry struct {
	hash       string
	start, end int // of the encoded value in buf
}

func (a *aheadWriter) add(b Blob) error {
	if a.buf == nil {
		a.buf = make([]byte, 0, aheadBatch+a.s.threshold+1)
	}
	start := len(a.buf)
	a.buf = append(a.buf, blobInline)
	if b.Data != nil || b.Path == "" {
		a.buf = append(a.buf, b.Data...)
	} else {
		f, err := os.Open(b.Path)
		if err != nil {
			return fmt.Errorf("store: read spooled %s: %w", b.Hash, err)
		}
		a.buf = a.buf[:start+1+int(b.Size)]
		_, err = io.ReadFull(f, a.buf[start+1:])
		f.Close()
		if err != nil {
			return fmt.Errorf("store: read spooled %s: %w", b.Hash, err)
		}
		os.Remove(b.Path)
	}
	a.batch = append(a.batch, aheadEntry{b.Hash, start, len(a.buf)})
	if len(a.buf) >= aheadBatch {
		return a.flush()
	}
	return nil
}

func (a *aheadWriter) flush() error {
	if len(a.batch) == 0 {
		return nil
	}
	wb := a.s.db.NewWriteBatch()
	defer wb.Cancel()
	for _, e := range a.batch {
		if err := wb.Set(key(tContent, e.hash), a.buf[e.start:e.end:e.end]); err != nil {
			return fmt.Errorf("store: content %s: %w", e.hash, err)
		}
	}
	// Once flushed, Badger holds no reference to the buffer: the memtable
	// and the value log copy values. (A db.Subscribe subscriber would read
	// entries after the commit; the store has none.)
	if err := wb.Flush(); err != nil {
		return fmt.Errorf("store: content: %w", err)
	}
	a.buf, a.batch = a.buf[:0], a.batch[:0]
	return nil
}

// putBlobTxn records a content file in the deployment transaction: its
// bytes, or for a blob file already in place, its size. A file stored
// already is left as it is.
func (s *Store) putBlobTxn(txn *badger.Txn, b Blob) error {
	if _, err := txn.Get(key(tContent, b.Hash)); err == nil {
		return nil
	} else if !errors.Is(err, badger.ErrKeyNotFound) {
		return err
	}
	if b.Size > s.threshold {
		v := make([]byte, 9)
		v[0] = blobFile
		binary.BigEndian.PutUint64(v[1:], uint64(b.Size))
		return txn.Set(key(tContent, b.Hash), v)
	}
	return txn.Set(key(tContent, b.Hash), append([]byte{blobInline}, b.Data...))
}

func (s *Store) blobPath(hash string) string {
	shard := "00"
	if len(hash) >= 2 {
		shard = hash[len(hash)-2:]
	}
	return filepath.Join(s.blobDir, shard, hash)
}

func (s *Store) writeBlobFile(b Blob) error {
	dst := s.blobPath(b.Hash)
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return fmt.Errorf("store: blob dir: %w", err)
	}
	src := b.Path
	if src == "" {
		f, err := s.TempFile()
		if err != nil {
			return fmt.Errorf("store: blob %s: %w", b.Hash, err)
		}
		_, err = f.Write(b.Data)
		if err == nil {
			err = f.Sync()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(f.Name())
			return fmt.Errorf("store: blob %s: %w", b.Hash, err)
		}
		src = f.Name()
	} else if err := syncFile(src); err != nil {
		return fmt.Errorf("store: blob %s: %w", b.Hash, err)
	}
	if err := os.Rename(src, dst); err != nil {
		return fmt.Errorf("store: blob %s: %w", b.Hash, err)
	}
	return syncFile(filepath.Dir(dst))
}

func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// Has reports whether a content file (or entity file) is stored.
func (s *Store) Has(hash string) (bool, error) {
	err := s.db.View(func(txn *badger.Txn) error {
		_, err := txn.Get(key(tContent, hash))
		return err
	})
	if errors.Is(err, badger.ErrKeyNotFound) {
		return false, nil
	}
	return err == nil, err
}

func blobSize(v []byte) int64 {
	if len(v) == 9 && v[0] == blobFile {
		return int64(binary.BigEndian.Uint64(v[1:]))
	}
	return int64(len(v) - 1)
}

// Content is an open content file: read it, seek in it, close it.
type Content interface {
	io.ReadSeeker
	io.Closer
	Size() int64
}

// OpenContent opens a stored content file for reading.
func (s *Store) OpenContent(hash string) (Content, error) {
	var data []byte
	var file bool
	err := s.db.View(func(txn *badger.Txn) error {
		item, err := txn.Get(key(tContent, hash))
		if err != nil {
			return err
		}
		return item.Value(func(v []byte) error {
			if len(v) == 9 && v[0] == blobFile {
				file = true
				return nil
			}
			data = append([]byte(nil), v[1:]...)
			return nil
		})
	})
	if errors.Is(err, badger.ErrKeyNotFound) {
		err = ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: open content %s: %w", hash, err)
	}
	if file {
		f, err := os.Open(s.blobPath(hash))
		if err != nil {
			return nil, fmt.Errorf("store: content %s: %w", hash, err)
		}
		info, err := f.Stat()
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("store: content %s: %w", hash, err)
		}
		return &fileContent{File: f, size: info.Size()}, nil
	}
	return &memContent{Reader: bytes.NewReader(data)}, nil
}

// ReadContent returns a stored content file's bytes.
func (s *Store) ReadContent(hash string) ([]byte, error) {
	c, err := s.OpenContent(hash)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	return io.ReadAll(c)
}

type memContent struct{ *bytes.Reader }

func (m *memContent) Close() error { return nil }

type fileContent struct {
	*os.File
	size int64
}

func (f *fileContent) Size() int64 { return f.size }

// OSFile exposes the file so that HTTP can send it with sendfile.
func (f *fileContent) OSFile() *os.File { return f.File }

// PutContent stores a content file that no deployment references (a
// snapshot, say). It is durable when PutContent returns.
func (s *Store) PutContent(ctx context.Context, b Blob) error {
	blobs, err := s.prepareBlobs(ctx, []Blob{b})
	if err != nil || len(blobs) == 0 {
		return err
	}
	return s.db.Update(func(txn *badger.Txn) error { return s.putBlobTxn(txn, blobs[0]) })
}
