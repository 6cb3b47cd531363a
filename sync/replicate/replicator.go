package replicate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/ipfs/go-cid"
	pubsub "github.com/libp2p/go-libp2p-pubsub"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"
	mh "github.com/multiformats/go-multihash"
	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/sync/semaphore"

	"github.com/p2pcatalyst/catalyst/p2p"
	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/entity"
	"github.com/p2pcatalyst/catalyst/store/events"
	"github.com/p2pcatalyst/catalyst/store/guard"
	"github.com/p2pcatalyst/catalyst/sync/deploy"
)

// MaxAnnouncement bounds an announcement on gossip; bigger entity files
// still replicate through reconciliation.
const MaxAnnouncement = p2p.MaxMessageSize - 4096

// Limits of the work peers can cause. Each blocks (back-pressure) rather
// than drops, and counts in catalyst_limit_hits_total when it bites.
const (
	// maxPending bounds the deployments from peers queued, being applied
	// or waiting for a retry.
	maxPending = 8192
	// maxQueuedBytes bounds the announcements those hold.
	maxQueuedBytes = 256 << 20
	// maxHeldBytes bounds the small content files (those not spooled to
	// disk) that the workers hold at once, fetched and not yet applied.
	maxHeldBytes = 128 << 20
	// maxPulls bounds the pulls of deployments after reconciliations;
	// maxPullers those running or waiting (one a peer).
	maxPulls   = 4
	maxPullers = 16
	// rejectedIDs remembers ids whose entity failed the stateless checks,
	// so a peer offering them again costs nothing.
	rejectedIDs = 1 << 16
	// maxFailureAge: failed deployments older than this are forgotten.
	maxFailureAge = 7 * 24 * time.Hour
)

// Config configures replication.
type Config struct {
	Host     *p2p.Host
	Store    *store.Store
	Pipeline *deploy.Pipeline
	// Events tells of applied deployments (the replicator consumes them
	// from its own cursor: one applied just before a crash is announced
	// after the restart). nil: nothing is announced (tests).
	Events  *events.Bus
	Logger  *slog.Logger
	Metrics prometheus.Registerer
	// ExpectPeers: the node has bootstrap peers, so it reports
	// Bootstrapping until its first reconciliation with a peer completes.
	ExpectPeers bool
	// ReconcileEvery is the period of anti-entropy rounds (0: 30 s).
	ReconcileEvery time.Duration
	// Workers apply received deployments concurrently (0: 128: most of
	// a deployment's time is waiting — for a peer's content, for the
	// store's group commit — and what they hold in memory is bounded by
	// maxHeldBytes, not by their number).
	Workers int
	// Name sets apart a second store replicated on the same host (the
	// worlds'): its topic and protocols are under "<Name>/" ("": the
	// catalyst's entities).
	Name string
}

// protocol is the stream protocol of a replication exchange.
func (r *Replicator) protocol(name string) protocol.ID {
	if r.cfg.Name == "" {
		return r.cfg.Host.Protocol(name)
	}
	return r.cfg.Host.Protocol(r.cfg.Name + "/" + name)
}

// Replicator runs replication.
type Replicator struct {
	cfg     Config
	log     *slog.Logger
	metrics *metrics
	index   *index

	topic *pubsub.Topic
	sub   *pubsub.Subscription

	guard    *guard.Guard
	jobs     chan job
	mu       sync.Mutex
	pending  map[string]bool
	large    map[peer.ID]int     // transfers of large files in progress, by peer
	pulling  map[peer.ID]bool    // peers with a pull running or waiting
	slots    *semaphore.Weighted // of maxPending
	queued   *semaphore.Weighted // bytes of maxQueuedBytes
	held     *semaphore.Weighted // bytes of maxHeldBytes
	pulls    *semaphore.Weighted // of maxPulls
	rejected *lru.Cache[string, struct{}]
	sessions sessions // reconciliations in progress (reconcile.go)

	reconciled atomic.Bool
	progress   progress

	validating string // the topic whose validator is registered
	notifee    network.Notifiee

	provide  chan string
	spawnMu  sync.Mutex
	stopping bool
	ctx      context.Context // ends at Stop
	cancel   context.CancelFunc
	bg       sync.WaitGroup
}

