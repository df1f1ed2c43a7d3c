#!/usr/bin/env bash
# Apache httpd (mod_ssl) as an mTLS HTTPS server, run in the foreground from a config written
# into the material folder. <mode>:
#   server-wide        SSLVerifyClient require for the whole server: the certificate is asked for
#                      in the handshake;
#   per-location       the server asks for none in the handshake and requires one for /protected
#                      only (<Location>): after the handshake, by a TLS 1.3 post-handshake
#                      CertificateRequest or a TLS 1.2 renegotiation;
#   server-wide-h2     server-wide, speaking HTTP/2 (mod_http2, `Protocols h2`: ALPN h2 only);
#   <mode>:optional    the same with SSLVerifyClient optional (the misconfiguration the self-tests
#                      catch: a client without a certificate is let in).
# Every path is answered by a mod_lua handler (GET and POST alike; it reads the whole body, so a
# tampered record is read), with the path and the verified client subject. The handler lives
# outside the material folder, which the children (run as www-data) cannot enter; a handler and
# not mod_alias's `Redirect 200`, which answers before access control and so would skip the
# per-location SSLVerifyClient.
# Usage: server.sh <dir> <port> <mode> [crl]
set -euo pipefail
dir=$1 port=$2 mode=$3 crl=${4:-}
verify=require
case $mode in *:optional) verify=optional mode=${mode%:optional} ;; esac
modules=/usr/lib/apache2/modules
mkdir -p "$dir/run"
handler_dir=${MTLS_CACHE:-/var/tmp/mtls-conformance}
handler=$handler_dir/apache-answer-1.lua
if [ ! -r "$handler" ]; then
  mkdir -p "$handler_dir" && chmod 755 "$handler_dir"
  tmp=$(mktemp "$handler_dir/.apache-answer.XXXXXX")
  cat > "$tmp" <<'LUA'
function handle(r)
  r:requestbody()
  local subject = r:ssl_var_lookup("SSL_CLIENT_S_DN") or ""
  r.content_type = "text/plain"
  r:puts("ok " .. r.uri .. " verify=" .. (r:ssl_var_lookup("SSL_CLIENT_VERIFY") or "") .. " subject=" .. subject .. "\n")
  return apache2.OK
end
LUA
  chmod 644 "$tmp" && mv -f "$tmp" "$handler"
fi
protocols="Protocols http/1.1"
case $mode in
  server-wide-h2) wide="SSLVerifyClient $verify" location="" protocols="Protocols h2" ;;
  server-wide) wide="SSLVerifyClient $verify" location="" ;;
  per-location) wide="" location="<Location /protected>
    SSLVerifyClient $verify
  </Location>" ;;
  *) echo "server.sh: unknown mode '$mode' (server-wide, server-wide-h2, per-location, with :optional)" >&2; exit 2 ;;
esac
cat > "$dir/apache2.conf" <<CONF
ServerRoot /usr/lib/apache2
DefaultRuntimeDir $dir/run
PidFile $dir/run/apache2.pid
Mutex file:$dir/run default
ServerName localhost
Listen 127.0.0.1:$port
User www-data
Group www-data
ErrorLog "|/bin/cat"
LogLevel warn ssl:info
LoadModule mpm_event_module $modules/mod_mpm_event.so
LoadModule authz_core_module $modules/mod_authz_core.so
LoadModule socache_shmcb_module $modules/mod_socache_shmcb.so
LoadModule ssl_module $modules/mod_ssl.so
LoadModule lua_module $modules/mod_lua.so
LoadModule http2_module $modules/mod_http2.so
StartServers 1
ServerLimit 1
ThreadsPerChild 16
MinSpareThreads 1
MaxSpareThreads 16
MaxRequestWorkers 16
SSLSessionCache shmcb:$dir/run/ssl_scache(512000)
<VirtualHost 127.0.0.1:$port>
  SSLEngine on
  $protocols
  SSLProtocol -all +TLSv1.2 +TLSv1.3
  SSLCertificateFile $dir/server_cert.pem
  SSLCertificateKeyFile $dir/server_key.pem
  SSLCACertificateFile $dir/ca_cert.pem
  ${crl:+SSLCARevocationFile $crl}
  ${crl:+SSLCARevocationCheck chain}
  SSLVerifyDepth 3
  $wide
  LuaMapHandler ^/ $handler handle
  <Location />
    Require all granted
  </Location>
  $location
</VirtualHost>
CONF
exec /usr/sbin/apache2 -f "$dir/apache2.conf" -DFOREGROUND
