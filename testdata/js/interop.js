// Drives a running node with the real dcl-catalyst-client and @dcl/crypto:
// deploys a profile and scenes, reads them back every way the client can,
// overwrites, redeploys and sends bad input.
// Usage: node interop.js http://127.0.0.1:PORT/content
'use strict'
const assert = require('assert/strict')
const { createContentClient, DeploymentBuilder } = require('dcl-catalyst-client')
const { Authenticator } = require('@dcl/crypto')
const { createUnsafeIdentity } = require('@dcl/crypto/dist/crypto')
const { EntityType } = require('@dcl/schemas')
const { hashV1 } = require('@dcl/hashing')
const samples = require('./samples')

const url = process.argv[2]
if (!url) throw new Error('usage: node interop.js <content url>')
const fetcher = { fetch: (u, init) => fetch(u, init) }
const client = createContentClient({ url, fetcher })

async function identity() {
  const owner = createUnsafeIdentity()
  const ephemeral = createUnsafeIdentity()
  const auth = await Authenticator.initializeAuthChain(owner.address, ephemeral, 10, async (msg) => Authenticator.createSignature(owner, msg))
  return { address: owner.address.toLowerCase(), auth }
}

async function deploy(id, prepared) {
  const authChain = Authenticator.signPayload(id.auth, prepared.entityId)
  const res = await client.deploy({ ...prepared, authChain })
  return { status: res.status, body: await res.json() }
}

const bytes = (s) => new TextEncoder().encode(s)

async function main() {
  const alice = await identity()

  // A profile.
  const profile = await DeploymentBuilder.buildEntity({ type: EntityType.PROFILE, pointers: [alice.address], metadata: samples.profile(alice.address, 'alice'), timestamp: Date.now() })
  const p = await deploy(alice, profile)
  assert.equal(p.status, 200, JSON.stringify(p.body))
  assert.equal(typeof p.body.creationTimestamp, 'number')
  const [byPointer] = await client.fetchEntitiesByPointers([alice.address])
  assert.equal(byPointer.id, profile.entityId)
  assert.equal(byPointer.type, 'profile')
  assert.deepEqual(byPointer.pointers, [alice.address])
  assert.equal(byPointer.metadata.avatars[0].name, 'alice')
  const byId = await client.fetchEntityById(profile.entityId)
  assert.equal(byId.id, profile.entityId)
  const entityFile = await client.downloadContent(profile.entityId)
  assert.deepEqual(Buffer.from(entityFile), Buffer.from(profile.files.get(profile.entityId)))

  // Redeploying is idempotent.
  const again = await deploy(alice, profile)
  assert.equal(again.status, 200)
  assert.equal(again.body.creationTimestamp, p.body.creationTimestamp)

  // A scene on two parcels, with a file larger than one chunk.
  const big = new Uint8Array(300000).map((_, i) => (i * 7) & 0xff)
  const files = new Map([['bin/index.js', bytes('console.log(1)')], ['scene.json', bytes('{"a":1}')], ['models/big.glb', big]])
  const scene = await DeploymentBuilder.buildEntity({ type: EntityType.SCENE, pointers: ['10,10', '10,11'], files, metadata: samples.scene(['10,10', '10,11']), timestamp: Date.now() })
  const s = await deploy(alice, scene)
  assert.equal(s.status, 200, JSON.stringify(s.body))
  const [sceneEntity] = await client.fetchEntitiesByPointers(['10,11'])
  assert.equal(sceneEntity.id, scene.entityId)
  assert.equal(sceneEntity.content.length, 3)
  for (const { file, hash } of sceneEntity.content) {
    const got = await client.downloadContent(hash) // the client verifies the hash
    assert.deepEqual(Buffer.from(got), Buffer.from(files.get(file)), file)
  }
  const bigHash = await hashV1(big)
  assert.ok(bigHash.startsWith('bafybei'))
  const avail = await client.isContentAvailable([bigHash, 'bafkreiaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'])
  assert.deepEqual(avail.map((a) => a.available), [true, false])

  // Overwrite one parcel: the old scene leaves both pointers. The client
  // skips the files the node already has. Right away it is rate limited
  // (the test node runs with scene=1s).
  const scene2 = await DeploymentBuilder.buildEntity({ type: EntityType.SCENE, pointers: ['10,10'], files, metadata: samples.scene(['10,10']), timestamp: Date.now() + 1 })
  const limited = await deploy(alice, scene2)
  assert.ok(limited.status === 429 && limited.body.errors[0].includes('rate limited'), JSON.stringify(limited))
  await new Promise((r) => setTimeout(r, 1100))
  const s2 = await deploy(alice, scene2)
  assert.equal(s2.status, 200, JSON.stringify(s2.body))
  const active = await client.fetchEntitiesByPointers(['10,10', '10,11'])
  assert.deepEqual(active.map((e) => e.id), [scene2.entityId])
  assert.deepEqual(await client.fetchEntitiesByIds([scene.entityId]), [])
  const consistency = await client.checkPointerConsistency('10,10', { parallel: { urls: [url] } })
  assert.equal(consistency.isConsistent, true)

  // Bad input: a profile signed by someone else, and a stale timestamp.
  const mallory = await identity()
  const bob = await identity()
  const forged = await DeploymentBuilder.buildEntity({ type: EntityType.PROFILE, pointers: [bob.address], metadata: samples.profile(bob.address, 'mallory'), timestamp: Date.now() + 2 })
  const f = await deploy(mallory, forged)
  assert.equal(f.status, 400)
  assert.ok(Array.isArray(f.body.errors) && f.body.errors.join(' ').includes('your own profile'), JSON.stringify(f.body))
  const stale = await DeploymentBuilder.buildEntity({ type: EntityType.PROFILE, pointers: [mallory.address], metadata: samples.profile(mallory.address, 'old'), timestamp: Date.now() - 30 * 60 * 1000 })
  const st = await deploy(mallory, stale)
  assert.equal(st.status, 400)
  assert.ok(st.body.errors.join(' ').includes('not recent enough'), JSON.stringify(st.body))
  assert.deepEqual(await client.fetchEntitiesByPointers([bob.address, mallory.address]), [])

  // Audit and deployments history.
  const audit = await (await fetch(`${url}/audit/scene/${scene.entityId}`)).json()
  assert.equal(audit.overwrittenBy, scene2.entityId)
  const deployments = await (await fetch(`${url}/deployments?entityType=scene&fields=pointers,auditInfo`)).json()
  assert.deepEqual(deployments.deployments.map((d) => d.entityId), [scene2.entityId, scene.entityId])
  console.log('interop: 1 passed, 0 failed')
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
