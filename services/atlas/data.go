package atlas

import (
	"bufio"
	"embed"
	"fmt"
	"strconv"
	"strings"

	"github.com/p2pcatalyst/catalyst/store/entity"
)

// The static facts of Genesis City (data/README.md says where each comes
// from): roads by column, plaza rectangles and district parcel lists.
//
//go:embed data/roads.txt data/plazas.txt data/districts.txt
var dataFS embed.FS

// The grid that holds every Genesis City parcel (entity.InsideWorldLimits:
// the square and its three extensions).
const (
	minX, maxX = -150, 163
	minY, maxY = -150, 158
	gridW      = maxX - minX + 1
	gridH      = maxY - minY + 1
)

// inGrid reports whether (x,y) has a cell in the grid.
func inGrid(x, y int) bool { return x >= minX && x <= maxX && y >= minY && y <= maxY }

// cellIndex is (x,y)'s index in the grid (inGrid must hold).
func cellIndex(x, y int) int { return (x-minX)*gridH + (y - minY) }

// kind is what the static data say a parcel is.
type kind uint8

const (
	kindNone kind = iota
	kindRoad
	kindPlaza
	kindDistrict
)

// Flags of a tile: its neighbour above, to the left and above-left is of
// the same estate (or the same special area).
const (
	flagTop uint8 = 1 << iota
	flagLeft
	flagTopLeft
)

// special is a static tile: a road, a plaza or a district parcel.
type special struct {
	kind  kind
	flags uint8
	name  string
	group int32 // tiles connect only within a group
}

// District is a district as /v2/districts answers it (atlas-server's
// districts.json).
type District struct {
	ID           string   `json:"id"`
	Name         string   `json:"name"`
	Description  string   `json:"description"`
	Parcels      []string `json:"parcels"`
	TotalParcels int      `json:"totalParcels"`
}

// staticData is the parsed static map.
type staticData struct {
	cells     []special // gridW*gridH
	districts []District
}

