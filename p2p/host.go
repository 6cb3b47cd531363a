// Package p2p is the node's libp2p side: a host on TCP and QUIC with a
// persistent identity, connection and resource limits, an allowlist gater,
// a Kademlia DHT, peer discovery in a per-network rendezvous namespace and
// gossipsub. It knows nothing of entities: it moves bytes on topics and
// streams whose names it namespaces by network, so test networks never mix
// with production.
package p2p

import (
	"cmp"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
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
	"github.com/libp2p/go-libp2p/p2p/protocol/ping"
	libp2pquic "github.com/libp2p/go-libp2p/p2p/transport/quic"
	"github.com/libp2p/go-libp2p/p2p/transport/tcp"
	ma "github.com/multiformats/go-multiaddr"
	manet "github.com/multiformats/go-multiaddr/net"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/p2pcatalyst/catalyst/store/guard"
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
	// Remembered are the addresses bound at an earlier start, by listen
	// address (see Bound): a listen port 0 binds its remembered port again
	// when it is free, so the node keeps its multiaddrs across restarts.
	Remembered map[string]string
	// AnyPortIfTaken: when a listen port is taken, Start listens on the
	// remembered port or a free one instead of failing.
	AnyPortIfTaken bool
	// Services are resource-manager limits for the stream protocols of the
	// node's parts, by service name (see network.StreamScope.SetService).
	Services map[string]ServiceLimit
	// Logger; nil means slog.Default().
	Logger *slog.Logger
	// Metrics registers the host's metrics (nil: not registered).
	Metrics prometheus.Registerer
}

// ServiceLimit bounds one stream service across all peers.
type ServiceLimit struct {
	Streams int   // open streams, both directions
	Memory  int64 // bytes its streams may reserve
}

// DefaultListen are TCP and QUIC on every interface, port 4001.
var DefaultListen = []string{"/ip4/0.0.0.0/tcp/4001", "/ip4/0.0.0.0/udp/4001/quic-v1"}

// Host is the node's libp2p host. New only checks the configuration;
// Start binds the listen addresses and starts the DHT and gossipsub;
// Discovery (a part of its own, started once the protocols are
// registered) joins the network.
type Host struct {
	host.Host
	DHT    *dht.IpfsDHT
	PubSub *pubsub.PubSub

	cfg       Config
	log       *slog.Logger
	bootstrap []peer.AddrInfo
	penalties *penalties
	gater     *gater
	guard     *guard.Guard
	pings     prometheus.Histogram // round trips measured
	pingFails prometheus.Counter
	peers     prometheus.GaugeFunc

	mu        sync.Mutex
	connected map[peer.ID]time.Time

	cancel context.CancelFunc // ends gossipsub
	bound  map[string]string  // listen address → the address bound
}

// Bound maps every listen address to the address Start bound for it (a
// port 0 replaced by the port chosen); nil before Start.
func (h *Host) Bound() map[string]string { return h.bound }

// Allow adds peers to the allowlist, when the host has one (the peers
// of the DAO's list, as they are found).
func (h *Host) Allow(ids ...peer.ID) { h.gater.add(ids) }

// New checks the configuration; it binds nothing.
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
	var boot []peer.AddrInfo
	for _, s := range cfg.Bootstrap {
		ai, err := peer.AddrInfoFromString(s)
		if err != nil {
			return nil, fmt.Errorf("p2p: bootstrap %q: %w (want a multiaddr ending in /p2p/<peer id>)", s, err)
		}
		boot = append(boot, *ai)
	}
	h := &Host{
		cfg: cfg, log: cfg.Logger.With("component", "p2p"), guard: guard.New("p2p", cfg.Logger, cfg.Metrics),
		bootstrap: boot, penalties: newPenalties(), connected: map[peer.ID]time.Time{},
		pings: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "catalyst_p2p_ping_seconds", Help: "Round trips to connected peers, measured every 15 s.",
			Buckets: prometheus.ExponentialBuckets(0.0002, 2, 16),
		}),
		pingFails: prometheus.NewCounter(prometheus.CounterOpts{Name: "catalyst_p2p_ping_failures_total", Help: "Pings of connected peers that failed or took over 5 s."}),
	}
	h.gater = &gater{allow: maps.Clone(cfg.AllowPeers), penalties: h.penalties}
	if cfg.AllowPeers != nil && h.gater.allow == nil {
		h.gater.allow = map[peer.ID]bool{} // an empty list: no one yet
	}
	h.peers = prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "catalyst_p2p_peers", Help: "Peers connected."}, func() float64 {
		if h.Host == nil {
			return 0
		}
		return float64(len(h.Network().Peers()))
	})
	if cfg.Metrics != nil {
		cfg.Metrics.MustRegister(h.pings, h.pingFails, h.peers)
	}
	return h, nil
}

