package store

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
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
	// Origin is where the deployment came from ("local", "synced"; ""
	// for deployments stored before origins were kept).
	Origin string `json:"origin,omitempty"`
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

// write is one deployment, or events, waiting for the writer.
type write struct {
	e      *entity.Entity
	chain  authchain.Chain
	origin string
	blobs  []Blob  // inline blobs and references to blob files in place
	events []Event // events to append (a write of events has no entity)
	size   int64   // inline bytes
	done   chan writeResult
}

type writeResult struct {
	out  Outcome
	seqs []uint64 // of the events appended
	err  error
}

// maxBatch bounds the deployments of one commit; maxBatchBytes their
// inline content (Badger refuses transactions past ~15% of a memtable).
const (
	maxBatch      = 256
	maxBatchBytes = 4 << 20
)

// Deploy stores an entity and its content in one atomic, durable step and
// updates the pointers: the greatest (timestamp, id) wins; an older entity
// is kept as history and touches no pointer. blobs are the content files
// (the entity file among them); those stored already are skipped. The
// caller has validated everything.
//
// All writes go through one writer goroutine, which applies the
// deployments waiting at a time in order, in one transaction, with one
// fsync (group commit): concurrent deployments share the cost of
// durability, and no two transactions ever race on a pointer.
//
// The deployment's event (catalyst-deployment/<type>) is appended to the
// event log in the same transaction.
func (s *Store) Deploy(ctx context.Context, e *entity.Entity, chain authchain.Chain, blobs []Blob) (Outcome, error) {
	return s.DeployFrom(ctx, "", e, chain, blobs)
}

// DeployFrom is Deploy recording where the deployment came from.
func (s *Store) DeployFrom(ctx context.Context, origin string, e *entity.Entity, chain authchain.Chain, blobs []Blob) (Outcome, error) {
	inline, err := s.prepareBlobs(ctx, blobs)
	if err != nil {
		return Outcome{}, err
	}
	w := &write{e: e, chain: chain, origin: origin, blobs: inline, done: make(chan writeResult, 1)}
	for _, b := range inline {
		if b.Size <= s.threshold {
			w.size += b.Size
		}
	}
	select {
	case s.writes <- w:
	case <-s.done:
		return Outcome{}, fmt.Errorf("store: deploy %s: %w", e.ID, ErrClosed)
	case <-ctx.Done():
		return Outcome{}, fmt.Errorf("store: deploy %s: %w", e.ID, ctx.Err())
	}
	// Once queued, the write happens; wait for it even if ctx ends, so the
	// answer says what happened.
	r := <-w.done
	if r.err != nil {
		return Outcome{}, fmt.Errorf("store: deploy %s: %w", e.ID, r.err)
	}
	return r.out, nil
}

// writer applies queued deployments in batches until the store closes.
func (s *Store) writer() {
	defer s.bg.Done()
	for {
		var first *write
		select {
		case first = <-s.writes:
		case <-s.done:
			return
		}
		batch := []*write{first}
		size := first.size
	more:
		for len(batch) < maxBatch {
			select {
			case w := <-s.writes:
				if size+w.size > maxBatchBytes {
					s.commitBatch(batch)
					batch, size = nil, 0
				}
				batch = append(batch, w)
				size += w.size
			default:
				break more
			}
		}
		s.commitBatch(batch)
	}
}

// commitBatch applies a batch in one transaction. A deployment that fails
// to apply is answered with its error and the rest are applied without it.
func (s *Store) commitBatch(batch []*write) {
	for len(batch) > 0 {
		results, failed, err := s.applyBatch(batch)
		if failed >= 0 {
			batch[failed].done <- writeResult{err: err}
			batch = append(batch[:failed:failed], batch[failed+1:]...)
			continue
		}
		for i, w := range batch {
			if err != nil {
				w.done <- writeResult{err: err}
			} else {
				w.done <- writeResult{out: results[i].out, seqs: results[i].seqs}
			}
		}
		return
	}
}

