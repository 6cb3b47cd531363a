// Package rtctest is a LiveKit client on pion for tests and benchmarks:
// it speaks the client side of the signaling protocol the way
// livekit-client does (subscriber primary, data channels on the publisher,
// trickle ICE both ways) so the SFU can be driven by many real peers from
// one process.
package rtctest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"sync"
	"time"

	"github.com/gorilla/websocket"
	"github.com/livekit/protocol/livekit"
	"github.com/pion/ice/v4"
	"github.com/pion/webrtc/v4"
	"google.golang.org/protobuf/proto"
)

// Packet is a user packet a client received.
type Packet struct {
	From     string // participant identity stamped by the server
	FromSid  string
	Payload  []byte
	Topic    string
	Reliable bool
}

// Client is one connected participant.
type Client struct {
	Join *livekit.JoinResponse

	ws       *websocket.Conn
	wmu      sync.Mutex
	pub, sub *webrtc.PeerConnection
	reliable *webrtc.DataChannel
	lossy    *webrtc.DataChannel

	// Packets receives user packets (buffered; a test that does not read
	// them loses the newest when it fills).
	Packets chan Packet
	// Tracks receives the remote tracks forwarded to this client.
	Tracks chan *webrtc.TrackRemote
	// Updates receives participant updates.
	Updates chan *livekit.ParticipantInfo
	// Left is closed when the server ends the session.
	Left chan struct{}

	mu         sync.Mutex
	published  chan *livekit.TrackInfo
	pendingPub []webrtc.ICECandidateInit
	pendingSub []webrtc.ICECandidateInit
	subOpen    chan struct{}
	closeOnce  sync.Once
}

var api = func() *webrtc.API {
	var se webrtc.SettingEngine
	se.SetIncludeLoopbackCandidate(true)
	se.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4})
	se.SetIPFilter(func(ip net.IP) bool { return ip.IsLoopback() })
	se.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
	var me webrtc.MediaEngine
	me.RegisterCodec(webrtc.RTPCodecParameters{RTPCodecCapability: Opus, PayloadType: 111}, webrtc.RTPCodecTypeAudio)
	return webrtc.NewAPI(webrtc.WithSettingEngine(se), webrtc.WithMediaEngine(&me))
}()

// Opus is the codec audio is published with.
var Opus = webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeOpus, ClockRate: 48000, Channels: 2}

// Dial joins the room the token grants through base (ws://host:port) and
// returns once both peer connections carry open data channels.
func Dial(ctx context.Context, base, token string) (*Client, error) {
	u := base + "/rtc?access_token=" + url.QueryEscape(token) + "&auto_subscribe=1&sdk=go&protocol=16"
	ws, resp, err := websocket.DefaultDialer.DialContext(ctx, u, nil)
	if err != nil {
		if resp != nil {
			return nil, fmt.Errorf("rtctest: dial: %w (HTTP %d)", err, resp.StatusCode)
		}
		return nil, fmt.Errorf("rtctest: dial: %w", err)
	}
	c := &Client{
		ws: ws, Packets: make(chan Packet, 4096), Tracks: make(chan *webrtc.TrackRemote, 16),
		Updates: make(chan *livekit.ParticipantInfo, 256), Left: make(chan struct{}),
		published: make(chan *livekit.TrackInfo, 1), subOpen: make(chan struct{}),
	}
	fail := func(err error) (*Client, error) { c.Close(); return nil, err }
	first, err := c.read(ctx)
	if err != nil {
		return fail(err)
	}
	if c.Join = first.GetJoin(); c.Join == nil {
		return fail(fmt.Errorf("rtctest: expected a join response, got %T", first.Message))
	}
	cfg := webrtc.Configuration{SDPSemantics: webrtc.SDPSemanticsUnifiedPlan}
	if c.pub, err = api.NewPeerConnection(cfg); err != nil {
		return fail(err)
	}
	if c.sub, err = api.NewPeerConnection(cfg); err != nil {
		return fail(err)
	}
	ordered, unordered, none := true, false, uint16(0)
	if c.reliable, err = c.pub.CreateDataChannel("_reliable", &webrtc.DataChannelInit{Ordered: &ordered}); err != nil {
		return fail(err)
	}
	if c.lossy, err = c.pub.CreateDataChannel("_lossy", &webrtc.DataChannelInit{Ordered: &unordered, MaxRetransmits: &none}); err != nil {
		return fail(err)
	}
	pubOpen := make(chan struct{})
	c.reliable.OnOpen(func() { close(pubOpen) })
	c.pub.OnICECandidate(func(cand *webrtc.ICECandidate) { c.trickle(cand, livekit.SignalTarget_PUBLISHER) })
	c.sub.OnICECandidate(func(cand *webrtc.ICECandidate) { c.trickle(cand, livekit.SignalTarget_SUBSCRIBER) })
	var once sync.Once
	c.sub.OnDataChannel(func(dc *webrtc.DataChannel) {
		reliable := dc.Label() == "_reliable"
		if reliable {
			dc.OnOpen(func() { once.Do(func() { close(c.subOpen) }) })
		}
		dc.OnMessage(func(m webrtc.DataChannelMessage) { c.receive(m.Data, reliable) })
	})
	c.sub.OnTrack(func(t *webrtc.TrackRemote, _ *webrtc.RTPReceiver) {
		select {
		case c.Tracks <- t:
		default:
		}
	})
	go c.readLoop()
	if err := c.offer(); err != nil {
		return fail(err)
	}
	for _, ch := range []chan struct{}{pubOpen, c.subOpen} {
		select {
		case <-ch:
		case <-c.Left:
			return fail(errors.New("rtctest: the server ended the session"))
		case <-ctx.Done():
			return fail(fmt.Errorf("rtctest: data channels did not open: %w", ctx.Err()))
		}
	}
	return c, nil
}

