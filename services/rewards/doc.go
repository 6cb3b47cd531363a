// Package rewards is the rewards service's API under /rewards/api, as
// decentraland/documentation content/creator/rewards/api.md and
// integrations.md describe it: POST /rewards/api/rewards assigns a
// campaign's wearable or emote to a beneficiary, GET
// /rewards/api/rewards/:id follows one, GET|POST /rewards/api/captcha
// makes a captcha for dispensers that ask for one. It also records the
// rewards the exploration games request on the bus
// (exploration-games/reward-requested).
//
// Minting is Decentraland's: the wallet that pays the gas and the
// campaigns' stock belong to the foundation. A node has no campaigns to
// configure (CONTRACTS.md), so it records an assignment for any
// campaign_key with status "delayed", publishes the @dcl/schemas
// rewards/reward-delayed event, and must never claim that anything was
// minted: transaction_hash stays null.
//
// There is no public source of the rewards server; what differs from the
// documented behaviour, and why:
//
//   - An assignment has the documented shape {id, user, campaign_id,
//     campaign_key, status, chain_id: 137, airdrop_type:
//     "CollectionV2IssueToken", target, value, group, priority,
//     transaction_id, transaction_hash, token, image, assigned_at,
//     created_at, updated_at}. The node knows no campaign's collection:
//     target is the zero address, token and image are "". campaign_id is
//     derived from the campaign_key, so one key is one campaign.
//   - Every dispenser acts as one with the "Assign only 1 reward" flag: a
//     second request for the same campaign and beneficiary answers the
//     first assignment (nothing is minted, so a second one would only
//     grow the store). A beneficiary has at most MaxPerBeneficiary
//     assignments and the node at most MaxAssignments.
//   - A signed fetch is checked when it is there (the "Beneficiary
//     signature" flag): the signer, a scene's runtime included, must be
//     the beneficiary. Without one the request is taken as the
//     documentation's server-side integration.
//   - A captcha is checked when captcha_id is given: six digits drawn on
//     a 300×100 PNG, valid for five minutes, used once (a wrong answer
//     spends it too). The "connected to Decentraland" and position flags
//     (catalyst) are not checked: there are no campaigns to set them.
//   - GET /rewards/api/rewards/:id answers {ok, data: assignment}. The
//     documentation lists no query of a beneficiary's assignments, so
//     there is none.
//   - An exploration-games/reward-requested event {campaign_key,
//     beneficiary, missionId, userMissionId, missionType} is recorded
//     once per event key (the same rule for its campaign and beneficiary
//     applies).
package rewards
