package bridge

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/authchain"
	"github.com/p2pcatalyst/catalyst/store/entity"
	"github.com/p2pcatalyst/catalyst/store/hashing"
	"github.com/p2pcatalyst/catalyst/sync/deploy"
)

// ImporterConfig configures the import from HTTP catalysts.
type ImporterConfig struct {
	Servers  *Servers
	Store    *store.Store
	Pipeline *deploy.Pipeline
	Logger   *slog.Logger
	Metrics  prometheus.Registerer
	// Every is the poll period of /pointer-changes (0: 5 s, as the real
	// catalyst).
	Every time.Duration
	// Concurrency bounds the entities fetched at once from one server
	// (0: 8).
	Concurrency int
	// HTTP is the client (nil: the bridge's, which follows no redirect).
	HTTP *http.Client
	// RetryEvery is how often deployments that failed for want of an
	// answer are tried again (0: 5 minutes).
	RetryEvery time.Duration
	// A download slower than MinRate bytes/s (0: 64 KiB/s) after
	// SlowGrace (0: 30 s) is cut.
	MinRate   int
	SlowGrace time.Duration
}

// Importer brings the history of every server of the list into the
// node: first the server's snapshots, then its pointer-changes from the
// cursor kept per server, every deployment through the pipeline with
// origin synced. A restart resumes from the cursors.
type Importer struct {
	cfg  ImporterConfig
	ks   *store.Keyspace
	log  *slog.Logger
	http *http.Client
	m    *importMetrics

	cancel context.CancelFunc
	done   chan struct{}

	progress progress
	rateMu   sync.Mutex
	rate     float64

	statusMu sync.Mutex
	status   map[string]*ServerStatus
}

// ServerStatus is the sync with one server, as /content/status lists
// it (synchronizationStatus.otherServers).
type ServerStatus struct {
	Address                 string `json:"address"`
	ConnectionState         string `json:"connectionState"` // Connected | Connection lost | Connecting
	LastDeploymentTimestamp int64  `json:"lastDeploymentTimestamp"`
	LastSync                int64  `json:"lastSync,omitempty"` // ms
	Error                   string `json:"error,omitempty"`
}

// Servers reports the sync with each server of the list.
func (im *Importer) Servers() []ServerStatus {
	im.statusMu.Lock()
	defer im.statusMu.Unlock()
	var out []ServerStatus
	for _, s := range im.cfg.Servers.List() {
		if st, ok := im.status[s.BaseURL]; ok {
			out = append(out, *st)
		} else {
			out = append(out, ServerStatus{Address: s.BaseURL, ConnectionState: "Connecting"})
		}
	}
	return out
}

func (im *Importer) note(base string, err error) {
	c, _ := im.cursor(context.Background(), base)
	im.statusMu.Lock()
	defer im.statusMu.Unlock()
	if im.status == nil {
		im.status = map[string]*ServerStatus{}
	}
	st := im.status[base]
	if st == nil {
		st = &ServerStatus{Address: base}
		im.status[base] = st
	}
	st.LastDeploymentTimestamp = c.From
	if err != nil {
		st.ConnectionState, st.Error = "Connection lost", err.Error()
		if len(st.Error) > 300 {
			st.Error = st.Error[:300]
		}
		return
	}
	st.ConnectionState, st.Error, st.LastSync = "Connected", "", time.Now().UnixMilli()
}

// Limits of what a server may send.
const (
	maxListBytes     = 16 << 20  // /snapshots, a page of /pointer-changes
	maxSnapshotBytes = 4 << 30   // one snapshot file
	maxSnapshotLine  = 256 << 10 // one entity of a snapshot (its auth chain)
	pageLimit        = 500
)

