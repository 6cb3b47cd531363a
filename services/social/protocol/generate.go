// Package protocol holds the Go code generated from the .proto files the
// social service speaks: @dcl/protocol's decentraland.social_service.v2
// (socialpb, with the errors and the common colors it imports) and
// @dcl/rpc's transport messages (rpcpb: RpcMessageHeader, Request,
// Response, StreamMessage, CreatePort, RequestModule, …), both from the
// npm packages pinned in testdata/js/package.json. Regenerate with
// `go generate ./services/social/protocol/` after `npm ci` in testdata/js
// (needs protoc and protoc-gen-go v1.36.12).
package protocol

//go:generate sh gen.sh