type job struct {
	ann     *Announcement
	e       *entity.Entity // set once ann passed the pipeline's Precheck
	from    peer.ID
	attempt int
	pulled  bool  // came from reconciliation (counts towards catch-up progress)
	weight  int64 // bytes it holds of the queue's budget
}

// New builds the replicator; it touches neither the store nor the network.
func New(cfg Config) *Replicator {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.ReconcileEvery <= 0 {
		cfg.ReconcileEvery = 30 * time.Second
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 128
	}
	rejected, _ := lru.New[string, struct{}](rejectedIDs)
	r := &Replicator{
		cfg:      cfg,
		log:      cfg.Logger.With("component", "replicate"),
		metrics:  newMetrics(cfg.Metrics),
		guard:    guard.New("replicate", cfg.Logger, cfg.Metrics),
		index:    &index{},
		jobs:     make(chan job, maxPending),
		pending:  map[string]bool{},
		large:    map[peer.ID]int{},
		pulling:  map[peer.ID]bool{},
		slots:    semaphore.NewWeighted(maxPending),
		queued:   semaphore.NewWeighted(maxQueuedBytes),
		held:     semaphore.NewWeighted(maxHeldBytes),
		pulls:    semaphore.NewWeighted(maxPulls),
		rejected: rejected,
		sessions: sessions{byPeer: map[peer.ID]bool{}},
		provide:  make(chan string, 1024),
	}
	if cfg.Events != nil {
		cfg.Events.Consume("replicate", r.onDeployment)
	}
	return r
}

// State is the synchronization state for /status: Bootstrapping until the
// first reconciliation with a peer completes (when peers are expected).
func (r *Replicator) State() string {
	if !r.cfg.ExpectPeers || r.reconciled.Load() {
		return "Syncing"
	}
	return "Bootstrapping"
}

// Start loads the index of local deployments and joins the network:
// stream handlers, the announcement topic with its validator, and the
// background loops. The host must be started.
func (r *Replicator) Start(ctx context.Context) (err error) {
	start := time.Now()
	err = r.cfg.Store.ForEachKey(ctx, func(ts int64, id string) error {
		r.index.add(ts, id)
		return nil
	})
	if err != nil {
		return fmt.Errorf("replicate: load index: %w", err)
	}
	r.log.Info("replication index loaded", "deployments", r.index.len(), "took", time.Since(start).Round(time.Millisecond))

	bg, cancel := context.WithCancel(context.Background())
	r.ctx, r.cancel = bg, cancel
	defer func() {
		if err != nil {
			r.Stop(context.Background())
		}
	}()
	h := r.cfg.Host
	name := h.Topic(strings.TrimPrefix(r.cfg.Name+"/deployments/1", "/"))
	if err := h.PubSub.RegisterTopicValidator(name, r.validate, pubsub.WithValidatorTimeout(10*time.Second), pubsub.WithValidatorConcurrency(64)); err != nil {
		return fmt.Errorf("replicate: validator: %w", err)
	}
	r.validating = name
	topic, err := h.PubSub.Join(name)
	if err != nil {
		return fmt.Errorf("replicate: join %s: %w", name, err)
	}
	r.topic = topic
	if err := topic.SetScoreParams(p2p.TopicScore()); err != nil {
		return fmt.Errorf("replicate: topic score: %w", err)
	}
	sub, err := topic.Subscribe()
	if err != nil {
		return fmt.Errorf("replicate: subscribe: %w", err)
	}
	r.sub = sub
	h.SetStreamHandler(r.protocol(protoContent), r.serveContent)
	h.SetStreamHandler(r.protocol(protoDeployments), r.serveDeployments)
	h.SetStreamHandler(r.protocol(protoReconcile), r.serveReconcile)

	r.spawn("gossip", func() { r.receive(bg) })
	for i := 0; i < r.cfg.Workers; i++ {
		r.spawn("worker", func() { r.work(bg) })
	}
	r.spawn("reconcile loop", func() { r.reconcileLoop(bg) })
	r.spawn("retry failed", func() { r.retryFailed(bg) })
	r.spawn("provide", func() { r.provideLoop(bg) })
	r.spawn("progress", func() { r.progressLoop(bg) })
	r.notifee = &network.NotifyBundle{ConnectedF: func(_ network.Network, c network.Conn) {
		// The lower peer id opens the reconciliation; both sides pull what they lack.
		if h.ID() < c.RemotePeer() {
			p := c.RemotePeer()
			r.spawn("reconcile on connect", func() {
				t := time.NewTimer(200 * time.Millisecond)
				defer t.Stop()
				select {
				case <-t.C:
				case <-bg.Done():
					return
				}
				r.reconcile(bg, p)
			})
		}
	}}
	h.Network().Notify(r.notifee)
	return nil
}

