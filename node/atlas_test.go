package node

import (
	"bytes"
	"encoding/json"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/p2pcatalyst/catalyst/store/entitytest"
)

// The node serves the atlas: a scene deployed with the content API is
// named on its tiles, and the map is a PNG whose pixels say what is
// where.
func TestAtlasServed(t *testing.T) {
	n, base := startNode(t, nil)
	c := client{t, base}
	id := entitytest.NewIdentity()
	scene := entitytest.Build(id, "scene", []string{"20,20", "20,21"}, time.Now(), map[string]any{
		"main": "bin/index.js", "scene": map[string]any{"base": "20,20", "parcels": []string{"20,20", "20,21"}},
		"display": map[string]any{"title": "Atlas Hall"},
	}, map[string][]byte{"bin/index.js": []byte("hall")})
	deployTo(t, n, scene)
	deadline := time.Now().Add(10 * time.Second)
	var tiles struct {
		Data map[string]map[string]any `json:"data"`
	}
	for {
		_, _, raw := c.do("GET", "/atlas/v2/tiles?x1=19&y1=19&x2=21&y2=21", nil, "")
		json.Unmarshal(raw, &tiles)
		if tiles.Data["20,21"]["name"] == "Atlas Hall" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the scene is not on the atlas: %s", raw)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if len(tiles.Data) != 9 || tiles.Data["20,20"]["type"] != "owned" || tiles.Data["19,19"] == nil {
		t.Fatalf("tiles: %v", tiles.Data)
	}
	code, h, raw := c.do("GET", "/atlas/v1/map.png?width=200&height=200&size=10&center=0,0", nil, "")
	if code != 200 || !strings.HasPrefix(h.Get("Content-Type"), "image/png") {
		t.Fatalf("map.png: %d %v", code, h)
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil || img.Bounds().Dx() != 200 {
		t.Fatalf("map.png decodes: %v", err)
	}
	// The centre of the map is Genesis Plaza: the plaza's green.
	r, g, b, _ := img.At(100, 100).RGBA()
	if r>>8 != 0x70 || g>>8 != 0xAC || b>>8 != 0x76 {
		t.Fatalf("the centre is %02x%02x%02x, not the plaza's 70ac76", r>>8, g>>8, b>>8)
	}
	if code, _, _ := c.do("GET", "/atlas/v1/map.png?width=abc", nil, ""); code != 400 {
		t.Fatalf("a bad width: %d", code)
	}
}
