package rewards

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/p2pcatalyst/catalyst/services/explorationgames"
	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/entitytest"
	"github.com/p2pcatalyst/catalyst/store/events"
)

type fixture struct {
	t   *testing.T
	st  *store.Store
	bus *events.Bus
	svc *Service
	srv *httptest.Server
}

const testAdmin = "test-admin"

func newFixture(t *testing.T, cfg Config) *fixture {
	st, err := store.Open(store.Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	bus := events.NewBus(events.Config{Store: st})
	cfg.Store, cfg.Bus = st, bus
	if cfg.AdminToken == nil {
		cfg.AdminToken = func() string { return testAdmin }
	}
	svc := New(cfg)
	if err := bus.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { bus.Stop(context.Background()); st.Close() })
	mux := http.NewServeMux()
	svc.Routes(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &fixture{t: t, st: st, bus: bus, svc: svc, srv: srv}
}

type answer struct {
	OK    bool            `json:"ok"`
	Data  json.RawMessage `json:"data"`
	Error string          `json:"error"`
}

func (f *fixture) do(method, path string, body any, signer *entitytest.Identity, metadata string) (int, answer) {
	f.t.Helper()
	var raw []byte
	switch b := body.(type) {
	case nil:
	case string:
		raw = []byte(b)
	default:
		raw, _ = json.Marshal(b)
	}
	req, _ := http.NewRequest(method, f.srv.URL+path, bytes.NewReader(raw))
	req.Header.Set("Content-Type", "application/json")
	if signer != nil {
		signer.SignRequest(req, metadata)
	} else {
		req.Header.Set("Authorization", "Bearer "+testAdmin) // a campaign's server
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer res.Body.Close()
	var a answer
	got, _ := io.ReadAll(res.Body)
	if err := json.Unmarshal(got, &a); err != nil {
		f.t.Fatalf("%s %s: %d %q", method, path, res.StatusCode, got)
	}
	return res.StatusCode, a
}

func (f *fixture) rewards(a answer) []map[string]any {
	f.t.Helper()
	var list []map[string]any
	if err := json.Unmarshal(a.Data, &list); err != nil {
		f.t.Fatalf("data: %s", a.Data)
	}
	return list
}

// count is how many assignments the node holds.
func (f *fixture) count() int {
	n := 0
	f.svc.ks.Scan(context.Background(), kReward, func(string, []byte) error { n++; return nil })
	return n
}

// rewardEvents are the reward-delayed events on the bus.
func (f *fixture) rewardEvents() []events.StoredEvent {
	evs, err := f.st.ReadEvents(context.Background(), 0, 1000)
	if err != nil {
		f.t.Fatal(err)
	}
	var out []events.StoredEvent
	for _, e := range evs {
		if e.Type == EventType {
			out = append(out, e)
		}
	}
	return out
}

// An assignment has the documented shape, status delayed, nothing
// minted; it is told on the bus once and followed by its id; the same
// campaign and beneficiary answer the same assignment.
func TestAssign(t *testing.T) {
	f := newFixture(t, Config{})
	alice := entitytest.NewIdentity()
	code, a := f.do("POST", Prefix+"/rewards", map[string]any{"campaign_key": "dispenser-key-1", "beneficiary": strings.ToUpper(alice.Address[2:3]) + alice.Address[3:] + "", "catalyst": "peer.example"}, nil, "")
	if code != 400 {
		t.Errorf("a beneficiary that is not an address: %d %+v", code, a)
	}
	code, a = f.do("POST", Prefix+"/rewards", map[string]any{"campaign_key": "dispenser-key-1", "beneficiary": "0x" + strings.ToUpper(alice.Address[2:]), "catalyst": "peer.example"}, nil, "")
	if code != 200 || !a.OK {
		t.Fatalf("assign: %d %+v", code, a)
	}
	list := f.rewards(a)
	if len(list) != 1 {
		t.Fatalf("data: %v", list)
	}
	rw := list[0]
	for k, want := range map[string]any{"user": alice.Address, "campaign_key": "dispenser-key-1", "status": "delayed", "chain_id": 137.0,
		"airdrop_type": "CollectionV2IssueToken", "transaction_hash": nil, "transaction_id": nil, "group": nil, "value": "0",
		"target": zeroAddr, "token": "", "image": ""} {
		if v, ok := rw[k]; !ok || v != want {
			t.Errorf("%s = %v (present %v), want %v", k, v, ok, want)
		}
	}
	for _, k := range []string{"id", "campaign_id", "priority", "assigned_at", "created_at", "updated_at"} {
		if rw[k] == nil || rw[k] == "" {
			t.Errorf("%s missing: %v", k, rw)
		}
	}
	if _, err := time.Parse(time.RFC3339, rw["created_at"].(string)); err != nil {
		t.Errorf("created_at %v: %v", rw["created_at"], err)
	}
	code, one := f.do("GET", Prefix+"/rewards/"+rw["id"].(string), nil, nil, "")
	var got map[string]any
	json.Unmarshal(one.Data, &got)
	if code != 200 || got["id"] != rw["id"] || got["status"] != "delayed" {
		t.Errorf("one: %d %v", code, got)
	}
	if code, _ := f.do("GET", Prefix+"/rewards/00000000-0000-0000-0000-000000000000", nil, nil, ""); code != 404 {
		t.Errorf("an unknown reward: %d", code)
	}
	if code, _ := f.do("GET", Prefix+"/rewards/nope", nil, nil, ""); code != 400 {
		t.Errorf("a bad id: %d", code)
	}
	_, again := f.do("POST", Prefix+"/rewards", map[string]any{"campaign_key": "dispenser-key-1", "beneficiary": alice.Address}, nil, "")
	if l := f.rewards(again); l[0]["id"] != rw["id"] {
		t.Errorf("the same campaign again made another: %v", l)
	}
	_, other := f.do("POST", Prefix+"/rewards", map[string]any{"campaign_key": "dispenser-key-2", "beneficiary": alice.Address}, nil, "")
	if l := f.rewards(other); l[0]["id"] == rw["id"] || l[0]["campaign_id"] == rw["campaign_id"] {
		t.Errorf("another campaign: %v", l)
	}
	evs := f.rewardEvents()
	if len(evs) != 2 || evs[0].SubType != "reward-delayed" {
		t.Fatalf("events: %+v", evs)
	}
	var meta map[string]any
	json.Unmarshal(evs[0].Metadata, &meta)
	for _, k := range []string{"title", "description", "beneficiary", "tokenName", "tokenImage"} {
		if _, ok := meta[k]; !ok {
			t.Errorf("the event has no %s: %v", k, meta)
		}
	}
	if meta["beneficiary"] != alice.Address || strings.Contains(string(evs[0].Metadata), "dispenser-key") {
		t.Errorf("the event's metadata: %s", evs[0].Metadata)
	}
}

// A signed request must be signed by the beneficiary (a scene's runtime
// signing for its player is fine).
func TestSigned(t *testing.T) {
	f := newFixture(t, Config{})
	alice, bob := entitytest.NewIdentity(), entitytest.NewIdentity()
	body := map[string]any{"campaign_key": "k", "beneficiary": alice.Address}
	if code, a := f.do("POST", Prefix+"/rewards", body, bob, ""); code != 403 || a.OK {
		t.Errorf("signed by another: %d %+v", code, a)
	}
	unsigned, _ := http.Post(f.srv.URL+Prefix+"/rewards", "application/json", strings.NewReader(`{"campaign_key":"k","beneficiary":"`+alice.Address+`"}`))
	if unsigned.Body.Close(); unsigned.StatusCode != 401 {
		t.Errorf("neither signed nor with the token: %d", unsigned.StatusCode)
	}
	req, _ := http.NewRequest("POST", f.srv.URL+Prefix+"/rewards", strings.NewReader(`{"campaign_key":"k","beneficiary":"`+alice.Address+`"}`))
	alice.SignRequest(req, "")
	req.Header.Set("X-Identity-Timestamp", "1")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 401 {
		t.Errorf("a broken signature: %d", res.StatusCode)
	}
	if f.count() != 0 {
		t.Fatalf("refused requests stored %d", f.count())
	}
	scene := `{"sceneId":"bafkscene","parcel":"0,0","tld":"org","network":"mainnet","isGuest":false,"realm":{"hostname":"peer","protocol":"v3","serverName":"main"},"signer":"decentraland-kernel-scene"}`
	if code, a := f.do("POST", Prefix+"/rewards", body, alice, scene); code != 200 || !a.OK {
		t.Errorf("a scene signing for its player: %d %+v", code, a)
	}
}

func TestCaptcha(t *testing.T) {
	f := newFixture(t, Config{PublicURL: "https://node.example"})
	for _, method := range []string{"GET", "POST"} {
		code, a := f.do(method, Prefix+"/captcha", nil, nil, "")
		var c map[string]any
		json.Unmarshal(a.Data, &c)
		if code != 200 || !a.OK || c["width"] != 300.0 || c["height"] != 100.0 || c["expires_at"] == nil ||
			c["image"] != "https://node.example/rewards/api/captcha/"+c["id"].(string)+".png" {
			t.Errorf("%s captcha: %d %v", method, code, c)
		}
	}
	_, a := f.do("GET", Prefix+"/captcha", nil, nil, "")
	var c map[string]string
	json.Unmarshal(a.Data, &c)
	res, err := http.Get(f.srv.URL + Prefix + "/captcha/" + c["id"] + ".png")
	if err != nil {
		t.Fatal(err)
	}
	img, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/png" || !bytes.HasPrefix(img, []byte("\x89PNG")) {
		t.Errorf("the image: %d", res.StatusCode)
	}
	answerOf := func(id string) string { k, _ := f.svc.captchas.get(id, time.Now()); return k.value }
	alice := entitytest.NewIdentity()
	body := func(id, value string) map[string]any {
		return map[string]any{"campaign_key": "k", "beneficiary": alice.Address, "captcha_id": id, "captcha_value": value}
	}
	value := answerOf(c["id"])
	wrong := "000000"
	if value == wrong {
		wrong = "111111"
	}
	if code, _ := f.do("POST", Prefix+"/rewards", body(c["id"], wrong), nil, ""); code != 400 {
		t.Errorf("a wrong answer: %d", code)
	}
	if code, _ := f.do("POST", Prefix+"/rewards", body(c["id"], value), nil, ""); code != 400 {
		t.Errorf("a spent captcha: %d", code)
	}
	if f.count() != 0 {
		t.Fatal("a failed captcha stored a reward")
	}
	_, a = f.do("GET", Prefix+"/captcha", nil, nil, "")
	json.Unmarshal(a.Data, &c)
	if code, a := f.do("POST", Prefix+"/rewards", body(c["id"], answerOf(c["id"])), nil, ""); code != 200 || !a.OK {
		t.Errorf("the right answer: %d %+v", code, a)
	}
	if res, _ := http.Get(f.srv.URL + Prefix + "/captcha/" + c["id"] + ".png"); res.StatusCode != 404 {
		t.Errorf("a spent captcha's image: %d", res.StatusCode)
	}
}

// Bad input is a 4xx and nothing is stored.
func TestBadInput(t *testing.T) {
	f := newFixture(t, Config{MaxPerBeneficiary: 3})
	alice := entitytest.NewIdentity()
	for name, body := range map[string]any{
		"not JSON":             "{",
		"an array":             "[]",
		"two objects":          `{} {}`,
		"no campaign":          map[string]any{"beneficiary": alice.Address},
		"no beneficiary":       map[string]any{"campaign_key": "k"},
		"a number beneficiary": map[string]any{"campaign_key": "k", "beneficiary": 7},
		"a name beneficiary":   map[string]any{"campaign_key": "k", "beneficiary": "alice.dcl.eth"},
		"a long key":           map[string]any{"campaign_key": strings.Repeat("k", maxCampaignKey+1), "beneficiary": alice.Address},
		"a control char":       map[string]any{"campaign_key": "k\x00", "beneficiary": alice.Address},
		"a captcha half":       map[string]any{"campaign_key": "k", "beneficiary": alice.Address, "captcha_id": "x"},
		"an unknown captcha":   map[string]any{"campaign_key": "k", "beneficiary": alice.Address, "captcha_id": "x", "captcha_value": "1"},
		"an object catalyst":   map[string]any{"campaign_key": "k", "beneficiary": alice.Address, "catalyst": map[string]any{}},
	} {
		if code, a := f.do("POST", Prefix+"/rewards", body, nil, ""); code != 400 || a.OK || a.Error == "" {
			t.Errorf("%s: %d %+v", name, code, a)
		}
	}
	if code, _ := f.do("POST", Prefix+"/rewards", strings.Repeat(" ", maxBody+1), nil, ""); code != 413 {
		t.Errorf("a huge body: %d", code)
	}
	if n := f.count(); n != 0 || len(f.rewardEvents()) != 0 {
		t.Fatalf("refused requests stored %d", n)
	}
	// The beneficiary's bound.
	for i := range 3 {
		if code, _ := f.do("POST", Prefix+"/rewards", map[string]any{"campaign_key": fmt.Sprint("c", i), "beneficiary": alice.Address}, nil, ""); code != 200 {
			t.Fatalf("reward %d: %d", i, code)
		}
	}
	if code, _ := f.do("POST", Prefix+"/rewards", map[string]any{"campaign_key": "c9", "beneficiary": alice.Address}, nil, ""); code != 429 {
		t.Errorf("past the beneficiary's bound: %d", code)
	}
	if code, _ := f.do("POST", Prefix+"/rewards", map[string]any{"campaign_key": "c0", "beneficiary": alice.Address}, nil, ""); code != 200 {
		t.Errorf("an existing one past the bound: %d", code)
	}
	if f.count() != 3 {
		t.Errorf("assignments: %d", f.count())
	}
}

// An exploration game's reward request on the bus becomes one
// assignment, however often it is delivered.
func TestExplorationGamesRequest(t *testing.T) {
	f := newFixture(t, Config{})
	alice := entitytest.NewIdentity()
	e, _ := events.New(explorationgames.EventType, explorationgames.SubTypeReward, "exploration-games-reward-run1", time.Now().UnixMilli(), map[string]any{
		"campaign_key": "mission-campaign", "beneficiary": alice.Address, "missionId": "m1", "userMissionId": "run1", "missionType": "mini-games",
	})
	if err := f.bus.Publish(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	var id []byte
	for {
		var err error
		if id, err = f.svc.ks.Get(context.Background(), kEvent+e.Key); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the request was not recorded")
		}
		time.Sleep(10 * time.Millisecond)
	}
	code, a := f.do("GET", Prefix+"/rewards/"+string(id), nil, nil, "")
	var rw map[string]any
	json.Unmarshal(a.Data, &rw)
	if code != 200 || rw["user"] != alice.Address || rw["campaign_key"] != "mission-campaign" || rw["status"] != "delayed" {
		t.Fatalf("the recorded reward: %d %v", code, rw)
	}
	// Delivered again (at least once): still one.
	for range 2 {
		if err := f.svc.onEvent(context.Background(), events.StoredEvent{Event: e}); err != nil {
			t.Fatal(err)
		}
	}
	// A broken request is dropped, not retried.
	bad, _ := events.New(explorationgames.EventType, explorationgames.SubTypeReward, "exploration-games-reward-bad", 1, map[string]any{"campaign_key": "", "beneficiary": "x"})
	if err := f.svc.onEvent(context.Background(), events.StoredEvent{Event: bad}); err != nil {
		t.Fatal(err)
	}
	if n := f.count(); n != 1 || len(f.rewardEvents()) != 1 {
		t.Errorf("assignments %d, events %d", n, len(f.rewardEvents()))
	}
}

func FuzzAssign(f *testing.F) {
	st, err := store.Open(store.Options{Dir: f.TempDir()})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { st.Close() })
	svc := New(Config{Store: st, MaxPerBeneficiary: 5, AdminToken: func() string { return testAdmin }})
	mux := http.NewServeMux()
	svc.Routes(mux)
	for _, s := range []string{`{"campaign_key":"k","beneficiary":"0x0f5d2fb29fb7d3cfee444a200298f468908cc942"}`,
		`{"campaign_key":"k","beneficiary":"0x0f5d2fb29fb7d3cfee444a200298f468908cc942","captcha_id":"a","captcha_value":"1"}`,
		`{"campaign_key":1}`, `{}`, `[]`, `null`, ``} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := ParseRequest(body)
		rec := httptest.NewRecorder()
		hr := httptest.NewRequest("POST", Prefix+"/rewards", bytes.NewReader(body))
		hr.Header.Set("Authorization", "Bearer "+testAdmin)
		mux.ServeHTTP(rec, hr)
		switch {
		case err != nil && rec.Code != 400 && rec.Code != 413:
			t.Fatalf("a refused request answered %d: %q", rec.Code, body)
		case err == nil && req.CaptchaID == "" && rec.Code != 200 && rec.Code != 429:
			t.Fatalf("an accepted request answered %d: %q", rec.Code, body)
		case err == nil && req.CaptchaID != "" && rec.Code != 400:
			t.Fatalf("an unknown captcha answered %d", rec.Code)
		}
	})
}
