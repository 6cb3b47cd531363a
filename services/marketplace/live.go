package marketplace

import (
	"context"
	"math/big"
	"slices"
	"time"

	"github.com/p2pcatalyst/catalyst/sync/chain"
)

// snapshot is the last read of the chain: the index's collections and
// what the contracts of the node's items said.
type snapshot struct {
	at        time.Time
	cols      map[string]Collection // by address
	liveCols  map[string]LiveCollection
	liveItems map[ItemRef]LiveItem
}

// liveCallsPerRead bounds the view calls of one read (5 a collection, 2
// an item); a refresh makes as many reads as the node's items need, one
// after another.
const liveCallsPerRead = min(1000, chain.MaxLiveCalls)

// refresh reads the index's collections and, from their contracts, the
// price, supply, minters and approval of the items the node holds.
func (s *Service) refresh(ctx context.Context) error {
	c := s.cfg.Chain
	if c == nil {
		return nil
	}
	items, err := s.idx.all(ctx)
	if err != nil {
		return err
	}
	s.m.items.Set(float64(len(items)))
	cols, err := c.Collections(ctx)
	if err != nil {
		return err
	}
	next := &snapshot{at: s.cfg.Now(), cols: map[string]Collection{}, liveCols: map[string]LiveCollection{}, liveItems: map[ItemRef]LiveItem{}}
	for _, col := range cols {
		next.cols[col.Address] = col
	}
	l2 := map[string]string{"mainnet": "matic", "sepolia": "amoy"}[c.Network()]
	var refs []ItemRef
	var contracts []string
	for _, it := range items {
		if it.v1 || !hasNetwork(it.urn, l2) {
			continue
		}
		refs = append(refs, ItemRef{Collection: it.contract, ItemID: it.itemID})
		if !slices.Contains(contracts, it.contract) {
			contracts = append(contracts, it.contract)
		}
	}
	// Collections and items in parts of what one read may ask.
	for len(contracts) > 0 || len(refs) > 0 {
		nc := min(len(contracts), liveCallsPerRead/10)
		ni := min(len(refs), (liveCallsPerRead-5*nc)/2)
		lc, li, err := c.Live(ctx, contracts[:nc], refs[:ni])
		if err != nil {
			return err
		}
		for k, v := range lc {
			next.liveCols[k] = v
		}
		for k, v := range li {
			next.liveItems[k] = v
		}
		contracts, refs = contracts[nc:], refs[ni:]
	}
	s.snap.set(next)
	return nil
}

func hasNetwork(urn, network string) bool {
	return network != "" && len(urn) > len("urn:decentraland:"+network+":") && urn[:len("urn:decentraland:"+network+":")] == "urn:decentraland:"+network+":"
}

// chainView is what the chain says of an item.
type chainView struct {
	creator     string
	beneficiary string
	rarity      string
	price       *big.Int
	available   int64
	onSale      bool
	approved    bool
	known       bool // the contracts answered
	indexed     bool // the index has the item
	reviewedAt  int64
}

// chainOf combines the index and the contracts' answers for it.
func (snap *snapshot) chainOf(it *item) chainView {
	cv := chainView{price: zero}
	if it.v1 {
		return cv
	}
	if col, ok := snap.cols[it.contract]; ok {
		cv.creator = col.Creator
		for _, ci := range col.Items {
			if ci.ItemID == it.itemID {
				cv.indexed, cv.beneficiary, cv.rarity = true, ci.Beneficiary, ci.Rarity
			}
		}
	}
	lc := snap.liveCols[it.contract]
	if lc.Creator != "" && lc.Creator != zeroAddress {
		cv.creator = lc.Creator
	}
	li, ok := snap.liveItems[ItemRef{Collection: it.contract, ItemID: it.itemID}]
	if !ok || !li.Known {
		return cv
	}
	cv.known, cv.approved = true, lc.Approved
	if li.Rarity != "" {
		cv.rarity = li.Rarity
	}
	if li.Beneficiary != "" && li.Beneficiary != zeroAddress {
		cv.beneficiary = li.Beneficiary
	}
	if li.Price != nil {
		cv.price = li.Price
	}
	if li.MaxSupply != nil && li.TotalSupply != nil {
		a := new(big.Int).Sub(li.MaxSupply, li.TotalSupply)
		switch {
		case a.Sign() < 0:
		case a.IsInt64():
			cv.available = a.Int64()
		default:
			cv.available = 1<<63 - 1
		}
	}
	cv.onSale = lc.Approved && (lc.StoreMinter || li.StoreMinter) && cv.available > 0
	return cv
}

// zero is the price of what has none (read it, never change it).
var zero = new(big.Int)

const zeroAddress = "0x0000000000000000000000000000000000000000"
