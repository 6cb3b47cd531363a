package store

import (
	"errors"
	"fmt"

	"github.com/dgraph-io/badger/v4"
)

// tMeta is the keyspace of the node's own small state (snapshot lists,
// service settings): m/<name>.
const tMeta = "m/"

// Meta returns a named value, or ErrNotFound.
func (s *Store) Meta(name string) ([]byte, error) {
	var v []byte
	err := s.db.View(func(txn *badger.Txn) error {
		item, err := txn.Get(key(tMeta, name))
		if err != nil {
			return err
		}
		v, err = item.ValueCopy(nil)
		return err
	})
	if errors.Is(err, badger.ErrKeyNotFound) {
		err = ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: meta %s: %w", name, err)
	}
	return v, nil
}

// SetMeta stores a named value durably.
func (s *Store) SetMeta(name string, value []byte) error {
	return s.db.Update(func(txn *badger.Txn) error { return txn.Set(key(tMeta, name), value) })
}
