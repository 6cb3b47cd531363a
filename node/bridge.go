package node

import (
	"context"
	"strings"

	"github.com/p2pcatalyst/catalyst/services/lambdas"
	"github.com/p2pcatalyst/catalyst/sync/bridge"
	"github.com/p2pcatalyst/catalyst/sync/chain"
)

// newBridge builds the list of HTTP catalysts (--catalysts, else the
// DAO's from the chain) and the import from them.
func (n *Node) newBridge() {
	var read func(context.Context) ([]chain.Catalyst, error)
	if n.Chain != nil {
		read = n.Chain.Catalysts
	}
	n.Servers = bridge.NewServers(bridge.ServersConfig{
		Read: read, Manual: n.cfg.Catalysts, Self: strings.TrimRight(n.cfg.PublicURL, "/"), Store: n.Store, Logger: n.cfg.Logger,
	})
	n.parts.add("catalyst list", n.Servers)
	n.Bridge = bridge.NewImporter(bridge.ImporterConfig{
		Servers: n.Servers, Store: n.Store, Pipeline: n.Pipeline, Logger: n.cfg.Logger, Metrics: n.Registry, Every: n.cfg.BridgeEvery,
	})
	n.parts.add("http bridge", n.Bridge)
}

// lambdasServers is the list as /lambdas/contracts/servers serves it.
func (n *Node) lambdasServers() []lambdas.Server {
	var out []lambdas.Server
	for _, s := range n.Servers.List() {
		out = append(out, lambdas.Server{BaseURL: s.BaseURL, Owner: s.Owner, ID: s.ID})
	}
	return out
}
