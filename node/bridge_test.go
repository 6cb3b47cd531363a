package node

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/p2pcatalyst/catalyst/store/entity"
	"github.com/p2pcatalyst/catalyst/store/entitytest"
)

func freeAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// TestBridgeBothWays: two nodes that share no libp2p network, each with
// the other as its HTTP catalyst, exchange their deployments through
// /content/snapshots and /content/pointer-changes as real catalysts do;
// a third node, a libp2p peer of the first only, gets what the first
// imported.
func TestBridgeBothWays(t *testing.T) {
	aAddr, bAddr := freeAddr(t), freeAddr(t)
	early := entitytest.Profile(entitytest.NewIdentity(), time.Now(), "before the bridge")
	b, bBase := startNode(t, func(c *Config) {
		c.HTTPAddr, c.Network, c.Catalysts, c.BridgeEvery = bAddr, "bridge-b", []string{"http://" + aAddr}, 50*time.Millisecond
	})
	if status, body := (client{t, bBase}).deploy(early); status != 200 {
		t.Fatalf("deploy on b: %d %v", status, body)
	}
	a, aBase := startNode(t, func(c *Config) {
		c.HTTPAddr, c.Network, c.Catalysts, c.BridgeEvery = aAddr, "bridge-a", []string{"http://" + bAddr}, 50*time.Millisecond
		c.ReconcileEvery = 200 * time.Millisecond
	})
	_, cBase := startNode(t, func(c *Config) {
		c.Network, c.Bootstrap, c.ReconcileEvery = "bridge-a", []string{a.Host.Info().Addrs[0]}, 200*time.Millisecond
	})
	_ = b
	waitActiveHTTP(t, aBase, early.AuthChain.Signer(), early.ID, 10*time.Second)

	// Each side's new deployment is served by the other within a poll
	// and a second.
	onB := entitytest.Profile(entitytest.NewIdentity(), time.Now(), "on b")
	if status, body := (client{t, bBase}).deploy(onB); status != 200 {
		t.Fatalf("deploy on b: %d %v", status, body)
	}
	waitActiveHTTP(t, aBase, onB.AuthChain.Signer(), onB.ID, 2*time.Second)
	onA := entitytest.Profile(entitytest.NewIdentity(), time.Now(), "on a")
	if status, body := (client{t, aBase}).deploy(onA); status != 200 {
		t.Fatalf("deploy on a: %d %v", status, body)
	}
	waitActiveHTTP(t, bBase, onA.AuthChain.Signer(), onA.ID, 2*time.Second)

	// What a imported from b reaches c over libp2p.
	waitActiveHTTP(t, cBase, onB.AuthChain.Signer(), onB.ID, 10*time.Second)
	waitActiveHTTP(t, cBase, early.AuthChain.Signer(), early.ID, 10*time.Second)

	var status struct {
		Sync struct {
			OtherServers []map[string]any `json:"otherServers"`
			Import       map[string]any   `json:"import"`
		} `json:"synchronizationStatus"`
	}
	client{t, aBase}.json("GET", "/content/status", nil, &status)
	if o := status.Sync.OtherServers; len(o) != 1 || o[0]["address"] != "http://"+bAddr || o[0]["connectionState"] != "Connected" || status.Sync.Import["entities"].(float64) < 2 {
		t.Errorf("a's /content/status: %+v", status.Sync)
	}
	var servers []map[string]any
	client{t, aBase}.json("GET", "/lambdas/contracts/servers", nil, &servers)
	if len(servers) != 1 || servers[0]["baseUrl"] != "http://"+bAddr {
		t.Errorf("a's servers: %v", servers)
	}
}

