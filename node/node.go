// Package node is the composition root: it builds every part of a catalyst
// from a Config with plain constructors, starts them in order and stops
// them in reverse. It owns the one HTTP server and its mux.
package node

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/p2pcatalyst/catalyst/comms/archipelago"
	"github.com/p2pcatalyst/catalyst/comms/gatekeeper"
	"github.com/p2pcatalyst/catalyst/comms/rtc"
	"github.com/p2pcatalyst/catalyst/p2p"
	"github.com/p2pcatalyst/catalyst/services/about"
	"github.com/p2pcatalyst/catalyst/services/bus"
	"github.com/p2pcatalyst/catalyst/services/content"
	"github.com/p2pcatalyst/catalyst/services/httpx"
	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/authchain"
	"github.com/p2pcatalyst/catalyst/sync/deploy"
	"github.com/p2pcatalyst/catalyst/sync/ethrpc"
	"github.com/p2pcatalyst/catalyst/sync/replicate"
)

// Node is a running catalyst.
type Node struct {
	cfg      Config
	log      *slog.Logger
	Store    *store.Store
	Pipeline *deploy.Pipeline
	Registry *prometheus.Registry

	Host       *p2p.Host
	Replicator *replicate.Replicator
	Comms      *archipelago.Service
	SFU        *rtc.Server
	Events     *bus.Bus
	bans       *gatekeeper.Bans

	keys      rtc.Keys
	eth       *ethrpc.Client
	snapshots *content.Snapshots
	handler   http.Handler
	server    *http.Server
	listener  net.Listener

	cancel context.CancelFunc
	bg     sync.WaitGroup
}

// New builds a node: it opens the store and wires every service, but
// listens on nothing until Start.
func New(cfg Config) (*Node, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	n := &Node{cfg: cfg, log: cfg.Logger.With("component", "node"), Registry: prometheus.NewRegistry()}
	n.Registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	n.Events = bus.New(n.Registry)

	st, err := store.Open(store.Options{Dir: cfg.DataDir, Logger: cfg.Logger})
	if err != nil {
		return nil, err
	}
	n.Store = st
	n.Registry.MustRegister(newStoreCollector(st))

	verifier := authchain.Verifier{}
	if cfg.EthRPC != "" {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		n.eth, err = ethrpc.Dial(ctx, cfg.EthRPC)
		cancel()
		if err != nil {
			st.Close()
			return nil, err
		}
		verifier.Contracts = n.eth
	}
	limits := maps.Clone(deploy.DefaultRateLimits)
	maps.Copy(limits, cfg.RateLimits)
	n.Pipeline = deploy.New(deploy.Config{Store: st, Verifier: verifier, Logger: cfg.Logger, Metrics: n.Registry, RateLimits: limits})
	n.snapshots = content.NewSnapshots(st, cfg.Logger, time.Hour)

	var allow map[peer.ID]bool
	if cfg.AllowPeers != nil {
		allow = map[peer.ID]bool{}
		for _, s := range cfg.AllowPeers {
			id, _ := peer.Decode(s) // validated
			allow[id] = true
		}
	}
	pcfg := p2p.Config{
		KeyFile: filepath.Join(cfg.DataDir, "p2p", "identity.key"), Listen: cfg.Listen, Bootstrap: cfg.Bootstrap,
		Network: cfg.Network, AllowPeers: allow, Logger: cfg.Logger,
	}
	n.Host, err = p2p.New(pcfg)
	if err != nil && slices.Equal(cfg.Listen, DefaultConfig().Listen) {
		// The default port is taken (another node on this machine): any
		// free port serves as well, since peers learn addresses from
		// /p2p/info and the DHT.
		n.log.Warn("default p2p port unavailable, listening on a free port", "err", err)
		pcfg.Listen = []string{"/ip4/0.0.0.0/tcp/0", "/ip4/0.0.0.0/udp/0/quic-v1"}
		n.Host, err = p2p.New(pcfg)
	}
	if err != nil {
		n.closeParts()
		return nil, err
	}
	n.Replicator, err = replicate.New(context.Background(), replicate.Config{
		Host: n.Host, Store: st, Pipeline: n.Pipeline, Logger: cfg.Logger, Metrics: n.Registry,
		ExpectPeers: len(cfg.Bootstrap) > 0, ReconcileEvery: cfg.ReconcileEvery,
	})
	if err != nil {
		n.closeParts()
		return nil, err
	}

	if err := n.newComms(verifier); err != nil {
		n.closeParts()
		return nil, err
	}

	mux := http.NewServeMux()
	content.New(content.Config{
		Store: st, Pipeline: n.Pipeline, Logger: cfg.Logger,
		Version: cfg.Version, CommitHash: cfg.CommitHash, EthNetwork: cfg.EthNetwork,
		Snapshots: n.snapshots, SyncState: n.Replicator.State,
	}).Routes(mux, "/content")
	about.New(about.Config{
		RealmName: cfg.RealmName, EthNetwork: cfg.EthNetwork, PublicURL: cfg.PublicURL,
		Version: cfg.Version, CommitHash: cfg.CommitHash, SyncState: n.Replicator.State,
		Comms: func(base string) (string, int, bool) {
			return "archipelago:archipelago:" + rtc.WSURL(base) + "/archipelago/ws", n.Comms.UsersCount(), true
		},
	}).Routes(mux)
	n.Comms.Routes(mux)
	n.Comms.StatsRoutes(mux, st)
	n.SFU.Routes(mux)
	gatekeeper.New(gatekeeper.Config{
		Verifier: verifier, Keys: n.keys, Bans: n.bans, RealmName: cfg.RealmName, PublicURL: cfg.PublicURL, Logger: cfg.Logger,
	}).Routes(mux)
	mux.HandleFunc("GET /p2p/info", func(w http.ResponseWriter, r *http.Request) { httpx.JSON(w, http.StatusOK, n.Host.Info()) })
	mux.Handle("GET /metrics", promhttp.HandlerFor(n.Registry, promhttp.HandlerOpts{Registry: n.Registry}))
	mux.HandleFunc("/", httpx.NotFound)
	n.handler = httpx.Recover(cfg.Logger, httpx.CORS(instrument(n.Registry, mux)))
	return n, nil
}

