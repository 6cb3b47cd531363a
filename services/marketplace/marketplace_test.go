package marketplace

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/entity"
	"github.com/p2pcatalyst/catalyst/store/entitytest"
	"github.com/p2pcatalyst/catalyst/store/events"
	"github.com/p2pcatalyst/catalyst/sync/deploy"
)

type fixture struct {
	t   testing.TB
	st  *store.Store
	bus *events.Bus
	svc *Service
	p   *deploy.Pipeline
	srv *httptest.Server
}

// newFixture runs the marketplace over a fresh store, its bus and the
// real deployment pipeline; mk makes its chain (nil: dev mode).
func newFixture(t testing.TB, mk func(*store.Store, *events.Bus) Chain, edit func(*Config)) *fixture {
	t.Helper()
	st, err := store.Open(store.Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() }) // last: after the chain and the service stop
	bus := events.NewBus(events.Config{Store: st})
	var c Chain
	if mk != nil {
		c = mk(st, bus)
	}
	cfg := Config{Store: st, Bus: bus, Chain: c, PublicURL: "https://node.example", RefreshEvery: time.Hour}
	if edit != nil {
		edit(&cfg)
	}
	svc := New(cfg)
	if err := bus.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := svc.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Stop(context.Background()); bus.Stop(context.Background()) })
	mux := http.NewServeMux()
	svc.Routes(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &fixture{t: t, st: st, bus: bus, svc: svc, p: deploy.New(deploy.Config{Store: st, RateLimits: map[entity.Type]time.Duration{}}), srv: srv}
}

var clock = time.Now().Add(-4 * time.Minute)

func (f *fixture) deploy(d *entitytest.Deployment) {
	f.t.Helper()
	files := []deploy.File{{Data: d.File, Size: int64(len(d.File))}}
	for _, b := range d.Files {
		files = append(files, deploy.File{Data: b, Size: int64(len(b))})
	}
	if _, err := f.p.Deploy(context.Background(), deploy.Request{EntityID: d.ID, AuthChain: d.AuthChain, Files: files, Origin: deploy.Local}); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) wearable(id *entitytest.Identity, urn, name, category string) *entitytest.Deployment {
	f.t.Helper()
	clock = clock.Add(time.Second)
	d := entitytest.Wearable(id, urn, name, category, clock)
	f.deploy(d)
	return d
}

// emote deploys an ADR-74 emote.
func (f *fixture) emote(id *entitytest.Identity, urn, name, category string, loop bool) *entitytest.Deployment {
	f.t.Helper()
	clock = clock.Add(time.Second)
	rep := map[string]any{"bodyShapes": []string{"urn:decentraland:off-chain:base-avatars:BaseMale", "urn:decentraland:off-chain:base-avatars:BaseFemale"},
		"mainFile": "e.glb", "contents": []string{"e.glb", "e.mp3"}}
	meta := map[string]any{"id": urn, "name": name, "description": "moves", "thumbnail": "thumbnail.png", "image": "image.png",
		"collectionAddress": strings.Split(urn, ":")[4], "rarity": "epic", "i18n": []any{map[string]any{"code": "en", "text": name}},
		"emoteDataADR74": map[string]any{"category": category, "tags": []string{}, "loop": loop, "representations": []any{rep}}}
	d := entitytest.Build(id, entity.Emote, []string{urn}, clock, meta, map[string][]byte{"thumbnail.png": []byte(name + "t"),
		"image.png": []byte(name + "i"), "e.glb": []byte(name + "g"), "e.mp3": []byte(name + "s")})
	f.deploy(d)
	return d
}

// get answers a GET: its status and its body as JSON.
func (f *fixture) get(path string, out any) int {
	f.t.Helper()
	return f.do(httptest.NewRequest("GET", path, nil), out)
}

