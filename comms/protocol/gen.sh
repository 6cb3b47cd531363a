#!/bin/sh
# Generates the Go code of the @dcl/protocol messages this node speaks.
set -eu
P=../../testdata/js/node_modules/@dcl/protocol/proto
M=github.com/p2pcatalyst/catalyst/comms/protocol
protoc -I "$P" --go_out=. --go_opt=paths=source_relative \
  --go_opt=Mdecentraland/common/vectors.proto=$M/common \
  --go_opt=Mdecentraland/kernel/comms/v3/archipelago.proto=$M/archipelago \
  --go_opt=Mdecentraland/kernel/comms/rfc4/comms.proto=$M/rfc4 \
  decentraland/common/vectors.proto decentraland/kernel/comms/v3/archipelago.proto decentraland/kernel/comms/rfc4/comms.proto
mkdir -p common archipelago rfc4
mv decentraland/common/vectors.pb.go common/
mv decentraland/kernel/comms/v3/archipelago.pb.go archipelago/
mv decentraland/kernel/comms/rfc4/comms.pb.go rfc4/
rm -r decentraland
