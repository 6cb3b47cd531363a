// Package gatekeeper hands out room tokens for the node's SFU: the
// signed-login adapter explorers use for fixed rooms, scene rooms, and the
// bans that keep addresses out of comms.
package gatekeeper

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/p2pcatalyst/catalyst/comms/rtc"
	"github.com/p2pcatalyst/catalyst/services/httpx"
	"github.com/p2pcatalyst/catalyst/store/authchain"
)

// Config configures the gatekeeper.
type Config struct {
	Verifier  authchain.Verifier
	Keys      rtc.Keys
	Bans      *Bans
	RealmName string
	// PublicURL is the node's public URL ("": the one each request used).
	PublicURL string
	Logger    *slog.Logger
	// Now is the clock (nil: time.Now).
	Now func() time.Time
}

// Gatekeeper serves the token endpoints.
type Gatekeeper struct {
	cfg Config
	log *slog.Logger
}

// New builds the gatekeeper.
func New(cfg Config) *Gatekeeper {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Gatekeeper{cfg: cfg, log: cfg.Logger.With("component", "gatekeeper")}
}

// Routes registers the endpoints.
func (g *Gatekeeper) Routes(mux *http.ServeMux) {
	mux.HandleFunc("POST /get-comms-adapter/{roomId}", g.commsAdapter)
	mux.HandleFunc("POST /get-scene-adapter", g.sceneAdapter)
	mux.HandleFunc("GET /users/{address}/bans", g.banStatus)
}

// roomID is what a fixed room may be called: island and scene rooms are
// the node's to assign, never a client's to pick.
var roomID = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$`)

// signed verifies the signed fetch and the ban list, answering the error
// itself; ok is false when it did.
func (g *Gatekeeper) signed(w http.ResponseWriter, r *http.Request) (authchain.SignedRequest, bool) {
	req, err := g.cfg.Verifier.VerifyRequest(r.Context(), r.Method, r.URL.Path, r.Header, g.cfg.Now())
	if err != nil {
		httpx.Error(w, http.StatusUnauthorized, err.Error())
		return req, false
	}
	if ban, banned := g.cfg.Bans.Lookup(req.Signer, g.cfg.Now()); banned {
		httpx.Error(w, http.StatusForbidden, "Access denied, banned: "+ban.Reason)
		return req, false
	}
	return req, true
}

// commsAdapter answers the signed-login adapter: a token for a fixed room.
func (g *Gatekeeper) commsAdapter(w http.ResponseWriter, r *http.Request) {
	room := r.PathValue("roomId")
	if !roomID.MatchString(room) || strings.HasPrefix(room, "island-") || strings.HasPrefix(room, "scene-") {
		httpx.Error(w, http.StatusBadRequest, "invalid room id "+truncate(room))
		return
	}
	req, ok := g.signed(w, r)
	if !ok {
		return
	}
	var meta struct {
		Intent string `json:"intent"`
		Signer string `json:"signer"`
	}
	json.Unmarshal(req.Metadata, &meta)
	if meta.Intent != "dcl:explorer:comms-handshake" || meta.Signer != "dcl:explorer" {
		httpx.Error(w, http.StatusUnauthorized, `Access denied, invalid metadata: want intent "dcl:explorer:comms-handshake" and signer "dcl:explorer"`)
		return
	}
	adapter, err := g.cfg.Keys.ConnStr(rtc.WSBase(r, g.cfg.PublicURL), req.Signer, room)
	if err != nil {
		httpx.Internal(w, g.log, r, err)
		return
	}
	httpx.JSON(w, http.StatusOK, map[string]string{"fixedAdapter": adapter})
}

// sceneAdapter answers a token for the room of the scene the explorer is
// in, named as the original gatekeeper names it.
func (g *Gatekeeper) sceneAdapter(w http.ResponseWriter, r *http.Request) {
	req, ok := g.signed(w, r)
	if !ok {
		return
	}
	var meta struct {
		SceneID   string `json:"sceneId"`
		RealmName string `json:"realmName"`
		Parcel    string `json:"parcel"`
	}
	json.Unmarshal(req.Metadata, &meta)
	if meta.SceneID == "" || len(meta.SceneID) > 128 {
		httpx.Error(w, http.StatusBadRequest, "Access denied, invalid signed-fetch request, no sceneId")
		return
	}
	realm := meta.RealmName
	if realm == "" {
		realm = g.cfg.RealmName
	}
	if len(realm) > 128 {
		httpx.Error(w, http.StatusBadRequest, "realmName is too long")
		return
	}
	adapter, err := g.cfg.Keys.ConnStr(rtc.WSBase(r, g.cfg.PublicURL), req.Signer, "scene-"+realm+":"+meta.SceneID)
	if err != nil {
		httpx.Internal(w, g.log, r, err)
		return
	}
	httpx.JSON(w, http.StatusOK, map[string]string{"adapter": adapter})
}

func (g *Gatekeeper) banStatus(w http.ResponseWriter, r *http.Request) {
	address := strings.ToLower(r.PathValue("address"))
	if !authchain.IsAddress(address) {
		httpx.Error(w, http.StatusBadRequest, "invalid address "+truncate(address))
		return
	}
	ban, banned := g.cfg.Bans.Lookup(address, g.cfg.Now())
	status := map[string]any{"isBanned": banned}
	if banned {
		status["ban"] = ban
	}
	httpx.JSON(w, http.StatusOK, map[string]any{"data": status})
}

func truncate(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}