func (f *fixture) do(req *http.Request, out any) int {
	f.t.Helper()
	u := f.srv.URL + req.URL.RequestURI()
	r, err := http.NewRequest(req.Method, u, req.Body)
	if err != nil {
		f.t.Fatal(err)
	}
	r.Header = req.Header
	res, err := http.DefaultClient.Do(r)
	if err != nil {
		f.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if out != nil {
		// A fresh value each time (Unmarshal merges into the maps it finds).
		reflect.ValueOf(out).Elem().SetZero()
		if err := json.Unmarshal(b, out); err != nil {
			f.t.Fatalf("%s %s: %d, not JSON: %q", req.Method, req.URL, res.StatusCode, b)
		}
	}
	return res.StatusCode
}

// eventually polls cond until it holds or 10 s pass.
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 10 s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

type itemsJSON struct {
	Data  []map[string]any `json:"data"`
	Total int              `json:"total"`
}

const (
	colA = "0x00000000000000000000000000000000000000a1"
	colB = "0x00000000000000000000000000000000000000b2"
)

// TestCatalogFromEntities: the collection items the node holds are the
// catalog and /v1/items, in the original's shapes; base avatars are not
// marketplace items; filters, sorts and pages.
func TestCatalogFromEntities(t *testing.T) {
	f := newFixture(t, nil, nil)
	creator := entitytest.NewIdentity()
	f.wearable(creator, "urn:decentraland:matic:collections-v2:"+colA+":0", "Red Hat", "hat")
	f.wearable(creator, "urn:decentraland:matic:collections-v2:"+colA+":1", "Blue Shirt", "upper_body")
	f.emote(creator, "urn:decentraland:matic:collections-v2:"+colB+":0", "Moonwalk", "dance", true)
	f.wearable(creator, "urn:decentraland:ethereum:collections-v1:halloween_2019:bat_hat", "Bat Hat", "hat")
	// A base avatar (not a collection item): with the i18n base wearables carry.
	clock = clock.Add(time.Second)
	base := "urn:decentraland:off-chain:base-avatars:f_hat"
	f.deploy(entitytest.Build(creator, entity.Wearable, []string{base}, clock, map[string]any{
		"id": base, "name": "Base Hat", "description": "", "thumbnail": "t.png", "image": "t.png", "i18n": []any{map[string]any{"code": "en", "text": "Base Hat"}},
		"data": map[string]any{"category": "hat", "tags": []string{}, "replaces": []string{}, "hides": []string{},
			"representations": []any{map[string]any{"bodyShapes": []string{"urn:decentraland:off-chain:base-avatars:BaseFemale"}, "mainFile": "m.glb",
				"contents": []string{"m.glb"}, "overrideHides": []string{}, "overrideReplaces": []string{}}}},
	}, map[string][]byte{"t.png": []byte("t"), "m.glb": []byte("g")}))

	var cat itemsJSON
	if st := f.get("/marketplace/v1/catalog?first=10", &cat); st != 200 || cat.Total != 4 || len(cat.Data) != 4 {
		t.Fatalf("catalog: %d %+v", st, cat)
	}
	byName := map[string]map[string]any{}
	for _, it := range cat.Data {
		byName[it["name"].(string)] = it
	}
	hat := byName["Red Hat"]
	want := map[string]any{
		"id": colA + "-0", "category": "wearable", "contractAddress": colA, "itemId": "0", "rarity": "common", "price": "0",
		"available": 0.0, "isOnSale": false, "creator": creator.Address, "beneficiary": nil, "network": "MATIC", "chainId": 137.0,
		"urn": "urn:decentraland:matic:collections-v2:" + colA + ":0", "url": "/contracts/" + colA + "/items/0",
		"thumbnail": "https://node.example/lambdas/collections/contents/urn:decentraland:matic:collections-v2:" + colA + ":0/thumbnail",
		"minPrice":  "0", "minListingPrice": nil, "maxListingPrice": nil, "listings": 0.0, "owners": nil,
	}
	for k, v := range want {
		if hat[k] != v {
			t.Errorf("catalog item %s = %#v, want %#v", k, hat[k], v)
		}
	}
	wd, _ := hat["data"].(map[string]any)["wearable"].(map[string]any)
	if wd["category"] != "hat" || wd["rarity"] != "common" || wd["isSmart"] != false || len(wd["bodyShapes"].([]any)) != 1 {
		t.Errorf("catalog item data: %v", hat["data"])
	}
	if _, ok := hat["createdAt"].(float64); !ok || hat["picks"].(map[string]any)["count"] != 0.0 {
		t.Errorf("createdAt, picks: %v %v", hat["createdAt"], hat["picks"])
	}
	bat := byName["Bat Hat"]
	if bat["network"] != "ETHEREUM" || bat["chainId"] != 1.0 || bat["contractAddress"] != "0xc1f4b0eea2bd6690930e6c66efd3e197d620b9c2" || bat["itemId"] != "bat_hat" {
		t.Errorf("a collections v1 item: %v", bat)
	}
	ed, _ := byName["Moonwalk"]["data"].(map[string]any)["emote"].(map[string]any)
	if byName["Moonwalk"]["category"] != "emote" || ed["category"] != "dance" || ed["loop"] != true || ed["hasSound"] != true || ed["rarity"] != "epic" {
		t.Errorf("an emote: %v", byName["Moonwalk"])
	}

	// /v1/items answers the same items with the items adapter's fields.
	var items itemsJSON
	if st := f.get("/marketplace/v1/items?contractAddress="+colA, &items); st != 200 || items.Total != 2 {
		t.Fatalf("items of a collection: %d %+v", st, items)
	}
	if it := items.Data[0]; it["minListingPrice"] != "0" || it["owners"] != 0.0 || it["utility"] != "" {
		t.Errorf("/v1/items fields: %v", it)
	}

	for q, names := range map[string][]string{
		"category=emote":                         {"Moonwalk"},
		"category=wearable&wearableCategory=hat": {"Bat Hat", "Red Hat"},
		"search=shirt":                           {"Blue Shirt"},
		"isWearableAccessory":                    {"Bat Hat", "Red Hat"},
		"network=ETHEREUM":                       {"Bat Hat"},
		"emotePlayMode=loop":                     {"Moonwalk"},
		"emotePlayMode=simple":                   {},
		"emoteGender=unisex":                     {"Moonwalk"},
		"wearableGender=female":                  {},
		"rarity=epic&rarity=common":              {"Bat Hat", "Blue Shirt", "Moonwalk", "Red Hat"},
		"urn=urn:decentraland:matic:collections-v2:" + colB + ":0": {"Moonwalk"},
		"id=" + colA + "-1":               {"Blue Shirt"},
		"isOnSale=true":                   {},
		"onlyMinting=true":                {},
		"creator=" + colA:                 {},
		"sortBy=newest":                   {"Bat Hat", "Moonwalk", "Blue Shirt", "Red Hat"},
		"sortBy=newest&sortDirection=asc": {"Red Hat", "Blue Shirt", "Moonwalk", "Bat Hat"},
		"sortBy=newest&first=2&skip=1":    {"Moonwalk", "Blue Shirt"},
	} {
		var got itemsJSON
		if st := f.get("/marketplace/v1/catalog?"+q, &got); st != 200 {
			t.Errorf("%s: %d", q, st)
			continue
		}
		var gotNames []string
		for _, it := range got.Data {
			gotNames = append(gotNames, it["name"].(string))
		}
		if !strings.HasPrefix(q, "sortBy") {
			slices.Sort(gotNames)
		}
		if strings.Join(gotNames, ",") != strings.Join(names, ",") {
			t.Errorf("%s: %v, want %v", q, gotNames, names)
		}
	}

	// A new deployment on an item's pointer is in the catalog at once
	// (through the bus), and the item keeps its first creation time.
	created := hat["createdAt"].(float64)
	f.wearable(creator, "urn:decentraland:matic:collections-v2:"+colA+":0", "Green Hat", "hat")
	eventually(t, "the redeployed item in the catalog", func() bool {
		var got itemsJSON
		f.get("/marketplace/v1/items?urn=urn:decentraland:matic:collections-v2:"+colA+":0", &got)
		return len(got.Data) == 1 && got.Data[0]["name"] == "Green Hat" && got.Data[0]["createdAt"] == created &&
			got.Data[0]["updatedAt"].(float64) > created
	})
}

// TestDevModeLists: without a chain the ownership routes answer the
// original's shapes, empty; what needs orders or the fiat gateways says
// so.
func TestDevModeLists(t *testing.T) {
	f := newFixture(t, nil, nil)
	u := entitytest.NewIdentity()
	f.wearable(u, "urn:decentraland:matic:collections-v2:"+colA+":0", "Red Hat", "hat")
	type page struct {
		OK   bool `json:"ok"`
		Data struct {
			Elements   []any `json:"elements"`
			Page       int   `json:"page"`
			Pages      int   `json:"pages"`
			Limit      int   `json:"limit"`
			Total      int   `json:"total"`
			TotalItems *int  `json:"totalItems"`
		} `json:"data"`
	}
	for _, path := range []string{"wearables", "wearables/urn-token", "wearables/grouped", "emotes", "emotes/urn-token", "emotes/grouped", "names", "names/names-only"} {
		var p page
		if st := f.get("/marketplace/v1/users/"+u.Address+"/"+path+"?first=5000", &p); st != 200 || !p.OK || p.Data.Elements == nil ||
			len(p.Data.Elements) != 0 || p.Data.Page != 1 || p.Data.Limit != 1000 || p.Data.Total != 0 {
			t.Errorf("%s: %d %+v", path, st, p)
		}
		if hasTotalItems := path == "wearables" || path == "emotes"; (p.Data.TotalItems != nil) != hasTotalItems {
			t.Errorf("%s: totalItems %v", path, p.Data.TotalItems)
		}
	}
	var list itemsJSON
	for _, path := range []string{"/marketplace/v1/nfts?owner=" + u.Address, "/marketplace/v1/owners?contractAddress=" + colA + "&itemId=0",
		"/marketplace/v1/sales", "/marketplace/v1/accounts", "/marketplace/v1/orders"} {
		if st := f.get(path, &list); st != 200 || list.Data == nil || len(list.Data) != 0 || list.Total != 0 {
			t.Errorf("%s: %d %+v", path, st, list)
		}
	}
	var cols itemsJSON
	if st := f.get("/marketplace/v1/collections", &cols); st != 200 || cols.Total != 1 || cols.Data[0]["contractAddress"] != colA ||
		cols.Data[0]["urn"] != "urn:decentraland:matic:collections-v2:"+colA || cols.Data[0]["size"] != 1.0 || cols.Data[0]["creator"] != u.Address {
		t.Errorf("collections: %d %+v", st, cols)
	}
	var prices map[string]any
	if st := f.get("/marketplace/v1/prices?category=wearable", &prices); st != 200 || len(prices) != 0 {
		t.Errorf("prices: %d %v", st, prices)
	}
	var trend itemsJSON
	if st := f.get("/marketplace/v1/trendings", &trend); st != 200 || trend.Data == nil || len(trend.Data) != 0 {
		t.Errorf("trendings: %d %+v", st, trend)
	}
	var trades map[string]any
	if st := f.get("/marketplace/v1/trades", &trades); st != 200 || trades["ok"] != true {
		t.Errorf("trades: %d %v", st, trades)
	}
	var e map[string]any
	if st := f.do(httptest.NewRequest("POST", "/marketplace/v1/wert/sign", strings.NewReader("{}")), &e); st != 501 || e["ok"] != false || e["message"] == "" {
		t.Errorf("wert: %d %v", st, e)
	}
	if st := f.do(httptest.NewRequest("POST", "/marketplace/v1/trades", strings.NewReader("{}")), &e); st != 501 {
		t.Errorf("a trade: %d %v", st, e)
	}
	if st := f.get("/marketplace/v1/trades/abc", &e); st != 404 {
		t.Errorf("one trade: %d %v", st, e)
	}
}

// TestBadInput: bad addresses, numbers, enums and unknown parameters are
// 400s that say which.
func TestBadInput(t *testing.T) {
	f := newFixture(t, nil, nil)
	for path, says := range map[string]string{
		"/marketplace/v1/users/0xnothex/wearables":                                "Invalid address",
		"/marketplace/v1/users/0x" + strings.Repeat("a", 39) + "/names":           "Invalid address",
		"/marketplace/v1/users/" + colA + "/wearables?first=-1":                   "'first'",
		"/marketplace/v1/users/" + colA + "/wearables?limit=ten":                  "'limit'",
		"/marketplace/v1/users/" + colA + "/wearables/grouped?orderBy=price":      "'orderBy'",
		"/marketplace/v1/users/" + colA + "/wearables/grouped?direction=sideways": "'direction'",
		"/marketplace/v1/users/" + colA + "/emotes/grouped?itemType=wearable_v1":  "'itemType'",
		"/marketplace/v1/users/" + colA + "/wearables?pageSize=10":                "unknown parameter 'pageSize'",
		"/marketplace/v1/catalog?sortBy=random":                                   "'sortBy'",
		"/marketplace/v1/catalog?first=1.5":                                       "'first'",
		"/marketplace/v1/catalog?skip=-3":                                         "'skip'",
		"/marketplace/v1/catalog?category=hats":                                   "'category'",
		"/marketplace/v1/catalog?rarity=shiny":                                    "'rarity'",
		"/marketplace/v1/catalog?contractAddress=0x12":                            "'contractAddress'",
		"/marketplace/v1/catalog?minPrice=1.2.3":                                  "'minPrice'",
		"/marketplace/v1/catalog?isOnSale=maybe":                                  "'isOnSale'",
		"/marketplace/v1/catalog?bogus=1":                                         "unknown parameter 'bogus'",
		"/marketplace/v1/items?onlyMinting=true":                                  "unknown parameter 'onlyMinting'",
		"/marketplace/v1/nfts?owner=0x1":                                          "'owner'",
		"/marketplace/v1/nfts?tokenId=12":                                         "no contract address",
		"/marketplace/v1/nfts?tokenId=1x&contractAddress=" + colA:                 "token ids must be numbers",
		"/marketplace/v1/nfts?owner=" + colA + "&tenant=" + colB:                  "not both",
		"/marketplace/v1/owners?contractAddress=" + colA:                          "necessary params",
		"/marketplace/v1/owners?contractAddress=" + colA + "&itemId=0&first=x":    "'first'",
		"/marketplace/v1/sales?seller=nobody":                                     "'seller'",
		"/marketplace/v1/sales?from=yesterday":                                    "'from'",
		"/marketplace/v1/accounts?id=someone":                                     "'id'",
		"/marketplace/v1/collections?sortBy=oldest":                               "'sortBy'",
		"/marketplace/v1/prices":                                                  "'category' is required",
		"/marketplace/v1/trendings?size=-1":                                       "'size'",
		"/marketplace/v1/catalog?search=" + strings.Repeat("x", maxValueBytes+1):  "longer than",
		"/marketplace/v1/catalog?" + strings.Repeat("urn=a&", maxValues+1):        "values",
		"/marketplace/v1/catalog?%zz":                                             "not valid",
	} {
		var e map[string]any
		st := f.get(path, &e)
		msg, _ := e["message"].(string)
		if st != 400 || e["ok"] != false || !strings.Contains(msg, says) {
			t.Errorf("%.80s: %d %v, want 400 saying %q", path, st, e, says)
		}
	}
}

// TestSignedCatalog: the catalog takes an optional signed fetch, as the
// original: unsigned and user-signed requests are answered (picks say
// whether the signer picked), a scene's signature or a bad one is 401.
func TestSignedCatalog(t *testing.T) {
	f := newFixture(t, nil, nil)
	u := entitytest.NewIdentity()
	f.wearable(u, "urn:decentraland:matic:collections-v2:"+colA+":0", "Red Hat", "hat")
	for _, path := range []string{"/marketplace/v1/catalog", "/marketplace/v1/items", "/marketplace/v1/nfts"} {
		req := httptest.NewRequest("GET", path, nil)
		u.SignRequest(req, `{"signer":"dcl:marketplace"}`)
		var got itemsJSON
		if st := f.do(req, &got); st != 200 {
			t.Errorf("%s signed: %d", path, st)
		}
		if path != "/marketplace/v1/nfts" && (len(got.Data) != 1 || got.Data[0]["picks"].(map[string]any)["pickedByUser"] != false) {
			t.Errorf("%s signed: %+v", path, got)
		}
		req = httptest.NewRequest("GET", path, nil)
		u.SignRequest(req, `{"signer":"decentraland-kernel-scene","sceneId":"x","parcel":"0,0"}`)
		if st := f.do(req, nil); st != 401 {
			t.Errorf("%s signed by a scene: %d", path, st)
		}
		other := httptest.NewRequest("GET", "/marketplace/v1/trendings", nil)
		u.SignRequest(other, "")
		req = httptest.NewRequest("GET", path, nil)
		req.Header = other.Header // signed for another path
		if st := f.do(req, nil); st != 401 {
			t.Errorf("%s with another path's signature: %d", path, st)
		}
		bad := httptest.NewRequest("GET", path, nil)
		u.SignRequest(bad, "")
		bad.Header.Set("X-Identity-Timestamp", "1")
		if st := f.do(bad, nil); st != 401 {
			t.Errorf("%s with a stale signature: %d", path, st)
		}
	}
}
