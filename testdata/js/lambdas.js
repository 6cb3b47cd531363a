// Drives a running node's lambdas with the real dcl-catalyst-client: the
// catalyst client reads /about and builds its content and lambdas clients
// from the public URLs there; a profile and outfits are deployed with the
// content client and read back with the lambdas client (which joins the
// slash-terminated publicUrl and "/profiles": the doubled slashes a real
// catalyst's nginx merges).
// Usage: node lambdas.js http://127.0.0.1:PORT
'use strict'
const assert = require('assert/strict')
const { createCatalystClient, DeploymentBuilder } = require('dcl-catalyst-client')
const { Authenticator } = require('@dcl/crypto')
const { createUnsafeIdentity } = require('@dcl/crypto/dist/crypto')
const { EntityType, Profile } = require('@dcl/schemas')
const samples = require('./samples')

const base = process.argv[2]
if (!base) throw new Error('usage: node lambdas.js <node url>')
const fetcher = { fetch: (u, init) => fetch(u, init) }

async function main() {
  const catalyst = createCatalystClient({ url: base, fetcher })
  const about = await catalyst.fetchAbout()
  assert.equal(about.lambdas.healthy, true)
  assert.equal(about.lambdas.publicUrl, base + '/lambdas/')
  const content = await catalyst.getContentClient()
  const lambdas = await catalyst.getLambdasClient()

  const owner = createUnsafeIdentity()
  const ephemeral = createUnsafeIdentity()
  const auth = await Authenticator.initializeAuthChain(owner.address, ephemeral, 10, async (msg) => Authenticator.createSignature(owner, msg))
  const address = owner.address.toLowerCase()
  const deploy = async (prepared) => {
    const res = await content.deploy({ ...prepared, authChain: Authenticator.signPayload(auth, prepared.entityId) })
    assert.equal(res.status, 200, JSON.stringify(await res.json()))
  }
  const profile = await DeploymentBuilder.buildEntity({ type: EntityType.PROFILE, pointers: [address], metadata: samples.profile(address, 'lambdas'), timestamp: Date.now() })
  await deploy(profile)
  const outfits = await DeploymentBuilder.buildEntity({ type: EntityType.OUTFITS, pointers: [address + ':outfits'], metadata: samples.outfits(), timestamp: Date.now() })
  await deploy(outfits)

  const status = await lambdas.getLambdaStatus()
  assert.equal(typeof status.currentTime, 'number')

  const [byPost] = await lambdas.getAvatarsDetailsByPost({ ids: [address, '0x0000000000000000000000000000000000000001'] })
  assert.equal(byPost.avatars[0].name, 'lambdas')
  assert.equal(byPost.avatars[0].ethAddress, address)
  assert.equal(byPost.avatars[0].avatar.snapshots.face256, `https://profile-images.decentraland.org/entities/${profile.entityId}/face.png`)
  assert.deepEqual(Object.keys(byPost).sort(), ['avatars', 'timestamp'])
  // What lambdas answer is a profile @dcl/schemas accepts, but for the
  // snapshots: URLs of the renderer where a deployment has hashes.
  const unrendered = structuredClone(byPost.avatars)
  unrendered.forEach((a) => delete a.avatar.snapshots)
  assert.ok(Profile.validate({ avatars: unrendered }), JSON.stringify(Profile.validate.errors))

  const single = await lambdas.getAvatarDetails(address)
  assert.equal(single.timestamp, byPost.timestamp)
  // The client answers the body whatever the status: lamb2's 404 shape.
  assert.deepEqual(await lambdas.getAvatarDetails('0x0000000000000000000000000000000000000001'), { error: 'Not Found', message: 'Profile not found' })

  const wearables = await lambdas.getWearables(address, { pageSize: 10 })
  assert.deepEqual(wearables.elements, [])
  assert.equal(wearables.totalAmount, 0)
  const names = await lambdas.getNames(address)
  assert.equal(names.totalAmount, 0)
  const collections = await lambdas.getCollections()
  assert.ok(collections.collections.some((c) => c.id === 'urn:decentraland:off-chain:base-avatars'))
  const tpi = await lambdas.getThirdPartyIntegrations()
  assert.deepEqual(tpi.data, [])

  // Outfits are not wrapped by the client; read them as the Unity explorer does.
  const res = await fetch(about.lambdas.publicUrl + 'outfits/' + address)
  assert.equal(res.status, 200)
  const o = await res.json()
  assert.equal(o.id, outfits.entityId)
  assert.equal(o.metadata.outfits.length, 1)

  console.log('lambdas: 1 passed, 0 failed')
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
