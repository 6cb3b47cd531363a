package replicate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ipfs/go-cid"
	pubsub "github.com/libp2p/go-libp2p-pubsub"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	mh "github.com/multiformats/go-multihash"

	"github.com/p2pcatalyst/catalyst/p2p"
	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/entity"
	"github.com/p2pcatalyst/catalyst/sync/deploy"
	"github.com/prometheus/client_golang/prometheus"
)

// MaxAnnouncement bounds an announcement on gossip; bigger entity files
// still replicate through reconciliation.
const MaxAnnouncement = p2p.MaxMessageSize - 4096

// Config configures replication.
type Config struct {
	Host     *p2p.Host
	Store    *store.Store
	Pipeline *deploy.Pipeline
	Logger   *slog.Logger
	Metrics  prometheus.Registerer
	// ExpectPeers: the node has bootstrap peers, so it reports
	// Bootstrapping until its first reconciliation with a peer completes.
	ExpectPeers bool
	// ReconcileEvery is the period of anti-entropy rounds (0: 30 s).
	ReconcileEvery time.Duration
	// Workers apply received deployments concurrently (0: 8).
	Workers int
}

// Replicator runs replication.
type Replicator struct {
	cfg     Config
	log     *slog.Logger
	metrics *metrics
	index   *index

	topic *pubsub.Topic
	sub   *pubsub.Subscription

	jobs    chan job
	mu      sync.Mutex
	pending map[string]bool

	reconciled atomic.Bool
	progress   progress

	provide chan string
	ctx     context.Context // ends at Close
	cancel  context.CancelFunc
	bg      sync.WaitGroup
}

type job struct {
	ann     *Announcement
	from    peer.ID
	attempt int
	pulled  bool // came from reconciliation (counts towards catch-up progress)
}

