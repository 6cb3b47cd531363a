package lambdas

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/p2pcatalyst/catalyst/services/httpx"
	"github.com/p2pcatalyst/catalyst/store/entity"
)

// The routes that answer from the chain's index. In dev mode (no Chain)
// they answer as a chain where no one holds anything would.

// GET /users/:address/names
func (s *Service) userNames(w http.ResponseWriter, r *http.Request) {
	addr, p, ok := s.userPage(w, r, maxPageSize, false)
	if !ok {
		return
	}
	list := []NameToken{}
	if s.cfg.Chain != nil {
		var err error
		if list, err = s.cfg.Chain.NameTokens(r.Context(), addr); err != nil {
			s.internal(w, r, err)
			return
		}
	}
	paginated(w, list, p)
}

// GET /users/:address/lands
func (s *Service) userLands(w http.ResponseWriter, r *http.Request) {
	addr, p, ok := s.userPage(w, r, 0, false)
	if !ok {
		return
	}
	list := []Land{}
	if s.cfg.Chain != nil {
		var err error
		if list, err = s.cfg.Chain.Lands(r.Context(), addr); err != nil {
			s.internal(w, r, err)
			return
		}
	}
	paginated(w, list, p)
}

func (s *Service) userPage(w http.ResponseWriter, r *http.Request, max int, clamp bool) (string, page, bool) {
	addr, ok := address(r, "address")
	if !ok {
		badRequest(w, "invalid address "+r.PathValue("address"))
		return "", page{}, false
	}
	p, err := readPage(r, max, clamp)
	if err != nil {
		badRequest(w, err.Error())
		return "", page{}, false
	}
	return addr, p, true
}

// GET /users/:address/wearables|emotes: the user's collection items,
// grouped by item, with each token in individualData.
func (s *Service) userChainItems(typ entity.Type) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		addr, p, ok := s.userPage(w, r, maxPageSize, true)
		if !ok {
			return
		}
		q := r.URL.Query()
		if q.Has("includeDefinitions") && q.Has("includeEntities") {
			badRequest(w, "Cannot use includeEntities and includeDefinitions together")
			return
		}
		f, ok := readFilter(w, r)
		if !ok {
			return
		}
		order, ok := readSort(w, r)
		if !ok {
			return
		}
		items, err := s.chainItems(r.Context(), addr, typ)
		if err != nil {
			s.internal(w, r, err)
			return
		}
		s.answerItems(w, r, items, f, order, p, typ == entity.Emote)
	}
}

// chainItems are address's tokens of items of type typ whose entity this
// node has, one item per URN.
func (s *Service) chainItems(ctx context.Context, address string, typ entity.Type) ([]item, error) {
	if s.cfg.Chain == nil {
		return nil, nil
	}
	toks, err := s.cfg.Chain.Items(ctx, address)
	if err != nil {
		return nil, err
	}
	byURN := map[string][]ItemToken{}
	var urns []string
	for _, t := range toks {
		u := strings.ToLower(t.URN)
		if _, ok := byURN[u]; !ok {
			urns = append(urns, u)
		}
		byURN[u] = append(byURN[u], t)
	}
	if len(urns) == 0 {
		return nil, nil
	}
	ds, err := s.cfg.Store.ActiveByPointers(ctx, urns)
	if err != nil {
		return nil, err
	}
	var out []item
	for _, d := range ds {
		if d.Type != typ || len(d.Pointers) == 0 {
			continue
		}
		u := strings.ToLower(d.Pointers[0])
		tokens := byURN[u]
		if len(tokens) == 0 {
			continue
		}
		it := newItem("on-chain", d)
		it.urn, it.amount, it.tokens = u, len(tokens), tokens
		for _, t := range tokens {
			it.date = max(it.date, t.TransferredAt)
		}
		out = append(out, it)
	}
	return out, nil
}

// GET /names/:name/owner
func (s *Service) nameOwner(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	if s.cfg.Chain != nil {
		owner, err := s.cfg.Chain.NameOwner(r.Context(), name)
		if err != nil {
			s.internal(w, r, err)
			return
		}
		if owner != "" {
			httpx.JSON(w, http.StatusOK, map[string]string{"owner": owner})
			return
		}
	}
	notFound(w, "Name not found: "+name)
}

func (s *Service) operators(ctx context.Context, r *http.Request) (ParcelOperators, int, int, bool, error) {
	x, y, ok := parcelXY(r)
	if !ok || s.cfg.Chain == nil {
		return ParcelOperators{}, x, y, ok, nil
	}
	po, err := s.cfg.Chain.ParcelOperators(ctx, x, y)
	return po, x, y, true, err
}

// GET /users/:address/parcels/:x/:y/permissions
func (s *Service) parcelPermissions(w http.ResponseWriter, r *http.Request) {
	addr, ok := address(r, "address")
	if !ok {
		badRequest(w, "invalid address "+r.PathValue("address"))
		return
	}
	po, _, _, ok, err := s.operators(r.Context(), r)
	if !ok {
		badRequest(w, "invalid parcel "+r.PathValue("x")+","+r.PathValue("y"))
		return
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	httpx.JSON(w, http.StatusOK, map[string]bool{
		"owner": po.Owner == addr, "operator": po.Operator == addr, "updateOperator": po.UpdateOperator == addr,
		"updateManager": slices.Contains(po.UpdateManagers, addr), "approvedForAll": slices.Contains(po.ApprovedForAll, addr),
	})
}

// GET /parcels/:x/:y/operators
func (s *Service) parcelOperators(w http.ResponseWriter, r *http.Request) {
	po, _, _, ok, err := s.operators(r.Context(), r)
	if !ok {
		badRequest(w, "invalid parcel "+r.PathValue("x")+","+r.PathValue("y"))
		return
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	orNil := func(v string) any {
		if v == "" {
			return nil
		}
		return v
	}
	httpx.JSON(w, http.StatusOK, map[string]any{
		"owner": orNil(po.Owner), "operator": orNil(po.Operator), "updateOperator": orNil(po.UpdateOperator),
		"updateManagers": orEmpty(po.UpdateManagers), "approvedForAll": orEmpty(po.ApprovedForAll),
	})
}

func orEmpty(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}

func (it item) chainIndividualData() []map[string]any {
	out := make([]map[string]any, len(it.tokens))
	for i, t := range it.tokens {
		out[i] = map[string]any{"id": it.urn + ":" + t.TokenID, "tokenId": t.TokenID, "transferredAt": strconv.FormatInt(t.TransferredAt, 10), "price": "0"}
	}
	return out
}
