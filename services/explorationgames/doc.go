// Package explorationgames is decentraland/exploration-games' API under
// /exploration-games: mini-games placed on parcels, missions made of
// challenges over those games, the progress scenes report for their
// players (with leaderboards), and, when a player has completed every
// challenge of a mission, a request for the mission's reward.
//
// It must never take progress a scene did not sign: the player routes
// are signed fetch whose metadata.signer is "decentraland-kernel-scene",
// progress must come from one of the game's parcels (metadata.parcel),
// and nothing is stored on a refusal.
//
// What differs from the original (src/controllers/routes.ts and its
// handlers, read at c97bca0), and why:
//
//   - Admin routes take the node's admin token (Authorization: Bearer)
//     instead of a scene-signed fetch by an address of the ADMINS list: a
//     node has one operator, and a "scene" signature is only metadata any
//     wallet can write. POST /api/multiplayer/progress, guarded by the
//     MULTIPLAYER_KEY bearer in the original, takes the same token.
//   - A game may have more parcels than its base (x,y): POST/PATCH games
//     take an optional "parcels" list, answered as "parcels"; "parcel"
//     stays the base. Progress is taken from any of them.
//   - Rewards: the original POSTs ${REWARD_SERVER_URL}/rewards
//     {campaign_key, beneficiary} when a mission completes. Here the
//     completion publishes the bus event exploration-games/reward-requested
//     (EventType, SubTypeReward) with that metadata, keyed by the user
//     mission so it is published once; when Config.RewardsURL is set, a bus
//     consumer POSTs it to RewardsURL+"/rewards" off the request path (10 s
//     timeout, 3 attempts; the queue is the bus's durable, bounded log,
//     so requests published before a URL was configured are sent once it
//     is, and a restart resends what a stop interrupted).
//     Each completed challenge is an exploration-games/challenge-completed
//     event too (the original has no platform events).
//   - Scene signatures: refused with 401 (the original answers 400
//     {ok:false,message} from @dcl/crypto-middleware). A body is bound to
//     its signature by metadata.hashPayload (sha256 of JSON.stringify(body)
//     or of the raw body) when the scene sends one; the original now
//     requires it, but the node's scene metadata (CONTRACTS.md) does not
//     carry it. Metadata keys that only differ in case from signer, parcel
//     or hashPayload are refused, as the original's canonicalMetadataKeys.
//     The "visit" exception (progress from outside the game's parcel) and
//     the realm presence check (validateUserInDCL, disabled upstream) are
//     not reproduced: progress from outside the game is always refused.
//   - Bodies: types are strict (a number is a JSON number; Joi would
//     convert "1"), levels and coordinates are integers, score/time/moves
//     are bounded by the original's INT columns, data is an object of at
//     most MaxDataBytes bytes of compact JSON, and a progress's user_name
//     is optional (the original requires it). Every body is bounded.
//     Each post is a record, as in the original, but only the latest
//     MaxProgressPerUser records of a player in a game are kept.
//   - Leaderboard and progress lists put missing values last in both
//     directions (Postgres puts NULLs first when descending).
//   - A mission a player completed cannot be started again (the original
//     fails on its unique index); a deactivated mission cannot be started.
//     A user mission that lapses or is switched away from is deleted
//     rather than flagged inactive (nothing reads inactive ones).
//   - Errors are @dcl/http-commons' {error, message}: 400 "Bad request"
//     with the reason, 401 "Unauthorized", 404 "Not Found".
//   - Unknown ids answer 404 where the original answers 200 with nothing
//     or fails; timestamps (updated_at, start_time, end_time,
//     completed_at) are milliseconds as strings, as Postgres bigints reach
//     the original's clients.
package explorationgames
