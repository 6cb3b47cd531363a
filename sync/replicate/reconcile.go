package replicate

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
)

// Range-based set reconciliation (after Meyer's "Range-Based Set
// Reconciliation", as negentropy does it) of the deployment keys
// (entity timestamp, entity id) two peers hold. Each side sends, for a
// range of keys, a fingerprint (count and XOR of key hashes); where the
// fingerprints differ the receiver splits the range into sub-ranges with
// fingerprints of their own, or, once a range is small, lists its keys.
// Equal ranges are dropped at once, so the rounds and bytes grow with the
// difference (times the log of the set), not with the set.

// Key orders deployments: by entity timestamp, then lower-cased id.
type Key struct {
	TS int64  `json:"t"`
	ID string `json:"i"`
}

func (k Key) less(o Key) bool {
	if k.TS != o.TS {
		return k.TS < o.TS
	}
	return k.ID < o.ID
}

func keyOf(ts int64, id string) Key { return Key{ts, strings.ToLower(id)} }

type fingerprint struct {
	Count int    `json:"n"`
	A     uint64 `json:"a"`
	B     uint64 `json:"b"`
}

func (f fingerprint) xor(o fingerprint) fingerprint {
	return fingerprint{f.Count - o.Count, f.A ^ o.A, f.B ^ o.B}
}

type item struct {
	key  Key
	a, b uint64
	id   string // as stored (case preserved)
}

// index is the sorted set of local deployment keys with prefix
// fingerprints, so that any range's fingerprint costs two binary searches.
// Keys arriving in order (new deployments) are appended; others (synced
// history) wait in pending and are merged in one pass when a
// reconciliation next reads the index.
type index struct {
	mu      sync.Mutex
	items   []item
	prefix  []fingerprint // prefix[i] covers items[:i]; nil when stale
	pending []item
	keys    map[Key]bool // every key, to make add idempotent
}

func newItem(ts int64, id string) item {
	h := sha256.Sum256([]byte(strings.ToLower(id)))
	return item{key: keyOf(ts, id), a: binary.BigEndian.Uint64(h[:8]), b: binary.BigEndian.Uint64(h[8:16]), id: id}
}

// add inserts a key (idempotent).
func (x *index) add(ts int64, id string) {
	it := newItem(ts, id)
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.keys == nil {
		x.keys = map[Key]bool{}
	}
	if x.keys[it.key] {
		return
	}
	x.keys[it.key] = true
	n := len(x.items)
	if len(x.pending) == 0 && (n == 0 || x.items[n-1].key.less(it.key)) {
		// Appending never touches elements readers hold (see view).
		x.items = append(x.items, it)
		if x.prefix != nil {
			last := x.prefix[len(x.prefix)-1]
			x.prefix = append(x.prefix, fingerprint{last.Count + 1, last.A ^ it.a, last.B ^ it.b})
		}
		return
	}
	x.pending = append(x.pending, it)
}

func (x *index) len() int {
	x.mu.Lock()
	defer x.mu.Unlock()
	return len(x.items) + len(x.pending)
}

// view returns the items and prefix fingerprints, merging pending keys and
// rebuilding the prefix if needed. Existing elements are never modified
// (merges build new slices, appends write past readers' length), so readers
// may use the slices without the lock.
func (x *index) view() ([]item, []fingerprint) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if len(x.pending) > 0 {
		sort.Slice(x.pending, func(i, j int) bool { return x.pending[i].key.less(x.pending[j].key) })
		merged := make([]item, 0, len(x.items)+len(x.pending)+1024)
		i, j := 0, 0
		for i < len(x.items) || j < len(x.pending) {
			if j == len(x.pending) || (i < len(x.items) && x.items[i].key.less(x.pending[j].key)) {
				merged = append(merged, x.items[i])
				i++
			} else {
				merged = append(merged, x.pending[j])
				j++
			}
		}
		x.items, x.pending, x.prefix = merged, nil, nil
	}
	if x.prefix == nil {
		p := make([]fingerprint, len(x.items)+1, len(x.items)+1+1024)
		for i, it := range x.items {
			p[i+1] = fingerprint{p[i].Count + 1, p[i].A ^ it.a, p[i].B ^ it.b}
		}
		x.prefix = p
	}
	return x.items, x.prefix
}

