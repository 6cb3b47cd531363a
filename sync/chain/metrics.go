package chain

import "github.com/prometheus/client_golang/prometheus"

type metrics struct {
	rounds                 *prometheus.CounterVec
	requests               *prometheus.CounterVec
	failures               *prometheus.CounterVec
	duration               *prometheus.HistogramVec
	cacheHits, cacheMisses *prometheus.CounterVec
	head                   *prometheus.GaugeVec
	indexed                *prometheus.GaugeVec
	logs                   *prometheus.CounterVec
	reorgs                 *prometheus.CounterVec
	checks                 *prometheus.CounterVec
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		rounds: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "catalyst_chain_rpc_round_trips_total",
			Help: "Round trips to a chain RPC (a batch is one)."}, []string{"chain"}),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "catalyst_chain_rpc_requests_total",
			Help: "JSON-RPC requests by method."}, []string{"chain", "method"}),
		failures: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "catalyst_chain_rpc_failures_total",
			Help: "Failed round trips (each attempt) by method."}, []string{"chain", "method"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "catalyst_chain_rpc_seconds",
			Help: "Time of one round trip by method.", Buckets: prometheus.ExponentialBuckets(0.002, 3, 9)}, []string{"chain", "method"}),
		cacheHits: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "catalyst_chain_call_cache_hits_total",
			Help: "eth_calls answered by the cache."}, []string{"chain"}),
		cacheMisses: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "catalyst_chain_call_cache_misses_total",
			Help: "eth_calls sent to the RPC."}, []string{"chain"}),
		head: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "catalyst_chain_head_block",
			Help: "The latest block seen."}, []string{"chain"}),
		indexed: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "catalyst_chain_indexed_block",
			Help: "The last block the indexer has read."}, []string{"chain"}),
		logs: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "catalyst_chain_indexed_logs_total",
			Help: "Logs the indexer applied, by event."}, []string{"chain", "event"}),
		reorgs: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "catalyst_chain_reorgs_total",
			Help: "Reorganisations that reached indexed blocks (undone)."}, []string{"chain"}),
		checks: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "catalyst_chain_access_checks_total",
			Help: "Access checks of deployments by type and outcome."}, []string{"type", "outcome"}),
	}
	if reg != nil {
		reg.MustRegister(m.rounds, m.requests, m.failures, m.duration, m.cacheHits, m.cacheMisses, m.head, m.indexed, m.logs, m.reorgs, m.checks)
	}
	return m
}