// Start loads (or creates) the identity, listens, and starts the DHT and
// gossipsub. On failure nothing is left running.
func (h *Host) Start(ctx context.Context) (err error) {
	key, err := loadKey(h.cfg.KeyFile)
	if err != nil {
		return err
	}
	cm, err := connmgr.NewConnManager(64, 256, connmgr.WithGracePeriod(time.Minute))
	if err != nil {
		return err
	}
	limits := rcmgr.DefaultLimits
	libp2p.SetDefaultServiceLimits(&limits)
	for name, l := range h.cfg.Services {
		limits.AddServiceLimit(name,
			rcmgr.BaseLimit{Streams: l.Streams, StreamsInbound: l.Streams, StreamsOutbound: l.Streams, Memory: l.Memory},
			rcmgr.BaseLimitIncrease{})
	}
	rm, err := rcmgr.NewResourceManager(rcmgr.NewFixedLimiter(limits.AutoScale()))
	if err != nil {
		return err
	}
	listen := func(addrs []string) (host.Host, error) {
		return libp2p.New(
			libp2p.Identity(key),
			libp2p.ListenAddrStrings(addrs...),
			libp2p.Transport(tcp.NewTCPTransport),
			libp2p.Transport(libp2pquic.NewTransport),
			libp2p.ConnectionManager(cm),
			libp2p.ResourceManager(rm),
			libp2p.ConnectionGater(h.gater),
			libp2p.DisableRelay(),
		)
	}
	bound, err := resolveListen(h.cfg.Listen, h.cfg.Remembered, h.cfg.AnyPortIfTaken)
	if err != nil {
		rm.Close()
		return err
	}
	addrs := make([]string, 0, len(h.cfg.Listen))
	for _, a := range h.cfg.Listen {
		if s, _ := parseSocket(a); s.port != "0" && bound[a] != a {
			h.log.Warn("p2p port taken, listening on another", "configured", a, "listening", bound[a])
		}
		addrs = append(addrs, bound[a])
	}
	lh, err := listen(addrs)
	if err != nil {
		rm.Close()
		return fmt.Errorf("p2p: start host: %w", err)
	}
	h.bound = bound
	bg, cancel := context.WithCancel(context.Background())
	defer func() {
		if err != nil {
			cancel()
			lh.Close()
		}
	}()
	mode := dht.ModeAutoServer
	if allPrivate(lh.Addrs()) {
		// A LAN or loopback network has no public address for AutoNAT to
		// confirm; its nodes are reachable to each other, so serve.
		mode = dht.ModeServer
	}
	kad, err := dht.New(lh,
		dht.Mode(mode),
		dht.ProtocolPrefix(protocol.ID("/catalyst/"+h.cfg.Network)),
		dht.BootstrapPeers(h.bootstrap...),
	)
	if err != nil {
		return fmt.Errorf("p2p: dht: %w", err)
	}
	ps, err := newPubSub(bg, lh, h.penalties.score)
	if err != nil {
		kad.Close()
		return err
	}
	h.Host, h.DHT, h.PubSub, h.cancel = lh, kad, ps, cancel
	lh.Network().Notify(&network.NotifyBundle{
		ConnectedF: func(_ network.Network, c network.Conn) {
			h.mu.Lock()
			_, known := h.connected[c.RemotePeer()]
			if !known {
				h.connected[c.RemotePeer()] = time.Now()
			}
			h.mu.Unlock()
			if !known {
				h.log.Info("peer connected", "peer", c.RemotePeer(), "addr", c.RemoteMultiaddr(), "direction", c.Stat().Direction)
			}
		},
		DisconnectedF: func(n network.Network, c network.Conn) {
			if n.Connectedness(c.RemotePeer()) == network.Connected {
				return // another connection to it lives on
			}
			h.mu.Lock()
			since, known := h.connected[c.RemotePeer()]
			delete(h.connected, c.RemotePeer())
			h.mu.Unlock()
			if known {
				h.log.Info("peer disconnected", "peer", c.RemotePeer(), "addr", c.RemoteMultiaddr(), "after", time.Since(since).Round(time.Second))
			}
		},
	})
	return nil
}

// Stop ends gossipsub and the DHT and closes the host (Discovery, a part
// of its own, is stopped before it).
func (h *Host) Stop(context.Context) error {
	if h.Host == nil {
		return nil
	}
	h.cancel()
	return errors.Join(h.DHT.Close(), h.Host.Close())
}

// Close is Stop without a deadline.
func (h *Host) Close() error { return h.Stop(context.Background()) }

// Protocol is a stream protocol id in this network's namespace.
func (h *Host) Protocol(name string) protocol.ID {
	return protocol.ID("/catalyst/" + h.cfg.Network + "/" + name)
}

// Topic is a gossipsub topic name in this network's namespace.
func (h *Host) Topic(name string) string { return "/catalyst/" + h.cfg.Network + "/" + name }

// NetworkName is the network's name.
func (h *Host) NetworkName() string { return h.cfg.Network }

