package archipelago

import (
	"crypto/ecdsa"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/gorilla/websocket"
	"google.golang.org/protobuf/proto"

	pb "github.com/p2pcatalyst/catalyst/comms/protocol/archipelago"
	commonpb "github.com/p2pcatalyst/catalyst/comms/protocol/common"
	"github.com/p2pcatalyst/catalyst/store/authchain"
)

type wallet struct {
	key, eph *ecdsa.PrivateKey
	address  string
}

func newWallet() wallet {
	k, _ := crypto.GenerateKey()
	e, _ := crypto.GenerateKey()
	return wallet{k, e, strings.ToLower(crypto.PubkeyToAddress(k.PublicKey).Hex())}
}

// chain signs payload through an ephemeral key valid until exp.
func (w wallet) chain(payload string, exp time.Time) string {
	p := authchain.EphemeralPayload(crypto.PubkeyToAddress(w.eph.PublicKey), exp)
	c := authchain.Chain{
		{Type: authchain.Signer, Payload: crypto.PubkeyToAddress(w.key.PublicKey).Hex()},
		{Type: authchain.Ephemeral, Payload: p, Signature: authchain.Sign(w.key, p)},
		{Type: authchain.SignedEntity, Payload: payload, Signature: authchain.Sign(w.eph, payload)},
	}
	b, _ := json.Marshal(c)
	return string(b)
}

type harness struct {
	svc   *Service
	url   string
	mu    sync.Mutex
	moves []move
}

type move struct {
	address  string
	from, to [2]int
	first    bool
}

func newHarness(t testing.TB, mutate func(*Config)) *harness {
	h := &harness{}
	cfg := Config{
		ConnStr: func(base, island, address string) (string, error) {
			return "livekit:" + base + "?access_token=" + island + "." + address, nil
		},
		Moved: func(address string, from, to [2]int, first bool) {
			h.mu.Lock()
			h.moves = append(h.moves, move{address, from, to, first})
			h.mu.Unlock()
		},
	}
	if mutate != nil {
		mutate(&cfg)
	}
	h.svc = New(cfg)
	mux := http.NewServeMux()
	h.svc.Routes(mux)
	h.svc.StatsRoutes(mux, nil)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	h.url = "ws" + strings.TrimPrefix(srv.URL, "http") + "/archipelago/ws"
	return h
}