// spawn runs fn in a goroutine that Stop waits for and that survives a
// panic (it is logged and counted, and the goroutine ends). Once Stop has
// begun it runs nothing and reports false.
func (r *Replicator) spawn(what string, fn func()) bool {
	r.spawnMu.Lock()
	defer r.spawnMu.Unlock()
	if r.stopping {
		return false
	}
	r.bg.Add(1)
	go func() {
		defer r.bg.Done()
		defer r.guard.Recover(what)
		fn()
	}()
	return true
}

// Stop stops replication and waits for its goroutines.
func (r *Replicator) Stop(context.Context) error {
	h := r.cfg.Host
	if r.notifee != nil {
		h.Network().StopNotify(r.notifee)
	}
	for _, p := range []string{protoContent, protoDeployments, protoReconcile} {
		h.RemoveStreamHandler(r.protocol(p))
	}
	r.spawnMu.Lock()
	r.stopping = true // handlers still running spawn nothing more
	r.spawnMu.Unlock()
	if r.cancel != nil {
		r.cancel()
	}
	if r.sub != nil {
		r.sub.Cancel()
	}
	r.bg.Wait()
	var errs []error
	if r.topic != nil {
		errs = append(errs, r.topic.Close())
	}
	if r.validating != "" {
		errs = append(errs, h.PubSub.UnregisterTopicValidator(r.validating))
	}
	return errors.Join(errs...)
}

// announced is what the validator hands to the receiver.
type announced struct {
	ann *Announcement
	e   *entity.Entity
}

// validate runs before a message is delivered or forwarded: forged or
// invalid announcements are rejected (their sender is scored down), those
// already stored or in progress are ignored.
func (r *Replicator) validate(ctx context.Context, from peer.ID, msg *pubsub.Message) (res pubsub.ValidationResult) {
	res = pubsub.ValidationIgnore
	defer func() {
		r.metrics.gossip.WithLabelValues(validationName(res)).Inc()
		if res == pubsub.ValidationReject {
			r.guard.Hit("trust_boundary")
		}
	}()
	defer r.guard.Recover("gossip message", "peer", from)
	if len(msg.Data) > MaxAnnouncement {
		return pubsub.ValidationReject
	}
	a, err := decodeAnnouncement(msg.Data)
	if err != nil {
		return pubsub.ValidationReject
	}
	if from == r.cfg.Host.ID() {
		msg.ValidatorData = announced{ann: a}
		return pubsub.ValidationAccept
	}
	if _, bad := r.rejected.Get(a.EntityID); bad {
		return pubsub.ValidationReject
	}
	if r.isPending(a.EntityID) {
		return pubsub.ValidationIgnore
	}
	if has, err := r.cfg.Store.Has(a.EntityID); err != nil || has {
		return pubsub.ValidationIgnore
	}
	e, err := r.precheck(ctx, a)
	if err != nil {
		var ve *entity.Error
		if errors.As(err, &ve) {
			r.log.Debug("rejected announcement", "from", from, "entity", a.EntityID, "err", err)
			return pubsub.ValidationReject
		}
		return pubsub.ValidationIgnore
	}
	msg.ValidatorData = announced{ann: a, e: e}
	return pubsub.ValidationAccept
}

// precheck runs the pipeline's trust boundary on an announcement and
// remembers ids whose entity file itself is invalid (not those refused
// for a chain or sizes that came with it: another peer may bring it with
// good ones).
func (r *Replicator) precheck(ctx context.Context, a *Announcement) (*entity.Entity, error) {
	e, err := r.cfg.Pipeline.Precheck(ctx, a.EntityID, a.Entity, a.AuthChain, a.Sizes)
	if errors.Is(err, deploy.ErrInvalidEntity) {
		r.rejected.Add(a.EntityID, struct{}{})
	}
	return e, err
}

