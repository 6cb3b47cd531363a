package entity

import (
	"encoding/json"
	"slices"
	"strings"
)

// Worlds' scene rules (decentraland/worlds-content-server,
// src/logic/validations/scene.ts and common.ts): only scenes; the world is
// named in metadata.worldConfiguration.name, a NAME (*.dcl.eth); the
// pointers are the scene's parcels, in the world's own coordinates; SDK 7.
const (
	// WorldMaxParcels bounds one world scene's parcels.
	WorldMaxParcels = 300
	// WorldMaxBytes bounds one world scene's files (the original's base
	// allowance of a NAME).
	WorldMaxBytes = 100 * mb
	// worldCoordinateLimit bounds a world parcel's coordinates.
	worldCoordinateLimit = 1000
)

// WorldSceneConfig is what a world scene's metadata says of its world.
type WorldSceneConfig struct {
	Name      string `json:"name"`
	DCLName   string `json:"dclName"`
	MiniMap   *bool  `json:"minimapVisible"`
	Skybox    any    `json:"skybox"`
	SkyConfig *struct {
		FixedHour *float64 `json:"fixedHour"`
		Textures  []string `json:"textures"`
	} `json:"skyboxConfig"`
	MiniMapConfig *struct {
		Visible     bool   `json:"visible"`
		DataImage   string `json:"dataImage"`
		EstateImage string `json:"estateImage"`
	} `json:"miniMapConfig"`
	FixedAdapter string `json:"fixedAdapter"`
}

// WorldOf is the world a scene deploys to, lower-cased ("" when its
// metadata names none).
func WorldOf(e *Entity) string {
	var m struct {
		World *WorldSceneConfig `json:"worldConfiguration"`
	}
	if json.Unmarshal(e.Metadata, &m) != nil || m.World == nil {
		return ""
	}
	return strings.ToLower(strings.TrimSpace(m.World.Name))
}

// ValidWorldName reports whether name is a NAME a world may have: a
// label of letters and digits under dcl.eth.
func ValidWorldName(name string) bool {
	label, ok := strings.CutSuffix(strings.ToLower(name), ".dcl.eth")
	if !ok || label == "" || len(label) > 15 {
		return false
	}
	for _, c := range label {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// ValidateWorldScene is the worlds content server's type rule.
func ValidateWorldScene(e *Entity, _ string) error {
	if e.Type != Scene {
		return Errorf("Entity type %s is not supported.", e.Type)
	}
	var m struct {
		World          *WorldSceneConfig `json:"worldConfiguration"`
		RuntimeVersion string            `json:"runtimeVersion"`
		Scene          struct {
			Base    string   `json:"base"`
			Parcels []string `json:"parcels"`
		} `json:"scene"`
		Display *struct {
			NavmapThumbnail string `json:"navmapThumbnail"`
		} `json:"display"`
	}
	if err := json.Unmarshal(e.Metadata, &m); err != nil {
		return Errorf("The metadata for this entity type (scene) is not valid. %v", err)
	}
	if m.World == nil || strings.TrimSpace(m.World.Name) == "" {
		if m.World != nil && m.World.DCLName != "" {
			return Errorf("`dclName` in scene.json was renamed to `name`. Please update your scene.json accordingly.")
		}
		return Errorf("scene.json needs to specify a worldConfiguration section with a valid name inside.")
	}
	w := m.World
	switch {
	case w.DCLName != "":
		return Errorf("`dclName` in scene.json was renamed to `name`. Please update your scene.json accordingly.")
	case w.MiniMap != nil && *w.MiniMap:
		return Errorf("`minimapVisible` in scene.json is deprecated in favor of `{ miniMapConfig: { visible } }`. Please update your scene.json accordingly.")
	case w.Skybox != nil:
		return Errorf("`skybox` in scene.json is deprecated in favor of `{ \"skyboxConfig\": { \"fixedTime\": 36000 }}`. Please update your scene.json accordingly.")
	}
	if !ValidWorldName(w.Name) {
		return Errorf("Deployment failed: the world name %q is not a NAME (a name of letters and digits, at most 15, under .dcl.eth).", w.Name)
	}
	if m.RuntimeVersion != "7" {
		return Errorf("Worlds are only supported on SDK 7. Please upgrade your scene to latest version of SDK.")
	}
	if len(e.Pointers) > WorldMaxParcels {
		return Errorf("Max allowed scene dimensions is %d parcels.", WorldMaxParcels)
	}
	for _, p := range e.Pointers {
		x, y, ok := ParseParcel(p)
		if !parcelPointer.MatchString(p) || !ok || abs(x) > worldCoordinateLimit || abs(y) > worldCoordinateLimit {
			return Errorf("Scene pointers should only contain two integers separated by a comma, for example (10,10) or (120,-45). Invalid pointer: %s", p)
		}
	}
	parcels := make([]string, len(m.Scene.Parcels))
	for i, p := range m.Scene.Parcels {
		parcels[i] = strings.ToLower(strings.TrimSpace(p))
	}
	pointers := slices.Clone(e.Pointers)
	slices.Sort(parcels)
	slices.Sort(pointers)
	if !slices.Equal(slices.Compact(parcels), pointers) {
		return Errorf("Scene pointers (%s) do not match the parcels of scene.json (%s).", strings.Join(e.Pointers, ", "), strings.Join(m.Scene.Parcels, ", "))
	}
	if base := strings.TrimSpace(m.Scene.Base); base != "" && !slices.Contains(pointers, strings.ToLower(base)) {
		return Errorf("The base parcel %s is not one of the scene's parcels.", base)
	}
	has := func(file string) bool {
		return slices.ContainsFunc(e.Content, func(c ContentItem) bool { return c.File == file })
	}
	if m.Display != nil && m.Display.NavmapThumbnail != "" && !has(m.Display.NavmapThumbnail) {
		return Errorf("Scene thumbnail '%s' must be a file included in the deployment.", m.Display.NavmapThumbnail)
	}
	var missing []string
	if c := w.MiniMapConfig; c != nil {
		for _, f := range []string{c.DataImage, c.EstateImage} {
			if f != "" && !has(f) {
				missing = append(missing, "The file "+f+" is not present in the entity.")
			}
		}
	}
	if w.SkyConfig != nil {
		for _, f := range w.SkyConfig.Textures {
			if f != "" && !has(f) {
				missing = append(missing, "The texture file "+f+" is not present in the entity.")
			}
		}
	}
	if missing != nil {
		return &Error{Msgs: missing}
	}
	return nil
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}