// applyBatch returns per-deployment outcomes, or the index of the one that
// could not be applied, or an error of the commit as a whole.
func (s *Store) applyBatch(batch []*write) ([]writeResult, int, error) {
	txn := s.db.NewTransaction(true)
	defer txn.Discard()
	results := make([]writeResult, len(batch))
	s.countersMu.Lock()
	seq, lastLT, counts, eventSeq := s.seq, s.lastLT, maps.Clone(s.counts), s.eventSeq
	s.countersMu.Unlock()
	seen := map[string]uint64{}
	for i, w := range batch {
		if w.e == nil { // events only
			for _, ev := range w.events {
				n, err := appendEventTxn(txn, &eventSeq, storedEvent{Event: ev}, seen)
				if err != nil {
					return nil, i, err
				}
				results[i].seqs = append(results[i].seqs, n)
			}
			continue
		}
		out, err := s.apply(txn, w)
		if err != nil {
			return nil, i, err
		}
		count(counts, w.e.Type, out)
		if !out.Existed {
			seq++
			lt := max(time.Now().UnixMilli(), lastLT)
			d := Deployment{Entity: *w.e, AuthChain: w.chain, LocalTimestamp: lt, Seq: seq, OverwrittenBy: out.OverwrittenBy, Origin: w.origin}
			if err := setJSON(txn, key(tDeployment, w.e.ID), &d); err != nil {
				return nil, i, err
			}
			if err := s.setLogKeys(txn, &d); err != nil {
				return nil, i, err
			}
			n, err := appendEventTxn(txn, &eventSeq, deploymentEvent(&d), seen)
			if err != nil {
				return nil, i, err
			}
			out.LocalTimestamp, out.Seq, lastLT = lt, seq, lt
			results[i].seqs = []uint64{n}
		}
		results[i].out = out
	}
	if err := setJSON(txn, countsKey, counts); err != nil {
		return nil, -1, err
	}
	if err := txn.Commit(); err != nil {
		return nil, -1, err
	}
	s.countersMu.Lock()
	s.seq, s.lastLT, s.counts = seq, lastLT, counts
	if eventSeq != s.eventSeq {
		s.eventSeq = eventSeq
		close(s.eventsGrew)
		s.eventsGrew = make(chan struct{})
	}
	s.countersMu.Unlock()
	return results, -1, nil
}

// apply computes one deployment's effect inside the batch transaction
// (which sees the writes of the deployments before it in the batch).
func (s *Store) apply(txn *badger.Txn, w *write) (Outcome, error) {
	e := w.e
	var out Outcome
	if d, err := getDeployment(txn, e.ID); err == nil {
		return Outcome{Existed: true, LocalTimestamp: d.LocalTimestamp, Seq: d.Seq, Active: d.Active(), OverwrittenBy: d.OverwrittenBy}, nil
	} else if !errors.Is(err, ErrNotFound) {
		return out, err
	}

	typ := string(e.Type)
	pointers := s.PointerKeys(e)
	states := make(map[string]pointerState, len(pointers))
	var newerTS int64
	for _, p := range pointers {
		st, err := getPointer(txn, typ, p)
		if err != nil {
			return out, err
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
	for _, p := range pointers {
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
			return out, err
		}
	}
	for _, old := range out.Overwrote {
		od, err := getDeployment(txn, old)
		if err != nil {
			return out, fmt.Errorf("overwritten entity %s: %w", old, err)
		}
		od.OverwrittenBy = e.ID
		if err := setJSON(txn, key(tDeployment, old), od); err != nil {
			return out, err
		}
		for _, p := range s.PointerKeys(&od.Entity) {
			if contains(pointers, p) {
				continue
			}
			st, err := getPointer(txn, typ, p)
			if err != nil {
				return out, err
			}
			if st.Active == old {
				st.Active, st.ActiveTS = "", 0
				if err := setJSON(txn, pointerKey(typ, p), st); err != nil {
					return out, err
				}
				out.Cleared = append(out.Cleared, p)
			}
		}
	}

	for _, b := range w.blobs {
		if err := s.putBlobTxn(txn, b); err != nil {
			return out, err
		}
	}
	for _, h := range e.Hashes() {
		if err := txn.Set(key(tHashRef, h, e.ID), nil); err != nil {
			return out, err
		}
	}
	// A blind delete (no read: nothing to conflict with a failure being
	// recorded meanwhile); its time index key goes stale and is skipped.
	if err := txn.Delete(key(tFailed, e.ID)); err != nil {
		return out, err
	}

	return out, nil
}

// PointerKeys are the keys of an entity's pointers: its pointers, under
// the scope the store's PointerScope gives them.
func (s *Store) PointerKeys(e *entity.Entity) []string {
	if s.opts.PointerScope == nil {
		return e.Pointers
	}
	scope := s.opts.PointerScope(e)
	out := make([]string, len(e.Pointers))
	for i, p := range e.Pointers {
		out[i] = scope + p
	}
	return out
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
	for _, p := range s.PointerKeys(&d.Entity) {
		if err := txn.Set(timeKey(ptrHistoryPrefix(string(d.Type), p), d.LocalTimestamp, d.ID), id); err != nil {
			return err
		}
	}
	return nil
}

// loadCounters restores the sequence and the last local timestamp.
func (s *Store) loadCounters() error {
	return s.db.View(func(txn *badger.Txn) error {
		for _, prefix := range []string{tSeq, tLog, tEvent} {
			it := txn.NewIterator(badger.IteratorOptions{Reverse: true, Prefix: []byte(prefix)})
			it.Seek(append([]byte(prefix), 0xff))
			if it.Valid() {
				k := it.Item().Key()[len(prefix):]
				v := binary.BigEndian.Uint64(k[:8])
				switch prefix {
				case tSeq:
					s.seq = v
				case tLog:
					s.lastLT = int64(v)
				case tEvent:
					s.eventSeq = v
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
