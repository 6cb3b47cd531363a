package assetbundles

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/entity"
	"github.com/p2pcatalyst/catalyst/store/events"
)

// maxUndeployed bounds the entity ids of one world_scenes_undeployment.
const maxUndeployed = 1000

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
	EntityIDs []string `json:"entityIds"`
	Settings  *struct {
		SpawnCoordinates string `json:"spawn_coordinates"`
	} `json:"settings"`
}

// onEvent registers deployments and applies the worlds' events. A
// deployment already registered is left alone (the bus delivers at least
// once).
func (s *Service) onEvent(ctx context.Context, e events.StoredEvent) error {
	switch e.Type {
	case store.DeploymentEventType:
		d := e.Deployment
		if d == nil || (d.Type != entity.Scene && d.Type != entity.Wearable && d.Type != entity.Emote) {
			return nil
		}
		_, err := s.registerEntity(ctx, recordOfDeployment(d))
		return err
	case "worlds":
		var ev worldEvent
		if json.Unmarshal(e.Metadata, &ev) != nil {
			return nil
		}
		world := strings.ToLower(ev.WorldName)
		switch e.SubType {
		case "deployment":
			return s.onWorldDeployment(ctx, world, &ev)
		case "world_undeployment":
			return s.undeployWorld(ctx, world)
		case "world_scenes_undeployment":
			ids := ev.EntityIDs
			if len(ids) > maxUndeployed {
				ids = ids[:maxUndeployed]
			}
			return s.undeployScenes(ctx, ids)
		case "world_settings_changed":
			if ev.Settings != nil && world != "" {
				return s.setSpawn(ctx, world, ev.Settings.SpawnCoordinates)
			}
		}
	}
	return nil
}

func (s *Service) onWorldDeployment(ctx context.Context, world string, ev *worldEvent) error {
	en := ev.Entity
	if en == nil || en.EntityID == "" {
		return nil
	}
	if w := worldOfMetadata(en.Metadata); w != "" {
		world = w // the original scopes by the metadata's name
	}
	if world == "" {
		return nil
	}
	deployer := ""
	if len(en.AuthChain) > 0 {
		deployer = en.AuthChain[0].Payload
	}
	e := &entity.Entity{ID: en.EntityID, Pointers: en.Pointers, Timestamp: en.Timestamp, Content: en.Content, Metadata: en.Metadata}
	_, err := s.registerEntity(ctx, newRecord(en.EntityID, "world", e, deployer, world))
	return err
}

// undeployWorld makes every entry of a world obsolete.
func (s *Service) undeployWorld(ctx context.Context, world string) error {
	if world == "" || strings.Contains(world, "/") {
		return nil
	}
	var recs []*record
	if err := s.update(ctx, func(tx *store.KeyspaceTxn) error {
		var err error
		recs, err = worldRecords(tx, world)
		return err
	}); err != nil {
		return err
	}
	// In transactions of undeployBatch entries: a world of many scenes
	// would not fit one (and its consumer would retry it for ever).
	for len(recs) > 0 {
		batch := recs[:min(len(recs), undeployBatch)]
		recs = recs[len(batch):]
		if err := s.update(ctx, func(tx *store.KeyspaceTxn) error {
			for _, rec := range batch {
				rec.Status = Obsolete
				if err := put(tx, rec); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			return err
		}
	}
	return nil
}

// undeployBatch is how many entries one undeployment transaction writes.
const undeployBatch = 100

// undeployScenes makes entries obsolete, with the fallbacks sharing
// their pointers (the original's undeployWorldScenes; here in the same
// scope only).
func (s *Service) undeployScenes(ctx context.Context, ids []string) error {
	for _, id := range ids { // a transaction a scene (see undeployBatch)
		if err := s.undeployScene(ctx, id); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) undeployScene(ctx context.Context, id string) error {
	return s.update(ctx, func(tx *store.KeyspaceTxn) error {
		rec, err := getRecord(tx, id)
		if err != nil {
			return err
		}
		if rec == nil {
			return nil
		}
		related, err := onPointers(tx, rec.World, rec.Pointers, rec.ID)
		if err != nil {
			return err
		}
		rec.Status = Obsolete
		if err := put(tx, rec); err != nil {
			return err
		}
		for _, o := range related {
			if o.Status == Fallback {
				o.Status = Obsolete
				if err := put(tx, o); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// worldRecords are the entries of a world that are not obsolete.
func worldRecords(tx reader, world string) ([]*record, error) {
	prefix := kPtr + scopeOf(world) + "/"
	seen := map[string]bool{}
	var ids []string
	err := tx.Scan(prefix, func(name string, _ []byte) error {
		rest := name[len(prefix):]
		if i := strings.LastIndexByte(rest, '/'); i >= 0 && !seen[rest[i+1:]] {
			seen[rest[i+1:]] = true
			ids = append(ids, rest[i+1:])
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var out []*record
	for _, id := range ids {
		rec, err := getRecord(tx, id)
		if err != nil {
			return nil, err
		}
		if rec != nil && rec.Status != Obsolete {
			out = append(out, rec)
		}
	}
	return out, nil
}

// spawn is a world's user-set spawn.
type spawn struct {
	X int `json:"x"`
	Y int `json:"y"`
}

// setSpawn keeps the spawn a world's settings set ("x,y"; "" clears it).
func (s *Service) setSpawn(ctx context.Context, world, coords string) error {
	if strings.Contains(world, "/") {
		return nil
	}
	if coords == "" {
		return s.ks.Write(ctx, map[string][]byte{kSpawn + world: nil})
	}
	x, y, ok := parseParcel(coords)
	if !ok {
		return nil
	}
	raw, _ := json.Marshal(spawn{X: x, Y: y})
	return s.ks.Write(ctx, map[string][]byte{kSpawn + world: raw})
}

// parseParcel reads "x,y" within Genesis City's integer range.
func parseParcel(p string) (x, y int, ok bool) {
	a, b, found := strings.Cut(strings.TrimSpace(p), ",")
	if !found {
		return 0, 0, false
	}
	xi, err1 := strconv.Atoi(strings.TrimSpace(a))
	yi, err2 := strconv.Atoi(strings.TrimSpace(b))
	if err1 != nil || err2 != nil || xi < -1000 || xi > 1000 || yi < -1000 || yi > 1000 {
		return 0, 0, false
	}
	return xi, yi, true
}
