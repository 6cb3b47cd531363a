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
//
// A record is small whatever it is given: a chain longer than
// maxFailureChain is dropped from it (honest chains are a few KB) and the
// description is cut, so the records — which anyone may list — stay within
// MaxFailures times a few KB.
func (s *Store) RecordFailure(ctx context.Context, f FailedDeployment) (evicted int, err error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if len(f.AuthChain) > maxFailureChain {
		f.AuthChain = json.RawMessage("[]")
	}
	if len(f.ErrorDescription) > maxFailureText {
		f.ErrorDescription = f.ErrorDescription[:maxFailureText]
	}
	b, err := json.Marshal(f)
	if err != nil {
		return 0, fmt.Errorf("store: record failure of %s: %w", f.EntityID, err)
	}
	s.failMu.Lock()
	defer s.failMu.Unlock()
	for try := 0; ; try++ {
		err = s.db.Update(func(txn *badger.Txn) error {
			evicted = 0
			if err := deleteFailure(txn, f.EntityID); err != nil {
				return err
			}
			if err := txn.Set(key(tFailed, f.EntityID), b); err != nil {
				return err
			}
			if err := txn.Set(failureTimeKey(f.FailureTimestamp, f.EntityID), nil); err != nil {
				return err
			}
			evicted, err = s.evictFailures(txn)
			return err
		})
		// A deployment of the same entity commits a delete of its record
		// meanwhile: read again.
		if !errors.Is(err, badger.ErrConflict) || try == 2 {
			break
		}
	}
	if err != nil {
		return 0, fmt.Errorf("store: record failure of %s: %w", f.EntityID, err)
	}
	return evicted, nil
}

// Bounds of one failure record.
const (
	maxFailureChain = 4 << 10
	maxFailureText  = 1000
)

// evictFailures deletes the oldest records while there are more than the
// bound (a count of index keys: at most the bound plus one, cheap) and
// reports how many went.
func (s *Store) evictFailures(txn *badger.Txn) (int, error) {
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
		if err := txn.Delete(k); err != nil { // stale (its record gone) or not
			return 0, err
		}
		if err := deleteFailure(txn, string(k[len(tFailedTime)+8:])); err != nil {
			return 0, err
		}
	}
	return len(drop), nil
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
// reports how many went; index keys of deployments applied since go too.
func (s *Store) PruneFailures(ctx context.Context, before time.Time) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	s.failMu.Lock()
	defer s.failMu.Unlock()
	var ids []string
	var stale [][]byte
	err := s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(tFailedTime)})
		defer it.Close()
		end := failureTimeKey(before.UnixMilli(), "")
		for it.Rewind(); it.Valid(); it.Next() {
			k := it.Item().KeyCopy(nil)
			id := string(k[len(tFailedTime)+8:])
			if _, err := txn.Get(key(tFailed, id)); errors.Is(err, badger.ErrKeyNotFound) {
				stale = append(stale, k) // its deployment was applied
				continue
			}
			if string(k) < string(end) {
				ids = append(ids, id)
			}
		}
		return nil
	})
	n := len(ids)
	if err == nil && len(stale) > 0 {
		wb := s.db.NewWriteBatch()
		for _, k := range stale {
			if err = wb.Delete(k); err != nil {
				break
			}
		}
		if err == nil {
			err = wb.Flush()
		}
		wb.Cancel()
	}
	for len(ids) > 0 && err == nil {
		chunk := ids[:min(len(ids), 1000)]
		ids = ids[len(chunk):]
		err = s.db.Update(func(txn *badger.Txn) error {
			for _, id := range chunk {
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
	return n, nil
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
			if errors.Is(err, badger.ErrKeyNotFound) {
				continue // the deployment was applied since: a stale index key
			}
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

// indexFailures gives the records of data dirs older than the time index
// their index key (in write batches: such a dir may hold any number), and
// then makes the records fit the bound.
func (s *Store) indexFailures() error {
	wb := s.db.NewWriteBatch()
	defer wb.Cancel()
	n := 0
	err := s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(tFailed)})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			var f FailedDeployment
			if err := it.Item().Value(func(v []byte) error { return json.Unmarshal(v, &f) }); err != nil {
				return fmt.Errorf("failure record %s: %w", it.Item().Key(), err)
			}
			if err := wb.Set(failureTimeKey(f.FailureTimestamp, f.EntityID), nil); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err == nil {
		err = wb.Flush()
	}
	if err != nil {
		return fmt.Errorf("store: index failure records: %w", err)
	}
	for n > s.maxFailures { // an old data dir past the bound: the oldest go
		var drop [][]byte
		err := s.db.View(func(txn *badger.Txn) error {
			it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(tFailedTime)})
			defer it.Close()
			for it.Rewind(); it.Valid() && len(drop) < min(n-s.maxFailures, 1000); it.Next() {
				drop = append(drop, it.Item().KeyCopy(nil))
			}
			return nil
		})
		if err == nil {
			err = s.db.Update(func(txn *badger.Txn) error {
				for _, k := range drop {
					if err := txn.Delete(k); err != nil {
						return err
					}
					if err := deleteFailure(txn, string(k[len(tFailedTime)+8:])); err != nil {
						return err
					}
				}
				return nil
			})
		}
		if err != nil {
			return fmt.Errorf("store: bound failure records: %w", err)
		}
		n -= len(drop)
	}
	return nil
}
