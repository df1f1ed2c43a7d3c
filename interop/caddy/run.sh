#!/usr/bin/env bash
# Caddy as an mTLS HTTPS server for one name, client certificates required and verified
# (client_auth require_and_verify), with its default strict SNI/Host agreement. It keeps all its
# state in the material folder and opens no admin endpoint. Usage: run.sh <dir> <port> <name>
set -euo pipefail
dir=$1 port=$2 name=$3
cat > "$dir/Caddyfile" <<CONF
{
	admin off
	auto_https disable_redirects
	storage file_system $dir/data
	skip_install_trust
}
https://$name:$port {
	bind 127.0.0.1
	tls $dir/server_cert.pem $dir/server_key.pem {
		client_auth {
			mode require_and_verify
			trusted_ca_cert_file $dir/ca_cert.pem
		}
	}
	respond "ok {uri} subject={tls_client_subject}" 200
}
CONF
export HOME=$dir XDG_CONFIG_HOME=$dir/config XDG_DATA_HOME=$dir/data
exec caddy run --config "$dir/Caddyfile" --adapter caddyfile
