package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/dgraph-io/badger/v4"

	"github.com/p2pcatalyst/catalyst/store/entity"
)

// FailedDeployment is a deployment that could not be applied (a synced one
// whose content could not be fetched, say), kept to be retried.
type FailedDeployment struct {
	EntityType       entity.Type     `json:"entityType"`
	EntityID         string          `json:"entityId"`
	FailureTimestamp int64           `json:"failureTimestamp"`
	Reason           string          `json:"reason"`
	AuthChain        json.RawMessage `json:"authChain"`
	ErrorDescription string          `json:"errorDescription"`
}

// DefaultMaxFailures bounds the failed deployments kept (Options.MaxFailures).
const DefaultMaxFailures = 10000

// Failed deployments are kept under f/<id> with a time index
// g/<failure time><id>, so the oldest are found without a scan: the
// record of a deployment that is applied later goes with it, and past
// MaxFailures the oldest records make room for new ones.

func failureTimeKey(ts int64, id string) []byte {
	return append(append([]byte(tFailedTime), be64(uint64(max(ts, 0)))...), id...)
}

// RecordFailure stores (or replaces) a failed deployment, dropping the
// oldest records beyond the store's bound.
func (s *Store) RecordFailure(ctx context.Context, f FailedDeployment) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	b, err := json.Marshal(f)
	if err != nil {
		return fmt.Errorf("store: record failure of %s: %w", f.EntityID, err)
	}
	s.failMu.Lock()
	defer s.failMu.Unlock()
	err = s.db.Update(func(txn *badger.Txn) error {
		if err := deleteFailure(txn, f.EntityID); err != nil {
			return err
		}
		if err := txn.Set(key(tFailed, f.EntityID), b); err != nil {
			return err
		}
		if err := txn.Set(failureTimeKey(f.FailureTimestamp, f.EntityID), nil); err != nil {
			return err
		}
		return s.evictFailures(txn)
	})
	if err != nil {
		return fmt.Errorf("store: record failure of %s: %w", f.EntityID, err)
	}
	return nil
}

// evictFailures deletes the oldest records while there are more than the
// bound (a count of index keys: at most the bound plus one, cheap).
func (s *Store) evictFailures(txn *badger.Txn) error {
	it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(tFailedTime)})
	defer it.Close()
	n := 0
	for it.Rewind(); it.Valid(); it.Next() {
		n++
	}
	var drop [][]byte
	for it.Rewind(); it.Valid() && n > s.maxFailures; it.Next() {
		drop = append(drop, it.Item().KeyCopy(nil))
		n--
	}
	for _, k := range drop {
		id := string(k[len(tFailedTime)+8:])
		if err := deleteFailure(txn, id); err != nil {
			return err
		}
	}
	return nil
}

// deleteFailure removes a failure record and its index key, if any.
func deleteFailure(txn *badger.Txn, id string) error {
	item, err := txn.Get(key(tFailed, id))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	var f FailedDeployment
	if err := item.Value(func(v []byte) error { return json.Unmarshal(v, &f) }); err != nil {
		return err
	}
	if err := txn.Delete(failureTimeKey(f.FailureTimestamp, id)); err != nil {
		return err
	}
	return txn.Delete(key(tFailed, id))
}

// PruneFailures deletes the records of failures older than before and
// reports how many went.
func (s *Store) PruneFailures(ctx context.Context, before time.Time) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	s.failMu.Lock()
	defer s.failMu.Unlock()
	var ids []string
	err := s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(tFailedTime)})
		defer it.Close()
		end := failureTimeKey(before.UnixMilli(), "")
		for it.Rewind(); it.Valid() && string(it.Item().Key()) < string(end); it.Next() {
			ids = append(ids, string(it.Item().Key()[len(tFailedTime)+8:]))
		}
		return nil
	})
	if err == nil && len(ids) > 0 {
		err = s.db.Update(func(txn *badger.Txn) error {
			for _, id := range ids {
				if err := deleteFailure(txn, id); err != nil {
					return err
				}
			}
			return nil
		})
	}
	if err != nil {
		return 0, fmt.Errorf("store: prune failures: %w", err)
	}
	return len(ids), nil
}

// FailedDeployments lists the failed deployments, oldest first (at most
// limit).
func (s *Store) FailedDeployments(ctx context.Context, limit int) ([]FailedDeployment, error) {
	out := []FailedDeployment{}
	err := s.view(ctx, "list failures", func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(tFailedTime)})
		defer it.Close()
		for it.Rewind(); it.Valid() && len(out) < limit; it.Next() {
			id := string(it.Item().Key()[len(tFailedTime)+8:])
			item, err := txn.Get(key(tFailed, id))
			if err != nil {
				return err
			}
			var f FailedDeployment
			if err := item.Value(func(v []byte) error { return json.Unmarshal(v, &f) }); err != nil {
				return err
			}
			out = append(out, f)
		}
		return nil
	})
	return out, err
}

// indexFailures gives records of data dirs older than the time index
// their index key.
func (s *Store) indexFailures() error {
	return s.db.Update(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(tFailed)})
		defer it.Close()
		var keys [][]byte
		for it.Rewind(); it.Valid(); it.Next() {
			var f FailedDeployment
			if err := it.Item().Value(func(v []byte) error { return json.Unmarshal(v, &f) }); err != nil {
				return fmt.Errorf("store: failure record %s: %w", it.Item().Key(), err)
			}
			keys = append(keys, failureTimeKey(f.FailureTimestamp, f.EntityID))
		}
		for _, k := range keys {
			if err := txn.Set(k, nil); err != nil {
				return err
			}
		}
		return s.evictFailures(txn)
	})
}