// Handler is the node's whole HTTP API (for tests and benchmarks that
// drive it without a socket).
func (n *Node) Handler() http.Handler { return n.handler }

// Start joins the network, listens on the HTTP address and starts the
// background work.
func (n *Node) Start(ctx context.Context) error {
	if err := n.Replicator.Start(ctx); err != nil {
		return err
	}
	if err := n.Host.Start(ctx); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", n.cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("node: listen %s: %w", n.cfg.HTTPAddr, err)
	}
	n.listener = ln
	n.server = &http.Server{
		Handler:           n.handler,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    1 << 20,
		ErrorLog:          slog.NewLogLogger(n.log.Handler(), slog.LevelDebug),
	}
	bgCtx, cancel := context.WithCancel(context.Background())
	n.cancel = cancel
	n.bg.Add(4)
	go func() {
		defer n.bg.Done()
		n.Comms.Run(bgCtx)
	}()
	go func() {
		defer n.bg.Done()
		n.bans.Run(bgCtx, 5*time.Second)
	}()
	go func() {
		defer n.bg.Done()
		if err := n.server.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			n.log.Error("http server stopped", "err", err)
		}
	}()
	go func() {
		defer n.bg.Done()
		n.snapshots.Run(bgCtx)
	}()
	n.log.Info("catalyst started", "http", ln.Addr().String(), "data", n.cfg.DataDir, "version", n.cfg.Version,
		"peer", n.Host.ID().String(), "network", n.cfg.Network, "p2p", n.Host.Info().Addrs, "rtc", n.SFU.UDPAddrs())
	return nil
}

// Addr is the address the HTTP server listens on (after Start).
func (n *Node) Addr() string {
	if n.listener == nil {
		return ""
	}
	return n.listener.Addr().String()
}

// Close stops everything in reverse order of start: HTTP (letting requests
// in flight finish, within ctx), background work, then the store.
func (n *Node) Close(ctx context.Context) error {
	var errs []error
	if n.server != nil {
		if err := n.server.Shutdown(ctx); err != nil {
			errs = append(errs, fmt.Errorf("http: %w", err))
		}
	}
	if n.cancel != nil {
		n.cancel()
	}
	n.bg.Wait()
	return errors.Join(append(errs, n.closeParts())...)
}

// closeParts stops replication, the host, the RPC client and the store.
func (n *Node) closeParts() error {
	var errs []error
	if n.SFU != nil {
		if err := n.SFU.Close(); err != nil {
			errs = append(errs, fmt.Errorf("rtc: %w", err))
		}
	}
	if n.Replicator != nil {
		n.Replicator.Close()
	}
	if n.Host != nil {
		if err := n.Host.Close(); err != nil {
			errs = append(errs, fmt.Errorf("p2p: %w", err))
		}
	}
	if n.eth != nil {
		n.eth.Close()
	}
	if err := n.Store.Close(); err != nil {
		errs = append(errs, fmt.Errorf("store: %w", err))
	}
	return errors.Join(errs...)
}
