package atlas

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/entity"
	"github.com/p2pcatalyst/catalyst/store/entitytest"
	"github.com/p2pcatalyst/catalyst/store/events"
	"github.com/p2pcatalyst/catalyst/sync/deploy"
)

// clock is a settable time for Last-Modified.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type fixture struct {
	t     *testing.T
	p     *deploy.Pipeline
	svc   *Service
	srv   *httptest.Server
	clock *clock
	lands []Land
	mu    sync.Mutex
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	st, err := store.Open(store.Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	bus := events.NewBus(events.Config{Store: st})
	f := &fixture{t: t, clock: &clock{t: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)}}
	f.svc = New(Config{Store: st, Bus: bus, Now: f.clock.Now, LandsEvery: time.Hour, Lands: func(context.Context) ([]Land, error) {
		f.mu.Lock()
		defer f.mu.Unlock()
		return append([]Land(nil), f.lands...), nil
	}})
	if err := f.svc.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := bus.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		f.svc.Stop(context.Background())
		bus.Stop(context.Background())
		st.Close()
	})
	mux := http.NewServeMux()
	f.svc.Routes(mux)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	f.p = deploy.New(deploy.Config{Store: st, RateLimits: map[entity.Type]time.Duration{}})
	return f
}

var deployClock = time.Now().Add(-15 * time.Minute)

// scene deploys a scene of title on parcels (the first is the base).
func (f *fixture) scene(id *entitytest.Identity, title string, parcels ...string) *entitytest.Deployment {
	f.t.Helper()
	deployClock = deployClock.Add(time.Second)
	meta := map[string]any{"main": "bin/index.js", "scene": map[string]any{"base": parcels[0], "parcels": parcels}, "display": map[string]any{"title": title}}
	d := entitytest.Build(id, entity.Scene, parcels, deployClock, meta, map[string][]byte{"bin/index.js": []byte(title)})
	files := []deploy.File{{Data: d.File, Size: int64(len(d.File))}}
	for _, b := range d.Files {
		files = append(files, deploy.File{Data: b, Size: int64(len(b))})
	}
	if _, err := f.p.Deploy(context.Background(), deploy.Request{EntityID: d.ID, AuthChain: d.AuthChain, Files: files, Origin: deploy.Local}); err != nil {
		f.t.Fatal(err)
	}
	return d
}

func (f *fixture) get(path string, header ...string) *http.Response {
	f.t.Helper()
	req, _ := http.NewRequest("GET", f.srv.URL+path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	// The body is read here, so no caller leaves a connection busy.
	b, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		f.t.Fatal(err)
	}
	res.Body = io.NopCloser(bytes.NewReader(b))
	return res
}

// tiles reads a tiles answer into data.
func (f *fixture) tiles(path string) map[string]map[string]any {
	f.t.Helper()
	res := f.get(path)
	defer res.Body.Close()
	if res.StatusCode != 200 {
		b, _ := io.ReadAll(res.Body)
		f.t.Fatalf("%s: %d %s", path, res.StatusCode, b)
	}
	var env struct {
		OK   bool                      `json:"ok"`
		Data map[string]map[string]any `json:"data"`
	}
	if err := json.NewDecoder(res.Body).Decode(&env); err != nil || !env.OK {
		f.t.Fatalf("%s: %v %v", path, err, env.OK)
	}
	return env.Data
}

func (f *fixture) tile(version string, x, y string) map[string]any {
	f.t.Helper()
	data := f.tiles("/atlas/" + version + "/tiles?x1=" + x + "&y1=" + y + "&x2=" + x + "&y2=" + y)
	return data[x+","+y]
}

