// Drives a node's worlds content server with the real clients:
// dcl-catalyst-client's content client, pointed at /worlds, deploys a
// world scene; the world's /about is a realm whose scene URN's baseUrl
// serves the entity; decentraland-crypto-fetch asks the world's comms for
// a LiveKit connection; a stranger may not deploy to the world.
// Usage: node worlds.js http://127.0.0.1:PORT
'use strict'
const assert = require('assert/strict')
const { createContentClient, DeploymentBuilder } = require('dcl-catalyst-client')
const { Authenticator } = require('@dcl/crypto')
const { createUnsafeIdentity } = require('@dcl/crypto/dist/crypto')
const { EntityType, Scene } = require('@dcl/schemas')
const signedFetch = require('decentraland-crypto-fetch').default

const base = process.argv[2]
if (!base) throw new Error('usage: node worlds.js <node url>')
const worlds = createContentClient({ url: base + '/worlds', fetcher: { fetch: (u, init) => fetch(u, init) } })

async function identity() {
  const owner = createUnsafeIdentity()
  const auth = await Authenticator.initializeAuthChain(owner.address, createUnsafeIdentity(), 10, async (msg) => Authenticator.createSignature(owner, msg))
  return { address: owner.address.toLowerCase(), auth }
}

function sceneOf(world, parcels) {
  return {
    main: 'bin/index.js', runtimeVersion: '7', display: { title: 'A world of ' + world },
    scene: { base: parcels[0], parcels }, worldConfiguration: { name: world }
  }
}

async function deploy(who, world, parcels) {
  const metadata = sceneOf(world, parcels)
  assert.ok(Scene.validate(metadata), JSON.stringify(Scene.validate.errors))
  const prepared = await DeploymentBuilder.buildEntity({ type: EntityType.SCENE, pointers: parcels, metadata, timestamp: Date.now(),
    files: new Map([['bin/index.js', new TextEncoder().encode('console.log("' + world + Math.random() + '")')]]) })
  const res = await worlds.deploy({ ...prepared, authChain: Authenticator.signPayload(who.auth, prepared.entityId) })
  return { res, body: await res.json(), id: prepared.entityId }
}

async function main() {
  const world = 'w' + Date.now().toString(36).slice(-8) + '.dcl.eth'
  const owner = await identity()
  const first = await deploy(owner, world, ['0,0', '1,0'])
  assert.equal(first.res.status, 200, JSON.stringify(first.body))
  assert.equal(typeof first.body.creationTimestamp, 'number')
  assert.ok(first.body.message.includes(world), first.body.message)

  const about = await (await fetch(`${base}/worlds/world/${world}/about`)).json()
  assert.equal(about.configurations.realmName, world)
  assert.equal(about.healthy, true)
  const [urn] = about.configurations.scenesUrn
  assert.ok(urn.startsWith(`urn:decentraland:entity:${first.id}?=&baseUrl=`), urn)
  const baseUrl = new URL(urn.replace(/^urn:[^?]*\?=&/, 'http://x/?')).searchParams.get('baseUrl')
  assert.equal(baseUrl, base + '/worlds/contents/')
  const entity = await (await fetch(baseUrl + first.id)).json()
  assert.deepEqual(entity.pointers, ['0,0', '1,0'])
  assert.equal(entity.metadata.worldConfiguration.name, world)

  // The content client's own reads work against /worlds.
  const [active] = await (await fetch(base + '/worlds/entities/active', { method: 'POST', body: JSON.stringify({ pointers: [world] }), headers: { 'Content-Type': 'application/json' } })).json()
  assert.equal(active.id, first.id)
  assert.ok(await worlds.isContentAvailable([first.id]).then((r) => r.every((x) => x.available)))

  // Comms: a LiveKit connection on the node's SFU for the world's room.
  assert.ok(about.comms.adapter.startsWith('fixed-adapter:signed-login:'), about.comms.adapter)
  const commsURL = about.comms.adapter.slice('fixed-adapter:signed-login:'.length)
  const visitor = await identity()
  const comms = await signedFetch(commsURL, { method: 'POST', identity: visitor.auth, metadata: {} })
  assert.equal(comms.status, 200, await comms.clone().text())
  const { fixedAdapter } = await comms.json()
  assert.ok(fixedAdapter.startsWith('livekit:ws'), fixedAdapter)

  // A stranger's scene in the owner's world is refused and changes nothing.
  const stranger = await deploy(visitor, world, ['5,5'])
  assert.equal(stranger.res.status, 400, JSON.stringify(stranger.body))
  const after = await (await fetch(`${base}/worlds/world/${world}/about`)).json()
  assert.deepEqual(after.configurations.scenesUrn, about.configurations.scenesUrn)
  console.log('worlds: 1 passed, 0 failed')
}

main().catch((e) => { console.error(e); process.exit(1) })
