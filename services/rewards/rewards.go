package rewards

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/p2pcatalyst/catalyst/services/httpx"
	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/authchain"
	"github.com/p2pcatalyst/catalyst/store/events"
)

// Prefix is where the API is mounted.
const Prefix = "/rewards/api"

// The rewards' platform events (@dcl/schemas Events.Type.REWARDS).
const (
	EventType          = "rewards"
	SubTypeDelayed     = "reward-delayed"
	explorationType    = "exploration-games"
	explorationRequest = "reward-requested"
)

// Bounds.
const (
	// MaxPerBeneficiary bounds one beneficiary's assignments (the
	// default of Config.MaxPerBeneficiary).
	MaxPerBeneficiary = 1000
	// MaxAssignments bounds the node's assignments.
	MaxAssignments = 1000000
	maxBody        = 16 << 10
	maxCampaignKey = 256
	maxCatalyst    = 256
)

// Status is what the node records: nothing is minted.
const Status = "delayed"

// Config wires the rewards service to the node.
type Config struct {
	Store *store.Store
	// Bus carries the exploration games' reward requests in and the
	// reward events out (nil: neither).
	Bus      *events.Bus
	Verifier authchain.Verifier
	// AdminToken lets a campaign's server ask rewards unsigned (nil or
	// "": only signed requests).
	AdminToken func() string
	// PublicURL is the node's base URL for captcha images ("": each
	// request's).
	PublicURL string
	// MaxPerBeneficiary bounds one beneficiary's assignments (default
	// MaxPerBeneficiary).
	MaxPerBeneficiary int
	Logger            *slog.Logger
	Metrics           prometheus.Registerer
	Now               func() time.Time
}

// Service is the rewards API.
type Service struct {
	cfg      Config
	ks       *store.Keyspace
	log      *slog.Logger
	mu       sync.Mutex // serializes assignments
	captchas *captchas

	assigned *prometheus.CounterVec
}

// New builds the service and registers its consumer of the bus.
func New(cfg Config) *Service {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.MaxPerBeneficiary <= 0 {
		cfg.MaxPerBeneficiary = MaxPerBeneficiary
	}
	s := &Service{cfg: cfg, ks: cfg.Store.Keyspace("rewards"), log: cfg.Logger.With("component", "rewards"),
		captchas: newCaptchas(),
		assigned: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "catalyst_rewards_assignments_total",
			Help: "Reward requests, by source (api, exploration-games) and result (assigned, existing, refused)."}, []string{"source", "result"}),
	}
	if cfg.Metrics != nil {
		cfg.Metrics.MustRegister(s.assigned)
	}
	if cfg.Bus != nil {
		cfg.Bus.Consume("rewards", s.onEvent)
	}
	return s
}

// Routes registers /rewards/api/….
func (s *Service) Routes(mux *http.ServeMux) {
	h := httpx.Under(mux, Prefix)
	h("POST /rewards", s.assign)
	h("GET /rewards/{id}", s.one)
	h("GET /captcha", s.newCaptcha)
	h("POST /captcha", s.newCaptcha)
	h("GET /captcha/{file}", s.captchaImage)
}

// Reward is an assignment as the documentation shows it.
type Reward struct {
	ID              string  `json:"id"`
	User            string  `json:"user"`
	CampaignID      string  `json:"campaign_id"`
	CampaignKey     string  `json:"campaign_key"`
	Status          string  `json:"status"`
	ChainID         int     `json:"chain_id"`
	AirdropType     string  `json:"airdrop_type"`
	Target          string  `json:"target"`
	Value           string  `json:"value"`
	Group           *string `json:"group"`
	Priority        int64   `json:"priority"`
	TransactionID   *string `json:"transaction_id"`
	TransactionHash *string `json:"transaction_hash"`
	Token           string  `json:"token"`
	Image           string  `json:"image"`
	AssignedAt      string  `json:"assigned_at"`
	CreatedAt       string  `json:"created_at"`
	UpdatedAt       string  `json:"updated_at"`
}

