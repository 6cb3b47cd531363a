package rtc

import (
	"testing"
	"time"

	"github.com/livekit/protocol/livekit"
	"google.golang.org/protobuf/proto"

	"github.com/p2pcatalyst/catalyst/store/guard"
)

// FuzzRelay feeds the relay what a participant's data channel may carry:
// nothing may panic, and whatever is relayed names the real sender.
func FuzzRelay(f *testing.F) {
	user, _ := proto.Marshal(&livekit.DataPacket{ParticipantIdentity: "0xforged", DestinationIdentities: []string{"b"},
		Value: &livekit.DataPacket_User{User: &livekit.UserPacket{Payload: []byte("hi"), DestinationSids: []string{"PA_x"}}}})
	chat, _ := proto.Marshal(&livekit.DataPacket{Value: &livekit.DataPacket_ChatMessage{ChatMessage: &livekit.ChatMessage{Message: "yo"}}})
	for _, seed := range [][]byte{user, chat, {}, {0x0a}, {0xff, 0xff}} {
		f.Add(seed, true)
	}
	m := newMetrics(nil)
	f.Fuzz(func(t *testing.T, data []byte, reliable bool) {
		room := newRoom("r", m, guard.New("rtc", nil, nil))
		a, b := newMember("a", DefaultLimits), newMember("b", DefaultLimits)
		room.add(a, nil)
		room.add(b, nil)
		room.relay(a, data, reliable)
		select {
		case p := <-b.out:
			var pkt livekit.DataPacket
			if err := proto.Unmarshal(p.data, &pkt); err != nil {
				t.Fatalf("relayed an undecodable packet: %v", err)
			}
			if pkt.ParticipantIdentity != "a" || pkt.ParticipantSid != a.sid {
				t.Fatalf("relayed as %q/%q", pkt.ParticipantIdentity, pkt.ParticipantSid)
			}
			if u := pkt.GetUser(); u != nil && u.ParticipantIdentity != "a" {
				t.Fatalf("user packet relayed as %q", u.ParticipantIdentity)
			}
		case <-time.After(time.Millisecond):
		}
		if len(a.out) != 0 {
			t.Fatal("a sender received its own packet")
		}
	})
}
