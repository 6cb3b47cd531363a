package chain

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/events"
)

// The events the indexer reads (marketplace-squid's, of the contracts it
// indexes).
var (
	evTransfer        = topic("Transfer(address,address,uint256)")
	evTransferLAND    = topic("Transfer(address,address,uint256,address,bytes)")
	evTransferLAND2   = topic("Transfer(address,address,uint256,address,bytes,bytes)")
	evApproval        = topic("Approval(address,address,uint256)")
	evApprovalForAll  = topic("ApprovalForAll(address,address,bool)")
	evUpdateOperator  = topic("UpdateOperator(uint256,address)")
	evUpdateManager   = topic("UpdateManager(address,address,address,bool)")
	evAddLand         = topic("AddLand(uint256,uint256)")
	evRemoveLand      = topic("RemoveLand(uint256,uint256,address)")
	evNameRegistered  = topic("NameRegistered(address,address,bytes32,string,uint256)")
	evProxyCreated    = topic("ProxyCreated(address,bytes32)")
	evIssue           = topic("Issue(address,uint256,uint256,uint256,address)")
	evIssueV1         = topic("Issue(address,uint256,bytes32,string,uint256)")
	evAddItem         = topic("AddItem(uint256,(string,uint256,uint256,uint256,address,string,string))")
	evSetApproved     = topic("SetApproved(bool,bool)")
	evCreatorship     = topic("CreatorshipTransferred(address,address)")
	l1Topics          = []common.Hash{evTransfer, evTransferLAND, evTransferLAND2, evApproval, evApprovalForAll, evUpdateOperator, evUpdateManager, evAddLand, evRemoveLand, evNameRegistered, evIssueV1}
	l2Topics          = []common.Hash{evTransfer, evApproval, evApprovalForAll, evProxyCreated, evIssue, evAddItem, evSetApproved, evCreatorship}
	evNames           = map[common.Hash]string{}
	nameRegisteredABI = mustArgs("string", "uint256")
	addItemABI        = mustArgs("(string,uint256,uint256,uint256,address,string,string)")
	issueV1ABI        = mustArgs("string", "uint256")
)

func init() {
	for name, h := range map[string]common.Hash{
		"Transfer": evTransfer, "TransferLAND": evTransferLAND, "TransferLAND2": evTransferLAND2, "Approval": evApproval,
		"ApprovalForAll": evApprovalForAll, "UpdateOperator": evUpdateOperator, "UpdateManager": evUpdateManager,
		"AddLand": evAddLand, "RemoveLand": evRemoveLand, "NameRegistered": evNameRegistered, "ProxyCreated": evProxyCreated,
		"Issue": evIssue, "IssueV1": evIssueV1, "AddItem": evAddItem, "SetApproved": evSetApproved, "CreatorshipTransferred": evCreatorship,
	} {
		evNames[h] = name
	}
}

func topic(sig string) common.Hash { return crypto.Keccak256Hash([]byte(sig)) }

// sources is what one chain's indexer reads: fixed contracts, and
// factories whose ProxyCreated events add collections.
type sources struct {
	fixed     []Contract
	factories []Contract
	topics    []common.Hash
	store     common.Address // the collection store: its Issues are sales
}

func l1Sources(c Contracts) sources {
	s := sources{topics: l1Topics}
	for _, k := range []Contract{c.LAND, c.Estate, c.Registrar} {
		if k.set() {
			s.fixed = append(s.fixed, k)
		}
	}
	for _, k := range c.CollectionsV1 {
		s.fixed = append(s.fixed, k)
	}
	return s
}

func l2Sources(c Contracts) sources {
	return sources{topics: l2Topics, factories: c.CollectionFactories, store: c.CollectionStore.Address}
}

