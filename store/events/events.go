// Package events is the node's one event bus (the events notifier of
// Decentraland's backend, where SNS and SQS glue services together):
// platform events appended durably to the store's event log, and
// consumers that read it from durable cursors. Delivery is at least once
// — a consumer's cursor moves after its handler returned — so handlers
// are idempotent by event key; a crash between publish and consume loses
// nothing, and a restart resumes from the cursor. Every applied
// deployment is on the bus already: the store appends its event in the
// deployment's own transaction.
//
// It sits below comms, sync and services (its log is the store's), so no
// part imports a sibling to publish or to consume.
package events

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/guard"
)

// Event is a platform event; StoredEvent one with its seq.
type (
	Event       = store.Event
	StoredEvent = store.StoredEvent
)

// New makes an event with metadata encoded as JSON.
func New(typ, subType, key string, timestamp int64, metadata any) (Event, error) {
	raw, err := json.Marshal(metadata)
	if err != nil {
		return Event{}, err
	}
	return Event{Type: typ, SubType: subType, Key: key, Timestamp: timestamp, Metadata: raw}, nil
}

// Handler handles one event. An error retries the same event (with
// backoff) until it succeeds or the bus stops.
type Handler func(ctx context.Context, e StoredEvent) error

// Config configures the bus.
type Config struct {
	Store *store.Store
	// Keep bounds the log: past it, the oldest events are pruned even if a
	// consumer has not read them (0: 1,000,000).
	Keep    int
	Logger  *slog.Logger
	Metrics prometheus.Registerer
}

// Bus appends events and runs consumers.
type Bus struct {
	cfg   Config
	log   *slog.Logger
	guard *guard.Guard

	async chan Event

	mu        sync.Mutex
	consumers []*consumer
	started   bool

	cancel context.CancelFunc
	wg     sync.WaitGroup

	published *prometheus.CounterVec
	dropped   prometheus.Counter
	handled   *prometheus.CounterVec
	lag       *prometheus.GaugeVec
}

type consumer struct {
	name   string
	handle Handler
	batch  BatchHandler // instead of handle
	live   bool         // from the end of the log at Start, no cursor kept
}

// BatchHandler handles the events of one read (up to 256) at once, in
// order: a consumer that keeps state writes it once a batch. An error
// retries the whole batch.
type BatchHandler func(ctx context.Context, batch []StoredEvent) error

// asyncQueue bounds events published without waiting.
const asyncQueue = 8192

// NewBus builds a bus; consumers register before Start.
func NewBus(cfg Config) *Bus {
	if cfg.Keep <= 0 {
		cfg.Keep = 1_000_000
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	b := &Bus{
		cfg: cfg, log: cfg.Logger.With("component", "events"), guard: guard.New("events", cfg.Logger, cfg.Metrics),
		async: make(chan Event, asyncQueue),
		published: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "catalyst_events_published_total",
			Help: "Platform events published on the bus, by type and subtype (deployments' events are the store's: catalyst_deployments_total counts them)."}, []string{"type", "subtype"}),
		dropped: prometheus.NewCounter(prometheus.CounterOpts{Name: "catalyst_events_dropped_total",
			Help: "Events published without waiting that found the queue full."}),
		handled: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "catalyst_events_handled_total",
			Help: "Events handled by consumers, by consumer and result (ok, retry)."}, []string{"consumer", "result"}),
		lag: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "catalyst_events_consumer_lag",
			Help: "Events in the log a consumer has not handled yet."}, []string{"consumer"}),
	}
	if cfg.Metrics != nil {
		cfg.Metrics.MustRegister(b.published, b.dropped, b.handled, b.lag)
	}
	return b
}

// Publish appends e durably: when it returns nil, e survives a crash.
func (b *Bus) Publish(ctx context.Context, e Event) error {
	if _, err := b.cfg.Store.AppendEvents(ctx, []Event{e}); err != nil {
		return err
	}
	b.published.WithLabelValues(e.Type, e.SubType).Inc()
	return nil
}

// PublishAsync queues e to be appended without waiting (what a node only
// observes, such as its comms, must not slow the observing); a full queue
// drops it and counts.
func (b *Bus) PublishAsync(e Event) {
	select {
	case b.async <- e:
	default:
		b.dropped.Inc()
	}
}

// Consume registers a consumer: handle sees every event after the
// consumer's cursor, in order, at least once. Register before Start.
func (b *Bus) Consume(name string, handle Handler) { b.register(&consumer{name: name, handle: handle}) }

func (b *Bus) register(c *consumer) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.started {
		panic("events: a consumer registered after Start: " + c.name)
	}
	b.consumers = append(b.consumers, c)
}

// ConsumeBatch is Consume for a handler of whole batches.
func (b *Bus) ConsumeBatch(name string, handle BatchHandler) {
	b.register(&consumer{name: name, batch: handle})
}

// Watch registers a live consumer: handle sees the events appended after
// Start, in order, with no cursor kept (for what lives in memory: caches,
// the dashboard). Register before Start.
func (b *Bus) Watch(name string, handle Handler) {
	b.register(&consumer{name: name, handle: handle, live: true})
}

// Start runs the async writer, the consumers and the retention loop.
func (b *Bus) Start(context.Context) error {
	b.mu.Lock()
	b.started = true
	consumers := append([]*consumer(nil), b.consumers...)
	b.mu.Unlock()
	ctx, cancel := context.WithCancel(context.Background())
	b.cancel = cancel
	b.wg.Add(2 + len(consumers))
	go func() { defer b.wg.Done(); b.writeAsync(ctx) }()
	go func() { defer b.wg.Done(); b.retain(ctx) }()
	for _, c := range consumers {
		// A live consumer starts at the end of the log as it is now, not
		// when its goroutine first runs.
		from := b.cfg.Store.LastEventSeq()
		go func() { defer b.wg.Done(); b.run(ctx, c, from) }()
	}
	return nil
}

