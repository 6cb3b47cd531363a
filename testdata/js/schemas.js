// Dumps the entity metadata JSON Schemas of the pinned @dcl/schemas into
// store/entity/schemas/, where the Go validator embeds them.
// Run: (cd testdata/js && npm ci && node schemas.js)
'use strict'
const fs = require('fs')
const path = require('path')
const s = require('@dcl/schemas')
const out = path.join(__dirname, '..', '..', 'store', 'entity', 'schemas')
fs.mkdirSync(out, { recursive: true })
const version = require('@dcl/schemas/package.json').version
for (const [type, ns] of Object.entries({ scene: s.Scene, profile: s.Profile, wearable: s.Wearable, emote: s.Emote, store: s.Store, outfits: s.Outfits })) {
  fs.writeFileSync(path.join(out, type + '.json'), JSON.stringify({ $comment: '@dcl/schemas ' + version, ...ns.schema }, null, 1) + '\n')
}