// Indexer reads one chain's ownership events into the store: from a
// checkpoint, in windows of blocks that stay Confirmations behind the
// head, each window's changes and the new checkpoint in one transaction.
// Near the head every window also keeps what it overwrote (an undo
// journal), so a reorganisation deeper than the confirmations is undone
// when the checkpoint's block is no longer canonical.
type Indexer struct {
	s       *Service
	c       *Client
	src     sources
	depth   uint64
	every   time.Duration
	indexed atomic.Uint64
	span    atomic.Int64 // blocks per window
	// progress is closed and replaced after every applied window.
	progress chan struct{}
	// report is the last progress line: when, at which block, logs since.
	report struct {
		at    time.Time
		block uint64
		logs  int
	}

	mu          sync.Mutex
	collections map[common.Address]bool // factory-made collections known

	cancel context.CancelFunc
	done   chan struct{}
}

// journalHorizon is how many blocks behind the head windows keep an undo
// journal.
const journalHorizon = 2048

func newIndexer(s *Service, c *Client, src sources, depth uint64) *Indexer {
	every := 12 * time.Second
	if depth == 0 {
		depth = 12
		if c.name == "polygon" {
			depth, every = 64, 4*time.Second
		}
	}
	if s.cfg.PollEvery > 0 {
		every = s.cfg.PollEvery
	}
	ix := &Indexer{s: s, c: c, src: src, depth: depth, every: every, collections: map[common.Address]bool{}, progress: make(chan struct{})}
	ix.span.Store(2000)
	return ix
}

// WaitFor waits until the indexer has read block n.
func (ix *Indexer) WaitFor(ctx context.Context, n uint64) error {
	for {
		ix.mu.Lock()
		ch := ix.progress
		ix.mu.Unlock()
		if ix.indexed.Load() >= n {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("chain: the %s indexer is at block %d, not %d: %w", ix.c.name, ix.indexed.Load(), n, ctx.Err())
		case <-ch:
		}
	}
}

func (ix *Indexer) advanced(n uint64) {
	ix.indexed.Store(n)
	ix.s.m.indexed.WithLabelValues(ix.c.name).Set(float64(n))
	ix.mu.Lock()
	close(ix.progress)
	ix.progress = make(chan struct{})
	ix.mu.Unlock()
}

// Indexed is the last block read.
func (ix *Indexer) Indexed() uint64 { return ix.indexed.Load() }

func (ix *Indexer) start() {
	ctx, cancel := context.WithCancel(context.Background())
	ix.cancel, ix.done = cancel, make(chan struct{})
	go func() {
		defer close(ix.done)
		ix.run(ctx)
	}()
}

func (ix *Indexer) stop() {
	if ix.cancel != nil {
		ix.cancel()
		<-ix.done
	}
}

func (ix *Indexer) run(ctx context.Context) {
	log := ix.c.log.With("part", "indexer")
	for {
		caughtUp, err := ix.safeStep(ctx)
		if ctx.Err() != nil {
			return
		}
		wait := time.Duration(0)
		if err != nil {
			log.Warn("indexing failed; retrying", "err", err)
			wait = ix.every
		} else if caughtUp {
			wait = ix.every
		}
		if wait > 0 {
			select {
			case <-ctx.Done():
				return
			case <-time.After(wait):
			}
		}
	}
}

func (ix *Indexer) safeStep(ctx context.Context) (caughtUp bool, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("chain: indexer panic: %v\n%s", r, debug.Stack())
		}
	}()
	return ix.Step(ctx)
}

// checkpoint is the last block indexed and its hash.
type checkpoint struct {
	Block uint64      `json:"block"`
	Hash  common.Hash `json:"hash"`
	Start uint64      `json:"start"`
}

func (ix *Indexer) cpKey() string { return "cp/" + ix.c.name }

func (ix *Indexer) load(ctx context.Context) (*checkpoint, error) {
	v, err := ix.s.ks.Get(ctx, ix.cpKey())
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var cp checkpoint
	if err := json.Unmarshal(v, &cp); err != nil {
		return nil, fmt.Errorf("chain: checkpoint: %w", err)
	}
	return &cp, nil
}