// Identity is the participant's identity as the server assigned it.
func (c *Client) Identity() string { return c.Join.Participant.Identity }

func (c *Client) send(req *livekit.SignalRequest) error {
	b, err := proto.Marshal(req)
	if err != nil {
		return err
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.ws.SetWriteDeadline(time.Now().Add(5 * time.Second))
	return c.ws.WriteMessage(websocket.BinaryMessage, b)
}

func (c *Client) read(ctx context.Context) (*livekit.SignalResponse, error) {
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = time.Now().Add(30 * time.Second)
	}
	c.ws.SetReadDeadline(deadline)
	_, b, err := c.ws.ReadMessage()
	if err != nil {
		return nil, err
	}
	var res livekit.SignalResponse
	if err := proto.Unmarshal(b, &res); err != nil {
		return nil, err
	}
	return &res, nil
}

func (c *Client) trickle(cand *webrtc.ICECandidate, target livekit.SignalTarget) {
	if cand == nil {
		return
	}
	b, _ := json.Marshal(cand.ToJSON())
	c.send(&livekit.SignalRequest{Message: &livekit.SignalRequest_Trickle{Trickle: &livekit.TrickleRequest{CandidateInit: string(b), Target: target}}})
}

// offer (re)negotiates the publisher connection.
func (c *Client) offer() error {
	o, err := c.pub.CreateOffer(nil)
	if err != nil {
		return err
	}
	if err := c.pub.SetLocalDescription(o); err != nil {
		return err
	}
	return c.send(&livekit.SignalRequest{Message: &livekit.SignalRequest_Offer{Offer: &livekit.SessionDescription{Type: "offer", Sdp: o.SDP}}})
}

