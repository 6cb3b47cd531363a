package rtc

import "github.com/prometheus/client_golang/prometheus"

type metrics struct {
	rooms        prometheus.Gauge
	participants prometheus.Gauge
	joins        *prometheus.CounterVec
	received     prometheus.Counter
	relayed      prometheus.Counter
	relayedBytes prometheus.Counter
	dropped      *prometheus.CounterVec
	latency      prometheus.Histogram
	rtpPackets   prometheus.Counter
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		rooms:        prometheus.NewGauge(prometheus.GaugeOpts{Name: "catalyst_rtc_rooms", Help: "Rooms with participants."}),
		participants: prometheus.NewGauge(prometheus.GaugeOpts{Name: "catalyst_rtc_participants", Help: "Participants connected to the SFU."}),
		joins:        prometheus.NewCounterVec(prometheus.CounterOpts{Name: "catalyst_rtc_joins_total", Help: "Join attempts by result."}, []string{"result"}),
		received:     prometheus.NewCounter(prometheus.CounterOpts{Name: "catalyst_rtc_data_received_bytes_total", Help: "Data packet bytes received from participants."}),
		relayed:      prometheus.NewCounter(prometheus.CounterOpts{Name: "catalyst_rtc_relayed_packets_total", Help: "Data packets queued to recipients."}),
		relayedBytes: prometheus.NewCounter(prometheus.CounterOpts{Name: "catalyst_rtc_relayed_bytes_total", Help: "Data packet bytes queued to recipients."}),
		dropped:      prometheus.NewCounterVec(prometheus.CounterOpts{Name: "catalyst_rtc_dropped_packets_total", Help: "Data packets not relayed, by reason."}, []string{"reason"}),
		latency: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "catalyst_rtc_relay_seconds", Help: "Time from receiving a data packet to handing it to a recipient's data channel.",
			Buckets: prometheus.ExponentialBuckets(0.00005, 2, 16)}),
		rtpPackets: prometheus.NewCounter(prometheus.CounterOpts{Name: "catalyst_rtc_rtp_packets_total", Help: "RTP packets forwarded from publishers."}),
	}
	if reg != nil {
		reg.MustRegister(m.rooms, m.participants, m.joins, m.received, m.relayed, m.relayedBytes, m.dropped, m.latency, m.rtpPackets)
	}
	return m
}
