package node

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/p2pcatalyst/catalyst/store/entity"
	"github.com/p2pcatalyst/catalyst/store/entitytest"
)

// worldScene builds a scene of world on parcels.
func worldScene(id *entitytest.Identity, world string, ts time.Time, parcels ...string) *entitytest.Deployment {
	return entitytest.Build(id, entity.Scene, parcels, ts, map[string]any{
		"main": "bin/index.js", "runtimeVersion": "7", "scene": map[string]any{"base": parcels[0], "parcels": parcels},
		"display": map[string]any{"title": world}, "worldConfiguration": map[string]any{"name": world},
	}, map[string][]byte{"bin/index.js": []byte("world " + world + ts.String())})
}

func deployWorld(t *testing.T, n *Node, d *entitytest.Deployment) (int, string) {
	t.Helper()
	body, ct := d.Multipart()
	res, err := httpClient.Post("http://"+n.Addr()+"/worlds/entities", ct, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out bytes.Buffer
	out.ReadFrom(res.Body)
	return res.StatusCode, out.String()
}

// A world deployed on one node is served by the other, on its own topic:
// not in either node's Genesis City, and with its owner recorded there too.
func TestWorldsReplicate(t *testing.T) {
	nodes := testnet(t, 2, nil)
	waitMesh(t, nodes)
	alice, mallory := entitytest.NewIdentity(), entitytest.NewIdentity()
	d := worldScene(alice, "alice.dcl.eth", time.Now(), "0,0", "1,0")
	if code, body := deployWorld(t, nodes[0], d); code != 200 {
		t.Fatalf("deploy: %d %s", code, body)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		ds, err := nodes[1].worlds.store.ActiveByPointers(context.Background(), []string{"alice.dcl.eth:0,0"})
		if err != nil {
			t.Fatal(err)
		}
		if len(ds) == 1 && ds[0].ID == d.ID {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the world scene did not reach the other node")
		}
		time.Sleep(10 * time.Millisecond)
	}
	c := client{t, "http://" + nodes[1].Addr()}
	code, _, raw := c.do("GET", "/worlds/world/alice.dcl.eth/about", nil, "")
	if code != 200 || !strings.Contains(string(raw), "urn:decentraland:entity:"+d.ID+"?=&baseUrl=http://"+nodes[1].Addr()+"/worlds/contents/") {
		t.Fatalf("about on the other node: %d %s", code, raw)
	}
	for _, n := range nodes {
		if ds, _ := n.Store.ActiveByPointers(context.Background(), []string{"0,0"}); len(ds) != 0 {
			t.Fatalf("a world scene in Genesis City: %v", ds)
		}
	}
	// The owner was recorded on the other node as the scene applied there
	// (the bus hands it over shortly after).
	for {
		code, _, raw = c.do("GET", "/worlds/world/alice.dcl.eth/permissions", nil, "")
		var perms struct{ Owner string }
		json.Unmarshal(raw, &perms)
		if perms.Owner == alice.Address {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("permissions on the other node: %d %s", code, raw)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if code, body := deployWorld(t, nodes[1], worldScene(mallory, "alice.dcl.eth", time.Now(), "0,0")); code != http.StatusBadRequest {
		t.Fatalf("a stranger's scene in alice's world on the other node: %d %s", code, body)
	}
	// And the world's comms are the node's own SFU.
	req, _ := http.NewRequest("POST", c.base+"/worlds/worlds/alice.dcl.eth/comms", nil)
	mallory.SignRequest(req, "{}")
	res, err := httpClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var comms struct{ FixedAdapter string }
	json.NewDecoder(res.Body).Decode(&comms)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.HasPrefix(comms.FixedAdapter, "livekit:ws://"+nodes[1].Addr()) {
		t.Fatalf("comms: %d %+v", res.StatusCode, comms)
	}
}

// dcl-catalyst-client deploys a world to /worlds; the world is a realm
// (testdata/js/worlds.js).
func TestWorldsWithRealClient(t *testing.T) {
	if testing.Short() {
		t.Skip("needs node and testdata/js/node_modules")
	}
	_, base := startNode(t, nil)
	runScript(t, "worlds.js", base)
}

// A world is a place of /places/api/worlds and /destinations, not of
// /places; undeployed, it leaves the list.
func TestWorldsInPlaces(t *testing.T) {
	n, base := startNode(t, nil)
	alice := entitytest.NewIdentity()
	if code, body := deployWorld(t, n, worldScene(alice, "alice.dcl.eth", time.Now(), "0,0")); code != 200 {
		t.Fatalf("deploy: %d %s", code, body)
	}
	c := client{t, base}
	list := func(path string) []map[string]any {
		_, _, raw := c.do("GET", path, nil, "")
		var out struct{ Data []map[string]any }
		json.Unmarshal(raw, &out)
		return out.Data
	}
	deadline := time.Now().Add(10 * time.Second)
	for len(list("/places/api/worlds")) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the world is not in /places/api/worlds")
		}
		time.Sleep(10 * time.Millisecond)
	}
	w := list("/places/api/worlds")[0]
	if w["id"] != "alice.dcl.eth" || w["world"] != true || w["world_name"] != "alice.dcl.eth" || w["title"] != "alice.dcl.eth" {
		t.Fatalf("world place: %v", w)
	}
	if len(list("/places/api/places")) != 0 || len(list("/places/api/destinations")) != 1 {
		t.Fatal("a world is listed as a Genesis City place, or not as a destination")
	}
	req, _ := http.NewRequest("DELETE", base+"/worlds/entities/alice.dcl.eth", nil)
	alice.SignRequest(req, "")
	res, err := httpClient.Do(req)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("undeploy: %v %v", err, res)
	}
	res.Body.Close()
	for len(list("/places/api/worlds")) != 0 {
		if time.Now().After(deadline) {
			t.Fatal("an undeployed world is still listed")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
