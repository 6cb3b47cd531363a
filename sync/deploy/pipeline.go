// Package deploy is the deployment pipeline: the single component through
// which every entity enters the store, whatever its origin (an HTTP upload,
// and later gossip, reconciliation or the HTTP bridge). It hashes the
// uploaded files, runs the validations of PROTOCOL.md §4 in their order,
// applies the deployment in one atomic store transaction, which also puts
// its event on the event bus (store/events). It never writes a deployment
// that failed a check.
package deploy

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/authchain"
	"github.com/p2pcatalyst/catalyst/store/entity"
	"github.com/p2pcatalyst/catalyst/store/hashing"
)

// Origin is where a deployment comes from.
type Origin string

// Origins. Local deployments are held to the freshness, rate-limit and
// newer-entity rules; synced ones are history being replicated.
const (
	Local  Origin = "local"
	Synced Origin = "synced"
)

// File is an uploaded file: in memory, or spooled to a file created with
// the store's TempFile. The pipeline hashes it; names are not trusted.
type File struct {
	Data []byte
	Path string
	Size int64
}

// Request is one deployment.
type Request struct {
	EntityID  string
	AuthChain authchain.Chain
	Files     []File
	Origin    Origin
}

// Result is an applied (or already present) deployment.
type Result struct {
	LocalTimestamp int64
	Existed        bool
	Deployment     *store.Deployment
	Outcome        store.Outcome
}

// AccessChecker decides whether the signer may deploy to the entity's
// pointers (LAND, NAME and item ownership on chain). nil allows all.
type AccessChecker interface {
	CheckAccess(ctx context.Context, e *entity.Entity, signer string) error
}

// Config configures a Pipeline.
type Config struct {
	Store    *store.Store
	Verifier authchain.Verifier
	Access   AccessChecker         // nil: ownership is not checked
	Now      func() time.Time      // nil: time.Now
	Logger   *slog.Logger          // nil: slog.Default()
	Metrics  prometheus.Registerer // nil: not registered
	// RateLimits overrides the per-type minimum interval between local
	// deployments to one pointer (nil: DefaultRateLimits).
	RateLimits map[entity.Type]time.Duration
	// Rules is the rule set of the store's entities (nil: Catalyst's,
	// Genesis City and the other entity types).
	Rules *Rules
}

// Rules is what a store's entities must satisfy beyond the checks every
// entity passes (hashes, schema, version, signature, content): Catalyst's
// rule set is the entity package's type rules and per-pointer sizes; the
// worlds content server's holds scenes of a world instead.
type Rules struct {
	// Type checks what the entity's type demands of its pointers,
	// metadata and signer.
	Type func(e *entity.Entity, signer string) error
	// MaxBytes is the most the entity's referenced files may add up to.
	MaxBytes func(e *entity.Entity) int64
}

// CatalystRules is the content server's rule set.
var CatalystRules = &Rules{
	Type:     entity.ValidateTypeRules,
	MaxBytes: func(e *entity.Entity) int64 { return e.MaxBytesPerPointer() * int64(len(e.Pointers)) },
}

// DefaultRateLimits are the content server's per-pointer intervals.
var DefaultRateLimits = map[entity.Type]time.Duration{
	entity.Profile:  3 * time.Second,
	entity.Scene:    20 * time.Second,
	entity.Wearable: 20 * time.Second,
	entity.Emote:    20 * time.Second,
	entity.Store:    3 * time.Second,
	entity.Outfits:  3 * time.Second,
}

// Freshness window of local deployments.
const (
	MaxAge    = 20 * time.Minute
	MaxFuture = 15 * time.Minute
)

// Pipeline validates and applies deployments.
type Pipeline struct {
	cfg     Config
	log     *slog.Logger
	locks   pointerLocks
	limiter *rateLimiter
	metrics *metrics
	// passed caches entities that passed the stateless checks (verify.go).
	passed *lru.Cache[passedKey, string]
}

// New builds a pipeline.
func New(cfg Config) *Pipeline {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.RateLimits == nil {
		cfg.RateLimits = DefaultRateLimits
	}
	if cfg.Rules == nil {
		cfg.Rules = CatalystRules
	}
	return &Pipeline{
		cfg:     cfg,
		log:     cfg.Logger.With("component", "deploy"),
		locks:   pointerLocks{held: map[string]chan struct{}{}},
		limiter: newRateLimiter(cfg.RateLimits),
		metrics: newMetrics(cfg.Metrics),
		passed:  newPassed(),
	}
}

