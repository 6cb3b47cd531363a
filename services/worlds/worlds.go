// Package worlds is decentraland/worlds-content-server under /worlds: a
// content server of world scenes, deployed through the node's deployment
// pipeline with the worlds' rule set (entity.ValidateWorldScene) into a
// store of its own whose pointers are scoped by world (Scope), so the
// parcel 0,0 of one world is not that of another, nor Genesis City's.
// Around it: each world's realm /about, its scenes, settings, permissions
// (deployment, streaming, access), undeployment and comms tokens for the
// room world-<name> on the node's own SFU.
//
// Who may deploy: the NAME's owner, from the chain (Config.Owner), or a
// wallet the owner gave the deployment permission. A node without chain
// data cannot know a NAME's owner; its rule is that the first wallet to
// deploy a world on this node owns it there (see the README).
//
// Permissions, settings and undeployments are this node's: they are not
// replicated (the original keeps them in its own database); deployments
// replicate between nodes like catalyst entities, on their own topic.
package worlds

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/p2pcatalyst/catalyst/services/content"
	"github.com/p2pcatalyst/catalyst/services/httpx"
	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/authchain"
	"github.com/p2pcatalyst/catalyst/store/entity"
	"github.com/p2pcatalyst/catalyst/store/events"
	"github.com/p2pcatalyst/catalyst/sync/deploy"
)

// Prefix is where the worlds content server is mounted.
const Prefix = "/worlds"

// Scope is the worlds store's PointerScope: a scene's parcels are kept
// under its world's name.
func Scope(e *entity.Entity) string { return entity.WorldOf(e) + ":" }

// Rules is the worlds content server's rule set for its pipeline: world
// scenes, at most entity.WorldMaxBytes each.
var Rules = &deploy.Rules{
	Type:     entity.ValidateWorldScene,
	MaxBytes: func(*entity.Entity) int64 { return entity.WorldMaxBytes },
}

// Config wires the worlds content server to the node.
type Config struct {
	// Store holds the worlds' entities (opened with PointerScope: Scope)
	// and the service's own keyspace.
	Store *store.Store
	// Pipeline deploys into Store with the worlds' rule set; New sets its
	// access check (Access) when building it is left to the node.
	Pipeline *deploy.Pipeline
	// Bus is Store's event bus: applied deployments, local or replicated.
	Bus *events.Bus
	// Platform is the node's bus, where the service's events go
	// (type "worlds"); nil: none.
	Platform *events.Bus
	Verifier authchain.Verifier
	// Owner is a NAME's holder from the chain ("" when no one); nil: the
	// node has no chain data, and the first deployer owns a world.
	Owner func(ctx context.Context, name string) (string, error)
	// Comms is a LiveKit connection string for identity in room.
	Comms func(r *http.Request, identity, room string) (string, error)
	// Banned reports whether an address is banned from comms.
	Banned func(address string) bool
	// PublicURL is the node's base URL ("": each request's).
	PublicURL string
	// NetworkID is the Ethereum network of /about (1 mainnet).
	NetworkID int
	// Healthy reports the content and lambdas health of /about.
	Healthy func() (content, lambdas bool)
	Logger  *slog.Logger
	Metrics prometheus.Registerer
	Now     func() time.Time
}

// Service is the worlds content server.
type Service struct {
	cfg      Config
	ks       *store.Keyspace
	log      *slog.Logger
	content  *content.Service
	deployed prometheus.Counter
	secrets  *attempts
	claimMu  sync.Mutex // one claim of a world's ownership at a time
	bcrypts  chan struct{}
}

// New builds the service and registers its consumer of Bus.
func New(cfg Config) *Service {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.NetworkID == 0 {
		cfg.NetworkID = 1
	}
	s := &Service{
		cfg: cfg, ks: cfg.Store.Keyspace("worlds"), log: cfg.Logger.With("component", "worlds"),
		deployed: prometheus.NewCounter(prometheus.CounterOpts{Name: "catalyst_worlds_deployments_total", Help: "World scene deployments applied (local and replicated)."}),
		secrets:  newAttempts(),
		bcrypts:  make(chan struct{}, maxBcrypts),
	}
	s.content = content.New(content.Config{
		Store: cfg.Store, Pipeline: cfg.Pipeline, Logger: cfg.Logger, Deployed: s.deployedAnswer,
		MaxUploadBytes: entity.WorldMaxBytes + 8<<20,
	})
	if cfg.Metrics != nil {
		cfg.Metrics.MustRegister(s.deployed)
	}
	if cfg.Bus != nil {
		cfg.Bus.Consume("worlds", s.onEvent)
	}
	return s
}