// NewImporter builds the importer; Start runs it.
func NewImporter(cfg ImporterConfig) *Importer {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Every == 0 {
		cfg.Every = 5 * time.Second
	}
	if cfg.Concurrency == 0 {
		cfg.Concurrency = 8
	}
	if cfg.RetryEvery == 0 {
		cfg.RetryEvery = 5 * time.Minute
	}
	if cfg.MinRate == 0 {
		cfg.MinRate = 64 << 10
	}
	if cfg.SlowGrace == 0 {
		cfg.SlowGrace = 30 * time.Second
	}
	h := cfg.HTTP
	if h == nil {
		h = &http.Client{
			Timeout:       0, // per request, below
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
			Transport: &http.Transport{
				Proxy: http.ProxyFromEnvironment, MaxIdleConnsPerHost: 16, IdleConnTimeout: 90 * time.Second,
				ResponseHeaderTimeout: 30 * time.Second, TLSHandshakeTimeout: 10 * time.Second,
			},
		}
	}
	return &Importer{cfg: cfg, ks: cfg.Store.Keyspace("bridge"), log: cfg.Logger.With("component", "bridge"), http: h, m: newImportMetrics(cfg.Metrics)}
}

// Start runs one worker per server of the list, started and stopped as
// the list changes.
func (im *Importer) Start(context.Context) error {
	ctx, cancel := context.WithCancel(context.Background())
	im.cancel, im.done = cancel, make(chan struct{})
	go func() {
		defer close(im.done)
		go im.report(ctx)
		go im.retryFailed(ctx)
		im.supervise(ctx)
	}()
	return nil
}

// Stop stops every worker.
func (im *Importer) Stop(context.Context) error {
	if im.cancel != nil {
		im.cancel()
		<-im.done
	}
	return nil
}

func (im *Importer) supervise(ctx context.Context) {
	type running struct {
		cancel context.CancelFunc
		done   chan struct{}
	}
	workers := map[string]running{}
	defer func() {
		for _, w := range workers {
			w.cancel()
			<-w.done
		}
	}()
	for {
		changed := im.cfg.Servers.Changed()
		want := map[string]bool{}
		for _, s := range im.cfg.Servers.List() {
			want[s.BaseURL] = true
			if _, ok := workers[s.BaseURL]; ok {
				continue
			}
			wctx, cancel := context.WithCancel(ctx)
			r := running{cancel, make(chan struct{})}
			workers[s.BaseURL] = r
			go func(base string) {
				defer close(r.done)
				im.serve(wctx, base)
			}(s.BaseURL)
		}
		for base, w := range workers {
			if !want[base] {
				w.cancel()
				<-w.done
				delete(workers, base)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-changed:
		}
	}
}

// serve syncs with one server until ctx ends: bootstrap, then a poll
// every Every; a failure waits longer each time (to 5 minutes).
func (im *Importer) serve(ctx context.Context, base string) {
	log := im.log.With("server", base)
	wait := im.cfg.Every
	for {
		err := im.safeSync(ctx, base, log)
		if ctx.Err() != nil {
			return
		}
		im.note(base, err)
		if err != nil {
			im.m.failures.WithLabelValues(base).Inc()
			log.Warn("sync with the catalyst failed; trying again", "err", err, "in", wait)
			wait = min(wait*2, 5*time.Minute)
		} else {
			wait = im.cfg.Every
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}

func (im *Importer) safeSync(ctx context.Context, base string, log *slog.Logger) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("bridge: panic: %v\n%s", r, debug.Stack())
		}
	}()
	return im.Sync(ctx, base, log)
}

// cursor is what the node knows of its sync with a server.
type cursor struct {
	Snapshots    []string `json:"snapshots"` // processed
	Bootstrapped bool     `json:"bootstrapped"`
	// SnapshotsRead is when the snapshots were last read (ms): they are
	// read again an hour after the bootstrap, then every 14 days, as
	// snapshots-fetcher does, for what pointer-changes may have missed.
	SnapshotsRead int64 `json:"snapshotsRead,omitempty"`
	Rereads       int   `json:"rereads,omitempty"`
	// From and LastID are where pointer-changes resume: the last
	// processed delta's local timestamp and entity id.
	From   int64  `json:"from"`
	LastID string `json:"lastId,omitempty"`
}

func cursorKey(base string) string { return "cursor/" + base }

