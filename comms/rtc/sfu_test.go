package rtc_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/livekit/protocol/livekit"
	"github.com/pion/rtp"

	"github.com/p2pcatalyst/catalyst/comms/rtc"
	"github.com/p2pcatalyst/catalyst/comms/rtc/rtctest"
)

type sfu struct {
	*rtc.Server
	keys rtc.Keys
	base string // ws://127.0.0.1:port
	http string
}

func startSFU(t testing.TB, banned ...string) *sfu {
	t.Helper()
	keys, err := rtc.LoadKeys(t.TempDir() + "/livekit.key")
	if err != nil {
		t.Fatal(err)
	}
	srv := rtc.New(rtc.Config{Keys: keys, IPs: []string{"127.0.0.1"}, Banned: func(id string) bool {
		for _, b := range banned {
			if b == id {
				return true
			}
		}
		return false
	}})
	if err := srv.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	srv.Routes(mux)
	hs := httptest.NewServer(mux)
	t.Cleanup(func() {
		srv.Close()
		hs.Close()
	})
	return &sfu{Server: srv, keys: keys, base: "ws" + strings.TrimPrefix(hs.URL, "http"), http: hs.URL}
}

func (s *sfu) join(t testing.TB, identity, room string) *rtctest.Client {
	t.Helper()
	token, err := s.keys.Token(identity, room)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c, err := rtctest.Dial(ctx, s.base, token)
	if err != nil {
		t.Fatalf("%s joining %s: %v", identity, room, err)
	}
	t.Cleanup(c.Close)
	return c
}

func addr(i int) string { return fmt.Sprintf("0x%040x", i+1) }

// recv waits for n packets on c.
func recv(t *testing.T, c *rtctest.Client, n int) []rtctest.Packet {
	t.Helper()
	out := make([]rtctest.Packet, 0, n)
	timeout := time.After(20 * time.Second)
	for len(out) < n {
		select {
		case p := <-c.Packets:
			out = append(out, p)
		case <-timeout:
			t.Fatalf("%s received %d of %d packets", c.Identity(), len(out), n)
		}
	}
	return out
}

// waitUpdate waits for a participant update about identity in state.
func waitUpdate(t *testing.T, c *rtctest.Client, identity string, state livekit.ParticipantInfo_State) *livekit.ParticipantInfo {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case p := <-c.Updates:
			if p.Identity == identity && p.State == state {
				return p
			}
		case <-timeout:
			t.Fatalf("%s saw no %s update for %s", c.Identity(), state, identity)
			return nil
		}
	}
}

func TestTwoParticipantsExchangeData(t *testing.T) {
	s := startSFU(t)
	a := s.join(t, addr(0), "island-I1")
	b := s.join(t, addr(1), "island-I1")
	if len(b.Join.OtherParticipants) != 1 || b.Join.OtherParticipants[0].Identity != addr(0) {
		t.Fatalf("b's join lists %v, want a", b.Join.OtherParticipants)
	}
	if b.Join.Room.Name != "island-I1" || !b.Join.SubscriberPrimary || b.Join.PingInterval == 0 || b.Join.ServerInfo == nil {
		t.Fatalf("join response lacks what clients need: %v", b.Join)
	}
	waitUpdate(t, a, addr(1), livekit.ParticipantInfo_JOINED)

	const n = 300
	for i := range n {
		if err := a.Publish([]byte(fmt.Sprint(i)), true); err != nil {
			t.Fatal(err)
		}
	}
	for i, p := range recv(t, b, n) {
		if p.From != addr(0) || p.FromSid != a.Join.Participant.Sid {
			t.Fatalf("packet %d stamped %q/%q, want %q/%q", i, p.From, p.FromSid, addr(0), a.Join.Participant.Sid)
		}
		if string(p.Payload) != fmt.Sprint(i) || !p.Reliable {
			t.Fatalf("reliable packet %d is %q (reliable %v): out of order or on the wrong channel", i, p.Payload, p.Reliable)
		}
	}
	// Lossy packets arrive on the lossy channel (on loopback, all of them
	// or nearly).
	for i := range 50 {
		b.Publish([]byte(fmt.Sprint("lossy", i)), false)
	}
	for _, p := range recv(t, a, 40) {
		if p.Reliable || p.From != addr(1) || !strings.HasPrefix(string(p.Payload), "lossy") {
			t.Fatalf("lossy packet %+v", p)
		}
	}
	select {
	case p := <-a.Packets:
		if p.From == addr(0) {
			t.Fatal("a sender received its own packet")
		}
	case <-time.After(200 * time.Millisecond):
	}
}

