package atlas

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/entity"
	"github.com/p2pcatalyst/catalyst/store/events"
)

// maxScenes bounds the active scenes read at start (Genesis City has
// fewer parcels than this).
const maxScenes = 200_000

// sceneMeta is what a tile takes from a scene's metadata.
type sceneMeta struct {
	Display struct {
		Title string `json:"title"`
	} `json:"display"`
	WorldConfig json.RawMessage `json:"worldConfiguration"`
}

// onEvent applies a scene deployment that is still active.
func (s *Service) onEvent(ctx context.Context, e events.StoredEvent) error {
	if e.Type != store.DeploymentEventType || e.SubType != string(entity.Scene) || e.Deployment == nil {
		return nil
	}
	active, err := s.cfg.Store.ActiveByIDs(ctx, []string{e.Deployment.ID})
	if err != nil {
		return err
	}
	for _, d := range active {
		s.applyDeployment(d)
	}
	return nil
}

// applyDeployment puts an active Genesis City scene on its parcels.
func (s *Service) applyDeployment(d *store.Deployment) {
	var m sceneMeta
	if json.Unmarshal(d.Metadata, &m) != nil || (len(m.WorldConfig) > 0 && string(m.WorldConfig) != "null") {
		return // worlds are the worlds service's
	}
	var parcels [][2]int
	for _, p := range d.Pointers {
		if x, y, ok := entity.ParseParcel(strings.TrimSpace(p)); ok {
			parcels = append(parcels, [2]int{x, y})
		}
	}
	title := strings.TrimSpace(m.Display.Title)
	if title == "" {
		title = "Untitled"
	}
	if s.world.applyScene(d.ID, d.Timestamp, title, parcels, s.cfg.Now()) {
		s.m.scenes.Inc()
		s.changed()
	}
}

// loadScenes puts every active scene of the store on the map.
func (s *Service) loadScenes(ctx context.Context) error {
	list, err := s.cfg.Store.ActiveUnder(ctx, entity.Scene, "", maxScenes, nil)
	if err != nil {
		return err
	}
	for _, d := range list {
		s.applyDeployment(d)
	}
	return nil
}
