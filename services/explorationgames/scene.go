package explorationgames

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/p2pcatalyst/catalyst/services/httpx"
	"github.com/p2pcatalyst/catalyst/store/authchain"
)

// sceneCall is what a scene's signed fetch proves: the player (the
// chain's signer) and the scene's metadata the service reads.
type sceneCall struct {
	User        string // lower-cased address
	Parcel      string // metadata.parcel ("" when missing)
	HashPayload string // metadata.hashPayload
	HasHash     bool
}

// canonicalKeys are the metadata keys the service reads: a key spelled
// otherwise in case alone is refused, because a payload lower-cased
// before signing leaves the keys' case outside the signature (the
// original's canonicalMetadataKeys).
var canonicalKeys = map[string]string{"signer": "signer", "parcel": "parcel", "hashpayload": "hashPayload"}

// verifyScene checks a request's signed fetch (ADR-44, within a minute,
// either payload form) and requires the scene signer; on a refusal it
// answers (401 for the signature and the signer, 400 for malformed
// metadata) and returns false.
func (s *Service) verifyScene(w http.ResponseWriter, r *http.Request) (sceneCall, bool) {
	var c sceneCall
	req, err := s.cfg.Verifier.VerifyRequestWith(r.Context(), r.Method, r.URL.Path, r.Header, s.cfg.Now(),
		authchain.RequestRules{TTL: signedTTL, MetadataCaseKept: true})
	if err != nil {
		fail(w, http.StatusUnauthorized, err.Error())
		return c, false
	}
	var meta map[string]json.RawMessage
	if err := json.Unmarshal(req.Metadata, &meta); err != nil || meta == nil {
		badRequest(w, "Invalid chain metadata: it must be a JSON object")
		return c, false
	}
	for k := range meta {
		if want, ok := canonicalKeys[strings.ToLower(k)]; ok && k != want {
			badRequest(w, "Invalid chain metadata: key "+k+" must be spelled "+want)
			return c, false
		}
	}
	var signer string
	if raw, ok := meta["signer"]; ok {
		json.Unmarshal(raw, &signer)
	}
	if signer != httpx.SceneSigner {
		fail(w, http.StatusUnauthorized, "Invalid metadata content: only a scene (metadata.signer "+httpx.SceneSigner+") may do this")
		return c, false
	}
	if raw, ok := meta["parcel"]; ok && !isNull(raw) {
		if json.Unmarshal(raw, &c.Parcel) != nil {
			badRequest(w, "Invalid chain metadata: parcel must be a string")
			return c, false
		}
	}
	if raw, ok := meta["hashPayload"]; ok {
		c.HasHash = true
		if json.Unmarshal(raw, &c.HashPayload) != nil {
			badRequest(w, "Invalid chain metadata: hashPayload must be a string")
			return c, false
		}
	}
	c.User = req.Signer
	return c, true
}

// scene guards a route with a scene's signed fetch.
func (s *Service) scene(next func(http.ResponseWriter, *http.Request, sceneCall)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, ok := s.verifyScene(w, r)
		if !ok {
			return
		}
		next(w, r, c)
	}
}

// onGame reports whether a scene's parcel is one of the game's (compared
// as coordinates, as the original's validateGameParcel).
func onGame(g *Game, p string) bool {
	x, y, ok := parcel(p)
	if !ok {
		return false
	}
	for _, gp := range g.Parcels {
		if gx, gy, ok := parcel(gp); ok && gx == x && gy == y {
			return true
		}
	}
	return false
}
