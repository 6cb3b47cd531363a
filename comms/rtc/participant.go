package rtc

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
	"github.com/livekit/protocol/livekit"
	"github.com/pion/webrtc/v4"
	"golang.org/x/time/rate"
	"google.golang.org/protobuf/proto"
)

// Signaling timing told to clients in JoinResponse: they ping every
// pingInterval and give up after pingTimeout without an answer. The server
// gives up on a client after the same silence.
const (
	pingInterval = 5
	pingTimeout  = 15
)

// participant is one client connection: its signaling WebSocket, the
// publisher PeerConnection (client offers, carries its data channels and
// tracks) and the subscriber PeerConnection (the server offers, carries
// the server's data channels and the forwarded tracks).
type participant struct {
	*member
	s    *Server
	room *Room
	log  *slog.Logger
	ws   *websocket.Conn
	sig  chan []byte // encoded SignalResponses for the writer

	pub, sub *webrtc.PeerConnection
	reliable *webrtc.DataChannel // server → client, on sub
	lossy    *webrtc.DataChannel
	// opened closes when a channel opens (by the channel): packets
	// relayed before wait for it, instead of being lost at join.
	opened map[*webrtc.DataChannel]chan struct{}

	// negotiation state of the subscriber PeerConnection, under negMu.
	negMu       sync.Mutex
	offerID     uint32
	offering    bool // an offer is waiting for its answer
	renegotiate bool // another offer is needed once it is answered
	// candidates that arrived before their remote description.
	pendingPub, pendingSub []webrtc.ICECandidateInit

	// clientLeft is set once the client said leave or its socket ended:
	// otherwise the server says leave itself, since a bare close makes
	// clients reconnect.
	clientLeft atomic.Bool
	leaveWhy   atomic.Int32 // livekit.DisconnectReason of a server-side end

	// published tracks by client track id (cid), under member.mu.
	pending   map[string]*livekit.TrackInfo
	published []*forwarded
	// senders of the tracks forwarded to this participant, by track sid.
	senders map[string]*webrtc.RTPSender
}

// forwarded is a published track the SFU forwards to subscribers.
type forwarded struct {
	info  *livekit.TrackInfo
	local *webrtc.TrackLocalStaticRTP
}

