package atlas

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// benchService is a started service whose every plain parcel has an
// owner and whose parcels pair into two-parcel estates, so tiles carry
// owners, estates and token ids as a mainnet map does.
func benchService(b *testing.B) *Service {
	b.Helper()
	s := New(Config{})
	s.ready.Store(true)
	var lands []Land
	n := 0
	for x := minX; x <= maxX; x++ {
		for y := minY; y <= maxY; y++ {
			i := cellIndex(x, y)
			if !s.world.inside[i] || s.world.static.cells[i].kind != kindNone {
				continue
			}
			l := Land{X: x, Y: y, Owner: "0x00000000000000000000000000000000000000aa"}
			if n%3 == 0 {
				l.EstateID = itoa(x*1000 + y)
			}
			lands = append(lands, l)
			n++
		}
	}
	s.world.setLands(lands, time.Now())
	return s
}

func itoa(v int) string { return coordID(v, 0)[:len(coordID(v, 0))-2] }

// BenchmarkMapPNG draws and encodes /v1/map.png at its defaults
// (1024×1024, size 20); the target is under 50 ms.
func BenchmarkMapPNG(b *testing.B) {
	s := benchService(b)
	mux := http.NewServeMux()
	s.Routes(mux)
	req := httptest.NewRequest("GET", "/atlas/v1/map.png", nil)
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatal(rec.Code)
		}
	}
}

// BenchmarkMapPNGLarge is the largest image a request may ask: 4096×4096
// at size 5.
func BenchmarkMapPNGLarge(b *testing.B) {
	s := benchService(b)
	p, _ := parsePNGParams(map[string][]string{"width": {"4096"}, "height": {"4096"}, "size": {"5"}})
	for b.Loop() {
		out, release, err := s.world.renderPNG(p)
		if err != nil || out.Len() == 0 {
			b.Fatal(err)
		}
		release()
	}
}

// BenchmarkTilesV2 serves /v2/tiles for the whole map (the answer is
// cached until the map changes); the target is under 100 ms.
func BenchmarkTilesV2(b *testing.B) {
	s := benchService(b)
	mux := http.NewServeMux()
	s.Routes(mux)
	req := httptest.NewRequest("GET", "/atlas/v2/tiles", nil)
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatal(rec.Code)
		}
		b.SetBytes(int64(rec.Body.Len()))
	}
}

// BenchmarkTilesV2Build builds the whole map's answer without the cache:
// the cost of the first request after a change.
func BenchmarkTilesV2Build(b *testing.B) {
	s := benchService(b)
	buf := make([]byte, 0, 16<<20)
	for b.Loop() {
		buf = s.world.appendTiles(buf[:0], tileQuery{Fields: allFields}, false)
		b.SetBytes(int64(len(buf)))
	}
}
