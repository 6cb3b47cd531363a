package p2p

import (
	"math"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/control"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"
)

// gater is the host's ConnectionGater: it admits only the allowlisted
// peers when there is a list (checking the id once the connection is
// secured, when it is proven, and refusing to dial anyone else), and it
// refuses peers banned for misbehaving until their ban ends.
type gater struct {
	mu        sync.RWMutex
	allow     map[peer.ID]bool // nil: everyone
	penalties *penalties
}

func (g *gater) admits(p peer.ID) bool {
	g.mu.RLock()
	ok := g.allow == nil || g.allow[p]
	g.mu.RUnlock()
	return ok && !g.penalties.banned(p)
}

// add allowlists more peers (nothing changes without a list).
func (g *gater) add(ids []peer.ID) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.allow == nil {
		return
	}
	for _, id := range ids {
		g.allow[id] = true
	}
}

func (g *gater) InterceptPeerDial(p peer.ID) bool                 { return g.admits(p) }
func (g *gater) InterceptAddrDial(p peer.ID, _ ma.Multiaddr) bool { return g.admits(p) }
func (g *gater) InterceptAccept(network.ConnMultiaddrs) bool      { return true }
func (g *gater) InterceptSecured(_ network.Direction, p peer.ID, _ network.ConnMultiaddrs) bool {
	return g.admits(p)
}
func (g *gater) InterceptUpgraded(network.Conn) (bool, control.DisconnectReason) { return true, 0 }

// Penalties for misbehaviour gossipsub cannot see (lying stream headers,
// unrequested deployments, oversized frames). Each penalty adds one to a
// peer's count, which halves every penaltyHalfLife; the count lowers the
// peer's gossipsub score through the app-specific score (-penaltyWeight
// each, so a handful put it below the gossip threshold), and at banAt the
// peer is disconnected and refused for banFor.
const (
	penaltyHalfLife = 10 * time.Minute
	penaltyWeight   = 100
	banAt           = 10
	banFor          = 15 * time.Minute
	maxPenalized    = 4096 // peers remembered; the lowest counts are forgotten first
)

type penalty struct {
	count       float64
	at          time.Time
	bannedUntil time.Time
}

type penalties struct {
	mu  sync.Mutex
	m   map[peer.ID]*penalty
	now func() time.Time
}

func newPenalties() *penalties { return &penalties{m: map[peer.ID]*penalty{}, now: time.Now} }

// decayed is p's count now.
func (ps *penalties) decayed(p *penalty, now time.Time) float64 {
	return p.count * math.Exp2(-now.Sub(p.at).Seconds()/penaltyHalfLife.Seconds())
}

// add counts one penalty and reports whether the peer is now banned.
func (ps *penalties) add(id peer.ID) bool {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	now := ps.now()
	p := ps.m[id]
	if p == nil {
		if len(ps.m) >= maxPenalized {
			ps.forgetLowest(now)
		}
		p = &penalty{at: now}
		ps.m[id] = p
	}
	p.count, p.at = ps.decayed(p, now)+1, now
	if p.count >= banAt && !now.Before(p.bannedUntil) {
		p.bannedUntil = now.Add(banFor)
		return true
	}
	return false
}

// forgetLowest makes room: the peer with the lowest count that is not
// banned, or, when all are, the one whose ban ends first.
func (ps *penalties) forgetLowest(now time.Time) {
	var low, soonest peer.ID
	lowest, first := math.Inf(1), time.Time{}
	for id, p := range ps.m {
		if now.Before(p.bannedUntil) {
			if first.IsZero() || p.bannedUntil.Before(first) {
				soonest, first = id, p.bannedUntil
			}
			continue
		}
		if c := ps.decayed(p, now); c < lowest {
			low, lowest = id, c
		}
	}
	if low == "" {
		low = soonest
	}
	delete(ps.m, low)
}

// score is the app-specific gossipsub score of a peer.
func (ps *penalties) score(id peer.ID) float64 {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	p := ps.m[id]
	if p == nil {
		return 0
	}
	return -penaltyWeight * ps.decayed(p, ps.now())
}

func (ps *penalties) banned(id peer.ID) bool {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	p := ps.m[id]
	return p != nil && ps.now().Before(p.bannedUntil)
}
