package node

import (
	"context"
	"net/http"
	"strings"

	"github.com/p2pcatalyst/catalyst/services/atlas"
	"github.com/p2pcatalyst/catalyst/sync/chain"
)

// newAtlas builds the atlas (/atlas): the tile map of Genesis City from
// the static data, the node's scenes and, with a chain, the LAND owners
// of its index. It is a part of the node: Start puts the stored scenes on
// the map and starts reading owners; Stop ends that.
func (n *Node) newAtlas(mux *http.ServeMux) {
	cfg := atlas.Config{
		Store: n.Store, Bus: n.Events, PublicURL: n.cfg.PublicURL,
		Logger: n.cfg.Logger, Metrics: n.Registry,
	}
	if n.Chain != nil {
		c := n.Chain.Contracts()
		cfg.LANDContract = strings.ToLower(c.LAND.Address.Hex())
		cfg.EstateContract = strings.ToLower(c.Estate.Address.Hex())
		cfg.Lands = atlasLands{n.Chain}.Lands
	}
	svc := atlas.New(cfg)
	svc.Routes(mux)
	n.parts.add("atlas", svc)
}

// atlasLands shows the chain's index to the atlas in the atlas's terms.
type atlasLands struct{ c *chain.Service }

func (a atlasLands) Lands(ctx context.Context) ([]atlas.Land, error) {
	list, err := a.c.LandOwners(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]atlas.Land, len(list))
	for i, l := range list {
		out[i] = atlas.Land{X: l.X, Y: l.Y, Owner: l.Owner}
		if l.Estate != nil {
			out[i].EstateID = l.Estate.String()
		}
	}
	return out, nil
}