// New builds the replicator and loads the index of local deployments.
func New(ctx context.Context, cfg Config) (*Replicator, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.ReconcileEvery <= 0 {
		cfg.ReconcileEvery = 30 * time.Second
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 8
	}
	r := &Replicator{
		cfg:     cfg,
		log:     cfg.Logger.With("component", "replicate"),
		metrics: newMetrics(cfg.Metrics),
		index:   &index{},
		jobs:    make(chan job, 4096),
		pending: map[string]bool{},
		provide: make(chan string, 1024),
	}
	start := time.Now()
	err := cfg.Store.ForEachKey(ctx, func(ts int64, id string) error {
		r.index.add(ts, id)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("replicate: load index: %w", err)
	}
	r.log.Info("replication index loaded", "deployments", r.index.len(), "took", time.Since(start).Round(time.Millisecond))
	return r, nil
}

// State is the synchronization state for /status: Bootstrapping until the
// first reconciliation with a peer completes (when peers are expected).
func (r *Replicator) State() string {
	if !r.cfg.ExpectPeers || r.reconciled.Load() {
		return "Syncing"
	}
	return "Bootstrapping"
}

// Start joins the network: stream handlers, the announcement topic with its
// validator, and the background loops.
func (r *Replicator) Start(ctx context.Context) error {
	bg, cancel := context.WithCancel(context.Background())
	r.ctx, r.cancel = bg, cancel
	h := r.cfg.Host
	h.SetStreamHandler(h.Protocol(protoContent), r.serveContent)
	h.SetStreamHandler(h.Protocol(protoDeployments), r.serveDeployments)
	h.SetStreamHandler(h.Protocol(protoReconcile), r.serveReconcile)

	name := h.Topic("deployments/1")
	if err := h.PubSub.RegisterTopicValidator(name, r.validate, pubsub.WithValidatorTimeout(10*time.Second), pubsub.WithValidatorConcurrency(64)); err != nil {
		return fmt.Errorf("replicate: validator: %w", err)
	}
	topic, err := h.PubSub.Join(name)
	if err != nil {
		return fmt.Errorf("replicate: join %s: %w", name, err)
	}
	if err := topic.SetScoreParams(p2p.TopicScore()); err != nil {
		return fmt.Errorf("replicate: topic score: %w", err)
	}
	sub, err := topic.Subscribe()
	if err != nil {
		return fmt.Errorf("replicate: subscribe: %w", err)
	}
	r.topic, r.sub = topic, sub

	events, unsubscribe := r.cfg.Pipeline.Subscribe(4096)
	r.spawn(func() { defer unsubscribe(); r.onApplied(bg, events) })
	r.spawn(func() { r.receive(bg) })
	for i := 0; i < r.cfg.Workers; i++ {
		r.spawn(func() { r.work(bg) })
	}
	r.spawn(func() { r.reconcileLoop(bg) })
	r.spawn(func() { r.retryFailed(bg) })
	r.spawn(func() { r.provideLoop(bg) })
	r.spawn(func() { r.progressLoop(bg) })
	h.Network().Notify(&network.NotifyBundle{ConnectedF: func(_ network.Network, c network.Conn) {
		// The lower peer id opens the reconciliation; both sides pull what they lack.
		if h.ID() < c.RemotePeer() {
			p := c.RemotePeer()
			r.spawn(func() {
				select {
				case <-time.After(200 * time.Millisecond):
				case <-bg.Done():
					return
				}
				r.reconcile(bg, p)
			})
		}
	}})
	return nil
}

func (r *Replicator) spawn(fn func()) {
	r.bg.Add(1)
	go func() { defer r.bg.Done(); fn() }()
}

// Close stops replication.
func (r *Replicator) Close() {
	if r.cancel != nil {
		r.cancel()
	}
	if r.sub != nil {
		r.sub.Cancel()
	}
	r.bg.Wait()
	if r.topic != nil {
		r.topic.Close()
	}
	h := r.cfg.Host
	for _, p := range []string{protoContent, protoDeployments, protoReconcile} {
		h.RemoveStreamHandler(h.Protocol(p))
	}
}

// validate runs before a message is delivered or forwarded: forged or
// invalid announcements are rejected (their sender is scored down), those
// already stored or in progress are ignored.
func (r *Replicator) validate(ctx context.Context, from peer.ID, msg *pubsub.Message) (res pubsub.ValidationResult) {
	defer func() {
		if v := recover(); v != nil {
			r.log.Error("validator panic", "from", from, "panic", v)
			res = pubsub.ValidationIgnore
		}
		r.metrics.gossip.WithLabelValues(validationName(res)).Inc()
	}()
	a, err := decodeAnnouncement(msg.Data)
	if err != nil || len(msg.Data) > MaxAnnouncement {
		return pubsub.ValidationReject
	}
	if from == r.cfg.Host.ID() {
		msg.ValidatorData = a
		return pubsub.ValidationAccept
	}
	if r.isPending(a.EntityID) {
		return pubsub.ValidationIgnore
	}
	if has, err := r.cfg.Store.Has(a.EntityID); err != nil || has {
		return pubsub.ValidationIgnore
	}
	if _, err := r.cfg.Pipeline.Precheck(ctx, a.EntityID, a.Entity, a.AuthChain, a.Sizes); err != nil {
		var ve *entity.Error
		if errors.As(err, &ve) {
			r.log.Debug("rejected announcement", "from", from, "entity", a.EntityID, "err", err)
			return pubsub.ValidationReject
		}
		return pubsub.ValidationIgnore
	}
	msg.ValidatorData = a
	return pubsub.ValidationAccept
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
		a, ok := msg.ValidatorData.(*Announcement)
		if !ok {
			continue
		}
		r.enqueue(ctx, job{ann: a, from: msg.ReceivedFrom})
	}
}

func (r *Replicator) isPending(id string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.pending[id]
}

