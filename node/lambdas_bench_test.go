package node

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/p2pcatalyst/catalyst/store/entitytest"
)

// BenchmarkLambdasProfiles measures POST /lambdas/profiles with 100 ids
// over real HTTP on loopback (keep-alive; the client shares the machine),
// 8 requests at once, against 2,000 deployed
// profiles: first every profile rendered from the store once (cold), then
// random sets of 100 (warm: rendered profiles come from the cache; a set
// drawn with repeats asks fewer, and counts what it asked).
//
//	go test -run X -bench LambdasProfiles -benchtime 2000x ./node/
func BenchmarkLambdasProfiles(b *testing.B) {
	var asked atomic.Int64
	n, base := startNode(b, nil)
	h := n.Handler()
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 8}}
	const profiles = 2000
	ids := make([]string, profiles)
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < profiles; i += 8 {
				id := entitytest.NewIdentity()
				body, ct := entitytest.Profile(id, time.Now(), fmt.Sprint("user", i)).Multipart()
				r := httptest.NewRequest("POST", "/content/entities", bytes.NewReader(body))
				r.Header.Set("Content-Type", ct)
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, r)
				if rec.Code != 200 {
					b.Errorf("deploy: %d %s", rec.Code, rec.Body)
				}
				ids[i] = id.Address
			}
		}()
	}
	wg.Wait()

	post := func(batch []string) time.Duration {
		raw, _ := json.Marshal(map[string]any{"ids": batch})
		start := time.Now()
		res, err := hc.Post(base+"/lambdas/profiles", "application/json", bytes.NewReader(raw))
		if err != nil {
			b.Fatal(err)
		}
		body, err := io.ReadAll(res.Body)
		res.Body.Close()
		took := time.Since(start)
		asked.Add(int64(len(batch)))
		var got []json.RawMessage
		if err != nil || res.StatusCode != 200 || json.Unmarshal(body, &got) != nil || len(got) != len(batch) {
			b.Fatalf("profiles: %d, %d of %d", res.StatusCode, len(got), len(batch))
		}
		return took
	}
	run := func(requests int, batch func(i int) []string) (perSecond float64, p50, p99 time.Duration) {
		var next atomic.Int64
		lat := make([]time.Duration, requests)
		asked.Store(0)
		start := time.Now()
		var wg sync.WaitGroup
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					i := int(next.Add(1) - 1)
					if i >= requests {
						return
					}
					lat[i] = post(batch(i))
				}
			}()
		}
		wg.Wait()
		elapsed := time.Since(start)
		slices.Sort(lat)
		return float64(asked.Load()) / elapsed.Seconds(), lat[len(lat)/2], lat[len(lat)*99/100]
	}

	cold, coldP50, coldP99 := run(profiles/100, func(i int) []string { return ids[i*100 : i*100+100] })
	b.ResetTimer()
	warm, p50, p99 := run(b.N, func(int) []string {
		batch := make([]string, 100)
		for j := range batch {
			batch[j] = ids[rand.IntN(profiles)]
		}
		slices.Sort(batch)
		return slices.Compact(batch)
	})
	b.StopTimer()
	b.ReportMetric(warm, "profiles/s")
	b.ReportMetric(float64(p50.Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(p99.Microseconds())/1000, "p99-ms")
	b.ReportMetric(cold, "cold-profiles/s")
	b.ReportMetric(float64(coldP99.Microseconds())/1000, "cold-p99-ms")
	_ = coldP50
}
