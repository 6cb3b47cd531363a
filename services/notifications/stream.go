package notifications

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/p2pcatalyst/catalyst/services/httpx"
)

// Bounds of the live stream.
const (
	maxStreams        = 256
	maxStreamsPerUser = 4
	streamQueue       = 64
)

type streamSet struct {
	mu    sync.Mutex
	chans map[chan Notification]struct{}
}

// streams are the service's live streams.
type streams struct {
	mu        sync.Mutex // adding and removing users' sets
	open      atomic.Int64
	closing   chan struct{}
	closeOnce sync.Once
}

// Close ends the live streams (an HTTP server shutting down waits for
// the requests in flight).
func (s *Service) Close() { s.live.closeOnce.Do(func() { close(s.live.closing) }) }

// push hands a new notification to the streams of its address (all, for
// a broadcast); a stream that is behind loses it (the inbox keeps it).
func (s *Service) push(n Notification) {
	s.streams.Range(func(k, v any) bool {
		if n.Address != "" && k.(string) != n.Address {
			return true
		}
		set := v.(*streamSet)
		set.mu.Lock()
		for ch := range set.chans {
			select {
			case ch <- n:
			default:
			}
		}
		set.mu.Unlock()
		return true
	})
}

// stream is GET /notifications/stream (signed fetch): the signer's new
// notifications as Server-Sent Events, as they are made.
func (s *Service) stream(w http.ResponseWriter, r *http.Request) {
	address, ok := s.signed(w, r)
	if !ok {
		return
	}
	if s.live.open.Add(1) > maxStreams { // the slot, taken before it is checked
		s.live.open.Add(-1)
		w.Header().Set("Retry-After", "30")
		httpx.Error(w, http.StatusServiceUnavailable, "too many notification streams")
		return
	}
	defer s.live.open.Add(-1)
	ch := make(chan Notification, streamQueue)
	s.live.mu.Lock()
	v, _ := s.streams.LoadOrStore(address, &streamSet{chans: map[chan Notification]struct{}{}})
	set := v.(*streamSet)
	set.mu.Lock()
	full := len(set.chans) >= maxStreamsPerUser
	if !full {
		set.chans[ch] = struct{}{}
	}
	empty := len(set.chans) == 0
	set.mu.Unlock()
	if empty {
		s.streams.Delete(address)
	}
	s.live.mu.Unlock()
	if full {
		w.Header().Set("Retry-After", "30")
		httpx.Error(w, http.StatusServiceUnavailable, "too many notification streams for one user")
		return
	}
	defer func() {
		s.live.mu.Lock()
		set.mu.Lock()
		delete(set.chans, ch)
		if len(set.chans) == 0 {
			s.streams.Delete(address) // no entry for a user without a stream
		}
		set.mu.Unlock()
		s.live.mu.Unlock()
	}()
	rc := http.NewResponseController(w)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, ": notifications of "+address+"\n\n")
	rc.Flush()
	keepAlive := time.NewTicker(30 * time.Second)
	defer keepAlive.Stop()
	for {
		var out string
		select {
		case <-r.Context().Done():
			return
		case <-s.live.closing:
			return
		case <-keepAlive.C:
			out = ": keep-alive\n\n"
		case n := <-ch:
			raw, _ := json.Marshal(n)
			out = "event: notification\ndata: " + string(raw) + "\n\n"
		}
		rc.SetWriteDeadline(time.Now().Add(10 * time.Second))
		if _, err := fmt.Fprint(w, out); err != nil || rc.Flush() != nil {
			return
		}
	}
}