// waitTile polls a v2 tile until want holds.
func (f *fixture) waitTile(x, y string, want func(map[string]any) bool) map[string]any {
	f.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		t := f.tile("v2", x, y)
		if want(t) {
			return t
		}
		if time.Now().After(deadline) {
			f.t.Fatalf("tile %s,%s: %v", x, y, t)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestStaticData(t *testing.T) {
	sd, err := loadStatic()
	if err != nil {
		t.Fatal(err)
	}
	at := func(x, y int) special { return sd.cells[cellIndex(x, y)] }
	// Flags of roads as specialTiles.json has them (entries of the copy in
	// ShayanIrfan/metaworld-map-tiles): top, left, topLeft.
	for _, c := range []struct {
		x, y          int
		top, left, tl bool
	}{
		{-147, 24, false, true, true}, {0, -22, true, false, false}, {-14, -74, true, true, false},
		{-35, -109, true, true, false}, {-3, -107, false, true, true}, {51, -46, true, true, true},
		{0, -10, false, true, false}, {-7, -141, false, true, false}, {10, -138, false, true, false},
		{-52, 117, true, false, false}, {-40, 118, false, true, false}, {67, 73, false, true, false},
	} {
		s := at(c.x, c.y)
		if s.kind != kindRoad || (s.flags&flagTop != 0) != c.top || (s.flags&flagLeft != 0) != c.left || (s.flags&flagTopLeft != 0) != c.tl {
			t.Errorf("road %d,%d: kind %d flags %03b, want top %v left %v topLeft %v", c.x, c.y, s.kind, s.flags, c.top, c.left, c.tl)
		}
	}
	// Plaza parcels of the same copy.
	for _, p := range [][2]int{{-7, -80}, {54, -55}, {-59, -69}, {0, 0}, {70, -67}, {53, 68}, {-70, 54}, {54, 53}, {-5, -91}, {58, -64}, {-55, 52}, {-52, 61}, {80, 0}} {
		if s := at(p[0], p[1]); s.kind != kindPlaza || s.flags != flagTop|flagLeft|flagTopLeft || s.name != "Genesis Plaza" {
			t.Errorf("plaza %v: %+v", p, s)
		}
	}
	if s := at(10, 57); s.kind != kindDistrict || s.name != "SciArt Lab" {
		t.Errorf("district 10,57: %+v", s)
	}
	if len(sd.districts) == 0 || sd.districts[0].TotalParcels != len(sd.districts[0].Parcels) {
		t.Errorf("districts: %+v", sd.districts)
	}
	var n [4]int
	for _, c := range sd.cells {
		n[c.kind]++
	}
	if n[kindPlaza] != 8*400+20*19 || n[kindRoad] < 9000 {
		t.Errorf("counts: %v", n)
	}
	t.Logf("roads %d, plazas %d, district parcels %d", n[kindRoad], n[kindPlaza], n[kindDistrict])
}

func TestScenesOnTheMap(t *testing.T) {
	f := newFixture(t)
	owner := entitytest.NewIdentity()
	f.scene(owner, "Hello", "20,20", "20,21")
	tile := f.waitTile("20", "20", func(t map[string]any) bool { return t["name"] == "Hello" })
	if tile["type"] != "owned" || tile["id"] != "20,20" || tile["x"] != 20.0 || tile["y"] != 20.0 {
		t.Errorf("the scene's tile: %v", tile)
	}
	// v1 codes: owned, road, plaza, district, unowned.
	for _, c := range []struct {
		x, y string
		code float64
	}{{"20", "20", 9}, {"0", "-22", 7}, {"0", "0", 8}, {"10", "57", 5}, {"30", "30", 11}} {
		if got := f.tile("v1", c.x, c.y); got["type"] != c.code {
			t.Errorf("v1 %s,%s: %v, want type %v", c.x, c.y, got, c.code)
		}
	}
	v1 := f.tile("v1", "0", "0")
	if v1["top"] != 1.0 || v1["left"] != 1.0 || v1["topLeft"] != 1.0 || v1["name"] != "Genesis Plaza" {
		t.Errorf("v1 plaza: %v", v1)
	}
	if v1 := f.tile("v1", "0", "-10"); v1["top"] != nil || v1["left"] != 1.0 || v1["topLeft"] != nil {
		t.Errorf("v1 road flags (1 or left out): %v", v1)
	}
	if got := f.tile("v2", "30", "30"); got["type"] != "unowned" || got["name"] != nil || got["top"] != false {
		t.Errorf("an empty parcel: %v", got)
	}
	// A newer scene on one of its parcels overwrites the whole scene.
	f.scene(owner, "Second", "20,21", "21,21")
	f.waitTile("21", "21", func(t map[string]any) bool { return t["name"] == "Second" })
	if got := f.tile("v2", "20", "20"); got["type"] != "unowned" || got["name"] != nil {
		t.Errorf("a parcel of an overwritten scene: %v", got)
	}
	if got := f.tile("v2", "20", "21"); got["name"] != "Second" {
		t.Errorf("the new scene's parcel: %v", got)
	}
	// A scene on a road keeps the road's type and takes the title.
	f.scene(owner, "Road show", "0,-22")
	if got := f.waitTile("0", "-22", func(t map[string]any) bool { return t["name"] == "Road show" }); got["type"] != "road" {
		t.Errorf("a scene on a road: %v", got)
	}
	// The parcel's metadata.
	res := f.get("/atlas/v2/parcels/21/21")
	var p nft
	json.NewDecoder(res.Body).Decode(&p)
	res.Body.Close()
	if res.StatusCode != 200 || p.Name != "Second" || p.ID != "21,21" || !strings.Contains(p.Image, "/atlas/v1/parcels/21/21/map.png") {
		t.Errorf("parcel: %d %+v", res.StatusCode, p)
	}
	for path, want := range map[string]int{"/atlas/v2/parcels/500/500": 404, "/atlas/v2/parcels/a/1": 400, "/atlas/v2/estates/x": 400, "/atlas/v2/estates/5": 404} {
		if res := f.get(path); res.StatusCode != want {
			t.Errorf("%s: %d, want %d", path, res.StatusCode, want)
		}
	}
	// A restart puts the active scenes back from the store.
	s2 := New(Config{Store: f.svc.cfg.Store})
	if err := s2.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	s2.world.mu.RLock()
	name := s2.world.name(cellIndex(21, 21))
	s2.world.mu.RUnlock()
	if name != "Second" {
		t.Errorf("after a restart: %q", name)
	}
}

func TestOwnersAndEstates(t *testing.T) {
	f := newFixture(t)
	f.mu.Lock()
	f.lands = []Land{
		{X: 40, Y: 40, Owner: "0xaa", EstateID: "7"}, {X: 41, Y: 40, Owner: "0xaa", EstateID: "7"},
		{X: 40, Y: 41, Owner: "0xaa", EstateID: "7"}, {X: 41, Y: 41, Owner: "0xaa", EstateID: "7"},
		{X: 44, Y: 40, Owner: "0xbb"}, {X: 999, Y: 999, Owner: "0xcc"},
	}
	f.mu.Unlock()
	f.svc.RefreshLands(context.Background())
	t41 := f.tile("v2", "41", "40")
	if t41["type"] != "owned" || t41["owner"] != "0xaa" || t41["estateId"] != "7" || t41["left"] != true || t41["top"] != true || t41["topLeft"] != true {
		t.Errorf("an estate's tile: %v", t41)
	}
	if t40 := f.tile("v2", "40", "41"); t40["top"] != false || t40["left"] != false || t40["topLeft"] != false {
		t.Errorf("the estate's north-west tile: %v", t40)
	}
	if t44 := f.tile("v2", "44", "40"); t44["owner"] != "0xbb" || t44["estateId"] != nil || t44["tokenId"] != tokenID(44, 40) {
		t.Errorf("a LAND: %v", t44)
	}
	if v1 := f.tile("v1", "41", "40"); v1["estate_id"] != "7" || v1["type"] != 9.0 || v1["owner"] != "0xaa" {
		t.Errorf("v1 estate tile: %v", v1)
	}
	res := f.get("/atlas/v2/estates/7")
	var e nft
	json.NewDecoder(res.Body).Decode(&e)
	res.Body.Close()
	if res.StatusCode != 200 || e.ID != "7" || len(e.Attributes) != 1 || e.Attributes[0].Value != 4.0 {
		t.Errorf("estate: %d %+v", res.StatusCode, e)
	}
	if res := f.get("/atlas/v2/estates/7/map.png"); res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/png" {
		t.Errorf("estate map: %d", res.StatusCode)
	}
	if res := f.get("/atlas/v1/estates/8/map.png"); res.StatusCode != http.StatusFound {
		t.Errorf("a dissolved estate's map: %d", res.StatusCode)
	}
	// The next read drops the estate.
	f.mu.Lock()
	f.lands = f.lands[4:]
	f.mu.Unlock()
	f.svc.RefreshLands(context.Background())
	if t41 := f.tile("v2", "41", "40"); t41["type"] != "unowned" || t41["owner"] != nil {
		t.Errorf("after the estate went: %v", t41)
	}
}

func TestBBoxAndFields(t *testing.T) {
	f := newFixture(t)
	if n := len(f.tiles("/atlas/v2/tiles?x1=1&y1=1&x2=-1&y2=-1")); n != 9 {
		t.Errorf("a 3x3 box: %d tiles", n)
	}
	// Every Genesis City parcel in the box has a tile, none outside it.
	data := f.tiles("/atlas/v2/tiles?x1=160&y1=155&x2=170&y2=165")
	if len(data) != 12 || data["162,158"] == nil || data["163,158"] != nil {
		t.Errorf("a box across the world's edge: %d tiles", len(data))
	}
	inc := f.tiles("/atlas/v2/tiles?x1=0&y1=0&x2=0&y2=0&include=id,type,nope")
	if tile := inc["0,0"]; len(tile) != 2 || tile["id"] != "0,0" || tile["type"] != "plaza" {
		t.Errorf("include: %v", tile)
	}
	exc := f.tiles("/atlas/v2/tiles?x1=0&y1=0&x2=0&y2=0&exclude=updatedAt,name")
	if tile := exc["0,0"]; tile["updatedAt"] != nil || tile["name"] != nil || tile["type"] != "plaza" || tile["top"] != true {
		t.Errorf("exclude: %v", tile)
	}
	if v1 := f.tiles("/atlas/v1/tiles?x1=0&y1=0&x2=0&y2=0&include=type"); len(v1["0,0"]) != 1 || v1["0,0"]["type"] != 8.0 {
		t.Errorf("v1 include: %v", v1)
	}
	all := f.tiles("/atlas/v2/tiles")
	if len(all) != f.svc.world.count || all["-150,-150"] == nil || all["163,100"] == nil {
		t.Errorf("the whole map: %d tiles, want %d", len(all), f.svc.world.count)
	}
	for _, path := range []string{"/atlas/v2/tiles?x1=1", "/atlas/v2/tiles?x1=a&y1=1&x2=2&y2=3", "/atlas/v1/tiles?x1=1&y1=1&x2=1", "/atlas/v2/tiles?include=" + strings.Repeat("id,", 40)} {
		res := f.get(path)
		var body map[string]string
		json.NewDecoder(res.Body).Decode(&body)
		res.Body.Close()
		if res.StatusCode != 400 || body["error"] == "" {
			t.Errorf("%s: %d %v", path, res.StatusCode, body)
		}
	}
	res := f.get("/atlas/v2/tiles/info")
	var info map[string]int64
	json.NewDecoder(res.Body).Decode(&info)
	res.Body.Close()
	if info["lastUpdatedAt"] != f.clock.Now().UnixMilli() {
		t.Errorf("tiles info: %v", info)
	}
}

// decodePNG reads a PNG answer.
func (f *fixture) decodePNG(path string) image.Image {
	f.t.Helper()
	res := f.get(path)
	defer res.Body.Close()
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/png" {
		b, _ := io.ReadAll(res.Body)
		f.t.Fatalf("%s: %d %s", path, res.StatusCode, b)
	}
	img, err := png.Decode(res.Body)
	if err != nil {
		f.t.Fatalf("%s: %v", path, err)
	}
	return img
}

