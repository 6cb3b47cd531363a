package deploy

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

type metrics struct {
	deployments *prometheus.CounterVec
	latency     *prometheus.HistogramVec
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		deployments: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "catalyst_deployments_total",
			Help: "Deployments through the pipeline, by entity type, origin and outcome (applied, existing, rejected, rate_limited, error).",
		}, []string{"type", "origin", "outcome"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "catalyst_deployment_duration_seconds",
			Help:    "Time to validate and apply a deployment, by entity type and outcome.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2, 16),
		}, []string{"type", "outcome"}),
	}
	if reg != nil {
		reg.MustRegister(m.deployments, m.latency)
	}
	return m
}

func (m *metrics) observe(typ, origin, outcome string, d time.Duration) {
	m.deployments.WithLabelValues(typ, origin, outcome).Inc()
	m.latency.WithLabelValues(typ, outcome).Observe(d.Seconds())
}