// enqueue hands a deployment to the workers unless it is already queued.
func (r *Replicator) enqueue(ctx context.Context, j job) bool {
	r.mu.Lock()
	if r.pending[j.ann.EntityID] && j.attempt == 0 {
		r.mu.Unlock()
		return false
	}
	r.pending[j.ann.EntityID] = true
	r.mu.Unlock()
	r.metrics.pending.Inc()
	select {
	case r.jobs <- j:
		return true
	case <-ctx.Done():
		r.done(j.ann.EntityID)
		return false
	}
}

func (r *Replicator) done(id string) {
	r.mu.Lock()
	delete(r.pending, id)
	r.mu.Unlock()
	r.metrics.pending.Dec()
}

const maxAttempts = 5

// work applies queued deployments: fetch the missing content, then the
// pipeline with origin synced.
func (r *Replicator) work(ctx context.Context) {
	for {
		var j job
		select {
		case j = <-r.jobs:
		case <-ctx.Done():
			return
		}
		err := r.apply(ctx, j)
		if err == nil || ctx.Err() != nil {
			r.done(j.ann.EntityID)
			if j.pulled {
				r.progress.entityDone()
			}
			continue
		}
		var ve *entity.Error
		permanent := errors.As(err, &ve)
		if permanent || j.attempt+1 >= maxAttempts {
			r.fail(ctx, j, err)
			r.done(j.ann.EntityID)
			if j.pulled {
				r.progress.entityDone()
			}
			continue
		}
		// Retry with backoff, off the worker.
		j.attempt++
		delay := time.Duration(1<<j.attempt) * 500 * time.Millisecond
		r.spawn(func() {
			select {
			case <-time.After(delay):
				r.metrics.pending.Dec() // enqueue counts it again
				r.enqueue(ctx, j)
			case <-ctx.Done():
				r.done(j.ann.EntityID)
			}
		})
	}
}