func (s *Server) newParticipant(ws *websocket.Conn, room *Room, identity string, autoSubscribe bool) (*participant, error) {
	p := &participant{
		member: newMember(identity, s.cfg.Limits), s: s, room: room, ws: ws, sig: make(chan []byte, 256),
		pending: map[string]*livekit.TrackInfo{}, senders: map[string]*webrtc.RTPSender{},
	}
	p.log = s.log.With("room", room.name, "identity", identity, "sid", p.sid)
	p.flooded = func() {
		if p.leaveWhy.Load() == 0 {
			p.log.Warn("disconnecting a participant that floods its room")
		}
		p.end(livekit.DisconnectReason_STATE_MISMATCH)
	}
	p.onUpdate = p.signal
	if old := room.byIdentity(identity); old != nil {
		// The same identity joining again replaces its older session.
		if op, ok := s.participantOf(old); ok {
			op.end(livekit.DisconnectReason_DUPLICATE_IDENTITY)
		} else {
			old.stop()
		}
	}
	cfg := webrtc.Configuration{SDPSemantics: webrtc.SDPSemanticsUnifiedPlan}
	var err error
	if p.pub, err = s.api.NewPeerConnection(cfg); err != nil {
		return nil, err
	}
	if p.sub, err = s.api.NewPeerConnection(cfg); err != nil {
		p.pub.Close()
		return nil, err
	}
	ordered, unordered, none := true, false, uint16(0)
	if p.reliable, err = p.sub.CreateDataChannel("_reliable", &webrtc.DataChannelInit{Ordered: &ordered}); err == nil {
		p.lossy, err = p.sub.CreateDataChannel("_lossy", &webrtc.DataChannelInit{Ordered: &unordered, MaxRetransmits: &none})
	}
	if err != nil {
		p.closePCs()
		return nil, err
	}
	p.opened = map[*webrtc.DataChannel]chan struct{}{}
	for _, dc := range []*webrtc.DataChannel{p.reliable, p.lossy} {
		ch := make(chan struct{})
		p.opened[dc] = ch
		var once sync.Once
		dc.OnOpen(func() { once.Do(func() { close(ch) }) })
	}
	p.pub.OnICECandidate(func(c *webrtc.ICECandidate) { p.trickle(c, livekit.SignalTarget_PUBLISHER) })
	p.sub.OnICECandidate(func(c *webrtc.ICECandidate) { p.trickle(c, livekit.SignalTarget_SUBSCRIBER) })
	p.pub.OnDataChannel(func(dc *webrtc.DataChannel) {
		reliable := dc.Label() == "_reliable"
		if !reliable && dc.Label() != "_lossy" {
			return // other channels (data tracks) are not relayed
		}
		dc.OnMessage(func(msg webrtc.DataChannelMessage) {
			defer s.guard.Recover("data packet", "identity", identity)
			room.relay(p.member, msg.Data, reliable)
		})
	})
	p.pub.OnTrack(func(remote *webrtc.TrackRemote, recv *webrtc.RTPReceiver) {
		defer s.guard.Recover("published track", "identity", identity)
		p.onTrack(remote, recv)
	})
	for _, pc := range []*webrtc.PeerConnection{p.pub, p.sub} {
		pc.OnConnectionStateChange(func(st webrtc.PeerConnectionState) {
			if st == webrtc.PeerConnectionStateFailed {
				p.log.Info("peer connection failed")
				p.end(livekit.DisconnectReason_CONNECTION_TIMEOUT)
			}
		})
	}

	// Known as a participant before it is a member, so a track published
	// meanwhile is never missed.
	s.byMember.Store(p.member, p)
	var others []*member
	full := room.add(p.member, func(o []*member) {
		others = o
		otherInfos := make([]*livekit.ParticipantInfo, 0, len(others))
		for _, o := range others {
			otherInfos = append(otherInfos, o.info(livekit.ParticipantInfo_ACTIVE))
		}
		p.signal(&livekit.SignalResponse{Message: &livekit.SignalResponse_Join{Join: &livekit.JoinResponse{
			Room: room.infoLocked(1), Participant: p.info(livekit.ParticipantInfo_JOINED), OtherParticipants: otherInfos,
			ServerVersion: Version, ServerInfo: &livekit.ServerInfo{Edition: livekit.ServerInfo_Standard, Version: Version, Protocol: 16, NodeId: "catalyst"},
			SubscriberPrimary: true, PingInterval: pingInterval, PingTimeout: pingTimeout,
			ClientConfiguration:  &livekit.ClientConfiguration{ResumeConnection: livekit.ClientConfigSetting_DISABLED},
			EnabledPublishCodecs: []*livekit.Codec{{Mime: webrtc.MimeTypeOpus}},
		}}})
	})
	if full {
		s.byMember.Delete(p.member)
		p.closePCs()
		return nil, errors.New("the room is full")
	}
	room.broadcast(p.member, livekit.ParticipantInfo_JOINED)
	if autoSubscribe {
		for _, o := range others {
			if op, ok := p.s.participantOf(o); ok {
				for _, f := range op.forwardedTracks() {
					p.subscribe(f)
				}
			}
		}
	}
	p.negotiate()
	return p, nil
}

// participantOf finds the participant behind a member (simulated members
// have none).
func (s *Server) participantOf(m *member) (*participant, bool) {
	p, ok := s.byMember.Load(m)
	if !ok {
		return nil, false
	}
	return p.(*participant), true
}

func (p *participant) forwardedTracks() []*forwarded {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]*forwarded(nil), p.published...)
}

// signal queues a SignalResponse for the client.
func (p *participant) signal(msg *livekit.SignalResponse) {
	b, err := proto.Marshal(msg)
	if err != nil {
		return
	}
	select {
	case p.sig <- b:
	case <-p.done:
	default:
		p.log.Warn("signal queue full, disconnecting")
		p.stop()
	}
}

