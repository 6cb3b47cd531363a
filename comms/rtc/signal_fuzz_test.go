package rtc

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/livekit/protocol/livekit"
	"google.golang.org/protobuf/proto"
)

// FuzzSignalRequest hands a real participant (both peer connections made,
// no socket) arbitrary signaling requests: offers with junk SDP, trickle
// candidates, track requests, mutes, pings. Nothing may panic, and the
// participant's queues and tracks stay within their bounds.
func FuzzSignalRequest(f *testing.F) {
	add := func(req *livekit.SignalRequest) {
		b, _ := proto.Marshal(req)
		f.Add(b)
	}
	add(&livekit.SignalRequest{Message: &livekit.SignalRequest_Offer{Offer: &livekit.SessionDescription{Type: "offer", Sdp: "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n"}}})
	add(&livekit.SignalRequest{Message: &livekit.SignalRequest_Answer{Answer: &livekit.SessionDescription{Type: "answer", Sdp: "garbage"}}})
	add(&livekit.SignalRequest{Message: &livekit.SignalRequest_Trickle{Trickle: &livekit.TrickleRequest{CandidateInit: `{"candidate":"candidate:1 1 udp 1 127.0.0.1 9 typ host"}`}}})
	add(&livekit.SignalRequest{Message: &livekit.SignalRequest_Trickle{Trickle: &livekit.TrickleRequest{CandidateInit: `not json`, Target: livekit.SignalTarget_SUBSCRIBER}}})
	add(&livekit.SignalRequest{Message: &livekit.SignalRequest_AddTrack{AddTrack: &livekit.AddTrackRequest{Cid: "c", Type: livekit.TrackType_AUDIO}}})
	add(&livekit.SignalRequest{Message: &livekit.SignalRequest_AddTrack{AddTrack: &livekit.AddTrackRequest{Cid: "v", Type: livekit.TrackType_VIDEO}}})
	add(&livekit.SignalRequest{Message: &livekit.SignalRequest_Mute{Mute: &livekit.MuteTrackRequest{Sid: "TR_x", Muted: true}}})
	add(&livekit.SignalRequest{Message: &livekit.SignalRequest_Ping{Ping: 1}})
	add(&livekit.SignalRequest{Message: &livekit.SignalRequest_PingReq{PingReq: &livekit.Ping{Timestamp: 1}}})
	add(&livekit.SignalRequest{Message: &livekit.SignalRequest_Leave{Leave: &livekit.LeaveRequest{}}})
	f.Add([]byte{0xff, 0x01})

	s := New(Config{IPs: []string{"127.0.0.1"}, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err := s.Start(context.Background()); err != nil {
		f.Fatal(err)
	}
	defer s.Close()
	room := newRoom("fuzz", s.metrics, s.guard)
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := s.newParticipant(nil, room, "0x0000000000000000000000000000000000000001", true)
		if err != nil {
			t.Fatal(err)
		}
		defer func() {
			p.stop()
			room.remove(p.member)
			s.byMember.Delete(p.member)
			p.closePCs()
		}()
		for range 3 { // the same request again: renegotiation, duplicate tracks
			var req livekit.SignalRequest
			if proto.Unmarshal(data, &req) != nil {
				return
			}
			p.handle(&req)
		}
		p.mu.Lock()
		defer p.mu.Unlock()
		if n := len(p.pending) + len(p.published); n > s.cfg.Limits.Tracks {
			t.Fatalf("%d tracks pending or published, limit %d", n, s.cfg.Limits.Tracks)
		}
		if len(p.pendingPub) > 64 || len(p.pendingSub) > 64 {
			t.Fatalf("%d/%d candidates buffered", len(p.pendingPub), len(p.pendingSub))
		}
	})
}
