package social

import "github.com/prometheus/client_golang/prometheus"

type metrics struct {
	connections prometheus.Gauge
	auth        *prometheus.CounterVec
	calls       *prometheus.HistogramVec
	updates     *prometheus.CounterVec
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		connections: prometheus.NewGauge(prometheus.GaugeOpts{Name: "catalyst_social_connections",
			Help: "Open sockets of the social RPC (/social/ws), authenticated or not."}),
		auth: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "catalyst_social_auth_total",
			Help: "First frames of the social RPC by result (ok, failed, timeout, refused)."}, []string{"result"}),
		calls: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "catalyst_social_rpc_seconds",
			Help:    "Social RPC unary calls by procedure and result.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, 1, 5}}, []string{"procedure", "result"}),
		updates: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "catalyst_social_updates_total",
			Help: "Subscription updates by kind and result (sent, dropped: the subscriber's queue was full)."}, []string{"kind", "result"}),
	}
	if reg != nil {
		reg.MustRegister(m.connections, m.auth, m.calls, m.updates)
	}
	return m
}
