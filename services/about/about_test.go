package about

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
)

func get(t *testing.T, cfg Config, header map[string]string) (int, map[string]any) {
	t.Helper()
	mux := http.NewServeMux()
	New(cfg).Routes(mux)
	req := httptest.NewRequest("GET", "/about", nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, req)
	var body map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatalf("not JSON: %s", rec.Body)
	}
	return rec.Code, body
}

func part(body map[string]any, name string) map[string]any {
	m, _ := body[name].(map[string]any)
	return m
}

// /about is 200 whatever is down (explorers take any other status for a
// realm that does not exist); each part says its own health, and the
// realm is healthy only when all are.
func TestHealth(t *testing.T) {
	yes, no := func() bool { return true }, func() bool { return false }
	comms := func(ok bool) func(string) (string, int, bool) {
		return func(base string) (string, int, bool) { return "archipelago:archipelago:ws://x/archipelago/ws", 3, ok }
	}
	for _, c := range []struct {
		name                     string
		cfg                      Config
		content, lambdas, commsH bool
	}{
		{"all up", Config{Content: yes, Lambdas: yes, Comms: comms(true)}, true, true, true},
		{"no lambdas", Config{Content: yes, Comms: comms(true)}, true, false, true},
		{"lambdas down", Config{Content: yes, Lambdas: no, Comms: comms(true)}, true, false, true},
		{"content down", Config{Content: no, Lambdas: yes, Comms: comms(true)}, false, true, true},
		{"comms down", Config{Content: yes, Lambdas: yes, Comms: comms(false)}, true, true, false},
		{"nothing wired", Config{}, false, false, false},
	} {
		status, body := get(t, c.cfg, nil)
		if status != 200 {
			t.Errorf("%s: status %d", c.name, status)
		}
		got := [3]any{part(body, "content")["healthy"], part(body, "lambdas")["healthy"], part(body, "comms")["healthy"]}
		if want := [3]any{c.content, c.lambdas, c.commsH}; got != want {
			t.Errorf("%s: content/lambdas/comms healthy %v, want %v", c.name, got, want)
		}
		if body["healthy"] != (c.content && c.lambdas && c.commsH) || body["acceptingUsers"] != (c.content && c.commsH) {
			t.Errorf("%s: healthy %v acceptingUsers %v", c.name, body["healthy"], body["acceptingUsers"])
		}
	}
}

func TestShape(t *testing.T) {
	cfg := Config{RealmName: "my-realm", EthNetwork: "sepolia", Version: "v1", CommitHash: "abc", SyncState: func() string { return "Bootstrapping" }}
	_, body := get(t, cfg, map[string]string{"X-Forwarded-Proto": "https", "X-Forwarded-Host": "node.example"})
	conf := part(body, "configurations")
	if conf["realmName"] != "my-realm" || conf["networkId"] != float64(11155111) || conf["map"].(map[string]any)["minimapEnabled"] != true {
		t.Fatalf("configurations %v", conf)
	}
	content, lambdas, comms := part(body, "content"), part(body, "lambdas"), part(body, "comms")
	if content["publicUrl"] != "https://node.example/content/" || content["synchronizationStatus"] != "Bootstrapping" || content["commitHash"] != "abc" {
		t.Fatalf("content %v", content)
	}
	if lambdas["publicUrl"] != "https://node.example/lambdas/" || lambdas["version"] != "v1" {
		t.Fatalf("lambdas %v", lambdas)
	}
	if comms["adapter"] != "offline:offline" || comms["protocol"] != "v3" || comms["usersCount"] != float64(0) {
		t.Fatalf("comms %v", comms)
	}
	_, body = get(t, Config{PublicURL: "https://public.example/"}, nil)
	if u := part(body, "content")["publicUrl"]; u != "https://public.example/content/" {
		t.Fatalf("public URL: %v", u)
	}
	if _, body = get(t, Config{}, nil); part(body, "configurations")["networkId"] != float64(1) {
		t.Fatal("mainnet is network 1")
	}
}
