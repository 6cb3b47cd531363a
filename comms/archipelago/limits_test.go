package archipelago

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"google.golang.org/protobuf/proto"

	pb "github.com/p2pcatalyst/catalyst/comms/protocol/archipelago"
	commonpb "github.com/p2pcatalyst/catalyst/comms/protocol/common"
)

// Sockets that never authenticate are bounded, in all and from one
// address: past the bound a new one gets 503 before any upgrade, and once
// they go, new sockets are admitted again.
func TestPendingHandshakesBounded(t *testing.T) {
	h := newHarness(t, func(c *Config) {
		c.Limits = DefaultLimits
		c.Limits.PendingHandshakes, c.Limits.PendingPerIP = 8, 5
		c.HandshakeTimeout = 500 * time.Millisecond
	})
	var idle []*websocket.Conn
	for range 5 {
		idle = append(idle, dial(t, h.url)) // they never send a challenge request
	}
	d := websocket.Dialer{Subprotocols: []string{"archipelago"}}
	_, res, err := d.Dial(h.url, nil)
	if err == nil || res == nil || res.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("a sixth pending socket from one address: %v %v", res, err)
	}
	if h.svc.guard.Hits("pending_handshakes_per_ip") == 0 {
		t.Fatal("no metric when the limit bit")
	}
	// The short handshake timeout closes them; then sockets are admitted.
	for _, c := range idle {
		if reason := refused(t, c); !strings.Contains(reason, "timeout") {
			t.Fatalf("an idle socket closed with %q", reason)
		}
	}
	waitNoPending(t, h.svc)
	signIn(t, h, newWallet())
}

// Heartbeats past an explorer's rate are dropped, and a socket that keeps
// flooding is closed; another explorer is not affected.
func TestHeartbeatFlood(t *testing.T) {
	h := newHarness(t, func(c *Config) {
		c.Limits = DefaultLimits
		c.Limits.HeartbeatBurst, c.Limits.DropsPerSecond, c.Limits.DropBurst = 10, 1, 50
	})
	flooder := signIn(t, h, newWallet())
	honest := signIn(t, h, newWallet())
	hb := func(c *websocket.Conn, x float32) error {
		b, _ := proto.Marshal(&pb.ClientPacket{Message: &pb.ClientPacket_Heartbeat{Heartbeat: &pb.Heartbeat{Position: &commonpb.Position{X: x, Z: x}}}})
		return c.WriteMessage(websocket.BinaryMessage, b)
	}
	start := time.Now()
	for i := range 200 {
		if hb(flooder, float32(i*16)) != nil {
			break
		}
	}
	if reason := refused(t, flooder); !strings.Contains(reason, "too many heartbeats") {
		t.Fatalf("the flooder's socket closed with %q", reason)
	}
	h.mu.Lock()
	moves := len(h.moves)
	h.mu.Unlock()
	// The burst, what the rate refilled meanwhile, and the honest one's.
	if most := 10 + int(5*time.Since(start).Seconds()) + 2; moves > most {
		t.Fatalf("%d parcel moves reported for a flood of 200 heartbeats", moves)
	}
	if err := hb(honest, 1); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
	if h.svc.UsersCount() != 1 {
		t.Fatalf("%d users connected, want the honest one", h.svc.UsersCount())
	}
}

// FuzzClientFrames sends arbitrary frames through the handshake and the
// heartbeat loop of a real socket: the service answers or closes, never
// panics, and every socket's pending count is returned.
func FuzzClientFrames(f *testing.F) {
	w := newWallet()
	challengeReq, _ := proto.Marshal(&pb.ClientPacket{Message: &pb.ClientPacket_ChallengeRequest{ChallengeRequest: &pb.ChallengeRequestMessage{Address: w.address}}})
	heartbeat, _ := proto.Marshal(&pb.ClientPacket{Message: &pb.ClientPacket_Heartbeat{Heartbeat: &pb.Heartbeat{Position: &commonpb.Position{X: 1}}}})
	signed, _ := proto.Marshal(&pb.ClientPacket{Message: &pb.ClientPacket_SignedChallenge{SignedChallenge: &pb.SignedChallengeMessage{AuthChainJson: "[]"}}})
	f.Add(challengeReq, signed, heartbeat)
	f.Add(challengeReq, []byte{0xff}, []byte{})
	f.Add([]byte("junk"), []byte{}, []byte{})
	f.Add(heartbeat, heartbeat, heartbeat)
	h := newHarness(f, func(c *Config) { c.HandshakeTimeout = 300 * time.Millisecond })
	f.Fuzz(func(t *testing.T, a, b, c []byte) {
		conn := dial(t, h.url)
		for _, frame := range [][]byte{a, b, c} {
			if conn.WriteMessage(websocket.BinaryMessage, frame) != nil {
				break
			}
		}
		conn.SetReadDeadline(time.Now().Add(time.Second))
		for {
			if _, _, err := conn.ReadMessage(); err != nil {
				break
			}
		}
		conn.Close()
	})
	waitNoPending(f, h.svc)
}

// waitNoPending waits until no socket is counted as authenticating.
func waitNoPending(t testing.TB, s *Service) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		s.pendingMu.Lock()
		n := s.pending
		s.pendingMu.Unlock()
		if n == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d handshakes still counted pending", n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
