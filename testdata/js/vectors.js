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

// Metadata documents and whether @dcl/schemas accepts them.
function metadata() {
  const s = require('@dcl/schemas')
  const m = require('./samples')
  const a = '0x14791697260e4c9a71f18484c9f997b308e59325'
  const clone = (o) => JSON.parse(JSON.stringify(o))
  const edit = (o, f) => { const c = clone(o); f(c); return c }
  const cases = [
    ['profile', 'valid', m.profile(a)],
    ['profile', 'no avatars', {}],
    ['profile', 'name is a number', edit(m.profile(a), (p) => (p.avatars[0].name = 7))],
    ['profile', 'snapshots null', edit(m.profile(a), (p) => (p.avatars[0].avatar.snapshots = null))],
    ['profile', 'no hasClaimedName', edit(m.profile(a), (p) => delete p.avatars[0].hasClaimedName)],
    ['profile', 'description too long', edit(m.profile(a), (p) => (p.avatars[0].description = 'x'.repeat(10001)))],
    ['profile', 'no body shape', edit(m.profile(a), (p) => delete p.avatars[0].avatar.bodyShape)],
    ['profile', 'extra top-level field', edit(m.profile(a), (p) => (p.extra = true))],
    ['scene', 'valid', m.scene(['0,0', '0,1'])],
    ['scene', 'no main', edit(m.scene(['0,0']), (p) => delete p.main)],
    ['scene', 'no parcels', edit(m.scene(['0,0']), (p) => (p.scene.parcels = []))],
    ['scene', 'bad base', edit(m.scene(['0,0']), (p) => (p.scene.base = 'a,b'))],
    ['scene', 'no scene', edit(m.scene(['0,0']), (p) => delete p.scene)],
    ['wearable', 'valid', m.wearable],
    ['wearable', 'bad rarity', edit(m.wearable, (p) => (p.rarity = 'shiny'))],
    ['wearable', 'no representations', edit(m.wearable, (p) => (p.data.representations = []))],
    ['wearable', 'no i18n', edit(m.wearable, (p) => (p.i18n = []))],
    ['wearable', 'bad category', edit(m.wearable, (p) => (p.data.category = 'cape'))],
    ['wearable', 'base avatar', { id: 'urn:decentraland:off-chain:base-avatars:hat_01', name: 'hat', description: '', i18n: [{ code: 'en', text: 'hat' }], thumbnail: 't.png', image: 'i.png', data: m.wearable.data }],
    ['emote', 'valid', m.emote],
    ['emote', 'no emote data', edit(m.emote, (p) => delete p.emoteDataADR74)],
    ['emote', 'loop not boolean', edit(m.emote, (p) => (p.emoteDataADR74.loop = 'yes'))],
    ['store', 'valid', m.store(a)],
    ['store', 'no owner', edit(m.store(a), (p) => delete p.owner)],
    ['store', 'links not array', edit(m.store(a), (p) => (p.links = 'x'))],
    ['outfits', 'valid', m.outfits()],
    ['outfits', 'outfits not array', { outfits: {} }],
    ['outfits', 'slot not number', edit(m.outfits(), (p) => (p.outfits[0].slot = 'one'))],
  ]
  const ns = { profile: s.Profile, scene: s.Scene, wearable: s.Wearable, emote: s.Emote, store: s.Store, outfits: s.Outfits }
  return cases.map(([type, name, doc]) => ({ type, name, metadata: doc, valid: ns[type].validate(doc) }))
}

async function main() {
  const dir = path.join(__dirname, '..')
  fs.writeFileSync(path.join(dir, 'hashing-vectors.json'), JSON.stringify(await hashing(), null, 2) + '\n')
  fs.writeFileSync(path.join(dir, 'metadata-vectors.json'), JSON.stringify(metadata(), null, 1) + '\n')
  fs.writeFileSync(path.join(dir, 'authchain-vectors.json'), JSON.stringify(await authChains(), null, 2) + '\n')
}
main().catch((e) => { console.error(e); process.exit(1) })
