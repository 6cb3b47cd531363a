// Package bus is the node's in-process event stream: every part publishes
// platform events (the @dcl/schemas shape: type, subType, key, timestamp,
// metadata) and the feature services subscribe. Publishing never blocks:
// a subscriber that falls behind loses events and the loss is counted.
package bus

import (
	"sync"

	"github.com/prometheus/client_golang/prometheus"
)

// Event is a platform event as @dcl/schemas defines it.
type Event struct {
	Type      string         `json:"type"`
	SubType   string         `json:"subType"`
	Key       string         `json:"key"`
	Timestamp int64          `json:"timestamp"` // ms
	Metadata  map[string]any `json:"metadata"`
}

// Bus fans events out to subscribers.
type Bus struct {
	mu   sync.RWMutex
	subs map[*sub]struct{}

	published *prometheus.CounterVec
	dropped   prometheus.Counter
}

type sub struct {
	ch    chan Event
	match func(Event) bool
}

// New makes a bus; reg registers its metrics (nil: not registered).
func New(reg prometheus.Registerer) *Bus {
	b := &Bus{
		subs:      map[*sub]struct{}{},
		published: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "catalyst_events_published_total", Help: "Platform events published, by type and subtype."}, []string{"type", "subtype"}),
		dropped:   prometheus.NewCounter(prometheus.CounterOpts{Name: "catalyst_events_dropped_total", Help: "Events a slow subscriber did not receive."}),
	}
	if reg != nil {
		reg.MustRegister(b.published, b.dropped)
	}
	return b
}

// Publish delivers e to every interested subscriber without waiting.
func (b *Bus) Publish(e Event) {
	b.published.WithLabelValues(e.Type, e.SubType).Inc()
	b.mu.RLock()
	defer b.mu.RUnlock()
	for s := range b.subs {
		if s.match != nil && !s.match(e) {
			continue
		}
		select {
		case s.ch <- e:
		default:
			b.dropped.Inc()
		}
	}
}

// Subscribe returns a channel of the events match accepts (nil: all),
// holding up to buffer of them, and the function that ends the
// subscription and closes the channel.
func (b *Bus) Subscribe(buffer int, match func(Event) bool) (<-chan Event, func()) {
	s := &sub{ch: make(chan Event, buffer), match: match}
	b.mu.Lock()
	b.subs[s] = struct{}{}
	b.mu.Unlock()
	var once sync.Once
	return s.ch, func() {
		once.Do(func() {
			b.mu.Lock()
			delete(b.subs, s)
			b.mu.Unlock()
			close(s.ch)
		})
	}
}
