// Drives a running node's badges and notifications with the real clients:
// dcl-catalyst-client deploys a scene and a profile, decentraland-crypto-fetch
// signs a client event and the inbox requests; the grants are read back
// from /badges and from the inbox, and marked read.
// Usage: node badges.js http://127.0.0.1:PORT
'use strict'
const assert = require('assert/strict')
const { createHash } = require('crypto')
const { createContentClient, DeploymentBuilder } = require('dcl-catalyst-client')
const { Authenticator } = require('@dcl/crypto')
const { createUnsafeIdentity } = require('@dcl/crypto/dist/crypto')
const { EntityType } = require('@dcl/schemas')
const signedFetch = require('decentraland-crypto-fetch').default
const samples = require('./samples')

const base = process.argv[2]
if (!base) throw new Error('usage: node badges.js <node url>')
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
  const address = owner.address.toLowerCase()
  const deploy = async (prepared) => {
    const res = await content.deploy({ ...prepared, authChain: Authenticator.signPayload(identity, prepared.entityId) })
    assert.equal(res.status, 200, JSON.stringify(await res.json()))
  }
  await deploy(await DeploymentBuilder.buildEntity({ type: EntityType.SCENE, pointers: ['40,40'], files: new Map([['bin/index.js', new TextEncoder().encode('x')]]), metadata: samples.scene(['40,40']), timestamp: Date.now() }))
  await deploy(await DeploymentBuilder.buildEntity({ type: EntityType.PROFILE, pointers: [address], metadata: samples.profile(address, 'badges'), timestamp: Date.now() }))

  // A client event, signed by its user with decentraland-crypto-fetch.
  const receiver = createUnsafeIdentity().address.toLowerCase()
  const event = { type: 'client', subType: 'passport-opened', key: 'passport-' + Date.now(), timestamp: Date.now(),
    metadata: { userAddress: address, sessionId: 's', anonymousId: 'a', realm: 'test', timestamp: Date.now(), timestamps: { reportedAt: Date.now(), receivedAt: Date.now() }, authChain: [], passport: { receiver } } }
  // The signed metadata carries the body's hash: signed fetch does not
  // sign the body.
  const post = (body) => signedFetch(base + '/events-notifier/forward', { method: 'POST', identity, body,
    metadata: { signer: 'dcl:explorer', eventHash: createHash('sha256').update(body).digest('hex') }, headers: { 'Content-Type': 'application/json' } })
  const forwarded = await post(JSON.stringify(event))
  assert.equal(forwarded.status, 200, await forwarded.text())
  // Someone else's event is refused.
  const forged = await post(JSON.stringify({ ...event, key: 'forged', metadata: { ...event.metadata, userAddress: receiver } }))
  assert.equal(forged.status, 401)

  const want = ['land_architect', 'profile_pro', 'social_butterfly']
  const achieved = await until('the badges', async () => {
    const res = await fetch(`${base}/badges/users/${address}/badges?includeNotAchieved=true`)
    const body = await res.json()
    const ids = body.data.achieved.map((b) => b.id).sort()
    return JSON.stringify(ids) === JSON.stringify(want) ? body.data : null
  })
  assert.equal(achieved.notAchieved.length, 21)
  const butterfly = achieved.achieved.find((b) => b.id === 'social_butterfly')
  assert.equal(butterfly.isTier, true)
  assert.equal(butterfly.progress.lastCompletedTierName, 'Starter')
  assert.equal(butterfly.progress.nextStepsTarget, 50)

  const inbox = await until('the notifications', async () => {
    const res = await signedFetch(base + '/notifications/notifications', { identity })
    assert.equal(res.status, 200)
    const { notifications } = await res.json()
    return notifications.length === 3 ? notifications : null
  })
  for (const n of inbox) {
    assert.equal(n.type, 'badge_granted')
    assert.equal(n.address, address)
    assert.equal(n.metadata.title, 'New Badge Unlocked!')
    assert.equal(n.read, false)
  }
  assert.deepEqual(inbox.map((n) => n.metadata.id).sort(), want)
  const read = async () => (await (await signedFetch(base + '/notifications/notifications/read', { method: 'PUT', identity, body: JSON.stringify({ notificationIds: inbox.map((n) => n.id) }) })).json()).updated
  assert.equal(await read(), 3)
  assert.equal(await read(), 0)
  const unsigned = await fetch(base + '/notifications/notifications')
  assert.equal(unsigned.status, 401)

  console.log('badges: 1 passed, 0 failed')
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
