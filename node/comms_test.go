package node

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/p2pcatalyst/catalyst/comms/rtc/rtctest"
	"github.com/p2pcatalyst/catalyst/store/entitytest"
)

// splitConnStr takes "livekit:ws://host:port?access_token=T" apart.
func splitConnStr(t testing.TB, cs string) (base, token string) {
	t.Helper()
	rest, ok := strings.CutPrefix(cs, "livekit:")
	base, token, ok2 := strings.Cut(rest, "?access_token=")
	if !ok || !ok2 {
		t.Fatalf("conn_str %q is not livekit:<base>?access_token=<jwt>", cs)
	}
	return base, token
}

func joinRoom(t testing.TB, connStr string) *rtctest.Client {
	t.Helper()
	base, token := splitConnStr(t, connStr)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c, err := rtctest.Dial(ctx, base, token)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// loggedEvent is an event read back from the node's event log.
type loggedEvent struct {
	Type, SubType string
	Metadata      map[string]any
}

// waitEvent reads the node's event log until an event of subType about
// address is there (they are published without waiting for the disk).
func waitEvent(t testing.TB, n *Node, subType, address string) loggedEvent {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		evs, err := n.Store.ReadEvents(context.Background(), 0, 100000)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range evs {
			var meta map[string]any
			json.Unmarshal(e.Metadata, &meta)
			if e.SubType == subType && meta["userAddress"] == address {
				return loggedEvent{e.Type, e.SubType, meta}
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %s event for %s", subType, address)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestIslandRoomsEventsAndBans follows explorers from the handshake into
// their island's room on the node's SFU, and checks the platform events
// and the bans on every entrance.
func TestIslandRoomsEventsAndBans(t *testing.T) {
	banned := entitytest.NewIdentity()
	dir := t.TempDir()
	n, base := startNode(t, func(c *Config) { c.DataDir = dir })

	// A scene on parcel 0,0 names the parcel in move-to-parcel.
	owner := entitytest.NewIdentity()
	scene := entitytest.Scene(owner, time.Now(), []string{"0,0"}, nil)
	if code, body := (client{t, base}).deploy(scene); code != 200 {
		t.Fatalf("scene deployment: %d %v", code, body)
	}

	a, b := dialExplorer(t, base), dialExplorer(t, base)
	ia, ib := sameIsland(t, a, b)
	move := waitEvent(t, n, "move-to-parcel", a.id.Address)
	parcel := move.Metadata["parcel"].(map[string]any)
	if parcel["newParcel"] != "0,0" || parcel["sceneHash"] != scene.ID || parcel["isEmptyParcel"] != false || move.Type != "client" {
		t.Fatalf("move-to-parcel %+v", move)
	}
	ca, cb := joinRoom(t, ia.ConnStr), joinRoom(t, ib.ConnStr)
	joined := waitEvent(t, n, "user-joined-room", a.id.Address)
	if joined.Type != "comms" || joined.Metadata["roomType"] != "island" || joined.Metadata["islandName"] != ia.IslandId {
		t.Fatalf("user-joined-room %+v", joined)
	}
	ca.Publish([]byte("hi"), true)
	select {
	case p := <-cb.Packets:
		if p.From != a.id.Address || string(p.Payload) != "hi" {
			t.Fatalf("b got %+v", p)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no data between island members")
	}
	cb.Close()
	waitEvent(t, n, "user-left-room", b.id.Address)

	// Signed-login adapter and scene adapter hand out tokens for the SFU.
	post := func(path, meta string, id *entitytest.Identity) (int, map[string]any) {
		req, _ := http.NewRequest("POST", base+path, nil)
		if id != nil {
			id.SignRequest(req, meta)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var out map[string]any
		json.NewDecoder(res.Body).Decode(&out)
		return res.StatusCode, out
	}
	handshakeMeta := `{"intent":"dcl:explorer:comms-handshake","signer":"dcl:explorer","isGuest":false}`
	code, out := post("/get-comms-adapter/main-room", handshakeMeta, a.id)
	fixed, _ := out["fixedAdapter"].(string)
	if code != 200 || !strings.HasPrefix(fixed, "livekit:ws://") {
		t.Fatalf("get-comms-adapter: %d %v", code, out)
	}
	if c := joinRoom(t, fixed); c.Join.Room.Name != "main-room" || c.Identity() != a.id.Address {
		t.Fatalf("fixed adapter joined %s as %s", c.Join.Room.Name, c.Identity())
	}
	code, out = post("/get-scene-adapter", fmt.Sprintf(`{"sceneId":%q,"realmName":"catalyst","parcel":"0,0"}`, scene.ID), a.id)
	adapter, _ := out["adapter"].(string)
	if code != 200 {
		t.Fatalf("get-scene-adapter: %d %v", code, out)
	}
	if c := joinRoom(t, adapter); c.Join.Room.Name != "scene-catalyst:"+scene.ID {
		t.Fatalf("scene adapter joined %s", c.Join.Room.Name)
	}
	for _, tc := range []struct {
		path, meta string
		id         *entitytest.Identity
		want       int
	}{
		{"/get-comms-adapter/main-room", handshakeMeta, nil, 401},
		{"/get-comms-adapter/main-room", `{"intent":"other"}`, a.id, 401},
		{"/get-comms-adapter/island-" + ia.IslandId, handshakeMeta, a.id, 400},
		{"/get-scene-adapter", `{"realmName":"catalyst"}`, a.id, 400},
	} {
		if code, out := post(tc.path, tc.meta, tc.id); code != tc.want || out["error"] == nil {
			t.Errorf("POST %s %s: %d %v, want %d with an error", tc.path, tc.meta, code, out, tc.want)
		}
	}

	// A ban written to the file applies at once to the handshake, the
	// adapters and the SFU, and shows on /users/:address/bans.
	bans := fmt.Sprintf(`[{"address":%q,"reason":"spam"}]`, banned.Address)
	if err := os.WriteFile(filepath.Join(dir, "comms", "bans.json"), []byte(bans), 0o600); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		var st struct {
			Data struct {
				IsBanned bool `json:"isBanned"`
			} `json:"data"`
		}
		(client{t, base}).json("GET", "/users/"+banned.Address+"/bans", nil, &st)
		if st.Data.IsBanned {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the ban file was not picked up")
		}
		time.Sleep(200 * time.Millisecond)
	}
	if _, err := handshake(t, base, banned); err == nil || !strings.Contains(err.Error(), "banned") {
		t.Errorf("a banned address completed the archipelago handshake: %v", err)
	}
	if code, _ := post("/get-comms-adapter/main-room", handshakeMeta, banned); code != 403 {
		t.Errorf("banned get-comms-adapter: %d, want 403", code)
	}
	token, _ := n.keys.Token(banned.Address, "island-"+ia.IslandId)
	ctx, cancelDial := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancelDial()
	if _, err := rtctest.Dial(ctx, "ws"+strings.TrimPrefix(base, "http"), token); err == nil || !strings.Contains(err.Error(), "403") {
		t.Errorf("a banned address joined the SFU: %v", err)
	}
	var st map[string]map[string]any
	(client{t, base}).json("GET", "/users/"+a.id.Address+"/bans", nil, &st)
	if st["data"]["isBanned"] != false {
		t.Errorf("unbanned address: %v", st)
	}

	// livekit-client falls back from /rtc/v1 only on a 404 it may read
	// cross-origin.
	req, _ := http.NewRequest("GET", base+"/rtc/v1/validate?access_token=x", nil)
	req.Header.Set("Origin", "http://explorer.example")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 404 || res.Header.Get("Access-Control-Allow-Origin") != "http://explorer.example" {
		t.Errorf("/rtc/v1/validate: %d, CORS %q", res.StatusCode, res.Header.Get("Access-Control-Allow-Origin"))
	}
}