func writeSignal(ws *websocket.Conn, msg *livekit.SignalResponse) error {
	b, err := proto.Marshal(msg)
	if err != nil {
		return err
	}
	ws.SetWriteDeadline(time.Now().Add(5 * time.Second))
	return ws.WriteMessage(websocket.BinaryMessage, b)
}

func (p *participant) trickle(c *webrtc.ICECandidate, target livekit.SignalTarget) {
	if c == nil {
		return
	}
	init, err := json.Marshal(c.ToJSON())
	if err != nil {
		return
	}
	// Taking negMu orders a candidate after the description it belongs to.
	p.negMu.Lock()
	defer p.negMu.Unlock()
	p.signal(&livekit.SignalResponse{Message: &livekit.SignalResponse_Trickle{Trickle: &livekit.TrickleRequest{CandidateInit: string(init), Target: target}}})
}

// run serves the participant until it leaves, its connection fails or the
// server closes; then it leaves the room.
func (p *participant) run() {
	defer p.s.byMember.Delete(p.member)
	var wg sync.WaitGroup
	wg.Add(3)
	g := p.s.guard
	go func() { defer wg.Done(); defer g.Recover("signal writer", "identity", p.identity); p.writeSignals() }()
	go func() {
		defer wg.Done()
		defer g.Recover("data writer", "identity", p.identity)
		p.drain(p.s.metrics, p.sendData)
	}()
	go func() {
		defer wg.Done()
		defer p.stop()
		defer g.Recover("signaling", "identity", p.identity)
		if err := p.readSignals(); err != nil && !errors.Is(err, io.EOF) {
			p.log.Debug("signaling ended", "err", err)
		}
	}()
	<-p.done
	p.ws.Close()
	wg.Wait()
	p.room.remove(p.member)
	p.room.broadcast(p.member, livekit.ParticipantInfo_DISCONNECTED)
	for _, o := range p.room.others(p.member) {
		if op, ok := p.s.participantOf(o); ok {
			op.unsubscribe(p)
		}
	}
	p.closePCs()
	p.log.Debug("participant left")
}

// end closes the session from the server's side for reason.
func (p *participant) end(reason livekit.DisconnectReason) {
	p.leaveWhy.CompareAndSwap(0, int32(reason))
	p.stop()
}

func (p *participant) closePCs() {
	if p.pub != nil {
		p.pub.Close()
	}
	if p.sub != nil {
		p.sub.Close()
	}
}

func (p *participant) writeSignals() {
	for {
		select {
		case b := <-p.sig:
			p.ws.SetWriteDeadline(time.Now().Add(10 * time.Second))
			if err := p.ws.WriteMessage(websocket.BinaryMessage, b); err != nil {
				p.stop()
				return
			}
		case <-p.done:
			// Flush what is queued (a leave, typically) before closing.
			for {
				select {
				case b := <-p.sig:
					p.ws.SetWriteDeadline(time.Now().Add(time.Second))
					if p.ws.WriteMessage(websocket.BinaryMessage, b) != nil {
						return
					}
				default:
					return
				}
			}
		}
	}
}

// openWait is how long after joining packets wait for the member's data
// channels to open.
const openWait = 5 * time.Second

// maxReliableBuffered bounds what waits in one recipient's reliable
// channel (SCTP keeps it in memory).
const maxReliableBuffered = 4 << 20

