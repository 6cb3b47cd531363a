package entity

import "github.com/p2pcatalyst/catalyst/store/authchain"

// The sync formats of today's catalysts: what /content/snapshots lists
// and what a snapshot file holds (@dcl/schemas SnapshotSyncDeployment;
// decentraland/catalyst's snapshot generator).

// SnapshotHeader is a snapshot file's first line.
const SnapshotHeader = "### Decentraland json snapshot"

// SnapshotMetadata is one entry of /content/snapshots.
type SnapshotMetadata struct {
	Hash      string `json:"hash"`
	TimeRange struct {
		InitTimestamp int64 `json:"initTimestamp"`
		EndTimestamp  int64 `json:"endTimestamp"`
	} `json:"timeRange"`
	ReplacedSnapshotHashes []string `json:"replacedSnapshotHashes"`
	NumberOfEntities       int      `json:"numberOfEntities"`
	GenerationTimestamp    int64    `json:"generationTimestamp"`
}

// SnapshotEntry is one line of a snapshot file after the header.
type SnapshotEntry struct {
	EntityID        string          `json:"entityId"`
	EntityType      string          `json:"entityType"`
	Pointers        []string        `json:"pointers"`
	AuthChain       authchain.Chain `json:"authChain"`
	EntityTimestamp int64           `json:"entityTimestamp"`
}