// Routes registers /worlds/….
func (s *Service) Routes(mux *http.ServeMux) {
	h := httpx.Under(mux, Prefix)
	h("POST /entities", s.content.Upload)
	h("POST /entities/active", s.activeEntities)
	h("DELETE /entities/{world}", s.undeployWorld)
	h("GET /contents/{hash}", s.content.Contents)
	h("HEAD /contents/{hash}", s.content.Contents)
	h("GET /ipfs/{hash}", s.content.Contents)
	h("HEAD /ipfs/{hash}", s.content.Contents)
	h("GET /available-content", s.content.Available)
	h("GET /world/{world}/about", s.about)
	h("GET /world/{world}/scenes", s.scenes)
	h("POST /world/{world}/scenes", s.scenes)
	h("DELETE /world/{world}/scenes/{coordinate}", s.undeployScene)
	h("GET /world/{world}/settings", s.settings)
	h("PUT /world/{world}/settings", s.putSettings)
	h("GET /world/{world}/permissions", s.permissions)
	h("POST /world/{world}/permissions/{permission}", s.setPermission)
	h("PUT /world/{world}/permissions/{permission}/{address}", s.grant)
	h("DELETE /world/{world}/permissions/{permission}/{address}", s.revoke)
	h("POST /worlds/{world}/comms", s.comms)
	h("POST /worlds/{world}/scenes/{scene}/comms", s.comms)
	h("GET /worlds", s.list)
	h("GET /status", s.status)
}

// maxScenes bounds the scenes of one world that are read at once.
const maxScenes = 1000

// worldName reads and checks a path's world name (lower-cased).
func worldName(w http.ResponseWriter, r *http.Request) (string, bool) {
	name := strings.ToLower(r.PathValue("world"))
	if !entity.ValidWorldName(name) {
		httpx.Error(w, http.StatusBadRequest, fmt.Sprintf("Invalid world name %q: a world is a NAME (label.dcl.eth).", truncate(name)))
		return "", false
	}
	return name, true
}

func truncate(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}

// Scenes are the active, not undeployed scenes of a world, newest first.
func (s *Service) Scenes(ctx context.Context, world string) ([]*store.Deployment, error) {
	undeployed := map[string]bool{}
	if err := s.ks.Scan(ctx, "undeployed/"+world+"/", func(name string, _ []byte) error {
		undeployed[name[len("undeployed/"+world+"/"):]] = true
		return nil
	}); err != nil {
		return nil, err
	}
	out, err := s.cfg.Store.ActiveUnder(ctx, entity.Scene, world+":", maxScenes, func(id string) bool { return undeployed[id] })
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b *store.Deployment) int { return int(b.Timestamp - a.Timestamp) })
	return out, nil
}

// owner is who owns a world on this node: the NAME's holder from the
// chain, or without chain data the first wallet that deployed it here.
func (s *Service) owner(ctx context.Context, world string) (string, error) {
	if s.cfg.Owner != nil {
		label := strings.TrimSuffix(world, ".dcl.eth")
		o, err := s.cfg.Owner(ctx, label)
		return strings.ToLower(o), err
	}
	v, err := s.ks.Get(ctx, "owner/"+world)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil
	}
	return string(v), err
}

// CheckAccess is the pipeline's access check for world scenes: the
// signer owns the world's NAME or holds its deployment permission. On a
// node without chain data the first wallet to deploy a world claims it,
// here, before its deployment is applied: a claim left by a deployment
// that then fails is still the first wallet's.
func (s *Service) CheckAccess(ctx context.Context, e *entity.Entity, signer string) error {
	world := entity.WorldOf(e)
	signer = strings.ToLower(signer)
	var owner string
	var err error
	if s.cfg.Owner == nil {
		owner, err = s.claim(ctx, world, signer)
	} else {
		owner, err = s.owner(ctx, world)
	}
	if err != nil {
		return fmt.Errorf("worlds: owner of %s: %w", world, err)
	}
	if owner == signer {
		return nil
	}
	p, err := s.perms(ctx, world)
	if err != nil {
		return err
	}
	if slices.Contains(p.Deployment.Wallets, signer) {
		return nil
	}
	return entity.Errorf("Deployment failed: Your wallet has no permission to publish this scene because it does not have permission to deploy under %q. Check scene.json to select a name that either you own or you were given permission to deploy.", world)
}

// claim makes signer the owner of a world no one owns on this node, and
// returns the owner.
func (s *Service) claim(ctx context.Context, world, signer string) (string, error) {
	s.claimMu.Lock()
	defer s.claimMu.Unlock()
	owner := signer
	err := s.ks.Update(ctx, func(tx *store.KeyspaceTxn) error {
		v, err := tx.Get("owner/" + world)
		if errors.Is(err, store.ErrNotFound) {
			return tx.Set("owner/"+world, []byte(signer))
		}
		owner = string(v)
		return err
	})
	return owner, err
}

