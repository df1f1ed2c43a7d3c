#!/bin/sh
# redis-cli as a client under test: the CA, its certificate, one PING; SNI is the name it must verify.
# usage: client.sh <host> <port> <name> [--insecure]   (--insecure is the self-test's mutant)
set -eu
host=$1 port=$2 name=$3
shift 3
exec redis-cli --tls --cacert ca_cert.pem --cert client_cert.pem --key client_key.pem --sni "$name" \
  -h "$host" -p "$port" "$@" PING </dev/null
