package node

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/p2pcatalyst/catalyst/store/entitytest"
)

// The node mounts exploration games: the admin token makes a game, a
// scene on its parcel posts a player's progress, a user's signature and a
// scene elsewhere are refused, and the leaderboard shows what was kept.
func TestExplorationGamesServed(t *testing.T) {
	_, base := startNode(t, func(c *Config) { c.AdminToken = "admin-secret" })
	send := func(method, path string, body any, sign func(*http.Request)) (int, map[string]any) {
		t.Helper()
		b, _ := json.Marshal(body)
		req, _ := http.NewRequest(method, base+"/exploration-games"+path, bytes.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
		if sign != nil {
			sign(req)
		}
		res, err := httpClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var out map[string]any
		json.NewDecoder(res.Body).Decode(&out)
		return res.StatusCode, out
	}
	admin := func(r *http.Request) { r.Header.Set("Authorization", "Bearer admin-secret") }
	code, game := send("POST", "/api/games", map[string]any{"name": "Maze", "x": 10, "y": 10}, admin)
	if code != 201 {
		t.Fatalf("create a game: %d %v", code, game)
	}
	id := game["data"].(map[string]any)["id"].(string)
	if code, _ := send("POST", "/api/games", map[string]any{"name": "Mine", "x": 1, "y": 1}, nil); code != 401 {
		t.Fatalf("a game without the token: %d", code)
	}
	player := entitytest.NewIdentity()
	scene := func(parcel string) func(*http.Request) {
		return func(r *http.Request) {
			player.SignRequest(r, `{"signer":"decentraland-kernel-scene","sceneId":"s","parcel":"`+parcel+`","realm":{"serverName":"x"}}`)
		}
	}
	progress := map[string]any{"level": 2, "score": 300, "user_name": "p"}
	if code, out := send("POST", "/api/games/"+id+"/progress", progress, func(r *http.Request) { player.SignRequest(r, "{}") }); code != 401 {
		t.Fatalf("a user's own signature: %d %v", code, out)
	}
	if code, out := send("POST", "/api/games/"+id+"/progress", progress, scene("50,50")); code != 400 {
		t.Fatalf("a scene elsewhere: %d %v", code, out)
	}
	if code, out := send("POST", "/api/games/"+id+"/progress", map[string]any{"level": 0}, scene("10,10")); code != 400 {
		t.Fatalf("level 0: %d %v", code, out)
	}
	if code, out := send("POST", "/api/games/"+id+"/progress", progress, scene("10,10")); code/100 != 2 {
		t.Fatalf("progress: %d %v", code, out)
	}
	code, board := send("GET", "/api/games/"+id+"/leaderboard", nil, nil)
	raw, _ := json.Marshal(board)
	if code != 200 || !bytes.Contains(raw, []byte(player.Address)) || bytes.Count(raw, []byte(`"score"`)) != 1 {
		t.Fatalf("leaderboard: %d %s", code, raw)
	}
}