func TestRoomsAreSeparateAndDestinationsHonoured(t *testing.T) {
	s := startSFU(t)
	a := s.join(t, addr(0), "island-I1")
	b := s.join(t, addr(1), "island-I1")
	c := s.join(t, addr(2), "island-I1")
	other := s.join(t, addr(3), "island-I2")
	a.Publish([]byte("to c"), true, addr(2))
	a.Publish([]byte("to all"), true)
	if got := recv(t, c, 2); string(got[0].Payload) != "to c" || string(got[1].Payload) != "to all" {
		t.Fatalf("c got %q, %q", got[0].Payload, got[1].Payload)
	}
	if got := recv(t, b, 1); string(got[0].Payload) != "to all" {
		t.Fatalf("b got %q; a packet addressed to c reached it", got[0].Payload)
	}
	select {
	case p := <-other.Packets:
		t.Fatalf("a packet crossed rooms: %+v", p)
	case <-time.After(300 * time.Millisecond):
	}
	rooms := map[string]int{}
	for _, r := range s.Rooms() {
		rooms[r.Name] = len(r.Participants)
	}
	if rooms["island-I1"] != 3 || rooms["island-I2"] != 1 {
		t.Fatalf("rooms %v", rooms)
	}
}

func TestTwentyParticipants(t *testing.T) {
	s := startSFU(t)
	const n, each = 20, 5
	clients := make([]*rtctest.Client, n)
	for i := range n {
		clients[i] = s.join(t, addr(i), "island-big")
	}
	for _, c := range clients {
		for k := range each {
			if err := c.Publish([]byte(fmt.Sprint(k)), true); err != nil {
				t.Fatal(err)
			}
		}
	}
	var wg sync.WaitGroup
	for _, c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			next := map[string]int{}
			for _, p := range recv(t, c, (n-1)*each) {
				if p.From == c.Identity() {
					t.Errorf("%s received its own packet", c.Identity())
				}
				if string(p.Payload) != fmt.Sprint(next[p.From]) {
					t.Errorf("%s: packet %q from %s out of order (want %d)", c.Identity(), p.Payload, p.From, next[p.From])
				}
				next[p.From]++
			}
			if len(next) != n-1 {
				t.Errorf("%s heard %d senders, want %d", c.Identity(), len(next), n-1)
			}
		}()
	}
	wg.Wait()
}

