// Package replicate makes every node a full peer of the others: it
// announces applied deployments on gossipsub, validates what it receives
// before forwarding it, fetches missing content over a libp2p stream
// protocol, and repairs whatever gossip missed with range-based set
// reconciliation. Everything it receives enters the store through the one
// deployment pipeline, with origin "synced".
package replicate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/authchain"
)

// Announcement is a deployment on the wire: what a peer needs to validate
// it and to fetch its content.
type Announcement struct {
	EntityID  string           `json:"id"`
	Entity    []byte           `json:"entity"`
	AuthChain authchain.Chain  `json:"authChain"`
	Sizes     map[string]int64 `json:"sizes"`            // content hash → size
	Origin    string           `json:"origin,omitempty"` // peer where it was deployed

	wire int // bytes it was decoded from
}

// announcementOf reads a stored deployment as an announcement.
func announcementOf(ctx context.Context, s *store.Store, id, origin string) (*Announcement, error) {
	d, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	file, err := s.ReadContent(id)
	if err != nil {
		return nil, fmt.Errorf("replicate: entity file of %s: %w", id, err)
	}
	hashes := d.Hashes()
	look, err := s.Lookup(ctx, "", nil, hashes)
	if err != nil {
		return nil, err
	}
	sizes := make(map[string]int64, len(hashes))
	for _, h := range hashes {
		size, ok := look.Stored[h]
		if !ok {
			return nil, fmt.Errorf("replicate: %s lacks content %s", id, h)
		}
		sizes[h] = size
	}
	return &Announcement{EntityID: id, Entity: file, AuthChain: d.AuthChain, Sizes: sizes, Origin: origin}, nil
}

func decodeAnnouncement(b []byte) (*Announcement, error) {
	var a Announcement
	if err := json.Unmarshal(b, &a); err != nil {
		return nil, fmt.Errorf("announcement: %w", err)
	}
	if a.EntityID == "" || len(a.Entity) == 0 {
		return nil, errors.New("announcement: no entity")
	}
	a.wire = len(b)
	return &a, nil
}