// sendData writes a relayed packet to the matching data channel. Lossy
// packets are dropped while the channel's buffer is backed up.
func (p *participant) sendData(out outPacket) error {
	data, reliable := out.data, out.reliable
	dc := p.lossy
	if reliable {
		dc = p.reliable
	}
	if wait := time.Until(p.joined.Add(openWait)); wait > 0 && dc.ReadyState() == webrtc.DataChannelStateConnecting {
		// Just joined: the client may already see the channel open while
		// the server awaits its acknowledgement. Wait (this member's queue
		// only, and only in its first seconds), rather than lose what
		// others sent meanwhile.
		t := time.NewTimer(wait)
		select {
		case <-p.opened[dc]:
			t.Stop()
		case <-p.done:
			t.Stop()
			return errors.New("participant gone")
		case <-t.C:
		}
	}
	if dc.ReadyState() != webrtc.DataChannelStateOpen {
		return errors.New("data channel not open")
	}
	// A recipient whose channel is backed up loses packets (its own
	// network is the bottleneck); it is never disconnected for what
	// others send.
	if !reliable && dc.BufferedAmount() > 1<<20 {
		return errors.New("lossy channel backed up")
	}
	if reliable && dc.BufferedAmount() > maxReliableBuffered {
		return errors.New("reliable channel backed up")
	}
	return dc.Send(data)
}

// errSignalFlood ends a session that sends signaling requests past its
// limit (each offer costs a negotiation).
var errSignalFlood = errors.New("too many signaling requests")

func (p *participant) readSignals() error {
	limits := p.s.cfg.Limits
	limiter := rate.NewLimiter(rate.Limit(limits.SignalsPerSecond), limits.SignalBurst)
	for {
		p.ws.SetReadDeadline(time.Now().Add(pingTimeout * time.Second))
		typ, data, err := p.ws.ReadMessage()
		if err != nil {
			return err
		}
		if typ != websocket.BinaryMessage {
			return errors.New("expected binary protobuf frames")
		}
		if !limiter.Allow() {
			p.s.guard.Hit("signals")
			return errSignalFlood
		}
		var req livekit.SignalRequest
		if err := proto.Unmarshal(data, &req); err != nil {
			return fmt.Errorf("malformed signal request: %w", err)
		}
		if err := p.handle(&req); err != nil {
			return err
		}
		select {
		case <-p.done:
			return nil
		default:
		}
	}
}

func (p *participant) handle(req *livekit.SignalRequest) error {
	switch m := req.Message.(type) {
	case *livekit.SignalRequest_Offer:
		return p.answerPublisher(m.Offer)
	case *livekit.SignalRequest_Answer:
		return p.subscriberAnswered(m.Answer)
	case *livekit.SignalRequest_Trickle:
		return p.addCandidate(m.Trickle)
	case *livekit.SignalRequest_AddTrack:
		p.addTrack(m.AddTrack)
	case *livekit.SignalRequest_Mute:
		p.mute(m.Mute.Sid, m.Mute.Muted)
	case *livekit.SignalRequest_Leave:
		p.clientLeft.Store(true)
		p.stop()
	case *livekit.SignalRequest_Ping:
		p.signal(&livekit.SignalResponse{Message: &livekit.SignalResponse_Pong{Pong: m.Ping}})
	case *livekit.SignalRequest_PingReq:
		p.signal(&livekit.SignalResponse{Message: &livekit.SignalResponse_PongResp{PongResp: &livekit.Pong{
			LastPingTimestamp: m.PingReq.Timestamp, Timestamp: time.Now().UnixMilli(),
		}}})
	default:
		// Subscription settings, layers, metadata, sync state: nothing to
		// do for an audio-and-data SFU.
	}
	return nil
}

func (p *participant) answerPublisher(offer *livekit.SessionDescription) error {
	if err := p.pub.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeOffer, SDP: offer.Sdp}); err != nil {
		return fmt.Errorf("publisher offer: %w", err)
	}
	p.negMu.Lock()
	defer p.negMu.Unlock()
	for _, c := range p.pendingPub {
		p.pub.AddICECandidate(c)
	}
	p.pendingPub = nil
	answer, err := p.pub.CreateAnswer(nil)
	if err != nil {
		return fmt.Errorf("publisher answer: %w", err)
	}
	if err := p.pub.SetLocalDescription(answer); err != nil {
		return fmt.Errorf("publisher answer: %w", err)
	}
	p.signal(&livekit.SignalResponse{Message: &livekit.SignalResponse_Answer{Answer: &livekit.SessionDescription{
		Type: "answer", Sdp: answer.SDP, Id: offer.Id,
	}}})
	return nil
}

