package chain

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/hashicorp/golang-lru/v2/expirable"
	"golang.org/x/sync/errgroup"
)

// Client is one chain's JSON-RPC endpoint, as the node uses it: view
// calls and headers in batches, logs in windows, with a timeout per
// round trip, retries with backoff for what may pass (the transport, rate
// limits, timeouts — never a revert or a wrong answer), a cache of calls
// at numbered blocks and metrics per method.
type Client struct {
	name    string // "ethereum" or "polygon": logs and metrics
	url     string
	chainID uint64
	log     *slog.Logger
	m       *metrics

	// Timeout bounds one round trip; Attempts is how often one is tried.
	Timeout  time.Duration
	Attempts int
	// MaxBatch bounds the requests of one HTTP batch; more go in
	// parallel batches (one round trip).
	MaxBatch int

	mu       sync.Mutex
	rpc      *rpc.Client
	verified bool
	head     Header
	headAt   time.Time

	calls   *expirable.LRU[string, []byte]
	headers *expirable.LRU[uint64, Header]
}

// Header is what the node keeps of a block.
type Header struct {
	Number uint64
	Time   uint64
	Hash   common.Hash
}

// Latest, as a call's block, asks the chain's head.
const Latest = ^uint64(0)

// Call is one eth_call.
type Call struct {
	To    common.Address
	Data  []byte
	Block uint64 // Latest: the head
}

// ErrUnverified is returned while the RPC has not answered its chain id.
var ErrUnverified = errors.New("chain: the RPC has not been verified yet")

// newClient makes a client of an RPC URL that must serve chain chainID.
// Start dials it and checks the chain id.
func newClient(name, url string, chainID uint64, logger *slog.Logger, m *metrics) *Client {
	return &Client{
		name: name, url: url, chainID: chainID, log: logger.With("component", "chain", "chain", name), m: m,
		Timeout: 10 * time.Second, Attempts: 3, MaxBatch: 100,
		calls:   expirable.NewLRU[string, []byte](16384, nil, 10*time.Minute),
		headers: expirable.NewLRU[uint64, Header](8192, nil, time.Hour),
	}
}

// Name is "ethereum" or "polygon".
func (c *Client) Name() string { return c.name }

// Start dials the RPC and checks that it serves the expected chain. An
// RPC of another chain is an error; one that does not answer is retried
// by Verify, and every call fails with ErrUnverified until it does.
func (c *Client) Start(ctx context.Context) error {
	r, err := rpc.DialOptions(ctx, c.url)
	if err != nil {
		return fmt.Errorf("chain: %s RPC %s: %w", c.name, redact(c.url), err)
	}
	c.mu.Lock()
	c.rpc = r
	c.mu.Unlock()
	vctx, cancel := context.WithTimeout(ctx, c.Timeout)
	defer cancel()
	err = c.Verify(vctx)
	var wrong *WrongChainError
	if errors.As(err, &wrong) {
		return err
	}
	if err != nil {
		c.log.Warn("the chain RPC does not answer; checks that need it fail until it does", "rpc", redact(c.url), "err", err)
	}
	return nil
}

// Stop closes the connection.
func (c *Client) Stop(context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.rpc != nil {
		c.rpc.Close()
	}
	return nil
}

// WrongChainError is an RPC that serves another chain than the one
// configured.
type WrongChainError struct {
	Chain     string
	URL       string
	Got, Want uint64
}

func (e *WrongChainError) Error() string {
	return fmt.Sprintf("chain: the %s RPC %s serves chain id %d, not %d: it is refused (check --eth-network, the RPC URL or --contracts)", e.Chain, redact(e.URL), e.Got, e.Want)
}

