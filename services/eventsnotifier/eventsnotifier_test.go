package eventsnotifier

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/entitytest"
	"github.com/p2pcatalyst/catalyst/store/events"
)

type fixture struct {
	st  *store.Store
	srv *httptest.Server
}

func newFixture(t *testing.T) *fixture {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	st, err := store.Open(store.Options{Dir: t.TempDir(), Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	bus := events.NewBus(events.Config{Store: st, Logger: log})
	mux := http.NewServeMux()
	New(Config{Bus: bus, Logger: log}).Routes(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &fixture{st, srv}
}

func clientEvent(sub, key, user string, extra map[string]any) map[string]any {
	meta := map[string]any{"userAddress": user, "sessionId": "s", "anonymousId": "a", "realm": "r", "timestamp": 1,
		"timestamps": map[string]any{"reportedAt": 1, "receivedAt": 1}, "authChain": []any{}}
	for k, v := range extra {
		meta[k] = v
	}
	return map[string]any{"type": "client", "subType": sub, "key": key, "timestamp": time.Now().UnixMilli(), "metadata": meta}
}

// withHash is the signed metadata for body: extra fields and eventHash.
func withHash(extra string, body []byte) string {
	sum := sha256.Sum256(body)
	m := map[string]any{}
	if extra != "" {
		json.Unmarshal([]byte(extra), &m)
	}
	m["eventHash"] = hex.EncodeToString(sum[:])
	raw, _ := json.Marshal(m)
	return string(raw)
}

// post sends body signed by id (nil: unsigned) for path.
func (f *fixture) post(t *testing.T, id *entitytest.Identity, signedPath, metadata string, body any) (int, string) {
	raw, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", f.srv.URL+ForwardPath, bytes.NewReader(raw))
	if id != nil {
		signed, _ := http.NewRequest("POST", f.srv.URL+signedPath, nil)
		id.SignRequest(signed, withHash(metadata, raw))
		req.Header = signed.Header
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(out)
}

func TestForward(t *testing.T) {
	f := newFixture(t)
	alice, bob := entitytest.NewIdentity(), entitytest.NewIdentity()
	emote := map[string]any{"emote": map[string]any{"emoteIndex": 0, "isBase": true, "itemId": "wave", "source": "wheel"}}

	status, body := f.post(t, alice, ForwardPath, `{"signer":"dcl:explorer"}`, clientEvent("used-emote", "k1", alice.Address, emote))
	if status != 200 || !strings.Contains(body, `"ok":true`) {
		t.Fatalf("alice's own event: %d %s", status, body)
	}
	evs, _ := f.st.ReadEvents(context.Background(), 0, 10)
	if len(evs) != 1 || evs[0].SubType != "used-emote" || !strings.HasPrefix(evs[0].Key, "client-") {
		t.Fatalf("bus %+v", evs)
	}
	var meta map[string]any
	json.Unmarshal(evs[0].Metadata, &meta)
	if meta["userAddress"] != alice.Address || len(meta["authChain"].([]any)) != 3 || meta["clientKey"] != "k1" {
		t.Fatalf("metadata %v", meta)
	}
	if d := time.Now().UnixMilli() - evs[0].Timestamp; d < 0 || d > 5000 {
		t.Fatalf("the event's time is not its signature's: %d ms off", d)
	}

	for _, c := range []struct {
		name  string
		id    *entitytest.Identity
		path  string
		meta  string
		body  any
		wants int
	}{
		{"unsigned", nil, ForwardPath, "", clientEvent("used-emote", "k2", alice.Address, emote), 401},
		{"signed by someone else", bob, ForwardPath, "", clientEvent("used-emote", "k3", alice.Address, emote), 401},
		{"signed for another path", alice, "/events-notifier/other", "", clientEvent("used-emote", "k4", alice.Address, emote), 401},
		{"a scene signer", alice, ForwardPath, `{"signer":"decentraland-kernel-scene"}`, clientEvent("used-emote", "k5", alice.Address, emote), 400},
		{"an unknown event", alice, ForwardPath, "", clientEvent("flew-away", "k6", alice.Address, nil), 400},
		{"not a client event", alice, ForwardPath, "", map[string]any{"type": "badge", "subType": "badge-granted", "key": "k7", "metadata": map[string]any{"userAddress": alice.Address}}, 400},
		{"used-emote without an emote", alice, ForwardPath, "", clientEvent("used-emote", "k8", alice.Address, nil), 400},
		{"passport without a receiver", alice, ForwardPath, "", clientEvent("passport-opened", "k9", alice.Address, map[string]any{"passport": map[string]any{"receiver": "me"}}), 400},
		{"a walk (comms count those)", alice, ForwardPath, "", clientEvent("walked-distance", "k10", alice.Address, map[string]any{"distance": 10, "stepCount": 1}), 400},
		{"no key", alice, ForwardPath, "", clientEvent("used-emote", "", alice.Address, emote), 400},
	} {
		if status, body := f.post(t, c.id, c.path, c.meta, c.body); status != c.wants {
			t.Errorf("%s: %d %s, want %d", c.name, status, body, c.wants)
		}
	}
	// One signature carries one event: another body under it does not
	// hash to what was signed, and the same one again is the same event.
	raw, _ := json.Marshal(clientEvent("used-emote", "first", alice.Address, emote))
	signed, _ := http.NewRequest("POST", f.srv.URL+ForwardPath, nil)
	alice.SignRequest(signed, withHash("", raw))
	other, _ := json.Marshal(clientEvent("used-emote", "second", alice.Address, emote))
	for i, body := range [][]byte{raw, other, raw} {
		req, _ := http.NewRequest("POST", f.srv.URL+ForwardPath, bytes.NewReader(body))
		req.Header = signed.Header
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if want := []int{200, 400, 200}[i]; res.StatusCode != want {
			t.Fatalf("body %d under one signature: %d, want %d", i, res.StatusCode, want)
		}
	}
	if evs, _ := f.st.ReadEvents(context.Background(), 0, 10); len(evs) != 2 {
		t.Fatalf("%d events on the bus, want 2", len(evs))
	}
	// Signed without the body's hash: refused.
	req, _ := http.NewRequest("POST", f.srv.URL+ForwardPath, bytes.NewReader(raw))
	unhashed, _ := http.NewRequest("POST", f.srv.URL+ForwardPath, nil)
	alice.SignRequest(unhashed, `{"signer":"dcl:explorer"}`)
	req.Header = unhashed.Header
	if res, _ := http.DefaultClient.Do(req); res.StatusCode != 400 {
		t.Fatalf("no eventHash: %d", res.StatusCode)
	}
	var st map[string]any
	res, _ := http.Get(f.srv.URL + "/events-notifier/status")
	json.NewDecoder(res.Body).Decode(&st)
	res.Body.Close()
	if st["healthy"] != true {
		t.Fatalf("status %v", st)
	}
}