// negotiate sends the subscriber a new offer, or marks that one is needed
// once the offer in flight is answered.
func (p *participant) negotiate() {
	p.negMu.Lock()
	defer p.negMu.Unlock()
	if p.offering {
		p.renegotiate = true
		return
	}
	p.offerLocked()
}

func (p *participant) offerLocked() {
	offer, err := p.sub.CreateOffer(nil)
	if err == nil {
		err = p.sub.SetLocalDescription(offer)
	}
	if err != nil {
		if p.sub.ConnectionState() != webrtc.PeerConnectionStateClosed {
			p.log.Warn("subscriber offer", "err", err)
		}
		return
	}
	p.offering, p.renegotiate = true, false
	p.offerID++
	mids := map[string]string{}
	for _, t := range p.sub.GetTransceivers() {
		if s := t.Sender(); s != nil && s.Track() != nil && t.Mid() != "" {
			mids[t.Mid()] = s.Track().ID()
		}
	}
	p.signal(&livekit.SignalResponse{Message: &livekit.SignalResponse_Offer{Offer: &livekit.SessionDescription{
		Type: "offer", Sdp: offer.SDP, Id: p.offerID, MidToTrackId: mids,
	}}})
}

func (p *participant) subscriberAnswered(answer *livekit.SessionDescription) error {
	p.negMu.Lock()
	defer p.negMu.Unlock()
	if !p.offering {
		return nil // a stale answer
	}
	if err := p.sub.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: answer.Sdp}); err != nil {
		return fmt.Errorf("subscriber answer: %w", err)
	}
	p.offering = false
	for _, c := range p.pendingSub {
		p.sub.AddICECandidate(c)
	}
	p.pendingSub = nil
	if p.renegotiate {
		p.offerLocked()
	}
	return nil
}

func (p *participant) addCandidate(t *livekit.TrickleRequest) error {
	var c webrtc.ICECandidateInit
	if err := json.Unmarshal([]byte(t.CandidateInit), &c); err != nil {
		return fmt.Errorf("trickle: candidateInit is not JSON: %w", err)
	}
	if c.Candidate == "" {
		return nil // end of candidates
	}
	p.negMu.Lock()
	defer p.negMu.Unlock()
	pc, pending := p.pub, &p.pendingPub
	if t.Target == livekit.SignalTarget_SUBSCRIBER {
		pc, pending = p.sub, &p.pendingSub
	}
	if pc.RemoteDescription() == nil {
		if len(*pending) < 64 {
			*pending = append(*pending, c)
		}
		return nil
	}
	if err := pc.AddICECandidate(c); err != nil {
		p.log.Debug("ignoring a candidate", "err", err)
	}
	return nil
}

// addTrack answers a client's request to publish: the track gets its sid
// now and is matched to the media that arrives by its cid.
func (p *participant) addTrack(req *livekit.AddTrackRequest) {
	if req.Type != livekit.TrackType_AUDIO {
		p.signal(&livekit.SignalResponse{Message: &livekit.SignalResponse_RequestResponse{RequestResponse: &livekit.RequestResponse{
			Reason: livekit.RequestResponse_NOT_ALLOWED, Message: "only audio tracks are forwarded",
		}}})
		return
	}
	info := &livekit.TrackInfo{
		Sid: "TR_" + randomID(12), Type: req.Type, Name: req.Name, Source: req.Source, Muted: req.Muted,
		MimeType: webrtc.MimeTypeOpus, Stereo: req.Stereo, DisableDtx: req.DisableDtx, Stream: req.Stream,
		AudioFeatures: req.AudioFeatures,
	}
	p.mu.Lock()
	if len(p.pending)+len(p.published) >= p.s.cfg.Limits.Tracks {
		p.mu.Unlock()
		p.s.guard.Hit("tracks")
		p.signal(&livekit.SignalResponse{Message: &livekit.SignalResponse_RequestResponse{RequestResponse: &livekit.RequestResponse{
			Reason: livekit.RequestResponse_LIMIT_EXCEEDED, Message: "too many tracks",
		}}})
		return
	}
	p.pending[req.Cid] = info
	p.mu.Unlock()
	p.signal(&livekit.SignalResponse{Message: &livekit.SignalResponse_TrackPublished{TrackPublished: &livekit.TrackPublishedResponse{
		Cid: req.Cid, Track: info,
	}}})
}

