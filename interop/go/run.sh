#!/bin/sh
# Builds interop/go/peer.go once per machine and source (Debian's Go; no module downloads), then
# runs it: run.sh server|client <args...> (see peer.go).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cache=${MTLS_CACHE:-/var/tmp/mtls-conformance}
sum=$(sha256sum "$here/peer.go" | cut -c1-16)
bin=$cache/go-peer-$sum
if [ ! -x "$bin" ]; then
  mkdir -p "$cache" && chmod 755 "$cache"
  (
    flock 9
    if [ ! -x "$bin" ]; then
      export GOCACHE="$cache/go-build" GOPATH="$cache/go" GOFLAGS=-mod=mod GO111MODULE=off
      go build -o "$bin.tmp" "$here/peer.go" && mv "$bin.tmp" "$bin"
    fi
  ) 9>"$cache/go-peer.lock"
fi
exec "$bin" "$@"
