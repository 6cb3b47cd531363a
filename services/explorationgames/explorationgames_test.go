package explorationgames

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/authchain"
	"github.com/p2pcatalyst/catalyst/store/entitytest"
	"github.com/p2pcatalyst/catalyst/store/events"
)

const adminToken = "admin-secret"

// clock is the service's time, moved by tests; signatures are made at it.
type clock struct{ ns atomic.Int64 }

func (c *clock) Now() time.Time          { return time.Unix(0, c.ns.Load()) }
func (c *clock) Advance(d time.Duration) { c.ns.Add(int64(d)) }

type fixture struct {
	t     *testing.T
	st    *store.Store
	svc   *Service
	srv   *httptest.Server
	clock *clock
}

type options struct {
	rewardsURL string
}

func newFixture(t *testing.T, opts options) *fixture {
	t.Helper()
	st, err := store.Open(store.Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	bus := events.NewBus(events.Config{Store: st})
	c := &clock{}
	c.ns.Store(time.Now().UnixNano())
	svc := New(Config{Store: st, Bus: bus, AdminToken: func() string { return adminToken }, RewardsURL: opts.rewardsURL, Now: c.Now})
	svc.retryWait = 10 * time.Millisecond
	if err := bus.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { bus.Stop(context.Background()) })
	mux := http.NewServeMux()
	svc.Routes(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &fixture{t: t, st: st, svc: svc, srv: srv, clock: c}
}

// response is an answer: status and decoded body.
type response struct {
	status int
	body   map[string]any
	raw    []byte
}

func (r response) data() any { return r.body["data"] }

func (r response) list() []any {
	l, _ := r.body["data"].([]any)
	return l
}

func (r response) obj() map[string]any {
	m, _ := r.body["data"].(map[string]any)
	return m
}

func (f *fixture) send(req *http.Request) response {
	f.t.Helper()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	out := response{status: res.StatusCode, raw: raw}
	json.Unmarshal(raw, &out.body)
	return out
}

func encode(body any) []byte {
	switch b := body.(type) {
	case nil:
		return nil
	case []byte:
		return b
	case string:
		return []byte(b)
	}
	b, _ := json.Marshal(body)
	return b
}

// admin calls a route with the admin token.
func (f *fixture) admin(method, path string, body any) response {
	f.t.Helper()
	req, _ := http.NewRequest(method, f.srv.URL+Prefix+path, bytes.NewReader(encode(body)))
	req.Header.Set("Authorization", "Bearer "+adminToken)
	return f.send(req)
}

// public calls a route without credentials.
func (f *fixture) public(method, path string, body any) response {
	f.t.Helper()
	req, _ := http.NewRequest(method, f.srv.URL+Prefix+path, bytes.NewReader(encode(body)))
	return f.send(req)
}

// signed calls a route with a signed fetch by id carrying metadata, made
// at the service's clock.
func (f *fixture) signed(id chainer, method, path string, body any, metadata string) response {
	f.t.Helper()
	req, _ := http.NewRequest(method, f.srv.URL+Prefix+path, bytes.NewReader(encode(body)))
	sign(id, req, metadata, f.clock.Now())
	return f.send(req)
}

// chainer signs a payload through an auth chain: entitytest.Identity, or
// a player whose ephemeral key outlives the clock's moves.
type chainer interface {
	Chain(payload string) authchain.Chain
}

// player is a wallet with an ephemeral key delegated for a month.
type player struct {
	Address  string
	key, eph *ecdsa.PrivateKey
	delegate authchain.Link
}

func newPlayer() *player {
	key, _ := crypto.GenerateKey()
	eph, _ := crypto.GenerateKey()
	payload := authchain.EphemeralPayload(crypto.PubkeyToAddress(eph.PublicKey), time.Now().Add(30*24*time.Hour))
	return &player{Address: strings.ToLower(crypto.PubkeyToAddress(key.PublicKey).Hex()), key: key, eph: eph,
		delegate: authchain.Link{Type: authchain.Ephemeral, Payload: payload, Signature: authchain.Sign(key, payload)}}
}

func (p *player) Chain(payload string) authchain.Chain {
	return authchain.Chain{
		{Type: authchain.Signer, Payload: crypto.PubkeyToAddress(p.key.PublicKey).Hex()},
		p.delegate,
		{Type: authchain.SignedEntity, Payload: payload, Signature: authchain.Sign(p.eph, payload)},
	}
}

// sign signs req as decentraland-crypto-fetch does (ADR-44) at ts.
func sign(id chainer, req *http.Request, metadata string, ts time.Time) {
	ms := ts.UnixMilli()
	for i, l := range id.Chain(authchain.SignedFetchPayload(req.Method, req.URL.Path, ms, metadata)) {
		b, _ := json.Marshal(l)
		req.Header.Set(authchain.HeaderChainPrefix+strconv.Itoa(i), string(b))
	}
	req.Header.Set(authchain.HeaderTimestamp, strconv.FormatInt(ms, 10))
	if metadata != "" {
		req.Header.Set(authchain.HeaderMetadata, metadata)
	}
}

// sceneMeta is a scene's signed-fetch metadata as the SDK runtime sends
// it, on parcel, with hashPayload when hash is not "".
func sceneMeta(parcel, hash string) string {
	m := map[string]any{
		"sceneId": "bafkreiscene", "parcel": parcel, "tld": "org", "network": "mainnet", "isGuest": false,
		"realm":  map[string]string{"hostname": "localhost", "protocol": "v3", "serverName": "localhost"},
		"signer": "decentraland-kernel-scene",
	}
	if hash != "" {
		m["hashPayload"] = hash
	}
	b, _ := json.Marshal(m)
	return string(b)
}

func sha(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// scene calls a route as a scene on parcel for player id, binding the
// body by hashPayload.
func (f *fixture) scene(id chainer, method, path string, body any, parcel string) response {
	f.t.Helper()
	b := encode(body)
	hash := ""
	if len(b) > 0 {
		hash = sha(b)
	}
	return f.signed(id, method, path, b, sceneMeta(parcel, hash))
}

func (f *fixture) must(r response, status int, what string) response {
	f.t.Helper()
	if r.status != status {
		f.t.Fatalf("%s: %d %s (want %d)", what, r.status, r.raw, status)
	}
	return r
}

func (f *fixture) createMission(description, campaign, typ string) string {
	f.t.Helper()
	r := f.must(f.admin("POST", "/api/missions", map[string]any{"description": description, "campaign_key": campaign, "type": typ, "thumb_url": "https://example.com/t.png"}), 201, "create mission")
	return r.obj()["id"].(string)
}

func (f *fixture) createGame(name string, x, y int, parcels ...string) string {
	f.t.Helper()
	body := map[string]any{"name": name, "x": x, "y": y}
	if parcels != nil {
		body["parcels"] = parcels
	}
	r := f.must(f.admin("POST", "/api/games", body), 201, "create game")
	return r.obj()["id"].(string)
}

func (f *fixture) createChallenge(game, mission, description string, data any) string {
	f.t.Helper()
	body := map[string]any{"description": description, "gameId": game, "missionId": mission, "targetLevel": 1}
	if data != nil {
		body["data"] = data
	}
	r := f.must(f.admin("POST", "/api/challenges", body), 201, "create challenge")
	return r.obj()["id"].(string)
}

// allProgress is every record of a game, as an admin reads them.
func (f *fixture) allProgress(game string) []any {
	f.t.Helper()
	return f.must(f.admin("GET", "/api/games/"+game+"/progress/all?limit=1000", nil), 200, "all progress").list()
}

// busEvents is the service's events on the bus, of a subtype.
func (f *fixture) busEvents(subType string) []events.StoredEvent {
	f.t.Helper()
	evs, err := f.st.ReadEvents(context.Background(), 0, 10000)
	if err != nil {
		f.t.Fatal(err)
	}
	var out []events.StoredEvent
	for _, e := range evs {
		if e.Type == EventType && e.SubType == subType {
			out = append(out, e)
		}
	}
	return out
}

// TestAdminCreatesGames: games with parcels, missions and challenges are
// the admin's, with the token; everyone reads games and challenges.
func TestAdminCreatesGames(t *testing.T) {
	f := newFixture(t, options{})
	mission := f.createMission("Play the puzzle", "puzzle-campaign", TypeMiniGames)
	game := f.createGame("Puzzle", 10, 10, "10,11", " 11,10", "10,10")
	challenge := f.createChallenge(game, mission, "Reach 100 points", map[string]any{"score": map[string]any{"condition": ">=", "target": 100}})

	games := f.must(f.public("GET", "/api/games", nil), 200, "games").list()
	if len(games) != 1 {
		t.Fatalf("games: %v", games)
	}
	g := games[0].(map[string]any)
	if g["id"] != game || g["name"] != "Puzzle" || g["parcel"] != "10,10" || g["active"] != true || fmt.Sprint(g["parcels"]) != "[10,10 10,11 11,10]" {
		t.Fatalf("the game: %v", g)
	}
	list := f.must(f.public("GET", "/api/games/"+game+"/challenges", nil), 200, "challenges").list()
	if len(list) != 1 || list[0].(map[string]any)["id"] != challenge || list[0].(map[string]any)["mission_id"] != mission || list[0].(map[string]any)["target_level"] != 1.0 {
		t.Fatalf("challenges: %v", list)
	}
	m := f.must(f.admin("GET", "/api/missions/"+mission, nil), 200, "mission").obj()
	if m["mission"].(map[string]any)["id"] != mission || len(m["challenges"].([]any)) != 1 || len(m["games"].([]any)) != 1 {
		t.Fatalf("the mission: %v", m)
	}
	if _, leaked := m["mission"].(map[string]any)["campaign_key"]; leaked {
		t.Errorf("GET /missions/:id shows the campaign key: %v", m)
	}
	if ms := f.must(f.admin("GET", "/api/missions", nil), 200, "missions").list(); len(ms) != 1 || ms[0].(map[string]any)["campaign_key"] != "puzzle-campaign" {
		t.Fatalf("missions: %v", ms)
	}

	// Updates, and a deactivated game leaves the default list.
	f.must(f.admin("PATCH", "/api/games/"+game, map[string]any{"name": "Puzzle 2", "x": 10, "y": 10, "parcels": []string{"10,11"}}), 204, "update game")
	f.must(f.admin("PATCH", "/api/challenges/"+challenge, map[string]any{"description": "Reach 200", "gameId": game, "missionId": mission, "targetLevel": 2}), 204, "update challenge")
	f.must(f.admin("PATCH", "/api/missions/"+mission, map[string]any{"description": "Play it", "campaign_key": "c2", "type": TypeMiniGames, "thumb_url": "x"}), 204, "update mission")
	other := f.createGame("Other", 0, 0)
	f.must(f.admin("PATCH", "/api/games/"+other+"/deactivate", nil), 204, "deactivate")
	if l := f.public("GET", "/api/games", nil).list(); len(l) != 1 || l[0].(map[string]any)["name"] != "Puzzle 2" {
		t.Fatalf("active games: %v", l)
	}
	if l := f.public("GET", "/api/games?all", nil).list(); len(l) != 2 {
		t.Fatalf("all games: %v", l)
	}

	// Bad admin input.
	for name, c := range map[string]struct {
		method, path string
		body         any
	}{
		"game off the map":      {"POST", "/api/games", map[string]any{"name": "x", "x": 151, "y": 0}},
		"game without a name":   {"POST", "/api/games", map[string]any{"x": 1, "y": 0}},
		"game parcel not x,y":   {"POST", "/api/games", map[string]any{"name": "x", "x": 1, "y": 0, "parcels": []string{"a,b"}}},
		"game x a string":       {"POST", "/api/games", map[string]any{"name": "x", "x": "1", "y": 0}},
		"challenge no game":     {"POST", "/api/challenges", map[string]any{"description": "d", "gameId": "6a1e4c8e-0d8b-4c39-9f36-3d2b8f1c0a11", "missionId": mission, "targetLevel": 1}},
		"challenge level 0":     {"POST", "/api/challenges", map[string]any{"description": "d", "gameId": game, "missionId": mission, "targetLevel": 0}},
		"mission unknown type":  {"POST", "/api/missions", map[string]any{"description": "d", "campaign_key": "c", "type": "quests", "thumb_url": "x"}},
		"update unknown game":   {"PATCH", "/api/games/6a1e4c8e-0d8b-4c39-9f36-3d2b8f1c0a11", map[string]any{"name": "x", "x": 1, "y": 1}},
		"not a uuid":            {"PATCH", "/api/games/nope", map[string]any{"name": "x", "x": 1, "y": 1}},
		"not json":              {"POST", "/api/games", "{"},
		"unknown key":           {"POST", "/api/missions", map[string]any{"description": "d", "campaign_key": "c", "type": TypeMiniGames, "thumb_url": "x", "active": false}},
		"status ids not a list": {"PATCH", "/api/games/progress/status", map[string]any{"ids": "x", "disabled": true}},
	} {
		if r := f.admin(c.method, c.path, c.body); r.status != 400 || r.body["message"] == "" {
			t.Errorf("%s: %d %s", name, r.status, r.raw)
		}
	}
	if l := f.public("GET", "/api/games?all", nil).list(); len(l) != 2 {
		t.Fatalf("a refusal stored a game: %v", l)
	}
}

// TestAdminRoutesRefuseOthers: without the admin token (or with a
// scene's or a user's signature) every admin route is refused and
// nothing changes.
func TestAdminRoutesRefuseOthers(t *testing.T) {
	f := newFixture(t, options{})
	mission := f.createMission("m", "c", TypeMiniGames)
	game := f.createGame("g", 1, 1)
	alice := entitytest.NewIdentity()
	routes := []struct {
		method, path string
		body         any
	}{
		{"GET", "/api/missions", nil},
		{"GET", "/api/missions/" + mission, nil},
		{"POST", "/api/games", map[string]any{"name": "x", "x": 1, "y": 1}},
		{"PATCH", "/api/games/" + game, map[string]any{"name": "x", "x": 1, "y": 1}},
		{"PATCH", "/api/games/" + game + "/deactivate", nil},
		{"POST", "/api/challenges", map[string]any{"description": "d", "gameId": game, "missionId": mission, "targetLevel": 1}},
		{"POST", "/api/missions", map[string]any{"description": "d", "campaign_key": "c", "type": TypeMiniGames, "thumb_url": "x"}},
		{"PATCH", "/api/missions/" + mission, map[string]any{"description": "d", "campaign_key": "c", "type": TypeMiniGames, "thumb_url": "x"}},
		{"PATCH", "/api/games/progress/status", map[string]any{"ids": []string{}, "disabled": true}},
		{"GET", "/api/games/" + game + "/progress/all", nil},
		{"POST", "/api/multiplayer/progress", map[string]any{"game_id": game, "scores": []any{map[string]any{"user_address": alice.Address, "user_name": "a", "level": 1}}}},
	}
	for _, rt := range routes {
		if r := f.public(rt.method, rt.path, rt.body); r.status != 401 {
			t.Errorf("%s %s without a token: %d %s", rt.method, rt.path, r.status, r.raw)
		}
		req, _ := http.NewRequest(rt.method, f.srv.URL+Prefix+rt.path, bytes.NewReader(encode(rt.body)))
		req.Header.Set("Authorization", "Bearer wrong")
		if r := f.send(req); r.status != 401 {
			t.Errorf("%s %s with a wrong token: %d", rt.method, rt.path, r.status)
		}
		if r := f.scene(alice, rt.method, rt.path, rt.body, "1,1"); r.status != 401 {
			t.Errorf("%s %s signed by a scene: %d", rt.method, rt.path, r.status)
		}
	}
	if l := f.public("GET", "/api/games?all", nil).list(); len(l) != 1 || l[0].(map[string]any)["name"] != "g" || l[0].(map[string]any)["active"] != true {
		t.Fatalf("a refused admin changed the games: %v", l)
	}
	if l := f.allProgress(game); len(l) != 0 {
		t.Fatalf("a refused multiplayer post stored progress: %v", l)
	}

	// No token configured: even the right header is refused.
	st, _ := store.Open(store.Options{Dir: t.TempDir()})
	defer st.Close()
	for _, tok := range []func() string{nil, func() string { return "" }} {
		mux := http.NewServeMux()
		New(Config{Store: st, AdminToken: tok}).Routes(mux)
		req := httptest.NewRequest("POST", Prefix+"/api/games", strings.NewReader(`{"name":"x","x":1,"y":1}`))
		req.Header.Set("Authorization", "Bearer ")
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, req)
		if rec.Code != 401 {
			t.Errorf("no admin token configured: %d", rec.Code)
		}
	}
}

// TestSceneProgressOnLeaderboard: scenes on the game's parcels post
// progress; it is the player's and on the leaderboard by the original's
// rule (the original's leaderboard test's records).
func TestSceneProgressOnLeaderboard(t *testing.T) {
	f := newFixture(t, options{})
	game := f.createGame("Racer", 10, 10, "10,11")
	alice, bob := entitytest.NewIdentity(), entitytest.NewIdentity()
	post := func(id *entitytest.Identity, parcel, name string, level, score, tm, moves int) map[string]any {
		t.Helper()
		f.clock.Advance(time.Millisecond)
		body := map[string]any{"user_name": name, "level": level, "score": score, "time": tm, "moves": moves}
		return f.must(f.scene(id, "POST", "/api/games/"+game+"/progress", body, parcel), 201, "progress").obj()
	}
	first := post(alice, "10,10", "alice", 10, 2, 3500, 150)
	if first["user_address"] != alice.Address || first["game_id"] != game || first["level"] != 10.0 || first["score"] != 2.0 || first["data"] != nil || first["user_name"] != "alice" {
		t.Fatalf("the record: %v", first)
	}
	for _, p := range [][4]int{{3, 10, 1200, 350}, {8, 4, 1500, 400}, {35, 300, 22, 11}, {35, 33, 200, 66}, {35, 32, 11, 600}} {
		post(alice, "10,11", "alice", p[0], p[1], p[2], p[3])
	}
	for _, p := range [][4]int{{35, 400, 33, 44}, {35, 33, 100, 22}, {35, 33, 11, 700}, {4, 30, 2550, 525}, {12, 16, 25550, 825}, {1, 8, 3550, 1325}} {
		post(bob, "10,10", "bob", p[0], p[1], p[2], p[3])
	}
	// Data and the optional metrics.
	f.must(f.scene(alice, "POST", "/api/games/"+game+"/progress", map[string]any{"level": 1, "data": map[string]any{"metadata": true}}, "10,10"), 201, "data only")

	board := func(query string) []string {
		t.Helper()
		r := f.must(f.public("GET", "/api/games/"+game+"/leaderboard"+query, nil), 200, "leaderboard "+query)
		var out []string
		for _, e := range r.list() {
			m := e.(map[string]any)
			out = append(out, fmt.Sprintf("%s:%v/%v/%v/%v", m["user_name"], m["level"], m["score"], m["time"], m["moves"]))
		}
		return out
	}
	for query, want := range map[string]string{
		"":                          "[bob:35/400/33/44 alice:35/300/22/11]",
		"?sort=time":                "[alice:35/33/200/66 bob:35/33/100/22]",
		"?sort=moves":               "[bob:35/33/11/700 alice:35/32/11/600]",
		"?sort=moves&direction=ASC": "[alice:35/300/22/11 bob:35/33/100/22]",
		"?limit=1":                  "[bob:35/400/33/44]",
		"?level=4":                  "[bob:4/30/2550/525]",
		"?level=3&sort=score":       "[alice:3/10/1200/350]",
	} {
		if got := fmt.Sprint(board(query)); got != want {
			t.Errorf("leaderboard%s = %s, want %s", query, got, want)
		}
	}
	if r := f.public("GET", "/api/games/"+game+"/leaderboard?sort=limit", nil); r.status != 400 || r.body["error"] != "Bad request" || r.body["message"] != "Invalid sort option" {
		t.Errorf("a wrong sort: %d %s", r.status, r.raw)
	}
	if r := f.public("GET", "/api/games/aaaaaa/leaderboard", nil); r.status != 400 {
		t.Errorf("not a uuid: %d", r.status)
	}

	// The player's own records: the latest first, or by a field.
	mine := f.must(f.scene(alice, "GET", "/api/games/"+game+"/progress", nil, "10,10"), 200, "my progress").list()
	if len(mine) != 7 || mine[0].(map[string]any)["data"].(map[string]any)["metadata"] != true {
		t.Fatalf("alice's records: %v", mine)
	}
	top := f.must(f.scene(alice, "GET", "/api/games/"+game+"/progress?sort=score&limit=2", nil, "10,10"), 200, "by score").list()
	if len(top) != 2 || top[0].(map[string]any)["score"] != 300.0 || top[1].(map[string]any)["score"] != 33.0 {
		t.Fatalf("alice's best scores: %v", top)
	}
	played := f.must(f.scene(bob, "GET", "/api/games/progress", nil, "0,0"), 200, "games played").list()
	if len(played) != 1 || played[0].(map[string]any)["name"] != "Racer" || played[0].(map[string]any)["level"] != 1.0 {
		t.Fatalf("bob's games: %v", played)
	}

	// An admin disables bob's best record: off the leaderboard.
	all := f.allProgress(game)
	if len(all) != 13 {
		t.Fatalf("%d records", len(all))
	}
	var best string
	for _, p := range all {
		if m := p.(map[string]any); m["score"] == 400.0 {
			best = m["id"].(string)
		}
	}
	if r := f.must(f.admin("PATCH", "/api/games/progress/status", map[string]any{"ids": []string{best}, "disabled": true}), 200, "disable"); r.obj()["rowCount"] != 1.0 {
		t.Fatalf("disable: %s", r.raw)
	}
	if got := fmt.Sprint(board("")); got != "[alice:35/300/22/11 bob:35/33/100/22]" {
		t.Errorf("after disabling: %s", got)
	}
	f.must(f.admin("PATCH", "/api/games/progress/status", map[string]any{"ids": []string{best}, "disabled": false}), 200, "enable")
	if got := fmt.Sprint(board("")); got != "[bob:35/400/33/44 alice:35/300/22/11]" {
		t.Errorf("after enabling: %s", got)
	}
}

// TestSceneSignerRequired: a user's signature (no scene signer, another
// signer, or a signer spelled otherwise), none, or a stale one is refused
// and nothing is stored.
func TestSceneSignerRequired(t *testing.T) {
	f := newFixture(t, options{})
	game := f.createGame("g", 5, 5)
	alice := entitytest.NewIdentity()
	path := "/api/games/" + game + "/progress"
	body := []byte(`{"level":1,"score":5}`)
	for name, meta := range map[string]string{
		"no metadata":          "",
		"explorer signer":      `{"signer":"dcl:explorer","parcel":"5,5"}`,
		"no signer":            `{"parcel":"5,5"}`,
		"signer case":          `{"signer":"Decentraland-Kernel-Scene","parcel":"5,5"}`,
		"signer key case":      `{"Signer":"decentraland-kernel-scene","parcel":"5,5"}`,
		"signer not a string":  `{"signer":true,"parcel":"5,5"}`,
		"metadata not object":  `["decentraland-kernel-scene"]`,
		"hashPayload key case": `{"signer":"decentraland-kernel-scene","parcel":"5,5","HashPayload":"x"}`,
	} {
		if r := f.signed(alice, "POST", path, body, meta); r.status != 401 && r.status != 400 {
			t.Errorf("%s: %d %s", name, r.status, r.raw)
		} else if name == "explorer signer" || name == "no signer" || name == "no metadata" {
			if r.status != 401 {
				t.Errorf("%s: %d, want 401", name, r.status)
			}
		}
	}
	if r := f.public("POST", path, body); r.status != 401 {
		t.Errorf("unsigned: %d", r.status)
	}
	// A signature for another game's path, and a stale one.
	other := f.createGame("other", 5, 5)
	req, _ := http.NewRequest("POST", f.srv.URL+Prefix+"/api/games/"+other+"/progress", bytes.NewReader(body))
	sign(alice, req, sceneMeta("5,5", ""), f.clock.Now())
	req.URL.Path = Prefix + path
	if r := f.send(req); r.status != 401 {
		t.Errorf("a signature for another path: %d", r.status)
	}
	req2, _ := http.NewRequest("POST", f.srv.URL+Prefix+path, bytes.NewReader(body))
	sign(alice, req2, sceneMeta("5,5", ""), f.clock.Now().Add(-2*time.Minute))
	if r := f.send(req2); r.status != 401 {
		t.Errorf("a stale signature: %d", r.status)
	}
	// The scene routes a user may not use.
	for _, p := range []string{"/api/missions/available", "/api/missions/in_progress", "/api/missions/completed", "/api/games/progress", "/api/games/" + game + "/challenges/completed", path} {
		if r := f.signed(alice, "GET", p, nil, `{"signer":"dcl:explorer"}`); r.status != 401 {
			t.Errorf("GET %s as a user: %d", p, r.status)
		}
	}
	if l := f.allProgress(game); len(l) != 0 {
		t.Fatalf("a refused post was stored: %v", l)
	}
	// The scene is fine.
	f.must(f.signed(alice, "POST", path, body, sceneMeta("5,5", "")), 201, "a scene")
}

// TestParcelOutsideGameRefused: progress signed by a scene elsewhere
// (another parcel, none, not a parcel) is refused and not stored.
func TestParcelOutsideGameRefused(t *testing.T) {
	f := newFixture(t, options{})
	game := f.createGame("g", -3, 7, "-3,8")
	alice := entitytest.NewIdentity()
	path := "/api/games/" + game + "/progress"
	for _, parcel := range []string{"50,50", "", "-3", "x,y", "7,-3", "-3,9"} {
		if r := f.scene(alice, "POST", path, map[string]any{"level": 2}, parcel); r.status != 400 || !strings.Contains(r.body["message"].(string), "inside the scene") {
			t.Errorf("parcel %q: %d %s", parcel, r.status, r.raw)
		}
	}
	if l := f.allProgress(game); len(l) != 0 {
		t.Fatalf("progress from outside was stored: %v", l)
	}
	f.must(f.scene(alice, "POST", path, map[string]any{"level": 2}, "-3,8"), 201, "the second parcel")
	f.must(f.scene(alice, "POST", path, map[string]any{"level": 2}, " -3, 7"), 201, "the base, spaced")
	if r := f.scene(alice, "POST", "/api/games/6a1e4c8e-0d8b-4c39-9f36-3d2b8f1c0a11/progress", map[string]any{"level": 2}, "-3,7"); r.status != 404 {
		t.Errorf("an unknown game: %d", r.status)
	}
}

// TestBadProgressBodies: bodies the original's schema refuses (and the
// node's bounds) are 400 and store nothing.
func TestBadProgressBodies(t *testing.T) {
	f := newFixture(t, options{})
	game := f.createGame("g", 0, 0)
	alice := entitytest.NewIdentity()
	path := "/api/games/" + game + "/progress"
	big := strings.Repeat("x", MaxDataBytes)
	for name, body := range map[string]string{
		"level 0":            `{"level":0}`,
		"level negative":     `{"level":-1}`,
		"level missing":      `{"score":10}`,
		"level a string":     `{"level":"1"}`,
		"level fractional":   `{"level":1.5}`,
		"level null":         `{"level":null}`,
		"level huge":         `{"level":1e12}`,
		"score a string":     `{"level":1,"score":"abc"}`,
		"score null":         `{"level":1,"score":null}`,
		"score bool":         `{"level":1,"score":true}`,
		"score out of range": `{"level":1,"score":3000000000}`,
		"time an object":     `{"level":1,"time":{}}`,
		"moves an array":     `{"level":1,"moves":[1]}`,
		"data an array":      `{"level":1,"data":[1]}`,
		"data a string":      `{"level":1,"data":"x"}`,
		"data null":          `{"level":1,"data":null}`,
		"data oversized":     `{"level":1,"data":{"x":"` + big + `"}}`,
		"body oversized":     `{"level":1,"data":{"x":"` + strings.Repeat("y", MaxProgressBody) + `"}}`,
		"user_name a number": `{"level":1,"user_name":5}`,
		"user_name empty":    `{"level":1,"user_name":""}`,
		"user_name long":     `{"level":1,"user_name":"` + strings.Repeat("n", 129) + `"}`,
		"unknown key":        `{"level":1,"cheat":true}`,
		"not json":           `{"level":1`,
		"an array":           `[{"level":1}]`,
		"null":               `null`,
		"empty":              ``,
	} {
		r := f.scene(alice, "POST", path, body, "0,0")
		if r.status != 400 || r.body["error"] != "Bad request" || r.body["message"] == "" {
			t.Errorf("%s: %d %s", name, r.status, r.raw)
		}
	}
	if l := f.allProgress(game); len(l) != 0 {
		t.Fatalf("a bad body was stored: %v", l)
	}
	// The bound itself is fine.
	ok := `{"level":1,"data":{"x":"` + big[:MaxDataBytes-8] + `"}}`
	f.must(f.scene(alice, "POST", path, ok, "0,0"), 201, "data at the bound")
}

// TestHashPayload: a hashPayload binds the body; a body changed after
// signing is refused.
func TestHashPayload(t *testing.T) {
	f := newFixture(t, options{})
	game := f.createGame("g", 2, 2)
	alice := entitytest.NewIdentity()
	path := "/api/games/" + game + "/progress"
	signedBody := []byte(`{"user_name":"a","level":1,"score":10}`)
	// JSON.stringify of what a scene sent with spaces is the compact form.
	spaced := []byte(`{ "user_name": "a", "level": 1.0, "score": 1e1 }`)
	f.must(f.signed(alice, "POST", path, spaced, sceneMeta("2,2", sha(signedBody))), 201, "the stringified body's hash")
	f.must(f.signed(alice, "POST", path, signedBody, sceneMeta("2,2", sha(signedBody))), 201, "the raw body's hash")
	if r := f.signed(alice, "POST", path, []byte(`{"user_name":"a","level":1,"score":888888}`), sceneMeta("2,2", sha(signedBody))); r.status != 400 || r.body["message"] != "Invalid body" {
		t.Errorf("a modified body: %d %s", r.status, r.raw)
	}
	if l := f.allProgress(game); len(l) != 2 {
		t.Fatalf("%d records", len(l))
	}
}

// TestChallengeCompletionPublishesReward: a player runs a mission; the
// progress that meets its only challenge completes it, ends the mission,
// publishes the reward request on the bus and posts it to the rewards
// URL (retrying a failure).
func TestChallengeCompletionPublishesReward(t *testing.T) {
	type post struct{ campaign, beneficiary string }
	got := make(chan post, 10)
	var calls atomic.Int32
	rewards := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/rewards" || r.Method != "POST" {
			http.NotFound(w, r)
			return
		}
		if calls.Add(1) == 1 {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		var b map[string]string
		json.NewDecoder(r.Body).Decode(&b)
		got <- post{b["campaign_key"], b["beneficiary"]}
		w.Write([]byte(`{"ok":true,"data":[]}`))
	}))
	defer rewards.Close()
	f := newFixture(t, options{rewardsURL: rewards.URL + "/api/"})
	mission := f.createMission("Score 100", "campaign-100", TypeMiniGames)
	game := f.createGame("Shooter", 20, 20)
	challenge := f.createChallenge(game, mission, "100 points", map[string]any{
		"score": map[string]any{"condition": ">=", "target": 100},
		"data":  map[string]any{"customDataType": "stars", "condition": ">", "target": 1},
	})
	alice := newPlayer()
	progress := "/api/games/" + game + "/progress"

	// Before the mission runs, meeting the challenge completes nothing.
	f.must(f.scene(alice, "POST", progress, map[string]any{"level": 1, "score": 500, "data": map[string]any{"stars": 3}}, "20,20"), 201, "before the mission")
	avail := f.must(f.scene(alice, "GET", "/api/missions/available", nil, "20,20"), 200, "available").list()
	if len(avail) != 1 || avail[0].(map[string]any)["id"] != mission {
		t.Fatalf("available: %v", avail)
	}
	f.must(f.scene(alice, "POST", "/api/missions/"+mission+"/start", nil, "20,20"), 204, "start")
	inProgress := f.must(f.scene(alice, "GET", "/api/missions/in_progress", nil, "20,20"), 200, "in progress").obj()
	if len(inProgress["missions"].([]any)) != 1 || inProgress["challenges"].([]any)[0].(map[string]any)["completed"] != false || len(inProgress["games"].([]any)) != 1 {
		t.Fatalf("in progress: %v", inProgress)
	}

	// Short of the condition (score, then the custom data).
	f.must(f.scene(alice, "POST", progress, map[string]any{"level": 1, "score": 50, "data": map[string]any{"stars": 3}}, "20,20"), 201, "short")
	f.must(f.scene(alice, "POST", progress, map[string]any{"level": 1, "score": 150, "data": map[string]any{"stars": 1}}, "20,20"), 201, "short of stars")
	if evs := f.busEvents(SubTypeReward); len(evs) != 0 {
		t.Fatalf("a reward before completion: %v", evs)
	}
	r := f.must(f.scene(alice, "POST", progress, map[string]any{"user_name": "alice", "level": 2, "score": 150, "data": map[string]any{"stars": 2}}, "20,20"), 200, "completing")
	data := r.obj()
	if data["mission"].(map[string]any)["id"] != mission || data["reward"] == nil || data["progress"].(map[string]any)["score"] != 150.0 {
		t.Fatalf("the completing answer: %s", r.raw)
	}

	evs := f.busEvents(SubTypeReward)
	if len(evs) != 1 {
		t.Fatalf("reward events: %v", evs)
	}
	var meta map[string]any
	json.Unmarshal(evs[0].Metadata, &meta)
	if meta["campaign_key"] != "campaign-100" || meta["beneficiary"] != alice.Address || meta["missionId"] != mission {
		t.Fatalf("the reward event: %s", evs[0].Metadata)
	}
	if ch := f.busEvents(SubTypeChallenge); len(ch) != 1 || !strings.Contains(string(ch[0].Metadata), challenge) {
		t.Fatalf("challenge events: %v", ch)
	}
	select {
	case p := <-got:
		if p.campaign != "campaign-100" || p.beneficiary != alice.Address {
			t.Fatalf("posted %+v", p)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the reward was not posted")
	}
	if calls.Load() != 2 {
		t.Errorf("%d calls to the rewards server", calls.Load())
	}

	completed := f.must(f.scene(alice, "GET", "/api/missions/completed", nil, "20,20"), 200, "completed").obj()
	if ms := completed["missions"].([]any); len(ms) != 1 || ms[0].(map[string]any)["end_time"] == nil || completed["challenges"].([]any)[0].(map[string]any)["completed"] != true {
		t.Fatalf("completed: %v", completed)
	}
	if done := f.must(f.scene(alice, "GET", "/api/games/"+game+"/challenges/completed", nil, "20,20"), 200, "completed challenges").list(); len(done) != 1 || done[0].(map[string]any)["id"] != challenge {
		t.Fatalf("completed challenges: %v", done)
	}
	if l := f.must(f.scene(alice, "GET", "/api/missions/available", nil, "20,20"), 200, "available").list(); len(l) != 0 {
		t.Fatalf("a completed mission is still available: %v", l)
	}
	// Meeting it again asks for nothing more; the mission cannot restart.
	f.must(f.scene(alice, "POST", progress, map[string]any{"level": 3, "score": 999, "data": map[string]any{"stars": 9}}, "20,20"), 201, "again")
	if len(f.busEvents(SubTypeReward)) != 1 {
		t.Fatal("a second reward")
	}
	f.clock.Advance(25 * time.Hour)
	if r := f.scene(alice, "POST", "/api/missions/"+mission+"/start", nil, "20,20"); r.status != 400 {
		t.Errorf("restarting a completed mission: %d", r.status)
	}
}

