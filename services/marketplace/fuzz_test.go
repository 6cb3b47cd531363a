package marketplace

import (
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/entitytest"
	"github.com/p2pcatalyst/catalyst/store/events"
)

// fuzzRoutes are the read routes; {a} is the fuzzed path segment.
var fuzzRoutes = []string{
	"/marketplace/v1/catalog", "/marketplace/v2/catalog", "/marketplace/v1/items", "/marketplace/v1/nfts",
	"/marketplace/v1/users/{a}/wearables", "/marketplace/v1/users/{a}/wearables/grouped", "/marketplace/v1/users/{a}/wearables/urn-token",
	"/marketplace/v1/users/{a}/emotes/grouped", "/marketplace/v1/users/{a}/names", "/marketplace/v1/users/{a}/names/names-only",
	"/marketplace/v1/collections", "/marketplace/v1/accounts", "/marketplace/v1/owners", "/marketplace/v1/sales",
	"/marketplace/v1/prices", "/marketplace/v1/trendings", "/marketplace/v1/bids", "/marketplace/v1/orders",
}

// FuzzQueries: any query (and address segment) on any read route is
// answered 200 or 400 with JSON, never a panic or a 500: the parameters
// reach the filters, sorts, pages and views behind them.
func FuzzQueries(f *testing.F) {
	fc := &fakeChain{
		cols:  map[string]LiveCollection{colA: {Known: true, Approved: true, StoreMinter: true}},
		items: map[ItemRef]LiveItem{{colA, "0"}: liveItem(eth(20), 10, 3)},
	}
	fx := newFixture(f, func(*store.Store, *events.Bus) Chain { return fc }, nil)
	u := entitytest.NewIdentity()
	fx.wearable(u, "urn:decentraland:matic:collections-v2:"+colA+":0", "Hat", "hat")
	fx.emote(u, "urn:decentraland:matic:collections-v2:"+colB+":0", "Wave", "greetings", true)
	if err := fx.svc.refresh(f.Context()); err != nil {
		f.Fatal(err)
	}
	mux := http.NewServeMux()
	fx.svc.Routes(mux)
	for i, q := range []string{
		"first=10&skip=0&sortBy=cheapest&sortDirection=desc", "category=wearable&rarity=common&rarity[]=epic&wearableGender=unisex",
		"minPrice=0.5&maxPrice=100.123456789012345678", "isOnSale=true&onlyMinting", "limit=5000&offset=3&orderBy=date&direction=asc",
		"contractAddress=" + colA + "&itemId=0&orderDirection=asc", "owner=" + colA + "&isLand&tokenId=1", "first=-1", "x=1",
		"search=%ff%fe", "size=3", "category=land", "emotePlayMode=loop&emotePlayMode=simple", "from=-5&to=99999999999999999999",
	} {
		f.Add(uint8(i), u.Address, q)
	}
	f.Add(uint8(4), "0xZZ", "")
	f.Add(uint8(8), strings.Repeat("a", 600), "first=1e9")
	f.Fuzz(func(t *testing.T, route uint8, seg, query string) {
		path := strings.ReplaceAll(fuzzRoutes[int(route)%len(fuzzRoutes)], "{a}", url.PathEscape(seg))
		req := httptest.NewRequest("GET", "http://node.test/", nil)
		req.URL.Path, req.URL.RawPath, req.URL.RawQuery = path, "", query
		req.RequestURI = ""
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, req)
		if rec.Code != 200 && rec.Code != 400 && rec.Code != 404 {
			t.Fatalf("%s?%s: %d %s", path, query, rec.Code, rec.Body)
		}
		var body any
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil && rec.Code != 404 {
			t.Fatalf("%s?%s: %d, not JSON: %q", path, query, rec.Code, rec.Body)
		}
		if rec.Code == 400 {
			if m, _ := body.(map[string]any); m["ok"] != false || m["message"] == "" {
				t.Fatalf("%s?%s: a 400 without a message: %s", path, query, rec.Body)
			}
		}
	})
}

// FuzzParseURN: any pointer is a marketplace item or not, never a panic;
// what parses is well formed.
func FuzzParseURN(f *testing.F) {
	v1 := map[string]string{"halloween_2019": "0xc1f4b0eea2bd6690930e6c66efd3e197d620b9c2"}
	for _, s := range []string{
		"urn:decentraland:matic:collections-v2:" + colA + ":0", "urn:decentraland:ethereum:collections-v1:halloween_2019:bat_hat",
		"urn:decentraland:off-chain:base-avatars:f_hat", "urn:decentraland:matic:collections-v2:0x12:0", "urn:decentraland:amoy:collections-v2:" + colA + ":x",
		"urn:decentraland:ethereum:collections-v2:" + colA + ":1", "urn:decentraland:matic:collections-v2:" + colA + ":0:5", "::::::",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, urn string) {
		u, ok := parseURN(urn, v1)
		if !ok {
			return
		}
		if u.urn != strings.ToLower(urn) || u.itemID == "" || u.chainID == 0 || (u.network != "MATIC" && u.network != "ETHEREUM") {
			t.Fatalf("%q: %+v", urn, u)
		}
		if !u.v1 && (!isAddress(u.contract) || !isDecimal(u.itemID) || u.network != "MATIC") {
			t.Fatalf("a v2 item %q: %+v", urn, u)
		}
	})
}

// FuzzParseEther: an amount of MANA parses to wei as ethers.parseEther
// does, or is refused.
func FuzzParseEther(f *testing.F) {
	for _, s := range []string{"1", "0.5", ".5", "1.", "1.000000000000000001", "1.0000000000000000001", "-1", "1e18", "", "."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		w, ok := parseEther(s)
		if !ok {
			return
		}
		if w.Sign() < 0 {
			t.Fatalf("%q: negative %v", s, w)
		}
		// Back to ether: the same number.
		whole, frac, _ := strings.Cut(s, ".")
		want, _ := new(big.Int).SetString(strings.TrimLeft(whole+frac+strings.Repeat("0", 18-len(frac)), "0")+"0", 10)
		if want.Div(want, big.NewInt(10)).Cmp(w) != 0 {
			t.Fatalf("%q: %v, want %v", s, w, want)
		}
	})
}

func TestParseEther(t *testing.T) {
	for s, want := range map[string]string{"1": "1000000000000000000", "0.5": "500000000000000000", ".25": "250000000000000000",
		"2.": "2000000000000000000", "0.000000000000000001": "1"} {
		if w, ok := parseEther(s); !ok || w.String() != want {
			t.Errorf("%q: %v %v, want %s", s, w, ok, want)
		}
	}
	for _, s := range []string{"", ".", "-1", "1e3", "1.0000000000000000001", "0x10", "1,5"} {
		if w, ok := parseEther(s); ok {
			t.Errorf("%q parsed: %v", s, w)
		}
	}
}

// TestSalesLogOnce: a sale delivered twice is listed once; lists hold
// the newest maxSalesInMemory.
func TestSalesLogOnce(t *testing.T) {
	l := &salesLog{lastByItem: map[string]int64{}}
	s := storedSale{saleView: saleView{ID: "0x1-2", Timestamp: 5, ContractAddress: colA, ItemID: "0"}}
	l.add(s)
	l.add(s)
	l.add(storedSale{saleView: saleView{ID: "0x0-1", Timestamp: 3, ContractAddress: colA, ItemID: "0"}})
	if got := l.all(); len(got) != 2 || got[0].ID != "0x0-1" || got[1].ID != "0x1-2" || l.lastSold(colA, "0") != 5 {
		t.Errorf("sales: %+v, last sold %d", got, l.lastSold(colA, "0"))
	}
}
