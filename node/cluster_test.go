package node

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/p2pcatalyst/catalyst/store/entity"
	"github.com/p2pcatalyst/catalyst/store/entitytest"
)

// testnet starts n real nodes on loopback, all bootstrapped from the first.
func testnet(t testing.TB, n int, mutate func(i int, c *Config)) []*Node {
	t.Helper()
	nodes := make([]*Node, n)
	var boot []string
	network := fmt.Sprintf("testnet-%d", time.Now().UnixNano())
	for i := range nodes {
		nodes[i], _ = startNode(t, func(c *Config) {
			c.Network = network
			c.Bootstrap = boot
			c.ReconcileEvery = 2 * time.Second
			c.RateLimits = map[entity.Type]time.Duration{entity.Scene: 0, entity.Profile: 0}
			if mutate != nil {
				mutate(i, c)
			}
		})
		if i == 0 {
			boot = nodes[0].Host.Info().Addrs[:1]
		}
	}
	return nodes
}

// waitActive waits until every node has id active on pointer.
func waitActive(t testing.TB, nodes []*Node, pointer, id string, within time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	deadline := start.Add(within)
	for _, n := range nodes {
		for {
			ds, err := n.Store.ActiveByPointers(context.Background(), []string{pointer})
			if err != nil {
				t.Fatal(err)
			}
			if len(ds) == 1 && ds[0].ID == id {
				break
			}
			if time.Now().After(deadline) {
				got := "nothing"
				if len(ds) > 0 {
					got = ds[0].ID
				}
				t.Fatalf("node %s: %s holds %s after %s, want %s", n.Host.ID(), pointer, got, within, id)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	return time.Since(start)
}

func deployTo(t testing.TB, n *Node, d *entitytest.Deployment) {
	t.Helper()
	status, res := client{t, "http://" + n.Addr()}.deploy(d)
	if status != 200 {
		t.Fatalf("deploy to %s: %d %v", n.Addr(), status, res)
	}
}

func waitMesh(t testing.TB, nodes []*Node) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for _, n := range nodes {
		for len(n.Host.PubSub.ListPeers(n.Host.Topic("deployments/1"))) == 0 {
			if time.Now().After(deadline) {
				t.Fatalf("node %s has no gossip peers", n.Host.ID())
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
}

func TestClusterReplicates(t *testing.T) {
	nodes := testnet(t, 3, nil)
	waitMesh(t, nodes)
	id := entitytest.NewIdentity()
	scene := entitytest.Scene(id, time.Now(), []string{"30,30"}, map[string][]byte{"a.bin": make([]byte, 300000), "b.txt": []byte("b")})
	deployTo(t, nodes[0], scene)
	took := waitActive(t, nodes, "30,30", scene.ID, 10*time.Second)
	t.Logf("a deployment on one node was active on 3 in %s", took)
	// And from the last node back.
	profile := entitytest.Profile(id, time.Now(), "x")
	deployTo(t, nodes[2], profile)
	waitActive(t, nodes, id.Address, profile.ID, 10*time.Second)
	for _, n := range nodes {
		b, err := n.Store.ReadContent(scene.ID)
		if err != nil || string(b) != string(scene.File) {
			t.Fatalf("entity file on %s: %v", n.Host.ID(), err)
		}
	}
}
