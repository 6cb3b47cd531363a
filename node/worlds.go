package node

import (
	"context"
	"net/http"
	"path/filepath"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/p2pcatalyst/catalyst/comms/rtc"
	"github.com/p2pcatalyst/catalyst/services/worlds"
	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/authchain"
	"github.com/p2pcatalyst/catalyst/store/entity"
	"github.com/p2pcatalyst/catalyst/store/events"
	"github.com/p2pcatalyst/catalyst/sync/deploy"
	"github.com/p2pcatalyst/catalyst/sync/replicate"
)

// worldsParts are the worlds content server's: a store of its own (world
// scenes' pointers are scoped by world), its bus, the deployment
// pipeline with the worlds' rule set, and a replicator on its own topic.
type worldsParts struct {
	store      *store.Store
	bus        *events.Bus
	pipeline   *deploy.Pipeline
	replicator *replicate.Replicator
	service    *worlds.Service
	reg        prometheus.Registerer // the node's, its names under worlds_
}

// newWorldsStore builds the worlds' store, bus and pipeline (its access
// check is the service's, built later by newWorlds).
func (n *Node) newWorldsStore(verifier authchain.Verifier, limits map[entity.Type]time.Duration) error {
	cfg := n.cfg
	st, err := store.New(store.Options{Dir: filepath.Join(cfg.DataDir, "worlds"), Logger: cfg.Logger.With("store", "worlds"), PointerScope: worlds.Scope, CacheBytes: 32 << 20})
	if err != nil {
		return err
	}
	w := &n.worlds
	w.reg = prometheus.WrapRegistererWithPrefix("worlds_", n.Registry)
	reg := w.reg
	w.store = st
	w.bus = events.NewBus(events.Config{Store: st, Logger: cfg.Logger, Metrics: reg})
	access := deploy.AccessFunc(func(ctx context.Context, e *entity.Entity, signer string) error {
		return w.service.CheckAccess(ctx, e, signer)
	})
	w.pipeline = deploy.New(deploy.Config{Store: st, Verifier: verifier, Access: access, Logger: cfg.Logger, Metrics: reg, Rules: worlds.Rules, RateLimits: limits})
	n.parts.add("worlds store", st)
	return nil
}

// newWorldsReplicator replicates the worlds' store over the p2p host.
func (n *Node) newWorldsReplicator() {
	w := &n.worlds
	w.replicator = replicate.New(replicate.Config{
		Host: n.Host, Store: w.store, Pipeline: w.pipeline, Events: w.bus, Logger: n.cfg.Logger.With("store", "worlds"),
		Metrics: w.reg, ReconcileEvery: n.cfg.ReconcileEvery, Name: "worlds",
	})
	n.parts.add("worlds replication", w.replicator)
}

// newWorlds builds the worlds content server and mounts it on mux.
func (n *Node) newWorlds(mux *http.ServeMux, verifier authchain.Verifier) {
	cfg := n.cfg
	w := &n.worlds
	var owner func(ctx context.Context, name string) (string, error)
	if n.Chain != nil {
		owner = n.Chain.NameOwner
	}
	w.service = worlds.New(worlds.Config{
		Store: w.store, Pipeline: w.pipeline, Bus: w.bus, Platform: n.Events, Verifier: verifier, Owner: owner,
		Comms: func(r *http.Request, identity, room string) (string, error) {
			return n.keys.ConnStr(rtc.WSBase(r, cfg.PublicURL), identity, room)
		},
		Banned: n.bans.Banned, PublicURL: cfg.PublicURL, NetworkID: networkID(cfg.EthNetwork),
		Healthy: func() (bool, bool) { h := n.health(); return h["content"], h["lambdas"] },
		Logger:  cfg.Logger, Metrics: n.Registry,
	})
	w.service.Routes(mux)
	n.parts.add("worlds events", w.bus)
}

func networkID(network string) int {
	if network == "sepolia" {
		return 11155111
	}
	return 1
}