func (im *Importer) cursor(ctx context.Context, base string) (cursor, error) {
	var c cursor
	v, err := im.ks.Get(ctx, cursorKey(base))
	if errors.Is(err, store.ErrNotFound) {
		return c, nil
	}
	if err != nil {
		return c, err
	}
	return c, json.Unmarshal(v, &c)
}

func (im *Importer) save(ctx context.Context, base string, c cursor) error {
	b, _ := json.Marshal(c)
	return im.ks.Write(ctx, map[string][]byte{cursorKey(base): b})
}

// Sync runs one round with a server: its snapshots not processed yet,
// then every pointer change after the cursor.
func (im *Importer) Sync(ctx context.Context, base string, log *slog.Logger) error {
	c, err := im.cursor(ctx, base)
	if err != nil {
		return err
	}
	if !c.Bootstrapped || im.rereadDue(c) {
		if err := im.bootstrap(ctx, base, &c, log); err != nil {
			return err
		}
	}
	return im.poll(ctx, base, &c)
}

// rereadDue: an hour after the bootstrap, then every 14 days.
func (im *Importer) rereadDue(c cursor) bool {
	every := 14 * 24 * time.Hour
	if c.Rereads == 0 {
		every = time.Hour
	}
	return time.Since(time.UnixMilli(c.SnapshotsRead)) > every
}

// bootstrap imports the snapshots of a server, oldest range first
// (each remembered once imported, so a restart goes on with the next);
// the pointer-changes cursor starts 20 minutes before the end of the
// newest range.
func (im *Importer) bootstrap(ctx context.Context, base string, c *cursor, log *slog.Logger) error {
	var list []entity.SnapshotMetadata
	if err := im.getJSON(ctx, base+"/content/snapshots", &list); err != nil {
		return fmt.Errorf("snapshots: %w", err)
	}
	slices.SortFunc(list, func(a, b entity.SnapshotMetadata) int {
		return int(a.TimeRange.InitTimestamp - b.TimeRange.InitTimestamp)
	})
	end := c.From
	for _, s := range list {
		if !hashing.IsV1(s.Hash) && !strings.HasPrefix(s.Hash, "Qm") {
			return fmt.Errorf("snapshots: %q is not a content hash", s.Hash)
		}
		if slices.Contains(c.Snapshots, s.Hash) || replacesProcessed(s, c.Snapshots) {
			end = max(end, s.TimeRange.EndTimestamp)
			continue
		}
		log.Info("importing a snapshot", "hash", s.Hash, "entities", s.NumberOfEntities,
			"from", time.UnixMilli(s.TimeRange.InitTimestamp).UTC(), "to", time.UnixMilli(s.TimeRange.EndTimestamp).UTC())
		im.progress.expected.Add(int64(s.NumberOfEntities))
		if err := im.importSnapshot(ctx, base, s, log); err != nil {
			return fmt.Errorf("snapshot %s: %w", s.Hash, err)
		}
		c.Snapshots = append(c.Snapshots, s.Hash)
		end = max(end, s.TimeRange.EndTimestamp)
		if err := im.save(ctx, base, *c); err != nil {
			return err
		}
	}
	if c.Bootstrapped {
		// A re-read: the changes go on from where they were.
		c.Rereads++
	} else {
		// The changes start 20 minutes before the newest snapshot's end,
		// as snapshots-fetcher starts them: what was deployed while the
		// snapshot was made is not missed.
		c.Bootstrapped, c.From, c.LastID = true, max(end-20*60*1000, 0), ""
	}
	c.SnapshotsRead = time.Now().UnixMilli()
	return im.save(ctx, base, *c)
}

// replacesProcessed: a snapshot that merges snapshots all imported
// already brings nothing new (snapshots-fetcher's rule).
func replacesProcessed(s entity.SnapshotMetadata, done []string) bool {
	if len(s.ReplacedSnapshotHashes) == 0 {
		return false
	}
	for _, h := range s.ReplacedSnapshotHashes {
		if !slices.Contains(done, h) {
			return false
		}
	}
	return true
}

