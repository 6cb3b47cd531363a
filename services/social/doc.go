// Package social is decentraland/social-service-ea under /social: the
// @dcl/rpc WebSocket at /social/ws speaking
// decentraland.social_service.v2.SocialService (friends, friendship
// requests, blocks, social settings, their subscriptions and friends'
// connectivity) and the communities API at /social/v1/communities (
// members, roles, bans, invites and requests to join, places, posts).
// Its state is its own keyspace ("social"); its events go on the node's
// bus (SOCIAL_SERVICE friendship-request/accepted, COMMUNITY …) for the
// notifications inbox. It never reads another service's keys.
//
// The socket: the first frame is the JSON of the signed-fetch headers of
// GET / (verified as verify('get', '/', headers), 5 minutes, the scene
// signer refused; a failure closes with 3003, no frame within
// Limits.AuthTimeout with 3004); then binary @dcl/rpc frames, served by
// the rpc subpackage (no Go library implements @dcl/rpc) within bounds:
// frame size, ports, calls in flight, streams, messages per second,
// connections in all and per IP address.
//
// Friend connectivity comes from the node's comms: the node calls
// Connected and Disconnected (or SetOnline with who is connected) and
// Config.Online may answer who is connected now.
//
// Differences from the original, and why:
//   - Creating a community needs a NAME in the original (chain data). A
//     node without name data lets any signed user who is not a scene
//     create one (Config.OwnsName restores the rule where names are
//     known). Place ownership is Config.PlaceOwner's (nil: any place id).
//   - Voice chats (private and community) are not built: this node has
//     no comms-gatekeeper voice rooms. Their procedures answer their
//     response's invalid_request (else internal_server_error) case, and
//     their subscriptions (and the community member connectivity one)
//     stay open without updates.
//   - Profiles are the active profile entities on this node (the
//     original asks lamb2); friends, requests and mutual friends list only
//     users with one; pictures are rendered as lambdas renders them.
//   - A friendship action is refused before anything is written when a
//     request or accept names a user without a profile (the original
//     writes and then fails); a friendship keeps only its last action,
//     which is all the original ever reads of friendship_actions.
//   - Users are bounded (friends, pending requests sent and received,
//     blocks, communities owned and joined, a community's members,
//     places, posts and pending requests), with 400/limit answers.
//   - Joining a private community directly is refused (a request to join
//     is the way in); editors' choice and deleting someone else's
//     community take the admin token (the original's global moderators).
//   - Thumbnails are kept in the keyspace and served at
//     /social/v1/communities/:id/raw-thumbnail.png (the original's CDN
//     key communities/<id>/raw-thumbnail.png); PNG or JPEG, 1–500 KiB.
//   - Redis/NATS pub/sub is this process: an update for a subscriber
//     whose queue (256) is full is dropped and counted.
package social
