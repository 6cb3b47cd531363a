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

// Wire form: each message is a frame — a 4-byte big-endian length and a
// JSON array of rangeMsg — and the sides take turns, one message each.

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

// Bounds of a session, on both sides. A message is one frame of at most
// maxFrame bytes: an answer that would not fit says "ask me again" for
// the ranges it had no room for (see answer), so a session's memory does
// not grow with the difference. A side that has learnt maxNeed keys ends
// the session; it pulls them and learns the rest in the next one.
const (
	splitInto      = 16
	listBelow      = 64
	maxFrame       = 1 << 20
	maxRangesMsg   = 1 << 14
	maxRounds      = 128
	maxNeed        = 50000
	maxKeyID       = 128 // longer than any entity id
	maxOpened      = 4   // sessions this node opened, at a time (one per peer)
	maxAccepted    = 8   // sessions peers opened with this node, at a time
	maxSessions    = maxOpened + maxAccepted
	roundTimeout   = 30 * time.Second
	sessionTimeout = 2 * time.Minute
	// sessionMemory is what a session reserves from the resource manager:
	// a frame each way, their decoded ranges, and the keys learnt.
	sessionMemory = 4*maxFrame + maxNeed*160
)

// reconciler runs one side of a reconciliation over a stream.
type reconciler struct {
	items  []item
	prefix []fingerprint
	need   map[Key]bool // keys the peer has and we lack
	bytes  int64
	rounds int
	cut    bool // we ended the session with work left
}

func (rc *reconciler) fp(i, j int) fingerprint { return rc.prefix[j].xor(rc.prefix[i]) }

func (rc *reconciler) full() bool { return len(rc.need) >= maxNeed }

// answer processes the peer's ranges and returns the reply, which fits
// in one frame. Ranges are answered in order while the answers fit; the
// ranges left when the room runs out are deferred — each sent back with
// our fingerprint of it while they fit, and the rest as one range
// spanning them — and the peer splits them like any other: the work moves
// to the next rounds, never lost, and no message outgrows the frame. Keys
// the peer lists are learnt regardless.
func (rc *reconciler) answer(in []rangeMsg) []rangeMsg {
	const budget = maxFrame - 4096
	var out []rangeMsg
	used := 0
	span := func(k int) rangeMsg { // in[k:] as one range, with our fingerprint
		r := rangeMsg{Lo: in[k].Lo, Hi: in[len(in)-1].Hi}
		i, j := bounds(rc.items, r.Lo, r.Hi)
		fp := rc.fp(i, j)
		r.FP = &fp
		return r
	}
	room := func(k int) int { // what the span of in[k:] may take
		s := span(k)
		return rangeSize(&s)
	}
	for idx := range in {
		r := &in[idx]
		i, j := bounds(rc.items, r.Lo, r.Hi)
		reply := rc.respond(*r, i, j)
		size := 0
		for k := range reply {
			size += rangeSize(&reply[k])
		}
		if used+size+room(idx) <= budget || (r.Final && used <= budget) {
			out = append(out, reply...)
			used += size
			continue
		}
		// Out of room: defer in[idx:] (its keys, if a list, are learnt).
		for k := idx; k < len(in); k++ {
			rest := &in[k]
			if k > idx && rest.List {
				ri, rj := bounds(rc.items, rest.Lo, rest.Hi)
				rc.learn(*rest, ri, rj)
			}
			if rest.Final {
				continue // nothing is expected back
			}
			ri, rj := bounds(rc.items, rest.Lo, rest.Hi)
			fp := rc.fp(ri, rj)
			echo := rangeMsg{Lo: rest.Lo, Hi: rest.Hi, FP: &fp}
			if k+1 < len(in) && used+rangeSize(&echo)+room(k+1) > budget {
				return append(out, span(k))
			}
			out = append(out, echo)
			used += rangeSize(&echo)
		}
		return out
	}
	return out
}

// learn records the keys a peer's list has and we lack (items i..j are
// ours in the range, sorted: each key is a binary search, whatever the
// range holds).
func (rc *reconciler) learn(r rangeMsg, i, j int) {
	ours := rc.items[i:j]
	for _, k := range r.Keys {
		if rc.full() {
			return
		}
		at := sort.Search(len(ours), func(x int) bool { return !ours[x].key.less(k) })
		if at == len(ours) || ours[at].key != k {
			rc.need[k] = true
		}
	}
}