// Step indexes one window (or undoes a reorganisation) and reports
// whether the indexer has reached the confirmed head.
func (ix *Indexer) Step(ctx context.Context) (bool, error) {
	if len(ix.collections) == 0 {
		if err := ix.loadCollections(ctx); err != nil {
			return false, err
		}
	}
	head, err := ix.c.FreshHead(ctx)
	if err != nil {
		return false, err
	}
	cp, err := ix.load(ctx)
	if err != nil {
		return false, err
	}
	var from uint64
	if cp == nil {
		from = ix.startBlock()
		if from > head.Number {
			from = 0 // a chain below the contracts' deployment: a test chain
		}
	} else {
		// Is the checkpoint still canonical?
		hs, err := ix.c.Headers(ctx, []uint64{cp.Block}, false)
		if err != nil {
			return false, err
		}
		h, ok := hs[cp.Block]
		if !ok {
			// An RPC behind the others (a load balancer's) may not have the
			// block yet: not a reorganisation.
			return false, fmt.Errorf("chain: %s RPC has no block %d (the checkpoint): behind?", ix.c.name, cp.Block)
		}
		if h.Hash != cp.Hash {
			return false, ix.undoReorg(ctx, cp)
		}
		from = cp.Block + 1
		ix.indexed.Store(cp.Block)
	}
	if head.Number < ix.depth || from > head.Number-ix.depth {
		return true, nil
	}
	to := min(head.Number-ix.depth, from+ix.window()-1)
	if err := ix.index(ctx, from, to, head.Number); err != nil {
		return false, err
	}
	return to == head.Number-ix.depth, nil
}

func (ix *Indexer) startBlock() uint64 {
	start := ^uint64(0)
	for _, k := range append(slices.Clone(ix.src.fixed), ix.src.factories...) {
		start = min(start, k.StartBlock)
	}
	if start == ^uint64(0) {
		return 0
	}
	return start
}

// window is the blocks asked per eth_getLogs: providers refuse wide
// ranges or more than about 10,000 logs, so it halves on a refusal and
// grows back while answers are small.
func (ix *Indexer) window() uint64 { return uint64(ix.span.Load()) }

// index reads [from, to] and applies it.
func (ix *Indexer) index(ctx context.Context, from, to, head uint64) error {
	// The window's end, for the checkpoint, asked before its logs: a
	// reorganisation in between leaves a hash the next step finds stale.
	hs, err := ix.c.Headers(ctx, []uint64{to}, false)
	if err != nil {
		return err
	}
	end, ok := hs[to]
	if !ok {
		return fmt.Errorf("chain: %s has no block %d", ix.c.name, to)
	}
	logs, err := ix.logs(ctx, from, to)
	if err != nil {
		return err
	}
	ix.progressLine(from, to, head, len(logs))
	journal := head-to < journalHorizon
	// Commit in chunks of whole blocks, each a transaction with its
	// checkpoint.
	const chunk = 2000
	for start := 0; start < len(logs) || start == 0; {
		stop := min(start+chunk, len(logs))
		for stop < len(logs) && stop > start && logs[stop].BlockNumber == logs[stop-1].BlockNumber {
			stop++
		}
		cp := checkpoint{Block: to, Hash: end.Hash}
		if stop < len(logs) {
			last := logs[stop-1]
			cp = checkpoint{Block: last.BlockNumber, Hash: last.BlockHash}
		}
		if err := ix.apply(ctx, logs[start:stop], cp, journal); err != nil {
			return err
		}
		ix.advanced(cp.Block)
		if stop >= len(logs) {
			break
		}
		start = stop
	}
	return nil
}

// progressLine logs the catch-up every 10 s while the indexer is more
// than a window behind: blocks, logs, rate, ETA.
func (ix *Indexer) progressLine(from, to, head uint64, logs int) {
	r := &ix.report
	now := time.Now()
	if r.at.IsZero() {
		r.at, r.block = now, from
	}
	r.logs += logs
	if now.Sub(r.at) < 10*time.Second || head-to < ix.window() {
		return
	}
	rate := float64(to-r.block) / now.Sub(r.at).Seconds()
	eta := time.Duration(0)
	if rate > 0 {
		eta = time.Duration(float64(head-ix.depth-to)/rate) * time.Second
	}
	ix.c.log.Info("indexing the chain", "block", to, "head", head, "behind", head-to, "logs", r.logs,
		"blocks_per_s", int(rate), "eta", eta.Round(time.Second))
	r.at, r.block, r.logs = now, to, 0
}

