package atlas

import (
	"math/big"
	"sync"
	"time"

	"github.com/p2pcatalyst/catalyst/store/entity"
)

// TileType is a tile's type as /v2/tiles names it.
type TileType uint8

// The tile types of atlas-server (src/modules/map/types.ts).
const (
	Unowned TileType = iota
	Owned
	Road
	Plaza
	DistrictType
)

var typeNames = [...]string{"unowned", "owned", "road", "plaza", "district"}

// String is the type's name in the v2 tiles.
func (t TileType) String() string { return typeNames[t] }

// legacyCode is the type's code in /v1/tiles (src/adapters/legacy-tiles.ts;
// 10, on sale, needs a price, which this node never has).
func (t TileType) legacyCode() int { return [...]int{11, 9, 7, 8, 5}[t] }

// Land is one LAND as the chain's index has it.
type Land struct {
	X, Y int
	// Owner is the LAND's holder (lower-case), or the estate's holder when
	// an estate holds it.
	Owner string
	// EstateID is the estate holding it (decimal), "" when none.
	EstateID string
}

// cell is what changes of a parcel: its active scene and its owner.
type cell struct {
	scene   string // the active scene's id
	sceneTS int64
	title   string
	owner   string
	estate  string
	token   string // the LAND's token id, once an owner is known
	updated int64  // ms; 0: the static data's time
}

// world is the tile map, held in memory as atlas-server holds it.
type world struct {
	static *staticData
	inside []bool // a Genesis City parcel
	count  int    // of parcels

	mu       sync.RWMutex
	cells    []cell
	scenes   map[string][]int // active scene id → its cells
	estates  map[string][]int // estate id → its cells
	built    int64            // ms: when the static data were loaded
	lastMod  int64            // ms: the newest change
	version  uint64           // bumped on every change
	typeSeen [len(typeNames)]int
}

func newWorld(sd *staticData, now time.Time) *world {
	w := &world{static: sd, inside: make([]bool, gridW*gridH), cells: make([]cell, gridW*gridH),
		scenes: map[string][]int{}, estates: map[string][]int{}, built: now.UnixMilli()}
	for x := minX; x <= maxX; x++ {
		for y := minY; y <= maxY; y++ {
			if entity.InsideWorldLimits(x, y) {
				w.inside[cellIndex(x, y)] = true
				w.count++
			}
		}
	}
	w.lastMod = w.built
	w.countTypes()
	return w
}

// tileType is a cell's type: the static one, else owned when a scene or
// an owner is known, else unowned. Callers hold mu.
func (w *world) tileType(i int) TileType {
	switch w.static.cells[i].kind {
	case kindRoad:
		return Road
	case kindPlaza:
		return Plaza
	case kindDistrict:
		return DistrictType
	}
	if c := &w.cells[i]; c.owner != "" || c.scene != "" {
		return Owned
	}
	return Unowned
}

// flags are a tile's top/left/topLeft: the static data's for special
// tiles; for an owned tile of an estate, whether each neighbour is of the
// same estate (atlas-server's computeEstate). Callers hold mu.
func (w *world) flags(x, y int) uint8 {
	i := cellIndex(x, y)
	if s := w.static.cells[i]; s.kind != kindNone {
		return s.flags
	}
	est := w.cells[i].estate
	if est == "" {
		return 0
	}
	same := func(nx, ny int) bool { return inGrid(nx, ny) && w.cells[cellIndex(nx, ny)].estate == est }
	var f uint8
	if same(x, y+1) {
		f |= flagTop
	}
	if same(x-1, y) {
		f |= flagLeft
	}
	if same(x-1, y+1) {
		f |= flagTopLeft
	}
	return f
}

// name is a tile's name: its scene's title, else the static data's.
func (w *world) name(i int) string {
	if t := w.cells[i].title; t != "" {
		return t
	}
	return w.static.cells[i].name
}

