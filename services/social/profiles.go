package social

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/p2pcatalyst/catalyst/services/social/protocol/common"
	pb "github.com/p2pcatalyst/catalyst/services/social/protocol/socialpb"
	"github.com/p2pcatalyst/catalyst/store/entity"
)

// profile is what the service shows of a user: the active profile entity
// on the pointer of their address (the original asks lamb2 for it).
type profile struct {
	Address        string
	Name           string
	HasClaimedName bool
	Picture        string
	NameColor      *color
}

type color struct {
	R float32 `json:"r"`
	G float32 `json:"g"`
	B float32 `json:"b"`
}

// maxProfileLookup bounds one profile lookup (the friends list's page).
const maxProfileLookup = 1000

// profiles returns the profiles of the addresses that have one (keyed by
// lower-cased address).
func (s *Service) profiles(ctx context.Context, addrs []string) (map[string]*profile, error) {
	out := map[string]*profile{}
	if len(addrs) == 0 {
		return out, nil
	}
	if len(addrs) > maxProfileLookup {
		addrs = addrs[:maxProfileLookup]
	}
	ds, err := s.cfg.Store.ActiveByPointers(ctx, addrs)
	if err != nil {
		return nil, err
	}
	for _, d := range ds {
		if d.Type != entity.Profile || len(d.Pointers) == 0 {
			continue
		}
		p := parseProfile(d.Metadata)
		p.Address = strings.ToLower(d.Pointers[0])
		p.Picture = s.cfg.ProfileImagesURL + "/entities/" + d.ID + "/face.png"
		out[p.Address] = p
	}
	return out, nil
}

// profileOf is the profile of one address, or nil.
func (s *Service) profileOf(ctx context.Context, addr string) (*profile, error) {
	m, err := s.profiles(ctx, []string{addr})
	if err != nil {
		return nil, err
	}
	return m[addr], nil
}

// parseProfile reads avatars[0]: name (or unclaimedName), hasClaimedName
// and nameColor, as getProfileInfo does.
func parseProfile(meta json.RawMessage) *profile {
	var m struct {
		Avatars []struct {
			Name           string `json:"name"`
			UnclaimedName  string `json:"unclaimedName"`
			HasClaimedName bool   `json:"hasClaimedName"`
			NameColor      *color `json:"nameColor"`
		} `json:"avatars"`
	}
	json.Unmarshal(meta, &m)
	p := &profile{}
	if len(m.Avatars) > 0 {
		a := m.Avatars[0]
		p.Name, p.HasClaimedName, p.NameColor = a.Name, a.HasClaimedName, a.NameColor
		if p.Name == "" {
			p.Name = a.UnclaimedName
		}
	}
	return p
}

// friendProfile is the RPC's FriendProfile of a profile (nil: only the
// address is known).
func friendProfile(addr string, p *profile) *pb.FriendProfile {
	if p == nil {
		return &pb.FriendProfile{Address: addr}
	}
	fp := &pb.FriendProfile{Address: p.Address, Name: p.Name, HasClaimedName: p.HasClaimedName, ProfilePictureUrl: p.Picture}
	if p.NameColor != nil {
		fp.NameColor = &common.Color3{R: p.NameColor.R, G: p.NameColor.G, B: p.NameColor.B}
	}
	return fp
}

func blockedProfile(addr string, p *profile, blockedAt int64) *pb.BlockedUserProfile {
	fp := friendProfile(addr, p)
	bp := &pb.BlockedUserProfile{Address: fp.Address, Name: fp.Name, HasClaimedName: fp.HasClaimedName,
		ProfilePictureUrl: fp.ProfilePictureUrl, NameColor: fp.NameColor}
	if blockedAt > 0 {
		bp.BlockedAt = &blockedAt
	}
	return bp
}