// Deploy runs a deployment through the pipeline. A validation failure is
// a *entity.Error (or *RateLimitedError); anything else is an internal error.
func (p *Pipeline) Deploy(ctx context.Context, req Request) (res Result, err error) {
	start := time.Now()
	typ := "unknown"
	defer func() {
		cleanup(req.Files)
		outcome := "applied"
		var ve *entity.Error
		var rl *RateLimitedError
		switch {
		case err == nil && res.Existed:
			outcome = "existing"
		case errors.As(err, &rl):
			outcome = "rate_limited"
		case errors.As(err, &ve):
			outcome = "rejected"
		case err != nil:
			outcome = "error"
		}
		p.metrics.observe(typ, string(req.Origin), outcome, time.Since(start))
	}()

	// Steps 1–3: hash every upload (the entity file must be among them),
	// parse, and read what the store knows in one transaction. An entity
	// already deployed gets its original answer whatever else is wrong.
	blobs, entityBytes, hashErr := p.hashFiles(req)
	var e *entity.Entity
	var parseErr error
	if hashErr == nil {
		e, parseErr = entity.Parse(req.EntityID, entityBytes)
	}
	var hashes []string
	for _, b := range blobs {
		hashes = append(hashes, b.Hash)
	}
	if e != nil {
		typ = string(e.Type)
		hashes = append(hashes, e.Hashes()...)
	}
	look, err := p.cfg.Store.Lookup(ctx, req.EntityID, e, hashes)
	if err != nil {
		return Result{}, err
	}
	if d := look.Existing; d != nil {
		typ = string(d.Type)
		return Result{LocalTimestamp: d.LocalTimestamp, Existed: true, Deployment: d}, nil
	}
	if hashErr != nil {
		return Result{}, hashErr
	}
	if parseErr != nil {
		return Result{}, parseErr
	}
	if err := entity.ValidateStructure(e); err != nil {
		return Result{}, err
	}
	if err := checkBounds(e, len(entityBytes)); err != nil {
		return Result{}, err
	}

	// 4. One deployment at a time per (type, pointer).
	pointers := p.cfg.Store.PointerKeys(e)
	unlock, err := p.locks.lock(ctx, e, pointers, req.Origin == Local)
	if err != nil {
		return Result{}, err
	}
	defer unlock()

	if err := p.validate(ctx, req, e, pointers, blobs, look); err != nil {
		return Result{}, err
	}

	out, err := p.cfg.Store.DeployFrom(ctx, string(req.Origin), e, req.AuthChain, blobs)
	if err != nil {
		return Result{}, err
	}
	d := &store.Deployment{Entity: *e, AuthChain: req.AuthChain, LocalTimestamp: out.LocalTimestamp, Seq: out.Seq, OverwrittenBy: out.OverwrittenBy}
	if out.Existed {
		return Result{LocalTimestamp: out.LocalTimestamp, Existed: true, Deployment: d, Outcome: out}, nil
	}
	if req.Origin == Local {
		p.limiter.record(e, pointers, p.cfg.Now())
	}
	p.log.Debug("deployed", "entity", e.ID, "type", e.Type, "pointers", e.Pointers, "origin", req.Origin, "active", out.Active)
	return Result{LocalTimestamp: out.LocalTimestamp, Deployment: d, Outcome: out}, nil
}

// validate runs steps 5–13 of PROTOCOL.md §4, stopping at the first failure.
func (p *Pipeline) validate(ctx context.Context, req Request, e *entity.Entity, pointers []string, blobs []store.Blob, look store.Lookup) error {
	if req.Origin == Local {
		if err := p.checkLocal(e, pointers, look.NewerOnPointers); err != nil {
			return err
		}
	}
	uploaded := make(map[string]int64, len(blobs))
	for _, b := range blobs {
		uploaded[b.Hash] = b.Size
	}
	signer, err := p.checkStateless(ctx, e, req.AuthChain, uploaded, look.Stored)
	if err != nil {
		return err
	}
	if err := p.checkContent(e, uploaded, look.Stored); err != nil {
		return err
	}
	if p.cfg.Access != nil {
		if err := p.cfg.Access.CheckAccess(ctx, e, signer); err != nil {
			return err
		}
	}
	return nil
}

