package authserver

import (
	"encoding/json"
	"sync"
	"time"
)

// request is one desktop request, as the original's StorageRequest: pending
// (Response nil), answered and waiting to be polled (Response set), or
// delivered (Fulfilled: a marker kept until Expiration, so a client can
// tell "consumed" from "never existed").
type request struct {
	ID                 string
	Expiration         time.Time
	Code               int
	Method             string
	Params             json.RawMessage
	Sender             string // lower-cased; "" for dcl_personal_sign
	SocketID           string // "" when created over HTTP
	RequiresValidation bool
	Response           *outcomeMessage
	Fulfilled          bool

	ip string // whose quota it counts against
}

// identity is one stored AuthIdentity (POST /identities), served once.
// After it is served, expired or refused, a tombstone (Reason set, Identity
// nil) says why until Until.
type identity struct {
	ID         string
	Identity   json.RawMessage
	Signer     string
	Expiration time.Time
	IP         string
	IsMobile   bool

	Reason string    // "consumed", "expired", "ip_mismatch" on a tombstone
	Until  time.Time // when the record goes (the identity's expiration, or the tombstone's end)

	ip string // quota
}

// Reasons a request is refused or a stored one is not served.
type refusal int

const (
	ok refusal = iota
	notFound
	fulfilled
	expired
	answered
	full
	fullForIP
)

// state is the service's memory: requests and identities live minutes, are
// never written to disk (an identity carries an ephemeral private key) and
// are bounded in number, overall and per client IP.
type state struct {
	mu         sync.Mutex
	requests   map[string]*request
	bySocket   map[string]string // socket id → its one request
	requestsIP map[string]int
	identities map[string]*identity
	identIP    map[string]int

	maxRequests, maxRequestsPerIP     int
	maxIdentities, maxIdentitiesPerIP int
}

func newState(cfg Config) *state {
	return &state{
		requests: map[string]*request{}, bySocket: map[string]string{}, requestsIP: map[string]int{},
		identities: map[string]*identity{}, identIP: map[string]int{},
		maxRequests: cfg.MaxRequests, maxRequestsPerIP: cfg.MaxRequestsPerIP,
		maxIdentities: cfg.MaxIdentities, maxIdentitiesPerIP: cfg.MaxIdentitiesPerIP,
	}
}

// roomForRequest reports whether a request from ip (replacing the one of
// socketID, if any) would fit.
func (s *state) roomForRequest(ip, socketID string) refusal {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.roomLocked(ip, socketID)
}

func (s *state) roomLocked(ip, socketID string) refusal {
	n, nIP := len(s.requests), s.requestsIP[ip]
	if prev, ok := s.requests[s.bySocket[socketID]]; socketID != "" && ok {
		n--
		if prev.ip == ip {
			nIP--
		}
	}
	switch {
	case n >= s.maxRequests:
		return full
	case nIP >= s.maxRequestsPerIP:
		return fullForIP
	}
	return ok
}

// addRequest stores r; a socket has one request at a time, so its previous
// one goes (the original's storage does the same).
func (s *state) addRequest(r *request) refusal {
	s.mu.Lock()
	defer s.mu.Unlock()
	if why := s.roomLocked(r.ip, r.SocketID); why != ok {
		return why
	}
	if r.SocketID != "" {
		if prev, ok := s.bySocket[r.SocketID]; ok {
			s.dropLocked(prev)
		}
		s.bySocket[r.SocketID] = r.ID
	}
	s.requests[r.ID] = r
	s.requestsIP[r.ip]++
	return ok
}

func (s *state) dropLocked(id string) {
	r, ok := s.requests[id]
	if !ok {
		return
	}
	delete(s.requests, id)
	if r.SocketID != "" && s.bySocket[r.SocketID] == id {
		delete(s.bySocket, r.SocketID)
	}
	s.uncountLocked(r.ip)
}

