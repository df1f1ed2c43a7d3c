#!/bin/sh
# MariaDB as a server under test, on the harness's material: secure transport required, the run's
# CRLs, and the user `mtls` (no password) that must present a certificate: REQUIRE X509.
# usage: server.sh <port> [require]   (`SSL`, TLS without a certificate, is the self-test's mutant)
# mariadbd refuses to run as root: it runs as the Debian user mysql, in a data folder copied from
# a template made once per machine.
set -eu
port=$1 require=${2:-X509}
cache=${MTLS_CACHE:-/var/tmp/mtls-conformance}
# A 4 MB redo log (the default is 96 MB): the copy made per start is that much smaller.
template=$cache/mariadb-template-log4m
if [ ! -d "$template/mysql" ]; then
  mkdir -p "$cache" && chmod 755 "$cache"
  (
    flock 9
    if [ ! -d "$template/mysql" ]; then
      rm -rf "$template.tmp" && mkdir "$template.tmp" && chown mysql: "$template.tmp"
      mariadb-install-db --no-defaults --datadir="$template.tmp" --user=mysql --skip-test-db \
        --auth-root-authentication-method=socket --innodb-log-file-size=4M >/dev/null
      mv "$template.tmp" "$template"
    fi
  ) 9>"$cache/mariadb-log4m.lock"
fi

# The key folder stays 0600 inside; mariadbd only passes through it to its own data folder.
chmod 711 .
if ! setpriv --reuid=mysql --regid=mysql --init-groups test -x "$PWD"; then
  echo "mysql cannot reach $PWD: every folder above it must be traversable (o+x); TMPDIR=${TMPDIR:-/tmp}" >&2
  exit 2
fi
cp -a "$template" data
mkdir tls && cp ca_cert.pem server_cert.pem server_key.pem crl.pem tls/ && chown -R mysql: tls && chmod 700 tls
cat > init.sql <<SQL
CREATE USER IF NOT EXISTS 'mtls'@'127.0.0.1' REQUIRE $require;
CREATE USER IF NOT EXISTS 'mtls'@'localhost' REQUIRE $require;
SQL
chown mysql: init.sql
exec mariadbd --no-defaults --user=mysql --datadir="$PWD/data" --port="$port" --bind-address=127.0.0.1 \
  --socket="$PWD/data/mysqld.sock" --pid-file="$PWD/data/mysqld.pid" --tmpdir="$PWD/data" --skip-log-bin \
  --innodb-buffer-pool-size=8M --innodb-log-file-size=4M --skip-name-resolve --init-file="$PWD/init.sql" --require-secure-transport=ON \
  --ssl-ca="$PWD/tls/ca_cert.pem" --ssl-cert="$PWD/tls/server_cert.pem" \
  --ssl-key="$PWD/tls/server_key.pem" --ssl-crl="$PWD/tls/crl.pem"
