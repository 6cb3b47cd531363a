package assetbundles

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/p2pcatalyst/catalyst/services/worlds"
	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/entity"
	"github.com/p2pcatalyst/catalyst/store/entitytest"
	"github.com/p2pcatalyst/catalyst/store/events"
	"github.com/p2pcatalyst/catalyst/sync/deploy"
)

const token = "admin-secret"

type fixture struct {
	t      *testing.T
	st     *store.Store
	svc    *Service
	p      *deploy.Pipeline
	srv    *httptest.Server
	worlds *worlds.Service
}

func newFixture(t *testing.T) *fixture {
	st, err := store.Open(store.Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	wst, err := store.Open(store.Options{Dir: t.TempDir(), PointerScope: worlds.Scope})
	if err != nil {
		t.Fatal(err)
	}
	bus := events.NewBus(events.Config{Store: st})
	wbus := events.NewBus(events.Config{Store: wst})
	f := &fixture{t: t, st: st}
	wpipe := deploy.New(deploy.Config{Store: wst, Rules: worlds.Rules, RateLimits: map[entity.Type]time.Duration{},
		Access: deploy.AccessFunc(func(ctx context.Context, e *entity.Entity, signer string) error {
			return f.worlds.CheckAccess(ctx, e, signer)
		})})
	f.worlds = worlds.New(worlds.Config{Store: wst, Pipeline: wpipe, Bus: wbus, Platform: bus})
	f.svc = New(Config{Store: st, Worlds: wst, Bus: bus, AdminToken: func() string { return token },
		ProfileImagesURL: "https://images.example/"})
	for _, b := range []*events.Bus{bus, wbus} {
		if err := b.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { wbus.Stop(context.Background()); bus.Stop(context.Background()); wst.Close(); st.Close() })
	mux := http.NewServeMux()
	f.svc.Routes(mux)
	f.worlds.Routes(mux)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	f.p = deploy.New(deploy.Config{Store: st, RateLimits: map[entity.Type]time.Duration{}})
	return f
}

var clock = time.Now().Add(-10 * time.Minute)

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

func (f *fixture) scene(id *entitytest.Identity, title string, parcels ...string) *entitytest.Deployment {
	clock = clock.Add(time.Second)
	meta := map[string]any{"main": "bin/index.js", "scene": map[string]any{"base": parcels[0], "parcels": parcels},
		"display": map[string]any{"title": title}}
	d := entitytest.Build(id, entity.Scene, parcels, clock, meta, map[string][]byte{"bin/index.js": []byte(title), "model.glb": []byte("glTF " + title)})
	f.deploy(d)
	return d
}

// item deploys a wearable or an emote of a collection.
func (f *fixture) item(id *entitytest.Identity, typ entity.Type, urn string) *entitytest.Deployment {
	clock = clock.Add(time.Second)
	rep := map[string]any{"bodyShapes": []string{"urn:decentraland:off-chain:base-avatars:BaseMale"}, "mainFile": "model.glb",
		"contents": []string{"model.glb", "thumbnail.png"}, "overrideHides": []string{}, "overrideReplaces": []string{}}
	meta := map[string]any{"id": urn, "name": "item", "description": "an item", "i18n": []any{map[string]any{"code": "en", "text": "item"}},
		"thumbnail": "thumbnail.png", "image": "image.png", "collectionAddress": "0x1111111111111111111111111111111111111111", "rarity": "common"}
	if typ == entity.Wearable {
		meta["data"] = map[string]any{"replaces": []string{}, "hides": []string{}, "tags": []string{}, "representations": []any{rep}, "category": "hat"}
	} else {
		meta["emoteDataADR74"] = map[string]any{"category": "dance", "tags": []string{}, "loop": false, "representations": []any{rep}}
	}
	d := entitytest.Build(id, typ, []string{urn}, clock, meta, map[string][]byte{"model.glb": []byte("glTF" + urn), "thumbnail.png": []byte("\x89PNG" + urn), "image.png": []byte("\x89PNG2" + urn)})
	f.deploy(d)
	return d
}

// do sends a request (signed by signer when not nil, with the admin
// token when auth is set) and decodes the JSON answer into out.
func (f *fixture) do(method, path string, body any, auth string, signer *entitytest.Identity, metadata string, out any) int {
	f.t.Helper()
	var raw []byte
	switch b := body.(type) {
	case nil:
	case []byte:
		raw = b
	case string:
		raw = []byte(b)
	default:
		raw, _ = json.Marshal(b)
	}
	req, _ := http.NewRequest(method, f.srv.URL+path, bytes.NewReader(raw))
	if auth != "" {
		req.Header.Set("Authorization", "Bearer "+auth)
	}
	if signer != nil {
		signer.SignRequest(req, metadata)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer res.Body.Close()
	got, _ := io.ReadAll(res.Body)
	if out != nil {
		if err := json.Unmarshal(got, out); err != nil {
			f.t.Fatalf("%s %s: %d %s", method, path, res.StatusCode, got)
		}
	}
	return res.StatusCode
}

// waitActive polls /entities/active on pointers until want holds.
func (f *fixture) waitActive(path string, pointers []string, want func([]Registry) bool) []Registry {
	f.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		var list []Registry
		f.do("POST", Prefix+path, map[string]any{"pointers": pointers}, "", nil, "", &list)
		if want(list) {
			return list
		}
		if time.Now().After(deadline) {
			f.t.Fatalf("active on %v: %+v", pointers, list)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func one(id string) func([]Registry) bool {
	return func(l []Registry) bool { return len(l) == 1 && l[0].ID == id }
}

func (f *fixture) record(id string) *record {
	f.t.Helper()
	rec, err := f.svc.readRecord(context.Background(), id)
	if err != nil || rec == nil {
		f.t.Fatalf("record %s: %v %v", id, rec, err)
	}
	return rec
}

func conversion(id, platform string, code int, lods bool, version string) map[string]any {
	return map[string]any{"type": "asset-bundle", "subType": "converted", "key": fmt.Sprintf("%s-%s-%d-%v", id, platform, code, lods),
		"timestamp": time.Now().UnixMilli(), "metadata": map[string]any{"entityId": id, "platform": platform, "statusCode": code,
			"isLods": lods, "isWorld": false, "version": version, "buildDate": "2025-01-02T03:04:05Z"}}
}

// Scenes, wearables and emotes deployed through the pipeline get an
// entry of the original's shape, status fallback, every platform pending.
func TestEntriesFromDeployments(t *testing.T) {
	f := newFixture(t)
	alice := entitytest.NewIdentity()
	sc := f.scene(alice, "Plaza", "10,10", "10,11")
	wearable := f.item(alice, entity.Wearable, "urn:decentraland:matic:collections-v2:0x1111111111111111111111111111111111111111:0")
	emote := f.item(alice, entity.Emote, "urn:decentraland:matic:collections-v2:0x1111111111111111111111111111111111111111:1")

	got := f.waitActive("/entities/active", []string{"10,10"}, one(sc.ID))[0]
	if got.Type != "scene" || got.Status != Fallback || got.Deployer != alice.Address || !slices.Equal(got.Pointers, []string{"10,10", "10,11"}) {
		t.Fatalf("the scene's entry: %+v", got)
	}
	if got.Timestamp == 0 || len(got.Content) != 2 || !bytes.Contains(got.Metadata, []byte(`"Plaza"`)) {
		t.Errorf("the scene's entity fields: %+v", got)
	}
	pending := Platforms[string]{Windows: "pending", Mac: "pending", Webgl: "pending"}
	if got.Bundles.Assets != pending || got.Bundles.Lods != pending || got.Versions.Assets.Windows != (BuildVersion{}) {
		t.Errorf("bundles and versions: %+v %+v", got.Bundles, got.Versions)
	}
	// The wire shape: the original's keys, no entity version.
	var raw []map[string]any
	f.do("POST", Prefix+"/entities/active", map[string]any{"pointers": []string{"10,11"}}, "", nil, "", &raw)
	for _, k := range []string{"id", "type", "timestamp", "pointers", "content", "metadata", "deployer", "status", "bundles", "versions"} {
		if _, ok := raw[0][k]; !ok {
			t.Errorf("the entry has no %q: %v", k, raw[0])
		}
	}
	if _, ok := raw[0]["version"]; ok {
		t.Errorf("the entry carries the entity's version: %v", raw[0])
	}
	for _, d := range []struct {
		d   *entitytest.Deployment
		typ string
		urn string
	}{{wearable, "wearable", "urn:decentraland:matic:collections-v2:0x1111111111111111111111111111111111111111:0"},
		{emote, "emote", "urn:decentraland:matic:collections-v2:0x1111111111111111111111111111111111111111:1"}} {
		e := f.waitActive("/entities/active", []string{d.urn}, one(d.d.ID))[0]
		if e.Type != d.typ || e.Status != Fallback {
			t.Errorf("the %s's entry: %+v", d.typ, e)
		}
	}
	var st EntityStatus
	if code := f.do("GET", Prefix+"/entities/status/"+sc.ID, nil, "", nil, "", &st); code != 200 || st.EntityID != sc.ID || st.Complete ||
		st.Catalyst != "complete" || st.AssetBundles["windows"] != "pending" || st.Lods["mac"] != "pending" {
		t.Errorf("status: %d %+v", code, st)
	}
	// By pointer too, as the original.
	if code := f.do("GET", Prefix+"/entities/status/10,11", nil, "", nil, "", &st); code != 200 || st.EntityID != sc.ID {
		t.Errorf("status by pointer: %d %+v", code, st)
	}
	var msg map[string]any
	if code := f.do("GET", Prefix+"/entities/status/bafkreinothere", nil, "", nil, "", &msg); code != 404 || msg["ok"] != false {
		t.Errorf("an unknown entity: %d %v", code, msg)
	}
	// A world's scenes are not Genesis City's.
	if code := f.do("POST", Prefix+"/entities/active?world_name=alice.dcl.eth", map[string]any{"pointers": []string{"10,10"}}, "", nil, "", &raw); code != 200 || len(raw) != 0 {
		t.Errorf("a world scope sees Genesis City: %d %v", code, raw)
	}
}

// A newer scene leaves the older converted one as its fallback; once the
// newer one is converted on windows and mac it is complete and the older
// one obsolete. A failed platform is failed, the entry still served.
func TestConversionRotation(t *testing.T) {
	f := newFixture(t)
	alice := entitytest.NewIdentity()
	v1 := f.scene(alice, "One", "0,0", "0,1")
	f.waitActive("/entities/active", []string{"0,0"}, one(v1.ID))
	for _, p := range []string{"windows", "mac"} {
		var res struct {
			OK   bool     `json:"ok"`
			Data Registry `json:"data"`
		}
		if code := f.do("POST", Prefix+"/events", conversion(v1.ID, p, 0, false, "v41"), token, nil, "", &res); code != 200 || !res.OK {
			t.Fatalf("report %s: %d %+v", p, code, res)
		}
	}
	if rec := f.record(v1.ID); rec.Status != Complete || rec.Bundles.Assets.Mac != "complete" || rec.Versions.Assets.Mac.Version != "v41" {
		t.Fatalf("v1 after its conversion: %+v", rec.Registry)
	}
	v2 := f.scene(alice, "Two", "0,0", "0,1")
	f.waitActive("/entities/active", []string{"0,0", "0,1"}, one(v2.ID))
	if rec := f.record(v1.ID); rec.Status != Fallback {
		t.Errorf("v1 while v2 is not converted: %s", rec.Status)
	}
	f.do("POST", Prefix+"/events", conversion(v2.ID, "windows", 12, false, "v42"), token, nil, "", nil)
	if rec := f.record(v2.ID); rec.Status != Fallback || rec.Bundles.Assets.Windows != "complete" {
		t.Errorf("v2 half converted: %+v", rec.Registry)
	}
	if rec := f.record(v1.ID); rec.Status != Fallback {
		t.Errorf("v1 while v2 is half converted: %s", rec.Status)
	}
	f.do("POST", Prefix+"/events", conversion(v2.ID, "mac", 13, false, "v42"), token, nil, "", nil)
	if rec := f.record(v2.ID); rec.Status != Complete {
		t.Errorf("v2 converted: %+v", rec.Registry)
	}
	if rec := f.record(v1.ID); rec.Status != Obsolete {
		t.Errorf("v1 once v2 is complete: %s", rec.Status)
	}
	// A late report of the obsolete v1 leaves it obsolete.
	f.do("POST", Prefix+"/events", conversion(v1.ID, "webgl", 0, false, "v43"), token, nil, "", nil)
	if rec := f.record(v1.ID); rec.Status != Obsolete || rec.Bundles.Assets.Webgl != "complete" {
		t.Errorf("v1 after a late report: %+v", rec.Registry)
	}
	// A failed LOD build: the platform fails, the entry stays complete.
	f.do("POST", Prefix+"/events", conversion(v2.ID, "webgl", 3, true, "v42"), token, nil, "", nil)
	if rec := f.record(v2.ID); rec.Status != Complete || rec.Bundles.Lods.Webgl != "failed" {
		t.Errorf("v2 after a failed LOD: %+v", rec.Registry)
	}
	var versions []map[string]any
	f.do("POST", Prefix+"/entities/versions", map[string]any{"pointers": []string{"0,1"}}, "", nil, "", &versions)
	if len(versions) != 1 || versions[0]["status"] != "complete" {
		t.Fatalf("versions: %v", versions)
	}
	if v := versions[0]["versions"].(map[string]any)["assets"].(map[string]any)["windows"].(map[string]any); v["version"] != "v42" || v["buildDate"] != "2025-01-02T03:04:05Z" {
		t.Errorf("the windows version: %v", v)
	}
	var st EntityStatus
	if f.do("GET", Prefix+"/entities/status/"+v2.ID, nil, "", nil, "", &st); !st.Complete || st.Lods["mac"] != "pending" {
		t.Errorf("v2's status: %+v", st)
	}
	// The obsolete v1 is still readable by id.
	if code := f.do("GET", Prefix+"/entities/status/"+v1.ID, nil, "", nil, "", &st); code != 200 || !st.Complete {
		t.Errorf("v1's status: %d %+v", code, st)
	}
	// A newer scene on a part of the parcels: served alone there, and the
	// older one, sharing a parcel with it, is not served on the other.
	v3 := f.scene(alice, "Three", "0,1")
	f.waitActive("/entities/active", []string{"0,0", "0,1"}, one(v3.ID))
	if rec := f.record(v2.ID); rec.Status != Fallback {
		t.Errorf("v2 under v3: %s", rec.Status)
	}
}

// A failed conversion leaves the entry served (raw), its platform failed.
func TestFailedConversion(t *testing.T) {
	f := newFixture(t)
	d := f.scene(entitytest.NewIdentity(), "Broken", "5,5")
	f.waitActive("/entities/active", []string{"5,5"}, one(d.ID))
	f.do("POST", Prefix+"/events", conversion(d.ID, "windows", 5, false, "v1"), token, nil, "", nil)
	list := f.waitActive("/entities/active", []string{"5,5"}, one(d.ID))
	if list[0].Status != Fallback || list[0].Bundles.Assets.Windows != "failed" {
		t.Errorf("after a failed conversion: %+v", list[0])
	}
}

// The admin routes refuse without the token (or with another), and change
// nothing.
func TestAdminRoutesRefuse(t *testing.T) {
	f := newFixture(t)
	d := f.scene(entitytest.NewIdentity(), "Guarded", "7,7")
	f.waitActive("/entities/active", []string{"7,7"}, one(d.ID))
	for _, auth := range []string{"", "wrong"} {
		for _, c := range []struct {
			method, path string
			body         any
		}{
			{"POST", "/events", conversion(d.ID, "windows", 0, false, "v1")},
			{"POST", "/denylist/" + d.ID, map[string]any{"reason": "spam"}},
			{"DELETE", "/denylist/" + d.ID, nil},
			{"POST", "/registry", map[string]any{"entityIds": []string{d.ID}}},
			{"DELETE", "/registry", map[string]any{"entityIds": []string{d.ID}}},
			{"DELETE", "/flush-cache", nil},
		} {
			if code := f.do(c.method, Prefix+c.path, c.body, auth, nil, "", nil); code != 401 {
				t.Errorf("%s %s with %q: %d", c.method, c.path, auth, code)
			}
		}
	}
	if rec := f.record(d.ID); rec.Bundles.Assets.Windows != "pending" {
		t.Errorf("a refused report changed the entry: %+v", rec.Bundles)
	}
	var deny []DenyEntry
	if f.do("GET", Prefix+"/denylist", nil, "", nil, "", &deny); len(deny) != 0 {
		t.Errorf("a refused denylist write: %v", deny)
	}
	f.waitActive("/entities/active", []string{"7,7"}, one(d.ID))
}

// Bad input is a 4xx and changes nothing.
func TestBadInput(t *testing.T) {
	f := newFixture(t)
	d := f.scene(entitytest.NewIdentity(), "Hostile", "3,3")
	f.waitActive("/entities/active", []string{"3,3"}, one(d.ID))
	before := f.record(d.ID)
	bad := func(mutate func(m map[string]any)) map[string]any {
		ev := conversion(d.ID, "windows", 0, false, "v1")
		mutate(ev)
		return ev
	}
	meta := func(ev map[string]any) map[string]any { return ev["metadata"].(map[string]any) }
	for name, body := range map[string]any{
		"not JSON":         "{",
		"two events":       `{"type":"asset-bundle"} {}`,
		"another type":     bad(func(m map[string]any) { m["type"] = "catalyst-deployment" }),
		"another subtype":  bad(func(m map[string]any) { m["subType"] = "exploded" }),
		"no key":           bad(func(m map[string]any) { delete(m, "key") }),
		"a text timestamp": bad(func(m map[string]any) { m["timestamp"] = "now" }),
		"no platform":      bad(func(m map[string]any) { delete(meta(m), "platform") }),
		"a platform":       bad(func(m map[string]any) { meta(m)["platform"] = "linux" }),
		"a text code":      bad(func(m map[string]any) { meta(m)["statusCode"] = "0" }),
		"a broken id":      bad(func(m map[string]any) { meta(m)["entityId"] = "../../etc" }),
		"no isWorld":       bad(func(m map[string]any) { delete(meta(m), "isWorld") }),
		"a text isLods":    bad(func(m map[string]any) { meta(m)["isLods"] = "no" }),
	} {
		if code := f.do("POST", Prefix+"/events", body, token, nil, "", nil); code != 400 {
			t.Errorf("%s: %d", name, code)
		}
	}
	var msg map[string]any
	if code := f.do("POST", Prefix+"/events", conversion("bafkreiunknownentity", "mac", 0, false, "v1"), token, nil, "", &msg); code != 404 || msg["ok"] != false {
		t.Errorf("an unknown entity: %d %v", code, msg)
	}
	if code := f.do("POST", Prefix+"/events", bytes.Repeat([]byte(" "), maxReportBody+1), token, nil, "", nil); code != 413 {
		t.Errorf("a huge report: %d", code)
	}
	if after := f.record(d.ID); after.Bundles != before.Bundles || after.Status != before.Status {
		t.Errorf("refused reports changed the entry: %+v", after.Registry)
	}
	if rec, _ := f.svc.readRecord(context.Background(), "bafkreiunknownentity"); rec != nil {
		t.Errorf("an unknown entity got an entry: %+v", rec)
	}
	many := make([]string, MaxPointers+1)
	for i := range many {
		many[i] = fmt.Sprintf("%d,%d", i, i)
	}
	for name, body := range map[string]any{
		"no pointers":    map[string]any{"pointers": []string{}},
		"no body":        "",
		"pointers null":  map[string]any{"pointers": nil},
		"a number":       map[string]any{"pointers": []any{1}},
		"a slash":        map[string]any{"pointers": []string{"0,0/x"}},
		"an empty one":   map[string]any{"pointers": []string{""}},
		"too many":       map[string]any{"pointers": many},
		"not an object":  "[]",
		"a text pointer": map[string]any{"pointers": "0,0"},
	} {
		if code := f.do("POST", Prefix+"/entities/active", body, "", nil, "", &msg); code != 400 || msg["ok"] != false {
			t.Errorf("active with %s: %d %v", name, code, msg)
		}
	}
	if code := f.do("POST", Prefix+"/entities/active?world_name=a/b", map[string]any{"pointers": []string{"0,0"}}, "", nil, "", nil); code != 400 {
		t.Errorf("a world name with a slash: %d", code)
	}
	for name, body := range map[string]any{"no ids": map[string]any{}, "numbers": map[string]any{"ids": []int{1}}, "empty": map[string]any{"ids": []string{""}}} {
		if code := f.do("POST", Prefix+"/profiles", body, "", nil, "", nil); code != 400 {
			t.Errorf("profiles with %s: %d", name, code)
		}
	}
	for _, name := range []string{"invalid-world", ".eth", "x_y.dcl.eth"} {
		if code := f.do("GET", Prefix+"/worlds/"+name+"/manifest", nil, "", nil, "", &msg); code != 400 || msg["message"] != "A valid world name is required" {
			t.Errorf("manifest of %q: %d %v", name, code, msg)
		}
	}
	for name, body := range map[string]any{"none": map[string]any{"entityIds": []string{}}, "a bad id": map[string]any{"entityIds": []string{"a/b"}}} {
		if code := f.do("POST", Prefix+"/registry", body, token, nil, "", nil); code != 400 {
			t.Errorf("registry with %s: %d", name, code)
		}
	}
	if code := f.do("POST", Prefix+"/denylist/"+d.ID, "{", token, nil, "", nil); code != 400 {
		t.Errorf("a broken denylist body: %d", code)
	}
}

func TestDenylist(t *testing.T) {
	f := newFixture(t)
	d := f.scene(entitytest.NewIdentity(), "Banned", "8,8")
	f.waitActive("/entities/active", []string{"8,8"}, one(d.ID))
	var entry DenyEntry
	if code := f.do("POST", Prefix+"/denylist/"+d.ID, map[string]any{"reason": "spam"}, token, nil, "", &entry); code != 201 ||
		entry.EntityID != d.ID || entry.Reason == nil || *entry.Reason != "spam" || entry.CreatedBy != "admin" || entry.CreatedAt == 0 {
		t.Fatalf("deny: %d %+v", code, entry)
	}
	var list []DenyEntry
	if f.do("GET", Prefix+"/denylist", nil, "", nil, "", &list); len(list) != 1 || list[0].EntityID != d.ID {
		t.Errorf("the denylist: %+v", list)
	}
	f.waitActive("/entities/active", []string{"8,8"}, func(l []Registry) bool { return len(l) == 0 })
	if code := f.do("DELETE", Prefix+"/denylist/"+d.ID, nil, token, nil, "", nil); code != 200 {
		t.Errorf("allow again: %d", code)
	}
	f.waitActive("/entities/active", []string{"8,8"}, one(d.ID))
	var msg map[string]any
	if code := f.do("DELETE", Prefix+"/denylist/"+d.ID, nil, token, nil, "", &msg); code != 404 || msg["message"] != "Entity ID not found in denylist" {
		t.Errorf("allow twice: %d %v", code, msg)
	}
}

// GET /entities/status answers the signer's own entries, and only to a
// signed fetch that is not a scene's.
func TestOwnStatuses(t *testing.T) {
	f := newFixture(t)
	alice, bob := entitytest.NewIdentity(), entitytest.NewIdentity()
	a1 := f.scene(alice, "A1", "20,20")
	a2 := f.scene(alice, "A2", "21,21")
	b1 := f.scene(bob, "B1", "22,22")
	f.waitActive("/entities/active", []string{"20,20", "21,21", "22,22"}, func(l []Registry) bool { return len(l) == 3 })
	if code := f.do("GET", Prefix+"/entities/status", nil, "", nil, "", nil); code != 401 {
		t.Errorf("unsigned: %d", code)
	}
	if code := f.do("GET", Prefix+"/entities/status", nil, "", alice, `{"signer":"decentraland-kernel-scene"}`, nil); code != 401 {
		t.Errorf("a scene's signature: %d", code)
	}
	var mine []EntityStatus
	if code := f.do("GET", Prefix+"/entities/status", nil, "", alice, "", &mine); code != 200 || len(mine) != 2 || mine[0].EntityID != a2.ID || mine[1].EntityID != a1.ID {
		t.Errorf("alice's: %d %+v", code, mine)
	}
	if f.do("GET", Prefix+"/entities/status", nil, "", bob, `{"signer":"dcl:explorer"}`, &mine); len(mine) != 1 || mine[0].EntityID != b1.ID {
		t.Errorf("bob's: %+v", mine)
	}
}

// World scenes deployed through the worlds service are entries of type
// world in their world's scope; the manifest lists their parcels; an
// undeployed scene leaves it.
func TestWorlds(t *testing.T) {
	f := newFixture(t)
	alice := entitytest.NewIdentity()
	clock = clock.Add(time.Second)
	meta := map[string]any{"main": "bin/index.js", "runtimeVersion": "7", "scene": map[string]any{"base": "1,1", "parcels": []string{"1,1", "1,2", "2,1"}},
		"display": map[string]any{"title": "Alice's"}, "worldConfiguration": map[string]any{"name": "alice.dcl.eth"}}
	d := entitytest.Build(alice, entity.Scene, []string{"1,1", "1,2", "2,1"}, clock, meta, map[string][]byte{"bin/index.js": []byte("world")})
	body, ct := d.Multipart()
	res, err := http.Post(f.srv.URL+"/worlds/entities", ct, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("world deployment: %d", res.StatusCode)
	}
	got := f.waitActive("/entities/active?world_name=Alice.dcl.eth", []string{"1,1"}, one(d.ID))[0]
	if got.Type != "world" || got.Status != Fallback || got.Deployer != alice.Address || len(got.Pointers) != 3 {
		t.Errorf("the world entry: %+v", got)
	}
	if l := f.waitActive("/entities/active", []string{"1,1"}, func([]Registry) bool { return true }); len(l) != 0 {
		t.Errorf("Genesis City sees a world scene: %+v", l)
	}
	var manifest struct {
		Occupied []string       `json:"occupied"`
		Spawn    map[string]int `json:"spawn_coordinate"`
		Total    int            `json:"total"`
	}
	if code := f.do("GET", Prefix+"/worlds/alice.dcl.eth/manifest", nil, "", nil, "", &manifest); code != 200 || manifest.Total != 3 ||
		!slices.Equal(manifest.Occupied, []string{"1,1", "1,2", "2,1"}) || manifest.Spawn["x"] != 1 || manifest.Spawn["y"] != 1 {
		t.Errorf("manifest: %d %+v", code, manifest)
	}
	// The converter's report of a world scene.
	ev := conversion(d.ID, "windows", 0, false, "w1")
	ev["metadata"].(map[string]any)["isWorld"] = true
	if code := f.do("POST", Prefix+"/events", ev, token, nil, "", nil); code != 200 {
		t.Errorf("a world report: %d", code)
	}
	// The owner undeploys the scene on 1,2: the world has none left.
	req, _ := http.NewRequest("DELETE", f.srv.URL+"/worlds/world/alice.dcl.eth/scenes/1,2", nil)
	alice.SignRequest(req, "")
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("undeploy: %d", res.StatusCode)
	}
	f.waitActive("/entities/active?world_name=alice.dcl.eth", []string{"1,1"}, func(l []Registry) bool { return len(l) == 0 })
	if f.do("GET", Prefix+"/worlds/empty.eth/manifest", nil, "", nil, "", &manifest); manifest.Total != 0 || len(manifest.Occupied) != 0 || manifest.Spawn["x"] != 0 {
		t.Errorf("an empty world: %+v", manifest)
	}
}

func TestSpawnOf(t *testing.T) {
	parcels := []string{"0,0", "1,0", "2,0", "0,1"}
	if got := spawnOf(parcels, nil); got != (spawn{X: 1, Y: 0}) {
		t.Errorf("centre: %+v", got)
	}
	if got := spawnOf(parcels, &spawn{X: 2, Y: 1}); got != (spawn{X: 2, Y: 1}) {
		t.Errorf("a user's spawn inside the bounds: %+v", got)
	}
	if got := spawnOf(parcels, &spawn{X: 9, Y: 9}); got != (spawn{X: 1, Y: 0}) {
		t.Errorf("a user's spawn outside: %+v", got)
	}
	if got := spawnOf(nil, &spawn{X: 9, Y: 9}); got != (spawn{}) {
		t.Errorf("no parcels: %+v", got)
	}
}

func TestProfiles(t *testing.T) {
	f := newFixture(t)
	alice := entitytest.NewIdentity()
	clock = clock.Add(time.Second)
	p := entitytest.Profile(alice, clock, "alice")
	f.deploy(p)
	var list []map[string]any
	if code := f.do("POST", Prefix+"/profiles", map[string]any{"ids": []string{alice.Address, "0x0000000000000000000000000000000000000001"}}, "", nil, "", &list); code != 200 || len(list) != 1 {
		t.Fatalf("profiles: %d %v", code, list)
	}
	avatar := list[0]["avatars"].([]any)[0].(map[string]any)
	snaps := avatar["avatar"].(map[string]any)["snapshots"].(map[string]any)
	if snaps["face256"] != "https://images.example/entities/"+p.ID+"/face.png" || avatar["name"] != "alice" || list[0]["timestamp"] == nil {
		t.Errorf("a profile: %v", list[0])
	}
	var meta []map[string]any
	if f.do("POST", Prefix+"/profiles/metadata", map[string]any{"ids": []string{alice.Address}}, "", nil, "", &meta); len(meta) != 1 ||
		meta[0]["pointer"] != alice.Address || meta[0]["name"] != "alice" || meta[0]["hasClaimedName"] != false ||
		meta[0]["thumbnailUrl"] != "https://images.example/entities/"+p.ID+"/face.png" {
		t.Errorf("metadata: %v", meta)
	}
}

// Manually queued conversions are pending jobs until converted; the
// cache flush clears them. DELETE and POST /registry remove and bring
// back an entry.
func TestQueuesAndRegistry(t *testing.T) {
	f := newFixture(t)
	d := f.scene(entitytest.NewIdentity(), "Queued", "30,30")
	f.waitActive("/entities/active", []string{"30,30"}, one(d.ID))
	queue := map[string]any{"type": "asset-bundle", "subType": "manually-queued", "key": "q1", "timestamp": 1,
		"metadata": map[string]any{"entityId": d.ID, "platform": "mac", "isLods": false, "isPriority": true}}
	if code := f.do("POST", Prefix+"/events", queue, token, nil, "", nil); code != 200 {
		t.Fatalf("queue: %d", code)
	}
	var qs map[string][]string
	if f.do("GET", Prefix+"/queues/status", nil, "", nil, "", &qs); !slices.Equal(qs["macPendingJobs"], []string{d.ID}) || len(qs["windowsPendingJobs"]) != 0 || qs["webglPendingJobs"] == nil {
		t.Errorf("queues: %v", qs)
	}
	f.do("POST", Prefix+"/events", conversion(d.ID, "mac", 0, false, "v1"), token, nil, "", nil)
	if f.do("GET", Prefix+"/queues/status", nil, "", nil, "", &qs); len(qs["macPendingJobs"]) != 0 {
		t.Errorf("queues after the conversion: %v", qs)
	}
	queue["key"] = "q2"
	f.do("POST", Prefix+"/events", queue, token, nil, "", nil)
	if code := f.do("DELETE", Prefix+"/flush-cache", nil, token, nil, "", nil); code != 200 {
		t.Errorf("flush: %d", code)
	}
	if f.do("GET", Prefix+"/queues/status", nil, "", nil, "", &qs); len(qs["macPendingJobs"]) != 0 {
		t.Errorf("queues after the flush: %v", qs)
	}
	var del map[string]any
	if code := f.do("DELETE", Prefix+"/registry", map[string]any{"entityIds": []string{d.ID}}, token, nil, "", &del); code != 200 || del["deleted"] != 1.0 {
		t.Fatalf("unregister: %d %v", code, del)
	}
	f.waitActive("/entities/active", []string{"30,30"}, func(l []Registry) bool { return len(l) == 0 })
	var reg struct {
		Failures  []map[string]any `json:"failures"`
		Successes []map[string]any `json:"successes"`
	}
	if code := f.do("POST", Prefix+"/registry", map[string]any{"entityIds": []string{d.ID, "bafkreinotstored"}}, token, nil, "", &reg); code != 200 ||
		len(reg.Successes) != 1 || len(reg.Failures) != 1 || reg.Failures[0]["entityId"] != "bafkreinotstored" {
		t.Fatalf("register: %d %+v", code, reg)
	}
	f.waitActive("/entities/active", []string{"30,30"}, one(d.ID))
	var status map[string]map[string]any
	if f.do("GET", Prefix+"/status", nil, "", nil, "", &status); status["data"]["currentTime"] == nil {
		t.Errorf("status: %v", status)
	}
}