// active runs fn on the request id under the lock when it is neither
// unknown, fulfilled nor expired (an expired one is dropped, as the
// original's lookups do).
func (s *state) active(id string, now time.Time, fn func(r *request) refusal) refusal {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, found := s.requests[id]
	switch {
	case !found:
		return notFound
	case r.Fulfilled:
		return fulfilled
	case r.Expiration.Before(now):
		s.dropLocked(id)
		return expired
	}
	if fn == nil {
		return ok
	}
	return fn(r)
}

// fulfilLocked turns r into the fulfilled marker (under the lock). The
// marker no longer counts against its address's pending requests.
func (s *state) fulfilLocked(r *request) {
	s.uncountLocked(r.ip)
	*r = request{ID: r.ID, Expiration: r.Expiration, SocketID: r.SocketID, Fulfilled: true}
}

func (s *state) uncountLocked(ip string) {
	if ip == "" {
		return
	}
	if s.requestsIP[ip]--; s.requestsIP[ip] <= 0 {
		delete(s.requestsIP, ip)
	}
}

// sweep drops what has expired: requests (fulfilled markers too) past
// their expiration, identities and tombstones past Until. It returns how
// many of each went.
func (s *state) sweep(now time.Time) (requests, identities int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, r := range s.requests {
		if r.Expiration.Before(now) {
			s.dropLocked(id)
			requests++
		}
	}
	for id, i := range s.identities {
		if i.Until.Before(now) {
			s.dropIdentityLocked(id)
			identities++
		}
	}
	return requests, identities
}

func (s *state) counts() (requests, identities int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.requests), len(s.identities)
}

func (s *state) roomForIdentity(ip string) refusal {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.identityRoomLocked(ip)
}

func (s *state) identityRoomLocked(ip string) refusal {
	switch {
	case len(s.identities) >= s.maxIdentities:
		return full
	case s.identIP[ip] >= s.maxIdentitiesPerIP:
		return fullForIP
	}
	return ok
}

func (s *state) addIdentity(i *identity) refusal {
	s.mu.Lock()
	defer s.mu.Unlock()
	if why := s.identityRoomLocked(i.ip); why != ok {
		return why
	}
	s.identities[i.ID] = i
	s.identIP[i.ip]++
	return ok
}

func (s *state) dropIdentityLocked(id string) {
	i, ok := s.identities[id]
	if !ok {
		return
	}
	delete(s.identities, id)
	s.uncountIdentityLocked(i)
}

// uncountIdentityLocked: an identity served, refused or gone no longer
// counts against its address's.
func (s *state) uncountIdentityLocked(i *identity) {
	if i.ip == "" {
		return
	}
	if s.identIP[i.ip]--; s.identIP[i.ip] <= 0 {
		delete(s.identIP, i.ip)
	}
	i.ip = ""
}

// identityOutcome is what GET /identities/:id finds.
type identityOutcome struct {
	Identity json.RawMessage // served (and now consumed)
	Reason   string          // a tombstone's reason, "" when none
	Expired  bool            // it was there but expired: now a tombstone
	Mismatch bool            // asked from another IP: now a tombstone
	Found    bool
}

// takeIdentity serves an identity once: the record becomes a tombstone
// whatever the answer, unless it is unknown.
func (s *state) takeIdentity(id, clientIP string, now time.Time, tombstone time.Duration) identityOutcome {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, found := s.identities[id]
	if !found {
		return identityOutcome{}
	}
	if i.Reason != "" {
		return identityOutcome{Found: true, Reason: i.Reason}
	}
	bury := func(reason string) {
		i.Identity, i.Reason, i.Until = nil, reason, now.Add(tombstone)
		s.uncountIdentityLocked(i)
	}
	if i.Expiration.Before(now) {
		bury("expired")
		return identityOutcome{Found: true, Expired: true}
	}
	if !i.IsMobile && !ipsMatch(i.IP, clientIP) {
		bury("ip_mismatch")
		return identityOutcome{Found: true, Mismatch: true}
	}
	out := identityOutcome{Found: true, Identity: i.Identity}
	bury("consumed")
	return out
}
