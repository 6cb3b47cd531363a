// Package authserver is decentraland/auth-server's wallet relay under
// /auth: the desktop explorer (which has no wallet) registers a request
// — a wallet method and its params — and the browser, where the user's
// wallet is, recovers it, runs it and posts the outcome back; the desktop
// gets the outcome over its Socket.IO socket or by polling. The sign-in
// is the request dcl_personal_sign (a personal_sign of the ephemeral key's
// message, by whichever wallet the browser has). POST /identities keeps a
// whole AuthIdentity for one pick-up (deep-link and mobile log-in).
//
// It must never deliver an outcome twice, serve a request or an identity
// past its expiration, serve an identity to a second reader, keep a record
// beyond its bounds, or write an identity (it holds an ephemeral private
// key) anywhere but memory.
//
// Routes (the original's src/controllers/routes.ts and
// src/controllers/handlers/requests.ts, identities.ts; read at 911ffb2,
// the version SERVICES.md §7 describes):
//
//	POST /auth/requests {method, params[], authChain?} → 201 {requestId, expiration, code}
//	GET  /auth/v2/requests/:id → {expiration, code, method, params, sender?}
//	POST /auth/v2/requests/:id/validation → 204; GET → {requiresValidation}
//	POST /auth/v2/requests/:id/outcome {sender, result | error:{code, message, data?}} → 200
//	GET  /auth/requests/:id → 204 while pending, 200 {requestId, sender, result|error} once
//	POST /auth/identities {identity, isMobile?} (signed fetch) → 201 {identityId, expiration}
//	GET  /auth/identities/:id → {identity} once
//	GET  /auth/health/live → {timestamp}; GET /auth/health/ready → OK
//
// Unknown id → 404 `Request with id "…" not found`; fulfilled → 410 `…has
// already been fulfilled`; expired → 410 `…has expired` (and the record
// goes: 404 after); a second outcome → 400 `…already has a response`.
// Requests live REQUEST_EXPIRATION_IN_SECONDS (300 s), dcl_personal_sign
// DCL_PERSONAL_SIGN_REQUEST_EXPIRATION_IN_SECONDS (600 s), identities an
// hour; a sweep (Start) drops what expired every 30 s, and every lookup
// checks expiry itself. The auth chain of a request other than
// dcl_personal_sign is verified as the original's validateAuthChain does:
// the chain must delegate from its signer to its ephemeral address (the
// "Ephemeral address:" of its ephemeral link), unexpired now; the signer,
// lower-cased, is the request's sender.
//
// Socket.IO (src/logic/socket-server): events "request", "recover",
// "outcome" and "request-validation-status" take the same messages as the
// HTTP routes (recover and validation {requestId}, outcome {requestId,
// sender, result|error}) and acknowledge with the same bodies, or
// {error}. A socket has one request at a time: a new one replaces the
// last (the original's storage). An outcome for a request whose socket is
// connected is emitted to it as "outcome" (and the request is then
// fulfilled); otherwise it waits for GET /auth/requests/:id. The first
// validation notice emits "request-validation-status" {requestId, code}.
//
// How a client connects. Socket.IO reads a URL's path as a namespace, so
// both of these work:
//
//	io("https://node/auth")                          // path /socket.io/, namespace "/auth"
//	io("https://node", {path: "/auth/socket.io"})    // path /auth/socket.io/, namespace "/"
//
// unity-explorer (SocketIOClient, WebSocket transport) is given the
// auth API URL "<node>/auth" and takes the first form; the auth dapp
// (socket.io-client, io(AUTH_SERVER_URL), polling first) either. Both
// namespaces are served on both paths. Routes therefore mounts
// /socket.io/ at the node's root as well as below /auth.
//
// Socket.IO is spoken here (socketio.go: Engine.IO v4 and Socket.IO v5
// over github.com/gorilla/websocket, already a dependency) rather than by
// github.com/zishang520/socket.io/servers/socket/v3: that port of the
// Node server brings its own global, environment-driven loggers, a
// WebTransport stack, brotli and msgpack, an untyped event-emitter API,
// and goroutines this node's guard cannot recover or bound; the relay
// needs four JSON events with acks on two namespaces. What is spoken: the
// websocket and polling transports (a polling session is offered no
// upgrade, so it keeps polling), text packets only (binary is refused),
// server pings every 25 s with a 20 s timeout, at most 32 KiB a packet or
// poll body, a send queue of 64 packets per session (a client that falls
// behind is disconnected), 4096 sessions and 64 per client address.
//
// Storage: the original keeps requests and identities in a cache (Redis,
// or an in-memory cache when REDIS_HOST is unset) with a TTL equal to
// their expiration: nothing outlives minutes, and nothing is durable. So
// does this service, in memory: a restart loses pending requests, which
// the original's in-memory default does too, and an identity's private
// key never reaches the disk. Postgres in the original holds onboarding
// data only (not served here).
//
// What differs from the original, and why:
//
//   - Bounds: at most 10,000 requests (fulfilled markers included) and 32
//     per client address; 10,000 identities (tombstones included) and 32
//     per address. A full store answers 429 (ack {error}) and keeps
//     nothing. The original has no such caps (Redis grows); a node's memory
//     is the operator's. Bodies and socket payloads are at most 16 KiB
//     (the original's MAX_BODY_SIZE).
//   - Validation errors are sentences in ajv's words ("request/params must
//     be array"), not ajv's JSON error arrays.
//   - The pairing code comes from crypto/rand (911ffb2 used Math.random;
//     upstream later moved to crypto's randomInt).
//   - POST /v2/requests/:id/validation persists requiresValidation (at
//     911ffb2 it was lost with the copy the storage returned; upstream
//     fixed it later). Both transports emit {requestId, code}.
//   - The identity IP binding uses the TCP peer's address (Config.ClientIP
//     may read a trusted proxy header); the original reads CF-Connecting-IP,
//     True-Client-IP, X-Real-IP or X-Forwarded-For, which any client can
//     set when no proxy strips them. Tombstones ("consumed", "expired",
//     "ip_mismatch") last an hour.
//   - Upstream has since moved on (245430a and later): polling became
//     non-consuming, outcomes are signed by the browser, dcl_personal_sign
//     was withdrawn in favour of /identities, and DELETE /accounts,
//     /simulations and /onboarding/* appeared. This package follows the
//     contract at 911ffb2; those are not served (Magic, Tenderly and
//     SendGrid need keys a node does not have).
package authserver
