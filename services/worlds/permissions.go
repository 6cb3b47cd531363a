package worlds

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/p2pcatalyst/catalyst/services/httpx"
	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/authchain"
)

// Access types (worlds-content-server src/logic/access).
const (
	accessUnrestricted = "unrestricted"
	accessSharedSecret = "shared-secret"
	accessNFT          = "nft-ownership"
	accessAllowList    = "allow-list"
)

// Bounds of a world's permissions.
const (
	maxWallets   = 1000
	maxSecretLen = 256
)

// allowList is the deployment and streaming permission: wallets allowed
// world-wide (the original's parcel-scoped grants are not kept).
type allowList struct {
	Type    string   `json:"type"`
	Wallets []string `json:"wallets"`
}

// accessSetting is who may join the world's comms. Secret is the bcrypt
// hash of the shared secret, never answered (public drops it).
type accessSetting struct {
	Type        string   `json:"type"`
	Wallets     []string `json:"wallets,omitempty"`
	Communities []string `json:"communities,omitempty"`
	NFT         string   `json:"nft,omitempty"`
	Secret      string   `json:"secret,omitempty"`
}

// public is the setting as answered: the original's shape for its type
// (an allow-list always has its wallets), the secret left out.
func (a accessSetting) public() map[string]any {
	out := map[string]any{"type": a.Type}
	switch a.Type {
	case accessAllowList:
		out["wallets"] = nonNil(a.Wallets)
		if a.Communities != nil {
			out["communities"] = a.Communities
		}
	case accessNFT:
		out["nft"] = a.NFT
	}
	return out
}

func nonNil(list []string) []string {
	if list == nil {
		return []string{}
	}
	return list
}

// permissionSet is a world's permissions as the keyspace keeps them.
type permissionSet struct {
	Deployment allowList     `json:"deployment"`
	Streaming  allowList     `json:"streaming"`
	Access     accessSetting `json:"access"`
}

func (s *Service) perms(ctx context.Context, world string) (permissionSet, error) {
	p := permissionSet{
		Deployment: allowList{Type: accessAllowList, Wallets: []string{}},
		Streaming:  allowList{Type: accessAllowList, Wallets: []string{}},
		Access:     accessSetting{Type: accessUnrestricted},
	}
	v, err := s.ks.Get(ctx, "perm/"+world)
	if errors.Is(err, store.ErrNotFound) {
		return p, nil
	}
	if err != nil {
		return p, err
	}
	return p, json.Unmarshal(v, &p)
}

func (s *Service) savePerms(ctx context.Context, world string, p permissionSet) error {
	b, err := json.Marshal(p)
	if err != nil {
		return err
	}
	return s.ks.Write(ctx, map[string][]byte{"perm/" + world: b})
}

// GET /world/{world}/permissions
func (s *Service) permissions(w http.ResponseWriter, r *http.Request) {
	world, ok := worldName(w, r)
	if !ok {
		return
	}
	p, err := s.perms(r.Context(), world)
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	owner, err := s.owner(r.Context(), world)
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	type grant struct {
		Permission string `json:"permission"`
		WorldWide  bool   `json:"world_wide"`
	}
	summary := map[string][]grant{}
	for _, l := range []struct {
		name    string
		wallets []string
	}{{"deployment", p.Deployment.Wallets}, {"streaming", p.Streaming.Wallets}} {
		for _, a := range l.wallets {
			summary[a] = append(summary[a], grant{l.name, true})
		}
	}
	var ownerField any
	if owner != "" {
		ownerField = owner
	}
	httpx.JSON(w, http.StatusOK, map[string]any{
		"permissions": map[string]any{"deployment": p.Deployment, "streaming": p.Streaming, "access": p.Access.public()},
		"owner":       ownerField, "summary": summary,
	})
}

