package content

import (
	"bufio"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/p2pcatalyst/catalyst/services/httpx"
	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/entity"
	"github.com/p2pcatalyst/catalyst/store/hashing"
)

// snapshotsStart is where the content server's snapshot time ranges begin.
const snapshotsStart = 1577836800000

// SnapshotMetadata is one entry of /snapshots.
type SnapshotMetadata = entity.SnapshotMetadata

// Snapshots writes the snapshots of the active entities as the real
// content server lays them out: the time from 2020-01-01 divided into
// "years" of 336 days, then "months" of 28, weeks and days (what is left
// of less than a day has none), one file per range with the active
// entities whose timestamp falls in it (a header line, then one JSON
// object per entity: the format snapshots-fetcher reads), kept in the
// content store. A range's file is written again when its entities
// changed; a new snapshot names those it replaces (the range's old one,
// or the days a new week merges).
type Snapshots struct {
	store    *store.Store
	log      *slog.Logger
	interval time.Duration
	now      func() time.Time

	mu      sync.RWMutex
	current []SnapshotMetadata
	seq     uint64 // the store's last deployment when current was made
}

const snapshotMetaKey = "content/snapshots"

// NewSnapshots builds the generator; interval 0 means one hour.
func NewSnapshots(s *store.Store, log *slog.Logger, interval time.Duration) *Snapshots {
	if interval <= 0 {
		interval = time.Hour
	}
	return &Snapshots{store: s, log: log.With("component", "snapshots"), interval: interval, now: time.Now}
}

// Run reads the last snapshots' records and generates snapshots until
// ctx ends. The store must be open.
func (sn *Snapshots) Run(ctx context.Context) {
	if raw, err := sn.store.Meta(snapshotMetaKey); err == nil {
		var list []SnapshotMetadata
		if json.Unmarshal(raw, &list) == nil {
			sn.mu.Lock()
			if sn.current == nil {
				sn.current = list
			}
			sn.mu.Unlock()
		}
	}
	t := time.NewTicker(sn.interval)
	defer t.Stop()
	for {
		if err := sn.Generate(ctx); err != nil && ctx.Err() == nil {
			sn.log.Error("snapshot failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// List returns the current snapshots, oldest range first.
func (sn *Snapshots) List() []SnapshotMetadata {
	sn.mu.RLock()
	defer sn.mu.RUnlock()
	return slices.Clone(sn.current)
}

// Time range sizes of the real content server (time-range.ts).
const (
	day   = int64(24 * time.Hour / time.Millisecond)
	week  = 7 * day
	month = 4 * week
	year  = 12 * month
)

// timeRanges divides [snapshotsStart, now] greedily into years, months,
// weeks and days; a range's end is the next one's start.
func timeRanges(now int64) [][2]int64 {
	var out [][2]int64
	at := int64(snapshotsStart)
	for _, size := range []int64{year, month, week, day} {
		for at+size <= now {
			out = append(out, [2]int64{at, at + size})
			at += size
		}
	}
	return out
}

// Generate writes the snapshots of the ranges whose entities changed
// since the last generation (all of them the first time).
func (sn *Snapshots) Generate(ctx context.Context) error {
	seq := sn.store.LastSeq()
	ranges := timeRanges(sn.now().UnixMilli())
	sn.mu.RLock()
	prev, prevSeq := sn.current, sn.seq
	sn.mu.RUnlock()
	same := len(prev) == len(ranges)
	for i := 0; same && i < len(ranges); i++ {
		same = prev[i].TimeRange.InitTimestamp == ranges[i][0] && prev[i].TimeRange.EndTimestamp == ranges[i][1]
	}
	if same && prevSeq == seq && len(prev) > 0 {
		return nil
	}
	if len(ranges) == 0 {
		return nil
	}
	start := time.Now()
	type file struct {
		f *os.File
		w *bufio.Writer
		n int
	}
	files := make([]*file, len(ranges))
	defer func() {
		for _, f := range files {
			if f != nil {
				f.f.Close()
				os.Remove(f.f.Name())
			}
		}
	}()
	for i := range files {
		f, err := sn.store.TempFile()
		if err != nil {
			return err
		}
		files[i] = &file{f: f, w: bufio.NewWriterSize(f, 64<<10)}
		files[i].w.WriteString(entity.SnapshotHeader + "\n")
	}
	err := sn.store.ForEachActive(ctx, func(d *store.Deployment) error {
		// The ranges an entity's timestamp falls in (both ends count, as
		// the real server's BETWEEN does).
		k, _ := slices.BinarySearchFunc(ranges, d.Timestamp, func(r [2]int64, t int64) int {
			switch {
			case r[1] < t:
				return -1
			case r[0] > t:
				return 1
			}
			return 0
		})
		for ; k < len(ranges) && ranges[k][0] <= d.Timestamp; k++ {
			if d.Timestamp > ranges[k][1] {
				continue
			}
			b, err := json.Marshal(entity.SnapshotEntry{EntityID: d.ID, EntityType: string(d.Type), Pointers: d.Pointers, AuthChain: d.AuthChain, EntityTimestamp: d.Timestamp})
			if err != nil {
				return err
			}
			files[k].w.Write(b)
			files[k].w.WriteByte('\n')
			files[k].n++
		}
		return nil
	})
	if err != nil {
		return err
	}
	now := time.Now().UnixMilli()
	list := make([]SnapshotMetadata, len(ranges))
	written := 0
	for i, f := range files {
		if err := f.w.Flush(); err != nil {
			return err
		}
		if _, err := f.f.Seek(0, 0); err != nil {
			return err
		}
		hash, err := hashing.V1(f.f)
		if err != nil {
			return err
		}
		m := SnapshotMetadata{Hash: hash, NumberOfEntities: f.n, GenerationTimestamp: now, ReplacedSnapshotHashes: []string{}}
		m.TimeRange.InitTimestamp, m.TimeRange.EndTimestamp = ranges[i][0], ranges[i][1]
		var kept bool
		for _, p := range prev {
			inside := p.TimeRange.InitTimestamp >= m.TimeRange.InitTimestamp && p.TimeRange.EndTimestamp <= m.TimeRange.EndTimestamp
			switch {
			case p.Hash == hash && inside && p.TimeRange == m.TimeRange:
				m, kept = p, true // unchanged: the same snapshot
			case inside && p.Hash != hash:
				m.ReplacedSnapshotHashes = append(m.ReplacedSnapshotHashes, p.Hash)
			}
		}
		list[i] = m
		if kept {
			continue
		}
		info, err := f.f.Stat()
		if err != nil {
			return err
		}
		f.f.Close()
		if err := sn.store.PutContent(ctx, store.Blob{Hash: hash, Size: info.Size(), Path: f.f.Name()}); err != nil {
			return err
		}
		written++
	}
	raw, _ := json.Marshal(list)
	if err := sn.store.SetMeta(snapshotMetaKey, raw); err != nil {
		return err
	}
	sn.mu.Lock()
	sn.current, sn.seq = list, seq
	sn.mu.Unlock()
	if written > 0 {
		sn.log.Info("snapshots written", "ranges", len(list), "written", written, "took", time.Since(start).Round(time.Millisecond))
	}
	return nil
}

func (s *Service) snapshots(w http.ResponseWriter, r *http.Request) {
	var list []SnapshotMetadata
	if s.cfg.Snapshots != nil {
		list = s.cfg.Snapshots.List()
	}
	if len(list) == 0 {
		httpx.Error(w, http.StatusServiceUnavailable, "New Snapshots not yet created")
		return
	}
	httpx.JSON(w, http.StatusOK, list)
}