// TestDAOPeersJoined: a node finds, through /p2p/info, the servers of
// its catalyst list that run this software and joins them over libp2p;
// with --allow-peers dao they are the only peers it talks to.
func TestDAOPeersJoined(t *testing.T) {
	b, bBase := startNode(t, func(c *Config) { c.Network = "dao-net" })
	a, _ := startNode(t, func(c *Config) {
		c.Network, c.Catalysts, c.AllowDAO = "dao-net", []string{bBase}, true
	})
	deadline := time.Now().Add(10 * time.Second)
	for a.Host.Network().Connectedness(b.Host.ID()) != network.Connected {
		if time.Now().After(deadline) {
			t.Fatal("a did not join b, a server of its list, over libp2p")
		}
		time.Sleep(20 * time.Millisecond)
	}
	// A node outside the list is refused by a.
	c, _ := startNode(t, func(c *Config) { c.Network = "dao-net" })
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	addr, _ := peer.AddrInfoFromString(a.Host.Info().Addrs[0])
	err := c.Host.Connect(ctx, *addr)
	if err == nil {
		// The gater closes the connection once it knows who is calling.
		deadline := time.Now().Add(5 * time.Second)
		for a.Host.Network().Connectedness(c.Host.ID()) == network.Connected && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
	}
	if a.Host.Network().Connectedness(c.Host.ID()) == network.Connected {
		t.Fatal("a talks to a peer outside its catalyst list")
	}
}

// TestOneHistoryWhateverThePath: a user's profiles deployed on two nodes
// reach a third over HTTP (from one) and over libp2p (from the other),
// one of them over both: every node ends with the same active profile,
// and each entity is stored once.
func TestOneHistoryWhateverThePath(t *testing.T) {
	aAddr, bAddr := freeAddr(t), freeAddr(t)
	limits := map[entity.Type]time.Duration{entity.Profile: 0}
	b, bBase := startNode(t, func(c *Config) {
		c.HTTPAddr, c.Network, c.Catalysts, c.BridgeEvery, c.RateLimits = bAddr, "history-b", []string{"http://" + aAddr}, 50*time.Millisecond, limits
	})
	a, aBase := startNode(t, func(c *Config) {
		c.HTTPAddr, c.Network, c.Catalysts, c.BridgeEvery = aAddr, "history-a", []string{"http://" + bAddr}, 50*time.Millisecond
		c.ReconcileEvery, c.RateLimits = 200*time.Millisecond, limits
	})
	cNode, cBase := startNode(t, func(c *Config) {
		c.Network, c.Bootstrap, c.ReconcileEvery, c.RateLimits = "history-a", []string{a.Host.Info().Addrs[0]}, 200*time.Millisecond, limits
	})
	id := entitytest.NewIdentity()
	start := time.Now().Add(-10 * time.Minute)
	var ps []*entitytest.Deployment
	for i := 0; i < 6; i++ {
		ps = append(ps, entitytest.Profile(id, start.Add(time.Duration(i)*time.Minute), fmt.Sprint("v", i)))
	}
	// b gets 0, 2, 4 and c gets 1, 3, 4, 5, each in its own order.
	for _, i := range []int{0, 2, 4} {
		if status, body := (client{t, bBase}).deploy(ps[i]); status != 200 {
			t.Fatalf("b: %d %v", status, body)
		}
	}
	for _, i := range []int{1, 3, 4, 5} {
		// What b has reaches c meanwhile (through a): a deployment to the
		// same pointer in progress is told to try again, as a client would.
		for try := 0; ; try++ {
			status, body := (client{t, cBase}).deploy(ps[i])
			if status == 400 && strings.Contains(fmt.Sprint(body), "currently being deployed") && try < 50 {
				time.Sleep(20 * time.Millisecond)
				continue
			}
			if status != 200 && i != 4 {
				t.Fatalf("c: %d %v", status, body)
			}
			break
		}
	}
	newest := ps[5]
	for _, base := range []string{aBase, bBase, cBase} {
		waitActiveHTTP(t, base, id.Address, newest.ID, 10*time.Second)
	}
	// Every node holds the six once.
	for name, n := range map[string]*Node{"a": a, "b": b, "c": cNode} {
		deadline := time.Now().Add(10 * time.Second)
		for {
			got := 0
			for _, p := range ps {
				if d, err := n.Store.Get(context.Background(), p.ID); err == nil && d != nil {
					got++
				}
			}
			if got == len(ps) && n.Store.LastSeq() == uint64(len(ps)) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s holds %d of the profiles in %d deployments", name, got, n.Store.LastSeq())
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
}
