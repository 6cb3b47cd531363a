package chain

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"

	"github.com/p2pcatalyst/catalyst/store"
)

// blockTime is a chain's usual seconds per block, the first guess of a
// search (the search corrects it).
func blockTime(chain string) uint64 {
	if chain == "polygon" {
		return 2
	}
	return 12
}

// BlocksAt returns, for each time (unix seconds), the latest block whose
// timestamp is at most it. The searches of all times share their round
// trips: each round asks, in one batch, a few headers around each time's
// interpolated block, and the head. A post-merge chain's blocks come
// every 12 s, so a recent time is usually found in the first round.
// Answers for times well before the head are kept in the store.
func (c *Client) BlocksAt(ctx context.Context, ks *store.Keyspace, times []uint64) ([]Header, error) {
	out := make([]Header, len(times))
	var pending []int
	for i, t := range times {
		if h, ok := c.cachedBlockAt(ctx, ks, t); ok {
			out[i] = h
			continue
		}
		pending = append(pending, i)
	}
	if len(pending) == 0 {
		return out, nil
	}
	head, _ := c.knownHead()
	if head.Hash == ([32]byte{}) {
		var err error
		if head, err = c.Head(ctx); err != nil {
			return nil, err
		}
	}
	// known headers, by number, of this search.
	known := map[uint64]Header{head.Number: head}
	for round := 0; len(pending) > 0; round++ {
		if round == 16 {
			return nil, fmt.Errorf("chain: %s: the block search did not converge (the RPC's block times are not monotonic?)", c.name)
		}
		var ask []uint64
		for _, i := range pending {
			ask = append(ask, c.probes(known, times[i])...)
		}
		got, err := c.Headers(ctx, ask, round == 0)
		if err != nil {
			return nil, err
		}
		for n, h := range got {
			known[n] = h
			if h.Number > head.Number {
				head = h
			}
		}
		var next []int
		for _, i := range pending {
			if h, ok := resolve(known, head, times[i]); ok {
				out[i] = h
				if times[i]+30*60 < head.Time { // well past finality
					c.storeBlockAt(ctx, ks, times[i], h)
				}
				continue
			}
			next = append(next, i)
		}
		pending = next
	}
	return out, nil
}

// bracket is the closest known headers around t: lo.Time ≤ t < hi.Time.
func bracket(known map[uint64]Header, t uint64) (lo, hi *Header) {
	for _, h := range known {
		h := h
		if h.Time <= t {
			if lo == nil || h.Number > lo.Number {
				lo = &h
			}
		} else if hi == nil || h.Number < hi.Number {
			hi = &h
		}
	}
	return lo, hi
}

// resolve answers t if the known headers decide it.
func resolve(known map[uint64]Header, head Header, t uint64) (Header, bool) {
	if head.Time <= t {
		return head, true
	}
	lo, hi := bracket(known, t)
	if hi != nil && hi.Number == 0 {
		return *hi, true // before genesis: the genesis block
	}
	if lo != nil && hi != nil && hi.Number == lo.Number+1 {
		return *lo, true
	}
	return Header{}, false
}

// probes are the headers worth asking next for t: around the block
// interpolated between the closest known headers (or extrapolated from
// the one side known), and the midpoint when the bracket is wide.
func (c *Client) probes(known map[uint64]Header, t uint64) []uint64 {
	lo, hi := bracket(known, t)
	var guess uint64
	var floor, ceil uint64 = 0, ^uint64(0)
	switch {
	case lo != nil && hi != nil:
		floor, ceil = lo.Number+1, hi.Number-1
		span := hi.Number - lo.Number
		guess = lo.Number + (t-lo.Time)*span/max(hi.Time-lo.Time, 1)
	case hi != nil: // every known block is later
		ceil = hi.Number - 1
		back := (hi.Time - t) / blockTime(c.name)
		if back > hi.Number {
			back = hi.Number
		}
		guess = hi.Number - back
		floor = 0
	case lo != nil: // every known block is earlier (the head known may be stale)
		floor = lo.Number + 1
		guess = lo.Number + (t-lo.Time)/blockTime(c.name)
	default:
		return nil
	}
	guess = min(max(guess, floor), ceil)
	var ps []uint64
	add := func(n uint64) {
		if n >= floor && n <= ceil {
			ps = append(ps, n)
		}
	}
	for _, d := range []int64{-8, -2, -1, 0, 1, 2, 8} {
		if d < 0 && guess < uint64(-d) {
			continue
		}
		add(uint64(int64(guess) + d))
	}
	if ceil != ^uint64(0) && ceil-floor > 64 {
		add(floor + (ceil-floor)/2)
	}
	slices.Sort(ps)
	return slices.Compact(ps)
}

func blockAtKey(chain string, t uint64) string {
	return fmt.Sprintf("bt/%s/%016x", chain, t)
}

func (c *Client) cachedBlockAt(ctx context.Context, ks *store.Keyspace, t uint64) (Header, bool) {
	if ks == nil {
		return Header{}, false
	}
	v, err := ks.Get(ctx, blockAtKey(c.name, t))
	if err != nil || len(v) != 48 {
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			c.log.Warn("block-by-time cache", "err", err)
		}
		return Header{}, false
	}
	h := Header{Number: binary.BigEndian.Uint64(v), Time: binary.BigEndian.Uint64(v[8:])}
	copy(h.Hash[:], v[16:])
	return h, true
}

func (c *Client) storeBlockAt(ctx context.Context, ks *store.Keyspace, t uint64, h Header) {
	if ks == nil {
		return
	}
	v := binary.BigEndian.AppendUint64(binary.BigEndian.AppendUint64(nil, h.Number), h.Time)
	v = append(v, h.Hash[:]...)
	if err := ks.Write(ctx, map[string][]byte{blockAtKey(c.name, t): v}); err != nil {
		c.log.Warn("block-by-time cache", "err", err)
	}
}
