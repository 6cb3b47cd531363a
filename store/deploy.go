package store

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/dgraph-io/badger/v4"

	"github.com/p2pcatalyst/catalyst/store/authchain"
	"github.com/p2pcatalyst/catalyst/store/entity"
)

// Deployment is a stored entity with its audit information.
type Deployment struct {
	entity.Entity
	AuthChain      authchain.Chain `json:"authChain"`
	LocalTimestamp int64           `json:"localTimestamp"`
	Seq            uint64          `json:"seq"`
	OverwrittenBy  string          `json:"overwrittenBy,omitempty"`
}

// DeployedBy is the address heading the auth chain, as written there.
func (d *Deployment) DeployedBy() string { return d.AuthChain.Signer() }

// Active reports whether no newer entity shares a pointer with this one.
func (d *Deployment) Active() bool { return d.OverwrittenBy == "" }

// pointerState is what a pointer holds: its active entity (if any) and the
// newest entity ever deployed on it, which decides whether a new arrival
// wins. An entity is overwritten exactly when a newer entity shares one of
// its pointers, so the result does not depend on arrival order.
type pointerState struct {
	Active   string `json:"a,omitempty"`
	ActiveTS int64  `json:"at,omitempty"`
	MaxTS    int64  `json:"t"`
	MaxID    string `json:"i"`
}

// Outcome says what a Deploy did.
type Outcome struct {
	LocalTimestamp int64
	Seq            uint64
	Existed        bool     // already stored: nothing written
	Active         bool     // it is now the active entity of all its pointers
	OverwrittenBy  string   // when not active: the newer entity that wins
	Overwrote      []string // entities it replaced
	Cleared        []string // pointers of replaced entities that are now empty
}

// maxConflictRetries bounds the retries of a deployment whose transaction
// raced another on a shared key (an entity both overwrite).
const maxConflictRetries = 16

// Deploy stores an entity and its content in one atomic, durable step and
// updates the pointers: the greatest (timestamp, id) wins; an older entity
// is kept as history and touches no pointer. blobs are the content files
// not stored yet (the entity file among them); those already stored are
// skipped. The caller has validated everything.
func (s *Store) Deploy(ctx context.Context, e *entity.Entity, chain authchain.Chain, blobs []Blob) (Outcome, error) {
	inline, err := s.prepareBlobs(ctx, blobs)
	if err != nil {
		return Outcome{}, err
	}
	for attempt := 0; ; attempt++ {
		out, err := s.deployOnce(ctx, e, chain, inline)
		if errors.Is(err, badger.ErrConflict) && attempt < maxConflictRetries {
			continue
		}
		if err != nil {
			return Outcome{}, fmt.Errorf("store: deploy %s: %w", e.ID, err)
		}
		return out, nil
	}
}

