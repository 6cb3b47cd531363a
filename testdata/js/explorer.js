// An explorer's comms client built on the real packages: @dcl/protocol's
// archipelago messages and an @dcl/crypto identity. It does the signed
// challenge handshake against a node, sends heartbeats at a position and
// prints every island_changed as one JSON line (the conn_str inside is
// what the explorer then joins with livekit-client). It runs until killed.
//
//   node explorer.js ws://127.0.0.1:6969/archipelago/ws <x> <z>
const WebSocket = require('ws')
const { Authenticator } = require('@dcl/crypto')
const { createUnsafeIdentity } = require('@dcl/crypto/dist/crypto')
const { ClientPacket, ServerPacket } = require('@dcl/protocol/out-js/decentraland/kernel/comms/v3/archipelago.gen')

const [url, x, z] = process.argv.slice(2)
if (!url) throw new Error('usage: node explorer.js <archipelago ws url> <x> <z>')

async function main() {
  const owner = createUnsafeIdentity()
  const ephemeral = createUnsafeIdentity()
  const identity = await Authenticator.initializeAuthChain(owner.address, ephemeral, 10, async (msg) => Authenticator.createSignature(owner, msg))
  const address = owner.address.toLowerCase()
  const ws = new WebSocket(url, 'archipelago')
  ws.binaryType = 'arraybuffer'
  const send = (message) => ws.send(ClientPacket.encode({ message }).finish())
  ws.on('open', () => send({ $case: 'challengeRequest', challengeRequest: { address: owner.address } }))
  ws.on('close', (code, reason) => {
    console.error(`closed ${code} ${reason}`)
    process.exit(1)
  })
  ws.on('message', (data) => {
    const { message } = ServerPacket.decode(new Uint8Array(data))
    switch (message && message.$case) {
      case 'challengeResponse': {
        const authChain = Authenticator.signPayload(identity, message.challengeResponse.challengeToSign)
        send({ $case: 'signedChallenge', signedChallenge: { authChainJson: JSON.stringify(authChain) } })
        break
      }
      case 'welcome': {
        if (message.welcome.peerId !== address) throw new Error(`welcomed as ${message.welcome.peerId}`)
        const beat = () => send({ $case: 'heartbeat', heartbeat: { position: { x: Number(x), y: 0, z: Number(z) } } })
        beat()
        setInterval(beat, 1000)
        break
      }
      case 'islandChanged': {
        const { islandId, connStr, peers } = message.islandChanged
        console.log(JSON.stringify({ address, islandId, connStr, peers: Object.keys(peers) }))
        break
      }
    }
  })
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
