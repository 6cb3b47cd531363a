package marketplace

import (
	"net/http"

	"github.com/p2pcatalyst/catalyst/services/httpx"
)

// What the node does not serve, and why:
//
//   - Fiat gateways (POST /v1/wert/sign, /v1/transak/*) sign with the
//     foundation's Wert and Transak keys: 501.
//   - Trades (the original's signed listings and bids, kept in its own
//     database and executed by DecentralandMarketplacePolygon) are not
//     taken: POST /v1/trades is 501, and the read routes answer as a
//     marketplace without any (an empty list, 404 for one trade).
//   - Orders and bids of the legacy marketplace contracts are not
//     indexed: /v1/orders and /v1/bids are empty lists.
func (s *Service) unservedRoutes(h func(string, http.HandlerFunc)) {
	notServed := func(why string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) { fail(w, http.StatusNotImplemented, why) }
	}
	fiat := notServed("Fiat gateways (Wert, Transak) sign with the Decentraland Foundation's keys: this node does not serve them.")
	h("POST /v1/wert/sign", fiat)
	h("GET /v1/transak/orders/{id}", fiat)
	h("POST /v1/transak/widget-url", fiat)
	h("PUT /v1/transak/access-token", fiat)
	h("POST /v1/trades", notServed("This node does not take trades: listings and bids are kept by the Decentraland marketplace's own server."))
	h("GET /v1/trades", func(w http.ResponseWriter, r *http.Request) {
		httpx.JSON(w, http.StatusOK, map[string]any{"ok": true, "data": map[string]any{"data": []any{}, "count": 0}})
	})
	h("GET /v1/trades/{id}", func(w http.ResponseWriter, r *http.Request) {
		fail(w, http.StatusNotFound, "Trade not found: this node keeps no trades")
	})
	h("GET /v1/trades/{hashedSignature}/accept", func(w http.ResponseWriter, r *http.Request) {
		fail(w, http.StatusNotFound, "Trade not found: this node keeps no trades")
	})
	h("GET /v1/bids", s.bids)
	h("GET /v1/orders", func(w http.ResponseWriter, r *http.Request) {
		p := readParams(r, "first", "skip", "sortBy", "marketplaceAddress", "owner", "buyer", "contractAddress", "tokenId", "status",
			"network", "itemId", "nftName")
		if p.err != nil {
			fail(w, http.StatusBadRequest, p.err.Error())
			return
		}
		httpx.JSON(w, http.StatusOK, map[string]any{"data": []any{}, "total": 0})
	})
}

// GET /v1/bids: the original's paginated envelope, empty.
func (s *Service) bids(w http.ResponseWriter, r *http.Request) {
	p := readParams(r, "limit", "offset", "page", "bidder", "seller", "sortBy", "contractAddress", "tokenId", "itemId", "network")
	limit := p.num("limit", 100)
	p.num("offset", 0)
	p.num("page", 0)
	p.enum("sortBy", []string{"recently_offered", "recently_updated", "most_expensive"})
	p.enum("network", networks)
	if p.err != nil {
		fail(w, http.StatusBadRequest, p.err.Error())
		return
	}
	if limit <= 0 || limit > 100 {
		limit = 100 // getPaginationParams
	}
	httpx.JSON(w, http.StatusOK, map[string]any{"ok": true, "data": map[string]any{"results": []any{}, "total": 0, "page": 0, "pages": 0, "limit": limit}})
}
