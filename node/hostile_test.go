package node

import (
	"bufio"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	pubsub "github.com/libp2p/go-libp2p-pubsub"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/p2pcatalyst/catalyst/p2p"
	"github.com/p2pcatalyst/catalyst/store/entitytest"
	"github.com/p2pcatalyst/catalyst/sync/replicate"
)

// hostile is a libp2p peer of the node's network that says whatever a
// test makes it say, on gossip and on the node's stream protocols (their
// names as an outsider learns them from the wire).
type hostile struct {
	*p2p.Host
	t     testing.TB
	topic *pubsub.Topic
}

func newHostile(t testing.TB, n *Node) *hostile {
	t.Helper()
	h, err := p2p.New(p2p.Config{Network: n.cfg.Network, Listen: []string{"/ip4/127.0.0.1/tcp/0"}, Logger: n.cfg.Logger})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	if err := h.Connect(context.Background(), peer.AddrInfo{ID: n.Host.ID(), Addrs: n.Host.Addrs()}); err != nil {
		t.Fatal(err)
	}
	return &hostile{Host: h, t: t}
}

// publish sends announcements on the deployments topic once the node is
// in its mesh.
func (h *hostile) publish(msgs ...any) {
	h.t.Helper()
	if h.topic == nil {
		topic, err := h.PubSub.Join(h.Topic("deployments/1"))
		if err != nil {
			h.t.Fatal(err)
		}
		h.topic = topic
	}
	topic := h.topic
	deadline := time.Now().Add(10 * time.Second)
	for len(topic.ListPeers()) == 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	for _, m := range msgs {
		b, ok := m.([]byte)
		if !ok {
			b, _ = json.Marshal(m)
		}
		if err := topic.Publish(context.Background(), b); err != nil {
			h.t.Fatal(err)
		}
	}
}

// serve answers a stream protocol of the node's network with fn.
func (h *hostile) serve(name string, fn func(s network.Stream, req map[string]any)) {
	h.SetStreamHandler(h.Protocol(name), func(s network.Stream) {
		defer s.Close()
		line, err := bufio.NewReader(s).ReadBytes('\n')
		if err != nil {
			return
		}
		var req map[string]any
		json.Unmarshal(line, &req)
		fn(s, req)
	})
}

func writeLine(w io.Writer, v any) {
	b, _ := json.Marshal(v)
	w.Write(append(b, '\n'))
}

// nodeAlive asserts the node answers /about within a second.
func nodeAlive(t testing.TB, base string) {
	t.Helper()
	c := http.Client{Timeout: time.Second}
	res, err := c.Get(base + "/about")
	if err != nil {
		t.Fatalf("/about: %v", err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("/about: %d", res.StatusCode)
	}
}

func waitFor(t testing.TB, what string, within time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s", what, within)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func limitHits(t testing.TB, n *Node, component, limit string) float64 {
	t.Helper()
	mfs, err := n.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var sum float64
	for _, mf := range mfs {
		if mf.GetName() != "catalyst_limit_hits_total" && mf.GetName() != "catalyst_panics_recovered_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			if labelIs(m, "component", component) && (limit == "" && mf.GetName() == "catalyst_panics_recovered_total" || labelIs(m, "limit", limit)) {
				sum += m.GetCounter().GetValue()
			}
		}
	}
	return sum
}

// Gossip that declares impossible sizes is rejected in the validator:
// nothing is fetched, stored or recorded, and the process lives (a size
// of -1 used to panic a worker).
func TestHostileGossipSizes(t *testing.T) {
	n, base := startNode(t, nil)
	evil := newHostile(t, n)
	asked := make(chan string, 16)
	evil.serve("content/1", func(s network.Stream, req map[string]any) {
		asked <- fmt.Sprint(req["hash"])
		writeLine(s, map[string]any{"size": -1})
	})
	id := entitytest.NewIdentity()
	scene := entitytest.Scene(id, time.Now(), []string{"5,5"}, map[string][]byte{"a": []byte("a"), "b": []byte("bb")})
	var hashes []string
	for h := range scene.Files {
		hashes = append(hashes, h)
	}
	ann := func(sizes map[string]int64) replicate.Announcement {
		return replicate.Announcement{EntityID: scene.ID, Entity: scene.File, AuthChain: scene.AuthChain, Sizes: sizes, Origin: evil.ID().String()}
	}
	evil.publish(
		ann(map[string]int64{hashes[0]: -1, hashes[1]: 2}),
		ann(map[string]int64{hashes[0]: 50 << 30, hashes[1]: -50 << 30}),
		ann(map[string]int64{hashes[0]: 1, hashes[1]: 2, "bafkreiunreferenced": 9}),
	)
	waitFor(t, "three rejections", 10*time.Second, func() bool { return gossipCount(t, n, "reject") >= 3 })
	nodeAlive(t, base)
	select {
	case h := <-asked:
		t.Fatalf("the node asked the announcer for %s", h)
	case <-time.After(200 * time.Millisecond):
	}
	if has, _ := n.Store.Has(scene.ID); has || n.Store.LastSeq() != 0 {
		t.Fatal("stored a rejected announcement")
	}
	if f, _ := n.Store.FailedDeployments(context.Background(), 10); len(f) != 0 {
		t.Fatalf("failure records for rejected announcements: %v", f)
	}
}