// Precheck is the trust boundary of every deployment a peer offers: it
// runs, without touching the store, every check a deployment can pass on
// its own — the entity file within its bound and hashing to the id, the
// file parsing, the declared sizes sane (checkDeclared: one for every
// referenced hash and none other, each within 0..MaxFileBytes), and steps
// 6–11 holding with those sizes. Replication calls it before it forwards
// an announcement, fetches content or records a failure; the full
// pipeline runs again when the deployment is applied.
func (p *Pipeline) Precheck(ctx context.Context, id string, file []byte, chain authchain.Chain, sizes map[string]int64) (*entity.Entity, error) {
	return p.precheck(ctx, id, file, chain, sizes, true)
}

// Vet is Precheck for an entity whose file sizes nobody declared (one
// from an HTTP catalyst): every check it can pass on its own but the
// sizes, run before any of its content is fetched.
func (p *Pipeline) Vet(ctx context.Context, id string, file []byte, chain authchain.Chain) (*entity.Entity, error) {
	return p.precheck(ctx, id, file, chain, nil, false)
}

func (p *Pipeline) precheck(ctx context.Context, id string, file []byte, chain authchain.Chain, sizes map[string]int64, declared bool) (*entity.Entity, error) {
	if len(file) > MaxEntityBytes {
		// Not hashed, so not known to be that entity's file.
		return nil, marked{entity.Errorf("The entity file is %d bytes; the maximum allowed is %d.", len(file), MaxEntityBytes), ErrNotTheEntity}
	}
	if got := hashing.Bytes(id, file); got != id {
		return nil, marked{entity.Errorf("The entity id %s is not the hash of the entity file (%s).", id, got), ErrNotTheEntity}
	}
	e, err := entity.Parse(id, file)
	if err != nil {
		return nil, intrinsic(err)
	}
	if err := entity.ValidateStructure(e); err != nil {
		return nil, intrinsic(err)
	}
	if err := checkBounds(e, len(file)); err != nil {
		return nil, intrinsic(err)
	}
	if declared {
		if err := checkDeclared(e, sizes); err != nil {
			return nil, err
		}
	}
	if _, err := p.checkStateless(ctx, e, chain, sizes, nil); err != nil {
		return nil, err
	}
	return e, nil
}

// checkLocal: the rules only a fresh deployment from a client must pass.
func (p *Pipeline) checkLocal(e *entity.Entity, pointers []string, newer bool) error {
	where := fmt.Sprintf("(entityId=%s pointers=%s)", e.ID, strings.Join(e.Pointers, ","))
	if newer {
		return entity.Errorf("There is a newer entity pointed by one or more of the pointers you provided %s.", where)
	}
	now := p.cfg.Now()
	if wait, limited := p.limiter.limited(e, pointers, now); limited {
		return &RateLimitedError{Msg: fmt.Sprintf("Entity rate limited %s.", where), RetryAfter: wait}
	}
	ts := time.UnixMilli(e.Timestamp)
	if now.Sub(ts) > MaxAge {
		return entity.Errorf("The request is not recent enough, please submit it again with a new timestamp %s.", where)
	}
	if ts.Sub(now) > MaxFuture {
		return entity.Errorf("The request is too far in the future, please submit it again with a new timestamp %s.", where)
	}
	return nil
}

// checkSize: the unique referenced files, uploaded or stored, divided by
// the pointer count, within the type's limit.
func (p *Pipeline) checkSize(e *entity.Entity, uploaded, stored map[string]int64) error {
	if e.Timestamp <= entity.LegacyContentMigration {
		return nil
	}
	var total int64
	if e.Timestamp > entity.ADR45 {
		for _, h := range e.Hashes() {
			if size, ok := uploaded[h]; ok {
				total += size
			} else {
				total += stored[h] // a missing file is reported by the content check
			}
		}
	} else {
		for _, size := range uploaded {
			total += size
		}
	}
	if limit := p.cfg.Rules.MaxBytes(e); total > limit {
		if p.cfg.Rules != CatalystRules {
			return entity.Errorf("The deployment is too big. The maximum total size allowed is %d bytes for scenes. You can upload up to %d bytes but you tried to upload %d.", limit, limit, total)
		}
		perPointer := e.MaxBytesPerPointer()
		return entity.Errorf("The deployment is too big. The maximum allowed size per pointer is %d MB for %s. You can upload up to %d bytes but you tried to upload %d.",
			perPointer/(1<<20), e.Type, limit, total)
	}
	return nil
}