func hex(c color.Color) string {
	r, g, b, _ := c.RGBA()
	const digits = "0123456789abcdef"
	out := []byte{'#', 0, 0, 0, 0, 0, 0}
	for i, v := range []uint32{r >> 8, g >> 8, b >> 8} {
		out[1+2*i], out[2+2*i] = digits[v>>4], digits[v&0xf]
	}
	return string(out)
}

func TestMapPNG(t *testing.T) {
	f := newFixture(t)
	img := f.decodePNG("/atlas/v1/map.png")
	if b := img.Bounds(); b.Dx() != 1024 || b.Dy() != 1024 {
		t.Fatalf("default size: %v", b)
	}
	// Tile (x,y) of a 1024 map of size 20 centred on 0,0 covers pixels
	// around (512 + 20x, 512 - 20y).
	px := func(img image.Image, x, y int) string { return hex(img.At(512+20*x, 512-20*y)) }
	for _, c := range []struct {
		x, y int
		want string
	}{{0, 0, "#70ac76"}, {0, -10, "#716c7a"}, {11, 0, "#716c7a"}, {-10, 5, "#716c7a"}, {15, 15, "#09080a"}} {
		if got := px(img, c.x, c.y); got != c.want {
			t.Errorf("tile %d,%d: %s, want %s", c.x, c.y, got, c.want)
		}
	}
	if got := hex(img.At(1, 1)); got != "#18141a" && got != "#09080a" {
		t.Errorf("the corner: %s", got)
	}
	// Off the world the cells alternate.
	far := f.decodePNG("/atlas/v2/map.png?center=200,0&width=200&height=200")
	if a, b := hex(far.At(100, 100)), hex(far.At(120, 100)); a != "#110e13" || b != "#0d0b0e" {
		t.Errorf("background: %s %s", a, b)
	}
	// The selection: a fill over a stroke.
	sel := f.decodePNG("/atlas/v2/map.png?selected=0,0;3,3")
	if got := px(sel, 0, 0); got != "#ff9990" {
		t.Errorf("selected fill: %s", got)
	}
	if got := hex(sel.At(500, 512)); got != "#ff0044" {
		t.Errorf("selected stroke: %s", got)
	}
	if got := px(sel, 3, 3); got != "#ff9990" {
		t.Errorf("second selected: %s", got)
	}
	// A parcel's map is centred on it and selects it.
	pm := f.decodePNG("/atlas/v2/parcels/30/30/map.png?width=300&height=300&size=10")
	if b := pm.Bounds(); b.Dx() != 300 || pixelHex(pm, 150, 150) != "#ff9990" {
		t.Errorf("parcel map: %v %s", b, pixelHex(pm, 150, 150))
	}
	// Out-of-range numbers are clamped as atlas-server does.
	if small := f.decodePNG("/atlas/v2/map.png?width=10&height=99999&size=1"); small.Bounds().Dx() != 100 || small.Bounds().Dy() != 4096 {
		t.Errorf("clamped: %v", small.Bounds())
	}
	for _, path := range []string{
		"/atlas/v2/map.png?width=abc", "/atlas/v2/map.png?center=1", "/atlas/v2/map.png?center=a,b", "/atlas/v1/map.png?size=1.5",
		"/atlas/v2/map.png?selected=" + strings.Repeat("1,1;", MaxSelected+1), "/atlas/v2/map.png?selected=1,x",
		"/atlas/v2/parcels/x/1/map.png", "/atlas/v2/map.png?center=1000000,0",
	} {
		res := f.get(path)
		var body map[string]string
		json.NewDecoder(res.Body).Decode(&body)
		res.Body.Close()
		if res.StatusCode != 400 || body["error"] == "" {
			t.Errorf("%s: %d %v", path, res.StatusCode, body)
		}
	}
}

