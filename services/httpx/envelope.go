package httpx

import (
	"crypto/rand"
	"fmt"
	"net/http"
	"strings"
)

// Envelope answers as the gatsby services (places, events) do:
// {ok: true, data, total} (total left out when negative).
func Envelope(w http.ResponseWriter, data any, total int) {
	body := map[string]any{"ok": true, "data": data}
	if total >= 0 {
		body["total"] = total
	}
	JSON(w, http.StatusOK, body)
}

// EnvelopeError is the gatsby services' error: {ok: false, error}.
func EnvelopeError(w http.ResponseWriter, status int, msg string) {
	JSON(w, status, map[string]any{"ok": false, "error": msg})
}

// UUID is a random (version 4) UUID, as the services' Postgres ids are.
func UUID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// Under registers a service's routes below its mount point: the
// returned func takes "METHOD /path" as the original service wrote it.
func Under(mux *http.ServeMux, prefix string) func(pattern string, h http.HandlerFunc) {
	return func(pattern string, h http.HandlerFunc) {
		method, path, _ := strings.Cut(pattern, " ")
		mux.HandleFunc(method+" "+prefix+path, h)
	}
}