func validationName(v pubsub.ValidationResult) string {
	switch v {
	case pubsub.ValidationAccept:
		return "accept"
	case pubsub.ValidationReject:
		return "reject"
	default:
		return "ignore"
	}
}

// receive queues every accepted announcement from another peer.
func (r *Replicator) receive(ctx context.Context) {
	for {
		msg, err := r.sub.Next(ctx)
		if err != nil {
			return
		}
		if msg.ReceivedFrom == r.cfg.Host.ID() {
			continue
		}
		v, ok := msg.ValidatorData.(announced)
		if !ok || v.e == nil {
			continue
		}
		r.enqueue(ctx, job{ann: v.ann, e: v.e, from: msg.ReceivedFrom})
	}
}

func (r *Replicator) isPending(id string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.pending[id]
}

// enqueue hands a new deployment to the workers unless it is already
// pending. It waits while maxPending deployments or maxQueuedBytes of
// announcements are pending (back-pressure on gossip and pulls).
func (r *Replicator) enqueue(ctx context.Context, j job) bool {
	r.mu.Lock()
	if r.pending[j.ann.EntityID] {
		r.mu.Unlock()
		return false
	}
	r.pending[j.ann.EntityID] = true
	r.mu.Unlock()
	// Decoded, an announcement holds about what it took on the wire.
	j.weight = min(int64(max(j.ann.wire, len(j.ann.Entity)))+4096, maxQueuedBytes)
	if !r.acquire(ctx, r.slots, 1, "sync_pending") {
		r.forget(j.ann.EntityID)
		return false
	}
	if !r.acquire(ctx, r.queued, j.weight, "sync_queued_bytes") {
		r.slots.Release(1)
		r.forget(j.ann.EntityID)
		return false
	}
	r.metrics.pending.Inc()
	r.jobs <- j // never blocks: the channel holds maxPending
	return true
}

// acquire takes n of sem, counting a hit of limit when it has to wait.
func (r *Replicator) acquire(ctx context.Context, sem *semaphore.Weighted, n int64, limit string) bool {
	if sem.TryAcquire(n) {
		return true
	}
	r.guard.Hit(limit)
	return sem.Acquire(ctx, n) == nil
}

func (r *Replicator) forget(id string) {
	r.mu.Lock()
	delete(r.pending, id)
	r.mu.Unlock()
}

// done ends a job for good: it leaves the pending set and frees its room.
func (r *Replicator) done(j job) {
	r.forget(j.ann.EntityID)
	r.slots.Release(1)
	r.queued.Release(j.weight)
	r.metrics.pending.Dec()
	if j.pulled {
		r.progress.entityDone()
	}
}

const maxAttempts = 5

// work applies queued deployments: fetch the missing content, then the
// pipeline with origin synced.
func (r *Replicator) work(ctx context.Context) {
	for {
		select {
		case j := <-r.jobs:
			r.handle(ctx, j)
		case <-ctx.Done():
			return
		}
	}
}

// handle applies one job, retries it later, or ends it. A panic while
// handling peer input ends the job, not the worker.
func (r *Replicator) handle(ctx context.Context, j job) {
	ends := true // false once the job is handed to a retry
	defer func() {
		if ends {
			r.done(j)
		}
	}()
	defer r.guard.Recover("deployment from a peer", "peer", j.from, "entity", j.ann.EntityID)
	err := r.apply(ctx, &j)
	var ve *entity.Error
	switch {
	case err == nil || ctx.Err() != nil || errors.Is(err, errRefused):
		return
	case errors.Is(err, errBusy):
		// Not an attempt: every peer that has the files is busy with
		// others of this node's transfers.
	case errors.As(err, &ve) || j.attempt+1 >= maxAttempts:
		if j.e != nil { // only what passed the trust boundary is recorded
			r.fail(ctx, j, err)
		}
		return
	default:
		j.attempt++
	}
	// Retry with backoff, off the worker; the job keeps its room.
	delay := time.Duration(1<<j.attempt) * 500 * time.Millisecond
	ends = !r.spawn("retry", func() {
		t := time.NewTimer(delay)
		defer t.Stop()
		select {
		case <-t.C:
			select {
			case r.jobs <- j:
			case <-ctx.Done():
				r.done(j)
			}
		case <-ctx.Done():
			r.done(j)
		}
	})
}