// respond is the reply to one range of the peer's (items i..j are ours
// within it); keys the peer lists are learnt.
func (rc *reconciler) respond(r rangeMsg, i, j int) []rangeMsg {
	switch {
	case r.List:
		rc.learn(r, i, j)
		if r.Final {
			return nil
		}
		if j-i > listBelow {
			// Too many of ours to list: the peer learns them range by range.
			return rc.split(r.Lo, r.Hi, i, j)
		}
		keys := make([]Key, 0, j-i)
		for _, it := range rc.items[i:j] {
			keys = append(keys, it.key)
		}
		return []rangeMsg{{Lo: r.Lo, Hi: r.Hi, Keys: keys, List: true, Final: true}}
	case r.FP != nil:
		if rc.fp(i, j) == *r.FP {
			return nil
		}
		return rc.split(r.Lo, r.Hi, i, j)
	}
	return nil
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

// keySize and rangeSize bound the JSON size of a key and a range (ids are
// entity ids: nothing in them needs escaping).
func keySize(k *Key) int { return len(`{"t":,"i":""}`) + 20 + len(k.ID) }

func rangeSize(r *rangeMsg) int {
	n := len(`{"lo":,"list":true,"final":true},`) + keySize(&r.Lo)
	if r.Hi != nil {
		n += len(`,"hi":`) + keySize(r.Hi)
	}
	if r.FP != nil {
		n += len(`,"fp":{"n":,"a":,"b":}`) + 3*20
	}
	if len(r.Keys) > 0 {
		n += len(`,"keys":[]`)
		for k := range r.Keys {
			n += keySize(&r.Keys[k]) + 1
		}
	}
	return n
}

// errFrameTooLarge is a message of ours past maxFrame: a bug, since
// answer keeps every message within the frame.
var errFrameTooLarge = errors.New("reconcile: a message larger than a frame")

func writeMsg(w *bufio.Writer, msg []rangeMsg) (int64, error) {
	b, err := json.Marshal(msg)
	if err != nil {
		return 0, err
	}
	if len(b) > maxFrame {
		return 0, fmt.Errorf("%w: %d bytes", errFrameTooLarge, len(b))
	}
	var l [4]byte
	binary.BigEndian.PutUint32(l[:], uint32(len(b)))
	w.Write(l[:])
	w.Write(b)
	return int64(len(b) + 4), w.Flush()
}

// readMsg reads one frame. What no honest peer sends (an oversized frame,
// malformed JSON, too many ranges, keys that are not entity keys) is
// errMisbehaved.
func readMsg(r *bufio.Reader, buf *[]byte) ([]rangeMsg, int64, error) {
	var l [4]byte
	if _, err := io.ReadFull(r, l[:]); err != nil {
		return nil, 0, err
	}
	n := binary.BigEndian.Uint32(l[:])
	if n > maxFrame {
		return nil, 0, misbehaved("reconcile: a frame of %d bytes", n)
	}
	if cap(*buf) < int(n) {
		*buf = make([]byte, n)
	}
	b := (*buf)[:n]
	if _, err := io.ReadFull(r, b); err != nil {
		return nil, 0, err
	}
	var msg []rangeMsg
	if err := json.Unmarshal(b, &msg); err != nil {
		return nil, 0, misbehaved("reconcile: %v", err)
	}
	if len(msg) > maxRangesMsg {
		return nil, 0, misbehaved("reconcile: %d ranges in a message", len(msg))
	}
	for i := range msg {
		r := &msg[i]
		if len(r.Lo.ID) > maxKeyID || (r.Hi != nil && len(r.Hi.ID) > maxKeyID) {
			return nil, 0, misbehaved("reconcile: a range bound is not a deployment key")
		}
		for _, k := range r.Keys {
			if len(k.ID) > maxKeyID || k.ID == "" {
				return nil, 0, misbehaved("reconcile: a listed key is not a deployment key")
			}
		}
	}
	return msg, int64(n) + 4, nil
}

// ReconcileResult is what one reconciliation learnt.
type ReconcileResult struct {
	Need   []Key // keys the peer holds and we lack
	Bytes  int64 // sent and received
	Rounds int
	// Truncated: the session ended at maxNeed keys or maxRounds with work
	// left; there may be more to learn.
	Truncated bool
}

// run alternates messages over s until neither side has anything to say
// (an empty message ends the session). The initiator opens with the
// fingerprint of everything.
func (rc *reconciler) run(s io.ReadWriter, initiator bool) error {
	br := bufio.NewReaderSize(s, 64<<10)
	bw := bufio.NewWriterSize(s, 64<<10)
	var buf []byte
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
	for rc.rounds = 0; ; rc.rounds++ {
		if d, ok := s.(interface{ SetDeadline(time.Time) error }); ok {
			d.SetDeadline(time.Now().Add(roundTimeout))
		}
		in, n, err := readMsg(br, &buf)
		rc.bytes += n
		if err != nil {
			return err
		}
		if len(in) == 0 {
			return nil // the peer is done
		}
		out := rc.answer(in)
		if rc.full() || rc.rounds == maxRounds-1 {
			// Enough for one session: say we are done; what is left is
			// for the next one.
			rc.cut = len(out) > 0
			out = nil
		}
		n, err = writeMsg(bw, out)
		rc.bytes += n
		if err != nil {
			return err
		}
		if len(out) == 0 {
			return nil
		}
	}
}

func (x *index) reconciler() *reconciler {
	items, prefix := x.view()
	return &reconciler{items: items, prefix: prefix, need: map[Key]bool{}}
}

// sessions admits at most one reconciliation per peer, in either
// direction, and a bounded number in each: the peers this node opens
// sessions with (it chooses them) are never crowded out by peers that
// open sessions with it.
type sessions struct {
	mu       sync.Mutex
	byPeer   map[peer.ID]bool
	opened   int // by this node
	accepted int // from peers
}

func (ss *sessions) open(p peer.ID, ours bool) bool {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.byPeer[p] || (ours && ss.opened >= maxOpened) || (!ours && ss.accepted >= maxAccepted) {
		return false
	}
	ss.byPeer[p] = true
	if ours {
		ss.opened++
	} else {
		ss.accepted++
	}
	return true
}

func (ss *sessions) close(p peer.ID, ours bool) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	delete(ss.byPeer, p)
	if ours {
		ss.opened--
	} else {
		ss.accepted--
	}
}