// importSnapshot downloads a snapshot file, refuses it unless it hashes
// to its name, and deploys each entity of it the node does not have.
func (im *Importer) importSnapshot(ctx context.Context, base string, s entity.SnapshotMetadata, log *slog.Logger) error {
	tmp, err := im.download(ctx, base, s.Hash, maxSnapshotBytes)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	f, err := os.Open(tmp)
	if err != nil {
		return err
	}
	defer f.Close()
	got, err := hashing.For(s.Hash)(f)
	if err != nil {
		return err
	}
	if got != s.Hash {
		return fmt.Errorf("the snapshot %s of %s hashes to %s", s.Hash, base, got)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), maxSnapshotLine)
	first := true
	var batch []entity.SnapshotEntry
	for sc.Scan() {
		line := sc.Bytes()
		if first {
			first = false
			if string(line) == entity.SnapshotHeader {
				continue
			}
		}
		if len(line) == 0 {
			continue
		}
		var e entity.SnapshotEntry
		if err := json.Unmarshal(line, &e); err != nil || e.EntityID == "" {
			im.m.skipped.WithLabelValues(base, "malformed").Inc()
			continue
		}
		batch = append(batch, e)
		im.progress.seen.Add(1)
		if len(batch) == 256 {
			im.deployAll(ctx, base, batch)
			batch = batch[:0]
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("reading the snapshot: %w", err)
	}
	im.deployAll(ctx, base, batch)
	return ctx.Err()
}

// delta is one entry of /pointer-changes.
type delta struct {
	EntityType     string          `json:"entityType"`
	EntityID       string          `json:"entityId"`
	Pointers       []string        `json:"pointers"`
	LocalTimestamp int64           `json:"localTimestamp"`
	AuthChain      authchain.Chain `json:"authChain"`
}

// poll reads pointer-changes after the cursor, page by page, and
// deploys them; the cursor moves after each page.
func (im *Importer) poll(ctx context.Context, base string, c *cursor) error {
	for pages := 0; pages < 1000; pages++ {
		q := url.Values{}
		q.Set("from", fmt.Sprint(c.From))
		q.Set("sortingOrder", "ASC")
		q.Set("sortingField", "local_timestamp")
		q.Set("limit", fmt.Sprint(pageLimit))
		if c.LastID != "" {
			q.Set("lastId", c.LastID)
		}
		var page struct {
			Deltas     []delta `json:"deltas"`
			Pagination struct {
				MoreData bool `json:"moreData"`
			} `json:"pagination"`
		}
		if err := im.getJSON(ctx, base+"/content/pointer-changes?"+q.Encode(), &page); err != nil {
			return fmt.Errorf("pointer-changes: %w", err)
		}
		var todo []entity.SnapshotEntry
		for _, d := range page.Deltas {
			if d.LocalTimestamp < c.From || (d.LocalTimestamp == c.From && d.EntityID == c.LastID) {
				continue // the overlap of the last page
			}
			todo = append(todo, entity.SnapshotEntry{EntityID: d.EntityID, EntityType: d.EntityType, Pointers: d.Pointers, AuthChain: d.AuthChain})
		}
		im.deployAll(ctx, base, todo)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if n := len(page.Deltas); n > 0 {
			last := page.Deltas[n-1]
			if page.Pagination.MoreData && last.LocalTimestamp == c.From && last.EntityID == c.LastID {
				return fmt.Errorf("pointer-changes: the server answers the same page again (it ignores lastId?)")
			}
			if last.LocalTimestamp < c.From {
				return fmt.Errorf("pointer-changes: the server went back in time (%d after %d)", last.LocalTimestamp, c.From)
			}
			c.From, c.LastID = last.LocalTimestamp, last.EntityID
			if err := im.save(ctx, base, *c); err != nil {
				return err
			}
		}
		im.m.cursor.WithLabelValues(base).Set(float64(c.From) / 1000)
		if !page.Pagination.MoreData || len(page.Deltas) == 0 {
			return nil
		}
	}
	return nil
}

