package rtc

import (
	"slices"
	"sync"
	"time"

	"github.com/livekit/protocol/livekit"
	"google.golang.org/protobuf/proto"

	"github.com/p2pcatalyst/catalyst/store/guard"
)

// Room is one LiveKit room: an island or a scene room. It knows its
// members and relays their data packets; the WebRTC side of a member lives
// in participant.go.
type Room struct {
	name    string
	sid     string
	created time.Time
	metrics *metrics
	guard   *guard.Guard

	mu      sync.RWMutex
	members map[string]*member // by participant sid
}

func newRoom(name string, m *metrics, g *guard.Guard) *Room {
	return &Room{name: name, sid: "RM_" + randomID(12), created: time.Now(), metrics: m, guard: g, members: map[string]*member{}}
}

// infoLocked is the room as JoinResponse carries it, for a caller
// holding r.mu; joining counts a member about to be added.
func (r *Room) infoLocked(joining int) *livekit.Room {
	n := len(r.members) + joining
	return &livekit.Room{
		Sid: r.sid, Name: r.name, EmptyTimeout: 60, DepartureTimeout: 20, MaxParticipants: maxParticipants,
		CreationTime: r.created.Unix(), CreationTimeMs: r.created.UnixMilli(), NumParticipants: uint32(n),
	}
}

// maxParticipants bounds a room; islands hold at most 100 peers, scene
// rooms get a little more room.
const maxParticipants = 200

// member is a room member as the relay sees it: who it is and the queue
// its outgoing data packets go through.
type member struct {
	sid, identity string
	joined        time.Time

	mu      sync.Mutex
	version uint32
	tracks  []*livekit.TrackInfo

	// out carries data packets to the member's writer; a packet that
	// finds it full is dropped for this member (the senders are the ones
	// bounded: see Limits).
	out  chan outPacket
	done chan struct{}
	once sync.Once
	// limit bounds what the member sends; flooded ends a member that
	// keeps sending past it (nil for simulated members).
	limit   *sendLimit
	flooded func()
	// onUpdate delivers signal messages (participant updates) to the
	// member; nil for simulated members.
	onUpdate func(*livekit.SignalResponse)
}

type outPacket struct {
	data     []byte
	reliable bool
	at       time.Time // when the relay received it
}

// outQueue is how many packets may wait for one member's data channel.
const outQueue = 1024

func newMember(identity string, l Limits) *member {
	return &member{
		sid: "PA_" + randomID(12), identity: identity, joined: time.Now(),
		out: make(chan outPacket, outQueue), done: make(chan struct{}), limit: newSendLimit(l.orDefault()),
	}
}

func (m *member) stop() { m.once.Do(func() { close(m.done) }) }

// info is the member as ParticipantInfo, with a version that grows on
// every change so clients can drop stale updates.
func (m *member) info(state livekit.ParticipantInfo_State) *livekit.ParticipantInfo {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.version++
	return &livekit.ParticipantInfo{
		Sid: m.sid, Identity: m.identity, Name: m.identity, State: state, Version: m.version,
		Tracks: slices.Clone(m.tracks), JoinedAt: m.joined.Unix(), JoinedAtMs: m.joined.UnixMilli(),
		Permission: &livekit.ParticipantPermission{CanSubscribe: true, CanPublish: true, CanPublishData: true,
			CanPublishSources: []livekit.TrackSource{livekit.TrackSource_MICROPHONE}},
		Kind: livekit.ParticipantInfo_STANDARD,
	}
}

// deliver queues a packet for the member without blocking the relay.
func (m *member) deliver(p outPacket) bool {
	select {
	case m.out <- p:
		return true
	default:
		return false
	}
}

// add makes m a member and returns the others as they were. joined, if
// not nil, runs before any other member can see m (it queues m's join
// response, which must come before any update about the room).
func (r *Room) add(m *member, joined func(others []*member)) (full bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.members) >= maxParticipants {
		return true
	}
	others := make([]*member, 0, len(r.members))
	for _, o := range r.members {
		others = append(others, o)
	}
	if joined != nil {
		joined(others)
	}
	r.members[m.sid] = m
	return false
}

// remove drops m and reports whether the room is now empty.
func (r *Room) remove(m *member) (empty bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.members, m.sid)
	return len(r.members) == 0
}

// others are the members other than m.
func (r *Room) others(m *member) []*member {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]*member, 0, len(r.members))
	for _, o := range r.members {
		if o != m {
			out = append(out, o)
		}
	}
	return out
}

