#!/bin/sh
# The mariadb client as a client under test: TLS with the server's certificate and name verified
# (--ssl-verify-server-cert verifies the host it dials), the run's CRLs, its certificate; one query.
# usage: client.sh <host> <port> [--skip-ssl-verify-server-cert]   (that flag is the self-test's mutant)
set -eu
host=$1 port=$2
shift 2
exec mariadb --no-defaults --protocol=TCP -h "$host" -P "$port" -u mtls --connect-timeout=5 \
  --ssl --ssl-ca=ca_cert.pem --ssl-cert=client_cert.pem --ssl-key=client_key.pem --ssl-crl=crl.pem \
  --ssl-verify-server-cert "$@" -e "select 'served'" </dev/null