func (c *Client) readLoop() {
	defer c.closeLeft()
	for {
		res, err := c.read(context.Background())
		if err != nil {
			return
		}
		switch m := res.Message.(type) {
		case *livekit.SignalResponse_Answer:
			if c.pub.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: m.Answer.Sdp}) == nil {
				c.flushCandidates(c.pub, &c.pendingPub)
			}
		case *livekit.SignalResponse_Offer:
			if err := c.sub.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeOffer, SDP: m.Offer.Sdp}); err != nil {
				continue
			}
			c.flushCandidates(c.sub, &c.pendingSub)
			a, err := c.sub.CreateAnswer(nil)
			if err != nil || c.sub.SetLocalDescription(a) != nil {
				continue
			}
			c.send(&livekit.SignalRequest{Message: &livekit.SignalRequest_Answer{Answer: &livekit.SessionDescription{Type: "answer", Sdp: a.SDP, Id: m.Offer.Id}}})
		case *livekit.SignalResponse_Trickle:
			var init webrtc.ICECandidateInit
			if json.Unmarshal([]byte(m.Trickle.CandidateInit), &init) != nil {
				continue
			}
			pc, pending := c.pub, &c.pendingPub
			if m.Trickle.Target == livekit.SignalTarget_SUBSCRIBER {
				pc, pending = c.sub, &c.pendingSub
			}
			c.mu.Lock()
			if pc.RemoteDescription() == nil {
				*pending = append(*pending, init)
			} else {
				pc.AddICECandidate(init)
			}
			c.mu.Unlock()
		case *livekit.SignalResponse_Update:
			for _, p := range m.Update.Participants {
				select {
				case c.Updates <- p:
				default:
				}
			}
		case *livekit.SignalResponse_TrackPublished:
			select {
			case c.published <- m.TrackPublished.Track:
			default:
			}
		case *livekit.SignalResponse_Leave:
			return
		}
	}
}

func (c *Client) flushCandidates(pc *webrtc.PeerConnection, pending *[]webrtc.ICECandidateInit) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, init := range *pending {
		pc.AddICECandidate(init)
	}
	*pending = nil
}

func (c *Client) receive(data []byte, reliable bool) {
	var pkt livekit.DataPacket
	if proto.Unmarshal(data, &pkt) != nil {
		return
	}
	u := pkt.GetUser()
	if u == nil {
		return
	}
	select {
	case c.Packets <- Packet{From: u.ParticipantIdentity, FromSid: u.ParticipantSid, Payload: u.Payload, Topic: u.GetTopic(), Reliable: reliable}:
	default:
	}
}

// Publish sends a user packet to the room (or to the given identities).
func (c *Client) Publish(payload []byte, reliable bool, to ...string) error {
	kind, dc := livekit.DataPacket_LOSSY, c.lossy
	if reliable {
		kind, dc = livekit.DataPacket_RELIABLE, c.reliable
	}
	b, err := proto.Marshal(&livekit.DataPacket{Kind: kind, DestinationIdentities: to, Value: &livekit.DataPacket_User{User: &livekit.UserPacket{
		Payload: payload,
		// A client may claim to be anyone; the server must overwrite it.
		ParticipantIdentity: "0xforged",
	}}})
	if err != nil {
		return err
	}
	return dc.Send(b)
}

// PublishAudio publishes an Opus microphone track and returns it once the
// server acknowledged it and the publisher connection carries it.
func (c *Client) PublishAudio(ctx context.Context) (*webrtc.TrackLocalStaticRTP, *livekit.TrackInfo, error) {
	cid := "mic-" + c.Identity()
	track, err := webrtc.NewTrackLocalStaticRTP(Opus, cid, "stream-"+cid)
	if err != nil {
		return nil, nil, err
	}
	if err := c.send(&livekit.SignalRequest{Message: &livekit.SignalRequest_AddTrack{AddTrack: &livekit.AddTrackRequest{
		Cid: cid, Name: "microphone", Type: livekit.TrackType_AUDIO, Source: livekit.TrackSource_MICROPHONE,
	}}}); err != nil {
		return nil, nil, err
	}
	var info *livekit.TrackInfo
	select {
	case info = <-c.published:
	case <-ctx.Done():
		return nil, nil, fmt.Errorf("rtctest: track not acknowledged: %w", ctx.Err())
	}
	if _, err := c.pub.AddTrack(track); err != nil {
		return nil, nil, err
	}
	return track, info, c.offer()
}

// Close leaves the room and closes both connections.
func (c *Client) Close() {
	c.closeOnce.Do(func() {
		c.send(&livekit.SignalRequest{Message: &livekit.SignalRequest_Leave{Leave: &livekit.LeaveRequest{Reason: livekit.DisconnectReason_CLIENT_INITIATED}}})
		c.ws.Close()
		if c.pub != nil {
			c.pub.Close()
		}
		if c.sub != nil {
			c.sub.Close()
		}
	})
}

func (c *Client) closeLeft() {
	select {
	case <-c.Left:
	default:
		close(c.Left)
	}
}