// POST /world/{world}/permissions/{permission}: the owner sets one; the
// setting is the signed request's metadata, as in the original.
func (s *Service) setPermission(w http.ResponseWriter, r *http.Request) {
	world, ok := worldName(w, r)
	if !ok {
		return
	}
	req, ok := s.signed(w, r)
	if !ok || !s.ownerOnly(w, r, world, req.Signer, "set access control lists for it") {
		return
	}
	var in struct {
		Type    string   `json:"type"`
		Wallets []string `json:"wallets"`
		Secret  string   `json:"secret"`
		NFT     string   `json:"nft"`
	}
	if err := json.Unmarshal(req.Metadata, &in); err != nil {
		httpx.Error(w, http.StatusBadRequest, "The signed metadata must be a JSON object with the permission's type.")
		return
	}
	wallets, msg := addresses(in.Wallets)
	if msg != "" {
		httpx.Error(w, http.StatusBadRequest, msg)
		return
	}
	p, err := s.perms(r.Context(), world)
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	switch name := r.PathValue("permission"); name {
	case "deployment", "streaming":
		if in.Type != accessAllowList {
			httpx.Error(w, http.StatusBadRequest, fmt.Sprintf("Invalid payload received. %s permission needs to be '%s'.", name, accessAllowList))
			return
		}
		l := allowList{Type: accessAllowList, Wallets: wallets}
		if name == "deployment" {
			p.Deployment = l
		} else {
			p.Streaming = l
		}
	case "access":
		a := accessSetting{Type: in.Type}
		switch in.Type {
		case accessUnrestricted:
		case accessAllowList:
			a.Wallets = wallets
		case accessSharedSecret:
			if in.Secret == "" || len(in.Secret) > maxSecretLen {
				httpx.Error(w, http.StatusBadRequest, fmt.Sprintf("Invalid payload received. For shared secret there needs to be a valid secret (1 to %d characters).", maxSecretLen))
				return
			}
			h, err := bcrypt.GenerateFromPassword([]byte(in.Secret), bcrypt.DefaultCost)
			if err != nil {
				httpx.Error(w, http.StatusBadRequest, "Invalid secret: "+err.Error())
				return
			}
			a.Secret = string(h)
		case accessNFT:
			if in.NFT == "" || len(in.NFT) > 512 {
				httpx.Error(w, http.StatusBadRequest, "Invalid payload received. For nft ownership there needs to be a valid nft.")
				return
			}
			a.NFT = in.NFT
		default:
			httpx.Error(w, http.StatusBadRequest, fmt.Sprintf("Invalid access type: %s.", truncate(in.Type)))
			return
		}
		p.Access = a
	default:
		httpx.Error(w, http.StatusBadRequest, fmt.Sprintf("Invalid permission name: %s.", truncate(name)))
		return
	}
	if err := s.savePerms(r.Context(), world, p); err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	s.settingsChanged(r.Context(), world, nil)
	w.WriteHeader(http.StatusNoContent)
}

