#!/bin/sh
# mosquitto_pub as a client under test: the CA, its certificate, one message; it verifies the
# name it dials (-h), so it dials localhost, a name the server certificate carries.
# usage: client.sh <host> <port> [--insecure]   (--insecure, verifying nothing, is the self-test's mutant)
set -eu
host=$1 port=$2
shift 2
exec mosquitto_pub -h "$host" -p "$port" --cafile ca_cert.pem --cert client_cert.pem --key client_key.pem \
  -t mtls/probe -m 'hello from mosquitto_pub' -d "$@" </dev/null
