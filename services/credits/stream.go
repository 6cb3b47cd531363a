package credits

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/p2pcatalyst/catalyst/services/httpx"
)

// streamWriteTimeout bounds one write to a stream.
const streamWriteTimeout = 10 * time.Second

// takeStream takes a stream's slot for an address ("" for none); false
// (after a 503) when the streams are full.
func (s *Service) takeStream(w http.ResponseWriter, addr string) (release func(), ok bool) {
	if s.streamsOpen.Add(1) > int64(s.cfg.MaxStreams) {
		s.streamsOpen.Add(-1)
		w.Header().Set("Retry-After", "30")
		httpx.Error(w, http.StatusServiceUnavailable, "too many credit streams")
		return nil, false
	}
	s.perUserMu.Lock()
	if addr != "" && s.perUser[addr] >= MaxStreamsPerUser {
		s.perUserMu.Unlock()
		s.streamsOpen.Add(-1)
		w.Header().Set("Retry-After", "30")
		httpx.Error(w, http.StatusServiceUnavailable, "too many credit streams for one user")
		return nil, false
	}
	if addr != "" {
		s.perUser[addr]++
	}
	s.perUserMu.Unlock()
	s.streams.Inc()
	return func() {
		s.perUserMu.Lock()
		if addr != "" {
			if s.perUser[addr]--; s.perUser[addr] <= 0 {
				delete(s.perUser, addr)
			}
		}
		s.perUserMu.Unlock()
		s.streamsOpen.Add(-1)
		s.streams.Dec()
	}, true
}

// stream is GET /users/:address/credits/stream: the user's credits as
// Server-Sent Events — the empty state, then keep-alive comments until
// the client goes, the node stops or StreamLifetime passes.
func (s *Service) stream(w http.ResponseWriter, r *http.Request) {
	addr, ok := address(w, r)
	if !ok {
		return
	}
	release, ok := s.takeStream(w, addr)
	if !ok {
		return
	}
	defer release()
	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	raw, _ := json.Marshal(emptyCredits)
	write := func(out string) bool {
		rc.SetWriteDeadline(time.Now().Add(streamWriteTimeout))
		_, err := fmt.Fprint(w, out)
		return err == nil && rc.Flush() == nil
	}
	if !write("data: " + string(raw) + "\n\n") {
		return
	}
	end := time.NewTimer(s.cfg.StreamLifetime)
	defer end.Stop()
	keepAlive := time.NewTicker(s.cfg.KeepAlive)
	defer keepAlive.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-s.closing:
			return
		case <-end.C:
			return
		case <-keepAlive.C:
			if !write(": keep-alive\n\n") {
				return
			}
		}
	}
}