// Penalize records misbehaviour of a peer seen outside gossipsub (a lying
// stream header, an unrequested deployment, an oversized frame): it lowers
// the peer's gossipsub score, and enough of it disconnects and bans the
// peer for a while.
func (h *Host) Penalize(p peer.ID, reason string) {
	h.guard.Hit("peer_penalties")
	if h.penalties.add(p) {
		h.guard.Hit("peer_bans")
		h.log.Warn("peer banned for misbehaving", "peer", p, "reason", reason, "for", banFor)
		if h.Host != nil {
			h.Network().ClosePeer(p)
		}
		return
	}
	h.log.Info("peer penalized", "peer", p, "reason", reason)
}

// PenaltyScore is p's app-specific gossipsub score (negative once
// penalized).
func (h *Host) PenaltyScore(p peer.ID) float64 { return h.penalties.score(p) }

// Banned reports whether p is refused for misbehaving.
func (h *Host) Banned(p peer.ID) bool { return h.penalties.banned(p) }

// Discovery is the part that joins the network: it connects to the
// bootstrap peers and keeps discovering peers of the network through the
// DHT until stopped. Start it once every protocol is registered, so the
// first peers find them.
func (h *Host) Discovery() *Discovery { return &Discovery{h: h} }

// Discovery joins the network (see Host.Discovery).
type Discovery struct {
	h      *Host
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// Start connects to the bootstrap peers (waiting at most ctx) and starts
// discovery.
func (d *Discovery) Start(ctx context.Context) error {
	h := d.h
	bg, cancel := context.WithCancel(context.Background())
	d.cancel = cancel
	h.connectBootstrap(ctx)
	if err := h.DHT.Bootstrap(bg); err != nil {
		cancel()
		return fmt.Errorf("p2p: dht bootstrap: %w", err)
	}
	d.wg.Add(2)
	go func() {
		defer d.wg.Done()
		h.discover(bg)
	}()
	go func() {
		defer d.wg.Done()
		h.measureLatency(bg, 15*time.Second)
	}()
	return nil
}

// Stop ends discovery and waits for it.
func (d *Discovery) Stop(context.Context) error {
	if d.cancel != nil {
		d.cancel()
	}
	d.wg.Wait()
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
	rd := drouting.NewRoutingDiscovery(h.DHT)
	ns := "/catalyst/" + h.cfg.Network + "/peers"
	dutil.Advertise(ctx, rd, ns)
	wait := 2 * time.Second
	for {
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
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

// measureLatency pings every connected peer once a period (libp2p keeps
// the moving average in the peerstore), at most 8 at a time.
func (h *Host) measureLatency(ctx context.Context, every time.Duration) {
	sem := make(chan struct{}, 8)
	defer func() {
		for range cap(sem) { // wait for the pings in flight
			sem <- struct{}{}
		}
	}()
	for {
		for _, p := range h.Network().Peers() {
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			go func() {
				defer func() { <-sem }()
				defer h.guard.Recover("ping", "peer", p)
				pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
				defer cancel()
				if r := <-ping.Ping(pctx, h.Host, p); r.Error != nil { // Ping records the latency in the peerstore
					h.pingFails.Inc()
				} else {
					h.pings.Observe(r.RTT.Seconds())
				}
			}()
		}
		t := time.NewTimer(every)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

// PeerInfo is one connected peer.
type PeerInfo struct {
	PeerID         string   `json:"peerId"`
	Addrs          []string `json:"addrs"`
	ConnectedSince int64    `json:"connectedSince"`
	// LatencyMs is the round-trip time libp2p measured (0: not yet).
	LatencyMs float64 `json:"latencyMs,omitempty"`
}

// Info describes the host for GET /p2p/info.
type Info struct {
	PeerID  string     `json:"peerId"`
	Network string     `json:"network"`
	Addrs   []string   `json:"addrs"`
	Peers   []PeerInfo `json:"peers"`
}

// Info reports the host's identity, full addresses and connected peers.
// The peers are the network's own list; the times of connection are this
// host's notes of them (a peer whose note a racing disconnect removed
// still counts, as connected since now).
func (h *Host) Info() Info {
	info := Info{PeerID: h.ID().String(), Network: h.cfg.Network, Addrs: []string{}, Peers: []PeerInfo{}}
	for _, a := range h.Addrs() {
		info.Addrs = append(info.Addrs, a.String()+"/p2p/"+h.ID().String())
	}
	for _, p := range h.Network().Peers() {
		h.mu.Lock()
		since, ok := h.connected[p]
		h.mu.Unlock()
		if !ok {
			since = time.Now()
		}
		pi := PeerInfo{PeerID: p.String(), Addrs: []string{}, ConnectedSince: since.UnixMilli()}
		if rtt := h.Peerstore().LatencyEWMA(p); rtt > 0 {
			pi.LatencyMs = float64(rtt.Microseconds()) / 1000
		}
		for _, c := range h.Network().ConnsToPeer(p) {
			pi.Addrs = append(pi.Addrs, c.RemoteMultiaddr().String())
		}
		info.Peers = append(info.Peers, pi)
	}
	slices.SortFunc(info.Peers, func(a, b PeerInfo) int { return cmp.Compare(a.PeerID, b.PeerID) })
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
