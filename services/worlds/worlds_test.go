package worlds

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
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
	t     *testing.T
	svc   *Service
	srv   *httptest.Server
	store *store.Store
	rooms []string
}

func newFixture(t *testing.T) *fixture {
	st, err := store.Open(store.Options{Dir: t.TempDir(), PointerScope: Scope})
	if err != nil {
		t.Fatal(err)
	}
	bus := events.NewBus(events.Config{Store: st})
	f := &fixture{t: t, store: st}
	pipeline := deploy.New(deploy.Config{Store: st, Rules: Rules, RateLimits: map[entity.Type]time.Duration{},
		Access: deploy.AccessFunc(func(ctx context.Context, e *entity.Entity, signer string) error {
			return f.svc.CheckAccess(ctx, e, signer)
		})})
	f.svc = New(Config{Store: st, Pipeline: pipeline, Bus: bus, Comms: func(_ *http.Request, identity, room string) (string, error) {
		f.rooms = append(f.rooms, room)
		return "livekit:ws://sfu/rtc?access_token=for-" + identity, nil
	}})
	if err := bus.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { bus.Stop(context.Background()); st.Close() })
	mux := http.NewServeMux()
	f.svc.Routes(mux)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

var clock = time.Now()

// scene builds a world scene of title on parcels.
func scene(id *entitytest.Identity, world, title string, meta map[string]any, parcels ...string) *entitytest.Deployment {
	m := map[string]any{
		"main": "bin/index.js", "runtimeVersion": "7", "scene": map[string]any{"base": parcels[0], "parcels": parcels},
		"display": map[string]any{"title": title}, "worldConfiguration": map[string]any{"name": world},
	}
	for k, v := range meta {
		m[k] = v
	}
	clock = clock.Add(time.Millisecond) // each deployment newer than the last
	return entitytest.Build(id, entity.Scene, parcels, clock, m, map[string][]byte{"bin/index.js": []byte(title + world)})
}

