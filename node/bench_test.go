package node

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/p2pcatalyst/catalyst/store/entitytest"
)

// BenchmarkDeployProfile measures profile deployments per second through
// the node's HTTP handler (multipart parsing, hashing, validation with
// signature recovery, one durable Badger commit), with pre-signed entities
// of distinct wallets. Run: go test -run X -bench DeployProfile ./node/
func BenchmarkDeployProfile(b *testing.B) {
	for _, conc := range []int{1, 8} {
		b.Run(fmt.Sprintf("c%d", conc), func(b *testing.B) {
			n, _ := startNode(b, nil)
			h := n.Handler()
			type prepared struct {
				body []byte
				ct   string
			}
			b.StopTimer()
			reqs := make([]prepared, b.N)
			var wg sync.WaitGroup
			for w := 0; w < 2; w++ {
				wg.Add(1)
				go func(w int) {
					defer wg.Done()
					for i := w; i < b.N; i += 2 {
						d := entitytest.Profile(entitytest.NewIdentity(), time.Now(), fmt.Sprint("user", i))
						body, ct := d.Multipart()
						reqs[i] = prepared{body, ct}
					}
				}(w)
			}
			wg.Wait()
			var next, failed atomic.Int64
			b.ReportAllocs()
			b.StartTimer()
			start := time.Now()
			var run sync.WaitGroup
			for w := 0; w < conc; w++ {
				run.Add(1)
				go func() {
					defer run.Done()
					for {
						i := next.Add(1) - 1
						if i >= int64(b.N) {
							return
						}
						r := httptest.NewRequest("POST", "/content/entities", bytes.NewReader(reqs[i].body))
						r.Header.Set("Content-Type", reqs[i].ct)
						rec := httptest.NewRecorder()
						h.ServeHTTP(rec, r)
						if rec.Code != http.StatusOK {
							failed.Add(1)
						}
					}
				}()
			}
			run.Wait()
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "deploys/s")
			if failed.Load() > 0 {
				b.Fatalf("%d deployments failed", failed.Load())
			}
		})
	}
}

// BenchmarkGetContent measures GET /contents/:hash over real HTTP on
// loopback for a small (in Badger) and a large (blob file) file.
func BenchmarkGetContent(b *testing.B) {
	n, base := startNode(b, nil)
	for _, size := range []int{1 << 10, 5 << 20} {
		data := bytes.Repeat([]byte{'x'}, size)
		data[0] = byte(size)
		d := entitytest.Scene(entitytest.NewIdentity(), time.Now(), []string{fmt.Sprintf("%d,%d", size%100, 1)}, map[string][]byte{"f.bin": data})
		body, ct := d.Multipart()
		r := httptest.NewRequest("POST", "/content/entities", bytes.NewReader(body))
		r.Header.Set("Content-Type", ct)
		rec := httptest.NewRecorder()
		n.Handler().ServeHTTP(rec, r)
		if rec.Code != 200 {
			b.Fatalf("setup deploy: %d %s", rec.Code, rec.Body)
		}
		var hash string
		for h := range d.Files {
			hash = h
		}
		b.Run(fmt.Sprintf("%dKiB", size>>10), func(b *testing.B) {
			b.SetBytes(int64(size))
			buf := make([]byte, 64<<10)
			for b.Loop() {
				res, err := http.Get(base + "/content/contents/" + hash)
				if err != nil {
					b.Fatal(err)
				}
				total := 0
				for {
					k, err := res.Body.Read(buf)
					total += k
					if err != nil {
						break
					}
				}
				res.Body.Close()
				if res.StatusCode != 200 || total != size {
					b.Fatalf("%d, %d bytes", res.StatusCode, total)
				}
			}
		})
	}
}