// reconcileWith runs a reconciliation as initiator.
func (r *Replicator) reconcileWith(ctx context.Context, p peer.ID) (ReconcileResult, error) {
	s, err := r.cfg.Host.NewStream(ctx, p, r.protocol(protoReconcile))
	if err != nil {
		return ReconcileResult{}, err
	}
	defer s.Close()
	if !r.reserve(s, sessionMemory) {
		s.Reset()
		return ReconcileResult{}, errors.New("reconcile: no stream memory left")
	}
	defer s.Scope().ReleaseMemory(sessionMemory)
	stop := context.AfterFunc(ctx, func() { s.SetDeadline(time.Now()) }) // ends a round blocked past the session's time
	defer stop()
	rc := r.index.reconciler()
	err = rc.run(s, true)
	return rc.result(), err
}

// serveReconcile answers a peer's reconciliation and fetches what it
// learns we lack.
func (r *Replicator) serveReconcile(s network.Stream) {
	p := s.Conn().RemotePeer()
	defer r.guard.Recover("reconciliation", "peer", p)
	defer s.Close()
	if err := s.Scope().SetService(serviceName(svcReconcile, r.cfg.Name)); err != nil {
		r.guard.Hit("reconcile_streams")
		s.Reset()
		return
	}
	if !r.sessions.open(p, false) {
		r.guard.Hit("reconcile_sessions")
		s.Reset()
		return
	}
	res, err := r.answerSession(s)
	r.sessions.close(p, false)
	r.settle(p, res, err)
}

// answerSession runs the responder's side of a session on s.
func (r *Replicator) answerSession(s network.Stream) (ReconcileResult, error) {
	if !r.reserve(s, sessionMemory) {
		s.Reset()
		return ReconcileResult{}, errors.New("reconcile: no stream memory left")
	}
	defer s.Scope().ReleaseMemory(sessionMemory)
	end := time.AfterFunc(sessionTimeout, func() { s.SetDeadline(time.Now()) })
	defer end.Stop()
	rc := r.index.reconciler()
	err := rc.run(s, false)
	if err != nil {
		s.Reset()
	}
	return rc.result(), err
}

func (rc *reconciler) result() ReconcileResult {
	need := make([]Key, 0, len(rc.need))
	for k := range rc.need {
		need = append(need, k)
	}
	sort.Slice(need, func(i, j int) bool { return need[i].less(need[j]) })
	return ReconcileResult{Need: need, Bytes: rc.bytes, Rounds: rc.rounds, Truncated: rc.full() || rc.cut}
}
