package p2p

import (
	"fmt"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
)

// Penalties lower the score, decay by half every half-life, ban at banAt
// for banFor, and the peers remembered stay bounded even when all of them
// are banned.
func TestPenalties(t *testing.T) {
	now := time.Unix(1000, 0)
	ps := newPenalties()
	ps.now = func() time.Time { return now }
	p := peer.ID("p")
	for i := 1; i < banAt; i++ {
		if ps.add(p) {
			t.Fatalf("banned after %d penalties", i)
		}
	}
	if s := ps.score(p); s != -penaltyWeight*(banAt-1) {
		t.Fatalf("score %v", s)
	}
	now = now.Add(penaltyHalfLife)
	if s := ps.score(p); s > -penaltyWeight*(banAt-1)/2+1 || s < -penaltyWeight*(banAt-1)/2-1 {
		t.Fatalf("after a half-life: %v", s)
	}
	for !ps.add(p) {
	}
	if !ps.banned(p) {
		t.Fatal("not banned")
	}
	now = now.Add(banFor)
	if ps.banned(p) {
		t.Fatal("still banned after banFor")
	}
	for i := range maxPenalized + 10 {
		q := peer.ID(fmt.Sprint("q", i))
		for !ps.add(q) {
		}
	}
	if len(ps.m) > maxPenalized {
		t.Fatalf("%d peers remembered, at most %d", len(ps.m), maxPenalized)
	}
}