// addresses checks and lower-cases a list of wallets.
func addresses(list []string) ([]string, string) {
	if len(list) > maxWallets {
		return nil, fmt.Sprintf("At most %d wallets.", maxWallets)
	}
	out := []string{}
	for _, a := range list {
		a = strings.ToLower(a)
		if !authchain.IsAddress(a) {
			return nil, fmt.Sprintf("Invalid address: %s.", truncate(a))
		}
		if !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out, ""
}

// PUT and DELETE /world/{world}/permissions/{permission}/{address}
func (s *Service) grant(w http.ResponseWriter, r *http.Request)  { s.changeWallet(w, r, true) }
func (s *Service) revoke(w http.ResponseWriter, r *http.Request) { s.changeWallet(w, r, false) }

func (s *Service) changeWallet(w http.ResponseWriter, r *http.Request, add bool) {
	world, ok := worldName(w, r)
	if !ok {
		return
	}
	address := strings.ToLower(r.PathValue("address"))
	if !authchain.IsAddress(address) {
		httpx.Error(w, http.StatusBadRequest, fmt.Sprintf("Invalid address: %s.", truncate(address)))
		return
	}
	name := r.PathValue("permission")
	if name != "deployment" && name != "streaming" && name != "access" {
		httpx.Error(w, http.StatusBadRequest, fmt.Sprintf("Permission '%s' does not support allow-list. Only 'deployment', 'streaming', and 'access' do.", truncate(name)))
		return
	}
	req, ok := s.signed(w, r)
	if !ok || !s.ownerOnly(w, r, world, req.Signer, "set access control lists for it") {
		return
	}
	p, err := s.perms(r.Context(), world)
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	list := map[string]*[]string{"deployment": &p.Deployment.Wallets, "streaming": &p.Streaming.Wallets, "access": &p.Access.Wallets}[name]
	if name == "access" && p.Access.Type != accessAllowList {
		httpx.Error(w, http.StatusBadRequest, "The world's access is not an allow-list.")
		return
	}
	*list = slices.DeleteFunc(*list, func(a string) bool { return a == address })
	if add {
		if len(*list) >= maxWallets {
			httpx.Error(w, http.StatusBadRequest, fmt.Sprintf("At most %d wallets.", maxWallets))
			return
		}
		*list = append(*list, address)
	}
	if err := s.savePerms(r.Context(), world, p); err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	s.settingsChanged(r.Context(), world, nil)
	w.WriteHeader(http.StatusNoContent)
}

// mayJoin checks the world's access setting for signer.
func (s *Service) mayJoin(r *http.Request, world, signer string, meta json.RawMessage) (int, string) {
	ctx := r.Context()
	p, err := s.perms(ctx, world)
	if err != nil {
		return http.StatusInternalServerError, err.Error()
	}
	owner, err := s.owner(ctx, world)
	if err != nil {
		return http.StatusInternalServerError, err.Error()
	}
	a := p.Access
	switch {
	case a.Type == accessUnrestricted || signer == owner:
		return 0, ""
	case a.Type == accessAllowList:
		if slices.Contains(a.Wallets, signer) {
			return 0, ""
		}
		return http.StatusUnauthorized, fmt.Sprintf("You are not allowed to access world %q.", world)
	case a.Type == accessSharedSecret:
		var m struct {
			Secret string `json:"secret"`
		}
		json.Unmarshal(meta, &m)
		if m.Secret == "" || len(m.Secret) > maxSecretLen {
			return http.StatusForbidden, fmt.Sprintf("Access denied, incorrect secret for world %q.", world)
		}
		// The attempt is counted before the comparison (so parallel
		// guesses are counted too), by the client's address and for the
		// world as a whole; a right secret clears the client's count.
		who := clientIP(r)
		if !s.secrets.take(world, who, s.cfg.Now()) {
			return http.StatusTooManyRequests, "Too many shared-secret attempts. Try again later."
		}
		select {
		case s.bcrypts <- struct{}{}:
		case <-ctx.Done():
			return http.StatusServiceUnavailable, "The request was cancelled."
		}
		ok := bcrypt.CompareHashAndPassword([]byte(a.Secret), []byte(m.Secret)) == nil
		<-s.bcrypts
		if ok {
			s.secrets.clear(world, who)
			return 0, ""
		}
		return http.StatusForbidden, fmt.Sprintf("Access denied, incorrect secret for world %q.", world)
	default: // nft-ownership: the chain's, which this service does not read
		return http.StatusUnauthorized, fmt.Sprintf("World %q admits holders of %s; this node does not check NFT ownership.", world, a.NFT)
	}
}

// clientIP is the address a request came from (a proxy's, behind one:
// then every client shares the world's budget).
func clientIP(r *http.Request) string { return httpx.ClientIP(r) }

// attempts rate-limits shared-secret attempts, in memory: five a minute
// per world and client address (the original's window), fifty a minute
// per world whoever tries, and at most maxBcrypts comparisons at once.
type attempts struct {
	mu   sync.Mutex
	seen map[string][]time.Time
}

const (
	secretWindow      = time.Minute
	secretAttempts    = 5
	secretWorldBudget = 50
	maxAttemptKeys    = 100000
	maxBcrypts        = 2
)

func newAttempts() *attempts { return &attempts{seen: map[string][]time.Time{}} }

func (a *attempts) recent(k string, now time.Time) []time.Time {
	list := slices.DeleteFunc(a.seen[k], func(t time.Time) bool { return now.Sub(t) > secretWindow })
	if len(list) == 0 {
		delete(a.seen, k)
	} else {
		a.seen[k] = list
	}
	return list
}

// take counts an attempt of who on world, unless one of its budgets is
// spent (or the table is full of recent attempts): false then.
func (a *attempts) take(world, who string, now time.Time) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.seen) >= maxAttemptKeys {
		for k := range a.seen {
			a.recent(k, now)
		}
		if len(a.seen) >= maxAttemptKeys {
			return false
		}
	}
	mine, all := world+"/"+who, world+"/*"
	if len(a.recent(mine, now)) >= secretAttempts || len(a.recent(all, now)) >= secretWorldBudget {
		return false
	}
	a.seen[mine] = append(a.seen[mine], now)
	a.seen[all] = append(a.seen[all], now)
	return true
}

func (a *attempts) clear(world, who string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	delete(a.seen, world+"/"+who)
}
