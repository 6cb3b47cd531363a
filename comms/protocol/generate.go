// Package protocol holds the Go code generated from the .proto files of
// the @dcl/protocol npm package (pinned in testdata/js/package.json): the
// archipelago messages explorers speak on /archipelago/ws, the common
// vectors they use, and the rfc4 explorer packets. Regenerate with
// `go generate ./comms/protocol/` after `npm ci` in testdata/js (needs
// protoc and protoc-gen-go).
package protocol

//go:generate sh gen.sh