// Request is a reward request's body.
type Request struct {
	CampaignKey  string `json:"campaign_key"`
	Beneficiary  string `json:"beneficiary"`
	Catalyst     string `json:"catalyst,omitempty"`
	CaptchaID    string `json:"captcha_id,omitempty"`
	CaptchaValue string `json:"captcha_value,omitempty"`
}

// ParseRequest reads a reward request: campaign_key (1 to 256 printable
// bytes) and beneficiary (an address, lower-cased) required; catalyst,
// captcha_id and captcha_value optional strings, the captcha's two
// together.
func ParseRequest(body []byte) (*Request, error) {
	var raw map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&raw); err != nil || raw == nil {
		return nil, errors.New("the body must be a JSON object")
	}
	if dec.More() {
		return nil, errors.New("the body must be one JSON object")
	}
	var req Request
	str := func(name string, into *string, max int) error {
		v, ok := raw[name]
		if !ok || string(v) == "null" {
			return nil
		}
		if json.Unmarshal(v, into) != nil || len(*into) > max || !printable(*into) {
			return fmt.Errorf("%s must be a string of at most %d printable bytes", name, max)
		}
		return nil
	}
	for _, err := range []error{
		str("campaign_key", &req.CampaignKey, maxCampaignKey),
		str("beneficiary", &req.Beneficiary, 42),
		str("catalyst", &req.Catalyst, maxCatalyst),
		str("captcha_id", &req.CaptchaID, 64),
		str("captcha_value", &req.CaptchaValue, 32),
	} {
		if err != nil {
			return nil, err
		}
	}
	if req.CampaignKey == "" {
		return nil, errors.New("campaign_key is required")
	}
	req.Beneficiary = strings.ToLower(req.Beneficiary)
	if !authchain.IsAddress(req.Beneficiary) {
		return nil, errors.New("beneficiary must be an ethereum address")
	}
	if (req.CaptchaID == "") != (req.CaptchaValue == "") {
		return nil, errors.New("captcha_id and captcha_value go together")
	}
	return &req, nil
}

func printable(s string) bool {
	for _, c := range s {
		if c < 0x20 || c == 0x7f {
			return false
		}
	}
	return true
}

// Refusals of an assignment.
var (
	errBeneficiaryFull = errors.New("this beneficiary has as many rewards as this node keeps for one")
	errNodeFull        = errors.New("this node records no more rewards")
)

// Keys of the keyspace:
//
//	a/<id>                            → Reward
//	c/<campaign id>/<beneficiary>     → id (one a campaign and beneficiary)
//	b/<beneficiary>/<id>              → ""
//	e/<bus event key>                 → id (a recorded bus request)
//	n                                 → how many assignments
const (
	kReward  = "a/"
	kCamp    = "c/"
	kBenef   = "b/"
	kEvent   = "e/"
	kCount   = "n"
	zeroAddr = "0x0000000000000000000000000000000000000000"
	isoMilli = "2006-01-02T15:04:05.000Z"
)