// deployAll deploys entries, Concurrency at once. An entry that fails
// is recorded as a failed deployment (its content may come later).
func (im *Importer) deployAll(ctx context.Context, base string, entries []entity.SnapshotEntry) {
	sem := make(chan struct{}, im.cfg.Concurrency)
	var wg sync.WaitGroup
	for _, e := range entries {
		if ctx.Err() != nil {
			break
		}
		sem <- struct{}{}
		wg.Add(1)
		go func(e entity.SnapshotEntry) {
			defer func() { <-sem; wg.Done() }()
			defer func() {
				if r := recover(); r != nil {
					im.log.Error("importing an entity panicked", "entity", e.EntityID, "panic", r)
				}
			}()
			im.deployOne(ctx, base, e)
		}(e)
	}
	wg.Wait()
}

func (im *Importer) deployOne(ctx context.Context, base string, e entity.SnapshotEntry) {
	look, err := im.cfg.Store.Lookup(ctx, e.EntityID, nil, nil)
	if err == nil && look.Existing != nil {
		im.m.entities.WithLabelValues(base, "present").Inc()
		return
	}
	res, err := im.fetchAndDeploy(ctx, base, e)
	outcome := "applied"
	var ve *entity.Error
	switch {
	case err == nil && res.Existed:
		outcome = "present"
	case err == nil:
		im.progress.entities.Add(1)
	case ctx.Err() != nil:
		return
	case errors.As(err, &ve):
		outcome = "rejected"
	default:
		outcome = "failed"
	}
	im.m.entities.WithLabelValues(base, outcome).Inc()
	if err != nil {
		im.recordFailure(ctx, base, e, err, outcome == "rejected")
	}
}

// The reasons of the failures the bridge records: a refusal stays one;
// a failure to fetch or to check (a server or an RPC that did not
// answer) is tried again.
const (
	reasonRejected = "Deployment rejected"
	reasonFailed   = "Deployment failed"
)

func (im *Importer) recordFailure(ctx context.Context, base string, e entity.SnapshotEntry, err error, rejected bool) {
	chain, _ := json.Marshal(e.AuthChain)
	reason := reasonFailed
	if rejected {
		reason = reasonRejected
	}
	im.cfg.Store.RecordFailure(ctx, store.FailedDeployment{
		EntityType: entity.Type(e.EntityType), EntityID: e.EntityID, FailureTimestamp: time.Now().UnixMilli(),
		Reason: reason, AuthChain: chain, ErrorDescription: "from " + base + ": " + err.Error(),
	})
	im.log.Debug("an entity of the catalyst was not imported", "server", base, "entity", e.EntityID, "err", err)
}

// retryFailed tries again, every RetryEvery, the deployments from HTTP
// catalysts that failed for want of an answer (at most 500 a round);
// one applied takes its record with it.
func (im *Importer) retryFailed(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(im.cfg.RetryEvery):
		}
		list, err := im.cfg.Store.FailedDeployments(ctx, 10000)
		if err != nil {
			continue
		}
		tried := 0
		for _, f := range list {
			base, ok := strings.CutPrefix(f.ErrorDescription, "from ")
			if f.Reason != reasonFailed || !ok || tried == 500 || ctx.Err() != nil {
				continue
			}
			base, _, _ = strings.Cut(base, ": ")
			var chain authchain.Chain
			if json.Unmarshal(f.AuthChain, &chain) != nil {
				continue
			}
			tried++
			im.deployOne(ctx, base, entity.SnapshotEntry{EntityID: f.EntityID, EntityType: string(f.EntityType), AuthChain: chain})
		}
	}
}

