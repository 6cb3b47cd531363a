package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"

	"github.com/dgraph-io/badger/v4"

	"github.com/p2pcatalyst/catalyst/store/entity"
)

// Get returns the deployment of an entity id.
func (s *Store) Get(ctx context.Context, id string) (*Deployment, error) {
	var d *Deployment
	err := s.view(ctx, "get "+id, func(txn *badger.Txn) error {
		var err error
		d, err = getDeployment(txn, id)
		return err
	})
	return d, err
}

// ActiveByIDs returns the active deployments among ids, in input order,
// without duplicates.
func (s *Store) ActiveByIDs(ctx context.Context, ids []string) ([]*Deployment, error) {
	var out []*Deployment
	seen := map[string]bool{}
	err := s.view(ctx, "active by ids", func(txn *badger.Txn) error {
		for _, id := range ids {
			if seen[id] {
				continue
			}
			seen[id] = true
			d, err := getDeployment(txn, id)
			if errors.Is(err, ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			if d.Active() {
				out = append(out, d)
			}
		}
		return nil
	})
	return out, err
}

// ActiveByPointers returns the active entities on the given pointers, of
// any type (pointers are matched lower-cased), without duplicates.
func (s *Store) ActiveByPointers(ctx context.Context, pointers []string) ([]*Deployment, error) {
	var out []*Deployment
	seen := map[string]bool{}
	err := s.view(ctx, "active by pointers", func(txn *badger.Txn) error {
		for _, p := range pointers {
			p = strings.ToLower(p)
			for _, t := range entity.Types {
				st, err := getPointer(txn, string(t), p)
				if err != nil {
					return err
				}
				if st.Active == "" || seen[st.Active] {
					continue
				}
				seen[st.Active] = true
				d, err := getDeployment(txn, st.Active)
				if err != nil {
					return err
				}
				out = append(out, d)
			}
		}
		return nil
	})
	return out, err
}

// ActiveIDsByContent returns the ids of active entities referencing a hash.
func (s *Store) ActiveIDsByContent(ctx context.Context, hash string) ([]string, error) {
	var ids []string
	err := s.view(ctx, "active ids by content "+hash, func(txn *badger.Txn) error {
		prefix := key(tHashRef, hash, "")
		it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			if len(ids) >= 1000 {
				break
			}
			id := string(it.Item().Key()[len(prefix):])
			d, err := getDeployment(txn, id)
			if err != nil {
				return err
			}
			if d.Active() {
				ids = append(ids, id)
			}
		}
		return nil
	})
	return ids, err
}

// SortField orders a deployment listing.
type SortField int

// Sort fields.
const (
	ByLocalTimestamp SortField = iota
	ByEntityTimestamp
)

// Filter selects and pages deployments, with the semantics of the content
// server's /deployments: From and To bound the sort field's time
// (inclusive, 0 = unbounded); LastID continues a page after the last entity
// seen at the bound (To when descending, From when ascending).
type Filter struct {
	Types                []entity.Type
	IDs                  []string
	Pointers             []string
	OnlyCurrentlyPointed bool
	From, To             int64
	SortBy               SortField
	Ascending            bool
	LastID               string
	Offset, Limit        int
}

func (f *Filter) sortTime(d *Deployment) int64 {
	if f.SortBy == ByEntityTimestamp {
		return d.Timestamp
	}
	return d.LocalTimestamp
}

// match applies every filter but ids and pointers (which choose the scan).
func (f *Filter) match(d *Deployment) bool {
	if len(f.Types) > 0 && !slices.Contains(f.Types, d.Type) {
		return false
	}
	if f.OnlyCurrentlyPointed && !d.Active() {
		return false
	}
	t, lid := f.sortTime(d), strings.ToLower(d.ID)
	last := strings.ToLower(f.LastID)
	if f.From > 0 {
		if t < f.From || (f.Ascending && last != "" && t == f.From && lid <= last) {
			return false
		}
	}
	if f.To > 0 {
		if t > f.To || (!f.Ascending && last != "" && t == f.To && lid >= last) {
			return false
		}
	}
	return true
}

// less orders deployments as the listing does: by sort time, then id.
func (f *Filter) less(a, b *Deployment) int {
	ta, tb := f.sortTime(a), f.sortTime(b)
	c := 0
	switch {
	case ta < tb:
		c = -1
	case ta > tb:
		c = 1
	default:
		c = strings.Compare(strings.ToLower(a.ID), strings.ToLower(b.ID))
	}
	if !f.Ascending {
		c = -c
	}
	return c
}

// maxScan bounds the records one listing may examine.
const maxScan = 200000

