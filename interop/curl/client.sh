#!/usr/bin/env bash
# curl as an mTLS HTTPS client: the run's CA and CRLs, its certificate, TLS 1.2 at least; it dials
# <host> and verifies <name> (an IP address, or a DNS name reached with --connect-to).
# Usage: client.sh <host> <port> <name>
set -euo pipefail
host=$1 port=$2 name=$3
case $name in
  *:*) at="[$name]" ;;
  *) at=$name ;;
esac
exec curl -sS --max-time 10 --tlsv1.2 --cacert ca_cert.pem --crlfile crl.pem --cert client_cert.pem \
  --key client_key.pem --connect-to "$at:$port:$host:$port" "https://$at:$port/"
