package places

import (
	"context"
	"encoding/json"
	"slices"
	"sync"

	"github.com/p2pcatalyst/catalyst/store"
)

// index holds every place in memory, by id and by position, so a list
// reads no JSON from the store: the keyspace is the truth, read once at
// the first request, and every committed write (txn.put) is applied to
// the index after its commit. Places are never changed in place: a write
// replaces the pointer, so a list holding the old one reads a consistent
// place.
type index struct {
	mu     sync.RWMutex
	loaded bool
	byID   map[string]*Place
	byPos  map[string]string // a position → the place (not disabled) on it
	sorted []*Place          // by id, rebuilt when nil
}

func (x *index) load(ctx context.Context, ks *store.Keyspace) error {
	x.mu.RLock()
	loaded := x.loaded
	x.mu.RUnlock()
	if loaded {
		return nil
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.loaded {
		return nil
	}
	x.byID, x.byPos, x.sorted = map[string]*Place{}, map[string]string{}, nil
	err := ks.Scan(ctx, "p/", func(_ string, v []byte) error {
		var p Place
		if json.Unmarshal(v, &p) == nil {
			x.set(&p)
		}
		return nil
	})
	x.loaded = err == nil
	return err
}

// set puts p in the index (x.mu held).
func (x *index) set(p *Place) {
	if old := x.byID[p.ID]; old != nil {
		for _, pos := range old.Positions {
			if x.byPos[pos] == p.ID {
				delete(x.byPos, pos)
			}
		}
	}
	x.byID[p.ID] = p
	if !p.Disabled && !p.World {
		for _, pos := range p.Positions {
			x.byPos[pos] = p.ID
		}
	}
	x.sorted = nil
}

// apply puts committed places in the index (when it is loaded: a later
// load reads them from the store).
func (x *index) apply(written []*Place) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if !x.loaded {
		return
	}
	for _, p := range written {
		x.set(p)
	}
}

// txn is a keyspace transaction that tells the index what it wrote.
type txn struct {
	*store.KeyspaceTxn
	written []*Place
}

func (t *txn) put(p *Place) error {
	b, err := json.Marshal(p)
	if err != nil {
		return err
	}
	if err := t.Set("p/"+p.ID, b); err != nil {
		return err
	}
	c := *p // the index's copy: the caller may change its own
	t.written = append(t.written, &c)
	return nil
}

// update runs fn in a keyspace transaction and, once it committed,
// applies its places to the index.
func (s *Service) update(ctx context.Context, fn func(*txn) error) error {
	// One writer at a time, from its transaction to the index: two
	// commits reach the index in their order.
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	var t *txn
	err := s.ks.Update(ctx, func(tx *store.KeyspaceTxn) error {
		t = &txn{KeyspaceTxn: tx}
		return fn(t)
	})
	if err == nil && t != nil {
		s.idx.apply(t.written)
	}
	return err
}

// place is one place (store.ErrNotFound when none).
func (s *Service) place(ctx context.Context, id string) (*Place, error) {
	if err := s.idx.load(ctx, s.ks); err != nil {
		return nil, err
	}
	s.idx.mu.RLock()
	defer s.idx.mu.RUnlock()
	if p := s.idx.byID[id]; p != nil {
		return p, nil
	}
	return nil, store.ErrNotFound
}

// all is every place, by id; read it, never change it.
func (s *Service) all(ctx context.Context) ([]*Place, error) {
	if err := s.idx.load(ctx, s.ks); err != nil {
		return nil, err
	}
	s.idx.mu.RLock()
	sorted := s.idx.sorted
	s.idx.mu.RUnlock()
	if sorted != nil {
		return sorted, nil
	}
	s.idx.mu.Lock()
	defer s.idx.mu.Unlock()
	if s.idx.sorted == nil {
		list := make([]*Place, 0, len(s.idx.byID))
		for _, p := range s.idx.byID {
			list = append(list, p)
		}
		slices.SortFunc(list, func(a, b *Place) int {
			switch {
			case a.ID < b.ID:
				return -1
			case a.ID > b.ID:
				return 1
			}
			return 0
		})
		s.idx.sorted = list
	}
	return s.idx.sorted, nil
}

// onPositions are the places (not disabled) on any of positions.
func (s *Service) onPositions(ctx context.Context, positions []string) ([]*Place, error) {
	if err := s.idx.load(ctx, s.ks); err != nil {
		return nil, err
	}
	s.idx.mu.RLock()
	defer s.idx.mu.RUnlock()
	var out []*Place
	seen := map[string]bool{}
	for _, pos := range positions {
		if id, ok := s.idx.byPos[pos]; ok && !seen[id] {
			seen[id] = true
			out = append(out, s.idx.byID[id])
		}
	}
	return out, nil
}
