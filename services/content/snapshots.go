package content

import (
	"bufio"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/p2pcatalyst/catalyst/services/httpx"
	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/hashing"
)

// snapshotsStart is where the content server's snapshot time ranges begin.
const snapshotsStart = 1577836800000

// SnapshotMetadata is one entry of /snapshots.
type SnapshotMetadata struct {
	Hash      string `json:"hash"`
	TimeRange struct {
		InitTimestamp int64 `json:"initTimestamp"`
		EndTimestamp  int64 `json:"endTimestamp"`
	} `json:"timeRange"`
	ReplacedSnapshotHashes []string `json:"replacedSnapshotHashes"`
	NumberOfEntities       int      `json:"numberOfEntities"`
	GenerationTimestamp    int64    `json:"generationTimestamp"`
	seq                    uint64
}

// Snapshots writes a snapshot of the active entities (the format
// snapshots-fetcher reads: a header line, then one JSON object per entity)
// into the content store, and regenerates it when deployments happened.
type Snapshots struct {
	store    *store.Store
	log      *slog.Logger
	interval time.Duration

	mu      sync.RWMutex
	current *SnapshotMetadata
}

const snapshotMetaKey = "content/snapshot"

// NewSnapshots builds the generator; interval 0 means one hour.
func NewSnapshots(s *store.Store, log *slog.Logger, interval time.Duration) *Snapshots {
	if interval <= 0 {
		interval = time.Hour
	}
	return &Snapshots{store: s, log: log.With("component", "snapshots"), interval: interval}
}

// Run reads the last snapshot's record and generates snapshots until ctx
// ends. The store must be open.
func (sn *Snapshots) Run(ctx context.Context) {
	if raw, err := sn.store.Meta(snapshotMetaKey); err == nil {
		var m SnapshotMetadata
		if json.Unmarshal(raw, &m) == nil {
			sn.mu.Lock()
			if sn.current == nil {
				sn.current = &m
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

// List returns the current snapshots.
func (sn *Snapshots) List() []SnapshotMetadata {
	sn.mu.RLock()
	defer sn.mu.RUnlock()
	if sn.current == nil {
		return nil
	}
	return []SnapshotMetadata{*sn.current}
}

// Generate writes a new snapshot if anything was deployed since the last.
func (sn *Snapshots) Generate(ctx context.Context) error {
	seq := sn.store.LastSeq()
	sn.mu.RLock()
	cur := sn.current
	sn.mu.RUnlock()
	if cur != nil && cur.seq == seq && seq != 0 {
		return nil
	}
	start := time.Now()
	f, err := sn.store.TempFile()
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString("### Decentraland json snapshot\n")
	n := 0
	type line struct {
		EntityID        string   `json:"entityId"`
		EntityType      string   `json:"entityType"`
		Pointers        []string `json:"pointers"`
		AuthChain       any      `json:"authChain"`
		EntityTimestamp int64    `json:"entityTimestamp"`
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	err = sn.store.ForEachActive(ctx, func(d *store.Deployment) error {
		n++
		return enc.Encode(line{d.ID, string(d.Type), d.Pointers, d.AuthChain, d.Timestamp})
	})
	if err == nil {
		err = w.Flush()
	}
	if err != nil {
		return err
	}
	if _, err := f.Seek(0, 0); err != nil {
		return err
	}
	hash, err := hashing.V1(f)
	if err != nil {
		return err
	}
	info, err := f.Stat()
	if err != nil {
		return err
	}
	f.Close()
	if err := sn.store.PutContent(ctx, store.Blob{Hash: hash, Size: info.Size(), Path: f.Name()}); err != nil {
		return err
	}
	m := &SnapshotMetadata{Hash: hash, NumberOfEntities: n, GenerationTimestamp: time.Now().UnixMilli(), ReplacedSnapshotHashes: []string{}, seq: seq}
	m.TimeRange.InitTimestamp = snapshotsStart
	m.TimeRange.EndTimestamp = m.GenerationTimestamp
	if cur != nil && cur.Hash != hash {
		m.ReplacedSnapshotHashes = []string{cur.Hash}
	}
	raw, _ := json.Marshal(m)
	if err := sn.store.SetMeta(snapshotMetaKey, raw); err != nil {
		return err
	}
	sn.mu.Lock()
	sn.current = m
	sn.mu.Unlock()
	sn.log.Info("snapshot written", "hash", hash, "entities", n, "bytes", info.Size(), "took", time.Since(start).Round(time.Millisecond))
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
