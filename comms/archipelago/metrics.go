package archipelago

import "github.com/prometheus/client_golang/prometheus"

type metrics struct {
	connections       prometheus.Gauge
	handshakes        *prometheus.CounterVec
	heartbeats        prometheus.Counter
	heartbeatsDropped prometheus.Counter
	peers             prometheus.Gauge
	islands           prometheus.Gauge
	flush             prometheus.Histogram
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		connections:       prometheus.NewGauge(prometheus.GaugeOpts{Name: "catalyst_comms_connections", Help: "Open archipelago WebSockets."}),
		handshakes:        prometheus.NewCounterVec(prometheus.CounterOpts{Name: "catalyst_comms_handshakes_total", Help: "Archipelago handshakes by result."}, []string{"result"}),
		heartbeats:        prometheus.NewCounter(prometheus.CounterOpts{Name: "catalyst_comms_heartbeats_total", Help: "Heartbeats received."}),
		heartbeatsDropped: prometheus.NewCounter(prometheus.CounterOpts{Name: "catalyst_comms_heartbeats_dropped_total", Help: "Heartbeats dropped over an explorer's rate."}),
		peers:             prometheus.NewGauge(prometheus.GaugeOpts{Name: "catalyst_comms_peers", Help: "Authenticated explorers connected."}),
		islands:           prometheus.NewGauge(prometheus.GaugeOpts{Name: "catalyst_comms_islands", Help: "Islands."}),
		flush: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "catalyst_comms_flush_seconds", Help: "Time to recompute islands and queue the messages.",
			Buckets: prometheus.ExponentialBuckets(0.0001, 2, 16)}),
	}
	if reg != nil {
		reg.MustRegister(m.connections, m.handshakes, m.heartbeats, m.heartbeatsDropped, m.peers, m.islands, m.flush)
	}
	return m
}