func TestAudioIsForwarded(t *testing.T) {
	s := startSFU(t)
	a := s.join(t, addr(0), "island-voice")
	b := s.join(t, addr(1), "island-voice")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	track, info, err := a.PublishAudio(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(info.Sid, "TR_") || info.Type != livekit.TrackType_AUDIO {
		t.Fatalf("published %v", info)
	}
	stop := make(chan struct{})
	defer close(stop)
	go func() { // 20 ms Opus frames
		seq := uint16(0)
		for {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
			seq++
			track.WriteRTP(&rtp.Packet{Header: rtp.Header{Version: 2, PayloadType: 111, SequenceNumber: seq, Timestamp: uint32(seq) * 960, SSRC: 1}, Payload: []byte{0xfc, 0xff, 0xfe}})
		}
	}()
	// The track is announced once its media flows, as LiveKit does.
	upd := waitUpdate(t, b, addr(0), livekit.ParticipantInfo_ACTIVE)
	if len(upd.Tracks) != 1 || upd.Tracks[0].Sid != info.Sid {
		t.Fatalf("b learned tracks %v, want %s", upd.Tracks, info.Sid)
	}
	select {
	case tr := <-b.Tracks:
		if tr.StreamID() != a.Join.Participant.Sid+"|"+info.Sid || tr.ID() != info.Sid {
			t.Fatalf("forwarded track %s/%s, want stream %s|%s", tr.StreamID(), tr.ID(), a.Join.Participant.Sid, info.Sid)
		}
		for range 10 {
			pkt, _, err := tr.ReadRTP()
			if err != nil {
				t.Fatal(err)
			}
			if len(pkt.Payload) != 3 || pkt.Payload[0] != 0xfc {
				t.Fatalf("forwarded payload %x", pkt.Payload)
			}
		}
	case <-ctx.Done():
		t.Fatal("b never received a's audio track")
	}
	// A participant joining later subscribes to the track at once.
	c := s.join(t, addr(2), "island-voice")
	select {
	case tr := <-c.Tracks:
		if _, _, err := tr.ReadRTP(); err != nil {
			t.Fatal(err)
		}
	case <-ctx.Done():
		t.Fatal("a late joiner never received the audio track")
	}
}

func TestLeaveAndRejoin(t *testing.T) {
	s := startSFU(t)
	a := s.join(t, addr(0), "island-I1")
	b := s.join(t, addr(1), "island-I1")
	waitUpdate(t, a, addr(1), livekit.ParticipantInfo_JOINED)
	b.Close()
	waitUpdate(t, a, addr(1), livekit.ParticipantInfo_DISCONNECTED)
	b2 := s.join(t, addr(1), "island-I1")
	a.Publish([]byte("again"), true)
	if got := recv(t, b2, 1); string(got[0].Payload) != "again" {
		t.Fatalf("after rejoin b got %q", got[0].Payload)
	}
	// The same identity joining twice replaces the older session.
	b3 := s.join(t, addr(1), "island-I1")
	select {
	case <-b2.Left:
	case <-time.After(10 * time.Second):
		t.Fatal("the older session of a duplicate identity was not ended")
	}
	a.Publish([]byte("third"), true)
	if got := recv(t, b3, 1); string(got[0].Payload) != "third" {
		t.Fatalf("b3 got %q", got[0].Payload)
	}
}

func TestTokensAreChecked(t *testing.T) {
	s := startSFU(t, addr(9))
	other, _ := rtc.LoadKeys(t.TempDir() + "/other.key")
	foreign, _ := other.Token(addr(0), "island-I1")
	good, _ := s.keys.Token(addr(0), "island-I1")
	banned, _ := s.keys.Token(addr(9), "island-I1")
	for _, tc := range []struct {
		path string
		want int
	}{
		{"/rtc/validate?access_token=" + good, 200},
		{"/rtc/validate?access_token=" + foreign, 401},
		{"/rtc/validate?access_token=garbage", 401},
		{"/rtc/validate", 401},
		{"/rtc/validate?access_token=" + banned, 403},
		{"/rtc?access_token=" + foreign, 401},
		{"/rtc/v1/validate?access_token=" + good, 404},
		{"/rtc/v1?access_token=" + good, 404},
	} {
		res, err := http.Get(s.http + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != tc.want {
			t.Errorf("GET %s: %d, want %d", tc.path[:min(len(tc.path), 30)], res.StatusCode, tc.want)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := rtctest.Dial(ctx, s.base, banned); err == nil || !strings.Contains(err.Error(), "403") {
		t.Fatalf("a banned identity joined: %v", err)
	}
}

// BenchmarkRelayPion measures the whole path with real peers: 20 pion
// clients in one room (in this process, so the clients' DTLS and SCTP
// share the CPU with the SFU's). One iteration: every client sends one
// reliable packet and all 380 deliveries arrive.
//
//	go test -run X -bench RelayPion -benchtime 200x ./comms/rtc/
func BenchmarkRelayPion(b *testing.B) {
	s := startSFU(b)
	const n = 20
	clients := make([]*rtctest.Client, n)
	for i := range n {
		clients[i] = s.join(b, addr(i), "island-bench")
	}
	payload := make([]byte, 40)
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		for _, c := range clients {
			if err := c.Publish(payload, true); err != nil {
				b.Fatal(err)
			}
		}
		for _, c := range clients {
			for range n - 1 {
				select {
				case <-c.Packets:
				case <-time.After(10 * time.Second):
					b.Fatal("a delivery did not arrive")
				}
			}
		}
	}
	b.ReportMetric(float64(b.N*n*(n-1))/time.Since(start).Seconds(), "deliveries/s")
}

// A member flooding its room loses its own packets, then its session;
// the honest members are never disconnected and carry on.
func TestFloodingSenderIsDisconnected(t *testing.T) {
	s := startSFU(t)
	flooder := s.join(t, addr(0), "island-I9")
	honest := s.join(t, addr(1), "island-I9")
	other := s.join(t, addr(2), "island-I9")
	waitUpdate(t, flooder, addr(2), livekit.ParticipantInfo_JOINED)
	payload := make([]byte, 200)
	start := time.Now()
	for i := 0; i < 20000; i++ {
		if flooder.Publish(payload, true) != nil {
			break
		}
		select {
		case <-flooder.Left:
			i = 20000
		default:
		}
	}
	select {
	case <-flooder.Left:
	case <-time.After(10 * time.Second):
		t.Fatal("the flooder is still connected")
	}
	flood := time.Since(start)
	waitUpdate(t, honest, addr(0), livekit.ParticipantInfo_DISCONNECTED)
	// Of the flood, at most the burst and what the rate refilled arrived.
	l := rtc.DefaultLimits
	if got, most := len(honest.Packets), l.PacketBurst+int(l.PacketsPerSecond*flood.Seconds())+50; got > most {
		t.Fatalf("%d flood packets relayed in %s, at most %d allowed", got, flood, most)
	}
	for len(honest.Packets) > 0 {
		<-honest.Packets
	}
	select {
	case <-honest.Left:
		t.Fatal("an honest member was disconnected")
	case <-other.Left:
		t.Fatal("an honest member was disconnected")
	default:
	}
	for i := range 20 {
		if err := honest.Publish([]byte(fmt.Sprint("after", i)), true); err != nil {
			t.Fatal(err)
		}
	}
	timeout := time.After(10 * time.Second)
	for n := 0; n < 20; {
		select {
		case p := <-other.Packets:
			if p.From == addr(0) {
				continue // the flood's own packets, relayed before the cut
			}
			if p.From != addr(1) || string(p.Payload) != fmt.Sprint("after", n) {
				t.Fatalf("packet %d: %+v", n, p)
			}
			n++
		case <-timeout:
			t.Fatalf("the honest members stopped hearing each other after %d packets", n)
		}
	}
}

// One identity is in at most RoomsPerIdentity rooms at once; rejoining a
// room it is in is always allowed (the new session replaces the old).
func TestRoomsPerIdentityBounded(t *testing.T) {
	s := startSFU(t)
	id := addr(7)
	for i := range rtc.DefaultLimits.RoomsPerIdentity {
		s.join(t, id, fmt.Sprintf("scene-r:%d", i))
	}
	token, _ := s.keys.Token(id, "scene-r:extra")
	res, err := http.Get(s.http + "/rtc?access_token=" + token)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("a room past the limit: %d", res.StatusCode)
	}
	again := s.join(t, id, "scene-r:0") // replaces the first session
	if again.Join.Participant.Identity != id {
		t.Fatal("rejoin failed")
	}
}