// Deployments lists deployments; moreData says whether another page exists.
func (s *Store) Deployments(ctx context.Context, f Filter) (list []*Deployment, moreData bool, err error) {
	if f.Limit <= 0 {
		f.Limit = 500
	}
	want := f.Offset + f.Limit + 1
	err = s.view(ctx, "list deployments", func(txn *badger.Txn) error {
		if len(f.IDs) > 0 || len(f.Pointers) > 0 {
			list, err = s.candidates(ctx, txn, &f)
			if err != nil {
				return err
			}
			slices.SortFunc(list, f.less)
		} else {
			list, err = s.scanIndex(ctx, txn, &f, want)
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	if f.Offset >= len(list) {
		return nil, false, nil
	}
	list = list[f.Offset:]
	if len(list) > f.Limit {
		return list[:f.Limit], true, nil
	}
	return list, false, nil
}

// candidates gathers the deployments of the given ids, or that ever had one
// of the given pointers, passing the filter.
func (s *Store) candidates(ctx context.Context, txn *badger.Txn, f *Filter) ([]*Deployment, error) {
	seen := map[string]bool{}
	var out []*Deployment
	add := func(id string) error {
		if seen[id] {
			return nil
		}
		seen[id] = true
		d, err := getDeployment(txn, id)
		if errors.Is(err, ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		if f.match(d) && (len(f.Pointers) == 0 || len(f.IDs) == 0 || slices.Contains(f.IDs, d.ID)) {
			out = append(out, d)
		}
		return nil
	}
	if len(f.Pointers) == 0 {
		for _, id := range f.IDs {
			if err := add(id); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	types := f.Types
	if len(types) == 0 {
		types = entity.Types
	}
	for _, p := range f.Pointers {
		for _, t := range types {
			prefix := ptrHistoryPrefix(string(t), strings.ToLower(p))
			it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix})
			for it.Rewind(); it.Valid() && len(seen) < maxScan; it.Next() {
				if err := ctx.Err(); err != nil {
					it.Close()
					return nil, err
				}
				var id string
				if err := it.Item().Value(func(v []byte) error { id = string(v); return nil }); err != nil {
					it.Close()
					return nil, err
				}
				if err := add(id); err != nil {
					it.Close()
					return nil, err
				}
			}
			it.Close()
		}
	}
	return out, nil
}

// scanIndex walks the log (or the entity-time index) in order from the
// page's bound, collecting up to want matches.
func (s *Store) scanIndex(ctx context.Context, txn *badger.Txn, f *Filter, want int) ([]*Deployment, error) {
	table := []byte(tLog)
	if f.SortBy == ByEntityTimestamp {
		table = []byte(tEntityTime)
	}
	it := txn.NewIterator(badger.IteratorOptions{Prefix: table, Reverse: !f.Ascending})
	defer it.Close()
	var start []byte
	switch {
	case f.Ascending && f.From > 0:
		start = timeKey(table, f.From, "")
	case f.Ascending:
		start = table
	case f.To > 0:
		start = append(timeKey(table, f.To, ""), 0xff)
	default:
		start = append(bytes.Clone(table), 0xff)
	}
	var out []*Deployment
	scanned := 0
	for it.Seek(start); it.Valid() && len(out) < want && scanned < maxScan; it.Next() {
		scanned++
		if scanned%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		k := it.Item().Key()
		t := int64(beUint64(k[len(table):]))
		if (f.Ascending && f.To > 0 && t > f.To) || (!f.Ascending && f.From > 0 && t < f.From) {
			break
		}
		var id string
		if err := it.Item().Value(func(v []byte) error { id = string(v); return nil }); err != nil {
			return nil, err
		}
		d, err := getDeployment(txn, id)
		if err != nil {
			return nil, err
		}
		if f.match(d) {
			out = append(out, d)
		}
	}
	return out, nil
}

func beUint64(b []byte) uint64 {
	var v uint64
	for _, c := range b[:8] {
		v = v<<8 | uint64(c)
	}
	return v
}

// LastSeq is the sequence number of the newest deployment.
func (s *Store) LastSeq() uint64 {
	s.countersMu.Lock()
	defer s.countersMu.Unlock()
	return s.seq
}

// Lookup is what the pipeline needs to know from the store before it
// decides on a deployment, read in one transaction.
type Lookup struct {
	// Existing is the stored deployment of the id, if any.
	Existing *Deployment
	// NewerOnPointers: an entity newer than the asked one was ever
	// deployed on one of its pointers.
	NewerOnPointers bool
	// Stored maps each asked hash that is stored to its size.
	Stored map[string]int64
}

// Lookup reads, in one transaction, whether id is deployed, whether e (if
// not nil) has a newer entity on its pointers and which of hashes are
// stored. Every read transaction waits for commits in flight, so the
// pipeline asks once.
func (s *Store) Lookup(ctx context.Context, id string, e *entity.Entity, hashes []string) (Lookup, error) {
	l := Lookup{Stored: map[string]int64{}}
	err := s.view(ctx, "look up "+id, func(txn *badger.Txn) error {
		d, err := getDeployment(txn, id)
		switch {
		case err == nil:
			l.Existing = d
			return nil
		case !errors.Is(err, ErrNotFound):
			return err
		}
		for _, h := range hashes {
			item, err := txn.Get(key(tContent, h))
			if errors.Is(err, badger.ErrKeyNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			if err := item.Value(func(v []byte) error { l.Stored[h] = blobSize(v); return nil }); err != nil {
				return err
			}
		}
		if e == nil {
			return nil
		}
		for _, p := range s.PointerKeys(e) {
			st, err := getPointer(txn, string(e.Type), p)
			if err != nil {
				return err
			}
			if st.MaxID != "" && st.MaxID != e.ID && entity.Newer(st.MaxTS, st.MaxID, e.Timestamp, e.ID) {
				l.NewerOnPointers = true
			}
		}
		return nil
	})
	return l, err
}

// ForEachActive calls fn for every active deployment, in id order. It
// reads from one consistent snapshot of the store.
func (s *Store) ForEachActive(ctx context.Context, fn func(*Deployment) error) error {
	return s.view(ctx, "read active deployments", func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(tDeployment), PrefetchValues: true, PrefetchSize: 100})
		defer it.Close()
		n := 0
		for it.Rewind(); it.Valid(); it.Next() {
			if n++; n%1024 == 0 && ctx.Err() != nil {
				return ctx.Err()
			}
			var d Deployment
			if err := it.Item().Value(func(v []byte) error { return json.Unmarshal(v, &d) }); err != nil {
				return err
			}
			if d.Active() {
				if err := fn(&d); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// ForEachKey calls fn with the (entity timestamp, id) of every stored
// deployment, active or not, in (timestamp, lower-cased id) order.
func (s *Store) ForEachKey(ctx context.Context, fn func(ts int64, id string) error) error {
	return s.view(ctx, "read deployment keys", func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(tEntityTime), PrefetchValues: true, PrefetchSize: 1000})
		defer it.Close()
		n := 0
		for it.Rewind(); it.Valid(); it.Next() {
			if n++; n%4096 == 0 && ctx.Err() != nil {
				return ctx.Err()
			}
			k := it.Item().Key()[len(tEntityTime):]
			var err error
			verr := it.Item().Value(func(v []byte) error {
				err = fn(int64(beUint64(k)), string(v))
				return nil
			})
			if verr != nil {
				return verr
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// ForEachActivePointer calls fn with every pointer of a type that has an
// active entity, and that entity's id (a map of scenes reads parcels
// this way: pointer states are small, no entity is decoded).
func (s *Store) ForEachActivePointer(ctx context.Context, typ entity.Type, fn func(pointer, id string) error) error {
	prefix := key(tPointer, string(typ), "")
	return s.view(ctx, "read active pointers", func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix, PrefetchValues: true, PrefetchSize: 1000})
		defer it.Close()
		n := 0
		for it.Rewind(); it.Valid(); it.Next() {
			if n++; n%1024 == 0 && ctx.Err() != nil {
				return ctx.Err()
			}
			var st struct {
				Active string `json:"a"` // of pointerState: nothing else is decoded
			}
			if err := it.Item().Value(func(v []byte) error { return json.Unmarshal(v, &st) }); err != nil {
				return err
			}
			if st.Active != "" {
				if err := fn(string(it.Item().Key()[len(prefix):]), st.Active); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// ActiveUnder returns the active entities of typ on the pointers that
// start with prefix (a scope of PointerScope: every scene of one world),
// without duplicates and but those skip names, at most limit of them. It
// reads at most maxUnderScan pointers.
func (s *Store) ActiveUnder(ctx context.Context, typ entity.Type, prefix string, limit int, skip func(id string) bool) ([]*Deployment, error) {
	var out []*Deployment
	seen := map[string]bool{}
	err := s.view(ctx, "active under "+prefix, func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: pointerKey(string(typ), strings.ToLower(prefix))})
		defer it.Close()
		scanned := 0
		for it.Rewind(); it.Valid() && len(out) < limit && scanned < maxUnderScan; it.Next() {
			if scanned++; scanned%1024 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			var st pointerState
			if err := it.Item().Value(func(v []byte) error { return json.Unmarshal(v, &st) }); err != nil {
				return err
			}
			if st.Active == "" || seen[st.Active] {
				continue
			}
			seen[st.Active] = true
			if skip != nil && skip(st.Active) {
				continue
			}
			d, err := getDeployment(txn, st.Active)
			if err != nil {
				return err
			}
			out = append(out, d)
		}
		return nil
	})
	return out, err
}

// maxUnderScan bounds the pointers one ActiveUnder reads.
const maxUnderScan = 1 << 18
