package node

import (
	"context"
	"net"
	"path/filepath"

	"github.com/p2pcatalyst/catalyst/services/dashboard"
	"github.com/p2pcatalyst/catalyst/sync/deploy"
)

// newDashboard builds the dashboard, fed by the parts' state and by
// every applied deployment.
func (n *Node) newDashboard() *dashboard.Service {
	d := dashboard.New(dashboard.Config{State: n.dashboardState, Store: n.Store, Logger: n.cfg.Logger, Metrics: n.Registry})
	n.onShutdown = append(n.onShutdown, d.Close)
	n.onApplied = append(n.onApplied, func(a deploy.Applied) { d.Deployed(deployed(a)) })
	return d
}

// feedApplied is the part that tells the services of every applied
// deployment (the pipeline's subscription: a service that falls 1,024
// behind misses some, and the pipeline counts them).
func (n *Node) feedApplied() Lifecycle {
	return newLoop(func(ctx context.Context) {
		applied, cancel := n.Pipeline.Subscribe(1024)
		defer cancel()
		for {
			select {
			case <-ctx.Done():
				return
			case a, ok := <-applied:
				if !ok {
					return
				}
				for _, f := range n.onApplied {
					f(a)
				}
			}
		}
	})
}

func deployed(a deploy.Applied) dashboard.Deployment {
	dep := a.Deployment
	return dashboard.Deployment{
		EntityID: dep.ID, Type: dep.Type, Pointers: dep.Pointers, Deployer: dep.DeployedBy(),
		Origin: string(a.Origin), AppliedAt: dep.LocalTimestamp,
	}
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
		Health:   n.health(),
		Sync:     dashboard.Sync{State: n.Replicator.State(), CatchUp: dashboard.CatchUp(n.Replicator.Progress())},
		Peers:    info.Peers,
		Entities: n.Store.Counts(),
		Comms:    dashboard.Comms{Users: n.Comms.UsersCount(), Islands: []dashboard.Island{}, People: []dashboard.Person{}},
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
