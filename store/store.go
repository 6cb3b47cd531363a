// Package store persists entities on Badger: the original entity bytes and
// content files (content-addressed), the active entity of every pointer, a
// deployment log ordered by local timestamp with a monotonic sequence, the
// history of overwritten entities and failed deployments.
//
// One deployment is one Badger transaction, committed with synchronous
// writes: once Deploy returns, the deployment survives a kill -9; a crash
// before that leaves no trace of it. The store knows nothing of the network
// and does no validation: the deployment pipeline decides, the store
// records.
package store

import (
	"context"
	"errors"
	"fmt"
	lru "github.com/hashicorp/golang-lru/v2"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/dgraph-io/badger/v4"

	"github.com/p2pcatalyst/catalyst/store/entity"
)

// Options configure a Store.
type Options struct {
	// Dir is the data directory; Badger lives in Dir/db, large blobs in Dir/blobs.
	Dir string
	// BlobThreshold is the size above which a content file is kept as a file
	// of its own instead of inside Badger (see blobs.go for why). 0 means
	// DefaultBlobThreshold.
	BlobThreshold int64
	// MaxFailures bounds the failed deployments kept; past it the oldest
	// go (0: DefaultMaxFailures).
	MaxFailures int
	// Logger receives the store's logs; nil means slog.Default().
	Logger *slog.Logger
	// PointerScope, when set, puts each entity's pointers under a scope
	// of its own: the pointer p of e is kept, and asked for, as
	// PointerScope(e)+p. A store of worlds scopes a scene's parcels by
	// its world, so "0,0" of one world is not "0,0" of another. Pointers
	// in answers (Outcome.Cleared, the pointers asked of queries) are the
	// scoped keys; an entity's own Pointers stay as it has them.
	PointerScope func(e *entity.Entity) string
	// CacheBytes bounds Badger's block and index caches (0: 96 MiB).
	CacheBytes int64
}

// DefaultBlobThreshold keeps files up to 1 MiB inside Badger.
const DefaultBlobThreshold = 1 << 20

// Sentinel errors.
var (
	ErrNotFound = errors.New("not found")
	ErrClosed   = errors.New("store closed")
)

// Store is the node's persistent state.
type Store struct {
	opts      Options
	db        *badger.DB
	blobDir   string
	threshold int64
	log       *slog.Logger

	failMu      sync.Mutex // serializes failure records and their bound
	maxFailures int

	// writes feeds the single writer (deploy.go). seq and lastLT are the
	// writer's; countersMu guards them for readers.
	writes     chan *write
	countersMu sync.Mutex
	seq        uint64
	lastLT     int64
	counts     map[entity.Type]TypeCount
	eventSeq   uint64        // the newest event's
	eventsGrew chan struct{} // closed (and replaced) when events are appended
	// eventMeta keeps deployment events' metadata as resolved for the
	// first consumer that read them: the others read the same events
	// soon after (an entity's record is immutable in what they carry).
	eventMeta *lru.Cache[string, resolved]

	closeOnce sync.Once
	done      chan struct{}
	bg        sync.WaitGroup
}

