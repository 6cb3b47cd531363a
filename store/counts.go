package store

import (
	"encoding/json"
	"errors"
	"maps"

	"github.com/dgraph-io/badger/v4"

	"github.com/p2pcatalyst/catalyst/store/entity"
)

// TypeCount is how many entities of one type the store holds.
type TypeCount struct {
	Active int64 `json:"active"` // the active entity of their pointers
	Stored int64 `json:"stored"` // history included
}

// countsKey holds the counts, updated in every deployment's transaction,
// so they are exact after a crash.
var countsKey = key(tMeta, "counts")

// Counts returns the entities stored per type.
func (s *Store) Counts() map[entity.Type]TypeCount {
	s.countersMu.Lock()
	defer s.countersMu.Unlock()
	return maps.Clone(s.counts)
}

// count adds one applied deployment's effect to counts.
func count(counts map[entity.Type]TypeCount, typ entity.Type, out Outcome) {
	if out.Existed {
		return
	}
	c := counts[typ]
	c.Stored++
	if out.Active {
		c.Active++
	}
	c.Active -= int64(len(out.Overwrote))
	counts[typ] = c
}

// loadCounts reads the counts; a data dir from before they were kept is
// counted once.
func (s *Store) loadCounts() error {
	err := s.db.View(func(txn *badger.Txn) error {
		item, err := txn.Get(countsKey)
		if err != nil {
			return err
		}
		return item.Value(func(v []byte) error { return json.Unmarshal(v, &s.counts) })
	})
	if err == nil || !errors.Is(err, badger.ErrKeyNotFound) {
		return err
	}
	s.counts = map[entity.Type]TypeCount{}
	if s.seq == 0 {
		return nil
	}
	s.log.Info("counting the stored entities once (a data dir from an older version)")
	err = s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(tDeployment), PrefetchValues: true, PrefetchSize: 100})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			var d struct {
				Type          entity.Type `json:"type"`
				OverwrittenBy string      `json:"overwrittenBy"`
			}
			if err := it.Item().Value(func(v []byte) error { return json.Unmarshal(v, &d) }); err != nil {
				return err
			}
			c := s.counts[d.Type]
			c.Stored++
			if d.OverwrittenBy == "" {
				c.Active++
			}
			s.counts[d.Type] = c
		}
		return nil
	})
	if err != nil {
		return err
	}
	return s.db.Update(func(txn *badger.Txn) error { return setJSON(txn, countsKey, s.counts) })
}
