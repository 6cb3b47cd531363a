// Package islands groups peers into islands by distance, as archipelago
// does: a peer joins an island when it comes within JoinDistance of one of
// its members and leaves when it is farther than LeaveDistance from all of
// them (hysteresis), islands hold at most MaxPeers, and peers without a
// heartbeat for ExpireAfter are dropped. Positions are in metres, distance
// is measured on the XZ plane.
//
// Unlike a full recomputation, a flush looks only at the peers that moved
// or arrived since the last one and at their neighbours in a spatial grid,
// so it costs about O(changed peers); island ids are stable: an island
// keeps its id as peers come and go, and a split keeps it on the largest
// part. It is pure logic: time is passed in, nothing is sent anywhere.
package islands

import (
	"math"
	"sort"
	"strconv"
	"time"
)

// Params tune the engine; DefaultParams are archipelago's.
type Params struct {
	JoinDistance  float64
	LeaveDistance float64
	MaxPeers      int
	ExpireAfter   time.Duration
}

// DefaultParams: join at 64 m, leave at 80 m, 100 peers, 60 s.
var DefaultParams = Params{JoinDistance: 64, LeaveDistance: 80, MaxPeers: 100, ExpireAfter: 60 * time.Second}

// Position is a point in metres.
type Position struct{ X, Y, Z float64 }

func distXZ(a, b Position) float64 { return math.Hypot(a.X-b.X, a.Z-b.Z) }

// Change tells a peer it is now in Island (FromIsland "" when it had none).
type Change struct {
	PeerID     string
	Island     string
	FromIsland string
}

// Left tells the members of an island that a peer left it (moved to
// another island, or expired).
type Left struct {
	PeerID string
	Island string
}

// Result is what a flush changed.
type Result struct {
	Changes []Change
	Left    []Left
	Expired []string
}

type peer struct {
	id      string
	pos     Position
	last    time.Time
	island  *island
	cell    cellKey
	cellIdx int    // index in its grid cell
	desired string // island the peer asks for (preferred when in reach)
	dirty   bool
}

type island struct {
	id      string
	members map[string]*peer
}

type cellKey struct{ x, z int }

// gridEntry keeps a peer's position next to it in its cell, so that the
// neighbour scans of a flush read memory in order.
type gridEntry struct {
	x, z float64
	p    *peer
}

// Engine holds the peers and islands.
type Engine struct {
	p       Params
	peers   map[string]*peer
	islands map[string]*island
	grid    map[cellKey][]gridEntry
	dirty   map[string]*peer
	seq     uint64

	// scratch buffers of components, reused across islands and flushes
	members []*peer
	xs, zs  []float64
	comp    []int
	stack   []int
}

// New builds an engine.
func New(p Params) *Engine {
	return &Engine{p: p, peers: map[string]*peer{}, islands: map[string]*island{}, grid: map[cellKey][]gridEntry{}, dirty: map[string]*peer{}}
}

func (e *Engine) cellOf(pos Position) cellKey {
	s := e.p.LeaveDistance
	return cellKey{int(math.Floor(pos.X / s)), int(math.Floor(pos.Z / s))}
}

// Heartbeat records a peer's position (adding the peer if new).
func (e *Engine) Heartbeat(id string, pos Position, desired string, now time.Time) {
	p := e.peers[id]
	if p == nil {
		p = &peer{id: id}
		e.peers[id] = p
		p.cell = e.cellOf(pos)
		e.gridAdd(p)
	}
	p.pos, p.last, p.desired = pos, now, desired
	if c := e.cellOf(pos); c != p.cell {
		e.gridRemove(p)
		p.cell = c
		e.gridAdd(p)
	} else {
		e.grid[p.cell][p.cellIdx].x, e.grid[p.cell][p.cellIdx].z = pos.X, pos.Z
	}
	p.dirty = true
	e.dirty[id] = p
}

// Remove drops a peer at once (its connection closed). The change shows in
// the next flush's Left.
func (e *Engine) Remove(id string) {
	if p := e.peers[id]; p != nil {
		p.last = time.Time{}
		e.dirty[id] = p
	}
}

func (e *Engine) gridAdd(p *peer) {
	p.cellIdx = len(e.grid[p.cell])
	e.grid[p.cell] = append(e.grid[p.cell], gridEntry{p.pos.X, p.pos.Z, p})
}

func (e *Engine) gridRemove(p *peer) {
	cell := e.grid[p.cell]
	last := len(cell) - 1
	cell[p.cellIdx] = cell[last]
	cell[p.cellIdx].p.cellIdx = p.cellIdx
	cell[last] = gridEntry{}
	if last == 0 {
		delete(e.grid, p.cell)
	} else {
		e.grid[p.cell] = cell[:last]
	}
}

// neighbours calls fn for every other peer within d (d ≤ LeaveDistance).
func (e *Engine) neighbours(p *peer, d float64, fn func(*peer)) {
	for dx := -1; dx <= 1; dx++ {
		for dz := -1; dz <= 1; dz++ {
			for _, g := range e.grid[cellKey{p.cell.x + dx, p.cell.z + dz}] {
				if ddx, ddz := p.pos.X-g.x, p.pos.Z-g.z; ddx*ddx+ddz*ddz <= d*d && g.p != p {
					fn(g.p)
				}
			}
		}
	}
}

