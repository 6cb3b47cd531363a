package node

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/network"

	"github.com/p2pcatalyst/catalyst/store/entity"
	"github.com/p2pcatalyst/catalyst/store/entitytest"
	"github.com/p2pcatalyst/catalyst/sync/deploy"
)

// testnet starts n real nodes on loopback, all bootstrapped from the first.
func testnet(t testing.TB, n int, mutate func(i int, c *Config)) []*Node {
	return testnetWith(t, n, nil, mutate)
}

// testnetWith is testnet with a hook told each node's peer id as it starts.
func testnetWith(t testing.TB, n int, started func(i int, id string), mutate func(i int, c *Config)) []*Node {
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
		if started != nil {
			started(i, nodes[i].Host.ID().String())
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

func TestTenNodes(t *testing.T) {
	nodes := testnet(t, 10, nil)
	waitMesh(t, nodes)
	for i := 0; i < 3; i++ {
		d := entitytest.Scene(entitytest.NewIdentity(), time.Now(), []string{fmt.Sprintf("40,%d", i)}, map[string][]byte{"f": []byte{byte(i)}})
		deployTo(t, nodes[i*4%10], d)
		took := waitActive(t, nodes, fmt.Sprintf("40,%d", i), d.ID, 15*time.Second)
		t.Logf("active on 10 nodes in %s", took)
	}
}

// A 15 MB file (the scene limit) replicates and is verified.
func TestLargeFileReplicates(t *testing.T) {
	nodes := testnet(t, 2, nil)
	waitMesh(t, nodes)
	big := make([]byte, 15<<20)
	for i := range big {
		big[i] = byte(i * 13)
	}
	d := entitytest.Scene(entitytest.NewIdentity(), time.Now(), []string{"50,50"}, map[string][]byte{"big.glb": big})
	deployTo(t, nodes[0], d)
	waitActive(t, nodes, "50,50", d.ID, 60*time.Second)
	for h := range d.Files {
		got, err := nodes[1].Store.ReadContent(h)
		if err != nil || len(got) != len(big) || string(got[:1000]) != string(big[:1000]) {
			t.Fatalf("replicated file: %d bytes, %v", len(got), err)
		}
	}
}

// A node with an empty store joins a network holding 10,000 deployments
// and converges.
func TestCatchUp(t *testing.T) {
	nodes := testnet(t, 2, nil)
	waitMesh(t, nodes)
	// The figure is BenchmarkCatchUp's; this asserts it happens (under the
	// race detector, -short, on fewer deployments).
	n := 10000
	if testing.Short() {
		n = 2000
	}
	seedScenes(t, nodes[0], n)
	// nodes[1] gets them by reconciliation (synced deployments are not gossiped).
	newcomer, _ := startNode(t, func(c *Config) {
		c.Network = nodes[0].cfg.Network
		c.Bootstrap = nodes[0].Host.Info().Addrs[:1]
	})
	start := time.Now()
	for _, node := range []*Node{nodes[1], newcomer} {
		for node.Store.LastSeq() < uint64(n) {
			if time.Since(start) > 60*time.Second {
				t.Fatalf("node holds %d of %d deployments", node.Store.LastSeq(), n)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	t.Logf("%d deployments replicated to two nodes in %s", n, time.Since(start).Round(time.Millisecond))
	if state := newcomer.Replicator.State(); state != "Syncing" {
		t.Fatalf("state %s", state)
	}
}

// Nodes that know only the bootstrap node find each other through the DHT.
func TestDiscovery(t *testing.T) {
	nodes := testnet(t, 3, nil)
	deadline := time.Now().Add(30 * time.Second)
	for nodes[1].Host.Network().Connectedness(nodes[2].Host.ID()) != network.Connected {
		if time.Now().After(deadline) {
			t.Fatal("nodes 1 and 2 never found each other")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Two halves that cannot reach each other take deployments, including
// competing overwrites of one pointer; once connected, every node holds
// the same active entities.
func TestPartitionHeals(t *testing.T) {
	network := fmt.Sprintf("partition-%d", time.Now().UnixNano())
	half := func() []*Node {
		var boot []string
		var ns []*Node
		for i := 0; i < 2; i++ {
			n, _ := startNode(t, func(c *Config) {
				c.Network = network
				c.Bootstrap = boot
				c.ReconcileEvery = time.Second
				c.RateLimits = map[entity.Type]time.Duration{entity.Scene: 0}
			})
			if i == 0 {
				boot = n.Host.Info().Addrs[:1]
			}
			ns = append(ns, n)
		}
		return ns
	}
	left, right := half(), half()
	waitMesh(t, left)
	waitMesh(t, right)
	id := entitytest.NewIdentity()
	now := time.Now()
	older := entitytest.Scene(id, now.Add(-time.Second), []string{"70,70", "70,71"}, nil)
	newer := entitytest.Scene(id, now, []string{"70,70"}, nil)
	onlyLeft := entitytest.Scene(id, now, []string{"71,71"}, nil)
	onlyRight := entitytest.Scene(id, now, []string{"72,72"}, nil)
	deployTo(t, left[0], older)
	deployTo(t, left[1], onlyLeft)
	deployTo(t, right[0], newer)
	deployTo(t, right[1], onlyRight)
	waitActive(t, left, "70,71", older.ID, 10*time.Second)
	waitActive(t, right, "70,70", newer.ID, 10*time.Second)

	ai := right[0].Host.Peerstore().PeerInfo(right[0].Host.ID())
	if err := left[0].Host.Connect(context.Background(), ai); err != nil {
		t.Fatal(err)
	}
	all := append(left, right...)
	waitActive(t, all, "70,70", newer.ID, 20*time.Second)
	waitActive(t, all, "71,71", onlyLeft.ID, 20*time.Second)
	waitActive(t, all, "72,72", onlyRight.ID, 20*time.Second)
	// The older scene lost 70,70 to the newer one, so its other parcel is empty everywhere.
	for _, n := range all {
		ds, _ := n.Store.ActiveByPointers(context.Background(), []string{"70,71"})
		if len(ds) != 0 {
			t.Fatalf("node %s still has %s on 70,71", n.Host.ID(), ds[0].ID)
		}
	}
}

// seedScenes applies n scene deployments (as synced history, an hour old,
// parcels reused once the world is full) straight through a node's pipeline.
func seedScenes(t testing.TB, n *Node, count int) {
	t.Helper()
	id := entitytest.NewIdentity()
	base := time.Now().Add(-time.Hour)
	jobs := make(chan int, 1024)
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				d := entitytest.Scene(id, base.Add(time.Duration(i)*time.Millisecond), []string{fmt.Sprintf("%d,%d", i%300-150, i/300%300-150)}, nil)
				if _, err := n.Pipeline.Deploy(context.Background(), request(d, deploy.Synced)); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	for i := 0; i < count; i++ {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
}
