package islands

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

var t0 = time.Unix(1000, 0)

func at(x, z float64) Position { return Position{X: x, Z: z} }

func islandOf(t *testing.T, e *Engine, id string) string {
	t.Helper()
	p, ok := e.Peer(id)
	if !ok {
		t.Fatalf("no peer %s", id)
	}
	return p.Island
}

func TestJoinLeaveHysteresis(t *testing.T) {
	e := New(DefaultParams)
	e.Heartbeat("a", at(0, 0), "", t0)
	e.Heartbeat("b", at(70, 0), "", t0) // beyond join distance
	e.Flush(t0)
	if islandOf(t, e, "a") == islandOf(t, e, "b") {
		t.Fatal("70 m apart: separate islands")
	}
	e.Heartbeat("b", at(60, 0), "", t0) // within join distance
	res := e.Flush(t0)
	if islandOf(t, e, "a") != islandOf(t, e, "b") {
		t.Fatal("60 m apart: one island")
	}
	if len(res.Changes) != 1 {
		t.Fatalf("changes %+v: one of the two moves into the other's island", res.Changes)
	}
	e.Heartbeat("b", at(75, 0), "", t0) // between join and leave: stays
	if res := e.Flush(t0); len(res.Changes) != 0 || islandOf(t, e, "a") != islandOf(t, e, "b") {
		t.Fatal("75 m apart: still together (hysteresis)")
	}
	e.Heartbeat("b", at(85, 0), "", t0) // beyond leave distance
	res = e.Flush(t0)
	if islandOf(t, e, "a") == islandOf(t, e, "b") || len(res.Changes) != 1 || len(res.Left) != 1 {
		t.Fatalf("85 m apart: split; %+v", res)
	}
	if islandOf(t, e, "a") != res.Left[0].Island {
		t.Fatal("the one who stayed keeps the island id")
	}
	// Height does not count.
	e.Heartbeat("c", Position{X: 0, Y: 500, Z: 10}, "", t0)
	e.Flush(t0)
	if islandOf(t, e, "c") != islandOf(t, e, "a") {
		t.Fatal("distance is on the XZ plane")
	}
}

func TestMaxPeers(t *testing.T) {
	p := DefaultParams
	p.MaxPeers = 3
	e := New(p)
	for i := 0; i < 5; i++ {
		e.Heartbeat(fmt.Sprint("p", i), at(float64(i), 0), "", t0)
	}
	e.Flush(t0)
	sizes := map[string]int{}
	for _, st := range e.Peers() {
		sizes[st.Island]++
	}
	for id, n := range sizes {
		if n > 3 {
			t.Fatalf("island %s has %d peers", id, n)
		}
	}
	if len(sizes) != 2 {
		t.Fatalf("5 peers, max 3: want 2 islands, got %v", sizes)
	}
}

func TestExpiry(t *testing.T) {
	e := New(DefaultParams)
	e.Heartbeat("a", at(0, 0), "", t0)
	e.Heartbeat("b", at(10, 0), "", t0)
	e.Flush(t0)
	island := islandOf(t, e, "a")
	e.Heartbeat("a", at(0, 0), "", t0.Add(50*time.Second))
	res := e.Flush(t0.Add(61 * time.Second))
	if len(res.Expired) != 1 || res.Expired[0] != "b" || len(res.Left) != 1 || res.Left[0] != (Left{"b", island}) {
		t.Fatalf("expiry: %+v", res)
	}
	if _, ok := e.Peer("b"); ok {
		t.Fatal("expired peer still known")
	}
	e.Remove("a")
	if res := e.Flush(t0.Add(62 * time.Second)); len(res.Expired) != 1 || len(e.Islands()) != 0 {
		t.Fatalf("removal: %+v, islands %v", res, e.Islands())
	}
}