func (r *Replicator) apply(ctx context.Context, j job) error {
	a := j.ann
	e, err := entity.Parse(a.EntityID, a.Entity)
	if err != nil {
		return err
	}
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
	for _, h := range e.Hashes() {
		if _, ok := look.Stored[h]; ok {
			continue
		}
		size, ok := a.Sizes[h]
		if !ok {
			cleanup()
			return entity.Errorf("The size of %s is not declared.", h)
		}
		f, err := r.fetchAny(ctx, j, h, size)
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
// full replica), then providers of the entity found in the DHT.
func (r *Replicator) fetchAny(ctx context.Context, j job, hash string, size int64) (deploy.File, error) {
	h := r.cfg.Host
	tried := map[peer.ID]bool{h.ID(): true}
	var errs []error
	try := func(p peer.ID) (deploy.File, bool) {
		if p == "" || tried[p] {
			return deploy.File{}, false
		}
		tried[p] = true
		cctx, cancel := context.WithTimeout(ctx, deadlineFor(size).Sub(time.Now()))
		defer cancel()
		f, err := r.fetchContent(cctx, p, hash, size)
		if err != nil {
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
	if c, err := entityCID(j.ann.EntityID); err == nil {
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
	if len(errs) == 0 {
		return deploy.File{}, errors.New("no peer to fetch from")
	}
	return deploy.File{}, errors.Join(errs...)
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
func (r *Replicator) onApplied(ctx context.Context, events <-chan deploy.Applied) {
	for {
		var ev deploy.Applied
		var ok bool
		select {
		case ev, ok = <-events:
			if !ok {
				return
			}
		case <-ctx.Done():
			return
		}
		d := ev.Deployment
		r.index.add(d.Timestamp, d.ID)
		select {
		case r.provide <- d.ID:
		default: // the DHT is slower than deployments: skip, peers still find it
		}
		if ev.Origin != deploy.Local {
			continue
		}
		a, err := announcementOf(ctx, r.cfg.Store, d.ID, r.cfg.Host.ID().String())
		if err != nil {
			r.log.Error("announce", "entity", d.ID, "err", err)
			continue
		}
		data, _ := json.Marshal(a)
		if len(data) > MaxAnnouncement {
			r.log.Info("entity file too large to gossip; peers get it by reconciliation", "entity", d.ID, "bytes", len(data))
			continue
		}
		if err := r.topic.Publish(ctx, data); err != nil && ctx.Err() == nil {
			r.log.Warn("publish", "entity", d.ID, "err", err)
			continue
		}
		r.metrics.published.Inc()
	}
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
	cctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	start := time.Now()
	res, err := r.reconcileWith(cctx, p)
	r.metrics.reconcileBytes.Add(float64(res.Bytes))
	if err != nil {
		r.metrics.reconciles.WithLabelValues("error").Inc()
		r.log.Debug("reconciliation failed", "peer", p, "err", err)
		return
	}
	r.metrics.reconciles.WithLabelValues("ok").Inc()
	r.metrics.reconcileRounds.Observe(float64(res.Rounds))
	r.log.Debug("reconciled", "peer", p, "missing", len(res.Need), "rounds", res.Rounds, "bytes", res.Bytes, "took", time.Since(start))
	if len(res.Need) > 0 {
		r.pull(p, res.Need)
	}
	r.markReconciled()
}

func (r *Replicator) markReconciled() {
	if !r.reconciled.Swap(true) && r.cfg.ExpectPeers {
		r.log.Info("first reconciliation done: synchronization state is Syncing")
	}
}

// pull fetches the deployments keys name from p, in batches, and queues
// them. It runs off the caller's goroutine; queuing blocks when the
// workers are behind (back-pressure, bounded memory).
func (r *Replicator) pull(p peer.ID, keys []Key) {
	r.markReconciled()
	r.progress.add(len(keys))
	r.spawn(func() {
		ctx := r.ctx
		for start := 0; start < len(keys) && ctx.Err() == nil; start += maxBatchIDs {
			end := min(start+maxBatchIDs, len(keys))
			ids := make([]string, 0, end-start)
			for _, k := range keys[start:end] {
				if !r.isPending(k.ID) {
					ids = append(ids, k.ID)
				}
			}
			anns, err := r.fetchDeployments(ctx, p, ids)
			if err != nil {
				r.log.Warn("pull deployments", "peer", p, "err", err)
			}
			got := map[string]bool{}
			for _, a := range anns {
				got[a.EntityID] = true
				if !r.enqueue(ctx, job{ann: a, from: p, pulled: true}) {
					r.progress.entityDone()
				}
			}
			for range len(keys[start:end]) - len(got) {
				r.progress.entityDone()
			}
		}
	})
}

// retryFailed re-fetches failed deployments from peers every minute.
func (r *Replicator) retryFailed(ctx context.Context) {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
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
			anns, err := r.fetchDeployments(ctx, p, ids)
			if err != nil {
				continue
			}
			for _, a := range anns {
				r.enqueue(ctx, job{ann: a, from: p})
			}
			break
		}
	}
}

func (r *Replicator) fail(ctx context.Context, j job, err error) {
	r.metrics.failed.Inc()
	var ve *entity.Error
	reason := "Deployment error"
	if !errors.As(err, &ve) {
		reason = "Fetch problem"
	}
	typ := entity.Type("")
	if e, perr := entity.Parse(j.ann.EntityID, j.ann.Entity); perr == nil {
		typ = e.Type
	}
	chain, _ := json.Marshal(j.ann.AuthChain)
	r.log.Warn("deployment failed", "entity", j.ann.EntityID, "attempts", j.attempt+1, "err", err)
	if rerr := r.cfg.Store.RecordFailure(ctx, store.FailedDeployment{
		EntityType: typ, EntityID: j.ann.EntityID, FailureTimestamp: time.Now().UnixMilli(),
		Reason: reason, AuthChain: chain, ErrorDescription: err.Error(),
	}); rerr != nil {
		r.log.Error("record failed deployment", "entity", j.ann.EntityID, "err", rerr)
	}
}
