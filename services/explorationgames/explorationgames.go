package explorationgames

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/p2pcatalyst/catalyst/services/httpx"
	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/authchain"
	"github.com/p2pcatalyst/catalyst/store/events"
)

// Prefix is where the API is mounted; the original's paths (/api/…,
// /status) are below it.
const Prefix = "/exploration-games"

// Bus events of the service.
const (
	EventType = "exploration-games"
	// SubTypeReward: a player completed a mission; metadata
	// {campaign_key, beneficiary, missionId, userMissionId, missionType}.
	SubTypeReward = "reward-requested"
	// SubTypeChallenge: a player completed a challenge; metadata
	// {userAddress, challengeId, missionId, gameId, userMissionId, completedAt}.
	SubTypeChallenge = "challenge-completed"
)

// Timing of the original: a mission not ended a day after it started
// lapses (mission-checker), checked every minute; signed fetch is good
// for a minute (@dcl/crypto-middleware's default).
const (
	missionLapse = 24 * time.Hour
	tick         = time.Minute
	signedTTL    = time.Minute
)

// Config wires the service to the node.
type Config struct {
	Store *store.Store
	// Bus carries the service's events (nil: none are published, and no
	// reward is sent).
	Bus      *events.Bus
	Verifier authchain.Verifier
	// AdminToken guards the admin routes and the multiplayer post; nil or
	// "": they refuse everyone.
	AdminToken func() string
	// RewardsURL is a rewards API's base (e.g. https://rewards.decentraland.org/api,
	// or the node's own …/rewards/api): each reward request is POSTed to
	// RewardsURL+"/rewards" as {campaign_key, beneficiary}. "": none is sent
	// (the bus event is the request).
	RewardsURL string
	// MissionWindow is how long after starting a mini-games mission a
	// player waits to start the next (the original's MISSION_TIME_WINDOW_HS;
	// 0: 24 hours).
	MissionWindow time.Duration
	Logger        *slog.Logger
	Metrics       prometheus.Registerer
	Now           func() time.Time
}

// Service is the exploration games API.
type Service struct {
	cfg Config
	ks  *store.Keyspace
	log *slog.Logger

	// mu puts the service's writes in one line: a player's progress,
	// missions and challenges change together, and the bounds count what
	// is there.
	mu    sync.Mutex
	lastN int64 // the last progress key's order number

	progress *prometheus.CounterVec
	rewards  *prometheus.CounterVec

	client    *http.Client
	retryWait time.Duration // before the second reward attempt (doubles)

	cancel context.CancelFunc
	done   chan struct{}
}

// New builds the service; with a bus and a RewardsURL it registers the
// consumer that sends rewards (New runs before the bus starts).
func New(cfg Config) *Service {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.MissionWindow <= 0 {
		cfg.MissionWindow = 24 * time.Hour
	}
	s := &Service{
		cfg: cfg, ks: cfg.Store.Keyspace("explorationgames"), log: cfg.Logger.With("component", "exploration-games"),
		progress: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "catalyst_explorationgames_progress_total",
			Help: "Progress records the exploration games service stored, by source (scene, multiplayer)."}, []string{"source"}),
		rewards: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "catalyst_explorationgames_rewards_total",
			Help: "Mission rewards: requested (on the bus), posted to the rewards URL, failed to post."}, []string{"result"}),
		client:    &http.Client{},
		retryWait: time.Second,
	}
	if cfg.Metrics != nil {
		cfg.Metrics.MustRegister(s.progress, s.rewards)
	}
	if cfg.Bus != nil && cfg.RewardsURL != "" {
		cfg.Bus.Consume("exploration-games-rewards", s.sendReward)
	}
	return s
}