// Stop stops the consumers (their cursors stay where they are) and
// appends what waits in the async queue.
func (b *Bus) Stop(ctx context.Context) error {
	if b.cancel == nil {
		return nil
	}
	b.cancel()
	b.wg.Wait()
	return b.flushAsync(ctx)
}

// flushAsync appends what waits in the async queue, in batches.
func (b *Bus) flushAsync(ctx context.Context) error {
	for {
		var rest []Event
	take:
		for len(rest) < 512 {
			select {
			case e := <-b.async:
				rest = append(rest, e)
			default:
				break take
			}
		}
		if len(rest) == 0 {
			return nil
		}
		if _, err := b.cfg.Store.AppendEvents(ctx, rest); err != nil {
			return err
		}
	}
}

// writeAsync appends queued events in batches.
func (b *Bus) writeAsync(ctx context.Context) {
	for {
		var batch []Event
		select {
		case e := <-b.async:
			batch = append(batch, e)
		case <-ctx.Done():
			return
		}
	more:
		for len(batch) < 512 {
			select {
			case e := <-b.async:
				batch = append(batch, e)
			default:
				break more
			}
		}
		if _, err := b.cfg.Store.AppendEvents(context.WithoutCancel(ctx), batch); err != nil {
			b.log.Error("events lost: the log refused them", "events", len(batch), "err", err)
			continue
		}
		for _, e := range batch {
			b.published.WithLabelValues(e.Type, e.SubType).Inc()
		}
	}
}

// readBatch is how many events a consumer reads at a time; its cursor is
// saved after each batch (a crash replays at most this many).
const readBatch = 256

func (b *Bus) run(ctx context.Context, c *consumer, liveFrom uint64) {
	st := b.cfg.Store
	var cursor uint64
	if c.live {
		cursor = liveFrom
	} else {
		var err error
		if cursor, err = st.Cursor(c.name); err != nil {
			b.log.Error("consumer not started: its cursor cannot be read", "consumer", c.name, "err", err)
			return
		}
		if first := st.FirstEventSeq(); first > 0 && cursor+1 < first {
			b.log.Warn("events pruned before a consumer read them", "consumer", c.name, "missed", first-cursor-1)
		}
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-st.EventsAfter(cursor):
		}
		evs, err := st.ReadEvents(ctx, cursor, readBatch)
		if err != nil {
			if ctx.Err() == nil {
				b.log.Error("events not read", "consumer", c.name, "err", err)
				sleep(ctx, time.Second)
			}
			continue
		}
		if c.batch != nil && len(evs) > 0 {
			if !b.deliver(ctx, c, evs) {
				return
			}
			cursor = evs[len(evs)-1].Seq
		}
		for _, e := range evs {
			if c.batch != nil {
				break
			}
			if !b.deliver(ctx, c, []StoredEvent{e}) {
				return
			}
			cursor = e.Seq
		}
		if len(evs) > 0 && !c.live {
			if err := st.SetCursor(c.name, cursor); err != nil {
				b.log.Error("cursor not saved", "consumer", c.name, "err", err)
			}
		}
		b.lag.WithLabelValues(c.name).Set(float64(st.LastEventSeq() - cursor))
	}
}

// deliver hands evs (one event, or a batch to a batch handler) to c
// until it succeeds; false when the bus stops.
func (b *Bus) deliver(ctx context.Context, c *consumer, evs []StoredEvent) bool {
	e := evs[0]
	wait := 100 * time.Millisecond
	for attempt := 1; ; attempt++ {
		err := b.call(ctx, c, evs)
		if err == nil {
			b.handled.WithLabelValues(c.name, "ok").Add(float64(len(evs)))
			return true
		}
		b.handled.WithLabelValues(c.name, "retry").Inc()
		if attempt == 1 || attempt%10 == 0 {
			b.log.Warn("event handler failed; retrying", "consumer", c.name, "seq", e.Seq, "type", e.Type, "subType", e.SubType, "attempt", attempt, "err", err)
		}
		if !sleep(ctx, wait) {
			return false
		}
		wait = min(wait*2, 30*time.Second)
	}
}

// call runs the handler, a panic being an error like any other.
func (b *Bus) call(ctx context.Context, c *consumer, evs []StoredEvent) (err error) {
	defer func() {
		if v := recover(); v != nil {
			b.guard.Report("event handler", v, "consumer", c.name, "seq", evs[0].Seq)
			err = fmt.Errorf("events: handler panicked: %v", v)
		}
	}()
	if c.batch != nil {
		return c.batch(ctx, evs)
	}
	return c.handle(ctx, evs[0])
}

// retain prunes the oldest events past Keep, every minute.
func (b *Bus) retain(ctx context.Context) {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		last, first := b.cfg.Store.LastEventSeq(), b.cfg.Store.FirstEventSeq()
		if first == 0 || last-first+1 <= uint64(b.cfg.Keep) {
			continue
		}
		upTo := last - uint64(b.cfg.Keep)
		for ctx.Err() == nil {
			n, err := b.cfg.Store.PruneEvents(ctx, upTo, 10000)
			if err != nil || n == 0 {
				break
			}
		}
	}
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
