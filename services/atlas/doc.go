// Package atlas is decentraland/atlas-server's API under /atlas: the tile
// map of Genesis City as JSON (/v1/tiles, /v2/tiles) and as PNG images
// (/v1|v2/map.png, a parcel's or an estate's), the parcels, estates and
// districts as ERC-721 metadata, held in memory as atlas-server holds it.
//
// Where the tiles come from:
//   - the static facts of Genesis City — roads, plazas and districts by
//     parcel — embedded from data/ (data/README.md says which public
//     repository, path and commit each comes from, and what is missing);
//   - the node's own scene deployments, from the event bus: a parcel with
//     an active scene is owned (unless static data make it a road, plaza
//     or district) and is named by the scene's display title;
//   - with a chain index (Config.Lands), every LAND's owner and estate,
//     read again every minute; estates join their tiles (top, left,
//     topLeft) as atlas-server's computeEstate does.
//
// Without chain data nothing is on sale and no tile has an owner. It
// never writes to the store and never calls out of the node.
package atlas
