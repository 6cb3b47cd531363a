package node

import (
	"testing"
	"time"

	"github.com/p2pcatalyst/catalyst/store/entitytest"
)

// TestPlacesServed: a scene deployed to the node is a place at
// /places/api/places soon after.
func TestPlacesServed(t *testing.T) {
	_, base := startNode(t, nil)
	c := client{t, base}
	d := entitytest.Scene(entitytest.NewIdentity(), time.Now(), []string{"7,7", "7,8"}, map[string][]byte{"bin/index.js": []byte("x")})
	if status, body := c.deploy(d); status != 200 {
		t.Fatalf("deploy: %d %v", status, body)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		var res struct {
			OK    bool             `json:"ok"`
			Total int              `json:"total"`
			Data  []map[string]any `json:"data"`
		}
		c.json("GET", "/places/api/places?positions=7,8", nil, &res)
		if res.OK && res.Total == 1 && res.Data[0]["title"] == "test scene" && res.Data[0]["base_position"] == "7,7" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("places: %+v", res)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
