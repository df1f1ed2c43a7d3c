#!/usr/bin/env bash
# nginx with two virtual hosts on one address: <mtls-name> requires a verified client certificate,
# <open-name> asks for none. Both answer with the request path (the probe's sentinel) and what
# nginx verified. Usage: vhosts.sh <dir> <port> <mtls-name> <open-name>
set -euo pipefail
dir=$1 port=$2 mtls=$3 open=$4
mkdir -p "$dir/tmp"
cat > "$dir/nginx.conf" <<CONF
daemon off;
worker_processes 1;
pid $dir/nginx.pid;
error_log stderr info;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path $dir/tmp; proxy_temp_path $dir/tmp; fastcgi_temp_path $dir/tmp;
  uwsgi_temp_path $dir/tmp; scgi_temp_path $dir/tmp;
  ssl_certificate $dir/server_cert.pem;
  ssl_certificate_key $dir/server_key.pem;
  ssl_protocols TLSv1.2 TLSv1.3;
  ssl_session_tickets off;
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
exec nginx -p "$dir" -c "$dir/nginx.conf"
