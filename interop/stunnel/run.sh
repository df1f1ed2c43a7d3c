#!/usr/bin/env bash
# stunnel as an mTLS server: a verified client certificate required (verifyChain, requireCert),
# the run's CRLs, each connection handed to cat (so it echoes what it is sent). It writes its
# config into the material folder and stays in the foreground. Usage: run.sh server <dir> <port>
set -euo pipefail
mode=$1 dir=$2 port=$3
[ "$mode" = server ] || { echo "run.sh: only 'server' is known, got '$mode'" >&2; exit 2; }
cat > "$dir/stunnel.conf" <<CONF
foreground = yes
pid =
debug = notice
[mtls]
accept = 127.0.0.1:$port
cert = $dir/server_cert.pem
key = $dir/server_key.pem
CAfile = $dir/ca_cert.pem
CRLfile = $dir/crl.pem
verifyChain = yes
requireCert = yes
sslVersionMin = TLSv1.2
exec = /bin/cat
CONF
exec stunnel4 "$dir/stunnel.conf"
