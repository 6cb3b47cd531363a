package gatekeeper

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/p2pcatalyst/catalyst/store/authchain"
)

// Ban keeps an address out of comms: no archipelago session, no room
// token, no SFU join.
type Ban struct {
	Address   string `json:"bannedAddress"`
	Reason    string `json:"reason"`
	BannedAt  int64  `json:"bannedAt,omitempty"`  // ms
	ExpiresAt int64  `json:"expiresAt,omitempty"` // ms; 0 never
}

// banFile is how the operator writes bans: a JSON array.
type banFile []struct {
	Address   string `json:"address"`
	Reason    string `json:"reason"`
	BannedAt  int64  `json:"bannedAt"`
	ExpiresAt int64  `json:"expiresAt"`
}

// Bans is the ban list, read from a JSON file the operator edits; changes
// are picked up while the node runs.
type Bans struct {
	path string
	log  *slog.Logger

	mu      sync.RWMutex
	byAddr  map[string]Ban
	modTime time.Time
}

// LoadBans reads path ("" or a missing file: no bans).
func LoadBans(path string, log *slog.Logger) (*Bans, error) {
	if log == nil {
		log = slog.Default()
	}
	b := &Bans{path: path, log: log.With("component", "bans"), byAddr: map[string]Ban{}}
	if err := b.reload(); err != nil {
		return nil, err
	}
	return b, nil
}

func (b *Bans) reload() error {
	if b.path == "" {
		return nil
	}
	st, err := os.Stat(b.path)
	if errors.Is(err, os.ErrNotExist) {
		b.mu.Lock()
		b.byAddr, b.modTime = map[string]Ban{}, time.Time{}
		b.mu.Unlock()
		return nil
	}
	if err != nil {
		return err
	}
	b.mu.RLock()
	same := st.ModTime().Equal(b.modTime)
	b.mu.RUnlock()
	if same {
		return nil
	}
	raw, err := os.ReadFile(b.path)
	if err != nil {
		return err
	}
	var entries banFile
	if err := json.Unmarshal(raw, &entries); err != nil {
		return fmt.Errorf("bans: %s is not a JSON array of {address, reason, expiresAt}: %w", b.path, err)
	}
	byAddr := make(map[string]Ban, len(entries))
	for i, e := range entries {
		addr := strings.ToLower(e.Address)
		if !authchain.IsAddress(addr) {
			return fmt.Errorf("bans: entry %d: %q is not an address", i, e.Address)
		}
		byAddr[addr] = Ban{Address: addr, Reason: e.Reason, BannedAt: e.BannedAt, ExpiresAt: e.ExpiresAt}
	}
	b.mu.Lock()
	b.byAddr, b.modTime = byAddr, st.ModTime()
	b.mu.Unlock()
	b.log.Info("bans loaded", "file", b.path, "count", len(byAddr))
	return nil
}

// Run re-reads the file when it changes, until ctx ends. A file that
// stops parsing keeps the last good list.
func (b *Bans) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := b.reload(); err != nil {
				b.log.Error("bans not reloaded", "err", err)
			}
		}
	}
}

// Lookup reports the ban in force on address at now.
func (b *Bans) Lookup(address string, now time.Time) (Ban, bool) {
	if b == nil {
		return Ban{}, false
	}
	b.mu.RLock()
	ban, ok := b.byAddr[strings.ToLower(address)]
	b.mu.RUnlock()
	if !ok || (ban.ExpiresAt != 0 && now.UnixMilli() >= ban.ExpiresAt) {
		return Ban{}, false
	}
	return ban, true
}

// Banned is Lookup at the current time, as the comms hooks take it.
func (b *Bans) Banned(address string) bool {
	_, banned := b.Lookup(address, time.Now())
	return banned
}
