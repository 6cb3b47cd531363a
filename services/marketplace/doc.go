// Package marketplace is decentraland/marketplace-server's read API under
// /marketplace (the routes of src/controllers/routes.ts below it): the
// catalog and the items (/v1/catalog, /v2/catalog, /v1/items), the NFTs
// (/v1/nfts), what a user holds as lamb2 reads it
// (/v1/users/:address/wearables|emotes[/urn-token|/grouped],
// /v1/users/:address/names[/names-only]), the collections, accounts,
// owners, sales, prices and trendings, in the original's shapes
// (@dcl/schemas Item, NFT, Sale; {data, total}; the user assets'
// {ok, data: {elements, page, pages, limit, total, totalItems?}}).
//
// Where the data comes from:
//
//   - The items are the node's own wearable and emote entities of
//     collections v1 and v2 (base avatars and third-party items are no
//     marketplace items), indexed in memory and kept in step with the
//     deployments on the bus. An item's name, description, category, body
//     shapes and rarity are its entity's; createdAt is the first entity's
//     timestamp the node saw, updatedAt the active one's.
//   - With a chain (Chain), the node's index says who holds which token
//     (users' assets, /v1/nfts, /v1/owners), who created a collection and
//     what its items' rarity and beneficiary are; and a loop reads, every
//     RefreshEvery, what only the collections' contracts know: an item's
//     price, supply and minters, a collection's name and approval. An item
//     is on sale when its collection is approved, the collection store may
//     mint it and supply is left, as the original's search_is_store_minter.
//   - Sales are the index's item-sold events (an Issue by the collection
//     store), recorded in the keyspace: type mint, priced at the item's
//     price. Accounts and trendings are computed from them.
//
// Differences from the original, and why:
//
//   - Orders, bids, trades and rentals are not indexed (the squid indexes
//     the marketplace contracts; the node's indexer does not): no NFT has
//     an order, listing prices are null, a filter on rentals, orders or
//     resale prices matches nothing, /v1/orders, /v1/bids and /v1/trades
//     are empty, GET /v1/trades/:id is 404 and POST /v1/trades is 501.
//     /v1/prices counts the primary-sale prices of items on sale only.
//   - The fiat gateways (POST /v1/wert/sign, /v1/transak/*) sign with the
//     foundation's keys: 501.
//   - The catalog lists the items this node holds the entity of; a token
//     of an item without one is still a user's asset (name "", the
//     original's defaults for category and rarity). Collections are those
//     of the node's items, approved ones only when the contract answered.
//   - Bad input is a 400 ({ok: false, message}) where the original drops
//     it silently: a parameter the route does not read, a number that is
//     not a whole non-negative number, an address that is not one, a value
//     outside its enum. Pages are cut at 1000 (lamb2's first=5000 is
//     answered with 1000, as the original's user assets do). The catalog's
//     errors are {ok, message} too (the original answers a bare string).
//   - /v1/nfts without an owner or a contract lists the category's
//     registry (LAND, Estate, the registrar) or the collections of the
//     node's items, at most 10,000 tokens a contract.
//   - Search is a case-insensitive substring of the name (the original
//     uses trigram similarity); trendings keep the original's 60/40 split
//     but order the picks by a hash of their ids, not a seeded shuffle.
//   - Times are milliseconds, except the user assets' transferredAt
//     (seconds, the squid's column); picks count 0 (no favorites here).
//
// In dev mode (no Chain) the lists come from the entities alone:
// ownership routes answer empty lists (no one is known to hold anything),
// prices are "0" and nothing is on sale.
//
// It never writes outside its keyspace, never reads another service's
// keys, and never calls a chain RPC while answering a request: the
// contracts are read by the refresh loop only.
package marketplace
