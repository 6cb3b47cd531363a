package dashboard

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"testing"

	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/entity"
)

// BenchmarkScenes measures the map's data for a full Genesis City:
// 10,000 scenes of 9 parcels (90,000 parcels).
//
//	go test -run X -bench Scenes -benchtime 10x ./services/dashboard/
func BenchmarkScenes(b *testing.B) {
	st, err := store.Open(store.Options{Dir: b.TempDir(), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	var wg sync.WaitGroup
	work := make(chan int)
	for range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				x, y := (i%100)*3-150, (i/100)*3-150
				var pointers []string
				for dx := range 3 {
					for dy := range 3 {
						pointers = append(pointers, fmt.Sprintf("%d,%d", x+dx, y+dy))
					}
				}
				e := &entity.Entity{ID: fmt.Sprintf("bafkscene%06d", i), Type: entity.Scene, Pointers: pointers, Timestamp: int64(i + 1), Version: "v3"}
				if _, err := st.Deploy(context.Background(), e, nil, nil); err != nil {
					b.Error(err)
				}
			}
		}()
	}
	for i := range 10000 {
		work <- i
	}
	close(work)
	wg.Wait()
	s := New(Config{Store: st})
	b.ResetTimer()
	var size int
	for range b.N {
		raw, err := s.readScenes(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		size = len(raw)
	}
	b.ReportMetric(float64(size), "bytes")
}