// logs are the window's logs of the fixed contracts, the factories and
// the collections known, plus those of collections the window creates,
// in chain order.
func (ix *Indexer) logs(ctx context.Context, from, to uint64) ([]types.Log, error) {
	addrs := ix.addresses()
	logs, err := ix.getLogs(ctx, from, to, addrs)
	if err != nil {
		return nil, err
	}
	var fresh []common.Address
	for _, l := range logs {
		if l.Topics[0] == evProxyCreated && len(l.Topics) > 1 {
			a := common.BytesToAddress(l.Topics[1].Bytes())
			if !ix.knows(a) && !slices.Contains(fresh, a) {
				fresh = append(fresh, a)
			}
		}
	}
	if len(fresh) > 0 {
		more, err := ix.getLogs(ctx, from, to, fresh)
		if err != nil {
			return nil, err
		}
		logs = append(logs, more...)
	}
	// Parts of addresses and new collections come one after another:
	// chain order again, which the checkpoints of the chunks rely on.
	slices.SortFunc(logs, func(a, b types.Log) int {
		if a.BlockNumber != b.BlockNumber {
			return cmp.Compare(a.BlockNumber, b.BlockNumber)
		}
		return cmp.Compare(a.Index, b.Index)
	})
	return logs, nil
}

// getLogs asks in parts of at most 500 addresses.
func (ix *Indexer) getLogs(ctx context.Context, from, to uint64, addrs []common.Address) ([]types.Log, error) {
	var out []types.Log
	for i := 0; i < len(addrs); i += 500 {
		part := addrs[i:min(i+500, len(addrs))]
		logs, err := ix.c.Logs(ctx, ethereum.FilterQuery{
			FromBlock: new(big.Int).SetUint64(from), ToBlock: new(big.Int).SetUint64(to),
			Addresses: part, Topics: [][]common.Hash{ix.src.topics},
		})
		if err != nil {
			if w := ix.span.Load(); w > 16 && tooMany(err) {
				ix.span.Store(w / 2)
			}
			return nil, err
		}
		out = append(out, logs...)
	}
	if w := ix.span.Load(); len(out) < 2000 && w < 50000 {
		ix.span.Store(w * 2)
	}
	return out, nil
}

func tooMany(err error) bool {
	s := strings.ToLower(err.Error())
	return strings.Contains(s, "too many") || strings.Contains(s, "range") || strings.Contains(s, "limit") || strings.Contains(s, "10000")
}

func (ix *Indexer) addresses() []common.Address {
	var out []common.Address
	for _, k := range ix.src.fixed {
		out = append(out, k.Address)
	}
	for _, k := range ix.src.factories {
		out = append(out, k.Address)
	}
	ix.mu.Lock()
	for a := range ix.collections {
		out = append(out, a)
	}
	ix.mu.Unlock()
	slices.SortFunc(out, func(a, b common.Address) int { return strings.Compare(a.Hex(), b.Hex()) })
	return out
}

func (ix *Indexer) knows(a common.Address) bool {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return ix.collections[a]
}

func (ix *Indexer) loadCollections(ctx context.Context) error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.collections[common.Address{}] = true // loaded (the zero address is never a collection)
	if len(ix.src.factories) == 0 {
		return nil
	}
	prefix := ix.c.name + "/col/"
	return ix.s.ks.Scan(ctx, prefix, func(name string, _ []byte) error {
		ix.collections[common.HexToAddress(strings.TrimPrefix(name, prefix))] = true
		return nil
	})
}

// writer is one transaction's view with an undo journal.
type writer struct {
	tx      *store.KeyspaceTxn
	undo    map[string]*string // key → old value (nil: absent)
	keep    bool
	events  []events.Event
	created []common.Address
}

