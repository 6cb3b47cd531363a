package marketplace

import (
	"context"
	"encoding/json"
	"io"
	"math/big"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/entitytest"
	"github.com/p2pcatalyst/catalyst/store/events"
)

// fakeChain answers from fixed data: what the collections' contracts say
// is the test's to choose (the mocks of chaintest have no minters, so
// nothing is ever on sale there).
type fakeChain struct {
	mu    sync.Mutex
	cols  map[string]LiveCollection
	items map[ItemRef]LiveItem
	index []Collection
	reads int
}

func (c *fakeChain) Network() string { return "mainnet" }
func (c *fakeChain) Contracts() Contracts {
	return Contracts{Registrar: "0x2a187453064356c898cae034eaed119e1663acb8"}
}
func (c *fakeChain) Tokens(context.Context, string, string) ([]Token, error) {
	return nil, nil
}
func (c *fakeChain) ContractTokens(context.Context, string, int) ([]Token, bool, error) {
	return nil, false, nil
}
func (c *fakeChain) ItemOwners(context.Context, string, string) ([]Token, error) { return nil, nil }
func (c *fakeChain) EstateParcels(context.Context, string) ([][2]int, error)     { return nil, nil }
func (c *fakeChain) Collections(context.Context) ([]Collection, error)           { return c.index, nil }
func (c *fakeChain) Live(_ context.Context, cols []string, items []ItemRef) (map[string]LiveCollection, map[ItemRef]LiveItem, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.reads++
	oc, oi := map[string]LiveCollection{}, map[ItemRef]LiveItem{}
	for _, a := range cols {
		if v, ok := c.cols[a]; ok {
			oc[a] = v
		}
	}
	for _, r := range items {
		if v, ok := c.items[r]; ok {
			oi[r] = v
		}
	}
	return oc, oi, nil
}

func eth(n int64) *big.Int { return new(big.Int).Mul(big.NewInt(n), big.NewInt(1e17)) } // tenths of MANA

func liveItem(price *big.Int, max, total int64) LiveItem {
	return LiveItem{Known: true, Price: price, MaxSupply: big.NewInt(max), TotalSupply: big.NewInt(total), Beneficiary: beneficiary}
}

const beneficiary = "0x00000000000000000000000000000000000000be"