// deploy uploads d as dcl-catalyst-client does; it returns the status
// and the answer.
func (f *fixture) deploy(d *entitytest.Deployment) (int, map[string]any) {
	f.t.Helper()
	body, ct := d.Multipart()
	res, err := http.Post(f.srv.URL+"/worlds/entities", ct, bytes.NewReader(body))
	if err != nil {
		f.t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, out
}

func (f *fixture) mustDeploy(d *entitytest.Deployment) {
	f.t.Helper()
	if code, out := f.deploy(d); code != http.StatusOK {
		f.t.Fatalf("deploy: %d %v", code, out)
	}
	f.waitApplied()
}

// waitApplied waits for the bus to hand every deployment to the service.
func (f *fixture) waitApplied() {
	f.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if c, _ := f.store.Cursor("worlds"); c >= f.store.LastEventSeq() {
			return
		}
		if time.Now().After(deadline) {
			f.t.Fatal("the worlds consumer did not catch up")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// do sends a request, signed by id when it is not nil, and decodes the
// JSON answer into out (when not nil).
func (f *fixture) do(id *entitytest.Identity, method, path, metadata string, body []byte, out any) int {
	f.t.Helper()
	req, _ := http.NewRequest(method, f.srv.URL+path, bytes.NewReader(body))
	if id != nil {
		id.SignRequest(req, metadata)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			f.t.Fatalf("%s %s: %d %s", method, path, res.StatusCode, raw)
		}
	}
	return res.StatusCode
}

func TestDeployAndServeAWorld(t *testing.T) {
	f := newFixture(t)
	alice := entitytest.NewIdentity()
	d := scene(alice, "alice.dcl.eth", "Alice's", nil, "0,0", "0,1")
	code, out := f.deploy(d)
	if code != http.StatusOK || out["creationTimestamp"] == nil || !strings.Contains(out["message"].(string), "alice.dcl.eth") {
		t.Fatalf("deploy: %d %v", code, out)
	}
	f.waitApplied()
	// The same parcels in another world are another world's.
	bob := entitytest.NewIdentity()
	f.mustDeploy(scene(bob, "bob.dcl.eth", "Bob's", nil, "0,0"))

	var about struct {
		Configurations struct {
			ScenesUrn []string `json:"scenesUrn"`
			RealmName string   `json:"realmName"`
		} `json:"configurations"`
		Comms struct {
			Adapter string `json:"adapter"`
		} `json:"comms"`
		SpawnCoordinates string `json:"spawnCoordinates"`
	}
	if code := f.do(nil, "GET", "/worlds/world/ALICE.dcl.eth/about", "", nil, &about); code != 200 {
		t.Fatalf("about: %d", code)
	}
	wantURN := "urn:decentraland:entity:" + d.ID + "?=&baseUrl=" + f.srv.URL + "/worlds/contents/"
	if len(about.Configurations.ScenesUrn) != 1 || about.Configurations.ScenesUrn[0] != wantURN || about.Configurations.RealmName != "alice.dcl.eth" {
		t.Fatalf("about: %+v, want the urn %s", about, wantURN)
	}
	if about.Comms.Adapter != "fixed-adapter:signed-login:"+f.srv.URL+"/worlds/worlds/alice.dcl.eth/comms" || about.SpawnCoordinates != "0,0" {
		t.Fatalf("about comms: %+v", about)
	}
	// The entity file and its content are served from /worlds/contents.
	res, err := http.Get(f.srv.URL + "/worlds/contents/" + d.ID)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("contents: %v %v", err, res)
	}
	raw, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !bytes.Equal(raw, d.File) {
		t.Fatal("the entity file served is not the deployed one")
	}
	var active []map[string]any
	f.do(nil, "POST", "/worlds/entities/active", "", []byte(`{"pointers":["bob.dcl.eth","alice.dcl.eth","nobody.dcl.eth"]}`), &active)
	if len(active) != 2 || active[0]["id"] == active[1]["id"] {
		t.Fatalf("active: %v", active)
	}
	var scenes struct {
		Scenes []map[string]any `json:"scenes"`
		Total  int              `json:"total"`
	}
	f.do(nil, "GET", "/worlds/world/alice.dcl.eth/scenes", "", nil, &scenes)
	if scenes.Total != 1 || scenes.Scenes[0]["entityId"] != d.ID || scenes.Scenes[0]["deployer"] != alice.Address {
		t.Fatalf("scenes: %+v", scenes)
	}
	// A second scene on other parcels joins the world; one on the same
	// parcels replaces the first.
	second := scene(alice, "alice.dcl.eth", "Second", nil, "5,5")
	f.mustDeploy(second)
	f.do(nil, "GET", "/worlds/world/alice.dcl.eth/scenes", "", nil, &scenes)
	if scenes.Total != 2 {
		t.Fatalf("two scenes, got %+v", scenes)
	}
	f.mustDeploy(scene(alice, "alice.dcl.eth", "Replacement", nil, "0,0", "0,1"))
	f.do(nil, "GET", "/worlds/world/alice.dcl.eth/scenes", "", nil, &scenes)
	if scenes.Total != 2 {
		t.Fatalf("replaced scene still listed: %+v", scenes)
	}
	for _, s := range scenes.Scenes {
		if s["entityId"] == d.ID {
			t.Fatal("the replaced scene is still active")
		}
	}
}

func TestWhoMayDeploy(t *testing.T) {
	f := newFixture(t)
	alice, mallory := entitytest.NewIdentity(), entitytest.NewIdentity()
	f.mustDeploy(scene(alice, "alice.dcl.eth", "Alice's", nil, "0,0"))

	code, out := f.deploy(scene(mallory, "alice.dcl.eth", "Taken", nil, "0,0"))
	if code != http.StatusBadRequest || !strings.Contains(toJSON(out), "no permission") {
		t.Fatalf("a stranger's deployment: %d %v", code, out)
	}
	// Mallory cannot grant herself; Alice can.
	path := "/worlds/world/alice.dcl.eth/permissions/deployment/" + mallory.Address
	if code := f.do(mallory, "PUT", path, "", nil, nil); code != http.StatusForbidden {
		t.Fatalf("a stranger granted a permission: %d", code)
	}
	if code := f.do(alice, "PUT", path, "", nil, nil); code != http.StatusNoContent {
		t.Fatalf("grant: %d", code)
	}
	var perms struct {
		Permissions struct {
			Deployment allowList `json:"deployment"`
		} `json:"permissions"`
		Owner string `json:"owner"`
	}
	f.do(nil, "GET", "/worlds/world/alice.dcl.eth/permissions", "", nil, &perms)
	if perms.Owner != alice.Address || len(perms.Permissions.Deployment.Wallets) != 1 || perms.Permissions.Deployment.Wallets[0] != mallory.Address {
		t.Fatalf("permissions: %+v", perms)
	}
	if code, out := f.deploy(scene(mallory, "alice.dcl.eth", "Invited", nil, "1,1")); code != http.StatusOK {
		t.Fatalf("an invited deployment: %d %v", code, out)
	}
	// Revoked, refused again.
	if code := f.do(alice, "DELETE", path, "", nil, nil); code != http.StatusNoContent {
		t.Fatalf("revoke: %d", code)
	}
	if code, _ := f.deploy(scene(mallory, "alice.dcl.eth", "Again", nil, "2,2")); code != http.StatusBadRequest {
		t.Fatalf("a revoked deployment: %d", code)
	}
}

func TestBadWorldScenes(t *testing.T) {
	f := newFixture(t)
	alice := entitytest.NewIdentity()
	for name, d := range map[string]*entitytest.Deployment{
		"no world": entitytest.Build(alice, entity.Scene, []string{"0,0"}, time.Now(), map[string]any{
			"main": "bin/index.js", "runtimeVersion": "7", "scene": map[string]any{"base": "0,0", "parcels": []string{"0,0"}},
		}, nil),
		"pointers not the parcels": scene(alice, "alice.dcl.eth", "x", map[string]any{"scene": map[string]any{"base": "0,0", "parcels": []string{"0,0", "0,1"}}}, "0,0"),
		"sdk 6":                    scene(alice, "alice.dcl.eth", "x", map[string]any{"runtimeVersion": "6"}, "0,0"),
		"not a NAME":               scene(alice, "alice.eth", "x", nil, "0,0"),
		"renamed field":            scene(alice, "alice.dcl.eth", "x", map[string]any{"worldConfiguration": map[string]any{"dclName": "alice.dcl.eth"}}, "0,0"),
		"a profile":                entitytest.Profile(alice, time.Now(), "alice"),
	} {
		if code, out := f.deploy(d); code != http.StatusBadRequest {
			t.Errorf("%s: %d %v", name, code, out)
		}
	}
	if code := f.do(nil, "GET", "/worlds/world/alice.dcl.eth/about", "", nil, nil); code != http.StatusNotFound {
		t.Fatalf("a refused world has an about: %d", code)
	}
	if code := f.do(nil, "GET", "/worlds/world/not..a..name/about", "", nil, nil); code != http.StatusBadRequest {
		t.Fatalf("a bad world name: %d", code)
	}
}

func TestWorldComms(t *testing.T) {
	f := newFixture(t)
	alice, bob := entitytest.NewIdentity(), entitytest.NewIdentity()
	f.mustDeploy(scene(alice, "alice.dcl.eth", "Alice's", nil, "0,0"))
	comms := "/worlds/worlds/alice.dcl.eth/comms"
	var out map[string]string
	if code := f.do(bob, "POST", comms, "{}", nil, &out); code != 200 || out["fixedAdapter"] != "livekit:ws://sfu/rtc?access_token=for-"+bob.Address {
		t.Fatalf("comms: %d %v", code, out)
	}
	if f.rooms[0] != "world-alice.dcl.eth" {
		t.Fatalf("room %v", f.rooms)
	}
	if code := f.do(bob, "POST", "/worlds/worlds/nobody.dcl.eth/comms", "{}", nil, nil); code != http.StatusNotFound {
		t.Fatalf("comms of no world: %d", code)
	}
	// A scene's signature is refused.
	if code := f.do(bob, "POST", comms, `{"signer":"decentraland-kernel-scene"}`, nil, nil); code != http.StatusUnauthorized {
		t.Fatalf("a scene's signature: %d", code)
	}
	// A shared secret: the wrong one is refused, then rate limited.
	if code := f.do(alice, "POST", "/worlds/world/alice.dcl.eth/permissions/access", `{"type":"shared-secret","secret":"open sesame"}`, nil, nil); code != http.StatusNoContent {
		t.Fatalf("set access: %d", code)
	}
	var perms struct {
		Permissions struct {
			Access map[string]any `json:"access"`
		} `json:"permissions"`
	}
	f.do(nil, "GET", "/worlds/world/alice.dcl.eth/permissions", "", nil, &perms)
	if perms.Permissions.Access["type"] != "shared-secret" || perms.Permissions.Access["secret"] != nil {
		t.Fatalf("the access setting shows: %v", perms.Permissions.Access)
	}
	if code := f.do(bob, "POST", comms, `{"secret":"guess"}`, nil, nil); code != http.StatusForbidden {
		t.Fatalf("a wrong secret: %d", code)
	}
	if code := f.do(bob, "POST", comms, `{"secret":"open sesame"}`, nil, nil); code != http.StatusOK {
		t.Fatalf("the right secret: %d", code)
	}
	for range secretAttempts {
		f.do(bob, "POST", comms, `{"secret":"guess"}`, nil, nil)
	}
	if code := f.do(bob, "POST", comms, `{"secret":"open sesame"}`, nil, nil); code != http.StatusTooManyRequests {
		t.Fatalf("after too many wrong secrets: %d", code)
	}
	// An allow-list admits its wallets only.
	if code := f.do(alice, "POST", "/worlds/world/alice.dcl.eth/permissions/access", `{"type":"allow-list","wallets":[]}`, nil, nil); code != http.StatusNoContent {
		t.Fatalf("set access: %d", code)
	}
	carol := entitytest.NewIdentity()
	if code := f.do(carol, "POST", comms, "{}", nil, nil); code != http.StatusUnauthorized {
		t.Fatalf("not on the list: %d", code)
	}
	if code := f.do(alice, "PUT", "/worlds/world/alice.dcl.eth/permissions/access/"+carol.Address, "", nil, nil); code != http.StatusNoContent {
		t.Fatalf("add to the list: %d", code)
	}
	if code := f.do(carol, "POST", comms, "{}", nil, nil); code != http.StatusOK {
		t.Fatalf("on the list: %d", code)
	}
	if code := f.do(bob, "POST", "/worlds/world/alice.dcl.eth/permissions/access", `{"type":"unrestricted"}`, nil, nil); code != http.StatusForbidden {
		t.Fatalf("a stranger set the access: %d", code)
	}
}

func TestUndeploy(t *testing.T) {
	f := newFixture(t)
	alice, bob := entitytest.NewIdentity(), entitytest.NewIdentity()
	f.mustDeploy(scene(alice, "alice.dcl.eth", "One", nil, "0,0"))
	f.mustDeploy(scene(alice, "alice.dcl.eth", "Two", nil, "3,3"))
	if code := f.do(bob, "DELETE", "/worlds/world/alice.dcl.eth/scenes/0,0", "", nil, nil); code != http.StatusForbidden {
		t.Fatalf("a stranger undeployed: %d", code)
	}
	if code := f.do(alice, "DELETE", "/worlds/world/alice.dcl.eth/scenes/0,0", "", nil, nil); code != http.StatusOK {
		t.Fatalf("undeploy a scene: %d", code)
	}
	var scenes struct{ Total int }
	f.do(nil, "GET", "/worlds/world/alice.dcl.eth/scenes", "", nil, &scenes)
	if scenes.Total != 1 {
		t.Fatalf("scenes after undeploying one: %d", scenes.Total)
	}
	if code := f.do(bob, "DELETE", "/worlds/entities/alice.dcl.eth", "", nil, nil); code != http.StatusForbidden {
		t.Fatalf("a stranger undeployed the world: %d", code)
	}
	if code := f.do(alice, "DELETE", "/worlds/entities/alice.dcl.eth", "", nil, nil); code != http.StatusOK {
		t.Fatalf("undeploy the world: %d", code)
	}
	if code := f.do(nil, "GET", "/worlds/world/alice.dcl.eth/about", "", nil, nil); code != http.StatusNotFound {
		t.Fatalf("an undeployed world's about: %d", code)
	}
}

func toJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// Two wallets deploying a new world at once: one claims it, the other is
// refused, whatever the order (a node without chain data).
func TestFirstDeployerClaimsOnce(t *testing.T) {
	for range 5 {
		f := newFixture(t)
		alice, bob := entitytest.NewIdentity(), entitytest.NewIdentity()
		deps := []*entitytest.Deployment{scene(alice, "race.dcl.eth", "A", nil, "0,0"), scene(bob, "race.dcl.eth", "B", nil, "1,0")}
		codes := make(chan int, 2)
		for _, d := range deps {
			go func() {
				code, _ := f.deploy(d)
				codes <- code
			}()
		}
		a, b := <-codes, <-codes
		if a+b != http.StatusOK+http.StatusBadRequest {
			t.Fatalf("two first deployers: %d and %d, want one accepted and one refused", a, b)
		}
		f.waitApplied()
		var perms struct{ Owner string }
		f.do(nil, "GET", "/worlds/world/race.dcl.eth/permissions", "", nil, &perms)
		var scenes struct {
			Scenes []map[string]any `json:"scenes"`
		}
		f.do(nil, "GET", "/worlds/world/race.dcl.eth/scenes", "", nil, &scenes)
		if len(scenes.Scenes) != 1 || scenes.Scenes[0]["deployer"] != perms.Owner {
			t.Fatalf("owner %s, scenes %v", perms.Owner, scenes.Scenes)
		}
	}
}
