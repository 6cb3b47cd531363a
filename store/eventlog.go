package store

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/dgraph-io/badger/v4"

	"github.com/p2pcatalyst/catalyst/store/authchain"
	"github.com/p2pcatalyst/catalyst/store/entity"
)

// The event log: platform events (@dcl/schemas: type, subType, key,
// timestamp, metadata) in the order they were committed, numbered from 1.
// It lives here, beside the deployments, because an applied deployment's
// event is written in the deployment's own transaction — a crash can
// lose neither without the other — and because one writer numbers both,
// so a reader that has seen event n has seen every event before it.
// store/events builds the bus (cursors, consumers) on top.
//
//	v/<seq>   an event (a deployment's holds a reference to it)
//	k/<key>   the seq of the event with that key (publishing is idempotent)
//	w/<name>  a consumer's cursor: the last seq it handled
const (
	tEvent    = "v/"
	tEventKey = "k/"
	tCursor   = "w/"
)

// Event is a platform event.
type Event struct {
	Type      string          `json:"type"`
	SubType   string          `json:"subType"`
	Key       string          `json:"key"`
	Timestamp int64           `json:"timestamp"` // ms
	Metadata  json.RawMessage `json:"metadata"`
}

// StoredEvent is an event with its place in the log.
type StoredEvent struct {
	Seq uint64
	Event
	// Deployment is a deployment event's deployment, parsed (what its
	// Metadata holds), shared by every reader: read it, never change it.
	Deployment *Deployment
}

// resolved is a deployment event's metadata and deployment.
type resolved struct {
	meta json.RawMessage
	d    *Deployment
}

// storedEvent is an event as written: a deployment's event refers to the
// deployment instead of repeating it.
type storedEvent struct {
	Event
	Ref string `json:"ref,omitempty"`
}

// DeploymentEventType is the type of the events of applied deployments;
// their subType is the entity type.
const DeploymentEventType = "catalyst-deployment"

func eventKey(seq uint64) []byte {
	k := make([]byte, len(tEvent)+8)
	copy(k, tEvent)
	binary.BigEndian.PutUint64(k[len(tEvent):], seq)
	return k
}

// MaxEventBytes bounds one event's encoding.
const MaxEventBytes = 64 << 10

// ErrEventTooLarge is an event past MaxEventBytes.
var ErrEventTooLarge = errors.New("store: event too large")

// AppendEvents appends events durably, in order, and returns their seqs.
// An event whose key the log already holds is not appended again: its
// seq is the earlier one's.
func (s *Store) AppendEvents(ctx context.Context, evs []Event) ([]uint64, error) {
	var size int64
	for _, e := range evs {
		if e.Key == "" || e.Type == "" {
			return nil, errors.New("store: an event needs a type and a key")
		}
		size += int64(len(e.Metadata) + len(e.Key) + len(e.Type) + len(e.SubType))
		if len(e.Metadata) > MaxEventBytes {
			return nil, ErrEventTooLarge
		}
	}
	w := &write{events: evs, size: size, done: make(chan writeResult, 1)}
	select {
	case s.writes <- w:
	case <-s.done:
		return nil, fmt.Errorf("store: append events: %w", ErrClosed)
	case <-ctx.Done():
		return nil, fmt.Errorf("store: append events: %w", ctx.Err())
	}
	r := <-w.done
	if r.err != nil {
		return nil, fmt.Errorf("store: append events: %w", r.err)
	}
	return r.seqs, nil
}

// appendEventTxn writes one event at the next seq unless its key is
// there; seen holds the keys of this batch.
func appendEventTxn(txn *badger.Txn, next *uint64, ev storedEvent, seen map[string]uint64) (uint64, error) {
	if seq, ok := seen[ev.Key]; ok {
		return seq, nil
	}
	item, err := txn.Get(key(tEventKey, ev.Key))
	if err == nil {
		var seq uint64
		err = item.Value(func(v []byte) error {
			if len(v) == 8 {
				seq = binary.BigEndian.Uint64(v)
			}
			return nil
		})
		return seq, err
	}
	if !errors.Is(err, badger.ErrKeyNotFound) {
		return 0, err
	}
	raw, err := json.Marshal(ev)
	if err != nil {
		return 0, err
	}
	*next++
	seq := *next
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], seq)
	if err := txn.Set(eventKey(seq), raw); err != nil {
		return 0, err
	}
	if err := txn.Set(key(tEventKey, ev.Key), b[:]); err != nil {
		return 0, err
	}
	seen[ev.Key] = seq
	return seq, nil
}

// deploymentEvent is the event of an applied deployment (a reference;
// ReadEvents fills in the entity and its chain).
func deploymentEvent(d *Deployment) storedEvent {
	return storedEvent{Event: Event{Type: DeploymentEventType, SubType: string(d.Type), Key: "deployment-" + d.ID, Timestamp: d.LocalTimestamp}, Ref: d.ID}
}