// errRefused ends a job whose announcement failed the trust boundary:
// nothing was fetched or stored, and no failure is recorded under an id a
// peer chose.
var errRefused = errors.New("replicate: refused at the trust boundary")

func (r *Replicator) apply(ctx context.Context, j *job) error {
	a := j.ann
	if j.e == nil {
		e, err := r.precheck(ctx, a)
		if err != nil {
			var ve *entity.Error
			if errors.As(err, &ve) {
				// Pulls and retries bring what the peer itself holds as valid:
				// an invalid one is on the peer.
				r.log.Debug("refused a deployment from a peer", "peer", j.from, "entity", a.EntityID, "err", err)
				r.guard.Hit("trust_boundary")
				if j.from != "" {
					r.cfg.Host.Penalize(j.from, "sent an invalid deployment")
				}
				return fmt.Errorf("%w: %w", errRefused, err)
			}
			return err
		}
		j.e = e
	}
	e := j.e
	look, err := r.cfg.Store.Lookup(ctx, a.EntityID, nil, e.Hashes())
	if err != nil {
		return err
	}
	if look.Existing != nil {
		return nil
	}
	files := []deploy.File{{Data: a.Entity, Size: int64(len(a.Entity))}}
	cleanup := func() {
		for _, f := range files {
			if f.Path != "" {
				os.Remove(f.Path)
			}
		}
	}
	// The small files this deployment will hold in memory, reserved at
	// once (a worker never waits holding a part of its share).
	var hold int64
	for _, h := range e.Hashes() {
		if _, ok := look.Stored[h]; !ok && a.Sizes[h] <= spoolAbove {
			hold += a.Sizes[h]
		}
	}
	hold = min(hold, maxHeldBytes)
	if hold > 0 {
		if err := r.held.Acquire(ctx, hold); err != nil {
			return err
		}
		defer r.held.Release(hold)
	}
	for _, h := range e.Hashes() {
		if _, ok := look.Stored[h]; ok {
			continue
		}
		f, err := r.fetchAny(ctx, *j, h, a.Sizes[h]) // declared and bounded: Precheck passed
		if err != nil {
			cleanup()
			return fmt.Errorf("content %s: %w", h, err)
		}
		files = append(files, f)
	}
	start := time.Now()
	res, err := r.cfg.Pipeline.Deploy(ctx, deploy.Request{EntityID: a.EntityID, AuthChain: a.AuthChain, Files: files, Origin: deploy.Synced})
	if err != nil {
		return err
	}
	if !res.Existed {
		r.metrics.applied.Inc()
		r.metrics.lag.Observe(time.Since(time.UnixMilli(e.Timestamp)).Seconds())
		r.metrics.applyTime.Observe(time.Since(start).Seconds())
	}
	return nil
}

// fetchAny gets a file from the first peer that has it: the one that sent
// the announcement, its origin, other connected peers (every node is a
// full replica), then providers of the entity found in the DHT. A peer
// that lies about the file is penalized.
func (r *Replicator) fetchAny(ctx context.Context, j job, hash string, size int64) (deploy.File, error) {
	h := r.cfg.Host
	tried := map[peer.ID]bool{h.ID(): true}
	var errs []error
	busy := false
	try := func(p peer.ID) (deploy.File, bool) {
		if p == "" || tried[p] || h.Banned(p) {
			return deploy.File{}, false
		}
		if size > spoolAbove {
			if !r.takeLarge(p) {
				busy = true
				return deploy.File{}, false
			}
			defer r.releaseLarge(p)
		}
		tried[p] = true
		cctx, cancel := context.WithDeadline(ctx, deadlineFor(size))
		defer cancel()
		f, err := r.fetchContent(cctx, p, hash, size)
		if err != nil {
			r.blame(p, err)
			errs = append(errs, err)
			return deploy.File{}, false
		}
		return f, true
	}
	if f, ok := try(j.from); ok {
		return f, nil
	}
	if origin, err := peer.Decode(j.ann.Origin); err == nil {
		if f, ok := try(origin); ok {
			return f, nil
		}
	}
	peers := h.Network().Peers()
	rand.Shuffle(len(peers), func(a, b int) { peers[a], peers[b] = peers[b], peers[a] })
	for i, p := range peers {
		if i >= 8 {
			break
		}
		if f, ok := try(p); ok {
			return f, nil
		}
	}
	if c, err := entityCID(j.ann.EntityID); err == nil && h.DHT.RoutingTable().Size() > 0 {
		fctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		for ai := range h.DHT.FindProvidersAsync(fctx, c, 8) {
			if len(ai.Addrs) > 0 {
				h.Peerstore().AddAddrs(ai.ID, ai.Addrs, time.Minute)
			}
			if f, ok := try(ai.ID); ok {
				return f, nil
			}
		}
	}
	if busy {
		return deploy.File{}, errBusy
	}
	if len(errs) == 0 {
		return deploy.File{}, errors.New("no peer to fetch from")
	}
	return deploy.File{}, errors.Join(errs...)
}