func (w *writer) remember(k string) error {
	if !w.keep {
		return nil
	}
	if _, ok := w.undo[k]; ok {
		return nil
	}
	v, err := w.tx.Get(k)
	switch {
	case errors.Is(err, store.ErrNotFound):
		w.undo[k] = nil
	case err != nil:
		return err
	default:
		s := string(v)
		w.undo[k] = &s
	}
	return nil
}

func (w *writer) set(k, v string) error {
	if err := w.remember(k); err != nil {
		return err
	}
	return w.tx.Set(k, []byte(v))
}

func (w *writer) del(k string) error {
	if err := w.remember(k); err != nil {
		return err
	}
	return w.tx.Delete(k)
}

func (w *writer) get(k string) string {
	v, err := w.tx.Get(k)
	if err != nil {
		return ""
	}
	return string(v)
}

// apply writes logs and the checkpoint in one transaction.
func (ix *Indexer) apply(ctx context.Context, logs []types.Log, cp checkpoint, journal bool) error {
	var w *writer
	err := ix.s.ks.Update(ctx, func(tx *store.KeyspaceTxn) error {
		w = &writer{tx: tx, undo: map[string]*string{}, keep: journal}
		for i := range logs {
			if err := ix.applyLog(w, &logs[i]); err != nil {
				return err
			}
		}
		if journal {
			j, _ := json.Marshal(journalEntry{Block: cp.Block, Hash: cp.Hash, Undo: w.undo})
			if err := tx.Set(ix.journalKey(cp.Block), j); err != nil {
				return err
			}
			// Forget journals past the horizon.
			var old []string
			tx.Scan("j/"+ix.c.name+"/", func(name string, _ []byte) error {
				var b uint64
				fmt.Sscanf(name[len("j/"+ix.c.name+"/"):], "%016x", &b)
				if b+journalHorizon < cp.Block {
					old = append(old, name)
				}
				return nil
			})
			for _, k := range old {
				if err := tx.Delete(k); err != nil {
					return err
				}
			}
		}
		cpb, _ := json.Marshal(cp)
		return tx.Set(ix.cpKey(), cpb)
	})
	if err != nil {
		return err
	}
	ix.mu.Lock()
	for _, a := range w.created {
		ix.collections[a] = true
	}
	ix.mu.Unlock()
	for _, l := range logs {
		ix.s.m.logs.WithLabelValues(ix.c.name, evNames[l.Topics[0]]).Inc()
	}
	for _, e := range w.events {
		if ix.s.cfg.Bus == nil {
			break
		}
		if err := ix.s.cfg.Bus.Publish(ctx, e); err != nil {
			ix.c.log.Warn("a chain event was not published", "err", err, "type", e.SubType, "key", e.Key)
		}
	}
	return nil
}

type journalEntry struct {
	Block uint64             `json:"block"`
	Hash  common.Hash        `json:"hash"`
	Undo  map[string]*string `json:"undo"`
}

func (ix *Indexer) journalKey(b uint64) string { return fmt.Sprintf("j/%s/%016x", ix.c.name, b) }

