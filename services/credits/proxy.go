package credits

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/p2pcatalyst/catalyst/services/httpx"
)

// Bounds of a forwarded request.
const (
	maxProxyBody     = 64 << 10
	maxProxyResponse = 1 << 20
)

// forwarded are the request headers passed to the upstream: the signed
// fetch's and the content's (never the node's own Authorization).
func forwarded(name string) bool {
	n := strings.ToLower(name)
	return strings.HasPrefix(n, "x-identity-") || n == "content-type" || n == "accept" || n == "last-event-id"
}

// proxy forwards a request below /credits to the upstream credits server.
func (s *Service) proxy(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodDelete:
	default:
		httpx.Error(w, http.StatusMethodNotAllowed, "Method Not Allowed")
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxProxyBody))
	if err != nil {
		httpx.Error(w, http.StatusRequestEntityTooLarge, "the body must be at most 65536 bytes")
		return
	}
	path := strings.TrimPrefix(r.URL.EscapedPath(), Prefix)
	if path == "" || !strings.HasPrefix(path, "/") || strings.Contains(r.URL.Path+"/", "/../") || strings.Contains(r.URL.Path+"/", "/./") {
		httpx.NotFound(w, r)
		return
	}
	streaming := r.Method == http.MethodGet && strings.HasSuffix(path, "/credits/stream")
	if streaming {
		release, ok := s.takeStream(w, "")
		if !ok {
			return
		}
		defer release()
	}
	limit := s.cfg.UpstreamTimeout
	if streaming {
		limit = s.cfg.StreamLifetime
	}
	ctx, cancel := context.WithTimeout(r.Context(), limit)
	defer cancel()
	if streaming {
		go func() {
			select {
			case <-s.closing:
				cancel()
			case <-ctx.Done():
			}
		}()
	}
	target := s.upstream.String() + path
	if r.URL.RawQuery != "" {
		target += "?" + r.URL.RawQuery
	}
	req, err := http.NewRequestWithContext(ctx, r.Method, target, bytes.NewReader(body))
	if err != nil {
		httpx.NotFound(w, r)
		return
	}
	for name, vs := range r.Header {
		if forwarded(name) {
			req.Header[name] = vs
		}
	}
	res, err := s.client.Do(req)
	if err != nil {
		s.proxied.WithLabelValues("error").Inc()
		s.log.Warn("the upstream credits server did not answer", "path", path, "err", err)
		httpx.Error(w, http.StatusBadGateway, "the credits server did not answer")
		return
	}
	defer res.Body.Close()
	s.proxied.WithLabelValues(class(res.StatusCode)).Inc()
	for _, name := range []string{"Content-Type", "Cache-Control", "Retry-After"} {
		if v := res.Header.Get(name); v != "" {
			w.Header().Set(name, v)
		}
	}
	if streaming && strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		s.copyStream(w, res)
		return
	}
	out, err := io.ReadAll(io.LimitReader(res.Body, maxProxyResponse+1))
	if err != nil || len(out) > maxProxyResponse {
		w.Header().Del("Content-Type")
		httpx.Error(w, http.StatusBadGateway, "the credits server's answer was cut or too large")
		return
	}
	w.WriteHeader(res.StatusCode)
	w.Write(out)
}

// copyStream relays an upstream event stream, flushing as it goes.
func (s *Service) copyStream(w http.ResponseWriter, res *http.Response) {
	rc := http.NewResponseController(w)
	w.WriteHeader(res.StatusCode)
	buf := make([]byte, 4<<10)
	for {
		n, err := res.Body.Read(buf)
		if n > 0 {
			rc.SetWriteDeadline(time.Now().Add(streamWriteTimeout))
			if _, werr := w.Write(buf[:n]); werr != nil || rc.Flush() != nil {
				return
			}
		}
		if err != nil {
			if !errors.Is(err, io.EOF) && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
				s.log.Debug("an upstream credit stream ended", "err", err)
			}
			return
		}
	}
}

func class(code int) string {
	switch {
	case code < 300:
		return "2xx"
	case code < 500:
		return "4xx"
	}
	return "5xx"
}
