package places

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/p2pcatalyst/catalyst/store"
)

// BenchmarkPlacesByPositions asks /places/api/places?positions=… of a
// node with 10,000 places (one or two parcels each), as the explorer's
// map does, and reports the p99 of the answers.
//
//	go test -run X -bench PlacesByPositions -benchtime 2000x ./services/places/
func BenchmarkPlacesByPositions(b *testing.B) {
	st, err := store.Open(store.Options{Dir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	svc := New(Config{Store: st})
	mux := http.NewServeMux()
	svc.Routes(mux)
	ctx := context.Background()
	const places = 10000
	for batch := 0; batch < places; batch += 500 {
		if err := svc.update(ctx, func(tx *txn) error {
			for i := batch; i < batch+500; i++ {
				x, y := i%150, i/150
				p := &Place{ID: fmt.Sprintf("place-%05d", i), Title: fmt.Sprintf("Place %d", i), Positions: []string{fmt.Sprintf("%d,%d", x, y), fmt.Sprintf("%d,%d", x, -y-1)},
					BasePosition: fmt.Sprintf("%d,%d", x, y), Categories: []string{"art"}, CreatedAt: "2026-01-01T00:00:00Z", UpdatedAt: "2026-01-01T00:00:00Z"}
				if err := tx.put(p); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			b.Fatal(err)
		}
	}
	times := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		x, y := i%150, (i*7)%66
		req := httptest.NewRequest("GET", fmt.Sprintf("/places/api/places?positions=%d,%d&positions=%d,%d&positions=%d,%d", x, y, (x+1)%150, y, x, -y-1), nil)
		rec := httptest.NewRecorder()
		start := time.Now()
		mux.ServeHTTP(rec, req)
		times = append(times, time.Since(start))
		if rec.Code != 200 {
			b.Fatalf("%d %s", rec.Code, rec.Body)
		}
	}
	b.StopTimer()
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
}