func TestStableIDsAndPreference(t *testing.T) {
	e := New(DefaultParams)
	for i := 0; i < 3; i++ {
		e.Heartbeat(fmt.Sprint("a", i), at(float64(i*10), 0), "", t0)
		e.Heartbeat(fmt.Sprint("b", i), at(1000+float64(i*10), 0), "", t0)
	}
	e.Flush(t0)
	a, b := islandOf(t, e, "a0"), islandOf(t, e, "b0")
	e.Heartbeat("c", at(500, 0), "", t0)
	e.Flush(t0)
	if islandOf(t, e, "a0") != a || islandOf(t, e, "b0") != b {
		t.Fatal("ids changed when an unrelated peer arrived")
	}
	e.Heartbeat("a9", at(40, 0), "", t0)
	e.Flush(t0)
	if islandOf(t, e, "a9") != a {
		t.Fatal("a newcomer joins the island in reach and its id stays")
	}
	// The desired island is preferred among those in reach.
	e.Heartbeat("x", at(-2000, 0), "", t0)
	e.Heartbeat("y", at(-2000+100, 0), "", t0)
	e.Flush(t0)
	e.Heartbeat("x2", at(-2000+5, 0), "", t0)
	e.Flush(t0) // x's island is now the larger one
	e.Heartbeat("z", at(-2000+50, 0), islandOf(t, e, "y"), t0)
	e.Flush(t0)
	if islandOf(t, e, "z") != islandOf(t, e, "y") {
		t.Fatal("desired island not taken")
	}
}

// Property: after every flush each island is connected by links of at most
// LeaveDistance, holds at most MaxPeers, and every peer is in one island.
func TestIslandsStayConnected(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	p := DefaultParams
	p.MaxPeers = 12
	e := New(p)
	pos := map[string]Position{}
	now := t0
	for round := 0; round < 300; round++ {
		now = now.Add(2 * time.Second)
		for i := 0; i < 60; i++ {
			id := fmt.Sprint("p", r.IntN(80))
			cur, ok := pos[id]
			if !ok || r.IntN(20) == 0 {
				cur = at(r.Float64()*600, r.Float64()*600)
			}
			cur = at(cur.X+r.NormFloat64()*25, cur.Z+r.NormFloat64()*25)
			pos[id] = cur
			e.Heartbeat(id, cur, "", now)
		}
		if r.IntN(10) == 0 {
			for id := range pos {
				e.Remove(id)
				delete(pos, id)
				break
			}
		}
		e.Flush(now)
		seen := map[string]bool{}
		for _, is := range e.Islands() {
			if len(is.Peers) > p.MaxPeers || len(is.Peers) == 0 {
				t.Fatalf("round %d: island %s has %d peers", round, is.ID, len(is.Peers))
			}
			reached := map[string]bool{is.Peers[0]: true}
			stack := []string{is.Peers[0]}
			for len(stack) > 0 {
				a := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				for _, b := range is.Peers {
					if !reached[b] && distXZ(pos[a], pos[b]) <= p.LeaveDistance {
						reached[b] = true
						stack = append(stack, b)
					}
				}
			}
			if len(reached) != len(is.Peers) {
				t.Fatalf("round %d: island %s is not connected at %v m: %v", round, is.ID, p.LeaveDistance, is.Peers)
			}
			for _, id := range is.Peers {
				if seen[id] {
					t.Fatalf("peer %s in two islands", id)
				}
				seen[id] = true
			}
		}
		for _, st := range e.Peers() {
			if st.Island == "" || !seen[st.ID] {
				t.Fatalf("round %d: peer %s in no island", round, st.ID)
			}
		}
	}
}

// BenchmarkFlush: every peer moves a little between flushes (heartbeats
// every 1–3 s, flushes every 2 s), in crowds around 200 hot spots.
// Run: go test -run X -bench Flush ./comms/islands/
func BenchmarkFlush(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("peers=%d", n), func(b *testing.B) {
			r := rand.New(rand.NewPCG(1, 1))
			e := New(DefaultParams)
			pos := make([]Position, n)
			spots := make([]Position, 200)
			for i := range spots {
				spots[i] = at(r.Float64()*4800-2400, r.Float64()*4800-2400)
			}
			ids := make([]string, n)
			for i := range pos {
				s := spots[r.IntN(len(spots))]
				pos[i] = at(s.X+r.NormFloat64()*60, s.Z+r.NormFloat64()*60)
				ids[i] = fmt.Sprint("p", i)
				e.Heartbeat(ids[i], pos[i], "", t0)
			}
			now := t0
			e.Flush(now)
			for b.Loop() {
				b.StopTimer()
				now = now.Add(2 * time.Second)
				for i := range pos {
					pos[i] = at(pos[i].X+r.NormFloat64()*3, pos[i].Z+r.NormFloat64()*3)
					e.Heartbeat(ids[i], pos[i], "", now)
				}
				b.StartTimer()
				e.Flush(now)
			}
		})
	}
}