func dial(t testing.TB, url string) *websocket.Conn {
	t.Helper()
	d := websocket.Dialer{Subprotocols: []string{"archipelago"}}
	c, res, err := d.Dial(url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Header.Get("Sec-WebSocket-Protocol") != "archipelago" {
		t.Fatalf("subprotocol %q", res.Header.Get("Sec-WebSocket-Protocol"))
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func send(t *testing.T, c *websocket.Conn, p *pb.ClientPacket) {
	t.Helper()
	b, _ := proto.Marshal(p)
	if err := c.WriteMessage(websocket.BinaryMessage, b); err != nil {
		t.Fatal(err)
	}
}

func recv(t *testing.T, c *websocket.Conn) (*pb.ServerPacket, error) {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, b, err := c.ReadMessage()
	if err != nil {
		return nil, err
	}
	var p pb.ServerPacket
	if err := proto.Unmarshal(b, &p); err != nil {
		t.Fatal(err)
	}
	return &p, nil
}

func challenge(t *testing.T, c *websocket.Conn, address string) string {
	t.Helper()
	send(t, c, &pb.ClientPacket{Message: &pb.ClientPacket_ChallengeRequest{ChallengeRequest: &pb.ChallengeRequestMessage{Address: address}}})
	p, err := recv(t, c)
	if err != nil {
		t.Fatal(err)
	}
	ch := p.GetChallengeResponse().GetChallengeToSign()
	if !strings.HasPrefix(ch, "dcl-") {
		t.Fatalf("challenge %q", ch)
	}
	return ch
}

func signIn(t *testing.T, h *harness, w wallet) *websocket.Conn {
	t.Helper()
	c := dial(t, h.url)
	ch := challenge(t, c, strings.ToUpper(w.address[:5])+w.address[5:])
	send(t, c, &pb.ClientPacket{Message: &pb.ClientPacket_SignedChallenge{SignedChallenge: &pb.SignedChallengeMessage{AuthChainJson: w.chain(ch, time.Now().Add(time.Hour))}}})
	p, err := recv(t, c)
	if err != nil {
		t.Fatal(err)
	}
	if p.GetWelcome().GetPeerId() != w.address {
		t.Fatalf("welcome %v, want peer id %s", p, w.address)
	}
	return c
}

// refused reads until the server closes the socket and returns the reason.
func refused(t *testing.T, c *websocket.Conn) string {
	t.Helper()
	for {
		_, err := recv(t, c)
		if err == nil {
			continue
		}
		var ce *websocket.CloseError
		if ok := asClose(err, &ce); ok {
			return ce.Text
		}
		return err.Error()
	}
}

func asClose(err error, ce **websocket.CloseError) bool {
	e, ok := err.(*websocket.CloseError)
	if ok {
		*ce = e
	}
	return ok
}

func TestHandshake(t *testing.T) {
	h := newHarness(t, nil)
	w := newWallet()
	signIn(t, h, w)

	t.Run("bad signature", func(t *testing.T) {
		c := dial(t, h.url)
		ch := challenge(t, c, w.address)
		mallory := newWallet()
		send(t, c, &pb.ClientPacket{Message: &pb.ClientPacket_SignedChallenge{SignedChallenge: &pb.SignedChallengeMessage{AuthChainJson: mallory.chain(ch, time.Now().Add(time.Hour))}}})
		if reason := refused(t, c); !strings.Contains(reason, "not by "+w.address) {
			t.Fatalf("reason %q", reason)
		}
	})
	t.Run("expired ephemeral key", func(t *testing.T) {
		c := dial(t, h.url)
		ch := challenge(t, c, w.address)
		send(t, c, &pb.ClientPacket{Message: &pb.ClientPacket_SignedChallenge{SignedChallenge: &pb.SignedChallengeMessage{AuthChainJson: w.chain(ch, time.Now().Add(-time.Minute))}}})
		if reason := refused(t, c); !strings.Contains(reason, "expired") {
			t.Fatalf("reason %q", reason)
		}
	})
	t.Run("wrong challenge", func(t *testing.T) {
		c := dial(t, h.url)
		challenge(t, c, w.address)
		send(t, c, &pb.ClientPacket{Message: &pb.ClientPacket_SignedChallenge{SignedChallenge: &pb.SignedChallengeMessage{AuthChainJson: w.chain("dcl-other", time.Now().Add(time.Hour))}}})
		if reason := refused(t, c); !strings.Contains(reason, "invalid auth chain") {
			t.Fatalf("reason %q", reason)
		}
	})
	t.Run("not an address", func(t *testing.T) {
		c := dial(t, h.url)
		send(t, c, &pb.ClientPacket{Message: &pb.ClientPacket_ChallengeRequest{ChallengeRequest: &pb.ChallengeRequestMessage{Address: "bob"}}})
		if reason := refused(t, c); !strings.Contains(reason, "not an Ethereum address") {
			t.Fatalf("reason %q", reason)
		}
	})
	t.Run("garbage frames", func(t *testing.T) {
		c := dial(t, h.url)
		c.WriteMessage(websocket.BinaryMessage, []byte{0xff, 0xff, 0xff})
		if reason := refused(t, c); !strings.Contains(reason, "malformed") {
			t.Fatalf("reason %q", reason)
		}
		c = dial(t, h.url)
		c.WriteMessage(websocket.TextMessage, []byte("hello"))
		if reason := refused(t, c); !strings.Contains(reason, "binary") {
			t.Fatalf("reason %q", reason)
		}
		c = signIn(t, h, newWallet())
		c.WriteMessage(websocket.BinaryMessage, []byte{0x0a, 0x05})
		if reason := refused(t, c); reason == "" {
			t.Fatal("garbage after the handshake must close the socket with a reason")
		}
	})
	t.Run("duplicate session", func(t *testing.T) {
		w2 := newWallet()
		first := signIn(t, h, w2)
		c := dial(t, h.url)
		send(t, c, &pb.ClientPacket{Message: &pb.ClientPacket_ChallengeRequest{ChallengeRequest: &pb.ChallengeRequestMessage{Address: w2.address}}})
		p, _ := recv(t, c)
		if !p.GetChallengeResponse().GetAlreadyConnected() {
			t.Fatal("already_connected not set")
		}
		send(t, c, &pb.ClientPacket{Message: &pb.ClientPacket_SignedChallenge{SignedChallenge: &pb.SignedChallengeMessage{AuthChainJson: w2.chain(p.GetChallengeResponse().GetChallengeToSign(), time.Now().Add(time.Hour))}}})
		if p, _ := recv(t, c); p.GetWelcome() == nil {
			t.Fatal("second session not welcomed")
		}
		kicked := false
		for {
			p, err := recv(t, first)
			if err != nil {
				break
			}
			if p.GetKicked() != nil && p.GetKicked().Reason == pb.KickedReason_KR_NEW_SESSION {
				kicked = true
			}
		}
		if !kicked {
			t.Fatal("the first session was not kicked")
		}
	})
}

func TestHandshakeTimeout(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.HandshakeTimeout = 200 * time.Millisecond })
	c := dial(t, h.url)
	start := time.Now()
	if reason := refused(t, c); time.Since(start) > 3*time.Second || !strings.Contains(reason, "challenge request") {
		t.Fatalf("reason %q after %s", reason, time.Since(start))
	}
	c = dial(t, h.url)
	challenge(t, c, newWallet().address)
	if reason := refused(t, c); !strings.Contains(reason, "signed challenge") {
		t.Fatalf("reason %q", reason)
	}
}

func heartbeat(t *testing.T, c *websocket.Conn, x, z float32) {
	send(t, c, &pb.ClientPacket{Message: &pb.ClientPacket_Heartbeat{Heartbeat: &pb.Heartbeat{Position: &commonpb.Position{X: x, Z: z}}}})
}

func TestIslands(t *testing.T) {
	h := newHarness(t, nil)
	a, b := newWallet(), newWallet()
	ca := signIn(t, h, a)
	heartbeat(t, ca, 10, 10)
	time.Sleep(50 * time.Millisecond)
	h.svc.Flush()
	p, err := recv(t, ca)
	if err != nil {
		t.Fatal(err)
	}
	first := p.GetIslandChanged()
	if first == nil || !strings.HasPrefix(first.ConnStr, "livekit:ws://") || !strings.Contains(first.ConnStr, "access_token="+first.IslandId+"."+a.address) || len(first.Peers) != 0 {
		t.Fatalf("island_changed %v", p)
	}
	cb := signIn(t, h, b)
	heartbeat(t, cb, 30, 20)
	time.Sleep(50 * time.Millisecond)
	h.svc.Flush()
	p, _ = recv(t, cb)
	ic := p.GetIslandChanged()
	if ic == nil || ic.IslandId != first.IslandId || ic.Peers[a.address] == nil || ic.Peers[a.address].X != 10 {
		t.Fatalf("newcomer got %v, want island %s with a's position", p, first.IslandId)
	}
	p, _ = recv(t, ca)
	if j := p.GetJoinIsland(); j == nil || j.PeerId != b.address || j.IslandId != first.IslandId {
		t.Fatalf("member got %v, want join_island of b", p)
	}
	// b walks away: a hears left_island, b gets a new island.
	heartbeat(t, cb, 500, 500)
	time.Sleep(50 * time.Millisecond)
	h.svc.Flush()
	p, _ = recv(t, cb)
	if ic := p.GetIslandChanged(); ic == nil || ic.IslandId == first.IslandId || ic.GetFromIslandId() != first.IslandId {
		t.Fatalf("walker got %v", p)
	}
	p, _ = recv(t, ca)
	if l := p.GetLeftIsland(); l == nil || l.PeerId != b.address {
		t.Fatalf("member got %v, want left_island of b", p)
	}
	// Stats see them.
	res, err := http.Get(strings.Replace(strings.Replace(h.url, "ws://", "http://", 1), "/archipelago/ws", "/comms/peers", 1))
	if err != nil {
		t.Fatal(err)
	}
	var stats struct {
		OK    bool `json:"ok"`
		Peers []struct {
			Address string `json:"address"`
			Parcel  [2]int `json:"parcel"`
		} `json:"peers"`
	}
	json.NewDecoder(res.Body).Decode(&stats)
	res.Body.Close()
	if !stats.OK || len(stats.Peers) != 2 {
		t.Fatalf("stats %+v", stats)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	firsts := 0
	for _, m := range h.moves {
		if m.first {
			firsts++
		} else if m.from == m.to {
			t.Fatalf("a move within one parcel was reported: %+v", m)
		}
	}
	if firsts < 2 {
		t.Fatalf("moves %+v: want every peer's first parcel", h.moves)
	}
	if !slices.Contains(h.moves, move{b.address, [2]int{1, 1}, [2]int{31, 31}, false}) {
		t.Fatalf("moves %+v: want b's move from 1,1 to 31,31", h.moves)
	}
}
