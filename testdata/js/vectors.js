// Produces the golden vectors under testdata/ with the real @dcl/hashing and
// @dcl/crypto. Run: (cd testdata/js && npm ci && node vectors.js)
// The Go tests regenerate the same inputs (see the `fill` rule below) and
// compare their results with what these libraries computed.
'use strict'
const fs = require('fs')
const path = require('path')
const { hashV0, hashV1 } = require('@dcl/hashing')
const { Authenticator } = require('@dcl/crypto')
const { computeAddress } = require('@dcl/crypto/dist/crypto')
const { secp256k1 } = require('ethereum-cryptography/secp256k1')
const { bytesToHex } = require('eth-connect')

// fill: byte i of a file of any size is (i*31 + 7) mod 256.
function fill(n) {
  const b = new Uint8Array(n)
  for (let i = 0; i < n; i++) b[i] = (i * 31 + 7) & 0xff
  return b
}


function identity(hexKey) {
  const pk = Uint8Array.from(Buffer.from(hexKey, 'hex'))
  const pub = secp256k1.getPublicKey(pk, false).slice(1)
  return { privateKey: bytesToHex(pk), publicKey: bytesToHex(pub), address: computeAddress(pub) }
}

async function hashing() {
  const sizes = [0, 1, 11, 262144, 262145, 300000, 5 * 1024 * 1024]
  const out = []
  for (const size of sizes) {
    const b = fill(size)
    out.push({ size, v1: await hashV1(b), v0: await hashV0(b) })
  }
  const text = Buffer.from('{"version":"v3","type":"profile","pointers":["0xabc"],"timestamp":1,"content":[],"metadata":{}}')
  out.push({ text: text.toString(), v1: await hashV1(text), v0: await hashV0(text) })
  return out
}

async function authChains() {
  const owner = identity('4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318')
  const eph = identity('8da4ef21b864d2cc526dbdb2a120bd2874c36c9d0a1fb7f8c63d7f7a8b41de8f')
  const other = identity('0123456789012345678901234567890123456789012345678901234567890123')
  const entityId = 'bafkreigv4q3ji6dgntwm4ecyilxtuxoscwxx4gs4wcrbqhp7isjd7eaxfi'
  const expiration = new Date(Date.UTC(2030, 0, 1))
  const ephMessage = Authenticator.getEphemeralMessage(eph.address, expiration)
  const ephLink = { type: 'ECDSA_EPHEMERAL', payload: ephMessage, signature: Authenticator.createSignature(owner, ephMessage) }
  const signer = { type: 'SIGNER', payload: owner.address, signature: '' }
  const entityLink = (id, who) => ({ type: 'ECDSA_SIGNED_ENTITY', payload: id, signature: Authenticator.createSignature(who, id) })
  const withV = (sig, v) => sig.slice(0, 130) + v
  const crlf = ephMessage.replace(/\n/g, '\r\n')
  const before = Date.UTC(2029, 0, 1)
  const after = Date.UTC(2031, 0, 1)

  const cases = [
    ['simple chain', [signer, entityLink(entityId, owner)], entityId, before],
    ['ephemeral chain', [signer, ephLink, entityLink(entityId, eph)], entityId, before],
    ['ephemeral expired at reference time', [signer, ephLink, entityLink(entityId, eph)], entityId, after],
    ['v as 0/1', [signer, { ...ephLink, signature: withV(ephLink.signature, ephLink.signature.slice(130) === '1b' ? '00' : '01') }, entityLink(entityId, eph)], entityId, before],
    ['lowercase signer address', [{ ...signer, payload: owner.address.toLowerCase() }, entityLink(entityId, owner)], entityId, before],
    ['signer is another address', [{ ...signer, payload: other.address }, entityLink(entityId, owner)], entityId, before],
    ['entity signed by another key', [signer, ephLink, entityLink(entityId, other)], entityId, before],
    ['final payload is another id', [signer, ephLink, entityLink(entityId, eph)], 'bafkreiaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', before],
    ['tampered signature', [signer, ephLink, { ...entityLink(entityId, eph), signature: entityLink(entityId, eph).signature.replace(/^0x(..)/, '0x00') }], entityId, before],
    ['ephemeral message with CRLF', [signer, { ...ephLink, payload: crlf, signature: Authenticator.createSignature(owner, crlf) }, entityLink(entityId, eph)], entityId, before],
    ['no links', [], entityId, before],
    ['signer only', [signer], entityId, before],
    ['signer not first', [ephLink, signer, entityLink(entityId, eph)], entityId, before],
    ['second signer', [signer, signer, entityLink(entityId, owner)], entityId, before],
    ['unknown link type', [signer, { ...entityLink(entityId, owner), type: 'SOMETHING' }], entityId, before],
    ['EIP-1654 link without a provider', [signer, { ...ephLink, type: 'ECDSA_EIP_1654_EPHEMERAL' }, entityLink(entityId, eph)], entityId, before],
    ['signature not hex', [signer, { ...entityLink(entityId, owner), signature: '0xzz' }], entityId, before],
  ]
  const out = []
  for (const [name, chain, payload, at] of cases) {
    let result
    try {
      result = await Authenticator.validateSignature(payload, chain, null, at)
    } catch (e) {
      result = { ok: false, message: String(e && e.message) }
    }
    out.push({ name, authChain: chain, finalPayload: payload, referenceTime: at, valid: !!result.ok, message: result.message || '' })
  }

  // Signed fetch (ADR-44): the chain signs [method, path, timestamp, metadata].join(':').toLowerCase().
  const identityChain = [signer, ephLink]
  const ts = Date.UTC(2029, 5, 1)
  const metadata = JSON.stringify({ intent: 'dcl:explorer:comms-handshake', signer: 'dcl:explorer', isGuest: false })
  const fetchPayload = ['POST', '/get-comms-adapter/island-1', String(ts), metadata].join(':').toLowerCase()
  const fetchChain = [...identityChain, entityLink(fetchPayload, eph)]
  const headers = { 'x-identity-timestamp': String(ts), 'x-identity-metadata': metadata }
  fetchChain.forEach((l, i) => (headers['x-identity-auth-chain-' + i] = JSON.stringify(l)))
  const fetchResult = await Authenticator.validateSignature(fetchPayload, fetchChain, null, ts)
  return {
    owner: owner.address,
    ephemeral: eph.address,
    cases: out,
    signedFetch: { method: 'POST', path: '/get-comms-adapter/island-1', timestamp: ts, metadata, headers, signer: owner.address, valid: fetchResult.ok },
  }
}

async function main() {
  const dir = path.join(__dirname, '..')
  fs.writeFileSync(path.join(dir, 'hashing-vectors.json'), JSON.stringify(await hashing(), null, 2) + '\n')
  fs.writeFileSync(path.join(dir, 'authchain-vectors.json'), JSON.stringify(await authChains(), null, 2) + '\n')
}
main().catch((e) => { console.error(e); process.exit(1) })
