// Package p2p is the node's libp2p side: a host on TCP and QUIC with a
// persistent identity, connection and resource limits, an allowlist gater,
// a Kademlia DHT, peer discovery in a per-network rendezvous namespace and
// gossipsub. It knows nothing of entities: it moves bytes on topics and
// streams whose names it namespaces by network, so test networks never mix
// with production.
package p2p

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p"
	dht "github.com/libp2p/go-libp2p-kad-dht"
	pubsub "github.com/libp2p/go-libp2p-pubsub"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"
	drouting "github.com/libp2p/go-libp2p/p2p/discovery/routing"
	dutil "github.com/libp2p/go-libp2p/p2p/discovery/util"
	rcmgr "github.com/libp2p/go-libp2p/p2p/host/resource-manager"
	"github.com/libp2p/go-libp2p/p2p/net/connmgr"
	libp2pquic "github.com/libp2p/go-libp2p/p2p/transport/quic"
	"github.com/libp2p/go-libp2p/p2p/transport/tcp"
	ma "github.com/multiformats/go-multiaddr"
	manet "github.com/multiformats/go-multiaddr/net"
)

// Config configures the host.
type Config struct {
	// KeyFile holds the node's identity key; created on first start.
	KeyFile string
	// Listen are the multiaddrs to listen on.
	Listen []string
	// Bootstrap are full multiaddrs (ending in /p2p/<id>) to connect to first.
	Bootstrap []string
	// Network namespaces every topic, protocol id and the DHT.
	Network string
	// AllowPeers, when not nil, is the only set of peers accepted (an
	// allowlisted federation).
	AllowPeers map[peer.ID]bool
	// Logger; nil means slog.Default().
	Logger *slog.Logger
}

// DefaultListen are TCP and QUIC on every interface, port 4001.
var DefaultListen = []string{"/ip4/0.0.0.0/tcp/4001", "/ip4/0.0.0.0/udp/4001/quic-v1"}

// Host is a running libp2p node.
type Host struct {
	host.Host
	DHT    *dht.IpfsDHT
	PubSub *pubsub.PubSub

	cfg       Config
	log       *slog.Logger
	bootstrap []peer.AddrInfo

	mu        sync.Mutex
	connected map[peer.ID]time.Time

	cancel context.CancelFunc
	bg     sync.WaitGroup
}

// New starts a host listening on cfg.Listen. Start connects it.
func New(cfg Config) (*Host, error) {
	if cfg.Network == "" {
		return nil, errors.New("p2p: a network name is required")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if len(cfg.Listen) == 0 {
		cfg.Listen = DefaultListen
	}
	key, err := loadKey(cfg.KeyFile)
	if err != nil {
		return nil, err
	}
	var boot []peer.AddrInfo
	for _, s := range cfg.Bootstrap {
		ai, err := peer.AddrInfoFromString(s)
		if err != nil {
			return nil, fmt.Errorf("p2p: bootstrap %q: %w (want a multiaddr ending in /p2p/<peer id>)", s, err)
		}
		boot = append(boot, *ai)
	}
	cm, err := connmgr.NewConnManager(64, 256, connmgr.WithGracePeriod(time.Minute))
	if err != nil {
		return nil, err
	}
	limits := rcmgr.DefaultLimits
	libp2p.SetDefaultServiceLimits(&limits)
	rm, err := rcmgr.NewResourceManager(rcmgr.NewFixedLimiter(limits.AutoScale()))
	if err != nil {
		return nil, err
	}
	opts := []libp2p.Option{
		libp2p.Identity(key),
		libp2p.ListenAddrStrings(cfg.Listen...),
		libp2p.Transport(tcp.NewTCPTransport),
		libp2p.Transport(libp2pquic.NewTransport),
		libp2p.ConnectionManager(cm),
		libp2p.ResourceManager(rm),
		libp2p.DisableRelay(),
	}
	if cfg.AllowPeers != nil {
		opts = append(opts, libp2p.ConnectionGater(allowlist(cfg.AllowPeers)))
	}
	h, err := libp2p.New(opts...)
	if err != nil {
		return nil, fmt.Errorf("p2p: start host: %w", err)
	}
	mode := dht.ModeAutoServer
	if allPrivate(h.Addrs()) {
		// A LAN or loopback network has no public address for AutoNAT to
		// confirm; its nodes are reachable to each other, so serve.
		mode = dht.ModeServer
	}
	kad, err := dht.New(h,
		dht.Mode(mode),
		dht.ProtocolPrefix(protocol.ID("/catalyst/"+cfg.Network)),
		dht.BootstrapPeers(boot...),
	)
	if err != nil {
		h.Close()
		return nil, fmt.Errorf("p2p: dht: %w", err)
	}
	ps, err := newPubSub(h, cfg.Network)
	if err != nil {
		kad.Close()
		h.Close()
		return nil, err
	}
	hh := &Host{Host: h, DHT: kad, PubSub: ps, cfg: cfg, log: cfg.Logger.With("component", "p2p"), bootstrap: boot, connected: map[peer.ID]time.Time{}}
	h.Network().Notify(&network.NotifyBundle{
		ConnectedF: func(_ network.Network, c network.Conn) {
			hh.mu.Lock()
			if _, ok := hh.connected[c.RemotePeer()]; !ok {
				hh.connected[c.RemotePeer()] = time.Now()
			}
			hh.mu.Unlock()
		},
		DisconnectedF: func(n network.Network, c network.Conn) {
			if n.Connectedness(c.RemotePeer()) == network.Connected {
				return
			}
			hh.mu.Lock()
			delete(hh.connected, c.RemotePeer())
			hh.mu.Unlock()
		},
	})
	return hh, nil
}

// Protocol is a stream protocol id in this network's namespace.
func (h *Host) Protocol(name string) protocol.ID {
	return protocol.ID("/catalyst/" + h.cfg.Network + "/" + name)
}

// Topic is a gossipsub topic name in this network's namespace.
func (h *Host) Topic(name string) string { return "/catalyst/" + h.cfg.Network + "/" + name }

// NetworkName is the network's name.
func (h *Host) NetworkName() string { return h.cfg.Network }

// Start connects to the bootstrap peers and keeps discovering peers of the
// network through the DHT until Close.
func (h *Host) Start(ctx context.Context) error {
	bg, cancel := context.WithCancel(context.Background())
	h.cancel = cancel
	h.connectBootstrap(ctx)
	if err := h.DHT.Bootstrap(bg); err != nil {
		return fmt.Errorf("p2p: dht bootstrap: %w", err)
	}
	h.bg.Add(1)
	go h.discover(bg)
	return nil
}

func (h *Host) connectBootstrap(ctx context.Context) {
	var wg sync.WaitGroup
	for _, ai := range h.bootstrap {
		wg.Add(1)
		go func(ai peer.AddrInfo) {
			defer wg.Done()
			cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			defer cancel()
			if err := h.Connect(cctx, ai); err != nil {
				h.log.Warn("bootstrap peer unreachable", "peer", ai.ID, "err", err)
			}
		}(ai)
	}
	wg.Wait()
}

// discover advertises the node in the network's rendezvous namespace and
// connects to the peers found there, every 30 s (sooner at start).
func (h *Host) discover(ctx context.Context) {
	defer h.bg.Done()
	rd := drouting.NewRoutingDiscovery(h.DHT)
	ns := "/catalyst/" + h.cfg.Network + "/peers"
	dutil.Advertise(ctx, rd, ns)
	wait := 2 * time.Second
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = min(wait*2, 30*time.Second)
		if len(h.bootstrap) > 0 && len(h.Network().Peers()) == 0 {
			h.connectBootstrap(ctx)
		}
		fctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		peers, err := rd.FindPeers(fctx, ns)
		if err != nil {
			cancel()
			continue
		}
		n := 0
		for ai := range peers {
			if ai.ID == h.ID() || len(ai.Addrs) == 0 || h.Network().Connectedness(ai.ID) == network.Connected {
				continue
			}
			if n++; n > 32 {
				continue
			}
			if err := h.Connect(fctx, ai); err == nil {
				h.log.Debug("discovered peer", "peer", ai.ID)
			}
		}
		cancel()
	}
}

