// Drives a node's marketplace and asset-bundle registry with the real
// clients: dcl-catalyst-client deploys a wearable, an emote and a scene;
// the marketplace's items and catalog list the wearable and emote in the
// shapes @dcl/schemas describes, and the registry has an entry per
// deployment, `fallback` (explorers load the raw files).
// Usage: node people.js http://127.0.0.1:PORT
'use strict'
const assert = require('assert/strict')
const { createContentClient, DeploymentBuilder } = require('dcl-catalyst-client')
const { Authenticator } = require('@dcl/crypto')
const { createUnsafeIdentity } = require('@dcl/crypto/dist/crypto')
const { EntityType, Item, Rarity } = require('@dcl/schemas')
const samples = require('./samples')

const base = process.argv[2]
if (!base) throw new Error('usage: node people.js <node url>')
const content = createContentClient({ url: base + '/content', fetcher: { fetch: (u, init) => fetch(u, init) } })

async function until(what, fn, ms = 10000) {
  const end = Date.now() + ms
  for (;;) {
    const got = await fn()
    if (got) return got
    if (Date.now() > end) throw new Error('timed out waiting for ' + what)
    await new Promise((r) => setTimeout(r, 50))
  }
}

async function main() {
  const owner = createUnsafeIdentity()
  const identity = await Authenticator.initializeAuthChain(owner.address, createUnsafeIdentity(), 10, async (msg) => Authenticator.createSignature(owner, msg))
  const deploy = async (type, pointers, metadata, files) => {
    const prepared = await DeploymentBuilder.buildEntity({ type, pointers, metadata, files, timestamp: Date.now() })
    const res = await content.deploy({ ...prepared, authChain: Authenticator.signPayload(identity, prepared.entityId) })
    assert.equal(res.status, 200, JSON.stringify(await res.json()))
    return prepared.entityId
  }
  const bytes = (s) => new TextEncoder().encode(s)
  const files = new Map([['model.glb', bytes('glb')], ['thumbnail.png', bytes('thumb')], ['image.png', bytes('image')]])
  const wearableId = await deploy(EntityType.WEARABLE, [samples.wearable.id], samples.wearable, files)
  const emoteId = await deploy(EntityType.EMOTE, [samples.emote.id], samples.emote, files)
  const sceneId = await deploy(EntityType.SCENE, ['61,61'], samples.scene(['61,61']), new Map([['bin/index.js', bytes('x')]]))

  // The marketplace lists both items, in @dcl/schemas' Item shape.
  const items = await until('the items', async () => {
    const body = await (await fetch(base + '/marketplace/v1/items?first=10')).json()
    return body.data && body.data.length === 2 ? body : null
  })
  assert.equal(items.total, 2)
  for (const item of items.data) {
    assert.ok(Item.validate(item), JSON.stringify(Item.validate.errors) + ' ' + JSON.stringify(item))
    assert.ok([samples.wearable.id, samples.emote.id].includes(item.urn), item.urn)
    assert.ok(Object.values(Rarity).includes(item.rarity))
  }
  const catalog = await (await fetch(base + '/marketplace/v1/catalog?first=10')).json()
  assert.equal(catalog.total, 2, JSON.stringify(catalog))

  // The registry: each deployment, fallback until a converter reports.
  const active = await until('the registry', async () => {
    const res = await fetch(base + '/asset-bundle-registry/entities/active', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ pointers: [samples.wearable.id, samples.emote.id, '61,61'] })
    })
    const list = await res.json()
    return list.length === 3 ? list : null
  })
  assert.deepEqual(active.map((e) => e.id).sort(), [wearableId, emoteId, sceneId].sort())
  for (const e of active) {
    assert.equal(e.status, 'fallback')
    assert.equal(e.deployer, owner.address.toLowerCase())
  }
  const status = await (await fetch(base + '/asset-bundle-registry/entities/status/' + sceneId)).json()
  assert.equal(status.entityId, sceneId)
  console.log('people: 1 passed, 0 failed')
}

main().catch((e) => { console.error(e); process.exit(1) })
