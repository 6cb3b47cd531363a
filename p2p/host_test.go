package p2p

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
)

func newHost(t *testing.T, cfg Config) *Host {
	t.Helper()
	if cfg.Network == "" {
		cfg.Network = "test"
	}
	if cfg.Listen == nil {
		cfg.Listen = []string{"/ip4/127.0.0.1/tcp/0"}
	}
	cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	h, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	return h
}

// Info lists every connected peer, whatever the order of connections
// and disconnections (a peer that connects twice, and loses one of its
// connections, is still listed).
func TestInfoListsEveryPeer(t *testing.T) {
	hub := newHost(t, Config{})
	var ids []string
	for range 4 {
		h := newHost(t, Config{})
		if err := h.Connect(context.Background(), peer.AddrInfo{ID: hub.ID(), Addrs: hub.Addrs()}); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, h.ID().String())
	}
	slices.Sort(ids)
	deadline := time.Now().Add(10 * time.Second)
	for {
		var got []string
		for _, p := range hub.Info().Peers {
			got = append(got, p.PeerID)
			if len(p.Addrs) == 0 || p.ConnectedSince == 0 {
				t.Fatalf("peer without address or time: %+v", p)
			}
		}
		if slices.Equal(got, ids) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("Info lists %v, want %v", got, ids)
		}
		time.Sleep(20 * time.Millisecond)
	}
	info := hub.Info()
	if info.PeerID != hub.ID().String() || len(info.Addrs) == 0 || !strings.HasSuffix(info.Addrs[0], "/p2p/"+hub.ID().String()) {
		t.Fatalf("own info %+v", info)
	}
}

// A listen port 0 is chosen once and bound again at the next start; a
// taken configured port is an error naming it, unless AnyPortIfTaken.
func TestListenPorts(t *testing.T) {
	key := filepath.Join(t.TempDir(), "identity.key")
	listen := []string{"/ip4/127.0.0.1/tcp/0", "/ip4/127.0.0.1/udp/0/quic-v1"}
	first := newHost(t, Config{KeyFile: key, Listen: listen})
	bound := first.Bound()
	for _, a := range listen {
		if s, err := parseSocket(bound[a]); err != nil || s.port == "0" {
			t.Fatalf("bound %v", bound)
		}
	}
	first.Close()
	again := newHost(t, Config{KeyFile: key, Listen: listen, Remembered: bound})
	if got := again.Bound(); got[listen[0]] != bound[listen[0]] || got[listen[1]] != bound[listen[1]] {
		t.Fatalf("restart bound %v, before %v", got, bound)
	}
	if again.ID() != first.ID() {
		t.Fatal("the identity key was not kept")
	}

	// Held by someone else: the remembered port gives way to a free one.
	tcp := bound[listen[0]]
	s, _ := parseSocket(tcp)
	again.Close()
	held, err := net.Listen("tcp4", "127.0.0.1:"+s.port)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	moved := newHost(t, Config{KeyFile: key, Listen: listen, Remembered: bound})
	if got := moved.Bound()[listen[0]]; got == tcp {
		t.Fatalf("bound the held port %s", got)
	}
	moved.Close()

	explicit := []string{"/ip4/127.0.0.1/tcp/" + s.port}
	h, err := New(Config{Network: "test", Listen: explicit, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	err = h.Start(context.Background())
	if err == nil || !errors.Is(err, syscall.EADDRINUSE) || !strings.Contains(err.Error(), explicit[0]) {
		h.Close()
		t.Fatalf("a taken configured port: %v", err)
	}
	free := newHost(t, Config{Listen: explicit, AnyPortIfTaken: true})
	if got := free.Bound()[explicit[0]]; got == explicit[0] || !strings.HasPrefix(got, "/ip4/127.0.0.1/tcp/") {
		t.Fatalf("AnyPortIfTaken bound %s", got)
	}
}

func TestParseSocket(t *testing.T) {
	for in, want := range map[string]socket{
		"/ip4/0.0.0.0/tcp/4001":      {network: "tcp4", ip: "0.0.0.0", port: "4001", head: "/ip4/0.0.0.0/tcp"},
		"/ip4/1.2.3.4/udp/0/quic-v1": {network: "udp4", ip: "1.2.3.4", port: "0", head: "/ip4/1.2.3.4/udp", tail: "/quic-v1"},
		"/ip6/::1/udp/4001/quic-v1":  {network: "udp6", ip: "::1", port: "4001", head: "/ip6/::1/udp", tail: "/quic-v1"},
	} {
		got, err := parseSocket(in)
		if err != nil || got != want {
			t.Errorf("parseSocket(%s) = %+v, %v; want %+v", in, got, err, want)
		}
		if got.with(got.port) != in {
			t.Errorf("%s rebuilt as %s", in, got.with(got.port))
		}
	}
	for _, bad := range []string{"/dns4/example.com/tcp/1", "/ip4/1.2.3.4", "nonsense"} {
		if _, err := parseSocket(bad); err == nil {
			t.Errorf("parseSocket(%s) accepted", bad)
		}
	}
}