// Verify asks the chain id (once it matched, it is not asked again) and
// the head.
func (c *Client) Verify(ctx context.Context) error {
	c.mu.Lock()
	done := c.verified
	c.mu.Unlock()
	if done {
		return nil
	}
	var id hexutil.Big
	if err := c.round(ctx, []rpc.BatchElem{{Method: "eth_chainId", Result: &id}}); err != nil {
		return err
	}
	if got := (*big.Int)(&id); !got.IsUint64() || got.Uint64() != c.chainID {
		return &WrongChainError{Chain: c.name, URL: c.url, Got: got.Uint64(), Want: c.chainID}
	}
	c.mu.Lock()
	c.verified = true
	c.mu.Unlock()
	_, err := c.Head(ctx)
	return err
}

func (c *Client) client(ctx context.Context) (*rpc.Client, error) {
	c.mu.Lock()
	r, ok := c.rpc, c.verified
	c.mu.Unlock()
	if r == nil {
		return nil, ErrUnverified
	}
	if !ok {
		if err := c.Verify(ctx); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrUnverified, err)
		}
	}
	return r, nil
}

// Head is the chain's latest block, asked at most every 4 s.
func (c *Client) Head(ctx context.Context) (Header, error) { return c.head4(ctx, 4*time.Second) }

// FreshHead asks the chain's latest block.
func (c *Client) FreshHead(ctx context.Context) (Header, error) { return c.head4(ctx, 0) }

func (c *Client) head4(ctx context.Context, maxAge time.Duration) (Header, error) {
	c.mu.Lock()
	h, at := c.head, c.headAt
	c.mu.Unlock()
	if !at.IsZero() && time.Since(at) < maxAge {
		return h, nil
	}
	var raw *rpcHeader
	if err := c.round(ctx, []rpc.BatchElem{{Method: "eth_getBlockByNumber", Args: []any{"latest", false}, Result: &raw}}); err != nil {
		return Header{}, err
	}
	if raw == nil {
		return Header{}, fmt.Errorf("chain: %s RPC has no latest block", c.name)
	}
	h = raw.header()
	c.setHead(h)
	return h, nil
}

func (c *Client) setHead(h Header) {
	c.mu.Lock()
	if h.Number >= c.head.Number {
		c.head, c.headAt = h, time.Now()
	}
	c.mu.Unlock()
	c.m.head.WithLabelValues(c.name).Set(float64(h.Number))
}

// knownHead is the last head seen, without asking.
func (c *Client) knownHead() (Header, time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.head, c.headAt
}

type rpcHeader struct {
	Number hexutil.Uint64 `json:"number"`
	Time   hexutil.Uint64 `json:"timestamp"`
	Hash   common.Hash    `json:"hash"`
}

func (r *rpcHeader) header() Header {
	return Header{Number: uint64(r.Number), Time: uint64(r.Time), Hash: r.Hash}
}

// settled is how deep a block must be for its header to be cached by
// number: no reorganisation reaches that far on a proof-of-stake chain
// (Ethereum finalises in 64 blocks, Polygon in fewer).
const settled = 128

// Headers returns the headers of blocks in one round trip (headers of
// settled blocks seen before are not asked again); withLatest also asks
// the head in it.
func (c *Client) Headers(ctx context.Context, numbers []uint64, withLatest bool) (map[uint64]Header, error) {
	out := make(map[uint64]Header, len(numbers))
	var elems []rpc.BatchElem
	var raws []*rpcHeader
	for _, n := range numbers {
		if h, ok := c.headers.Get(n); ok {
			out[n] = h
			continue
		}
		if _, dup := out[n]; dup {
			continue
		}
		out[n] = Header{}
		raws = append(raws, nil)
		elems = append(elems, rpc.BatchElem{Method: "eth_getBlockByNumber", Args: []any{hexutil.EncodeUint64(n), false}})
	}
	if withLatest {
		raws = append(raws, nil)
		elems = append(elems, rpc.BatchElem{Method: "eth_getBlockByNumber", Args: []any{"latest", false}})
	}
	for i := range elems {
		elems[i].Result = &raws[i]
	}
	if len(elems) == 0 {
		return out, nil
	}
	if err := c.round(ctx, elems); err != nil {
		return nil, err
	}
	for i, e := range elems {
		if e.Error != nil {
			return nil, c.wrap(e.Method, e.Error)
		}
		if raws[i] == nil {
			continue // past the head
		}
		h := raws[i].header()
		if withLatest && i == len(elems)-1 {
			c.setHead(h)
		}
		out[h.Number] = h
		if known, _ := c.knownHead(); h.Number+settled < known.Number {
			c.headers.Add(h.Number, h) // settled when fetched: kept
		}
	}
	for n, h := range out {
		if h.Hash == (common.Hash{}) {
			delete(out, n)
		}
	}
	return out, nil
}

