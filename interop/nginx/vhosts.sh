#!/usr/bin/env bash
# nginx with two virtual hosts on one address: <mtls-name> requires a verified client certificate,
# <open-name> asks for none. Both answer with the request path (the probe's sentinel) and what
# nginx verified. Sessions resume (tickets and a shared cache, as many deployments have them):
# the setting nginx CVE-2025-23419 needs, so the resumption checks have something to try.
# Usage: vhosts.sh <dir> <port> <mtls-name> <open-name>
set -euo pipefail
dir=$1 port=$2 mtls=$3 open=$4
source "$(dirname "$0")/prelude.sh"
{ nginx_prelude "$dir"; cat <<CONF
  ssl_certificate $dir/server_cert.pem;
  ssl_certificate_key $dir/server_key.pem;
  ssl_protocols TLSv1.2 TLSv1.3;
  ssl_session_cache shared:SSL:1m;
  server {
    listen 127.0.0.1:$port ssl;
    server_name $mtls;
    ssl_client_certificate $dir/ca_cert.pem;
    ssl_verify_client on;
    ssl_verify_depth 2;
    location / { return 200 "ok \$request_uri host=\$host verify=\$ssl_client_verify subject=\$ssl_client_s_dn\n"; }
  }
  server {
    listen 127.0.0.1:$port ssl;
    server_name $open;
    location / { return 200 "ok \$request_uri host=\$host open\n"; }
  }
}
CONF
} > "$dir/nginx.conf"
exec nginx -p "$dir" -c "$dir/nginx.conf"
