package places

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/entity"
	"github.com/p2pcatalyst/catalyst/store/events"
)

// sceneMeta is what a place takes from a scene's metadata.
type sceneMeta struct {
	Display struct {
		Title            string `json:"title"`
		Description      string `json:"description"`
		NavmapThumbnail  string `json:"navmapThumbnail"`
		FavoriteThumnail string `json:"favicon"`
	} `json:"display"`
	Scene struct {
		Base    string   `json:"base"`
		Parcels []string `json:"parcels"`
	} `json:"scene"`
	Contact struct {
		Name  string `json:"name"`
		Email string `json:"email"`
	} `json:"contact"`
	Tags           []string `json:"tags"`
	RuntimeVersion string   `json:"runtimeVersion"`
	Rating         string   `json:"rating"`
	WorldConfig    *struct {
		Name string `json:"name"`
	} `json:"worldConfiguration"`
}

// onEvent applies a scene deployment that is still active to the places.
func (s *Service) onEvent(ctx context.Context, e events.StoredEvent) error {
	if e.Type == "worlds" {
		return s.onWorld(ctx, e)
	}
	if e.Type != store.DeploymentEventType || e.SubType != string(entity.Scene) {
		return nil
	}
	d := e.Deployment
	if d == nil {
		return nil
	}
	// Only what is active makes a place (an older scene synced late does
	// not move one).
	active, err := s.cfg.Store.ActiveByIDs(ctx, []string{d.ID})
	if err != nil {
		return err
	}
	if len(active) == 0 {
		return nil
	}
	var m sceneMeta
	if json.Unmarshal(d.Metadata, &m) != nil || m.WorldConfig != nil {
		return nil // worlds are the worlds service's
	}
	positions := slices.Clone(d.Pointers)
	for i := range positions {
		positions[i] = strings.ToLower(positions[i])
	}
	base := strings.ToLower(m.Scene.Base)
	if !slices.Contains(positions, base) && len(positions) > 0 {
		base = positions[0]
	}
	image := m.Display.NavmapThumbnail
	if image != "" && !strings.Contains(image, "://") {
		for _, c := range d.Content {
			if c.File == image {
				image = c.Hash
			}
		}
	}
	now := time.Now().UTC().Format(timeLayout)
	deployed := time.UnixMilli(d.Timestamp).UTC().Format(timeLayout)
	err = s.update(ctx, func(tx *txn) error {
		// The places on the new parcels; ADR-186: the id stays when the
		// new scene covers all of a place's parcels or keeps its base.
		var olds []*Place
		seen := map[string]bool{}
		for _, pos := range positions {
			id, err := tx.Get("pos/" + pos)
			if errors.Is(err, store.ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			if seen[string(id)] {
				continue
			}
			seen[string(id)] = true
			p, err := getPlace(tx, string(id))
			if err == nil {
				olds = append(olds, p)
			}
		}
		var place *Place
		for _, o := range olds {
			covers := !slices.ContainsFunc(o.Positions, func(x string) bool { return !slices.Contains(positions, x) })
			if covers || o.BasePosition == base {
				place = o
				break
			}
		}
		if place == nil {
			place = &Place{ID: newID(), CreatedAt: now, ContentRating: "RP", Categories: []string{}}
		}
		// The others lose the parcels the new scene takes.
		for _, o := range olds {
			if o.ID == place.ID {
				continue
			}
			o.Positions = slices.DeleteFunc(o.Positions, func(x string) bool { return slices.Contains(positions, x) })
			o.UpdatedAt = now
			if len(o.Positions) == 0 || slices.Contains(positions, o.BasePosition) {
				reason := "Its parcels hold another scene now"
				o.Disabled, o.DisabledReason = true, &reason
				for _, x := range o.Positions {
					if err := tx.Delete("pos/" + x); err != nil {
						return err
					}
				}
			}
			if err := tx.put(o); err != nil {
				return err
			}
		}
		// The place's parcels it no longer has are free.
		for _, x := range place.Positions {
			if !slices.Contains(positions, x) {
				if err := tx.Delete("pos/" + x); err != nil {
					return err
				}
			}
		}
		place.Title, place.Description, place.Image = orDefault(m.Display.Title, "Untitled"), m.Display.Description, image
		place.Positions, place.BasePosition = positions, base
		place.ContactName, place.ContactEmail = nilIfEmpty(m.Contact.Name), nilIfEmpty(m.Contact.Email)
		place.CreatorAddress = strings.ToLower(d.AuthChain.Signer())
		place.SDK = "6"
		if m.RuntimeVersion == "7" {
			place.SDK = "7"
		}
		if m.Rating != "" {
			place.ContentRating = m.Rating
		}
		place.Categories = []string{}
		for _, t := range m.Tags {
			if t := strings.ToLower(t); slices.Contains(knownCategories, t) && !slices.Contains(place.Categories, t) {
				place.Categories = append(place.Categories, t)
			}
		}
		place.DeployedAt, place.UpdatedAt, place.EntityID = deployed, now, d.ID
		place.Disabled, place.DisabledReason = false, nil
		for _, x := range positions {
			if err := tx.Set("pos/"+x, []byte(place.ID)); err != nil {
				return err
			}
		}
		return tx.put(place)
	})
	if err == nil {
		s.applied.Inc()
	}
	return err
}

func orDefault(s, d string) string {
	if strings.TrimSpace(s) == "" {
		return d
	}
	return s
}

func nilIfEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