// errBusy: the peers that may have a large file are at their
// maxLargePerPeer transfers; the job waits without spending an attempt.
var errBusy = errors.New("replicate: the peers with the file are busy")

// maxLargePerPeer bounds the transfers of files above spoolAbove from one
// peer at a time, so a peer that trickles large files at the slowest rate
// allowed ties up that many workers, not all of them.
const maxLargePerPeer = 2

func (r *Replicator) takeLarge(p peer.ID) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.large[p] >= maxLargePerPeer {
		r.guard.Hit("large_transfers_per_peer")
		return false
	}
	r.large[p]++
	return true
}

func (r *Replicator) releaseLarge(p peer.ID) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.large[p]--; r.large[p] <= 0 {
		delete(r.large, p)
	}
}

// entityCID is the DHT key an entity's holders provide. Only entity ids
// are provided, never single files: a node holding an entity holds all its
// files, so one record per deployment finds them, and a node with
// millions of files announces millions/k fewer records (k files per
// entity). Providing happens once, when a deployment is applied; full
// replicas are also found as connected peers, so records that expire
// cost little.
func entityCID(id string) (cid.Cid, error) {
	if c, err := cid.Decode(id); err == nil {
		return c, nil
	}
	sum, err := mh.Sum([]byte(id), mh.SHA2_256, -1)
	if err != nil {
		return cid.Undef, err
	}
	return cid.NewCidV1(cid.Raw, sum), nil
}

// onApplied indexes every applied deployment, announces local ones and
// provides them in the DHT.
// onDeployment is the replicator's consumer of the event bus: every
// applied deployment enters the reconciliation index and is provided in
// the DHT; a local one is announced on gossip.
func (r *Replicator) onDeployment(ctx context.Context, e events.StoredEvent) error {
	if e.Type != store.DeploymentEventType {
		return nil
	}
	var m struct {
		Entity struct {
			ID        string `json:"id"`
			Timestamp int64  `json:"timestamp"`
		} `json:"entity"`
		Origin string `json:"origin"`
	}
	if d := e.Deployment; d != nil {
		m.Entity.ID, m.Entity.Timestamp, m.Origin = d.ID, d.Timestamp, d.Origin
	} else if err := json.Unmarshal(e.Metadata, &m); err != nil || m.Entity.ID == "" {
		r.log.Error("a deployment event without its entity", "seq", e.Seq, "err", err)
		return nil
	}
	r.index.add(m.Entity.Timestamp, m.Entity.ID)
	// During a catch-up the DHT is slower than the deployments, and the
	// peer that sent them has them: they are not provided one by one.
	if !r.progress.running() {
		select {
		case r.provide <- m.Entity.ID:
		default: // the DHT is slower than deployments: skip, peers still find it
		}
	}
	if m.Origin != string(deploy.Local) || r.topic == nil {
		return nil
	}
	a, err := announcementOf(ctx, r.cfg.Store, m.Entity.ID, r.cfg.Host.ID().String())
	if err != nil {
		r.log.Error("announce", "entity", m.Entity.ID, "err", err)
		return nil
	}
	data, _ := json.Marshal(a)
	if len(data) > MaxAnnouncement {
		r.log.Info("entity file too large to gossip; peers get it by reconciliation", "entity", m.Entity.ID, "bytes", len(data))
		return nil
	}
	if err := r.topic.Publish(ctx, data); err != nil {
		if ctx.Err() != nil {
			return err
		}
		r.log.Warn("publish", "entity", m.Entity.ID, "err", err)
		return nil
	}
	r.metrics.published.Inc()
	return nil
}