func (e *Engine) newIsland() *island {
	e.seq++
	is := &island{id: "I" + strconv.FormatUint(e.seq, 36), members: map[string]*peer{}}
	e.islands[is.id] = is
	return is
}

// Flush applies what happened since the last flush: expiries, departures,
// joins, merges and splits. Every peer whose island changed is in Changes.
func (e *Engine) Flush(now time.Time) Result {
	var res Result
	from := map[string]string{} // peer → island before this flush, for peers that moved
	touched := make(map[*island]bool, len(e.islands))
	move := func(p *peer, to *island) {
		if p.island == to {
			return
		}
		if _, ok := from[p.id]; !ok {
			old := ""
			if p.island != nil {
				old = p.island.id
			}
			from[p.id] = old
		}
		if p.island != nil {
			delete(p.island.members, p.id)
			touched[p.island] = true
		}
		p.island = to
		if to != nil {
			to.members[p.id] = p
			touched[to] = true
		}
	}

	// Expiries (and removals).
	for id, p := range e.peers {
		if now.Sub(p.last) > e.p.ExpireAfter {
			if p.island != nil {
				res.Left = append(res.Left, Left{PeerID: id, Island: p.island.id})
				delete(p.island.members, id)
				touched[p.island] = true
			}
			e.gridRemove(p)
			delete(e.peers, id)
			delete(e.dirty, id)
			res.Expired = append(res.Expired, id)
		}
	}

	byCell := make(map[cellKey][]*peer, len(e.dirty)/8)
	for _, p := range e.dirty {
		byCell[p.cell] = append(byCell[p.cell], p)
		if p.island != nil {
			touched[p.island] = true
		}
	}

	// Splits: an island must stay connected by links of at most
	// LeaveDistance (a member that moved away, or a bridge between others);
	// the largest part keeps the id, the others become islands of their own.
	e.split(touched, move)

	// Place new peers and merge islands that came within join distance.
	// Moved peers are taken cell by cell, so the 3×3 block of cells around
	// them is gathered once per cell rather than once per peer.
	cells := make([]cellKey, 0, len(byCell))
	for c := range byCell {
		cells = append(cells, c)
	}
	sort.Slice(cells, func(i, j int) bool {
		if cells[i].x != cells[j].x {
			return cells[i].x < cells[j].x
		}
		return cells[i].z < cells[j].z
	})
	var block []gridEntry
	j2 := e.p.JoinDistance * e.p.JoinDistance
	for _, c := range cells {
		block = block[:0]
		for dx := -1; dx <= 1; dx++ {
			for dz := -1; dz <= 1; dz++ {
				block = append(block, e.grid[cellKey{c.x + dx, c.z + dz}]...)
			}
		}
		dirty := byCell[c]
		sort.Slice(dirty, func(i, j int) bool { return dirty[i].id < dirty[j].id })
		for _, p := range dirty {
			near := func(fn func(q *peer)) {
				for _, g := range block {
					if dx, dz := p.pos.X-g.x, p.pos.Z-g.z; dx*dx+dz*dz <= j2 && g.p != p {
						fn(g.p)
					}
				}
			}
			if p.island == nil {
				// Of the islands in reach, the desired one, else the largest.
				var best *island
				near(func(q *peer) {
					c := q.island
					if c == nil || len(c.members) >= e.p.MaxPeers || (best != nil && best.id == p.desired) {
						return
					}
					if best == nil || c.id == p.desired || len(c.members) > len(best.members) || (len(c.members) == len(best.members) && c.id < best.id) {
						best = c
					}
				})
				if best == nil {
					best = e.newIsland()
				}
				move(p, best)
			}
			// Merge neighbouring islands into the larger one while they
			// fit. Most neighbours share p's island already: that test
			// comes before the distance.
			for _, g := range block {
				a, b := p.island, g.p.island
				if b == nil || a == b || len(a.members)+len(b.members) > e.p.MaxPeers {
					continue
				}
				if dx, dz := p.pos.X-g.x, p.pos.Z-g.z; dx*dx+dz*dz > j2 {
					continue
				}
				if len(b.members) > len(a.members) || (len(b.members) == len(a.members) && b.id < a.id) {
					a, b = b, a
				}
				for _, m := range b.members {
					move(m, a)
				}
			}
			p.dirty = false
		}
	}
	clear(e.dirty)

	for is := range touched {
		if len(is.members) == 0 {
			delete(e.islands, is.id)
		}
	}

	ids := make([]string, 0, len(from))
	for id := range from {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		p := e.peers[id]
		if p == nil || p.island == nil || p.island.id == from[id] {
			continue
		}
		if from[id] != "" {
			res.Left = append(res.Left, Left{PeerID: id, Island: from[id]})
		}
		res.Changes = append(res.Changes, Change{PeerID: id, Island: p.island.id, FromIsland: from[id]})
	}
	return res
}

