#!/bin/sh
# Generates the Go code of the social service's protocols: @dcl/protocol's
# decentraland.social_service.v2 (with the errors and colors it imports)
# and @dcl/rpc's own transport messages (its protocol/index.proto).
set -eu
JS=../../../testdata/js/node_modules
P=$JS/@dcl/protocol/proto
R=$JS/@dcl/rpc/dist
M=github.com/p2pcatalyst/catalyst/services/social/protocol
protoc -I "$P" --go_out=. --go_opt=paths=source_relative \
  --go_opt=Mdecentraland/common/colors.proto=$M/common \
  --go_opt=Mdecentraland/social_service/errors.proto=$M/socialpb \
  --go_opt=Mdecentraland/social_service/v2/social_service_v2.proto=$M/socialpb \
  decentraland/common/colors.proto decentraland/social_service/errors.proto \
  decentraland/social_service/v2/social_service_v2.proto
protoc -I "$R" --go_out=. --go_opt=paths=source_relative \
  --go_opt=Mprotocol/index.proto=$M/rpcpb \
  protocol/index.proto
mkdir -p common socialpb rpcpb
mv decentraland/common/colors.pb.go common/
mv decentraland/social_service/errors.pb.go socialpb/
mv decentraland/social_service/v2/social_service_v2.pb.go socialpb/
mv protocol/index.pb.go rpcpb/rpc.pb.go
rm -r decentraland protocol
