#!/bin/sh
# Compiles interop/java/Peer.java once per machine and source (the JDK's javac), then runs it with
# the role's key and chain in a PKCS#12 key store made here: run.sh server <port> [want] or
# run.sh client <host> <port> <name>, or run.sh clients (one JVM, a dial per stdin line: the harness's
# `session` client; see Peer.java). Runs in the material folder.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../build-once.sh"
build_once java-peer "$here/Peer.java" sh -c 'javac -d "$out" "$0"' "$here/Peer.java"
classes=$built
role=$1
shift
case $role in
  server) cert=server_cert.pem key=server_key.pem ;;
  client | clients) cert=client_cert.pem key=client_key.pem ;;
  *) echo "run.sh: server client or clients, got '$role'" >&2; exit 2 ;;
esac
umask 077
openssl pkcs12 -export -in "$cert" -inkey "$key" -out peer.p12 -passout pass:mtls -name peer
# A JVM that lives for a few connections: no tiered compilation beyond C1, a serial collector;
# no perf data file (/tmp/hsperfdata_<user>/<pid>), which a JVM ended by SIGKILL leaves behind.
jvm="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -XX:-UsePerfData"
if [ "$role" = server ]; then
  port=$1
  shift
  exec java $jvm -cp "$classes" Peer server "$port" ca_cert.pem peer.p12 crl.pem "$@"
fi
[ "$role" = clients ] && exec java $jvm -cp "$classes" Peer clients ca_cert.pem peer.p12 crl.pem
exec java $jvm -cp "$classes" Peer client "$1" "$2" "$3" ca_cert.pem peer.p12 crl.pem