// byIdentity finds a member by identity.
func (r *Room) byIdentity(identity string) *member {
	r.mu.RLock()
	defer r.mu.RUnlock()
	for _, m := range r.members {
		if m.identity == identity {
			return m
		}
	}
	return nil
}

// broadcast sends a participant update about m to every other member.
func (r *Room) broadcast(m *member, state livekit.ParticipantInfo_State) {
	upd := &livekit.SignalResponse{Message: &livekit.SignalResponse_Update{Update: &livekit.ParticipantUpdate{
		Participants: []*livekit.ParticipantInfo{m.info(state)},
	}}}
	for _, o := range r.others(m) {
		if o.onUpdate != nil {
			o.onUpdate(upd)
		}
	}
}

// relay forwards a data packet a member sent to the room: the sender is
// stamped by the server (clients cannot speak for others), destinations
// are honoured, and the packet is encoded once for every recipient.
func (r *Room) relay(from *member, data []byte, reliable bool) {
	at := time.Now()
	switch from.limit.admit(len(data)) {
	case dropIt:
		r.metrics.dropped.WithLabelValues("rate").Inc()
		r.guard.Hit("data_rate")
		return
	case disconnectSender:
		r.metrics.dropped.WithLabelValues("rate").Inc()
		r.guard.Hit("data_flood")
		if from.flooded != nil {
			from.flooded()
		}
		return
	}
	var pkt livekit.DataPacket
	if err := proto.Unmarshal(data, &pkt); err != nil {
		r.metrics.dropped.WithLabelValues("malformed").Inc()
		return
	}
	switch v := pkt.Value.(type) {
	case nil, *livekit.DataPacket_Speaker, *livekit.DataPacket_Metrics:
		r.metrics.dropped.WithLabelValues("kind").Inc()
		return // nothing for other participants
	case *livekit.DataPacket_User:
		if len(pkt.DestinationIdentities)+len(v.User.DestinationIdentities)+len(v.User.DestinationSids) > maxParticipants {
			r.metrics.dropped.WithLabelValues("malformed").Inc()
			return // more recipients than a room holds
		}
		v.User.ParticipantIdentity = from.identity
		v.User.ParticipantSid = from.sid
		pkt.DestinationIdentities = append(pkt.DestinationIdentities, v.User.DestinationIdentities...)
		if len(v.User.DestinationSids) > 0 {
			r.mu.RLock()
			for _, sid := range v.User.DestinationSids {
				if m := r.members[sid]; m != nil {
					pkt.DestinationIdentities = append(pkt.DestinationIdentities, m.identity)
				}
			}
			r.mu.RUnlock()
		}
		v.User.DestinationIdentities, v.User.DestinationSids = nil, nil
	}
	if len(pkt.DestinationIdentities) > maxParticipants {
		// More recipients than a room holds: not a packet for this room.
		r.metrics.dropped.WithLabelValues("malformed").Inc()
		return
	}
	var targets map[string]bool
	if len(pkt.DestinationIdentities) > 0 {
		targets = make(map[string]bool, len(pkt.DestinationIdentities))
		for _, id := range pkt.DestinationIdentities {
			targets[id] = true
		}
	}
	pkt.ParticipantIdentity = from.identity
	pkt.ParticipantSid = from.sid
	pkt.DestinationIdentities = nil
	if reliable {
		pkt.Kind = livekit.DataPacket_RELIABLE
	} else {
		pkt.Kind = livekit.DataPacket_LOSSY
	}
	out, err := proto.Marshal(&pkt)
	if err != nil {
		return
	}
	p := outPacket{data: out, reliable: reliable, at: at}
	sent := 0
	r.mu.RLock()
	for _, m := range r.members {
		if m == from || (targets != nil && !targets[m.identity]) {
			continue
		}
		if m.deliver(p) {
			sent++
		} else {
			r.metrics.dropped.WithLabelValues("queue").Inc()
		}
	}
	r.mu.RUnlock()
	r.metrics.received.Add(float64(len(data)))
	r.metrics.relayed.Add(float64(sent))
	r.metrics.relayedBytes.Add(float64(sent * len(out)))
}

// drain runs a member's writer: it hands queued packets to send until
// the member stops, and observes the relay latency of each.
func (m *member) drain(mt *metrics, send func(outPacket) error) {
	for {
		select {
		case p := <-m.out:
			if err := send(p); err != nil {
				mt.dropped.WithLabelValues("send").Inc()
				continue
			}
			mt.latency.Observe(time.Since(p.at).Seconds())
		case <-m.done:
			return
		}
	}
}