// undoReorg undoes the journals of blocks that are no longer canonical,
// newest first, down to the newest block that still is.
func (ix *Indexer) undoReorg(ctx context.Context, cp *checkpoint) error {
	var entries []journalEntry
	if err := ix.s.ks.Scan(ctx, "j/"+ix.c.name+"/", func(_ string, v []byte) error {
		var e journalEntry
		if err := json.Unmarshal(v, &e); err != nil {
			return err
		}
		entries = append(entries, e)
		return nil
	}); err != nil {
		return err
	}
	var nums []uint64
	for _, e := range entries {
		nums = append(nums, e.Block)
	}
	hs, err := ix.c.Headers(ctx, nums, false)
	if err != nil {
		return err
	}
	keep := -1 // the newest entry still canonical
	for i := len(entries) - 1; i >= 0; i-- {
		if h, ok := hs[entries[i].Block]; ok && h.Hash == entries[i].Hash {
			keep = i
			break
		}
	}
	ix.s.m.reorgs.WithLabelValues(ix.c.name).Inc()
	if keep < 0 {
		// No journal reaches the fork: start over.
		ix.c.log.Error("a reorganisation deeper than the undo journal: re-indexing from the start", "checkpoint", cp.Block)
		return ix.reset(ctx)
	}
	undone := entries[keep+1:]
	ix.c.log.Warn("reorganisation: undoing indexed blocks", "from", entries[keep].Block+1, "to", cp.Block, "windows", len(undone))
	err = ix.s.ks.Update(ctx, func(tx *store.KeyspaceTxn) error {
		for i := len(undone) - 1; i >= 0; i-- {
			for k, v := range undone[i].Undo {
				var err error
				if v == nil {
					err = tx.Delete(k)
				} else {
					err = tx.Set(k, []byte(*v))
				}
				if err != nil {
					return err
				}
			}
			if err := tx.Delete(ix.journalKey(undone[i].Block)); err != nil {
				return err
			}
		}
		cpb, _ := json.Marshal(checkpoint{Block: entries[keep].Block, Hash: entries[keep].Hash})
		return tx.Set(ix.cpKey(), cpb)
	})
	if err == nil {
		ix.forgetCollections()
		ix.advanced(entries[keep].Block)
	}
	return err
}

// forgetCollections makes the next step read the collections known
// from the store again (after an undo or a reset).
func (ix *Indexer) forgetCollections() {
	ix.mu.Lock()
	ix.collections = map[common.Address]bool{}
	ix.mu.Unlock()
}

// reset forgets what the indexer of this chain wrote.
func (ix *Indexer) reset(ctx context.Context) error {
	var keys []string
	// The checkpoint goes last: a reset cut short is done again.
	prefixes := []string{"j/" + ix.c.name + "/", ix.c.name + "/", "cp/" + ix.c.name}
	for _, p := range prefixes {
		if err := ix.s.ks.Scan(ctx, p, func(name string, _ []byte) error { keys = append(keys, name); return nil }); err != nil {
			return err
		}
	}
	for len(keys) > 0 {
		n := min(len(keys), 5000)
		ch := map[string][]byte{}
		for _, k := range keys[:n] {
			ch[k] = nil
		}
		if err := ix.s.ks.Write(ctx, ch); err != nil {
			return err
		}
		keys = keys[n:]
	}
	ix.forgetCollections()
	ix.indexed.Store(0)
	return nil
}

func hexID(id *big.Int) string { return fmt.Sprintf("%064x", id) }

func addrOf(h common.Hash) string { return lower(common.BytesToAddress(h.Bytes())) }

