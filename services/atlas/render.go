package atlas

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"
	"sync"
)

// The map is drawn as atlas-server draws it (src/modules/render/map.ts and
// tile.ts; colours of src/modules/image/component.ts), with one
// difference: rectangles are snapped to whole pixels instead of
// anti-aliased, so the image has only the palette's colours and encodes
// as a paletted PNG.

// Palette indexes.
const (
	cBackground = iota // the canvas, #18141a
	cEven              // an empty cell where (x+y)%2 == 0, #110e13
	cOdd               // #0d0b0e
	cDistrict
	cPlaza
	cRoad
	cOwned
	cUnowned
	cOnSale
	cStroke // selection stroke, #ff0044
	cFill   // selection fill, #ff9990
)

var palette = color.Palette{
	color.RGBA{0x18, 0x14, 0x1a, 0xff},
	color.RGBA{0x11, 0x0e, 0x13, 0xff},
	color.RGBA{0x0d, 0x0b, 0x0e, 0xff},
	color.RGBA{0x50, 0x54, 0xd4, 0xff},
	color.RGBA{0x70, 0xac, 0x76, 0xff},
	color.RGBA{0x71, 0x6c, 0x7a, 0xff},
	color.RGBA{0x3d, 0x3a, 0x46, 0xff},
	color.RGBA{0x09, 0x08, 0x0a, 0xff},
	color.RGBA{0x1f, 0xbc, 0xff, 0xff},
	color.RGBA{0xff, 0x00, 0x44, 0xff},
	color.RGBA{0xff, 0x99, 0x90, 0xff},
}

var typeColor = [...]uint8{Unowned: cUnowned, Owned: cOwned, Road: cRoad, Plaza: cPlaza, DistrictType: cDistrict}

// canvas is a paletted image being drawn.
type canvas struct {
	pix  []uint8
	w, h int
}

// fillRect fills the rectangle at (x, y) of size (rw, rh), in canvas
// pixels, with edges rounded to whole pixels and clipped to the canvas.
func (c *canvas) fillRect(x, y, rw, rh float64, col uint8) {
	x0, x1 := int(math.Round(x)), int(math.Round(x+rw))
	y0, y1 := int(math.Round(y)), int(math.Round(y+rh))
	x0, y0 = max(x0, 0), max(y0, 0)
	x1, y1 = min(x1, c.w), min(y1, c.h)
	if x0 >= x1 || y0 >= y1 {
		return
	}
	row := c.pix[y0*c.w+x0 : y0*c.w+x1]
	for i := range row {
		row[i] = col
	}
	for yy := y0 + 1; yy < y1; yy++ {
		copy(c.pix[yy*c.w+x0:yy*c.w+x1], row)
	}
}

// drawTile is renderTile: a square, or the rectangles that join a tile
// to its neighbours on the left and above.
func (c *canvas) drawTile(x, y, size, padding float64, flags uint8, scale float64, col uint8) {
	const offset = 1
	ts := size
	if scale != 0 {
		ts = size * scale
	}
	top, left, topLeft := flags&flagTop != 0, flags&flagLeft != 0, flags&flagTopLeft != 0
	switch {
	case !top && !left:
		c.fillRect(x-ts+padding, y-ts+padding, ts-padding, ts-padding, col)
	case top && left && topLeft:
		c.fillRect(x-ts-offset, y-ts-offset, ts+offset, ts+offset, col)
	default:
		if left {
			c.fillRect(x-ts-offset, y-ts+padding, ts+offset, ts-padding, col)
		}
		if top {
			c.fillRect(x-ts+padding, y-ts-offset, ts-padding, ts+offset, col)
		}
	}
}

// render draws the map of p (image/component.ts getStream and
// render/map.ts renderMap).
func (w *world) render(p pngParams, pix []uint8) *image.Paletted {
	c := &canvas{pix: pix[:p.Width*p.Height], w: p.Width, h: p.Height}
	for i := range c.pix {
		c.pix[i] = cBackground
	}
	size := float64(p.Size)
	padding := 2.0
	switch {
	case p.Size < 7:
		padding = 0.5
	case p.Size < 12:
		padding = 1
	case p.Size < 18:
		padding = 1.5
	}
	halfW, halfH := float64(p.Width)/2, float64(p.Height)/2
	// The viewport (render/viewport.ts, padding 1).
	vw := int(math.Ceil(float64(p.Width)/size + 1))
	vh := int(math.Ceil(float64(p.Height)/size + 1))
	hw, hh := (vw+1)/2, (vh+1)/2 // Math.ceil(n/2)
	nwX, nwY := p.Center.X-hw, p.Center.Y+hh
	seX, seY := p.Center.X+hw, p.Center.Y-hh
	at := func(x, y int, scale float64) (float64, float64) {
		half := size / 2
		if scale != 0 {
			half = size * scale / 2
		}
		return halfW - float64(p.Center.X-x)*size + half, halfH - float64(y-p.Center.Y)*size + half
	}

	w.mu.RLock()
	for x := nwX; x < seX; x++ {
		for y := seY; y < nwY; y++ {
			px, py := at(x, y, 0)
			if inGrid(x, y) && w.inside[cellIndex(x, y)] {
				col := typeColor[w.tileType(cellIndex(x, y))]
				c.drawTile(px, py, size, padding, w.flags(x, y), 0, col)
				continue
			}
			col := uint8(cOdd)
			if (x+y)%2 == 0 {
				col = cEven
			}
			c.drawTile(px, py, size, padding, 0, 0, col)
		}
	}
	w.mu.RUnlock()

	// The selection: a stroke layer, then a fill layer.
	for _, layer := range []struct {
		scale float64
		col   uint8
	}{{1.4, cStroke}, {1.2, cFill}} {
		for _, s := range p.Selected {
			if s.X < nwX || s.X >= seX || s.Y < seY || s.Y >= nwY {
				continue
			}
			px, py := at(s.X, s.Y, layer.scale)
			c.drawTile(px, py, size, padding, 0, layer.scale, layer.col)
		}
	}
	return &image.Paletted{Pix: c.pix, Stride: p.Width, Rect: image.Rect(0, 0, p.Width, p.Height), Palette: palette}
}

// Buffers reused between renders.
var (
	pixPool = sync.Pool{New: func() any { return new([]uint8) }}
	outPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}
	encPool = &encoderPool{}
	encoder = png.Encoder{CompressionLevel: png.BestSpeed, BufferPool: encPool}
)

type encoderPool struct{ p sync.Pool }

func (e *encoderPool) Get() *png.EncoderBuffer {
	b, _ := e.p.Get().(*png.EncoderBuffer)
	return b
}

func (e *encoderPool) Put(b *png.EncoderBuffer) { e.p.Put(b) }

// renderPNG renders p and encodes it; release gives the buffer back.
func (w *world) renderPNG(p pngParams) (out *bytes.Buffer, release func(), err error) {
	pp := pixPool.Get().(*[]uint8)
	if n := p.Width * p.Height; cap(*pp) < n {
		*pp = make([]uint8, n)
	}
	img := w.render(p, *pp)
	out = outPool.Get().(*bytes.Buffer)
	out.Reset()
	err = encoder.Encode(out, img)
	pixPool.Put(pp)
	release = func() {
		if out.Cap() <= 8<<20 {
			outPool.Put(out)
		}
	}
	return out, release, err
}
