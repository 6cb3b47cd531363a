// Package credits is the credits server's API under /credits, as the
// clients use it (decentraland-dapps src/modules/credits CreditsClient.ts
// and types.ts; unity-explorer MarketplaceCreditsAPIClient.cs and its
// response types): a user's credits and their live stream, the season,
// the program's registration and progress, and the weekly claim's
// captcha.
//
// The credits program is Decentraland's: weekly goals paid in credits
// that are EIP-712 signatures of a foundation key, redeemed by the
// CreditsManagerPolygon contract. A node has neither the key nor the
// funds, so by default it answers the honest stand-in: the real routes
// and shapes, with no credits ({credits: [], totalCredits: 0}), a paused
// season ({id: 0, week: 0, isPaused: true}), no goals, claiming blocked,
// so that the clients degrade cleanly. It must never answer credits it
// cannot back. With Config.Upstream set it forwards every route to a
// real credits server instead (bounded bodies, timeouts, a bounded
// number of streams).
//
// There is no public source of the credits server; what differs from it
// as far as its clients show:
//
//   - GET /users/:address/credits/stream sends the empty state once as a
//     Server-Sent Event, then keep-alive comments; a stream ends after
//     Config.StreamLifetime (the clients reconnect), at most
//     Config.MaxStreams at once and MaxStreamsPerUser per address.
//   - GET /seasons answers seasons whose state is "NO_DATA" (the client's
//     own word for a season it has no data of) and whose dates are empty.
//   - POST /users (signed) records that the signer started the program
//     ({ok: true, isRegistered: true}); GET /users/:address/progress
//     (signed by that address) reports it in user.hasStartedProgram, with
//     no email (the email lives in the notifications service), 0 credits
//     available, claiming blocked and no goals.
//   - GET /captcha (signed) is a blank PNG; POST /captcha {x} (signed)
//     answers {ok: false, credits_granted: 0, isBlockedForClaiming: true}.
//   - Proxied signed fetches carry the signature of the path as the
//     client requested it from the node (/credits/…); an upstream that
//     checks the signature against its own path (without /credits)
//     refuses them unless it is mounted under the same prefix.
package credits