// Calls makes view calls in one round trip (calls at a numbered block
// answered before are not asked again). A call that reverts answers nil:
// for a view, "no". Any other failure is an error for all.
func (c *Client) Calls(ctx context.Context, calls []Call) ([][]byte, error) {
	out := make([][]byte, len(calls))
	var elems []rpc.BatchElem
	var idx []int
	results := make([]hexutil.Bytes, len(calls))
	for i, call := range calls {
		if call.Block != Latest {
			if v, ok := c.calls.Get(cacheKey(call)); ok {
				out[i] = v
				continue
			}
		}
		arg := map[string]any{"to": call.To, "data": hexutil.Bytes(call.Data)}
		if call.To == (common.Address{}) {
			arg = map[string]any{"data": hexutil.Bytes(call.Data)} // a deployless call
		}
		block := "latest"
		if call.Block != Latest {
			block = hexutil.EncodeUint64(call.Block)
		}
		elems = append(elems, rpc.BatchElem{Method: "eth_call", Args: []any{arg, block}, Result: &results[i]})
		idx = append(idx, i)
	}
	if len(elems) == 0 {
		return out, nil
	}
	c.m.cacheMisses.WithLabelValues(c.name).Add(float64(len(elems)))
	c.m.cacheHits.WithLabelValues(c.name).Add(float64(len(calls) - len(elems)))
	if err := c.round(ctx, elems); err != nil {
		return nil, err
	}
	for j, e := range elems {
		i := idx[j]
		if e.Error != nil {
			if reverted(e.Error) {
				out[i] = nil
				continue
			}
			return nil, c.wrap("eth_call", e.Error)
		}
		out[i] = results[i]
		// A call at a block near the head may be answered otherwise after
		// a reorganisation: only settled blocks' answers are kept.
		if known, _ := c.knownHead(); calls[i].Block != Latest && calls[i].Block+settled < known.Number {
			c.calls.Add(cacheKey(calls[i]), results[i])
		}
	}
	return out, nil
}

func cacheKey(c Call) string {
	return c.To.Hex() + ":" + hex.EncodeToString(c.Data) + ":" + fmt.Sprint(c.Block)
}

// Logs returns the logs of a filter, in one round trip.
func (c *Client) Logs(ctx context.Context, q ethereum.FilterQuery) ([]types.Log, error) {
	arg := map[string]any{"fromBlock": hexutil.EncodeBig(q.FromBlock), "toBlock": hexutil.EncodeBig(q.ToBlock)}
	if len(q.Addresses) > 0 {
		arg["address"] = q.Addresses
	}
	if len(q.Topics) > 0 {
		arg["topics"] = q.Topics
	}
	var logs []types.Log
	if err := c.round(ctx, []rpc.BatchElem{{Method: "eth_getLogs", Args: []any{arg}, Result: &logs}}); err != nil {
		return nil, err
	}
	return logs, nil
}

