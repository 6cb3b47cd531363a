// Drives a node's auth server (/auth) with the real socket.io-client, as
// its two real clients connect: the desktop as unity-explorer does
// (WebSocket only, the namespace in the URL: io("<node>/auth")) and the
// browser as the auth dapp does (io(url), polling first) — here with the
// path below the prefix (io("<node>", {path: "/auth/socket.io"})).
// The sign-in (dcl_personal_sign) goes request → recover → validation →
// outcome over the sockets; a signed personal_sign request (a chain made
// by @dcl/crypto) is made over the socket and over HTTP, where it is
// answered and polled.
// Usage: node authserver.js http://127.0.0.1:PORT
'use strict'
const assert = require('assert/strict')
const { io } = require('socket.io-client')
const { Authenticator } = require('@dcl/crypto')
const { createUnsafeIdentity } = require('@dcl/crypto/dist/crypto')

const base = process.argv[2]
if (!base) throw new Error('usage: node authserver.js <node url>')

function connect(url, opts) {
  const socket = io(url, { reconnection: false, timeout: 10000, ...opts })
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket))
    socket.once('connect_error', (e) => reject(new Error('connect ' + url + ': ' + e.message)))
  })
}

function next(socket, event, ms = 10000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out waiting for ' + event)), ms)
    socket.once(event, (msg) => {
      clearTimeout(timer)
      resolve(msg)
    })
  })
}

async function main() {
  const desktop = await connect(base + '/auth', { transports: ['websocket'] })
  const browser = await connect(base, { path: '/auth/socket.io' })
  assert.equal(desktop.io.engine.transport.name, 'websocket')
  assert.equal(browser.io.engine.transport.name, 'polling')

  // The sign-in, over the sockets.
  const ephemeral = createUnsafeIdentity()
  const expiration = new Date(Date.now() + 60 * 60 * 1000)
  const message = Authenticator.getEphemeralMessage(ephemeral.address, expiration)
  const { requestId, expiration: exp, code } = await desktop.timeout(10000).emitWithAck('request', { method: 'dcl_personal_sign', params: [message] })
  assert.match(requestId, /^[0-9a-f-]{36}$/)
  assert.ok(code >= 0 && code <= 99)
  assert.ok(new Date(exp) > new Date())

  const recovered = await browser.timeout(10000).emitWithAck('recover', { requestId })
  assert.equal(recovered.method, 'dcl_personal_sign')
  assert.deepEqual(recovered.params, [message])
  assert.equal(recovered.code, code)

  const validation = next(desktop, 'request-validation-status')
  assert.deepEqual(await browser.timeout(10000).emitWithAck('request-validation-status', { requestId }), {})
  assert.equal((await validation).requestId, requestId)

  const wallet = createUnsafeIdentity()
  const signature = Authenticator.createSignature(wallet, message)
  const outcome = next(desktop, 'outcome')
  assert.deepEqual(await browser.timeout(10000).emitWithAck('outcome', { requestId, sender: wallet.address, result: signature }), {})
  const got = await outcome
  assert.deepEqual(got, { requestId, sender: wallet.address, result: signature })

  // The identity the desktop builds from it verifies.
  const authChain = [
    { type: 'SIGNER', payload: got.sender, signature: '' },
    { type: 'ECDSA_EPHEMERAL', payload: message, signature: got.result }
  ]
  assert.ok((await Authenticator.validateSignature(ephemeral.address, authChain, null)).ok)

  // Delivered once.
  const again = await browser.timeout(10000).emitWithAck('recover', { requestId })
  assert.match(again.error, /has already been fulfilled/)
  assert.equal((await fetch(base + '/auth/requests/' + requestId)).status, 410)

  // A signed request (the desktop's identity) over the socket: the browser
  // sees its sender.
  const identity = await Authenticator.initializeAuthChain(wallet.address, ephemeral, 60, async (m) => Authenticator.createSignature(wallet, m))
  const overSocket = await desktop.timeout(10000).emitWithAck('request', { method: 'personal_sign', params: ['hello', wallet.address], authChain: identity.authChain })
  assert.equal((await browser.timeout(10000).emitWithAck('recover', { requestId: overSocket.requestId })).sender, wallet.address.toLowerCase())
  desktop.close()

  // The same over HTTP, answered over HTTP and polled.
  const posted = await fetch(base + '/auth/requests', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ method: 'personal_sign', params: ['hello', wallet.address], authChain: identity.authChain })
  })
  assert.equal(posted.status, 201)
  const signed = await posted.json()
  const view = await (await fetch(base + '/auth/v2/requests/' + signed.requestId)).json()
  assert.equal(view.sender, wallet.address.toLowerCase())
  assert.equal((await fetch(base + '/auth/requests/' + signed.requestId)).status, 204)
  const res = await fetch(base + '/auth/v2/requests/' + signed.requestId + '/outcome', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ sender: view.sender, result: '0xsig' })
  })
  assert.equal(res.status, 200)
  const polled = await fetch(base + '/auth/requests/' + signed.requestId)
  assert.equal(polled.status, 200)
  assert.deepEqual(await polled.json(), { requestId: signed.requestId, sender: view.sender, result: '0xsig' })
  assert.equal((await fetch(base + '/auth/requests/' + signed.requestId)).status, 410)

  // Bad input is refused in the ack.
  const bad = await browser.timeout(10000).emitWithAck('request', { method: 'personal_sign', params: [] })
  assert.match(bad.error, /Auth chain is required/)

  browser.close()
}

main().then(
  () => {
    console.log('authserver: 1 passed, 0 failed')
    process.exit(0)
  },
  (e) => {
    console.error(e)
    console.log('authserver: 0 passed, 1 failed')
    process.exit(1)
  }
)