// loadStatic parses the embedded data. Districts come first, then plazas,
// then roads: a parcel the sources list twice keeps the first kind, but
// a plaza or a road over a district's parcel wins (districts.json lists
// the plazas' districts too; atlas-server's tiles call them plazas).
func loadStatic() (*staticData, error) {
	sd := &staticData{cells: make([]special, gridW*gridH)}
	group := int32(0)
	set := func(x, y int, k kind, name string, g int32) bool {
		if !inGrid(x, y) || !entity.InsideWorldLimits(x, y) {
			return false
		}
		c := &sd.cells[cellIndex(x, y)]
		if c.kind != kindNone && !(c.kind == kindDistrict && k != kindDistrict) {
			return false
		}
		*c = special{kind: k, name: name, group: g}
		return true
	}

	// Districts.
	raw, err := dataFS.ReadFile("data/districts.txt")
	if err != nil {
		return nil, err
	}
	var cur *District
	var seen map[string]bool
	finish := func() error {
		if cur != nil && len(cur.Parcels) != cur.TotalParcels {
			return fmt.Errorf("atlas: district %s has %d parcels, its totalParcels says %d", cur.Name, len(cur.Parcels), cur.TotalParcels)
		}
		return nil
	}
	sc := bufio.NewScanner(strings.NewReader(string(raw)))
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || text[0] == '#' {
			continue
		}
		if rest, ok := strings.CutPrefix(text, "= "); ok {
			if err := finish(); err != nil {
				return nil, err
			}
			f := strings.SplitN(rest, "|", 4)
			if len(f) != 4 {
				return nil, fmt.Errorf("atlas: districts.txt:%d: a header needs id|name|total|description", line)
			}
			total, err := strconv.Atoi(f[2])
			if err != nil {
				return nil, fmt.Errorf("atlas: districts.txt:%d: %w", line, err)
			}
			group++
			sd.districts = append(sd.districts, District{ID: f[0], Name: f[1], Description: f[3], TotalParcels: total, Parcels: []string{}})
			cur, seen = &sd.districts[len(sd.districts)-1], map[string]bool{}
			continue
		}
		if cur == nil {
			return nil, fmt.Errorf("atlas: districts.txt:%d: parcels before a district", line)
		}
		for _, tok := range strings.Fields(text) {
			err := eachInRect(tok, func(x, y int) {
				id := coordID(x, y)
				if !seen[id] {
					seen[id] = true
					cur.Parcels = append(cur.Parcels, id)
					set(x, y, kindDistrict, cur.Name, group)
				}
			})
			if err != nil {
				return nil, fmt.Errorf("atlas: districts.txt:%d: %w", line, err)
			}
		}
	}
	if err := finish(); err != nil {
		return nil, err
	}

	// Plazas.
	if raw, err = dataFS.ReadFile("data/plazas.txt"); err != nil {
		return nil, err
	}
	sc = bufio.NewScanner(strings.NewReader(string(raw)))
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || text[0] == '#' {
			continue
		}
		f := strings.Split(text, "|")
		if len(f) != 3 {
			return nil, fmt.Errorf("atlas: plazas.txt:%d: want group|name|rectangle", line)
		}
		group++
		g, name := group, f[1]
		if err := eachInRect(f[2], func(x, y int) { set(x, y, kindPlaza, name, g) }); err != nil {
			return nil, fmt.Errorf("atlas: plazas.txt:%d: %w", line, err)
		}
	}

	// Roads: "x: y y1..y2 …" per column, all one group.
	if raw, err = dataFS.ReadFile("data/roads.txt"); err != nil {
		return nil, err
	}
	group++
	sc = bufio.NewScanner(strings.NewReader(string(raw)))
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || text[0] == '#' {
			continue
		}
		xs, ys, ok := strings.Cut(text, ":")
		if !ok {
			return nil, fmt.Errorf("atlas: roads.txt:%d: want x: ys", line)
		}
		x, err := strconv.Atoi(strings.TrimSpace(xs))
		if err != nil {
			return nil, fmt.Errorf("atlas: roads.txt:%d: %w", line, err)
		}
		for _, tok := range strings.Fields(ys) {
			lo, hi, err := parseSpan(tok)
			if err != nil {
				return nil, fmt.Errorf("atlas: roads.txt:%d: %w", line, err)
			}
			for y := lo; y <= hi; y++ {
				set(x, y, kindRoad, "Road", group)
			}
		}
	}

	// Flags: a special tile connects to the neighbour above (y+1), to the
	// left (x-1) and above-left of its own group, which is what the
	// sampled specialTiles.json entries show for roads.
	for x := minX; x <= maxX; x++ {
		for y := minY; y <= maxY; y++ {
			c := &sd.cells[cellIndex(x, y)]
			if c.kind == kindNone {
				continue
			}
			same := func(nx, ny int) bool {
				if !inGrid(nx, ny) {
					return false
				}
				n := sd.cells[cellIndex(nx, ny)]
				return n.kind == c.kind && n.group == c.group
			}
			if same(x, y+1) {
				c.flags |= flagTop
			}
			if same(x-1, y) {
				c.flags |= flagLeft
			}
			if same(x-1, y+1) {
				c.flags |= flagTopLeft
			}
		}
	}
	return sd, nil
}

// eachInRect calls fn for each parcel of "x,y" where x and y are a number
// or an inclusive range "a..b" (in either order).
func eachInRect(tok string, fn func(x, y int)) error {
	xs, ys, ok := strings.Cut(tok, ",")
	if !ok {
		return fmt.Errorf("bad parcel %q", tok)
	}
	x0, x1, err := parseSpan(xs)
	if err != nil {
		return err
	}
	y0, y1, err := parseSpan(ys)
	if err != nil {
		return err
	}
	for x := x0; x <= x1; x++ {
		for y := y0; y <= y1; y++ {
			fn(x, y)
		}
	}
	return nil
}

// parseSpan reads "n" or "a..b" as an ordered inclusive range.
func parseSpan(s string) (int, int, error) {
	a, b, isRange := strings.Cut(s, "..")
	lo, err := strconv.Atoi(a)
	if err != nil {
		return 0, 0, fmt.Errorf("bad number %q", s)
	}
	hi := lo
	if isRange {
		if hi, err = strconv.Atoi(b); err != nil {
			return 0, 0, fmt.Errorf("bad number %q", s)
		}
	}
	if lo > hi {
		lo, hi = hi, lo
	}
	if hi-lo > gridW+gridH {
		return 0, 0, fmt.Errorf("range %q is wider than the world", s)
	}
	return lo, hi, nil
}

func coordID(x, y int) string { return strconv.Itoa(x) + "," + strconv.Itoa(y) }