func (r *Replicator) provideLoop(ctx context.Context) {
	for {
		select {
		case id := <-r.provide:
			c, err := entityCID(id)
			if err != nil {
				continue
			}
			pctx, cancel := context.WithTimeout(ctx, 30*time.Second)
			r.cfg.Host.DHT.Provide(pctx, c, true)
			cancel()
		case <-ctx.Done():
			return
		}
	}
}

// reconcileLoop runs anti-entropy with a random peer now and then.
func (r *Replicator) reconcileLoop(ctx context.Context) {
	t := time.NewTicker(r.cfg.ReconcileEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		peers := r.cfg.Host.Network().Peers()
		if len(peers) == 0 {
			continue
		}
		r.reconcile(ctx, peers[rand.IntN(len(peers))])
	}
}

// reconcile runs one reconciliation with p and pulls what p has and we lack.
func (r *Replicator) reconcile(ctx context.Context, p peer.ID) {
	if !r.sessions.open(p, true) {
		r.guard.Hit("reconcile_sessions")
		return
	}
	cctx, cancel := context.WithTimeout(ctx, sessionTimeout)
	start := time.Now()
	res, err := r.reconcileWith(cctx, p)
	cancel()
	r.sessions.close(p, true)
	if err != nil {
		r.metrics.reconciles.WithLabelValues("error").Inc()
		r.log.Debug("reconciliation failed", "peer", p, "err", err, "learnt", len(res.Need))
	} else {
		r.metrics.reconciles.WithLabelValues("ok").Inc()
		r.metrics.reconcileRounds.Observe(float64(res.Rounds))
		r.log.Debug("reconciled", "peer", p, "missing", len(res.Need), "rounds", res.Rounds, "bytes", res.Bytes, "took", time.Since(start))
	}
	r.settle(p, res, err)
}

// settle acts on what a session with p learnt, its session slot already
// free: a peer that misbehaved is penalized and nothing it taught is
// kept; otherwise what was learnt is pulled — also from a session that
// broke off, since those keys are real — and the next session follows
// the pull when this one left work.
func (r *Replicator) settle(p peer.ID, res ReconcileResult, err error) {
	r.metrics.reconcileBytes.Add(float64(res.Bytes))
	if r.blame(p, err) {
		return
	}
	if err == nil {
		r.markReconciled()
	}
	if res.Truncated {
		r.guard.Hit("reconcile_truncated")
	}
	if len(res.Need) > 0 {
		r.pull(p, res.Need, res.Truncated || err != nil)
	}
}

func (r *Replicator) markReconciled() {
	if !r.reconciled.Swap(true) && r.cfg.ExpectPeers {
		r.log.Info("first reconciliation done: synchronization state is Syncing")
	}
}

