package atlas

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// Bounds of what a request may ask.
const (
	// MaxSelected bounds the parcels of ?selected=.
	MaxSelected = 1000
	// maxCoord bounds the coordinates of ?center= and ?selected= (the
	// world spans -150..163; farther is only background).
	maxCoord = 100_000
	// maxFields bounds the names of ?include= and ?exclude=.
	maxFields = 32
)

// coord is a parcel.
type coord struct{ X, Y int }

// pngParams are a map.png request's parameters (atlas-server's
// src/logic/filter-params.ts extractParams): width and height default
// 1024 and are clamped to 100–4096, size defaults 20 and is clamped to
// 5–50, center defaults to 0,0. Unlike atlas-server, a value that is not
// a number is an error rather than the default.
type pngParams struct {
	Width, Height, Size int
	Center              coord
	Selected            []coord
	OnSale              bool
}

// paramError is a bad query parameter: its text is the 400's message.
type paramError struct{ msg string }

func (e *paramError) Error() string { return e.msg }

func badParam(format string, args ...any) error { return &paramError{fmt.Sprintf(format, args...)} }

// parseQuery reads a raw query as atlas-server's URLSearchParams do:
// pairs split on "&" only, for ?selected= separates parcels with ";"
// (which net/url's parser refuses since Go 1.17).
func parseQuery(raw string) (url.Values, error) {
	q := url.Values{}
	for raw != "" {
		var pair string
		pair, raw, _ = strings.Cut(raw, "&")
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		key, err := url.QueryUnescape(k)
		if err != nil {
			return nil, badParam("bad query: %v", err)
		}
		val, err := url.QueryUnescape(v)
		if err != nil {
			return nil, badParam("bad query: %v", err)
		}
		q[key] = append(q[key], val)
	}
	return q, nil
}

// parsePNGParams reads width, height, size, center, selected and on-sale.
func parsePNGParams(q url.Values) (pngParams, error) {
	p := pngParams{Width: 1024, Height: 1024, Size: 20}
	var err error
	if p.Width, err = clampedInt(q, "width", 1024, 100, 4096); err != nil {
		return p, err
	}
	if p.Height, err = clampedInt(q, "height", 1024, 100, 4096); err != nil {
		return p, err
	}
	if p.Size, err = clampedInt(q, "size", 20, 5, 50); err != nil {
		return p, err
	}
	if q.Has("center") {
		if p.Center, err = parseCoord(q.Get("center")); err != nil {
			return p, badParam("center: %v", err)
		}
	}
	if s := q.Get("selected"); s != "" {
		parts := strings.Split(s, ";")
		if len(parts) > MaxSelected {
			return p, badParam("selected: at most %d parcels", MaxSelected)
		}
		for _, part := range parts {
			if part == "" {
				continue
			}
			c, err := parseCoord(part)
			if err != nil {
				return p, badParam("selected: %v", err)
			}
			p.Selected = append(p.Selected, c)
		}
	}
	p.OnSale = q.Get("on-sale") == "true"
	return p, nil
}

// clampedInt reads an integer parameter, clamped to [lo, hi] as
// atlas-server does; absent is def.
func clampedInt(q url.Values, name string, def, lo, hi int) (int, error) {
	if !q.Has(name) {
		return def, nil
	}
	v, err := strconv.Atoi(strings.TrimSpace(q.Get(name)))
	if err != nil {
		return 0, badParam("%s: %q is not an integer", name, q.Get(name))
	}
	return min(max(v, lo), hi), nil
}

// parseCoord reads "x,y".
func parseCoord(s string) (coord, error) {
	xs, ys, ok := strings.Cut(s, ",")
	if !ok {
		return coord{}, fmt.Errorf("%q is not x,y", s)
	}
	x, err1 := strconv.Atoi(strings.TrimSpace(xs))
	y, err2 := strconv.Atoi(strings.TrimSpace(ys))
	if err1 != nil || err2 != nil {
		return coord{}, fmt.Errorf("%q is not x,y", s)
	}
	if x < -maxCoord || x > maxCoord || y < -maxCoord || y > maxCoord {
		return coord{}, fmt.Errorf("%q is too far away (at most %d)", s, maxCoord)
	}
	return coord{x, y}, nil
}

// The fields of a v2 tile, in atlas-server's order (tileFields).
const (
	fID = iota
	fX
	fY
	fType
	fName
	fTop
	fLeft
	fTopLeft
	fUpdatedAt
	fOwner
	fEstateID
	fTokenID
	fPrice
	fExpiresAt
	numFields
)

var fieldNames = [numFields]string{"id", "x", "y", "type", "name", "top", "left", "topLeft", "updatedAt", "owner", "estateId", "tokenId", "price", "expiresAt"}

// fieldMask selects tile fields (bit i: field i).
type fieldMask uint32

const allFields fieldMask = 1<<numFields - 1

// tileQuery is a tiles request's filter (filter-params.ts
// getFilterFromUrl): an optional bounding box and the fields to keep.
type tileQuery struct {
	HasBox         bool
	X1, Y1, X2, Y2 int // ordered: X1 <= X2, Y1 <= Y2
	Fields         fieldMask
}

// parseTileQuery reads x1,y1,x2,y2 (all four or none), include and
// exclude (comma lists of tile fields; unknown names are ignored, as
// atlas-server does; include wins over exclude).
func parseTileQuery(q url.Values) (tileQuery, error) {
	t := tileQuery{Fields: allFields}
	names := []string{"x1", "y1", "x2", "y2"}
	var vals [4]int
	given := 0
	for i, n := range names {
		if !q.Has(n) {
			continue
		}
		given++
		v, err := strconv.Atoi(strings.TrimSpace(q.Get(n)))
		if err != nil {
			return t, badParam("%s: %q is not an integer", n, q.Get(n))
		}
		vals[i] = min(max(v, -maxCoord), maxCoord)
	}
	switch given {
	case 0:
	case 4:
		t.HasBox = true
		t.X1, t.X2 = min(vals[0], vals[2]), max(vals[0], vals[2])
		t.Y1, t.Y2 = min(vals[1], vals[3]), max(vals[1], vals[3])
	default:
		return t, badParam("a bounding box needs all of x1, y1, x2 and y2")
	}
	if inc := q.Get("include"); inc != "" {
		m, err := parseFields("include", inc)
		if err != nil {
			return t, err
		}
		t.Fields = m
	} else if exc := q.Get("exclude"); exc != "" {
		m, err := parseFields("exclude", exc)
		if err != nil {
			return t, err
		}
		t.Fields = allFields &^ m
	}
	return t, nil
}

func parseFields(param, list string) (fieldMask, error) {
	parts := strings.Split(list, ",")
	if len(parts) > maxFields {
		return 0, badParam("%s: at most %d fields", param, maxFields)
	}
	var m fieldMask
	for _, p := range parts {
		for i, n := range fieldNames {
			if n == strings.TrimSpace(p) {
				m |= 1 << i
			}
		}
	}
	return m, nil
}

// key is the query's canonical form, to cache answers by.
func (t tileQuery) key() string {
	if !t.HasBox {
		return "all/" + strconv.FormatUint(uint64(t.Fields), 16)
	}
	return fmt.Sprintf("%d,%d,%d,%d/%x", t.X1, t.Y1, t.X2, t.Y2, t.Fields)
}
