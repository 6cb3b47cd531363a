package store

import (
	"context"
	"errors"
	"strings"

	"github.com/dgraph-io/badger/v4"
)

// tService is where feature services keep their state: s/<service>/<key>.
const tService = "s/"

// Keyspace is one service's part of the store: keys under its name, that
// no other part reads or writes.
type Keyspace struct {
	s      *Store
	prefix []byte
}

// Keyspace returns the keyspace of the named service.
func (s *Store) Keyspace(service string) *Keyspace {
	if service == "" || strings.Contains(service, "/") {
		panic("store: a keyspace needs a name without slashes")
	}
	return &Keyspace{s: s, prefix: []byte(tService + service + "/")}
}

func (k *Keyspace) key(name string) []byte { return append(append([]byte{}, k.prefix...), name...) }

// Get returns a value, or ErrNotFound.
func (k *Keyspace) Get(ctx context.Context, name string) ([]byte, error) {
	var v []byte
	err := k.s.view(ctx, "keyspace get", func(txn *badger.Txn) error {
		item, err := txn.Get(k.key(name))
		if err != nil {
			return err
		}
		v, err = item.ValueCopy(nil)
		return err
	})
	if errors.Is(err, badger.ErrKeyNotFound) {
		return nil, ErrNotFound
	}
	return v, err
}

// Scan calls fn with every key (without the keyspace's prefix) starting
// with prefix, and its value, in key order.
func (k *Keyspace) Scan(ctx context.Context, prefix string, fn func(name string, value []byte) error) error {
	full := k.key(prefix)
	return k.s.view(ctx, "keyspace scan", func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: full, PrefetchValues: true, PrefetchSize: 100})
		defer it.Close()
		n := 0
		for it.Rewind(); it.Valid(); it.Next() {
			if n++; n%1024 == 0 && ctx.Err() != nil {
				return ctx.Err()
			}
			name := string(it.Item().Key()[len(k.prefix):])
			if err := it.Item().Value(func(v []byte) error { return fn(name, v) }); err != nil {
				return err
			}
		}
		return nil
	})
}

// Write sets and deletes keys in one durable transaction (nil value:
// delete): all of them or none (badger.ErrTxnTooBig past a few MB).
func (k *Keyspace) Write(ctx context.Context, changes map[string][]byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return k.s.db.Update(func(txn *badger.Txn) error {
		for name, v := range changes {
			var err error
			if v == nil {
				err = txn.Delete(k.key(name))
			} else {
				err = txn.Set(k.key(name), v)
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// KeyspaceTxn reads and writes one keyspace inside a transaction.
type KeyspaceTxn struct {
	k   *Keyspace
	txn *badger.Txn
}

// Get returns a value, or ErrNotFound (the transaction's own writes
// included).
func (t *KeyspaceTxn) Get(name string) ([]byte, error) {
	item, err := t.txn.Get(t.k.key(name))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	return item.ValueCopy(nil)
}

// Set writes a value.
func (t *KeyspaceTxn) Set(name string, v []byte) error { return t.txn.Set(t.k.key(name), v) }

// Delete removes a key.
func (t *KeyspaceTxn) Delete(name string) error { return t.txn.Delete(t.k.key(name)) }

// Scan calls fn with every key starting with prefix and its value, in
// key order, as the transaction sees them.
func (t *KeyspaceTxn) Scan(prefix string, fn func(name string, value []byte) error) error {
	full := t.k.key(prefix)
	it := t.txn.NewIterator(badger.IteratorOptions{Prefix: full, PrefetchValues: true, PrefetchSize: 100})
	defer it.Close()
	for it.Rewind(); it.Valid(); it.Next() {
		name := string(it.Item().Key()[len(t.k.prefix):])
		if err := it.Item().Value(func(v []byte) error { return fn(name, v) }); err != nil {
			return err
		}
	}
	return nil
}

// Update runs fn in one durable read-write transaction of the keyspace:
// all its writes or none (badger.ErrTxnTooBig past a few MB; a conflict
// with a concurrent writer of the same keys is badger.ErrConflict).
func (k *Keyspace) Update(ctx context.Context, fn func(*KeyspaceTxn) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return k.s.db.Update(func(txn *badger.Txn) error { return fn(&KeyspaceTxn{k: k, txn: txn}) })
}