// fetchAndDeploy gets an entity's file and the content the node does
// not hold, each verified against its hash, and deploys it.
func (im *Importer) fetchAndDeploy(ctx context.Context, base string, e entity.SnapshotEntry) (deploy.Result, error) {
	if !hashing.IsV1(e.EntityID) && !strings.HasPrefix(e.EntityID, "Qm") {
		return deploy.Result{}, entity.Errorf("%q is not an entity id", e.EntityID)
	}
	ef, err := im.fetchFile(ctx, base, e.EntityID, deploy.MaxEntityBytes, deploy.MaxEntityBytes)
	if err != nil {
		return deploy.Result{}, err
	}
	file := ef.Data
	// The trust boundary of a deployment from elsewhere, before any of
	// its content is fetched: the file's bounds, its rules, its signature.
	ent, err := im.cfg.Pipeline.Vet(ctx, e.EntityID, file, e.AuthChain)
	if err != nil {
		return deploy.Result{}, err
	}
	files := []deploy.File{{Data: file, Size: int64(len(file))}}
	defer func() {
		for _, f := range files {
			if f.Path != "" {
				os.Remove(f.Path)
			}
		}
	}()
	look, err := im.cfg.Store.Lookup(ctx, e.EntityID, ent, ent.Hashes())
	if err != nil {
		return deploy.Result{}, err
	}
	// What an entity may weigh: its type's size per pointer, at most the
	// pipeline's total; at most maxHeldPerEntity of it in memory.
	budget := min(ent.MaxBytesPerPointer()*int64(max(len(ent.Pointers), 1)), deploy.MaxTotalBytes)
	memory := int64(maxHeldPerEntity)
	seen := map[string]bool{}
	for _, h := range ent.Hashes() {
		if _, ok := look.Stored[h]; ok || seen[h] {
			continue
		}
		seen[h] = true
		if budget <= 0 {
			return deploy.Result{}, entity.Errorf("The content of %s is bigger than its type allows.", e.EntityID)
		}
		f, err := im.fetchFile(ctx, base, h, min(budget, deploy.MaxFileBytes), min(memory, spoolAbove))
		if f.Path == "" {
			memory -= f.Size
		}
		if err != nil {
			return deploy.Result{}, err
		}
		files = append(files, f)
		budget -= f.Size
		im.progress.bytes.Add(f.Size)
	}
	return im.cfg.Pipeline.Deploy(ctx, deploy.Request{EntityID: e.EntityID, AuthChain: e.AuthChain, Files: files, Origin: deploy.Synced})
}

// fetchFile gets /content/contents/:hash from the server that listed it,
// else from the other servers of the list (at most 3 in all), verified.
// Up to keep bytes it stays in memory, else it is spooled to disk.
func (im *Importer) fetchFile(ctx context.Context, base, hash string, limit, keep int64) (deploy.File, error) {
	tried := 0
	var errs []error
	for _, b := range append([]string{base}, im.others(base)...) {
		if tried++; tried > 3 {
			break
		}
		f, err := im.fetchFrom(ctx, b, hash, limit, keep)
		if err == nil {
			return f, nil
		}
		errs = append(errs, err)
		if ctx.Err() != nil {
			break
		}
	}
	return deploy.File{}, errors.Join(errs...)
}

func (im *Importer) others(base string) []string {
	var out []string
	for _, s := range im.cfg.Servers.List() {
		if s.BaseURL != base {
			out = append(out, s.BaseURL)
		}
	}
	return out
}

// spoolAbove is the size past which a file goes to a spool file, and
// maxHeldPerEntity what the content of one entity may hold in memory.
const (
	spoolAbove       = 1 << 20
	maxHeldPerEntity = 16 << 20
)

// fetchFrom downloads /content/contents/:hash of one server, at most
// limit bytes, and verifies it hashes to hash: in memory up to keep
// bytes, else in a spool file of the store.
func (im *Importer) fetchFrom(ctx context.Context, base, hash string, limit, keep int64) (deploy.File, error) {
	data, path, err := im.get(ctx, base, hash, limit, keep)
	if err != nil {
		return deploy.File{}, err
	}
	var got string
	var f deploy.File
	if path == "" {
		got, f = hashing.Bytes(hash, data), deploy.File{Data: data, Size: int64(len(data))}
	} else {
		r, err := os.Open(path)
		if err != nil {
			os.Remove(path)
			return deploy.File{}, err
		}
		got, err = hashing.For(hash)(r)
		st, _ := r.Stat()
		r.Close()
		if err != nil {
			os.Remove(path)
			return deploy.File{}, err
		}
		f = deploy.File{Path: path, Size: st.Size()}
	}
	if got != hash {
		if path != "" {
			os.Remove(path)
		}
		return deploy.File{}, fmt.Errorf("%s/content/contents/%s sent bytes that hash to %s", base, hash, got)
	}
	return f, nil
}