// onEvent lists a world whose scene applied (local or replicated) and
// tells the platform of it — only of a scene that is active now: history
// that arrives late changes nothing.
func (s *Service) onEvent(ctx context.Context, e events.StoredEvent) error {
	if e.Type != store.DeploymentEventType || e.Deployment == nil {
		return nil
	}
	d := e.Deployment
	world := entity.WorldOf(&d.Entity)
	if world == "" {
		return nil
	}
	s.deployed.Inc()
	active, err := s.cfg.Store.ActiveByIDs(ctx, []string{d.ID})
	if err != nil || len(active) == 0 {
		return err
	}
	if _, err := s.ks.Get(ctx, "undeployed/"+world+"/"+d.ID); !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if err := s.ks.Write(ctx, map[string][]byte{"world/" + world: []byte(d.ID)}); err != nil {
		return err
	}
	if s.cfg.Platform == nil {
		return nil
	}
	// DeploymentToSqs's {entity: {entityId, authChain}}, with what a
	// consumer would otherwise fetch from the content server.
	ev, err := events.New("worlds", "deployment", "world-deployment-"+d.ID, d.LocalTimestamp, map[string]any{
		"entity": map[string]any{"entityId": d.ID, "authChain": d.AuthChain, "pointers": d.Pointers, "timestamp": d.Timestamp,
			"content": d.Content, "metadata": d.Metadata},
		"worldName": world, "parcels": d.Pointers,
	})
	if err != nil {
		return err
	}
	return s.cfg.Platform.Publish(ctx, ev)
}

// deployedAnswer is the answer to an accepted deployment, as the
// original's: where the world is now.
func (s *Service) deployedAnswer(r *http.Request, d *store.Deployment, localTimestamp int64) any {
	world := entity.WorldOf(&d.Entity)
	realm := httpx.BaseURL(r, s.cfg.PublicURL) + Prefix + "/world/" + world
	msg := strings.Join([]string{
		"Your scene was deployed to a Worlds Content Server!",
		fmt.Sprintf("Access world %s: https://decentraland.org/play/?realm=%s", world, url.QueryEscape(realm)),
	}, "\n")
	return map[string]any{"creationTimestamp": localTimestamp, "message": msg}
}

