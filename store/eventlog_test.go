package store

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
)

func ev(key string) Event {
	return Event{Type: "client", SubType: "used-emote", Key: key, Timestamp: 1, Metadata: json.RawMessage(`{"n":1}`)}
}

// Events and deployments share one numbering: appended in commit order,
// a deployment's event in its own transaction, a key appended once.
func TestEventLog(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	seqs, err := s.AppendEvents(ctx, []Event{ev("a"), ev("b"), ev("a")})
	if err != nil || fmt.Sprint(seqs) != "[1 2 1]" {
		t.Fatalf("append: %v %v", seqs, err)
	}
	grew := s.EventsAfter(2)
	deploy(t, s, ent("bafkscene", 10, "0,0"))
	select {
	case <-grew:
	default:
		t.Fatal("a deployment's event did not wake the waiters")
	}
	deploy(t, s, ent("bafkscene", 10, "0,0")) // again: stored already, no event
	if again, _ := s.AppendEvents(ctx, []Event{ev("b")}); again[0] != 2 {
		t.Fatalf("a key appended twice: %v", again)
	}
	got, err := s.ReadEvents(ctx, 0, 10)
	if err != nil || len(got) != 3 {
		t.Fatalf("read: %v %v", got, err)
	}
	dep := got[2]
	var meta struct {
		Entity struct {
			ID       string   `json:"id"`
			Pointers []string `json:"pointers"`
		} `json:"entity"`
	}
	json.Unmarshal(dep.Metadata, &meta)
	if dep.Seq != 3 || dep.Type != DeploymentEventType || dep.SubType != "scene" || dep.Key != "deployment-bafkscene" || meta.Entity.ID != "bafkscene" {
		t.Fatalf("deployment event %+v %s", dep, dep.Metadata)
	}
	if after, _ := s.ReadEvents(ctx, 2, 10); len(after) != 1 || after[0].Seq != 3 {
		t.Fatalf("read after 2: %v", after)
	}

	if err := s.SetCursor("badges", 2); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if c, _ := s.Cursor("badges"); c != 2 {
		t.Fatalf("cursor after reopening: %d", c)
	}
	if s.LastEventSeq() != 3 {
		t.Fatalf("last seq after reopening: %d", s.LastEventSeq())
	}
	if seqs, _ := s.AppendEvents(ctx, []Event{ev("c")}); seqs[0] != 4 {
		t.Fatalf("numbering after reopening: %v", seqs)
	}
	if n, err := s.PruneEvents(ctx, 2, 100); err != nil || n != 2 || s.FirstEventSeq() != 3 {
		t.Fatalf("prune: %d %v first %d", n, err, s.FirstEventSeq())
	}
	if _, err := s.AppendEvents(ctx, []Event{{Type: "x"}}); err == nil {
		t.Fatal("an event without a key was appended")
	}
}

// Concurrent appends get distinct, gapless seqs.
func TestEventLogConcurrent(t *testing.T) {
	s := openStore(t)
	var wg sync.WaitGroup
	var mu sync.Mutex
	seen := map[uint64]bool{}
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				seqs, err := s.AppendEvents(context.Background(), []Event{ev(fmt.Sprint(w, "-", i))})
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				seen[seqs[0]] = true
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	for i := uint64(1); i <= 400; i++ {
		if !seen[i] {
			t.Fatalf("seq %d missing", i)
		}
	}
}