func (w *world) updatedAt(i int) int64 {
	if u := w.cells[i].updated; u != 0 {
		return u
	}
	return w.built
}

// touch marks a change now (never before the last one). Callers hold mu
// for writing.
func (w *world) touch(now time.Time) int64 {
	w.lastMod = max(now.UnixMilli(), w.lastMod)
	w.version++
	return w.lastMod
}

// applyScene puts an active scene on its parcels. A newer scene already
// on one of them wins (the store's rule: an entity is overwritten when a
// newer one shares a pointer); the scenes it overwrites lose all their
// parcels. It reports whether anything changed.
func (w *world) applyScene(id string, ts int64, title string, parcels [][2]int, now time.Time) bool {
	var idx []int
	for _, p := range parcels {
		if inGrid(p[0], p[1]) && w.inside[cellIndex(p[0], p[1])] {
			idx = append(idx, cellIndex(p[0], p[1]))
		}
	}
	if len(idx) == 0 {
		return false
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, ok := w.scenes[id]; ok {
		return false // already applied: an entity never changes
	}
	for _, i := range idx {
		c := &w.cells[i]
		if c.scene != "" && c.scene != id && entity.Newer(c.sceneTS, c.scene, ts, id) {
			return false // overwritten already
		}
	}
	at := w.touch(now)
	for _, i := range idx {
		if old := w.cells[i].scene; old != "" && old != id {
			for _, j := range w.scenes[old] {
				c := &w.cells[j]
				c.scene, c.sceneTS, c.title, c.updated = "", 0, "", at
			}
			delete(w.scenes, old)
		}
	}
	for _, i := range idx {
		c := &w.cells[i]
		c.scene, c.sceneTS, c.title, c.updated = id, ts, title, at
	}
	w.scenes[id] = idx
	w.countTypes()
	return true
}

// setLands replaces every owner and estate with the chain's. It reports
// how many tiles changed.
func (w *world) setLands(lands []Land, now time.Time) int {
	owner := make([]string, len(w.cells))
	estate := make([]string, len(w.cells))
	for _, l := range lands {
		if !inGrid(l.X, l.Y) {
			continue
		}
		i := cellIndex(l.X, l.Y)
		if !w.inside[i] {
			continue
		}
		owner[i], estate[i] = l.Owner, l.EstateID
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	changed := 0
	var at int64
	for i := range w.cells {
		c := &w.cells[i]
		if c.owner == owner[i] && c.estate == estate[i] {
			continue
		}
		if changed == 0 {
			at = w.touch(now)
		}
		changed++
		c.owner, c.estate, c.updated = owner[i], estate[i], at
		if c.owner != "" && c.token == "" {
			c.token = tokenID(i/gridH+minX, i%gridH+minY)
		}
	}
	if changed > 0 {
		w.estates = map[string][]int{}
		for i := range w.cells {
			if e := w.cells[i].estate; e != "" {
				w.estates[e] = append(w.estates[e], i)
			}
		}
		w.countTypes()
	}
	return changed
}

// countTypes counts the tiles of each type. Callers hold mu.
func (w *world) countTypes() {
	var n [len(typeNames)]int
	for i, in := range w.inside {
		if in {
			n[w.tileType(i)]++
		}
	}
	w.typeSeen = n
}

// state is the map's version and last change.
func (w *world) state() (version uint64, lastMod int64) {
	w.mu.RLock()
	defer w.mu.RUnlock()
	return w.version, w.lastMod
}

// tokenID is a LAND's token id (decimal): x in the high 128 bits, y in
// the low ones, both two's complement (the LAND registry's encodeTokenId).
func tokenID(x, y int) string {
	mask := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 128), big.NewInt(1))
	bx := new(big.Int).And(big.NewInt(int64(x)), mask)
	by := new(big.Int).And(big.NewInt(int64(y)), mask)
	return bx.Lsh(bx, 128).Or(bx, by).String()
}