// pull fetches the deployments keys name from p, in batches, and queues
// them. It runs off the caller's goroutine, at most maxPulls at a time;
// queuing blocks when the workers are behind (back-pressure, bounded
// memory). When the session that taught the keys was cut at maxNeed
// (more), the next one with p starts as soon as the pull is done.
func (r *Replicator) pull(p peer.ID, keys []Key, more bool) {
	r.mu.Lock()
	if r.pulling[p] || len(r.pulling) >= maxPullers {
		// One pull a peer, and a bounded few waiting: what a session
		// taught is learnt again in the next one.
		r.mu.Unlock()
		r.guard.Hit("sync_pulls")
		return
	}
	r.pulling[p] = true
	r.mu.Unlock()
	var ids []string
	for _, k := range keys {
		if _, bad := r.rejected.Get(k.ID); !bad {
			ids = append(ids, k.ID)
		}
	}
	r.progress.add(len(ids))
	unmark := func() {
		r.mu.Lock()
		delete(r.pulling, p)
		r.mu.Unlock()
	}
	ok := r.spawn("pull", func() {
		ctx := r.ctx
		// (ids all rejected: nothing new to learn from p)
		again := more && len(ids) > 0
		defer func() {
			unmark()
			if again && ctx.Err() == nil {
				r.spawn("reconcile the rest", func() { r.reconcile(ctx, p) })
			}
		}()
		if !r.acquire(ctx, r.pulls, 1, "sync_pulls") {
			return
		}
		defer r.pulls.Release(1)
		for len(ids) > 0 && ctx.Err() == nil {
			batch := make([]string, 0, maxBatchIDs)
			for len(batch) < maxBatchIDs && len(ids) > 0 {
				id := ids[0]
				ids = ids[1:]
				if r.isPending(id) {
					r.progress.entityDone()
					continue
				}
				batch = append(batch, id)
			}
			if len(batch) == 0 {
				continue
			}
			anns, answered, err := r.fetchDeployments(ctx, p, batch)
			// A batch that broke off before any answer (a stream cut, a
			// peer busy) is asked again, twice, before the rest waits for
			// the next reconciliation.
			for try := 1; err != nil && answered == 0 && try <= 2 && !errors.Is(err, errMisbehaved) && ctx.Err() == nil; try++ {
				select {
				case <-ctx.Done():
				case <-time.After(time.Duration(try) * 500 * time.Millisecond):
				}
				anns, answered, err = r.fetchDeployments(ctx, p, batch)
			}
			if err != nil {
				r.log.Warn("pull deployments", "peer", p, "err", err)
				r.blame(p, err)
			}
			for _, a := range anns {
				if !r.enqueue(ctx, job{ann: a, from: p, pulled: true}) {
					r.progress.entityDone()
				}
			}
			// Answered without an announcement: missing there.
			for range answered - len(anns) {
				r.progress.entityDone()
			}
			if err != nil || answered == 0 {
				// The rest of this batch and the ids after it wait for the
				// next reconciliation.
				for range len(batch) - answered + len(ids) {
					r.progress.entityDone()
				}
				again = false
				return
			}
			ids = append(batch[answered:], ids...)
		}
	})
	if !ok {
		unmark()
	}
}

// retryFailed re-fetches failed deployments from peers every minute and
// forgets failures older than maxFailureAge.
func (r *Replicator) retryFailed(ctx context.Context) {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if n, err := r.cfg.Store.PruneFailures(ctx, time.Now().Add(-maxFailureAge)); err != nil {
			r.log.Warn("prune failed deployments", "err", err)
		} else if n > 0 {
			r.log.Info("forgot old failed deployments", "count", n)
		}
		failed, err := r.cfg.Store.FailedDeployments(ctx, maxBatchIDs)
		if err != nil || len(failed) == 0 {
			continue
		}
		ids := make([]string, len(failed))
		for i, f := range failed {
			ids[i] = f.EntityID
		}
		for _, p := range r.cfg.Host.Network().Peers() {
			anns, _, err := r.fetchDeployments(ctx, p, ids)
			if err != nil {
				r.blame(p, err)
				continue
			}
			for _, a := range anns {
				r.enqueue(ctx, job{ann: a, from: p})
			}
			break
		}
	}
}

// fail records a deployment that passed the trust boundary but could not
// be applied (its content unavailable, say), to be retried.
func (r *Replicator) fail(ctx context.Context, j job, err error) {
	r.metrics.failed.Inc()
	var ve *entity.Error
	reason := "Deployment error"
	if !errors.As(err, &ve) {
		reason = "Fetch problem"
	}
	chain, _ := json.Marshal(j.ann.AuthChain)
	r.log.Warn("deployment failed", "entity", j.ann.EntityID, "peer", j.from, "attempts", j.attempt+1, "err", err)
	evicted, rerr := r.cfg.Store.RecordFailure(ctx, store.FailedDeployment{
		EntityType: j.e.Type, EntityID: j.ann.EntityID, FailureTimestamp: time.Now().UnixMilli(),
		Reason: reason, AuthChain: chain, ErrorDescription: err.Error(),
	})
	if rerr != nil {
		r.log.Error("record failed deployment", "entity", j.ann.EntityID, "err", rerr)
	}
	for range evicted {
		r.guard.Hit("failure_records")
	}
}