// Close stops discovery and closes pubsub, the DHT and the host.
func (h *Host) Close() error {
	if h.cancel != nil {
		h.cancel()
	}
	h.bg.Wait()
	return errors.Join(h.DHT.Close(), h.Host.Close())
}

// PeerInfo is one connected peer.
type PeerInfo struct {
	PeerID         string   `json:"peerId"`
	Addrs          []string `json:"addrs"`
	ConnectedSince int64    `json:"connectedSince"`
}

// Info describes the host for GET /p2p/info.
type Info struct {
	PeerID  string     `json:"peerId"`
	Network string     `json:"network"`
	Addrs   []string   `json:"addrs"`
	Peers   []PeerInfo `json:"peers"`
}

// Info reports the host's identity, full addresses and connected peers.
func (h *Host) Info() Info {
	info := Info{PeerID: h.ID().String(), Network: h.cfg.Network, Addrs: []string{}, Peers: []PeerInfo{}}
	for _, a := range h.Addrs() {
		info.Addrs = append(info.Addrs, a.String()+"/p2p/"+h.ID().String())
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for p, since := range h.connected {
		pi := PeerInfo{PeerID: p.String(), Addrs: []string{}, ConnectedSince: since.UnixMilli()}
		for _, c := range h.Network().ConnsToPeer(p) {
			pi.Addrs = append(pi.Addrs, c.RemoteMultiaddr().String())
		}
		info.Peers = append(info.Peers, pi)
	}
	return info
}

// loadKey reads the identity key, creating it on first use.
func loadKey(path string) (crypto.PrivKey, error) {
	if path == "" {
		k, _, err := crypto.GenerateEd25519Key(rand.Reader)
		return k, err
	}
	if raw, err := os.ReadFile(path); err == nil {
		k, err := crypto.UnmarshalPrivateKey(raw)
		if err != nil {
			return nil, fmt.Errorf("p2p: identity key %s: %w", path, err)
		}
		return k, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("p2p: identity key: %w", err)
	}
	k, _, err := crypto.GenerateEd25519Key(rand.Reader)
	if err != nil {
		return nil, err
	}
	raw, err := crypto.MarshalPrivateKey(k)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, raw, 0o600); err != nil {
		return nil, fmt.Errorf("p2p: write identity key: %w", err)
	}
	return k, os.Rename(tmp, path)
}

func allPrivate(addrs []ma.Multiaddr) bool {
	for _, a := range addrs {
		if manet.IsPublicAddr(a) {
			return false
		}
	}
	return true
}
