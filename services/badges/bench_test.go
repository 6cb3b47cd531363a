package badges

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/events"
)

// BenchmarkReplay replays 100,000 client events of 1,000 users (emotes,
// walks, passports, moves) through every handler, in the bus's batches
// of 256, progress written once a batch.
//
//	go test -run X -bench Replay -benchtime 1x ./services/badges/
func BenchmarkReplay(b *testing.B) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	t0 := time.Now().UnixMilli()
	subs := []string{"used-emote", "walked-distance", "passport-opened", "move-to-parcel"}
	evs := make([]events.StoredEvent, 100_000)
	for i := range evs {
		user := fmt.Sprintf("0x%040x", i%1000)
		sub := subs[i%len(subs)]
		extra := map[string]any{
			"stepCount": 120, "distance": 100,
			"passport": map[string]any{"receiver": fmt.Sprintf("0x%040x", (i/4)%5000+10000)},
			"parcel":   map[string]any{"newParcel": fmt.Sprintf("%d,%d", i%50, i%37)},
		}
		evs[i] = events.StoredEvent{Seq: uint64(i + 1), Event: client(sub, user, t0+int64(i)*1000, extra)}
	}
	for range b.N {
		b.StopTimer()
		st, err := store.Open(store.Options{Dir: b.TempDir(), Logger: log})
		if err != nil {
			b.Fatal(err)
		}
		bus := events.NewBus(events.Config{Store: st, Logger: log})
		s := New(Config{Store: st, Bus: bus, Logger: log})
		b.StartTimer()
		start := time.Now()
		for i := 0; i < len(evs); i += 256 {
			if err := s.process(context.Background(), evs[i:min(i+256, len(evs))]); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(time.Since(start).Seconds(), "s/100k-events")
		b.StopTimer()
		st.Close()
	}
}
