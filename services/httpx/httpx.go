// Package httpx holds the small HTTP conventions every service of the node
// shares: JSON answers, the content server's error shapes, CORS and
// panic-safe handlers. It holds no service logic.
package httpx

import (
	"crypto/subtle"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/p2pcatalyst/catalyst/store/guard"
)

// JSON writes v with the given status.
func JSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// Error writes {"error": msg}.
func Error(w http.ResponseWriter, status int, msg string) {
	JSON(w, status, map[string]string{"error": msg})
}

// Internal logs err and writes the content server's opaque 500.
func Internal(w http.ResponseWriter, log *slog.Logger, r *http.Request, err error) {
	log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	Error(w, http.StatusInternalServerError, "Internal Server Error")
}

// CORS reflects the request's origin, as the content server does, and
// answers preflight requests.
func CORS(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		if origin := r.Header.Get("Origin"); origin != "" {
			h.Set("Access-Control-Allow-Origin", origin)
			h.Add("Vary", "Origin")
			h.Set("Access-Control-Allow-Credentials", "true")
		} else {
			h.Set("Access-Control-Allow-Origin", "*")
		}
		h.Set("Access-Control-Expose-Headers", "ETag, Content-Length, Content-Range, Retry-After")
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			h.Set("Access-Control-Allow-Methods", "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS")
			if req := r.Header.Get("Access-Control-Request-Headers"); req != "" {
				h.Set("Access-Control-Allow-Headers", req)
			} else {
				h.Set("Access-Control-Allow-Headers", "*")
			}
			h.Set("Access-Control-Max-Age", "86400")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// Recover turns a handler panic into a logged and counted 500 instead of
// a dropped connection.
func Recover(g *guard.Guard, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				g.Report("http request", v, "method", r.Method, "path", r.URL.Path, "remote", r.RemoteAddr)
				Error(w, http.StatusInternalServerError, "Internal Server Error")
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// Deadlines bounds the time a request may take to arrive and its answer
// to leave: read (its body; a handler that reads a large body moves the
// deadline itself, as uploads do) and write. WebSocket upgrades are left
// alone: their handlers set deadlines on every read and write.
//
// A request without a body gets no read deadline: the server is already
// reading ahead on its connection (to notice a client that goes), and a
// deadline there would cancel the request's context.
func Deadlines(read, write time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
			rc := http.NewResponseController(w)
			now := time.Now()
			if r.ContentLength != 0 { // -1: chunked
				rc.SetReadDeadline(now.Add(read))
			}
			rc.SetWriteDeadline(now.Add(write))
		}
		next.ServeHTTP(w, r)
	})
}

// MergeSlashes serves a path with doubled slashes as the path without
// them, as nginx does in front of a real catalyst: explorers join
// "publicUrl/" and "/path" (…/lambdas//users/…), and ServeMux would
// answer them with a redirect instead.
func MergeSlashes(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "//") {
			r2 := *r
			u := *r.URL
			u.Path, u.RawPath = merge(u.Path), merge(u.RawPath)
			r2.URL = &u
			r = &r2
		}
		next.ServeHTTP(w, r)
	})
}

func merge(p string) string {
	for strings.Contains(p, "//") {
		p = strings.ReplaceAll(p, "//", "/")
	}
	return p
}

// Bearer guards an admin route with a bearer token (@dcl/http-commons'
// bearerTokenMiddleware): token gives the expected one; while it is ""
// (or token is nil) every request is refused.
func Bearer(token func() string, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !BearerValid(token, r) {
			Error(w, http.StatusUnauthorized, "Unauthorized")
			return
		}
		next(w, r)
	}
}

// BearerValid reports whether r carries the bearer token (compared in
// constant time; never when the token is "" or nil).
func BearerValid(token func() string, r *http.Request) bool {
	want := ""
	if token != nil {
		want = token()
	}
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return want != "" && ok && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// NotFound answers unknown routes with a JSON 404.
func NotFound(w http.ResponseWriter, r *http.Request) {
	Error(w, http.StatusNotFound, "Not Found: "+r.Method+" "+r.URL.Path)
}

// Unrouted is the handler of a mux's "/" pattern: a path that a route
// serves with other methods gets 405 with Allow (ServeMux would, were
// there no catch-all), anything else a JSON 404.
func Unrouted(mux *http.ServeMux) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var allow []string
		for _, m := range []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
			other := *r
			other.Method = m
			if _, pattern := mux.Handler(&other); pattern != "" && pattern != "/" {
				allow = append(allow, m)
			}
		}
		if len(allow) == 0 || r.Method == http.MethodOptions {
			NotFound(w, r)
			return
		}
		w.Header().Set("Allow", strings.Join(allow, ", "))
		Error(w, http.StatusMethodNotAllowed, "Method Not Allowed: "+r.Method+" "+r.URL.Path+" (allowed: "+strings.Join(allow, ", ")+")")
	}
}

// Values returns a query parameter's values, accepting `a=1&a=2`,
// `a[]=1` and `a[0]=1` forms and dropping empty values.
func Values(r *http.Request, name string) []string {
	var out []string
	for k, vs := range r.URL.Query() {
		if k == name || k == name+"[]" || (strings.HasPrefix(k, name+"[") && strings.HasSuffix(k, "]")) {
			for _, v := range vs {
				if v != "" {
					out = append(out, v)
				}
			}
		}
	}
	return out
}

// BaseURL is the node's public base URL: the configured one, else the
// one the request reached it at (honouring X-Forwarded-Proto/Host).
func BaseURL(r *http.Request, configured string) string {
	if configured != "" {
		return strings.TrimSuffix(configured, "/")
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if p := r.Header.Get("X-Forwarded-Proto"); p == "https" || p == "http" {
		scheme = p
	}
	host := r.Host
	if h := r.Header.Get("X-Forwarded-Host"); h != "" {
		host = h
	}
	return scheme + "://" + host
}
