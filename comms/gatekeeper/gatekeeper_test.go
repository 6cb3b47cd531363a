package gatekeeper

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/p2pcatalyst/catalyst/comms/rtc"
	"github.com/p2pcatalyst/catalyst/store/entitytest"
)

const handshake = `{"intent":"dcl:explorer:comms-handshake","signer":"dcl:explorer","isGuest":false}`

type fixture struct {
	srv  *httptest.Server
	keys rtc.Keys
	bans string
	b    *Bans
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	dir := t.TempDir()
	keys, err := rtc.LoadKeys(filepath.Join(dir, "livekit.key"))
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{keys: keys, bans: filepath.Join(dir, "bans.json")}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if f.b, err = LoadBans(f.bans, log); err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	New(Config{Keys: keys, Bans: f.b, RealmName: "test-realm", Logger: log}).Routes(mux)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

// post sends a signed fetch by id (nil: unsigned) with metadata.
func (f *fixture) post(t *testing.T, path string, id *entitytest.Identity, metadata string) (int, map[string]string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, f.srv.URL+path, nil)
	if id != nil {
		id.SignRequest(req, metadata)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var body map[string]string
	json.NewDecoder(res.Body).Decode(&body)
	return res.StatusCode, body
}

// room reads the identity and room a connection string grants.
func (f *fixture) room(t *testing.T, connStr string) (identity, room string) {
	t.Helper()
	u, err := url.Parse(strings.TrimPrefix(connStr, "livekit:"))
	if err != nil {
		t.Fatal(err)
	}
	claims, err := f.keys.Verify(u.Query().Get("access_token"))
	if err != nil {
		t.Fatalf("token of %s: %v", connStr, err)
	}
	return claims.Identity, claims.Video.Room
}

func TestCommsAdapter(t *testing.T) {
	f := newFixture(t)
	alice := entitytest.NewIdentity()

	status, body := f.post(t, "/get-comms-adapter/my-room", alice, handshake)
	if status != 200 || !strings.HasPrefix(body["fixedAdapter"], "livekit:ws://") {
		t.Fatalf("signed handshake: %d %v", status, body)
	}
	if identity, room := f.room(t, body["fixedAdapter"]); identity != alice.Address || room != "my-room" {
		t.Fatalf("token grants %s in %s", identity, room)
	}

	for _, c := range []struct {
		name, path, meta string
		id               *entitytest.Identity
		want             int
	}{
		{"unsigned", "/get-comms-adapter/my-room", "", nil, 401},
		{"other intent", "/get-comms-adapter/my-room", `{"intent":"other","signer":"dcl:explorer"}`, alice, 401},
		{"no metadata", "/get-comms-adapter/my-room", "", alice, 401},
		{"an island's room", "/get-comms-adapter/island-I1", handshake, alice, 400},
		{"a scene's room", "/get-comms-adapter/scene-x:y", handshake, alice, 400},
		{"a room id too long", "/get-comms-adapter/" + strings.Repeat("a", 65), handshake, alice, 400},
	} {
		if status, body := f.post(t, c.path, c.id, c.meta); status != c.want || body["error"] == "" {
			t.Errorf("%s: %d %v, want %d with an error", c.name, status, body, c.want)
		}
	}
}

// A signature made for one path does not open another: the signed
// payload names the method and path.
func TestSignatureIsBoundToThePath(t *testing.T) {
	f := newFixture(t)
	alice := entitytest.NewIdentity()
	req, _ := http.NewRequest(http.MethodPost, f.srv.URL+"/get-comms-adapter/room-a", nil)
	alice.SignRequest(req, handshake)
	other, _ := http.NewRequest(http.MethodPost, f.srv.URL+"/get-comms-adapter/room-b", nil)
	other.Header = req.Header.Clone()
	res, err := http.DefaultClient.Do(other)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 401 {
		t.Fatalf("a signature replayed on another path: %d", res.StatusCode)
	}
}

func TestSceneAdapter(t *testing.T) {
	f := newFixture(t)
	bob := entitytest.NewIdentity()
	status, body := f.post(t, "/get-scene-adapter", bob, `{"sceneId":"bafkscene","parcel":"1,2"}`)
	if status != 200 {
		t.Fatalf("scene adapter: %d %v", status, body)
	}
	if identity, room := f.room(t, body["adapter"]); identity != bob.Address || room != "scene-test-realm:bafkscene" {
		t.Fatalf("token grants %s in %s", identity, room)
	}
	status, body = f.post(t, "/get-scene-adapter", bob, `{"sceneId":"s","realmName":"elsewhere"}`)
	if _, room := f.room(t, body["adapter"]); status != 200 || room != "scene-elsewhere:s" {
		t.Fatalf("realm named by the client: %d %s", status, room)
	}
	if status, _ := f.post(t, "/get-scene-adapter", bob, `{"parcel":"1,2"}`); status != 400 {
		t.Fatalf("no sceneId: %d", status)
	}
	if status, _ := f.post(t, "/get-scene-adapter", bob, `{"sceneId":"`+strings.Repeat("s", 129)+`"}`); status != 400 {
		t.Fatalf("a sceneId too long: %d", status)
	}
}

// Bans written to the file apply to both adapters and the status route
// once re-read, and expire.
func TestBans(t *testing.T) {
	f := newFixture(t)
	eve, alice := entitytest.NewIdentity(), entitytest.NewIdentity()
	future, past := time.Now().Add(time.Hour).UnixMilli(), time.Now().Add(-time.Hour).UnixMilli()
	raw, _ := json.Marshal([]map[string]any{
		{"address": strings.ToUpper(eve.Address[:2]) + eve.Address[2:], "reason": "spam", "expiresAt": future},
		{"address": alice.Address, "reason": "old", "expiresAt": past},
	})
	if err := os.WriteFile(f.bans, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := f.b.reload(); err != nil {
		t.Fatal(err)
	}

	if status, body := f.post(t, "/get-comms-adapter/r", eve, handshake); status != 403 || !strings.Contains(body["error"], "spam") {
		t.Fatalf("banned, fixed room: %d %v", status, body)
	}
	if status, _ := f.post(t, "/get-scene-adapter", eve, `{"sceneId":"s"}`); status != 403 {
		t.Fatalf("banned, scene room: %d", status)
	}
	if status, _ := f.post(t, "/get-comms-adapter/r", alice, handshake); status != 200 {
		t.Fatalf("an expired ban still applies: %d", status)
	}

	get := func(address string) (int, map[string]any) {
		res, err := http.Get(f.srv.URL + "/users/" + address + "/bans")
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var body map[string]any
		json.NewDecoder(res.Body).Decode(&body)
		return res.StatusCode, body
	}
	status, body := get(eve.Address)
	data, _ := body["data"].(map[string]any)
	ban, _ := data["ban"].(map[string]any)
	if status != 200 || data["isBanned"] != true || ban["reason"] != "spam" || ban["bannedAddress"] != eve.Address {
		t.Fatalf("ban status: %d %v", status, body)
	}
	if _, body := get(alice.Address); body["data"].(map[string]any)["isBanned"] != false {
		t.Fatalf("expired ban status: %v", body)
	}
	if status, _ := get("not-an-address"); status != 400 {
		t.Fatalf("bad address: %d", status)
	}

	if err := os.WriteFile(f.bans, []byte("[{"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := f.b.reload(); err == nil {
		t.Fatal("a broken ban file was accepted")
	}
	if !f.b.Banned(eve.Address) {
		t.Fatal("a broken ban file dropped the bans in force")
	}
}