func pixelHex(img image.Image, x, y int) string { return hex(img.At(x, y)) }

func TestLastModified(t *testing.T) {
	f := newFixture(t)
	// Within the second of the last change, no Last-Modified.
	if res := f.get("/atlas/v2/tiles?x1=0&y1=0&x2=0&y2=0"); res.Header.Get("Last-Modified") != "" {
		t.Errorf("Last-Modified in the second of a change: %q", res.Header.Get("Last-Modified"))
	}
	f.clock.Add(2 * time.Second)
	res := f.get("/atlas/v2/tiles?x1=0&y1=0&x2=0&y2=0")
	lm := res.Header.Get("Last-Modified")
	if res.StatusCode != 200 || lm == "" {
		t.Fatalf("%d, Last-Modified %q", res.StatusCode, lm)
	}
	for _, path := range []string{"/atlas/v2/tiles?x1=0&y1=0&x2=0&y2=0", "/atlas/v1/tiles", "/atlas/v1/map.png", "/atlas/v2/parcels/1/1", "/atlas/v2/districts"} {
		if res := f.get(path, "If-Modified-Since", lm); res.StatusCode != http.StatusNotModified {
			t.Errorf("%s with If-Modified-Since: %d", path, res.StatusCode)
		}
	}
	old := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).Format(http.TimeFormat)
	if res := f.get("/atlas/v2/tiles", "If-Modified-Since", old); res.StatusCode != 200 {
		t.Errorf("an older If-Modified-Since: %d", res.StatusCode)
	}
	// A change: the old date no longer matches.
	f.scene(entitytest.NewIdentity(), "Changed", "25,25")
	f.waitTile("25", "25", func(t map[string]any) bool { return t["name"] == "Changed" })
	f.clock.Add(2 * time.Second)
	res = f.get("/atlas/v2/tiles?x1=0&y1=0&x2=0&y2=0", "If-Modified-Since", lm)
	if res.StatusCode != 200 || res.Header.Get("Last-Modified") == lm {
		t.Errorf("after a change: %d %q (was %q)", res.StatusCode, res.Header.Get("Last-Modified"), lm)
	}
}

