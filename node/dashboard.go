package node

import (
	"context"
	"encoding/json"
	"net"
	"path/filepath"

	"github.com/p2pcatalyst/catalyst/services/dashboard"
	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/authchain"
	"github.com/p2pcatalyst/catalyst/store/entity"
	"github.com/p2pcatalyst/catalyst/store/events"
)

// newDashboard builds the dashboard, fed by the parts' state and by
// every applied deployment.
func (n *Node) newDashboard() *dashboard.Service {
	d := dashboard.New(dashboard.Config{State: n.dashboardState, Store: n.Store, Logger: n.cfg.Logger, Metrics: n.Registry})
	n.onShutdown = append(n.onShutdown, d.Close)
	n.onApplied = append(n.onApplied, func(x deployed) {
		d.Deployed(dashboard.Deployment{
			EntityID: x.ID, Type: x.Type, Pointers: x.Pointers, Deployer: x.AuthChain.Signer(), Origin: x.Origin, AppliedAt: x.AppliedAt,
		})
	})
	return d
}

// deployed is an applied deployment as its event tells it.
type deployed struct {
	entity.Entity
	AuthChain authchain.Chain
	Origin    string
	AppliedAt int64
}

// feedApplied tells the services that keep state in memory (lambdas'
// caches, the dashboard) of every applied deployment: a live consumer of
// the bus.
func (n *Node) feedApplied(_ context.Context, e events.StoredEvent) error {
	if e.Type != store.DeploymentEventType {
		return nil
	}
	var m struct {
		Entity    entity.Entity   `json:"entity"`
		AuthChain authchain.Chain `json:"authChain"`
		Origin    string          `json:"origin"`
	}
	if d := e.Deployment; d != nil {
		m.Entity, m.AuthChain, m.Origin = d.Entity, d.AuthChain, d.Origin
	} else if err := json.Unmarshal(e.Metadata, &m); err != nil {
		return nil // not one of ours: nothing to tell
	}
	d := deployed{Entity: m.Entity, AuthChain: m.AuthChain, Origin: m.Origin, AppliedAt: e.Timestamp}
	for _, f := range n.onApplied {
		f(d)
	}
	return nil
}

// dashboardState is what the parts report, for the dashboard and
// `catalyst status`.
func (n *Node) dashboardState(context.Context) dashboard.State {
	dataDir, _ := filepath.Abs(n.cfg.DataDir)
	info := n.Host.Info()
	st := dashboard.State{
		Node: dashboard.Node{
			PeerID: info.PeerID, Network: info.Network, RealmName: n.cfg.RealmName,
			Version: n.cfg.Version, Commit: n.cfg.CommitHash, StartedAt: n.started.UnixMilli(),
			DataDir: dataDir, HTTP: n.Addr(), P2P: info.Addrs, EthRPC: n.cfg.EthRPC != "",
		},
		Health: n.health(),
		Sync: dashboard.Sync{State: n.Replicator.State(), CatchUp: dashboard.CatchUp(n.Replicator.Progress()),
			Import: n.Bridge.Progress(), Servers: orEmpty(n.Bridge.Servers())},
		Peers:    info.Peers,
		Entities: n.Store.Counts(),
		Comms:    dashboard.Comms{Users: n.Comms.UsersCount(), Islands: []dashboard.Island{}, People: []dashboard.Person{}},
		Chain:    n.chainStatus(),
	}
	for _, a := range n.SFU.UDPAddrs() {
		st.Node.RTC = append(st.Node.RTC, a.(*net.UDPAddr).String())
	}
	for _, is := range n.Comms.Islands() {
		st.Comms.Islands = append(st.Comms.Islands, dashboard.Island{ID: is.ID, Peers: len(is.Peers), Center: is.Center, Radius: is.Radius})
	}
	for _, p := range n.Comms.Peers() {
		st.Comms.People = append(st.Comms.People, dashboard.Person{Address: p.Address, Parcel: p.Parcel, Island: p.Island})
	}
	for _, r := range n.SFU.Rooms() {
		st.Comms.Rooms = append(st.Comms.Rooms, dashboard.Room{Name: r.Name, Participants: r.Participants})
	}
	if st.Comms.Rooms == nil {
		st.Comms.Rooms = []dashboard.Room{}
	}
	return st
}
