package chain_test

import (
	"context"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/p2pcatalyst/catalyst/sync/chain"
	"github.com/p2pcatalyst/catalyst/sync/chain/chaintest"
)

// TestMarketReads: what the marketplace reads of the index (collections
// and their items, an owner's tokens of every kind, a contract's tokens,
// an item's holders, an estate's parcels) and of the contracts (price
// and supply) follows the chain.
func TestMarketReads(t *testing.T) {
	n := chaintest.NewNetwork(t)
	st := openStore(t)
	svc, _ := indexed(t, n, st, nil)
	a, aS := addr()
	b, bS := addr()
	creator, creatorS := addr()
	col := n.Collection()
	estate := n.Contracts.Estate.Address
	n.L1.Send(
		func(o *bind.TransactOpts) (*types.Transaction, error) {
			return n.LAND.SetOwner(o, chaintest.Parcel(3, -4), a)
		},
		func(o *bind.TransactOpts) (*types.Transaction, error) {
			return n.LAND.SetOwner(o, chaintest.Parcel(5, 5), estate)
		},
		func(o *bind.TransactOpts) (*types.Transaction, error) {
			return n.Estate.SetLandEstate(o, chaintest.Parcel(5, 5), big.NewInt(2))
		},
		func(o *bind.TransactOpts) (*types.Transaction, error) { return n.Estate.SetOwner(o, big.NewInt(2), a) },
		func(o *bind.TransactOpts) (*types.Transaction, error) { return n.Registrar.Register(o, "shop", a) },
	)
	n.L2.Send(
		func(o *bind.TransactOpts) (*types.Transaction, error) {
			return n.Factory.Add(o, chaintest.CollectionAddress)
		},
		func(o *bind.TransactOpts) (*types.Transaction, error) { return col.SetCreator(o, creator) },
		func(o *bind.TransactOpts) (*types.Transaction, error) {
			return col.AddItem(o, big.NewInt(0), "rare", big.NewInt(7e18), "1:w:Hat:a hat:hat:BaseMale")
		},
		func(o *bind.TransactOpts) (*types.Transaction, error) {
			return col.AddItem(o, big.NewInt(1), "epic", big.NewInt(0), "1:e:Dance:a dance:dance:BaseMale")
		},
		func(o *bind.TransactOpts) (*types.Transaction, error) { return col.SetFlags(o, true, true) },
	)
	n.L2.Send(
		func(o *bind.TransactOpts) (*types.Transaction, error) { return col.Issue(o, a, big.NewInt(0), creator) },
		func(o *bind.TransactOpts) (*types.Transaction, error) { return col.Issue(o, b, big.NewInt(0), creator) },
		func(o *bind.TransactOpts) (*types.Transaction, error) { return col.Issue(o, a, big.NewInt(1), creator) },
	)
	settle(t, n, svc)
	ctx := context.Background()
	colS := chaintest.Addr(chaintest.CollectionAddress)

	cols, err := svc.MarketCollections(ctx)
	if err != nil || len(cols) != 1 {
		t.Fatalf("collections: %+v %v", cols, err)
	}
	c := cols[0]
	if c.Address != colS || c.Creator != creatorS || len(c.Items) != 2 || c.Items[0].Kind != "wearable" || c.Items[1].Kind != "emote" || c.Items[0].Rarity != "rare" {
		t.Errorf("collection: %+v", c)
	}

	toks, err := svc.MarketTokens(ctx, aS, "")
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]chain.MarketToken{}
	for _, tk := range toks {
		kinds[tk.Category] = tk
	}
	if p := kinds["parcel"]; p.X != 3 || p.Y != -4 || p.Estate != nil {
		t.Errorf("parcel: %+v", p)
	}
	if e := kinds["estate"]; e.TokenID.Int64() != 2 {
		t.Errorf("estate: %+v", e)
	}
	if e := kinds["ens"]; e.Subdomain != "shop" {
		t.Errorf("name: %+v", e)
	}
	if w := kinds["wearable"]; w.URN != "urn:decentraland:matic:collections-v2:"+colS+":0" || w.ItemID != "0" || w.IssuedID != "1" || w.Since == 0 {
		t.Errorf("wearable: %+v", w)
	}
	if e := kinds["emote"]; e.ItemID != "1" || e.Rarity != "epic" {
		t.Errorf("emote: %+v", e)
	}
	if len(toks) != 5 {
		t.Errorf("a holds %d tokens, want 5: %+v", len(toks), toks)
	}

	parcels, err := svc.EstateParcels(ctx, big.NewInt(2))
	if err != nil || len(parcels) != 1 || parcels[0] != [2]int{5, 5} {
		t.Errorf("estate parcels: %v %v", parcels, err)
	}

	owners, err := svc.ItemOwners(ctx, colS, "0")
	if err != nil || len(owners) != 2 {
		t.Fatalf("owners of item 0: %+v %v", owners, err)
	}
	seen := map[string]string{}
	for _, o := range owners {
		seen[o.Owner] = o.IssuedID
	}
	if seen[aS] != "1" || seen[bS] != "2" {
		t.Errorf("owners of item 0: %v", seen)
	}

	all, more, err := svc.ContractTokens(ctx, colS, 2)
	if err != nil || len(all) != 2 || !more {
		t.Errorf("two tokens of the collection: %d %v %v", len(all), more, err)
	}
	all, more, _ = svc.ContractTokens(ctx, colS, 0)
	if len(all) != 3 || more {
		t.Errorf("every token of the collection: %d %v", len(all), more)
	}
	lands, _, _ := svc.ContractTokens(ctx, chaintest.Addr(n.Contracts.LAND.Address), 0)
	if len(lands) != 2 {
		t.Errorf("LAND tokens: %+v", lands)
	}

	lc, li, err := svc.MarketLive(ctx, []string{colS}, []chain.LiveItemRef{{Collection: colS, ItemID: "0"}, {Collection: colS, ItemID: "9"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := lc[colS]; !got.Known || !got.Approved || !got.Completed || got.Creator != creatorS || got.StoreMinter {
		t.Errorf("live collection: %+v", got)
	}
	hat := li[chain.LiveItemRef{Collection: colS, ItemID: "0"}]
	if !hat.Known || hat.Price.Cmp(big.NewInt(7e18)) != 0 || hat.MaxSupply.Int64() != 100 || hat.TotalSupply.Int64() != 2 || hat.Rarity != "rare" {
		t.Errorf("live item: %+v", hat)
	}
	// An item the collection does not have: the mock answers a zero item.
	if missing := li[chain.LiveItemRef{Collection: colS, ItemID: "9"}]; missing.MaxSupply != nil && missing.MaxSupply.Sign() != 0 {
		t.Errorf("a missing item: %+v", missing)
	}
	if _, _, err := svc.MarketLive(ctx, make([]string, chain.MaxLiveCalls), nil); err == nil {
		t.Error("more calls than MaxLiveCalls were made")
	}

	// A transfer moves the token between owners' lists.
	token := new(big.Int).Or(new(big.Int).Lsh(big.NewInt(0), 216), big.NewInt(1))
	n.L2.Send(func(o *bind.TransactOpts) (*types.Transaction, error) { return col.Transfer(o, token, b) })
	settle(t, n, svc)
	toks, _ = svc.MarketTokens(ctx, bS, colS)
	if len(toks) != 2 {
		t.Errorf("b's tokens of the collection after the transfer: %+v", toks)
	}
	toks, _ = svc.MarketTokens(ctx, aS, colS)
	if len(toks) != 1 || toks[0].ItemID != "1" {
		t.Errorf("a's tokens of the collection after the transfer: %+v", toks)
	}
}