func (p *participant) mute(sid string, muted bool) {
	p.mu.Lock()
	changed := false
	for i, t := range p.tracks {
		if t.Sid == sid && t.Muted != muted {
			// A copy: updates already built may still share the old one.
			t = proto.CloneOf(t)
			t.Muted, changed = muted, true
			p.tracks[i] = t
		}
	}
	p.mu.Unlock()
	if changed {
		p.room.broadcast(p.member, livekit.ParticipantInfo_ACTIVE)
	}
}

// onTrack starts forwarding a track the client published: one local track
// fed from the remote one, added to every other participant's subscriber.
func (p *participant) onTrack(remote *webrtc.TrackRemote, _ *webrtc.RTPReceiver) {
	if remote.Kind() != webrtc.RTPCodecTypeAudio {
		return
	}
	p.mu.Lock()
	if len(p.published) >= p.s.cfg.Limits.Tracks {
		p.mu.Unlock()
		p.s.guard.Hit("tracks")
		return // not forwarded; pion drops what nobody reads
	}
	info := p.pending[remote.ID()]
	delete(p.pending, remote.ID())
	if info == nil {
		for cid, t := range p.pending { // a client that renamed the track
			info = t
			delete(p.pending, cid)
			break
		}
	}
	if info == nil {
		info = &livekit.TrackInfo{Sid: "TR_" + randomID(12), Type: livekit.TrackType_AUDIO, Source: livekit.TrackSource_MICROPHONE, MimeType: webrtc.MimeTypeOpus}
	}
	local, err := webrtc.NewTrackLocalStaticRTP(remote.Codec().RTPCodecCapability, info.Sid, p.sid+"|"+info.Sid)
	if err != nil {
		p.mu.Unlock()
		return
	}
	f := &forwarded{info: info, local: local}
	p.published = append(p.published, f)
	p.tracks = append(p.tracks, info)
	p.mu.Unlock()
	p.room.broadcast(p.member, livekit.ParticipantInfo_ACTIVE)
	for _, o := range p.room.others(p.member) {
		if op, ok := p.s.participantOf(o); ok {
			op.subscribe(f)
			op.negotiate()
		}
	}
	buf := make([]byte, 1500)
	for {
		n, _, err := remote.Read(buf)
		if err != nil {
			return
		}
		if _, err := local.Write(buf[:n]); err != nil && !errors.Is(err, io.ErrClosedPipe) {
			return
		}
		p.s.metrics.rtpPackets.Inc()
	}
}

// subscribe adds a forwarded track to this participant's subscriber
// connection (the caller renegotiates).
func (p *participant) subscribe(f *forwarded) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.senders[f.info.Sid] != nil {
		return
	}
	sender, err := p.sub.AddTrack(f.local)
	if err != nil {
		return
	}
	p.senders[f.info.Sid] = sender
	go func() { // drain RTCP so the sender's interceptors keep flowing
		defer p.s.guard.Recover("rtcp", "identity", p.identity)
		buf := make([]byte, 1500)
		for {
			if _, _, err := sender.Read(buf); err != nil {
				return
			}
		}
	}()
}

// unsubscribe removes the tracks of a participant who left.
func (p *participant) unsubscribe(from *participant) {
	removed := false
	for _, f := range from.forwardedTracks() {
		p.mu.Lock()
		sender := p.senders[f.info.Sid]
		delete(p.senders, f.info.Sid)
		p.mu.Unlock()
		if sender != nil && p.sub.RemoveTrack(sender) == nil {
			removed = true
		}
	}
	if removed {
		p.negotiate()
	}
}
