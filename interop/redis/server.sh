#!/bin/sh
# Redis 7 as a server under test, on the harness's material: TLS only (no plain port), client
# certificates required (tls-auth-clients yes). Redis has no CRL setting.
# usage: server.sh <port> [tls-auth-clients]   (`optional` is the self-test's mutant)
set -eu
port=$1 auth=${2:-yes}
exec redis-server --port 0 --tls-port "$port" --bind 127.0.0.1 --save '' --appendonly no \
  --tls-cert-file server_cert.pem --tls-key-file server_key.pem --tls-ca-cert-file ca_cert.pem \
  --tls-auth-clients "$auth" --loglevel notice
