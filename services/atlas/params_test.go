package atlas

import "testing"

func TestParsePNGParams(t *testing.T) {
	for _, c := range []struct {
		query string
		want  pngParams
		bad   bool
	}{
		{"", pngParams{Width: 1024, Height: 1024, Size: 20}, false},
		{"width=50&height=5000&size=60", pngParams{Width: 100, Height: 4096, Size: 50}, false},
		{"size=2&center=-10,20&on-sale=true", pngParams{Width: 1024, Height: 1024, Size: 5, Center: coord{-10, 20}, OnSale: true}, false},
		{"selected=1,2;3,4;", pngParams{Width: 1024, Height: 1024, Size: 20, Selected: []coord{{1, 2}, {3, 4}}}, false},
		{"width=", pngParams{}, true},
		{"width=1e3", pngParams{}, true},
		{"center=1,", pngParams{}, true},
		{"selected=1;2", pngParams{}, true},
	} {
		q, err := parseQuery(c.query)
		if err != nil {
			t.Fatal(err)
		}
		got, err := parsePNGParams(q)
		if (err != nil) != c.bad {
			t.Errorf("%q: %v", c.query, err)
			continue
		}
		if c.bad {
			continue
		}
		if got.Width != c.want.Width || got.Height != c.want.Height || got.Size != c.want.Size || got.Center != c.want.Center ||
			got.OnSale != c.want.OnSale || len(got.Selected) != len(c.want.Selected) {
			t.Errorf("%q: %+v, want %+v", c.query, got, c.want)
		}
	}
}

// FuzzParams feeds query strings to the parsers of untrusted parameters:
// they must not panic, and what they accept stays within bounds.
func FuzzParams(f *testing.F) {
	for _, s := range []string{
		"", "width=512&height=256&size=10&center=3,-4&selected=1,1;2,2&on-sale=true",
		"x1=-10&y1=-10&x2=10&y2=10&include=id,type,name", "exclude=updatedAt", "x1=1",
		"selected=;;;", "center=99999999999999999999,1", "width=-5&size=1000000",
		"x1=9223372036854775807&y1=0&x2=-9223372036854775808&y2=1",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := parseQuery(raw)
		if err != nil {
			return
		}
		if p, err := parsePNGParams(q); err == nil {
			if p.Width < 100 || p.Width > 4096 || p.Height < 100 || p.Height > 4096 || p.Size < 5 || p.Size > 50 {
				t.Fatalf("%q: out of bounds %+v", raw, p)
			}
			if len(p.Selected) > MaxSelected {
				t.Fatalf("%q: %d selected", raw, len(p.Selected))
			}
			for _, c := range append(p.Selected, p.Center) {
				if c.X < -maxCoord || c.X > maxCoord || c.Y < -maxCoord || c.Y > maxCoord {
					t.Fatalf("%q: coordinate %v", raw, c)
				}
			}
		}
		if tq, err := parseTileQuery(q); err == nil {
			if tq.HasBox && (tq.X1 > tq.X2 || tq.Y1 > tq.Y2) {
				t.Fatalf("%q: unordered box %+v", raw, tq)
			}
			if tq.Fields&^allFields != 0 {
				t.Fatalf("%q: fields %b", raw, tq.Fields)
			}
		}
	})
}
