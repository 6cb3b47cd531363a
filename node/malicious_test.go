package node

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	dto "github.com/prometheus/client_model/go"

	"github.com/p2pcatalyst/catalyst/p2p"
	"github.com/p2pcatalyst/catalyst/store/entitytest"
	"github.com/p2pcatalyst/catalyst/sync/replicate"
)

func gossipCount(t testing.TB, n *Node, result string) float64 {
	t.Helper()
	mfs, err := n.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != "catalyst_gossip_messages_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			if labelIs(m, "result", result) {
				return m.GetCounter().GetValue()
			}
		}
	}
	return 0
}

func labelIs(m *dto.Metric, name, value string) bool {
	for _, l := range m.GetLabel() {
		if l.GetName() == name && l.GetValue() == value {
			return true
		}
	}
	return false
}

// A peer publishing forged announcements: honest nodes reject them in the
// validator, store nothing and forward nothing.
func TestMaliciousPeer(t *testing.T) {
	// nodes[1] talks to nodes[0] only (allowlist), so whatever reaches it
	// from the attacker was forwarded by nodes[0].
	var first string
	nodes := testnetWith(t, 2, func(i int, id string) {
		if i == 0 {
			first = id
		}
	}, func(i int, c *Config) {
		if i == 1 {
			c.AllowPeers = []string{first}
		}
	})
	waitMesh(t, nodes)
	evil, err := p2p.New(p2p.Config{Network: nodes[0].cfg.Network, Listen: []string{"/ip4/127.0.0.1/tcp/0"}, Logger: nodes[0].cfg.Logger})
	if err != nil {
		t.Fatal(err)
	}
	if err := evil.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer evil.Close()
	if err := evil.Connect(context.Background(), peer.AddrInfo{ID: nodes[0].Host.ID(), Addrs: nodes[0].Host.Addrs()}); err != nil {
		t.Fatal(err)
	}
	// The gater refuses the attacker once its id is proven; the dialer may
	// see its handshake complete just before the connection is closed.
	evil.Connect(context.Background(), peer.AddrInfo{ID: nodes[1].Host.ID(), Addrs: nodes[1].Host.Addrs()})
	time.Sleep(100 * time.Millisecond)
	if nodes[1].Host.Network().Connectedness(evil.ID()) == network.Connected {
		t.Fatal("an allowlisted node keeps a connection to a peer off its list")
	}
	topic, err := evil.PubSub.Join(evil.Topic("deployments/1"))
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for len(topic.ListPeers()) == 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}

	id := entitytest.NewIdentity()
	other := entitytest.NewIdentity()
	good := entitytest.Profile(id, time.Now(), "victim")
	big := entitytest.Scene(id, time.Now(), []string{"80,80"}, map[string][]byte{"x": []byte("x")})
	var bigHash string
	for h := range big.Files {
		bigHash = h
	}
	forged := []replicate.Announcement{
		{EntityID: good.ID, Entity: good.File, AuthChain: other.Chain(good.ID), Sizes: map[string]int64{}},                      // bad signature
		{EntityID: "bafkreigv4q3ji6dgntwm4ecyilxtuxoscwxx4gs4wcrbqhp7isjd7eaxfi", Entity: good.File, AuthChain: good.AuthChain}, // id ≠ hash
		{EntityID: big.ID, Entity: big.File, AuthChain: big.AuthChain, Sizes: map[string]int64{bigHash: 16 << 20}},              // oversized
		{EntityID: "x", Entity: []byte("{}")},
	}
	for _, a := range forged {
		b, _ := json.Marshal(a)
		if err := topic.Publish(context.Background(), b); err != nil {
			t.Fatal(err)
		}
	}
	topic.Publish(context.Background(), []byte("not json"))

	deadline = time.Now().Add(10 * time.Second)
	for gossipCount(t, nodes[0], "reject") < float64(len(forged)+1) {
		if time.Now().After(deadline) {
			t.Fatalf("node 0 rejected %v of %d forged messages", gossipCount(t, nodes[0], "reject"), len(forged)+1)
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond) // give a wrongly forwarded message time to arrive
	for i, n := range nodes {
		for _, a := range forged {
			if has, _ := n.Store.Has(a.EntityID); has {
				t.Fatalf("node %d stored forged %s", i, a.EntityID)
			}
		}
		if n.Store.LastSeq() != 0 {
			t.Fatalf("node %d applied something", i)
		}
	}
	if got := gossipCount(t, nodes[1], "reject") + gossipCount(t, nodes[1], "accept"); got != 0 {
		t.Fatalf("node 1 received %v forged messages: node 0 forwarded them", got)
	}
}
