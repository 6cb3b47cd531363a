package node

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/p2pcatalyst/catalyst/store/entitytest"
)

// Three nodes; an explorer on node 1 stands on a scene deployed on node
// 0. Node 2 — which neither the explorer nor the deployer touched —
// lists every realm with node 1's user, counts the scene hot with that
// realm, and its main realm has the user.
func TestRealmProviderForTheNetwork(t *testing.T) {
	nodes := testnet(t, 3, func(i int, c *Config) {
		c.RealmName = fmt.Sprint("node", i)
		c.RealmsEvery = 200 * time.Millisecond
	})
	waitMesh(t, nodes)
	scene := entitytest.Scene(entitytest.NewIdentity(), time.Now(), []string{"5,7", "5,8"}, map[string][]byte{"bin/index.js": []byte("x")})
	deployTo(t, nodes[0], scene)
	waitActive(t, nodes, "5,7", scene.ID, 10*time.Second)

	e := dialExplorer(t, "http://"+nodes[1].Addr())
	e.heartbeat(t, 5*16+8, 7*16+8)

	c := client{t, "http://" + nodes[2].Addr()}
	deadline := time.Now().Add(15 * time.Second)
	for {
		var realms []struct {
			ServerName  string   `json:"serverName"`
			URL         string   `json:"url"`
			UsersCount  int      `json:"usersCount"`
			UserParcels [][2]int `json:"userParcels"`
		}
		c.json("GET", "/realm-provider/realms", nil, &realms)
		var hot []struct {
			ID              string `json:"id"`
			UsersTotalCount int    `json:"usersTotalCount"`
			Realms          []struct {
				ServerName string `json:"serverName"`
				UsersCount int    `json:"usersCount"`
			} `json:"realms"`
		}
		c.json("GET", "/realm-provider/hot-scenes", nil, &hot)
		ok := len(realms) == 3 && realms[0].ServerName == "node1" && realms[0].UsersCount == 1 &&
			len(realms[0].UserParcels) == 1 && realms[0].UserParcels[0] == [2]int{5, 7} && realms[0].URL == "http://"+nodes[1].Addr() &&
			len(hot) == 1 && hot[0].ID == scene.ID && hot[0].UsersTotalCount == 1 && len(hot[0].Realms) == 1 && hot[0].Realms[0].ServerName == "node1"
		if ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("realms %+v, hot scenes %+v", realms, hot)
		}
		time.Sleep(50 * time.Millisecond)
	}
	var about map[string]any
	c.json("GET", "/realm-provider/main/about", nil, &about)
	if about["configurations"].(map[string]any)["realmName"] != "main" || about["comms"].(map[string]any)["usersCount"] != float64(1) {
		t.Fatalf("main about %v", about)
	}

	// A node that stops publishing drops out.
	closeCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	nodes[1].Close(closeCtx)
	deadline = time.Now().Add(10 * time.Second)
	for {
		var realms []any
		c.json("GET", "/realm-provider/realms", nil, &realms)
		if len(realms) == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("a stopped node is still listed: %v", realms)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Places count the network's people: an explorer on node 1 stands on a
// place; node 0's places API has it in user_count and realms_detail, by
// node 1's realm name.
func TestPlacesCountTheNetwork(t *testing.T) {
	nodes := testnet(t, 2, func(i int, c *Config) {
		c.RealmName = fmt.Sprint("node", i)
		c.RealmsEvery = 200 * time.Millisecond
	})
	waitMesh(t, nodes)
	scene := entitytest.Scene(entitytest.NewIdentity(), time.Now(), []string{"9,3", "9,4"}, map[string][]byte{"bin/index.js": []byte("counted")})
	deployTo(t, nodes[0], scene)
	e := dialExplorer(t, "http://"+nodes[1].Addr())
	e.heartbeat(t, 9*16+8, 4*16+8)
	c := client{t, "http://" + nodes[0].Addr()}
	deadline := time.Now().Add(15 * time.Second)
	for {
		var out struct {
			Data []struct {
				UserCount    int `json:"user_count"`
				RealmsDetail []struct {
					ServerName string `json:"serverName"`
					UsersCount int    `json:"usersCount"`
				} `json:"realms_detail"`
			} `json:"data"`
		}
		c.json("GET", "/places/api/places?positions=9,3", nil, &out)
		if len(out.Data) == 1 && out.Data[0].UserCount == 1 && len(out.Data[0].RealmsDetail) == 1 && out.Data[0].RealmsDetail[0].ServerName == "node1" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("places on node 0: %+v", out)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