// download streams a file into a spool file of the store (a snapshot).
func (im *Importer) download(ctx context.Context, base, hash string, limit int64) (string, error) {
	_, path, err := im.get(ctx, base, hash, limit, 0)
	return path, err
}

// get reads /content/contents/:hash of a server, at most limit bytes,
// in memory when it is at most keep bytes, else into a spool file (the
// path is returned), with a deadline that grows with what is read (cut
// below MinRate after SlowGrace).
func (im *Importer) get(ctx context.Context, base, hash string, limit, keep int64) ([]byte, string, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "GET", base+"/content/contents/"+hash, nil)
	if err != nil {
		return nil, "", err
	}
	res, err := im.http.Do(req)
	if err != nil {
		return nil, "", err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, "", fmt.Errorf("GET %s: %s", req.URL, res.Status)
	}
	if res.ContentLength > limit {
		return nil, "", fmt.Errorf("GET %s: %d bytes, more than the %d allowed", req.URL, res.ContentLength, limit)
	}
	body := newPaced(io.LimitReader(res.Body, limit+1), cancel, im.cfg.SlowGrace, float64(im.cfg.MinRate))
	defer body.done()
	fail := func(err error) ([]byte, string, error) {
		if body.slow.Load() {
			err = fmt.Errorf("GET %s: slower than %d KiB/s", req.URL, int(body.rate)>>10)
		}
		return nil, "", err
	}
	// Up to keep bytes in memory.
	head, err := io.ReadAll(io.LimitReader(body, keep+1))
	if err != nil {
		return fail(err)
	}
	if int64(len(head)) <= keep {
		body.done()
		if int64(len(head)) > limit {
			return nil, "", fmt.Errorf("GET %s: more than the %d bytes allowed", req.URL, limit)
		}
		return head, "", nil
	}
	tmp, err := im.cfg.Store.TempFile()
	if err != nil {
		return nil, "", err
	}
	_, err = tmp.Write(head)
	var n int64
	if err == nil {
		n, err = io.Copy(tmp, body)
		n += int64(len(head))
	}
	body.done()
	if err == nil && n > limit {
		err = fmt.Errorf("GET %s: more than the %d bytes allowed", req.URL, limit)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fail(err)
	}
	return nil, tmp.Name(), nil
}

// paced cancels a download that falls behind 64 KiB/s after a 30 s grace.
type paced struct {
	r      io.Reader
	start  time.Time
	n      int64
	cancel context.CancelFunc
	slow   atomic.Bool
	over   atomic.Bool // the download ended: stop checking
	mu     sync.Mutex  // guards timer
	timer  *time.Timer
	grace  time.Duration
	rate   float64 // bytes/s
}

func newPaced(r io.Reader, cancel context.CancelFunc, grace time.Duration, rate float64) *paced {
	p := &paced{r: r, start: time.Now(), cancel: cancel, grace: grace, rate: rate}
	p.mu.Lock()
	p.timer = time.AfterFunc(grace, p.check)
	p.mu.Unlock()
	return p
}

func (p *paced) Read(b []byte) (int, error) {
	k, err := p.r.Read(b)
	atomic.AddInt64(&p.n, int64(k))
	return k, err
}

// done stops watching the pace.
func (p *paced) done() {
	p.over.Store(true)
	p.mu.Lock()
	p.timer.Stop()
	p.mu.Unlock()
}

