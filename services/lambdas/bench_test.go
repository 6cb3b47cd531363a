package lambdas

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/p2pcatalyst/catalyst/store/entitytest"
)

// BenchmarkExplorerWearables measures GET /explorer/:address/wearables
// over every base wearable of lamb2's list, trimmed, the way the Unity
// explorer asks (a backpack page, and everything in one page).
//
//	go test -run X -bench ExplorerWearables -benchtime 2000x ./services/lambdas/
func BenchmarkExplorerWearables(b *testing.B) {
	f := newFixture(b)
	dcl := entitytest.NewIdentity()
	for i, urn := range BaseWearables {
		name := urn[strings.LastIndex(urn, ":")+1:]
		f.deploy(wearable(dcl, urn, name, []string{"eyes", "hair", "upper_body", "lower_body", "feet"}[i%5], time.Now()))
	}
	user := "/explorer/" + dcl.Address + "/wearables?trimmed=true&includeAmount=true&direction=desc&collectionType=base-wearable&collectionType=on-chain&collectionType=third-party"
	// 1,000 items, the target's user: the base wearables again and
	// again (what the chain's items will go through: filter, sort, page).
	var items []item
	base, _ := f.s.baseWearables(context.Background())
	for len(items) < 1000 {
		for _, it := range base {
			it.urn = fmt.Sprintf("%s:%d", it.urn, len(items))
			it.enc = &encoded{} // its own answers: another urn
			items = append(items, it)
		}
	}
	items = items[:1000]
	b.Run("1000items", func(b *testing.B) {
		lat := make([]time.Duration, b.N)
		for i := range b.N {
			r := httptest.NewRequest("GET", user+"&pageSize=1000&orderBy=Name", nil)
			rec := httptest.NewRecorder()
			start := time.Now()
			order, _ := readSort(rec, r)
			p, _ := readPage(r, maxPageSize, false)
			f.s.answerItems(rec, r, items, filter{}, order, p, false)
			lat[i] = time.Since(start)
		}
		slices.Sort(lat)
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	})
	for _, c := range []struct{ name, query string }{
		{"page16", "&pageNum=2&pageSize=16&orderBy=Date"},
		{"all", "&pageSize=1000&orderBy=Rarity"},
	} {
		b.Run(c.name, func(b *testing.B) {
			mux := f.srv.Config.Handler
			lat := make([]time.Duration, b.N)
			b.ReportAllocs()
			for i := range b.N {
				r := httptest.NewRequest("GET", user+c.query, nil)
				rec := httptest.NewRecorder()
				start := time.Now()
				mux.ServeHTTP(rec, r)
				lat[i] = time.Since(start)
				if rec.Code != 200 {
					b.Fatalf("%d %s", rec.Code, rec.Body)
				}
			}
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
			b.ReportMetric(float64(len(BaseWearables)), "items")
		})
	}
}

// BenchmarkProfilesCached is POST /profiles with 100 ids on the lambdas
// handler alone (no node around it), 8 at once, all rendered already.
//
//	go test -run X -bench ProfilesCached -benchtime 4000x ./services/lambdas/
func BenchmarkProfilesCached(b *testing.B) {
	f := newFixture(b)
	ids := make([]string, 2000)
	for i := range ids {
		id := entitytest.NewIdentity()
		f.deploy(entitytest.Profile(id, time.Now(), "u"))
		ids[i] = id.Address
	}
	mux := f.srv.Config.Handler
	body := func(i int) []byte {
		start := (i * 100) % len(ids)
		raw, _ := json.Marshal(map[string]any{"ids": ids[start : start+100]})
		return raw
	}
	for i := range 20 {
		mux.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", "/lambdas/profiles", bytes.NewReader(body(i))))
	}
	lat := make([]time.Duration, b.N)
	var next atomic.Int64
	var wg sync.WaitGroup
	b.ResetTimer()
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= b.N {
					return
				}
				r := httptest.NewRequest("POST", "/lambdas/profiles", bytes.NewReader(body(i)))
				rec := httptest.NewRecorder()
				start := time.Now()
				mux.ServeHTTP(rec, r)
				lat[i] = time.Since(start)
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(b.N*100)/b.Elapsed().Seconds(), "profiles/s")
}