func (s *Store) deployOnce(ctx context.Context, e *entity.Entity, chain authchain.Chain, inline []Blob) (Outcome, error) {
	if err := ctx.Err(); err != nil {
		return Outcome{}, err
	}
	txn := s.db.NewTransaction(true)
	defer txn.Discard()

	if item, err := txn.Get(key(tDeployment, e.ID)); err == nil {
		var d Deployment
		if err := item.Value(func(v []byte) error { return json.Unmarshal(v, &d) }); err != nil {
			return Outcome{}, err
		}
		return Outcome{Existed: true, LocalTimestamp: d.LocalTimestamp, Seq: d.Seq, Active: d.Active(), OverwrittenBy: d.OverwrittenBy}, nil
	} else if !errors.Is(err, badger.ErrKeyNotFound) {
		return Outcome{}, err
	}

	typ := string(e.Type)
	states := make(map[string]pointerState, len(e.Pointers))
	var out Outcome
	var newerTS int64
	for _, p := range e.Pointers {
		st, err := getPointer(txn, typ, p)
		if err != nil {
			return Outcome{}, err
		}
		states[p] = st
		if st.MaxID != "" && entity.Newer(st.MaxTS, st.MaxID, e.Timestamp, e.ID) {
			// Of the newer entities, the oldest is the one that overwrote it.
			if out.OverwrittenBy == "" || entity.Newer(newerTS, out.OverwrittenBy, st.MaxTS, st.MaxID) {
				out.OverwrittenBy, newerTS = st.MaxID, st.MaxTS
			}
		}
	}
	out.Active = out.OverwrittenBy == ""

	// Pointers: the newest ever always advances. Every older active entity
	// on them is overwritten, even when the new one is itself history (then
	// the pointer is left empty: a newer entity elsewhere already beat the
	// new one, and it beats the old one too).
	for _, p := range e.Pointers {
		st := states[p]
		if st.MaxID == "" || entity.Newer(e.Timestamp, e.ID, st.MaxTS, st.MaxID) {
			st.MaxTS, st.MaxID = e.Timestamp, e.ID
		}
		older := st.Active != "" && entity.Newer(e.Timestamp, e.ID, st.ActiveTS, st.Active)
		if older && !contains(out.Overwrote, st.Active) {
			out.Overwrote = append(out.Overwrote, st.Active)
		}
		if out.Active {
			st.Active, st.ActiveTS = e.ID, e.Timestamp
		} else if older {
			st.Active, st.ActiveTS = "", 0
			out.Cleared = append(out.Cleared, p)
		}
		states[p] = st
		if err := setJSON(txn, pointerKey(typ, p), st); err != nil {
			return Outcome{}, err
		}
	}
	for _, old := range out.Overwrote {
		od, err := getDeployment(txn, old)
		if err != nil {
			return Outcome{}, fmt.Errorf("overwritten entity %s: %w", old, err)
		}
		od.OverwrittenBy = e.ID
		if err := setJSON(txn, key(tDeployment, old), od); err != nil {
			return Outcome{}, err
		}
		for _, p := range od.Pointers {
			if contains(e.Pointers, p) {
				continue
			}
			st, err := getPointer(txn, typ, p)
			if err != nil {
				return Outcome{}, err
			}
			if st.Active == old {
				st.Active, st.ActiveTS = "", 0
				if err := setJSON(txn, pointerKey(typ, p), st); err != nil {
					return Outcome{}, err
				}
				out.Cleared = append(out.Cleared, p)
			}
		}
	}

	for _, b := range inline {
		if err := s.putBlobTxn(txn, b); err != nil {
			return Outcome{}, err
		}
	}
	for _, h := range e.Hashes() {
		if err := txn.Set(key(tHashRef, h, e.ID), nil); err != nil {
			return Outcome{}, err
		}
	}
	if err := txn.Delete(key(tFailed, e.ID)); err != nil {
		return Outcome{}, err
	}

	// Sequence, local timestamp, log entries and the record itself are set
	// under commitMu, which also enqueues the commit, so the log order is
	// the commit order. Waiting for the fsync happens outside the lock.
	s.commitMu.Lock()
	seq := s.seq + 1
	lt := time.Now().UnixMilli()
	if lt < s.lastLT {
		lt = s.lastLT
	}
	d := Deployment{Entity: *e, AuthChain: chain, LocalTimestamp: lt, Seq: seq, OverwrittenBy: out.OverwrittenBy}
	err := setJSON(txn, key(tDeployment, e.ID), &d)
	if err == nil {
		err = s.setLogKeys(txn, &d)
	}
	if err != nil {
		s.commitMu.Unlock()
		return Outcome{}, err
	}
	done := make(chan error, 1)
	txn.CommitWith(func(err error) { done <- err })
	// CommitWith has checked conflicts and queued the write. A conflict
	// comes back on done and the attempt is retried; the sequence then has
	// a gap, which is fine: it is monotonic, not dense.
	s.seq, s.lastLT = seq, lt
	s.commitMu.Unlock()
	if err := <-done; err != nil {
		return Outcome{}, err
	}
	out.LocalTimestamp, out.Seq = lt, seq
	return out, nil
}

func (s *Store) setLogKeys(txn *badger.Txn, d *Deployment) error {
	id := []byte(d.ID)
	if err := txn.Set(timeKey([]byte(tLog), d.LocalTimestamp, d.ID), id); err != nil {
		return err
	}
	if err := txn.Set(append([]byte(tSeq), be64(d.Seq)...), id); err != nil {
		return err
	}
	if err := txn.Set(timeKey([]byte(tEntityTime), d.Timestamp, d.ID), id); err != nil {
		return err
	}
	for _, p := range d.Pointers {
		if err := txn.Set(timeKey(ptrHistoryPrefix(string(d.Type), p), d.LocalTimestamp, d.ID), id); err != nil {
			return err
		}
	}
	return nil
}

// loadCounters restores the sequence and the last local timestamp.
func (s *Store) loadCounters() error {
	return s.db.View(func(txn *badger.Txn) error {
		for _, prefix := range []string{tSeq, tLog} {
			it := txn.NewIterator(badger.IteratorOptions{Reverse: true, Prefix: []byte(prefix)})
			it.Seek(append([]byte(prefix), 0xff))
			if it.Valid() {
				k := it.Item().Key()[len(prefix):]
				v := binary.BigEndian.Uint64(k[:8])
				if prefix == tSeq {
					s.seq = v
				} else {
					s.lastLT = int64(v)
				}
			}
			it.Close()
		}
		return nil
	})
}

func getPointer(txn *badger.Txn, typ, p string) (pointerState, error) {
	var st pointerState
	item, err := txn.Get(pointerKey(typ, p))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return st, nil
	}
	if err != nil {
		return st, err
	}
	return st, item.Value(func(v []byte) error { return json.Unmarshal(v, &st) })
}

func getDeployment(txn *badger.Txn, id string) (*Deployment, error) {
	item, err := txn.Get(key(tDeployment, id))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	var d Deployment
	return &d, item.Value(func(v []byte) error { return json.Unmarshal(v, &d) })
}

func setJSON(txn *badger.Txn, k []byte, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return txn.Set(k, b)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
