// Package entity is the Decentraland entity model: parsing an uploaded
// entity file, and the stateless rules every deployment must pass (structure,
// hash format, metadata schema, version, per-type pointer and metadata rules).
//
// It is a pure leaf: no I/O, no imports of this project. Rules that need the
// store (already deployed, newer entities, stored content) live in the
// deployment pipeline, which calls these in the order of PROTOCOL.md §4.
package entity

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// Type is an entity type.
type Type string

// The entity types a catalyst stores.
const (
	Scene    Type = "scene"
	Profile  Type = "profile"
	Wearable Type = "wearable"
	Store    Type = "store"
	Emote    Type = "emote"
	Outfits  Type = "outfits"
)

// Types lists every entity type, in the order the content server names them.
var Types = []Type{Scene, Profile, Wearable, Store, Emote, Outfits}

// ParseType returns the type named s (case-insensitive).
func ParseType(s string) (Type, bool) {
	t := Type(strings.ToLower(s))
	return t, slices.Contains(Types, t)
}

// ContentItem maps a file name of the entity to the hash of its bytes.
type ContentItem struct {
	File string `json:"file"`
	Hash string `json:"hash"`
}

// Entity is a parsed entity file. The id is the hash of the exact bytes it
// was parsed from; it is not a field of the file.
type Entity struct {
	Version   string          `json:"version"`
	ID        string          `json:"id"`
	Type      Type            `json:"type"`
	Pointers  []string        `json:"pointers"`
	Timestamp int64           `json:"timestamp"`
	Content   []ContentItem   `json:"content"`
	Metadata  json.RawMessage `json:"metadata,omitempty"`
}

// Error is a validation failure: its text tells the deployer what was wrong.
type Error struct{ Msgs []string }

func (e *Error) Error() string { return strings.Join(e.Msgs, "; ") }

// Errorf makes a one-message validation Error.
func Errorf(format string, a ...any) *Error { return &Error{Msgs: []string{fmt.Sprintf(format, a...)}} }

// raw is the wire form of an entity file: every field optional so that what
// is missing can be told apart from what is wrong.
type raw struct {
	Version   *string          `json:"version"`
	Type      *string          `json:"type"`
	Pointers  *[]string        `json:"pointers"`
	Timestamp *json.Number     `json:"timestamp"`
	Content   *json.RawMessage `json:"content"`
	Metadata  json.RawMessage  `json:"metadata"`
}

// Parse reads an entity file. Pointers are lower-cased; a missing version
// means "v3" and missing content means none. The checks here are what any
// reader of the file needs; the deployment rules are in Validate*.
func Parse(id string, data []byte) (*Entity, error) {
	var r raw
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&r); err != nil {
		return nil, Errorf("Failed to parse the entity file. Please make sure that it is a valid json.")
	}
	if r.Type == nil {
		return nil, Errorf("Please set a valid type. It must be one of %s. We got 'undefined'", typeList())
	}
	t, ok := ParseType(*r.Type)
	if !ok || *r.Type != string(t) {
		return nil, Errorf("Please set a valid type. It must be one of %s. We got '%s'", typeList(), *r.Type)
	}
	if r.Pointers == nil {
		return nil, Errorf("Please set valid pointers")
	}
	if r.Timestamp == nil {
		return nil, Errorf("Please set a valid timestamp. We got undefined")
	}
	ts, err := r.Timestamp.Int64()
	if err != nil || ts < 0 {
		return nil, Errorf("Please set a valid timestamp. We got %s", r.Timestamp.String())
	}
	e := &Entity{ID: id, Type: t, Timestamp: ts, Version: "v3", Content: []ContentItem{}, Metadata: r.Metadata}
	if r.Version != nil {
		e.Version = *r.Version
	}
	e.Pointers = make([]string, len(*r.Pointers))
	for i, p := range *r.Pointers {
		e.Pointers[i] = strings.ToLower(strings.TrimSpace(p))
	}
	if r.Content != nil && string(*r.Content) != "null" {
		var items []map[string]any
		if err := json.Unmarshal(*r.Content, &items); err != nil {
			return nil, Errorf("Expected an array as content")
		}
		for _, it := range items {
			file, fok := it["file"].(string)
			hash, hok := it["hash"].(string)
			if it["file"] == nil || it["hash"] == nil {
				return nil, Errorf("Content must contain a file name and a file hash")
			}
			if !fok || !hok || file == "" || hash == "" {
				return nil, Errorf("Please make sure that all file names and a file hashes are valid strings")
			}
			e.Content = append(e.Content, ContentItem{File: file, Hash: hash})
		}
	}
	return e, nil
}

func typeList() string {
	s := make([]string, len(Types))
	for i, t := range Types {
		s[i] = string(t)
	}
	return strings.Join(s, ",")
}

// Hashes returns the unique content hashes of the entity, in order of first
// appearance.
func (e *Entity) Hashes() []string {
	seen := make(map[string]bool, len(e.Content))
	var out []string
	for _, c := range e.Content {
		if !seen[c.Hash] {
			seen[c.Hash] = true
			out = append(out, c.Hash)
		}
	}
	return out
}

// Newer reports whether e wins over other on a shared pointer: the greater
// (timestamp, id) is the active one. Ids compare lower-cased, as the
// content server does.
func (e *Entity) Newer(other *Entity) bool {
	return Newer(e.Timestamp, e.ID, other.Timestamp, other.ID)
}

// Newer orders two entities by (timestamp, lower-cased id).
func Newer(ts1 int64, id1 string, ts2 int64, id2 string) bool {
	if ts1 != ts2 {
		return ts1 > ts2
	}
	return strings.ToLower(id1) > strings.ToLower(id2)
}

// SceneSummary is what lists of scenes show of a scene entity: its
// title, base parcel, parcels and the file of its map thumbnail.
type SceneSummary struct {
	Title         string
	Base          [2]int
	Parcels       [][2]int
	ThumbnailHash string // of display.navmapThumbnail, "" when none
}

// Summary reads a scene's summary from its metadata and content.
func (e *Entity) Summary() SceneSummary {
	var meta struct {
		Display struct {
			Title           string `json:"title"`
			NavmapThumbnail string `json:"navmapThumbnail"`
		} `json:"display"`
		Scene struct {
			Base string `json:"base"`
		} `json:"scene"`
	}
	json.Unmarshal(e.Metadata, &meta)
	s := SceneSummary{Title: meta.Display.Title, Parcels: [][2]int{}}
	fmt.Sscanf(meta.Scene.Base, "%d,%d", &s.Base[0], &s.Base[1])
	for _, p := range e.Pointers {
		var x, y int
		if _, err := fmt.Sscanf(p, "%d,%d", &x, &y); err == nil {
			s.Parcels = append(s.Parcels, [2]int{x, y})
		}
	}
	for _, c := range e.Content {
		if c.File != "" && c.File == meta.Display.NavmapThumbnail {
			s.ThumbnailHash = c.Hash
		}
	}
	return s
}