func (p *paced) check() {
	if p.over.Load() {
		return
	}
	elapsed := time.Since(p.start)
	if atomic.LoadInt64(&p.n) < int64((elapsed-p.grace).Seconds()*p.rate) {
		p.slow.Store(true)
		p.cancel()
		return
	}
	p.mu.Lock()
	p.timer.Reset(p.grace / 6)
	p.mu.Unlock()
}

// getJSON reads a JSON answer of at most maxListBytes.
func (im *Importer) getJSON(ctx context.Context, u string, into any) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "GET", u, nil)
	if err != nil {
		return err
	}
	res, err := im.http.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", u, res.Status)
	}
	b, err := io.ReadAll(io.LimitReader(res.Body, maxListBytes+1))
	if err != nil {
		return err
	}
	if len(b) > maxListBytes {
		return fmt.Errorf("GET %s: more than %d bytes", u, maxListBytes)
	}
	return json.Unmarshal(b, into)
}

// progress counts what was imported.
type progress struct {
	entities atomic.Int64 // applied
	bytes    atomic.Int64 // content downloaded
	expected atomic.Int64 // entities of the snapshots being imported
	seen     atomic.Int64 // of those, handled
}

// Progress is the import's state for logs, /content/status and the
// dashboard.
type Progress struct {
	Entities  int64   `json:"entities"`  // applied since start
	Bytes     int64   `json:"bytes"`     // content downloaded since start
	Remaining int64   `json:"remaining"` // entities of the snapshots still to handle
	Rate      float64 `json:"entitiesPerSecond"`
	ETA       string  `json:"eta,omitempty"`
}

// Progress reports the import.
func (im *Importer) Progress() Progress {
	p := Progress{Entities: im.progress.entities.Load(), Bytes: im.progress.bytes.Load(), Remaining: max(im.progress.expected.Load()-im.progress.seen.Load(), 0)}
	im.rateMu.Lock()
	p.Rate = im.rate
	im.rateMu.Unlock()
	if p.Rate > 0 && p.Remaining > 0 {
		p.ETA = (time.Duration(float64(p.Remaining)/p.Rate) * time.Second).Round(time.Second).String()
	}
	return p
}

// report logs the import every 10 s while entities arrive.
func (im *Importer) report(ctx context.Context) {
	last, lastAt := im.progress.seen.Load()+im.progress.entities.Load(), time.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(10 * time.Second):
		}
		now := im.progress.seen.Load() + im.progress.entities.Load()
		rate := float64(now-last) / time.Since(lastAt).Seconds()
		im.rateMu.Lock()
		im.rate = rate
		im.rateMu.Unlock()
		last, lastAt = now, time.Now()
		if rate == 0 {
			continue
		}
		p := im.Progress()
		im.log.Info("importing from HTTP catalysts", "entities", p.Entities, "MB", p.Bytes>>20, "per_second", int(rate), "remaining", p.Remaining, "eta", p.ETA)
	}
}

// Imported is how many entities and content bytes were imported since
// start.
func (im *Importer) Imported() (entities, bytes int64) {
	return im.progress.entities.Load(), im.progress.bytes.Load()
}

type importMetrics struct {
	entities *prometheus.CounterVec
	skipped  *prometheus.CounterVec
	failures *prometheus.CounterVec
	cursor   *prometheus.GaugeVec
}

func newImportMetrics(reg prometheus.Registerer) *importMetrics {
	m := &importMetrics{
		entities: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "catalyst_bridge_entities_total",
			Help: "Entities seen from HTTP catalysts, by server and outcome (applied, present, rejected, failed)."}, []string{"server", "outcome"}),
		skipped: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "catalyst_bridge_skipped_total",
			Help: "Lines of snapshots and changes that were not entities."}, []string{"server", "reason"}),
		failures: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "catalyst_bridge_sync_failures_total",
			Help: "Sync rounds with a server that failed."}, []string{"server"}),
		cursor: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "catalyst_bridge_cursor_seconds",
			Help: "The local timestamp of the last change imported from a server (unix s)."}, []string{"server"}),
	}
	if reg != nil {
		reg.MustRegister(m.entities, m.skipped, m.failures, m.cursor)
	}
	return m
}
