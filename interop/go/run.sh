#!/bin/sh
# Builds interop/go/peer.go once per machine and source (Debian's Go; no module downloads), then
# runs it: run.sh server|client <args...> (see peer.go).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../build-once.sh"
cache=${MTLS_CACHE:-/var/tmp/mtls-conformance}
build_once go-peer "$here/peer.go" env GOCACHE="$cache/go-build" GOPATH="$cache/go" GOFLAGS=-mod=mod GO111MODULE=off \
  sh -c 'go build -o "$out" "$0"' "$here/peer.go"
bin=$built
exec "$bin" "$@"
