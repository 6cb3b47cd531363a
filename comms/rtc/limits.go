package rtc

import (
	"time"

	"golang.org/x/time/rate"
)

// Limits bound what one participant may send and hold. A room's members
// share one relay, so every bound is on the sender: a member who floods
// loses its own packets and then its session, and the others carry on.
type Limits struct {
	// PacketsPerSecond and PacketBurst bound the data packets a member
	// sends (a position is ~10 a second while moving).
	PacketsPerSecond float64
	PacketBurst      int
	// BytesPerSecond and ByteBurst bound their bytes.
	BytesPerSecond float64
	ByteBurst      int
	// Packets over those rates are dropped; DropsPerSecond and DropBurst
	// bound the drops tolerated before the sender is disconnected.
	DropsPerSecond float64
	DropBurst      int
	// SignalsPerSecond and SignalBurst bound signaling requests (offers,
	// candidates, pings); past them the session ends.
	SignalsPerSecond float64
	SignalBurst      int
	// Tracks bounds the tracks a member publishes.
	Tracks int
	// RoomsPerIdentity bounds the rooms one identity is in at once (an
	// explorer is in its island's room and its scene's); joining the
	// same room again replaces the older session.
	RoomsPerIdentity int
}

// DefaultLimits leave room for the busiest scenes explorers run.
var DefaultLimits = Limits{
	PacketsPerSecond: 200, PacketBurst: 400,
	BytesPerSecond: 512 << 10, ByteBurst: 1 << 20,
	DropsPerSecond: 50, DropBurst: 1000,
	SignalsPerSecond: 20, SignalBurst: 200,
	Tracks: 2, RoomsPerIdentity: 4,
}

// orDefault is DefaultLimits for the zero Limits (to change one field,
// start from DefaultLimits).
func (l Limits) orDefault() Limits {
	if l == (Limits{}) {
		return DefaultLimits
	}
	return l
}

// sendLimit is a member's token buckets.
type sendLimit struct {
	packets, bytes, drops *rate.Limiter
}

func newSendLimit(l Limits) *sendLimit {
	return &sendLimit{
		packets: rate.NewLimiter(rate.Limit(l.PacketsPerSecond), l.PacketBurst),
		bytes:   rate.NewLimiter(rate.Limit(l.BytesPerSecond), l.ByteBurst),
		drops:   rate.NewLimiter(rate.Limit(l.DropsPerSecond), l.DropBurst),
	}
}

// verdict of a packet.
type verdict int

const (
	relayIt verdict = iota
	dropIt
	disconnectSender
)

// admit takes a packet of n bytes from the buckets.
func (s *sendLimit) admit(n int) verdict {
	if s.packets.Allow() && s.bytes.AllowN(time.Now(), n) {
		return relayIt
	}
	if s.drops.Allow() {
		return dropIt
	}
	return disconnectSender
}
