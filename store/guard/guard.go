// Package guard keeps the node alive and accountable where untrusted input
// arrives. A Guard belongs to one component (replicate, rtc, archipelago,
// http, …): it recovers a panic in a goroutine that handles a peer's or a
// client's bytes, logs it with who sent them, and counts it; and it counts
// every time one of the component's limits bites, so an operator sees an
// attack (or a limit set too low) in /metrics.
//
// It is a leaf: no imports of this project, no I/O beyond the logger it is
// given. It never decides what a limit is; components own their limits.
package guard

import (
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

// Guard recovers panics and counts limit hits for one component.
type Guard struct {
	component string
	log       *slog.Logger
	panics    prometheus.Counter
	limits    *prometheus.CounterVec
}

// New makes the guard of component. Its metrics carry a component label,
// so every component registers its own on the same registry (reg nil: not
// registered).
func New(component string, log *slog.Logger, reg prometheus.Registerer) *Guard {
	if log == nil {
		log = slog.Default()
	}
	labels := prometheus.Labels{"component": component}
	g := &Guard{
		component: component,
		log:       log.With("component", component),
		panics: prometheus.NewCounter(prometheus.CounterOpts{
			Name:        "catalyst_panics_recovered_total",
			Help:        "Panics recovered in goroutines handling peer or client input, by component.",
			ConstLabels: labels,
		}),
		limits: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name:        "catalyst_limit_hits_total",
			Help:        "Inputs refused, dropped or cut short because a limit was reached, by component and limit (README: Limits).",
			ConstLabels: labels,
		}, []string{"limit"}),
	}
	if reg != nil {
		reg.MustRegister(g.panics, g.limits)
	}
	return g
}

// Recover must be deferred directly: `defer g.Recover("stream", "peer", p)`.
// A panic is logged with what was being handled and attrs (who sent the
// input), counted, and swallowed, so the goroutine ends and the process
// lives on. http.ErrAbortHandler is passed on: net/http uses it to abort a
// response on purpose.
func (g *Guard) Recover(what string, attrs ...any) {
	v := recover()
	if v == nil {
		return
	}
	if v == http.ErrAbortHandler {
		panic(v)
	}
	g.Report(what, v, attrs...)
}

// Report logs and counts a panic that a caller recovered itself.
func (g *Guard) Report(what string, v any, attrs ...any) {
	g.panics.Inc()
	g.log.Error("recovered a panic", append([]any{"handling", what, "panic", fmt.Sprint(v), "stack", string(debug.Stack())}, attrs...)...)
}

// Go runs fn in a goroutine that recovers a panic (see Recover).
func (g *Guard) Go(what string, fn func(), attrs ...any) {
	go func() {
		defer g.Recover(what, attrs...)
		fn()
	}()
}

// Hit counts one input refused, dropped or cut short by the named limit.
func (g *Guard) Hit(limit string) { g.limits.WithLabelValues(limit).Inc() }

// Hits reads the count of a limit (tests and the dashboard).
func (g *Guard) Hits(limit string) float64 { return counterValue(g.limits.WithLabelValues(limit)) }

// Panics reads the count of recovered panics.
func (g *Guard) Panics() float64 { return counterValue(g.panics) }

func counterValue(c prometheus.Counter) float64 {
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		return 0
	}
	return m.GetCounter().GetValue()
}