// applyLog applies one event. Keys are under the chain's name:
//
//	<chain>/o/<contract>/<id>            owner
//	<chain>/a/<owner>/<contract>/<id>    the owner's tokens (→ when: unix s)
//	<chain>/ap/<contract>/<id>           approved
//	<chain>/uo/<contract>/<id>           update operator
//	<chain>/af/<contract>/<owner>/<op>   approved for all
//	<chain>/um/<contract>/<owner>/<op>   update manager
//	<chain>/el/<land id>                 the estate holding a land
//	<chain>/nm/<label hash>              a NAME's label
//	<chain>/it/<collection>/<item id>    an item (itemRecord)
//	<chain>/cr/<collection>              a collection's creator
//	<chain>/tk/<collection>/<id>         a v1 token's item name
//	<chain>/col/<collection>             a factory-made collection
func (ix *Indexer) applyLog(w *writer, l *types.Log) error {
	if len(l.Topics) == 0 || l.Removed {
		return nil
	}
	p := ix.c.name + "/"
	c := lower(l.Address)
	t := l.Topics
	switch t[0] {
	case evTransfer, evTransferLAND, evTransferLAND2:
		if len(t) != 4 {
			return nil // an ERC-20 Transfer
		}
		from, to, id := addrOf(t[1]), addrOf(t[2]), hexID(t[3].Big())
		if err := w.del(p + "a/" + from + "/" + c + "/" + id); err != nil {
			return err
		}
		if to == lower(common.Address{}) {
			return w.del(p + "o/" + c + "/" + id)
		}
		if err := w.set(p+"o/"+c+"/"+id, to); err != nil {
			return err
		}
		if err := w.set(p+"a/"+to+"/"+c+"/"+id, fmt.Sprint(l.BlockTimestamp)); err != nil {
			return err
		}
		if err := w.del(p + "ap/" + c + "/" + id); err != nil {
			return err
		}
		return w.del(p + "uo/" + c + "/" + id)
	case evApproval:
		if len(t) != 4 {
			return nil
		}
		return setOrDel(w, p+"ap/"+c+"/"+hexID(t[3].Big()), addrOf(t[2]))
	case evUpdateOperator:
		if len(t) != 3 {
			return nil
		}
		return setOrDel(w, p+"uo/"+c+"/"+hexID(t[1].Big()), addrOf(t[2]))
	case evApprovalForAll:
		if len(t) != 3 {
			return nil
		}
		return flag(w, p+"af/"+c+"/"+addrOf(t[1])+"/"+addrOf(t[2]), boolean(l.Data))
	case evUpdateManager:
		if len(t) != 4 {
			return nil
		}
		return flag(w, p+"um/"+c+"/"+addrOf(t[1])+"/"+addrOf(t[2]), boolean(l.Data))
	case evAddLand:
		if len(t) != 3 {
			return nil
		}
		return w.set(p+"el/"+hexID(t[2].Big()), hexID(t[1].Big()))
	case evRemoveLand:
		if len(t) != 4 {
			return nil
		}
		return w.del(p + "el/" + hexID(t[2].Big()))
	case evNameRegistered:
		if len(t) != 4 {
			return nil
		}
		vals, err := nameRegisteredABI.Unpack(l.Data)
		if err != nil || len(vals) != 2 {
			return nil // not the registrar's: ignored
		}
		name, _ := vals[0].(string)
		return w.set(p+"nm/"+hexID(t[3].Big()), name)
	case evProxyCreated:
		if len(t) != 2 || !ix.isFactory(l.Address) {
			return nil
		}
		a := common.BytesToAddress(t[1].Bytes())
		w.created = append(w.created, a)
		return w.set(p+"col/"+lower(a), "")
	case evCreatorship:
		if len(t) != 3 || !ix.fromFactory(w, l.Address) {
			return nil
		}
		creator := addrOf(t[2])
		if addrOf(t[1]) == lower(common.Address{}) {
			// Set when the collection is initialised: it is created.
			w.events = append(w.events, ix.event(l, "collection-created", map[string]any{"creator": creator, "address": c, "name": c, "network": ix.c.name}))
		}
		return w.set(p+"cr/"+c, creator)
	case evAddItem:
		if len(t) != 2 {
			return nil
		}
		vals, err := addItemABI.Unpack(l.Data)
		if err != nil || len(vals) != 1 {
			return nil
		}
		var it struct {
			Rarity      string
			Beneficiary common.Address
			Metadata    string
		}
		if tuple, err := json.Marshal(vals[0]); err == nil {
			json.Unmarshal(tuple, &it)
		}
		rec, _ := json.Marshal(itemRecord{Beneficiary: lower(it.Beneficiary), Category: itemCategory(it.Metadata), Rarity: it.Rarity})
		return w.set(p+"it/"+c+"/"+t[1].Big().String(), string(rec))
	case evIssueV1:
		if len(t) != 4 {
			return nil
		}
		vals, err := issueV1ABI.Unpack(l.Data)
		if err != nil || len(vals) != 2 {
			return nil
		}
		name, _ := vals[0].(string)
		return w.set(p+"tk/"+c+"/"+hexID(t[2].Big()), name)
	case evIssue:
		if len(t) != 4 || len(l.Data) < 64 {
			return nil
		}
		caller := common.BytesToAddress(l.Data[32:64])
		if ix.src.store != (common.Address{}) && caller == ix.src.store {
			itemID := t[3].Big().String()
			var rec itemRecord
			json.Unmarshal([]byte(w.get(p+"it/"+c+"/"+itemID)), &rec)
			w.events = append(w.events, ix.event(l, "item-sold", map[string]any{
				"address": rec.Beneficiary, "seller": rec.Beneficiary, "buyer": addrOf(t[1]), "tokenId": t[2].Big().String(),
				"category": rec.Category, "rarity": rec.Rarity, "network": ix.c.name, "title": "Item sold", "description": "An item of your collection was bought.",
				"image": "", "link": "https://decentraland.org/marketplace/contracts/" + c + "/tokens/" + t[2].Big().String(),
			}))
		}
		return nil
	case evSetApproved:
		if len(l.Data) < 64 || boolean(l.Data[:32]) || !boolean(l.Data[32:64]) || !ix.fromFactory(w, l.Address) {
			return nil
		}
		// Approved: each of its items is published.
		creator := w.get(p + "cr/" + c)
		network := map[string]string{"mainnet": "matic", "sepolia": "amoy"}[ix.s.network]
		return w.tx.Scan(p+"it/"+c+"/", func(name string, v []byte) error {
			var rec itemRecord
			json.Unmarshal(v, &rec)
			itemID := name[len(p+"it/"+c+"/"):]
			ev := ix.event(l, "item-published", map[string]any{
				"creator": creator, "category": rec.Category, "rarity": rec.Rarity, "itemId": itemID, "network": ix.c.name,
				"urn": "urn:decentraland:" + network + ":collections-v2:" + c + ":" + itemID,
			})
			ev.Key += "-" + itemID
			w.events = append(w.events, ev)
			return nil
		})
	}
	return nil
}

