package node

import (
	"context"
	"strings"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/p2pcatalyst/catalyst/services/content"
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
	n.parts.add("catalyst peers", bridge.NewPeers(bridge.PeersConfig{
		Servers: n.Servers, Network: n.cfg.Network, Found: n.joinCatalyst, Logger: n.cfg.Logger,
	}))
}

// joinCatalyst joins, over libp2p, a server of the list that runs this
// software (with --allow-peers dao, it is the list that allows it).
func (n *Node) joinCatalyst(ctx context.Context, base, id string, addrs []string) {
	pid, err := peer.Decode(id)
	if err != nil || pid == n.Host.ID() {
		return
	}
	ai := peer.AddrInfo{ID: pid}
	for _, a := range addrs {
		if m, err := ma.NewMultiaddr(a); err == nil {
			if info, err := peer.AddrInfoFromP2pAddr(m); err == nil && info.ID == pid {
				ai.Addrs = append(ai.Addrs, info.Addrs...)
			}
		}
	}
	if n.cfg.AllowDAO {
		n.Host.Allow(pid)
	}
	if len(ai.Addrs) == 0 || n.Host.Network().Connectedness(pid) == network.Connected {
		return
	}
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := n.Host.Connect(cctx, ai); err != nil {
		n.log.Debug("a catalyst of the list was not joined over libp2p", "server", base, "peer", pid, "err", err)
		return
	}
	n.log.Info("joined a catalyst of the list over libp2p", "server", base, "peer", pid)
}

// lambdasServers is the list as /lambdas/contracts/servers serves it.
func (n *Node) lambdasServers() []lambdas.Server {
	var out []lambdas.Server
	for _, s := range n.Servers.List() {
		out = append(out, lambdas.Server{BaseURL: s.BaseURL, Owner: s.Owner, ID: s.ID})
	}
	return out
}

// federation is /content/status's view of the HTTP catalysts.
func (n *Node) federation() content.Federation {
	return content.Federation{LastSyncWithDAO: n.Servers.LastRead(), OtherServers: orEmpty(n.Bridge.Servers()), Import: n.Bridge.Progress()}
}

func orEmpty[T any](l []T) []T {
	if l == nil {
		return []T{}
	}
	return l
}
