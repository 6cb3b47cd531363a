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
	"github.com/p2pcatalyst/catalyst/store/guard"
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
	snapshots *content.Snapshots
	handler   http.Handler
	server    *http.Server
	listener  net.Listener
	guard     *guard.Guard

	parts parts
}

// New builds a node: every part is constructed and wired, but nothing is
// opened, bound or started until Start.
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
	n.guard = guard.New("http", cfg.Logger, n.Registry)

	st, err := store.New(store.Options{Dir: cfg.DataDir, Logger: cfg.Logger})
	if err != nil {
		return nil, err
	}
	n.Store = st
	n.parts.add("store", st)
	n.Registry.MustRegister(newStoreCollector(st))

	verifier := authchain.Verifier{}
	if cfg.EthRPC != "" {
		eth := ethrpc.New(cfg.EthRPC)
		verifier.Contracts = eth
		n.parts.add("ethereum rpc", eth)
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
	n.Host, err = p2p.New(p2p.Config{
		KeyFile: filepath.Join(cfg.DataDir, "p2p", "identity.key"), Listen: cfg.Listen, Bootstrap: cfg.Bootstrap,
		Network: cfg.Network, AllowPeers: allow, Services: replicate.ServiceLimits(), Logger: cfg.Logger, Metrics: n.Registry,
		AnyPortIfTaken: slices.Equal(cfg.Listen, DefaultConfig().Listen),
	})
	if err != nil {
		return nil, err
	}
	n.parts.add("p2p host", n.Host)
	n.Replicator = replicate.New(replicate.Config{
		Host: n.Host, Store: st, Pipeline: n.Pipeline, Logger: cfg.Logger, Metrics: n.Registry,
		ExpectPeers: len(cfg.Bootstrap) > 0, ReconcileEvery: cfg.ReconcileEvery,
	})
	n.parts.add("replication", n.Replicator)
	n.parts.add("p2p discovery", n.Host.Discovery())

	if err := n.newComms(verifier); err != nil {
		return nil, err
	}
	n.parts.add("snapshots", newLoop(n.snapshots.Run))

	mux := http.NewServeMux()
	content.New(content.Config{
		Store: st, Pipeline: n.Pipeline, Logger: cfg.Logger, Metrics: n.Registry,
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
	n.handler = httpx.Recover(n.guard, httpx.Deadlines(bodyTimeout, writeTimeout, httpx.CORS(instrument(n.Registry, mux))))
	n.parts.add("http", funcs{start: n.startHTTP, stop: n.stopHTTP})
	return n, nil
}

// Handler is the node's whole HTTP API (for tests and benchmarks that
// drive it without a socket).
func (n *Node) Handler() http.Handler { return n.handler }

// Start starts every part in order — the store, the Ethereum RPC, the
// p2p host, replication, discovery, comms, snapshots, and last the HTTP
// server. When a part fails, the parts already started stop in reverse.
func (n *Node) Start(ctx context.Context) error {
	if err := n.parts.start(ctx); err != nil {
		return err
	}
	n.log.Info("catalyst started", "http", n.listener.Addr().String(), "data", n.cfg.DataDir, "version", n.cfg.Version,
		"peer", n.Host.ID().String(), "network", n.cfg.Network, "p2p", n.Host.Info().Addrs, "rtc", n.SFU.UDPAddrs())
	return nil
}

// HTTP timeouts: headers, a request's body (uploads pace theirs
// instead), writing an answer (100 MB at a modest speed), and idle
// keep-alive connections.
const (
	readHeaderTimeout = 10 * time.Second
	bodyTimeout       = 30 * time.Second
	writeTimeout      = 10 * time.Minute
	idleTimeout       = time.Minute
	maxHeaderBytes    = 1 << 20
)

func (n *Node) startHTTP(context.Context) error {
	ln, err := net.Listen("tcp", n.cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", n.cfg.HTTPAddr, err)
	}
	n.listener = ln
	n.server = &http.Server{
		Handler:           n.handler,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       0, // per request: uploads set their own read deadlines
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(n.log.Handler(), slog.LevelDebug),
	}
	go func() {
		if err := n.server.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			n.log.Error("http server stopped", "err", err)
		}
	}()
	return nil
}

// stopHTTP lets requests in flight finish (within ctx), then closes what
// is left, hijacked connections included.
func (n *Node) stopHTTP(ctx context.Context) error {
	err := n.server.Shutdown(ctx)
	n.server.Close()
	return err
}

// Addr is the address the HTTP server listens on (after Start).
func (n *Node) Addr() string {
	if n.listener == nil {
		return ""
	}
	return n.listener.Addr().String()
}

// Close stops every started part in reverse order of start: HTTP first
// (letting requests in flight finish, within ctx), the store last.
func (n *Node) Close(ctx context.Context) error {
	return n.parts.stop(ctx)
}