// TestMissionRules: one mini-games mission at a time, the next a window
// after the last started; a fashion-week mission switches; a run lapses
// after a day with its completions.
func TestMissionRules(t *testing.T) {
	f := newFixture(t, options{})
	a := f.createMission("a", "ca", TypeMiniGames)
	b := f.createMission("b", "cb", TypeMiniGames)
	game := f.createGame("g", 1, 2)
	f.createChallenge(game, a, "level 3", map[string]any{"level": map[string]any{"condition": ">=", "target": 3}})
	f.createChallenge(game, a, "score 9", map[string]any{"score": map[string]any{"condition": "=", "target": 9}})
	f.createChallenge(game, b, "few moves", map[string]any{"moves": map[string]any{"condition": "<", "target": 10}})
	alice := newPlayer()
	start := func(m string) response { return f.scene(alice, "POST", "/api/missions/"+m+"/start", nil, "1,2") }
	progress := func(body map[string]any) response {
		return f.scene(alice, "POST", "/api/games/"+game+"/progress", body, "1,2")
	}

	f.must(start(a), 204, "start a")
	if r := start(b); r.status != 400 || !strings.Contains(r.body["message"].(string), "active mission") {
		t.Fatalf("a second mini-game: %d %s", r.status, r.raw)
	}
	// One of two challenges: the run goes on, with a user_mission.
	r := f.must(progress(map[string]any{"level": 3}), 200, "one challenge")
	if r.obj()["user_mission"] == nil || r.obj()["reward"] != nil {
		t.Fatalf("one of two: %s", r.raw)
	}
	// A day later the run lapses, with its completion.
	f.clock.Advance(24*time.Hour + time.Minute)
	if err := f.svc.lapse(context.Background(), f.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if m := f.must(f.scene(alice, "GET", "/api/missions/in_progress", nil, "1,2"), 200, "in progress").obj()["missions"].([]any); len(m) != 0 {
		t.Fatalf("a lapsed run is in progress: %v", m)
	}
	if l := f.must(f.scene(alice, "GET", "/api/games/"+game+"/challenges/completed", nil, "1,2"), 200, "completed").list(); len(l) != 0 {
		t.Fatalf("a lapsed run's completion stays: %v", l)
	}
	// b starts and completes; a waits for the window since b started.
	f.must(start(b), 204, "start b")
	if r := f.must(progress(map[string]any{"level": 1, "moves": 5}), 200, "b completes"); r.obj()["reward"] == nil {
		t.Fatalf("b's completion: %s", r.raw)
	}
	if r := start(a); r.status != 400 || !strings.Contains(r.body["message"].(string), "wait") {
		t.Fatalf("within the window: %d %s", r.status, r.raw)
	}
	f.clock.Advance(24*time.Hour + time.Minute)
	f.must(start(a), 204, "after the window")

	// Fashion week: switching drops the run.
	fw1 := f.createMission("fw1", "c1", TypeFashionWeek)
	fw2 := f.createMission("fw2", "c2", TypeFashionWeek)
	f.must(start(fw1), 204, "fw1")
	if r := start(fw1); r.status != 400 {
		t.Fatalf("fw1 again: %d", r.status)
	}
	f.must(start(fw2), 204, "fw2")
	runs := f.must(f.scene(alice, "GET", "/api/missions/in_progress?type="+TypeFashionWeek, nil, "1,2"), 200, "fw runs").obj()["missions"].([]any)
	if len(runs) != 1 || runs[0].(map[string]any)["id"] != fw2 {
		t.Fatalf("fashion week runs: %v", runs)
	}
	for _, m := range []string{"nope", "6a1e4c8e-0d8b-4c39-9f36-3d2b8f1c0a11"} {
		if r := start(m); r.status != 400 {
			t.Errorf("start %s: %d", m, r.status)
		}
	}
}

// TestMultiplayer: the admin token posts several players' progress.
func TestMultiplayer(t *testing.T) {
	f := newFixture(t, options{})
	game := f.createGame("g", 3, 3)
	a, b := entitytest.NewIdentity(), entitytest.NewIdentity()
	f.must(f.admin("POST", "/api/multiplayer/progress", map[string]any{"game_id": game, "scores": []any{
		map[string]any{"user_address": "nope", "user_name": "a", "level": 2, "score": 7},
	}}), 400, "a bad address")
	r := f.must(f.admin("POST", "/api/multiplayer/progress", map[string]any{"game_id": game, "scores": []any{
		map[string]any{"user_address": "0x" + strings.ToUpper(a.Address[2:]), "user_name": "a", "level": 2, "score": 7},
		map[string]any{"user_address": b.Address, "user_name": "b", "level": 1, "data": map[string]any{"k": 1}},
	}}), 201, "multiplayer")
	if l := r.list(); len(l) != 2 || l[0].(map[string]any)["user_address"] != a.Address {
		t.Fatalf("multiplayer: %s", r.raw)
	}
	for name, body := range map[string]any{
		"no scores":    map[string]any{"game_id": game, "scores": []any{}},
		"no name":      map[string]any{"game_id": game, "scores": []any{map[string]any{"user_address": a.Address, "level": 1}}},
		"level 0":      map[string]any{"game_id": game, "scores": []any{map[string]any{"user_address": a.Address, "user_name": "a", "level": 0}}},
		"game no uuid": map[string]any{"game_id": "x", "scores": []any{map[string]any{"user_address": a.Address, "user_name": "a", "level": 1}}},
	} {
		if r := f.admin("POST", "/api/multiplayer/progress", body); r.status != 400 {
			t.Errorf("%s: %d %s", name, r.status, r.raw)
		}
	}
	if l := f.allProgress(game); len(l) != 2 {
		t.Fatalf("%d records", len(l))
	}
}

// TestProgressBound: a player's records in a game stop at
// MaxProgressPerUser, the oldest going.
func TestProgressBound(t *testing.T) {
	f := newFixture(t, options{})
	game := f.createGame("g", 4, 4)
	g, err := get[Game](context.Background(), f.svc.ks, kGame+game)
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= MaxProgressPerUser+5; i++ {
		if _, err := f.svc.record(context.Background(), g, []progressInput{{UserAddress: "0xabc", Level: int64(i)}}, true); err != nil {
			t.Fatal(err)
		}
	}
	all := f.allProgress(game)
	if len(all) != MaxProgressPerUser {
		t.Fatalf("%d records", len(all))
	}
	n, _ := count(context.Background(), f.svc.ks, kProgressID)
	if n != MaxProgressPerUser {
		t.Fatalf("%d id keys", n)
	}
	low := MaxProgressPerUser + 5
	for _, p := range all {
		low = min(low, int(p.(map[string]any)["level"].(float64)))
	}
	if low != 6 {
		t.Fatalf("the oldest kept is level %d", low)
	}
}

// TestPendingRewardsRepublished: a reward request left under rp/ is
// published by the loop, once.
func TestPendingRewardsRepublished(t *testing.T) {
	f := newFixture(t, options{})
	e, _ := events.New(EventType, SubTypeReward, "exploration-games-reward-x", 1, map[string]string{"campaign_key": "c", "beneficiary": "0xabc"})
	b, _ := json.Marshal(e)
	if err := f.svc.ks.Write(context.Background(), map[string][]byte{kPendingReward + "x": b}); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := f.svc.publishPending(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if evs := f.busEvents(SubTypeReward); len(evs) != 1 {
		t.Fatalf("%d events", len(evs))
	}
	if n, _ := count(context.Background(), f.svc.ks, kPendingReward); n != 0 {
		t.Fatalf("%d pending", n)
	}
	if err := f.svc.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
}