// POST /entities/active {pointers: [world…]} → the newest scene of each.
func (s *Service) activeEntities(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Pointers []any `json:"pointers"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(&body); err != nil || body.Pointers == nil {
		httpx.Error(w, http.StatusBadRequest, "Invalid request. Request body is not valid")
		return
	}
	var worlds []string
	for _, p := range body.Pointers {
		if s, ok := p.(string); ok && s != "" {
			worlds = append(worlds, strings.ToLower(s))
		}
	}
	if len(worlds) > 50 {
		httpx.Error(w, http.StatusBadRequest, "Maximum 50 pointers allowed per request")
		return
	}
	slices.Sort(worlds)
	worlds = slices.Compact(worlds)
	out := []any{}
	for _, world := range worlds {
		if !entity.ValidWorldName(world) {
			continue
		}
		scenes, err := s.Scenes(r.Context(), world)
		if err != nil {
			httpx.Internal(w, s.log, r, err)
			return
		}
		if len(scenes) > 0 {
			out = append(out, entityJSON(scenes[0]))
		}
	}
	httpx.JSON(w, http.StatusOK, out)
}

// entityJSON is an entity as the content server answers it.
func entityJSON(d *store.Deployment) map[string]any {
	content := d.Content
	if content == nil {
		content = []entity.ContentItem{}
	}
	return map[string]any{
		"version": d.Version, "id": d.ID, "type": d.Type, "pointers": d.Pointers, "timestamp": d.Timestamp,
		"content": content, "metadata": d.Metadata,
	}
}

// GET /worlds: the worlds deployed here.
func (s *Service) list(w http.ResponseWriter, r *http.Request) {
	names, err := s.worlds(r.Context())
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	out := make([]map[string]any, 0, len(names))
	for _, n := range names {
		out = append(out, map[string]any{"name": n})
	}
	httpx.JSON(w, http.StatusOK, out)
}

// maxWorlds bounds the worlds a listing reads.
const maxWorlds = 10000

// worlds are the names of the worlds with a scene (the keyspace's list,
// kept as scenes apply and worlds are undeployed).
func (s *Service) worlds(ctx context.Context) ([]string, error) {
	var names []string
	err := s.ks.Scan(ctx, "world/", func(name string, _ []byte) error {
		if len(names) < maxWorlds {
			names = append(names, name[len("world/"):])
		}
		return nil
	})
	return names, err
}

// GET /status
func (s *Service) status(w http.ResponseWriter, r *http.Request) {
	names, err := s.worlds(r.Context())
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	httpx.JSON(w, http.StatusOK, map[string]any{
		"content": map[string]any{"commitHash": "", "worldsCount": map[string]int{"dcl": len(names), "ens": 0}},
	})
}

// signed verifies a user's signed fetch (a scene's is refused).
func (s *Service) signed(w http.ResponseWriter, r *http.Request) (authchain.SignedRequest, bool) {
	return httpx.SignedUser(w, r, s.cfg.Verifier, s.cfg.Now(), 0)
}

// ownerOnly answers 403 unless signer owns world; ok when it does.
func (s *Service) ownerOnly(w http.ResponseWriter, r *http.Request, world, signer, what string) bool {
	owner, err := s.owner(r.Context(), world)
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return false
	}
	if owner == "" || owner != signer {
		httpx.Error(w, http.StatusForbidden, fmt.Sprintf("Your wallet does not own %q, you can not %s.", world, what))
		return false
	}
	return true
}

// DELETE /entities/{world}: the owner undeploys every scene of a world.
func (s *Service) undeployWorld(w http.ResponseWriter, r *http.Request) {
	world, ok := worldName(w, r)
	if !ok {
		return
	}
	req, ok := s.signed(w, r)
	if !ok || !s.ownerOnly(w, r, world, req.Signer, "undeploy it") {
		return
	}
	scenes, err := s.Scenes(r.Context(), world)
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	if err := s.undeploy(r.Context(), world, scenes, scenes, "world_undeployment"); err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	httpx.JSON(w, http.StatusOK, map[string]string{"message": fmt.Sprintf("World %q undeployed", world)})
}

// DELETE /world/{world}/scenes/{coordinate}: the scenes on a parcel.
func (s *Service) undeployScene(w http.ResponseWriter, r *http.Request) {
	world, ok := worldName(w, r)
	if !ok {
		return
	}
	coordinate := strings.ToLower(r.PathValue("coordinate"))
	if _, _, ok := entity.ParseParcel(coordinate); !ok {
		httpx.Error(w, http.StatusBadRequest, fmt.Sprintf("Invalid coordinate format: %s. Expected format: x,y (e.g., 0,0 or -1,2)", truncate(coordinate)))
		return
	}
	req, ok := s.signed(w, r)
	if !ok {
		return
	}
	scenes, err := s.Scenes(r.Context(), world)
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	var hit []*store.Deployment
	for _, d := range scenes {
		if slices.Contains(d.Pointers, coordinate) {
			hit = append(hit, d)
		}
	}
	owner, err := s.owner(r.Context(), world)
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	if owner != req.Signer {
		p, err := s.perms(r.Context(), world)
		if err != nil {
			httpx.Internal(w, s.log, r, err)
			return
		}
		if !slices.Contains(p.Deployment.Wallets, req.Signer) {
			httpx.Error(w, http.StatusForbidden, "Unauthorized. You do not have permission to undeploy scenes in this world.")
			return
		}
	}
	if err := s.undeploy(r.Context(), world, scenes, hit, "world_scenes_undeployment"); err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	httpx.JSON(w, http.StatusOK, map[string]string{"message": fmt.Sprintf("Scene at parcel %s undeployed successfully", coordinate)})
}

// undeploy marks scenes (of all the world's) undeployed on this node,
// takes the world off the list when none is left, and tells the platform.
func (s *Service) undeploy(ctx context.Context, world string, all, scenes []*store.Deployment, subType string) error {
	if len(scenes) == 0 {
		return nil
	}
	changes := map[string][]byte{}
	var ids []string
	for _, d := range scenes {
		changes["undeployed/"+world+"/"+d.ID] = []byte{}
		ids = append(ids, d.ID)
	}
	left := len(all) - len(scenes)
	if left == 0 {
		changes["world/"+world] = nil
	}
	if err := s.ks.Write(ctx, changes); err != nil {
		return err
	}
	s.log.Info("world scenes undeployed", "world", world, "scenes", ids)
	if s.cfg.Platform == nil {
		return nil
	}
	now := s.cfg.Now().UnixMilli()
	ev, err := events.New("worlds", subType, fmt.Sprintf("%s-%s-%d", subType, world, now), now, map[string]any{"worldName": world, "entityIds": ids, "remainingScenes": left})
	if err != nil {
		return err
	}
	return s.cfg.Platform.Publish(ctx, ev)
}
