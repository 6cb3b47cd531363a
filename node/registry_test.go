package node

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/p2pcatalyst/catalyst/store/entitytest"
)

// The node serves the asset bundle registry from its deployments (a
// scene is `fallback`: explorers load its raw files), and the credits and
// rewards stand-ins answer their real shapes.
func TestRegistryCreditsRewardsServed(t *testing.T) {
	n, base := startNode(t, nil)
	c := client{t, base}
	id := entitytest.NewIdentity()
	scene := entitytest.Scene(id, time.Now(), []string{"44,44"}, map[string][]byte{"bin/index.js": []byte("registry")})
	deployTo(t, n, scene)
	deadline := time.Now().Add(10 * time.Second)
	var entries []map[string]any
	for {
		_, _, raw := c.do("POST", "/asset-bundle-registry/entities/active", bytes.NewReader([]byte(`{"pointers":["44,44"]}`)), "application/json")
		json.Unmarshal(raw, &entries)
		if len(entries) == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no registry entry: %s", raw)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if entries[0]["id"] != scene.ID || entries[0]["status"] != "fallback" || entries[0]["deployer"] == nil {
		t.Fatalf("entry: %v", entries[0])
	}
	if code, _, raw := c.do("GET", "/asset-bundle-registry/entities/status/"+scene.ID, nil, ""); code != 200 || !strings.Contains(string(raw), scene.ID) {
		t.Fatalf("status: %d %s", code, raw)
	}
	if code, _, _ := c.do("POST", "/asset-bundle-registry/denylist/"+scene.ID, nil, ""); code != 401 {
		t.Fatalf("the denylist without the token: %d", code)
	}
	code, _, raw := c.do("GET", "/credits/users/"+id.Address+"/credits", nil, "")
	var credits struct {
		Credits      []any `json:"credits"`
		TotalCredits *int  `json:"totalCredits"`
	}
	if json.Unmarshal(raw, &credits); code != 200 || credits.Credits == nil || credits.TotalCredits == nil || *credits.TotalCredits != 0 {
		t.Fatalf("credits: %d %s", code, raw)
	}
	if code, _, raw := c.do("GET", "/credits/season", nil, ""); code != 200 || !strings.Contains(string(raw), `"isPaused":true`) {
		t.Fatalf("season: %d %s", code, raw)
	}
	if code, _, _ := c.do("POST", "/rewards/api/rewards", bytes.NewReader([]byte(`{"campaign_key":"k","beneficiary":"`+id.Address+`"}`)), "application/json"); code != 401 {
		t.Fatalf("an unsigned reward: %d", code)
	}
	req, _ := http.NewRequest("POST", base+"/rewards/api/rewards", bytes.NewReader([]byte(`{"campaign_key":"k","beneficiary":"`+id.Address+`"}`)))
	req.Header.Set("Content-Type", "application/json")
	id.SignRequest(req, "")
	res, err := httpClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ = io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(raw), `"status":"delayed"`) {
		t.Fatalf("a reward: %d %s", res.StatusCode, raw)
	}
}

// dcl-catalyst-client deploys a wearable, an emote and a scene; the
// marketplace and the registry show them in their real shapes
// (testdata/js/people.js).
func TestMarketplaceAndRegistryWithRealClient(t *testing.T) {
	if testing.Short() {
		t.Skip("needs node and testdata/js/node_modules")
	}
	_, base := startNode(t, nil)
	runScript(t, "people.js", base)
}
