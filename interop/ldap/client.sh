#!/bin/sh
# OpenLDAP's ldapsearch as a client under test: StartTLS required (-ZZ), the server certificate
# verified against the CA and the run's CRLs and its name against the host it dials, then an
# anonymous simple bind and a read of the root DSE; TLS 1.2 at least (GnuTLS's NORMAL allows 1.0).
# usage: client.sh <host> <port> [-Z]   (in {dir}; `-Z`, StartTLS tried and not required, is the self-test's mutant)
set -eu
host=$1 port=$2 starttls=${3:--ZZ}
# Nothing from the machine's ldap.conf or a ~/.ldaprc: only what is given here.
export LDAPCONF=/dev/null LDAPRC=.no-ldaprc LDAPTLS_REQCERT=demand LDAPTLS_PROTOCOL_MIN=3.3 \
  LDAPTLS_CIPHER_SUITE=NORMAL:-VERS-TLS1.0:-VERS-TLS1.1 LDAPTLS_CACERT="$PWD/ca_cert.pem" \
  LDAPTLS_CERT="$PWD/client_cert.pem" LDAPTLS_KEY="$PWD/client_key.pem"
[ -f crl.pem ] && export LDAPTLS_CRLFILE="$PWD/crl.pem"
exec ldapsearch "$starttls" -x -H "ldap://$host:$port/" -b '' -s base -LLL '(objectClass=*)' +
