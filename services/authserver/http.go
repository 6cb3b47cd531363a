package authserver

import (
	"crypto/ecdsa"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/p2pcatalyst/catalyst/services/httpx"
)

// readBody reads a JSON body of at most MaxBodyBytes; on failure it has
// answered (413 or 400).
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			httpx.Error(w, http.StatusRequestEntityTooLarge, "Request body too large")
		} else {
			httpx.Error(w, http.StatusBadRequest, "Invalid JSON body")
		}
		return nil, false
	}
	return b, true
}

func (s *Service) clientIP(r *http.Request) string {
	if s.cfg.ClientIP != nil {
		return s.cfg.ClientIP(r)
	}
	return remoteIP(r)
}

// POST /requests
func (s *Service) createRequest(w http.ResponseWriter, r *http.Request) {
	body, okBody := readBody(w, r)
	if !okBody {
		return
	}
	res, status, err := s.create(r.Context(), body, s.clientIP(r), "")
	if err != nil {
		httpx.Error(w, status, err.Error())
		return
	}
	httpx.JSON(w, status, res)
}

func (s *Service) refuse(w http.ResponseWriter, why refusal, id string) {
	status, msg := refusalText(why, id)
	httpx.Error(w, status, msg)
}

// GET /v2/requests/{id}
func (s *Service) getRequest(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	v, why := s.recoverRequest(id)
	if why != ok {
		s.refuse(w, why, id)
		return
	}
	httpx.JSON(w, http.StatusOK, v)
}

// POST /v2/requests/{id}/validation
func (s *Service) notifyValidation(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if why := s.needsValidation(id); why != ok {
		s.refuse(w, why, id)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// GET /v2/requests/{id}/validation
func (s *Service) validationStatus(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	var needs bool
	if why := s.st.active(id, s.cfg.Now(), func(rq *request) refusal { needs = rq.RequiresValidation; return ok }); why != ok {
		s.refuse(w, why, id)
		return
	}
	httpx.JSON(w, http.StatusOK, map[string]bool{"requiresValidation": needs})
}

// GET /requests/{id}: 204 while no outcome is there, then the outcome
// once (the request becomes a fulfilled marker: 410 after that).
func (s *Service) getOutcome(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	var out *outcomeMessage
	why := s.st.active(id, s.cfg.Now(), func(rq *request) refusal {
		if out = rq.Response; out != nil {
			s.st.fulfilLocked(rq)
		}
		return ok
	})
	switch {
	case why != ok:
		s.refuse(w, why, id)
	case out == nil:
		w.WriteHeader(http.StatusNoContent)
	default:
		s.requests.WithLabelValues("delivered_poll").Inc()
		httpx.JSON(w, http.StatusOK, out)
	}
}

// POST /v2/requests/{id}/outcome
func (s *Service) postOutcome(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	body, okBody := readBody(w, r)
	if !okBody {
		return
	}
	msg, err := parseOutcome(body, false)
	if err != nil {
		s.requests.WithLabelValues("invalid").Inc()
		httpx.Error(w, http.StatusBadRequest, err.Error())
		return
	}
	if why := s.answer(id, msg); why != ok {
		s.refuse(w, why, id)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// identityCreated is the original's IdentityResponse.
type identityCreated struct {
	IdentityID string `json:"identityId"`
	Expiration jsTime `json:"expiration"`
}

// POST /identities (signed fetch by the identity's owner)
func (s *Service) createIdentity(w http.ResponseWriter, r *http.Request) {
	signed, okSigned := httpx.SignedUser(w, r, s.cfg.Verifier, s.cfg.Now(), signedFetchTTL)
	if !okSigned {
		s.identities.WithLabelValues("unsigned").Inc()
		return
	}
	body, okBody := readBody(w, r)
	if !okBody {
		return
	}
	msg, err := parseIdentity(body)
	if err != nil {
		s.identities.WithLabelValues("invalid").Inc()
		httpx.Error(w, http.StatusBadRequest, err.Error())
		return
	}
	ip := s.clientIP(r)
	if why := s.st.roomForIdentity(ip); why != ok {
		status, err := s.refuseFull(why, "identities")
		httpx.Error(w, status, err.Error())
		return
	}
	authority, err := finalAuthority(msg.Chain)
	var owner string
	if err == nil {
		owner, err = s.senderOf(r.Context(), msg.Chain)
	}
	if err != nil {
		s.identities.WithLabelValues("invalid").Inc()
		httpx.Error(w, http.StatusBadRequest, err.Error())
		return
	}
	forbid := func(msg string) {
		s.identities.WithLabelValues("forbidden").Inc()
		httpx.Error(w, http.StatusForbidden, msg)
	}
	if !strings.EqualFold(msg.Ephemeral.Address, authority) {
		forbid("Ephemeral wallet address does not match auth chain final authority")
		return
	}
	if !strings.EqualFold(signed.Signer, owner) {
		forbid("Request sender does not match identity owner")
		return
	}
	if addr, err := addressOfKey(msg.Ephemeral.PrivateKey); err != nil || !strings.EqualFold(addr, msg.Ephemeral.Address) {
		forbid("Ephemeral private key does not match the provided address")
		return
	}
	now := s.cfg.Now()
	exp := now.Add(s.cfg.IdentityExpiration)
	rec := &identity{
		ID: httpx.UUID(), Identity: msg.Identity, Signer: owner, Expiration: exp, Until: exp,
		IP: ip, IsMobile: msg.IsMobile, ip: ip,
	}
	if why := s.st.addIdentity(rec); why != ok {
		status, err := s.refuseFull(why, "identities")
		httpx.Error(w, status, err.Error())
		return
	}
	s.identities.WithLabelValues("stored").Inc()
	httpx.JSON(w, http.StatusCreated, identityCreated{IdentityID: rec.ID, Expiration: jsTime(exp)})
}

// addressOfKey is the address of a hex private key.
func addressOfKey(hexKey string) (string, error) {
	b, err := hex.DecodeString(strings.TrimPrefix(strings.TrimPrefix(hexKey, "0x"), "0X"))
	if err != nil {
		return "", err
	}
	key, err := crypto.ToECDSA(b)
	if err != nil {
		return "", err
	}
	return crypto.PubkeyToAddress(*key.Public().(*ecdsa.PublicKey)).Hex(), nil
}

// GET /identities/{id}: the identity once, to the address that stored it
// (a mobile one from anywhere).
func (s *Service) getIdentity(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if !uuidV4.MatchString(id) {
		httpx.Error(w, http.StatusBadRequest, "Invalid identity format")
		return
	}
	got := s.st.takeIdentity(id, s.clientIP(r), s.cfg.Now(), s.cfg.IdentityExpiration)
	switch {
	case !got.Found:
		httpx.Error(w, http.StatusNotFound, "Identity not found")
	case got.Reason == "consumed":
		httpx.Error(w, http.StatusNotFound, "Identity was already consumed")
	case got.Reason == "expired":
		httpx.Error(w, http.StatusNotFound, "Identity has expired")
	case got.Reason == "ip_mismatch":
		httpx.Error(w, http.StatusNotFound, "Identity was deleted due to IP mismatch")
	case got.Expired:
		s.identities.WithLabelValues("expired").Inc()
		httpx.Error(w, http.StatusGone, "Identity has expired")
	case got.Mismatch:
		s.identities.WithLabelValues("ip_mismatch").Inc()
		httpx.Error(w, http.StatusForbidden, "IP address mismatch")
	default:
		s.identities.WithLabelValues("served").Inc()
		httpx.JSON(w, http.StatusOK, map[string]any{"identity": got.Identity})
	}
}