// A peer that announces valid deployments and then lies about their files
// — a negative size, a size other than declared, bytes that hash to
// something else, a body that never ends — never gets a byte stored, is
// penalized for the bytes that are not what it offered (a size other than
// declared may be the declarer's mistake, and is not), and ends up banned.
func TestHostileContentAnswers(t *testing.T) {
	n, base := startNode(t, nil)
	evil := newHostile(t, n)
	lies := []func(s network.Stream, size int64){
		func(s network.Stream, size int64) { writeLine(s, map[string]any{"size": -1}) },
		func(s network.Stream, size int64) {
			writeLine(s, map[string]any{"size": size + 1})
			s.Write(make([]byte, size+1))
		},
		func(s network.Stream, size int64) {
			writeLine(s, map[string]any{"size": size})
			s.Write(make([]byte, size))
		},
		func(s network.Stream, size int64) {
			writeLine(s, map[string]any{"size": size})
			junk := make([]byte, 32<<10)
			for { // endless
				if _, err := s.Write(junk); err != nil {
					return
				}
			}
		},
	}
	served := make(chan int, 64)
	evil.serve("content/1", func(s network.Stream, req map[string]any) {
		i := len(served)
		served <- i
		size, _ := req["max"].(float64)
		lies[i%len(lies)](s, int64(size))
	})
	id := entitytest.NewIdentity()
	var ids []string
	for i := range 12 {
		scene := entitytest.Scene(id, time.Now(), []string{fmt.Sprintf("6,%d", i)}, map[string][]byte{"a": []byte(fmt.Sprint("content ", i))})
		sizes := map[string]int64{}
		for h, b := range scene.Files {
			sizes[h] = int64(len(b))
		}
		ids = append(ids, scene.ID)
		evil.publish(replicate.Announcement{EntityID: scene.ID, Entity: scene.File, AuthChain: scene.AuthChain, Sizes: sizes, Origin: evil.ID().String()})
	}
	waitFor(t, "the node to ask for content", 10*time.Second, func() bool { return len(served) >= 4 })
	waitFor(t, "a ban", 30*time.Second, func() bool { return n.Host.Banned(evil.ID()) })
	nodeAlive(t, base)
	waitFor(t, "the banned peer disconnected", 5*time.Second, func() bool {
		return n.Host.Network().Connectedness(evil.ID()) != network.Connected
	})
	if err := evil.Connect(context.Background(), peer.AddrInfo{ID: n.Host.ID(), Addrs: n.Host.Addrs()}); err == nil {
		time.Sleep(100 * time.Millisecond)
		if n.Host.Network().Connectedness(evil.ID()) == network.Connected {
			t.Fatal("a banned peer connected again")
		}
	}
	for _, id := range ids {
		if has, _ := n.Store.Has(id); has {
			t.Fatalf("stored %s from lying answers", id)
		}
	}
	if n.Store.LastSeq() != 0 {
		t.Fatal("applied something")
	}
	if p := limitHits(t, n, "replicate", ""); p != 0 {
		t.Fatalf("%v panics", p)
	}
}

// reconcileFrame is one frame of the reconciliation protocol.
func reconcileFrame(v any) []byte {
	b, _ := json.Marshal(v)
	var l [4]byte
	binary.BigEndian.PutUint32(l[:], uint32(len(b)))
	return append(l[:], b...)
}