// New checks the options; Start opens the store.
func New(opts Options) (*Store, error) {
	if opts.Dir == "" {
		return nil, errors.New("store: no data directory")
	}
	if opts.BlobThreshold <= 0 {
		opts.BlobThreshold = DefaultBlobThreshold
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.MaxFailures <= 0 {
		opts.MaxFailures = DefaultMaxFailures
	}
	return &Store{
		opts: opts, blobDir: filepath.Join(opts.Dir, "blobs"), threshold: opts.BlobThreshold,
		log: opts.Logger.With("component", "store"), maxFailures: opts.MaxFailures,
		done: make(chan struct{}), writes: make(chan *write), eventsGrew: make(chan struct{}),
		eventMeta: must(lru.New[string, resolved](8192)),
	}, nil
}

// Open opens (or creates) the store in opts.Dir: New and Start.
func Open(opts Options) (*Store, error) {
	s, err := New(opts)
	if err != nil {
		return nil, err
	}
	if err := s.Start(context.Background()); err != nil {
		return nil, err
	}
	return s, nil
}

// Start opens Badger in the data directory (creating it) and starts the
// writer.
func (s *Store) Start(context.Context) error {
	for _, d := range []string{filepath.Join(s.opts.Dir, "db"), s.blobDir, filepath.Join(s.blobDir, "tmp")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return fmt.Errorf("store: create %s: %w", d, err)
		}
	}
	cache := s.opts.CacheBytes
	if cache <= 0 {
		cache = 96 << 20
	}
	bopts := badger.DefaultOptions(filepath.Join(s.opts.Dir, "db")).
		WithSyncWrites(true).
		WithLogger(badgerLogger{s.log}).
		WithLoggingLevel(badger.WARNING).
		WithNumVersionsToKeep(1).
		WithValueThreshold(64 << 10).
		WithMemTableSize(32 << 20).
		WithBlockCacheSize(cache * 2 / 3).
		WithIndexCacheSize(cache / 3).
		WithMetricsEnabled(false)
	db, err := badger.Open(bopts)
	if err != nil {
		return fmt.Errorf("store: open badger: %w", err)
	}
	s.db = db
	if err := s.loadCounters(); err != nil {
		db.Close()
		return fmt.Errorf("store: load counters: %w", err)
	}
	if err := s.loadCounts(); err != nil {
		db.Close()
		return fmt.Errorf("store: count entities: %w", err)
	}
	if err := s.indexFailures(); err != nil {
		db.Close()
		return err
	}
	// Spooled uploads of a previous run that never committed.
	tmp, _ := os.ReadDir(filepath.Join(s.blobDir, "tmp"))
	for _, f := range tmp {
		os.Remove(filepath.Join(s.blobDir, "tmp", f.Name()))
	}
	s.bg.Add(2)
	go s.gcLoop()
	go s.writer()
	return nil
}

// Stop closes the store (Close with a context, for the node's lifecycle).
func (s *Store) Stop(context.Context) error { return s.Close() }

// Close flushes and closes the store. Deployments in flight finish first.
func (s *Store) Close() error {
	var err error
	s.closeOnce.Do(func() {
		close(s.done)
		s.bg.Wait()
		if s.db != nil {
			err = s.db.Close()
		}
	})
	return err
}

// gcLoop reclaims value-log space now and then. Content is never deleted,
// so there is little to reclaim; the bound is one pass per ten minutes.
func (s *Store) gcLoop() {
	defer s.bg.Done()
	t := time.NewTicker(10 * time.Minute)
	defer t.Stop()
	for {
		select {
		case <-s.done:
			return
		case <-t.C:
			for i := 0; i < 10 && s.db.RunValueLogGC(0.5) == nil; i++ {
			}
		}
	}
}

// Healthy reports whether the store is open for reads and deployments.
func (s *Store) Healthy() bool {
	select {
	case <-s.done:
		return false
	default:
	}
	return s.db != nil && !s.db.IsClosed()
}

// DiskUse is the space the store takes on disk.
type DiskUse struct {
	DB    int64 `json:"db"`    // Badger: tables, value log, write-ahead memtables
	Blobs int64 `json:"blobs"` // content files kept as files of their own
}

// DiskUse measures the store's directories: the blocks their files hold,
// as du counts them (Badger's own figures lag by a minute and leave out
// what is still in memtables).
func (s *Store) DiskUse() DiskUse {
	return DiskUse{DB: du(filepath.Join(s.opts.Dir, "db")), Blobs: du(s.blobDir)}
}

func du(dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		if info, err := d.Info(); err == nil {
			n += allocated(info)
		}
		return nil
	})
	return n
}

// view runs fn in a read transaction, failing fast once the context is
// done; an error names the operation (and wraps the cause: ErrNotFound
// stays ErrNotFound for errors.Is).
func (s *Store) view(ctx context.Context, op string, fn func(txn *badger.Txn) error) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("store: %s: %w", op, err)
	}
	if err := s.db.View(fn); err != nil {
		return fmt.Errorf("store: %s: %w", op, err)
	}
	return nil
}

type badgerLogger struct{ l *slog.Logger }

func (b badgerLogger) Errorf(f string, a ...any)   { b.l.Error(fmt.Sprintf(f, a...)) }
func (b badgerLogger) Warningf(f string, a ...any) { b.l.Warn(fmt.Sprintf(f, a...)) }
func (b badgerLogger) Infof(f string, a ...any)    { b.l.Debug(fmt.Sprintf(f, a...)) }
func (b badgerLogger) Debugf(f string, a ...any)   {}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
