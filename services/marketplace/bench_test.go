package marketplace

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// BenchmarkCatalog: one catalog page (a filter, the cheapest first) over
// 10,000 items in the index, with their prices read.
//
//	go test ./services/marketplace/ -run '^$' -bench Catalog -benchmem
func BenchmarkCatalog(b *testing.B) {
	fc := &fakeChain{cols: map[string]LiveCollection{}, items: map[ItemRef]LiveItem{}}
	f := newFixture(b, nil, nil)
	f.svc.cfg.Chain = fc
	byURN := map[string]*item{}
	for i := range 10000 {
		c := fmt.Sprintf("0x%040x", i/10+1)
		id := fmt.Sprint(i % 10)
		it := &item{urn: "urn:decentraland:matic:collections-v2:" + c + ":" + id, kind: "wearable", contract: c, itemID: id, network: "MATIC",
			chainID: 137, name: fmt.Sprintf("Item %d", i), rarity: rarityList[i%len(rarityList)], category: wearableCategories[i%len(wearableCategories)],
			bodyShapes: []string{"urn:decentraland:off-chain:base-avatars:BaseMale"}, createdAt: int64(i)}
		it.lname, it.key = it.name, c+"-"+id
		byURN[it.urn] = it
		fc.cols[c] = LiveCollection{Known: true, Approved: true, StoreMinter: true}
		fc.items[ItemRef{c, id}] = liveItem(eth(int64(i%97+1)), 100, int64(i%100))
	}
	f.svc.idx.byURN, f.svc.idx.firstAt, f.svc.idx.loaded, f.svc.idx.loadedAt = byURN, map[string]int64{}, true, time.Now()
	if err := f.svc.refresh(b.Context()); err != nil {
		b.Fatal(err)
	}
	f.svc.cfg.Chain = nil // owners are not counted: the page's views only
	mux := http.NewServeMux()
	f.svc.Routes(mux)
	b.ResetTimer()
	for b.Loop() {
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest("GET", "/marketplace/v1/catalog?category=wearable&isOnSale=true&rarity=epic&first=24", nil))
		if rec.Code != 200 {
			b.Fatal(rec.Code, rec.Body)
		}
	}
}
