#!/usr/bin/env bash
# nginx as an mTLS server: writes its config into the material folder and runs in the
# foreground. The answer carries the request path (the probe's sentinel) and the verified client
# subject, so the harness sees what the application saw. Session tickets stay on, as nginx has
# them by default, so the resumption checks have something to try. <crl>: a PEM file of CRLs, one per CA
# (ssl_crl checks the whole chain). Usage: run.sh <dir> <port> [verify] [depth] [crl]
set -euo pipefail
dir=$1 port=$2 verify=${3:-on} depth=${4:-2} crl=${5:-}
source "$(dirname "$0")/prelude.sh"
{ nginx_prelude "$dir"; cat <<CONF
  server {
    listen 127.0.0.1:$port ssl;
    ssl_certificate $dir/server_cert.pem;
    ssl_certificate_key $dir/server_key.pem;
    ssl_client_certificate $dir/ca_cert.pem;
    ssl_verify_client $verify;
    # nginx's default depth (1) allows one intermediate; a client under two needs 2.
    ssl_verify_depth $depth;
    ${crl:+ssl_crl $crl;}
    ssl_protocols TLSv1.2 TLSv1.3;
    location / { return 200 "ok \$request_uri verify=\$ssl_client_verify subject=\$ssl_client_s_dn\n"; }
  }
}
CONF
} > "$dir/nginx.conf"
exec nginx -p "$dir" -c "$dir/nginx.conf"