func TestDistrictsAndProbes(t *testing.T) {
	f := newFixture(t)
	res := f.get("/atlas/v2/districts")
	var list struct {
		OK   bool       `json:"ok"`
		Data []District `json:"data"`
	}
	json.NewDecoder(res.Body).Decode(&list)
	res.Body.Close()
	if !list.OK || len(list.Data) == 0 || list.Data[0].Name != "SciArt Lab" || len(list.Data[0].Parcels) != 208 {
		t.Fatalf("districts: %+v", list)
	}
	if res := f.get("/atlas/v2/districts/" + list.Data[0].ID); res.StatusCode != 200 {
		t.Errorf("a district: %d", res.StatusCode)
	}
	if res := f.get("/atlas/v2/districts/nope"); res.StatusCode != 404 {
		t.Errorf("an unknown district: %d", res.StatusCode)
	}
	for _, p := range []string{"/atlas/v2/ping", "/atlas/v2/ready"} {
		res := f.get(p)
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || string(b) != "ok" {
			t.Errorf("%s: %d %q", p, res.StatusCode, b)
		}
	}
	// Before Start the map is not ready.
	cold := New(Config{})
	mux := http.NewServeMux()
	cold.Routes(mux)
	for _, p := range []string{"/atlas/v2/ready", "/atlas/v2/tiles", "/atlas/v1/map.png"} {
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest("GET", p, nil))
		if rec.Code != http.StatusServiceUnavailable {
			t.Errorf("%s before Start: %d", p, rec.Code)
		}
	}
}

func TestAppendString(t *testing.T) {
	for _, s := range []string{"plain", `q"uo\te`, "new\nline\t\x01", "ünï©ødé 🎉", "bad\xffutf8", "<&>", "\u2028"} {
		b := appendString(nil, s)
		var back string
		if err := json.Unmarshal(b, &back); err != nil {
			t.Errorf("%q: %s: %v", s, b, err)
			continue
		}
		want, _ := json.Marshal(s)
		var w string
		json.Unmarshal(want, &w)
		if back != w {
			t.Errorf("%q: %q, want %q", s, back, w)
		}
	}
	if !bytes.Equal(appendString(nil, "<&>"), []byte(`"<&>"`)) {
		t.Error("HTML characters are kept")
	}
}
