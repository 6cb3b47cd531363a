package social

import "sync"

// kind is a subscription stream of the RPC.
type kind int

const (
	kindFriendship kind = iota
	kindConnectivity
	kindBlock
	kindCount
)

var kindNames = [kindCount]string{"friendship", "connectivity", "block"}

// subQueue is how many updates wait for a slow subscriber; past it new
// ones are dropped (and counted).
const subQueue = 256

// sub is one open subscription stream.
type sub struct {
	address string
	kind    kind
	ch      chan []byte
}

// hub routes updates to the subscriptions of an address (the original's
// subscribers context, with Redis pub/sub replaced by this process).
type hub struct {
	mu   sync.RWMutex
	subs [kindCount]map[string]map[*sub]struct{}
}

func newHub() *hub {
	h := &hub{}
	for i := range h.subs {
		h.subs[i] = map[string]map[*sub]struct{}{}
	}
	return h
}

// add opens a subscription with room for initial updates first.
func (h *hub) add(address string, k kind, initial [][]byte) *sub {
	s := &sub{address: address, kind: k, ch: make(chan []byte, subQueue+len(initial))}
	for _, b := range initial {
		s.ch <- b
	}
	h.mu.Lock()
	m := h.subs[k][address]
	if m == nil {
		m = map[*sub]struct{}{}
		h.subs[k][address] = m
	}
	m[s] = struct{}{}
	h.mu.Unlock()
	return s
}

func (h *hub) remove(s *sub) {
	h.mu.Lock()
	if m := h.subs[s.kind][s.address]; m != nil {
		delete(m, s)
		if len(m) == 0 {
			delete(h.subs[s.kind], s.address)
		}
	}
	h.mu.Unlock()
}

// subscribed reports whether address has a subscription of kind k.
func (h *hub) subscribed(address string, k kind) bool {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return len(h.subs[k][address]) > 0
}

// send queues b to every subscription of kind k of address without
// waiting: sent and dropped count what happened.
func (h *hub) send(address string, k kind, b []byte) (sent, dropped int) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	for s := range h.subs[k][address] {
		select {
		case s.ch <- b:
			sent++
		default:
			dropped++
		}
	}
	return sent, dropped
}