// LastEventSeq is the seq of the newest event (0: none).
func (s *Store) LastEventSeq() uint64 {
	s.countersMu.Lock()
	defer s.countersMu.Unlock()
	return s.eventSeq
}

// EventsAfter returns a channel closed once the log holds an event past
// seq (at once when it does already).
func (s *Store) EventsAfter(seq uint64) <-chan struct{} {
	s.countersMu.Lock()
	defer s.countersMu.Unlock()
	if s.eventSeq > seq {
		ch := make(chan struct{})
		close(ch)
		return ch
	}
	return s.eventsGrew
}

// ReadEvents returns up to limit events after seq, in order. A
// deployment's event carries {entity, authChain, origin}; its metadata is
// shared by every reader (do not modify it).
func (s *Store) ReadEvents(ctx context.Context, after uint64, limit int) ([]StoredEvent, error) {
	var out []StoredEvent
	err := s.view(ctx, "read events", func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(tEvent), PrefetchValues: true, PrefetchSize: min(limit, 256)})
		defer it.Close()
		for it.Seek(eventKey(after + 1)); it.Valid() && len(out) < limit; it.Next() {
			k := it.Item().Key()
			seq := binary.BigEndian.Uint64(k[len(tEvent):])
			var se storedEvent
			if err := it.Item().Value(func(v []byte) error { return json.Unmarshal(v, &se) }); err != nil {
				return fmt.Errorf("event %d: %w", seq, err)
			}
			var dep *Deployment
			if se.Ref != "" {
				r, ok := s.eventMeta.Get(se.Ref)
				if !ok {
					d, err := getDeployment(txn, se.Ref)
					if err != nil {
						return fmt.Errorf("event %d: deployment %s: %w", seq, se.Ref, err)
					}
					meta, err := json.Marshal(struct {
						Entity    entity.Entity   `json:"entity"`
						AuthChain authchain.Chain `json:"authChain"`
						Origin    string          `json:"origin,omitempty"`
					}{d.Entity, d.AuthChain, d.Origin})
					if err != nil {
						return err
					}
					r = resolved{meta, d}
					s.eventMeta.Add(se.Ref, r)
				}
				se.Metadata, dep = r.meta, r.d
			}
			out = append(out, StoredEvent{Seq: seq, Event: se.Event, Deployment: dep})
		}
		return nil
	})
	return out, err
}

// Cursor is the last seq the named consumer handled (0: none).
func (s *Store) Cursor(name string) (uint64, error) {
	var seq uint64
	err := s.view(context.Background(), "read cursor "+name, func(txn *badger.Txn) error {
		item, err := txn.Get(key(tCursor, name))
		if errors.Is(err, badger.ErrKeyNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		return item.Value(func(v []byte) error {
			if len(v) == 8 {
				seq = binary.BigEndian.Uint64(v)
			}
			return nil
		})
	})
	return seq, err
}

// SetCursor records that the named consumer handled every event up to
// seq (durably: a restart resumes after it).
func (s *Store) SetCursor(name string, seq uint64) error {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], seq)
	return s.db.Update(func(txn *badger.Txn) error { return txn.Set(key(tCursor, name), b[:]) })
}

// PruneEvents deletes the events up to seq (and their keys), at most
// limit of them; it returns how many went.
func (s *Store) PruneEvents(ctx context.Context, upTo uint64, limit int) (int, error) {
	var seqs []uint64
	var keys []string
	err := s.view(ctx, "read old events", func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(tEvent), PrefetchValues: true})
		defer it.Close()
		for it.Rewind(); it.Valid() && len(seqs) < limit; it.Next() {
			seq := binary.BigEndian.Uint64(it.Item().Key()[len(tEvent):])
			if seq > upTo {
				break
			}
			var se storedEvent
			if err := it.Item().Value(func(v []byte) error { return json.Unmarshal(v, &se) }); err != nil {
				return err
			}
			seqs, keys = append(seqs, seq), append(keys, se.Key)
		}
		return nil
	})
	if err != nil || len(seqs) == 0 {
		return 0, err
	}
	wb := s.db.NewWriteBatch()
	defer wb.Cancel()
	for i, seq := range seqs {
		if err := wb.Delete(eventKey(seq)); err != nil {
			return 0, err
		}
		if err := wb.Delete(key(tEventKey, keys[i])); err != nil {
			return 0, err
		}
	}
	return len(seqs), wb.Flush()
}

// FirstEventSeq is the seq of the oldest event kept (0: none).
func (s *Store) FirstEventSeq() uint64 {
	var seq uint64
	s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(tEvent)})
		defer it.Close()
		it.Rewind()
		if it.Valid() {
			seq = binary.BigEndian.Uint64(it.Item().Key()[len(tEvent):])
		}
		return nil
	})
	return seq
}
