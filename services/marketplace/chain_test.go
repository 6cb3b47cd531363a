package marketplace

import (
	"context"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/entitytest"
	"github.com/p2pcatalyst/catalyst/store/events"
	"github.com/p2pcatalyst/catalyst/sync/chain"
	"github.com/p2pcatalyst/catalyst/sync/chain/chaintest"
)

// chainFixture is the marketplace over two simulated chains (mocks at
// the mainnet addresses) indexed into the same store.
type chainFixture struct {
	*fixture
	net *chaintest.Network
	ch  *chain.Service
}

func newChainFixture(t *testing.T) *chainFixture {
	net := chaintest.NewNetwork(t)
	cf := &chainFixture{net: net}
	cf.fixture = newFixture(t, func(st *store.Store, bus *events.Bus) Chain {
		c := net.Contracts
		svc, err := chain.New(chain.Config{Network: "mainnet", Contracts: &c, EthRPC: net.L1.URL, PolygonRPC: net.L2.URL, Store: st, Bus: bus,
			Index: true, Confirmations: 1, PollEvery: 10 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		if err := svc.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { svc.Stop(context.Background()) })
		cf.ch = svc
		return ChainOf(svc)
	}, nil)
	return cf
}

// settle seals blocks past the confirmations, waits for both indexers
// and reads the contracts again.
func (cf *chainFixture) settle() {
	cf.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for name, c := range map[string]*chaintest.Chain{"ethereum": cf.net.L1, "polygon": cf.net.L2} {
		c.Commit()
		c.Commit()
		if err := cf.ch.Indexer(name).WaitFor(ctx, c.Head().Number.Uint64()-1); err != nil {
			cf.t.Fatal(err)
		}
	}
	if err := cf.svc.refresh(ctx); err != nil {
		cf.t.Fatal(err)
	}
}

type assetsJSON struct {
	OK   bool `json:"ok"`
	Data struct {
		Elements   []map[string]any `json:"elements"`
		Total      int              `json:"total"`
		TotalItems *int             `json:"totalItems"`
		Pages      int              `json:"pages"`
	} `json:"data"`
}

// TestOwnershipFromTheChain: what users hold, the NFTs, an item's owners,
// the catalog's prices, supply and creators, the collections and the
// sales follow the chain's index and the collections' contracts.
func TestOwnershipFromTheChain(t *testing.T) {
	cf := newChainFixture(t)
	n := cf.net
	a, b, creator := entitytest.NewIdentity(), entitytest.NewIdentity(), entitytest.NewIdentity()
	addr := func(id *entitytest.Identity) common.Address { return common.HexToAddress(id.Address) }
	colS := chaintest.Addr(chaintest.CollectionAddress)
	hatURN := "urn:decentraland:matic:collections-v2:" + colS + ":0"
	danceURN := "urn:decentraland:matic:collections-v2:" + colS + ":1"
	cf.wearable(creator, hatURN, "Hat", "hat")
	cf.emote(creator, danceURN, "Dance", "dance", false)

	col := n.Collection()
	price := new(big.Int).Mul(big.NewInt(5), big.NewInt(1e18))
	n.L1.Send(
		func(o *bind.TransactOpts) (*types.Transaction, error) {
			return n.Registrar.Register(o, "alice", addr(a))
		},
		func(o *bind.TransactOpts) (*types.Transaction, error) {
			return n.LAND.SetOwner(o, chaintest.Parcel(1, 2), addr(a))
		},
	)
	n.L2.Send(
		func(o *bind.TransactOpts) (*types.Transaction, error) {
			return n.Factory.Add(o, chaintest.CollectionAddress)
		},
		func(o *bind.TransactOpts) (*types.Transaction, error) { return col.SetCreator(o, addr(creator)) },
		func(o *bind.TransactOpts) (*types.Transaction, error) {
			return col.AddItem(o, big.NewInt(0), "rare", price, "1:w:Hat:a hat:hat:BaseMale")
		},
		func(o *bind.TransactOpts) (*types.Transaction, error) {
			return col.AddItem(o, big.NewInt(1), "epic", big.NewInt(0), "1:e:Dance:a dance:dance:BaseMale")
		},
		func(o *bind.TransactOpts) (*types.Transaction, error) { return col.SetFlags(o, true, true) },
	)
	n.L2.Send(
		// A primary sale through the collection store, then mints.
		func(o *bind.TransactOpts) (*types.Transaction, error) {
			return col.Issue(o, addr(a), big.NewInt(0), chaintest.StoreAddress)
		},
		func(o *bind.TransactOpts) (*types.Transaction, error) {
			return col.Issue(o, addr(a), big.NewInt(0), addr(creator))
		},
		func(o *bind.TransactOpts) (*types.Transaction, error) {
			return col.Issue(o, addr(a), big.NewInt(1), addr(creator))
		},
		func(o *bind.TransactOpts) (*types.Transaction, error) {
			return col.Issue(o, addr(b), big.NewInt(0), addr(creator))
		},
	)
	cf.settle()

	var w assetsJSON
	if st := cf.get("/marketplace/v1/users/"+a.Address+"/wearables", &w); st != 200 || w.Data.Total != 2 || len(w.Data.Elements) != 2 ||
		w.Data.TotalItems == nil || *w.Data.TotalItems != 1 {
		t.Fatalf("a's wearables: %d %+v", st, w)
	}
	for _, e := range w.Data.Elements {
		if e["urn"] != hatURN || e["name"] != "Hat" || e["category"] != "hat" || e["rarity"] != "rare" || e["price"] != price.String() ||
			!strings.HasPrefix(e["id"].(string), colS+"-") || e["transferredAt"] == "0" {
			t.Errorf("a wearable of a: %v", e)
		}
	}
	var g assetsJSON
	cf.get("/marketplace/v1/users/"+a.Address+"/wearables/grouped", &g)
	if len(g.Data.Elements) != 1 || g.Data.Elements[0]["amount"] != 2.0 || g.Data.Elements[0]["itemType"] != "wearable_v2" ||
		len(g.Data.Elements[0]["individualData"].([]any)) != 2 {
		t.Errorf("a's grouped wearables: %+v", g)
	}
	ind := g.Data.Elements[0]["individualData"].([]any)[0].(map[string]any)
	if !strings.HasPrefix(ind["id"].(string), hatURN+":") || ind["price"] != price.String() {
		t.Errorf("individual data: %v", ind)
	}
	var ut assetsJSON
	cf.get("/marketplace/v1/users/"+a.Address+"/wearables/urn-token?limit=1", &ut)
	if ut.Data.Total != 2 || len(ut.Data.Elements) != 1 || ut.Data.Pages != 2 || ut.Data.Elements[0]["urn"] != hatURN {
		t.Errorf("a's urn-token page: %+v", ut)
	}
	var em assetsJSON
	cf.get("/marketplace/v1/users/"+a.Address+"/emotes", &em)
	if em.Data.Total != 1 || em.Data.Elements[0]["urn"] != danceURN || em.Data.Elements[0]["category"] != "dance" || em.Data.Elements[0]["rarity"] != "epic" {
		t.Errorf("a's emotes: %+v", em)
	}
	cf.get("/marketplace/v1/users/"+b.Address+"/wearables", &w)
	if w.Data.Total != 1 {
		t.Errorf("b's wearables: %+v", w)
	}
	registrar := chaintest.Addr(n.Contracts.Registrar.Address)
	var names assetsJSON
	// Addresses are case-insensitive.
	if st := cf.get("/marketplace/v1/users/0x"+strings.ToUpper(a.Address[2:])+"/names", &names); st != 200 || names.Data.Total != 1 ||
		names.Data.Elements[0]["name"] != "alice" || names.Data.Elements[0]["contractAddress"] != registrar {
		t.Errorf("a's names: %d %+v", st, names)
	}
	var only assetsJSON
	cf.get("/marketplace/v1/users/"+a.Address+"/names/names-only", &only)
	if only.Data.Total != 1 || len(only.Data.Elements[0]) != 1 || only.Data.Elements[0]["name"] != "alice" {
		t.Errorf("a's names only: %+v", only)
	}

	// NFTs: an owner's, a category's, one token's.
	var nfts struct {
		Data []struct {
			NFT   map[string]any `json:"nft"`
			Order any            `json:"order"`
		} `json:"data"`
		Total int `json:"total"`
	}
	if st := cf.get("/marketplace/v1/nfts?owner="+a.Address, &nfts); st != 200 || nfts.Total != 5 {
		t.Fatalf("a's NFTs: %d %+v", st, nfts)
	}
	cats := map[string]map[string]any{}
	for _, d := range nfts.Data {
		cats[d.NFT["category"].(string)] = d.NFT
		if d.Order != nil || d.NFT["owner"] != a.Address {
			t.Errorf("an NFT: %+v", d)
		}
	}
	if p := cats["parcel"]; p["name"] != "Parcel" || p["network"] != "ETHEREUM" || p["chainId"] != 1.0 ||
		p["data"].(map[string]any)["parcel"].(map[string]any)["x"] != "1" || p["data"].(map[string]any)["parcel"].(map[string]any)["y"] != "2" {
		t.Errorf("the parcel: %v", p)
	}
	if e := cats["ens"]; e["name"] != "alice" || e["data"].(map[string]any)["ens"].(map[string]any)["subdomain"] != "alice" {
		t.Errorf("the name: %v", e)
	}
	if wr := cats["wearable"]; wr["name"] != "Hat" || wr["itemId"] != "0" || wr["network"] != "MATIC" ||
		wr["data"].(map[string]any)["wearable"].(map[string]any)["rarity"] != "rare" {
		t.Errorf("the wearable: %v", wr)
	}
	cf.get("/marketplace/v1/nfts?category=ens", &nfts)
	if nfts.Total != 1 {
		t.Errorf("names: %+v", nfts)
	}
	cf.get("/marketplace/v1/nfts?contractAddress="+colS+"&itemId=0", &nfts)
	if nfts.Total != 3 {
		t.Errorf("the hat's tokens: %+v", nfts)
	}
	cf.get("/marketplace/v1/nfts?owner="+a.Address+"&isLand", &nfts)
	if nfts.Total != 1 {
		t.Errorf("a's LAND: %+v", nfts)
	}

	var owners itemsJSON
	if st := cf.get("/marketplace/v1/owners?contractAddress="+colS+"&itemId=0", &owners); st != 200 || owners.Total != 3 ||
		owners.Data[0]["issuedId"] != "3" || owners.Data[0]["ownerId"] != b.Address || owners.Data[2]["issuedId"] != "1" {
		t.Errorf("the hat's owners: %d %+v", st, owners)
	}

	var cat itemsJSON
	cf.get("/marketplace/v1/catalog?urn="+hatURN, &cat)
	if len(cat.Data) != 1 {
		t.Fatalf("the hat in the catalog: %+v", cat)
	}
	hat := cat.Data[0]
	if hat["creator"] != creator.Address || hat["price"] != price.String() || hat["available"] != 97.0 || hat["owners"] != 2.0 ||
		hat["rarity"] != "rare" || hat["beneficiary"] != chaintest.Addr(n.L2.From) || hat["isOnSale"] != false {
		t.Errorf("the hat: %v", hat)
	}
	var cols itemsJSON
	cf.get("/marketplace/v1/collections", &cols)
	if cols.Total != 1 || cols.Data[0]["creator"] != creator.Address || cols.Data[0]["size"] != 2.0 {
		t.Errorf("collections: %+v", cols)
	}

	// The store's Issue is a sale, priced at the item's price.
	var sales itemsJSON
	eventually(t, "the primary sale", func() bool {
		cf.get("/marketplace/v1/sales", &sales)
		return sales.Total == 1
	})
	if s := sales.Data[0]; s["type"] != "mint" || s["buyer"] != a.Address || s["contractAddress"] != colS || s["itemId"] != "0" ||
		s["price"] != price.String() || s["network"] != "MATIC" || s["chainId"] != 137.0 || !strings.HasPrefix(s["txHash"].(string), "0x") {
		t.Errorf("the sale: %v", s)
	}
	var accs itemsJSON
	cf.get("/marketplace/v1/accounts?address="+a.Address, &accs)
	if accs.Total != 1 || accs.Data[0]["purchases"] != 1.0 || accs.Data[0]["spent"] != price.String() {
		t.Errorf("a's account: %+v", accs)
	}
	cf.get("/marketplace/v1/accounts?sortBy=most_collections&first=1", &accs)
	if len(accs.Data) != 1 || accs.Data[0]["address"] != creator.Address || accs.Data[0]["collections"] != 1.0 {
		t.Errorf("the creator's account: %+v", accs)
	}

	// A transfer moves the NAME between the lists.
	n.L1.Send(func(o *bind.TransactOpts) (*types.Transaction, error) {
		return n.Registrar.Transfer(o, "alice", addr(b))
	})
	cf.settle()
	cf.get("/marketplace/v1/users/"+a.Address+"/names", &names)
	if names.Data.Total != 0 {
		t.Errorf("a's names after the transfer: %+v", names)
	}
	cf.get("/marketplace/v1/users/"+b.Address+"/names", &names)
	if names.Data.Total != 1 || names.Data.Elements[0]["name"] != "alice" {
		t.Errorf("b's names after the transfer: %+v", names)
	}
}