// Routes registers /exploration-games/….
func (s *Service) Routes(mux *http.ServeMux) {
	h := httpx.Under(mux, Prefix)
	h("GET /status", s.status)

	h("GET /api/games", s.listGames)
	h("GET /api/games/{id}/challenges", s.gameChallenges)
	h("GET /api/games/{id}/leaderboard", s.leaderboard)

	h("GET /api/missions/available", s.scene(s.missionsAvailable))
	h("GET /api/missions/in_progress", s.scene(s.missionsInProgress))
	h("GET /api/missions/completed", s.scene(s.missionsCompleted))
	h("GET /api/games/{id}/progress", s.scene(s.userProgress))
	h("POST /api/games/{id}/progress", s.scene(s.newProgress))
	h("GET /api/games/progress", s.scene(s.gamesPlayed))
	h("GET /api/games/{id}/challenges/completed", s.scene(s.completedChallenges))
	h("POST /api/missions/{id}/start", s.scene(s.startMission))

	h("POST /api/multiplayer/progress", s.admin(s.multiplayerProgress))

	h("GET /api/missions", s.admin(s.listMissions))
	h("GET /api/missions/{id}", s.admin(s.getMission))
	h("POST /api/games", s.admin(s.createGame))
	h("PATCH /api/games/{id}/deactivate", s.admin(s.deactivateGame))
	h("PATCH /api/games/{id}", s.admin(s.updateGame))
	h("POST /api/challenges", s.admin(s.createChallenge))
	h("PATCH /api/challenges/{id}", s.admin(s.updateChallenge))
	h("POST /api/missions", s.admin(s.createMission))
	h("PATCH /api/missions/{id}", s.admin(s.updateMission))
	h("PATCH /api/games/progress/status", s.admin(s.progressStatus))
	h("GET /api/games/{id}/progress/all", s.admin(s.allProgress))
}

// Start runs the loop that lapses missions not ended within a day and
// publishes reward requests a crash left unpublished.
func (s *Service) Start(context.Context) error {
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel, s.done = cancel, make(chan struct{})
	go func() {
		defer close(s.done)
		for {
			s.safeTick(ctx)
			select {
			case <-ctx.Done():
				return
			case <-time.After(tick):
			}
		}
	}()
	return nil
}

// Stop stops the loop.
func (s *Service) Stop(context.Context) error {
	if s.cancel != nil {
		s.cancel()
		<-s.done
	}
	return nil
}

func (s *Service) safeTick(ctx context.Context) {
	defer func() {
		if v := recover(); v != nil {
			s.log.Error("the missions loop panicked", "panic", v)
		}
	}()
	if err := s.lapse(ctx, s.cfg.Now()); err != nil && ctx.Err() == nil {
		s.log.Warn("missions not lapsed", "err", err)
	}
	if err := s.publishPending(ctx); err != nil && ctx.Err() == nil {
		s.log.Warn("pending rewards not published", "err", err)
	}
}

func (s *Service) status(w http.ResponseWriter, r *http.Request) {
	httpx.JSON(w, http.StatusOK, map[string]any{"version": "catalyst", "currentTime": s.cfg.Now().UnixMilli(), "commitHash": ""})
}

// Errors as @dcl/http-commons' errorHandler answers them: {error, message}.
func fail(w http.ResponseWriter, status int, msg string) {
	httpx.JSON(w, status, map[string]string{"error": http.StatusText(status), "message": msg})
}

func badRequest(w http.ResponseWriter, msg string) {
	httpx.JSON(w, http.StatusBadRequest, map[string]string{"error": "Bad request", "message": msg})
}

func (s *Service) internal(w http.ResponseWriter, r *http.Request, err error) {
	httpx.Internal(w, s.log, r, err)
}

// admin guards a route with the node's admin token.
func (s *Service) admin(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !httpx.BearerValid(s.cfg.AdminToken, r) {
			fail(w, http.StatusUnauthorized, "this route needs the node's admin token (Authorization: Bearer <token>)")
			return
		}
		next(w, r)
	}
}

// readBody reads a body of at most max bytes; on a refusal it answers
// 400 itself.
func readBody(w http.ResponseWriter, r *http.Request, max int64) ([]byte, bool) {
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, max))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			badRequest(w, "the body is too large: at most "+strconv.FormatInt(max, 10)+" bytes")
		} else {
			badRequest(w, "the body could not be read")
		}
		return nil, false
	}
	return b, true
}

// invalid answers a validation error (400) or an internal one.
func (s *Service) invalid(w http.ResponseWriter, r *http.Request, err error) {
	var ie inputError
	if errors.As(err, &ie) {
		badRequest(w, ie.Error())
		return
	}
	s.internal(w, r, err)
}

// pathID is the {id} of a route when it is a UUID; otherwise it answers
// 400 "Invalid UUID" as the original.
func pathID(w http.ResponseWriter, r *http.Request) (string, bool) {
	id := uuid(r.PathValue("id"))
	if id == "" {
		badRequest(w, "Invalid UUID")
	}
	return id, id != ""
}

func ok(w http.ResponseWriter, status int, data any) {
	httpx.JSON(w, status, map[string]any{"data": data})
}
