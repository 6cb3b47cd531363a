package places

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/entity"
	"github.com/p2pcatalyst/catalyst/store/events"
)

// A world is a place of its own (id: the lower-cased name, world: true),
// made from the worlds service's events on the bus — deployment,
// world_settings_changed, world_scenes_undeployment, world_undeployment —
// as the original makes it from the worlds content server's. Its
// positions are the world's, so they are not Genesis City's index.

// worldEvent is what the worlds service's events carry.
type worldEvent struct {
	WorldName string `json:"worldName"`
	Entity    *struct {
		EntityID  string               `json:"entityId"`
		Pointers  []string             `json:"pointers"`
		Timestamp int64                `json:"timestamp"`
		Content   []entity.ContentItem `json:"content"`
		Metadata  json.RawMessage      `json:"metadata"`
		AuthChain []struct {
			Payload string `json:"payload"`
		} `json:"authChain"`
	} `json:"entity"`
	Settings *struct {
		Title        string   `json:"title"`
		Description  string   `json:"description"`
		Rating       string   `json:"content_rating"`
		Categories   []string `json:"categories"`
		ShowInPlaces *bool    `json:"show_in_places"`
	} `json:"settings"`
	RemainingScenes *int `json:"remainingScenes"`
}

var hiddenReason = "Its owner keeps it out of places"

func (s *Service) onWorld(ctx context.Context, e events.StoredEvent) error {
	var ev worldEvent
	if json.Unmarshal(e.Metadata, &ev) != nil || !entity.ValidWorldName(ev.WorldName) {
		return nil
	}
	name := strings.ToLower(ev.WorldName)
	now := time.Now().UTC().Format(timeLayout)
	return s.update(ctx, func(tx *txn) error {
		p, err := getPlace(tx, name)
		if errors.Is(err, store.ErrNotFound) {
			if e.SubType != "deployment" {
				return nil
			}
			p, err = &Place{ID: name, World: true, WorldName: &name, WorldID: &name, CreatedAt: now, ContentRating: "RP", Categories: []string{}}, nil
		}
		if err != nil {
			return err
		}
		switch e.SubType {
		case "deployment":
			if ev.Entity == nil {
				return nil
			}
			var m sceneMeta
			json.Unmarshal(ev.Entity.Metadata, &m)
			p.Title, p.Description = orDefault(p.WorldTitle, orDefault(m.Display.Title, name)), orDefault(p.WorldSummary, m.Display.Description)
			p.Image = ""
			for _, c := range ev.Entity.Content {
				if c.File == m.Display.NavmapThumbnail && c.File != "" {
					p.Image = c.Hash
				}
			}
			p.Positions, p.BasePosition = ev.Entity.Pointers, strings.ToLower(m.Scene.Base)
			if len(ev.Entity.AuthChain) > 0 {
				p.CreatorAddress = strings.ToLower(ev.Entity.AuthChain[0].Payload)
			}
			p.SDK = "6"
			if m.RuntimeVersion == "7" {
				p.SDK = "7"
			}
			p.DeployedAt, p.EntityID = time.UnixMilli(ev.Entity.Timestamp).UTC().Format(timeLayout), ev.Entity.EntityID
			p.Disabled, p.DisabledReason = p.Hidden, nil
			if p.Hidden {
				p.DisabledReason = &hiddenReason
			}
		case "world_settings_changed":
			if st := ev.Settings; st != nil {
				if st.Title != "" {
					p.Title, p.WorldTitle = st.Title, st.Title
				}
				if st.Description != "" {
					p.Description, p.WorldSummary = st.Description, st.Description
				}
				if st.Rating != "" {
					p.ContentRating = st.Rating
				}
				if st.Categories != nil {
					p.Categories = st.Categories
				}
				if st.ShowInPlaces != nil && *st.ShowInPlaces == p.Hidden {
					p.Hidden = !*st.ShowInPlaces
					p.Disabled, p.DisabledReason = p.Hidden, nil
					if p.Hidden {
						p.DisabledReason = &hiddenReason
					}
				}
			}
		case "world_undeployment", "world_scenes_undeployment":
			if e.SubType == "world_undeployment" || ev.RemainingScenes != nil && *ev.RemainingScenes == 0 {
				reason := "The world has no scene now"
				p.Disabled, p.DisabledReason = true, &reason
			}
		default:
			return nil
		}
		p.UpdatedAt = now
		return tx.put(p)
	})
}
