// Package assetbundles is decentraland/asset-bundle-registry's API under
// /asset-bundle-registry: a registry entry per scene, wearable, emote and
// world-scene deployment the node applies, telling explorers which
// version of each pointer to load and whether its Unity asset bundles
// exist (POST /entities/active, /entities/versions, the status routes,
// the world manifest), with the original's rotation of versions.
//
// It must never tell an explorer to load bundles nobody built: the node
// has no Unity conversion farm, so every entry starts as "fallback" with
// every platform "pending" and the explorer loads the raw glTF content;
// only a conversion report from the configured converter (admin token)
// marks a platform complete or failed.
//
// What differs from the original (src/controllers/routes.ts, its
// handlers, src/types/types.ts, src/logic/registry/component.ts and
// src/adapters/db.ts, read at 9ffafca and later), and why:
//
//   - Status: a new entry is "fallback" where the original's is
//     "pending": a pending entry is not served and waits for the farm,
//     while this node's content is always loadable raw. The rotation is
//     the original's persistAndRotateStates with that substitution: a
//     newer served (complete or fallback) entry makes an entry obsolete;
//     an entry whose windows and mac assets are complete is complete;
//     older entries on its pointers become obsolete, except the newest
//     older served one, which stays fallback until this one is complete
//     (then it is obsolete too). A failed conversion leaves the entry
//     "fallback" (its platform "failed") rather than "failed": the raw
//     content still loads, where the original's failed entry is not
//     served at all.
//   - POST /entities/active and /entities/versions answer, of the served
//     entries on the pointers, the newest of each set of pointers (the
//     original's grouping) and leave out an entry that a newer served
//     entry shares a pointer with: the newer one is the node's active
//     entity and loads raw, so serving both would put two scenes on one
//     parcel. Denylisted entities are left out. At most MaxPointers
//     pointers a request (the original has no bound).
//   - Conversion reports arrive at POST /asset-bundle-registry/events
//     (admin bearer token) as the @dcl/schemas
//     AssetBundleConversionFinishedEvent {type:"asset-bundle",
//     subType:"converted", key, timestamp, metadata:{entityId, platform:
//     windows|mac|webgl, statusCode, isLods, isWorld, version?,
//     buildDate?}} or AssetBundleConversionManuallyQueuedEvent
//     (subType "manually-queued", which GET /queues/status counts), in
//     place of the original's SQS queue. Status codes 0, 12 and 13 are
//     complete (ManifestStatusCode SUCCESS, CONVERSION_ERRORS_TOLERATED,
//     ALREADY_CONVERTED), any other failed. A report of an obsolete entry
//     updates its bundles and leaves it obsolete (the original rotates it
//     again, which can bring back an undeployed world scene). An accepted
//     report is also
//     published on the bus (type asset-bundle) for other consumers.
//   - Deployments come from the node's bus (catalyst-deployment events of
//     scenes, wearables and emotes, and the worlds service's
//     worlds/deployment, world_undeployment, world_scenes_undeployment and
//     world_settings_changed, whose spawn_coordinates is the world's
//     user-set spawn), not from SQS and a catalyst fetch.
//   - The denylist is written with the node's admin token instead of a
//     signed fetch by an address of the moderators' feature flag: a node
//     has one operator. Entries are {entity_id, reason, created_by:
//     "admin", created_at, updated_at}, at most MaxDenylist of them.
//   - POST /registry {entityIds} (admin) registers entities the node
//     stores (main or worlds store) as new entries; the original asks the
//     CDN for bundle manifests, which this node has none of. It answers
//     {failures, successes} and lists the registered ids in successes
//     (the original leaves it empty). DELETE /registry {entityIds} (admin)
//     removes entries, which the original only does from its purge jobs.
//     DELETE /flush-cache clears the in-memory queue counts, as the
//     original flushes its "jobs:*" keys.
//   - Profiles (POST /profiles, /profiles/metadata) are read from the
//     node's own store instead of a synced copy of catalyst snapshots;
//     snapshots are ProfileImagesURL/entities/<id>/face.png and body.png,
//     as the original's PROFILES_IMAGE_URL.
//   - The world manifest's spawn is the user-set spawn while it lies in
//     the occupied parcels' bounds, else the occupied parcel nearest their
//     centroid (the original's calculateCenter), else 0,0.
//   - Entries are never moved to a historical table: an obsolete entry
//     stays readable by id.
package assetbundles