// itemRecord is what the index keeps of a collection item.
type itemRecord struct {
	Beneficiary string `json:"beneficiary"`
	Category    string `json:"category"` // wearable | emote
	Rarity      string `json:"rarity,omitempty"`
}

// itemCategory reads an item's metadata string (version:type:name:…,
// type "w" a wearable, "e" an emote).
func itemCategory(meta string) string {
	if parts := strings.SplitN(meta, ":", 3); len(parts) > 1 && parts[1] == "e" {
		return "emote"
	}
	return "wearable"
}

// fromFactory: a collection made by a factory (known, or made in the
// transaction being applied).
func (ix *Indexer) fromFactory(w *writer, a common.Address) bool {
	return ix.knows(a) || slices.Contains(w.created, a)
}

func (ix *Indexer) isFactory(a common.Address) bool {
	for _, f := range ix.src.factories {
		if f.Address == a {
			return true
		}
	}
	return false
}

// event is a platform event of a log, keyed by the log.
func (ix *Indexer) event(l *types.Log, subType string, meta map[string]any) events.Event {
	return events.Event{
		Type: "blockchain", SubType: subType,
		Key:       fmt.Sprintf("%s-%s-%d", subType, l.TxHash.Hex(), l.Index),
		Timestamp: time.Now().UnixMilli(),
		Metadata:  mustJSON(meta),
	}
}

func setOrDel(w *writer, k, v string) error {
	if v == lower(common.Address{}) {
		return w.del(k)
	}
	return w.set(k, v)
}

func flag(w *writer, k string, on bool) error {
	if on {
		return w.set(k, "1")
	}
	return w.del(k)
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

func mustArgs(types ...string) abi.Arguments {
	var out abi.Arguments
	for _, t := range types {
		if strings.HasPrefix(t, "(") {
			out = append(out, abi.Argument{Type: tupleType(t)})
			continue
		}
		out = append(out, abi.Argument{Type: mustType(t)})
	}
	return out
}

// tupleType is the item tuple of AddItem.
func tupleType(string) abi.Type {
	ty, err := abi.NewType("tuple", "", []abi.ArgumentMarshaling{
		{Name: "rarity", Type: "string"}, {Name: "maxSupply", Type: "uint256"}, {Name: "totalSupply", Type: "uint256"},
		{Name: "price", Type: "uint256"}, {Name: "beneficiary", Type: "address"}, {Name: "metadata", Type: "string"}, {Name: "contentHash", Type: "string"},
	})
	if err != nil {
		panic(err)
	}
	return ty
}