// bounds returns [i, j) of the items within [lo, hi); hi nil is +∞.
func bounds(items []item, lo Key, hi *Key) (int, int) {
	i := sort.Search(len(items), func(i int) bool { return !items[i].key.less(lo) })
	j := len(items)
	if hi != nil {
		j = sort.Search(len(items), func(k int) bool { return !items[k].key.less(*hi) })
	}
	if j < i {
		j = i
	}
	return i, j
}

// rangeMsg is one range of a reconciliation message.
type rangeMsg struct {
	Lo   Key          `json:"lo"`
	Hi   *Key         `json:"hi,omitempty"` // nil: +∞
	FP   *fingerprint `json:"fp,omitempty"` // the sender's fingerprint of the range
	Keys []Key        `json:"keys,omitempty"`
	// List marks Keys as the sender's complete list for the range; the
	// receiver answers with its own list unless Final.
	List  bool `json:"list,omitempty"`
	Final bool `json:"final,omitempty"`
}

const (
	splitInto    = 16
	listBelow    = 64
	maxRounds    = 64
	maxRangesMsg = 1 << 20
)

// reconciler runs one side of a reconciliation over a stream.
type reconciler struct {
	items  []item
	prefix []fingerprint
	need   map[Key]bool // keys the peer has and we lack
	bytes  int64
	rounds int
}

func (rc *reconciler) fp(i, j int) fingerprint { return rc.prefix[j].xor(rc.prefix[i]) }

// answer processes the peer's ranges and returns the reply.
func (rc *reconciler) answer(in []rangeMsg) []rangeMsg {
	var out []rangeMsg
	for _, r := range in {
		i, j := bounds(rc.items, r.Lo, r.Hi)
		switch {
		case r.List:
			mine := map[Key]bool{}
			for _, it := range rc.items[i:j] {
				mine[it.key] = true
			}
			for _, k := range r.Keys {
				if !mine[k] {
					rc.need[k] = true
				}
			}
			if !r.Final {
				keys := make([]Key, 0, j-i)
				for _, it := range rc.items[i:j] {
					keys = append(keys, it.key)
				}
				out = append(out, rangeMsg{Lo: r.Lo, Hi: r.Hi, Keys: keys, List: true, Final: true})
			}
		case r.FP != nil:
			if rc.fp(i, j) == *r.FP {
				continue
			}
			out = append(out, rc.split(r.Lo, r.Hi, i, j)...)
		}
	}
	return out
}

// split describes [lo, hi) (items i..j) as a list if small, else as
// sub-ranges with fingerprints.
func (rc *reconciler) split(lo Key, hi *Key, i, j int) []rangeMsg {
	n := j - i
	if n <= listBelow {
		keys := make([]Key, 0, n)
		for _, it := range rc.items[i:j] {
			keys = append(keys, it.key)
		}
		return []rangeMsg{{Lo: lo, Hi: hi, Keys: keys, List: true}}
	}
	out := make([]rangeMsg, 0, splitInto)
	start, cur := i, lo
	for k := 1; k <= splitInto; k++ {
		end := i + n*k/splitInto
		var next *Key
		if k < splitInto {
			nk := rc.items[end].key
			next = &nk
		} else {
			next = hi
		}
		fp := rc.fp(start, end)
		out = append(out, rangeMsg{Lo: cur, Hi: next, FP: &fp})
		if next != nil {
			cur = *next
		}
		start = end
	}
	return out
}

func writeMsg(w *bufio.Writer, msg []rangeMsg) (int64, error) {
	b, err := json.Marshal(msg)
	if err != nil {
		return 0, err
	}
	var l [4]byte
	binary.BigEndian.PutUint32(l[:], uint32(len(b)))
	w.Write(l[:])
	w.Write(b)
	return int64(len(b) + 4), w.Flush()
}