// split breaks every touched island that is no longer connected.
func (e *Engine) split(touched map[*island]bool, move func(*peer, *island)) {
	islands := make([]*island, 0, len(touched))
	for is := range touched {
		islands = append(islands, is)
	}
	sort.Slice(islands, func(i, j int) bool { return islands[i].id < islands[j].id })
	for _, is := range islands {
		if len(is.members) < 2 {
			continue
		}
		parts := e.components(is)
		if len(parts) == 1 {
			continue
		}
		// The largest part keeps the id; between equals, the one whose
		// peers stayed put (the others walked away), then the lowest id.
		moved := func(part []*peer) (n int, low string) {
			low = part[0].id
			for _, m := range part {
				if m.dirty {
					n++
				}
				low = min(low, m.id)
			}
			return n, low
		}
		sort.Slice(parts, func(i, j int) bool {
			if len(parts[i]) != len(parts[j]) {
				return len(parts[i]) > len(parts[j])
			}
			mi, li := moved(parts[i])
			mj, lj := moved(parts[j])
			if mi != mj {
				return mi < mj
			}
			return li < lj
		})
		for _, part := range parts[1:] {
			ni := e.newIsland()
			for _, m := range part {
				move(m, ni)
			}
		}
	}
}

// components splits an island's members into groups connected by links of
// at most LeaveDistance (k ≤ MaxPeers, so k² distance checks on a flat
// slice beat any index).
func (e *Engine) components(is *island) [][]*peer {
	members := e.members[:0]
	for _, p := range is.members {
		members = append(members, p)
	}
	e.members = members
	n := len(members)
	xs, zs, comp := grow(e.xs, n), grow(e.zs, n), growInt(e.comp, n)
	e.xs, e.zs, e.comp = xs, zs, comp
	for i, p := range members {
		xs[i], zs[i] = p.pos.X, p.pos.Z
		comp[i] = -1
	}
	d2 := e.p.LeaveDistance * e.p.LeaveDistance
	var parts [][]*peer
	stack := e.stack[:0]
	defer func() { e.stack = stack }()
	for start := range members {
		if comp[start] >= 0 {
			continue
		}
		c := len(parts)
		comp[start] = c
		var part []*peer
		stack = append(stack[:0], start)
		for len(stack) > 0 {
			i := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			part = append(part, members[i])
			for j := 0; j < n; j++ {
				if comp[j] < 0 {
					if dx, dz := xs[i]-xs[j], zs[i]-zs[j]; dx*dx+dz*dz <= d2 {
						comp[j] = c
						stack = append(stack, j)
					}
				}
			}
		}
		parts = append(parts, part)
	}
	return parts
}

func grow(b []float64, n int) []float64 {
	if cap(b) < n {
		return make([]float64, n)
	}
	return b[:n]
}

func growInt(b []int, n int) []int {
	if cap(b) < n {
		return make([]int, n)
	}
	return b[:n]
}

// Island describes an island for stats.
type Island struct {
	ID       string
	Peers    []string
	MaxPeers int
	Center   Position
	Radius   float64
}

// Islands lists the islands, largest first.
func (e *Engine) Islands() []Island {
	out := make([]Island, 0, len(e.islands))
	for _, is := range e.islands {
		out = append(out, e.describe(is))
	}
	sort.Slice(out, func(i, j int) bool {
		if len(out[i].Peers) != len(out[j].Peers) {
			return len(out[i].Peers) > len(out[j].Peers)
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// Island describes one island.
func (e *Engine) Island(id string) (Island, bool) {
	is := e.islands[id]
	if is == nil {
		return Island{}, false
	}
	return e.describe(is), true
}

func (e *Engine) describe(is *island) Island {
	out := Island{ID: is.id, MaxPeers: e.p.MaxPeers}
	var c Position
	for id, p := range is.members {
		out.Peers = append(out.Peers, id)
		c.X += p.pos.X
		c.Y += p.pos.Y
		c.Z += p.pos.Z
	}
	n := float64(len(is.members))
	c = Position{c.X / n, c.Y / n, c.Z / n}
	for _, p := range is.members {
		out.Radius = math.Max(out.Radius, distXZ(c, p.pos))
	}
	out.Center = c
	sort.Strings(out.Peers)
	return out
}

// PeerState is a peer as the engine knows it.
type PeerState struct {
	ID       string
	Position Position
	Last     time.Time
	Island   string
}

// Peer returns one peer.
func (e *Engine) Peer(id string) (PeerState, bool) {
	p := e.peers[id]
	if p == nil {
		return PeerState{}, false
	}
	st := PeerState{ID: p.id, Position: p.pos, Last: p.last}
	if p.island != nil {
		st.Island = p.island.id
	}
	return st, true
}

// Peers lists every peer, by id.
func (e *Engine) Peers() []PeerState {
	out := make([]PeerState, 0, len(e.peers))
	for id := range e.peers {
		p, _ := e.Peer(id)
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Members returns the ids and positions of an island's peers.
func (e *Engine) Members(id string) map[string]Position {
	is := e.islands[id]
	if is == nil {
		return nil
	}
	out := make(map[string]Position, len(is.members))
	for pid, p := range is.members {
		out[pid] = p.pos
	}
	return out
}
