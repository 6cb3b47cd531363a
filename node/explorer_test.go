package node

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"google.golang.org/protobuf/proto"

	pb "github.com/p2pcatalyst/catalyst/comms/protocol/archipelago"
	commonpb "github.com/p2pcatalyst/catalyst/comms/protocol/common"
	"github.com/p2pcatalyst/catalyst/store/entitytest"
)

// explorer is an explorer's comms client: the archipelago handshake with a
// wallet, heartbeats, and the island messages it receives.
type explorer struct {
	id   *entitytest.Identity
	conn *websocket.Conn
}

// dialExplorer connects a new wallet to base (http://host:port) and
// completes the signed-challenge handshake.
func dialExplorer(t testing.TB, base string) *explorer {
	t.Helper()
	e, err := handshake(t, base, entitytest.NewIdentity())
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// handshake runs the archipelago handshake for id.
func handshake(t testing.TB, base string, id *entitytest.Identity) (*explorer, error) {
	d := websocket.Dialer{Subprotocols: []string{"archipelago"}, HandshakeTimeout: 5 * time.Second}
	conn, _, err := d.Dial("ws"+strings.TrimPrefix(base, "http")+"/archipelago/ws", nil)
	if err != nil {
		return nil, err
	}
	t.Cleanup(func() { conn.Close() })
	e := &explorer{id: id, conn: conn}
	e.send(t, &pb.ClientPacket{Message: &pb.ClientPacket_ChallengeRequest{ChallengeRequest: &pb.ChallengeRequestMessage{Address: e.id.Address}}})
	p, err := e.next()
	if err != nil {
		return nil, err
	}
	challenge := p.GetChallengeResponse()
	if challenge == nil {
		return nil, fmt.Errorf("expected challenge_response, got %v", p)
	}
	chain, _ := json.Marshal(e.id.Chain(challenge.ChallengeToSign))
	e.send(t, &pb.ClientPacket{Message: &pb.ClientPacket_SignedChallenge{SignedChallenge: &pb.SignedChallengeMessage{AuthChainJson: string(chain)}}})
	if p, err = e.next(); err != nil {
		return nil, err
	}
	if w := p.GetWelcome(); w == nil || w.PeerId != e.id.Address {
		return nil, fmt.Errorf("expected welcome for %s, got %v", e.id.Address, p)
	}
	return e, nil
}

func (e *explorer) send(t testing.TB, p *pb.ClientPacket) {
	t.Helper()
	b, _ := proto.Marshal(p)
	if err := e.conn.WriteMessage(websocket.BinaryMessage, b); err != nil {
		t.Fatal(err)
	}
}

func (e *explorer) read(t testing.TB) *pb.ServerPacket {
	t.Helper()
	p, err := e.next()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func (e *explorer) next() (*pb.ServerPacket, error) {
	e.conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	_, b, err := e.conn.ReadMessage()
	if err != nil {
		return nil, err
	}
	var p pb.ServerPacket
	if err := proto.Unmarshal(b, &p); err != nil {
		return nil, err
	}
	return &p, nil
}

func (e *explorer) heartbeat(t testing.TB, x, z float32) {
	e.send(t, &pb.ClientPacket{Message: &pb.ClientPacket_Heartbeat{Heartbeat: &pb.Heartbeat{Position: &commonpb.Position{X: x, Y: 0, Z: z}}}})
}

// islandChanged reads until an island_changed arrives.
func (e *explorer) islandChanged(t testing.TB) *pb.IslandChangedMessage {
	t.Helper()
	for {
		if ic := e.read(t).GetIslandChanged(); ic != nil {
			return ic
		}
	}
}

// sameIsland places two explorers next to each other and returns the
// island_changed each received for their shared island.
func sameIsland(t testing.TB, a, b *explorer) (*pb.IslandChangedMessage, *pb.IslandChangedMessage) {
	t.Helper()
	a.heartbeat(t, 8, 8)
	b.heartbeat(t, 20, 12)
	ia, ib := a.islandChanged(t), b.islandChanged(t)
	for ia.IslandId != ib.IslandId { // a was alone in a first flush
		ia = a.islandChanged(t)
	}
	return ia, ib
}
