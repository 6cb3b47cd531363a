// Drives a node's social RPC (/social/ws) with the real clients: @dcl/rpc's
// client and WebSocket transport, and @dcl/protocol's generated
// SocialService definition. Two users befriend (request + accept), see
// each other's updates, one blocks and unblocks the other, a third cannot
// read their requests, and connectivity changes arrive when the node's
// comms says a user came and went (the test server's /test/online hook).
// Usage: node social.js <ws url> <hook url> <hex key A> <hex key B> <hex key C>
'use strict'
const assert = require('assert/strict')
const WebSocket = require('ws')
const { createRpcClient } = require('@dcl/rpc')
const { WebSocketTransport } = require('@dcl/rpc/dist/transports/WebSocket')
const { loadService } = require('@dcl/rpc/dist/codegen')
const { Authenticator } = require('@dcl/crypto')
const { createUnsafeIdentity, computeAddress } = require('@dcl/crypto/dist/crypto')
const { secp256k1 } = require('ethereum-cryptography/secp256k1')
const { hexToBytes, bytesToHex } = require('eth-connect')
const { signedHeaderFactory } = require('decentraland-crypto-fetch/lib/factory')
const {
  SocialServiceDefinition, FriendshipStatus, ConnectivityStatus
} = require('@dcl/protocol/out-js/decentraland/social_service/v2/social_service_v2.gen')

const [wsURL, hookURL, ...keys] = process.argv.slice(2)
if (!wsURL || keys.length !== 3) throw new Error('usage: node social.js <ws url> <hook url> <key A> <key B> <key C>')

const signedHeader = signedHeaderFactory()

async function identityOf(hex) {
  const publicKey = secp256k1.getPublicKey(hexToBytes(hex), false).slice(1)
  const owner = { privateKey: hex, publicKey: bytesToHex(publicKey), address: computeAddress(publicKey) }
  const identity = await Authenticator.initializeAuthChain(owner.address, createUnsafeIdentity(), 10, async (msg) => Authenticator.createSignature(owner, msg))
  return { identity, address: owner.address.toLowerCase() }
}

// authFrame is the first frame: the signed headers of GET / as JSON.
function authFrame(identity, metadata = {}, path = '/') {
  const headers = {}
  signedHeader(identity, 'get', path, metadata).forEach((v, k) => { headers[k] = v })
  return JSON.stringify(headers)
}

// connect opens a socket, sends the auth frame (binary, as
// social-service-ea's integration client does) and loads the service at
// once.
async function connect(user) {
  const ws = new WebSocket(wsURL)
  await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject) })
  ws.send(Buffer.from(authFrame(user.identity)), { binary: true })
  const transport = WebSocketTransport(ws)
  const client = await createRpcClient(transport)
  const port = await client.createPort('social')
  return { ws, rpc: loadService(port, SocialServiceDefinition) }
}

// closedWith connects with a first frame and resolves with the close code.
function closedWith(frame) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsURL)
    ws.once('open', () => ws.send(Buffer.from(frame)))
    ws.once('close', (code) => resolve(code))
    ws.once('error', reject)
  })
}

// subscription opens a server stream at once (@dcl/rpc's client opens
// it on the first next()) and hands its elements out one at a time.
function subscription(gen) {
  const iter = gen[Symbol.asyncIterator]()
  let pending = iter.next()
  pending.catch(() => {})
  return {
    async next(what, ms = 5000) {
      let timer
      const timeout = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error('timed out waiting for ' + what)), ms) })
      try {
        const r = await Promise.race([pending, timeout])
        assert.ok(!r.done, what + ': the stream ended')
        pending = iter.next()
        pending.catch(() => {})
        return r.value
      } finally {
        clearTimeout(timer)
      }
    }
  }
}

async function online(address, on) {
  const res = await fetch(hookURL, { method: 'POST', body: JSON.stringify({ address, online: on }) })
  assert.equal(res.status, 204)
}