// checkContent: every referenced hash uploaded or stored; every uploaded
// file referenced.
func (p *Pipeline) checkContent(e *entity.Entity, uploaded, stored map[string]int64) error {
	var msgs []string
	referenced := map[string]bool{}
	for _, h := range e.Hashes() {
		referenced[h] = true
		_, up := uploaded[h]
		_, st := stored[h]
		if !up && !st {
			msgs = append(msgs, "This hash is referenced in the entity but was not uploaded or previously available: "+h)
		}
	}
	if msgs != nil {
		return &entity.Error{Msgs: msgs}
	}
	for h := range uploaded {
		if h != e.ID && !referenced[h] {
			msgs = append(msgs, "This hash was uploaded but is not referenced in the entity: "+h)
		}
	}
	if msgs != nil {
		return &entity.Error{Msgs: msgs}
	}
	return nil
}

// hashFiles hashes every upload with the function the entity id's form
// selects and returns them as blobs, with the entity file's bytes.
func (p *Pipeline) hashFiles(req Request) ([]store.Blob, []byte, error) {
	hash := hashing.For(req.EntityID)
	var blobs []store.Blob
	var entityBytes []byte
	seen := map[string]bool{}
	for _, f := range req.Files {
		var h string
		if f.Path == "" {
			h = hashing.Bytes(req.EntityID, f.Data)
		} else {
			r, err := os.Open(f.Path)
			if err != nil {
				return nil, nil, fmt.Errorf("deploy: open upload: %w", err)
			}
			h, err = hash(r)
			r.Close()
			if err != nil {
				return nil, nil, fmt.Errorf("deploy: hash upload: %w", err)
			}
		}
		if seen[h] {
			continue
		}
		seen[h] = true
		if h == req.EntityID {
			if f.Path != "" {
				data, err := os.ReadFile(f.Path)
				if err != nil {
					return nil, nil, fmt.Errorf("deploy: read entity file: %w", err)
				}
				f = File{Data: data, Size: int64(len(data))}
			}
			entityBytes = f.Data
		}
		blobs = append(blobs, store.Blob{Hash: h, Size: f.Size, Data: f.Data, Path: f.Path})
	}
	if entityBytes == nil {
		return nil, nil, entity.Errorf("Failed to find the entity file.")
	}
	return blobs, entityBytes, nil
}

// cleanup removes spooled uploads the store did not take.
func cleanup(files []File) {
	for _, f := range files {
		if f.Path != "" {
			os.Remove(f.Path)
		}
	}
}

// Markers of a rejection (errors.Is) that say whom it is about. A
// rejection with neither is about what came with the entity — its chain,
// its declared sizes, its signer's rights — which whoever sent it chose.
var (
	// ErrNotTheEntity: the bytes offered for an entity id do not hash to
	// it; the verdict is on whoever sent them, and the entity may still
	// arrive intact from someone else.
	ErrNotTheEntity = errors.New("deploy: the entity file does not hash to the entity id")
	// ErrInvalidEntity: the entity file itself is invalid (it does not
	// parse, break the bounds, its hashes, schema or version), whoever
	// sends it and with whatever chain.
	ErrInvalidEntity = errors.New("deploy: the entity itself is invalid")
)

// marked is a rejection (an *entity.Error) that errors.Is also matches
// to a marker.
type marked struct {
	rejection error
	marker    error
}

func (e marked) Error() string        { return e.rejection.Error() }
func (e marked) Unwrap() error        { return e.rejection }
func (e marked) Is(target error) bool { return target == e.marker }

// intrinsic marks the rejections of the entity file itself.
func intrinsic(err error) error {
	var ve *entity.Error
	if errors.As(err, &ve) {
		return marked{err, ErrInvalidEntity}
	}
	return err
}

// RateLimitedError rejects a local deployment to a pointer deployed to
// moments ago.
type RateLimitedError struct {
	Msg        string
	RetryAfter time.Duration
}

func (e *RateLimitedError) Error() string { return e.Msg }

// AccessFunc is a function that is an AccessChecker.
type AccessFunc func(ctx context.Context, e *entity.Entity, signer string) error

// CheckAccess calls f.
func (f AccessFunc) CheckAccess(ctx context.Context, e *entity.Entity, signer string) error {
	return f(ctx, e, signer)
}
