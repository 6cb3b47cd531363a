package node

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/p2pcatalyst/catalyst/store"
)

// instrument counts requests and their latency by route pattern.
func instrument(reg prometheus.Registerer, next *http.ServeMux) http.Handler {
	requests := prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "catalyst_http_request_duration_seconds",
		Help:    "HTTP requests by route, method and status.",
		Buckets: prometheus.ExponentialBuckets(0.0005, 2, 16),
	}, []string{"route", "method", "code"})
	reg.MustRegister(requests)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, code: http.StatusOK}
		_, pattern := next.Handler(r)
		next.ServeHTTP(sw, r)
		if pattern == "" || pattern == "/" {
			pattern = "other"
		}
		requests.WithLabelValues(pattern, r.Method, strconv.Itoa(sw.code)).Observe(time.Since(start).Seconds())
	})
}

type statusWriter struct {
	http.ResponseWriter
	code int
}

func (s *statusWriter) WriteHeader(code int) {
	s.code = code
	s.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController and sendfile reach the real writer.
func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// Hijack lets WebSocket upgrades (archipelago, rtc) take the connection.
func (s *statusWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	s.code = http.StatusSwitchingProtocols
	return http.NewResponseController(s.ResponseWriter).Hijack()
}

// ReadFrom keeps the sendfile path for file downloads.
func (s *statusWriter) ReadFrom(r io.Reader) (int64, error) {
	if rf, ok := s.ResponseWriter.(io.ReaderFrom); ok {
		return rf.ReadFrom(r)
	}
	return io.Copy(s.ResponseWriter, r)
}

// storeCollector reports the store's size on disk, measured at most every
// 30 s (walking the blob directory is not free), and its entities by type.
type storeCollector struct {
	s            *store.Store
	bytes, count *prometheus.Desc

	mu   sync.Mutex
	at   time.Time
	disk store.DiskUse
}

func newStoreCollector(s *store.Store) *storeCollector {
	return &storeCollector{
		s:     s,
		bytes: prometheus.NewDesc("catalyst_store_bytes", "Bytes on disk by part of the store (db: Badger, blobs: large content files).", []string{"part"}, nil),
		count: prometheus.NewDesc("catalyst_store_entities", "Entities stored, by type and state (active, stored: history included).", []string{"type", "state"}, nil),
	}
}

func (c *storeCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.bytes; ch <- c.count }

func (c *storeCollector) Collect(ch chan<- prometheus.Metric) {
	ch <- prometheus.MustNewConstMetric(c.bytes, prometheus.GaugeValue, float64(c.diskUse().DB), "db")
	ch <- prometheus.MustNewConstMetric(c.bytes, prometheus.GaugeValue, float64(c.diskUse().Blobs), "blobs")
	for typ, n := range c.s.Counts() {
		ch <- prometheus.MustNewConstMetric(c.count, prometheus.GaugeValue, float64(n.Active), string(typ), "active")
		ch <- prometheus.MustNewConstMetric(c.count, prometheus.GaugeValue, float64(n.Stored), string(typ), "stored")
	}
}

// diskUse is the store's disk use, measured at most every 30 s.
func (c *storeCollector) diskUse() store.DiskUse {
	c.mu.Lock()
	defer c.mu.Unlock()
	if time.Since(c.at) > 30*time.Second {
		c.disk, c.at = c.s.DiskUse(), time.Now()
	}
	return c.disk
}
