package events

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/entity"
)

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func openStore(t testing.TB, dir string) *store.Store {
	t.Helper()
	st, err := store.Open(store.Options{Dir: dir, Logger: quiet()})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// keys records the event keys a consumer saw, idempotently (as handlers
// must be) and counting deliveries.
type keys struct {
	mu         sync.Mutex
	seen       map[string]int
	order      []string
	failFirst  map[string]bool // fail the first delivery of these
	deliveries int
}

func (k *keys) handle(_ context.Context, e StoredEvent) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.deliveries++
	if k.failFirst[e.Key] {
		delete(k.failFirst, e.Key)
		return errors.New("not now")
	}
	if k.seen[e.Key] == 0 {
		k.order = append(k.order, e.Key)
	}
	k.seen[e.Key]++
	return nil
}

func (k *keys) wait(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		k.mu.Lock()
		got := len(k.order)
		k.mu.Unlock()
		if got >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("handled %d of %d", got, n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestBusDeliversInOrderAndResumes(t *testing.T) {
	dir := t.TempDir()
	st := openStore(t, dir)
	bus := NewBus(Config{Store: st, Logger: quiet()})
	k := &keys{seen: map[string]int{}, failFirst: map[string]bool{"e3": true}}
	bus.Consume("test", k.handle)
	live := &keys{seen: map[string]int{}}
	bus.Watch("live", live.handle)
	ctx := context.Background()
	if err := bus.Publish(ctx, mustNew(t, "e0")); err != nil { // before Start: the durable consumer sees it, the live one not
		t.Fatal(err)
	}
	bus.Start(ctx)
	for i := 1; i < 10; i++ {
		if err := bus.Publish(ctx, mustNew(t, fmt.Sprint("e", i))); err != nil {
			t.Fatal(err)
		}
	}
	bus.PublishAsync(mustNew(t, "async"))
	e := &entity.Entity{ID: "bafkdeploy", Type: entity.Profile, Version: "v3", Timestamp: 1, Pointers: []string{"0xabc"}, Content: []entity.ContentItem{}}
	if _, err := st.Deploy(ctx, e, nil, nil); err != nil {
		t.Fatal(err)
	}
	k.wait(t, 12)
	live.wait(t, 11)
	if fmt.Sprint(k.order[:10]) != "[e0 e1 e2 e3 e4 e5 e6 e7 e8 e9]" || k.seen["deployment-bafkdeploy"] != 1 || k.seen["async"] != 1 {
		t.Fatalf("order %v seen %v", k.order, k.seen)
	}
	if live.seen["e0"] != 0 || live.seen["e1"] != 1 {
		t.Fatalf("live consumer %v", live.seen)
	}
	bus.Stop(ctx)

	// A new bus on the same store resumes after the cursor: nothing
	// handled again, new events delivered.
	bus2 := NewBus(Config{Store: st, Logger: quiet()})
	k2 := &keys{seen: map[string]int{}}
	bus2.Consume("test", k2.handle)
	bus2.Start(ctx)
	bus2.Publish(ctx, mustNew(t, "after"))
	k2.wait(t, 1)
	if fmt.Sprint(k2.order) != "[after]" {
		t.Fatalf("after a restart the consumer saw %v", k2.order)
	}
	bus2.Stop(ctx)
	st.Close()
}

// A handler that panics or fails is retried; the events after it wait.
func TestBusRetries(t *testing.T) {
	st := openStore(t, t.TempDir())
	defer st.Close()
	bus := NewBus(Config{Store: st, Logger: quiet()})
	var mu sync.Mutex
	calls := 0
	var got []string
	bus.Consume("flaky", func(_ context.Context, e StoredEvent) error {
		mu.Lock()
		defer mu.Unlock()
		calls++
		if calls == 1 {
			panic("boom")
		}
		got = append(got, e.Key)
		return nil
	})
	ctx := context.Background()
	bus.Start(ctx)
	defer bus.Stop(ctx)
	bus.Publish(ctx, mustNew(t, "a"))
	bus.Publish(ctx, mustNew(t, "b"))
	deadline := time.Now().Add(5 * time.Second)
	for {
		mu.Lock()
		done := fmt.Sprint(got) == "[a b]"
		mu.Unlock()
		if done {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("got %v after %d calls", got, calls)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func mustNew(t testing.TB, key string) Event {
	e, err := New("client", "used-emote", key, time.Now().UnixMilli(), map[string]any{"userAddress": "0xabc"})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// BenchmarkPublish measures durable appends by 256 publishers at once,
// each waiting for its event's fsync (the writer groups them, 256 a
// commit).
//
//	go test -run X -bench Publish -benchtime 100000x ./store/events/
func BenchmarkPublish(b *testing.B) {
	st := openStore(b, b.TempDir())
	defer st.Close()
	bus := NewBus(Config{Store: st, Logger: quiet()})
	ctx := context.Background()
	var wg sync.WaitGroup
	var next sync.Mutex
	i := 0
	b.ResetTimer()
	for range 256 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				next.Lock()
				n := i
				i++
				next.Unlock()
				if n >= b.N {
					return
				}
				if err := bus.Publish(ctx, mustNew(b, fmt.Sprint("k", n))); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkPublishAsync measures events queued without waiting until
// they are all in the log.
//
//	go test -run X -bench PublishAsync -benchtime 200000x ./store/events/
func BenchmarkPublishAsync(b *testing.B) {
	st := openStore(b, b.TempDir())
	defer st.Close()
	bus := NewBus(Config{Store: st, Logger: quiet()})
	ctx := context.Background()
	bus.Start(ctx)
	defer bus.Stop(ctx)
	evs := make([]Event, b.N)
	for i := range evs {
		evs[i] = mustNew(b, fmt.Sprint("k", i))
	}
	b.ResetTimer()
	for _, e := range evs {
		for len(bus.async) == cap(bus.async) { // wait, rather than drop
			time.Sleep(50 * time.Microsecond)
		}
		bus.PublishAsync(e)
	}
	for st.LastEventSeq() < uint64(b.N) {
		<-st.EventsAfter(st.LastEventSeq())
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}
