package atlas

import (
	"strconv"
	"unicode/utf8"
)

// The tiles are written by hand into one buffer: the whole map is some
// 90,000 tiles (about 11 MB), built once per change of the map and cached.

// appendTiles writes {"ok":true,"data":{"x,y":tile,…}} for the tiles of
// q, v2 shape (legacy false) or v1's (legacy true). Tiles go column by
// column from the west, each from the north (atlas-server's sortByCoords).
func (w *world) appendTiles(b []byte, q tileQuery, legacy bool) []byte {
	x1, y1, x2, y2 := minX, minY, maxX, maxY
	if q.HasBox {
		x1, y1, x2, y2 = max(x1, q.X1), max(y1, q.Y1), min(x2, q.X2), min(y2, q.Y2)
	}
	w.mu.RLock()
	defer w.mu.RUnlock()
	b = append(b, `{"ok":true,"data":{`...)
	first := true
	for x := x1; x <= x2; x++ {
		for y := y2; y >= y1; y-- {
			i := cellIndex(x, y)
			if !w.inside[i] {
				continue
			}
			if !first {
				b = append(b, ',')
			}
			first = false
			b = append(b, '"')
			b = appendCoord(b, x, y)
			b = append(b, `":`...)
			if legacy {
				b = w.appendLegacyTile(b, x, y, i, q.Fields)
			} else {
				b = w.appendTile(b, x, y, i, q.Fields)
			}
		}
	}
	return append(b, "}}\n"...)
}

func appendCoord(b []byte, x, y int) []byte {
	b = strconv.AppendInt(b, int64(x), 10)
	b = append(b, ',')
	return strconv.AppendInt(b, int64(y), 10)
}

// appendTile writes a v2 tile (src/modules/map/types.ts Tile) with the
// fields of m; optional fields are left out when unknown.
func (w *world) appendTile(b []byte, x, y, i int, m fieldMask) []byte {
	b = append(b, '{')
	n := 0
	key := func(name string) {
		if n > 0 {
			b = append(b, ',')
		}
		n++
		b = append(b, '"')
		b = append(b, name...)
		b = append(b, `":`...)
	}
	flags := w.flags(x, y)
	c := &w.cells[i]
	typ := w.tileType(i)
	if m&(1<<fID) != 0 {
		key("id")
		b = append(b, '"')
		b = appendCoord(b, x, y)
		b = append(b, '"')
	}
	if m&(1<<fX) != 0 {
		key("x")
		b = strconv.AppendInt(b, int64(x), 10)
	}
	if m&(1<<fY) != 0 {
		key("y")
		b = strconv.AppendInt(b, int64(y), 10)
	}
	if m&(1<<fType) != 0 {
		key("type")
		b = append(b, '"')
		b = append(b, typ.String()...)
		b = append(b, '"')
	}
	if name := w.name(i); m&(1<<fName) != 0 && name != "" {
		key("name")
		b = appendString(b, name)
	}
	if m&(1<<fTop) != 0 {
		key("top")
		b = strconv.AppendBool(b, flags&flagTop != 0)
	}
	if m&(1<<fLeft) != 0 {
		key("left")
		b = strconv.AppendBool(b, flags&flagLeft != 0)
	}
	if m&(1<<fTopLeft) != 0 {
		key("topLeft")
		b = strconv.AppendBool(b, flags&flagTopLeft != 0)
	}
	if m&(1<<fUpdatedAt) != 0 {
		key("updatedAt")
		b = strconv.AppendInt(b, w.updatedAt(i), 10)
	}
	if m&(1<<fOwner) != 0 && c.owner != "" {
		key("owner")
		b = appendString(b, c.owner)
	}
	if m&(1<<fEstateID) != 0 && c.estate != "" {
		key("estateId")
		b = appendString(b, c.estate)
	}
	if m&(1<<fTokenID) != 0 && c.owner != "" && c.token != "" {
		key("tokenId")
		b = append(b, '"')
		b = append(b, c.token...)
		b = append(b, '"')
	}
	return append(b, '}')
}

// appendLegacyTile writes a v1 tile (src/adapters/legacy-tiles.ts): the
// type as a code, flags as 1 or left out, estateId as estate_id.
func (w *world) appendLegacyTile(b []byte, x, y, i int, m fieldMask) []byte {
	b = append(b, '{')
	n := 0
	key := func(name string) {
		if n > 0 {
			b = append(b, ',')
		}
		n++
		b = append(b, '"')
		b = append(b, name...)
		b = append(b, `":`...)
	}
	flags := w.flags(x, y)
	c := &w.cells[i]
	if m&(1<<fType) != 0 {
		key("type")
		b = strconv.AppendInt(b, int64(w.tileType(i).legacyCode()), 10)
	}
	if m&(1<<fX) != 0 {
		key("x")
		b = strconv.AppendInt(b, int64(x), 10)
	}
	if m&(1<<fY) != 0 {
		key("y")
		b = strconv.AppendInt(b, int64(y), 10)
	}
	if m&(1<<fTop) != 0 && flags&flagTop != 0 {
		key("top")
		b = append(b, '1')
	}
	if m&(1<<fLeft) != 0 && flags&flagLeft != 0 {
		key("left")
		b = append(b, '1')
	}
	if m&(1<<fTopLeft) != 0 && flags&flagTopLeft != 0 {
		key("topLeft")
		b = append(b, '1')
	}
	if m&(1<<fOwner) != 0 && c.owner != "" {
		key("owner")
		b = appendString(b, c.owner)
	}
	if name := w.name(i); m&(1<<fName) != 0 && name != "" {
		key("name")
		b = appendString(b, name)
	}
	if m&(1<<fEstateID) != 0 && c.estate != "" {
		key("estate_id")
		b = appendString(b, c.estate)
	}
	return append(b, '}')
}

const hexDigits = "0123456789abcdef"

// appendString writes s as a JSON string (invalid UTF-8 becomes U+FFFD,
// as encoding/json does; <, > and & are kept, as SetEscapeHTML(false)).
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
