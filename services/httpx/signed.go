package httpx

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/p2pcatalyst/catalyst/store/authchain"
)

// SceneSigner is the signer metadata of a scene's signed fetch (the SDK
// runtime's), which the user-facing services refuse.
const SceneSigner = "decentraland-kernel-scene"

// SignedUser verifies a request's signed fetch (ADR-44) for the path as
// requested, within ttl, in either payload form, and refuses a scene's
// signature; on a refusal it answers 401 with why and returns false.
func SignedUser(w http.ResponseWriter, r *http.Request, v authchain.Verifier, now time.Time, ttl time.Duration) (authchain.SignedRequest, bool) {
	req, err := v.VerifyRequestWith(r.Context(), r.Method, r.URL.Path, r.Header, now, authchain.RequestRules{TTL: ttl, MetadataCaseKept: true})
	if err != nil {
		Error(w, http.StatusUnauthorized, err.Error())
		return req, false
	}
	var meta struct {
		Signer string `json:"signer"`
	}
	json.Unmarshal(req.Metadata, &meta)
	if meta.Signer == SceneSigner {
		Error(w, http.StatusUnauthorized, "Invalid signer: a scene may not do this")
		return req, false
	}
	return req, true
}
