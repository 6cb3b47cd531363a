package lambdas

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/authchain"
	"github.com/p2pcatalyst/catalyst/store/entity"
	"github.com/p2pcatalyst/catalyst/store/entitytest"
)

type fixture struct {
	t   testing.TB
	st  *store.Store
	s   *Service
	srv *httptest.Server
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	st, err := store.Open(store.Options{Dir: t.TempDir(), Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	s := New(Config{Store: st, Version: "v-test", CommitHash: "c0ffee", Logger: log})
	mux := http.NewServeMux()
	s.Routes(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &fixture{t, st, s, srv}
}

// deploy stores d as the pipeline would have, and tells lambdas.
func (f *fixture) deploy(d *entitytest.Deployment) *entity.Entity {
	f.t.Helper()
	e, err := entity.Parse(d.ID, d.File)
	if err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.st.Deploy(context.Background(), e, d.AuthChain, nil); err != nil {
		f.t.Fatal(err)
	}
	f.s.Applied(e.Type, e.Pointers)
	return e
}

func (f *fixture) do(method, path string, body any, header map[string]string) (int, []byte) {
	f.t.Helper()
	var r io.Reader
	if body != nil {
		raw, _ := json.Marshal(body)
		r = bytes.NewReader(raw)
	}
	req, _ := http.NewRequest(method, f.srv.URL+path, r)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return res.StatusCode, raw
}

func (f *fixture) get(path string, out any) int {
	f.t.Helper()
	status, raw := f.do("GET", path, nil, nil)
	if out != nil && len(raw) > 0 {
		if err := json.Unmarshal(raw, out); err != nil {
			f.t.Fatalf("GET %s: %v: %s", path, err, raw)
		}
	}
	return status
}

type profile struct {
	Timestamp int64 `json:"timestamp"`
	Avatars   []struct {
		Name       string `json:"name"`
		EthAddress string `json:"ethAddress"`
		Avatar     struct {
			Snapshots map[string]string `json:"snapshots"`
			Wearables []string          `json:"wearables"`
		} `json:"avatar"`
	} `json:"avatars"`
}

func TestProfiles(t *testing.T) {
	f := newFixture(t)
	alice := entitytest.NewIdentity()
	first := entitytest.Profile(alice, time.Now().Add(-time.Hour), "alice")
	f.deploy(first)

	status, raw := f.do("POST", "/lambdas/profiles", map[string]any{"ids": []string{strings.ToUpper(alice.Address[:4]) + alice.Address[4:], "0x0000000000000000000000000000000000000001"}}, nil)
	var list []profile
	if status != 200 || json.Unmarshal(raw, &list) != nil || len(list) != 1 {
		t.Fatalf("POST /profiles: %d %s", status, raw)
	}
	p := list[0]
	if p.Timestamp == 0 || len(p.Avatars) != 1 || p.Avatars[0].Name != "alice" || p.Avatars[0].EthAddress != alice.Address {
		t.Fatalf("profile %+v", p)
	}
	if got := p.Avatars[0].Avatar.Snapshots["face256"]; got != "https://profile-images.decentraland.org/entities/"+first.ID+"/face.png" {
		t.Fatalf("face256 %s", got)
	}
	var keys map[string]any
	json.Unmarshal(raw[1:len(raw)-1], &keys)
	if len(keys) != 2 {
		t.Fatalf("a profile is {timestamp, avatars} only: %v", keys)
	}

	var legacyList []profile
	if status := f.get("/lambdas/profiles?id="+alice.Address+"&id=0x0000000000000000000000000000000000000002", &legacyList); status != 200 || len(legacyList) != 1 {
		t.Fatalf("GET /profiles?id=: %d %+v", status, legacyList)
	}
	var one profile
	if status := f.get("/lambdas/profiles/"+alice.Address, &one); status != 200 || one.Timestamp != p.Timestamp {
		t.Fatalf("GET /profiles/:id: %d %+v", status, one)
	}
	var missing map[string]string
	if status := f.get("/lambdas/profiles/0x0000000000000000000000000000000000000001", &missing); status != 404 || missing["error"] != "Not Found" || missing["message"] != "Profile not found" {
		t.Fatalf("a missing profile: %d %v", status, missing)
	}
	var legacy map[string]any
	if status := f.get("/lambdas/profile/0x0000000000000000000000000000000000000001", &legacy); status != 200 || legacy["timestamp"] != float64(0) || len(legacy["avatars"].([]any)) != 0 {
		t.Fatalf("legacy missing profile: %d %v", status, legacy)
	}

	since := map[string]string{"If-Modified-Since": time.Now().UTC().Format(http.TimeFormat)}
	if status, _ := f.do("POST", "/lambdas/profiles", map[string]any{"ids": []string{alice.Address}}, since); status != 304 {
		t.Fatalf("unchanged since: %d", status)
	}
	before := map[string]string{"If-Modified-Since": time.Now().Add(-2 * time.Hour).UTC().Format(http.TimeFormat)}
	if status, _ := f.do("POST", "/lambdas/profiles", map[string]any{"ids": []string{alice.Address}}, before); status != 200 {
		t.Fatalf("changed since: %d", status)
	}

	// A newer profile replaces the rendered one as soon as it applies.
	second := entitytest.Profile(alice, time.Now(), "alice2")
	f.deploy(second)
	if f.get("/lambdas/profiles/"+alice.Address, &one); one.Avatars[0].Name != "alice2" {
		t.Fatalf("after a new deployment: %+v", one)
	}

	for _, bad := range []string{`{"ids": "x"}`, `not json`} {
		req, _ := http.NewRequest("POST", f.srv.URL+"/lambdas/profiles", strings.NewReader(bad))
		res, _ := http.DefaultClient.Do(req)
		res.Body.Close()
		if res.StatusCode != 400 {
			t.Errorf("body %s: %d", bad, res.StatusCode)
		}
	}
	ids := make([]string, 1001)
	for i := range ids {
		ids[i] = "0x" + strings.Repeat("1", 40)
	}
	if status, _ := f.do("POST", "/lambdas/profiles", map[string]any{"ids": ids}, nil); status != 400 {
		t.Fatalf("1001 ids: %d", status)
	}
}

// The cache never answers a profile older than what is deployed, even
// when a deployment lands while a render is under way.
func TestProfileCacheGenerations(t *testing.T) {
	c := newProfileCache(10, nil)
	g := c.generation()
	c.forget([]string{"0xa"})
	c.store("0xa", g, rendered{json: []byte("old")})
	if _, ok := c.lru.Get("0xa"); ok {
		t.Fatal("a render older than a deployment was kept")
	}
	g = c.generation()
	c.store("0xa", g, rendered{json: []byte("new")})
	if r, ok := c.lru.Get("0xa"); !ok || string(r.json) != "new" {
		t.Fatal("a current render was not kept")
	}
}

func wearable(id *entitytest.Identity, urn, name, category string, ts time.Time) *entitytest.Deployment {
	return entitytest.Wearable(id, urn, name, category, ts)
}

type pageJSON struct {
	Elements    []map[string]any `json:"elements"`
	TotalAmount int              `json:"totalAmount"`
	PageNum     int              `json:"pageNum"`
	PageSize    int              `json:"pageSize"`
}

func TestExplorerWearables(t *testing.T) {
	f := newFixture(t)
	dcl := entitytest.NewIdentity()
	now := time.Now()
	eyes := wearable(dcl, "urn:decentraland:off-chain:base-avatars:eyes_00", "Eyes 00", "eyes", now)
	f.deploy(eyes)
	f.deploy(wearable(dcl, "urn:decentraland:off-chain:base-avatars:f_jeans", "Jeans", "lower_body", now))
	f.deploy(wearable(dcl, "urn:decentraland:off-chain:base-avatars:BaseMale", "Male", "body_shape", now))
	f.deploy(wearable(dcl, "urn:decentraland:collections-v2:0xabc:0", "Not base", "hat", now))
	user := "/explorer/" + entitytest.NewIdentity().Address

	var p pageJSON
	if status := f.get(user+"/wearables?trimmed=true&includeAmount=true&orderBy=Name&direction=asc&collectionType=base-wearable&collectionType=on-chain&collectionType=third-party", &p); status != 200 {
		t.Fatalf("status %d", status)
	}
	if p.TotalAmount != 3 || p.PageNum != 1 || p.PageSize != 100 || len(p.Elements) != 3 {
		t.Fatalf("page %+v", p)
	}
	var names []string
	for _, e := range p.Elements {
		ent := e["entity"].(map[string]any)
		names = append(names, ent["metadata"].(map[string]any)["name"].(string))
		if e["amount"] != float64(1) || ent["thumbnail"] == "" || ent["id"] == "" {
			t.Fatalf("trimmed element %v", e)
		}
	}
	if strings.Join(names, ",") != "Eyes 00,Jeans,Male" {
		t.Fatalf("by name: %v", names)
	}
	trimmed := p.Elements[0]["entity"].(map[string]any)
	if trimmed["id"] != eyes.ID || trimmed["thumbnail"] != mustHash(t, eyes, "thumbnail.png") {
		t.Fatalf("trimmed entity %v", trimmed)
	}
	if meta := trimmed["metadata"].(map[string]any); meta["isSmart"] != false || meta["data"].(map[string]any)["category"] != "eyes" {
		t.Fatalf("trimmed metadata %v", meta)
	}

	f.get(user+"/wearables?category=EYES", &p)
	if p.TotalAmount != 1 || p.Elements[0]["type"] != "base-wearable" || p.Elements[0]["entity"].(map[string]any)["id"] != eyes.ID {
		t.Fatalf("category filter, full elements: %+v", p)
	}
	f.get(user+"/wearables?name=jea", &p)
	if p.TotalAmount != 1 {
		t.Fatalf("name filter: %+v", p)
	}
	f.get(user+"/wearables?pageSize=2&pageNum=2&orderBy=name", &p)
	if p.TotalAmount != 3 || len(p.Elements) != 1 || p.Elements[0]["name"] != "Male" {
		t.Fatalf("second page: %+v", p)
	}
	for _, q := range []string{"collectionType=on-chain", "isSmartWearable=true", "rarity=epic"} {
		if f.get(user+"/wearables?"+q, &p); p.TotalAmount != 0 {
			t.Errorf("%s: %+v", q, p)
		}
	}
	for _, q := range []string{"collectionType=bogus", "rarity=bogus", "orderBy=price", "direction=up", "pageSize=1001", "pageNum=0"} {
		var e map[string]string
		if status := f.get(user+"/wearables?"+q, &e); status != 400 || e["error"] != "Bad request" || e["message"] == "" {
			t.Errorf("%s: %d %v", q, status, e)
		}
	}
	if status := f.get("/explorer/not-an-address/wearables", nil); status != 400 {
		t.Errorf("bad address: %d", status)
	}

	// A base wearable deployed later is there at once.
	f.deploy(wearable(dcl, "urn:decentraland:off-chain:base-avatars:kilt", "Kilt", "lower_body", now))
	if f.get(user+"/wearables", &p); p.TotalAmount != 4 {
		t.Fatalf("after a new base wearable: %d", p.TotalAmount)
	}

	if status := f.get(user+"/emotes?trimmed=true", &p); status != 200 || p.TotalAmount != 0 || p.Elements == nil {
		t.Fatalf("emotes: %d %+v", status, p)
	}
	if status := f.get(user+"/emotes?collectionType=base-wearable", nil); status != 400 {
		t.Fatalf("emotes of a base collection: %d", status)
	}

	var catalog struct {
		Wearables  []map[string]any `json:"wearables"`
		Pagination map[string]any   `json:"pagination"`
	}
	f.get("/lambdas/collections/wearables?collectionId=urn:decentraland:off-chain:base-avatars&limit=2", &catalog)
	if len(catalog.Wearables) != 2 || catalog.Pagination["next"] == nil {
		t.Fatalf("catalog %+v", catalog)
	}
	if thumb, _ := catalog.Wearables[0]["thumbnail"].(string); !strings.HasPrefix(thumb, f.srv.URL+"/content/contents/bafkrei") {
		t.Fatalf("definition thumbnail %v", catalog.Wearables[0]["thumbnail"])
	}
	if status := f.get("/lambdas/collections/wearables?textSearch=ab", nil); status != 400 {
		t.Fatalf("short text search: %d", status)
	}

	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := noRedirect.Get(f.srv.URL + "/lambdas/collections/contents/urn:decentraland:off-chain:base-avatars:eyes_00/thumbnail")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 302 || res.Header.Get("Location") != f.srv.URL+"/content/contents/"+mustHash(t, eyes, "thumbnail.png") {
		t.Fatalf("thumbnail: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if status := f.get("/lambdas/collections/contents/urn:nothing/image", nil); status != 404 {
		t.Fatalf("image of nothing: %d", status)
	}
}

func mustHash(t *testing.T, d *entitytest.Deployment, file string) string {
	var e entity.Entity
	json.Unmarshal(d.File, &e)
	for _, c := range e.Content {
		if c.File == file {
			return c.Hash
		}
	}
	t.Fatalf("no %s", file)
	return ""
}

// Without a chain the lists are well-formed empty pages; lamb2's bounds
// and errors hold.
func TestUserItemsAndLists(t *testing.T) {
	f := newFixture(t)
	addr := entitytest.NewIdentity().Address
	var p pageJSON
	if status := f.get("/lambdas/users/"+addr+"/wearables?pageSize=10000", &p); status != 200 || p.PageSize != 1000 || p.Elements == nil {
		t.Fatalf("wearables with the Bevy explorer's page size: %d %+v", status, p)
	}
	var e map[string]string
	if status := f.get("/lambdas/users/"+addr+"/names?pageSize=1001", &e); status != 400 || e["message"] != "max allowed pageSize is 1000" {
		t.Fatalf("names past the bound: %d %v", status, e)
	}
	for _, path := range []string{"emotes", "names", "lands?pageSize=5000", "lands-permissions", "third-party-wearables", "third-party-wearables/urn:x"} {
		if status := f.get("/lambdas/users/"+addr+"/"+path, &p); status != 200 || p.TotalAmount != 0 {
			t.Errorf("%s: %d %+v", path, status, p)
		}
	}
	for _, path := range []string{"/lambdas/users/nope/wearables", "/lambdas/users/" + addr + "/wearables?includeDefinitions&includeEntities", "/lambdas/users/" + addr + "/wearables?rarity=shiny"} {
		if status := f.get(path, nil); status != 400 {
			t.Errorf("%s: %d", path, status)
		}
	}
	var perms map[string]bool
	if f.get("/lambdas/users/"+addr+"/parcels/10/-20/permissions", &perms); len(perms) != 5 || perms["owner"] {
		t.Fatalf("permissions %v", perms)
	}
	var ops map[string]any
	if f.get("/lambdas/parcels/10/-20/operators", &ops); ops["updateManagers"] == nil {
		t.Fatalf("operators %v", ops)
	}
	if status := f.get("/lambdas/parcels/x/1/operators", nil); status != 400 {
		t.Fatalf("bad parcel: %d", status)
	}
	var tpi map[string][]any
	if f.get("/lambdas/third-party-integrations", &tpi); tpi["data"] == nil {
		t.Fatalf("third-party-integrations %v", tpi)
	}
	var cols map[string][]map[string]string
	f.get("/lambdas/collections", &cols)
	if len(cols["collections"]) == 0 || cols["collections"][0]["id"] != "urn:decentraland:off-chain:base-avatars" {
		t.Fatalf("collections %v", cols)
	}
	var list []any
	if status := f.get("/lambdas/contracts/servers", &list); status != 200 || list == nil {
		t.Fatalf("servers: %d %v", status, list)
	}
	if status := f.get("/lambdas/contracts/pois", &list); status != 200 {
		t.Fatalf("pois: %d", status)
	}
	if status := f.get("/lambdas/contracts/denylisted-names", nil); status != 404 {
		t.Fatalf("denylisted names: %d", status)
	}
	if status := f.get("/lambdas/names/someone/owner", nil); status != 404 {
		t.Fatalf("name owner without a chain: %d", status)
	}
	var st map[string]any
	if f.get("/lambdas/status", &st); st["version"] != "v-test" || st["commitHash"] != "c0ffee" || st["currentTime"] == nil {
		t.Fatalf("status %v", st)
	}
}

func TestOutfits(t *testing.T) {
	f := newFixture(t)
	alice := entitytest.NewIdentity()
	meta := map[string]any{"outfits": []any{map[string]any{"slot": 0, "outfit": map[string]any{"bodyShape": "urn:decentraland:off-chain:base-avatars:BaseMale", "wearables": []string{}}}}}
	d := entitytest.Build(alice, entity.Outfits, []string{alice.Address + ":outfits"}, time.Now(), meta, nil)
	f.deploy(d)
	var got map[string]any
	if status := f.get("/lambdas/outfits/"+alice.Address, &got); status != 200 || got["id"] != d.ID {
		t.Fatalf("outfits: %d %v", status, got)
	}
	if m := got["metadata"].(map[string]any); m["namesForExtraSlots"] == nil || m["outfits"] == nil {
		t.Fatalf("outfits metadata %v", m)
	}
	if status := f.get("/lambdas/outfits/"+entitytest.NewIdentity().Address, nil); status != 404 {
		t.Fatalf("no outfits: %d", status)
	}
}

func TestValidateSignature(t *testing.T) {
	f := newFixture(t)
	alice := entitytest.NewIdentity()
	chain := alice.Chain("hello")
	var got map[string]any
	_, raw := f.do("POST", "/lambdas/crypto/validate-signature", map[string]any{"authChain": chain, "signedMessage": "hello"}, nil)
	json.Unmarshal(raw, &got)
	if got["valid"] != true || got["ownerAddress"] != alice.Address {
		t.Fatalf("valid chain: %s", raw)
	}
	_, raw = f.do("POST", "/lambdas/crypto/validate-signature", map[string]any{"authChain": chain, "signedMessage": "other"}, nil)
	got = nil
	json.Unmarshal(raw, &got)
	if got["valid"] != false || got["error"] == "" {
		t.Fatalf("another message: %s", raw)
	}
	if status, _ := f.do("POST", "/lambdas/crypto/validate-signature", map[string]any{"authChain": authchain.Chain{}}, nil); status != 400 {
		t.Fatalf("no chain: %d", status)
	}
}
