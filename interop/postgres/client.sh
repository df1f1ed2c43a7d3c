#!/bin/sh
# psql as a client under test: verify-full (the chain and the name), the run's CRLs, its
# certificate; it asks the server for one row.
# usage: client.sh <host> <port> <name> [sslmode]   (sslmode `require`, verifying nothing, is the self-test's mutant)
set -eu
host=$1 port=$2 name=$3 mode=${4:-verify-full}
# sslmode=require without a root certificate file verifies nothing (libpq verifies the chain whenever
# the file exists): the mutant names one that does not.
root=ca_cert.pem; [ "$mode" = require ] && root=no-such-root.pem
exec psql -X -w "host=$name hostaddr=$host port=$port user=postgres dbname=postgres sslmode=$mode \
sslrootcert=$root sslcert=client_cert.pem sslkey=client_key.pem sslcrl=crl.pem connect_timeout=5" \
  -c "select 'served'" </dev/null