// TestOnSaleSalesAndTrendings: what the contracts say puts items on sale
// (approved, the store a minter, supply left), which prices, sorts,
// price filters and /v1/prices read; the chain's sales are recorded from
// the bus once each, kept across a restart, and make the trendings and
// the accounts.
func TestOnSaleSalesAndTrendings(t *testing.T) {
	fc := &fakeChain{
		cols: map[string]LiveCollection{colA: {Known: true, Approved: true, StoreMinter: true, Name: "Hats"}, colB: {Known: true}},
		items: map[ItemRef]LiveItem{
			{colA, "0"}: liveItem(eth(20), 10, 3), // on sale
			{colA, "1"}: liveItem(eth(10), 5, 5),  // sold out
			{colB, "0"}: liveItem(eth(30), 10, 0), // its collection is not approved
		},
		index: []Collection{{Address: colA, Creator: "0x00000000000000000000000000000000000000c0", Items: []ChainItem{{ItemID: "0"}, {ItemID: "1"}}}},
	}
	reg := prometheus.NewRegistry()
	f := newFixture(t, func(*store.Store, *events.Bus) Chain { return fc }, func(c *Config) { c.RefreshEvery = 10 * time.Millisecond; c.Metrics = reg })
	u := entitytest.NewIdentity()
	f.wearable(u, "urn:decentraland:matic:collections-v2:"+colA+":0", "Hat", "hat")
	f.wearable(u, "urn:decentraland:matic:collections-v2:"+colA+":1", "Shirt", "upper_body")
	f.emote(u, "urn:decentraland:matic:collections-v2:"+colB+":0", "Wave", "greetings", false)

	names := func(path string) string {
		t.Helper()
		var got itemsJSON
		if st := f.get(path, &got); st != 200 {
			t.Fatalf("%s: %d", path, st)
		}
		var out []string
		for _, it := range got.Data {
			out = append(out, it["name"].(string))
		}
		return strings.Join(out, ",")
	}
	// The refresh loop reads the contracts of the items deployed.
	eventually(t, "the items and their prices", func() bool {
		return names("/marketplace/v1/catalog?onlyMinting=true") == "Hat" && names("/marketplace/v1/catalog?sortBy=cheapest") == "Shirt,Hat,Wave"
	})
	var cat itemsJSON
	f.get("/marketplace/v1/catalog?sortBy=cheapest", &cat)
	if got := names("/marketplace/v1/catalog?sortBy=cheapest"); got != "Shirt,Hat,Wave" {
		t.Errorf("cheapest first: %s", got)
	}
	if got := names("/marketplace/v1/catalog?sortBy=most_expensive"); got != "Wave,Hat,Shirt" {
		t.Errorf("most expensive first: %s", got)
	}
	hat := cat.Data[1]
	if hat["isOnSale"] != true || hat["available"] != 7.0 || hat["price"] != eth(20).String() || hat["beneficiary"] != beneficiary ||
		hat["creator"] != "0x00000000000000000000000000000000000000c0" {
		t.Errorf("the hat: %v", hat)
	}
	for q, want := range map[string]string{
		"isSoldOut":                    "Shirt",
		"isOnSale=true":                "Hat",
		"minPrice=1.5":                 "Hat",
		"minPrice=2.5":                 "",
		"maxPrice=1.5":                 "", // the shirt's price is lower, but it is not on sale
		"maxPrice=2&category=wearable": "Hat",
	} {
		if got := names("/marketplace/v1/items?sortBy=name&" + q); got != want {
			t.Errorf("%s: %q, want %q", q, got, want)
		}
	}
	var cols itemsJSON
	f.get("/marketplace/v1/collections?isOnSale=true", &cols)
	if cols.Total != 1 || cols.Data[0]["name"] != "Hats" || cols.Data[0]["isOnSale"] != true || cols.Data[0]["size"] != 2.0 {
		t.Errorf("collections on sale (the unapproved one is left out): %+v", cols)
	}
	raw := func(path string) string {
		res, err := http.Get(f.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return strings.TrimSpace(string(b))
	}
	if got := raw("/marketplace/v1/prices?category=wearable"); got != `{"`+eth(20).String()+`":1}` {
		t.Errorf("prices of wearables: %s", got)
	}
	if got := raw("/marketplace/v1/prices?category=wearable&assetType=nft"); got != `{}` {
		t.Errorf("prices of wearable NFTs (no order is indexed): %s", got)
	}

	// Two sales of the hat and one duplicate delivery, through the bus.
	sold := func(key, buyer string, token int64) {
		meta, _ := json.Marshal(map[string]any{"buyer": buyer, "seller": beneficiary, "tokenId": big.NewInt(token).String(),
			"link": "https://decentraland.org/marketplace/contracts/" + colA + "/tokens/" + big.NewInt(token).String(), "network": "polygon", "category": "wearable"})
		if err := f.bus.Publish(context.Background(), events.Event{Type: "blockchain", SubType: "item-sold", Key: key, Timestamp: time.Now().UnixMilli(), Metadata: meta}); err != nil {
			t.Fatal(err)
		}
	}
	buyer := "0x00000000000000000000000000000000000000b0"
	sold("item-sold-0x01-1", buyer, 1)
	sold("item-sold-0x02-4", buyer, 2)
	sold("item-sold-0x02-4", buyer, 2)
	var sales itemsJSON
	eventually(t, "two sales", func() bool { f.get("/marketplace/v1/sales", &sales); return sales.Total == 2 })
	if s := sales.Data[0]; s["id"] != "0x02-4" || s["txHash"] != "0x02" || s["price"] != eth(20).String() || s["seller"] != beneficiary {
		t.Errorf("the newest sale: %v", s)
	}
	if n := len(fetchSales(t, f, "buyer="+buyer+"&category=wearable")); n != 2 {
		t.Errorf("the buyer's sales: %d", n)
	}
	if n := len(fetchSales(t, f, "category=emote")); n != 0 {
		t.Errorf("emote sales: %d", n)
	}
	if n := len(fetchSales(t, f, "from="+big.NewInt(time.Now().Add(time.Hour).UnixMilli()).String())); n != 0 {
		t.Errorf("sales from the future: %d", n)
	}
	var accs itemsJSON
	f.get("/marketplace/v1/accounts?sortBy=most_earned", &accs)
	if len(accs.Data) == 0 || accs.Data[0]["address"] != beneficiary || accs.Data[0]["sales"] != 2.0 || accs.Data[0]["earned"] != eth(40).String() {
		t.Errorf("accounts: %+v", accs)
	}
	if got := names("/marketplace/v1/trendings"); got != "Hat" {
		t.Errorf("trendings: %q", got)
	}
	if got := names("/marketplace/v1/catalog?sortBy=recently_sold&first=1"); got != "Hat" {
		t.Errorf("recently sold: %q", got)
	}
	if v := testutil.ToFloat64(f.svc.m.sales); v < 2 { // a duplicate delivery may be written again, never listed twice
		t.Errorf("sales recorded: %v", v)
	}
	if v := testutil.ToFloat64(f.svc.m.refreshes.WithLabelValues("ok")); v < 1 {
		t.Errorf("refreshes: %v", v)
	}

	// A new service over the same store finds the sales.
	again := New(Config{Store: f.st, Chain: fc})
	if err := again.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer again.Stop(context.Background())
	if n := len(again.sales.all()); n != 2 {
		t.Errorf("sales after a restart: %d", n)
	}
}

func fetchSales(t *testing.T, f *fixture, q string) []map[string]any {
	t.Helper()
	var got itemsJSON
	if st := f.get("/marketplace/v1/sales?"+q, &got); st != 200 {
		t.Fatalf("sales?%s: %d", q, st)
	}
	return got.Data
}