// round sends elems as one round trip (batches of MaxBatch in
// parallel), retrying what may pass. An element's own error is left in
// it, except those worth a retry.
func (c *Client) round(ctx context.Context, elems []rpc.BatchElem) error {
	r, err := c.rpcFor(ctx, elems)
	if err != nil {
		return err
	}
	method := elems[0].Method
	if len(elems) > 1 {
		method = "batch"
	}
	c.m.rounds.WithLabelValues(c.name).Inc()
	for _, e := range elems {
		c.m.requests.WithLabelValues(c.name, e.Method).Inc()
	}
	backoff := 250 * time.Millisecond
	for attempt := 1; ; attempt++ {
		start := time.Now()
		err = c.send(ctx, r, elems)
		c.m.duration.WithLabelValues(c.name, method).Observe(time.Since(start).Seconds())
		if err == nil {
			for _, e := range elems {
				if e.Error != nil && transient(e.Error) {
					err = e.Error
					break
				}
			}
		}
		if err == nil {
			return nil
		}
		c.m.failures.WithLabelValues(c.name, method).Inc()
		if attempt >= c.Attempts || ctx.Err() != nil || !transient(err) {
			return c.wrap(method, err)
		}
		c.log.Debug("chain RPC failed; retrying", "method", method, "attempt", attempt, "err", err)
		select {
		case <-ctx.Done():
			return c.wrap(method, ctx.Err())
		case <-time.After(backoff):
		}
		backoff *= 2
		for i := range elems {
			elems[i].Error = nil
		}
	}
}

func (c *Client) rpcFor(ctx context.Context, elems []rpc.BatchElem) (*rpc.Client, error) {
	if len(elems) == 1 && elems[0].Method == "eth_chainId" {
		c.mu.Lock()
		r := c.rpc
		c.mu.Unlock()
		if r == nil {
			return nil, ErrUnverified
		}
		return r, nil
	}
	return c.client(ctx)
}

func (c *Client) send(ctx context.Context, r *rpc.Client, elems []rpc.BatchElem) error {
	cctx, cancel := context.WithTimeout(ctx, c.Timeout)
	defer cancel()
	if len(elems) == 1 {
		e := &elems[0]
		err := r.CallContext(cctx, e.Result, e.Method, e.Args...)
		var re rpc.Error
		if errors.As(err, &re) {
			e.Error = err // the node's answer, not the transport's
			return nil
		}
		return err
	}
	var g errgroup.Group
	for start := 0; start < len(elems); start += c.MaxBatch {
		part := elems[start:min(start+c.MaxBatch, len(elems))]
		g.Go(func() error { return r.BatchCallContext(cctx, part) })
	}
	return g.Wait()
}

func (c *Client) wrap(method string, err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("chain: %s RPC %s did not answer %s in %s: %w", c.name, redact(c.url), method, c.Timeout, err)
	}
	return fmt.Errorf("chain: %s RPC %s: %s: %w", c.name, redact(c.url), method, err)
}

// reverted reports whether err is the node's verdict that the call
// reverted (JSON-RPC code 3, as geth and Erigon answer, or -32015, as
// Nethermind and OpenEthereum do, or a message that says so).
func reverted(err error) bool {
	var re rpc.Error
	if !errors.As(err, &re) {
		return false
	}
	return re.ErrorCode() == 3 || re.ErrorCode() == -32015 || strings.Contains(strings.ToLower(re.Error()), "revert")
}

// transient: worth another try — the transport, a timeout, a rate limit
// or a server error, never the node's verdict on a call.
func transient(err error) bool {
	if errors.Is(err, context.Canceled) {
		return false
	}
	var re rpc.Error
	if errors.As(err, &re) {
		if reverted(err) {
			return false
		}
		switch re.ErrorCode() {
		case -32005, -32603, 429: // limit exceeded, internal error
			return true
		}
		return false
	}
	var he rpc.HTTPError
	if errors.As(err, &he) {
		return he.StatusCode == 429 || he.StatusCode >= 500
	}
	return true // transport: refused, reset, timed out
}

// redact keeps an RPC URL's host and drops what may be a key (its path
// and query).
func redact(u string) string {
	scheme, rest, ok := strings.Cut(u, "://")
	if !ok {
		return "(rpc)"
	}
	host, _, _ := strings.Cut(rest, "/")
	if at := strings.LastIndex(host, "@"); at >= 0 {
		host = host[at+1:]
	}
	return scheme + "://" + host
}