async function main() {
  const [A, B, C] = await Promise.all(keys.map(identityOf))

  // Refused first frames close the socket with 3003.
  assert.equal(await closedWith('not json'), 3003)
  assert.equal(await closedWith(authFrame(A.identity, {}, '/other')), 3003)
  assert.equal(await closedWith(authFrame(A.identity, { signer: 'decentraland-kernel-scene', sceneId: 'x', parcel: '0,0' })), 3003)

  const a = await connect(A)
  const b = await connect(B)
  const c = await connect(C)

  const bFriendship = subscription(b.rpc.subscribeToFriendshipUpdates({}))
  const aFriendship = subscription(a.rpc.subscribeToFriendshipUpdates({}))
  const bConnectivity = subscription(b.rpc.subscribeToFriendConnectivityUpdates({}))
  const bBlocks = subscription(b.rpc.subscribeToBlockUpdates({}))
  // A call answered after the subscriptions were sent means the server
  // has them (it opens streams in the order their requests arrive).
  await Promise.all([a.rpc.getFriends({}), b.rpc.getFriends({})])

  // A asks B.
  const requested = await a.rpc.upsertFriendship({ action: { $case: 'request', request: { user: { address: B.address }, message: 'hello' } } })
  assert.equal(requested.response?.$case, 'accepted', JSON.stringify(requested))
  assert.equal(requested.response.accepted.friend.address, B.address)
  const upd = await bFriendship.next("B's friendship request")
  assert.equal(upd.update?.$case, 'request')
  assert.equal(upd.update.request.friend.address, A.address)
  assert.equal(upd.update.request.message, 'hello')

  const pending = await b.rpc.getPendingFriendshipRequests({ pagination: { limit: 10, offset: 0 } })
  assert.equal(pending.response?.$case, 'requests')
  assert.deepEqual(pending.response.requests.requests.map((r) => r.friend.address), [A.address])
  const sent = await a.rpc.getSentFriendshipRequests({})
  assert.deepEqual(sent.response.requests.requests.map((r) => r.friend.address), [B.address])
  assert.equal((await b.rpc.getFriendshipStatus({ user: { address: A.address } })).response.accepted.status, FriendshipStatus.REQUEST_RECEIVED)

  // A third user sees neither request.
  const cPending = await c.rpc.getPendingFriendshipRequests({})
  assert.equal(cPending.response.requests.requests.length, 0)
  assert.equal(cPending.paginationData.total, 0)
  assert.equal((await c.rpc.getSentFriendshipRequests({})).response.requests.requests.length, 0)
  // Nor may B accept twice, nor A accept their own request.
  const own = await a.rpc.upsertFriendship({ action: { $case: 'accept', accept: { user: { address: B.address } } } })
  assert.equal(own.response?.$case, 'invalidFriendshipAction')

  // B accepts: A hears it.
  const accepted = await b.rpc.upsertFriendship({ action: { $case: 'accept', accept: { user: { address: A.address } } } })
  assert.equal(accepted.response?.$case, 'accepted', JSON.stringify(accepted))
  const acc = await aFriendship.next("A's accept update")
  assert.equal(acc.update?.$case, 'accept')
  assert.equal(acc.update.accept.user.address, B.address)
  assert.deepEqual((await a.rpc.getFriends({})).friends.map((f) => f.address), [B.address])
  assert.deepEqual((await b.rpc.getFriends({})).friends.map((f) => f.address), [A.address])
  assert.equal((await a.rpc.getFriendshipStatus({ user: { address: B.address } })).response.accepted.status, FriendshipStatus.ACCEPTED)

  // A comes to comms and goes: B sees it.
  await online(A.address, true)
  let conn = await bConnectivity.next('A online')
  assert.equal(conn.friend.address, A.address)
  assert.equal(conn.status, ConnectivityStatus.ONLINE)
  await online(A.address, false)
  conn = await bConnectivity.next('A offline')
  assert.equal(conn.friend.address, A.address)
  assert.equal(conn.status, ConnectivityStatus.OFFLINE)

  // A blocks B: B hears both updates; B may not ask A any more.
  const blocked = await a.rpc.blockUser({ user: { address: B.address } })
  assert.equal(blocked.response?.$case, 'ok', JSON.stringify(blocked))
  assert.equal(blocked.response.ok.profile.address, B.address)
  const blockUpd = await bBlocks.next('the block update')
  assert.equal(blockUpd.address, A.address)
  assert.equal(blockUpd.isBlocked, true)
  const fBlock = await bFriendship.next('the block friendship update')
  assert.equal(fBlock.update?.$case, 'block')
  assert.equal((await a.rpc.getFriendshipStatus({ user: { address: B.address } })).response.accepted.status, FriendshipStatus.BLOCKED)
  assert.equal((await b.rpc.getFriendshipStatus({ user: { address: A.address } })).response.accepted.status, FriendshipStatus.BLOCKED_BY)
  assert.deepEqual((await b.rpc.getBlockingStatus({})).blockedByUsers, [A.address])
  assert.deepEqual((await a.rpc.getBlockedUsers({})).profiles.map((p) => p.address), [B.address])
  assert.equal((await a.rpc.getFriends({})).friends.length, 0)
  const refused = await b.rpc.upsertFriendship({ action: { $case: 'request', request: { user: { address: A.address } } } })
  assert.equal(refused.response?.$case, 'invalidFriendshipAction')

  // A unblocks B.
  const unblocked = await a.rpc.unblockUser({ user: { address: B.address } })
  assert.equal(unblocked.response?.$case, 'ok')
  const unblockUpd = await bBlocks.next('the unblock update')
  assert.equal(unblockUpd.isBlocked, false)
  assert.equal((await a.rpc.getBlockedUsers({})).profiles.length, 0)
  assert.equal((await a.rpc.getFriendshipStatus({ user: { address: B.address } })).response.accepted.status, FriendshipStatus.DELETED)

  // Settings, and what this node does not have.
  const set = await a.rpc.upsertSocialSettings({ privateMessagesPrivacy: 1 })
  assert.equal(set.response?.$case, 'ok')
  assert.equal((await a.rpc.getSocialSettings({})).response.ok.settings.privateMessagesPrivacy, 1)
  const pm = await b.rpc.getPrivateMessagesSettings({ user: [{ address: A.address }] })
  assert.equal(pm.response.ok.settings[0].privateMessagesPrivacy, 1)
  const voice = await a.rpc.startPrivateVoiceChat({ callee: { address: B.address } })
  assert.equal(voice.response?.$case, 'invalidRequest')

  for (const u of [a, b, c]) u.ws.close()
}

main().then(
  () => { console.log('social: 1 passed, 0 failed'); process.exit(0) },
  (err) => { console.error(err); console.log('social: 0 passed, 1 failed'); process.exit(1) }
)
