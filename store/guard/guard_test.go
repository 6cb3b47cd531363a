package guard

import (
	"io"
	"log/slog"
	"net/http"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

func TestRecoverCountsAndSwallows(t *testing.T) {
	reg := prometheus.NewRegistry()
	a := New("a", slog.New(slog.NewTextHandler(io.Discard, nil)), reg)
	b := New("b", nil, reg) // a second component on the same registry
	func() {
		defer a.Recover("test", "peer", "p1")
		var m map[string]int
		m["x"] = 1 // a nil map write panics
	}()
	if a.Panics() != 1 || b.Panics() != 0 {
		t.Fatalf("panics: a=%v b=%v", a.Panics(), b.Panics())
	}
	a.Hit("frames")
	a.Hit("frames")
	b.Hit("frames")
	if a.Hits("frames") != 2 || b.Hits("frames") != 1 || a.Hits("other") != 0 {
		t.Fatalf("hits: a=%v b=%v", a.Hits("frames"), b.Hits("frames"))
	}
	if _, err := reg.Gather(); err != nil {
		t.Fatal(err)
	}
}

func TestRecoverPassesAbortHandler(t *testing.T) {
	g := New("c", slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	defer func() {
		if v := recover(); v != http.ErrAbortHandler {
			t.Fatalf("recovered %v, want http.ErrAbortHandler passed on", v)
		}
	}()
	func() {
		defer g.Recover("handler")
		panic(http.ErrAbortHandler)
	}()
}
