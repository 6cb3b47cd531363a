package p2p

import (
	"github.com/libp2p/go-libp2p/core/control"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"
)

// allowlist is a ConnectionGater admitting only listed peers. It checks
// the peer id once the connection is secured (the id is proven then), and
// refuses to dial anyone else.
type allowlist map[peer.ID]bool

func (a allowlist) InterceptPeerDial(p peer.ID) bool                 { return a[p] }
func (a allowlist) InterceptAddrDial(p peer.ID, _ ma.Multiaddr) bool { return a[p] }
func (a allowlist) InterceptAccept(network.ConnMultiaddrs) bool      { return true }
func (a allowlist) InterceptSecured(_ network.Direction, p peer.ID, _ network.ConnMultiaddrs) bool {
	return a[p]
}
func (a allowlist) InterceptUpgraded(network.Conn) (bool, control.DisconnectReason) { return true, 0 }
