package replicate

import (
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

type metrics struct {
	gossip          *prometheus.CounterVec
	published       prometheus.Counter
	applied         prometheus.Counter
	failed          prometheus.Counter
	pending         prometheus.Gauge
	reconciles      *prometheus.CounterVec
	reconcileRounds prometheus.Histogram
	reconcileBytes  prometheus.Counter
	bytesSent       prometheus.Counter
	bytesReceived   prometheus.Counter
	lag             prometheus.Histogram
	applyTime       prometheus.Histogram
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		gossip: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "catalyst_gossip_messages_total",
			Help: "Announcements received on gossip, by validation result (accept, reject, ignore)."}, []string{"result"}),
		published: prometheus.NewCounter(prometheus.CounterOpts{Name: "catalyst_gossip_published_total", Help: "Announcements of local deployments published."}),
		applied:   prometheus.NewCounter(prometheus.CounterOpts{Name: "catalyst_sync_applied_total", Help: "Deployments received from peers and applied."}),
		failed:    prometheus.NewCounter(prometheus.CounterOpts{Name: "catalyst_sync_failed_total", Help: "Deployments from peers recorded as failed."}),
		pending:   prometheus.NewGauge(prometheus.GaugeOpts{Name: "catalyst_sync_pending", Help: "Deployments from peers queued or in progress."}),
		reconciles: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "catalyst_reconciliations_total",
			Help: "Anti-entropy reconciliations this node opened, by result."}, []string{"result"}),
		reconcileRounds: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "catalyst_reconciliation_rounds",
			Help: "Message rounds of a reconciliation.", Buckets: prometheus.LinearBuckets(1, 2, 12)}),
		reconcileBytes: prometheus.NewCounter(prometheus.CounterOpts{Name: "catalyst_reconciliation_bytes_total", Help: "Bytes of reconciliation messages sent and received."}),
		bytesSent:      prometheus.NewCounter(prometheus.CounterOpts{Name: "catalyst_exchange_sent_bytes_total", Help: "Bytes of content and deployments sent to peers."}),
		bytesReceived:  prometheus.NewCounter(prometheus.CounterOpts{Name: "catalyst_exchange_received_bytes_total", Help: "Bytes of content and deployments received from peers."}),
		lag: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "catalyst_sync_lag_seconds",
			Help: "Entity timestamp to local application, for deployments from peers.", Buckets: prometheus.ExponentialBuckets(0.005, 2, 20)}),
		applyTime: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "catalyst_sync_apply_seconds",
			Help: "Time to apply a deployment from a peer, content fetched.", Buckets: prometheus.ExponentialBuckets(0.0005, 2, 16)}),
	}
	if reg != nil {
		reg.MustRegister(m.gossip, m.published, m.applied, m.failed, m.pending, m.reconciles, m.reconcileRounds,
			m.reconcileBytes, m.bytesSent, m.bytesReceived, m.lag, m.applyTime)
	}
	return m
}

func readCounter(c prometheus.Counter) float64 {
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		return 0
	}
	return m.GetCounter().GetValue()
}
