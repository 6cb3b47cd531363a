package social

import (
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	pb "github.com/p2pcatalyst/catalyst/services/social/protocol/socialpb"
	"github.com/p2pcatalyst/catalyst/store/entitytest"
)

// BenchmarkFriendshipUpdate holds 1,000 authenticated connections, each
// subscribed to its friendship updates, and measures how long a
// friendship action (a request, then its cancel) takes to reach the
// other side: p50 and p99 in ms.
//
//	go test ./services/social/ -run '^$' -bench FriendshipUpdate -benchtime 2000x
func BenchmarkFriendshipUpdate(b *testing.B) {
	const conns = 1000
	f := newFixture(b, func(c *Config) {
		c.Limits = DefaultLimits
		c.Limits.ConnectionsPerIP = 2 * conns
		c.Limits.ActionsPerMinute = 0
	})
	ids := make([]*entitytest.Identity, conns)
	for i := range ids {
		ids[i] = f.user(b, fmt.Sprint("user", i))
	}
	clients := make([]*client, conns)
	updates := make([]<-chan []byte, conns)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	sem := make(chan struct{}, 32)
	for i := range ids {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			c, err := dialErr(f.srv.URL, ids[i])
			if err != nil {
				mu.Lock()
				firstErr = err
				mu.Unlock()
				return
			}
			clients[i] = c
		}()
	}
	wg.Wait()
	if firstErr != nil {
		b.Fatal(firstErr)
	}
	b.Cleanup(func() {
		for _, c := range clients {
			c.conn.Close()
		}
	})
	for i, c := range clients {
		updates[i] = c.subscribe(b, "SubscribeToFriendshipUpdates")
	}
	f.svc.connsMu.Lock()
	n := f.svc.conns
	f.svc.connsMu.Unlock()
	if n != conns {
		b.Fatalf("%d connections open, want %d", n, conns)
	}
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for k := range b.N {
		pair := (k / 2) % (conns / 2)
		from, to := 2*pair, 2*pair+1
		act := ActRequest
		if k%2 == 1 {
			act = ActCancel
		}
		start := time.Now()
		done := make(chan *pb.UpsertFriendshipResponse, 1)
		go func() {
			var r pb.UpsertFriendshipResponse
			clients[from].call("UpsertFriendship", upsertPayload(act, ids[to].Address), &r)
			done <- &r
		}()
		var u pb.FriendshipUpdate
		next(b, updates[to], &u)
		lat = append(lat, time.Since(start))
		if r := <-done; r.GetAccepted() == nil {
			b.Fatalf("%s %d→%d: %v", act, from, to, r)
		}
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	q := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(q(0.5), "p50-ms")
	b.ReportMetric(q(0.99), "p99-ms")
	b.ReportMetric(conns, "connections")
}

func upsertPayload(act Action, to string) *pb.UpsertFriendshipPayload {
	u := &pb.User{Address: to}
	if act == ActCancel {
		return &pb.UpsertFriendshipPayload{Action: &pb.UpsertFriendshipPayload_Cancel{Cancel: &pb.UpsertFriendshipPayload_CancelPayload{User: u}}}
	}
	return &pb.UpsertFriendshipPayload{Action: &pb.UpsertFriendshipPayload_Request{Request: &pb.UpsertFriendshipPayload_RequestPayload{User: u}}}
}