const maxMsgBytes = 64 << 20

func readMsg(r *bufio.Reader) ([]rangeMsg, int64, error) {
	var l [4]byte
	if _, err := io.ReadFull(r, l[:]); err != nil {
		return nil, 0, err
	}
	n := binary.BigEndian.Uint32(l[:])
	if n > maxMsgBytes {
		return nil, 0, fmt.Errorf("reconcile: message of %d bytes", n)
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		return nil, 0, err
	}
	var msg []rangeMsg
	if err := json.Unmarshal(b, &msg); err != nil {
		return nil, 0, err
	}
	if len(msg) > maxRangesMsg {
		return nil, 0, errors.New("reconcile: too many ranges")
	}
	return msg, int64(n) + 4, nil
}

// ReconcileResult is what one reconciliation learnt.
type ReconcileResult struct {
	Need   []Key // keys the peer holds and we lack
	Bytes  int64 // sent and received
	Rounds int
}

// run alternates messages over s until neither side has anything to say.
// The initiator opens with the fingerprint of everything.
func (rc *reconciler) run(s io.ReadWriter, initiator bool) error {
	br := bufio.NewReaderSize(s, 64<<10)
	bw := bufio.NewWriterSize(s, 64<<10)
	if initiator {
		msg := rc.split(Key{}, nil, 0, len(rc.items))
		if len(rc.items) > listBelow {
			fp := rc.fp(0, len(rc.items))
			msg = []rangeMsg{{Lo: Key{}, FP: &fp}}
		}
		n, err := writeMsg(bw, msg)
		rc.bytes += n
		if err != nil {
			return err
		}
	}
	for rc.rounds = 0; rc.rounds < maxRounds; rc.rounds++ {
		if d, ok := s.(interface{ SetDeadline(time.Time) error }); ok {
			d.SetDeadline(time.Now().Add(30 * time.Second))
		}
		in, n, err := readMsg(br)
		rc.bytes += n
		if err != nil {
			return err
		}
		if len(in) == 0 {
			return nil // the peer is done
		}
		out := rc.answer(in)
		n, err = writeMsg(bw, out)
		rc.bytes += n
		if err != nil {
			return err
		}
		if len(out) == 0 {
			return nil
		}
	}
	return errors.New("reconcile: too many rounds")
}

func (x *index) reconciler() *reconciler {
	items, prefix := x.view()
	return &reconciler{items: items, prefix: prefix, need: map[Key]bool{}}
}

// reconcileWith runs a reconciliation as initiator.
func (r *Replicator) reconcileWith(ctx context.Context, p peer.ID) (ReconcileResult, error) {
	s, err := r.cfg.Host.NewStream(ctx, p, r.cfg.Host.Protocol(protoReconcile))
	if err != nil {
		return ReconcileResult{}, err
	}
	defer s.Close()
	rc := r.index.reconciler()
	err = rc.run(s, true)
	return rc.result(), err
}

// serveReconcile answers a peer's reconciliation and fetches what it
// learns we lack.
func (r *Replicator) serveReconcile(s network.Stream) {
	defer s.Close()
	rc := r.index.reconciler()
	if err := rc.run(s, false); err != nil {
		s.Reset()
		return
	}
	res := rc.result()
	r.metrics.reconcileBytes.Add(float64(res.Bytes))
	if len(res.Need) > 0 {
		r.pull(s.Conn().RemotePeer(), res.Need)
	}
	r.markReconciled()
}

func (rc *reconciler) result() ReconcileResult {
	need := make([]Key, 0, len(rc.need))
	for k := range rc.need {
		need = append(need, k)
	}
	sort.Slice(need, func(i, j int) bool { return need[i].less(need[j]) })
	return ReconcileResult{Need: need, Bytes: rc.bytes, Rounds: rc.rounds}
}