// A peer that advertises deployments in reconciliation and then answers
// the pull with others (unrequested ids), one that sends oversized
// frames, and many that open sessions at once: the node keeps only what
// it asked for and passes the trust boundary, refuses the frames, bounds
// the sessions, and lives.
func TestHostileReconciliationAndPulls(t *testing.T) {
	n, base := startNode(t, nil)
	evil := newHostile(t, n)
	id := entitytest.NewIdentity()
	asked := entitytest.Profile(id, time.Now(), "asked")
	sent := entitytest.Profile(entitytest.NewIdentity(), time.Now(), "sent instead")
	pulls := make(chan []any, 4)
	evil.serve("deployments/1", func(s network.Stream, req map[string]any) {
		ids, _ := req["ids"].([]any)
		pulls <- ids
		b, _ := json.Marshal(replicate.Announcement{EntityID: sent.ID, Entity: sent.File, AuthChain: sent.AuthChain, Sizes: map[string]int64{}})
		for range ids {
			writeLine(s, map[string]any{"size": len(b)})
			s.Write(b)
		}
	})
	// The hostile peer opens a reconciliation listing a key the node lacks.
	s, err := evil.NewStream(context.Background(), n.Host.ID(), evil.Protocol("reconcile/2"))
	if err != nil {
		t.Fatal(err)
	}
	key := map[string]any{"t": time.Now().UnixMilli(), "i": strings.ToLower(asked.ID)}
	s.Write(reconcileFrame([]map[string]any{{"lo": map[string]any{"t": 0, "i": ""}, "keys": []any{key}, "list": true}}))
	br := bufio.NewReader(s)
	var l [4]byte
	if _, err := io.ReadFull(br, l[:]); err != nil {
		t.Fatalf("no answer to an honest-looking list: %v", err)
	}
	io.CopyN(io.Discard, br, int64(binary.BigEndian.Uint32(l[:])))
	s.Write(reconcileFrame([]any{})) // done
	s.Close()
	select {
	case ids := <-pulls:
		if len(ids) != 1 || ids[0] != asked.ID {
			t.Fatalf("pulled %v", ids)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the node did not pull what the reconciliation taught it")
	}
	waitFor(t, "a penalty for the unrequested id", 5*time.Second, func() bool { return evil.penalized(n) })
	for _, d := range []*entitytest.Deployment{asked, sent} {
		if has, _ := n.Store.Has(d.ID); has {
			t.Fatalf("stored %s", d.ID)
		}
	}

	// Oversized frames: refused, the stream reset, the node lives.
	s2, err := evil.NewStream(context.Background(), n.Host.ID(), evil.Protocol("reconcile/2"))
	if err == nil {
		s2.Write([]byte{0x7f, 0xff, 0xff, 0xff})
		s2.SetReadDeadline(time.Now().Add(5 * time.Second))
		if _, err := s2.Read(make([]byte, 1)); err == nil {
			t.Fatal("an oversized frame was answered")
		}
		s2.Close()
	}

	// Many peers open sessions at once and never finish them: at most 8
	// are served, the rest are refused at once.
	var open []network.Stream
	for range 16 {
		p := newHostile(t, n)
		st, err := p.NewStream(context.Background(), n.Host.ID(), p.Protocol("reconcile/2"))
		if err != nil {
			continue
		}
		st.Write(reconcileFrame([]map[string]any{{"lo": map[string]any{"t": 0, "i": ""}, "fp": map[string]any{"n": 5, "a": 1, "b": 2}}}))
		open = append(open, st)
	}
	waitFor(t, "sessions refused past the limit", 10*time.Second, func() bool {
		return limitHits(t, n, "replicate", "reconcile_sessions") >= 4
	})
	for _, st := range open {
		st.Reset()
	}
	nodeAlive(t, base)
	if p := limitHits(t, n, "replicate", ""); p != 0 {
		t.Fatalf("%v panics", p)
	}
}

// penalized reports whether the node has lowered this peer's score.
func (h *hostile) penalized(n *Node) bool {
	return n.Host.PenaltyScore(h.ID()) < 0
}

// A peer that advertises junk in reconciliation and serves it, each
// announcement the id it was asked for but an invalid entity: nothing is
// stored or recorded as failed, and the peer is banned.
func TestHostilePullOfJunk(t *testing.T) {
	n, base := startNode(t, nil)
	evil := newHostile(t, n)
	junk := map[string]replicate.Announcement{}
	var keys []any
	for i := range 12 {
		owner := entitytest.NewIdentity()
		d := entitytest.Profile(owner, time.Now(), fmt.Sprint("junk", i))
		// Signed by someone else: a profile's pointer must be its signer.
		junk[d.ID] = replicate.Announcement{EntityID: d.ID, Entity: d.File, AuthChain: entitytest.NewIdentity().Chain(d.ID), Sizes: map[string]int64{}}
		keys = append(keys, map[string]any{"t": time.Now().UnixMilli(), "i": strings.ToLower(d.ID)})
	}
	evil.serve("deployments/1", func(s network.Stream, req map[string]any) {
		ids, _ := req["ids"].([]any)
		for _, id := range ids {
			a, ok := junk[fmt.Sprint(id)]
			if !ok {
				writeLine(s, map[string]any{"missing": true})
				continue
			}
			b, _ := json.Marshal(a)
			writeLine(s, map[string]any{"size": len(b)})
			s.Write(b)
		}
	})
	s, err := evil.NewStream(context.Background(), n.Host.ID(), evil.Protocol("reconcile/2"))
	if err != nil {
		t.Fatal(err)
	}
	s.Write(reconcileFrame([]map[string]any{{"lo": map[string]any{"t": 0, "i": ""}, "keys": keys, "list": true}}))
	br := bufio.NewReader(s)
	var l [4]byte
	if _, err := io.ReadFull(br, l[:]); err != nil {
		t.Fatal(err)
	}
	io.CopyN(io.Discard, br, int64(binary.BigEndian.Uint32(l[:])))
	s.Write(reconcileFrame([]any{}))
	s.Close()
	waitFor(t, "a ban for serving junk", 15*time.Second, func() bool { return n.Host.Banned(evil.ID()) })
	nodeAlive(t, base)
	for id := range junk {
		if has, _ := n.Store.Has(id); has {
			t.Fatalf("stored junk %s", id)
		}
	}
	if f, _ := n.Store.FailedDeployments(context.Background(), 100); len(f) != 0 {
		t.Fatalf("%d failure records under ids a peer chose", len(f))
	}
}