// campaignID is a campaign key's id: a UUID from its hash.
func campaignID(key string) string {
	h := sha256.Sum256([]byte("rewards-campaign:" + key))
	h[6] = h[6]&0x0f | 0x80 // version 8: custom
	h[8] = h[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

// record assigns a campaign's reward to a beneficiary, or returns the
// assignment it has; eventKey ("" for none) records a bus request once.
func (s *Service) record(ctx context.Context, campaignKey, beneficiary, eventKey string) (rw *Reward, created bool, err error) {
	now := s.cfg.Now().UTC()
	cid := campaignID(campaignKey)
	s.mu.Lock()
	defer s.mu.Unlock()
	err = s.ks.Update(ctx, func(tx *store.KeyspaceTxn) error {
		existing := func(key string) (bool, error) {
			id, err := tx.Get(key)
			if errors.Is(err, store.ErrNotFound) {
				return false, nil
			}
			if err != nil {
				return false, err
			}
			v, err := tx.Get(kReward + string(id))
			if err != nil {
				return false, err
			}
			rw = &Reward{}
			return true, json.Unmarshal(v, rw)
		}
		if eventKey != "" {
			if found, err := existing(kEvent + eventKey); found || err != nil {
				return err
			}
		}
		found, err := existing(kCamp + cid + "/" + beneficiary)
		if err != nil {
			return err
		}
		if found {
			if eventKey != "" {
				return tx.Set(kEvent+eventKey, []byte(rw.ID))
			}
			return nil
		}
		total := 0
		if v, err := tx.Get(kCount); err == nil {
			total, _ = strconv.Atoi(string(v))
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if total >= MaxAssignments {
			return errNodeFull
		}
		mine := 0
		if err := tx.Scan(kBenef+beneficiary+"/", func(string, []byte) error { mine++; return nil }); err != nil {
			return err
		}
		if mine >= s.cfg.MaxPerBeneficiary {
			return errBeneficiaryFull
		}
		stamp := now.Format(isoMilli)
		rw = &Reward{
			ID: httpx.UUID(), User: beneficiary, CampaignID: cid, CampaignKey: campaignKey, Status: Status,
			ChainID: 137, AirdropType: "CollectionV2IssueToken", Target: zeroAddr, Value: "0",
			Priority: now.UnixMilli() % 2147483647, AssignedAt: stamp, CreatedAt: stamp, UpdatedAt: stamp,
		}
		raw, _ := json.Marshal(rw)
		created = true
		sets := map[string][]byte{
			kReward + rw.ID: raw, kCamp + cid + "/" + beneficiary: []byte(rw.ID), kBenef + beneficiary + "/" + rw.ID: {},
			kCount: []byte(strconv.Itoa(total + 1)),
		}
		if eventKey != "" {
			sets[kEvent+eventKey] = []byte(rw.ID)
		}
		for k, v := range sets {
			if err := tx.Set(k, v); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	if created {
		s.publish(ctx, rw)
	}
	return rw, created, nil
}

// publish tells the bus the reward is delayed (RewardDelayedEvent).
func (s *Service) publish(ctx context.Context, rw *Reward) {
	if s.cfg.Bus == nil {
		return
	}
	e, err := events.New(EventType, SubTypeDelayed, "rewards-"+SubTypeDelayed+"-"+rw.ID, s.cfg.Now().UnixMilli(), map[string]any{
		"title":       "Your reward is on hold",
		"description": "This node recorded your reward but cannot mint it: it has no campaign funds.",
		"beneficiary": rw.User, "tokenName": rw.Token, "tokenImage": rw.Image,
	})
	if err == nil {
		err = s.cfg.Bus.Publish(ctx, e)
	}
	if err != nil {
		s.log.Warn("a reward was recorded but its event not published", "id", rw.ID, "err", err)
	}
}

// assign is POST /rewards {campaign_key, beneficiary, catalyst?,
// captcha_id?, captcha_value?}: {ok, data: [assignment]}.
func (s *Service) assign(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		httpx.EnvelopeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("the body must be at most %d bytes", maxBody))
		return
	}
	req, err := ParseRequest(body)
	if err != nil {
		s.assigned.WithLabelValues("api", "refused").Inc()
		httpx.EnvelopeError(w, http.StatusBadRequest, err.Error())
		return
	}
	// A campaign's server (the original's server-side integration) comes
	// with the admin token; anyone else signs as the beneficiary: an
	// unsigned request would let anyone fill the node's assignments.
	if !httpx.BearerValid(s.cfg.AdminToken, r) {
		if r.Header.Get(authchain.HeaderChainPrefix+"0") == "" {
			httpx.EnvelopeError(w, http.StatusUnauthorized, "A reward is asked with the beneficiary's signature (signed fetch) or the admin token")
			return
		}
		signed, err := s.cfg.Verifier.VerifyRequestWith(r.Context(), r.Method, r.URL.Path, r.Header, s.cfg.Now(),
			authchain.RequestRules{TTL: time.Minute, MetadataCaseKept: true})
		if err != nil {
			httpx.EnvelopeError(w, http.StatusUnauthorized, err.Error())
			return
		}
		if signed.Signer != req.Beneficiary {
			httpx.EnvelopeError(w, http.StatusForbidden, "The beneficiary must be the signer")
			return
		}
	}
	if req.CaptchaID != "" && !s.captchas.solve(req.CaptchaID, req.CaptchaValue, s.cfg.Now()) {
		s.assigned.WithLabelValues("api", "refused").Inc()
		httpx.EnvelopeError(w, http.StatusBadRequest, "Invalid captcha")
		return
	}
	rw, created, err := s.record(r.Context(), req.CampaignKey, req.Beneficiary, "")
	switch {
	case errors.Is(err, errBeneficiaryFull):
		s.assigned.WithLabelValues("api", "refused").Inc()
		httpx.EnvelopeError(w, http.StatusTooManyRequests, err.Error())
		return
	case errors.Is(err, errNodeFull):
		s.assigned.WithLabelValues("api", "refused").Inc()
		httpx.EnvelopeError(w, http.StatusServiceUnavailable, err.Error())
		return
	case err != nil:
		httpx.Internal(w, s.log, r, err)
		return
	}
	s.assigned.WithLabelValues("api", result(created)).Inc()
	httpx.JSON(w, http.StatusOK, map[string]any{"ok": true, "data": []*Reward{rw}})
}

func result(created bool) string {
	if created {
		return "assigned"
	}
	return "existing"
}

// one is GET /rewards/:id.
func (s *Service) one(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if !isUUID(id) {
		httpx.EnvelopeError(w, http.StatusBadRequest, "the id must be a reward id")
		return
	}
	v, err := s.ks.Get(r.Context(), kReward+strings.ToLower(id))
	if errors.Is(err, store.ErrNotFound) {
		httpx.EnvelopeError(w, http.StatusNotFound, "Not found")
		return
	}
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	httpx.JSON(w, http.StatusOK, map[string]any{"ok": true, "data": json.RawMessage(v)})
}

func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, c := range s {
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				return false
			}
		}
	}
	return true
}

// explorationRequestMeta is an exploration-games/reward-requested event's
// metadata.
type explorationRequestMeta struct {
	CampaignKey   string `json:"campaign_key"`
	Beneficiary   string `json:"beneficiary"`
	MissionID     string `json:"missionId"`
	UserMissionID string `json:"userMissionId"`
	MissionType   string `json:"missionType"`
}

// onEvent records the exploration games' reward requests, once per event
// key.
func (s *Service) onEvent(ctx context.Context, e events.StoredEvent) error {
	if e.Type != explorationType || e.SubType != explorationRequest {
		return nil
	}
	var m explorationRequestMeta
	if json.Unmarshal(e.Metadata, &m) != nil {
		s.log.Warn("a reward request that is not JSON", "key", e.Key)
		return nil
	}
	body, _ := json.Marshal(map[string]string{"campaign_key": m.CampaignKey, "beneficiary": m.Beneficiary})
	req, err := ParseRequest(body)
	if err != nil || len(e.Key) > 512 {
		s.assigned.WithLabelValues("exploration-games", "refused").Inc()
		s.log.Warn("a reward request refused", "key", e.Key, "err", err)
		return nil
	}
	_, created, err := s.record(ctx, req.CampaignKey, req.Beneficiary, e.Key)
	if errors.Is(err, errBeneficiaryFull) || errors.Is(err, errNodeFull) {
		s.assigned.WithLabelValues("exploration-games", "refused").Inc()
		s.log.Warn("a reward request refused", "key", e.Key, "err", err)
		return nil
	}
	if err == nil {
		s.assigned.WithLabelValues("exploration-games", result(created)).Inc()
	}
	return err
}
