// Sample entity metadata shared by the vector generator and the interop
// script: one valid document per entity type.
'use strict'
const color = { r: 0.5, g: 0.3, b: 0.2, a: 1 }

function profile(address, name = 'tester') {
  return {
    avatars: [{
      hasClaimedName: false,
      name,
      description: 'a test profile',
      ethAddress: address,
      version: 1,
      tutorialStep: 0,
      userId: address,
      avatar: {
        bodyShape: 'urn:decentraland:off-chain:base-avatars:BaseMale',
        eyes: { color },
        hair: { color },
        skin: { color },
        wearables: ['urn:decentraland:off-chain:base-avatars:eyebrows_00', 'urn:decentraland:off-chain:base-avatars:casual_hair_01'],
        emotes: [{ slot: 0, urn: 'wave' }],
      },
    }],
  }
}

function scene(parcels) {
  return {
    main: 'bin/index.js',
    scene: { base: parcels[0], parcels },
    display: { title: 'test scene' },
    runtimeVersion: '7',
  }
}

const representation = { bodyShapes: ['urn:decentraland:off-chain:base-avatars:BaseMale'], mainFile: 'model.glb', contents: ['model.glb'], overrideHides: [], overrideReplaces: [] }
const wearable = {
  id: 'urn:decentraland:matic:collections-v2:0x1111111111111111111111111111111111111111:0',
  name: 'hat', description: 'a hat', i18n: [{ code: 'en', text: 'hat' }], thumbnail: 'thumbnail.png', image: 'image.png',
  collectionAddress: '0x1111111111111111111111111111111111111111', rarity: 'common',
  data: { replaces: [], hides: [], tags: [], representations: [representation], category: 'hat' },
}
const emote = {
  id: 'urn:decentraland:matic:collections-v2:0x2222222222222222222222222222222222222222:0',
  name: 'dance', description: 'a dance', i18n: [{ code: 'en', text: 'dance' }], thumbnail: 'thumbnail.png', image: 'image.png',
  collectionAddress: '0x2222222222222222222222222222222222222222', rarity: 'common',
  emoteDataADR74: { category: 'dance', tags: [], loop: false, representations: [representation] },
}
function store(address) {
  return { id: 'urn:decentraland:off-chain:marketplace-stores:' + address, description: 'my store', owner: address, version: 1, links: [{ name: 'site', url: 'https://example.org' }], images: [] }
}
function outfits() {
  return { outfits: [{ slot: 0, outfit: { bodyShape: 'urn:decentraland:off-chain:base-avatars:BaseMale', eyes: { color }, hair: { color }, skin: { color }, wearables: [] } }], namesForExtraSlots: [] }
}
module.exports = { profile, scene, wearable, emote, store, outfits }
